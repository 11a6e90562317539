// Owns the box-office slice of the contract: the catalog on sale and a sale, which answers with the
// order and what became of its printing (printed, or queued/failed with a coded reason); the sales
// that need the cashier's attention (still waiting for the server, or settled later by the recovery:
// completed and printed, or refused with the money to hand back), their acknowledgment, and the event
// that says the recovery settled some.
import { z } from 'zod';
import { OrderAttendees } from '../../../domain/attendees';
import { Currency } from '../../../domain/money';
import { VOUCHER_KINDS, VOUCHER_PROBLEMS, VoucherCode } from '../../../domain/vouchers';
import { PaymentMethod, QR_METHODS, Tender, TenderMethod } from '../../../domain/tender';
import { EventInfo, Localized, Order, TicketType } from '../domain';
import { ErrorCode } from '../errors';
import { call, Empty } from '../spec';
import { PrintOutcome } from './devices';

/** Where a sale that needs the cashier stands: still waiting for the server (its outcome is not known;
 *  it is taken up again whenever the server is reachable), completed later by the recovery (the
 *  customer gets the tickets and the change), or refused by the server (the money goes back). */
export const AttentionState = z.enum(['pending', 'done_on_recovery', 'failed']);
export type AttentionState = z.infer<typeof AttentionState>;

/** A sale kept on this terminal that the cashier has to deal with. Money in integer minor units. */
export const AttentionSale = z.object({
  /** The sale's order id (its cart id). */
  orderId: z.string().uuid(),
  /** When the sale was made. */
  at: z.string(),
  /** When the recovery settled it (null: pending). */
  settledAt: z.string().nullable(),
  operatorId: z.string(),
  /** The operator's name as this terminal knows it (null: one it no longer knows). */
  operatorName: z.string().nullable(),
  lines: z.array(z.object({ ticketTypeId: z.string().uuid(), ticketTypeName: Localized, quantity: z.number().int().min(1) })),
  /** What the tickets cost: the server's total once it made the order, else the total asked. */
  totalMinor: z.number().int().nonnegative(),
  currency: Currency,
  paymentMethod: PaymentMethod,
  tenderedMinor: z.number().int().nonnegative(),
  changeMinor: z.number().int(),
  state: AttentionState,
  /** done_on_recovery: the order's code and what became of its printing. */
  orderCode: z.string().nullable(),
  print: PrintOutcome.nullable(),
  /** failed: the refusal as an error code, with the server's own code when it gave one. */
  error: z.object({ code: ErrorCode, serverCode: z.string().nullable() }).nullable(),
});
export type AttentionSale = z.infer<typeof AttentionSale>;

/** The recovery settled sales the cashier was not waiting for: read boxOffice.attention again. */
export const SalesSettledEvent = z.object({
  sales: z.array(z.object({ orderId: z.string().uuid(), state: AttentionState.exclude(['pending']) })),
});
export type SalesSettledEvent = z.infer<typeof SalesSettledEvent>;

/** A session of an event the box office may pick. */
export const SaleSession = z.object({
  id: z.string().uuid(),
  name: Localized,
  startsAt: z.string(),
  endsAt: z.string(),
  /** false: switched off (its types are listed off sale). */
  active: z.boolean(),
});
export type SaleSession = z.infer<typeof SaleSession>;

/** What a voucher takes off a cart, priced by domain/pricing.ts as the server will. */
export const VoucherPricing = z.object({
  lines: z.array(
    z.object({
      ticketTypeId: z.string().uuid(),
      quantity: z.number().int(),
      unitMinor: z.number().int(),
      unitDiscountMinor: z.number().int().nonnegative(),
      discountMinor: z.number().int().nonnegative(),
      totalMinor: z.number().int().nonnegative(),
    }),
  ),
  subtotalMinor: z.number().int().nonnegative(),
  discountMinor: z.number().int().nonnegative(),
  totalMinor: z.number().int().nonnegative(),
  currency: Currency,
});

