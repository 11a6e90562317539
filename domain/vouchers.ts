// Owns what a voucher (promo code) is and what it takes off a ticket: a percentage or a fixed amount off
// each ticket of the types it names (or of every type), valid between two instants, with a limit of
// uses in total and per order, where one use is one discounted ticket. Pure: the price function
// (pricing.ts) applies it, the server decides under a row lock whether the uses are still there, and
// the terminal previews it with the same rules.
import { z } from 'zod';
import { MAX_AMOUNT_MINOR } from './money';

export const VOUCHER_KINDS = ['percent', 'fixed'] as const;
export type VoucherKind = (typeof VOUCHER_KINDS)[number];

/** Why a voucher does not apply; each is an error code of the server and of the terminal. */
export const VOUCHER_PROBLEMS = [
  /** No voucher of this code for the event (or switched off). */
  'voucher_unknown',
  /** Its validity ended. */
  'voucher_expired',
  /** Its validity has not begun. */
  'voucher_not_yet_valid',
  /** Fewer uses left than the order's tickets it would discount. */
  'voucher_used_up',
  /** None of the order's ticket types is one it applies to. */
  'voucher_not_applicable',
  /** The order has more tickets it would discount than it allows in one order. */
  'voucher_over_order_limit',
] as const;
export type VoucherProblem = (typeof VOUCHER_PROBLEMS)[number];

/** Codes are typed and scanned: letters, digits, dash and underscore; compared case-insensitively. */
export const VOUCHER_CODE_PATTERN = /^[A-Z0-9][A-Z0-9_-]{2,39}$/;

/** The code as stored and compared: trimmed, full-width forms folded, upper case. Null when it cannot be
 *  a code at all (so a scan of something else is voucher_unknown, never a lookup of junk). */
export function normalizeVoucherCode(raw: string): string | null {
  const code = raw.normalize('NFKC').trim().toUpperCase();
  return VOUCHER_CODE_PATTERN.test(code) ? code : null;
}

/** A code as a request carries it: normalized, or refused by the schema. */
export const VoucherCode = z
  .string()
  .max(80)
  .transform((raw, ctx) => {
    const code = normalizeVoucherCode(raw);
    if (code === null) {
      ctx.addIssue({ code: 'custom', message: 'a voucher code is 3 to 40 letters, digits, - or _' });
      return z.NEVER;
    }
    return code;
  });

/** A voucher as pricing and its checks need it. Instants are ISO strings (UTC). */
export type Voucher = {
  code: string;
  kind: VoucherKind;
  /** percent: whole percent off each ticket (1–100); fixed: minor units off each ticket, in `currency`. */
  value: number;
  /** The currency of a fixed amount (the event's); null for percent. */
  currency: string | null;
  /** The ticket types it discounts; null: every type of the event. */
  ticketTypeIds: readonly string[] | null;
  validFrom: string | null;
  validUntil: string | null;
  /** Discounted tickets it allows in total; null: no limit. */
  maxUses: number | null;
  /** Discounted tickets so far. */
  used: number;
  /** Discounted tickets it allows in one order; null: no limit. */
  maxPerOrder: number | null;
  active: boolean;
};

/** The organizer's settings of a voucher, as the admin API takes them (the code normalized). */
export const VoucherSettings = z
  .object({
    code: VoucherCode,
    kind: z.enum(VOUCHER_KINDS),
    value: z.number().int().min(1).max(MAX_AMOUNT_MINOR),
    ticketTypeIds: z.array(z.string().uuid()).min(1).max(200).nullable().default(null),
    validFrom: z.string().datetime({ offset: true }).nullable().default(null),
    validUntil: z.string().datetime({ offset: true }).nullable().default(null),
    maxUses: z.number().int().min(1).max(10_000_000).nullable().default(null),
    maxPerOrder: z.number().int().min(1).max(1000).nullable().default(null),
    active: z.boolean().default(true),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.kind === 'percent' && v.value > 100) ctx.addIssue({ code: 'custom', path: ['value'], message: 'a percentage is at most 100' });
    if (v.validFrom && v.validUntil && Date.parse(v.validUntil) <= Date.parse(v.validFrom))
      ctx.addIssue({ code: 'custom', path: ['validUntil'], message: 'the validity must end after it begins' });
  });
export type VoucherSettings = z.infer<typeof VoucherSettings>;

/** Whether the voucher applies to tickets of this type. */
export const appliesTo = (v: Pick<Voucher, 'ticketTypeIds'>, ticketTypeId: string): boolean =>
  v.ticketTypeIds === null || v.ticketTypeIds.includes(ticketTypeId);

/**
 * What the voucher takes off one ticket of this price: a percentage rounded half up to a whole minor
 * unit (so 15 % of 999 is 150), or the fixed amount; never more than the ticket's price, so no ticket
 * costs less than zero.
 */
export function unitDiscount(v: Pick<Voucher, 'kind' | 'value'>, unitMinor: number): number {
  const off = v.kind === 'percent' ? Math.floor((unitMinor * v.value * 2 + 100) / 200) : v.value;
  return Math.max(0, Math.min(unitMinor, off));
}

/** Whether the voucher's validity holds at `at`. */
export function validityProblem(v: Pick<Voucher, 'validFrom' | 'validUntil' | 'active'>, at: Date): VoucherProblem | null {
  if (!v.active) return 'voucher_unknown';
  if (v.validFrom !== null && at.getTime() < Date.parse(v.validFrom)) return 'voucher_not_yet_valid';
  if (v.validUntil !== null && at.getTime() >= Date.parse(v.validUntil)) return 'voucher_expired';
  return null;
}

/**
 * Why the voucher cannot discount `tickets` of the order's tickets it applies to at `at` (null: it can),
 * in the order a cashier would want to hear it: validity, applicability, the per-order limit, then the
 * uses left. A fixed amount in another currency than the cart is not applicable.
 */
export function voucherProblem(v: Voucher, at: Date, tickets: number, currency?: string): VoucherProblem | null {
  const invalid = validityProblem(v, at);
  if (invalid) return invalid;
  if (tickets === 0 || (v.kind === 'fixed' && currency !== undefined && v.currency !== currency)) return 'voucher_not_applicable';
  if (v.maxPerOrder !== null && tickets > v.maxPerOrder) return 'voucher_over_order_limit';
  if (v.maxUses !== null && v.used + tickets > v.maxUses) return 'voucher_used_up';
  return null;
}

/** Uses left; null: no limit. */
export const usesLeft = (v: Pick<Voucher, 'maxUses' | 'used'>): number | null => (v.maxUses === null ? null : Math.max(0, v.maxUses - v.used));
