// Owns the gate's tables: scans (every presented code with its verdict), checkins (this terminal's
// admissions and those of other terminals learned through sync) and gate_intents (claims about to go
// out, not yet acted on). A verdict is recorded here in one transaction with its outbox record and the
// closing of its intent; sync hands server check-ins and push answers back through the applier and
// settle() below. Prepared better-sqlite3 statements: this is the scan path.
import type Database from 'better-sqlite3';
import type { Direction, LocalCheckinState, Reason } from '../../../domain/enums';
import { annulRecord, checkinRecord, failedScanRecord, type AnnulReason } from '../../../domain/outbox';
import type { PastCheckin } from '../../../domain/rules';
import type { ChangeAppliers } from '../sync/changes';
import type { OutboxWriter, PushResult } from '../sync/outbox';

export type ScanRecord = {
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
  /** The intent this verdict acts on (its claim went out): closed in the verdict's transaction. */
  intentId?: string;
};

/** A claim the gate is about to make: what the server would record if it accepts it. */
export type GateIntent = { checkinId: string; ticketId: string; at: string; pointId: string | null; lane: string | null; direction: Direction };

export type CheckinRow = { id: string; ticketId: string; at: string; state: LocalCheckinState; own: number };

export type RecentScan = {
  id: string;
  code: string;
  ticketId: string | null;
  reason: Reason;
  admitted: number;
  confirmation: 'confirmed' | 'local';
  at: string;
  pointId: string | null;
  checkinId: string | null;
  direction: Direction | null;
};

/** What may be read of the check-ins outside the gate (tests, reports). */
export interface CheckinReader {
  history(ticketId: string): PastCheckin[];
  checkinById(id: string): CheckinRow | undefined;
  uses(ticketId: string): (PastCheckin & { pointId: string | null })[];
}

export class CheckinStore implements CheckinReader {
  readonly #sql: Database.Database;
  readonly #outbox: OutboxWriter;
  readonly #zoneOf: (pointId: string) => string | null;
  readonly #st;
  readonly appliers: Pick<ChangeAppliers, 'checkin'>;

