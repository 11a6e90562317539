// Owns "changes since N": one page of replicated rows across all kinds, in seq order. Keyset paging on
// the seq indexes only (no OFFSET), so page 200 of a million-ticket first pull costs the same as page 1:
// first find which seqs make up the page (at most limit+1 index entries per table), then fetch each
// table's rows in that seq range.
//
// Each device sees only the rows of the events it serves (services/deviceEvents.ts; operators are not
// per event). The seq stays global: a page skips other events' rows and `next` still moves past them, so
// paging is unchanged. When a device's set of events changes, its cache may hold rows of an event it no
// longer serves, or lack rows of a newly served one that lie below its cursor: the next pull then
// answers `reset` (drop other events' rows, pull again from 0). When neither is the case (typically a
// new event bound before anything of it was pulled past), the pull goes on as usual; either way the
// device's cache is from then on recorded as complete for its current set.
import { and, asc, eq, gt, inArray, isNull, lte, or, type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Change, ChangesResponse, OptionalChangeKind } from '../../../domain/wire';
import type { ServerDb } from '../db/client';
import {
  attendeeInfo,
  badgePrints,
  badgeSettings,
  badgeTemplates,
  checkInPoints,
  checkins,
  entitlements,
  eventKeys,
  events,
  eventSessions,
  kioskAlerts,
  kioskSettings,
  operators,
  quotas,
  quotaTicketTypes,
  revocations,
  tickets,
  ticketTypeForms,
  ticketTypes,
} from '../db/schema';
import { readWatermark, rowsOf } from '../db/writes';
import { badgePrintRow, badgeSettingsRow, badgeTemplateRow } from './badges';
import { alertTerminals, attendeeInfoRow, entitlementRow, kioskAlertRow, kioskSettingsRow } from './kiosk';
import { advanceFeedSeq, anyRowAtOrBelow, confirmFeed, feedScope } from './deviceEvents';
import { staffOfPoints } from './pointStaff';
import {
  checkInPointRow,
  checkinRow,
  eventKeyRow,
  eventRow,
  eventSessionRow,
  operatorRow,
  quotaRow,
  revocationRow,
  ticketRow,
  ticketTypeRow,
} from './rows';

type Kind = Change['kind'];
/** Tickets dominate a first pull; fetch only what goes on the wire (no created_at to parse). */
const TICKET_COLUMNS = {
  id: tickets.id,
  eventId: tickets.eventId,
  ticketTypeId: tickets.ticketTypeId,
  orderId: tickets.orderId,
  code: tickets.code,
  status: tickets.status,
  paid: tickets.paid,
  attendeeName: tickets.attendeeName,
  orderCode: tickets.orderCode,
  phoneLast4: tickets.phoneLast4,
  idHash: tickets.idHash,
  rotatingSecret: tickets.rotatingSecret,
  validFrom: tickets.validFrom,
  validTo: tickets.validTo,
  seq: tickets.seq,
};
const CHECKIN_COLUMNS = {
  id: checkins.id,
  ticketId: checkins.ticketId,
  deviceId: checkins.deviceId,
  at: checkins.at,
  status: checkins.status,
  pointId: checkins.pointId,
  direction: checkins.direction,
  seq: checkins.seq,
};
/** Never `select()` event_keys here: the private key must not even be read on this path. */
const EVENT_KEY_COLUMNS = {
  eventId: eventKeys.eventId,
  keyId: eventKeys.keyId,
  publicKey: eventKeys.publicKey,
  signing: eventKeys.signing,
  retired: eventKeys.retired,
  seq: eventKeys.seq,
};
const REVOCATION_COLUMNS = {
  ticketId: revocations.ticketId,
  eventId: revocations.eventId,
  at: revocations.at,
  seq: revocations.seq,
};
const TABLE_OF: Record<Kind, string> = {
  event: 'events',
  ticket_type: 'ticket_types',
  ticket: 'tickets',
  checkin: 'checkins',
  operator: 'operators',
  check_in_point: 'check_in_points',
  event_key: 'event_keys',
  revocation: 'revocations',
  event_session: 'event_sessions',
  quota: 'quotas',
  form: 'ticket_type_forms',
  badge_template: 'badge_templates',
  badge_settings: 'badge_settings',
  badge_print: 'badge_prints',
  attendee_info: 'attendee_info',
  entitlement: 'entitlements',
  kiosk_settings: 'kiosk_settings',
  kiosk_alert: 'kiosk_alerts',
};
/** `optional`: the kinds of OPTIONAL_CHANGE_KINDS the terminal asked for (none: a terminal of an earlier
 *  version, which could not parse them). */
