// Owns the box office's shifts and reprints: the shifts, shift_movements and reprints tables and the
// shifts slice of the contract. A shift at this terminal's drawer opens with a float; sales made while
// it is open carry its id (orders.shift_id, written by the order store); cash put in or taken out,
// refunds (recordRefund, called by the refund flow), an exchange's difference taken from the customer
// (recordExchangeCharge: each part under its kind, counted with the sales) and voided payments are its
// movements. An X report
// tells the open shift's totals, a Z report closes it with the cash counted and its variance; both are
// printed on the receipt printer through the durable print queue and queued in the outbox (kind
// `shift`) for the server, in the same transaction as what they record. After a Z report no sale is
// made until a shift opens again (saleAllowed). A reprint prints a sold order's receipt or tickets
// again through the same print path, each copy counted and marked "REPRINT n".
import type Database from 'better-sqlite3';
import { PAYMENT_METHODS, type PaymentMethod } from '../../../domain/tender';
import { shiftRecord } from '../../../domain/outbox';
import { cashVariance, expectedCash, MAX_SHIFT_AMOUNT_MINOR, type ShiftMethodTotals, type ShiftOperatorTotals, type ShiftTotals, type Tally } from '../../../domain/shifts';
import { AdmitError, type CallInput, type CallOutput, type Order, type PrintOutcome, type Shift, type ShiftReport, type ShiftsCall } from '../../contract';
import type { Transaction } from '../db/meta';
import type { Printing } from '../devices/module';
import type { CoreModule } from '../dispatcher';
import { newId } from '../ids';
import type { CacheReader } from '../sync/cache';
import type { OutboxWriter } from '../sync/outbox';
import { labelsFor, type PrintEvent } from './print-labels';
import { receiptDocument, ticketDocuments } from './receipts';
import { withSessionStarts } from './ticket-starts';
import { reprintMark, shiftReportDocument } from './shift-report';

/** Meta key: '1' when this terminal sells only within an open shift, even before its first shift. */
export const SHIFT_REQUIRED_KEY = 'shift_required';

/** The drawer this terminal's shifts count (one till per terminal). */
const DRAWER = 'main';

type ShiftRow = {
  id: string;
  currency: string;
  float_minor: number;
  opened_at: string;
  opened_by: string;
  closed_at: string | null;
  closed_by: string | null;
};

type MovementKind = 'cash_in' | 'cash_out' | 'refund' | 'void' | 'exchange';

/** A refund or a voided payment, as the refund flow or the payments record it against a shift. */
export type ShiftMoney = { method: PaymentMethod; amountMinor: number; orderId?: string | null; operatorId?: string | null; at?: string; id?: string };

const validAmount = (n: number): boolean => Number.isSafeInteger(n) && n >= 0 && n <= MAX_SHIFT_AMOUNT_MINOR;

export class ShiftStore {
  readonly #st;

