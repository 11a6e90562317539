// Owns the requests around e-ticket delivery: a terminal's request to send an order's tickets (checked —
// the address, the operator's role, the order served by this terminal, the channel set up — then queued
// under the terminal's delivery id, so a retry finds the same delivery and nothing goes out twice), the
// deliveries of an order with their addresses masked, and the organizer's settings writes, each
// recorded in the server's audit trail.
import { and, asc, eq, inArray } from 'drizzle-orm';
import { type Delivery, type DeliveryLanguage, type DeliveryRequest, maskAddress, normalizeAddress } from '../../../domain/delivery';
import type { ServerContext } from '../context';
import { deliveries, deliverySettings, operators, orders, tickets } from '../db/schema';
import { ApiFailure } from '../errors';
import { recordServerAction } from '../services/audit';
import { assertServes } from '../services/deviceEvents';

/** Who may send an order's tickets from a terminal. */
const SENDING_ROLES = new Set(['cashier', 'manager', 'admin']);

type Row = typeof deliveries.$inferSelect;

export function shownDelivery(r: Row): Delivery {
  return {
    id: r.id,
    orderId: r.orderId,
    ticketIds: r.ticketIds,
    channel: r.channel,
    address: maskAddress(r.channel, r.address),
    language: r.language as DeliveryLanguage,
    state: r.state,
    attempts: r.attempts,
    errorCode: r.errorCode ?? null,
    replyCode: r.replyCode ?? null,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    sentAt: r.sentAt?.toISOString() ?? null,
    nextAttemptAt: r.nextAttemptAt?.toISOString() ?? null,
  };
}

async function servedOrder(ctx: ServerContext, deviceId: string, orderId: string) {
  const [order] = await ctx.db.select().from(orders).where(eq(orders.id, orderId));
  if (!order) throw new ApiFailure('not_found', `no order ${orderId}`);
  await assertServes(ctx.db, deviceId, order.eventId);
  return order;
}

/** Queues a delivery (or answers the one this id already names); `queued` tells whether it is new. */
export async function requestDelivery(ctx: ServerContext, deviceId: string, orderId: string, req: DeliveryRequest): Promise<{ delivery: Delivery; queued: boolean }> {
  const address = normalizeAddress(req.channel, req.address);
  if (address === null)
    throw new ApiFailure(req.channel === 'email' ? 'invalid_email' : 'invalid_phone', req.channel === 'email' ? 'not an email address' : 'not a phone number in international form (+…)');
  const [op] = await ctx.db.select({ role: operators.role, active: operators.active }).from(operators).where(eq(operators.id, req.operatorId));
  if (!op || !op.active || !SENDING_ROLES.has(op.role)) throw new ApiFailure('forbidden', 'only an active cashier, manager or admin sends tickets');
  await servedOrder(ctx, deviceId, orderId);

  const [earlier] = await ctx.db.select().from(deliveries).where(eq(deliveries.id, req.deliveryId));
  if (earlier) {
    if (earlier.orderId !== orderId || earlier.deviceId !== deviceId || earlier.channel !== req.channel || earlier.address !== address)
      throw new ApiFailure('conflict', `delivery ${req.deliveryId} was asked with other content`);
    return { delivery: shownDelivery(earlier), queued: false };
  }

  const [settings] = await ctx.db.select({ channel: deliverySettings.channel }).from(deliverySettings).where(eq(deliverySettings.channel, req.channel));
  if (!settings) throw new ApiFailure('delivery_not_configured', `${req.channel} delivery is not set up on the server`);

  const valid = await ctx.db
    .select({ id: tickets.id })
    .from(tickets)
    .where(and(eq(tickets.orderId, orderId), eq(tickets.status, 'valid'), ...(req.ticketIds ? [inArray(tickets.id, req.ticketIds)] : [])))
    .orderBy(asc(tickets.seq));
  const ticketIds = valid.map((t) => t.id);
  if (req.ticketIds && new Set(req.ticketIds).size !== ticketIds.length) throw new ApiFailure('bad_request', 'ticketIds: not all are valid tickets of this order');
  if (ticketIds.length === 0) throw new ApiFailure('conflict', 'the order has no valid tickets to send');

  const now = ctx.now();
  const [inserted] = await ctx.db
    .insert(deliveries)
    .values({ id: req.deliveryId, orderId, deviceId, operatorId: req.operatorId, ticketIds, channel: req.channel, address, language: req.language, state: 'queued', createdAt: now, updatedAt: now })
    .onConflictDoNothing()
    .returning();
  if (!inserted) {
    // The same id raced in from a parallel retry: answer with what that one stored.
    const [row] = await ctx.db.select().from(deliveries).where(eq(deliveries.id, req.deliveryId));
    return { delivery: shownDelivery(row!), queued: false };
  }
  await recordServerAction(
    ctx.db,
    'tickets_sent',
    orderId,
    { deliveryId: inserted.id, channel: req.channel, language: req.language, tickets: ticketIds.length, address: maskAddress(req.channel, address), deviceId, operatorId: req.operatorId },
    now,
  );
  return { delivery: shownDelivery(inserted), queued: true };
}

export async function listDeliveries(ctx: ServerContext, deviceId: string, orderId: string): Promise<Delivery[]> {
  await servedOrder(ctx, deviceId, orderId);
  const rows = await ctx.db.select().from(deliveries).where(eq(deliveries.orderId, orderId)).orderBy(asc(deliveries.createdAt));
  return rows.map(shownDelivery);
}
