// Child of bench/memory.ts: fills the cache, or measures a bare process or a working core.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { createCore } from '../electron/core/core';
import { fillCache, ticketCode } from './lib';

const [mode, dir, n] = process.argv.slice(2) as [string, string, string];
const N = Number(n);
const report = () => {
  global.gc?.();
  const m = process.memoryUsage();
  process.send!({ rssMb: m.rss / 1048576, heapMb: m.heapUsed / 1048576 });
  setTimeout(() => process.exit(0), 50);
};
if (mode === 'bare') {
  const db = new Database(join(dir, 'terminal.sqlite'));
  db.prepare('select count(*) from tickets').get();
  report();
} else {
  const core = await createCore({ dataDir: dir, migrationsFolder: 'migrations/local', shell: 'service', demo: false, version: 'bench' });
  if (mode === 'fill') {
    const prefix = fillCache(core.sync, N, 'MEM');
    core.meta.setMeta('bench_prefix', prefix);
    await core.close();
    process.send!({ rssMb: 0, heapMb: 0 });
    setTimeout(() => process.exit(0), 50);
  } else {
    for (let i = 0; i < 10_000; i++) await core.gate.scan(ticketCode('MEM', (i * 7919) % N), null);
    report();
  }
}
