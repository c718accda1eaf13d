// Vitest configuration: forks pool (tfjs-wasm is happiest in its own process), generous timeouts for e2e runs.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
