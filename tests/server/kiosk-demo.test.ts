// The demo festival's kiosk (PGlite in process): seeded with a kiosk operator, a "Lunch" point that redeems
// meal vouchers once per day, the default kiosk settings, and for the badge desk's attendees their
// information (seat or table, room, hotel, agenda entries on the event's days in its time zone, a note)
// and a meal voucher covering the event's days; the Lunch point admits a voucher holder once and refuses a
// ticket without one; seeding again changes nothing, and a demo moved to today takes its agenda and
// vouchers along.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KioskAttendeeInfo } from '../../domain/kiosk-wire';
import { zonedDay } from '../../domain/zoned-time';
import type { AdmitServer } from '../../server/src/app';
import { attendeeInfo, checkInPoints, entitlements, events, kioskSettings, operators, tickets } from '../../server/src/db/schema';
import { writeTx } from '../../server/src/db/writes';
import { DEMO_EVENT_ID } from '../../server/src/services/demo';
import { DEMO_LUNCH_POINT_ID } from '../../server/src/services/demo-kiosk';
import { type Backend, call, type Json, makeServer, openBackend, pairTerminal, uuidv7 } from './harness';

const ADMIN = 'test-admin-token';

describe('the demo festival at the kiosk', () => {
  let backend: Backend;
  let server: AdmitServer;

  beforeAll(async () => {
    backend = await openBackend('PGlite');
    server = makeServer(backend);
    await server.app.ready();
  }, 300_000);
  afterAll(async () => {
    await server?.close();
    await backend?.close();
  });

  const db = () => backend.handle.db;
  const localDays = (startsAt: Date, endsAt: Date, tz: string) => {
    const days = new Set<string>();
    for (let t = startsAt.getTime(); t < endsAt.getTime(); t += 3_600_000) days.add(zonedDay(new Date(t).toISOString(), tz));
    return days;
  };

  it('seeds a kiosk operator, a Lunch point, kiosk settings, and attendees\' information and meal vouchers', async () => {
    expect((await server.admin.seedDemo({ tickets: 200 })).created).toBe(true);
    expect(await db().select({ name: operators.name }).from(operators).where(eq(operators.role, 'kiosk'))).toEqual([{ name: 'Kiosk' }]);
    const points = (await call(server.app, 'GET', `/admin/v1/events/${DEMO_EVENT_ID}/points`, { token: ADMIN })).json.points;
    expect(points.find((p: Json) => p.id === DEMO_LUNCH_POINT_ID)).toMatchObject({ name: { en: 'Lunch' }, zone: 'meal', entitlement: 'meal', reentry: 'once_per_day', direction: 'entry' });
    expect((await call(server.app, 'GET', `/admin/v1/events/${DEMO_EVENT_ID}/kiosk-settings`, { token: ADMIN })).json).toMatchObject({ idleResetS: 45, defaultLanguage: 'en' });

    const [event] = await db().select().from(events).where(eq(events.id, DEMO_EVENT_ID));
    const days = localDays(event!.startsAt, event!.endsAt, event!.timezone);
    const infos = await db().select().from(attendeeInfo).where(eq(attendeeInfo.eventId, DEMO_EVENT_ID));
    expect(infos).toHaveLength(6);
    for (const info of infos) {
      const kinds = info.items.map((i) => i.kind);
      expect(kinds).toEqual(expect.arrayContaining(['room', 'hotel', 'agenda', 'note']));
      expect(kinds.includes('seat') || kinds.includes('table')).toBe(true);
      const agenda = info.items.filter((i) => i.kind === 'agenda');
      expect(agenda.length).toBeGreaterThanOrEqual(2);
      for (const a of agenda) expect(days.has(zonedDay(a.at!, event!.timezone))).toBe(true);
    }
    const vouchers = await db().select().from(entitlements).where(eq(entitlements.eventId, DEMO_EVENT_ID));
    expect(vouchers).toHaveLength(6);
    for (const v of vouchers) expect(v).toMatchObject({ kind: 'meal', active: true, validFrom: event!.startsAt, validTo: event!.endsAt });

    // A kiosk of the demo sees them; the Lunch point admits a voucher holder once today, not a ticket without.
    const kiosk = await pairTerminal(server, 'Demo kiosk');
    await server.admin.setDeviceEvents(kiosk.deviceId, [DEMO_EVENT_ID]);
    const [zhang] = await db().select().from(tickets).where(and(eq(tickets.eventId, DEMO_EVENT_ID), eq(tickets.attendeeName, '张三丰')));
    const info = KioskAttendeeInfo.parse((await call(server.app, 'GET', `/v1/kiosk/attendees/${zhang!.id}/info`, { token: kiosk.token })).json);
    expect(info.entitlements.map((e) => e.kind)).toEqual(['meal']);
    const claim = (ticketId: string) =>
      call(server.app, 'POST', '/v1/checkins/claim', { token: kiosk.token, body: { checkinId: uuidv7(), ticketId, pointId: DEMO_LUNCH_POINT_ID, at: new Date().toISOString() } });
    expect((await claim(zhang!.id)).json.status).toBe('accepted');
    expect((await claim(zhang!.id)).json).toMatchObject({ status: 'conflict', reason: 'already_used' });
    const other = (await db().select().from(tickets).where(eq(tickets.eventId, DEMO_EVENT_ID))).find((t) => !vouchers.some((v) => v.ticketId === t.id))!;
    expect((await claim(other.id)).json).toMatchObject({ status: 'conflict', reason: 'no_entitlement' });
  });

  it('seeds again without a change, and moves the agenda and vouchers with a demo moved to today', async () => {
    const before = await db().select().from(entitlements).where(eq(entitlements.eventId, DEMO_EVENT_ID));
    expect((await server.admin.seedDemo({ tickets: 200 })).created).toBe(false);
    expect(await db().select().from(entitlements).where(eq(entitlements.eventId, DEMO_EVENT_ID))).toEqual(before);
    expect(await db().select().from(operators).where(eq(operators.role, 'kiosk'))).toHaveLength(1);

    // The demo's days have run: starting it again moves it to today, its vouchers and agenda with it.
    const longAgo = new Date(Date.now() - 20 * 86_400_000);
    await writeTx(db(), (tx) => tx.update(events).set({ startsAt: longAgo, endsAt: new Date(longAgo.getTime() + 3 * 86_400_000) }).where(eq(events.id, DEMO_EVENT_ID)));
    expect((await server.admin.seedDemo({ tickets: 200 })).created).toBe(false);
    const [event] = await db().select().from(events).where(eq(events.id, DEMO_EVENT_ID));
    expect(event!.endsAt.getTime()).toBeGreaterThan(Date.now());
    const moved = await db().select().from(entitlements).where(eq(entitlements.eventId, DEMO_EVENT_ID));
    for (const v of moved) expect(v).toMatchObject({ validFrom: event!.startsAt, validTo: event!.endsAt });
    const days = localDays(event!.startsAt, event!.endsAt, event!.timezone);
    for (const info of await db().select().from(attendeeInfo).where(eq(attendeeInfo.eventId, DEMO_EVENT_ID))) {
      for (const a of info.items.filter((i) => i.kind === 'agenda')) expect(days.has(zonedDay(a.at!, event!.timezone))).toBe(true);
    }
  });
});

