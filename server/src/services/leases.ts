// Owns seat leases: the seats of one ticket type a box office may sell while it cannot reach the server.
// A grant reserves the seats in stock exactly as a sale does (ticket type `sold` and its quotas', under
// the same row locks in the same order as placeOrder), so an online sale elsewhere can never take them,
// and mints their tickets — ids and codes signed with the event's key — because a terminal holds public
// keys only and cannot sign. The leased tickets stay here (never replicated) until a sale names them:
// then they become ordinary sold tickets with the codes already printed for the customer, which every
// gate admits by signature even before the upload reaches it. Unsold seats go back to stock when the
// terminal returns the lease, or when it is reclaimed after its end plus a grace; their codes become
// revoked tickets with revocations, so every gate refuses them.
// A sale made on a lease is honoured whenever it arrives while its seats are still leased (before the
// return or the reclaim): the terminal stops selling at the lease's end and uploads first, returns after.
import { randomBytes } from 'node:crypto';
import { and, asc, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { availability, saleRefusal } from '../../../domain/catalog';
import { signCode } from '../../../domain/codes';
import { paymentsProblem } from '../../../domain/order-content';
import { priceCart } from '../../../domain/pricing';
import { paidPerTicket } from '../../../domain/refund-allocation';
import type { LeaseInfo, LeaseRequest, LeaseResponse, LeaseReturnResponse, OrderRequest } from '../../../domain/wire';
import type { ServerDb } from '../db/client';
import {
  checkins,
  eventSessions,
  events,
  leasedTickets,
  leases,
  orders,
  quotas,
  revocations,
  tickets,
  ticketTypes,
} from '../db/schema';
import { type ServerTx, writeTx } from '../db/writes';
import { ApiFailure } from '../errors';
import type { Keyring } from '../keyring';
import { newOrderCode } from '../secrets';
import { assertServes } from './deviceEvents';
import { signingKey } from './keys';
import { checkedAttendees, lockQuotas, type PlacedOrder, type StoredAttendee } from './orders';
import { ticketRow } from './rows';
import { windowsOfTypes } from './ticket-windows';

/** How long after a lease's end its unsold seats stay leased, so sales made offline before the end
 *  can still arrive: the longest outage a box office may sell through and still be honoured. */
export const DEFAULT_LEASE_GRACE_S = 24 * 3600;

const unixSeconds = (d: Date) => Math.max(0, Math.min(0xffffffff, Math.floor(d.getTime() / 1000)));

type LeaseRecord = typeof leases.$inferSelect;

function leaseInfo(l: LeaseRecord): LeaseInfo {
  return {
    id: l.id,
    eventId: l.eventId,
    ticketTypeId: l.ticketTypeId,
    size: l.size,
    grantedAt: l.grantedAt.toISOString(),
    endsAt: l.endsAt.toISOString(),
    reclaimAfter: l.reclaimAfter.toISOString(),
    state: l.state,
  };
}

async function leaseResponse(tx: ServerTx, lease: LeaseRecord): Promise<LeaseResponse> {
  const rows = await tx.select().from(leasedTickets).where(eq(leasedTickets.leaseId, lease.id)).orderBy(asc(leasedTickets.id));
  return {
    lease: leaseInfo(lease),
    tickets: rows.map((t) => ({
      id: t.id,
      ticketTypeId: t.ticketTypeId,
      code: t.code,
      rotatingSecret: t.rotatingSecret,
      validFrom: t.validFrom?.toISOString() ?? null,
      validTo: t.validTo?.toISOString() ?? null,
    })),
  };
}

export type GrantedLease = { response: LeaseResponse; seq: number };

/**
 * Grants up to `quantity` seats (what the type and its quotas have left) for the device to sell offline,
 * or answers the lease already granted under this id to this device. Refused as a sale would be when
 * the box office may not sell the type now, and as sold_out when no seat is left.
 */
export async function grantLease(
  db: ServerDb,
  deviceId: string,
  req: LeaseRequest,
  now: Date,
  keyring: Keyring,
  opts: { graceS?: number } = {},
): Promise<GrantedLease> {
  return writeTx(db, async (tx) => {
    const [earlier] = await tx.select().from(leases).where(eq(leases.id, req.leaseId));
    if (earlier) {
      if (earlier.deviceId !== deviceId || earlier.ticketTypeId !== req.ticketTypeId)
        throw new ApiFailure('conflict', `lease ${req.leaseId} exists with other content`);
      return { response: await leaseResponse(tx, earlier), seq: 0 };
    }
    const [event] = await tx.select().from(events).where(eq(events.id, req.eventId));
    if (!event) throw new ApiFailure('not_found', `no event ${req.eventId}`);
    await assertServes(tx, deviceId, req.eventId);
    // Locks in placeOrder's order: the type row, then its quotas, then the session (shared).
    const [type] = await tx
      .select()
      .from(ticketTypes)
      .where(and(eq(ticketTypes.eventId, req.eventId), eq(ticketTypes.id, req.ticketTypeId)))
      .for('update');
    if (!type) throw new ApiFailure('unknown_ticket_type', `no ticket type ${req.ticketTypeId} in event ${req.eventId}`);
    const quotaOf = await lockQuotas(tx, [type.id]);
    let sessionActive = true;
    if (type.sessionId) {
      const [session] = await tx
        .select({ active: eventSessions.active })
        .from(eventSessions)
        .where(eq(eventSessions.id, type.sessionId))
        .for('share');
      sessionActive = session?.active ?? true;
    }
    // A lease is not an order: the per-order limit applies to each sale made on it, not to the lease.
    const refusal = saleRefusal({ ...type, maxPerOrder: null, sessionActive }, quotaOf.locked, now, 'box_office', 1);
    if (refusal !== null && refusal !== 'sold_out' && refusal !== 'over_order_limit')
      throw new ApiFailure(refusal, `ticket type ${type.id} cannot be leased now (${refusal})`);
    const left = availability(type, quotaOf.locked);
    const size = left === null ? req.quantity : Math.min(req.quantity, left);
    if (size <= 0) throw new ApiFailure('sold_out', `ticket type ${type.id}: no seat left to lease`);

    let seq = 0;
    const [reserved] = await tx
      .update(ticketTypes)
      .set({ sold: sql`${ticketTypes.sold} + ${size}` })
      .where(
        and(
          eq(ticketTypes.id, type.id),
          or(isNull(ticketTypes.capacity), sql`${ticketTypes.sold} + ${size} <= ${ticketTypes.capacity}`),
        ),
      )
      .returning({ seq: ticketTypes.seq });
    if (!reserved) throw new ApiFailure('sold_out', `ticket type ${type.id}: no seat left to lease`);
    seq = Math.max(seq, reserved.seq);
    for (const quota of quotaOf.locked) {
      const [counted] = await tx
        .update(quotas)
        .set({ sold: sql`${quotas.sold} + ${size}` })
        .where(eq(quotas.id, quota.id))
        .returning({ seq: quotas.seq });
      seq = Math.max(seq, counted!.seq);
    }

    const endsAt = new Date(now.getTime() + req.durationS * 1000);
    const [lease] = await tx
      .insert(leases)
      .values({
        id: req.leaseId,
        deviceId,
        eventId: req.eventId,
        ticketTypeId: type.id,
        size,
        grantedAt: now,
        endsAt,
        reclaimAfter: new Date(endsAt.getTime() + (opts.graceS ?? DEFAULT_LEASE_GRACE_S) * 1000),
      })
      .returning();

    const signer = await signingKey(tx, req.eventId, keyring);
    seq = Math.max(seq, signer.seq);
    const window = (await windowsOfTypes(tx, event, [type])).get(type.id)!;
    await tx.insert(leasedTickets).values(
      Array.from({ length: size }, () => {
        const id = uuidv7();
        return {
          id,
          leaseId: req.leaseId,
          ticketTypeId: type.id,
          code: signCode(
            {
              keyId: signer.keyId,
              eventNo: event.no,
              typeNo: type.no,
              ticketId: id,
              validFrom: unixSeconds(window.from),
              validTo: unixSeconds(window.to),
            },
            signer.key,
          ),
          rotatingSecret: event.rotationPeriodS === null ? null : randomBytes(20).toString('base64'),
          ...(type.sessionId ? { validFrom: window.from, validTo: window.to } : {}),
        };
      }),
    );
    return { response: await leaseResponse(tx, lease!), seq };
  });
}

export type ClosedLease = { response: LeaseReturnResponse; seq: number };

/** Closes a lease in one transaction: its unsold tickets become revoked tickets with revocations, and
 *  their seats go back to the type's and its quotas' stock. Closing a closed lease changes nothing. */
async function closeLease(tx: ServerTx, lease: LeaseRecord, state: 'returned' | 'reclaimed', now: Date): Promise<ClosedLease> {
  const all = await tx.select().from(leasedTickets).where(eq(leasedTickets.leaseId, lease.id)).orderBy(asc(leasedTickets.id));
  const sold = all.filter((t) => t.state === 'sold').length;
  if (lease.state !== 'active') {
    return { response: { lease: leaseInfo(lease), sold, returned: all.filter((t) => t.state === 'returned').length }, seq: 0 };
  }
  const unsold = all.filter((t) => t.state === 'leased');
  let seq = 0;
  if (unsold.length > 0) {
    await tx
      .update(leasedTickets)
      .set({ state: 'returned' })
      .where(
        inArray(
          leasedTickets.id,
          unsold.map((t) => t.id),
        ),
      );
    const revoked = await tx
      .insert(tickets)
      .values(
        unsold.map((t) => ({
          id: t.id,
          eventId: lease.eventId,
          ticketTypeId: t.ticketTypeId,
          orderId: null,
          code: t.code,
          status: 'revoked' as const,
          paid: false,
          rotatingSecret: null,
          validFrom: t.validFrom,
          validTo: t.validTo,
          channel: 'box_office' as const,
          createdAt: now,
        })),
      )
      .returning({ seq: tickets.seq });
    for (const r of revoked) seq = Math.max(seq, r.seq);
    const listed = await tx
      .insert(revocations)
      .values(unsold.map((t) => ({ ticketId: t.id, eventId: lease.eventId, at: now, reason: `lease ${state}` })))
      .returning({ seq: revocations.seq });
    for (const r of listed) seq = Math.max(seq, r.seq);
    // Stock goes back under the type's lock, then its quotas' (placeOrder's order).
    const [type] = await tx
      .update(ticketTypes)
      .set({ sold: sql`${ticketTypes.sold} - ${unsold.length}` })
      .where(eq(ticketTypes.id, lease.ticketTypeId))
      .returning({ seq: ticketTypes.seq });
    seq = Math.max(seq, type!.seq);
    const quotaOf = await lockQuotas(tx, [lease.ticketTypeId]);
    for (const quota of quotaOf.locked) {
      const [counted] = await tx
        .update(quotas)
        .set({ sold: sql`${quotas.sold} - ${unsold.length}` })
        .where(eq(quotas.id, quota.id))
        .returning({ seq: quotas.seq });
      seq = Math.max(seq, counted!.seq);
    }
  }
  const [closed] = await tx.update(leases).set({ state, closedAt: now }).where(eq(leases.id, lease.id)).returning();
  return { response: { lease: leaseInfo(closed!), sold, returned: unsold.length }, seq };
}

/** The device gives its lease back: what it did not sell goes back to stock, its codes revoked. */
export async function returnLease(db: ServerDb, deviceId: string, leaseId: string, now: Date): Promise<ClosedLease> {
  return writeTx(db, async (tx) => {
    const [lease] = await tx.select().from(leases).where(eq(leases.id, leaseId)).for('update');
    if (!lease || lease.deviceId !== deviceId) throw new ApiFailure('not_found', `no lease ${leaseId} of this device`);
    return closeLease(tx, lease, 'returned', now);
  });
}

/** Reclaims every lease past its end and grace that was never returned (a box office that never came
 *  back): its unsold seats go back to stock. Answers the highest seq written (0: nothing). */
export async function reclaimExpiredLeases(db: ServerDb, now: Date): Promise<{ leases: number; seq: number }> {
  const due = await db
    .select({ id: leases.id })
    .from(leases)
    .where(and(eq(leases.state, 'active'), lte(leases.reclaimAfter, now)));
  let seq = 0;
  for (const { id } of due) {
    const closed = await writeTx(db, async (tx) => {
      const [lease] = await tx.select().from(leases).where(eq(leases.id, id)).for('update');
      return closeLease(tx, lease!, 'reclaimed', now);
    });
    seq = Math.max(seq, closed.seq);
  }
  return { leases: due.length, seq };
}

/** The device's leases still open, for its terminal to reconcile after a restart. */
export async function activeLeases(db: ServerDb, deviceId: string): Promise<LeaseInfo[]> {
  const rows = await db
    .select()
    .from(leases)
    .where(and(eq(leases.deviceId, deviceId), eq(leases.state, 'active')))
    .orderBy(asc(leases.id));
  return rows.map(leaseInfo);
}

/**
 * A sale made on a lease: its tickets are the leased ones it names, already printed with their codes.
 * Idempotent by order id like any order (the same device and content answers the order it made). The
 * seats were counted at the grant, so stock is not touched; sale windows are not checked again (the
 * terminal sold within its lease, perhaps offline while a window closed). Refused as lease_not_held
 * when a named ticket is not leased to this device any more (returned, reclaimed or sold).
 */
export async function placeLeasedOrder(db: ServerDb, deviceId: string, req: OrderRequest, now: Date): Promise<PlacedOrder> {
  const onLease = req.lease!;
  // Whom the tickets are for, checked (and ID numbers hashed) before the transaction as for any order;
  // what a type requires was the terminal's to ask under the rules it had when it sold.
  const holders = await checkedAttendees(db, req, { required: false });
  return writeTx(db, async (tx) => {
    if (new Set(onLease.ticketIds).size !== onLease.ticketIds.length)
      throw new ApiFailure('bad_request', 'a leased ticket is named twice');
    // The leases the tickets belong to are locked (in id order, as a return locks its one) before their
    // tickets' states are read: a return and a sale of the same seat are never both applied.
    const owners = await tx
      .selectDistinct({ leaseId: leasedTickets.leaseId })
      .from(leasedTickets)
      .where(inArray(leasedTickets.id, onLease.ticketIds));
    // Locked first, so a copy of this upload sent concurrently (a lost answer) waits here and then finds
    // the order the first one made.
    const locked =
      owners.length === 0
        ? []
        : await tx
            .select()
            .from(leases)
            .where(
              inArray(
                leases.id,
                owners.map((o) => o.leaseId),
              ),
            )
            .orderBy(asc(leases.id))
            .for('update');
    const [already] = await tx.select().from(orders).where(eq(orders.id, req.orderId));
    if (already) {
      if (already.deviceId !== deviceId)
        throw new ApiFailure('duplicate_order', `order ${req.orderId} was made by another device`);
      const minted = await tx.select().from(tickets).where(eq(tickets.orderId, req.orderId)).orderBy(tickets.seq);
      const ids = new Set(minted.map((t) => t.id));
      if (minted.length !== onLease.ticketIds.length || !onLease.ticketIds.every((id) => ids.has(id)))
        throw new ApiFailure('duplicate_order', `order ${req.orderId} already exists with other tickets`);
      return {
        seq: 0,
        response: {
          order: {
            id: already.id,
            code: already.code,
            eventId: already.eventId,
            totalMinor: already.totalMinor,
            currency: already.currency,
            createdAt: already.createdAt.toISOString(),
          },
          tickets: minted.map(ticketRow),
        },
      };
    }
    const held =
      owners.length === 0
        ? []
        : await (async () => {
            if (locked.some((l) => l.deviceId !== deviceId || l.eventId !== req.eventId))
              throw new ApiFailure('lease_not_held', `the tickets are not leased to this device for event ${req.eventId}`);
            const named = await tx.select().from(leasedTickets).where(inArray(leasedTickets.id, onLease.ticketIds));
            return named.filter((t) => t.state === 'leased');
          })();
    if (held.length !== onLease.ticketIds.length)
      throw new ApiFailure(
        'lease_not_held',
        `${onLease.ticketIds.length - held.length} of the tickets are not leased to this device any more`,
      );
    // The lines must be exactly the leased tickets' types.
    const perType = new Map<string, number>();
    for (const t of held) perType.set(t.ticketTypeId, (perType.get(t.ticketTypeId) ?? 0) + 1);
    const asked = new Map<string, number>();
    for (const l of req.lines) asked.set(l.ticketTypeId, (asked.get(l.ticketTypeId) ?? 0) + l.quantity);
    if (asked.size !== perType.size || [...asked].some(([id, n]) => perType.get(id) !== n))
      throw new ApiFailure('bad_request', 'the order lines do not match the leased tickets it names');

    const [event] = await tx.select().from(events).where(eq(events.id, req.eventId));
    const types = await tx
      .select()
      .from(ticketTypes)
      .where(inArray(ticketTypes.id, [...asked.keys()]));
    const priced = priceCart(
      [...asked].map(([ticketTypeId, quantity]) => ({ ticketTypeId, quantity })),
      types,
      event!.currency,
    );
    if (!priced.ok) throw new ApiFailure('bad_request', `cannot price the order: ${priced.reason}`);
    if (req.payment.amountMinor < priced.totalMinor)
      throw new ApiFailure('bad_request', `payment ${req.payment.amountMinor} does not cover total ${priced.totalMinor}`);

    let code = '';
    for (let attempt = 0; !code; attempt++) {
      // The receipt printed offline carries the terminal's code: kept unless another order has it.
      const candidate = attempt === 0 && onLease.orderCode ? onLease.orderCode : newOrderCode();
      const inserted = await tx
        .insert(orders)
        .values({
          id: req.orderId,
          code: candidate,
          eventId: req.eventId,
          deviceId,
          totalMinor: priced.totalMinor,
          currency: event!.currency,
          paymentMethod: req.payment.method,
          amountMinor: req.payment.amountMinor,
          // The tenders, when they add up (a sale made offline is kept even when they do not).
          payments: req.payments && paymentsProblem(req) === null ? req.payments : null,
          // When it was sold (offline, perhaps long before it arrived), within the lease.
          createdAt: new Date(Math.min(Date.parse(onLease.soldAt), now.getTime())),
        })
        .onConflictDoNothing()
        .returning({ code: orders.code });
      if (inserted.length > 0) code = candidate;
      else if (attempt > 10) throw new Error('could not find a free order code');
    }
    // What each ticket is sold at, as a sale online prices it: what a refund pays back from.
    const paidOf = new Map(priced.lines.map((l) => [l.ticketTypeId, paidPerTicket(l)]));
    await tx
      .update(leasedTickets)
      .set({ state: 'sold', orderId: req.orderId })
      .where(inArray(leasedTickets.id, onLease.ticketIds));
    // The index-th ticket of a type, in the order the sale names them, is the holder's of that index.
    const heldById = new Map(held.map((t) => [t.id, t]));
    const ofType = new Map<string, number>();
    const holderOf = new Map(
      onLease.ticketIds.map((id) => {
        const typeId = heldById.get(id)!.ticketTypeId;
        const index = ofType.get(typeId) ?? 0;
        ofType.set(typeId, index + 1);
        return [id, holders.get(`${typeId}/${index}`)];
      }),
    );
    const minted = await tx
      .insert(tickets)
      .values(
        onLease.ticketIds.map((id) => heldById.get(id)!).map((t) => ({
          id: t.id,
          eventId: req.eventId,
          ticketTypeId: t.ticketTypeId,
          orderId: req.orderId,
          orderCode: code,
          code: t.code,
          paid: true,
          rotatingSecret: t.rotatingSecret,
          validFrom: t.validFrom,
          validTo: t.validTo,
          channel: 'box_office' as const,
          paidMinor: paidOf.get(t.ticketTypeId)!,
          createdAt: now,
          ...holderFields(holderOf.get(t.id)),
        })),
      )
      .returning();
    let seq = minted.reduce((m, t) => Math.max(m, t.seq), 0);
    seq = Math.max(
      seq,
      await settleEarlyCheckins(
        tx,
        held.map((t) => t.id),
      ),
    );
    const [made] = await tx.select().from(orders).where(eq(orders.id, req.orderId));
    return {
      seq,
      response: {
        order: {
          id: made!.id,
          code,
          eventId: req.eventId,
          totalMinor: made!.totalMinor,
          currency: made!.currency,
          createdAt: made!.createdAt.toISOString(),
        },
        tickets: minted.map(ticketRow),
      },
    };
  });
}

/** A ticket's holder columns, as any order stores them; none when nothing was given for it. */
const holderFields = (holder: StoredAttendee | undefined) =>
  holder
    ? {
        attendeeName: holder.name,
        phone: holder.phone,
        phoneLast4: holder.phoneLast4,
        email: holder.email,
        company: holder.company,
        idHash: holder.idHash,
        answers: holder.answers,
      }
    : {};

/**
 * Check-ins that gates pushed before the sale reached the server (they admitted the code by its
 * signature) were kept as conflicts of an unknown ticket. Now that the ticket exists they are judged
 * again: exits and the first entry stand as uses (accepted), any later entry stays a conflict as a
 * second use of the ticket, so every gate sees the ticket as used. Answers the highest seq written.
 */
async function settleEarlyCheckins(tx: ServerTx, ticketIds: readonly string[]): Promise<number> {
  const early = await tx
    .select()
    .from(checkins)
    .where(and(inArray(checkins.ticketId, [...ticketIds]), eq(checkins.status, 'conflict'), eq(checkins.reason, 'unknown')))
    .orderBy(asc(checkins.at), asc(checkins.id));
  let seq = 0;
  const firstEntry = new Map<string, string>();
  for (const c of early) {
    const first = firstEntry.get(c.ticketId);
    const accept = c.direction === 'exit' || first === undefined;
    if (c.direction === 'entry' && first === undefined) firstEntry.set(c.ticketId, c.id);
    const [updated] = await tx
      .update(checkins)
      .set(accept ? { status: 'accepted', reason: null } : { reason: 'already_used', conflictsWith: first ?? null })
      .where(eq(checkins.id, c.id))
      .returning({ seq: checkins.seq });
    seq = Math.max(seq, updated!.seq);
  }
  return seq;
}
