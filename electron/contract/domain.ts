// Owns the shapes that cross the UI/core seam: ticket types, orders, verdicts, device and sync state.
// Their vocabularies (role, direction, re-entry policy, ticket status, reason) are the domain's.
import { z } from 'zod';
import { ReadFaultKind } from '../../domain/device-faults';
import { Direction, Reason, ReentryPolicy, Role, TicketStatus } from '../../domain/enums';
import { Currency } from '../../domain/money';
import { PaymentMethod } from '../../domain/tender';
import { Localized, OrderPayment } from '../../domain/wire';

export { Direction, ReentryPolicy, Role, TicketStatus, Localized };

export const Mode = z.enum(['box-office', 'gate', 'badge-desk', 'kiosk', 'manager', 'admin']);
export type Mode = z.infer<typeof Mode>;

export const TicketType = z.object({
  id: z.string().uuid(),
  eventId: z.string().uuid(),
  name: Localized,
  priceMinor: z.number().int().nonnegative(),
  currency: Currency,
  available: z.number().int().nonnegative().nullable(),
  /** Where the type stands for this terminal's channel by server time (domain/catalog.ts);
   *  session_inactive: the session it is for is switched off. */
  saleState: z.enum(['on_sale', 'sold_out', 'not_yet_on_sale', 'sale_ended', 'session_inactive']).optional(),
  saleStartsAt: z.string().nullable().optional(),
  saleEndsAt: z.string().nullable().optional(),
  maxPerOrder: z.number().int().positive().nullable().optional(),
  sessionId: z.string().uuid().nullable().optional(),
  /** What each holder must give (domain/attendees.ts): an ID number (and name) for a real-name type,
   *  the built-in fields it requires, and whether it has a registration form (forms.get reads it). */
  realName: z.boolean().optional(),
  requiredFields: z.array(z.string()).optional(),
  hasForm: z.boolean().optional(),
});
export type TicketType = z.infer<typeof TicketType>;

export const EventInfo = z.object({
  id: z.string().uuid(),
  name: Localized,
  startsAt: z.string(),
  endsAt: z.string(),
  timezone: z.string(),
  currency: Currency,
});
export type EventInfo = z.infer<typeof EventInfo>;

export const SoldTicket = z.object({
  id: z.string().uuid(),
  code: z.string(),
  ticketTypeId: z.string().uuid(),
  ticketTypeName: Localized,
  priceMinor: z.number().int(),
});
export type SoldTicket = z.infer<typeof SoldTicket>;

export const Order = z.object({
  id: z.string().uuid(),
  code: z.string(),
  eventId: z.string().uuid(),
  totalMinor: z.number().int(),
  currency: Currency,
  paymentMethod: PaymentMethod,
  /** The tenders that paid it, in the order taken (method and what each took; cash: what it kept).
   *  Absent on orders kept before payments were listed. */
  payments: z.array(OrderPayment).optional(),
  tenderedMinor: z.number().int(),
  changeMinor: z.number().int(),
  createdAt: z.string(),
  tickets: z.array(SoldTicket),
  /** With a voucher: the total before it, what it took off (totalMinor is after it), its code. */
  subtotalMinor: z.number().int().optional(),
  discountMinor: z.number().int().nonnegative().optional(),
  voucherCode: z.string().nullable().optional(),
});
export type Order = z.infer<typeof Order>;

/** One reason code per verdict; screens, sounds, logs and reports all speak this vocabulary. */
export const VerdictReason = Reason;
export type VerdictReason = Reason;

export const Verdict = z.object({
  scanId: z.string().uuid(),
  admitted: z.boolean(),
  reason: VerdictReason,
  code: z.string(),
  ticketId: z.string().uuid().nullable(),
  ticketTypeName: Localized.nullable(),
  attendeeName: z.string().nullable(),
  /** When the ticket was first used, for already_used. */
  firstUsedAt: z.string().nullable(),
  /** confirmed: the server accepted the claim; local: decided offline or past the claim budget. */
  confirmation: z.enum(['confirmed', 'local']),
  at: z.string(),
  /** The check-in this admission made (for annulment); null for refusals. */
  checkinId: z.string().uuid().nullable(),
  pointId: z.string().uuid().nullable(),
  direction: Direction,
  /** The scanner or ID reader it came from, and its lane (null: the default lane); absent for the screen's. */
  deviceId: z.string().optional(),
  lane: z.string().nullable().optional(),
});
export type Verdict = z.infer<typeof Verdict>;

