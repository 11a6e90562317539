// A first sync defers the ticket indexes; a crash in the middle must not leave a cache without them.
import type Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Meta } from '../../electron/core/db/meta';
import { openLocalDb } from '../../electron/core/db/open';
import { openCache } from '../../electron/core/sync/cache';

const dir = mkdtempSync(join(tmpdir(), 'admit-bulk-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const indexes = (sql: Database.Database) =>
  (sql.prepare("select name from sqlite_master where type = 'index' and tbl_name = 'tickets' and name like 'tickets_%'").all() as { name: string }[])
    .map((r) => r.name)
    .sort();
const open = (file: string) => {
  const sql = openLocalDb(file, 'migrations/local').$client;
  const meta = new Meta(sql);
  return { sql, meta, cache: openCache(sql, meta) };
};

describe('bulk load of an empty cache', () => {
  it('drops the ticket indexes for the load and rebuilds them, also after a crash', () => {
    const file = join(dir, 't.sqlite');
    const { sql, cache } = open(file);
    const before = indexes(sql);
    expect(before).toContain('tickets_code_idx');
    expect(cache.write.beginBulkLoad()).toBe(true);
    expect(indexes(sql)).toEqual([]);
    // The process dies here: the next start rebuilds what the load had deferred.
    sql.close();
    const reopened = open(file);
    expect(indexes(reopened.sql)).toEqual(before);
    expect(reopened.meta.getMeta('deferred_indexes')).toBeNull();
    reopened.sql.close();
  });

  it('does nothing on a cache that already holds tickets', () => {
    const { sql, cache } = open(join(dir, 'u.sqlite'));
    sql
      .prepare("insert into tickets(id, event_id, ticket_type_id, code, status, paid, seq) values ('t', 'e', 'y', 'C', 'valid', 1, 1)")
      .run();
    expect(cache.write.beginBulkLoad()).toBe(false);
    expect(indexes(sql)).toContain('tickets_code_idx');
    sql.close();
  });
});
