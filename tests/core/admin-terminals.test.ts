// Admin mode's terminals and check-in points through a real core and a real server (PGlite, real HTTP):
// the list shows this terminal with the status it reported; renaming it reaches its sync status; a
// pairing code made in admin mode (with its QR image) pairs a second core, which then shows in the list
// and can be revoked; a point made in admin mode is restricted to one operator and one terminal, and the
// terminal learns it by sync; a cashier's calls are refused in the core and change nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pairingUri } from '../../domain/wire';
import type { AdminPoint, AdminPointsEvent, AdminTerminal, PairingCode, PointStaff, StaffMember } from '../../electron/contract';
import { createCore, type Core } from '../../electron/core/core';
import { createServer, type AdmitServer } from '../../server/src/app';
import { openServerDb, type ServerDbHandle } from '../../server/src/db/client';
import { DEMO_EVENT_ID } from '../../server/src/services/demo';
import { loginAs } from '../helpers/login';
import { waitFor } from '../helpers/wait';

const quiet = { warn: () => undefined, error: () => undefined };
const ADMIN_UI = 'admin-ui';
const CASHIER_UI = 'cashier-ui';

let work: string;
let db: ServerDbHandle;
let server: AdmitServer;
let serverUrl: string;
let core: Core;
let second: Core | null = null;

async function openCore(dir: string): Promise<Core> {
  return createCore({ dataDir: join(work, dir), migrationsFolder: 'migrations/local', shell: 'service', demo: false, version: 'test', logger: quiet });
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'admit-admin-terminals-'));
  db = await openServerDb();
  server = createServer({ db, adminToken: 'terminals-admin-token' });
  serverUrl = (await server.listen({ host: '127.0.0.1', port: 0 })).url;
  await server.admin.seedDemo({ tickets: 5 });
  core = await openCore('desk');
  const { code } = await server.admin.createPairingCode();
  expect(await core.dispatch('setup', 'terminal.pair', { serverUrl, code, terminalName: 'Admin desk' })).toMatchObject({ ok: true });
  await waitFor(() => core.sync.isOnline, 60_000, 'the desk to be online');
  await waitFor(
    async () => {
      const r = await core.dispatch('x', 'session.operators', {});
      return r.ok && (r.value as { role: string }[]).some((o) => o.role === 'admin') && core.secrets.get('pin_key') !== null;
    },
    60_000,
    'the operators and the PIN key to sync',
  );
  expect(await loginAs(core, ADMIN_UI, { role: 'admin' }, '000000')).toMatchObject({ ok: true });
}, 300_000);

afterAll(async () => {
  await second?.close().catch(() => undefined);
  await core?.close();
  await server?.close();
  await db?.close();
  rmSync(work, { recursive: true, force: true });
});

/** The value of a call that must have succeeded. */
function valueOf<T>(r: { ok: boolean; value?: unknown; error?: unknown }): T {
  if (!r.ok) throw new Error(`call failed: ${JSON.stringify(r.error)}`);
  return r.value as T;
}

const terminals = async () => valueOf<AdminTerminal[]>(await core.dispatch(ADMIN_UI, 'admin.terminals.list', {}));
const deviceId = () => core.sync.deviceId!;

