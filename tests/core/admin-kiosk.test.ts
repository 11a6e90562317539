// Admin mode's kiosk settings and the entitlement a check-in point redeems, through a real core and a
// real server (PGlite, real HTTP): an admin saves an event's kiosk settings and reads them back; a point
// created with the entitlement 'meal' comes back with it (and keeps it through a change of other fields);
// a manager is refused in the core and changes nothing; settings out of range are refused with
// invalid_input before they reach the server, and nothing changes; each save is in the server's audit
// trail and the terminal's as kiosk_settings_saved.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminPoint, AuditListEntry, KioskSettings } from '../../electron/contract';
import { createCore, type Core } from '../../electron/core/core';
import { createServer, type AdmitServer } from '../../server/src/app';
import { openServerDb, type ServerDbHandle } from '../../server/src/db/client';
import { DEMO_EVENT_ID } from '../../server/src/services/demo';
import { loginAs } from '../helpers/login';
import { waitFor } from '../helpers/wait';

const quiet = { warn: () => undefined, error: () => undefined };
const ADMIN_UI = 'admin-ui';
const MANAGER_UI = 'manager-ui';

let work: string;
let db: ServerDbHandle;
let server: AdmitServer;
let core: Core;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'admit-admin-kiosk-'));
  db = await openServerDb();
  server = createServer({ db, adminToken: 'kiosk-admin-token' });
  const serverUrl = (await server.listen({ host: '127.0.0.1', port: 0 })).url;
  await server.admin.seedDemo({ tickets: 5 });
  core = await createCore({ dataDir: join(work, 'desk'), migrationsFolder: 'migrations/local', shell: 'service', demo: false, version: 'test', logger: quiet });
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
  expect(await loginAs(core, MANAGER_UI, { role: 'manager' }, '999999')).toMatchObject({ ok: true });
}, 300_000);

