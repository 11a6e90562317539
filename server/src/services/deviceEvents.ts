// Owns which events each device serves: binding (at pairing, or set by the organizer), the check every
// sale, claim and pushed check-in goes through (forbidden_event otherwise), and what the change feed needs
// to keep a terminal's cache to exactly those events when the set changes (feedScope, confirmFeed).
import { and, eq, gt, inArray, lt, sql } from 'drizzle-orm';
import type { ServerDb } from '../db/client';
import { deviceEvents, devices, events } from '../db/schema';
import { rowsOf, type ServerTx, writeTx } from '../db/writes';
import { ApiFailure } from '../errors';
import { deviceInfo } from './rows';

type Db = ServerDb | ServerTx;

/** The events a device serves, in no particular order. */
export async function servedEventIds(db: Db, deviceId: string): Promise<string[]> {
  const rows = await db.select({ eventId: deviceEvents.eventId }).from(deviceEvents).where(eq(deviceEvents.deviceId, deviceId));
  return rows.map((r) => r.eventId);
}

/** Refuses (403 forbidden_event) when the device does not serve the event. */
export async function assertServes(db: Db, deviceId: string, eventId: string): Promise<void> {
  const [row] = await db
    .select({ eventId: deviceEvents.eventId })
    .from(deviceEvents)
    .where(and(eq(deviceEvents.deviceId, deviceId), eq(deviceEvents.eventId, eventId)));
  if (!row) throw new ApiFailure('forbidden_event', `this device does not serve event ${eventId}`);
}

/** The given event ids (lower case, deduplicated) after checking each exists: 404 names the first unknown. */
export async function existingEventIds(db: Db, eventIds: readonly string[]): Promise<string[]> {
  const wanted = [...new Set(eventIds.map((id) => id.toLowerCase()))];
  if (wanted.length === 0) return [];
  const found = new Set(
    (await db.select({ id: events.id }).from(events).where(inArray(events.id, wanted))).map((r) => r.id),
  );
  const missing = wanted.find((id) => !found.has(id));
  if (missing) throw new ApiFailure('not_found', `no event ${missing}`);
  return wanted;
}

/** Every event that has not ended at `now`: what a pairing code serves when the organizer named none. */
export async function currentEventIds(db: Db, now: Date): Promise<string[]> {
  const rows = await db.select({ id: events.id }).from(events).where(gt(events.endsAt, now));
  return rows.map((r) => r.id);
}

/** Binds a freshly paired device (its cache is empty: it is complete for its events as it is); events
 *  deleted since the code was made are skipped. */
export async function bindNewDevice(tx: ServerTx, deviceId: string, eventIds: readonly string[]): Promise<void> {
  if (eventIds.length === 0) return;
  const present = (await tx.select({ id: events.id }).from(events).where(inArray(events.id, [...eventIds]))).map((e) => e.id);
  if (present.length === 0) return;
  await tx
    .insert(deviceEvents)
    .values(present.map((eventId) => ({ deviceId, eventId })))
    .onConflictDoNothing();
  await tx.update(devices).set({ feedEventIds: present.sort() }).where(eq(devices.id, deviceId));
}

/** Replaces the set of events a device serves; its terminal follows on the next pull (services/changes.ts).
 *  `seq` is a change number taken for it, so a poke with it makes the terminal pull now (null: nothing
 *  changed). */
export async function setDeviceEvents(db: ServerDb, deviceId: string, eventIds: readonly string[]) {
  return writeTx(db, async (tx) => {
    const [device] = await tx.select().from(devices).where(eq(devices.id, deviceId)).for('update');
    if (!device) throw new ApiFailure('not_found', 'no such device');
    const wanted = await existingEventIds(tx, eventIds);
    const before = new Set(await servedEventIds(tx, deviceId));
    const same = before.size === wanted.length && wanted.every((id) => before.has(id));
    if (same) return { device: deviceInfo(device, wanted), seq: null };
    await tx.delete(deviceEvents).where(eq(deviceEvents.deviceId, deviceId));
    if (wanted.length > 0) await tx.insert(deviceEvents).values(wanted.map((eventId) => ({ deviceId, eventId })));
    const [taken] = await rowsOf<{ seq: number | string }>(tx, sql`select nextval('change_seq') as seq`);
    return { device: deviceInfo(device, wanted), seq: Number(taken!.seq) };
  });
}

