// Owns refunds and exchanges at the box office: finding the order (by its code or a ticket's), a
// manager's approval checked here first with the sessions module's PIN check (its lockout applies), the
// refund or exchange asked of the server (the authority on policy, stock, what is left to pay back and
// how it is spread over the order's payment parts), the codes revoked in this terminal's cache at once
// (other terminals pull the revocation on the server's poke), the money paid back part by part through
// each part's own payment port and the payment journal (payment-journal.ts refundParts: a crash or a
// lost answer is taken up by a retry with the same refund id, which pays nothing twice), the refund
// receipt printed listing each part, and the box office told (onRefunded: the shift counts each part
// under its kind, the cash part in the drawer). An exchange into a dearer type is paid by any tender or
// a split, authorized and journaled under the exchange's id before the server is asked, captured once
// it agrees and voided if it refuses. Online only: offline is refused before anything happens. The
// refund id is made once per request (or by the screen), so a retry gets the same refund back.
import { allocateRefund, type PaymentPart } from '../../../domain/refund-allocation';
import type { ExchangeRequest, RefundRequest } from '../../../domain/refund-wire';
import { ExchangeResponse, OrderView as OrderViewSchema, RefundResponse } from '../../../domain/refund-wire';
import type { TenderMethod } from '../../../domain/tender';
import { AdmitError, type CallInput, type CallOutput, type OrderView, type Payout, type RefundRow, type Session } from '../../contract';
import type { Printing, PrintItem } from '../devices/module';
import { newId } from '../ids';
import type { CacheReader } from '../sync/cache';
import { ServerError, type SyncClient } from '../sync/client';
import type { Authorization } from './payment';
import { authorizeTenders, capturePayments, type PaymentJournal, type PaymentPorts, refundParts, voidPayments } from './payment-journal';
import { labelsFor, printLanguageFor } from './print-labels';
import { ticketDocuments } from './receipts';
import { withSessionStarts } from './ticket-starts';
import { refundReceiptDocument } from './refund-receipt';

/** Money by payment kind; `paymentId`: the journal's payment it is (an exchange's part), which the
 *  shift counts once however often it is told. */
export type MethodAmount = { method: TenderMethod; amountMinor: number; paymentId?: string };

/** Told of every refund or exchange that paid money back or took more (the shift's drawer). */
export type Refunded = {
  kind: 'refund' | 'exchange';
  refundId: string;
  orderId: string;
  /** Paid back to the customer, part by part (only what its port paid). */
  paidBack: MethodAmount[];
  /** Exchange: taken from the customer, part by part. */
  charged: MethodAmount[];
  currency: string;
  /** Null: paid by the recovery after a restart. */
  operatorId: string | null;
  approvedBy: string | null;
};

