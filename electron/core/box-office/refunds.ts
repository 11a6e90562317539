// Owns refunds and exchanges at the box office: finding the order (by its code or a ticket's), a
// manager's approval checked here first with the sessions module's PIN check (its lockout applies), the
// refund or exchange asked of the server (the authority on policy, stock and what is left to pay back),
// the codes revoked in this terminal's cache at once (other terminals pull the revocation on the
// server's poke), the money paid back through the order's own payment kind, the refund receipt printed,
// and the box office told (onRefunded: the cash drawer's bookkeeping). Online only: offline is refused
// before anything happens. The refund id is made once per request (or by the screen), so a retry after
// a lost answer gets the same refund back from the server.
import type { PaymentMethod } from '../../../domain/tender';
import type { ExchangeRequest, RefundRequest } from '../../../domain/refund-wire';
import { AdmitError, type CallInput, type CallOutput, type OrderView, type Payout, type RefundRow, type Session } from '../../contract';
import { ExchangeResponse, OrderView as OrderViewSchema, RefundResponse } from '../../../domain/refund-wire';
import type { Printing, PrintItem } from '../devices/module';
import { newId } from '../ids';
import type { CacheReader } from '../sync/cache';
import { ServerError, type SyncClient } from '../sync/client';
import type { Authorization, PaymentPort } from './payment';
import { refundReceiptDocument } from './refund-receipt';
import { ticketDocuments } from './receipts';
import { printLabels, printLanguageFor } from './print-labels';

/** Told of every refund or exchange that paid money back or took more (the shift's cash drawer). */
export type Refunded = {
  kind: 'refund' | 'exchange';
  refundId: string;
  orderId: string;
  method: PaymentMethod;
  /** Paid back to the customer. */
  amountMinor: number;
  /** Exchange: taken from the customer. */
  chargedMinor: number;
  currency: string;
  operatorId: string;
  approvedBy: string | null;
};

export type RefundDeps = {
  server: Pick<SyncClient, 'isOnline' | 'send' | 'applyChanges'>;
  /** The sessions module's approval: the manager's PIN under the sign-in lockout. */
  approvals: { approve(managerId: string, pin: string): Promise<Session> };
  payments: Partial<Record<PaymentMethod, PaymentPort>>;
  printing: Printing;
  /** The terminal's print language; null: the event's default language. */
  printLanguage: () => string | null;
  cache: Pick<CacheReader, 'catalog'>;
  operatorName: (operatorId: string) => string | null;
  onRefunded?: (r: Refunded) => void;
};

/** The server's refusals, as the screen's error codes. */
function refusal(e: unknown): AdmitError {
  if (e instanceof AdmitError) return e;
  if (e instanceof ServerError) {
    switch (e.code) {
      case 'refund_not_allowed':
      case 'refund_window_closed':
      case 'exchange_not_allowed':
      case 'refund_too_large':
      case 'approval_required':
      case 'forbidden':
      case 'not_found':
      case 'sold_out':
      case 'bad_pin':
      case 'operator_locked':
        return new AdmitError(e.code, e.message);
      case 'forbidden_event':
        return new AdmitError('forbidden', e.message);
      case 'rate_limited':
        return new AdmitError('login_delayed', e.message);
      default:
        return new AdmitError('server_rejected', e.code);
    }
  }
  return new AdmitError('offline', 'server unreachable');
}

function online(deps: RefundDeps): void {
  if (!deps.server.isOnline) throw new AdmitError('offline');
}

export async function findOrder(deps: RefundDeps, code: string): Promise<OrderView> {
  online(deps);
  try {
    return await deps.server.send('GET', `/v1/orders/lookup?code=${encodeURIComponent(code.trim())}`, undefined, OrderViewSchema, {});
  } catch (e) {
    throw refusal(e);
  }
}

/** A split payment is paid back tender by tender, which this desk does not do: refused before the
 *  server is asked (there is no port for it either). */
function tenderOf(method: OrderView['order']['paymentMethod']): Exclude<typeof method, 'split'> {
  if (method === 'split') throw new AdmitError('refund_not_allowed', 'split payment');
  return method;
}

