// Owns the error vocabulary shared by the core, the bridge and the UI: every failed call carries one of
// these codes, and the UI translates the code (never a free-text message) for the operator.
import { z } from 'zod';

export const ErrorCode = z.enum([
  'unknown_call',
  'invalid_input',
  'not_logged_in',
  'forbidden',
  'bad_pin',
  'login_delayed',
  'operator_locked',
  'pin_too_short',
  /** The operator has no wrong PINs counted on this terminal: there is no lockout to clear. */
  'not_locked',
  /** The thing the call names does not exist here (e.g. an unknown operator). */
  'not_found',
  'not_paired',
  'already_paired',
  'pairing_failed',
  'offline',
  'sold_out',
  'unknown_ticket_type',
  /** The ticket type cannot be sold here now: switched off, outside its sale window or not for this
   *  channel (the detail names which). */
  'not_on_sale',
  /** More tickets of one type in one order than the type allows. */
  'over_order_limit',
  'payment_insufficient',
  /** Offline (or past open stock), the cart needs more seats of a type than this box office holds on
   *  lease: nothing was sold (the detail names the type). */
  'lease_exhausted',
  /** A voucher needs the server to redeem it (its limits are enforced there): not while offline. */
  'voucher_needs_server',
  /** A card terminal or payment provider failed or could not be reached: nothing was taken (any part
   *  of a split already authorized was voided). */
  'payment_failed',
  /** The card terminal or payment provider did not answer in time (it was told to abort): nothing taken. */
  'payment_timeout',
  /** The card, its bank or the customer's wallet refused the payment: nothing taken. */
  'payment_declined',
  /** This cart's earlier attempt was sold after all (its answer had been lost): the detail is its
   *  order code; it is recorded and printed, and this request sold nothing. */
  'earlier_sale_completed',
  /** No sale of this terminal under this order id needs acknowledging. */
  'unknown_sale',
  /** The sale is still waiting for the server: nothing to acknowledge yet. */
  'sale_pending',
  'already_acknowledged',
  'server_rejected',
  'device_unavailable',
  'print_failed',
  'annul_window_passed',
  /** Admin mode: this UI's server admin session is not open (never opened, refused or ended); the
   *  admin signs in again while the server is reachable. */
  'admin_session_ended',
  /** Admin mode: the change would leave no active admin operator. */
  'last_admin',
  /** The ticket's type allows no refund, or the ticket is refunded, exchanged or used already. */
  'refund_not_allowed',
  /** Refunds of this ticket type close some hours before the start: that time has passed. */
  'refund_window_closed',
  /** The ticket's type allows no exchange now, or not into the type asked. */
  'exchange_not_allowed',
  /** More than the tickets are worth after the fee, or than the order has left to pay back. */
  'refund_too_large',
  /** The policy keeps this for a manager: a manager approves with their PIN. */
  'approval_required',
  /** The signed-in operator or this terminal is not among those allowed at the check-in point. */
  'point_not_allowed',
  /** Box-office shifts: a shift is already open at this drawer. */
  'shift_already_open',
  /** No shift is open at this drawer: open one (with its float) first. */
  'no_open_shift',
  /** The shift was closed by its Z report: open a new one to sell again. */
  'shift_closed',
  /** More cash to take out than the drawer should hold. */
  'cash_out_exceeds_drawer',
  /** E-tickets: the address is not an email address. */
  'invalid_email',
  /** E-tickets: the number is not a phone number in international form (+…). */
  'invalid_phone',
  /** E-tickets: the organizer has not set up this channel on the server (SMTP or SMS provider). */
  'delivery_not_configured',
  /** Vouchers (domain/vouchers.ts): no such code for the event, its validity ended or has not begun,
   *  fewer uses left than the tickets it would discount, none of the cart's types is one it discounts,
   *  more tickets it would discount than one order may have. */
  'voucher_unknown',
  'voucher_expired',
  'voucher_not_yet_valid',
  'voucher_used_up',
  'voucher_not_applicable',
  'voucher_over_order_limit',
  /** A ticket lacks an attendee detail its type requires, or one given is not valid: the detail (and
   *  the issues' path) points at the field as <ticketTypeId>/<index>/<field>. */
  'attendee_field_required',
  'attendee_field_invalid',
  /** Badge desk: this terminal has no printer configured for badge jobs. */
  'no_badge_printer',
  /** Badge desk: this attendee's badge was printed within the event's reprint window: give a reason. */
  'reprint_reason_required',
  /** Badge desk: the ticket is not valid or not paid: no badge (the detail says which). */
  'ticket_not_valid',
  /** Kiosk: the visit this call names has ended (idle reset, a newer visit, or it never existed). */
  'visit_expired',
  /** Too many attempts in a short time (e.g. a kiosk's find by phone digits): wait a minute. */
  'rate_limited',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const CallError = z.object({
  code: ErrorCode,
  /** Developer-facing detail; never shown untranslated and never carries secrets. */
  detail: z.string().optional(),
  /** Field paths for invalid_input. */
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  /** How long until the call may be tried again (a sign-in after wrong PINs). */
  retryAfterMs: z.number().int().nonnegative().optional(),
});
export type CallError = z.infer<typeof CallError>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: CallError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (code: ErrorCode, detail?: string, issues?: CallError['issues'], retryAfterMs?: number): Result<never> => ({
  ok: false,
  error: {
    code,
    ...(detail !== undefined ? { detail } : {}),
    ...(issues ? { issues } : {}),
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  },
});

/** Thrown inside the core to end a call with a coded error; the dispatcher turns it into a Result. */
export class AdmitError extends Error {
  constructor(
    readonly code: ErrorCode,
    detail?: string,
    /** Carried to the UI as CallError.retryAfterMs. */
    readonly retryAfterMs?: number,
    /** Carried to the UI as CallError.issues: which fields of the input are wrong. */
    readonly issues?: CallError['issues'],
  ) {
    super(detail ?? code);
    this.name = 'AdmitError';
  }
}