export async function readChanges(
  db: ServerDb,
  deviceId: string,
  since: number,
  limit: number,
  optional: readonly OptionalChangeKind[] = [],
): Promise<ChangesResponse> {
  const watermark = await readWatermark(db);
  // Read after the watermark: a binding committed at or below it is seen here.
  const scope = await feedScope(db, deviceId);
  const had = new Set(scope.feedEventIds);
  const now = new Set(scope.eventIds);
  if (had.size !== now.size || scope.eventIds.some((id) => !had.has(id))) {
    const dropped = scope.feedEventIds.some((id) => !now.has(id));
    const added = scope.eventIds.filter((id) => !had.has(id));
    // Rows of an added event the device passed over without it: at or below both its cursor and the
    // highest cursor it was ever handed (a device that never pulled has missed nothing).
    const passed = Math.min(since, scope.feedSeq);
    if (since > 0 && (dropped || (await anyRowAtOrBelow(db, added, passed))))
      return { changes: [], next: 0, more: true, reset: { eventIds: scope.eventIds } };
    await confirmFeed(db, deviceId, scope.eventIds);
  }
  const page = await readPage(db, scope.eventIds, since, limit, watermark, optional);
  if (page.next > scope.feedSeq) await advanceFeedSeq(db, deviceId, page.next);
  return page;
}

