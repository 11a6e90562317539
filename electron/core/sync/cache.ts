// Owns the replicated cache: the server's events, sessions, ticket types (with their registration forms),
// quotas, tickets, check-in points, event keys and revocations, attendees' information and entitlements as this terminal last pulled them — only of the events it serves (the server filters; a
// change of those events drops the others' rows here), and without attendees' personal data (names,
// phone digits, ID hashes) of events that ended more than the retention setting ago. Only sync writes it (through the appliers below, inside
// its transaction, plus the bulk-load switch of a first sync); every other feature reads it through
// CacheReader. Kept on prepared better-sqlite3 statements: the scan path and a million-row first sync
// run through here.
import type Database from 'better-sqlite3';
import type { Direction, ReentryPolicy, TicketStatus } from '../../../domain/enums';
import { SALE_CHANNELS } from '../../../domain/catalog';
import type { CheckInPointRow } from '../../../domain/wire';
import type { Meta } from '../db/meta';
import type { ChangeAppliers } from './changes';
import { normalizeName } from './names';

export type TicketRecord = {
  id: string;
  status: TicketStatus;
  paid: boolean;
  code: string;
  eventId: string;
  ticketTypeId: string;
  attendeeName: string | null;
  orderCode: string | null;
  rotatingSecret: string | null;
  validFrom: string | null;
  validTo: string | null;
  ticketTypeName: Record<string, string> | null;
  zones: string[];
};

export type CatalogEvent = {
  id: string;
  name: Record<string, string>;
  startsAt: string;
  endsAt: string;
  timezone: string;
  currency: string;
  /** The language tickets and receipts print in unless the terminal sets one. */
  defaultLanguage?: string;
};
export type CatalogType = {
  id: string;
  eventId: string;
  name: Record<string, string>;
  priceMinor: number;
  currency: string;
  capacity: number | null;
  sold: number;
  // Sale rules (domain/catalog.ts), as last pulled; absent: the defaults (no window, every channel, active).
  sessionId?: string | null;
  saleStartsAt?: string | null;
  saleEndsAt?: string | null;
  maxPerOrder?: number | null;
  channels?: string[];
  active?: boolean;
  /** false: the session it is for is switched off (absent: active, or no session). */
  sessionActive?: boolean;
  /** The quotas it shares with other types, with what they have sold. */
  quotas?: { id: string; capacity: number; sold: number }[];
  /** An ID number is required of every holder; the built-in attendee fields every holder must give. */
  realName?: boolean;
  requiredFields?: string[];
};
/** A session of an event, as last pulled. */
export type CatalogSession = { id: string; eventId: string; name: Record<string, string>; startsAt: string; endsAt: string; active: boolean };

export type TicketQuery = { orderCode?: string; phoneLast4?: string; idHashes?: string[]; name?: string };

/** What the other features may read of the cache. */
export interface CacheReader {
  ticketByCode(code: string): TicketRecord | undefined;
  ticketById(id: string): TicketRecord | undefined;
  revokedAt(ticketId: string): string | null;
  publicKey(eventNo: number, keyId: number): { publicKey: string; retired: number; eventId: string } | undefined;
  typeByNo(eventId: string, no: number): { id: string; name: Record<string, string>; zones: string[] } | undefined;
  event(id: string): { id: string; timezone: string; rotationPeriodS: number | null; idSalt: string; no: number } | undefined;
  /** The first event by start time: the one this terminal sells for, with all its ticket types by price
   *  (switched off or not, with their sale rules and quotas: the box office decides what is on sale). */
  catalog(eventId?: string): { event: CatalogEvent | null; types: CatalogType[] };
  /** Every event this terminal holds, by start time (the events it serves). */
  events(): CatalogEvent[];
  /** An event's sessions, in their order. */
  sessions(eventId: string): CatalogSession[];
  /** Any event's id (the first stored), for a terminal that serves no check-in point yet. */
  anyEventId(): string | null;
  /** The salts of events whose ID-card hashes may be searched. */
  idSalts(): string[];
  point(id: string): CheckInPointRow | undefined;
  points(): CheckInPointRow[];
  /** The zone of a check-in point (null: none, or no such point). */
  pointZone(id: string): string | null;
  /** Tickets by order code, last four phone digits, ID-card hash or attendee name. */
  search(q: TicketQuery, limit?: number): TicketRecord[];
  /** Tickets whose attendee name holds `part` anywhere, case-insensitive in any script (sync/names.ts):
   *  names starting with it first, then names with a word starting with it, then the rest. */
  searchName(part: string, limit?: number): TicketRecord[];
  /** A ticket type's registration form as the server sent it (version 0, no fields: none saved);
   *  undefined when this terminal knows no such ticket type. */
  form(ticketTypeId: string): FormRecord | undefined;
  /** A ticket's active entitlements (any time window: the rules check it). */
  entitlements(ticketId: string): EntitlementRecord[];
  /** What the attendee looks up (seat, room, agenda…): the items as replicated; empty when none. */
  attendeeInfo(ticketId: string): unknown[];
  /** The last four digits of the ticket holder's phone (all the cache keeps of it); null: none. */
  phoneLast4(ticketId: string): string | null;
}

