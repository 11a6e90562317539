// Owns admission at the server: online claims and pushed (offline or unconfirmed) outbox records —
// check-ins, annulments and failed scans.
//
// Check-ins are decided by the shared rules (domain/rules.ts `decide`) over the server's history
// of the ticket. Re-entry policies allow several accepted entries per ticket, so no unique index can be
// the arbiter any more; instead each ticket's history has a version (ticket_versions). A claim reads
// history and version in one statement, decides, and writes with one conditional statement that only
// goes through if the version is unchanged (see claimTicket) — no lock is held while it decides. A pushed
// batch locks the rows of the tickets it decides on (SELECT … FOR NO KEY UPDATE — the FOR UPDATE variant
// that does not block foreign-key checks — taken in ticket-id order so two batches never wait on each
// other in a cycle), bumps their versions and only then reads their history. Two gates claiming the same
// ticket therefore decide one after the other, and the second sees the first's check-in.
//
// A pushed batch is applied set-based, in a handful of statements whatever its size: lock the tickets,
// load their whole history in one query, decide every record in memory in `at` order (each decision sees
// the ones before it), then insert all check-ins with one multi-row INSERT … ON CONFLICT (id) DO NOTHING
// RETURNING (what did not come back was already there: a duplicate).
//
// Annulments ("no passage followed") mark a check-in 'annulled' (kept, no longer a use). One that arrives
// before its check-in (two outboxes, or a reordered batch) is stored as pending — answered 'conflict' with
// a detail — and applied when the check-in arrives; sweepPendingAnnulments (run by the server's
// housekeeping timer) closes the remaining window where both arrive in concurrent transactions.
import { and, desc, eq, inArray, isNull, ne, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { ANNUL_WINDOW_MS, type AnnulRecord, type BadgePrintRecord, type CheckinRecord, type FailedScanRecord, type KioskAlertRecord, PushRecord, type ShiftRecord } from '../../../domain/outbox';
import type { ClaimResponse, PushResponse } from '../../../domain/wire';
import type { CheckinStatus, Direction, Reason } from '../../../domain/enums';
import { decide, DEFAULT_POINT, type PastCheckin, type PointRules, type TicketFacts } from '../../../domain/rules';
import type { AdminCheckinListItem, ConflictItem, FailedScanItem } from '../adminSchemas';
import type { ServerDb } from '../db/client';
import { annulments, checkInPoints, checkins, devices, failedScans, tickets } from '../db/schema';
import { rowsOf, type ServerTx, writeTx } from '../db/writes';
import { ApiFailure } from '../errors';
import { insertBadgePrints } from './badges';
import { insertKioskAlerts } from './kiosk';
import { assertServes, servedEventIds } from './deviceEvents';
import { assertDeviceAtPoint, pointsClosedToDevice } from './pointStaff';
import { DEFAULT_RECORD_TIMES, type EventWindow, implausibleTime, outsideEvent, type RecordTimeLimits } from './recordTimes';
import { iso } from './rows';

type PushResult = PushResponse['results'][number];

interface TicketState {
  eventId: string;
  facts: TicketFacts;
  /** When a check-in of this ticket is plausible at all (recordTimes.ts outsideEvent). */
  window: EventWindow;
}

interface PointState {
  eventId: string;
  zone: string | null;
  rules: PointRules;
}

/** One check-in of a ticket as the rules see it, plus what the server needs to report on it. */
interface HistoryItem extends PastCheckin {
  id: string;
  ticketId: string;
  state: CheckinStatus;
  deviceId: string | null;
}

const NUM = (v: unknown) => Number(v);
const toIso = (v: unknown): string => (v instanceof Date ? v : new Date(String(v))).toISOString();
const toIsoOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : toIso(v));

/** A ticket's row as the rules read it (its type's zones and its event's run joined in), in SQL's shape. */
interface TicketRow {
  event_id: string;
  ticket_type_id: string;
  status: TicketFacts['status'];
  paid: boolean;
  valid_from: unknown;
  valid_to: unknown;
  zones: string[] | string;
  starts_at: unknown;
  ends_at: unknown;
  /** The ticket's active entitlements (kind and validity), as JSON. */
  entitlements: { kind: string; from: unknown; to: unknown }[] | string;
}

/** The columns of a TicketRow, from `tickets t`, `ticket_types tt` and `events e`; the entitlements by
 *  the index on their ticket (few rows, most tickets none). */
const TICKET_COLUMNS = sql`t.event_id, t.ticket_type_id, t.status, t.paid, t.valid_from, t.valid_to, tt.zones, e.starts_at, e.ends_at,
  coalesce((select json_agg(json_build_object('kind', en.kind, 'from', en.valid_from, 'to', en.valid_to))
            from entitlements en where en.ticket_id = t.id and en.active), '[]'::json) as entitlements`;

/** A value a driver returned either parsed or as JSON text (PGlite and pg differ for json columns). */
const json = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);

function ticketState(r: TicketRow): TicketState {
  return {
    eventId: r.event_id,
    facts: {
      eventId: r.event_id,
      status: r.status,
      paid: r.paid,
      ticketTypeId: r.ticket_type_id,
      zones: json(r.zones),
      validFrom: toIsoOrNull(r.valid_from),
      validTo: toIsoOrNull(r.valid_to),
      entitlements: json(r.entitlements).map((e) => ({ kind: e.kind, from: toIsoOrNull(e.from), to: toIsoOrNull(e.to) })),
    },
    window: {
      eventId: r.event_id,
      startsAt: toIso(r.starts_at),
      endsAt: toIso(r.ends_at),
      validFrom: toIsoOrNull(r.valid_from),
      validTo: toIsoOrNull(r.valid_to),
    },
  };
}

/** A check-in's row as the rules read it, in SQL's shape. */
interface HistoryRow {
  id: string;
  at: unknown;
  direction: Direction;
  status: CheckinStatus;
  point_id: string | null;
  device_id: string | null;
}

function historyItem(ticketId: string, r: HistoryRow, points: Map<string, PointState>): HistoryItem {
  return {
    id: r.id,
    ticketId,
    at: toIso(r.at),
    direction: r.direction,
    state: r.status,
    zone: zoneOf(points, r.point_id),
    deviceId: r.device_id,
  };
}

