import Database from 'better-sqlite3';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { backdateMigration } from '../helpers/migrations';
import { checkJournalOrder, MigrationOrderError, readJournal, type Journal } from '../../electron/core/db/migrations';
import { openLocalDb } from '../../electron/core/db/open';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'admit-mig-'));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('migration order', () => {
  it.each(['migrations/local', 'migrations/server'])('the committed journal %s only moves forward', (folder) => {
    expect(() => checkJournalOrder(readJournal(folder), folder)).not.toThrow();
  });

  it('refuses a journal whose dates go backwards', () => {
    const journal: Journal = {
      entries: [
        { idx: 0, when: 2000, tag: '0000_init' },
        { idx: 1, when: 1000, tag: '0001_later' },
      ],
    };
    expect(() => checkJournalOrder(journal)).toThrow(/order goes backwards/);
  });

  it('refuses a gap in the indexes and a misnamed file', () => {
    expect(() => checkJournalOrder({ entries: [{ idx: 1, when: 1, tag: '0001_x' }] })).toThrow(MigrationOrderError);
    expect(() => checkJournalOrder({ entries: [{ idx: 0, when: 1, tag: 'init' }] })).toThrow(/index/);
  });

  it('refuses to start a database when a new migration is dated before an applied one', () => {
    const folder = join(tmp(), 'local');
    cpSync('migrations/local', folder, { recursive: true });
    const dbFile = join(tmp(), 't.sqlite');
    openLocalDb(dbFile, folder).$client.close();
    // A migration merged "into the past": drizzle would skip it silently.
    const journal = readJournal(folder);
    backdateMigration(folder, journal);
    writeFileSync(join(folder, 'meta', '_journal.json'), JSON.stringify(journal));
    expect(() => openLocalDb(dbFile, folder)).toThrow(/dated before the newest applied migration/);
    const db = new Database(dbFile);
    expect(db.prepare("select name from sqlite_master where name = 'backdated'").get()).toBeUndefined();
    db.close();
  });

  it('opens with WAL and foreign keys on', () => {
    const db = openLocalDb(join(tmp(), 'x.sqlite'), 'migrations/local');
    expect(db.$client.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.$client.pragma('foreign_keys', { simple: true })).toBe(1);
    db.$client.close();
  });
});
