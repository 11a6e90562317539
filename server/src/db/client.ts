// Owns opening the server database: real PostgreSQL (node-postgres pool) when a URL is given, otherwise
// embedded PGlite (in a data directory, with fsync on, or in memory). Both get the same schema and migrations; the rest
// of the server only sees the driver-agnostic `ServerDb`. Migrations only move forward (migration-order.ts):
// a database that would skip one is refused before drizzle touches it.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { durablePglite } from './durable-pglite';
import { checkServerMigrationOrder } from './migration-order';
import * as schema from './schema';

export type ServerSchema = typeof schema;
export type ServerDb = PgDatabase<PgQueryResultHKT, ServerSchema>;

export interface ServerDbHandle {
  db: ServerDb;
  driver: 'postgres' | 'pglite';
  close(): Promise<void>;
}

export interface OpenServerDbOptions {
  /** postgres://… — use a real PostgreSQL server. */
  databaseUrl?: string;
  /** PGlite data directory (created if missing); ignored with databaseUrl; in-memory when neither. */
  dataDir?: string;
  /** Override where the drizzle-kit migrations live (e.g. in a packaged build). */
  migrationsFolder?: string;
  /** Pool size for PostgreSQL. */
  maxConnections?: number;
}

/** Where the server's migrations live in a source checkout; bundles (which lose their source paths)
 *  pass `migrationsFolder` explicitly. Computed lazily so a CommonJS bundle can load this module. */
export function defaultMigrationsFolder(): string {
  return fileURLToPath(new URL('../../../migrations/server', import.meta.url));
}

export async function openServerDb(options: OpenServerDbOptions = {}): Promise<ServerDbHandle> {
  const migrationsFolder = options.migrationsFolder ?? defaultMigrationsFolder();
  if (options.databaseUrl) {
    // Short OLTP statements only: JIT compilation (triggered by row estimates that lag behind a table
    // growing during an event) costs more than the queries themselves. `options` in the URL wins.
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.maxConnections ?? 10,
      options: '-c jit=off',
    });
    // An idle client losing its connection must not crash the process; the pool replaces it.
    pool.on('error', () => {});
    const db = drizzlePg({ client: pool, schema });
    try {
      await checkServerMigrationOrder((sql) => pool.query(sql), migrationsFolder);
      await migratePg(db, { migrationsFolder });
    } catch (err) {
      await pool.end();
      throw err;
    }
    return { db: db as unknown as ServerDb, driver: 'postgres', close: () => pool.end() };
  }
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  // On disk, every acknowledged commit is on the disk (durable-pglite.ts); in memory there is no disk.
  const client = options.dataDir ? durablePglite(options.dataDir) : new PGlite();
  const db = drizzlePglite({ client, schema });
  try {
    await checkServerMigrationOrder((sql) => client.query(sql), migrationsFolder);
    await migratePglite(db, { migrationsFolder });
  } catch (err) {
    await client.close();
    throw err;
  }
  return { db: db as unknown as ServerDb, driver: 'pglite', close: () => client.close() };
}