  constructor(sql: Database.Database) {
    this.#st = {
      open: sql.prepare<[string], ShiftRow>(`select id, currency, float_minor, opened_at, opened_by, closed_at, closed_by from shifts where drawer = ? and closed_at is null`),
      last: sql.prepare<[string], ShiftRow>(`select id, currency, float_minor, opened_at, opened_by, closed_at, closed_by from shifts where drawer = ? order by opened_at desc, id desc limit 1`),
      byId: sql.prepare<[string], ShiftRow>(`select id, currency, float_minor, opened_at, opened_by, closed_at, closed_by from shifts where id = ?`),
      insert: sql.prepare(`insert into shifts(id, drawer, currency, float_minor, opened_at, opened_by) values (@id, @drawer, @currency, @floatMinor, @openedAt, @openedBy)`),
      close: sql.prepare(
        `update shifts set closed_at = @closedAt, closed_by = @closedBy, counted_minor = @countedMinor, expected_minor = @expectedMinor,
           variance_minor = @varianceMinor, totals = @totals where id = @id and closed_at is null`,
      ),
      move: sql.prepare(
        `insert or ignore into shift_movements(id, shift_id, kind, method, amount_minor, order_id, reason, operator_id, at)
         values (@id, @shiftId, @kind, @method, @amountMinor, @orderId, @reason, @operatorId, @at)`,
      ),
      sales: sql.prepare<[string], { method: string; operator_id: string; n: number; total: number; tendered: number; change: number }>(
        `select payment_method as method, operator_id, count(*) as n, sum(total_minor) as total, sum(tendered_minor) as tendered, sum(change_minor) as change
         from orders where shift_id = ? group by payment_method, operator_id`,
      ),
      // The tenders of split sales as the payment journal keeps them (those not voided): each part counts
      // under its own kind, and a cash part's tender and change go into the drawer's expected cash.
      splitParts: sql.prepare<[string], { method: string; amount: number; auth: string }>(
        `select j.method, j.amount_minor as amount, j.authorization as auth
         from orders o join payment_journal j on j.order_id = o.id and j.action = 'authorized'
         where o.shift_id = ? and o.payment_method = 'split'
           and not exists (select 1 from payment_journal v where v.payment_id = j.payment_id and v.action = 'voided')`,
      ),
      movements: sql.prepare<[string], { kind: string; method: string | null; operator_id: string | null; n: number; total: number; orders: string | null }>(
        `select kind, method, operator_id, count(*) as n, sum(amount_minor) as total, group_concat(order_id, ',') as orders
         from shift_movements where shift_id = ? group by kind, method, operator_id`,
      ),
      // Sales refused after the money was taken: the payment was voided and the money handed back.
      failedSales: sql.prepare<[string, string], { order_id: string; request: string; operator_id: string }>(
        `select order_id, request, operator_id from pending_sales where state = 'failed' and updated_at >= ? and updated_at <= ?`,
      ),
    };
  }

  current(): ShiftRow | null {
    return this.#st.open.get(DRAWER) ?? null;
  }

  last(): ShiftRow | null {
    return this.#st.last.get(DRAWER) ?? null;
  }

  byId(id: string): ShiftRow | null {
    return this.#st.byId.get(id) ?? null;
  }

  /** The open shift, or the error that says why there is none. */
  requireOpen(): ShiftRow {
    const open = this.current();
    if (open) return open;
    throw new AdmitError(this.last() ? 'shift_closed' : 'no_open_shift');
  }

  open(s: { currency: string; floatMinor: number; operatorId: string; at: string }): ShiftRow {
    if (this.current()) throw new AdmitError('shift_already_open');
    const id = newId();
    this.#st.insert.run({ id, drawer: DRAWER, currency: s.currency, floatMinor: s.floatMinor, openedAt: s.at, openedBy: s.operatorId });
    return this.byId(id)!;
  }

  /** Records a movement; one given an `id` already recorded (the same money told again) is not recorded twice. */
  movement(shiftId: string, m: { kind: MovementKind; method: PaymentMethod | null; amountMinor: number; orderId?: string | null; reason?: string | null; operatorId?: string | null; at: string; id?: string }): string {
    if (!validAmount(m.amountMinor)) throw new AdmitError('invalid_input', `amountMinor: ${m.amountMinor}`);
    const id = m.id ?? newId();
    this.#st.move.run({ id, shiftId, kind: m.kind, method: m.method, amountMinor: m.amountMinor, orderId: m.orderId ?? null, reason: m.reason ?? null, operatorId: m.operatorId ?? null, at: m.at });
    return id;
  }

  close(shiftId: string, c: { closedAt: string; closedBy: string; countedMinor: number; totals: ShiftTotals; varianceMinor: number }): void {
    const changed = this.#st.close.run({
      id: shiftId,
      closedAt: c.closedAt,
      closedBy: c.closedBy,
      countedMinor: c.countedMinor,
      expectedMinor: c.totals.expectedCashMinor,
      varianceMinor: c.varianceMinor,
      totals: JSON.stringify(c.totals),
    }).changes;
    if (changed !== 1) throw new AdmitError('shift_closed');
  }

  /** The shift's totals up to `until` (an ISO instant; its sales are those stamped with its id). */
  totals(shift: ShiftRow, until: string): ShiftTotals {
    const byMethod = new Map<string, ShiftMethodTotals>();
    const byOperator = new Map<string, ShiftOperatorTotals>();
    const zero = (): Tally => ({ count: 0, amountMinor: 0 });
    const method = (m: string) => {
      let t = byMethod.get(m);
      if (!t) byMethod.set(m, (t = { method: m, sales: zero(), refunds: zero() }));
      return t;
    };
    const operator = (id: string) => {
      let t = byOperator.get(id);
      if (!t) byOperator.set(id, (t = { operatorId: id, sales: zero(), refunds: zero(), voids: zero() }));
      return t;
    };
    const add = (t: Tally, n: number, minor: number) => {
      t.count += n;
      t.amountMinor += minor;
    };
    const sales = zero();
    const refunds = zero();
    const voids = zero();
    const cashIn = zero();
    const cashOut = zero();
    let cashTendered = 0;
    let cashChange = 0;
    let cashRefunds = 0;
    method('cash');

    for (const r of this.#st.sales.all(shift.id)) {
      add(sales, r.n, r.total);
      if (r.method !== 'split') add(method(r.method).sales, r.n, r.total);
      add(operator(r.operator_id).sales, r.n, r.total);
      if (r.method === 'cash') {
        cashTendered += r.tendered;
        cashChange += r.change;
      }
    }
    for (const part of this.#st.splitParts.all(shift.id)) {
      add(method(part.method).sales, 1, part.amount);
      if (part.method === 'cash') {
        const auth = JSON.parse(part.auth) as { tenderedMinor?: number; changeMinor?: number };
        cashTendered += auth.tenderedMinor ?? part.amount;
        cashChange += auth.changeMinor ?? 0;
      }
    }
    const voidedOrders = new Set<string>();
    for (const r of this.#st.movements.all(shift.id)) {
      if (r.kind === 'cash_in') add(cashIn, r.n, r.total);
      else if (r.kind === 'cash_out') add(cashOut, r.n, r.total);
      else if (r.kind === 'refund') {
        add(refunds, r.n, r.total);
        if (r.method) add(method(r.method).refunds, r.n, r.total);
        if (r.operator_id) add(operator(r.operator_id).refunds, r.n, r.total);
        if (r.method === 'cash') cashRefunds += r.total;
      } else if (r.kind === 'exchange') {
        // An exchange's difference taken in: money in like a sale's, under its kind; cash into the drawer.
        add(sales, r.n, r.total);
        if (r.method) add(method(r.method).sales, r.n, r.total);
        if (r.operator_id) add(operator(r.operator_id).sales, r.n, r.total);
        if (r.method === 'cash') cashTendered += r.total;
      } else if (r.kind === 'void') {
        add(voids, r.n, r.total);
        if (r.operator_id) add(operator(r.operator_id).voids, r.n, r.total);
        for (const o of r.orders?.split(',') ?? []) voidedOrders.add(o);
      }
    }
    for (const f of this.#st.failedSales.all(shift.opened_at, until)) {
      if (voidedOrders.has(f.order_id)) continue;
      const amount = failedAmount(f.request);
      add(voids, 1, amount);
      add(operator(f.operator_id).voids, 1, amount);
    }
    const order = (m: string) => {
      const i = (PAYMENT_METHODS as readonly string[]).indexOf(m);
      return i < 0 ? PAYMENT_METHODS.length : i;
    };
    const totals: ShiftTotals = {
      currency: shift.currency,
      floatMinor: shift.float_minor,
      sales,
      refunds,
      voids,
      cashIn,
      cashOut,
      cashTenderedMinor: cashTendered,
      cashChangeMinor: cashChange,
      cashRefundsMinor: cashRefunds,
      expectedCashMinor: expectedCash({
        floatMinor: shift.float_minor,
        cashTenderedMinor: cashTendered,
        cashChangeMinor: cashChange,
        cashRefundsMinor: cashRefunds,
        cashInMinor: cashIn.amountMinor,
        cashOutMinor: cashOut.amountMinor,
      }),
      byMethod: [...byMethod.values()].sort((a, b) => order(a.method) - order(b.method)),
      byOperator: [...byOperator.values()].sort((a, b) => a.operatorId.localeCompare(b.operatorId)),
    };
    return totals;
  }
}