/** Locks the tickets' rows (in id order, so concurrent batches cannot deadlock) and returns their state. */
async function lockTickets(tx: ServerTx, ids: readonly string[]): Promise<Map<string, TicketState>> {
  const out = new Map<string, TicketState>();
  if (ids.length === 0) return out;
  const sorted = [...ids].sort();
  const rows = await rowsOf<TicketRow & { id: string }>(
    tx,
    sql`select t.id, ${TICKET_COLUMNS}
        from tickets t join ticket_types tt on tt.id = t.ticket_type_id join events e on e.id = t.event_id
        where t.id = any(${sql.param(sorted)}::uuid[])
        order by t.id
        for no key update of t`,
  );
  for (const r of rows) out.set(r.id, ticketState(r));
  return out;
}

/** Check-in points of the given events plus any named explicitly, with their event's time zone. */
async function loadPoints(
  tx: ServerTx,
  eventIds: readonly string[],
  pointIds: readonly string[],
): Promise<Map<string, PointState>> {
  const out = new Map<string, PointState>();
  if (eventIds.length === 0 && pointIds.length === 0) return out;
  const rows = await rowsOf<PointJson>(
    tx,
    sql`select p.id, p.event_id, p.ticket_type_ids, p.zone, p.direction, p.reentry, p.windows, p.auto_checkout_at,
               p.entitlement, e.timezone
        from check_in_points p join events e on e.id = p.event_id
        where p.event_id = any(${sql.param([...eventIds])}::uuid[]) or p.id = any(${sql.param([...pointIds])}::uuid[])`,
  );
  for (const r of rows) out.set(r.id, pointState(r));
  return out;
}

/** Every check-in of the given tickets (known to the server or not), grouped by ticket. */
async function loadHistory(
  tx: ServerTx,
  ticketIds: readonly string[],
  points: Map<string, PointState>,
): Promise<Map<string, HistoryItem[]>> {
  const out = new Map<string, HistoryItem[]>();
  for (const id of ticketIds) out.set(id, []);
  if (ticketIds.length === 0) return out;
  const rows = await rowsOf<HistoryRow & { ticket_id: string }>(
    tx,
    // One index probe per ticket, whatever the statistics say: checkins grows fast during an event and
    // until it is analyzed again the planner would pick a full scan for "ticket_id = any(…)". OFFSET 0
    // keeps the lateral subquery from being flattened into a (hash) join.
    sql`select h.* from unnest(${sql.param([...ticketIds])}::uuid[]) as k(ticket_id)
        cross join lateral (
          select c.id, c.ticket_id, c.at, c.direction, c.status, c.point_id, c.device_id from checkins c
          where c.ticket_id = k.ticket_id offset 0
        ) h`,
  );
  for (const r of rows) out.get(r.ticket_id)!.push(historyItem(r.ticket_id, r, points));
  return out;
}

/**
 * Why a `not_acted` annulment may not apply, or null when it may. A terminal sends one after a restart
 * for a claim it made and never acted on (the turnstile never opened), however long ago, so it is not
 * bound to the annulment window — and is accepted only that narrowly: the device's own check-in, with
 * no later use of the ticket (a later use shows the holder did get through).
 */
function notActedRefusal(target: HistoryItem, deviceId: string, history: readonly HistoryItem[]): string | null {
  if (target.deviceId !== deviceId) return 'not_acted: not a check-in of this device';
  const at = Date.parse(target.at);
  if (history.some((h) => h.id !== target.id && h.state === 'accepted' && Date.parse(h.at) > at)) return 'not_acted: the ticket was used after this check-in';
  return null;
}

/** A check-in without a point, or at a point this server does not know, happened in the main area. */
const zoneOf = (points: Map<string, PointState>, pointId: string | null): string | null =>
  pointId === null ? null : (points.get(pointId)?.zone ?? null);

interface Verdict {
  status: 'accepted' | 'conflict';
  reason: Reason;
  /** The accepted check-in the refusal is about (double-admission report). */
  conflictsWith: string | null;
  firstAt: string | null;
}

/**
 * The rules' verdict on one check-in. The point's rules apply (DEFAULT_POINT when the terminal named none,
 * or one this server does not know); the record's own direction is what happened at the gate. A point of
 * another event admits none of this event's tickets (the rules compare the event ids).
 */
function judge(
  ticket: TicketState | undefined,
  points: Map<string, PointState>,
  record: { pointId: string | null; direction: Direction; at: string },
  history: readonly HistoryItem[],
): Verdict {
  const point = record.pointId === null ? undefined : points.get(record.pointId);
  const rules: PointRules = { ...(point?.rules ?? DEFAULT_POINT), direction: record.direction };
  const decision = decide(ticket?.facts, rules, history, new Date(record.at));
  if (decision.admitted) return { status: 'accepted', reason: decision.reason, conflictsWith: null, firstAt: null };
  const zone = point?.zone ?? null;
  const first =
    decision.firstUsedAt === null
      ? undefined
      : history.find((h) => h.at === decision.firstUsedAt && h.state === 'accepted' && h.zone === zone);
  return { status: 'conflict', reason: decision.reason, conflictsWith: first?.id ?? null, firstAt: decision.firstUsedAt };
}

/**
 * The rule by which an annulment waiting in `annulments a` applies to its check-in, as SQL: it is still
 * pending, it came from `device` (a device annuls only its own check-ins), and it is either `not_acted`
 * or dated within ANNUL_WINDOW_MS of `checkinAt`. The same rule as annulRefusal, for annulments that
 * arrived before their check-in; every statement that applies one uses this fragment.
 */
const annulmentApplies = (device: SQL, checkinAt: SQL): SQL =>
  sql`a.applied_at is null and a.device_id = ${device}
      and (a.reason = 'not_acted' or a.at <= ${checkinAt} + ${ANNUL_WINDOW_MS} * interval '1 millisecond')`;

/** Applies annulments that were waiting for these check-ins (all made by `deviceId`); returns the ids of
 *  those now annulled. Only the device's own annulments apply, and only within the annulment window (a
 *  `not_acted` one at any age); others stay pending, never applied. */
async function takePendingAnnulments(
  tx: ServerTx,
  deviceId: string,
  made: readonly { id: string; at: string }[],
  now: Date,
): Promise<Set<string>> {
  if (made.length === 0) return new Set();
  const rows = await rowsOf<{ checkin_id: string }>(
    tx,
    sql`update annulments a set applied_at = ${now.toISOString()}::timestamptz
        from unnest(${sql.param(made.map((m) => m.id))}::uuid[], ${sql.param(made.map((m) => m.at))}::timestamptz[]) as c(id, at)
        where a.checkin_id = c.id and ${annulmentApplies(sql`${deviceId}::uuid`, sql`c.at`)}
        returning a.checkin_id`,
  );
  return new Set(rows.map((r) => r.checkin_id));
}

