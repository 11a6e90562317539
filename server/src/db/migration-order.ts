// Owns holding the server's migrations to the forward-only rule before drizzle applies them, as the
// terminal does (the rule itself is shared: domain/migration-order.ts). drizzle's migrator skips, without
// a word, a migration dated before the newest one a database already applied; the server refuses to start.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkAgainstApplied, checkJournalOrder, MigrationOrderError, type Journal } from '../../../domain/migration-order';

export { MigrationOrderError } from '../../../domain/migration-order';

/** Runs one SQL statement and returns its rows: PGlite's `query` and node-postgres' `Pool.query` both fit. */
export type QueryRows = (sql: string) => Promise<{ rows: unknown[] }>;

export function readServerJournal(folder: string): Journal {
  const file = join(folder, 'meta', '_journal.json');
  if (!existsSync(file)) throw new MigrationOrderError(`migration journal missing in ${folder}`);
  return JSON.parse(readFileSync(file, 'utf8')) as Journal;
}

/** Throws MigrationOrderError when the folder's journal goes backwards or a database that already
 *  applied migrations would skip one of the folder's (drizzle's own table: drizzle.__drizzle_migrations). */
export async function checkServerMigrationOrder(query: QueryRows, migrationsFolder: string): Promise<void> {
  const journal = readServerJournal(migrationsFolder);
  checkJournalOrder(journal, (tag) => existsSync(join(migrationsFolder, `${tag}.sql`)));
  const { rows: tables } = await query(`select to_regclass('drizzle.__drizzle_migrations') is not null as present`);
  if (!(tables[0] as { present?: boolean } | undefined)?.present) return;
  const { rows } = await query('select hash, created_at from drizzle.__drizzle_migrations');
  const applied = (rows as Array<{ hash: string; created_at: string | number }>).map((r) => ({
    hash: r.hash,
    createdAt: Number(r.created_at),
  }));
  const hashOf = (tag: string) =>
    createHash('sha256')
      .update(readFileSync(join(migrationsFolder, `${tag}.sql`)))
      .digest('hex');
  checkAgainstApplied(journal, hashOf, applied);
}
