// Owns the payment journal (payment_journal) and taking a sale's money through it: every authorization,
// capture, void and refund is written as it happens, so a crash after an authorization leaves its
// record. A sale's tenders are authorized in order (a split tender, domain/split-tender.ts); when one
// is refused the ones already authorized are voided, and nothing is taken. The recovery voids any
// authorization whose order failed or was never made, and captures one whose order exists.
import type Database from 'better-sqlite3';
import { splitTender } from '../../../domain/split-tender';
import type { Tender, TenderMethod } from '../../../domain/tender';
import { AdmitError } from '../../contract';
import type { PAYMENT_JOURNAL_ACTIONS } from '../db/schema';
import type { Authorization, PaymentPort, Refund } from './payment';

export type PaymentAction = (typeof PAYMENT_JOURNAL_ACTIONS)[number];
export type PaymentPorts = Partial<Record<TenderMethod, PaymentPort>>;

/** One payment as the journal knows it: its authorization, the order it pays for, and its last step. */
export type JournaledPayment = { auth: Authorization; orderId: string; state: PaymentAction; at: string };

type Row = { paymentId: string; orderId: string; action: PaymentAction; authorization: string; at: string };

export class PaymentJournal {
  readonly #st;

  constructor(sql: Database.Database) {
    // A payment's last entry; payments in the order they were authorized.
    const latest = `select payment_id as paymentId, order_id as orderId, action, "authorization", at,
        (select min(seq) from payment_journal f where f.payment_id = j.payment_id) as first
      from payment_journal j where seq = (select max(seq) from payment_journal l where l.payment_id = j.payment_id)`;
    this.#st = {
      append: sql.prepare(`insert into payment_journal(payment_id, order_id, method, action, amount_minor, currency, "authorization", detail, at)
        values (@paymentId, @orderId, @method, @action, @amountMinor, @currency, @authorization, @detail, @at)`),
      open: sql.prepare<[], Row>(`${latest} and action in ('authorized', 'void_failed') order by first`),
      ofOrder: sql.prepare<[string], Row>(`${latest} and order_id = ? order by first`),
      refunded: sql.prepare<[string], { total: number | null }>("select sum(amount_minor) as total from payment_journal where payment_id = ? and action = 'refunded'"),
      get: sql.prepare<[string], Row>(`${latest} and payment_id = ?`),
      history: sql.prepare<[string], { action: PaymentAction; amountMinor: number; detail: string | null; at: string }>(
        'select action, amount_minor as amountMinor, detail, at from payment_journal where payment_id = ? order by seq',
      ),
    };
  }

  /** Writes one step of a payment (amount: the authorization's, or the refund's). */
  record(orderId: string, auth: Authorization, action: PaymentAction, opts: { amountMinor?: number; detail?: string } = {}): void {
    this.#st.append.run({
      paymentId: auth.id,
      orderId,
      method: auth.method,
      action,
      amountMinor: opts.amountMinor ?? auth.amountMinor,
      currency: auth.currency,
      authorization: JSON.stringify(auth),
      detail: opts.detail ?? null,
      at: new Date().toISOString(),
    });
  }

  /** Authorizations not captured nor voided yet (and voids that failed), oldest first. */
  open(): JournaledPayment[] {
    return this.#st.open.all().map(payment);
  }

  /** Every payment of an order, with its last step. */
  ofOrder(orderId: string): JournaledPayment[] {
    return this.#st.ofOrder.all(orderId).map(payment);
  }

  get(paymentId: string): JournaledPayment | null {
    const row = this.#st.get.get(paymentId);
    return row ? payment(row) : null;
  }

  /** What was paid back of a payment so far. */
  refundedMinor(paymentId: string): number {
    return this.#st.refunded.get(paymentId)?.total ?? 0;
  }

  /** Every step of one payment, in order. */
  history(paymentId: string) {
    return this.#st.history.all(paymentId);
  }
}

const payment = (r: Row): JournaledPayment => ({ auth: JSON.parse(r.authorization) as Authorization, orderId: r.orderId, state: r.action, at: r.at });

function portFor(ports: PaymentPorts, method: TenderMethod): PaymentPort {
  const port = ports[method];
  if (!port) throw new AdmitError('invalid_input', `no ${method} payment at this terminal`);
  return port;
}

/** A split the domain refuses, as the error the cashier sees. */
function splitError(reason: string, shortMinor?: number): AdmitError {
  if (reason === 'insufficient') return new AdmitError('payment_insufficient', `${shortMinor} short`);
  return new AdmitError('invalid_input', reason);
}

export type Authorized = {
  auths: Authorization[];
  /** What the customer handed over in all (cash handed over plus what the other tenders charged). */
  tenderedMinor: number;
  changeMinor: number;
};

