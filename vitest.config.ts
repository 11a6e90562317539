import { defineConfig } from 'vitest/config';

// Two lanes, each one file at a time: browsers, whole-system runs and devices in one; the server, the
// core and pure units in the other. `npm test` runs them side by side as two processes
// (scripts/test-lanes.mjs); `npx vitest run` alone runs every file one after the other.
// Every test that builds or runs dist/ is in the system lane, so no build is rewritten under a running one.
const browserLane = [
  'tests/e2e/**/*.test.ts',
  'tests/renderer/**/*.test.ts',
  'tests/integration/**/*.test.ts',
  'tests/drivers/**/*.test.ts',
  'tests/unit/bundle.test.ts',
];

export default defineConfig({
  test: {
    environment: 'node',
    // Safety nets only, never a speed requirement: on a shared machine under load a slow test must still
    // pass (tests wait on events, not on time).
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: { name: 'system', include: browserLane, fileParallelism: false },
      },
      {
        extends: true,
        test: { name: 'core', include: ['tests/**/*.test.ts'], exclude: browserLane, fileParallelism: false },
      },
    ],
  },
});
