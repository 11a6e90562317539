// Owns the orders table: the orders this terminal sold, as the server created them, with the cash taken,
// the operator who sold them and the shift open at the time (box-office/shifts.ts).
import type Database from 'better-sqlite3';
import type { Order } from '../../contract';

export interface OrderWriter {
  insert(order: Order, operatorId: string): void;
}

export class OrderStore implements OrderWriter {
  readonly #insert;

  constructor(sql: Database.Database) {
    this.#insert = sql.prepare(
      `insert into orders(id, code, event_id, total_minor, currency, payment_method, tendered_minor, change_minor, operator_id, created_at, shift_id)
       values (@id, @code, @eventId, @totalMinor, @currency, @paymentMethod, @tenderedMinor, @changeMinor, @operatorId, @createdAt,
         (select id from shifts where closed_at is null))`,
    );
  }

  insert(order: Order, operatorId: string): void {
    const { tickets: _tickets, ...row } = order;
    this.#insert.run({ ...row, operatorId });
  }
}
