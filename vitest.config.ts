import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    // stages spawn work of their own; two workers match the 2-core machines
    maxWorkers: 2,
  },
});