export type EntitlementRecord = { id: string; kind: string; label: Record<string, string> | null; from: string | null; to: string | null };

export type FormRecord = { ticketTypeId: string; eventId: string; fields: unknown[]; version: number };

/** Meta key: days after an event's end its attendees' personal data stays on this terminal. */
export const PERSONAL_DATA_RETENTION_KEY = 'personal_data_retention_days';
export const DEFAULT_PERSONAL_DATA_RETENTION_DAYS = 7;
const DAY_MS = 86_400_000;

/** What only sync does to the cache. */
export interface CacheWriter {
  readonly appliers: Pick<
    ChangeAppliers,
    'event' | 'ticket_type' | 'ticket' | 'check_in_point' | 'event_key' | 'revocation' | 'event_session' | 'quota' | 'form' | 'attendee_info' | 'entitlement'
  >;
  /** Drops every cached row of events other than these (the server changed what this terminal serves). */
  keepOnlyEvents(eventIds: readonly string[]): void;
  /** Erases names, phone digits and ID hashes of tickets of events that ended more than the retention ago
   *  (those not erased by an earlier run of this process); rows of those events pulled later are stored
   *  without them. Answers what this run erased. */
  purgeExpiredPersonalData(now?: Date): { events: number; tickets: number };
  /** Starts a bulk load into an empty cache; returns false (and does nothing) if the cache has tickets. */
  beginBulkLoad(): boolean;
  /** Rebuilds the deferred indexes (also at start-up, if a bulk load was cut off by a crash). */
  endBulkLoad(): void;
}

function pointFromRow(r: Record<string, unknown>): CheckInPointRow {
  return {
    id: r['id'] as string,
    eventId: r['event_id'] as string,
    name: JSON.parse(r['name'] as string) as Record<string, string>,
    ticketTypeIds: JSON.parse(r['ticket_type_ids'] as string) as string[],
    zone: (r['zone'] as string | null) ?? null,
    direction: r['direction'] as Direction,
    reentry: r['reentry'] as ReentryPolicy,
    windows: JSON.parse(r['windows'] as string) as { from: string; to: string }[],
    autoCheckoutAt: (r['auto_checkout_at'] as string | null) ?? null,
    active: r['active'] === 1,
    operatorIds: JSON.parse((r['operator_ids'] as string | undefined) ?? '[]') as string[],
    deviceIds: JSON.parse((r['device_ids'] as string | undefined) ?? '[]') as string[],
    entitlement: (r['entitlement'] as string | null | undefined) ?? null,
  };
}

/** Ticket indexes a first sync builds once at the end instead of row by row: inserting a million
 *  random codes into a B-tree page by page is most of the cost of an empty terminal's first sync. */
const DEFERRABLE = ['tickets_code_idx', 'tickets_order_code_idx', 'tickets_phone_idx', 'tickets_id_hash_idx', 'tickets_name_idx', 'tickets_name_norm_idx'];
const DEFERRED_META = 'deferred_indexes';

