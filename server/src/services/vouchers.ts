// Owns an event's vouchers at the server: the organizer creates, lists, changes and switches them off;
// a terminal previews one (whether it applies now and what it takes off, nothing redeemed); and an
// order takes its uses inside the order's own transaction under the voucher row's lock, so however many
// box offices sell at once, a voucher of N uses is redeemed at most N times. The rules themselves are
// domain/vouchers.ts; pricing applies them (domain/pricing.ts).
import { and, asc, eq, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { type Voucher, normalizeVoucherCode, unitDiscount, validityProblem, type VoucherSettings, usesLeft } from '../../../domain/vouchers';
import type { VoucherPreview } from '../../../domain/wire';
import type { ServerDb } from '../db/client';
import { events, ticketTypes, vouchers } from '../db/schema';
import { type ServerTx, writeTx } from '../db/writes';
import { ApiFailure } from '../errors';

type VoucherRecord = typeof vouchers.$inferSelect;

/** A voucher as the admin API answers it. */
export type AdminVoucher = Voucher & { id: string; eventId: string; usesLeft: number | null; createdAt: string; updatedAt: string };

const iso = (d: Date | null) => (d === null ? null : d.toISOString());

/** The domain's voucher of a stored row. */
export const voucherOf = (r: VoucherRecord): Voucher => ({
  code: r.code,
  kind: r.kind,
  value: r.value,
  currency: r.currency,
  ticketTypeIds: r.ticketTypeIds,
  validFrom: iso(r.validFrom),
  validUntil: iso(r.validUntil),
  maxUses: r.maxUses,
  used: r.used,
  maxPerOrder: r.maxPerOrder,
  active: r.active,
});

const adminVoucher = (r: VoucherRecord): AdminVoucher => {
  const v = voucherOf(r);
  return { id: r.id, eventId: r.eventId, ...v, usesLeft: usesLeft(v), createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString() };
};

/** The named types must be the event's. */
async function checkTypes(tx: ServerTx | ServerDb, eventId: string, ids: readonly string[] | null): Promise<void> {
  if (ids === null) return;
  const found = await tx.select({ id: ticketTypes.id }).from(ticketTypes).where(eq(ticketTypes.eventId, eventId));
  const known = new Set(found.map((t) => t.id));
  const missing = ids.filter((id) => !known.has(id));
  if (missing.length > 0) throw new ApiFailure('unknown_ticket_type', `ticket types not of event ${eventId}: ${missing.slice(0, 5).join(', ')}`);
}

export async function createVoucher(db: ServerDb, eventId: string, settings: VoucherSettings, now: Date): Promise<AdminVoucher> {
  return writeTx(db, async (tx) => {
    const [event] = await tx.select({ currency: events.currency }).from(events).where(eq(events.id, eventId));
    if (!event) throw new ApiFailure('not_found', `no event ${eventId}`);
    await checkTypes(tx, eventId, settings.ticketTypeIds);
    const [row] = await tx
      .insert(vouchers)
      .values({
        id: uuidv7(),
        eventId,
        code: settings.code,
        kind: settings.kind,
        value: settings.value,
        // A fixed amount is in the event's currency (an event has one).
        currency: settings.kind === 'fixed' ? event.currency : null,
        ticketTypeIds: settings.ticketTypeIds ? [...new Set(settings.ticketTypeIds)].sort() : null,
        validFrom: settings.validFrom === null ? null : new Date(settings.validFrom),
        validUntil: settings.validUntil === null ? null : new Date(settings.validUntil),
        maxUses: settings.maxUses,
        maxPerOrder: settings.maxPerOrder,
        active: settings.active,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new ApiFailure('conflict', `event ${eventId} already has a voucher ${settings.code}`);
    return adminVoucher(row);
  });
}

export async function listVouchers(db: ServerDb, eventId: string): Promise<AdminVoucher[]> {
  const [event] = await db.select({ id: events.id }).from(events).where(eq(events.id, eventId));
  if (!event) throw new ApiFailure('not_found', `no event ${eventId}`);
  const rows = await db.select().from(vouchers).where(eq(vouchers.eventId, eventId)).orderBy(asc(vouchers.code));
  return rows.map(adminVoucher);
}

/** Changes a voucher's settings (the code stays); a limit below the uses already taken is a conflict.
 *  The row is locked, so a change waits for the orders redeeming it, or they see the change. */
export async function updateVoucher(
  db: ServerDb,
  eventId: string,
  voucherId: string,
  patch: Partial<Omit<VoucherSettings, 'code'>>,
  now: Date,
): Promise<AdminVoucher> {
  return writeTx(db, async (tx) => {
    const [current] = await tx
      .select()
      .from(vouchers)
      .where(and(eq(vouchers.id, voucherId), eq(vouchers.eventId, eventId)))
      .for('update');
    if (!current) throw new ApiFailure('not_found', `no voucher ${voucherId} in event ${eventId}`);
    if (patch.ticketTypeIds !== undefined) await checkTypes(tx, eventId, patch.ticketTypeIds);
    const next = {
      kind: patch.kind ?? current.kind,
      value: patch.value ?? current.value,
      validFrom: patch.validFrom === undefined ? current.validFrom : patch.validFrom === null ? null : new Date(patch.validFrom),
      validUntil: patch.validUntil === undefined ? current.validUntil : patch.validUntil === null ? null : new Date(patch.validUntil),
      maxUses: patch.maxUses === undefined ? current.maxUses : patch.maxUses,
      maxPerOrder: patch.maxPerOrder === undefined ? current.maxPerOrder : patch.maxPerOrder,
    };
    if (next.kind === 'percent' && next.value > 100) throw new ApiFailure('bad_request', 'value: a percentage is at most 100');
    if (next.validFrom && next.validUntil && next.validUntil <= next.validFrom) throw new ApiFailure('bad_request', 'validUntil: the validity must end after it begins');
    if (next.maxUses !== null && next.maxUses < current.used)
      throw new ApiFailure('conflict', `maxUses ${next.maxUses} is below the ${current.used} uses already taken`);
    const currency = next.kind === 'fixed' ? (current.currency ?? (await tx.select({ c: events.currency }).from(events).where(eq(events.id, eventId)))[0]!.c) : null;
    const [row] = await tx
      .update(vouchers)
      .set({
        ...next,
        currency,
        ...(patch.ticketTypeIds !== undefined ? { ticketTypeIds: patch.ticketTypeIds ? [...new Set(patch.ticketTypeIds)].sort() : null } : {}),
        ...(patch.active !== undefined ? { active: patch.active } : {}),
        updatedAt: now,
      })
      .where(eq(vouchers.id, voucherId))
      .returning();
    return adminVoucher(row!);
  });
}

/** The voucher of this code at the event, as a terminal asks for it: whether it applies now (by the
 *  server's clock; uses and the per-order limit are judged on a cart of one ticket) and what it takes
 *  off one ticket of each type it discounts. Nothing is redeemed. */
export async function previewVoucher(db: ServerDb, eventId: string, rawCode: string, now: Date): Promise<VoucherPreview> {
  const code = normalizeVoucherCode(rawCode);
  const none: VoucherPreview = { code: code ?? rawCode.slice(0, 40), problem: 'voucher_unknown', voucher: null, discounts: [], at: now.toISOString() };
  if (code === null) return none;
  const [row] = await db.select().from(vouchers).where(and(eq(vouchers.eventId, eventId), eq(vouchers.code, code)));
  if (!row || !row.active) return none;
  const v = voucherOf(row);
  const types = await db.select({ id: ticketTypes.id, priceMinor: ticketTypes.priceMinor }).from(ticketTypes).where(eq(ticketTypes.eventId, eventId)).orderBy(asc(ticketTypes.id));
  const discounts = types
    .filter((t) => v.ticketTypeIds === null || v.ticketTypeIds.includes(t.id))
    .map((t) => ({ ticketTypeId: t.id, unitDiscountMinor: unitDiscount(v, t.priceMinor) }));
  const problem = validityProblem(v, now) ?? (discounts.length === 0 ? 'voucher_not_applicable' : usesLeft(v) === 0 ? 'voucher_used_up' : null);
  const { code: _code, active: _active, ...rule } = v;
  return { code, problem, voucher: { ...rule, ticketTypeIds: rule.ticketTypeIds ? [...rule.ticketTypeIds] : null }, discounts, at: now.toISOString() };
}

/** The order's voucher, its row locked for the rest of the order's transaction (after the types and
 *  quotas: every writer takes that order). Unknown or switched off: voucher_unknown. */
export async function lockVoucher(tx: ServerTx, eventId: string, code: string): Promise<{ id: string; voucher: Voucher }> {
  const [row] = await tx
    .select()
    .from(vouchers)
    .where(and(eq(vouchers.eventId, eventId), eq(vouchers.code, code)))
    .for('update');
  if (!row || !row.active) throw new ApiFailure('voucher_unknown', `no voucher ${code} in event ${eventId}`);
  return { id: row.id, voucher: voucherOf(row) };
}

/** Takes `uses` of the locked voucher; the conditional update (and the table's check) refuses rather
 *  than over-redeems, whatever path got here. */
export async function redeemVoucher(tx: ServerTx, voucherId: string, uses: number, now: Date): Promise<void> {
  const [taken] = await tx
    .update(vouchers)
    .set({ used: sql`${vouchers.used} + ${uses}`, updatedAt: now })
    .where(and(eq(vouchers.id, voucherId), sql`(${vouchers.maxUses} is null or ${vouchers.used} + ${uses} <= ${vouchers.maxUses})`))
    .returning({ used: vouchers.used });
  if (!taken) throw new ApiFailure('voucher_used_up', `voucher ${voucherId}: fewer than ${uses} uses left`);
}
