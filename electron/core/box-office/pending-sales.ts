// Owns the pending_sales table: every sale from the moment its order id is made (before the request
// goes out) until it is settled, so a lost reply, a crash or a restart never loses a sale nor makes a
// second one. States: pending (the server may or may not have the order: re-send the same request),
// recorded (the order is kept locally, its printing not yet queued), done, failed (the server refused
// it; the cash goes back to the customer). A sale the recovery settled (done or failed) while the
// cashier was not waiting for it needs their attention until they acknowledge it: they gave the
// tickets, or handed the money back.
import type Database from 'better-sqlite3';
import { OrderRequest } from '../../../domain/wire';
import { Order, PrintOutcome } from '../../contract';

export type PendingSaleState = 'pending' | 'recorded' | 'done' | 'failed';

export type PendingSale = {
  orderId: string;
  request: OrderRequest;
  tenderedMinor: number;
  changeMinor: number;
  operatorId: string;
  state: PendingSaleState;
  /** The order as recorded (recorded and done). */
  order: Order | null;
  /** What became of its printing (done). */
  print: PrintOutcome | null;
  /** Why the server refused it (failed). */
  error: string | null;
  createdAt: string;
  updatedAt: string;
  /** When the recovery settled it (null: the cashier's own attempt did, or it is not settled). */
  recoveredAt: string | null;
  /** When the cashier acknowledged the settled sale, and who (null: not yet). */
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
};

type Row = Omit<PendingSale, 'request' | 'order' | 'print'> & { request: string; order: string | null; print: string | null };

/** How settling a sale was started: by the cashier's own sale (they see the outcome) or by the recovery. */
export type SettledBy = 'sale' | 'recovery';

/** Why a sale cannot be acknowledged. */
export type AcknowledgeRefusal = 'unknown_sale' | 'sale_pending' | 'already_acknowledged';

/** What the sale flow keeps of a sale in flight. */
export interface PendingSaleWriter {
  /** On disk before the order request goes out. A failed sale's id may start again (the server has
   *  no order under it). */
  begin(sale: { request: OrderRequest; tenderedMinor: number; changeMinor: number; operatorId: string }, now: string): void;
  /** A retry of the pending sale with what the customer handed over this time. */
  retender(orderId: string, tenderedMinor: number, changeMinor: number, now: string): void;
  /** Inside the transaction that keeps the order locally. */
  recorded(order: Order, now: string): void;
  done(orderId: string, print: PrintOutcome, now: string, by?: SettledBy): void;
  failed(orderId: string, error: string, now: string, by?: SettledBy): void;
  /** Pending or recorded sales, oldest first. */
  unsettled(): PendingSale[];
  get(orderId: string): PendingSale | undefined;
}

/** What the box office shows the cashier of the kept sales. */
export interface PendingSaleAttention {
  /** Sales that need the cashier, oldest first: not settled yet, or settled by the recovery and not
   *  acknowledged. At most `limit`. */
  attention(limit: number): PendingSale[];
  /** Records that the cashier dealt with a sale the recovery settled; refuses (changing nothing) an
   *  unknown sale, one not settled yet, and one already acknowledged. */
  acknowledge(orderId: string, operatorId: string, now: string): { ok: true; sale: PendingSale } | { ok: false; reason: AcknowledgeRefusal };
}

export class PendingSaleStore implements PendingSaleWriter, PendingSaleAttention {
  readonly #st;

