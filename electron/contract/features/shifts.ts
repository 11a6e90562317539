// Owns the shifts slice of the contract: a cashier's shift at this terminal's drawer — opened with a
// float, cash put in or taken out with a reason, an X report at any time, the Z report that closes it
// with the counted cash and its variance (both printed on the receipt printer and sent to the server) —
// and the reprint of a ticket or receipt with a reason, counted and marked on the copy. Money in
// integer minor units of the event's currency.
import { z } from 'zod';
import { Currency } from '../../../domain/money';
import { CashMovementKind, MAX_SHIFT_AMOUNT_MINOR, ShiftReportKind, ShiftTotals } from '../../../domain/shifts';
import { call, Empty } from '../spec';
import { PrintOutcome } from './devices';

export { ShiftTotals };

const Amount = z.number().int().nonnegative().max(MAX_SHIFT_AMOUNT_MINOR);

export const Shift = z.object({
  id: z.string().uuid(),
  currency: Currency,
  floatMinor: z.number().int(),
  openedAt: z.string(),
  openedBy: z.string(),
  /** The operator's name as this terminal knows it (null: one it no longer knows). */
  openedByName: z.string().nullable(),
  closedAt: z.string().nullable(),
  closedBy: z.string().nullable(),
});
export type Shift = z.infer<typeof Shift>;

/** An X or Z report as it was printed and sent to the server. */
export const ShiftReport = z.object({
  /** The report's own id (the server keeps each once). */
  reportId: z.string().uuid(),
  kind: ShiftReportKind,
  at: z.string(),
  shift: Shift,
  totals: ShiftTotals,
  /** Z only: the cash counted and counted − expected (negative: cash is missing). */
  countedMinor: z.number().int().nullable(),
  varianceMinor: z.number().int().nullable(),
  print: PrintOutcome,
});
export type ShiftReport = z.infer<typeof ShiftReport>;

/** Why a copy is printed again; `other` needs a note. */
export const REPRINT_REASONS = ['printer_fault', 'paper_jam', 'damaged', 'lost_by_customer', 'other'] as const;
export const ReprintReason = z.enum(REPRINT_REASONS);
export type ReprintReason = z.infer<typeof ReprintReason>;

export const shiftsCalls = {
  /** The shift open at this terminal's drawer (null: none). */
  'boxOffice.shift.current': call({
    input: Empty,
    output: z.object({ shift: Shift.nullable() }),
    roles: ['cashier', 'manager'],
  }),
  /** Opens a shift with the float counted into the drawer. Refused: shift_already_open, not_paired
   *  (no event synced: no currency). */
  'boxOffice.shift.open': call({
    input: z.object({ floatMinor: Amount }).strict(),
    output: Shift,
    roles: ['cashier', 'manager'],
  }),
  /** Cash put into the drawer or taken out of it, with the reason. Refused: no_open_shift or
   *  shift_closed; cash_out_exceeds_drawer (more out than the drawer should hold). */
  'boxOffice.shift.cash': call({
    input: z
      .object({ kind: CashMovementKind, amountMinor: Amount.min(1), reason: z.string().trim().min(1).max(200) })
      .strict(),
    output: z.object({ movementId: z.string().uuid(), shift: Shift, expectedCashMinor: z.number().int() }),
    roles: ['cashier', 'manager'],
  }),
  /** The open shift's report so far, printed; the shift goes on. Refused: no_open_shift, shift_closed. */
  'boxOffice.shift.x': call({
    input: Empty,
    output: ShiftReport,
    roles: ['cashier', 'manager'],
  }),
  /** Closes the open shift with the cash counted: the Z report, printed. No sale until a shift opens
   *  again. Refused: no_open_shift, shift_closed. */
  'boxOffice.shift.close': call({
    input: z.object({ countedMinor: Amount }).strict(),
    output: ShiftReport,
    roles: ['cashier', 'manager'],
  }),
  /** Prints a sold order's receipt, or its tickets (one, or all without ticketId), again, marked
   *  "REPRINT n". Refused: not_found (no such order or ticket of it on this terminal), invalid_input
   *  (other without a note). */
  'boxOffice.reprint': call({
    input: z
      .object({
        orderId: z.string().uuid(),
        what: z.enum(['ticket', 'receipt']),
        ticketId: z.string().uuid().optional(),
        reason: ReprintReason,
        note: z.string().trim().max(200).optional(),
      })
      .strict(),
    output: z.object({
      copies: z.array(z.object({ what: z.enum(['ticket', 'receipt']), ticketId: z.string().uuid().nullable(), copy: z.number().int().min(1) })),
      print: PrintOutcome,
    }),
    roles: ['cashier', 'manager'],
  }),
} as const;

export const shiftsEvents = {} as const;
