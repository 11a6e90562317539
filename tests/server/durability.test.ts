// Acknowledged writes are on disk: the embedded PGlite server database runs with fsync on and each
// commit reaches the disk through a real fsync, and the terminal's SQLite commits synchronously
// (WAL + synchronous=FULL) unless a benchmark explicitly turns that off to measure it.
import { sql } from 'drizzle-orm';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openLocalDb } from '../../electron/core/db/open';
import { openServerDb } from '../../server/src/db/client';
import { fsyncCount } from '../../server/src/db/durable-pglite';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'admit-durable-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('durable writes', () => {
  it('PGlite on a data directory runs with fsync on and syncs every commit to the disk', async () => {
    const handle = await openServerDb({ dataDir: tmp() });
    try {
      const setting = async (name: string) =>
        ((await handle.db.execute(sql.raw(`select current_setting('${name}') as v`))) as unknown as { rows: { v: string }[] }).rows[0]!.v;
      expect(await setting('fsync')).toBe('on');
      expect(await setting('synchronous_commit')).toBe('on');
      await handle.db.execute(sql`create table durability_probe(x int)`);
      const before = fsyncCount();
      for (let i = 0; i < 5; i++) await handle.db.execute(sql`insert into durability_probe values (${i})`);
      expect(fsyncCount() - before).toBeGreaterThanOrEqual(5);
    } finally {
      await handle.close();
    }
  }, 300_000);

  it('the terminal database commits synchronously (FULL), and only an explicit opt-out relaxes it', () => {
    const durable = openLocalDb(join(tmp(), 't.sqlite'), 'migrations/local');
    const relaxed = openLocalDb(join(tmp(), 't.sqlite'), 'migrations/local', { durable: false });
    try {
      expect(durable.$client.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(durable.$client.pragma('synchronous', { simple: true })).toBe(2);
      expect(relaxed.$client.pragma('synchronous', { simple: true })).toBe(1);
    } finally {
      durable.$client.close();
      relaxed.$client.close();
    }
  });
});
