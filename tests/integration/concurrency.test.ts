// The same tickets presented at 2 and then 20 gates at the same instant, while one busy-looping process
// per CPU core keeps the machine loaded: real cores on real SQLite, one real server over TCP and
// WebSocket, on PGlite and on PostgreSQL. Every ticket is admitted exactly once — by the gates' verdicts
// and by the server's check-ins — and every verdict is confirmed by the server (none decided locally:
// the link stays up, and a slow answer is waited for). The gates' claim bound is generous here so the
// outcome cannot depend on how fast this machine is; the default bound's margin is what
// bench/claim-latency.ts measures.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Verdict } from '../../electron/contract';
import { createCore, type Core } from '../../electron/core/core';
import { createServer, type AdmitServer } from '../../server/src/app';
import { openServerDb, type ServerDbHandle } from '../../server/src/db/client';
import { startCpuBurner, type CpuBurner } from '../helpers/cpu-burner';
import { startPostgres } from '../helpers/postgres';
import { openTerminalDb } from '../helpers/terminal-db';
import { waitFor } from '../helpers/wait';

const GATES = 20;
const quiet = { warn: () => undefined, error: () => undefined };
const backends = [
  { name: 'PGlite', start: async () => ({ url: undefined as string | undefined, stop: async () => undefined }) },
  ...(process.env['ADMIT_SKIP_POSTGRES_TESTS'] ? [] : [{ name: 'PostgreSQL', start: async () => startPostgres() }]),
];

describe.each(backends)('the same tickets at many gates at once, under CPU load, on $name', (backend) => {
  const cleanups: Array<() => Promise<unknown> | unknown> = [];
  let server: AdmitServer;
  let db: ServerDbHandle;
  const gates: Core[] = [];
  let codes: { id: string; code: string }[] = [];
  let burner: CpuBurner | null = null;
  let used = 0;

  beforeAll(async () => {
    const work = mkdtempSync(join(tmpdir(), 'admit-concurrency-'));
    cleanups.push(() => rmSync(work, { recursive: true, force: true }));
    const pg = await backend.start();
    cleanups.push(() => pg.stop());
    db = await openServerDb(pg.url ? { databaseUrl: pg.url, maxConnections: 20 } : {});
    cleanups.push(() => db.close());
    server = createServer({ db, dataDir: join(work, 'server') });
    cleanups.push(() => server.close());
    const { url } = await server.listen({ host: '127.0.0.1', port: 0 });
    await server.admin.seedDemo({ tickets: 200 });
    const started = Date.now();
    await Promise.all(
      Array.from({ length: GATES }, async (_, i) => {
        const core = await createCore({ dataDir: join(work, `g${i}`), migrationsFolder: 'migrations/local', shell: 'service', demo: false, version: 'test', logger: quiet, claimBoundMs: 60_000 });
        cleanups.push(() => core.close());
        await core.sync.pair(url, (await server.admin.createPairingCode()).code, `Gate ${i}`);
        core.sync.start();
        gates[i] = core;
      }),
    );
    await Promise.all(gates.map((g) => g.sync.pull()));
    console.log(`${GATES} gates paired and synced in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    await waitFor(() => gates.every((g) => g.sync.isOnline), 30_000, 'every gate online');
    const sql = openTerminalDb(join(work, 'g0'), { readonly: true });
    codes = sql.prepare("select id, code from tickets where status = 'valid' and paid = 1 order by code").all() as typeof codes;
    sql.close();
    expect(codes.length).toBeGreaterThanOrEqual(100);
    burner = startCpuBurner();
    cleanups.push(() => burner?.stop());
  }, 300_000);

  afterAll(async () => {
    for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => undefined);
  });

  it.each([
    { n: 2, tickets: 24, together: 4 },
    { n: 20, tickets: 12, together: 2 },
  ])('$n gates: each ticket admitted exactly once, every verdict confirmed', async ({ n, tickets, together }) => {
    const mine = codes.slice(used, used + tickets);
    used += tickets;
    const verdicts: Verdict[] = [];
    // A few tickets per round, each presented at all n gates in the same tick.
    for (let r = 0; r < mine.length; r += together) {
      const round = mine.slice(r, r + together);
      verdicts.push(...(await Promise.all(round.flatMap((t) => gates.slice(0, n).map((g) => g.gate.scan(t.code, null))))));
    }
    expect(verdicts).toHaveLength(tickets * n);
    expect(verdicts.filter((v) => v.confirmation !== 'confirmed')).toEqual([]);
    const admittedBy = new Map<string, number>();
    for (const v of verdicts) if (v.admitted) admittedBy.set(v.ticketId!, (admittedBy.get(v.ticketId!) ?? 0) + 1);
    for (const t of mine) expect(admittedBy.get(t.id) ?? 0, `admissions of ${t.code}`).toBe(1);
    expect(verdicts.filter((v) => !v.admitted).map((v) => v.reason)).toEqual(Array(tickets * (n - 1)).fill('already_used'));
    // The server holds exactly one check-in per ticket, accepted.
    for (const t of mine) {
      const list = await server.admin.listCheckins({ ticketId: t.id, limit: 100 });
      expect(list.map((c) => c.status), `server check-ins of ${t.code}`).toEqual(['accepted']);
    }
  }, 300_000);
});
