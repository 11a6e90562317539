// Owns the terminal's hot-path SQL: prepared statements over the local cache for meta, applying
// server changes in one transaction per page, the outbox, and the check-in/scan records of a verdict.
// Kept on raw better-sqlite3 statements because the scan path and a million-row first sync need them.
import type Database from 'better-sqlite3';
import type { Change } from '../../server/protocol';
import type { LocalDb } from './db/open';
import type { CheckinState, TicketState } from './validation';

export type TicketRecord = TicketState & {
  code: string;
  eventId: string;
  ticketTypeId: string;
  attendeeName: string | null;
  ticketTypeName: Record<string, string> | null;
};

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
      upEvent: s.prepare(`insert into events(id, name, starts_at, ends_at, timezone, currency, seq)
        values (@id, @name, @startsAt, @endsAt, @timezone, @currency, @seq)
        on conflict(id) do update set name=excluded.name, starts_at=excluded.starts_at, ends_at=excluded.ends_at,
          timezone=excluded.timezone, currency=excluded.currency, seq=excluded.seq`),
      upType: s.prepare(`insert into ticket_types(id, event_id, name, price_minor, currency, capacity, sold, seq)
        values (@id, @eventId, @name, @priceMinor, @currency, @capacity, @sold, @seq)
        on conflict(id) do update set name=excluded.name, price_minor=excluded.price_minor, currency=excluded.currency,
          capacity=excluded.capacity, sold=excluded.sold, seq=excluded.seq`),
      upTicket: s.prepare(`insert into tickets(id, event_id, ticket_type_id, order_id, code, status, paid, attendee_name, seq)
        values (@id, @eventId, @ticketTypeId, @orderId, @code, @status, @paid, @attendeeName, @seq)
        on conflict(id) do update set status=excluded.status, paid=excluded.paid, attendee_name=excluded.attendee_name,
          order_id=excluded.order_id, seq=excluded.seq`),
      upCheckin: s.prepare(`insert into checkins(id, ticket_id, device_id, at, state, own)
        values (@id, @ticketId, @deviceId, @at, @status, @own)
        on conflict(id) do update set state=excluded.state, device_id=excluded.device_id`),
      upOperator: s.prepare(`insert into operators(id, name, role, pin_hash, pin_salt, active, seq)
        values (@id, @name, @role, @pinHash, @pinSalt, @active, @seq)
        on conflict(id) do update set name=excluded.name, role=excluded.role, pin_hash=excluded.pin_hash,
          pin_salt=excluded.pin_salt, active=excluded.active, seq=excluded.seq`),
      ticketByCode: s.prepare(`select t.id, t.code, t.event_id as eventId, t.ticket_type_id as ticketTypeId, t.status,
          t.paid, t.attendee_name as attendeeName, tt.name as typeName
        from tickets t left join ticket_types tt on tt.id = t.ticket_type_id where t.code = ?`),
      history: s.prepare<[string], CheckinState>('select at, state from checkins where ticket_id = ?'),
      insCheckin: s.prepare(`insert into checkins(id, ticket_id, device_id, at, state, own) values (?, ?, ?, ?, ?, 1)`),
      insScan: s.prepare(`insert into scans(id, code, ticket_id, reason, admitted, confirmation, operator_id, at)
        values (@id, @code, @ticketId, @reason, @admitted, @confirmation, @operatorId, @at)`),
      insOutbox: s.prepare(`insert into outbox(id, kind, payload, created_at) values (?, ?, ?, ?)`),
      outboxBatch: s.prepare<[number], { id: string; payload: string }>('select id, payload from outbox order by id limit ?'),
      outboxCount: s.prepare<[], { n: number }>('select count(*) as n from outbox'),
      delOutbox: s.prepare('delete from outbox where id = ?'),
      setCheckinState: s.prepare('update checkins set state = ? where id = ?'),
    };
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
            st.upType.run({ ...c.row, name: JSON.stringify(c.row.name), seq: c.seq });
            break;
          case 'ticket':
            st.upTicket.run({ ...c.row, paid: c.row.paid ? 1 : 0, seq: c.seq });
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

  ticketByCode(code: string): TicketRecord | undefined {
    const row = this.stmts.ticketByCode.get(code) as
      | (Omit<TicketRecord, 'paid' | 'ticketTypeName'> & { paid: number; typeName: string | null })
      | undefined;
    if (!row) return undefined;
    const { typeName, ...rest } = row;
    return { ...rest, paid: row.paid === 1, ticketTypeName: typeName ? (JSON.parse(typeName) as Record<string, string>) : null };
  }

  history(ticketId: string): CheckinState[] {
    return this.stmts.history.all(ticketId);
  }

  /** Records a verdict: the scan, and for an admission the check-in and (if the server has not
   *  confirmed it) its outbox entry — all in one transaction, so nothing is half-written. */
  recordScan(scan: {
    id: string;
    code: string;
    ticketId: string | null;
    reason: string;
    admitted: boolean;
    confirmation: 'confirmed' | 'local';
    operatorId: string | null;
    at: string;
    checkin?: { id: string; ticketId: string; deviceId: string | null; state: 'local' | 'accepted' };
  }): void {
    const st = this.stmts;
    this.sql.transaction(() => {
      const { checkin, ...row } = scan;
      st.insScan.run({ ...row, admitted: row.admitted ? 1 : 0 });
      if (checkin) {
        st.insCheckin.run(checkin.id, checkin.ticketId, checkin.deviceId, scan.at, checkin.state);
        if (checkin.state === 'local') {
          const record = { id: checkin.id, kind: 'checkin', ticketId: checkin.ticketId, at: scan.at };
          st.insOutbox.run(checkin.id, 'checkin', JSON.stringify(record), scan.at);
        }
      }
    })();
  }

  outboxBatch(limit: number): { id: string; payload: unknown }[] {
    return this.stmts.outboxBatch.all(limit).map((r) => ({ id: r.id, payload: JSON.parse(r.payload) as unknown }));
  }
  outboxCount(): number {
    return this.stmts.outboxCount.get()?.n ?? 0;
  }
  settleOutbox(results: readonly { id: string; status: 'accepted' | 'duplicate' | 'conflict' }[]): void {
    const st = this.stmts;
    this.sql.transaction(() => {
      for (const r of results) {
        st.delOutbox.run(r.id);
        st.setCheckinState.run(r.status === 'conflict' ? 'conflict' : 'accepted', r.id);
      }
    })();
  }
}