/** What a refused sale had asked to be paid (its request as kept). */
function failedAmount(request: string): number {
  try {
    const r = JSON.parse(request) as { payment?: { amountMinor?: unknown } };
    const n = r.payment?.amountMinor;
    return typeof n === 'number' && Number.isSafeInteger(n) ? n : 0;
  } catch {
    return 0;
  }
}

/**
 * Records a refund paid back from a shift: `shift` is a shift id or 'current' (the shift open at this
 * terminal's drawer). Cash refunds lower the cash the drawer should hold; every refund counts in the
 * shift's totals by payment kind and operator. Synchronous, so the refund flow calls it inside its own
 * transaction. Answers the movement id, or null when 'current' names no open shift (nothing recorded).
 * Throws invalid_input for an amount that is not whole, negative or too large.
 */
export function recordRefund(store: ShiftStore, shift: string | 'current', refund: ShiftMoney): string | null {
  return recordMoney(store, shift, 'refund', refund);
}

/** Records a payment voided (handed back) without a sale, like recordRefund. A sale the server refused
 *  after its payment was taken is counted by itself; record it here only once (by its order id). */
export function recordVoid(store: ShiftStore, shift: string | 'current', voided: ShiftMoney): string | null {
  return recordMoney(store, shift, 'void', voided);
}