afterAll(async () => {
  await core?.close();
  await server?.close();
  await db?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** The value of a call that must have succeeded. */
function valueOf<T>(r: { ok: boolean; value?: unknown; error?: unknown }): T {
  if (!r.ok) throw new Error(`call failed: ${JSON.stringify(r.error)}`);
  return r.value as T;
}

const settingsAtServer = async () => {
  const r = await core.dispatch(ADMIN_UI, 'admin.kiosk.settings', { eventId: DEMO_EVENT_ID });
  return valueOf<KioskSettings>(r);
};
const serverEntries = async () =>
  (await server.admin.listAuditEntries({ chain: 'server', limit: 1000 })).filter((e) => e.action === 'kiosk_settings_saved' && e.subject === DEMO_EVENT_ID);
const terminalEntries = async () =>
  valueOf<{ entries: AuditListEntry[] }>(await core.dispatch(ADMIN_UI, 'audit.list', { limit: 500 })).entries.filter((e) => e.action === 'kiosk_settings_saved');

const CHOSEN = {
  idleResetS: 90,
  countdownS: 15,
  defaultLanguage: 'ru',
  findByPhone: false,
  printBadge: false,
  helpDesk: { en: 'Desk B, by the stairs', ru: 'Стойка B, у лестницы', 'zh-CN': '楼梯旁的 B 服务台' },
} as const;

describe('admin mode: kiosk settings and entitlement points', () => {
  it('an admin saves an event’s kiosk settings and reads them back; the save is audited', async () => {
    expect(await settingsAtServer()).toEqual({ idleResetS: 45, countdownS: 10, defaultLanguage: 'en', findByPhone: true, printBadge: true, helpDesk: null });
    expect(await serverEntries()).toHaveLength(0);

    const saved = await core.dispatch(ADMIN_UI, 'admin.kiosk.saveSettings', { eventId: DEMO_EVENT_ID, ...CHOSEN });
    expect(saved).toEqual({ ok: true, value: CHOSEN });
    expect(await settingsAtServer()).toEqual(CHOSEN);

    const atServer = await serverEntries();
    expect(atServer).toHaveLength(1);
    expect(JSON.parse(atServer[0]!.detail)).toMatchObject({ idleResetS: 90, countdownS: 15, defaultLanguage: 'ru', findByPhone: false, printBadge: false, helpDesk: true });
    const atTerminal = await terminalEntries();
    expect(atTerminal.map((e) => [e.subject, e.result])).toEqual([[DEMO_EVENT_ID, 'ok']]);

    // No help-desk text: null, and the event's other settings as sent.
    const plain = { ...CHOSEN, helpDesk: null, idleResetS: 600, countdownS: 60 };
    expect(await core.dispatch(ADMIN_UI, 'admin.kiosk.saveSettings', { eventId: DEMO_EVENT_ID, ...plain })).toEqual({ ok: true, value: plain });
    expect(await settingsAtServer()).toEqual(plain);
    expect(await serverEntries()).toHaveLength(2);
    expect(await core.dispatch(ADMIN_UI, 'admin.kiosk.saveSettings', { eventId: DEMO_EVENT_ID, ...CHOSEN })).toMatchObject({ ok: true });
  }, 300_000);

  it('refuses settings out of range with invalid_input and changes nothing', async () => {
    const before = await settingsAtServer();
    const entries = (await serverEntries()).length;
    for (const bad of [
      { idleResetS: 9 },
      { idleResetS: 601 },
      { countdownS: 2 },
      { countdownS: 61 },
      { idleResetS: 20, countdownS: 30 },
      { idleResetS: 45.5 },
      { defaultLanguage: 'de' },
      { helpDesk: {} },
    ]) {
      const r = await core.dispatch(ADMIN_UI, 'admin.kiosk.saveSettings', { eventId: DEMO_EVENT_ID, ...CHOSEN, ...bad });
      expect(r, JSON.stringify(bad)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    }
    // Every setting is named: a save with one left out is refused too, not filled with a default.
    const { printBadge: _left, ...partial } = CHOSEN;
    expect(await core.dispatch(ADMIN_UI, 'admin.kiosk.saveSettings', { eventId: DEMO_EVENT_ID, ...partial })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await settingsAtServer()).toEqual(before);
    expect(await serverEntries()).toHaveLength(entries);
  }, 300_000);

  it('a manager is refused in the core and changes nothing', async () => {
    const before = await settingsAtServer();
    const entries = (await serverEntries()).length;
    expect(await core.dispatch(MANAGER_UI, 'admin.kiosk.settings', { eventId: DEMO_EVENT_ID })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const r = await core.dispatch(MANAGER_UI, 'admin.kiosk.saveSettings', { eventId: DEMO_EVENT_ID, ...CHOSEN, idleResetS: 300 });
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await settingsAtServer()).toEqual(before);
    expect(await serverEntries()).toHaveLength(entries);
    // The terminal's trail keeps the refusal, for the manager.
    expect((await terminalEntries()).some((e) => e.result === 'forbidden')).toBe(true);
  }, 300_000);

  it('a point created with the entitlement meal comes back with it; one created without it has none', async () => {
    const created = valueOf<AdminPoint>(
      await core.dispatch(ADMIN_UI, 'admin.points.create', {
        eventId: DEMO_EVENT_ID,
        name: { en: 'Lunch hall' },
        ticketTypeIds: [],
        zone: null,
        direction: 'entry',
        reentry: 'once_per_day',
        windows: [],
        active: true,
        entitlement: 'meal',
      }),
    );
    expect(created).toMatchObject({ name: { en: 'Lunch hall' }, reentry: 'once_per_day', entitlement: 'meal' });
    const listed = valueOf<AdminPoint[]>(await core.dispatch(ADMIN_UI, 'admin.points.list', { eventId: DEMO_EVENT_ID })).find((p) => p.id === created.id);
    expect(listed?.entitlement).toBe('meal');
    expect((await server.admin.listPoints(DEMO_EVENT_ID)).find((p) => p.id === created.id)?.entitlement).toBe('meal');

    // A change of another field leaves the entitlement as it was; null takes it away.
    expect(await core.dispatch(ADMIN_UI, 'admin.points.update', { pointId: created.id, zone: 'food' })).toMatchObject({ ok: true, value: { zone: 'food', entitlement: 'meal' } });
    expect(await core.dispatch(ADMIN_UI, 'admin.points.update', { pointId: created.id, entitlement: 'drink' })).toMatchObject({ ok: true, value: { entitlement: 'drink' } });
    expect(await core.dispatch(ADMIN_UI, 'admin.points.update', { pointId: created.id, entitlement: null })).toMatchObject({ ok: true, value: { entitlement: null } });

    // A caller from before the field existed: an ordinary point.
    const older = valueOf<AdminPoint>(
      await core.dispatch(ADMIN_UI, 'admin.points.create', {
        eventId: DEMO_EVENT_ID,
        name: { en: 'Side door' },
        ticketTypeIds: [],
        zone: null,
        direction: 'entry',
        reentry: 'single',
        windows: [],
        active: true,
      }),
    );
    expect(older.entitlement).toBeNull();

    // Not a kind: refused in the core, nothing made.
    const count = (await server.admin.listPoints(DEMO_EVENT_ID)).length;
    expect(
      await core.dispatch(ADMIN_UI, 'admin.points.create', {
        eventId: DEMO_EVENT_ID,
        name: { en: 'Bad' },
        ticketTypeIds: [],
        zone: null,
        direction: 'entry',
        reentry: 'single',
        windows: [],
        active: true,
        entitlement: 'Meal Voucher',
      }),
    ).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await server.admin.listPoints(DEMO_EVENT_ID)).toHaveLength(count);
  }, 300_000);
});
