import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    // Safety nets only, never a speed requirement: on a shared machine under load a slow test must still
    // pass (tests wait on events, not on time).
    testTimeout: 300_000,
    hookTimeout: 300_000,
    // Integration tests start servers, PTYs and PostgreSQL clusters; keep files from competing for 2 cores.
    fileParallelism: false,
    pool: 'forks',
    reporters: ['default'],
  },
});
