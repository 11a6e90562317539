// The server's migrations only move forward, as the terminal's do (tests/unit/migrations.test.ts): one
// rule (domain/migration-order.ts), checked on PGlite with a crafted migrations folder before drizzle's
// migrator would silently skip a migration merged "into the past".
import { PGlite } from '@electric-sql/pglite';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { backdateMigration } from '../helpers/migrations';
import { openServerDb } from '../../server/src/db/client';
import { checkServerMigrationOrder, MigrationOrderError, readServerJournal } from '../../server/src/db/migration-order';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'admit-srvmig-'));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const copyMigrations = () => {
  const folder = join(tmp(), 'server');
  cpSync('migrations/server', folder, { recursive: true });
  return folder;
};
const writeJournal = (folder: string, journal: unknown) =>
  writeFileSync(join(folder, 'meta', '_journal.json'), JSON.stringify(journal));
const tableExists = async (dataDir: string, name: string) => {
  const pg = new PGlite(dataDir);
  try {
    const { rows } = await pg.query<{ present: boolean }>(`select to_regclass('public.${name}') is not null as present`);
    return rows[0]!.present;
  } finally {
    await pg.close();
  }
};

describe('server migration order', () => {
  it('the committed journal only moves forward, and a fresh database opens', async () => {
    const dataDir = join(tmp(), 'pglite');
    const db = await openServerDb({ dataDir, migrationsFolder: 'migrations/server' });
    await db.close();
    const pg = new PGlite(dataDir);
    await expect(checkServerMigrationOrder((sql) => pg.query(sql), 'migrations/server')).resolves.toBeUndefined();
    await pg.close();
  });

  it('refuses a journal whose dates go backwards, before touching the database', async () => {
    const folder = copyMigrations();
    const journal = readServerJournal(folder);
    journal.entries[2]!.when = journal.entries[0]!.when - 1;
    writeJournal(folder, journal);
    const dataDir = join(tmp(), 'pglite');
    await expect(openServerDb({ dataDir, migrationsFolder: folder })).rejects.toThrow(/order goes backwards/);
    expect(await tableExists(dataDir, 'events')).toBe(false);
  });

  it('refuses a missing SQL file', async () => {
    const folder = copyMigrations();
    rmSync(join(folder, '0001_change_seq_on_update.sql'));
    await expect(openServerDb({ migrationsFolder: folder })).rejects.toThrow(MigrationOrderError);
  });

  it('refuses to start a database when a new migration is dated before an applied one', async () => {
    const folder = copyMigrations();
    const dataDir = join(tmp(), 'pglite');
    await (await openServerDb({ dataDir, migrationsFolder: folder })).close();
    // A migration merged "into the past": drizzle would skip it silently.
    const journal = readServerJournal(folder);
    backdateMigration(folder, journal);
    writeJournal(folder, journal);
    await expect(openServerDb({ dataDir, migrationsFolder: folder })).rejects.toThrow(
      /dated before the newest applied migration/,
    );
    expect(await tableExists(dataDir, 'backdated')).toBe(false);
  });

  it('applies a new migration dated after the applied ones', async () => {
    const folder = copyMigrations();
    const dataDir = join(tmp(), 'pglite');
    await (await openServerDb({ dataDir, migrationsFolder: folder })).close();
    const journal = readServerJournal(folder);
    const last = journal.entries.at(-1)!;
    const idx = journal.entries.length;
    const tag = `${String(idx).padStart(4, '0')}_forward`;
    journal.entries.push({ idx, when: last.when + 1000, tag });
    writeFileSync(join(folder, `${tag}.sql`), 'CREATE TABLE forward (id integer);');
    writeJournal(folder, journal);
    await (await openServerDb({ dataDir, migrationsFolder: folder })).close();
    expect(await tableExists(dataDir, 'forward')).toBe(true);
  });
});
