// Admin mode's events through a real core and a real server (PGlite, real HTTP): an admin signed in at
// the terminal creates an event, adds a session, two ticket types with a sale window and a quota shared
// by both, and edits a type; every row is what the server stores and its own trail names the operator.
// Bad input is refused with a clear code and changes nothing (a capacity below what is sold, a session
// that ends before it starts, an unknown time zone). A cashier's events calls are refused in the core.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDetail } from '../../domain/audit';
import type { AdminEventPage, AdminEventSummary, AdminQuota, AdminSession, AdminTicketType } from '../../electron/contract';
import { createCore, type Core } from '../../electron/core/core';
import { createServer, type AdmitServer } from '../../server/src/app';
import { openServerDb, type ServerDbHandle } from '../../server/src/db/client';
import { bindEveryDevice, sell } from '../server/harness';
import { loginAs } from '../helpers/login';
import { waitFor } from '../helpers/wait';

const quiet = { warn: () => undefined, error: () => undefined };
const ADMIN_UI = 'admin-ui';
const CASHIER_UI = 'cashier-ui';

let work: string;
let db: ServerDbHandle;
let server: AdmitServer;
let core: Core;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'admit-admin-events-'));
  db = await openServerDb();
  server = createServer({ db, adminToken: 'events-admin-token' });
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
}, 300_000);

afterAll(async () => {
  await core?.close();
  await server?.close();
  await db?.close();
  rmSync(work, { recursive: true, force: true });
});

function valueOf<T>(r: { ok: boolean; value?: unknown; error?: unknown }): T {
  if (!r.ok) throw new Error(`call failed: ${JSON.stringify(r.error)}`);
  return r.value as T;
}

const serverTrail = async () =>
  (await server.admin.listAuditEntries({ chain: 'server', limit: 1000 })).map((e) => ({ ...e, detailObj: parseDetail(e.detail) }));