async function readPage(
  db: ServerDb,
  served: readonly string[],
  since: number,
  limit: number,
  watermark: number,
  optional: readonly OptionalChangeKind[],
): Promise<ChangesResponse> {
  if (watermark <= since) return { changes: [], next: since, more: false };

  const probe = limit + 1;
  // "where seq > N order by seq limit K" walks the seq index and stops after K entries whatever the
  // statistics say; the watermark is applied outside so it cannot widen the scan to the whole range.
  const eventsParam = sql`${sql.param([...served])}::uuid[]`;
  const window = (kind: Kind, scoped: SQL | null) =>
    sql`(select ${kind}::text as kind, seq from ${sql.identifier(TABLE_OF[kind])}
         where seq > ${since} ${scoped ? sql`and ${scoped}` : sql``} order by seq limit ${probe})`;
  const windows: SQL[] = [window('operator', null)];
  if (served.length > 0) {
    windows.push(
      window('event', sql`id = any(${eventsParam})`),
      window('ticket_type', sql`event_id = any(${eventsParam})`),
      window('ticket', sql`event_id = any(${eventsParam})`),
      window('check_in_point', sql`event_id = any(${eventsParam})`),
      window('event_key', sql`event_id = any(${eventsParam})`),
      window('revocation', sql`event_id = any(${eventsParam})`),
      ...optional.filter((kind) => kind !== 'kiosk_alert').map((kind) => window(kind, sql`event_id = any(${eventsParam})`)),
      // A check-in carries no event of its own: its ticket's decides (one of an unknown ticket goes nowhere).
      sql`(select 'checkin'::text as kind, c.seq from checkins c join tickets t on t.id = c.ticket_id
           where c.seq > ${since} and t.event_id = any(${eventsParam}) order by c.seq limit ${probe})`,
    );
  }
  // An alert that names no event (a kiosk's own printer or camera) goes to every terminal.
  if (optional.includes('kiosk_alert')) {
    windows.push(window('kiosk_alert', served.length > 0 ? sql`(event_id is null or event_id = any(${eventsParam}))` : sql`event_id is null`));
  }
  const page = await rowsOf<{ kind: Kind; seq: number | string }>(
    db,
    sql`select kind, seq from (${sql.join(windows, sql` union all `)}) page
        where seq <= ${watermark} order by seq limit ${probe}`,
  );
  if (page.length === 0) return { changes: [], next: watermark, more: false };

  const more = page.length > limit;
  const taken = more ? page.slice(0, limit) : page;
  const upTo = Number(taken[taken.length - 1]!.seq);
  const kinds = new Set(taken.map((row) => row.kind));
  const range = (t: { seq: AnyPgColumn }) => and(gt(t.seq, since), lte(t.seq, upTo));
  const ofServed = (column: AnyPgColumn) => inArray(column, [...served]);

  const parts = await Promise.all([
    kinds.has('event')
      ? db
          .select()
          .from(events)
          .where(and(range(events), ofServed(events.id)))
          .orderBy(asc(events.seq))
          .then((rows) => rows.map((r): Change => ({ seq: r.seq, kind: 'event', row: eventRow(r) })))
      : [],
    kinds.has('ticket_type')
      ? db
          .select()
          .from(ticketTypes)
          .where(and(range(ticketTypes), ofServed(ticketTypes.eventId)))
          .orderBy(asc(ticketTypes.seq))
          .then((rows) => rows.map((r): Change => ({ seq: r.seq, kind: 'ticket_type', row: ticketTypeRow(r) })))
      : [],
    kinds.has('ticket')
      ? db
          .select(TICKET_COLUMNS)
          .from(tickets)
          .where(and(range(tickets), ofServed(tickets.eventId)))
          .orderBy(asc(tickets.seq))
          .then((rows) => rows.map((r): Change => ({ seq: r.seq, kind: 'ticket', row: ticketRow(r) })))
      : [],
    kinds.has('checkin')
      ? db
          .select(CHECKIN_COLUMNS)
          .from(checkins)
          .innerJoin(tickets, eq(tickets.id, checkins.ticketId))
          .where(and(range(checkins), ofServed(tickets.eventId)))
          .orderBy(asc(checkins.seq))
          .then((rows) => rows.map((r): Change => ({ seq: r.seq, kind: 'checkin', row: checkinRow(r) })))
      : [],
    kinds.has('operator')
      ? db
          .select()
          .from(operators)
          .where(range(operators))
          .orderBy(asc(operators.seq))
          .then((rows) => rows.map((r): Change => ({ seq: r.seq, kind: 'operator', row: operatorRow(r) })))
      : [],
    kinds.has('check_in_point')
      ? db
          .select()
          .from(checkInPoints)
          .where(and(range(checkInPoints), ofServed(checkInPoints.eventId)))
          .orderBy(asc(checkInPoints.seq))
          .then(async (rows) => {
            const staff = await staffOfPoints(db, rows.map((r) => r.id));
            return rows.map((r): Change => ({ seq: r.seq, kind: 'check_in_point', row: checkInPointRow(r, staff.get(r.id)) }));
          })
      : [],
    kinds.has('event_key')
      ? db
          .select(EVENT_KEY_COLUMNS)
          .from(eventKeys)
          .where(and(range(eventKeys), ofServed(eventKeys.eventId)))
          .orderBy(asc(eventKeys.seq))
          .then((rows) => rows.map((r): Change => ({ seq: r.seq, kind: 'event_key', row: eventKeyRow(r) })))
      : [],
    kinds.has('revocation')
      ? db
          .select(REVOCATION_COLUMNS)
          .from(revocations)
          .where(and(range(revocations), ofServed(revocations.eventId)))
          .orderBy(asc(revocations.seq))
          .then((rows) => rows.map((r): Change => ({ seq: r.seq, kind: 'revocation', row: revocationRow(r) })))
      : [],
    kinds.has('event_session')
      ? db
          .select()
          .from(eventSessions)
          .where(and(range(eventSessions), ofServed(eventSessions.eventId)))
          .orderBy(asc(eventSessions.seq))
          .then((rows) => rows.map((r): Change => ({ seq: r.seq, kind: 'event_session', row: eventSessionRow(r) })))
      : [],
    kinds.has('quota') ? quotaChanges(db, range(quotas), ofServed(quotas.eventId)) : [],
    kinds.has('form')
      ? db
          .select()
          .from(ticketTypeForms)
          .where(and(range(ticketTypeForms), ofServed(ticketTypeForms.eventId)))
          .orderBy(asc(ticketTypeForms.seq))
          .then((rows) =>
            rows.map(
              (r): Change => ({
                seq: r.seq,
                kind: 'form',
                row: { ticketTypeId: r.ticketTypeId, eventId: r.eventId, fields: r.fields, version: r.version },
              }),
            ),
          )
      : [],
    kinds.has('badge_template')
      ? db
          .select()
          .from(badgeTemplates)
          .where(and(range(badgeTemplates), ofServed(badgeTemplates.eventId)))
          .orderBy(asc(badgeTemplates.seq))
          .then((rows) => rows.map((r): Change => ({ seq: r.seq, kind: 'badge_template', row: badgeTemplateRow(r) })))
      : [],
    kinds.has('badge_settings')
      ? db
          .select()
          .from(badgeSettings)
          .where(and(range(badgeSettings), ofServed(badgeSettings.eventId)))
          .orderBy(asc(badgeSettings.seq))
          .then((rows) => rows.map((r): Change => ({ seq: r.seq, kind: 'badge_settings', row: badgeSettingsRow(r) })))
      : [],
    kinds.has('badge_print')
      ? db
          .select()
          .from(badgePrints)
          .where(and(range(badgePrints), ofServed(badgePrints.eventId)))
          .orderBy(asc(badgePrints.seq))
          .then((rows) => rows.map((r): Change => ({ seq: r.seq, kind: 'badge_print', row: badgePrintRow(r) })))
      : [],
    kinds.has('attendee_info')
      ? db
          .select()
          .from(attendeeInfo)
          .where(and(range(attendeeInfo), ofServed(attendeeInfo.eventId)))
          .orderBy(asc(attendeeInfo.seq))
          .then((rows) => rows.map((r): Change => ({ seq: r.seq, kind: 'attendee_info', row: attendeeInfoRow(r) })))
      : [],
    kinds.has('entitlement')
      ? db
          .select()
          .from(entitlements)
          .where(and(range(entitlements), ofServed(entitlements.eventId)))
          .orderBy(asc(entitlements.seq))
          .then((rows) => rows.map((r): Change => ({ seq: r.seq, kind: 'entitlement', row: entitlementRow(r) })))
      : [],
    kinds.has('kiosk_settings')
      ? db
          .select()
          .from(kioskSettings)
          .where(and(range(kioskSettings), ofServed(kioskSettings.eventId)))
          .orderBy(asc(kioskSettings.seq))
          .then((rows) => rows.map((r): Change => ({ seq: r.seq, kind: 'kiosk_settings', row: kioskSettingsRow(r) })))
      : [],
    kinds.has('kiosk_alert')
      ? db
          .select()
          .from(kioskAlerts)
          .where(and(range(kioskAlerts), or(isNull(kioskAlerts.eventId), served.length > 0 ? ofServed(kioskAlerts.eventId) : undefined)))
          .orderBy(asc(kioskAlerts.seq))
          .then(async (rows) => {
            const names = await alertTerminals(db, rows);
            return rows.map((r): Change => ({ seq: r.seq, kind: 'kiosk_alert', row: kioskAlertRow(r, names.get(r.deviceId) ?? null) }));
          })
      : [],
  ]);
  // A row updated between the probe and the fetch has moved past the watermark; it comes in a later pull.
  const changes = parts.flat().sort((a, b) => a.seq - b.seq);
  return { changes, next: more ? upTo : watermark, more };
}

/** Quotas in the page's range, each with its member types (a change of members re-stamps the quota). */
async function quotaChanges(db: ServerDb, inRange: SQL | undefined, served: SQL): Promise<Change[]> {
  const rows = await db.select().from(quotas).where(and(inRange, served)).orderBy(asc(quotas.seq));
  if (rows.length === 0) return [];
  const members = await db
    .select()
    .from(quotaTicketTypes)
    .where(
      inArray(
        quotaTicketTypes.quotaId,
        rows.map((r) => r.id),
      ),
    );
  return rows.map((r): Change => ({
    seq: r.seq,
    kind: 'quota',
    row: quotaRow(
      r,
      members.filter((m) => m.quotaId === r.id).map((m) => m.ticketTypeId),
    ),
  }));
}
