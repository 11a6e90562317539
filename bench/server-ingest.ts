// Ingest benchmark of the central server's POST /v1/push on a real PostgreSQL:
//   npx tsx bench/server-ingest.ts [--rows 200000] [--tickets 100000] [--clients 20] [--batch 500] [--pool 10]
// Starts a throwaway PostgreSQL cluster (tests/helpers/postgres.ts), seeds the demo event with --tickets
// tickets, pairs --clients terminals and lets them push --batch-record check-in batches concurrently over
// real HTTP until --rows rows are in. Every ticket is scanned at the main entrance once, then again (half
// of the second pass leaves through the main exit, the other half tries to re-enter: conflicts, kept), so
// the rules, the ticket locks and the conflict path all carry load. As the baseline, the same rows are
// then written by the same number of concurrent `pg` clients as bare multi-row INSERTs into a plain table
// (primary key only). Prints both rates and their ratio; the target is > 10,000 rows/s.
import { parseArgs } from 'node:util';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import type { Direction } from '../domain/enums';
import { type PushResponse, REQUEST_ID_HEADER } from '../domain/wire';
import { createServer } from '../server/src/app';
import { openServerDb } from '../server/src/db/client';
import { DEMO_EVENT_ID, DEMO_POINT_IDS } from '../server/src/services/demo';
import { startPostgres } from '../tests/helpers/postgres';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '200000' },
    tickets: { type: 'string', default: '100000' },
    clients: { type: 'string', default: '20' },
    batch: { type: 'string', default: '500' },
    pool: { type: 'string', default: '10' },
  },
});
const ROWS = Number(values.rows);
const TICKETS = Number(values.tickets);
const CLIENTS = Number(values.clients);
const BATCH = Number(values.batch);
const POOL = Number(values.pool);
const TARGET = 10_000;

type Row = { id: string; ticketId: string; at: string; pointId: string; direction: Direction };

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** Runs `work(i)` for i in [0, n) on `concurrency` workers; returns the elapsed milliseconds. */
async function pool(n: number, concurrency: number, work: (i: number, worker: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let i = next++; i < n; i = next++) await work(i, worker);
    }),
  );
  return performance.now() - started;
}

