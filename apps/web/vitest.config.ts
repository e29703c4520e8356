import { defineConfig } from 'vitest/config';

// Two projects: fast unit tests of the web app's logic, and browser journeys (e2e/) that start
// the real server and drive Chromium. `npm test` builds first (the journeys load apps/web/dist).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.test.ts'],
          environment: 'node',
          // One browser and one server per file; files run one after another on a small machine.
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