export const boxOfficeCalls = {
  /** The events this terminal sells for (each with its sessions), and for the chosen one (eventId, else
   *  the first by start time) its ticket types, optionally of one session (sessionId; whole-event types
   *  stay listed): on sale now with live availability (capacity − sold, and shared quotas; sold-out ones
   *  with available 0 and saleState sold_out), and apart, off sale with the reason (not_yet_on_sale with
   *  saleStartsAt, sale_ended, session_inactive). */
  'boxOffice.catalog': call({
    input: z
      .object({ eventId: z.string().uuid().optional(), sessionId: z.string().uuid().optional() })
      .strict()
      .optional()
      .default({}),
    output: z.object({
      event: EventInfo.nullable(),
      /** Active types the box office may sell now (sold-out ones with available 0). */
      ticketTypes: z.array(TicketType),
      /** Active box-office types outside their sale window: not yet on sale, or sale ended. */
      offSale: z.array(TicketType).optional(),
      /** Every event this terminal may sell for, with its sessions. */
      events: z.array(EventInfo.extend({ sessions: z.array(SaleSession) })).optional(),
      /** The session asked for (null: all of the event). */
      sessionId: z.string().uuid().nullable().optional(),
      /** The payment kinds this till takes now: card_terminal only while a configured card terminal is
       *  registered (device.status of a payment-terminal says when that changes). */
      payments: z.array(TenderMethod).optional(),
      /** Seats of each listed type this till may still sell offline, on its lease (types without a
       *  lease left out; an empty object: none held). */
      leased: z.record(z.string(), z.number().int().nonnegative()).optional(),
    }),
    roles: ['cashier', 'manager'],
  }),
  /** A voucher as the server sees it now (nothing redeemed): problem null when it applies; with
   *  `lines`, the cart priced with it. Needs the server (offline: offline). */
  'boxOffice.voucher': call({
    input: z
      .object({
        code: VoucherCode,
        eventId: z.string().uuid().optional(),
        lines: z
          .array(z.object({ ticketTypeId: z.string().uuid(), quantity: z.number().int().min(1).max(50) }).strict())
          .min(1)
          .max(20)
          .optional(),
      })
      .strict(),
    output: z.object({
      code: z.string(),
      problem: z.enum(VOUCHER_PROBLEMS).nullable(),
      kind: z.enum(VOUCHER_KINDS).nullable(),
      value: z.number().int().nullable(),
      ticketTypeIds: z.array(z.string().uuid()).nullable(),
      validUntil: z.string().nullable(),
      usesLeft: z.number().int().nullable(),
      maxPerOrder: z.number().int().nullable(),
      /** What it takes off one ticket of each type it discounts. */
      discounts: z.array(z.object({ ticketTypeId: z.string().uuid(), unitDiscountMinor: z.number().int().nonnegative() })),
      /** With lines and no problem: the cart priced with it. */
      pricing: VoucherPricing.nullable(),
    }),
    roles: ['cashier', 'manager'],
  }),
  'boxOffice.sell': call({
    input: z
      .object({
        lines: z
          .array(
            z.object({ ticketTypeId: z.string().uuid(), quantity: z.number().int().min(1).max(50) }).strict(),
          )
          .min(1)
          .max(20),
        /** How the customer pays, tender by tender, authorized in this order (a split: card 3000 + cash
         *  given 5000 for 5000). Non-cash tenders of a split name their amount; one cash tender at most
         *  covers the rest and gives the change. Refused: payment_insufficient, invalid_input (no
         *  tender, a split that overcharges, no such payment at this terminal), payment_declined,
         *  payment_timeout, payment_failed — with every tender already authorized voided. */
        payments: z.array(Tender).min(1).max(8).optional(),
        /** One tender (earlier screens): the same as payments with just it. Give one or the other. */
        payment: Tender.optional(),
        /** Made once per cart by the screen and sent with every attempt to sell it: it becomes the
         *  order id, so a retry after a lost answer, a crash or a restart completes the same order
         *  (or answers with it) and never sells the cart twice. Without it the core makes one. */
        cartId: z.string().uuid().optional(),
        /** A voucher, scanned or typed (trimmed, case-insensitive): the server applies it and takes its
         *  uses; the order says what it took off. */
        voucherCode: VoucherCode.optional(),
        /** Whom each ticket is for (the index-th ticket of its type, from 0): checked against the
         *  type's required fields, real-name and registration form, here and at the server. */
        attendees: OrderAttendees.optional(),
        /** The event sold for (boxOffice.catalog's events); default: the first by start time. */
        eventId: z.string().uuid().optional(),
      })
      .strict(),
    output: z.object({ order: Order, print: PrintOutcome }),
    roles: ['cashier', 'manager'],
  }),
  /** Sales that need the cashier, oldest first: pending, or settled by the recovery and not yet
   *  acknowledged. */
  'boxOffice.attention': call({
    input: Empty,
    output: z.object({ sales: z.array(AttentionSale) }),
    roles: ['cashier', 'manager'],
  }),
  /** The cashier gave the tickets of a sale completed later, or handed back the money of a refused
   *  one: it leaves the list. Refused: unknown_sale, sale_pending (not settled yet),
   *  already_acknowledged. */
  'boxOffice.acknowledge': call({
    input: z.object({ orderId: z.string().uuid() }).strict(),
    output: z.object({
      orderId: z.string().uuid(),
      state: AttentionState.exclude(['pending']),
      acknowledgedAt: z.string(),
      /** What the tickets cost (handed back, for a refused sale). */
      totalMinor: z.number().int().nonnegative(),
      currency: Currency,
    }),
    roles: ['cashier', 'manager'],
  }),
} as const;

/** A QR payment waits for the customer: the payload to show as a QR code, and what it charges. */
export const PaymentPromptEvent = z.object({
  method: z.enum(QR_METHODS),
  orderId: z.string().uuid().nullable(),
  amountMinor: z.number().int().positive(),
  currency: Currency,
  qrPayload: z.string(),
});
export type PaymentPromptEvent = z.infer<typeof PaymentPromptEvent>;

export const boxOfficeEvents = {
  'boxOffice.salesSettled': SalesSettledEvent,
  'boxOffice.paymentPrompt': PaymentPromptEvent,
} as const;
