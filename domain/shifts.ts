// Owns a box-office shift's arithmetic and report shape, shared by the terminal that keeps the shift,
// the outbox record that carries its reports and the server that stores them: the cash a drawer should
// hold (float, cash taken less change given, cash refunds, cash put in and taken out), the variance of
// the counted cash against it, and the totals an X or Z report shows — by payment kind, refunds, voids
// and operator. Amounts are integer minor units of the shift's currency.
import { z } from 'zod';
import { Currency } from './money';

/** X: a report of the open shift, which goes on; Z: the report that closes it, with the counted cash. */
export const SHIFT_REPORT_KINDS = ['x', 'z'] as const;
export const ShiftReportKind = z.enum(SHIFT_REPORT_KINDS);
export type ShiftReportKind = z.infer<typeof ShiftReportKind>;

/** Cash put into the drawer (change from the safe) or taken out of it (to the safe, a payout). */
export const CASH_MOVEMENT_KINDS = ['in', 'out'] as const;
export const CashMovementKind = z.enum(CASH_MOVEMENT_KINDS);
export type CashMovementKind = z.infer<typeof CashMovementKind>;

/** The largest single amount a cashier enters for a shift (a float, a cash movement, a count). */
export const MAX_SHIFT_AMOUNT_MINOR = 100_000_000;

/** A shift's sum may outgrow one order's limit; it stays an exact integer. */
const Sum = z.number().int().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER);
const Count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

const Tally = z.object({ count: Count, amountMinor: Sum }).strict();
export type Tally = z.infer<typeof Tally>;

/** A payment kind as a report names it: one of PAYMENT_METHODS when the report was made. Kept as a
 *  code rather than the enum, so a report of a terminal that knows a newer kind is still read. */
export const ReportedPaymentMethod = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/);

export const ShiftMethodTotals = z
  .object({ method: ReportedPaymentMethod, sales: Tally, refunds: Tally })
  .strict();
export type ShiftMethodTotals = z.infer<typeof ShiftMethodTotals>;

export const ShiftOperatorTotals = z
  .object({ operatorId: z.string().min(1).max(100), sales: Tally, refunds: Tally, voids: Tally })
  .strict();
export type ShiftOperatorTotals = z.infer<typeof ShiftOperatorTotals>;

/** What an X or Z report says of a shift. */
export const ShiftTotals = z
  .object({
    currency: Currency,
    floatMinor: Sum,
    sales: Tally,
    refunds: Tally,
    /** Payments taken back before a sale was made (the server refused the order; the money went back). */
    voids: Tally,
    cashIn: Tally,
    cashOut: Tally,
    /** Cash handed over for cash sales, and the change given back. */
    cashTenderedMinor: Sum,
    cashChangeMinor: Sum,
    cashRefundsMinor: Sum,
    /** float + cash tendered − change − cash refunds + cash in − cash out. */
    expectedCashMinor: Sum,
    byMethod: z.array(ShiftMethodTotals).max(50),
    byOperator: z.array(ShiftOperatorTotals).max(500),
  })
  .strict();
export type ShiftTotals = z.infer<typeof ShiftTotals>;

/** The cash a drawer should hold. */
export function expectedCash(t: {
  floatMinor: number;
  cashTenderedMinor: number;
  cashChangeMinor: number;
  cashRefundsMinor: number;
  cashInMinor: number;
  cashOutMinor: number;
}): number {
  return t.floatMinor + t.cashTenderedMinor - t.cashChangeMinor - t.cashRefundsMinor + t.cashInMinor - t.cashOutMinor;
}

/** Counted less expected: negative when cash is missing, positive when there is more than there should be. */
export const cashVariance = (countedMinor: number, expectedCashMinor: number): number => countedMinor - expectedCashMinor;
