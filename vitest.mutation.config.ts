import { defineConfig } from 'vitest/config';

// The shared package's pure specs only: what `npm run test:mutation` runs against each mutant.
export default defineConfig({
  test: {
    include: ['shared/src/**/*.spec.ts'],
    environment: 'node',
  },
});