/**
 * Authorizes each tender's part of `totalMinor` in order, each written to the journal as it succeeds.
 * A tender refused (or a split that does not pay the total) leaves nothing authorized: the ones before
 * it are voided, and the refusal is thrown.
 */
export async function authorizeTenders(
  ports: PaymentPorts,
  journal: PaymentJournal,
  orderId: string,
  tenders: readonly Tender[],
  totalMinor: number,
  currency: string,
): Promise<Authorized> {
  const split = splitTender(tenders, totalMinor);
  if (!split.ok) throw splitError(split.reason, split.ok === false && split.reason === 'insufficient' ? split.shortMinor : undefined);
  for (const part of split.parts) portFor(ports, part.method);
  const auths: Authorization[] = [];
  try {
    for (const part of split.parts) {
      // Cash is handed over whole; it keeps its part and gives the rest back as change.
      const tender = part.tender;
      const auth = await portFor(ports, part.method).authorize({ amountMinor: part.amountMinor, currency, tender, orderId });
      journal.record(orderId, auth, 'authorized');
      auths.push(auth);
    }
  } catch (e) {
    await voidPayments(ports, journal, orderId, auths);
    throw e;
  }
  const nonCash = split.parts.filter((p) => p.method !== 'cash').reduce((n, p) => n + p.amountMinor, 0);
  return { auths, tenderedMinor: split.tenderedCashMinor + nonCash, changeMinor: split.changeMinor };
}

/** Gives back every authorization (the order was not made); a void that fails is journaled as
 *  void_failed for the recovery to try again, and never hides the sale's own error. */
export async function voidPayments(ports: PaymentPorts, journal: PaymentJournal, orderId: string, auths: readonly Authorization[]): Promise<void> {
  for (const auth of [...auths].reverse()) {
    try {
      await portFor(ports, auth.method).void(auth);
      journal.record(orderId, auth, 'voided');
    } catch (e) {
      journal.record(orderId, auth, 'void_failed', { detail: e instanceof AdmitError ? e.code : 'internal' });
    }
  }
}

/** Takes every authorization once the order exists. */
export async function capturePayments(ports: PaymentPorts, journal: PaymentJournal, orderId: string, auths: readonly Authorization[]): Promise<Authorization[]> {
  const taken: Authorization[] = [];
  for (const auth of auths) {
    const captured = await portFor(ports, auth.method).capture(auth);
    journal.record(orderId, captured, 'captured');
    taken.push(captured);
  }
  return taken;
}

/** Pays back part of a captured payment through its own port (at most what earlier refunds left), journaled. */
export async function refundPayment(ports: PaymentPorts, journal: PaymentJournal, paymentId: string, amountMinor: number, reason: string): Promise<Refund> {
  const paid = journal.get(paymentId);
  if (!paid || (paid.state !== 'captured' && paid.state !== 'refunded')) throw new AdmitError('invalid_input', `payment ${paymentId} was not taken`);
  // At most what is left of it after earlier refunds.
  const left = paid.auth.amountMinor - journal.refundedMinor(paymentId);
  const refund = await portFor(ports, paid.auth.method).refund({ payment: { ...paid.auth, amountMinor: left }, amountMinor, reason });
  journal.record(paid.orderId, paid.auth, 'refunded', { amountMinor, detail: refund.id });
  return refund;
}

/** What became of the order a payment was authorized for. */
export type OrderFate = 'made' | 'failed' | 'unknown' | 'none';

/**
 * Settles the authorizations a crash or an unreachable terminal left open: the order was made →
 * captured; refused, or never sent (no sale kept under its id) → voided; still unknown → left for
 * later. Answers what it voided and captured.
 */
export async function recoverPayments(
  ports: PaymentPorts,
  journal: PaymentJournal,
  fateOf: (orderId: string) => OrderFate,
): Promise<{ voided: Authorization[]; captured: Authorization[] }> {
  const voided: Authorization[] = [];
  const captured: Authorization[] = [];
  for (const open of journal.open()) {
    const fate = fateOf(open.orderId);
    if (fate === 'unknown' || !ports[open.auth.method]) continue;
    if (fate === 'made' && open.state === 'authorized') {
      try {
        captured.push(...(await capturePayments(ports, journal, open.orderId, [open.auth])));
      } catch {
        // The port is unreachable: the next recovery tries again.
      }
      continue;
    }
    if (fate === 'made') continue;
    await voidPayments(ports, journal, open.orderId, [open.auth]);
    if (journal.get(open.auth.id)?.state === 'voided') voided.push(open.auth);
  }
  return { voided, captured };
}