/** Why a device may not annul this check-in, or null: only its own, and only within ANNUL_WINDOW_MS of
 *  the check-in (measured on the device's own clock: both times are its) unless it never acted on it. */
function annulRefusal(
  deviceId: string,
  annul: AnnulRecord,
  target: { deviceId: string; at: string },
): string | null {
  if (target.deviceId !== deviceId) return 'forbidden: a device may annul only its own check-ins';
  if (annul.reason !== 'not_acted' && Date.parse(annul.at) - Date.parse(target.at) > ANNUL_WINDOW_MS)
    return `annul_window_passed: more than ${ANNUL_WINDOW_MS / 1000} s after the check-in`;
  return null;
}

// ---- claims ---------------------------------------------------------------------------------------

export interface ClaimOutcome {
  response: ClaimResponse;
  seq: number | null;
}

export interface ClaimInput {
  checkinId: string;
  ticketId: string;
  at: string;
  pointId: string | null;
  direction: Direction;
}

/** How often a claim reads again after losing the race for its ticket's history to another write. Each
 *  lost race means another claim or push of the same ticket was written, so a few suffice; the bound
 *  only keeps a pathological storm from spinning. */
const CLAIM_ATTEMPTS = 20;

/**
 * Decides a claim on one read (ticket, its points, its history and the history's version, one
 * statement), then writes it with one conditional statement: the ticket's version row is upserted only
 * if it still holds the version read, and the check-in is inserted from that upsert's result. Two
 * claims of one ticket at the same instant both read version v; the conditional upsert lets exactly
 * one through (PostgreSQL re-checks the condition on the newest row version after waiting for the
 * other writer), the other reads again and sees the first's check-in. No lock is held while deciding.
 * A refused claim is not recorded: the terminal refuses the entry, so nothing happened at the gate.
 */
export async function claimTicket(
  db: ServerDb,
  deviceId: string,
  input: ClaimInput,
  now: Date,
  times: RecordTimeLimits = DEFAULT_RECORD_TIMES,
): Promise<ClaimOutcome> {
  const req = { ...input, checkinId: lower(input.checkinId), ticketId: lower(input.ticketId), pointId: lower(input.pointId) };
  // Dated implausibly (400 implausible_time) or for an event the device does not serve (403
  // forbidden_event): refused before anything is decided.
  const implausible = implausibleTime(req.at, now, times);
  if (implausible) throw new ApiFailure('implausible_time', implausible.replace(/^implausible_time: /, ''));
  const at = new Date(req.at).toISOString();
  for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
    const state = await readClaimState(db, req.ticketId, req.checkinId, req.pointId, deviceId, at);
    if (!state) throw new ApiFailure('not_found', `no ticket ${req.ticketId}`);
    const { ticket, points, history, version, annulPending } = state;
    if (attempt === 0) {
      await assertServes(db, deviceId, ticket.eventId);
      // At a point whose terminals the organizer named, from another one (403 forbidden_point).
      await assertDeviceAtPoint(db, deviceId, req.pointId);
      // Dated well outside its event (400 implausible_time): refused before anything is written.
      const outside = outsideEvent(req.at, ticket.window);
      if (outside) throw new ApiFailure('implausible_time', outside.replace(/^implausible_time: /, ''));
    }

    const same = history.find((h) => h.id === req.checkinId);
    if (same) {
      // A retried claim: "duplicate" unless that check-in was itself refused (pushed earlier as conflict).
      if (same.state !== 'conflict') return { seq: null, response: { status: 'duplicate', firstAt: null } };
      const verdict = judge(ticket, points, { ...req, at: same.at }, history.filter((h) => h.id !== same.id));
      return { seq: null, response: { status: 'conflict', firstAt: verdict.firstAt, reason: verdict.reason } };
    }

    const verdict = judge(ticket, points, { ...req, at }, history);
    if (verdict.status === 'conflict') return { seq: null, response: { status: 'conflict', firstAt: verdict.firstAt, reason: verdict.reason } };

    const written = await writeTx(db, async (tx) => {
      const [row] = await rowsOf<{ guarded: number; seq: unknown }>(
        tx,
        sql`with guard as (
              insert into ticket_versions as v (ticket_id, version) values (${req.ticketId}::uuid, ${version + 1})
              on conflict (ticket_id) do update set version = v.version + 1 where v.version = ${version}
              returning ticket_id
            ), ins as (
              insert into checkins (id, ticket_id, device_id, at, status, received_at, point_id, direction)
              select ${req.checkinId}::uuid, g.ticket_id, ${deviceId}::uuid, ${at}::timestamptz,
                     ${annulPending ? 'annulled' : 'accepted'}, ${now.toISOString()}::timestamptz,
                     ${req.pointId}::uuid, ${req.direction}
              from guard g
              on conflict (id) do nothing
              returning seq
            ), applied as (
              update annulments a set applied_at = ${now.toISOString()}::timestamptz
              where a.checkin_id = ${req.checkinId}::uuid
                and ${annulmentApplies(sql`${deviceId}::uuid`, sql`${at}::timestamptz`)}
                and exists (select 1 from ins)
              returning a.checkin_id
            )
            select (select count(*) from guard)::int as guarded, (select seq from ins) as seq,
                   (select count(*) from applied)::int as applied`,
      );
      return row!;
    });
    if (NUM(written.guarded) === 0) continue; // another write to this ticket's history came first: read again
    // The id is taken by a check-in of another ticket: the same request came before (answered then).
    if (written.seq === null || written.seq === undefined) return { seq: null, response: { status: 'duplicate', firstAt: null } };
    return { seq: NUM(written.seq), response: { status: 'accepted', firstAt: null } };
  }
  throw new ApiFailure('internal', 'claim kept losing the race for its ticket');
}

interface ClaimState {
  ticket: TicketState;
  points: Map<string, PointState>;
  history: HistoryItem[];
  version: number;
  /** An annulment of this very check-in arrived before it (applied as it is inserted). */
  annulPending: boolean;
}

/** Everything a claim is decided on, from one statement (so one snapshot): the ticket, the points of
 *  its event (and the named one), its history, and that history's version. */