/** Records a part of an exchange's difference taken from the customer (any kind: card, card terminal, QR,
 *  cash), like recordRefund: it counts with the shift's sales under its kind, a cash part into the
 *  drawer. Given `id` (derived from the journal's payment id), a part told again is counted once. */
export function recordExchangeCharge(store: ShiftStore, shift: string | 'current', charged: ShiftMoney): string | null {
  return recordMoney(store, shift, 'exchange', charged);
}

function recordMoney(store: ShiftStore, shift: string | 'current', kind: 'refund' | 'void' | 'exchange', m: ShiftMoney): string | null {
  const row = shift === 'current' ? store.current() : store.byId(shift);
  if (!row) {
    if (shift === 'current') return null;
    throw new AdmitError('not_found', `shift ${shift}`);
  }
  if (!(PAYMENT_METHODS as readonly string[]).includes(m.method)) throw new AdmitError('invalid_input', `method: ${m.method}`);
  return store.movement(row.id, { kind, method: m.method, amountMinor: m.amountMinor, orderId: m.orderId ?? null, operatorId: m.operatorId ?? null, at: m.at ?? new Date().toISOString(), ...(m.id ? { id: m.id } : {}) });
}

// ---- the feature ------------------------------------------------------------------------------------

export type ShiftDeps = {
  sql: Database.Database;
  store: ShiftStore;
  outbox: OutboxWriter;
  printing: Printing;
  transaction: Transaction;
  cache: Pick<CacheReader, 'catalog'> & Partial<Pick<CacheReader, 'sessions'>>;
  /** The language sale tickets and receipts are printed in (reprints match the original). */
  /** The terminal's print language (null: the event's default language). */
  printLanguage: () => string | null;
  operatorName: (operatorId: string) => string | null;
  /** This terminal's name, printed on the reports. */
  terminalName?: () => string | null;
  /** Server time: what reports and movements are dated with. Default: this machine's clock. */
  now?: () => Date;
  /** Sales need an open shift even when none was ever opened here (after a Z report they always do). */
  shiftRequired?: () => boolean;
};

type ReprintInput = CallInput<'boxOffice.reprint'>;
type ReprintOutput = CallOutput<'boxOffice.reprint'>;

