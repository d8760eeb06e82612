// Preload (`node -r`) for the tools that need TypeScript's JavaScript API: vue-tsc and
// typescript-eslint. The repo compiles with TypeScript 7, whose package has no such API, so
// these two get TypeScript 5 from the `typescript5` npm alias. Only processes started with
// this preload see the swap; `tsc` and the builds keep TypeScript 7.
const Module = require('node:module');

const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'typescript' || request.startsWith('typescript/')) {
    request = `typescript5${request.slice('typescript'.length)}`;
  }
  return resolve.call(this, request, ...rest);
};
