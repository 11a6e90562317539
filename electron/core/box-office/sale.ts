// Owns a box-office sale, start to end: the cart priced once from the catalog (domain/pricing), the
// money authorized tender by tender through the payment ports and journaled (payment-journal.ts: a
// split is authorized in order, and a refusal voids what was already authorized), the sale kept durably under its order id (one per cart)
// before the order is asked of the server (the authority on stock), the payment captured — or voided
// when the server refused the order — the order and its tickets kept locally in one transaction (so a
// gate on this terminal admits them before the next pull), and the tickets and receipt printed,
// answering with what became of the printing. A sale whose answer was lost stays pending: a retry of
// the same cart, or the recovery after a restart (recoverSales), re-sends the same order id and
// completes it or learns that it failed — never a second sale. The recovery of payments
// (recoverPayments) voids what a failed or never-made order left authorized. Offline, or when the
// server's open stock ran out, a cart is sold on this box office's seat leases instead (offline-sale.ts).
// A voucher is priced in from the server's preview of it (voucher.ts; the server takes its uses with
// the order and is the authority on them) and whom the tickets are for is checked (attendees.ts)
// before any money is taken; both go to the server with the order.
import { saleRefusal } from '../../../domain/catalog';
import { sameOrderContent, type OrderContent } from '../../../domain/order-content';
import { priceCart, type Pricing } from '../../../domain/pricing';
import type { Tender } from '../../../domain/tender';
import type { OrderPayment } from '../../../domain/wire';
import { AdmitError, type CallInput, type CallOutput, type Order, type PrintOutcome } from '../../contract';
import type { Transaction } from '../db/meta';
import type { Printing } from '../devices/module';
import { newId } from '../ids';
import type { CacheReader } from '../sync/cache';
import type { SyncClient } from '../sync/client';
import type { OrderWriter } from './orders';
import type { LeaseSale } from './offline-sale';
import type { PendingSale, PendingSaleAttention, PendingSaleWriter, SettledBy } from './pending-sales';
import type { Authorization } from './payment';
import { authorizeTenders, capturePayments, voidPayments, type Authorized, type PaymentJournal, type PaymentPorts } from './payment-journal';
import { checkSaleAttendees } from './attendees';
import { labelsFor } from './print-labels';
import { fetchVoucher, priceWithVoucher, type VoucherServer } from './voucher';
import { receiptDocument, ticketDocuments } from './receipts';
import { withSessionStarts } from './ticket-starts';

export type SaleInput = CallInput<'boxOffice.sell'>;
export type SaleResult = CallOutput<'boxOffice.sell'>;

/** What a sale needs of sync: whether the server is reachable, the order there, and its tickets into the cache. */
export type SaleServer = Pick<SyncClient, 'isOnline' | 'createOrder' | 'applyChanges'> & VoucherServer;

export type SaleDeps = {
  /** The catalog, and the registration forms (absent: types ask for their built-in fields only). */
  cache: Pick<CacheReader, 'catalog'> & Partial<Pick<CacheReader, 'form' | 'ticketById' | 'sessions'>>;
  payments: PaymentPorts;
  /** Where every authorization, capture and void is written as it happens. */
  journal: PaymentJournal;
  server: SaleServer;
  /** Server time (sale windows are the server's); default: this machine's clock. */
  serverNow?: () => Date;
  orders: OrderWriter;
  pending: PendingSaleWriter & Pick<PendingSaleAttention, 'acknowledge'>;
  printing: Printing;
  transaction: Transaction;
  /** The terminal's print language; null: the event's default language. */
  printLanguage: () => string | null;
  /** Sells a cart on this box office's seat leases (offline-sale.ts); absent: no offline sales. */
  onLease?: (sale: LeaseSale) => Promise<SaleResult>;
};

/** A cart the domain cannot price, as the error the UI shows. */
function pricingError(problem: Extract<Pricing, { ok: false }>): AdmitError {
  if (problem.reason === 'unknown_ticket_type') return new AdmitError('unknown_ticket_type');
  return new AdmitError('invalid_input', problem.ticketTypeId ? `${problem.reason}: ${problem.ticketTypeId}` : problem.reason);
}

/** Refusals that say the server made no order under this id: the sale failed for good. */
const DEFINITE = new Set(['sold_out', 'unknown_ticket_type', 'server_rejected', 'not_paired', 'not_on_sale', 'over_order_limit']);

/** A new cart the box office may not sell by its types' sale rules as last synced (switched off, its
 *  session switched off, outside the sale window by server time, not for the box office, over the
 *  per-order limit), refused before any money is taken. Stock is left to the server, the authority on it. */
