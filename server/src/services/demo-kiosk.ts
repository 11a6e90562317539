// Owns the kiosk's part of the demo festival: a "Lunch" check-in point that redeems meal vouchers once per
// day, the event's kiosk settings (the defaults), and for the badge desk's demo attendees their
// information — seat or table, room, hotel, a few agenda entries on the event's days in its time zone, a
// note — and a meal voucher covering the event's days. Idempotent: what exists is kept as it is (an admin
// may have changed it), except that a demo moved to today gets its agenda and vouchers moved with it.
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { AttendeeInfoItem } from '../../../domain/kiosk-wire';
import { DEFAULT_KIOSK_SETTINGS } from '../../../domain/kiosk-wire';
import { zonedDay, zonedToInstant } from '../../../domain/zoned-time';
import { attendeeInfo, checkInPoints, entitlements, kioskSettings, tickets } from '../db/schema';
import type { ServerTx } from '../db/writes';
import { DEMO_BADGE_ATTENDEES } from './demo-badges';
import { v7 as uuidv7 } from 'uuid';

export const DEMO_LUNCH_POINT_ID = '01900000-0000-7000-8000-00000000d204';
/** The demo operator of the kiosk (role kiosk). */
export const DEMO_KIOSK_OPERATOR = { name: 'Kiosk', role: 'kiosk' as const, pin: '444444' };
/** The entitlement kind the Lunch point redeems. */
export const DEMO_MEAL = 'meal';
/** The Lunch point's zone: its once-a-day is counted apart from the main entrance's (the voucher, not the
 *  zone, is the right to pass there). */
export const DEMO_MEAL_ZONE = 'meal';

export interface DemoEventTimes {
  startsAt: Date;
  endsAt: Date;
  timezone: string;
}

/** The event's local days ("YYYY-MM-DD"), first to last. */
function eventDays(e: DemoEventTimes): string[] {
  const days: string[] = [];
  const last = zonedDay(new Date(e.endsAt.getTime() - 1).toISOString(), e.timezone);
  let day = zonedDay(e.startsAt.toISOString(), e.timezone);
  for (let i = 0; i < 31 && day <= last; i++) {
    days.push(day);
    const next = new Date(`${day}T12:00:00Z`);
    next.setUTCDate(next.getUTCDate() + 1);
    day = next.toISOString().slice(0, 10);
  }
  return days;
}

const at = (day: string, hhmm: string, tz: string) => zonedToInstant(`${day}T${hhmm}`, tz)!;

/** The demo information of the i-th demo attendee. */
export function demoInfoItems(i: number, e: DemoEventTimes): AttendeeInfoItem[] {
  const days = eventDays(e);
  const d1 = days[0]!;
  const d2 = days[1] ?? d1;
  const tz = e.timezone;
  const item = (kind: AttendeeInfoItem['kind'], value: string, extra: Partial<AttendeeInfoItem> = {}): AttendeeInfoItem => ({
    kind,
    value,
    label: null,
    at: null,
    to: null,
    place: null,
    ...extra,
  });
  return [
    i % 2 === 0 ? item('seat', `Hall A, row ${3 + i}, seat ${12 + i}`) : item('table', `Table ${4 + i}`),
    item('room', `Workshop room ${101 + i}`),
    item('hotel', i % 2 === 0 ? `Hotel Adlon, room ${1200 + i}` : `Park Inn, room ${804 + i}`),
    item('agenda', 'Opening keynote', { at: at(d1, '10:00', tz), to: at(d1, '11:00', tz), place: 'Main stage' }),
    item('agenda', 'Lunch', { at: at(d1, '12:30', tz), to: at(d1, '13:30', tz), place: 'Lunch hall' }),
    item('agenda', 'Workshop: live sound', { at: at(d2, '14:00', tz), to: at(d2, '15:30', tz), place: `Workshop room ${101 + i}` }),
    item('note', 'Please bring your badge to every session.'),
  ];
}

/**
 * The Lunch point, the kiosk settings, and the demo attendees' information and meal vouchers. `moved`:
 * the event was just moved to new days — agenda entries and vouchers follow it.
 */
export async function seedDemoKiosk(tx: ServerTx, eventId: string, times: DemoEventTimes, now: Date, moved = false): Promise<void> {
  await tx
    .insert(checkInPoints)
    .values({
      id: DEMO_LUNCH_POINT_ID,
      eventId,
      name: { en: 'Lunch', 'zh-CN': '午餐', ru: 'Обед' },
      zone: DEMO_MEAL_ZONE,
      direction: 'entry',
      reentry: 'once_per_day',
      entitlement: DEMO_MEAL,
    })
    .onConflictDoNothing();
  await tx.insert(kioskSettings).values({ eventId, settings: { ...DEFAULT_KIOSK_SETTINGS }, updatedAt: now }).onConflictDoNothing();

  const names = DEMO_BADGE_ATTENDEES.map((a) => a.name as string);
  const found = await tx
    .select({ id: tickets.id, name: tickets.attendeeName })
    .from(tickets)
    .where(and(eq(tickets.eventId, eventId), inArray(tickets.attendeeName, names)));
  if (found.length === 0) return;
  const order = (name: string | null) => names.indexOf(name ?? '');
  found.sort((a, b) => order(a.name) - order(b.name));
  const label = { en: 'Lunch voucher', 'zh-CN': '午餐券', ru: 'Талон на обед' };
  for (const [i, t] of found.entries()) {
    const items = demoInfoItems(i, times);
    const info = tx.insert(attendeeInfo).values({ ticketId: t.id, eventId, items, updatedAt: now });
    await (moved
      ? info.onConflictDoUpdate({ target: attendeeInfo.ticketId, set: { items, updatedAt: now, seq: sql`nextval('change_seq')` } })
      : info.onConflictDoNothing());
    // At most one active voucher per ticket and kind (a unique index): one there already stays.
    await tx
      .insert(entitlements)
      .values({ id: uuidv7(), ticketId: t.id, eventId, kind: DEMO_MEAL, label, validFrom: times.startsAt, validTo: times.endsAt, updatedAt: now })
      .onConflictDoNothing();
  }
  if (moved) {
    await tx
      .update(entitlements)
      .set({ validFrom: times.startsAt, validTo: times.endsAt, updatedAt: now, seq: sql`nextval('change_seq')` })
      .where(
        and(
          eq(entitlements.eventId, eventId),
          eq(entitlements.kind, DEMO_MEAL),
          eq(entitlements.active, true),
          inArray(
            entitlements.ticketId,
            found.map((t) => t.id),
          ),
        ),
      );
  }
}
