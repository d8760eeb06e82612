// Mutation testing of the pure core (`npm run test:mutation`, not part of `npm test`).
// scripts/mutation.mjs runs it one file at a time: `npm run test:mutation -- time`.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  plugins: ['@stryker-mutator/vitest-runner'],
  mutate: ['shared/src/{projection,report,view,roster,quality,assessment,time,paging}.ts'],
  // Stryker's TypeScript preprocessor imports TypeScript's JS API, which TypeScript 7 lacks;
  // a tsconfig path that does not exist turns it off (vitest compiles the specs itself).
  tsconfigFile: 'stryker-no-tsconfig.json',
  checkers: [],
  concurrency: 1,
  incremental: true,
  incrementalFile: 'test/mutation/all.json',
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: process.env.STRYKER_JSON ?? 'test-artifacts/mutation.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  thresholds: { high: 85, low: 70, break: null },
};
