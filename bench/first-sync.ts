// First sync of 1,000,000 tickets from the central server on PostgreSQL into an empty terminal, over
// real HTTP, against a bare bulk insert of the same rows into SQLite measured in the same run. The
// server runs in its own process, as it does in production, so its page queries overlap the
// terminal's writes instead of sharing one JavaScript thread with them.
// Target: < 15 s.   Run: npx tsx bench/first-sync.ts [tickets]
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createCore } from '../electron/core/core';
import { createServer } from '../server/src/app';
import { openServerDb } from '../server/src/db/client';
import { startPostgres } from '../tests/helpers/postgres';
import { openTerminalDb } from '../tests/helpers/terminal-db';

const N = Number(process.argv[2] ?? 1_000_000);
const work = mkdtempSync(join(tmpdir(), 'admit-bench-sync-'));
const pg = await startPostgres();
const db = await openServerDb({ databaseUrl: pg.url });
const seeder = createServer({ db, dataDir: join(work, 'server') });
let t = performance.now();
await seeder.admin.seedDemo({ tickets: N });
console.log(`server: ${N.toLocaleString('en')} tickets seeded on PostgreSQL in ${((performance.now() - t) / 1000).toFixed(1)} s`);
await seeder.close();
await db.close();

const serverProcess = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts', '--port', '0', '--data-dir', join(work, 'server'), 'pairing-code'], {
  env: { ...process.env, DATABASE_URL: pg.url },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const { url, code } = await new Promise<{ url: string; code: string }>((resolve, reject) => {
  let out = '';
  serverProcess.stdout!.on('data', (d) => {
    out += String(d);
    const u = /(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
    const c = /Pairing code: ([A-Z0-9]{4}-[A-Z0-9]{4})/.exec(out);
    if (u && c) resolve({ url: u[1]!, code: c[1]! });
  });
  serverProcess.on('exit', (c) => reject(new Error(`server exited ${c}: ${out}`)));
});

const core = await createCore({ dataDir: join(work, 'terminal'), migrationsFolder: 'migrations/local', shell: 'service', demo: false, version: 'bench' });
await core.sync.pair(url, code, 'Bench terminal');
t = performance.now();
await core.sync.pull();
const syncS = (performance.now() - t) / 1000;
const terminalDb = openTerminalDb(join(work, 'terminal'), { readonly: true });
const count = (terminalDb.prepare('select count(*) n from tickets').get() as { n: number }).n;
console.log(`first sync: ${count.toLocaleString('en')} tickets in ${syncS.toFixed(1)} s (${Math.round(count / syncS).toLocaleString('en')} rows/s)`);

// Baseline: the same rows, already in memory, bulk-inserted into an empty SQLite with the same schema.
const rows = terminalDb.prepare('select * from tickets').all() as Record<string, unknown>[];
const bare = new Database(join(work, 'bare.sqlite'));
bare.pragma('journal_mode = WAL');
bare.pragma('synchronous = NORMAL');
const schemaSql = (terminalDb.prepare("select sql from sqlite_master where tbl_name = 'tickets' and sql is not null").all() as { sql: string }[]).map((r) => r.sql);
for (const s of schemaSql) bare.exec(s);
const cols = Object.keys(rows[0]!);
const ins = bare.prepare(`insert into tickets(${cols.join(',')}) values (${cols.map((c) => '@' + c).join(',')})`);
t = performance.now();
for (let i = 0; i < rows.length; i += 5000) bare.transaction(() => rows.slice(i, i + 5000).forEach((r) => ins.run(r)))();
const bareS = (performance.now() - t) / 1000;
console.log(`baseline bare bulk insert into SQLite: ${bareS.toFixed(1)} s`);
console.log(`ratio first sync / bare insert: ${(syncS / bareS).toFixed(2)}x`);
console.log(`target < 15 s: ${syncS < 15 ? 'met' : 'NOT met'}`);
bare.close();
terminalDb.close();
await core.close();
serverProcess.kill('SIGTERM');
await new Promise((r) => serverProcess.once('exit', r));
await pg.stop();
rmSync(work, { recursive: true, force: true });
