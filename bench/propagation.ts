// Propagation of a check-in from terminal A to terminal B with 20 terminals connected (server on
// PostgreSQL, real HTTP and WebSocket): from A's scan to B's cache holding the check-in, p50/p99;
// the baseline in the same run is one bare HTTP round trip to the server.
// Target: p99 < 250 ms.   Run: npx tsx bench/propagation.ts [rounds]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { createCore, type Core } from '../electron/core/core';
import { createServer } from '../server/src/app';
import { openServerDb } from '../server/src/db/client';
import { startPostgres } from '../tests/helpers/postgres';
import { fmt, summarize } from './lib';

const ROUNDS = Number(process.argv[2] ?? 300);
const TERMINALS = 20;
const work = mkdtempSync(join(tmpdir(), 'admit-bench-prop-'));
const pgc = await startPostgres();
const db = await openServerDb({ databaseUrl: pgc.url });
const server = createServer({ db, dataDir: join(work, 'server') });
const { url } = await server.listen({ host: '127.0.0.1', port: 0 });
await server.admin.seedDemo({ tickets: ROUNDS + 100 });
const quiet = { warn: () => undefined, error: () => undefined };
const cores: Core[] = [];
for (let i = 0; i < TERMINALS; i++) {
  const core = await createCore({ dataDir: join(work, `t${i}`), migrationsFolder: 'migrations/local', shell: 'service', demo: false, version: 'bench', logger: quiet });
  await core.sync.pair(url, (await server.admin.createPairingCode()).code, `T${i}`);
  core.sync.start();
  cores.push(core);
}
await Promise.all(cores.map((c) => c.sync.pull()));
const client = new pg.Client({ connectionString: pgc.url });
await client.connect();
const codes = (await client.query<{ code: string }>('select code from tickets limit $1', [ROUNDS])).rows.map((r) => r.code);
await client.end();

const samples: number[] = [];
const rtt: number[] = [];
for (let i = 0; i < ROUNDS; i++) {
  const a = cores[i % TERMINALS]!;
  const b = cores[(i + 7) % TERMINALS]!;
  const s0 = performance.now();
  await fetch(`${url}/v1/changes?since=999999999&limit=1`, { headers: { authorization: `Bearer ${a.meta.getMeta('device_token')}` } });
  rtt.push(performance.now() - s0);
  const start = performance.now();
  const v = await a.gate.scan(codes[i]!, null);
  if (!v.admitted || !v.ticketId) throw new Error(`not admitted: ${v.reason}`);
  const ticketId = v.ticketId;
  await new Promise<void>((resolve) => {
    const check = () => {
      if (b.checkins.history(ticketId).length > 0) {
        b.sync.off('changes', check);
        resolve();
      }
    };
    b.sync.on('changes', check);
    check();
  });
  samples.push(performance.now() - start);
}
const p = summarize(samples);
const r = summarize(rtt);
console.log(`${TERMINALS} terminals connected, ${ROUNDS} check-ins`);
console.log(`bare HTTP round trip     p50 ${fmt(r.p50)}  p99 ${fmt(r.p99)}`);
console.log(`propagation A → B        p50 ${fmt(p.p50)}  p99 ${fmt(p.p99)}`);
console.log(`ratio to round trip      p50 ${(p.p50 / r.p50).toFixed(1)}x  p99 ${(p.p99 / r.p99).toFixed(1)}x`);
console.log(`target p99 < 250 ms: ${p.p99 < 250 ? 'met' : 'NOT met'}`);
for (const c of cores) await c.close();
await server.close();
await db.close();
await pgc.stop();
rmSync(work, { recursive: true, force: true });
