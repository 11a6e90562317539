// Owns the terminal's hot-path SQL: prepared statements over the local cache for meta, applying
// server changes in one transaction per page, the outbox, and the check-in/scan records of a verdict.
// Kept on raw better-sqlite3 statements because the scan path and a million-row first sync need them.
import type Database from 'better-sqlite3';
import type { Direction, Reason, ReentryPolicy, TicketStatus } from '../../domain/enums';
import { annulRecord, checkinRecord, failedScanRecord, PushRecord, type AnnulReason } from '../../domain/outbox';
import type { PastCheckin } from '../../domain/rules';
import type { Change, CheckInPointRow, PushResponse } from '../../domain/wire';
import type { LocalDb } from './db/open';

/** A queued outbox row: its record, or why it is not one (then it is settled as invalid, never sent). */
export type OutboxEntry = { id: string; record: PushRecord } | { id: string; record: null; problem: string };

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
  };
}

export class Store {
  private readonly sql: Database.Database;
  private readonly stmts;

  constructor(db: LocalDb) {
    this.sql = db.$client;
    const s = this.sql;
    this.stmts = {
      getMeta: s.prepare<[string], { value: string }>('select value from meta where key = ?'),
      setMeta: s.prepare('insert into meta(key, value) values (?, ?) on conflict(key) do update set value = excluded.value'),
      delMeta: s.prepare('delete from meta where key = ?'),
      upEvent: s.prepare(`insert into events(id, name, starts_at, ends_at, timezone, currency, no, rotation_period_s, id_salt, seq)
        values (@id, @name, @startsAt, @endsAt, @timezone, @currency, @no, @rotationPeriodS, @idSalt, @seq)
        on conflict(id) do update set name=excluded.name, starts_at=excluded.starts_at, ends_at=excluded.ends_at,
          timezone=excluded.timezone, currency=excluded.currency, no=excluded.no,
          rotation_period_s=excluded.rotation_period_s, id_salt=excluded.id_salt, seq=excluded.seq`),
      upType: s.prepare(`insert into ticket_types(id, event_id, name, price_minor, currency, capacity, sold, no, zones, seq)
        values (@id, @eventId, @name, @priceMinor, @currency, @capacity, @sold, @no, @zones, @seq)
        on conflict(id) do update set name=excluded.name, price_minor=excluded.price_minor, currency=excluded.currency,
          capacity=excluded.capacity, sold=excluded.sold, no=excluded.no, zones=excluded.zones, seq=excluded.seq`),
      upTicket: s.prepare(`insert into tickets(id, event_id, ticket_type_id, order_id, code, status, paid, attendee_name,
          order_code, phone_last4, id_hash, rotating_secret, valid_from, valid_to, seq)
        values (@id, @eventId, @ticketTypeId, @orderId, @code, @status, @paid, @attendeeName,
          @orderCode, @phoneLast4, @idHash, @rotatingSecret, @validFrom, @validTo, @seq)
        on conflict(id) do update set status=excluded.status, paid=excluded.paid, attendee_name=excluded.attendee_name,
          order_id=excluded.order_id, order_code=excluded.order_code, phone_last4=excluded.phone_last4,
          id_hash=excluded.id_hash, rotating_secret=excluded.rotating_secret, valid_from=excluded.valid_from,
          valid_to=excluded.valid_to, code=excluded.code, seq=excluded.seq`),
      upCheckin: s.prepare(`insert into checkins(id, ticket_id, device_id, at, state, own, point_id, direction)
        values (@id, @ticketId, @deviceId, @at, @status, @own, @pointId, @direction)
        on conflict(id) do update set device_id=excluded.device_id,
          -- An annulment made here is final; an older server row must not bring the check-in back.
          state = case when checkins.state = 'annulled' then 'annulled' else excluded.state end`),
      upPoint: s.prepare(`insert into check_in_points(id, event_id, name, ticket_type_ids, zone, direction, reentry, windows,
          auto_checkout_at, active, seq)
        values (@id, @eventId, @name, @ticketTypeIds, @zone, @direction, @reentry, @windows, @autoCheckoutAt, @active, @seq)
        on conflict(id) do update set event_id=excluded.event_id, name=excluded.name, ticket_type_ids=excluded.ticket_type_ids,
          zone=excluded.zone, direction=excluded.direction, reentry=excluded.reentry, windows=excluded.windows,
          auto_checkout_at=excluded.auto_checkout_at, active=excluded.active, seq=excluded.seq`),
      upKey: s.prepare(`insert into event_keys(event_id, key_id, public_key, signing, retired, seq)
        values (@eventId, @keyId, @publicKey, @signing, @retired, @seq)
        on conflict(event_id, key_id) do update set public_key=excluded.public_key, signing=excluded.signing,
          retired=excluded.retired, seq=excluded.seq`),
      upRevocation: s.prepare(`insert into revocations(ticket_id, event_id, at, seq) values (@ticketId, @eventId, @at, @seq)
        on conflict(ticket_id) do nothing`),
      upOperator: s.prepare(`insert into operators(id, name, role, pin_hash, pin_salt, active, seq)
        values (@id, @name, @role, @pinHash, @pinSalt, @active, @seq)
        on conflict(id) do update set name=excluded.name, role=excluded.role, pin_hash=excluded.pin_hash,
          pin_salt=excluded.pin_salt, active=excluded.active, seq=excluded.seq`),
      ticketBy: ((stmts: Partial<Record<'code' | 'id', Database.Statement>>) => (col: 'code' | 'id') =>
        (stmts[col] ??= s.prepare(`select t.id, t.code, t.event_id as eventId, t.ticket_type_id as ticketTypeId, t.status, t.paid,
            t.attendee_name as attendeeName, t.order_code as orderCode, t.rotating_secret as rotatingSecret,
            t.valid_from as validFrom, t.valid_to as validTo, tt.name as typeName, tt.zones as zones
          from tickets t left join ticket_types tt on tt.id = t.ticket_type_id where t.${col} = ?`)))({}),
      // Each use carries its point's zone: only uses in the deciding point's zone count (rules.ts).
      history: s.prepare<[string], PastCheckin>(
        'select c.at, c.direction, c.state, p.zone from checkins c left join check_in_points p on p.id = c.point_id where c.ticket_id = ?',
      ),
      // The server's copy of a claimed check-in can arrive through a pull while the claim is being
      // answered; it is the same check-in, now known to be ours.
      insCheckin: s.prepare(`insert into checkins(id, ticket_id, device_id, at, state, own, point_id, direction)
        values (?, ?, ?, ?, ?, 1, ?, ?) on conflict(id) do update set own = 1`),
      insScan: s.prepare(`insert into scans(id, code, ticket_id, reason, admitted, confirmation, operator_id, at, point_id, checkin_id)
        values (@id, @code, @ticketId, @reason, @admitted, @confirmation, @operatorId, @at, @pointId, @checkinId)`),
      insOutbox: s.prepare(`insert into outbox(id, kind, payload, created_at) values (?, ?, ?, ?)`),
      outboxBatch: s.prepare<[number], { id: string; payload: string }>('select id, payload from outbox order by id limit ?'),
      outboxCount: s.prepare<[], { n: number }>('select count(*) as n from outbox'),
      delOutbox: s.prepare('delete from outbox where id = ?'),
      rejectOutbox: s.prepare(`insert or replace into outbox_rejected(id, kind, payload, detail, rejected_at)
        select id, kind, payload, ?, ? from outbox where id = ?`),
      setCheckinState: s.prepare('update checkins set state = ? where id = ?'),
      confirmCheckin: s.prepare("update checkins set state = 'accepted' where id = ? and state = 'local'"),
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
      point: s.prepare('select * from check_in_points where id = ?'),
      checkinById: s.prepare<[string], { id: string; ticketId: string; at: string; state: string; own: number }>(
        'select id, ticket_id as ticketId, at, state, own from checkins where id = ?',
      ),
    };
    if (this.getMeta('deferred_indexes')) this.endBulkLoad();
  }