export function shiftsModule(deps: ShiftDeps): CoreModule<ShiftsCall> & { saleAllowed(): void } {
  const now = () => (deps.now?.() ?? new Date()).toISOString();
  const shape = (r: ShiftRow): Shift => ({
    id: r.id,
    currency: r.currency,
    floatMinor: r.float_minor,
    openedAt: r.opened_at,
    openedBy: r.opened_by,
    openedByName: deps.operatorName(r.opened_by),
    closedAt: r.closed_at,
    closedBy: r.closed_by,
  });
  const eventRow = deps.sql.prepare<[string], { name: string; timezone: string; default_language: string }>('select name, timezone, default_language from events where id = ?');

  /** The report's language: the event's own when it is one the reports print in, else the terminal's. */
  const reportContext = () => {
    const { event } = deps.cache.catalog();
    const row = event ? eventRow.get(event.id) : undefined;
    const names = row ? (JSON.parse(row.name) as Record<string, string>) : {};
    // The same choice as the sale's receipts: the terminal's print language, else the event's.
    const { lang, timeZone } = labelsFor(deps.printLanguage(), row ? { name: names, timezone: row.timezone, defaultLanguage: row.default_language } : null);
    return {
      lang,
      eventName: names[lang] ?? names['en'] ?? '',
      timeZone,
      terminalName: deps.terminalName?.() ?? null,
      operatorName: deps.operatorName,
    };
  };

  const report = async (kind: 'x' | 'z', operatorId: string, countedMinor: number | null): Promise<ShiftReport> => {
    const made = deps.transaction(() => {
      const open = deps.store.requireOpen();
      const at = now();
      const totals = deps.store.totals(open, at);
      const variance = countedMinor === null ? null : cashVariance(countedMinor, totals.expectedCashMinor);
      if (kind === 'z') deps.store.close(open.id, { closedAt: at, closedBy: operatorId, countedMinor: countedMinor!, totals, varianceMinor: variance! });
      const shift = shape(kind === 'z' ? deps.store.byId(open.id)! : open);
      const reportId = newId();
      deps.outbox.enqueue(
        shiftRecord({
          id: reportId,
          shiftId: shift.id,
          report: kind,
          at,
          openedAt: shift.openedAt,
          openedBy: shift.openedBy,
          closedAt: shift.closedAt,
          closedBy: shift.closedBy,
          countedMinor,
          varianceMinor: variance,
          totals,
        }),
        at,
      );
      return { reportId, kind, at, shift, totals, countedMinor, varianceMinor: variance };
    });
    // The report is made (and on its way to the server) whatever the printer says; the queue prints it
    // when it can.
    const print = await deps.printing.print([{ kind: 'receipt', doc: shiftReportDocument(made, reportContext()) }]);
    return { ...made, print };
  };

  const reprint = async (input: ReprintInput, operatorId: string): Promise<ReprintOutput> => {
    if (input.reason === 'other' && !input.note) throw new AdmitError('invalid_input', 'note: required for the reason other');
    if (input.what === 'receipt' && input.ticketId !== undefined) throw new AdmitError('invalid_input', 'ticketId: only for tickets');
    const order = soldOrder(deps.sql, input.orderId);
    if (!order) throw new AdmitError('not_found', `order ${input.orderId}`);
    const tickets = input.what === 'ticket' ? order.tickets.filter((t) => input.ticketId === undefined || t.id === input.ticketId) : [];
    if (input.what === 'ticket' && tickets.length === 0) throw new AdmitError('not_found', `ticket ${input.ticketId ?? '(any)'} of order ${order.id}`);
    const { event } = deps.cache.catalog();
    const printEvent = event?.id === order.eventId ? event : printEventOf(deps.sql, order.eventId);
    const labels = labelsFor(deps.printLanguage(), printEvent);
    const at = now();
    const copies = deps.transaction(() =>
      (input.what === 'receipt' ? [null] : tickets.map((t) => t.id)).map((ticketId) => ({
        what: input.what,
        ticketId,
        copy: nextCopy(deps.sql, { orderId: order.id, what: input.what, ticketId, reason: input.reason, note: input.note ?? null, operatorId, at }),
      })),
    );
    const mark = (copy: number, doc: ReturnType<typeof receiptDocument>) => ({ blocks: [...reprintMark(labels.lang, copy), ...doc.blocks] });
    const items =
      input.what === 'receipt'
        ? [{ kind: 'receipt' as const, doc: mark(copies[0]!.copy, receiptDocument(order, labels)) }]
        : ticketDocuments({ ...order, tickets: withSessionStarts(tickets, order.eventId, deps.cache.catalog(order.eventId).types, deps.cache) }, labels).map((doc, i) => ({ kind: 'ticket' as const, doc: mark(copies[i]!.copy, doc) }));
    const print: PrintOutcome = await deps.printing.print(items);
    return { copies, print };
  };

  return {
    name: 'shifts',
    handlers: {
      'boxOffice.shift.current': () => {
        const open = deps.store.current();
        return { shift: open ? shape(open) : null };
      },
      'boxOffice.shift.open': (input, ctx) => {
        const { event } = deps.cache.catalog();
        if (!event) throw new AdmitError('not_paired', 'no event synced');
        if (!validAmount(input.floatMinor)) throw new AdmitError('invalid_input', 'floatMinor');
        return shape(deps.transaction(() => deps.store.open({ currency: event.currency, floatMinor: input.floatMinor, operatorId: ctx.session!.operatorId, at: now() })));
      },
      'boxOffice.shift.cash': (input, ctx) =>
        deps.transaction(() => {
          const open = deps.store.requireOpen();
          const at = now();
          if (input.kind === 'out' && input.amountMinor > deps.store.totals(open, at).expectedCashMinor) throw new AdmitError('cash_out_exceeds_drawer');
          const movementId = deps.store.movement(open.id, {
            kind: input.kind === 'in' ? 'cash_in' : 'cash_out',
            method: 'cash',
            amountMinor: input.amountMinor,
            reason: input.reason,
            operatorId: ctx.session!.operatorId,
            at,
          });
          return { movementId, shift: shape(open), expectedCashMinor: deps.store.totals(open, at).expectedCashMinor };
        }),
      'boxOffice.shift.x': (_input, ctx) => report('x', ctx.session!.operatorId, null),
      'boxOffice.shift.close': (input, ctx) => {
        if (!validAmount(input.countedMinor)) throw new AdmitError('invalid_input', 'countedMinor');
        return report('z', ctx.session!.operatorId, input.countedMinor);
      },
      'boxOffice.reprint': (input, ctx) => reprint(input, ctx.session!.operatorId),
    },
    /** Throws when a new sale may not be made now: the last shift was closed (shift_closed), or none
     *  was ever opened and shifts are required here (no_open_shift). */
    saleAllowed() {
      if (deps.store.current()) return;
      if (deps.store.last()) throw new AdmitError('shift_closed');
      if (deps.shiftRequired?.()) throw new AdmitError('no_open_shift');
    },
  };
}

