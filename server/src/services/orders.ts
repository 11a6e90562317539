// Owns box-office sales: one order = one transaction that reserves stock with a conditional UPDATE
// (never oversells, however many terminals sell at once), records the order and mints its tickets.
// The terminal makes the order id once per cart and re-sends it after a lost reply or a restart: the
// same device re-sending the same id with the same content gets the order it already has (no second
// sale); any other reuse of the id is refused as duplicate_order.
// A voucher (services/vouchers.ts) is checked and its uses taken in the same transaction, its row locked
// after the types and quotas, so two box offices never over-redeem it; the order records the discount.
// Whom each ticket is for (domain/attendees.ts) is checked again here against the types' rules and
// forms, never taken on the terminal's word, and stored on the tickets as the import stores it: name,
// phone (and its last four digits for lookup), email, company, the form's answers, and the ID number
// only as the event's ID hash.
// Sold tickets carry SIGNED codes (domain/codes.ts): the event's current Ed25519 key signs the
// event and type numbers, the ticket id and the validity window, so a gate that has not synced since the
// sale still admits the ticket offline. Events with rotating codes also get a per-ticket secret.
import { randomBytes } from 'node:crypto';
import { and, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { availability, type OrderChannel, type QuotaState, saleRefusal } from '../../../domain/catalog';
import { checkAttendees, type CheckedAttendee, describeIssues } from '../../../domain/attendees';
import { idNumberHash } from '../../../domain/hashing';
import { paymentsProblem, quantitiesOf, sameOrderContent } from '../../../domain/order-content';
import { priceCart } from '../../../domain/pricing';
import { paidPerTicket } from '../../../domain/refund-allocation';
import { appliesTo, unitDiscount, VOUCHER_PROBLEMS, type VoucherProblem } from '../../../domain/vouchers';
import type { OrderRequest, OrderResponse } from '../../../domain/wire';
import type { ServerDb } from '../db/client';
import { events, eventSessions, orders, quotas, quotaTicketTypes, tickets, ticketTypes } from '../db/schema';
import { type ServerTx, writeTx } from '../db/writes';
import { ApiFailure } from '../errors';
import { signCode } from '../../../domain/codes';
import { newOrderCode } from '../secrets';
import type { Keyring } from '../keyring';
import { assertServes } from './deviceEvents';
import { windowsOfTypes } from './ticket-windows';
import { signingKey } from './keys';
import { ticketRow, type TicketTypeRecord } from './rows';
import { formsOfEvent } from '../admin/forms';
import { lockVoucher, redeemVoucher, voucherOf } from './vouchers';
import { vouchers } from '../db/schema';

const isVoucherProblem = (reason: string): reason is VoucherProblem => (VOUCHER_PROBLEMS as readonly string[]).includes(reason);

/** A checked holder with the ID number replaced by the event's hash of it. */
export type StoredAttendee = Omit<CheckedAttendee, 'idNumber'> & { idHash: string | null };

/**
 * The order's holders checked against its types' rules and forms as stored now (read before the
 * order's transaction: the ID hashes are slow by design and must not be taken under the stock locks),
 * keyed by <ticketTypeId>/<index>. A ticket whose type requires nothing and was given nothing is absent.
 * `required: false` (a sale made on a lease, under the rules its terminal had): what was given must be
 * valid, but nothing is required.
 */
export async function checkedAttendees(db: ServerDb, req: OrderRequest, opts: { required?: boolean } = {}): Promise<Map<string, StoredAttendee>> {
  const typeIds = [...new Set(req.lines.map((l) => l.ticketTypeId))];
  const types = await db
    .select({ id: ticketTypes.id, realName: ticketTypes.realName, requiredFields: ticketTypes.requiredFields })
    .from(ticketTypes)
    .where(and(eq(ticketTypes.eventId, req.eventId), inArray(ticketTypes.id, typeIds)));
  const given = req.attendees ?? [];
  const asks = types.some((t) => t.realName || t.requiredFields.length > 0);
  const forms = asks || given.length > 0 ? await formsOfEvent(db, req.eventId) : new Map();
  if (!asks && given.length === 0 && !typeIds.some((id) => forms.has(id))) return new Map();
  const byId = new Map(types.map((t) => [t.id, t]));
  const checked = checkAttendees(req.lines, given, (id) => {
    const t = byId.get(id);
    if (!t) return undefined;
    return opts.required === false ? { realName: false, requiredFields: [], form: forms.get(id) ?? null } : { realName: t.realName, requiredFields: t.requiredFields, form: forms.get(id) ?? null };
  });
  if (!checked.ok) throw new ApiFailure(checked.issues[0]!.code, describeIssues(checked.issues));
  const needsHash = checked.attendees.filter((a) => a.idNumber !== null);
  let salt = '';
  if (needsHash.length > 0) {
    const [event] = await db.select({ idSalt: events.idSalt }).from(events).where(eq(events.id, req.eventId));
    if (!event) throw new ApiFailure('not_found', `no event ${req.eventId}`);
    salt = event.idSalt;
  }
  const stored = new Map<string, StoredAttendee>();
  for (const a of checked.attendees) {
    const { idNumber, ...rest } = a;
    let idHash: string | null = null;
    if (idNumber !== null) {
      try {
        idHash = await idNumberHash(idNumber, salt);
      } catch {
        throw new ApiFailure('attendee_field_invalid', `${a.ticketTypeId}/${a.index}/idNumber: bad_value`);
      }
    }
    stored.set(`${a.ticketTypeId}/${a.index}`, { ...rest, idHash });
  }
  return stored;
}

const unixSeconds = (d: Date) => Math.max(0, Math.min(0xffffffff, Math.floor(d.getTime() / 1000)));
/** 20 random bytes, base64: the HMAC key of a ticket's rotating codes. */
const newRotatingSecret = () => randomBytes(20).toString('base64');

export interface PlacedOrder {
  response: OrderResponse;
  /** Highest change seq the order produced (for the poke). */
  seq: number;
}

/**
 * The order this id already names, when the same device sends the same content again (a retry after a
 * lost reply, a crash or a restart); null when the id is new. Anything else is duplicate_order (409).
 */
async function existingOrder(tx: ServerTx, deviceId: string | null, req: OrderRequest): Promise<PlacedOrder | null> {
  const [order] = await tx.select().from(orders).where(eq(orders.id, req.orderId));
  if (!order) return null;
  const minted = await tx.select().from(tickets).where(eq(tickets.orderId, req.orderId)).orderBy(tickets.seq);
  const sold = { eventId: order.eventId, payment: { method: order.paymentMethod, amountMinor: order.amountMinor }, ...(order.payments ? { payments: order.payments } : {}), lines: minted.map((t) => ({ ticketTypeId: t.ticketTypeId, quantity: 1 })) };
  if (order.deviceId !== deviceId) throw new ApiFailure('duplicate_order', `order ${req.orderId} was made by another device`);
  if (!sameOrderContent(sold, req)) {
    const asked = quantitiesOf(req.lines).map(([id, n]) => `${n}x${id}`).join(', ');
    throw new ApiFailure('duplicate_order', `order ${req.orderId} already exists with other content (asked: ${asked})`);
  }
  const [voucher] = order.voucherId ? await tx.select().from(vouchers).where(eq(vouchers.id, order.voucherId)) : [];
  // What it took off each type, by the voucher's rule as it stands (the order keeps the total discount).
  const typeIds = [...new Set(minted.map((t) => t.ticketTypeId))].sort();
  const prices = voucher ? await tx.select({ id: ticketTypes.id, priceMinor: ticketTypes.priceMinor }).from(ticketTypes).where(inArray(ticketTypes.id, typeIds)) : [];
  return {
    seq: minted.reduce((m, t) => Math.max(m, t.seq), 0),
    response: {
      order: {
        id: order.id,
        code: order.code,
        eventId: order.eventId,
        totalMinor: order.totalMinor,
        currency: order.currency,
        createdAt: order.createdAt.toISOString(),
        ...(voucher
          ? {
              subtotalMinor: order.totalMinor + order.discountMinor,
              discountMinor: order.discountMinor,
              voucherCode: voucher.code,
              discounts: prices.map((p) => ({ ticketTypeId: p.id, unitDiscountMinor: appliesTo(voucherOf(voucher), p.id) ? unitDiscount(voucherOf(voucher), p.priceMinor) : 0 })),
            }
          : {}),
      },
      tickets: minted.map(ticketRow),
    },
  };
}

export type LockedQuotas = {
  /** The quotas of the order's types, locked, in id order. */
  locked: QuotaState[];
  /** quota id → its member types among the order's. */
  members: Map<string, Set<string>>;
};

/** Locks the quotas the order's ticket types belong to, in id order (after the type rows). The attendee
 *  import reserves its batches the same way, in the same order. */
export async function lockQuotas(tx: ServerTx, typeIds: readonly string[]): Promise<LockedQuotas> {
  const links = await tx.select().from(quotaTicketTypes).where(inArray(quotaTicketTypes.ticketTypeId, [...typeIds]));
  const members = new Map<string, Set<string>>();
  for (const l of links) members.set(l.quotaId, (members.get(l.quotaId) ?? new Set()).add(l.ticketTypeId));
  if (members.size === 0) return { locked: [], members };
  const locked = await tx
    .select({ id: quotas.id, capacity: quotas.capacity, sold: quotas.sold })
    .from(quotas)
    .where(inArray(quotas.id, [...members.keys()]))
    .orderBy(quotas.id)
    .for('update');
  return { locked, members };
}

/** The sessions the order's types are for that are switched off, read under a share lock (after the
 *  type and quota rows): switching a session off waits for the order, or the order sees it off. */
async function inactiveSessions(tx: ServerTx, types: readonly TicketTypeRecord[]): Promise<Set<string>> {
  const ids = [...new Set(types.flatMap((t) => (t.sessionId ? [t.sessionId] : [])))].sort();
  if (ids.length === 0) return new Set();
  const rows = await tx
    .select({ id: eventSessions.id, active: eventSessions.active })
    .from(eventSessions)
    .where(inArray(eventSessions.id, ids))
    .orderBy(eventSessions.id)
    .for('share');
  return new Set(rows.filter((s) => !s.active).map((s) => s.id));
}

/** Refuses the order when one of its lines breaks its type's sale rules (domain/catalog.ts), or when the
 *  lines sharing a quota together exceed what the quota has left. */
function checkSaleRules(
  types: readonly TicketTypeRecord[],
  quantities: ReadonlyMap<string, number>,
  quotaOf: LockedQuotas,
  sessionsOff: ReadonlySet<string>,
  now: Date,
  channel: OrderChannel,
): void {
  for (const type of types) {
    const quantity = quantities.get(type.id)!;
    const own = quotaOf.locked.filter((q) => quotaOf.members.get(q.id)!.has(type.id));
    const sessionActive = type.sessionId === null || !sessionsOff.has(type.sessionId);
    const refusal = saleRefusal({ ...type, sessionActive }, own, now, channel, quantity);
    if (refusal === null) continue;
    const detail: Record<typeof refusal, string> = {
      ticket_type_inactive: 'is not on sale (switched off)',
      session_inactive: `is not on sale: its session ${type.sessionId ?? '-'} is switched off`,
      not_on_sale: `is on sale from ${type.saleStartsAt?.toISOString() ?? '-'}`,
      sale_ended: `was on sale until ${type.saleEndsAt?.toISOString() ?? '-'}`,
      channel_not_allowed: `may not be sold by the ${channel} channel`,
      over_order_limit: `allows at most ${type.maxPerOrder ?? '-'} per order, ${quantity} requested`,
      sold_out: `: ${availability(type, own) ?? 0} left, ${quantity} requested`,
    };
    throw new ApiFailure(refusal, `ticket type ${type.id} ${detail[refusal]}`);
  }
  for (const quota of quotaOf.locked) {
    const asked = [...quotaOf.members.get(quota.id)!].reduce((n, id) => n + (quantities.get(id) ?? 0), 0);
    if (quota.sold + asked > quota.capacity)
      throw new ApiFailure('sold_out', `quota ${quota.id}: ${Math.max(0, quota.capacity - quota.sold)} left, ${asked} requested`);
  }
}

export async function placeOrder(
  db: ServerDb,
  deviceId: string | null,
  req: OrderRequest,
  now: Date,
  keyring: Keyring,
): Promise<PlacedOrder> {
  // One reservation per ticket type, taken in id order so two orders never wait on each other in a cycle.
  const quantities = new Map<string, number>();
  for (const line of req.lines)
    quantities.set(line.ticketTypeId, (quantities.get(line.ticketTypeId) ?? 0) + line.quantity);
  const typeIds = [...quantities.keys()].sort();
  const holders = await checkedAttendees(db, req);

  const problem = paymentsProblem(req);
  if (problem) throw new ApiFailure('bad_request', problem);
  return writeTx(db, async (tx) => {
    const again = await existingOrder(tx, deviceId, req);
    if (again) return again;
    const [event] = await tx.select().from(events).where(eq(events.id, req.eventId));
    if (!event) throw new ApiFailure('not_found', `no event ${req.eventId}`);
    // A terminal sells only for the events it serves (null: the organizer's own, in-process sale).
    if (deviceId !== null) await assertServes(tx, deviceId, req.eventId);

    // The type rows are locked (in id order) before anything else, then their quotas (in id order): the
    // sale rules are decided on what is locked, and every writer takes the same order, so none deadlock.
    const types = await tx
      .select()
      .from(ticketTypes)
      .where(and(eq(ticketTypes.eventId, req.eventId), inArray(ticketTypes.id, typeIds)))
      .orderBy(ticketTypes.id)
      .for('update');
    // The event's dates as of now that the types are locked: an edit of the dates locks them too, so the
    // codes are signed with the dates it left (it refuses once tickets exist).
    const [dates] = await tx.select({ startsAt: events.startsAt, endsAt: events.endsAt }).from(events).where(eq(events.id, req.eventId));
    const priced = priceCart(
      typeIds.map((ticketTypeId) => ({ ticketTypeId, quantity: quantities.get(ticketTypeId)! })),
      types,
      event.currency,
    );
    if (!priced.ok) {
      if (priced.reason === 'unknown_ticket_type')
        throw new ApiFailure('unknown_ticket_type', `no ticket type ${priced.ticketTypeId} in event ${req.eventId}`);
      throw new ApiFailure('bad_request', `cannot price the order: ${priced.reason} (ticket type ${priced.ticketTypeId ?? '-'})`);
    }
    const quotaOf = await lockQuotas(tx, typeIds);
    checkSaleRules(types, quantities, quotaOf, await inactiveSessions(tx, types), now, req.channel ?? 'box_office');
    // The voucher last (after the types and quotas), locked until the order commits: its uses are
    // judged and taken under that lock, by the server's clock.
    const voucher = req.voucherCode === undefined ? null : await lockVoucher(tx, req.eventId, req.voucherCode);
    let pricedFinal = priced;
    if (voucher) {
      const discounted = priceCart(
        typeIds.map((ticketTypeId) => ({ ticketTypeId, quantity: quantities.get(ticketTypeId)! })),
        types,
        event.currency,
        { voucher: voucher.voucher, at: now },
      );
      if (!discounted.ok) {
        if (isVoucherProblem(discounted.reason)) {
          const v = voucher.voucher;
          const left = v.maxUses === null ? 'no limit' : `${Math.max(0, v.maxUses - v.used)} uses left`;
          throw new ApiFailure(discounted.reason, `voucher ${v.code}: ${left}, at most ${v.maxPerOrder ?? '-'} per order, valid ${v.validFrom ?? '-'} to ${v.validUntil ?? '-'}`);
        }
        throw new ApiFailure('bad_request', `cannot price the order: ${discounted.reason}`);
      }
      pricedFinal = discounted;
    }
    const totalMinor = pricedFinal.totalMinor;
    if (req.payment.amountMinor < totalMinor) {
      throw new ApiFailure('bad_request', `payment ${req.payment.amountMinor} does not cover total ${totalMinor}`);
    }

    // The order row goes first: a second request with the same id stops here before touching stock.
    let code = '';
    for (let attempt = 0; !code; attempt++) {
      const candidate = newOrderCode();
      const inserted = await tx
        .insert(orders)
        .values({
          id: req.orderId,
          code: candidate,
          eventId: req.eventId,
          deviceId,
          totalMinor,
          currency: event.currency,
          paymentMethod: req.payment.method,
          amountMinor: req.payment.amountMinor,
          payments: req.payments ?? null,
          createdAt: now,
          voucherId: voucher?.id ?? null,
          discountMinor: pricedFinal.discountMinor ?? 0,
          voucherUses: pricedFinal.voucherUses ?? 0,
        })
        .onConflictDoNothing()
        .returning({ code: orders.code });
      if (inserted.length > 0) code = candidate;
      else {
        // The same order committed meanwhile by a concurrent copy of this request: answer with it.
        const concurrent = await existingOrder(tx, deviceId, req);
        if (concurrent) return concurrent;
        if (attempt > 10) throw new Error('could not find a free order code');
      }
    }

    if (voucher && pricedFinal.voucherUses) await redeemVoucher(tx, voucher.id, pricedFinal.voucherUses, now);

    let seq = 0;
    for (const id of typeIds) {
      const quantity = quantities.get(id)!;
      const [reserved] = await tx
        .update(ticketTypes)
        .set({ sold: sql`${ticketTypes.sold} + ${quantity}` })
        .where(
          and(
            eq(ticketTypes.id, id),
            or(isNull(ticketTypes.capacity), sql`${ticketTypes.sold} + ${quantity} <= ${ticketTypes.capacity}`),
          ),
        )
        .returning({ seq: ticketTypes.seq });
      if (!reserved) {
        const [current] = await tx.select().from(ticketTypes).where(eq(ticketTypes.id, id));
        const left = current?.capacity == null ? 0 : Math.max(0, current.capacity - current.sold);
        throw new ApiFailure('sold_out', `ticket type ${id}: ${left} left, ${quantity} requested`);
      }
      seq = Math.max(seq, reserved.seq);
    }
    for (const quota of quotaOf.locked) {
      const taken = typeIds.filter((id) => quotaOf.members.get(quota.id)!.has(id)).reduce((n, id) => n + quantities.get(id)!, 0);
      const [counted] = await tx
        .update(quotas)
        .set({ sold: sql`${quotas.sold} + ${taken}` })
        .where(eq(quotas.id, quota.id))
        .returning({ seq: quotas.seq });
      seq = Math.max(seq, counted!.seq);
    }

    const signer = await signingKey(tx, req.eventId, keyring);
    seq = Math.max(seq, signer.seq);
    const typeNo = new Map(types.map((t) => [t.id, t.no]));
    const windows = await windowsOfTypes(tx, { ...event, ...dates! }, types);
    const sessionOf = new Map(types.map((t) => [t.id, t.sessionId]));
    // What each ticket is sold at (the voucher's discount on it taken off): what a refund pays back from.
    const paidOf = new Map(pricedFinal.lines.map((l) => [l.ticketTypeId, paidPerTicket(l)]));
    const values = typeIds.flatMap((ticketTypeId) =>
      Array.from({ length: quantities.get(ticketTypeId)! }, (_, index) => {
        const id = uuidv7();
        const holder = holders.get(`${ticketTypeId}/${index}`);
        // A whole-event ticket's code is valid for the event's run and its row has no window of its own;
        // a session's ticket carries its session's window (domain/ticket-window.ts) in both.
        const window = windows.get(ticketTypeId)!;
        const ticketCode = signCode(
          {
            keyId: signer.keyId,
            eventNo: event.no,
            typeNo: typeNo.get(ticketTypeId)!,
            ticketId: id,
            validFrom: unixSeconds(window.from),
            validTo: unixSeconds(window.to),
          },
          signer.key,
        );
        return {
          id,
          eventId: req.eventId,
          ticketTypeId,
          orderId: req.orderId,
          orderCode: code,
          code: ticketCode,
          // The terminal only posts an order once the money is taken (cash counted or card approved).
          paid: true,
          rotatingSecret: event.rotationPeriodS === null ? null : newRotatingSecret(),
          ...(sessionOf.get(ticketTypeId) ? { validFrom: window.from, validTo: window.to } : {}),
          createdAt: now,
          channel: req.channel ?? 'box_office',
          paidMinor: paidOf.get(ticketTypeId)!,
          ...(holder
            ? {
                attendeeName: holder.name,
                phone: holder.phone,
                phoneLast4: holder.phoneLast4,
                email: holder.email,
                company: holder.company,
                idHash: holder.idHash,
                answers: holder.answers,
              }
            : {}),
        };
      }),
    );
    const minted = await tx.insert(tickets).values(values).returning();
    for (const t of minted) seq = Math.max(seq, t.seq);

    return {
      seq,
      response: {
        order: {
          id: req.orderId,
          code,
          eventId: req.eventId,
          totalMinor,
          currency: event.currency,
          createdAt: now.toISOString(),
          ...(voucher
            ? {
                subtotalMinor: pricedFinal.subtotalMinor,
                discountMinor: pricedFinal.discountMinor,
                voucherCode: voucher.voucher.code,
                discounts: pricedFinal.lines.map((l) => ({ ticketTypeId: l.ticketTypeId, unitDiscountMinor: l.unitDiscountMinor ?? 0 })),
              }
            : {}),
        },
        tickets: minted.map(ticketRow),
      },
    };
  });
}