  /** Ticket indexes a first sync builds once at the end instead of row by row: inserting a million
   *  random codes into a B-tree page by page is most of the cost of an empty terminal's first sync. */
  private static readonly DEFERRABLE = ['tickets_code_idx', 'tickets_order_code_idx', 'tickets_phone_idx', 'tickets_id_hash_idx', 'tickets_name_idx'];

  /** Starts a bulk load into an empty cache; returns false (and does nothing) if the cache has tickets. */
  beginBulkLoad(): boolean {
    if (this.sql.prepare('select 1 from tickets limit 1').get()) return false;
    const defs = this.sql
      .prepare(`select sql from sqlite_master where type = 'index' and name in (${Store.DEFERRABLE.map(() => '?').join(',')})`)
      .all(...Store.DEFERRABLE) as { sql: string }[];
    this.sql.transaction(() => {
      this.setMeta('deferred_indexes', JSON.stringify(defs.map((d) => d.sql)));
      for (const name of Store.DEFERRABLE) this.sql.exec(`drop index if exists ${name}`);
    })();
    this.sql.pragma('cache_size = -131072');
    return true;
  }

  /** Rebuilds the deferred indexes (also at start-up, if a bulk load was cut off by a crash). */
  endBulkLoad(): void {
    const raw = this.getMeta('deferred_indexes');
    if (raw) {
      const defs = JSON.parse(raw) as string[];
      this.sql.transaction(() => {
        for (const def of defs) this.sql.exec(def.replace(/^CREATE (UNIQUE )?INDEX /i, (m) => `${m}IF NOT EXISTS `));
        this.setMeta('deferred_indexes', null);
      })();
    }
    this.sql.pragma('cache_size = -8192');
  }