  constructor(sql: Database.Database) {
    const cols = `order_id as orderId, request, tendered_minor as tenderedMinor, change_minor as changeMinor,
      operator_id as operatorId, state, "order", print, error, created_at as createdAt, updated_at as updatedAt,
      recovered_at as recoveredAt, acknowledged_at as acknowledgedAt, acknowledged_by as acknowledgedBy`;
    this.#st = {
      insert: sql.prepare(`insert into pending_sales(order_id, request, tendered_minor, change_minor, operator_id, state, created_at, updated_at)
        values (@orderId, @request, @tenderedMinor, @changeMinor, @operatorId, 'pending', @now, @now)
        on conflict(order_id) do update set request = excluded.request, tendered_minor = excluded.tendered_minor,
          change_minor = excluded.change_minor, operator_id = excluded.operator_id, state = 'pending', error = null,
          updated_at = excluded.updated_at, recovered_at = null, acknowledged_at = null, acknowledged_by = null
        where pending_sales.state = 'failed'`),
      retender: sql.prepare<[number, number, string, string]>(
        "update pending_sales set tendered_minor = ?, change_minor = ?, updated_at = ? where order_id = ? and state = 'pending'",
      ),
      // A settled sale keeps no attendee details (ID numbers among them): the server has them, and no
      // retry compares them.
      recorded: sql.prepare<[string, string, string]>(
        `update pending_sales set state = 'recorded', "order" = ?, updated_at = ?, request = json_remove(request, '$.attendees')
          where order_id = ? and state = 'pending'`,
      ),
      // The recovery's mark goes in with the state it settles, so no crash leaves a settled sale unmarked.
      done: sql.prepare<[string, string, string | null, string]>(
        `update pending_sales set state = 'done', print = ?, updated_at = ?, recovered_at = coalesce(recovered_at, ?)
          where order_id = ? and state in ('recorded', 'done')`,
      ),
      failed: sql.prepare<[string, string, string | null, string]>(
        `update pending_sales set state = 'failed', error = ?, updated_at = ?, recovered_at = coalesce(recovered_at, ?),
            request = json_remove(request, '$.attendees')
          where order_id = ? and state = 'pending'`,
      ),
      attention: sql.prepare<[number], Row>(`select ${cols} from pending_sales
        where state in ('pending', 'recorded') or (recovered_at is not null and acknowledged_at is null)
        order by created_at, order_id limit ?`),
      acknowledge: sql.prepare<[string, string, string]>(
        `update pending_sales set acknowledged_at = ?, acknowledged_by = ?
          where order_id = ? and state in ('done', 'failed') and recovered_at is not null and acknowledged_at is null`,
      ),
      unsettled: sql.prepare<[], Row>(`select ${cols} from pending_sales where state in ('pending', 'recorded') order by created_at, order_id`),
      get: sql.prepare<[string], Row>(`select ${cols} from pending_sales where order_id = ?`),
    };
  }

  begin(sale: { request: OrderRequest; tenderedMinor: number; changeMinor: number; operatorId: string }, now: string): void {
    const { changes } = this.#st.insert.run({
      orderId: sale.request.orderId,
      request: JSON.stringify(OrderRequest.parse(sale.request)),
      tenderedMinor: sale.tenderedMinor,
      changeMinor: sale.changeMinor,
      operatorId: sale.operatorId,
      now,
    });
    if (changes === 0) throw new Error(`sale ${sale.request.orderId} is not settled and cannot start again`);
  }

  retender(orderId: string, tenderedMinor: number, changeMinor: number, now: string): void {
    this.#st.retender.run(tenderedMinor, changeMinor, now, orderId);
  }

  recorded(order: Order, now: string): void {
    this.#st.recorded.run(JSON.stringify(order), now, order.id);
  }

  done(orderId: string, print: PrintOutcome, now: string, by: SettledBy = 'sale'): void {
    this.#st.done.run(JSON.stringify(print), now, by === 'recovery' ? now : null, orderId);
  }

  failed(orderId: string, error: string, now: string, by: SettledBy = 'sale'): void {
    this.#st.failed.run(error, now, by === 'recovery' ? now : null, orderId);
  }

  attention(limit: number): PendingSale[] {
    return this.#st.attention.all(limit).map(read);
  }

  acknowledge(orderId: string, operatorId: string, now: string): { ok: true; sale: PendingSale } | { ok: false; reason: AcknowledgeRefusal } {
    const { changes } = this.#st.acknowledge.run(now, operatorId, orderId);
    if (changes === 1) return { ok: true, sale: this.get(orderId)! };
    const sale = this.get(orderId);
    if (sale && (sale.state === 'pending' || sale.state === 'recorded')) return { ok: false, reason: 'sale_pending' };
    if (sale?.acknowledgedAt) return { ok: false, reason: 'already_acknowledged' };
    // Unknown here, or settled in front of the cashier (they saw the outcome): nothing to acknowledge.
    return { ok: false, reason: 'unknown_sale' };
  }

  unsettled(): PendingSale[] {
    return this.#st.unsettled.all().map(read);
  }

  get(orderId: string): PendingSale | undefined {
    const row = this.#st.get.get(orderId);
    return row ? read(row) : undefined;
  }
}

/** Rows are read back through their schemas: what is re-sent is exactly what the protocol allows. */
function read(row: Row): PendingSale {
  return {
    ...row,
    request: OrderRequest.parse(JSON.parse(row.request)),
    order: row.order === null ? null : Order.parse(JSON.parse(row.order)),
    print: row.print === null ? null : PrintOutcome.parse(JSON.parse(row.print)),
  };
}
