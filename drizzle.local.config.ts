import { defineConfig } from 'drizzle-kit';

// Terminal-side SQLite migrations; applied by the core at start-up.
export default defineConfig({
  dialect: 'sqlite',
  schema: './electron/core/db/schema.ts',
  out: './migrations/local',
});
