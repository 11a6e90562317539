// Owns the payment journal (payment_journal) and taking a sale's money through it: every authorization,
// capture, void and refund is written as it happens, so a crash after an authorization leaves its
// record. A sale's tenders are authorized in order (a split tender, domain/split-tender.ts); when one
// is refused the ones already authorized are voided, and nothing is taken. The recovery voids any
// authorization whose order failed or was never made, and captures one whose order exists; an
// exchange's authorization is left to the exchange's retry, which asks the server.
// Refunds go through it too, part by part (refundParts): every part of one refund is written as planned
// before any is paid, each is marked sent before its port is asked and refunded (or refund_failed)
// after. After a restart the recovery pays the parts a crash left planned (recoverRefunds); a retry of
// the same refund (its id) pays only what is still planned or was refused. A part left sent by a crash
// may or may not have been paid, so it is never paid again automatically — it is reported unsettled
// for the cashier to check at the terminal or provider.
import type Database from 'better-sqlite3';
import { splitTender } from '../../../domain/split-tender';
import type { Tender, TenderMethod } from '../../../domain/tender';
import { AdmitError } from '../../contract';
import type { PAYMENT_JOURNAL_ACTIONS } from '../db/schema';
import { type Authorization, checkRefund, type PaymentPort, type Refund } from './payment';

export type PaymentAction = (typeof PAYMENT_JOURNAL_ACTIONS)[number];
export type PaymentPorts = Partial<Record<TenderMethod, PaymentPort>>;

/** One payment as the journal knows it: its authorization, the order it pays for, and its last step. */
export type JournaledPayment = { auth: Authorization; orderId: string; state: PaymentAction; at: string; detail: string | null };

type Row = { paymentId: string; orderId: string; action: PaymentAction; authorization: string; at: string; detail: string | null };

/** One part of a refund as the journal knows it: its payment, the amount, and its last step. */
export type RefundStep = { paymentId: string; method: TenderMethod; amountMinor: number; action: PaymentAction };

export class PaymentJournal {
  readonly #st;
  readonly #sql: Database.Database;

  constructor(sql: Database.Database) {
    this.#sql = sql;
    // A payment's last entry; payments in the order they were authorized.
    const latest = `select payment_id as paymentId, order_id as orderId, action, "authorization", at, detail,
        (select min(seq) from payment_journal f where f.payment_id = j.payment_id) as first
      from payment_journal j where seq = (select max(seq) from payment_journal l where l.payment_id = j.payment_id)`;
    this.#st = {
      append: sql.prepare(`insert into payment_journal(payment_id, order_id, method, action, amount_minor, currency, "authorization", detail, at)
        values (@paymentId, @orderId, @method, @action, @amountMinor, @currency, @authorization, @detail, @at)`),
      open: sql.prepare<[], Row>(`${latest} and action in ('authorized', 'void_failed') order by first`),
      ofOrder: sql.prepare<[string], Row>(`${latest} and order_id = ? order by first`),
      refunded: sql.prepare<[string], { total: number | null }>("select sum(amount_minor) as total from payment_journal where payment_id = ? and action = 'refunded'"),
      get: sql.prepare<[string], Row>(`${latest} and payment_id = ?`),
      // Refunds with a part planned and never sent: a crash came between their parts.
      planned: sql.prepare<[], { refundId: string }>(
        `select distinct detail as refundId from payment_journal j where action = 'refund_pending'
          and not exists (select 1 from payment_journal l where l.payment_id = j.payment_id and l.detail = j.detail
            and l.seq > j.seq and l.action in ('refund_sent', 'refunded', 'refund_failed'))
          order by seq`,
      ),
      captured: sql.prepare<[string], Row>(
        `select payment_id as paymentId, order_id as orderId, action, "authorization", at, detail from payment_journal
          where order_id = ? and action = 'captured' order by seq`,
      ),
      // A refund's parts in the order they were planned, each with its last step (the refund id is the
      // steps' detail).
      refundSteps: sql.prepare<{ refundId: string }, RefundStep>(
        `select payment_id as paymentId, method, amount_minor as amountMinor, action from payment_journal j
          where detail = @refundId and action in ('refund_pending', 'refund_sent', 'refunded', 'refund_failed')
            and seq = (select max(seq) from payment_journal l where l.payment_id = j.payment_id and l.detail = @refundId
              and l.action in ('refund_pending', 'refund_sent', 'refunded', 'refund_failed'))
          order by (select min(seq) from payment_journal f where f.payment_id = j.payment_id and f.detail = @refundId)`,
      ),
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

  /** A payment this terminal did not take (sold elsewhere, or before the journal), as the server
   *  recorded it, so refunds of it are journaled like any other. */
  adopt(orderId: string, auth: Authorization): void {
    this.record(orderId, auth, 'captured', { detail: 'adopted' });
  }

  /** Plans the parts of refund `refundId`, all in one transaction (nothing planned if one is unknown). */
  planRefund(refundId: string, parts: readonly RefundPart[]): void {
    this.#sql.transaction(() => {
      for (const part of parts) {
        const paid = this.get(part.paymentId);
        if (!paid) throw new AdmitError('invalid_input', `payment ${part.paymentId} is not in the journal`);
        this.record(paid.orderId, paid.auth, 'refund_pending', { amountMinor: part.amountMinor, detail: refundId });
      }
    })();
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