describe('admin mode: terminals and points', () => {
  it('lists this terminal with the status it reported, and renames it', async () => {
    await waitFor(async () => (await terminals()).find((t) => t.id === deviceId())?.status !== null, 60_000, 'this terminal to report its status');
    const me = (await terminals()).find((t) => t.id === deviceId())!;
    expect(me).toMatchObject({ name: 'Admin desk', revokedAt: null, eventIds: [DEMO_EVENT_ID] });
    expect(me.lastSeenAt).not.toBeNull();
    expect(me.status).toMatchObject({ version: 'test', modes: ['box-office', 'gate', 'manager', 'admin'], outbox: 0, devices: [] });

    const renamed = await core.dispatch(ADMIN_UI, 'admin.terminals.update', { deviceId: deviceId(), name: 'Front desk' });
    expect(renamed).toMatchObject({ ok: true, value: { id: deviceId(), name: 'Front desk' } });
    expect((await terminals()).find((t) => t.id === deviceId())?.name).toBe('Front desk');
    await waitFor(() => core.sync.status().terminalName === 'Front desk', 60_000, 'the new name to reach the terminal');

    // Bad input changes nothing: an empty name (in the core), a point of no event it serves (at the server).
    expect(await core.dispatch(ADMIN_UI, 'admin.terminals.update', { deviceId: deviceId(), name: '   ' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await core.dispatch(ADMIN_UI, 'admin.terminals.update', { deviceId: deviceId(), pointId: '01900000-0000-7000-8000-0000000000ff' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect((await terminals()).find((t) => t.id === deviceId())?.name).toBe('Front desk');
  }, 300_000);

  it('a pairing code made in admin mode pairs a second terminal, which can then be revoked', async () => {
    const made = valueOf<PairingCode>(await core.dispatch(ADMIN_UI, 'admin.terminals.pairingCode', { eventIds: [DEMO_EVENT_ID] }));
    expect(made.code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    expect(made.eventIds).toEqual([DEMO_EVENT_ID]);
    expect(made.qrPayload).toBe(pairingUri(serverUrl, made.code));
    expect(Buffer.from(made.qrDataUrl.split(',')[1]!, 'base64').subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(Date.parse(made.expiresAt)).toBeGreaterThan(Date.now());

    second = await openCore('gate');
    expect(await second.dispatch('setup', 'terminal.pair', { serverUrl, code: made.code, terminalName: 'Gate 2' })).toMatchObject({ ok: true });
    await waitFor(() => second!.sync.isOnline, 60_000, 'the second terminal to be online');
    const gateId = second.sync.deviceId!;
    const listed = (await terminals()).find((t) => t.id === gateId);
    expect(listed).toMatchObject({ name: 'Gate 2', revokedAt: null, eventIds: [DEMO_EVENT_ID] });
    // A code pairs once.
    const third = await openCore('third');
    try {
      expect(await third.dispatch('setup', 'terminal.pair', { serverUrl, code: made.code, terminalName: 'Gate 3' })).toMatchObject({ ok: false });
    } finally {
      await third.close();
    }

    // Its events can be set to none and back.
    expect(await core.dispatch(ADMIN_UI, 'admin.terminals.setEvents', { deviceId: gateId, eventIds: [] })).toMatchObject({ ok: true, value: { eventIds: [] } });
    expect((await terminals()).find((t) => t.id === gateId)?.eventIds).toEqual([]);
    expect(await core.dispatch(ADMIN_UI, 'admin.terminals.setEvents', { deviceId: gateId, eventIds: [DEMO_EVENT_ID] })).toMatchObject({ ok: true });

    // Revoked: the list says so and the second terminal's token stops working.
    const revoked = await core.dispatch(ADMIN_UI, 'admin.terminals.revoke', { deviceId: gateId });
    expect(revoked).toMatchObject({ ok: true, value: { id: gateId } });
    expect((await terminals()).find((t) => t.id === gateId)?.revokedAt).not.toBeNull();
    await waitFor(() => !second!.sync.isOnline, 60_000, 'the revoked terminal to be cut off');
  }, 300_000);

  it('creates a point and lets only one operator and this terminal serve it; the terminal learns it by sync', async () => {
    const events = valueOf<AdminPointsEvent[]>(await core.dispatch(ADMIN_UI, 'admin.points.events', {}));
    const demo = events.find((e) => e.id === DEMO_EVENT_ID)!;
    expect(demo.ticketTypes.length).toBeGreaterThan(0);
    expect(JSON.stringify(events)).not.toContain('idSalt');

    const created = valueOf<AdminPoint>(
      await core.dispatch(ADMIN_UI, 'admin.points.create', {
        eventId: DEMO_EVENT_ID,
        name: { en: 'Side door', ru: 'Боковая дверь', 'zh-CN': '侧门' },
        ticketTypeIds: [demo.ticketTypes[0]!.id],
        zone: null,
        direction: 'entry',
        reentry: 'after_exit',
        windows: [{ from: '2020-01-01T08:00:00.000Z', to: '2099-01-01T20:00:00.000Z' }],
        active: true,
      }),
    );
    expect(created).toMatchObject({ name: { en: 'Side door', ru: 'Боковая дверь', 'zh-CN': '侧门' }, reentry: 'after_exit', operatorIds: [], deviceIds: [] });
    const points = valueOf<AdminPoint[]>(await core.dispatch(ADMIN_UI, 'admin.points.list', { eventId: DEMO_EVENT_ID }));
    expect(points.map((p) => p.id)).toContain(created.id);

    const updated = await core.dispatch(ADMIN_UI, 'admin.points.update', { pointId: created.id, zone: 'side', direction: 'exit' });
    expect(updated).toMatchObject({ ok: true, value: { zone: 'side', direction: 'exit', reentry: 'after_exit' } });
    expect(await core.dispatch(ADMIN_UI, 'admin.points.update', { pointId: created.id })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(
      await core.dispatch(ADMIN_UI, 'admin.points.update', { pointId: created.id, windows: [{ from: '2030-01-02T00:00:00Z', to: '2030-01-01T00:00:00Z' }] }),
    ).toMatchObject({ ok: false, error: { code: 'invalid_input' } });

    const staff = valueOf<StaffMember[]>(await core.dispatch(ADMIN_UI, 'admin.operators.list', {}));
    const gateOp = staff.find((o) => o.role === 'gate')!;
    const set = await core.dispatch(ADMIN_UI, 'admin.points.setStaff', { pointId: created.id, operatorIds: [gateOp.id], deviceIds: [deviceId()] });
    expect(set).toMatchObject({ ok: true, value: { pointId: created.id, operatorIds: [gateOp.id], deviceIds: [deviceId()] } });
    expect(valueOf<PointStaff>(await core.dispatch(ADMIN_UI, 'admin.points.staff', { pointId: created.id }))).toEqual({
      pointId: created.id,
      operatorIds: [gateOp.id],
      deviceIds: [deviceId()],
    });
    const listed = valueOf<AdminPoint[]>(await core.dispatch(ADMIN_UI, 'admin.points.list', { eventId: DEMO_EVENT_ID })).find((p) => p.id === created.id);
    expect(listed).toMatchObject({ operatorIds: [gateOp.id], deviceIds: [deviceId()] });

    // At the terminal: the gate operator may pick the new point; the manager (not named) may not.
    expect(await loginAs(core, 'gate-ui', { role: 'gate' }, '222222')).toMatchObject({ ok: true });
    await waitFor(
      async () => {
        const r = await core.dispatch('gate-ui', 'gate.points', {});
        return r.ok && (r.value as { points: { id: string }[] }).points.some((p) => p.id === created.id);
      },
      60_000,
      'the new point to reach the gate operator',
    );
    expect(await loginAs(core, 'manager-ui', { role: 'manager' }, '999999')).toMatchObject({ ok: true });
    const managerPoints = valueOf<{ points: { id: string }[] }>(await core.dispatch('manager-ui', 'gate.points', {}));
    expect(managerPoints.points.some((p) => p.id === created.id)).toBe(false);
  }, 300_000);

  it("a cashier's calls are refused in the core and change nothing", async () => {
    expect(await loginAs(core, CASHIER_UI, { role: 'cashier' }, '111111')).toMatchObject({ ok: true });
    const before = await server.admin.listDevices();
    for (const [name, input] of [
      ['admin.terminals.list', {}],
      ['admin.terminals.update', { deviceId: deviceId(), name: 'Cashier was here' }],
      ['admin.terminals.revoke', { deviceId: deviceId() }],
      ['admin.terminals.pairingCode', {}],
      ['admin.points.events', {}],
      ['admin.points.create', { eventId: DEMO_EVENT_ID, name: { en: 'Sneaky' }, ticketTypeIds: [], zone: null, direction: 'entry', reentry: 'single', windows: [], active: true }],
      ['admin.points.setStaff', { pointId: '01900000-0000-7000-8000-0000000000ff', operatorIds: [], deviceIds: [] }],
    ] as const) {
      expect(await core.dispatch(CASHIER_UI, name, input)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect(await server.admin.listDevices()).toEqual(before);
    expect((await server.admin.listPoints(DEMO_EVENT_ID)).some((p) => p.name.en === 'Sneaky')).toBe(false);
  }, 300_000);
});