function ruleRefusal(lines: SaleInput['lines'], types: ReturnType<CacheReader['catalog']>['types'], at: Date): AdmitError | null {
  const quantities = new Map<string, number>();
  for (const l of lines) quantities.set(l.ticketTypeId, (quantities.get(l.ticketTypeId) ?? 0) + l.quantity);
  for (const t of types) {
    const quantity = quantities.get(t.id);
    if (quantity === undefined) continue;
    const rules = {
      id: t.id,
      active: t.active ?? true,
      sessionActive: t.sessionActive ?? true,
      saleStartsAt: t.saleStartsAt ?? null,
      saleEndsAt: t.saleEndsAt ?? null,
      maxPerOrder: t.maxPerOrder ?? null,
      channels: t.channels ?? ['box_office'],
      capacity: null,
      sold: 0,
    };
    const refusal = saleRefusal(rules, [], at, 'box_office', quantity);
    if (refusal === 'over_order_limit') return new AdmitError('over_order_limit', `${t.id}: at most ${t.maxPerOrder ?? '-'}`);
    if (refusal !== null) return new AdmitError('not_on_sale', `${refusal}: ${t.id}`);
  }
  return null;
}
const definite = (e: unknown): e is AdmitError =>
  e instanceof AdmitError && DEFINITE.has(e.code) && !(e.code === 'server_rejected' && e.message === 'bad_reply');

/** The server did not answer (or not readably): the order may or may not exist. */
const outcomeUnknown = () => new AdmitError('offline', 'outcome_unknown');

export async function sell(deps: SaleDeps, input: SaleInput, operatorId: string): Promise<SaleResult> {
  const { event, types } = deps.cache.catalog(input.eventId);
  if (!event) throw new AdmitError(input.eventId ? 'not_found' : 'not_paired', 'no event synced');
  const priced = priceCart(input.lines, types, event.currency);
  if (!priced.ok) throw pricingError(priced);
  let total = priced.totalMinor;
  // A retry of a cart already sent is settled with the server whatever the rules say now.
  const kept = input.cartId === undefined ? undefined : deps.pending.get(input.cartId);
  if (kept === undefined) {
    const refused = ruleRefusal(input.lines, types, deps.serverNow?.() ?? new Date());
    if (refused) throw refused;
  }
  checkSaleAttendees(input.lines, input.attendees, types, deps.cache);
  if (input.voucherCode !== undefined) {
    if (kept?.state === 'pending' && kept.request.voucherCode === input.voucherCode) {
      // Its uses may already be taken by the attempt whose answer was lost: the amount it was sent
      // with stands, and the server settles it.
      total = kept.request.payment.amountMinor;
    } else {
      const withVoucher = priceWithVoucher(input.lines, types, event.currency, await fetchVoucher(deps.server, input.voucherCode, event.id));
      total = withVoucher.totalMinor;
    }
  }

  const orderId = input.cartId ?? newId();
  const authorized = await authorizeTenders(deps.payments, deps.journal, orderId, tendersOf(input), total, event.currency);
  const { auths } = authorized;
  const content: OrderContent = { eventId: event.id, lines: input.lines, ...paymentOf(auths, total) };
  const extras = {
    ...(input.voucherCode !== undefined ? { voucherCode: input.voucherCode } : {}),
    ...(input.attendees !== undefined && input.attendees.length > 0 ? { attendees: input.attendees } : {}),
  };
  const paid = { orderId, totalMinor: total, method: content.payment.method, tenderedMinor: authorized.tenderedMinor, changeMinor: authorized.changeMinor };

  let sale: PendingSale | undefined;
  let leased: SaleResult | null = null;
  try {
    const earlier = await earlierAttempt(deps, input.cartId, content, authorized, { event, types });
    if (earlier?.state === 'done') {
      // Completed by the recovery meanwhile: the cashier sees it now, so it needs no acknowledging later.
      if (earlier.recoveredAt !== null && earlier.acknowledgedAt === null) deps.pending.acknowledge(earlier.orderId, operatorId, now());
      // The order was paid by the attempt that made it: what this one authorized goes back.
      await voidPayments(deps.payments, deps.journal, orderId, auths);
      return { order: earlier.order!, print: earlier.print! };
    }
    if (earlier) sale = earlier;
    else if (!deps.server.isOnline) {
      // Offline: the sale draws on this box office's seat leases (offline-sale.ts), or is refused.
      if (!deps.onLease) throw new AdmitError('offline');
      leased = await deps.onLease({ input, content, paid, operatorId });
    } else {
      deps.pending.begin({ request: { orderId, ...content, ...extras }, tenderedMinor: authorized.tenderedMinor, changeMinor: authorized.changeMinor, operatorId }, now());
      sale = deps.pending.get(orderId)!;
    }
  } catch (e) {
    await voidPayments(deps.payments, deps.journal, orderId, auths);
    throw e;
  }
  // A retry authorized afresh: what an earlier attempt of this cart left authorized is given back.
  const current = new Set(auths.map((a) => a.id));
  const stale = deps.journal.ofOrder(orderId).filter((p) => p.state === 'authorized' && !current.has(p.auth.id));
  await voidPayments(deps.payments, deps.journal, orderId, stale.map((p) => p.auth));

  if (leased || !sale) {
    await capturePayments(deps.payments, deps.journal, orderId, auths).catch(() => undefined);
    return leased!;
  }
  const settled = await settleSale(deps, sale, { event, types });
  if (settled.state === 'failed') {
    // Open stock ran out at the server: seats this box office holds on lease are still its to sell.
    const onLease = settled.error.code === 'sold_out' && deps.onLease ? await deps.onLease({ input, content, paid, operatorId }).catch(() => null) : null;
    if (onLease) {
      await capturePayments(deps.payments, deps.journal, orderId, auths).catch(() => undefined);
      return onLease;
    }
    await voidPayments(deps.payments, deps.journal, orderId, auths);
    throw settled.error;
  }
  // Unknown: the money stays authorized (journaled) with the pending sale until a retry or the
  // recovery settles it.
  if (settled.state === 'unknown') throw outcomeUnknown();
  // The order exists at the server and is kept here whatever the capture says; a capture that fails
  // is left authorized in the journal for the recovery to take.
  await capturePayments(deps.payments, deps.journal, orderId, auths).catch(() => undefined);
  return { order: settled.order, print: settled.print };
}