  get raw(): Database.Database {
    return this.sql;
  }

  getMeta(key: string): string | null {
    return this.stmts.getMeta.get(key)?.value ?? null;
  }
  setMeta(key: string, value: string | null): void {
    if (value === null) this.stmts.delMeta.run(key);
    else this.stmts.setMeta.run(key, value);
  }
  lastSeq(): number {
    return Number(this.getMeta('last_seq') ?? 0);
  }

  /** Applies one page of server changes and advances last_seq in the same transaction, so a cut in
   *  the middle of a pull resumes exactly where it stopped. */
  applyChanges(changes: readonly Change[], next: number, ownDeviceId: string | null): void {
    const st = this.stmts;
    this.sql.transaction(() => {
      for (const c of changes) {
        switch (c.kind) {
          case 'event':
            st.upEvent.run({ ...c.row, name: JSON.stringify(c.row.name), seq: c.seq });
            break;
          case 'ticket_type':
            st.upType.run({ ...c.row, name: JSON.stringify(c.row.name), zones: JSON.stringify(c.row.zones), seq: c.seq });
            break;
          case 'ticket':
            st.upTicket.run({ ...c.row, paid: c.row.paid ? 1 : 0, seq: c.seq });
            break;
          case 'check_in_point':
            st.upPoint.run({
              ...c.row,
              name: JSON.stringify(c.row.name),
              ticketTypeIds: JSON.stringify(c.row.ticketTypeIds),
              windows: JSON.stringify(c.row.windows),
              active: c.row.active ? 1 : 0,
              seq: c.seq,
            });
            break;
          case 'event_key':
            st.upKey.run({ ...c.row, signing: c.row.signing ? 1 : 0, retired: c.row.retired ? 1 : 0, seq: c.seq });
            break;
          case 'revocation':
            st.upRevocation.run({ ...c.row, seq: c.seq });
            break;
          case 'checkin':
            st.upCheckin.run({ ...c.row, own: c.row.deviceId === ownDeviceId ? 1 : 0 });
            break;
          case 'operator':
            st.upOperator.run({ ...c.row, active: c.row.active ? 1 : 0, seq: c.seq });
            break;
        }
      }
      if (next > this.lastSeq()) st.setMeta.run('last_seq', String(next));
    })();
  }

  private ticketRow(col: 'code' | 'id', value: string): TicketRecord | undefined {
    const row = this.stmts.ticketBy(col).get(value) as
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
    return this.ticketRow('code', code);
  }
  ticketById(id: string): TicketRecord | undefined {
    return this.ticketRow('id', id);
  }

  history(ticketId: string): PastCheckin[] {
    return this.stmts.history.all(ticketId);
  }
  revokedAt(ticketId: string): string | null {
    return this.stmts.revoked.get(ticketId)?.at ?? null;
  }
  publicKey(eventNo: number, keyId: number) {
    return this.stmts.key.get(eventNo, keyId);
  }
  typeByNo(eventId: string, no: number) {
    const r = this.stmts.typeByNo.get(eventId, no);
    return r ? { id: r.id, name: JSON.parse(r.name) as Record<string, string>, zones: JSON.parse(r.zones) as string[] } : undefined;
  }
  event(id: string) {
    return this.stmts.event.get(id);
  }
  checkinById(id: string) {
    return this.stmts.checkinById.get(id);
  }
  point(id: string): CheckInPointRow | undefined {
    const r = this.stmts.point.get(id) as Record<string, unknown> | undefined;
    return r ? pointFromRow(r) : undefined;
  }
  points(): CheckInPointRow[] {
    return (this.sql.prepare('select * from check_in_points where active = 1 order by seq').all() as Record<string, unknown>[]).map(pointFromRow);
  }

