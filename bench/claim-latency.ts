// Claim latency with 20 terminals on one server: every terminal claims an admission over its WebSocket
// at the same instant, round after round (distinct tickets; then rounds where all 20 claim the same
// ticket), p50/p99 — next to a bare WebSocket round trip on the same server and the same kind of
// socket, measured in the same run (a ping answered with the server's clock, 20 at once). Every round
// starts from a quiet server (the pulls the previous round's pokes caused are done). Prints the ratio,
// and how many claims would have passed the gate's 2 s bound.
// Run: npx tsx bench/claim-latency.ts [rounds] [pglite|postgres|both]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { createCore, type Core } from '../electron/core/core';
import { createServer } from '../server/src/app';
import { openServerDb } from '../server/src/db/client';
import { startPostgres } from '../tests/helpers/postgres';
import { openTerminalDb } from '../tests/helpers/terminal-db';
import { fmt, summarize } from './lib';

const ROUNDS = Number(process.argv[2] ?? 100);
const which = process.argv[3] ?? 'both';
const TERMINALS = 20;
const CONTENDED_ROUNDS = Math.max(10, Math.floor(ROUNDS / 5));
const BOUND_MS = 2000;
const quiet = { warn: () => undefined, error: () => undefined };

async function run(backend: 'pglite' | 'postgres') {
  const work = mkdtempSync(join(tmpdir(), 'admit-bench-claim-'));
  const pgc = backend === 'postgres' ? await startPostgres() : null;
  const db = await openServerDb(pgc ? { databaseUrl: pgc.url, maxConnections: 20 } : {});
  const server = createServer({ db, dataDir: join(work, 'server') });
  const { url } = await server.listen({ host: '127.0.0.1', port: 0 });
  await server.admin.seedDemo({ tickets: ROUNDS * TERMINALS + CONTENDED_ROUNDS + 100 });
  const cores: Core[] = [];
  for (let i = 0; i < TERMINALS; i++) {
    const core = await createCore({ dataDir: join(work, `t${i}`), migrationsFolder: 'migrations/local', shell: 'service', demo: false, version: 'bench', logger: quiet });
    await core.sync.pair(url, (await server.admin.createPairingCode()).code, `T${i}`);
    core.sync.start();
    cores.push(core);
  }
  await Promise.all(cores.map((c) => c.sync.pull()));
  while (!cores.every((c) => c.sync.isOnline)) await new Promise((r) => setTimeout(r, 50));
  const sql = openTerminalDb(join(work, 't0'), { readonly: true });
  const tickets = (sql.prepare("select id from tickets where status = 'valid' order by id").all() as { id: string }[]).map((t) => t.id);
  sql.close();

  // Bare round trips: a second socket per terminal (same server, same authentication), pinged 20 at once.
  const sockets = await Promise.all(
    cores.map(
      (c) =>
        new Promise<WebSocket>((resolve, reject) => {
          const ws = new WebSocket(url.replace(/^http/, 'ws') + '/v1/ws', { headers: { authorization: `Bearer ${c.meta.getMeta('device_token')}` } });
          ws.once('open', () => resolve(ws)).once('error', reject);
        }),
    ),
  );
  const ping = (ws: WebSocket, id: string) =>
    new Promise<number>((resolve) => {
      const start = performance.now();
      const on = (data: WebSocket.RawData) => {
        if ((JSON.parse(String(data)) as { id?: string }).id !== id) return;
        ws.off('message', on);
        resolve(performance.now() - start);
      };
      ws.on('message', on);
      ws.send(JSON.stringify({ type: 'ping', id }));
    });
  const claim = async (core: Core, ticketId: string) => {
    const start = performance.now();
    const r = await core.sync.claim(core.sync.newId(), ticketId, core.sync.clock.now().toISOString());
    return { ms: performance.now() - start, outcome: r.outcome };
  };

  const bare: number[] = [];
  const claims: number[] = [];
  const contended: number[] = [];
  const outcomes: Record<string, number> = {};
  const count = (o: string) => (outcomes[o] = (outcomes[o] ?? 0) + 1);
  // Warm both paths.
  for (let i = 0; i < 5; i++) await Promise.all(sockets.map((ws, j) => ping(ws, `w${i}:${j}`)));
  let next = 0;
  // Each claim pokes every terminal into pulling; both measurements start from a quiet server.
  const quiesce = () => Promise.all(cores.map((core) => core.sync.pull()));
  for (let r = 0; r < ROUNDS; r++) {
    await quiesce();
    bare.push(...(await Promise.all(sockets.map((ws, j) => ping(ws, `p${r}:${j}`)))));
    await quiesce();
    for (const c of await Promise.all(cores.map((core) => claim(core, tickets[next++]!)))) {
      claims.push(c.ms);
      count(c.outcome);
    }
  }
  let wins = 0;
  for (let r = 0; r < CONTENDED_ROUNDS; r++) {
    const ticket = tickets[next++]!;
    await quiesce();
    const round = await Promise.all(cores.map((core) => claim(core, ticket)));
    for (const c of round) contended.push(c.ms);
    wins += round.filter((c) => c.outcome === 'accepted').length;
    for (const c of round) if (c.outcome !== 'accepted' && c.outcome !== 'conflict') count(c.outcome);
  }

  const b = summarize(bare);
  const c = summarize(claims);
  const k = summarize(contended);
  const late = [...claims, ...contended].filter((ms) => ms >= BOUND_MS).length;
  console.log(`\n${backend === 'postgres' ? 'PostgreSQL' : 'PGlite'} — ${TERMINALS} terminals, ${claims.length} claims of distinct tickets, ${contended.length} in ${CONTENDED_ROUNDS} rounds of one ticket at all ${TERMINALS}`);
  console.log(`bare WebSocket round trip  p50 ${fmt(b.p50)}  p99 ${fmt(b.p99)}  (n=${b.n})`);
  console.log(`claim, distinct tickets    p50 ${fmt(c.p50)}  p99 ${fmt(c.p99)}  max ${fmt(c.max)}`);
  console.log(`claim, same ticket at 20   p50 ${fmt(k.p50)}  p99 ${fmt(k.p99)}  max ${fmt(k.max)}  (${wins} accepted in ${CONTENDED_ROUNDS} rounds)`);
  console.log(`ratio claim/bare           p50 ${(c.p50 / b.p50).toFixed(1)}x  p99 ${(c.p99 / b.p99).toFixed(1)}x`);
  console.log(`claims past the ${BOUND_MS} ms bound: ${late}; outcomes other than accepted/conflict: ${JSON.stringify(Object.fromEntries(Object.entries(outcomes).filter(([o]) => o !== 'accepted')))}`);
  if (wins !== CONTENDED_ROUNDS) console.log(`NOT one winner per contended round: ${wins} of ${CONTENDED_ROUNDS}`);

  for (const ws of sockets) ws.terminate();
  for (const core of cores) await core.close();
  await server.close();
  await db.close();
  await pgc?.stop();
  rmSync(work, { recursive: true, force: true });
}

if (which === 'pglite' || which === 'both') await run('pglite');
if (which === 'postgres' || which === 'both') await run('postgres');
