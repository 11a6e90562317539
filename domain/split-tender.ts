// Owns a sale paid by several tenders (card 3000 + cash 2000 given 5000): how much each part charges,
// and the change. Non-cash parts charge exactly their amount and together never more than is due; at
// most one cash part covers the rest, and change comes only from cash. Integer minor units throughout;
// an amount beyond what Admit charges or takes as cash is refused, never rounded or wrapped.
import { isAmountMinor, MAX_TENDERED_MINOR } from './money';
import type { NonCashTender, Tender, TenderMethod } from './tender';

/** What one tender of a split takes: `amountMinor` counts toward the total (cash: what it keeps). */
export type TenderPart = { tender: Tender; method: TenderMethod; amountMinor: number };

export type SplitOutcome =
  | {
      ok: true;
      /** In the order given; a part of 0 (cash exactly covered by cards) is left out. */
      parts: TenderPart[];
      /** What the customer handed over in cash (0: none). */
      tenderedCashMinor: number;
      changeMinor: number;
    }
  /** The tenders together leave `shortMinor` unpaid. */
  | { ok: false; reason: 'insufficient'; shortMinor: number }
  /** Not a chargeable amount, more non-cash than is due, a non-cash part without its amount in a
   *  split, two cash parts, or no tender at all. */
  | { ok: false; reason: 'bad_amount' | 'over_charged' | 'amount_required' | 'one_cash' | 'no_tender' };

/** How `tenders` pay `totalMinor`. A single non-cash tender without an amount charges the whole total. */
export function splitTender(tenders: readonly Tender[], totalMinor: number): SplitOutcome {
  if (!isAmountMinor(totalMinor)) return { ok: false, reason: 'bad_amount' };
  if (tenders.length === 0) return { ok: false, reason: 'no_tender' };
  const cash = tenders.filter((t) => t.method === 'cash');
  if (cash.length > 1) return { ok: false, reason: 'one_cash' };
  const others = tenders.filter((t): t is NonCashTender => t.method !== 'cash');

  let nonCash = 0;
  for (const t of others) {
    if (t.amountMinor === undefined && tenders.length > 1) return { ok: false, reason: 'amount_required' };
    const amount = t.amountMinor ?? totalMinor;
    if (!isAmountMinor(amount) || amount === 0) return { ok: false, reason: 'bad_amount' };
    nonCash += amount;
    // Each step stays within safe integers: both terms are at most MAX_AMOUNT_MINOR.
    if (nonCash > totalMinor) return { ok: false, reason: 'over_charged' };
  }
  const due = totalMinor - nonCash;
  const tendered = cash[0]?.method === 'cash' ? cash[0].tenderedMinor : 0;
  if (!Number.isSafeInteger(tendered) || tendered < 0 || tendered > MAX_TENDERED_MINOR) return { ok: false, reason: 'bad_amount' };
  if (tendered < due) return { ok: false, reason: 'insufficient', shortMinor: due - tendered };

  const parts: TenderPart[] = [];
  for (const t of tenders) {
    if (t.method === 'cash') {
      if (due > 0) parts.push({ tender: t, method: 'cash', amountMinor: due });
    } else parts.push({ tender: t, method: t.method, amountMinor: t.amountMinor ?? totalMinor });
  }
  // A total of 0 paid in cash still records the cash tender.
  if (parts.length === 0 && cash[0]) parts.push({ tender: cash[0], method: 'cash', amountMinor: 0 });
  return { ok: true, parts, tenderedCashMinor: tendered, changeMinor: tendered - due };
}