async function readClaimState(
  db: ServerDb,
  ticketId: string,
  checkinId: string,
  pointId: string | null,
  deviceId: string,
  at: string,
): Promise<ClaimState | null> {
  const [r] = await rowsOf<
    TicketRow & {
      version: unknown;
      annul_pending: boolean;
      history: HistoryRow[] | string;
      points: PointJson[] | string;
    }
  >(
    db,
    sql`select ${TICKET_COLUMNS},
               coalesce(v.version, 0) as version,
               exists (select 1 from annulments a where a.checkin_id = ${checkinId}::uuid
                        and ${annulmentApplies(sql`${deviceId}::uuid`, sql`${at}::timestamptz`)}) as annul_pending,
               coalesce((select json_agg(json_build_object('id', c.id, 'at', c.at, 'direction', c.direction,
                                                           'status', c.status, 'point_id', c.point_id,
                                                           'device_id', c.device_id))
                         from checkins c where c.ticket_id = t.id), '[]'::json) as history,
               coalesce((select json_agg(json_build_object('id', p.id, 'event_id', p.event_id,
                                                           'ticket_type_ids', p.ticket_type_ids, 'zone', p.zone,
                                                           'direction', p.direction, 'reentry', p.reentry,
                                                           'windows', p.windows, 'auto_checkout_at', p.auto_checkout_at,
                                                           'entitlement', p.entitlement, 'timezone', e.timezone))
                         from check_in_points p join events e on e.id = p.event_id
                         where p.event_id = t.event_id or p.id = ${pointId}::uuid), '[]'::json) as points
        from tickets t
        join ticket_types tt on tt.id = t.ticket_type_id
        left join ticket_versions v on v.ticket_id = t.id
        join events e on e.id = t.event_id
        where t.id = ${ticketId}::uuid`,
  );
  if (!r) return null;
  const points = new Map<string, PointState>();
  for (const p of json(r.points)) points.set(p.id, pointState(p));
  return {
    ticket: ticketState(r),
    points,
    history: json(r.history).map((h) => historyItem(ticketId, h, points)),
    version: NUM(r.version),
    annulPending: r.annul_pending,
  };
}

type PointJson = {
  id: string;
  event_id: string;
  ticket_type_ids: string[] | string;
  zone: string | null;
  direction: Direction;
  reentry: PointRules['reentry'];
  windows: { from: string; to: string }[] | string;
  auto_checkout_at: string | null;
  entitlement: string | null;
  timezone: string;
};

function pointState(r: PointJson): PointState {
  return {
    eventId: r.event_id,
    zone: r.zone,
    rules: {
      id: r.id,
      eventId: r.event_id,
      ticketTypeIds: json(r.ticket_type_ids),
      zone: r.zone,
      direction: r.direction,
      reentry: r.reentry,
      windows: json(r.windows),
      autoCheckoutAt: r.auto_checkout_at,
      timezone: r.timezone,
      entitlement: r.entitlement ?? null,
    },
  };
}

/** Bumps the history version of tickets a push writes to, before their history is read: a claim that
 *  read the old version then fails its conditional write and reads again (see claimTicket). */
async function bumpTicketVersions(tx: ServerTx, ticketIds: readonly string[]): Promise<void> {
  if (ticketIds.length === 0) return;
  await tx.execute(
    sql`insert into ticket_versions as v (ticket_id, version)
        select k, 1 from unnest(${sql.param([...ticketIds].sort())}::uuid[]) as k
        on conflict (ticket_id) do update set version = v.version + 1`,
  );
}

// ---- pushes ---------------------------------------------------------------------------------------

export interface PushOutcome {
  response: PushResponse;
  seq: number | null;
}


/** The id a results entry carries for a record that did not parse (its own id when it has a string one). */
function rawId(record: unknown, index: number): string {
  const id = typeof record === 'object' && record !== null ? (record as { id?: unknown }).id : undefined;
  return typeof id === 'string' ? id.slice(0, 100) : `#${index}`;
}