  /** `zoneOf`: a check-in point's zone, read from the replicated cache. */
  constructor(sql: Database.Database, outbox: OutboxWriter, zoneOf: (pointId: string) => string | null) {
    this.#sql = sql;
    this.#outbox = outbox;
    this.#zoneOf = zoneOf;
    const st = (this.#st = {
      upsert: sql.prepare(`insert into checkins(id, ticket_id, device_id, at, state, own, point_id, direction)
        values (@id, @ticketId, @deviceId, @at, @status, @own, @pointId, @direction)
        on conflict(id) do update set device_id=excluded.device_id,
          -- An annulment made here is final; an older server row must not bring the check-in back.
          state = case when checkins.state = 'annulled' then 'annulled' else excluded.state end`),
      history: sql.prepare<[string], { at: string; direction: Direction; state: LocalCheckinState; pointId: string | null }>(
        'select at, direction, state, point_id as pointId from checkins where ticket_id = ?',
      ),
      // The server's copy of a claimed check-in can arrive through a pull while the claim is being
      // answered; it is the same check-in, now known to be ours.
      insCheckin: sql.prepare(`insert into checkins(id, ticket_id, device_id, at, state, own, point_id, direction)
        values (?, ?, ?, ?, ?, 1, ?, ?) on conflict(id) do update set own = 1`),
      insScan: sql.prepare(`insert into scans(id, code, ticket_id, reason, admitted, confirmation, operator_id, at, point_id, checkin_id)
        values (@id, @code, @ticketId, @reason, @admitted, @confirmation, @operatorId, @at, @pointId, @checkinId)`),
      setState: sql.prepare<[string, string]>('update checkins set state = ? where id = ?'),
      confirm: sql.prepare<[string]>("update checkins set state = 'accepted' where id = ? and state = 'local'"),
      byId: sql.prepare<[string], CheckinRow>('select id, ticket_id as ticketId, at, state, own from checkins where id = ?'),
      openIntent: sql.prepare<[GateIntent]>(`insert into gate_intents(checkin_id, ticket_id, at, point_id, lane, direction)
        values (@checkinId, @ticketId, @at, @pointId, @lane, @direction)`),
      closeIntent: sql.prepare<[string]>('delete from gate_intents where checkin_id = ?'),
      intentById: sql.prepare<[string], GateIntent>(
        `select checkin_id as checkinId, ticket_id as ticketId, at, point_id as pointId, lane, direction from gate_intents where checkin_id = ?`,
      ),
      openIntents: sql.prepare<[], GateIntent>(
        `select checkin_id as checkinId, ticket_id as ticketId, at, point_id as pointId, lane, direction from gate_intents order by checkin_id`,
      ),
      // A claim never acted on: kept as this terminal's annulled check-in, so a copy of the server's
      // row that arrives before the annulment is pushed can never make it a use here.
      insAbandoned: sql.prepare(`insert into checkins(id, ticket_id, device_id, at, state, own, point_id, direction)
        values (@checkinId, @ticketId, @deviceId, @at, 'annulled', 1, @pointId, @direction)
        on conflict(id) do update set state = 'annulled', own = 1`),
      recent: sql.prepare<[number], RecentScan>(
        `select s.id, s.code, s.ticket_id as ticketId, s.reason, s.admitted, s.confirmation, s.at, s.point_id as pointId,
                s.checkin_id as checkinId, c.direction as direction
         from scans s left join checkins c on c.id = s.checkin_id
         order by s.at desc, s.id desc limit ?`,
      ),
    });
    this.appliers = {
      checkin: (c, ctx) => void st.upsert.run({ ...c.row, own: c.row.deviceId === ctx.ownDeviceId ? 1 : 0 }),
    };
  }

  /** The ticket's uses, each with its point's zone: only uses in the deciding point's zone count (rules.ts). */
  history(ticketId: string): PastCheckin[] {
    return this.#st.history.all(ticketId).map((r) => ({
      at: r.at,
      direction: r.direction,
      state: r.state,
      zone: r.pointId === null ? null : this.#zoneOf(r.pointId),
    }));
  }

  checkinById(id: string): CheckinRow | undefined {
    return this.#st.byId.get(id);
  }

  /** The ticket's uses with the point each was made at (the kiosk counts meals redeemed at points). */
  uses(ticketId: string): (PastCheckin & { pointId: string | null })[] {
    return this.#st.history.all(ticketId).map((r) => ({ at: r.at, direction: r.direction, state: r.state, pointId: r.pointId }));
  }

  recent(limit: number): RecentScan[] {
    return this.#st.recent.all(limit);
  }

  /** Records a verdict: the scan, and for an admission the check-in and (if the server has not
   *  confirmed it) its outbox entry; a refusal goes to the outbox as a failed scan. All in one
   *  transaction, so nothing is half-written. */
  recordScan(scan: ScanRecord): void {
    const st = this.#st;
    this.#sql.transaction(() => {
      const { checkin, intentId, ...row } = scan;
      if (intentId !== undefined) st.closeIntent.run(intentId);
      st.insScan.run({ ...row, admitted: row.admitted ? 1 : 0, checkinId: checkin?.id ?? null });
      if (checkin) {
        st.insCheckin.run(checkin.id, checkin.ticketId, checkin.deviceId, scan.at, checkin.state, scan.pointId, checkin.direction);
        if (checkin.state === 'local') {
          this.#outbox.enqueue(
            checkinRecord({ id: checkin.id, ticketId: checkin.ticketId, at: scan.at, pointId: scan.pointId, direction: checkin.direction }),
            scan.at,
          );
        }
      } else if (!scan.admitted) {
        const { id, code, ticketId, reason, at, pointId } = scan;
        this.#outbox.enqueue(failedScanRecord({ id, code, ticketId, reason, at, pointId }), at);
      }
    })();
  }

  /** Written (and on disk) before a claim goes out: if the terminal stops before the verdict is
   *  recorded, the next start finds it and releases the claim (releaseIntent). */
  openIntent(intent: GateIntent): void {
    this.#st.openIntent.run(intent);
  }

  /** The open intent of one claim, if it has not been acted on. */
  intentOf(checkinId: string): GateIntent | undefined {
    return this.#st.intentById.get(checkinId);
  }

  /** Claims that went out (or were about to) and were never acted on. */
  openIntents(): GateIntent[] {
    return this.#st.openIntents.all();
  }

  /** Releases a claim that was never acted on: kept as an annulled check-in of this terminal and
   *  annulled at the server (reason not_acted), in one transaction with closing the intent. If the
   *  claim never reached the server, the server keeps the annulment pending, so a claim still in
   *  flight is annulled when it lands. */
  releaseIntent(intent: GateIntent, deviceId: string | null, annulId: string, at: string): void {
    const record = annulRecord({ id: annulId, checkinId: intent.checkinId, at, reason: 'not_acted' });
    this.#sql.transaction(() => {
      this.#st.insAbandoned.run({ ...intent, deviceId });
      this.#st.closeIntent.run(intent.checkinId);
      this.#outbox.enqueue(record, at);
    })();
  }

  /** Annuls one of this terminal's check-ins (no passage followed) and queues the annulment. */
  annul(checkinId: string, annulId: string, at: string, reason: AnnulReason): void {
    const record = annulRecord({ id: annulId, checkinId, at, reason });
    this.#sql.transaction(() => {
      this.#st.setState.run('annulled', checkinId);
      this.#outbox.enqueue(record, at);
    })();
  }

  /** The server's answers to pushed records: a check-in keeps the server's verdict on it. Runs inside
   *  the outbox's settling transaction. */
  settle(results: readonly PushResult[]): void {
    for (const r of results) {
      if (r.status === 'conflict') this.#st.setState.run('conflict', r.id);
      else if (r.status !== 'invalid') this.#st.confirm.run(r.id);
    }
  }
}
