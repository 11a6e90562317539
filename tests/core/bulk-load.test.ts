// A first sync defers the ticket indexes; a crash in the middle must not leave a cache without them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openLocalDb } from '../../electron/core/db/open';
import { Store } from '../../electron/core/store';

const dir = mkdtempSync(join(tmpdir(), 'admit-bulk-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const indexes = (s: Store) =>
  (s.raw.prepare("select name from sqlite_master where type = 'index' and tbl_name = 'tickets' and name like 'tickets_%'").all() as { name: string }[])
    .map((r) => r.name)
    .sort();

describe('bulk load of an empty cache', () => {
  it('drops the ticket indexes for the load and rebuilds them, also after a crash', () => {
    const file = join(dir, 't.sqlite');
    const db = openLocalDb(file, 'migrations/local');
    const store = new Store(db);
    const before = indexes(store);
    expect(before).toContain('tickets_code_idx');
    expect(store.beginBulkLoad()).toBe(true);
    expect(indexes(store)).toEqual([]);
    // The process dies here: the next start rebuilds what the load had deferred.
    db.$client.close();
    const reopened = new Store(openLocalDb(file, 'migrations/local'));
    expect(indexes(reopened)).toEqual(before);
    expect(reopened.getMeta('deferred_indexes')).toBeNull();
    reopened.raw.close();
  });

  it('does nothing on a cache that already holds tickets', () => {
    const db = openLocalDb(join(dir, 'u.sqlite'), 'migrations/local');
    const store = new Store(db);
    db.$client
      .prepare("insert into tickets(id, event_id, ticket_type_id, code, status, paid, seq) values ('t', 'e', 'y', 'C', 'valid', 1, 1)")
      .run();
    expect(store.beginBulkLoad()).toBe(false);
    expect(indexes(store)).toContain('tickets_code_idx');
    db.$client.close();
  });
});
