import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Every test file binds loopback addresses of its own (see TESTING notes in the README), so
    // files run side by side; most of their time is spent waiting on SIPp and timers, not CPU.
    fileParallelism: true,
    maxWorkers: 3,
    minWorkers: 1,
    reporters: ['default'],
  },
});
