import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    // A worker keeps its modules from one test file to the next instead of importing the app
    // afresh for each (about half the CPU time of the integration tests). Test files share no
    // state through them: each builds its own app and database (test/support/context.ts), and
    // module caches are keyed by that database.
    isolate: false,
  },
});
