import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Network tests start their own sandbox on loopback; a couple of workers is plenty on 2 cores.
    maxWorkers: 2,
  },
});