/** The order's payment as its port knows it: what it still holds is what the order has left to pay back. */
const paymentOf = (view: OrderView, holds: number): Authorization => ({
  id: view.order.id,
  method: tenderOf(view.order.paymentMethod),
  amountMinor: holds,
  currency: view.order.currency,
  tenderedMinor: holds,
  changeMinor: 0,
});

/** The order's port, checked before anything is asked of the server: a refund that cannot be paid back
 *  here is refused with nothing done. */
function portFor(deps: RefundDeps, method: PaymentMethod): PaymentPort {
  const port = deps.payments[method];
  if (!port) throw new AdmitError('invalid_input', `no ${method} payment at this terminal to pay back through`);
  return port;
}

async function payBack(port: PaymentPort, view: OrderView, refund: RefundRow, holds: number): Promise<Payout> {
  const base = { method: refund.paymentMethod, amountMinor: refund.amountMinor, currency: refund.currency };
  if (refund.amountMinor === 0) return { ...base, state: 'none' };
  try {
    await port.refund({ payment: paymentOf(view, holds), amountMinor: refund.amountMinor, reason: refund.reason });
    return { ...base, state: 'paid' };
  } catch {
    // The refund stands at the server; the audit entry carries payout: failed for the cashier to settle.
    return { ...base, state: 'failed' };
  }
}

/** The revoked codes into this terminal's cache at once, so its own gate refuses them before the next pull. */
function revokeHere(deps: RefundDeps, refund: RefundRow, eventId: string): void {
  deps.server.applyChanges(
    refund.ticketIds.map((ticketId) => ({ seq: 0, kind: 'revocation' as const, row: { ticketId, eventId, at: refund.createdAt } })),
    0,
  );
}

function receipt(deps: RefundDeps, refund: RefundRow, view: OrderView): PrintItem {
  const { event } = deps.cache.catalog();
  return {
    kind: 'receipt',
    doc: refundReceiptDocument({
      lang: printLanguageFor(deps.printLanguage(), event?.id === view.order.eventId ? event : null),
      eventName: event?.id === view.order.eventId ? event.name : {},
      refund,
      view,
      operatorName: deps.operatorName(refund.operatorId),
      approverName: refund.approvedBy ? deps.operatorName(refund.approvedBy) : null,
    }),
  };
}

/** Checks the manager's PIN here (the terminal's lockout) before the server checks it again. */
async function approve(deps: RefundDeps, approval: { managerId: string; pin: string } | undefined): Promise<void> {
  if (approval) await deps.approvals.approve(approval.managerId, approval.pin);
}

export async function refund(deps: RefundDeps, input: CallInput<'boxOffice.refund'>, operatorId: string): Promise<CallOutput<'boxOffice.refund'>> {
  online(deps);
  const before = await findOrder(deps, input.orderId);
  const port = portFor(deps, before.order.paymentMethod);
  await approve(deps, input.approval);
  const body: RefundRequest = {
    refundId: input.refundId ?? newId(),
    operatorId,
    ticketIds: input.ticketIds,
    reason: input.reason,
    ...(input.amountMinor !== undefined ? { amountMinor: input.amountMinor } : {}),
    ...(input.approval ? { approval: input.approval } : {}),
  };
  let done: RefundResponse;
  try {
    done = await deps.server.send('POST', `/v1/orders/${input.orderId}/refunds`, body, RefundResponse, {});
  } catch (e) {
    throw refusal(e);
  }
  revokeHere(deps, done.refund, done.view.order.eventId);
  const payout = await payBack(port, done.view, done.refund, done.view.order.balanceMinor + done.refund.amountMinor);
  deps.onRefunded?.({
    kind: 'refund',
    refundId: done.refund.id,
    orderId: done.refund.orderId,
    method: done.refund.paymentMethod,
    amountMinor: payout.state === 'paid' ? done.refund.amountMinor : 0,
    chargedMinor: 0,
    currency: done.refund.currency,
    operatorId,
    approvedBy: done.refund.approvedBy,
  });
  const print = await deps.printing.print([receipt(deps, done.refund, done.view)]);
  return { refund: done.refund, view: done.view, payout, print };
}