export type RefundDeps = {
  server: Pick<SyncClient, 'isOnline' | 'send' | 'applyChanges'>;
  /** The sessions module's approval: the manager's PIN under the sign-in lockout. */
  approvals: { approve(managerId: string, pin: string): Promise<Session> };
  payments: PaymentPorts;
  journal: PaymentJournal;
  printing: Printing;
  /** The terminal's print language; null: the event's default language. */
  printLanguage: () => string | null;
  cache: Pick<CacheReader, 'catalog'> & Partial<Pick<CacheReader, 'sessions'>>;
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

/** The order's payment parts with what each has left, as the server told them. */
const partsLeftOf = (view: OrderView): PaymentPart[] =>
  view.order.payments.map((p) => ({ key: p.key, method: p.method, amountMinor: p.amountMinor - p.refundedMinor }));

/** The ports a refund of `amountMinor` would go back through (as the server will spread it), checked
 *  before anything is asked of the server: a refund that cannot be paid back here is refused with
 *  nothing done. */
function checkPorts(deps: RefundDeps, view: OrderView, amountMinor: number): void {
  const spread = allocateRefund(partsLeftOf(view), [], Math.min(amountMinor, view.order.balanceMinor));
  for (const p of spread.ok ? spread.payouts : []) {
    if (!deps.payments[p.method]) throw new AdmitError('invalid_input', `no ${p.method} payment at this terminal to pay back through`);
  }
}

/** The key's source (the order or the exchange that charged) and its index. */
function sourceOf(key: string): { sourceId: string; index: number } {
  const at = key.lastIndexOf(':');
  return { sourceId: key.slice(0, at), index: Number(key.slice(at + 1)) };
}

/**
 * The journal's payment a part of the order's payment is: the one this terminal took (the source's
 * captured payments match the server's parts one to one, method and amount), else the part adopted
 * into the journal as the server recorded it, with the provider's id the selling terminal sent (sold at
 * another terminal, or before the journal).
 */
function journaledPayment(deps: RefundDeps, view: OrderView, key: string): string {
  if (deps.journal.get(key)) return key;
  const { sourceId, index } = sourceOf(key);
  const parts = view.order.payments.filter((p) => sourceOf(p.key).sourceId === sourceId);
  const seen = new Set<string>();
  const taken = deps.journal.capturedOf(sourceId).filter((p) => !seen.has(p.auth.id) && seen.add(p.auth.id));
  const same = taken.length === parts.length && taken.every((p, i) => p.auth.method === parts[i]!.method && p.auth.amountMinor === parts[i]!.amountMinor);
  if (same) return taken[index]!.auth.id;
  const part = view.order.payments.find((p) => p.key === key)!;
  deps.journal.adopt(sourceId, {
    id: key,
    method: part.method,
    amountMinor: part.amountMinor,
    currency: view.order.currency,
    tenderedMinor: part.amountMinor,
    changeMinor: 0,
    // The provider's id the selling terminal sent: a QR part is paid back through it here.
    reference: part.reference ?? null,
  });
  return key;
}

/** Pays the refund's payouts back part by part through the journal (refundParts: a retry of the same
 *  refund pays nothing twice), telling the box office of each part as it is paid (so a part is counted
 *  in the shift once, whichever call paid it). */
async function payBack(deps: RefundDeps, view: OrderView, refund: RefundRow, operatorId: string): Promise<Payout> {
  const base = { method: refund.paymentMethod, amountMinor: refund.amountMinor, currency: refund.currency };
  if (refund.amountMinor === 0 || refund.payouts.length === 0) return { ...base, state: refund.amountMinor === 0 ? 'none' : 'failed', parts: [] };
  const plan = refund.payouts.map((p) => ({ paymentId: journaledPayment(deps, view, p.key), amountMinor: p.amountMinor }));
  const outcomes = await refundParts(deps.payments, deps.journal, refund.id, plan, refund.reason, {
    onPaid: (part) =>
      deps.onRefunded?.({
        kind: refund.kind,
        refundId: refund.id,
        orderId: refund.orderId,
        paidBack: [{ method: part.method, amountMinor: part.amountMinor }],
        charged: [],
        currency: refund.currency,
        operatorId,
        approvedBy: refund.approvedBy,
      }),
  });
  const parts = outcomes.map((o) => ({ method: o.method, amountMinor: o.amountMinor, state: o.state }));
  // The refund stands at the server either way; a part not paid is for the cashier to settle (audited).
  return { ...base, state: parts.every((p) => p.state === 'paid') ? 'paid' : 'failed', parts };
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
      timeZone: event?.id === view.order.eventId ? event.timezone : 'UTC',
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
  const worth = before.tickets.filter((t) => input.ticketIds.includes(t.id)).reduce((n, t) => n + t.priceMinor - t.refund.feeMinor, 0);
  checkPorts(deps, before, input.amountMinor ?? worth);
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
  const payout = await payBack(deps, done.view, done.refund, operatorId);
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

/** The exchange's payment: what this terminal already authorized under its id (a retry), or the
 *  tenders authorized now, journaled under the exchange's id. */
async function exchangePayment(deps: RefundDeps, input: CallInput<'boxOffice.exchange'>, exchangeId: string, dueMinor: number, currency: string): Promise<Authorization[]> {
  const earlier = deps.journal.ofOrder(exchangeId).filter((p) => p.state === 'authorized' || p.state === 'captured');
  if (earlier.length > 0) return earlier.map((p) => p.auth);
  if (input.payments && input.payment) throw new AdmitError('invalid_input', 'payments or payment, not both');
  const tenders = input.payments ?? (input.payment ? [input.payment] : []);
  if (tenders.length === 0) throw new AdmitError('payment_insufficient', `${dueMinor} to pay`);
  return (await authorizeTenders(deps.payments, deps.journal, exchangeId, tenders, dueMinor, currency, 'exchange')).auths;
}

export async function exchange(deps: RefundDeps, input: CallInput<'boxOffice.exchange'>, operatorId: string): Promise<CallOutput<'boxOffice.exchange'>> {
  online(deps);
  const before = await findOrder(deps, input.orderId);
  const { event, types } = deps.cache.catalog();
  const target = types.find((t) => t.id === input.newTicketTypeId);
  if (!target) throw new AdmitError('unknown_ticket_type');
  const due = difference(before, input.ticketIds, target.priceMinor);
  if (due < 0) checkPorts(deps, before, -due);
  await approve(deps, input.approval);
  const exchangeId = input.exchangeId ?? newId();
  // A dearer type is paid before the server is asked; voided if the exchange is refused.
  const auths = due > 0 ? await exchangePayment(deps, input, exchangeId, due, before.order.currency) : [];
  const body: ExchangeRequest = {
    exchangeId,
    operatorId,
    ticketIds: input.ticketIds,
    newTicketTypeId: input.newTicketTypeId,
    reason: input.reason,
    ...(input.approval ? { approval: input.approval } : {}),
    ...(auths.length > 0
      ? {
          payment: { method: auths.length === 1 ? auths[0]!.method : 'split', amountMinor: auths.reduce((n, a) => n + a.amountMinor, 0) },
          payments: auths.map((a) => ({ method: a.method, amountMinor: a.amountMinor, ...(a.reference ? { reference: a.reference } : {}) })),
        }
      : {}),
  };
  let done: ExchangeResponse;
  try {
    done = await deps.server.send('POST', `/v1/orders/${input.orderId}/exchanges`, body, ExchangeResponse, {});
  } catch (e) {
    // Refused: the money goes back. Unanswered: it stays authorized (journaled) for the retry with the
    // same exchange id, which learns from the server whether the exchange was made.
    if (e instanceof ServerError) await voidPayments(deps.payments, deps.journal, exchangeId, auths);
    throw refusal(e);
  }
  const open = new Set(deps.journal.ofOrder(exchangeId).filter((p) => p.state === 'authorized').map((p) => p.auth.id));
  await capturePayments(deps.payments, deps.journal, exchangeId, auths.filter((a) => open.has(a.id)));
  // Every part captured under the exchange's id, told by its payment id: the shift counts each once, a
  // retry after a crash between the capture and the shift counting the ones not yet counted.
  const seen = new Set<string>();
  const taken = deps.journal.capturedOf(exchangeId).filter((p) => !seen.has(p.auth.id) && seen.add(p.auth.id));
  // The new tickets into the cache (this terminal's gate admits them at once), the old ones revoked.
  deps.server.applyChanges(done.tickets.map((row) => ({ seq: 0, kind: 'ticket' as const, row })), 0);
  revokeHere(deps, done.refund, done.view.order.eventId);
  const payout = await payBack(deps, done.view, done.refund, operatorId);
  deps.onRefunded?.({
    kind: 'exchange',
    refundId: done.refund.id,
    orderId: done.refund.orderId,
    paidBack: [],
    charged: taken.map((p) => ({ method: p.auth.method, amountMinor: p.auth.amountMinor, paymentId: p.auth.id })),
    currency: done.refund.currency,
    operatorId,
    approvedBy: done.refund.approvedBy,
  });
  const tickets = done.tickets.map((t) => ({ id: t.id, code: t.code, ticketTypeId: t.ticketTypeId, ticketTypeName: target.name }));
  const printEvent = event?.id === done.view.order.eventId ? event : null;
  const labels = labelsFor(deps.printLanguage(), printEvent);
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
      // A ticket of a type for a session prints that session's start.
      tickets: withSessionStarts(tickets.map((t) => ({ ...t, priceMinor: target.priceMinor })), done.view.order.eventId, printEvent ? types : [], deps.cache),
    },
    labels,
  );
  const print = await deps.printing.print([...newTickets.map((doc) => ({ kind: 'ticket' as const, doc })), receipt(deps, done.refund, done.view)]);
  return { refund: done.refund, view: done.view, tickets, payout, print };
}