function statements(s: Database.Database) {
  return {
    upEvent: s.prepare(`insert into events(id, name, starts_at, ends_at, timezone, currency, no, rotation_period_s, id_salt,
          venue, address, languages, default_language, seq)
        values (@id, @name, @startsAt, @endsAt, @timezone, @currency, @no, @rotationPeriodS, @idSalt,
          @venue, @address, @languages, @defaultLanguage, @seq)
        on conflict(id) do update set name=excluded.name, starts_at=excluded.starts_at, ends_at=excluded.ends_at,
          timezone=excluded.timezone, currency=excluded.currency, no=excluded.no,
          rotation_period_s=excluded.rotation_period_s, id_salt=excluded.id_salt, venue=excluded.venue,
          address=excluded.address, languages=excluded.languages, default_language=excluded.default_language, seq=excluded.seq`),
    upType: s.prepare(`insert into ticket_types(id, event_id, name, price_minor, currency, capacity, sold, no, zones,
          session_id, sale_starts_at, sale_ends_at, max_per_order, max_per_attendee, channels, real_name, required_fields,
          active, sort_order, seq)
        values (@id, @eventId, @name, @priceMinor, @currency, @capacity, @sold, @no, @zones,
          @sessionId, @saleStartsAt, @saleEndsAt, @maxPerOrder, @maxPerAttendee, @channels, @realName, @requiredFields,
          @active, @sortOrder, @seq)
        on conflict(id) do update set name=excluded.name, price_minor=excluded.price_minor, currency=excluded.currency,
          capacity=excluded.capacity, sold=excluded.sold, no=excluded.no, zones=excluded.zones,
          session_id=excluded.session_id, sale_starts_at=excluded.sale_starts_at, sale_ends_at=excluded.sale_ends_at,
          max_per_order=excluded.max_per_order, max_per_attendee=excluded.max_per_attendee, channels=excluded.channels,
          real_name=excluded.real_name, required_fields=excluded.required_fields, active=excluded.active,
          sort_order=excluded.sort_order, seq=excluded.seq`),
    upSession: s.prepare(`insert into event_sessions(id, event_id, name, starts_at, ends_at, sort, active, seq)
        values (@id, @eventId, @name, @startsAt, @endsAt, @sort, @active, @seq)
        on conflict(id) do update set event_id=excluded.event_id, name=excluded.name, starts_at=excluded.starts_at,
          ends_at=excluded.ends_at, sort=excluded.sort, active=excluded.active, seq=excluded.seq`),
    upQuota: s.prepare(`insert into quotas(id, event_id, name, capacity, sold, ticket_type_ids, seq)
        values (@id, @eventId, @name, @capacity, @sold, @ticketTypeIds, @seq)
        on conflict(id) do update set event_id=excluded.event_id, name=excluded.name, capacity=excluded.capacity,
          sold=excluded.sold, ticket_type_ids=excluded.ticket_type_ids, seq=excluded.seq`),
    quotasOf: s.prepare<[string], { id: string; capacity: number; sold: number; ticketTypeIds: string }>(
      'select id, capacity, sold, ticket_type_ids as ticketTypeIds from quotas where event_id = ? order by id',
    ),
    upTicket: s.prepare(`insert into tickets(id, event_id, ticket_type_id, order_id, code, status, paid, attendee_name, name_norm,
          order_code, phone_last4, id_hash, rotating_secret, valid_from, valid_to, seq)
        values (@id, @eventId, @ticketTypeId, @orderId, @code, @status, @paid, @attendeeName, @nameNorm,
          @orderCode, @phoneLast4, @idHash, @rotatingSecret, @validFrom, @validTo, @seq)
        on conflict(id) do update set status=excluded.status, paid=excluded.paid, attendee_name=excluded.attendee_name,
          name_norm=excluded.name_norm,
          order_id=excluded.order_id, order_code=excluded.order_code, phone_last4=excluded.phone_last4,
          id_hash=excluded.id_hash, rotating_secret=excluded.rotating_secret, valid_from=excluded.valid_from,
          valid_to=excluded.valid_to, code=excluded.code, seq=excluded.seq`),
    upPoint: s.prepare(`insert into check_in_points(id, event_id, name, ticket_type_ids, zone, direction, reentry, windows,
          auto_checkout_at, active, seq, operator_ids, device_ids, entitlement)
        values (@id, @eventId, @name, @ticketTypeIds, @zone, @direction, @reentry, @windows, @autoCheckoutAt, @active, @seq,
          @operatorIds, @deviceIds, @entitlement)
        on conflict(id) do update set event_id=excluded.event_id, name=excluded.name, ticket_type_ids=excluded.ticket_type_ids,
          zone=excluded.zone, direction=excluded.direction, reentry=excluded.reentry, windows=excluded.windows,
          auto_checkout_at=excluded.auto_checkout_at, active=excluded.active, seq=excluded.seq,
          operator_ids=excluded.operator_ids, device_ids=excluded.device_ids, entitlement=excluded.entitlement`),
    upInfo: s.prepare(`insert into attendee_info(ticket_id, event_id, items, seq) values (@ticketId, @eventId, @items, @seq)
        on conflict(ticket_id) do update set event_id=excluded.event_id, items=excluded.items, seq=excluded.seq`),
    dropInfo: s.prepare<[string]>('delete from attendee_info where ticket_id = ?'),
    info: s.prepare<[string], { eventId: string; items: string }>('select event_id as eventId, items from attendee_info where ticket_id = ?'),
    upEntitlement: s.prepare(`insert into entitlements(id, ticket_id, event_id, kind, label, from_at, to_at, seq)
        values (@id, @ticketId, @eventId, @kind, @label, @from, @to, @seq)
        on conflict(id) do update set ticket_id=excluded.ticket_id, event_id=excluded.event_id, kind=excluded.kind,
          label=excluded.label, from_at=excluded.from_at, to_at=excluded.to_at, seq=excluded.seq`),
    dropEntitlement: s.prepare<[string]>('delete from entitlements where id = ?'),
    entitlementsOf: s.prepare<[string], { id: string; kind: string; label: string | null; from: string | null; to: string | null }>(
      'select id, kind, label, from_at as "from", to_at as "to" from entitlements where ticket_id = ? order by kind, id',
    ),
    eraseInfo: s.prepare<[string]>('delete from attendee_info where event_id in (select value from json_each(?))'),
    upKey: s.prepare(`insert into event_keys(event_id, key_id, public_key, signing, retired, seq)
        values (@eventId, @keyId, @publicKey, @signing, @retired, @seq)
        on conflict(event_id, key_id) do update set public_key=excluded.public_key, signing=excluded.signing,
          retired=excluded.retired, seq=excluded.seq`),
    upForm: s.prepare(`insert into ticket_type_forms(ticket_type_id, event_id, fields, version, seq)
        values (@ticketTypeId, @eventId, @fields, @version, @seq)
        on conflict(ticket_type_id) do update set event_id=excluded.event_id, fields=excluded.fields,
          version=excluded.version, seq=excluded.seq`),
    form: s.prepare<[string], { ticketTypeId: string; eventId: string; fields: string | null; version: number | null }>(
      `select tt.id as ticketTypeId, tt.event_id as eventId, f.fields, f.version
         from ticket_types tt left join ticket_type_forms f on f.ticket_type_id = tt.id where tt.id = ?`,
    ),
    upRevocation: s.prepare(`insert into revocations(ticket_id, event_id, at, seq) values (@ticketId, @eventId, @at, @seq)
        on conflict(ticket_id) do nothing`),
    ticketBy: ((stmts: Partial<Record<'code' | 'id', Database.Statement>>) => (col: 'code' | 'id') =>
      (stmts[col] ??= s.prepare(`select t.id, t.code, t.event_id as eventId, t.ticket_type_id as ticketTypeId, t.status, t.paid,
            t.attendee_name as attendeeName, t.order_code as orderCode, t.rotating_secret as rotatingSecret,
            t.valid_from as validFrom, t.valid_to as validTo, tt.name as typeName, tt.zones as zones
          from tickets t left join ticket_types tt on tt.id = t.ticket_type_id where t.${col} = ?`)))({}),
    revoked: s.prepare<[string], { at: string }>('select at from revocations where ticket_id = ?'),
    key: s.prepare<[number, number], { publicKey: string; retired: number; eventId: string }>(
      `select k.public_key as publicKey, k.retired, k.event_id as eventId from event_keys k join events e on e.id = k.event_id
         where e.no = ? and k.key_id = ?`,
    ),
    typeByNo: s.prepare<[string, number], { id: string; name: string; zones: string }>(
      'select id, name, zones from ticket_types where event_id = ? and no = ?',
    ),
    event: s.prepare<[string], { id: string; timezone: string; rotationPeriodS: number | null; idSalt: string; no: number }>(
      'select id, timezone, rotation_period_s as rotationPeriodS, id_salt as idSalt, no from events where id = ?',
    ),
    firstEvent: s.prepare<[], Omit<CatalogEvent, 'name'> & { name: string }>(
      'select id, name, starts_at as startsAt, ends_at as endsAt, timezone, currency, default_language as defaultLanguage from events order by starts_at limit 1',
    ),
    eventById: s.prepare<[string], Omit<CatalogEvent, 'name'> & { name: string }>(
      'select id, name, starts_at as startsAt, ends_at as endsAt, timezone, currency from events where id = ?',
    ),
    allEvents: s.prepare<[], Omit<CatalogEvent, 'name'> & { name: string }>(
      'select id, name, starts_at as startsAt, ends_at as endsAt, timezone, currency from events order by starts_at, id',
    ),
    sessionsOf: s.prepare<[string], Omit<CatalogSession, 'name' | 'active'> & { name: string; active: number }>(
      `select id, event_id as eventId, name, starts_at as startsAt, ends_at as endsAt, active
         from event_sessions where event_id = ? order by sort, starts_at, id`,
    ),
    types: s.prepare<
      [string],
      Omit<CatalogType, 'name' | 'channels' | 'active' | 'sessionActive' | 'quotas' | 'realName' | 'requiredFields'> & {
        name: string;
        channels: string;
        active: number;
        sessionActive: number;
        realName: number;
        requiredFields: string;
      }
    >(
      `select t.id, t.event_id as eventId, t.name, t.price_minor as priceMinor, t.currency, t.capacity, t.sold, t.session_id as sessionId,
         t.sale_starts_at as saleStartsAt, t.sale_ends_at as saleEndsAt, t.max_per_order as maxPerOrder, t.channels, t.active,
         t.real_name as realName, t.required_fields as requiredFields,
         coalesce(s.active, 1) as sessionActive
       from ticket_types t left join event_sessions s on s.id = t.session_id
       where t.event_id = ? order by t.price_minor desc, t.sort_order, t.id`,
    ),
    anyEvent: s.prepare<[], { id: string }>('select id from events limit 1'),
    idSalts: s.prepare<[], { s: string }>("select id_salt as s from events where id_salt != ''"),
    point: s.prepare<[string], Record<string, unknown>>('select * from check_in_points where id = ?'),
    points: s.prepare<[], Record<string, unknown>>('select * from check_in_points where active = 1 order by seq'),
    pointZone: s.prepare<[string], { zone: string | null }>('select zone from check_in_points where id = ?'),
    byOrderCode: s.prepare<[string, number], { id: string }>('select id from tickets where order_code = ? limit ?'),
    phoneOf: s.prepare<[string], { p: string | null }>('select phone_last4 as p from tickets where id = ?'),
    byPhone: s.prepare<[string, number], { id: string }>('select id from tickets where phone_last4 = ? limit ?'),
    byIdHash: s.prepare<[string, number], { id: string }>('select id from tickets where id_hash = ? limit ?'),
    byName: s.prepare<[string, number], { id: string }>(
      "select id from tickets where attendee_name is not null and lower(attendee_name) like ? escape '!' limit ?",
    ),
    // Any part of the folded name: names starting with it first (the index), then the rest (a scan).
    byNamePrefix: s.prepare<[string, string, number], { id: string }>(
      'select id from tickets where name_norm >= ? and name_norm < ? order by name_norm, id limit ?',
    ),
    byNamePart: s.prepare<[string, number], { id: string; nameNorm: string }>(
      'select id, name_norm as nameNorm from tickets where name_norm is not null and instr(name_norm, ?) > 1 limit ?',
    ),
    unfolded: s.prepare<[number], { id: string; attendeeName: string }>(
      'select id, attendee_name as attendeeName from tickets where attendee_name is not null and name_norm is null limit ?',
    ),
    setFolded: s.prepare<[string, string]>('update tickets set name_norm = ? where id = ?'),
    anyTicket: s.prepare('select 1 from tickets limit 1'),
    endedBefore: s.prepare<[string], { id: string }>('select id from events where ends_at < ?'),
    erasePersonal: s.prepare<[string]>(
      `update tickets set attendee_name = null, phone_last4 = null, id_hash = null
        where event_id in (select value from json_each(?))
          and (attendee_name is not null or phone_last4 is not null or id_hash is not null)`,
    ),
    dropOtherEvents: ['attendee_info', 'entitlements', 'ticket_type_forms', 'tickets', 'ticket_types', 'check_in_points', 'event_keys', 'revocations', 'event_sessions', 'quotas']
      .map((table) => s.prepare<[string]>(`delete from ${table} where event_id not in (select value from json_each(?))`))
      .concat(s.prepare<[string]>('delete from events where id not in (select value from json_each(?))')),
  };
}

