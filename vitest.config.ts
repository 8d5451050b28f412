import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Builds dist/ once, for the tests that run bin/loopsim.js as a child process.
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
  },
});
