// Owns the self-service kiosk at the server, terminal side: attendee information, entitlements, kiosk
// settings and kiosk alerts as they go on the wire (the change feed's rows), the alerts kiosks push (kept
// once by id with the pushing device, replicated to every terminal of the event), an attendee's
// information as a kiosk fetches it online, a manager resolving an alert (the first resolution stands),
// and the entitlements the check-in rules read for a ticket.
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import {
  type AttendeeInfoItem,
  type AttendeeInfoRow,
  DEFAULT_KIOSK_SETTINGS,
  type EntitlementRow,
  type KioskAlertRow,
  type KioskAttendeeInfo,
  KioskSettings,
  type KioskSettingsRow,
} from '../../../domain/kiosk-wire';
import type { Role } from '../../../domain/enums';
import type { KioskAlertRecord } from '../../../domain/outbox';
import type { PushResponse } from '../../../domain/wire';
import type { ServerDb } from '../db/client';
import { attendeeInfo, devices, entitlements, events, kioskAlerts, kioskSettings, operators, tickets } from '../db/schema';
import { type ServerTx, writeTx } from '../db/writes';
import { ApiFailure } from '../errors';
import { assertServes, servedEventIds } from './deviceEvents';
import { iso, isoOrNull } from './rows';

type PushResult = PushResponse['results'][number];
type Db = ServerDb | ServerTx;

export type AttendeeInfoRecord = typeof attendeeInfo.$inferSelect;
export type EntitlementRecord = typeof entitlements.$inferSelect;
export type KioskSettingsRecord = typeof kioskSettings.$inferSelect;
export type KioskAlertRecordRow = typeof kioskAlerts.$inferSelect;

/** Roles that may resolve a kiosk's alert. */
const RESOLVING_ROLES: Role[] = ['manager', 'admin'];

// ---- wire rows -------------------------------------------------------------------------------------

export function attendeeInfoRow(r: AttendeeInfoRecord): AttendeeInfoRow {
  return { ticketId: r.ticketId, eventId: r.eventId, items: r.items, updatedAt: iso(r.updatedAt) };
}

export function entitlementRow(r: EntitlementRecord): EntitlementRow {
  return {
    id: r.id,
    ticketId: r.ticketId,
    eventId: r.eventId,
    kind: r.kind,
    label: r.label ?? null,
    from: isoOrNull(r.validFrom),
    to: isoOrNull(r.validTo),
    active: r.active,
  };
}

/** Stored settings read through the schema: a field a newer version added gets its default. */
export function kioskSettingsOf(stored: unknown): KioskSettings {
  const parsed = KioskSettings.safeParse(stored ?? {});
  return parsed.success ? parsed.data : { ...DEFAULT_KIOSK_SETTINGS };
}

export function kioskSettingsRow(r: KioskSettingsRecord): KioskSettingsRow {
  return { ...kioskSettingsOf(r.settings), eventId: r.eventId };
}

export function kioskAlertRow(r: KioskAlertRecordRow, terminal: string | null = null): KioskAlertRow {
  return {
    id: r.id,
    deviceId: r.deviceId,
    eventId: r.eventId,
    kind: r.kind as KioskAlertRow['kind'],
    code: r.code,
    ticketId: r.ticketId,
    raisedAt: iso(r.raisedAt),
    resolvedAt: isoOrNull(r.resolvedAt),
    resolvedBy: r.resolvedBy,
    terminal,
  };
}

/** The names of the devices that raised these alerts (by device id). */
export async function alertTerminals(db: Db, rows: readonly { deviceId: string }[]): Promise<Map<string, string>> {
  const ids = [...new Set(rows.map((r) => r.deviceId))];
  if (ids.length === 0) return new Map();
  const found = await db.select({ id: devices.id, name: devices.name }).from(devices).where(inArray(devices.id, ids));
  return new Map(found.map((d) => [d.id, d.name]));
}

/** The event's kiosk settings; an event without a row has the defaults. */
export async function readKioskSettings(db: Db, eventId: string): Promise<KioskSettings> {
  const [row] = await db.select().from(kioskSettings).where(eq(kioskSettings.eventId, eventId));
  return row ? kioskSettingsOf(row.settings) : { ...DEFAULT_KIOSK_SETTINGS };
}

// ---- information -----------------------------------------------------------------------------------

/** A ticket's information items and its active entitlements (none: empty lists). */
export async function infoOfTicket(db: Db, ticketId: string): Promise<{ items: AttendeeInfoItem[]; entitlements: EntitlementRow[] }> {
  const [info] = await db.select().from(attendeeInfo).where(eq(attendeeInfo.ticketId, ticketId));
  const held = await db
    .select()
    .from(entitlements)
    .where(and(eq(entitlements.ticketId, ticketId), eq(entitlements.active, true)))
    .orderBy(asc(entitlements.kind));
  return { items: info?.items ?? [], entitlements: held.map(entitlementRow) };
}

/** GET /v1/kiosk/attendees/:ticketId/info: unknown → 404 not_found; another event's → 403 forbidden_event. */
export async function kioskAttendeeInfo(db: ServerDb, deviceId: string, ticketId: string): Promise<KioskAttendeeInfo> {
  const [ticket] = await db.select({ id: tickets.id, eventId: tickets.eventId }).from(tickets).where(eq(tickets.id, ticketId));
  if (!ticket) throw new ApiFailure('not_found', `no ticket ${ticketId}`);
  await assertServes(db, deviceId, ticket.eventId);
  return { ticketId: ticket.id, ...(await infoOfTicket(db, ticket.id)) };
}