export class ReplicatedCache implements CacheReader, CacheWriter {
  readonly #sql: Database.Database;
  readonly #meta: Meta;
  readonly #st: ReturnType<typeof statements>;
  readonly appliers: CacheWriter['appliers'];
  /** Events past the personal-data retention at the last purge: their tickets are stored without it. */
  #expired = new Set<string>();

  constructor(sql: Database.Database, meta: Meta) {
    this.#sql = sql;
    this.#meta = meta;
    const st = (this.#st = statements(sql));
    const personal = { attendeeName: null, phoneLast4: null, idHash: null };
    this.appliers = {
      // Fields an older server does not send take the defaults of domain/catalog.ts.
      event: (c) =>
        void st.upEvent.run({
          ...c.row,
          name: JSON.stringify(c.row.name),
          venue: c.row.venue ?? null,
          address: c.row.address ?? null,
          languages: JSON.stringify(c.row.languages ?? ['en']),
          defaultLanguage: c.row.defaultLanguage ?? 'en',
          seq: c.seq,
        }),
      ticket_type: (c) =>
        void st.upType.run({
          ...c.row,
          name: JSON.stringify(c.row.name),
          zones: JSON.stringify(c.row.zones),
          sessionId: c.row.sessionId ?? null,
          saleStartsAt: c.row.saleStartsAt ?? null,
          saleEndsAt: c.row.saleEndsAt ?? null,
          maxPerOrder: c.row.maxPerOrder ?? null,
          maxPerAttendee: c.row.maxPerAttendee ?? null,
          channels: JSON.stringify(c.row.channels ?? SALE_CHANNELS),
          realName: c.row.realName ? 1 : 0,
          requiredFields: JSON.stringify(c.row.requiredFields ?? []),
          active: c.row.active === false ? 0 : 1,
          sortOrder: c.row.sortOrder ?? 0,
          seq: c.seq,
        }),
      event_session: (c) =>
        void st.upSession.run({ ...c.row, name: JSON.stringify(c.row.name), active: c.row.active ? 1 : 0, seq: c.seq }),
      quota: (c) =>
        void st.upQuota.run({ ...c.row, name: JSON.stringify(c.row.name), ticketTypeIds: JSON.stringify(c.row.ticketTypeIds), seq: c.seq }),
      ticket: (c) => {
        const row = { ...c.row, ...(this.#expired.has(c.row.eventId) ? personal : {}) };
        st.upTicket.run({ ...row, nameNorm: row.attendeeName ? normalizeName(row.attendeeName) : null, paid: row.paid ? 1 : 0, seq: c.seq });
      },
      check_in_point: (c) =>
        void st.upPoint.run({
          ...c.row,
          name: JSON.stringify(c.row.name),
          ticketTypeIds: JSON.stringify(c.row.ticketTypeIds),
          windows: JSON.stringify(c.row.windows),
          operatorIds: JSON.stringify(c.row.operatorIds),
          deviceIds: JSON.stringify(c.row.deviceIds),
          entitlement: c.row.entitlement ?? null,
          active: c.row.active ? 1 : 0,
          seq: c.seq,
        }),
      event_key: (c) => void st.upKey.run({ ...c.row, signing: c.row.signing ? 1 : 0, retired: c.row.retired ? 1 : 0, seq: c.seq }),
      revocation: (c) => void st.upRevocation.run({ ...c.row, seq: c.seq }),
      form: (c) => void st.upForm.run({ ...c.row, fields: JSON.stringify(c.row.fields), seq: c.seq }),
      // What an attendee looks up is personal: not kept for events past the retention; an empty list is no row.
      attendee_info: (c) => {
        if (c.row.items.length === 0 || this.#expired.has(c.row.eventId)) st.dropInfo.run(c.row.ticketId);
        else st.upInfo.run({ ticketId: c.row.ticketId, eventId: c.row.eventId, items: JSON.stringify(c.row.items), seq: c.seq });
      },
      // Only active entitlements are kept: a withdrawn one is deleted.
      entitlement: (c) => {
        if (!c.row.active) st.dropEntitlement.run(c.row.id);
        else st.upEntitlement.run({ ...c.row, label: c.row.label === null ? null : JSON.stringify(c.row.label), seq: c.seq });
      },
    };
    if (meta.getMeta(DEFERRED_META)) this.endBulkLoad();
    this.purgeExpiredPersonalData();
    this.#foldNames();
  }

  /** Names stored before names were folded get their folded form (the pull from the start after the
   *  upgrade refreshes them too; this serves a terminal that is offline meanwhile). */
  #foldNames(): void {
    for (;;) {
      const rows = this.#st.unfolded.all(5000);
      if (rows.length === 0) return;
      this.#sql.transaction(() => {
        for (const r of rows) this.#st.setFolded.run(normalizeName(r.attendeeName), r.id);
      })();
    }
  }

  keepOnlyEvents(eventIds: readonly string[]): void {
    const list = JSON.stringify(eventIds);
    this.#sql.transaction(() => {
      for (const drop of this.#st.dropOtherEvents) drop.run(list);
    })();
  }

