// Owns how a customer pays: the payment methods Admit knows (one list, also behind the databases'
// checks), what a payment of each method carries (a tender, one zod union), and the change due when a
// tender meets a total.
import { z } from 'zod';
import { isAmountMinor, MAX_TENDERED_MINOR } from './money';

export const PAYMENT_METHODS = ['cash', 'card'] as const;
export const PaymentMethod = z.enum(PAYMENT_METHODS);
export type PaymentMethod = z.infer<typeof PaymentMethod>;

/** Cash: what the customer handed over; the difference to the total is given back. */
export const CashTender = z
  .object({ method: z.literal(PaymentMethod.enum.cash), tenderedMinor: z.number().int().nonnegative().max(MAX_TENDERED_MINOR) })
  .strict();
export type CashTender = z.infer<typeof CashTender>;
/** Card: the payment terminal charges exactly the total; nothing is given back. */
export const CardTender = z.object({ method: z.literal(PaymentMethod.enum.card) }).strict();
export type CardTender = z.infer<typeof CardTender>;

export const Tender = z.discriminatedUnion('method', [CashTender, CardTender]);
export type Tender = z.infer<typeof Tender>;

// Every payment method has exactly one kind of tender (a method added to the list without one fails here).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _everyMethodHasATender: Same<Tender['method'], PaymentMethod> = true;

export type TenderOutcome =
  /** The payment covers the total: what was taken and what is given back. */
  | { ok: true; method: PaymentMethod; tenderedMinor: number; changeMinor: number }
  /** Less cash than the total: how much is missing. */
  | { ok: false; reason: 'insufficient'; shortMinor: number }
  /** The total or the tendered amount is not a chargeable amount (negative, fractional, too large). */
  | { ok: false; reason: 'bad_amount' };

/** The change due when `tender` pays `totalMinor` (integer minor units of the cart's currency). */
export function changeFor(tender: Tender, totalMinor: number): TenderOutcome {
  if (!isAmountMinor(totalMinor)) return { ok: false, reason: 'bad_amount' };
  switch (tender.method) {
    case 'cash': {
      const tendered = tender.tenderedMinor;
      if (!Number.isSafeInteger(tendered) || tendered < 0 || tendered > MAX_TENDERED_MINOR)
        return { ok: false, reason: 'bad_amount' };
      if (tendered < totalMinor) return { ok: false, reason: 'insufficient', shortMinor: totalMinor - tendered };
      return { ok: true, method: tender.method, tenderedMinor: tendered, changeMinor: tendered - totalMinor };
    }
    case 'card':
      return { ok: true, method: tender.method, tenderedMinor: totalMinor, changeMinor: 0 };
  }
}
