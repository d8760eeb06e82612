import { defineConfig } from 'vitest/config';

// Three projects: pure unit tests beside the code (the most), medium tests against a real
// Redis beside the code, and end-to-end tests in test/ against the built server and Chromium.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['shared/src/**/*.spec.ts', 'server/src/**/*.spec.ts', 'client/src/**/*.spec.ts', 'bench/**/*.spec.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'medium',
          include: ['server/src/**/*.medium.ts'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/**/*.e2e.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
