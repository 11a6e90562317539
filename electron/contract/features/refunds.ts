// Owns the refunds slice of the contract: finding an order at the box office (by its code or a scan of
// one of its tickets) with what each ticket's policy allows now, a refund (all or part, back to the
// order's payment kind) and an exchange into another ticket type. Online only (the server decides);
// what the policy keeps for a manager carries the manager's approval (id and PIN). Money in integer
// minor units of the order's currency; a split payment is paid back part by part.
import { z } from 'zod';
import { ManagerApproval, OrderView, RefundRow } from '../../../domain/refund-wire';
import { PaymentMethod, Tender, TenderMethod } from '../../../domain/tender';
import { Localized } from '../domain';
import { call } from '../spec';
import { PrintOutcome } from './devices';

export { OrderView, RefundRow, ManagerApproval };
export { POLICY_ACTORS, type PolicyActor, type PolicyRule, type RefundPolicy } from '../../../domain/refund-policy';

/** One part of a payout: back to one part of the order's payment, through its own kind. `unsettled`: a
 *  crash interrupted it after its port was asked; whether it was paid is for the cashier to check (it
 *  is never paid twice). */
export const PayoutPart = z.object({
  method: TenderMethod,
  amountMinor: z.number().int().nonnegative(),
  state: z.enum(['paid', 'failed', 'unsettled']),
});
export type PayoutPart = z.infer<typeof PayoutPart>;

/** Money handed back through the order's payment parts: paid (every part), or a part failed (the
 *  refund stands at the server; the cashier pays that part back by hand and the audit trail says so). */
export const Payout = z.object({
  method: PaymentMethod,
  amountMinor: z.number().int().nonnegative(),
  currency: z.string(),
  state: z.enum(['paid', 'failed', 'none']),
  /** Part by part (domain/refund-allocation.ts: non-cash parts first, then cash). */
  parts: z.array(PayoutPart),
});
export type Payout = z.infer<typeof Payout>;

const TicketIds = z.array(z.string().uuid()).min(1).max(50);

export const refundsCalls = {
  /** The order a code names (its order code, or a ticket's code): tickets, payments and what each
   *  ticket's policy allows now. Refused: offline, not_found. */
  'boxOffice.findOrder': call({
    input: z.object({ code: z.string().trim().min(1).max(512) }).strict(),
    output: OrderView,
    roles: ['cashier', 'manager'],
  }),
  /** Refunds tickets of an order: revoked at once, seats back on sale, the money back to the order's
   *  payment parts, each through its own kind (non-cash first, then cash; `payout.parts`), a refund
   *  receipt printed listing each part. `amountMinor` below the tickets' worth after the fee: a
   *  partial refund. `refundId`: made once by the screen and re-sent on a retry (never two refunds).
   *  Refused: offline, refund_not_allowed, refund_window_closed, refund_too_large, approval_required,
   *  bad_pin / login_delayed / operator_locked (the manager's PIN), forbidden, not_found. */
  'boxOffice.refund': call({
    input: z
      .object({
        orderId: z.string().uuid(),
        ticketIds: TicketIds,
        amountMinor: z.number().int().nonnegative().max(2_147_483_647).optional(),
        reason: z.string().trim().min(1).max(500),
        approval: ManagerApproval.optional(),
        refundId: z.string().uuid().optional(),
      })
      .strict(),
    output: z.object({ refund: RefundRow, view: OrderView, payout: Payout, print: PrintOutcome }),
    roles: ['cashier', 'manager'],
  }),
  /** Exchanges tickets of an order for as many of another type (another session) of its event: the
   *  old codes revoked, new tickets printed; a dearer type is paid by any tender (`payment`) or a split
   *  of several (`payments`, like a sale's), a cheaper one pays the difference back to the order's
   *  payment parts like a refund. Refused like a refund, plus exchange_not_allowed, sold_out,
   *  payment_insufficient, payment_declined, payment_timeout, payment_failed. */
  'boxOffice.exchange': call({
    input: z
      .object({
        orderId: z.string().uuid(),
        ticketIds: TicketIds,
        newTicketTypeId: z.string().uuid(),
        reason: z.string().trim().min(1).max(500),
        approval: ManagerApproval.optional(),
        payment: Tender.optional(),
        payments: z.array(Tender).min(1).max(8).optional(),
        exchangeId: z.string().uuid().optional(),
      })
      .strict(),
    output: z.object({
      refund: RefundRow,
      view: OrderView,
      tickets: z.array(z.object({ id: z.string().uuid(), code: z.string(), ticketTypeId: z.string().uuid(), ticketTypeName: Localized })),
      payout: Payout,
      print: PrintOutcome,
    }),
    roles: ['cashier', 'manager'],
  }),
} as const;

export const refundsEvents = {} as const;