/** Takes the next copy number of a receipt or ticket and records the reprint. */
function nextCopy(sql: Database.Database, r: { orderId: string; what: 'ticket' | 'receipt'; ticketId: string | null; reason: string; note: string | null; operatorId: string; at: string }): number {
  const last = sql
    .prepare<[string, string, string], { n: number | null }>(`select max(copy) as n from reprints where order_id = ? and what = ? and coalesce(ticket_id, '') = ?`)
    .get(r.orderId, r.what, r.ticketId ?? '');
  const copy = (last?.n ?? 0) + 1;
  sql
    .prepare(`insert into reprints(id, order_id, what, ticket_id, copy, reason, note, operator_id, at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    .run(newId(), r.orderId, r.what, r.ticketId, copy, r.reason, r.note, r.operatorId, r.at);
  return copy;
}

/** What a printed copy shows of an event this terminal keeps (null: one it no longer keeps). */
function printEventOf(sql: Database.Database, eventId: string): PrintEvent | null {
  const row = sql
    .prepare<[string], { name: string; timezone: string; starts_at: string | null; default_language: string | null }>(
      'select name, timezone, starts_at, default_language from events where id = ?',
    )
    .get(eventId);
  return row ? { name: JSON.parse(row.name) as Record<string, string>, timezone: row.timezone, startsAt: row.starts_at, defaultLanguage: row.default_language } : null;
}

/** An order this terminal sold, with its tickets as the cache holds them (the codes it printed). */
function soldOrder(sql: Database.Database, orderId: string): Order | null {
  const o = sql
    .prepare<[string], { id: string; code: string; event_id: string; total_minor: number; currency: string; payment_method: string; tendered_minor: number; change_minor: number; created_at: string }>(
      `select id, code, event_id, total_minor, currency, payment_method, tendered_minor, change_minor, created_at from orders where id = ?`,
    )
    .get(orderId);
  if (!o) return null;
  const tickets = sql
    .prepare<[string], { id: string; code: string; ticket_type_id: string; name: string | null; price_minor: number | null }>(
      `select t.id, t.code, t.ticket_type_id, tt.name, tt.price_minor from tickets t left join ticket_types tt on tt.id = t.ticket_type_id
       where t.order_id = ? order by t.id`,
    )
    .all(orderId);
  return {
    id: o.id,
    code: o.code,
    eventId: o.event_id,
    totalMinor: o.total_minor,
    currency: o.currency,
    paymentMethod: o.payment_method as PaymentMethod,
    tenderedMinor: o.tendered_minor,
    changeMinor: o.change_minor,
    createdAt: o.created_at,
    tickets: tickets.map((t) => ({
      id: t.id,
      code: t.code,
      ticketTypeId: t.ticket_type_id,
      ticketTypeName: t.name ? (JSON.parse(t.name) as Record<string, string>) : {},
      priceMinor: t.price_minor ?? 0,
    })),
  };
}
