// The terminal's audit trail through real paths: a core on real SQLite paired over HTTP with a server on
// PGlite. Operator actions (failed and good sign-ins, a point change, open-all and release, a role
// refusal, sign-out) are chained in terminal.sqlite, each hash recomputed here; the chain reaches the
// server whole; a manager reads it with audit.list and a cashier cannot. Entries written while the
// terminal was not paired survive a restart and are pushed later; one changed by hand in terminal.sqlite
// (its append-only trigger dropped first) is flagged by the server on push and by the terminal itself.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENESIS_HASH } from '../../domain/audit';
import { auditHash } from '../../domain/audit-chain';
import type { CallOutput } from '../../electron/contract';
import { createCore, type Core } from '../../electron/core/core';
import { createServer, type AdmitServer } from '../../server/src/app';
import { openServerDb, type ServerDbHandle } from '../../server/src/db/client';
import { openTerminalDb } from '../helpers/terminal-db';
import { waitFor } from '../helpers/wait';
import { loginAs } from '../helpers/login';

type Row = {
  seq: number;
  id: string;
  at: string;
  device_id: string | null;
  operator_id: string | null;
  action: string;
  subject: string | null;
  detail: string;
  prev_hash: string;
  hash: string;
};

const quiet = { warn: () => undefined, error: () => undefined };
let work: string;
let db: ServerDbHandle;
let server: AdmitServer;
let serverUrl: string;
const cores: Core[] = [];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'admit-audit-'));
  db = await openServerDb();
  server = createServer({ db, adminToken: 'audit-admin' });
  serverUrl = (await server.listen({ host: '127.0.0.1', port: 0 })).url;
  await server.admin.seedDemo({ tickets: 5 });
}, 300_000);

afterAll(async () => {
  for (const c of cores) await c.close().catch(() => undefined);
  await server?.close();
  await db?.close();
  rmSync(work, { recursive: true, force: true });
});

async function openCore(name: string): Promise<Core> {
  const core = await createCore({
    dataDir: join(work, name),
    migrationsFolder: 'migrations/local',
    shell: 'service',
    demo: false,
    version: 'test',
    logger: quiet,
    audit: { retryMs: 100 },
  });
  cores.push(core);
  return core;
}

async function closeCore(core: Core): Promise<void> {
  await core.close();
  cores.splice(cores.indexOf(core), 1);
}

async function pair(core: Core, name: string): Promise<string> {
  const { code } = await server.admin.createPairingCode();
  const r = await core.dispatch('setup', 'terminal.pair', { serverUrl, code, terminalName: name });
  expect(r).toMatchObject({ ok: true, value: { paired: true } });
  return core.sync.deviceId!;
}

function rowsOf(name: string): Row[] {
  const sqlite = openTerminalDb(join(work, name), { readonly: true });
  try {
    return sqlite.prepare('select * from audit_log order by seq').all() as Row[];
  } finally {
    sqlite.close();
  }
}

/** Recomputes every hash and link of a stored chain. */
function expectChainHolds(rows: Row[]): void {
  let prev = GENESIS_HASH;
  rows.forEach((r, i) => {
    expect(r.seq).toBe(i + 1);
    expect(r.prev_hash).toBe(prev);
    const { device_id, operator_id, prev_hash, hash, ...rest } = r;
    expect(auditHash({ ...rest, deviceId: device_id, operatorId: operator_id, prevHash: prev_hash })).toBe(hash);
    prev = hash;
  });
}

const serverChain = async (deviceId: string) => server.admin.listAuditEntries({ chain: deviceId, limit: 1000 });