describe('admin mode: events', () => {
  it('an admin creates an event with a session, two types with a sale window and a shared quota, and edits a type', async () => {
    expect(await loginAs(core, ADMIN_UI, { role: 'admin' }, '000000')).toMatchObject({ ok: true });
    const adminId = valueOf<{ operatorId: string }>(await core.dispatch(ADMIN_UI, 'session.current', {})).operatorId;

    const created = valueOf<AdminEventSummary>(
      await core.dispatch(ADMIN_UI, 'admin.events.create', {
        name: { en: 'Summer Nights', ru: 'Летние ночи', 'zh-CN': '夏夜' },
        startsAt: '2031-07-01T17:00:00.000Z',
        endsAt: '2031-07-03T22:00:00.000Z',
        timezone: 'Europe/Moscow',
        currency: 'RUB',
        venue: 'Gorky Park',
        address: 'Krymsky Val 9',
        languages: ['ru', 'en'],
        defaultLanguage: 'ru',
        ticketTypes: [{ name: { en: 'Standard' }, priceMinor: 250_000, capacity: 500 }],
      }),
    );
    expect(created).toMatchObject({
      name: { en: 'Summer Nights' },
      timezone: 'Europe/Moscow',
      currency: 'RUB',
      venue: 'Gorky Park',
      address: 'Krymsky Val 9',
      languages: ['ru', 'en'],
      defaultLanguage: 'ru',
      ticketTypes: [{ priceMinor: 250_000, capacity: 500, sold: 0 }],
    });
    expect(created).not.toHaveProperty('idSalt');
    const eventId = created.id;
    const standard = created.ticketTypes[0]!;

    const details = await core.dispatch(ADMIN_UI, 'admin.events.update', {
      eventId,
      venue: 'Gorky Park',
      address: 'Krymsky Val 9, Green Theatre',
      languages: ['ru', 'en', 'zh-CN'],
      defaultLanguage: 'en',
    });
    expect(details).toMatchObject({ ok: true, value: { venue: 'Gorky Park', address: 'Krymsky Val 9, Green Theatre', languages: ['ru', 'en', 'zh-CN'], defaultLanguage: 'en' } });

    const night = valueOf<AdminSession>(
      await core.dispatch(ADMIN_UI, 'admin.sessions.create', { eventId, name: { en: 'Night one' }, startsAt: '2031-07-01T17:00:00.000Z', endsAt: '2031-07-01T22:00:00.000Z' }),
    );
    expect(night).toMatchObject({ eventId, name: { en: 'Night one' }, active: true });

    const early = valueOf<AdminTicketType>(
      await core.dispatch(ADMIN_UI, 'admin.ticketTypes.create', {
        eventId,
        name: { en: 'Early bird', ru: 'Ранняя птица' },
        priceMinor: 150_000,
        capacity: 100,
        sessionId: night.id,
        saleStartsAt: '2031-01-01T00:00:00.000Z',
        saleEndsAt: '2031-03-01T00:00:00.000Z',
        maxPerOrder: 4,
        maxPerAttendee: 2,
        channels: ['box_office', 'import'],
        realName: true,
        requiredFields: ['name', 'phone'],
      }),
    );
    expect(early).toMatchObject({ sessionId: night.id, saleStartsAt: '2031-01-01T00:00:00.000Z', saleEndsAt: '2031-03-01T00:00:00.000Z', maxPerOrder: 4, maxPerAttendee: 2 });
    expect(early).toMatchObject({ channels: ['box_office', 'import'], realName: true, requiredFields: ['name', 'phone'], active: true, currency: 'RUB' });

    const quota = valueOf<AdminQuota>(
      await core.dispatch(ADMIN_UI, 'admin.quotas.create', { eventId, name: { en: 'Floor' }, capacity: 550, ticketTypeIds: [standard.id, early.id] }),
    );
    expect(quota).toMatchObject({ capacity: 550, sold: 0 });
    expect([...quota.ticketTypeIds].sort()).toEqual([standard.id, early.id].sort());

    const edited = await core.dispatch(ADMIN_UI, 'admin.ticketTypes.update', { ticketTypeId: early.id, priceMinor: 175_000, maxPerOrder: null, active: false });
    expect(edited).toMatchObject({ ok: true, value: { id: early.id, priceMinor: 175_000, maxPerOrder: null, active: false, capacity: 100 } });
    expect(await core.dispatch(ADMIN_UI, 'admin.quotas.update', { quotaId: quota.id, capacity: 520 })).toMatchObject({ ok: true, value: { capacity: 520 } });
    expect(await core.dispatch(ADMIN_UI, 'admin.sessions.update', { sessionId: night.id, endsAt: '2031-07-01T23:30:00+03:00' })).toMatchObject({
      ok: true,
      value: { endsAt: '2031-07-01T20:30:00.000Z' },
    });

    // The event's page is what the server stores, and the list shows the event.
    const page = valueOf<AdminEventPage>(await core.dispatch(ADMIN_UI, 'admin.events.get', { eventId }));
    expect(page).toMatchObject({ venue: 'Gorky Park', sessions: [{ id: night.id }], quotas: [{ id: quota.id, capacity: 520 }] });
    expect(page.ticketTypes.map((t) => t.id).sort()).toEqual([standard.id, early.id].sort());
    expect(page.ticketTypes.find((t) => t.id === early.id)).toMatchObject({ priceMinor: 175_000, active: false });
    const list = valueOf<AdminEventSummary[]>(await core.dispatch(ADMIN_UI, 'admin.events.list', {}));
    expect(list.find((e) => e.id === eventId)).toMatchObject({ name: { en: 'Summer Nights' } });

    // The server's trail names the admin for each change.
    const trail = await serverTrail();
    for (const [action, subject] of [
      ['event_updated', eventId],
      ['session_created', night.id],
      ['ticket_type_created', early.id],
      ['quota_created', quota.id],
      ['ticket_type_updated', early.id],
    ] as const) {
      expect(trail.find((e) => e.action === action && e.subject === subject)?.detailObj).toMatchObject({ actor: 'operator', operatorId: adminId });
    }

    // Bad input: each refused with a clear code, and nothing changes.
    await bindEveryDevice(server, eventId);
    await sell(server, core.secrets.get('device_token')!, eventId, standard.id, 3);
    const below = await core.dispatch(ADMIN_UI, 'admin.ticketTypes.update', { ticketTypeId: standard.id, capacity: 2 });
    expect(below).toMatchObject({ ok: false, error: { code: 'server_rejected', detail: 'conflict' } });
    const quotaBelow = await core.dispatch(ADMIN_UI, 'admin.quotas.update', { quotaId: quota.id, capacity: 1 });
    expect(quotaBelow).toMatchObject({ ok: false, error: { code: 'server_rejected', detail: 'conflict' } });
    const backwards = await core.dispatch(ADMIN_UI, 'admin.sessions.create', { eventId, name: { en: 'Backwards' }, startsAt: '2031-07-02T20:00:00Z', endsAt: '2031-07-02T18:00:00Z' });
    expect(backwards).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const sessionBackwards = await core.dispatch(ADMIN_UI, 'admin.sessions.update', { sessionId: night.id, startsAt: '2031-07-02T03:00:00Z' });
    expect(sessionBackwards).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await core.dispatch(ADMIN_UI, 'admin.events.update', { eventId, timezone: 'Mars/Olympus' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const eventsBefore = (await server.admin.listEvents()).length;
    const badCreate = { name: { en: 'Odd' }, startsAt: '2031-01-01T00:00:00Z', endsAt: '2031-01-02T00:00:00Z', timezone: 'UTC', currency: 'EUR', ticketTypes: [{ name: { en: 'Free' }, priceMinor: 0 }] };
    for (const odd of [{ languages: ['ru'], defaultLanguage: 'en' }, { languages: ['fr'] }, { timezone: 'Mars/Olympus' }]) {
      expect(await core.dispatch(ADMIN_UI, 'admin.events.create', { ...badCreate, ...odd })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    }
    expect((await server.admin.listEvents()).length).toBe(eventsBefore);
    expect(await core.dispatch(ADMIN_UI, 'admin.events.update', { eventId, currency: 'EUR' })).toMatchObject({ ok: false, error: { code: 'server_rejected', detail: 'conflict' } });
    expect(await core.dispatch(ADMIN_UI, 'admin.events.update', { eventId, endsAt: '2031-07-04T22:00:00.000Z' })).toMatchObject({
      ok: false,
      error: { code: 'server_rejected', detail: 'event_has_tickets' },
    });
    expect(await core.dispatch(ADMIN_UI, 'admin.ticketTypes.update', { ticketTypeId: early.id })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const after = valueOf<AdminEventPage>(await core.dispatch(ADMIN_UI, 'admin.events.get', { eventId }));
    expect(after.sessions).toEqual(page.sessions);
    expect(after.quotas).toEqual([{ ...page.quotas[0]!, sold: 3 }]);
    expect(after.ticketTypes.find((t) => t.id === standard.id)).toMatchObject({ capacity: 500, sold: 3 });
    expect(after).toMatchObject({ currency: 'RUB', timezone: 'Europe/Moscow', endsAt: '2031-07-03T22:00:00.000Z' });
    expect(await core.dispatch(ADMIN_UI, 'admin.events.get', { eventId: '018f0000-0000-7000-8000-000000000000' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  }, 300_000);

  it("a cashier's events calls are refused in the core and create nothing", async () => {
    expect(await loginAs(core, CASHIER_UI, { role: 'cashier' }, '111111')).toMatchObject({ ok: true });
    const before = (await server.admin.listEvents()).length;
    const eventId = (await server.admin.listEvents())[0]!.id;
    for (const [name, input] of [
      ['admin.events.list', {}],
      ['admin.events.get', { eventId }],
      [
        'admin.events.create',
        { name: { en: 'Sneaky' }, startsAt: '2031-01-01T00:00:00Z', endsAt: '2031-01-02T00:00:00Z', timezone: 'UTC', currency: 'EUR', ticketTypes: [{ name: { en: 'Free' }, priceMinor: 0 }] },
      ],
      ['admin.events.update', { eventId, venue: 'Elsewhere' }],
      ['admin.ticketTypes.create', { eventId, name: { en: 'Free' }, priceMinor: 0 }],
    ] as const) {
      expect(await core.dispatch(CASHIER_UI, name, input)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect((await server.admin.listEvents()).length).toBe(before);
    expect((await server.admin.listEvents()).find((e) => e.id === eventId)?.venue ?? null).not.toBe('Elsewhere');
  }, 300_000);
});