/** Event ids per device, for listing devices. */
export async function eventIdsByDevice(db: Db): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const r of await db.select().from(deviceEvents)) {
    const list = out.get(r.deviceId) ?? [];
    list.push(r.eventId);
    out.set(r.deviceId, list);
  }
  return out;
}

/** What the change feed needs of a device: the events it serves and those its cache is complete for. */
export async function feedScope(
  db: Db,
  deviceId: string,
): Promise<{ eventIds: string[]; feedEventIds: string[]; feedSeq: number }> {
  // The cache's set first: a change racing with this read then shows as a difference, never hides one.
  const [device] = await db
    .select({ feedEventIds: devices.feedEventIds, feedSeq: devices.feedSeq })
    .from(devices)
    .where(eq(devices.id, deviceId));
  if (!device) throw new ApiFailure('unauthorized', 'unknown device');
  return {
    eventIds: (await servedEventIds(db, deviceId)).sort(),
    feedEventIds: [...device.feedEventIds].sort(),
    feedSeq: device.feedSeq,
  };
}

/** Remembers the highest `next` handed to the device (only ever raised). */
export async function advanceFeedSeq(db: Db, deviceId: string, next: number): Promise<void> {
  await db
    .update(devices)
    .set({ feedSeq: next })
    .where(and(eq(devices.id, deviceId), lt(devices.feedSeq, next)));
}

/** Whether any row of these events (as it is now) has a change number at or below `since`: a terminal at
 *  that cursor, which did not serve them, has missed it. */
export async function anyRowAtOrBelow(db: Db, eventIds: readonly string[], since: number): Promise<boolean> {
  if (eventIds.length === 0 || since <= 0) return false;
  const ids = sql`${sql.param([...eventIds])}::uuid[]`;
  const [row] = await rowsOf<{ missed: boolean }>(
    db,
    sql`select exists(select 1 from events where id = any(${ids}) and seq <= ${since})
          or exists(select 1 from ticket_types where event_id = any(${ids}) and seq <= ${since})
          or exists(select 1 from tickets where event_id = any(${ids}) and seq <= ${since})
          or exists(select 1 from check_in_points where event_id = any(${ids}) and seq <= ${since})
          or exists(select 1 from event_keys where event_id = any(${ids}) and seq <= ${since})
          or exists(select 1 from revocations where event_id = any(${ids}) and seq <= ${since})
          or exists(select 1 from event_sessions where event_id = any(${ids}) and seq <= ${since})
          or exists(select 1 from quotas where event_id = any(${ids}) and seq <= ${since})
          or exists(select 1 from ticket_type_forms where event_id = any(${ids}) and seq <= ${since})
          or exists(select 1 from badge_templates where event_id = any(${ids}) and seq <= ${since})
          or exists(select 1 from badge_settings where event_id = any(${ids}) and seq <= ${since})
          or exists(select 1 from badge_prints where event_id = any(${ids}) and seq <= ${since})
          or exists(select 1 from checkins c join tickets t on t.id = c.ticket_id
                    where t.event_id = any(${ids}) and c.seq <= ${since}) as missed`,
  );
  return row?.missed === true;
}

/** The device's cache is (or, from this pull on, will be) complete for exactly these events. */
export async function confirmFeed(db: Db, deviceId: string, eventIds: readonly string[]): Promise<void> {
  await db.update(devices).set({ feedEventIds: [...eventIds] }).where(eq(devices.id, deviceId));
}
