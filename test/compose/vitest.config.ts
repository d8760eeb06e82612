import { defineConfig } from 'vitest/config';

// `npm run test:compose` only: it builds the image and runs docker/compose.yml under
// podman-compose, minutes of work, so it is not among the e2e project's files.
export default defineConfig({
  test: {
    include: ['test/compose/**/*.compose.ts'],
    testTimeout: 120_000,
    hookTimeout: 1_200_000,
    fileParallelism: false,
  },
});