  /** Records a verdict: the scan, and for an admission the check-in and (if the server has not
   *  confirmed it) its outbox entry; a refusal goes to the outbox as a failed scan. All in one
   *  transaction, so nothing is half-written. */
  recordScan(scan: {
    id: string;
    code: string;
    ticketId: string | null;
    reason: Reason;
    admitted: boolean;
    confirmation: 'confirmed' | 'local';
    operatorId: string | null;
    at: string;
    pointId: string | null;
    checkin?: { id: string; ticketId: string; deviceId: string | null; state: 'local' | 'accepted'; direction: Direction };
  }): void {
    const st = this.stmts;
    this.sql.transaction(() => {
      const { checkin, ...row } = scan;
      st.insScan.run({ ...row, admitted: row.admitted ? 1 : 0, checkinId: checkin?.id ?? null });
      if (checkin) {
        st.insCheckin.run(checkin.id, checkin.ticketId, checkin.deviceId, scan.at, checkin.state, scan.pointId, checkin.direction);
        if (checkin.state === 'local') {
          this.enqueue(
            checkinRecord({ id: checkin.id, ticketId: checkin.ticketId, at: scan.at, pointId: scan.pointId, direction: checkin.direction }),
            scan.at,
          );
        }
      } else if (!scan.admitted) {
        const { id, code, ticketId, reason, at, pointId } = scan;
        this.enqueue(failedScanRecord({ id, code, ticketId, reason, at, pointId }), at);
      }
    })();
  }

  /** Queues a record for the server; records come only from the domain's constructors (validated). */
  private enqueue(record: PushRecord, createdAt: string): void {
    this.stmts.insOutbox.run(record.id, record.kind, JSON.stringify(record), createdAt);
  }

  /** Annuls one of this terminal's check-ins (no passage followed) and queues the annulment. */
  annul(checkinId: string, annulId: string, at: string, reason: AnnulReason): void {
    const record = annulRecord({ id: annulId, checkinId, at, reason });
    this.sql.transaction(() => {
      this.stmts.setCheckinState.run('annulled', checkinId);
      this.enqueue(record, at);
    })();
  }

  /** Finds tickets by order code, last four phone digits, ID-card hash or attendee name. */
  search(q: { orderCode?: string; phoneLast4?: string; idHashes?: string[]; name?: string }, limit = 20): TicketRecord[] {
    const ids = new Set<string>();
    const add = (rows: unknown[]) => rows.forEach((r) => ids.add((r as { id: string }).id));
    if (q.orderCode) add(this.sql.prepare('select id from tickets where order_code = ? limit ?').all(q.orderCode, limit));
    if (q.phoneLast4) add(this.sql.prepare('select id from tickets where phone_last4 = ? limit ?').all(q.phoneLast4, limit));
    for (const h of q.idHashes ?? []) add(this.sql.prepare('select id from tickets where id_hash = ? limit ?').all(h, limit));
    if (q.name) {
      const like = q.name.toLowerCase().replace(/[%_!]/g, (c) => '!' + c) + '%';
      add(this.sql.prepare("select id from tickets where attendee_name is not null and lower(attendee_name) like ? escape '!' limit ?").all(like, limit));
    }
    return [...ids]
      .slice(0, limit)
      .map((id) => this.ticketById(id))
      .filter((t): t is TicketRecord => t !== undefined);
  }

  /** The oldest queued records, each read back through the push schema: a row that no longer is a
   *  record (written by an older version, or damaged) comes back with its problem instead. */
  outboxBatch(limit: number): OutboxEntry[] {
    return this.stmts.outboxBatch.all(limit).map((r): OutboxEntry => {
      let payload: unknown;
      try {
        payload = JSON.parse(r.payload);
      } catch {
        return { id: r.id, record: null, problem: 'payload is not JSON' };
      }
      const parsed = PushRecord.safeParse(payload);
      if (parsed.success) return { id: r.id, record: parsed.data };
      const issue = parsed.error.issues[0];
      return { id: r.id, record: null, problem: `${issue?.path.map(String).join('.') || '(record)'}: ${issue?.message ?? 'invalid'}` };
    });
  }
  outboxCount(): number {
    return this.stmts.outboxCount.get()?.n ?? 0;
  }
  /** Applies the server's per-record answers. A check-in keeps the server's verdict on it; an invalid
   *  record moves to outbox_rejected rather than vanishing. */
  settleOutbox(results: readonly PushResponse['results'][number][]): void {
    const st = this.stmts;
    const now = new Date().toISOString();
    this.sql.transaction(() => {
      for (const r of results) {
        if (r.status === 'invalid') st.rejectOutbox.run(r.detail ?? null, now, r.id);
        st.delOutbox.run(r.id);
        if (r.status === 'conflict') st.setCheckinState.run('conflict', r.id);
        else if (r.status !== 'invalid') st.confirmCheckin.run(r.id);
      }
    })();
  }
}
