// Owns refunds and exchanges of sold tickets by their types' policies (domain/refund-policy.ts). Each is
// one transaction: the order row is locked first (so refunds of one order run one after another and
// see what the previous one paid back), then its tickets, their types and quotas in id order (the sale's
// order, so neither waits on the other in a cycle). The tickets are revoked — a revocation row, which the
// change feed carries to every gate, and the status `refunded` (`revoked` for an exchange) — their seats
// go back to their types and quotas, and a refund row records the money: what each ticket was sold at
// (tickets.paid_minor: after the voucher's discount) less the policy's fee on it, never more than the
// order has left to pay back, spread over the parts of the order's payment by domain/refund-allocation.ts
// (non-cash parts back to their own kind first, then cash; never a part more than it took across all
// its refunds — the row's payouts say where it went). An exchange's charged difference may be paid by
// any tender or a split, and becomes further parts of the order. Anything outside the policy, or more
// than is left, is refused (409) before anything is written.
// Who: the terminal names its signed-in operator (it checked their PIN; the device token vouches for
// the terminal). What the policy keeps for managers needs an approval that carries the manager's PIN:
// the terminal checks it first under its own lockout, and the server checks it again against the
// manager's hash with its PIN key, wrong PINs counted per manager — so a device token alone never
// approves anything.
// The terminal makes the refund (exchange) id once and re-sends it on a retry: the same device with the
// same content gets the record it already has; any other reuse is duplicate_refund.
import { randomBytes } from 'node:crypto';
import { and, asc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { saleRefusal } from '../../../domain/catalog';
import { signCode } from '../../../domain/codes';
import { verifyPinAsync } from '../../../domain/hashing';
import { paymentsOf, paymentsProblem } from '../../../domain/order-content';
import { allocateRefund, type PartPayout, type PaymentPart, partKey, partsLeft, partsOf } from '../../../domain/refund-allocation';
import type { OrderPayment } from '../../../domain/wire';
import { isApproverRole, type PolicyAction, policyVerdict } from '../../../domain/refund-policy';
import type {
  Allowance,
  ExchangeRequest,
  ExchangeResponse,
  ManagerApproval,
  OrderView,
  RefundRequest,
  RefundResponse,
  RefundRow,
} from '../../../domain/refund-wire';
import type { ServerContext } from '../context';
import type { ServerDb } from '../db/client';
import { checkins, events, eventSessions, operators, orders, quotas, refunds, revocations, tickets, ticketTypes } from '../db/schema';
import { type ServerTx, writeTx } from '../db/writes';
import { ApiFailure } from '../errors';
import { limited } from '../routes/guards';
import { assertServes } from './deviceEvents';
import { signingKey } from './keys';
import { lockQuotas } from './orders';
import { ticketRow, type TicketTypeRecord } from './rows';
import { windowsOfTypes } from './ticket-windows';

type OrderRecord = typeof orders.$inferSelect;
type TicketRecord = typeof tickets.$inferSelect;
type RefundRecord = typeof refunds.$inferSelect;

/** Operators who may refund or exchange at a box office (their own PIN opened the terminal's session). */
const BOX_OFFICE_ROLES = new Set(['cashier', 'manager', 'admin']);

export interface Written<T> {
  response: T;
  /** Highest change seq written (for the poke); 0 when nothing was written. */
  seq: number;
}

const unixSeconds = (d: Date) => Math.max(0, Math.min(0xffffffff, Math.floor(d.getTime() / 1000)));

function refundRow(r: RefundRecord): RefundRow {
  return {
    id: r.id,
    kind: r.kind,
    orderId: r.orderId,
    ticketIds: r.ticketIds,
    newTicketIds: r.newTicketIds,
    amountMinor: r.amountMinor,
    feeMinor: r.feeMinor,
    chargedMinor: r.chargedMinor,
    currency: r.currency,
    paymentMethod: r.paymentMethod,
    payments: r.payments ?? [],
    payouts: r.payouts,
    reason: r.reason,
    operatorId: r.operatorId,
    approvedBy: r.approvedBy,
    createdAt: r.createdAt.toISOString(),
  };
}

/** What the order may still pay back: its total and the exchange differences paid, less what was paid
 *  back and the fees exchanges kept (an exchange carries the tickets' worth less its fee over to the new
 *  ones). */
const balanceOf = (order: OrderRecord, rows: readonly RefundRecord[]) =>
  Math.max(0, rows.reduce((n, r) => n + r.chargedMinor - r.amountMinor - (r.kind === 'exchange' ? r.feeMinor : 0), order.totalMinor));

const byCreation = (rows: readonly RefundRecord[]) =>
  [...rows].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

/** The parts of the order's payment: the sale's tenders, then what each exchange charged. */
function partsOfOrder(order: OrderRecord, rows: readonly RefundRecord[]): PaymentPart[] {
  return [
    ...partsOf(order.id, order.paymentMethod, order.totalMinor, order.payments),
    ...byCreation(rows).flatMap((r) => (r.chargedMinor > 0 ? partsOf(r.id, r.paymentMethod, r.chargedMinor, r.payments) : [])),
  ];
}

/** The provider's id of each part that has one, by the part's key (as partsOfOrder keys them). */
function referencesOf(order: OrderRecord, rows: readonly RefundRecord[]): Map<string, string> {
  const refs = new Map<string, string>();
  const add = (sourceId: string, list: readonly OrderPayment[] | null) =>
    (list ?? []).forEach((p, i) => {
      if (p.reference) refs.set(partKey(sourceId, i), p.reference);
    });
  add(order.id, order.payments);
  for (const r of rows) if (r.chargedMinor > 0) add(r.id, r.payments);
  return refs;
}

/** Every payout to the order's parts so far. A row from before payouts were recorded counts as the
 *  rule would have spread it. */
function paidBackOf(parts: readonly PaymentPart[], rows: readonly RefundRecord[]): PartPayout[] {
  const paid: PartPayout[] = [];
  for (const r of byCreation(rows)) {
    if (r.payouts.length > 0 || r.amountMinor === 0) paid.push(...r.payouts);
    else {
      const spread = allocateRefund(parts, paid, Math.min(r.amountMinor, partsLeft(parts, paid).reduce((n, p) => n + p.amountMinor, 0)));
      if (spread.ok) paid.push(...spread.payouts);
    }
  }
  return paid;
}

/** What a ticket counts for in a refund: what it was sold at (its type's price before that was kept). */
const paidOf = (ticket: TicketRecord, type: TicketTypeRecord): number => ticket.paidMinor ?? type.priceMinor;

/** When each type's tickets start: its session's start, or the event's. */
async function startsOf(tx: ServerDb | ServerTx, event: { startsAt: Date }, types: readonly TicketTypeRecord[]): Promise<Map<string, Date>> {
  const sessionIds = [...new Set(types.flatMap((t) => (t.sessionId ? [t.sessionId] : [])))];
  const sessions = new Map(
    sessionIds.length === 0 ? [] : (await tx.select().from(eventSessions).where(inArray(eventSessions.id, sessionIds))).map((s) => [s.id, s.startsAt] as const),
  );
  return new Map(types.map((t) => [t.id, (t.sessionId ? sessions.get(t.sessionId) : undefined) ?? event.startsAt]));
}

/** Tickets with an accepted check-in (used: not refundable). */
async function usedTickets(tx: ServerDb | ServerTx, ticketIds: readonly string[]): Promise<Set<string>> {
  if (ticketIds.length === 0) return new Set();
  const rows = await tx
    .select({ ticketId: checkins.ticketId })
    .from(checkins)
    .where(and(inArray(checkins.ticketId, [...ticketIds]), eq(checkins.status, 'accepted')));
  return new Set(rows.map((r) => r.ticketId));
}

function allowance(ticket: TicketRecord, type: TicketTypeRecord, startsAt: Date, used: boolean, action: PolicyAction, now: Date): Allowance {
  const verdict = policyVerdict(type.refundPolicy ?? null, action, paidOf(ticket, type), startsAt, now);
  const until = verdict.until?.toISOString() ?? null;
  if (ticket.status !== 'valid') return { allowed: false, refusal: 'ticket_not_valid', feeMinor: 0, needsManager: false, until };
  if (used) return { allowed: false, refusal: 'ticket_used', feeMinor: 0, needsManager: false, until };
  if (!verdict.ok) return { allowed: false, refusal: verdict.reason, feeMinor: 0, needsManager: false, until };
  return { allowed: true, refusal: null, feeMinor: verdict.feeMinor, needsManager: verdict.needsManager, until };
}

async function orderView(tx: ServerDb | ServerTx, order: OrderRecord, now: Date): Promise<OrderView> {
  const [event] = await tx.select().from(events).where(eq(events.id, order.eventId));
  const rows = await tx.select().from(tickets).where(eq(tickets.orderId, order.id)).orderBy(asc(tickets.createdAt), asc(tickets.id));
  const typeIds = [...new Set(rows.map((t) => t.ticketTypeId))];
  const types = typeIds.length === 0 ? [] : await tx.select().from(ticketTypes).where(inArray(ticketTypes.id, typeIds));
  const typeOf = new Map(types.map((t) => [t.id, t]));
  const starts = await startsOf(tx, event!, types);
  const used = await usedTickets(tx, rows.map((t) => t.id));
  const done = await tx.select().from(refunds).where(eq(refunds.orderId, order.id)).orderBy(asc(refunds.createdAt), asc(refunds.id));
  const parts = partsOfOrder(order, done);
  const left = partsLeft(parts, paidBackOf(parts, done));
  const references = referencesOf(order, done);
  return {
    order: {
      id: order.id,
      code: order.code,
      eventId: order.eventId,
      totalMinor: order.totalMinor,
      currency: order.currency,
      paymentMethod: order.paymentMethod,
      balanceMinor: balanceOf(order, done),
      payments: parts.map((p, i) => {
        const reference = references.get(p.key);
        return { ...p, refundedMinor: p.amountMinor - left[i]!.amountMinor, ...(reference ? { reference } : {}) };
      }),
      createdAt: order.createdAt.toISOString(),
    },
    tickets: rows.map((t) => {
      const type = typeOf.get(t.ticketTypeId)!;
      const start = starts.get(type.id)!;
      return {
        id: t.id,
        ticketTypeId: t.ticketTypeId,
        ticketTypeName: type.name,
        status: t.status,
        priceMinor: paidOf(t, type),
        refund: allowance(t, type, start, used.has(t.id), 'refund', now),
        exchange: allowance(t, type, start, used.has(t.id), 'exchange', now),
      };
    }),
    refunds: done.map(refundRow),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The order an order id, an order code or a ticket code names, as the box office sees it, for a
 *  terminal serving its event. */
export async function lookupOrder(db: ServerDb, deviceId: string, code: string, now: Date): Promise<OrderView> {
  let [order] = UUID.test(code.trim())
    ? await db.select().from(orders).where(eq(orders.id, code.trim().toLowerCase()))
    : await db.select().from(orders).where(eq(orders.code, code.trim().toUpperCase()));
  if (!order) {
    const [ticket] = await db.select({ orderId: tickets.orderId }).from(tickets).where(eq(tickets.code, code.trim()));
    if (ticket?.orderId) [order] = await db.select().from(orders).where(eq(orders.id, ticket.orderId));
  }
  if (!order) throw new ApiFailure('not_found', 'no order with this code');
  await assertServes(db, deviceId, order.eventId);
  return orderView(db, order, now);
}

/** The operator who does it: active, of a box-office role. */
async function assertOperator(tx: ServerTx, operatorId: string): Promise<void> {
  const [op] = await tx.select({ role: operators.role, active: operators.active }).from(operators).where(eq(operators.id, operatorId));
  if (!op || !op.active || !BOX_OFFICE_ROLES.has(op.role)) throw new ApiFailure('forbidden', 'the operator may not refund or exchange');
}

/** A manager's approval, checked here against the manager's PIN hash: the manager is active and a
 *  manager (or admin). Answers the approver's id. Wrong PINs are counted per manager (429 after a few). */
export async function checkApproval(ctx: ServerContext, approval: ManagerApproval): Promise<string> {
  return limited(ctx, [`approval:${approval.managerId}`], ['bad_pin'], async () => {
    const [op] = await ctx.db.select().from(operators).where(eq(operators.id, approval.managerId));
    if (!op || !op.active || !isApproverRole(op.role)) throw new ApiFailure('forbidden', 'the approver is not an active manager');
    const pinKey = (await ctx.keyring()).pinKey;
    if (!(await verifyPinAsync(approval.pin, op.pinSalt, op.pinHash, pinKey))) throw new ApiFailure('bad_pin', 'the approving manager PIN is wrong');
    return op.id;
  });
}

type Common = { id: string; operatorId: string; ticketIds: string[]; reason: string };

/** The record this id already names, when the same device sends the same request again; null when the
 *  id is new. Anything else is duplicate_refund. */
async function existing(tx: ServerTx, kind: 'refund' | 'exchange', orderId: string, deviceId: string, req: Common): Promise<RefundRecord | null> {
  const [row] = await tx.select().from(refunds).where(eq(refunds.id, req.id));
  if (!row) return null;
  const same =
    row.kind === kind && row.orderId === orderId && row.deviceId === deviceId && row.operatorId === req.operatorId &&
    row.ticketIds.join() === [...req.ticketIds].sort().join();
  if (!same) throw new ApiFailure('duplicate_refund', `${req.id} already names another refund or exchange`);
  return row;
}

type Locked = {
  order: OrderRecord;
  event: typeof events.$inferSelect;
  mine: TicketRecord[];
  types: TicketTypeRecord[];
  starts: Map<string, Date>;
  used: Set<string>;
  done: RefundRecord[];
};

/** Locks the order, then the named tickets (id order) — which must be the order's — and reads the rest. */
async function lockOrder(tx: ServerTx, orderId: string, deviceId: string, ticketIds: readonly string[]): Promise<Locked> {
  const [order] = await tx.select().from(orders).where(eq(orders.id, orderId)).for('update');
  if (!order) throw new ApiFailure('not_found', `no order ${orderId}`);
  await assertServes(tx, deviceId, order.eventId);
  const ids = [...ticketIds].sort();
  const mine = await tx.select().from(tickets).where(inArray(tickets.id, ids)).orderBy(tickets.id).for('no key update');
  if (mine.length !== ids.length || mine.some((t) => t.orderId !== orderId)) throw new ApiFailure('not_found', 'a ticket named is not of this order');
  const [event] = await tx.select().from(events).where(eq(events.id, order.eventId));
  const typeIds = [...new Set(mine.map((t) => t.ticketTypeId))];
  const types = await tx.select().from(ticketTypes).where(inArray(ticketTypes.id, typeIds));
  const done = await tx.select().from(refunds).where(eq(refunds.orderId, orderId));
  return { order, event: event!, mine, types, starts: await startsOf(tx, event!, types), used: await usedTickets(tx, ids), done };
}

/** Each ticket's verdict under `action`, or the first refusal as a 409; answers the fees and whether a
 *  manager must approve. */
function judge(l: Locked, action: PolicyAction, now: Date): { feeMinor: number; grossMinor: number; needsManager: boolean } {
  const typeOf = new Map(l.types.map((t) => [t.id, t]));
  let feeMinor = 0;
  let grossMinor = 0;
  let needsManager = false;
  for (const t of l.mine) {
    const type = typeOf.get(t.ticketTypeId)!;
    const a = allowance(t, type, l.starts.get(type.id)!, l.used.has(t.id), action, now);
    if (!a.allowed) {
      const code = a.refusal === 'ticket_not_valid' || a.refusal === 'ticket_used' ? (action === 'refund' ? 'refund_not_allowed' : 'exchange_not_allowed') : a.refusal!;
      const detail = a.refusal === 'ticket_not_valid' ? `is ${t.status}` : a.refusal === 'ticket_used' ? 'was used' : a.until ? `was allowed until ${a.until}` : 'is not allowed by its type';
      throw new ApiFailure(code, `ticket ${t.id}: ${action} ${detail}`);
    }
    feeMinor += a.feeMinor;
    grossMinor += paidOf(t, type);
    needsManager ||= a.needsManager;
  }
  return { feeMinor, grossMinor, needsManager };
}

/** Where `amountMinor` goes back among the order's parts, or refund_too_large when they have less left
 *  (an order whose parts were never recorded). */
function spread(l: Locked, amountMinor: number): PartPayout[] {
  const parts = partsOfOrder(l.order, l.done);
  const spreadOut = allocateRefund(parts, paidBackOf(parts, l.done), amountMinor);
  if (!spreadOut.ok)
    throw new ApiFailure('refund_too_large', spreadOut.reason === 'too_large' ? `the order's payment parts have ${spreadOut.mostMinor} left to pay back; ${amountMinor} asked` : `amount ${amountMinor}`);
  return spreadOut.payouts;
}

/** Revokes the tickets (revocation rows for the gates, the status) and gives their seats back to their
 *  types and quotas. Answers the highest seq written. */
async function revokeAndRestock(tx: ServerTx, l: Locked, status: 'refunded' | 'revoked', reason: string, now: Date): Promise<number> {
  let seq = 0;
  const perType = new Map<string, number>();
  for (const t of l.mine) perType.set(t.ticketTypeId, (perType.get(t.ticketTypeId) ?? 0) + 1);
  const typeIds = [...perType.keys()].sort();
  // Types, then quotas, in id order: the sale's lock order.
  for (const id of typeIds) {
    const [row] = await tx
      .update(ticketTypes)
      .set({ sold: sql`${ticketTypes.sold} - ${perType.get(id)!}` })
      .where(eq(ticketTypes.id, id))
      .returning({ seq: ticketTypes.seq });
    seq = Math.max(seq, row!.seq);
  }
  const quotaOf = await lockQuotas(tx, typeIds);
  for (const quota of quotaOf.locked) {
    const back = typeIds.filter((id) => quotaOf.members.get(quota.id)!.has(id)).reduce((n, id) => n + perType.get(id)!, 0);
    const [row] = await tx.update(quotas).set({ sold: sql`${quotas.sold} - ${back}` }).where(eq(quotas.id, quota.id)).returning({ seq: quotas.seq });
    seq = Math.max(seq, row!.seq);
  }
  const ids = l.mine.map((t) => t.id);
  const revoked = await tx
    .insert(revocations)
    .values(l.mine.map((t) => ({ ticketId: t.id, eventId: t.eventId, at: now, reason: `${status === 'refunded' ? 'refund' : 'exchange'}: ${reason}`.slice(0, 500) })))
    .onConflictDoNothing()
    .returning({ seq: revocations.seq });
  for (const r of revoked) seq = Math.max(seq, r.seq);
  const updated = await tx.update(tickets).set({ status }).where(inArray(tickets.id, ids)).returning({ seq: tickets.seq });
  for (const r of updated) seq = Math.max(seq, r.seq);
  return seq;
}

/** Refunds tickets of an order by their types' policy (see the module comment). */
export async function refundTickets(ctx: ServerContext, deviceId: string, orderId: string, req: RefundRequest): Promise<Written<RefundResponse>> {
  const common: Common = { id: req.refundId, operatorId: req.operatorId, ticketIds: req.ticketIds, reason: req.reason };
  // The approval's PIN is checked before the transaction (scrypt takes a while; no lock is held meanwhile).
  const approvedBy = req.approval ? await checkApproval(ctx, req.approval) : null;
  return writeTx(ctx.db, async (tx) => {
    const now = ctx.now();
    const again = await existing(tx, 'refund', orderId, deviceId, common);
    if (again) {
      const [order] = await tx.select().from(orders).where(eq(orders.id, orderId));
      return { seq: 0, response: { refund: refundRow(again), view: await orderView(tx, order!, now) } };
    }
    await assertOperator(tx, req.operatorId);
    const l = await lockOrder(tx, orderId, deviceId, req.ticketIds);
    const judged = judge(l, 'refund', now);
    if (judged.needsManager && approvedBy === null) throw new ApiFailure('approval_required', 'the policy of these tickets needs a manager to approve');
    const balance = balanceOf(l.order, l.done);
    const most = Math.min(judged.grossMinor - judged.feeMinor, balance);
    const amountMinor = req.amountMinor ?? most;
    if (amountMinor > most)
      throw new ApiFailure('refund_too_large', `at most ${most} may be paid back (tickets ${judged.grossMinor}, fee ${judged.feeMinor}, order balance ${balance}); ${amountMinor} asked`);
    const payouts = spread(l, amountMinor);
    const seq = await revokeAndRestock(tx, l, 'refunded', req.reason, now);
    const [row] = await tx
      .insert(refunds)
      .values({
        id: req.refundId,
        kind: 'refund',
        orderId,
        eventId: l.order.eventId,
        deviceId,
        ticketIds: l.mine.map((t) => t.id),
        amountMinor,
        feeMinor: judged.feeMinor,
        currency: l.order.currency,
        paymentMethod: l.order.paymentMethod,
        payouts,
        reason: req.reason,
        operatorId: req.operatorId,
        approvedBy,
        createdAt: now,
      })
      .returning();
    return { seq, response: { refund: refundRow(row!), view: await orderView(tx, l.order, now) } };
  });
}

/** Exchanges tickets of an order for as many of another type of the same event (see the module comment). */
export async function exchangeTickets(ctx: ServerContext, deviceId: string, orderId: string, req: ExchangeRequest): Promise<Written<ExchangeResponse>> {
  const common: Common = { id: req.exchangeId, operatorId: req.operatorId, ticketIds: req.ticketIds, reason: req.reason };
  const approvedBy = req.approval ? await checkApproval(ctx, req.approval) : null;
  const keyring = await ctx.keyring();
  return writeTx(ctx.db, async (tx) => {
    const now = ctx.now();
    const again = await existing(tx, 'exchange', orderId, deviceId, common);
    if (again) {
      const [order] = await tx.select().from(orders).where(eq(orders.id, orderId));
      const issued = again.newTicketIds.length === 0 ? [] : await tx.select().from(tickets).where(inArray(tickets.id, again.newTicketIds));
      return { seq: 0, response: { refund: refundRow(again), tickets: issued.map(ticketRow), view: await orderView(tx, order!, now) } };
    }
    await assertOperator(tx, req.operatorId);
    const l = await lockOrder(tx, orderId, deviceId, req.ticketIds);
    const judged = judge(l, 'exchange', now);
    if (judged.needsManager && approvedBy === null) throw new ApiFailure('approval_required', 'the policy of these tickets needs a manager to approve');
    const count = l.mine.length;
    // Every type involved (old and new), then their quotas, each in id order: the sale's lock order, so
    // an exchange A→B never waits in a cycle with one B→A or with a sale.
    const involved = [...new Set([...l.types.map((t) => t.id), req.newTicketTypeId])].sort();
    const lockedTypes = await tx
      .select()
      .from(ticketTypes)
      .where(and(inArray(ticketTypes.id, involved), eq(ticketTypes.eventId, l.order.eventId)))
      .orderBy(ticketTypes.id)
      .for('update');
    const target = lockedTypes.find((t) => t.id === req.newTicketTypeId);
    if (!target) throw new ApiFailure('exchange_not_allowed', `no ticket type ${req.newTicketTypeId} in this event`);
    if (l.mine.some((t) => t.ticketTypeId === target.id)) throw new ApiFailure('exchange_not_allowed', 'a ticket is already of this type');
    const [session] = target.sessionId ? await tx.select().from(eventSessions).where(eq(eventSessions.id, target.sessionId)) : [];
    const quotaOf = await lockQuotas(tx, involved);
    // The target's quotas as they will be once the old tickets' seats are back (a quota may hold both).
    const own = quotaOf.locked
      .filter((q) => quotaOf.members.get(q.id)!.has(target.id))
      .map((q) => ({ ...q, sold: q.sold - l.mine.filter((t) => quotaOf.members.get(q.id)!.has(t.ticketTypeId)).length }));
    const refusal = saleRefusal({ ...target, sessionActive: session ? session.active : true }, own, now, 'box_office', count);
    if (refusal !== null) throw new ApiFailure('exchange_not_allowed', `ticket type ${target.id} cannot be sold now: ${refusal}`);

    const credit = Math.min(judged.grossMinor - judged.feeMinor, balanceOf(l.order, l.done));
    const cost = target.priceMinor * count;
    const chargedMinor = Math.max(0, cost - credit);
    const amountMinor = Math.max(0, credit - cost);
    if (chargedMinor > 0 && (!req.payment || req.payment.amountMinor !== chargedMinor))
      throw new ApiFailure('bad_request', `the exchange costs ${chargedMinor} more: a payment of exactly that must come with it`);
    const paidWith = chargedMinor > 0 ? { payment: req.payment!, ...(req.payments ? { payments: req.payments } : {}) } : null;
    const problem = paidWith ? paymentsProblem(paidWith) : null;
    if (problem) throw new ApiFailure('bad_request', `the exchange's payment: ${problem}`);
    const payouts = amountMinor > 0 ? spread(l, amountMinor) : [];

    let seq = await revokeAndRestock(tx, l, 'revoked', req.reason, now);
    const [reserved] = await tx
      .update(ticketTypes)
      .set({ sold: sql`${ticketTypes.sold} + ${count}` })
      .where(and(eq(ticketTypes.id, target.id), or(isNull(ticketTypes.capacity), sql`${ticketTypes.sold} + ${count} <= ${ticketTypes.capacity}`)))
      .returning({ seq: ticketTypes.seq });
    if (!reserved) throw new ApiFailure('sold_out', `ticket type ${target.id}: fewer than ${count} left`);
    seq = Math.max(seq, reserved.seq);
    for (const quota of own) {
      const [row] = await tx
        .update(quotas)
        .set({ sold: sql`${quotas.sold} + ${count}` })
        .where(and(eq(quotas.id, quota.id), sql`${quotas.sold} + ${count} <= ${quotas.capacity}`))
        .returning({ seq: quotas.seq });
      if (!row) throw new ApiFailure('sold_out', `quota ${quota.id}: fewer than ${count} left`);
      seq = Math.max(seq, row.seq);
    }

    // New tickets, signed like a sale's (services/orders.ts), on the same order.
    const signer = await signingKey(tx, l.order.eventId, keyring);
    seq = Math.max(seq, signer.seq);
    const window = (await windowsOfTypes(tx, l.event, [target])).get(target.id)!;
    const values = Array.from({ length: count }, () => {
      const id = uuidv7();
      const code = signCode(
        { keyId: signer.keyId, eventNo: l.event.no, typeNo: target.no, ticketId: id, validFrom: unixSeconds(window.from), validTo: unixSeconds(window.to) },
        signer.key,
      );
      return {
        id,
        eventId: l.order.eventId,
        ticketTypeId: target.id,
        orderId,
        orderCode: l.order.code,
        code,
        paid: true,
        rotatingSecret: l.event.rotationPeriodS === null ? null : randomBytes(20).toString('base64'),
        ...(target.sessionId ? { validFrom: window.from, validTo: window.to } : {}),
        channel: 'box_office' as const,
        // The old tickets' worth carried over plus the difference paid, less what came back: the price.
        paidMinor: target.priceMinor,
        createdAt: now,
      };
    });
    const minted = await tx.insert(tickets).values(values).returning();
    for (const t of minted) seq = Math.max(seq, t.seq);
    const [row] = await tx
      .insert(refunds)
      .values({
        id: req.exchangeId,
        kind: 'exchange',
        orderId,
        eventId: l.order.eventId,
        deviceId,
        ticketIds: l.mine.map((t) => t.id),
        newTicketIds: minted.map((t) => t.id),
        amountMinor,
        feeMinor: judged.feeMinor,
        chargedMinor,
        currency: l.order.currency,
        paymentMethod: chargedMinor > 0 ? req.payment!.method : l.order.paymentMethod,
        payments: paidWith ? paymentsOf(paidWith) : null,
        payouts,
        reason: req.reason,
        operatorId: req.operatorId,
        approvedBy,
        createdAt: now,
      })
      .returning();
    return { seq, response: { refund: refundRow(row!), tickets: minted.map(ticketRow), view: await orderView(tx, l.order, now) } };
  });
}
