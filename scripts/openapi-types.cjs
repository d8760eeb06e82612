// TypeScript types of the API from its OpenAPI document, by openapi-typescript:
//   node -r ./scripts/typescript5.cjs scripts/openapi-types.cjs http://127.0.0.1:3000/api/openapi.json api.d.ts
// openapi-typescript builds its output with TypeScript's JavaScript API, which only 5.x has
// (the repo compiles with 7): hence the preload, which only reaches require(), hence CommonJS.
const { writeFileSync } = require('node:fs');
const { default: openapiTS, astToString } = require('openapi-typescript');

async function main() {
  const [source, out] = process.argv.slice(2);
  if (!source || !out) throw new Error('usage: openapi-types.cjs <openapi.json URL or file> <out.ts>');
  const input = /^https?:/.test(source) ? new URL(source) : new URL(`file://${require('node:path').resolve(source)}`);
  const ast = await openapiTS(input);
  writeFileSync(out, astToString(ast));
  console.log(`wrote ${out}`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