describe('a demo seeded before the kiosk', () => {
  it('gets the kiosk operator, the Lunch point, information and vouchers when started again', async () => {
    const backend = await openBackend('PGlite');
    const server = makeServer(backend);
    try {
      await server.app.ready();
      expect((await server.admin.seedDemo({ tickets: 200 })).created).toBe(true);
      const db = backend.handle.db;
      // What a demo of the version before the kiosk holds: none of it.
      await writeTx(db, async (tx) => {
        await tx.delete(entitlements);
        await tx.delete(attendeeInfo);
        await tx.delete(kioskSettings);
        await tx.delete(checkInPoints).where(eq(checkInPoints.id, DEMO_LUNCH_POINT_ID));
        await tx.delete(operators).where(eq(operators.role, 'kiosk'));
      });
      expect((await server.admin.seedDemo({ tickets: 200 })).created).toBe(false);
      expect(await db.select().from(operators).where(eq(operators.role, 'kiosk'))).toHaveLength(1);
      expect(await db.select().from(checkInPoints).where(eq(checkInPoints.id, DEMO_LUNCH_POINT_ID))).toHaveLength(1);
      expect(await db.select().from(attendeeInfo)).toHaveLength(6);
      expect(await db.select().from(entitlements)).toHaveLength(6);
      expect(await db.select().from(kioskSettings)).toHaveLength(1);
    } finally {
      await server.close();
      await backend.close();
    }
  }, 300_000);
});
