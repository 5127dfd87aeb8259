import { defineConfig } from 'vitest/config';

/**
 * Tests that run several processes flat out (sharded exports on worker processes): they run after
 * the others, so that on a small CI machine they do not starve the tests that time child processes.
 */
const MULTI_PROCESS = ['test/scale/run-sharded-export.test.ts', 'test/cli/sharded-cli.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: MULTI_PROCESS, sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'multi-process', include: MULTI_PROCESS, sequence: { groupOrder: 1 } } },
    ],
  },
});