export const CheckInPoint = z.object({
  id: z.string().uuid(),
  name: Localized,
  direction: Direction,
  reentry: ReentryPolicy,
  zone: z.string().nullable(),
});
export type CheckInPoint = z.infer<typeof CheckInPoint>;

export const TicketMatch = z.object({
  ticketId: z.string().uuid(),
  code: z.string(),
  attendeeName: z.string().nullable(),
  orderCode: z.string().nullable(),
  ticketTypeName: Localized.nullable(),
  status: TicketStatus,
});
export type TicketMatch = z.infer<typeof TicketMatch>;

export const DeviceKind = z.enum(['scanner', 'printer', 'relay', 'id-reader', 'payment-terminal']);
/** faulty: connected, but its reads keep failing (domain/device-faults.ts says when). registered: a card
 *  terminal that took this till's registration and takes payments (busy while one runs; error when it
 *  cannot be reached or refused registration). */
export const DeviceState = z.enum(['connected', 'connecting', 'disconnected', 'busy', 'paper_low', 'paper_out', 'cover_open', 'error', 'faulty', 'registered']);
/** Why a device is in its state, one code per cause, translated on screen. */
export const DEVICE_REASONS = [
  /** The link is down or the device cannot be reached. */
  'unreachable',
  /** No such device (path, USB ids). */
  'not_found',
  /** This machine cannot reach that kind of device (no HID or USB stack). */
  'unavailable',
  /** The device did not answer in time. */
  'timeout',
  /** The device answered something that is not its protocol. */
  'bad_reply',
  /** The configuration asks for something the device cannot do. */
  'bad_config',
  /** The driver could not start. */
  'start_failed',
  /** A turnstile held open by the emergency open-all. */
  'emergency_open',
  /** A turnstile opening for an admission. */
  'opening',
  'jam',
  'ribbon_out',
  'printer_error',
  'offline',
  /** The printer refused a job. */
  'rejected',
  /** A faulty reader's last kind of failed read (every ReadFaultKind; timeout is above). */
  'garbled',
  'too_long',
  'incomplete',
  'checksum',
  'parity',
  'unreadable',
  /** Anything else the device reports. */
  'device_error',
] as const;
export const DeviceReason = z.enum(DEVICE_REASONS);
export type DeviceReason = z.infer<typeof DeviceReason>;
const _faultKindsAreReasons: ReadFaultKind extends DeviceReason ? true : false = true;
export { ReadFaultKind };
/** A scanner's or ID reader's failed reads. */
export const DeviceFaults = z.object({
  /** Among the device's last few reads (domain/device-faults.ts: the window). */
  recent: z.number().int().nonnegative(),
  /** Since the last good read. */
  streak: z.number().int().nonnegative(),
  /** Since the device started. */
  total: z.number().int().nonnegative(),
  last: z.object({ kind: ReadFaultKind, at: z.string() }).nullable(),
});
export type DeviceFaults = z.infer<typeof DeviceFaults>;
export const DeviceStatus = z.object({
  id: z.string(),
  kind: DeviceKind,
  name: z.string(),
  state: DeviceState,
  /** Why it is in this state (null: nothing to say); screens show it translated. */
  reason: DeviceReason.nullable(),
  /** Developer-facing detail (logs, diagnostics); never shown as is. */
  detail: z.string().nullable(),
  /** Read faults of a scanner or ID reader; null for relays and printers. */
  faults: DeviceFaults.nullable(),
});
export type DeviceStatus = z.infer<typeof DeviceStatus>;

export const SyncStatus = z.object({
  paired: z.boolean(),
  online: z.boolean(),
  serverUrl: z.string().nullable(),
  terminalName: z.string().nullable(),
  lastSeq: z.number().int(),
  /** Records waiting to upload: the outbox's and the sales made on a lease not uploaded yet. */
  pendingOutbox: z.number().int(),
  lastSyncAt: z.string().nullable(),
  /** How far the server's clock is ahead of this terminal's (ms); null until learned. The terminal
   *  works on server time either way. */
  clockOffsetMs: z.number().int().nullable(),
  /** The terminal's own clock is off by more than the threshold (about 2 minutes): say so. */
  clockOff: z.boolean(),
});
export type SyncStatus = z.infer<typeof SyncStatus>;

export const Session = z.object({
  operatorId: z.string().uuid(),
  operatorName: z.string(),
  role: Role,
});
export type Session = z.infer<typeof Session>;