function issues(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length ? issue.path.map(String).join('.') : '(record)'}: ${issue.message}`)
    .join('; ');
}

const lower = <T extends string | null>(id: T): T => (id === null ? id : (id.toLowerCase() as T));
function lowerIds(rec: PushRecord): PushRecord {
  switch (rec.kind) {
    case 'checkin':
      return { ...rec, id: lower(rec.id), ticketId: lower(rec.ticketId), pointId: lower(rec.pointId) };
    case 'annul':
      return { ...rec, id: lower(rec.id), checkinId: lower(rec.checkinId) };
    case 'failed_scan':
      return { ...rec, id: lower(rec.id), ticketId: lower(rec.ticketId), pointId: lower(rec.pointId) };
    case 'shift':
      return { ...rec, id: lower(rec.id), shiftId: lower(rec.shiftId) };
    case 'badge_print':
      return {
        ...rec,
        id: lower(rec.id),
        ticketId: lower(rec.ticketId),
        eventId: lower(rec.eventId),
        operatorId: lower(rec.operatorId),
        templateId: lower(rec.templateId),
        approvedBy: lower(rec.approvedBy),
      };
    case 'kiosk_alert':
      return { ...rec, id: lower(rec.id), eventId: lower(rec.eventId), ticketId: lower(rec.ticketId) };
  }
}

/** Earliest instant PostgreSQL takes from an ISO string (it has no year 0000, which the ISO pattern allows). */
const MIN_AT_MS = Date.parse('0001-01-01T00:00:00Z');
/** A time the database can store; anything else would fail the whole batch instead of one record. */
export const storableInstant = (iso: string): boolean => Date.parse(iso) >= MIN_AT_MS;

const PENDING_DETAIL = 'checkin_not_found: the annulment is kept and applied when the check-in arrives';

/**
 * Answers every record, in request order (results[i] is about records[i]). Each record is validated on
 * its own: a malformed one is answered 'invalid' with a detail and the others still apply.
 *  - checkin: accepted; conflict (the rules refuse it — kept as a conflict row, detail = the reason,
 *    never dropped, also when the ticket is unknown here); duplicate (this id is stored already).
 *  - annul: accepted (the check-in is now annulled); duplicate (this annulment, or the check-in was
 *    annulled already); conflict (no such check-in yet — kept pending, see the file comment).
 *  - failed_scan: accepted or duplicate.
 *  - shift (an X or Z report): accepted or duplicate.
 *  - kiosk_alert: accepted or duplicate; invalid when it names an event the device does not serve
 *    (services/kiosk.ts).
 *  - badge_print: accepted or duplicate; invalid when its ticket is unknown or of an event the device does
 *    not serve, or its approver is no active manager or admin (services/badges.ts).
 * Pushing the same records again (under a new request id) answers duplicate for all and changes nothing.
 */
export async function pushRecords(
  db: ServerDb,
  deviceId: string,
  records: readonly unknown[],
  now: Date,
  times: RecordTimeLimits = DEFAULT_RECORD_TIMES,
): Promise<PushOutcome> {
  const results = new Array<PushResult>(records.length);
  const sentIds = new Array<string | undefined>(records.length);
  const seen = new Set<string>();
  const checkinRecs: { index: number; rec: CheckinRecord }[] = [];
  const annulRecs: { index: number; rec: AnnulRecord }[] = [];
  const scanRecs: { index: number; rec: FailedScanRecord }[] = [];
  const shiftRecs: { index: number; rec: ShiftRecord }[] = [];
  const badgeRecs: { index: number; rec: BadgePrintRecord }[] = [];
  const alertRecs: { index: number; rec: KioskAlertRecord }[] = [];
  records.forEach((raw, index) => {
    const parsed = PushRecord.safeParse(raw);
    if (!parsed.success) {
      results[index] = { id: rawId(raw, index), status: 'invalid', detail: issues(parsed.error) };
      return;
    }
    // PostgreSQL answers with lower-case UUIDs; compare like with like (results echo the id as sent).
    const rec = lowerIds(parsed.data);
    sentIds[index] = parsed.data.id;
    if (!storableInstant(rec.at)) {
      results[index] = { id: rec.id, status: 'invalid', detail: 'at: out of range' };
      return;
    }
    const implausible = implausibleTime(rec.at, now, times);
    if (implausible) {
      results[index] = { id: rec.id, status: 'invalid', detail: implausible };
      return;
    }
    // The same record twice in one batch: the first occurrence is the one that counts.
    if (seen.has(rec.id)) {
      results[index] = { id: rec.id, status: 'duplicate' };
      return;
    }
    seen.add(rec.id);
    if (rec.kind === 'checkin') checkinRecs.push({ index, rec });
    else if (rec.kind === 'annul') annulRecs.push({ index, rec });
    else if (rec.kind === 'shift') shiftRecs.push({ index, rec });
    else if (rec.kind === 'badge_print') badgeRecs.push({ index, rec });
    else if (rec.kind === 'kiosk_alert') alertRecs.push({ index, rec });
    else scanRecs.push({ index, rec });
  });
  const answer = () => results.map((r, i) => (sentIds[i] === undefined ? r : { ...r, id: sentIds[i] }));
  if (checkinRecs.length + annulRecs.length + scanRecs.length + shiftRecs.length + badgeRecs.length + alertRecs.length === 0) return { seq: null, response: { results: answer() } };

  const seq = await writeTx(db, async (tx) => {
    let maxSeq: number | null = null;
    const bump = (s: unknown) => {
      maxSeq = Math.max(maxSeq ?? 0, NUM(s));
    };
    if (checkinRecs.length + annulRecs.length > 0) {
      await applyCheckinsAndAnnulments(tx, deviceId, checkinRecs, annulRecs, results, bump, now);
    }
    if (scanRecs.length > 0) await insertFailedScans(tx, deviceId, scanRecs, results);
    if (shiftRecs.length > 0) await insertShiftReports(tx, deviceId, shiftRecs, results);
    if (badgeRecs.length > 0) await insertBadgePrints(tx, deviceId, badgeRecs, results, bump, now);
    if (alertRecs.length > 0) await insertKioskAlerts(tx, deviceId, alertRecs, results, bump, now);
    return maxSeq as number | null;
  });
  return { seq, response: { results: answer() } };
}

async function applyCheckinsAndAnnulments(
  tx: ServerTx,
  deviceId: string,
  checkinRecs: readonly { index: number; rec: CheckinRecord }[],
  annulRecs: readonly { index: number; rec: AnnulRecord }[],
  results: PushResult[],
  bump: (seq: unknown) => void,
  now: Date,
): Promise<void> {
  // Annulments already stored (a replayed batch) are duplicates and must change nothing.
  const storedAnnuls = annulRecs.length
    ? new Set(
        (
          await rowsOf<{ id: string }>(
            tx,
            sql`select id from annulments where id = any(${sql.param(annulRecs.map((a) => a.rec.id))}::uuid[])`,
          )
        ).map((r) => r.id),
      )
    : new Set<string>();
  const annuls = annulRecs.filter((a) => {
    if (!storedAnnuls.has(a.rec.id)) return true;
    results[a.index] = { id: a.rec.id, status: 'duplicate' };
    return false;
  });

  // Which tickets do the annulled check-ins belong to? Their history changes, so they are locked too.
  const annulTargets = annuls.length
    ? await rowsOf<{ id: string; ticket_id: string; device_id: string; at: unknown }>(
        tx,
        sql`select id, ticket_id, device_id, at from checkins where id = any(${sql.param(annuls.map((a) => a.rec.checkinId))}::uuid[])`,
      )
    : [];
  const storedTargets = new Map(annulTargets.map((t) => [t.id, { deviceId: t.device_id, at: toIso(t.at) }]));
  const ticketIds = [...new Set([...checkinRecs.map((c) => c.rec.ticketId), ...annulTargets.map((t) => t.ticket_id)])].sort();
  const locked = await lockTickets(tx, ticketIds);
  await bumpTicketVersions(tx, ticketIds);
  const eventIds = [...new Set([...locked.values()].map((t) => t.eventId))];
  const pointIds = [...new Set(checkinRecs.map((c) => c.rec.pointId).filter((p): p is string => p !== null))];
  const points = await loadPoints(tx, eventIds, pointIds);
  const history = await loadHistory(tx, ticketIds, points);

  /** Every check-in this batch can see by id: the stored history, then this batch's new ones. */
  const byId = new Map<string, HistoryItem>();
  for (const items of history.values()) for (const h of items) byId.set(h.id, h);
  const served = new Set(await servedEventIds(tx, deviceId));
  const closedPoints = await pointsClosedToDevice(tx, deviceId, checkinRecs.map((c) => c.rec.pointId));
  const fresh = checkinRecs.filter((c) => {
    if (byId.has(c.rec.id)) {
      results[c.index] = { id: c.rec.id, status: 'duplicate' };
      return false;
    }
    // A ticket this server does not know is kept as a conflict below; one of an event the device does
    // not serve is refused.
    const eventId = locked.get(c.rec.ticketId)?.eventId;
    if (eventId !== undefined && !served.has(eventId)) {
      results[c.index] = { id: c.rec.id, status: 'invalid', detail: `forbidden_event: this device does not serve event ${eventId}` };
      return false;
    }
    if (c.rec.pointId !== null && closedPoints.has(c.rec.pointId)) {
      results[c.index] = { id: c.rec.id, status: 'invalid', detail: `forbidden_point: this device may not serve check-in point ${c.rec.pointId}` };
      return false;
    }
    // Dated well outside its event: refused like a record dated 2001 (recordTimes.ts).
    const ticket = locked.get(c.rec.ticketId);
    const outside = ticket ? outsideEvent(c.rec.at, ticket.window) : null;
    if (outside) {
      results[c.index] = { id: c.rec.id, status: 'invalid', detail: outside };
      return false;
    }
    return true;
  });
  const freshIds = new Set(fresh.map((c) => c.rec.id));
  const freshById = new Map(fresh.map((c) => [c.rec.id, c.rec]));
  const waiting = await takePendingAnnulments(
    tx,
    deviceId,
    fresh.map((c) => ({ id: c.rec.id, at: new Date(c.rec.at).toISOString() })),
    now,
  );

  // New check-in rows, in the order they are decided (which is also the order their seqs are taken).
  const rows: {
    index: number;
    id: string;
    ticketId: string;
    at: string;
    status: CheckinStatus;
    pointId: string | null;
    direction: Direction;
    reason: string | null;
    conflictsWith: string | null;
  }[] = [];
  const rowById = new Map<string, (typeof rows)[number]>();
  const annulStored = new Set<string>(); // stored check-ins this batch annuls
  const annulRows: { index: number; id: string; checkinId: string; at: string; reason: string; applied: boolean }[] = [];
  const deferred = new Map<string, { index: number; rec: AnnulRecord }[]>(); // annuls of later check-ins in this batch

  const annul = (a: { index: number; rec: AnnulRecord }, target: HistoryItem) => {
    const refusal = a.rec.reason === 'not_acted' ? notActedRefusal(target, deviceId, history.get(target.ticketId) ?? []) : null;
    if (refusal !== null) {
      results[a.index] = { id: a.rec.id, status: 'conflict', detail: refusal };
      return;
    }
    const row = { index: a.index, id: a.rec.id, checkinId: a.rec.checkinId, at: a.rec.at, reason: a.rec.reason, applied: true };
    annulRows.push(row);
    if (target.state === 'annulled') {
      results[a.index] = { id: a.rec.id, status: 'duplicate', detail: 'already annulled' };
      return;
    }
    target.state = 'annulled'; // later decisions in this batch no longer count it as a use
    const pending = rowById.get(target.id);
    if (pending) pending.status = 'annulled';
    else annulStored.add(target.id);
    results[a.index] = { id: a.rec.id, status: 'accepted' };
  };

  type Op = { at: number; index: number } & ({ kind: 'checkin'; c: (typeof fresh)[number] } | { kind: 'annul'; a: (typeof annuls)[number] });
  const ops: Op[] = [
    ...fresh.map((c): Op => ({ at: Date.parse(c.rec.at), index: c.index, kind: 'checkin', c })),
    ...annuls.map((a): Op => ({ at: Date.parse(a.rec.at), index: a.index, kind: 'annul', a })),
  ].sort((x, y) => x.at - y.at || x.index - y.index);

  for (const op of ops) {
    if (op.kind === 'annul') {
      const own = storedTargets.get(op.a.rec.checkinId) ?? (freshById.has(op.a.rec.checkinId) ? { deviceId, at: freshById.get(op.a.rec.checkinId)!.at } : undefined);
      const refusal = own ? annulRefusal(deviceId, op.a.rec, own) : null;
      if (refusal) {
        results[op.a.index] = { id: op.a.rec.id, status: 'invalid', detail: refusal };
        continue;
      }
      const target = byId.get(op.a.rec.checkinId);
      if (target) annul(op.a, target);
      else if (freshIds.has(op.a.rec.checkinId)) {
        const list = deferred.get(op.a.rec.checkinId) ?? [];
        list.push(op.a);
        deferred.set(op.a.rec.checkinId, list);
      } else {
        annulRows.push({ index: op.a.index, id: op.a.rec.id, checkinId: op.a.rec.checkinId, at: op.a.rec.at, reason: op.a.rec.reason, applied: false });
        results[op.a.index] = { id: op.a.rec.id, status: 'conflict', detail: PENDING_DETAIL };
      }
      continue;
    }
    const { rec, index } = op.c;
    const at = new Date(rec.at).toISOString();
    const ticketHistory = history.get(rec.ticketId)!;
    const verdict = judge(locked.get(rec.ticketId), points, { pointId: rec.pointId, direction: rec.direction, at }, ticketHistory);
    const status: CheckinStatus = waiting.has(rec.id) ? 'annulled' : verdict.status;
    const row = {
      index,
      id: rec.id,
      ticketId: rec.ticketId,
      at,
      status,
      pointId: rec.pointId,
      direction: rec.direction,
      reason: verdict.status === 'conflict' ? verdict.reason : null,
      conflictsWith: verdict.conflictsWith,
    };
    rows.push(row);
    rowById.set(rec.id, row);
    const item: HistoryItem = {
      id: rec.id,
      ticketId: rec.ticketId,
      at,
      direction: rec.direction,
      state: status,
      zone: zoneOf(points, rec.pointId),
      deviceId,
    };
    ticketHistory.push(item);
    byId.set(rec.id, item);
    results[index] =
      verdict.status === 'conflict'
        ? { id: rec.id, status: 'conflict', detail: verdict.reason }
        : status === 'annulled'
          ? { id: rec.id, status: 'accepted', detail: 'annulled' }
          : { id: rec.id, status: 'accepted' };
    for (const a of deferred.get(rec.id) ?? []) annul(a, item);
    deferred.delete(rec.id);
  }

  if (rows.length > 0) {
    const inserted = await rowsOf<{ id: string; seq: unknown }>(
      tx,
      sql`insert into checkins (id, ticket_id, device_id, at, status, received_at, point_id, direction, reason, conflicts_with)
          select u.id, u.ticket_id, ${deviceId}::uuid, u.at, u.status, ${now.toISOString()}::timestamptz, u.point_id,
                 u.direction, u.reason, u.conflicts_with
          from unnest(
            ${sql.param(rows.map((r) => r.id))}::uuid[],
            ${sql.param(rows.map((r) => r.ticketId))}::uuid[],
            ${sql.param(rows.map((r) => r.at))}::timestamptz[],
            ${sql.param(rows.map((r) => r.status))}::text[],
            ${sql.param(rows.map((r) => r.pointId))}::uuid[],
            ${sql.param(rows.map((r) => r.direction))}::text[],
            ${sql.param(rows.map((r) => r.reason))}::text[],
            ${sql.param(rows.map((r) => r.conflictsWith))}::uuid[]
          ) with ordinality as u(id, ticket_id, at, status, point_id, direction, reason, conflicts_with, n)
          order by u.n
          on conflict (id) do nothing
          returning id, seq`,
    );
    const got = new Set<string>();
    for (const r of inserted) {
      got.add(r.id);
      bump(r.seq);
    }
    // Not inserted: the id is already stored for another ticket, or a concurrent push of the same
    // record won the race. Either way that record was answered before.
    for (const r of rows) if (!got.has(r.id)) results[r.index] = { id: r.id, status: 'duplicate' };
  }

  if (annulStored.size > 0) {
    const updated = await rowsOf<{ seq: unknown }>(
      tx,
      sql`update checkins set status = 'annulled'
          where id = any(${sql.param([...annulStored])}::uuid[]) and status <> 'annulled'
          returning seq`,
    );
    for (const u of updated) bump(u.seq);
  }

  if (annulRows.length > 0) {
    const inserted = await rowsOf<{ id: string }>(
      tx,
      sql`insert into annulments (id, checkin_id, device_id, at, reason, received_at, applied_at)
          select u.id, u.checkin_id, ${deviceId}::uuid, u.at, u.reason, ${now.toISOString()}::timestamptz,
                 case when u.applied then ${now.toISOString()}::timestamptz end
          from unnest(
            ${sql.param(annulRows.map((r) => r.id))}::uuid[],
            ${sql.param(annulRows.map((r) => r.checkinId))}::uuid[],
            ${sql.param(annulRows.map((r) => new Date(r.at).toISOString()))}::timestamptz[],
            ${sql.param(annulRows.map((r) => r.reason))}::text[],
            ${sql.param(annulRows.map((r) => r.applied))}::boolean[]
          ) as u(id, checkin_id, at, reason, applied)
          on conflict (id) do nothing
          returning id`,
    );
    const got = new Set(inserted.map((r) => r.id));
    for (const r of annulRows) if (!got.has(r.id)) results[r.index] = { id: r.id, status: 'duplicate' };
  }
}

/** PostgreSQL text cannot hold NUL: a scanner reading garbage must not fail the whole batch. */
const storable = (text: string) => text.replace(/\0/g, '\uFFFD');

async function insertFailedScans(
  tx: ServerTx,
  deviceId: string,
  scans: readonly { index: number; rec: FailedScanRecord }[],
  results: PushResult[],
): Promise<void> {
  const inserted = await rowsOf<{ id: string }>(
    tx,
    sql`insert into failed_scans (id, device_id, code, ticket_id, reason, at, point_id)
        select u.id, ${deviceId}::uuid, u.code, u.ticket_id, u.reason, u.at, u.point_id
        from unnest(
          ${sql.param(scans.map((s) => s.rec.id))}::uuid[],
          ${sql.param(scans.map((s) => storable(s.rec.code)))}::text[],
          ${sql.param(scans.map((s) => s.rec.ticketId))}::uuid[],
          ${sql.param(scans.map((s) => storable(s.rec.reason)))}::text[],
          ${sql.param(scans.map((s) => new Date(s.rec.at).toISOString()))}::timestamptz[],
          ${sql.param(scans.map((s) => s.rec.pointId))}::uuid[]
        ) as u(id, code, ticket_id, reason, at, point_id)
        on conflict (id) do nothing
        returning id`,
  );
  const got = new Set(inserted.map((r) => r.id));
  for (const s of scans) results[s.index] = { id: s.rec.id, status: got.has(s.rec.id) ? 'accepted' : 'duplicate' };
}

/** Shift reports, each kept once under its id (a report pushed again is a duplicate). */
async function insertShiftReports(
  tx: ServerTx,
  deviceId: string,
  reports: readonly { index: number; rec: ShiftRecord }[],
  results: PushResult[],
): Promise<void> {
  for (const { index, rec } of reports) {
    const t = rec.totals;
    const inserted = await rowsOf<{ id: string }>(
      tx,
      sql`insert into shift_reports (id, device_id, shift_id, report, at, opened_at, opened_by, closed_at, closed_by, currency,
            float_minor, expected_cash_minor, counted_minor, variance_minor, totals)
          values (${rec.id}::uuid, ${deviceId}::uuid, ${rec.shiftId}::uuid, ${rec.report}, ${rec.at}::timestamptz,
            ${rec.openedAt}::timestamptz, ${storable(rec.openedBy)}, ${rec.closedAt}::timestamptz, ${rec.closedBy === null ? null : storable(rec.closedBy)},
            ${t.currency}, ${t.floatMinor}, ${t.expectedCashMinor}, ${rec.countedMinor}, ${rec.varianceMinor}, ${JSON.stringify(t).replace(/\\u0000/g, '\\ufffd')}::jsonb)
          on conflict (id) do nothing
          returning id`,
    );
    results[index] = { id: rec.id, status: inserted.length > 0 ? 'accepted' : 'duplicate' };
  }
}

/**
 * Applies pending annulments whose check-in has arrived meanwhile. Needed only when an annulment and its
 * check-in were pushed in two transactions running at the same moment (each saw the other not yet
 * committed); everything else is applied inline. Returns the highest seq written, or null.
 */
export async function sweepPendingAnnulments(db: ServerDb, now: Date): Promise<number | null> {
  return writeTx(db, async (tx) => {
    const applied = await rowsOf<{ checkin_id: string }>(
      tx,
      sql`update annulments a set applied_at = ${now.toISOString()}::timestamptz
          from checkins c
          where c.id = a.checkin_id and ${annulmentApplies(sql`c.device_id`, sql`c.at`)}
          returning a.checkin_id`,
    );
    if (applied.length === 0) return null;
    const updated = await tx
      .update(checkins)
      .set({ status: 'annulled' })
      .where(
        and(
          inArray(
            checkins.id,
            applied.map((a) => a.checkin_id),
          ),
          ne(checkins.status, 'annulled'),
        ),
      )
      .returning({ seq: checkins.seq });
    return updated.length ? Math.max(...updated.map((u) => u.seq)) : null;
  });
}

// ---- organizer reports ----------------------------------------------------------------------------

/** Check-ins newest first, accepted, conflict and annulled alike unless `status` says which. */
export async function listCheckins(
  db: ServerDb,
  query: { limit: number; status?: CheckinStatus | undefined; ticketId?: string | undefined },
): Promise<AdminCheckinListItem[]> {
  const rows = await db
    .select({
      id: checkins.id,
      ticketId: checkins.ticketId,
      ticketCode: tickets.code,
      deviceId: checkins.deviceId,
      deviceName: devices.name,
      at: checkins.at,
      status: checkins.status,
      pointId: checkins.pointId,
      direction: checkins.direction,
    })
    .from(checkins)
    .leftJoin(tickets, eq(tickets.id, checkins.ticketId))
    .innerJoin(devices, eq(devices.id, checkins.deviceId))
    .where(
      and(
        query.status ? eq(checkins.status, query.status) : undefined,
        query.ticketId ? eq(checkins.ticketId, query.ticketId) : undefined,
      ),
    )
    .orderBy(desc(checkins.seq))
    .limit(query.limit);
  // A pushed check-in for a ticket unknown to this server has no code to show.
  return rows.map((r) => ({ ...r, ticketCode: r.ticketCode ?? '', at: iso(r.at) }));
}

/** The double-admission report: every conflict row with the accepted check-in it collided with. */
export async function listConflicts(
  db: ServerDb,
  query: { limit?: number | undefined; eventId?: string | undefined },
): Promise<ConflictItem[]> {
  const first = alias(checkins, 'first');
  const firstDevice = alias(devices, 'first_device');
  const point = alias(checkInPoints, 'point');
  const firstPoint = alias(checkInPoints, 'first_point');
  const report = db
    .select({
      id: checkins.id,
      ticketId: checkins.ticketId,
      ticketCode: tickets.code,
      eventId: tickets.eventId,
      deviceId: checkins.deviceId,
      deviceName: devices.name,
      at: checkins.at,
      receivedAt: checkins.receivedAt,
      direction: checkins.direction,
      pointId: point.id,
      pointName: point.name,
      reason: checkins.reason,
      firstId: first.id,
      firstDeviceId: first.deviceId,
      firstDeviceName: firstDevice.name,
      firstAt: first.at,
      firstStatus: first.status,
      firstPointId: firstPoint.id,
      firstPointName: firstPoint.name,
    })
    .from(checkins)
    .innerJoin(devices, eq(devices.id, checkins.deviceId))
    .leftJoin(tickets, eq(tickets.id, checkins.ticketId))
    .leftJoin(point, eq(point.id, checkins.pointId))
    .leftJoin(first, eq(first.id, checkins.conflictsWith))
    .leftJoin(firstDevice, eq(firstDevice.id, first.deviceId))
    .leftJoin(firstPoint, eq(firstPoint.id, first.pointId))
    .where(and(eq(checkins.status, 'conflict'), query.eventId ? eq(tickets.eventId, query.eventId) : undefined))
    .orderBy(desc(checkins.receivedAt), desc(checkins.seq))
    .$dynamic();
  const rows = await (query.limit === undefined ? report : report.limit(query.limit));
  return rows.map((r) => ({
    id: r.id,
    ticketId: r.ticketId,
    ticketCode: r.ticketCode ?? '',
    eventId: r.eventId,
    deviceId: r.deviceId,
    deviceName: r.deviceName,
    at: iso(r.at),
    receivedAt: iso(r.receivedAt),
    direction: r.direction,
    point: r.pointId && r.pointName ? { id: r.pointId, name: r.pointName } : null,
    reason: r.reason,
    accepted:
      r.firstId && r.firstDeviceId && r.firstAt && r.firstStatus
        ? {
            id: r.firstId,
            deviceId: r.firstDeviceId,
            deviceName: r.firstDeviceName ?? '',
            at: iso(r.firstAt),
            status: r.firstStatus,
            point: r.firstPointId && r.firstPointName ? { id: r.firstPointId, name: r.firstPointName } : null,
          }
        : null,
  }));
}

export async function listFailedScans(
  db: ServerDb,
  query: { limit: number; deviceId?: string | undefined; ticketId?: string | undefined },
): Promise<FailedScanItem[]> {
  const rows = await db
    .select({
      id: failedScans.id,
      deviceId: failedScans.deviceId,
      deviceName: devices.name,
      code: failedScans.code,
      ticketId: failedScans.ticketId,
      reason: failedScans.reason,
      at: failedScans.at,
      receivedAt: failedScans.receivedAt,
      pointId: checkInPoints.id,
      pointName: checkInPoints.name,
    })
    .from(failedScans)
    .innerJoin(devices, eq(devices.id, failedScans.deviceId))
    .leftJoin(checkInPoints, eq(checkInPoints.id, failedScans.pointId))
    .where(
      and(
        query.deviceId ? eq(failedScans.deviceId, query.deviceId) : undefined,
        query.ticketId ? eq(failedScans.ticketId, query.ticketId) : undefined,
      ),
    )
    .orderBy(desc(failedScans.receivedAt), desc(failedScans.at))
    .limit(query.limit);
  return rows.map((r) => ({
    id: r.id,
    deviceId: r.deviceId,
    deviceName: r.deviceName,
    code: r.code,
    ticketId: r.ticketId,
    reason: r.reason,
    at: iso(r.at),
    receivedAt: iso(r.receivedAt),
    point: r.pointId && r.pointName ? { id: r.pointId, name: r.pointName } : null,
  }));
}

/** Pending annulments (their check-in has not arrived yet), for tests and diagnostics. */
export async function pendingAnnulments(db: ServerDb): Promise<{ id: string; checkinId: string }[]> {
  return db
    .select({ id: annulments.id, checkinId: annulments.checkinId })
    .from(annulments)
    .where(isNull(annulments.appliedAt));
}