/**
 * This cart's earlier attempt, when there is one to continue: the same content still pending (a retry:
 * the same order id goes out again, with what the customer handed over this time), or already made
 * (answered with that order). A cart whose content changed after an attempt whose outcome is unknown
 * settles that attempt first: made after all → earlier_sale_completed; refused → this content starts
 * afresh under the same id; still unknown → outcome unknown, nothing new is sent.
 */
async function earlierAttempt(
  deps: SaleDeps,
  cartId: string | undefined,
  content: OrderContent,
  auth: Authorized,
  catalog: ReturnType<CacheReader['catalog']>,
): Promise<(PendingSale & { state: 'pending' | 'done' }) | null> {
  if (cartId === undefined) return null;
  let earlier = deps.pending.get(cartId);
  if (!earlier || earlier.state === 'failed') return null;
  const same = sameOrderContent(earlier.request, content);
  if (earlier.state === 'pending' && same) {
    deps.pending.retender(cartId, auth.tenderedMinor, auth.changeMinor, now());
    return { ...earlier, state: 'pending', tenderedMinor: auth.tenderedMinor, changeMinor: auth.changeMinor };
  }
  if (earlier.state !== 'done') {
    const settled = await settleSale(deps, earlier, catalog);
    if (settled.state === 'unknown') throw outcomeUnknown();
    if (settled.state === 'failed') return null;
    earlier = deps.pending.get(cartId)!;
  }
  if (same) return { ...earlier, state: 'done' };
  throw new AdmitError('earlier_sale_completed', earlier.order?.code);
}

type Settled =
  | { state: 'done'; order: Order; print: PrintOutcome }
  | { state: 'failed'; error: AdmitError }
  | { state: 'unknown'; error: unknown };

/**
 * Takes one kept sale as far as it goes: a pending one is sent (the same order id and content as
 * every attempt before it) and, once the server answers with the order, recorded with its tickets in
 * one transaction; a recorded one is printed. A refusal marks it failed; no answer leaves it pending.
 */
export async function settleSale(deps: SaleDeps, sale: PendingSale, catalog = deps.cache.catalog(), by: SettledBy = 'sale'): Promise<Settled> {
  let order = sale.order;
  if (sale.state === 'pending') {
    if (!deps.server.isOnline) return { state: 'unknown', error: new AdmitError('offline') };
    let res: Awaited<ReturnType<SaleServer['createOrder']>>;
    try {
      res = await deps.server.createOrder(sale.request);
    } catch (e) {
      if (!definite(e)) return { state: 'unknown', error: e };
      deps.pending.failed(sale.orderId, e.message === e.code ? e.code : `${e.code}: ${e.message}`, now(), by);
      return { state: 'failed', error: e };
    }
    const made = orderOf(res, sale, catalog.types);
    order = made;
    deps.transaction(() => {
      deps.orders.insert(made, sale.operatorId);
      deps.server.applyChanges(
        res.tickets.map((row) => ({ seq: 0, kind: 'ticket' as const, row })),
        0,
      );
      deps.pending.recorded(made, now());
    });
  }
  if (!order) throw new Error(`sale ${sale.orderId} is ${sale.state} without its order`);
  if (sale.state === 'done') return { state: 'done', order, print: sale.print! };
  const { event } = catalog;
  const printed = event?.id === order.eventId ? event : null;
  const labels = labelsFor(deps.printLanguage(), printed);
  // Through the durable queue: the jobs are queued before print() first waits, and the sale is marked
  // done right then, so a restart neither loses the printing nor queues it twice (short of a crash
  // between those two statements). Printed only if confirmed within a short wait; otherwise the jobs
  // stay queued and print when the printer recovers (print.job tells the screen).
  // Each ticket printed with whom it is for, as the server stored it (its row is in the cache by now).
  // Each dated by its session when its type is for one (ticket-starts.ts).
  const held = {
    ...order,
    tickets: withSessionStarts(order.tickets, order.eventId, catalog.types, deps.cache).map((t) => ({ ...t, attendeeName: deps.cache.ticketById?.(t.id)?.attendeeName ?? null })),
  };
  const printing = deps.printing.print([
    ...ticketDocuments(held, labels).map((doc) => ({ kind: 'ticket' as const, doc })),
    { kind: 'receipt' as const, doc: receiptDocument(held, labels) },
  ]);
  deps.pending.done(sale.orderId, { state: 'queued', reason: 'unconfirmed', jobIds: [] }, now(), by);
  const print = await printing;
  deps.pending.done(sale.orderId, print, now(), by);
  return { state: 'done', order, print };
}

