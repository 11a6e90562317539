// Attendees' personal data on the server: names, phone digits and ID-number hashes of an event's tickets
// are erased once the event ended longer ago than the retention (the organizer's setting, else the
// start-up default); the tickets, orders, counts and check-in history stay, and terminals receive the
// erased rows through the change feed. Real PGlite and PostgreSQL.
import { eq, inArray, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type AdminEvent, ChangesResponse } from '../../domain/wire';
import type { AdmitServer } from '../../server/src/app';
import { currentSeq } from '../../server/src/db/writes';
import { checkins, orders, tickets, ticketTypes } from '../../server/src/db/schema';
import { DEFAULT_RETENTION_DAYS, retentionDaysFromEnv } from '../../server/src/services/retention';
import { type Backend, backends, call, expectError, makeServer, openBackend, sell, uuidv7 } from './harness';

const ADMIN = 'test-admin-token';
const DAY = 86_400_000;

describe.each(backends)('personal data retention on %s', (backendName) => {
  let backend: Backend;
  let server: AdmitServer;

  beforeAll(async () => {
    backend = await openBackend(backendName);
  });
  afterAll(async () => {
    await backend?.close();
  });
  beforeEach(() => {
    server = makeServer(backend);
  });
  afterEach(async () => {
    await server.close();
  });

  const eventEnded = (name: string, daysAgo: number) =>
    server.admin.createEvent({
      name: { en: name },
      startsAt: new Date(Date.now() - (daysAgo + 1) * DAY).toISOString(),
      endsAt: new Date(Date.now() - daysAgo * DAY).toISOString(),
      timezone: 'UTC',
      currency: 'EUR',
      ticketTypes: [{ name: { en: 'General' }, priceMinor: 500, capacity: 100 }],
    });

  /** Sold tickets with a name, phone digits and an ID hash each, plus a check-in of the first (stored
   *  as made during the event: the server no longer takes a check-in dated days after its event, nor
   *  one dated more than a week back). */
  async function attendees(event: AdminEvent, device: { token: string; deviceId: string }, n: number): Promise<string[]> {
    const { token } = device;
    const ids = (await sell(server, token, event.id, event.ticketTypes[0]!.id, n)).tickets.map((t) => t.id);
    await backend.handle.db
      .update(tickets)
      .set({ attendeeName: sql`'Attendee ' || ${event.id}::text`, phoneLast4: '1234', idHash: 'ab'.repeat(32) })
      .where(inArray(tickets.id, ids));
    await backend.handle.db
      .insert(checkins)
      .values({ id: uuidv7(), ticketId: ids[0]!, deviceId: device.deviceId, at: new Date(Date.parse(event.startsAt) + 3_600_000), status: 'accepted' });
    return ids;
  }

  const personal = async (ids: string[]) =>
    backend.handle.db
      .select({ name: tickets.attendeeName, phone: tickets.phoneLast4, idHash: tickets.idHash })
      .from(tickets)
      .where(inArray(tickets.id, ids));

  it('erases it after the retention, keeps tickets, orders, counts and check-ins, and replicates the erasure', async () => {
    const old = await eventEnded('Long over', DEFAULT_RETENTION_DAYS + 10);
    const recent = await eventEnded('Last week', 10);
    const { code } = await server.admin.createPairingCode({ eventIds: [old.id, recent.id] });
    const pair = await call(server.app, 'POST', '/v1/pair', { body: { code, name: 'Desk' } });
    const token = pair.json.token as string;
    const device = { token, deviceId: pair.json.deviceId as string };
    const oldIds = await attendees(old, device, 3);
    const recentIds = await attendees(recent, device, 2);

    const counts = async () => ({
      tickets: await backend.handle.db.$count(tickets, inArray(tickets.id, [...oldIds, ...recentIds])),
      checkins: await backend.handle.db.$count(checkins, inArray(checkins.ticketId, [...oldIds, ...recentIds])),
      orders: await backend.handle.db.$count(orders, inArray(orders.eventId, [old.id, recent.id])),
      sold: (await backend.handle.db.select({ sold: ticketTypes.sold }).from(ticketTypes).where(eq(ticketTypes.eventId, old.id)))[0]!.sold,
    });
    const before = await counts();
    const cursor = await currentSeq(backend.handle.db);

    const first = await server.admin.purgePersonalData();
    expect(first.eventIds).toContain(old.id);
    expect(first.eventIds).not.toContain(recent.id);
    for (const row of await personal(oldIds)) expect(row).toEqual({ name: null, phone: null, idHash: null });
    for (const row of await personal(recentIds)) expect(row.name).toMatch(/^Attendee /);
    expect(await counts()).toEqual(before);
    // A second run has nothing left to do.
    expect((await server.admin.purgePersonalData()).eventIds).not.toContain(old.id);

    // Terminals receive the erased tickets like any other edit.
    const pulled = ChangesResponse.parse((await call(server.app, 'GET', `/v1/changes?since=${cursor}`, { token })).json);
    const erased = pulled.changes.filter((c) => c.kind === 'ticket').map((c) => c.row);
    expect(erased.map((t) => t.id).sort()).toEqual([...oldIds].sort());
    for (const t of erased) expect([t.attendeeName, t.phoneLast4, t.idHash]).toEqual([null, null, null]);

    // The organizer shortens the retention: last week's event goes too.
    const patched = await call(server.app, 'PATCH', '/admin/v1/settings', { token: ADMIN, body: { personalDataRetentionDays: 5 } });
    expect(patched.json).toEqual({ settings: { personalDataRetentionDays: 5 } });
    expect((await call(server.app, 'GET', '/admin/v1/settings', { token: ADMIN })).json.settings.personalDataRetentionDays).toBe(5);
    expect((await server.admin.purgePersonalData()).eventIds).toContain(recent.id);
    for (const row of await personal(recentIds)) expect(row).toEqual({ name: null, phone: null, idHash: null });
    expect(await backend.handle.db.$count(checkins, inArray(checkins.ticketId, recentIds))).toBe(1);
    await server.admin.updateSettings({ personalDataRetentionDays: DEFAULT_RETENTION_DAYS });
  });

  it('refuses a retention out of range and takes the default from the environment', async () => {
    for (const days of [0, -1, 1.5, 3651, '30', null])
      expectError(await call(server.app, 'PATCH', '/admin/v1/settings', { token: ADMIN, body: { personalDataRetentionDays: days } }), 400, 'bad_request');
    expect(retentionDaysFromEnv(undefined)).toBeUndefined();
    expect(retentionDaysFromEnv('90')).toBe(90);
    expect(() => retentionDaysFromEnv('ninety')).toThrow(/ADMIT_PERSONAL_DATA_RETENTION_DAYS/);
    const configured = makeServer(backend, { personalDataRetentionDays: 90 });
    try {
      // A stored setting wins over the start-up default; without one the default applies.
      await backend.handle.db.execute(sql`delete from server_meta where key = 'personal_data_retention_days'`);
      expect(await configured.admin.settings()).toEqual({ personalDataRetentionDays: 90 });
      await configured.admin.updateSettings({ personalDataRetentionDays: 45 });
      expect(await configured.admin.settings()).toEqual({ personalDataRetentionDays: 45 });
    } finally {
      await backend.handle.db.execute(sql`delete from server_meta where key = 'personal_data_retention_days'`);
      await configured.close();
    }
  });
});