  /** The retention in days: the meta setting when it is a whole number of at least 1, else the default. */
  retentionDays(): number {
    const days = Number(this.#meta.getMeta(PERSONAL_DATA_RETENTION_KEY));
    return Number.isInteger(days) && days >= 1 ? days : DEFAULT_PERSONAL_DATA_RETENTION_DAYS;
  }

  purgeExpiredPersonalData(now = new Date()): { events: number; tickets: number } {
    const cutoff = new Date(now.getTime() - this.retentionDays() * DAY_MS).toISOString();
    const expired = this.#st.endedBefore.all(cutoff).map((r) => r.id);
    // Rows pulled since the last run were stored without the data already (the ticket applier): only
    // events that crossed the line since then need their tickets erased, so a pull stays cheap.
    const newly = expired.filter((id) => !this.#expired.has(id));
    this.#expired = new Set(expired);
    if (newly.length === 0) return { events: 0, tickets: 0 };
    const erased = this.#st.erasePersonal.run(JSON.stringify(newly));
    this.#st.eraseInfo.run(JSON.stringify(newly));
    return { events: newly.length, tickets: erased.changes };
  }

  beginBulkLoad(): boolean {
    if (this.#st.anyTicket.get()) return false;
    const defs = this.#sql
      .prepare(`select sql from sqlite_master where type = 'index' and name in (${DEFERRABLE.map(() => '?').join(',')})`)
      .all(...DEFERRABLE) as { sql: string }[];
    this.#sql.transaction(() => {
      this.#meta.setMeta(DEFERRED_META, JSON.stringify(defs.map((d) => d.sql)));
      for (const name of DEFERRABLE) this.#sql.exec(`drop index if exists ${name}`);
    })();
    this.#sql.pragma('cache_size = -131072');
    return true;
  }

  endBulkLoad(): void {
    const raw = this.#meta.getMeta(DEFERRED_META);
    if (raw) {
      const defs = JSON.parse(raw) as string[];
      this.#sql.transaction(() => {
        for (const def of defs) this.#sql.exec(def.replace(/^CREATE (UNIQUE )?INDEX /i, (m) => `${m}IF NOT EXISTS `));
        this.#meta.setMeta(DEFERRED_META, null);
      })();
    }
    this.#sql.pragma('cache_size = -8192');
  }

  #ticket(col: 'code' | 'id', value: string): TicketRecord | undefined {
    const row = this.#st.ticketBy(col).get(value) as
      | (Omit<TicketRecord, 'paid' | 'ticketTypeName' | 'zones'> & { paid: number; typeName: string | null; zones: string | null })
      | undefined;
    if (!row) return undefined;
    const { typeName, zones, ...rest } = row;
    return {
      ...rest,
      paid: row.paid === 1,
      ticketTypeName: typeName ? (JSON.parse(typeName) as Record<string, string>) : null,
      zones: zones ? (JSON.parse(zones) as string[]) : [],
    };
  }
  ticketByCode(code: string): TicketRecord | undefined {
    return this.#ticket('code', code);
  }
  ticketById(id: string): TicketRecord | undefined {
    return this.#ticket('id', id);
  }
  revokedAt(ticketId: string): string | null {
    return this.#st.revoked.get(ticketId)?.at ?? null;
  }
  publicKey(eventNo: number, keyId: number) {
    return this.#st.key.get(eventNo, keyId);
  }
  typeByNo(eventId: string, no: number) {
    const r = this.#st.typeByNo.get(eventId, no);
    return r ? { id: r.id, name: JSON.parse(r.name) as Record<string, string>, zones: JSON.parse(r.zones) as string[] } : undefined;
  }
  event(id: string) {
    return this.#st.event.get(id);
  }
  catalog(eventId?: string): { event: CatalogEvent | null; types: CatalogType[] } {
    const ev = eventId === undefined ? this.#st.firstEvent.get() : this.#st.eventById.get(eventId);
    if (!ev) return { event: null, types: [] };
    const quotas = this.#st.quotasOf.all(ev.id).map((q) => ({ id: q.id, capacity: q.capacity, sold: q.sold, members: JSON.parse(q.ticketTypeIds) as string[] }));
    return {
      event: { ...ev, name: JSON.parse(ev.name) as Record<string, string> },
      types: this.#st.types.all(ev.id).map((t) => ({
        ...t,
        name: JSON.parse(t.name) as Record<string, string>,
        channels: JSON.parse(t.channels) as string[],
        active: t.active === 1,
        sessionActive: t.sessionActive === 1,
        realName: t.realName === 1,
        requiredFields: JSON.parse(t.requiredFields) as string[],
        quotas: quotas.filter((q) => q.members.includes(t.id)).map(({ id, capacity, sold }) => ({ id, capacity, sold })),
      })),
    };
  }
  events(): CatalogEvent[] {
    return this.#st.allEvents.all().map((e) => ({ ...e, name: JSON.parse(e.name) as Record<string, string> }));
  }
  sessions(eventId: string): CatalogSession[] {
    return this.#st.sessionsOf.all(eventId).map((r) => ({ ...r, name: JSON.parse(r.name) as Record<string, string>, active: r.active === 1 }));
  }
  anyEventId(): string | null {
    return this.#st.anyEvent.get()?.id ?? null;
  }
  idSalts(): string[] {
    return this.#st.idSalts.all().map((r) => r.s);
  }
  point(id: string): CheckInPointRow | undefined {
    const r = this.#st.point.get(id);
    return r ? pointFromRow(r) : undefined;
  }
  points(): CheckInPointRow[] {
    return this.#st.points.all().map(pointFromRow);
  }
  pointZone(id: string): string | null {
    return this.#st.pointZone.get(id)?.zone ?? null;
  }

  form(ticketTypeId: string): FormRecord | undefined {
    const r = this.#st.form.get(ticketTypeId);
    if (!r) return undefined;
    return { ticketTypeId: r.ticketTypeId, eventId: r.eventId, fields: r.fields ? (JSON.parse(r.fields) as unknown[]) : [], version: r.version ?? 0 };
  }

  entitlements(ticketId: string): EntitlementRecord[] {
    return this.#st.entitlementsOf.all(ticketId).map((r) => ({ ...r, label: r.label === null ? null : (JSON.parse(r.label) as Record<string, string>) }));
  }

  phoneLast4(ticketId: string): string | null {
    return this.#st.phoneOf.get(ticketId)?.p ?? null;
  }

  attendeeInfo(ticketId: string): unknown[] {
    const r = this.#st.info.get(ticketId);
    return r ? (JSON.parse(r.items) as unknown[]) : [];
  }

  searchName(part: string, limit = 50): TicketRecord[] {
    const q = normalizeName(part);
    if (q === '') return [];
    const prefix = this.#st.byNamePrefix.all(q, q + '\u{10ffff}', limit).map((r) => r.id);
    const rest =
      prefix.length >= limit
        ? []
        : this.#st.byNamePart
            .all(q, 2000)
            .map((r) => ({ id: r.id, rank: r.nameNorm.includes(' ' + q) ? 0 : 1, name: r.nameNorm }))
            .sort((a, b) => a.rank - b.rank || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
            .map((r) => r.id);
    return [...new Set([...prefix, ...rest])]
      .slice(0, limit)
      .map((id) => this.ticketById(id))
      .filter((t): t is TicketRecord => t !== undefined);
  }

  search(q: TicketQuery, limit = 20): TicketRecord[] {
    const st = this.#st;
    const ids = new Set<string>();
    const add = (rows: { id: string }[]) => rows.forEach((r) => ids.add(r.id));
    if (q.orderCode) add(st.byOrderCode.all(q.orderCode, limit));
    if (q.phoneLast4) add(st.byPhone.all(q.phoneLast4, limit));
    for (const h of q.idHashes ?? []) add(st.byIdHash.all(h, limit));
    if (q.name) {
      const like = q.name.toLowerCase().replace(/[%_!]/g, (c) => '!' + c) + '%';
      add(st.byName.all(like, limit));
    }
    return [...ids]
      .slice(0, limit)
      .map((id) => this.ticketById(id))
      .filter((t): t is TicketRecord => t !== undefined);
  }
}

/** The cache of a terminal's database, as its two sides: reads for every feature, writes for sync. */
export function openCache(sql: Database.Database, meta: Meta): { read: CacheReader; write: CacheWriter } {
  const cache = new ReplicatedCache(sql, meta);
  return { read: cache, write: cache };
}