/** Settles every sale a crash, a restart or a lost answer left pending or unprinted, oldest first,
 *  while the server is reachable, marking each as settled by the recovery (the cashier must be told);
 *  answers which ended done and failed. */
export async function recoverSales(deps: SaleDeps): Promise<{ done: Order[]; failed: PendingSale[] }> {
  const done: Order[] = [];
  const failed: PendingSale[] = [];
  for (const sale of deps.pending.unsettled()) {
    if (sale.state === 'pending' && !deps.server.isOnline) break;
    const settled = await settleSale(deps, sale, deps.cache.catalog(), 'recovery');
    if (settled.state === 'done') done.push(settled.order);
    else if (settled.state === 'failed') failed.push(deps.pending.get(sale.orderId)!);
  }
  return { done, failed };
}

const now = () => new Date().toISOString();

/** The tenders of a sale: the list, or the one tender of earlier screens; exactly one of the two. */
function tendersOf(input: SaleInput): Tender[] {
  if (input.payments && input.payment) throw new AdmitError('invalid_input', 'payments or payment, not both');
  const tenders = input.payments ?? (input.payment ? [input.payment] : []);
  if (tenders.length === 0) throw new AdmitError('invalid_input', 'no payment');
  return tenders;
}

/** What the order records of its payment: the total, by one method or split, and the parts. */
function paymentOf(auths: readonly Authorization[], totalMinor: number): Pick<OrderContent, 'payment' | 'payments'> {
  // The provider's id goes with each tender, so any terminal can pay it back (a QR part needs it).
  const payments: OrderPayment[] = auths.map((a) => ({ method: a.method, amountMinor: a.amountMinor, ...(a.reference ? { reference: a.reference } : {}) }));
  return { payment: { method: payments.length === 1 ? payments[0]!.method : 'split', amountMinor: totalMinor }, payments };
}

function orderOf(
  res: Awaited<ReturnType<SaleServer['createOrder']>>,
  sale: PendingSale,
  types: ReturnType<CacheReader['catalog']>['types'],
): Order {
  const byId = new Map(types.map((t) => [t.id, t]));
  const off = new Map((res.order.discounts ?? []).map((d) => [d.ticketTypeId, d.unitDiscountMinor]));
  return {
    id: res.order.id,
    code: res.order.code,
    eventId: res.order.eventId,
    totalMinor: res.order.totalMinor,
    currency: res.order.currency,
    paymentMethod: sale.request.payment.method,
    ...(sale.request.payments ? { payments: sale.request.payments } : {}),
    tenderedMinor: sale.tenderedMinor,
    // The server's total stands (its price list is the authority; it never charges more than was sent).
    changeMinor: sale.changeMinor + sale.request.payment.amountMinor - res.order.totalMinor,
    createdAt: res.order.createdAt,
    ...(res.order.discountMinor !== undefined
      ? { subtotalMinor: res.order.subtotalMinor ?? res.order.totalMinor, discountMinor: res.order.discountMinor, voucherCode: res.order.voucherCode ?? null }
      : {}),
    // Each ticket at what was paid for it: its type's price less the voucher's discount on it.
    tickets: res.tickets.map((t) => {
      const type = byId.get(t.ticketTypeId);
      const priceMinor = Math.max(0, (type?.priceMinor ?? 0) - (off.get(t.ticketTypeId) ?? 0));
      return { id: t.id, code: t.code, ticketTypeId: t.ticketTypeId, ticketTypeName: type?.name ?? {}, priceMinor };
    }),
  };
}
