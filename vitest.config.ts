import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration tests start servers, PTYs and PostgreSQL clusters; keep files from competing for 2 cores.
    fileParallelism: false,
    pool: 'forks',
    reporters: ['default'],
  },
});
