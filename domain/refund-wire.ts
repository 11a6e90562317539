// Owns the wire shapes of refunds and exchanges between a box-office terminal and the server: looking an
// order up by its code or one of its tickets' codes (with what the policy allows now), a refund, an
// exchange, and the record either leaves. Money in integer minor units of the order's currency.
import { z } from 'zod';
import { TicketStatus } from './enums';
import { MAX_AMOUNT_MINOR } from './money';
import { PaymentMethod } from './tender';
import { PartPayout, PaymentPart } from './refund-allocation';
import { OrderPayment, ProviderReference, TicketRow } from './wire';

const Uuid = z.string().uuid();
const Amount = z.number().int().nonnegative().max(MAX_AMOUNT_MINOR);
const TicketIds = z
  .array(Uuid)
  .min(1)
  .max(50)
  .refine((ids) => new Set(ids).size === ids.length, 'a ticket is listed twice');

/** A manager's approval: who, and their PIN (checked by the terminal under its lockout, then again by
 *  the server, which holds the PIN key; never stored or logged). */
export const ManagerApproval = z.object({ managerId: Uuid, pin: z.string().regex(/^\d{1,8}$/) }).strict();
export type ManagerApproval = z.infer<typeof ManagerApproval>;

/** GET /v1/orders/lookup?code= — an order's id or code, or the code of one of its tickets. */
export const OrderLookupQuery = z.object({ code: z.string().min(1).max(512) }).strict();

/** Why one ticket cannot be refunded or exchanged now. */
export const REFUSALS = ['refund_not_allowed', 'refund_window_closed', 'exchange_not_allowed', 'ticket_not_valid', 'ticket_used'] as const;
export const Refusal = z.enum(REFUSALS);
export type Refusal = z.infer<typeof Refusal>;

/** What the policy allows on one ticket now. */
export const Allowance = z.object({
  allowed: z.boolean(),
  refusal: Refusal.nullable(),
  feeMinor: z.number().int().nonnegative(),
  needsManager: z.boolean(),
  /** The last instant it is allowed (null: never). */
  until: z.string().nullable(),
});
export type Allowance = z.infer<typeof Allowance>;

export const RefundRow = z.object({
  id: Uuid,
  kind: z.enum(['refund', 'exchange']),
  orderId: Uuid,
  ticketIds: z.array(Uuid),
  newTicketIds: z.array(Uuid),
  amountMinor: z.number().int().nonnegative(),
  feeMinor: z.number().int().nonnegative(),
  chargedMinor: z.number().int().nonnegative(),
  currency: z.string(),
  paymentMethod: PaymentMethod,
  /** Exchange: how the difference was paid, tender by tender ([] when nothing was charged). */
  payments: z.array(OrderPayment),
  /** Where `amountMinor` went back, part by part of the order's payment (domain/refund-allocation.ts:
   *  non-cash parts first, then cash; never a part more than it took). */
  payouts: z.array(PartPayout),
  reason: z.string(),
  operatorId: Uuid,
  approvedBy: Uuid.nullable(),
  createdAt: z.string(),
});
export type RefundRow = z.infer<typeof RefundRow>;

export const OrderView = z.object({
  order: z.object({
    id: Uuid,
    code: z.string(),
    eventId: Uuid,
    totalMinor: z.number().int(),
    currency: z.string(),
    paymentMethod: PaymentMethod,
    /** What may still be paid back: the total, plus exchange differences paid, less refunds and the
     *  fees exchanges kept. */
    balanceMinor: z.number().int().nonnegative(),
    /** The parts of its payment (the sale's tenders, then what exchanges charged), what was paid back
     *  to each so far, and the provider's id of the part when the terminal that took it sent one (what
     *  lets another terminal pay a QR part back). */
    payments: z.array(PaymentPart.extend({ refundedMinor: z.number().int().nonnegative(), reference: ProviderReference.optional() })),
    createdAt: z.string(),
  }),
  tickets: z.array(
    z.object({
      id: Uuid,
      ticketTypeId: Uuid,
      ticketTypeName: z.record(z.string(), z.string()),
      status: TicketStatus,
      /** What the ticket counts for in a refund: what it was sold at (its type's price less the
       *  voucher's discount on it; the type's price for tickets sold before this was recorded). */
      priceMinor: z.number().int().nonnegative(),
      refund: Allowance,
      exchange: Allowance,
    }),
  ),
  refunds: z.array(RefundRow),
});
export type OrderView = z.infer<typeof OrderView>;

/** POST /v1/orders/:id/refunds. `refundId` is made once by the terminal and re-sent on a retry: the
 *  same refund comes back, never a second one. `amountMinor` below what the tickets are worth after the
 *  fee makes a partial refund; absent: all of it. */
export const RefundRequest = z
  .object({
    refundId: Uuid,
    operatorId: Uuid,
    ticketIds: TicketIds,
    amountMinor: Amount.optional(),
    reason: z.string().trim().min(1).max(500),
    approval: ManagerApproval.optional(),
  })
  .strict();
export type RefundRequest = z.infer<typeof RefundRequest>;

export const RefundResponse = z.object({ refund: RefundRow, view: OrderView });
export type RefundResponse = z.infer<typeof RefundResponse>;

/** POST /v1/orders/:id/exchanges: the tickets for as many of another type (another session) of the same
 *  event. A dearer type needs `payment` covering the difference (taken by the terminal first, by any
 *  tender or a split of several); a cheaper one pays the difference back to the order's payment parts
 *  like a refund. */
export const ExchangeRequest = z
  .object({
    exchangeId: Uuid,
    operatorId: Uuid,
    ticketIds: TicketIds,
    newTicketTypeId: Uuid,
    reason: z.string().trim().min(1).max(500),
    approval: ManagerApproval.optional(),
    payment: z.object({ method: PaymentMethod, amountMinor: Amount }).strict().optional(),
    /** How `payment` was made, tender by tender (what each charged), adding up to its amount; required
     *  when its method is split. */
    payments: z.array(OrderPayment).min(1).max(8).optional(),
  })
  .strict();
export type ExchangeRequest = z.infer<typeof ExchangeRequest>;

export const ExchangeResponse = z.object({ refund: RefundRow, tickets: z.array(TicketRow), view: OrderView });
export type ExchangeResponse = z.infer<typeof ExchangeResponse>;
