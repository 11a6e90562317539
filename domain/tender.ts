// Owns how a customer pays: the payment methods Admit knows (one list, also behind the databases'
// checks), what a payment of each method carries (a tender, one zod union), and the change due when a
// tender meets a total. An order records one method, or `split` when several tenders paid it (the
// parts then listed by method and amount, domain/split-tender.ts).
import { z } from 'zod';
import { isAmountMinor, MAX_AMOUNT_MINOR, MAX_TENDERED_MINOR } from './money';

/**
 * The kinds of tender: cash with change; `card_manual`, a card charged on a stand-alone terminal whose
 * approval the cashier confirms by keying its approval code; `card_terminal`, a card charged on a
 * terminal integrated with the box office; QR-code payment through Alipay, WeChat Pay or SBP. `card`
 * is the card payment of earlier versions, kept so their orders stay valid.
 */
export const TENDER_METHODS = ['cash', 'card', 'card_manual', 'card_terminal', 'qr_alipay', 'qr_wechat', 'qr_sbp'] as const;
export const TenderMethod = z.enum(TENDER_METHODS);
export type TenderMethod = z.infer<typeof TenderMethod>;

/** What an order records as its payment: one tender's method, or `split` across several. */
export const PAYMENT_METHODS = [...TENDER_METHODS, 'split'] as const;
export const PaymentMethod = z.enum(PAYMENT_METHODS);
export type PaymentMethod = z.infer<typeof PaymentMethod>;

export const QR_METHODS = ['qr_alipay', 'qr_wechat', 'qr_sbp'] as const satisfies readonly TenderMethod[];
export type QrMethod = (typeof QR_METHODS)[number];

/** A non-cash tender's amount: what that payment charges of the total; absent, the whole of what is
 *  due (a single-tender sale). */
const chargedMinor = z.number().int().positive().max(MAX_AMOUNT_MINOR).optional();

/** Cash: what the customer handed over; the difference to what is left to pay is given back. */
export const CashTender = z
  .object({ method: z.literal(TenderMethod.enum.cash), tenderedMinor: z.number().int().nonnegative().max(MAX_TENDERED_MINOR) })
  .strict();
export type CashTender = z.infer<typeof CashTender>;
/** Card (earlier versions): the payment terminal charges exactly the total; nothing is given back. */
export const CardTender = z.object({ method: z.literal(TenderMethod.enum.card), amountMinor: chargedMinor }).strict();
export type CardTender = z.infer<typeof CardTender>;
/** A stand-alone card terminal's approval code as the cashier keys it: 4–12 letters or digits. */
export const ApprovalCode = z.string().regex(/^[A-Za-z0-9]{4,12}$/);
/** Card on a stand-alone terminal: the cashier saw it approved and keys its approval code. */
export const CardManualTender = z
  .object({ method: z.literal(TenderMethod.enum.card_manual), amountMinor: chargedMinor, approvalCode: ApprovalCode })
  .strict();
export type CardManualTender = z.infer<typeof CardManualTender>;
/** Card on the integrated terminal: it charges the amount itself. */
export const CardTerminalTender = z.object({ method: z.literal(TenderMethod.enum.card_terminal), amountMinor: chargedMinor }).strict();
export type CardTerminalTender = z.infer<typeof CardTerminalTender>;
const qrTender = <M extends QrMethod>(method: M) => z.object({ method: z.literal(method), amountMinor: chargedMinor }).strict();
export const AlipayTender = qrTender('qr_alipay');
export const WechatTender = qrTender('qr_wechat');
export const SbpTender = qrTender('qr_sbp');

export const Tender = z.discriminatedUnion('method', [CashTender, CardTender, CardManualTender, CardTerminalTender, AlipayTender, WechatTender, SbpTender]);
export type Tender = z.infer<typeof Tender>;
export type NonCashTender = Exclude<Tender, CashTender>;

// Every tender method has exactly one kind of tender (a method added to the list without one fails here).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _everyMethodHasATender: Same<Tender['method'], TenderMethod> = true;

export type TenderOutcome =
  /** The payment covers the total: what was taken and what is given back. */
  | { ok: true; method: TenderMethod; tenderedMinor: number; changeMinor: number }
  /** Less cash than the total, or a non-cash amount that is not the total: how much is missing. */
  | { ok: false; reason: 'insufficient'; shortMinor: number }
  /** The total or the tendered amount is not a chargeable amount (negative, fractional, too large). */
  | { ok: false; reason: 'bad_amount' };

/** The change due when `tender` alone pays `totalMinor` (integer minor units of the cart's currency). */
export function changeFor(tender: Tender, totalMinor: number): TenderOutcome {
  if (!isAmountMinor(totalMinor)) return { ok: false, reason: 'bad_amount' };
  if (tender.method === 'cash') {
    const tendered = tender.tenderedMinor;
    if (!Number.isSafeInteger(tendered) || tendered < 0 || tendered > MAX_TENDERED_MINOR) return { ok: false, reason: 'bad_amount' };
    if (tendered < totalMinor) return { ok: false, reason: 'insufficient', shortMinor: totalMinor - tendered };
    return { ok: true, method: tender.method, tenderedMinor: tendered, changeMinor: tendered - totalMinor };
  }
  const amount = tender.amountMinor ?? totalMinor;
  if (!isAmountMinor(amount)) return { ok: false, reason: 'bad_amount' };
  // A card or QR payment charges exactly what it is asked: never more than is due, never change.
  if (amount > totalMinor) return { ok: false, reason: 'bad_amount' };
  if (amount < totalMinor) return { ok: false, reason: 'insufficient', shortMinor: totalMinor - amount };
  return { ok: true, method: tender.method, tenderedMinor: amount, changeMinor: 0 };
}