// ---- alerts --------------------------------------------------------------------------------------------

/**
 * Keeps the pushed kiosk alerts, each once by its id, with the pushing device as its device: duplicate
 * when stored already; invalid when it names an event the device does not serve (forbidden_event) or a
 * ticket that is not of that event. `raisedAt` is the record's `at`.
 */
export async function insertKioskAlerts(
  tx: ServerTx,
  deviceId: string,
  recs: readonly { index: number; rec: KioskAlertRecord }[],
  results: PushResult[],
  bump: (seq: unknown) => void,
  now: Date,
): Promise<void> {
  const stored = new Set(
    (await tx.select({ id: kioskAlerts.id }).from(kioskAlerts).where(inArray(kioskAlerts.id, recs.map((r) => r.rec.id)))).map((r) => r.id),
  );
  const served = new Set(await servedEventIds(tx, deviceId));
  const ticketIds = [...new Set(recs.map((r) => r.rec.ticketId).filter((t): t is string => t !== null))];
  const ticketEvents = new Map(
    ticketIds.length
      ? (await tx.select({ id: tickets.id, eventId: tickets.eventId }).from(tickets).where(inArray(tickets.id, ticketIds))).map((t) => [t.id, t.eventId])
      : [],
  );
  const fresh: { index: number; rec: KioskAlertRecord }[] = [];
  for (const r of recs) {
    const { rec, index } = r;
    if (stored.has(rec.id)) {
      results[index] = { id: rec.id, status: 'duplicate' };
      continue;
    }
    if (rec.eventId !== null && !served.has(rec.eventId)) {
      results[index] = { id: rec.id, status: 'invalid', detail: `forbidden_event: this device does not serve event ${rec.eventId}` };
      continue;
    }
    if (rec.ticketId !== null) {
      const eventId = ticketEvents.get(rec.ticketId);
      // A ticket the server does not know (an offline kiosk read a code of another system) is kept as an
      // id only; one of another event than the alert's is refused.
      if (eventId !== undefined && (rec.eventId === null ? !served.has(eventId) : eventId !== rec.eventId)) {
        results[index] = { id: rec.id, status: 'invalid', detail: `bad_request: ticket ${rec.ticketId} is not of event ${rec.eventId ?? '(none)'}` };
        continue;
      }
    }
    fresh.push(r);
  }
  if (fresh.length === 0) return;
  const inserted = await tx
    .insert(kioskAlerts)
    .values(
      fresh.map(({ rec }) => ({
        id: rec.id,
        deviceId,
        eventId: rec.eventId,
        kind: rec.alertKind,
        code: rec.code,
        ticketId: rec.ticketId,
        raisedAt: new Date(rec.at),
        receivedAt: now,
      })),
    )
    .onConflictDoNothing()
    .returning({ id: kioskAlerts.id, seq: kioskAlerts.seq });
  const got = new Set<string>();
  for (const r of inserted) {
    got.add(r.id);
    bump(r.seq);
  }
  for (const { index, rec } of fresh) results[index] = { id: rec.id, status: got.has(rec.id) ? 'accepted' : 'duplicate' };
}

export interface ResolveOutcome {
  alert: KioskAlertRow;
  /** The alert's new change number; null when it was resolved already (nothing written). */
  seq: number | null;
}

/**
 * A manager marks an alert dealt with. The operator must be an active manager or admin (403 forbidden);
 * an unknown alert is 404 not_found; one of an event the device does not serve 403 forbidden_event. An
 * alert resolved already keeps its first resolution, which is the answer.
 */
export async function resolveKioskAlert(db: ServerDb, deviceId: string, alertId: string, operatorId: string, now: Date): Promise<ResolveOutcome> {
  return writeTx(db, async (tx) => {
    const [alert] = await tx.select().from(kioskAlerts).where(eq(kioskAlerts.id, alertId)).for('update');
    if (!alert) throw new ApiFailure('not_found', `no kiosk alert ${alertId}`);
    if (alert.eventId !== null) await assertServes(tx, deviceId, alert.eventId);
    const [operator] = await tx.select({ role: operators.role, active: operators.active }).from(operators).where(eq(operators.id, operatorId));
    if (!operator || !operator.active || !RESOLVING_ROLES.includes(operator.role)) {
      throw new ApiFailure('forbidden', 'the operator may not resolve kiosk alerts (an active manager or admin may)');
    }
    if (alert.resolvedAt !== null) return { alert: kioskAlertRow(alert), seq: null };
    const [row] = await tx
      .update(kioskAlerts)
      .set({ resolvedAt: now, resolvedBy: operatorId, seq: sql`nextval('change_seq')` })
      .where(eq(kioskAlerts.id, alertId))
      .returning();
    return { alert: kioskAlertRow(row!), seq: row!.seq };
  });
}

/** Whether the event exists (404 not_found otherwise). */
export async function assertEventExists(db: Db, eventId: string): Promise<void> {
  const [event] = await db.select({ id: events.id }).from(events).where(eq(events.id, eventId));
  if (!event) throw new ApiFailure('not_found', `no event ${eventId}`);
}