  /** The payments of an order (or an exchange) that were taken, in the order they were authorized. */
  capturedOf(orderId: string): JournaledPayment[] {
    return this.#st.captured.all(orderId).map(payment);
  }

  /** The parts of refund `refundId` with their last steps, in the order they were planned. */
  refundSteps(refundId: string): RefundStep[] {
    return this.#st.refundSteps.all({ refundId });
  }

  /** Refunds a crash interrupted with parts planned and not yet sent, oldest first. */
  plannedRefunds(): string[] {
    return this.#st.planned.all().map((r) => r.refundId);
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

const payment = (r: Row): JournaledPayment => ({ auth: JSON.parse(r.authorization) as Authorization, orderId: r.orderId, state: r.action, at: r.at, detail: r.detail });

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
  /** What the payment is for when not a sale ('exchange'): the recovery leaves those to their retry. */
  purpose?: 'exchange',
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
      journal.record(orderId, auth, 'authorized', purpose ? { detail: purpose } : {});
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

const AFTER_CAPTURE: readonly PaymentAction[] = ['captured', 'refunded', 'refund_pending', 'refund_sent', 'refund_failed'];

/**
 * Pays back part of a captured payment through its own port (at most what earlier refunds left),
 * journaled under the refund's id `refundId`: sent before the port is asked, refunded after, or
 * refund_failed when the port refused (nothing paid; the error is thrown).
 */
export async function refundPayment(
  ports: PaymentPorts,
  journal: PaymentJournal,
  paymentId: string,
  amountMinor: number,
  reason: string,
  refundId: string,
): Promise<Refund> {
  const paid = journal.get(paymentId);
  if (!paid || !AFTER_CAPTURE.includes(paid.state)) throw new AdmitError('invalid_input', `payment ${paymentId} was not taken`);
  const port = portFor(ports, paid.auth.method);
  // At most what is left of it after earlier refunds.
  const left = paid.auth.amountMinor - journal.refundedMinor(paymentId);
  // An amount it cannot take is refused before anything is written.
  checkRefund({ payment: { ...paid.auth, amountMinor: left }, amountMinor, reason });
  journal.record(paid.orderId, paid.auth, 'refund_sent', { amountMinor, detail: refundId });
  try {
    const refund = await port.refund({ payment: { ...paid.auth, amountMinor: left }, amountMinor, reason });
    journal.record(paid.orderId, paid.auth, 'refunded', { amountMinor, detail: refundId });
    return refund;
  } catch (e) {
    // The port refused having paid nothing (its contract): a retry of the refund may ask again.
    journal.record(paid.orderId, paid.auth, 'refund_failed', { amountMinor, detail: refundId });
    throw e;
  }
}

/** A part of a refund to pay back: which captured payment, how much. */
export type RefundPart = { paymentId: string; amountMinor: number };
/** What became of it: paid; refused by its port (nothing paid); or unsettled — sent when a crash
 *  interrupted, so whether it was paid is for the cashier to check. */
export type RefundPartOutcome = RefundPart & { method: TenderMethod; state: 'paid' | 'failed' | 'unsettled' };

/**
 * Pays back the parts of refund `refundId`, each through refundPayment. The first call plans them all
 * (journaled together); a later call with the same id — a retry after a lost answer or a crash — pays
 * only the parts still planned or refused, never one already refunded or left sent.
 */
export async function refundParts(
  ports: PaymentPorts,
  journal: PaymentJournal,
  refundId: string,
  parts: readonly RefundPart[],
  reason: string,
  opts: {
    /** 'planned': pay only parts never sent (the recovery: a refused part may have been paid by hand). */
    which?: 'planned' | 'unpaid';
    /** Told of each part as soon as it is paid (the shift counts it then, once). */
    onPaid?: (part: RefundPartOutcome) => void;
  } = {},
): Promise<RefundPartOutcome[]> {
  if (journal.refundSteps(refundId).length === 0) journal.planRefund(refundId, parts.filter((p) => p.amountMinor > 0));
  const outcomes: RefundPartOutcome[] = [];
  for (const step of journal.refundSteps(refundId)) {
    const base = { paymentId: step.paymentId, amountMinor: step.amountMinor, method: step.method };
    if (step.action === 'refunded') outcomes.push({ ...base, state: 'paid' });
    else if (step.action === 'refund_sent') outcomes.push({ ...base, state: 'unsettled' });
    else if (step.action === 'refund_failed' && opts.which === 'planned') outcomes.push({ ...base, state: 'failed' });
    else {
      let paid = false;
      try {
        await refundPayment(ports, journal, step.paymentId, step.amountMinor, reason, refundId);
        paid = true;
      } catch {
        outcomes.push({ ...base, state: 'failed' });
      }
      if (paid) {
        const outcome = { ...base, state: 'paid' as const };
        outcomes.push(outcome);
        opts.onPaid?.(outcome);
      }
    }
  }
  return outcomes;
}

/** A refund the recovery took up: the parts it paid now (the others were settled before, or are not
 *  to be paid automatically). */
export type RecoveredRefund = { refundId: string; paid: RefundPartOutcome[]; currency: string; orderId: string };

/**
 * Pays the parts a crash left planned and never sent, refund by refund (the server recorded each refund
 * before any part was planned, so they are owed). Parts sent or refused are left as they are.
 */
export async function recoverRefunds(
  ports: PaymentPorts,
  journal: PaymentJournal,
  onPaid: (refund: Omit<RecoveredRefund, 'paid'>, part: RefundPartOutcome) => void,
): Promise<RecoveredRefund[]> {
  const recovered: RecoveredRefund[] = [];
  for (const refundId of journal.plannedRefunds()) {
    const first = journal.get(journal.refundSteps(refundId)[0]!.paymentId)!;
    const about = { refundId, currency: first.auth.currency, orderId: first.orderId };
    const paid: RefundPartOutcome[] = [];
    await refundParts(ports, journal, refundId, [], 'recovered after a restart', {
      which: 'planned',
      onPaid: (part) => {
        paid.push(part);
        onPaid(about, part);
      },
    });
    recovered.push({ ...about, paid });
  }
  return recovered;
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
    // An exchange's payment: its retry (the same exchange id) asks the server and settles it.
    if (open.detail === 'exchange') continue;
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