async function main(): Promise<void> {
  console.log(`server ingest: ${fmt(ROWS)} rows, ${fmt(TICKETS)} tickets, ${CLIENTS} clients × ${BATCH}-record batches, pool ${POOL}`);
  const postgres = await startPostgres();
  const handle = await openServerDb({ databaseUrl: postgres.url, maxConnections: POOL });
  const server = createServer({ db: handle, adminToken: 'bench-admin-token', logger: false });
  const raw = new pg.Pool({ connectionString: postgres.url, max: CLIENTS });
  raw.on('error', () => {}); // an idle connection dropped at shutdown is no failure of the bench
  try {
    const { url } = await server.listen({ host: '127.0.0.1', port: 0 });

    const started = performance.now();
    await server.admin.seedDemo({ tickets: TICKETS });
    console.log(`seedDemo(${fmt(TICKETS)}): ${seconds(performance.now() - started)}`);

    const terminals: { deviceId: string; token: string }[] = [];
    for (let i = 0; i < CLIENTS; i++) {
      const { code } = await server.admin.createPairingCode();
      const res = await fetch(`${url}/v1/pair`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [REQUEST_ID_HEADER]: uuidv7() },
        body: JSON.stringify({ code, name: `Gate ${i + 1}` }),
      });
      if (!res.ok) throw new Error(`pairing failed: ${res.status} ${await res.text()}`);
      terminals.push((await res.json()) as { deviceId: string; token: string });
    }

    // The workload, built up front so the clients only send: pass 1 admits every ticket at the main
    // entrance (in shuffled order), pass 2 scans every ticket again.
    const ids = (await raw.query<{ id: string }>('select id from tickets where event_id = $1', [DEMO_EVENT_ID])).rows.map(
      (r) => r.id,
    );
    for (let i = ids.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [ids[i], ids[j]] = [ids[j]!, ids[i]!];
    }
    const t0 = Date.now() - 3_600_000;
    const rows: Row[] = Array.from({ length: ROWS }, (_, n) => {
      const second = Math.floor(n / ids.length) % 2 === 1;
      const exit = second && n % 2 === 0;
      return {
        id: uuidv7(),
        ticketId: ids[n % ids.length]!,
        at: new Date(t0 + n * 10).toISOString(),
        pointId: exit ? DEMO_POINT_IDS.mainExit : DEMO_POINT_IDS.mainEntrance,
        direction: exit ? 'exit' : 'entry',
      };
    });
    const batches = Array.from({ length: Math.ceil(ROWS / BATCH) }, (_, b) =>
      JSON.stringify({ records: rows.slice(b * BATCH, (b + 1) * BATCH).map((r) => ({ ...r, kind: 'checkin' })) }),
    );

    // Warm-up (JIT, connections) on a few throwaway rows that are not counted.
    const counts = { accepted: 0, conflict: 0, duplicate: 0, invalid: 0 };
    const pushBatch = async (body: string, worker: number) => {
      const res = await fetch(`${url}/v1/push`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${terminals[worker]!.token}`,
          [REQUEST_ID_HEADER]: uuidv7(),
        },
        body,
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`push failed: ${res.status} ${text}`);
      // Parsed loosely: the client side of the bench should cost the shared CPU as little as possible.
      return (JSON.parse(text) as PushResponse).results;
    };
    await pool(CLIENTS, CLIENTS, async (i, worker) => {
      const warm = [{ id: uuidv7(), kind: 'failed_scan', code: `WARMUP-${i}`, ticketId: null, reason: 'unknown', at: new Date().toISOString(), pointId: null }];
      await pushBatch(JSON.stringify({ records: warm }), worker);
    });

    const elapsed = await pool(batches.length, CLIENTS, async (b, worker) => {
      for (const r of await pushBatch(batches[b]!, worker)) counts[r.status]++;
    });
    const stored = Number((await raw.query<{ n: string }>('select count(*) as n from checkins')).rows[0]!.n);
    if (stored !== ROWS) throw new Error(`expected ${ROWS} check-in rows, found ${stored}`);
    const rate = ROWS / (elapsed / 1000);
    console.log(
      `POST /v1/push:     ${fmt(ROWS)} rows in ${seconds(elapsed)} = ${fmt(rate)} rows/s ` +
        `(accepted ${fmt(counts.accepted)}, conflict ${fmt(counts.conflict)}, duplicate ${counts.duplicate}, invalid ${counts.invalid})`,
    );

    // Baseline: the same rows, same concurrency and batch size, as bare multi-row INSERTs through pg.
    await raw.query(`create table plain_checkins (
      id uuid primary key, ticket_id uuid not null, device_id uuid not null, at timestamptz not null,
      status text not null, point_id uuid, direction text not null)`);
    const baseline = await pool(batches.length, CLIENTS, async (b, worker) => {
      const chunk = rows.slice(b * BATCH, (b + 1) * BATCH);
      const params: unknown[] = [];
      const tuples = chunk.map((r) => {
        const k = params.push(r.id, r.ticketId, terminals[worker]!.deviceId, r.at, 'accepted', r.pointId, r.direction);
        return `($${k - 6}, $${k - 5}, $${k - 4}, $${k - 3}, $${k - 2}, $${k - 1}, $${k})`;
      });
      await raw.query(`insert into plain_checkins (id, ticket_id, device_id, at, status, point_id, direction) values ${tuples.join(', ')}`, params);
    });
    const baseRate = ROWS / (baseline / 1000);
    console.log(`bare INSERT (pg):  ${fmt(ROWS)} rows in ${seconds(baseline)} = ${fmt(baseRate)} rows/s`);
    console.log(`ratio push / bare INSERT: ${(rate / baseRate).toFixed(2)}`);
    console.log(rate > TARGET ? `OK: above the ${fmt(TARGET)} rows/s target` : `BELOW the ${fmt(TARGET)} rows/s target`);
    if (rate <= TARGET) process.exitCode = 1;
  } finally {
    await raw.end().catch(() => undefined);
    await server.close();
    await handle.close();
    await postgres.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
