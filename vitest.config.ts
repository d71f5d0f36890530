import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A real PostgreSQL for the postgres state backend (started here unless TUG_TEST_DATABASE_URL is set).
    globalSetup: ['test/support/postgres-global.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Network tests start their own sandbox on loopback; a couple of workers is plenty on 2 cores.
    maxWorkers: 2,
  },
});
