import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Child processes, not worker threads: tests fork, block in read(2) and
    // count their own fds, which only makes sense per process.
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 20_000,
    setupFiles: ['test/helpers/setup.ts'],
    reporters: process.env.CI
      ? ['default', ['json', { outputFile: process.env.PIPEFORK_VITEST_JSON ?? 'build/vitest.json' }]]
      : ['default'],
  },
});