/** What the exchange will cost more (or give back), worked out as the server will: the tickets' worth
 *  less the exchange fee, capped by what the order has left, against the new type's price. */
function difference(view: OrderView, ticketIds: readonly string[], newPriceMinor: number): number {
  const chosen = view.tickets.filter((t) => ticketIds.includes(t.id));
  const credit = Math.min(
    chosen.reduce((n, t) => n + t.priceMinor - t.exchange.feeMinor, 0),
    view.order.balanceMinor,
  );
  return newPriceMinor * ticketIds.length - credit;
}

export async function exchange(deps: RefundDeps, input: CallInput<'boxOffice.exchange'>, operatorId: string): Promise<CallOutput<'boxOffice.exchange'>> {
  online(deps);
  const before = await findOrder(deps, input.orderId);
  const port = portFor(deps, before.order.paymentMethod);
  const { event, types } = deps.cache.catalog();
  const target = types.find((t) => t.id === input.newTicketTypeId);
  if (!target) throw new AdmitError('unknown_ticket_type');
  const due = difference(before, input.ticketIds, target.priceMinor);
  await approve(deps, input.approval);
  // A dearer type is paid before the server is asked; voided if the exchange is refused.
  let taken: { port: PaymentPort; auth: Authorization } | null = null;
  if (due > 0) {
    if (!input.payment) throw new AdmitError('payment_insufficient', `${due} to pay`);
    const cash = portFor(deps, 'cash');
    taken = { port: cash, auth: await cash.authorize({ amountMinor: due, currency: before.order.currency, tender: input.payment }) };
  }
  const body: ExchangeRequest = {
    exchangeId: input.exchangeId ?? newId(),
    operatorId,
    ticketIds: input.ticketIds,
    newTicketTypeId: input.newTicketTypeId,
    reason: input.reason,
    ...(input.approval ? { approval: input.approval } : {}),
    ...(taken ? { payment: { method: taken.auth.method, amountMinor: taken.auth.amountMinor } } : {}),
  };
  let done: ExchangeResponse;
  try {
    done = await deps.server.send('POST', `/v1/orders/${input.orderId}/exchanges`, body, ExchangeResponse, {});
  } catch (e) {
    if (taken) await taken.port.void(taken.auth).catch(() => undefined);
    throw refusal(e);
  }
  if (taken) await taken.port.capture(taken.auth);
  // The new tickets into the cache (this terminal's gate admits them at once), the old ones revoked.
  deps.server.applyChanges(done.tickets.map((row) => ({ seq: 0, kind: 'ticket' as const, row })), 0);
  revokeHere(deps, done.refund, done.view.order.eventId);
  const payout = await payBack(port, done.view, done.refund, done.view.order.balanceMinor + done.refund.amountMinor);
  deps.onRefunded?.({
    kind: 'exchange',
    refundId: done.refund.id,
    orderId: done.refund.orderId,
    method: done.refund.paymentMethod,
    amountMinor: payout.state === 'paid' ? done.refund.amountMinor : 0,
    chargedMinor: done.refund.chargedMinor,
    currency: done.refund.currency,
    operatorId,
    approvedBy: done.refund.approvedBy,
  });
  const tickets = done.tickets.map((t) => ({ id: t.id, code: t.code, ticketTypeId: t.ticketTypeId, ticketTypeName: target.name }));
  const printEvent = event?.id === done.view.order.eventId ? event : null;
  const labels = printLabels(printLanguageFor(deps.printLanguage(), printEvent), printEvent);
  const newTickets = ticketDocuments(
    {
      id: done.view.order.id,
      code: done.view.order.code,
      eventId: done.view.order.eventId,
      totalMinor: done.view.order.totalMinor,
      currency: done.view.order.currency,
      paymentMethod: done.view.order.paymentMethod,
      tenderedMinor: 0,
      changeMinor: 0,
      createdAt: done.refund.createdAt,
      tickets: tickets.map((t) => ({ ...t, priceMinor: target.priceMinor })),
    },
    labels,
  );
  const print = await deps.printing.print([...newTickets.map((doc) => ({ kind: 'ticket' as const, doc })), receipt(deps, done.refund, done.view)]);
  return { refund: done.refund, view: done.view, tickets, payout, print };
}
