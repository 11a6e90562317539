// Owns the price of a cart: the one function the box-office screen (to show the total), the terminal's
// core (before it takes the money) and the server (which records the order) all price with, so the three
// never disagree on a total. Every amount is integer minor units; a cart is in exactly one currency.
// A voucher (vouchers.ts) is applied here too: per ticket, each discount rounded half up to a whole minor
// unit and never more than the ticket's price, so neither a line nor the total goes below zero.
import { MAX_AMOUNT_MINOR } from './money';
import { appliesTo, unitDiscount, type Voucher, voucherProblem, type VoucherProblem } from './vouchers';

/** A line of a cart: so many tickets of one type. The same type may appear on several lines. */
export type CartLine = { ticketTypeId: string; quantity: number };
/** What pricing needs to know of a ticket type. */
export type TicketPrice = { id: string; priceMinor: number; currency: string };
export type PricedLine = {
  ticketTypeId: string;
  quantity: number;
  unitMinor: number;
  /** What the line costs, its discount taken off. */
  totalMinor: number;
  /** With a voucher: what it takes off one ticket of the line, and off the whole line. */
  unitDiscountMinor?: number;
  discountMinor?: number;
};
export type PricedCart = {
  lines: PricedLine[];
  /** What the cart costs, the discount taken off. */
  totalMinor: number;
  currency: string;
  /** With a voucher: the cart before the discount, the discount, and the voucher's code. */
  subtotalMinor?: number;
  discountMinor?: number;
  voucherCode?: string;
  /** With a voucher: the tickets it discounts (its uses). */
  voucherUses?: number;
};
/** A voucher to apply, and the instant its validity is judged at (the server's clock). */
export type VoucherToApply = { voucher: Voucher; at: Date };

export type PricingProblem =
  /** No lines and no currency to state a zero total in. */
  | 'empty_cart'
  /** A quantity that is not a whole number of at least one. */
  | 'bad_quantity'
  /** A line names a ticket type that is not on offer. */
  | 'unknown_ticket_type'
  /** A ticket type whose price is not a whole, non-negative number of minor units. */
  | 'bad_price'
  /** A ticket type priced in another currency than the cart. */
  | 'mixed_currency'
  /** A line or the total beyond MAX_AMOUNT_MINOR. */
  | 'overflow'
  /** The voucher does not apply to this cart (vouchers.ts says why). */
  | VoucherProblem;

export type Pricing = ({ ok: true } & PricedCart) | { ok: false; reason: PricingProblem; ticketTypeId?: string };

/**
 * Prices `lines` with the ticket types on offer. `currency` is the currency the cart must be in (the
 * event's); without it the first line's type sets it. Answers with the first problem found, naming the
 * ticket type concerned, rather than a partial price.
 */
export function priceCart(lines: readonly CartLine[], ticketTypes: readonly TicketPrice[], currency?: string, voucher?: VoucherToApply): Pricing {
  const byId = new Map(ticketTypes.map((t) => [t.id, t]));
  let cartCurrency = currency ?? null;
  const priced: PricedLine[] = [];
  let totalMinor = 0;
  for (const { ticketTypeId, quantity } of lines) {
    const fail = (reason: PricingProblem): Pricing => ({ ok: false, reason, ticketTypeId });
    if (!Number.isSafeInteger(quantity) || quantity < 1) return fail('bad_quantity');
    const type = byId.get(ticketTypeId);
    if (!type) return fail('unknown_ticket_type');
    if (!Number.isSafeInteger(type.priceMinor) || type.priceMinor < 0) return fail('bad_price');
    cartCurrency ??= type.currency;
    if (type.currency !== cartCurrency) return fail('mixed_currency');
    const lineMinor = type.priceMinor * quantity;
    if (lineMinor > MAX_AMOUNT_MINOR) return fail('overflow');
    totalMinor += lineMinor;
    if (totalMinor > MAX_AMOUNT_MINOR) return fail('overflow');
    priced.push({ ticketTypeId, quantity, unitMinor: type.priceMinor, totalMinor: lineMinor });
  }
  if (cartCurrency === null) return { ok: false, reason: 'empty_cart' };
  if (!voucher) return { ok: true, lines: priced, totalMinor, currency: cartCurrency };
  return applyVoucher({ lines: priced, totalMinor, currency: cartCurrency }, voucher);
}

/** The priced cart with the voucher's discount on every ticket it applies to, or why it does not apply
 *  (the whole cart or nothing: a voucher is never applied to part of what it would discount). */
function applyVoucher(cart: PricedCart, { voucher, at }: VoucherToApply): Pricing {
  const uses = cart.lines.filter((l) => appliesTo(voucher, l.ticketTypeId)).reduce((n, l) => n + l.quantity, 0);
  const problem = voucherProblem(voucher, at, uses, cart.currency);
  if (problem) return { ok: false, reason: problem };
  let discountMinor = 0;
  const lines = cart.lines.map((l) => {
    const unitDiscountMinor = appliesTo(voucher, l.ticketTypeId) ? unitDiscount(voucher, l.unitMinor) : 0;
    const lineDiscount = unitDiscountMinor * l.quantity;
    discountMinor += lineDiscount;
    return { ...l, totalMinor: l.totalMinor - lineDiscount, unitDiscountMinor, discountMinor: lineDiscount };
  });
  return {
    ok: true,
    lines,
    subtotalMinor: cart.totalMinor,
    discountMinor,
    totalMinor: cart.totalMinor - discountMinor,
    currency: cart.currency,
    voucherCode: voucher.code,
    voucherUses: uses,
  };
}
