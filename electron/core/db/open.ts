// Owns opening the terminal's SQLite database: pragmas, forward-only migrations, the drizzle handle.
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { checkAgainstApplied, checkJournalOrder, readJournal } from './migrations';
import * as schema from './schema';

export type LocalDb = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export type LocalDbOptions = {
  /** Every commit reaches the disk before it returns (synchronous=FULL: WAL + an fsync per commit), so
   *  an admission or a sale that was acknowledged survives a power cut. Off (NORMAL) only to measure
   *  what that costs (bench/verdict-latency.ts): a power cut could then take back the last commits. */
  durable?: boolean;
};

export function openLocalDb(file: string, migrationsFolder: string, options: LocalDbOptions = {}): LocalDb {
  if (file !== ':memory:') {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    ownerOnly(file);
  }
  const sqlite = new Database(file);
  // Deleted rows (a moved secret, a purged attendee) are overwritten, not left in free pages.
  sqlite.pragma('secure_delete = ON');
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(options.durable === false ? 'synchronous = NORMAL' : 'synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // A checkpoint fsyncs: keep it off the scan path. The core checkpoints when the gate is idle; this
  // high mark (~80 MB of WAL) only bounds the file if it never is.
  sqlite.pragma('wal_autocheckpoint = 20000');
  const journal = readJournal(migrationsFolder);
  checkJournalOrder(journal, migrationsFolder);
  const hasTable = sqlite
    .prepare("select 1 from sqlite_master where type='table' and name='__drizzle_migrations'")
    .get();
  if (hasTable) {
    const applied = sqlite.prepare('select hash, created_at as createdAt from __drizzle_migrations').all() as {
      hash: string;
      createdAt: number;
    }[];
    checkAgainstApplied(journal, migrationsFolder, applied.map((a) => ({ hash: a.hash, createdAt: Number(a.createdAt) })));
  }
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder });
  return db as LocalDb;
}

/** The database and its WAL and shared-memory files readable by the owner only. SQLite creates the
 *  -wal and -shm files with the database file's mode, so the file is made (0600) before SQLite opens it. */
function ownerOnly(file: string): void {
  if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
  if (process.platform === 'win32') return;
  for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) chmodSync(f, 0o600);
}
