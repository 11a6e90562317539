// Owns the pending_sales table: every sale from the moment its order id is made (before the request
// goes out) until it is settled, so a lost reply, a crash or a restart never loses a sale nor makes a
// second one. States: pending (the server may or may not have the order: re-send the same request),
// recorded (the order is kept locally, its printing not yet queued), done, failed (the server refused
// it; the cash goes back to the customer).
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
};

type Row = Omit<PendingSale, 'request' | 'order' | 'print'> & { request: string; order: string | null; print: string | null };

/** What the sale flow keeps of a sale in flight. */
export interface PendingSaleWriter {
  /** On disk before the order request goes out. A failed sale's id may start again (the server has
   *  no order under it). */
  begin(sale: { request: OrderRequest; tenderedMinor: number; changeMinor: number; operatorId: string }, now: string): void;
  /** A retry of the pending sale with what the customer handed over this time. */
  retender(orderId: string, tenderedMinor: number, changeMinor: number, now: string): void;
  /** Inside the transaction that keeps the order locally. */
  recorded(order: Order, now: string): void;
  done(orderId: string, print: PrintOutcome, now: string): void;
  failed(orderId: string, error: string, now: string): void;
  /** Pending or recorded sales, oldest first. */
  unsettled(): PendingSale[];
  get(orderId: string): PendingSale | undefined;
}

export class PendingSaleStore implements PendingSaleWriter {
  readonly #st;

  constructor(sql: Database.Database) {
    const cols = `order_id as orderId, request, tendered_minor as tenderedMinor, change_minor as changeMinor,
      operator_id as operatorId, state, "order", print, error, created_at as createdAt, updated_at as updatedAt`;
    this.#st = {
      insert: sql.prepare(`insert into pending_sales(order_id, request, tendered_minor, change_minor, operator_id, state, created_at, updated_at)
        values (@orderId, @request, @tenderedMinor, @changeMinor, @operatorId, 'pending', @now, @now)
        on conflict(order_id) do update set request = excluded.request, tendered_minor = excluded.tendered_minor,
          change_minor = excluded.change_minor, operator_id = excluded.operator_id, state = 'pending', error = null,
          updated_at = excluded.updated_at
        where pending_sales.state = 'failed'`),
      retender: sql.prepare<[number, number, string, string]>(
        "update pending_sales set tendered_minor = ?, change_minor = ?, updated_at = ? where order_id = ? and state = 'pending'",
      ),
      recorded: sql.prepare<[string, string, string]>(
        `update pending_sales set state = 'recorded', "order" = ?, updated_at = ? where order_id = ? and state = 'pending'`,
      ),
      done: sql.prepare<[string, string, string]>(
        "update pending_sales set state = 'done', print = ?, updated_at = ? where order_id = ? and state in ('recorded', 'done')",
      ),
      failed: sql.prepare<[string, string, string]>(
        "update pending_sales set state = 'failed', error = ?, updated_at = ? where order_id = ? and state = 'pending'",
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

  done(orderId: string, print: PrintOutcome, now: string): void {
    this.#st.done.run(JSON.stringify(print), now, orderId);
  }

  failed(orderId: string, error: string, now: string): void {
    this.#st.failed.run(error, now, orderId);
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
