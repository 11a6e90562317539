// drizzle-kit config for the central server's PostgreSQL schema (also used for PGlite).
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './server/src/db/schema.ts',
  out: './migrations/server',
});
