// A terminal upgraded to the version that asks for sessions and quotas in the change feed pulls once
// more from the start (they were never sent to it below its cursor); its cached rows stay.
import Database from 'better-sqlite3';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { openLocalDb } from '../../electron/core/db/open';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

it('resets the sync cursor once when the catalog migration is applied, keeping the cache', () => {
  const work = mkdtempSync(join(tmpdir(), 'admit-upgrade-'));
  dirs.push(work);
  const before = join(work, 'before');
  cpSync('migrations/local', before, { recursive: true });
  const journalFile = join(before, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: { tag: string }[] };
  const at = journal.entries.findIndex((e) => e.tag.endsWith('_event_setup'));
  expect(at).toBeGreaterThan(0);
  journal.entries = journal.entries.slice(0, at);
  writeFileSync(journalFile, JSON.stringify(journal));

  const file = join(work, 'terminal.sqlite');
  openLocalDb(file, before).$client.close();
  const old = new Database(file);
  old.prepare("insert into meta(key, value) values ('last_seq', '4242')").run();
  old.prepare(
    "insert into events(id, name, starts_at, ends_at, timezone, currency, seq) values ('e1', '{}', '2030-01-01', '2030-01-02', 'UTC', 'EUR', 7)",
  ).run();
  old.close();

  const upgraded = openLocalDb(file, 'migrations/local').$client;
  expect(upgraded.prepare("select value from meta where key = 'last_seq'").get()).toEqual({ value: '0' });
  expect(upgraded.prepare("select id, languages, default_language as defaultLanguage from events").all()).toEqual([{ id: 'e1', languages: '["en"]', defaultLanguage: 'en' }]);
  upgraded.prepare("update meta set value = '50' where key = 'last_seq'").run();
  upgraded.close();
  // Applied once: opening again keeps the cursor.
  const again = openLocalDb(file, 'migrations/local').$client;
  expect(again.prepare("select value from meta where key = 'last_seq'").get()).toEqual({ value: '50' });
  again.close();
});
