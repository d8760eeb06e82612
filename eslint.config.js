// ESLint for the whole tree: rules that catch bugs (promises left floating, `any` leaking in,
// a switch that misses a case, an import across a layer it must not cross), not taste.
// Formatting is Prettier's (.prettierrc); eslint-config-prettier turns off what overlaps.
// Run through `npm run lint`: typescript-eslint needs TypeScript's JS API, which the repo's
// TypeScript 7 lacks, so the script preloads scripts/typescript5.cjs.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import vue from 'eslint-plugin-vue';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Node's I/O and the server's libraries: shared/ is pure code that both sides import.
const ioLibraries = ['ioredis', 'bullmq', 'socket.io', 'express', 'helmet', 'exceljs', 'bcryptjs', 'jose', 'socket.io-client', 'echarts', 'vue'];
const ioPatterns = ['@nestjs/*', 'node:*', 'fs', 'fs/*', 'net', 'child_process', 'http', 'https', 'os', 'path', 'dgram'];

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/dist-e2e/**', 'node_modules/**', 'test-artifacts/**', 'bench/results/**', 'client/src/map/*.json', '.stryker-tmp/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  ...vue.configs['flat/essential'],
  {
    languageOptions: {
      parserOptions: {
        project: ['shared/tsconfig.json', 'server/tsconfig.json', 'client/tsconfig.json', 'tsconfig.tests.json'],
        tsconfigRootDir: import.meta.dirname,
        extraFileExtensions: ['.vue'],
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-floating-promises': 'error',
      // Taste: an async function without await is harmless; a forgotten await is no-floating-promises'.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Taste, and it would strip the `as never` casts that ECharts' map types need under TS 7.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true, allowNullish: true, allowNever: true }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    files: ['**/*.vue'],
    languageOptions: {
      parserOptions: { parser: tseslint.parser },
      globals: globals.browser,
    },
    rules: {
      // The bulletin's tables keep the document's full-width spaces (合计 with an ideographic space) in their text.
      'no-irregular-whitespace': 'off',
      'vue/no-irregular-whitespace': ['error', { skipHTMLTextContents: true }],
    },
  },
  {
    // Plain JavaScript (bench, scripts, configs): no type information, Node's globals.
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: { ...globals.node } },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The probe, and the callbacks the wall bench hands to page.evaluate, run in the page.
    files: ['bench/wall-probe.js', 'bench/wall.mjs'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Tests read JSON answers loosely and assert their shape at run time; `expect.any()` and
    // friends are typed `any`. The promise and switch rules still hold there.
    files: ['**/*.spec.ts', '**/*.medium.ts', '**/*.fakes.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ioLibraries.map((name) => ({ name, message: 'shared/ is pure: no I/O library, no framework.' })),
          patterns: [
            { group: ioPatterns, message: 'shared/ is pure: no Node I/O, no NestJS.' },
            { group: ['**/server/**', '@wall/server', '@wall/server/*'], message: 'shared/ never imports server/.' },
            { group: ['**/client/**', '@wall/client', '@wall/client/*'], message: 'shared/ never imports client/.' },
          ],
        },
      ],
    },
  },
  {
    files: ['client/src/**/*.ts', 'client/src/**/*.vue'],
    languageOptions: { globals: globals.browser },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ group: ['**/server/**', '@wall/server', '@wall/server/*'], message: 'client/ never imports server/: share through shared/.' }],
        },
      ],
    },
  },
  prettier,
);
