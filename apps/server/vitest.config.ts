import { defineConfig } from 'vitest/config';

// Server tests start real servers and child processes: give them room on a small machine.
export default defineConfig({
  test: { testTimeout: 120_000, hookTimeout: 120_000 },
});
