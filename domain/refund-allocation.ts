// Owns how money paid back is spread over the parts of an order's payment: what each ticket was paid
// (its type's price less the voucher's discount on it), the parts an order was paid with (the sale's
// tenders, then what each exchange charged, each under a stable key), and which parts a refund goes
// back to. The rule: non-cash parts first, in the order they were taken, each back to its own kind and
// never more than it took less what earlier refunds already paid back to it; whatever is left goes to
// the cash parts the same way. A card-paid sale is thus never turned into cash (the usual anti-fraud
// rule), and a refund never pays a part back more than it took, across any number of partial refunds.
// Integer minor units throughout: the spread is greedy over whole amounts, so nothing is rounded.
import { z } from 'zod';
import { MAX_AMOUNT_MINOR } from './money';
import type { PricedLine } from './pricing';
import { TenderMethod, type PaymentMethod } from './tender';

const Amount = z.number().int().nonnegative().max(MAX_AMOUNT_MINOR);

/** One part of an order's payment, as refunds know it: a stable key (`<order or exchange id>:<index>`),
 *  its kind, and what it took. */
export const PaymentPart = z.object({ key: z.string().min(1).max(80), method: TenderMethod, amountMinor: Amount }).strict();
export type PaymentPart = z.infer<typeof PaymentPart>;

/** What one refund paid back to one part. */
export const PartPayout = PaymentPart;
export type PartPayout = PaymentPart;

/** A tender of a payment, in the order it was taken (domain/wire.ts OrderPayment). */
type Taken = { method: z.infer<typeof TenderMethod>; amountMinor: number };

/** The key of the `index`th tender of the payment `sourceId` (an order, or an exchange that charged). */
export const partKey = (sourceId: string, index: number): string => `${sourceId}:${index}`;

/** An order's or an exchange's tenders as parts: the list when there is one, else the one tender its
 *  method names (older terminals sent no list; a split without its list has no parts to name). */
export function partsOf(sourceId: string, method: PaymentMethod, amountMinor: number, list: readonly Taken[] | null | undefined): PaymentPart[] {
  const taken: Taken[] = list && list.length > 0 ? [...list] : method === 'split' || amountMinor === 0 ? [] : [{ method, amountMinor }];
  return taken.map((t, i) => ({ key: partKey(sourceId, i), method: t.method, amountMinor: t.amountMinor }));
}

/** What each part has left to pay back: what it took less every earlier payout to it. */
export function partsLeft(parts: readonly PaymentPart[], paidBack: readonly PartPayout[]): PaymentPart[] {
  const back = new Map<string, number>();
  for (const p of paidBack) back.set(p.key, (back.get(p.key) ?? 0) + p.amountMinor);
  return parts.map((p) => ({ ...p, amountMinor: Math.max(0, p.amountMinor - (back.get(p.key) ?? 0)) }));
}

export type Allocation =
  | { ok: true; payouts: PartPayout[] }
  /** Not a whole non-negative amount. */
  | { ok: false; reason: 'bad_amount' }
  /** More than the parts have left: at most `mostMinor`. */
  | { ok: false; reason: 'too_large'; mostMinor: number };

/**
 * Where `amountMinor` goes back, by the rule above: the payouts (parts with nothing from this refund
 * left out), non-cash first in the order taken, then cash.
 */
export function allocateRefund(parts: readonly PaymentPart[], paidBack: readonly PartPayout[], amountMinor: number): Allocation {
  if (!Number.isSafeInteger(amountMinor) || amountMinor < 0 || amountMinor > MAX_AMOUNT_MINOR) return { ok: false, reason: 'bad_amount' };
  const left = partsLeft(parts, paidBack);
  const most = left.reduce((n, p) => n + p.amountMinor, 0);
  if (amountMinor > most) return { ok: false, reason: 'too_large', mostMinor: most };
  const ordered = [...left.filter((p) => p.method !== 'cash'), ...left.filter((p) => p.method === 'cash')];
  const payouts: PartPayout[] = [];
  let rest = amountMinor;
  for (const p of ordered) {
    if (rest === 0) break;
    const take = Math.min(rest, p.amountMinor);
    if (take > 0) payouts.push({ key: p.key, method: p.method, amountMinor: take });
    rest -= take;
  }
  return { ok: true, payouts };
}

/** What each ticket of a priced line was paid: its price less the voucher's discount on one ticket.
 *  The tickets of a priced cart, so paid, add up to the cart's total. */
export const paidPerTicket = (line: Pick<PricedLine, 'unitMinor' | 'unitDiscountMinor'>): number => line.unitMinor - (line.unitDiscountMinor ?? 0);