describe('audit trail of a terminal', () => {
  it('chains operator actions in SQLite, pushes them whole, and lets managers (not cashiers) read them', async () => {
    const core = await openCore('front');
    const deviceId = await pair(core, 'Front gate');

    expect(await loginAs(core, 'm', { role: 'manager' }, '424242')).toMatchObject({ ok: false, error: { code: 'bad_pin' } });
    expect(await loginAs(core, 'm', { role: 'manager' }, '999999')).toMatchObject({ ok: true, value: { role: 'manager' } });
    const points = (await core.dispatch('m', 'gate.points', {})) as { ok: true; value: CallOutput<'gate.points'> };
    const exit = points.value.points.find((p) => p.direction === 'exit')!;
    expect(await core.dispatch('m', 'gate.setPoint', { pointId: exit.id })).toMatchObject({ ok: true });
    expect(await core.dispatch('m', 'devices.openAll', {})).toMatchObject({ ok: true });
    expect(await core.dispatch('m', 'devices.release', {})).toMatchObject({ ok: true });
    expect(await loginAs(core, 'c', { role: 'cashier' }, '111111')).toMatchObject({ ok: true, value: { role: 'cashier' } });
    expect(await core.dispatch('c', 'devices.openAll', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // Role check in the core: a cashier cannot read the trail.
    expect(await core.dispatch('c', 'audit.list', { limit: 50 })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await core.dispatch('c', 'session.logout', {})).toMatchObject({ ok: true });

    const rows = rowsOf('front');
    expectChainHolds(rows);
    expect(rows.map((r) => r.action)).toEqual([
      'pairing',
      'login_failed',
      'login',
      'point_change',
      'open_all',
      'release',
      'login',
      'open_all',
      'logout',
    ]);
    const refused = rows[7]!;
    expect(JSON.parse(refused.detail)).toMatchObject({ result: 'forbidden' });
    expect(rows[3]).toMatchObject({ subject: exit.id });
    expect(rows.every((r) => r.device_id === deviceId)).toBe(true);
    // No PIN anywhere in the trail.
    const text = JSON.stringify(rows);
    for (const pin of ['424242', '999999', '111111']) expect(text).not.toContain(pin);

    // The server holds the chain whole, with no break; operator ids reach it.
    await waitFor(async () => (await serverChain(deviceId)).length === rows.length, 30_000, 'the chain at the server');
    const stored = await serverChain(deviceId);
    expect(stored.map((e) => e.hash).reverse()).toEqual(rows.map((r) => r.hash));
    expect(stored.filter((e) => e.operatorId !== null).length).toBeGreaterThan(0);
    expect(await server.admin.listAuditBreaks({ chain: deviceId })).toEqual([]);
    // The server's own chain has the pairing.
    const own = await server.admin.listAuditEntries({ chain: 'server', limit: 100 });
    expect(own.find((e) => e.action === 'device_paired' && e.subject === deviceId)).toBeTruthy();

    // A manager reads it, newest first, with names, a verified chain and what the server holds.
    type Listed = { ok: true; value: CallOutput<'audit.list'> };
    await waitFor(async () => ((await core.dispatch('m', 'audit.list', { limit: 50 })) as Listed).value.chain.pushedSeq >= rows.length, 30_000, 'pushed marks');
    const { entries, chain } = ((await core.dispatch('m', 'audit.list', { limit: 50 })) as Listed).value;
    expect(chain).toMatchObject({ verified: true, length: rows.length, firstBreakSeq: null, serverBreaks: 0, pushedSeq: rows.length });
    expect(entries.map((e) => e.action)).toEqual(rows.map((r) => r.action).reverse());
    expect(entries.every((e) => e.pushed && e.verified)).toBe(true);
    expect(entries.find((e) => e.action === 'open_all' && e.result === 'forbidden')).toMatchObject({ operatorName: 'Cashier' });
    expect(entries.find((e) => e.action === 'point_change')).toMatchObject({ operatorName: 'Manager', result: 'ok', verified: true });

    // A sale and a device configuration change follow on the same chain.
    const catalog = (await core.dispatch('m', 'boxOffice.catalog', {})) as { ok: true; value: CallOutput<'boxOffice.catalog'> };
    const type = catalog.value.ticketTypes.find((tt) => tt.priceMinor > 0)!;
    const sold = await core.dispatch('m', 'boxOffice.sell', { lines: [{ ticketTypeId: type.id, quantity: 2 }], payment: { method: 'cash', tenderedMinor: type.priceMinor * 2 } });
    expect(sold).toMatchObject({ ok: true });
    const order = (sold as { ok: true; value: CallOutput<'boxOffice.sell'> }).value.order;
    core.configureDevices([]);
    const after = rowsOf('front');
    expectChainHolds(after);
    expect(after.slice(rows.length).map((r) => [r.action, r.subject])).toEqual([
      ['sale', order.id],
      ['device_config', null],
    ]);
    expect(JSON.parse(after[rows.length]!.detail)).toMatchObject({ tickets: 2, totalMinor: type.priceMinor * 2, orderCode: order.code, result: 'ok' });
    // Ticket codes stay out of the trail.
    for (const t of order.tickets) expect(JSON.stringify(after)).not.toContain(t.code);
    await waitFor(async () => (await serverChain(deviceId)).length === after.length, 30_000, 'the sale at the server');
  });

  it('keeps entries across a restart, pushes them once paired, and flags one changed by hand', async () => {
    let core = await openCore('back');
    // Not paired yet: three failed sign-ins are recorded locally.
    for (const pin of ['123456', '234567', '345678']) {
      expect(await core.dispatch('x', 'session.login', { operatorId: '0190a000-0000-7000-8000-00000000beef', pin })).toMatchObject({ ok: false, error: { code: 'bad_pin' } });
    }
    await closeCore(core);
    const before = rowsOf('back');
    expect(before.map((r) => r.action)).toEqual(['login_failed', 'login_failed', 'login_failed']);
    expectChainHolds(before);

    // Someone with the file rewrites entry 2; the table refuses until its trigger is dropped.
    const sqlite = openTerminalDb(join(work, 'back'));
    expect(() => sqlite.prepare("update audit_log set detail = '{\"result\":\"ok\"}' where seq = 2").run()).toThrow(/append-only/);
    expect(() => sqlite.prepare('delete from audit_log where seq = 3').run()).toThrow(/append-only/);
    sqlite.exec('drop trigger audit_log_no_update');
    sqlite.prepare("update audit_log set detail = '{\"result\":\"ok\"}' where seq = 2").run();
    sqlite.close();

    // Restarted: the entries are still there and go to the server once the terminal is paired.
    core = await openCore('back');
    expect(rowsOf('back')).toHaveLength(3);
    const deviceId = await pair(core, 'Back gate');
    await waitFor(async () => (await serverChain(deviceId)).length >= 4, 30_000, 'the chain at the server');
    const breaks = await server.admin.listAuditBreaks({ chain: deviceId });
    expect(breaks.map((b) => `${b.seq}:${b.kind}`)).toEqual(['2:hash']);
    const stored = await serverChain(deviceId);
    expect(stored.map((e) => [e.seq, e.action, e.hashOk])).toEqual([
      [4, 'pairing', true],
      [3, 'login_failed', true],
      [2, 'login_failed', false],
      [1, 'login_failed', true],
    ]);

    // The terminal sees it too.
    expect(await loginAs(core, 'm', { role: 'manager' }, '999999')).toMatchObject({ ok: true });
    await waitFor(async () => (await serverChain(deviceId)).length >= 5, 30_000, 'the sign-in at the server');
    const listed = (await core.dispatch('m', 'audit.list', { limit: 10 })) as { ok: true; value: CallOutput<'audit.list'> };
    expect(listed.value.chain).toMatchObject({ verified: false, firstBreakSeq: 2, serverBreaks: 1 });
    expect(listed.value.entries.find((e) => e.seq === 2)).toMatchObject({ verified: false });
    expect(listed.value.entries.find((e) => e.seq === 3)).toMatchObject({ verified: true });

    // Another restart: what the server acknowledged is not sent again as new, and new entries follow on.
    await closeCore(core);
    core = await openCore('back');
    expect(await loginAs(core, 'm2', { role: 'manager' }, '999999')).toMatchObject({ ok: true });
    await waitFor(async () => (await serverChain(deviceId)).length >= 6, 30_000, 'the entry after the restart');
    expect((await serverChain(deviceId))[0]).toMatchObject({ seq: 6, action: 'login', hashOk: true });
    expect((await server.admin.listAuditBreaks({ chain: deviceId })).length).toBe(1);
  });
});
