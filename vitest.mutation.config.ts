import { defineConfig } from 'vitest/config';

// What `npm run test:mutation` runs against each mutant: the shared package's pure specs. The
// replay engine's spec is left out (replay.ts is not mutated, and it re-checks the projection
// against itself), and the order-independence property runs 25 cases instead of 200: a mutant
// that survives 25 random event sets in every arrival order is not killed by the 26th.
export default defineConfig({
  test: {
    include: ['shared/src/**/*.spec.ts'],
    exclude: ['shared/src/replay.spec.ts'],
    environment: 'node',
    env: { PROPERTY_RUNS: '25' },
  },
});
