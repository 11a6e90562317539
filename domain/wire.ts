// Owns the wire protocol between terminals and the central server (HTTP JSON + WebSocket pokes).
// Pure zod schemas: imported by the server to validate requests and by the terminal's sync client
// to validate replies. Version bumps go in the path (/v1/...).
import { z } from 'zod';
import { CheckinStatus, Direction, Reason, ReentryPolicy, Role, TicketStatus } from './enums';
import { ATTENDEE_FIELDS, EVENT_LANGUAGES, ORDER_CHANNELS, SALE_CHANNELS } from './catalog';
import { Currency, MAX_AMOUNT_MINOR } from './money';
import { PaymentMethod, TenderMethod } from './tender';
import { OrderAttendees } from './attendees';
import { RefundPolicy } from './refund-policy';
import { VOUCHER_KINDS, VOUCHER_PROBLEMS, VoucherCode } from './vouchers';
import { BadgePrintRow, BadgeSettingsRow, BadgeTemplateRow } from './badge-wire';
import { AttendeeInfoRow, EntitlementKind, EntitlementRow, KioskAlertRow, KioskSettingsRow } from './kiosk-wire';

export const PROTOCOL_VERSION = 1;
/** Largest JSON body the server accepts; larger requests are refused with 413 before parsing. */
export const MAX_BODY_BYTES = 1_048_576;
/** Every mutating request carries a fresh UUIDv7 request id; the server refuses one it has seen or one
 *  older than this window (so the set of remembered ids stays bounded). */
export const REQUEST_ID_HEADER = 'x-admit-request-id';
export const REQUEST_MAX_AGE_MS = 5 * 60_000;

export const Localized = z.record(z.string(), z.string());
/** A name as the organizer types it: a few languages, each a short text (requests only; replies keep
 *  Localized, so rows stored before these bounds still read). */
export const LocalizedInput = z
  .record(z.string().min(1).max(35), z.string().max(200))
  .refine((name) => Object.keys(name).length <= 20, 'at most 20 languages');
/** The most tickets of one type an event may hold (sold + quantity stays far inside 32 bits). */
export const MAX_CAPACITY = 10_000_000;
/** Change numbers are bigint in the database; a cursor past this is not one the server handed out. */
export const MAX_SEQ = Number.MAX_SAFE_INTEGER;
export const Uuid = z.string().uuid();

export const ApiErrorCode = z.enum([
  'bad_request',
  'unauthorized',
  'token_revoked',
  'forbidden',
  /** The device is not bound to the event of this sale, ticket or check-in. */
  'forbidden_event',
  /** The device is not among the terminals the organizer allowed at this check-in point. */
  'forbidden_point',
  'not_found',
  'pairing_code_invalid',
  'replayed_request',
  'stale_request',
  'payload_too_large',
  'sold_out',
  'unknown_ticket_type',
  'duplicate_order',
  /** The ticket type is switched off. */
  'ticket_type_inactive',
  /** The session the ticket type is for is switched off. */
  'session_inactive',
  /** The ticket type's sale window has not opened yet (server time). */
  'not_on_sale',
  /** The ticket type's sale window has closed (server time). */
  'sale_ended',
  /** The ticket type may not be sold on the order's channel. */
  'channel_not_allowed',
  /** More tickets of one type in one order than the type allows. */
  'over_order_limit',
  /** The request contradicts what is stored (capacity below sold, currency after sales …); nothing changed. */
  'conflict',
  /** An event's dates cannot change: tickets of it exist, their signed codes carry the current dates. */
  'event_has_tickets',
  /** An attendee import cannot take this step now (not checked, bad rows, already committing or done). */
  'import_refused',
  /** A check-in, claim or annulment dated far in the past or ahead of the server's clock. */
  'implausible_time',
  /** Too many failed authentication or pairing attempts from this address; retry after the detail's delay. */
  'rate_limited',
  /** The admin session is unknown, ended, expired or belongs to another device: sign in again. */
  'admin_session_ended',
  /** The PIN given to open an admin session is wrong (counted toward the operator's lockout). */
  'bad_pin',
  /** Too many wrong PINs in a row for this operator: retry after the detail's delay. */
  'operator_locked',
  /** The ticket's type allows no refund, or the ticket is not valid any more (refunded, used …). */
  'refund_not_allowed',
  /** The ticket's type allowed a refund only until some hours before its start: that time has passed. */
  'refund_window_closed',
  /** The ticket's type allows no exchange now, or not into the type asked. */
  'exchange_not_allowed',
  /** More than the tickets are worth after the fee, or than the order has left to pay back. */
  'refund_too_large',
  /** The refund or exchange id was used for something else. */
  'duplicate_refund',
  /** The policy keeps this for a manager: an active manager's id and PIN must come with it. */
  'approval_required',
  /** The change would leave no active admin operator. */
  'last_admin',
  /** E-tickets: the address is not an email address. */
  'invalid_email',
  /** E-tickets: the number is not a phone number in international form. */
  'invalid_phone',
  /** E-tickets: the organizer has not set up this channel (SMTP server or SMS provider). */
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
  /** A sale on a lease names seats no longer leased to this device (returned, reclaimed, sold or
   *  another device's): nothing was sold. */
  'lease_not_held',
  /** A badge template's layout fails checkBadgeTemplate (422; the reply lists its problems:
   *  domain/badge-wire.ts BadgeTemplateRefusal). */
  'badge_template_invalid',
  'internal',
]);
export type ApiErrorCode = z.infer<typeof ApiErrorCode>;
export const ApiError = z.object({ error: z.object({ code: ApiErrorCode, detail: z.string().optional() }) });
export type ApiError = z.infer<typeof ApiError>;

// ---- pairing -------------------------------------------------------------------------------------
export const PairRequest = z.object({ code: z.string().min(8).max(9), name: z.string().min(1).max(80) }).strict();
export const PairResponse = z.object({ deviceId: Uuid, deviceName: z.string(), token: z.string(), serverId: Uuid });
export type PairResponse = z.infer<typeof PairResponse>;
/** GET /v1/terminal-secrets: what a paired terminal keeps in its secret store, never in a database row or
 *  the change feed. pinKey: base64 of the 32-byte pepper of the operators' PIN hashes (domain/hashing.ts). */
export const TerminalSecretsResponse = z.object({ pinKey: z.string() });
export type TerminalSecretsResponse = z.infer<typeof TerminalSecretsResponse>;

// ---- replicated rows -----------------------------------------------------------------------------
export const EventRow = z.object({
  id: Uuid,
  name: Localized,
  startsAt: z.string(),
  endsAt: z.string(),
  timezone: z.string(),
  currency: Currency,
  /** Short number carried inside signed codes. */
  no: z.number().int().nonnegative(),
  /** Period of rotating codes in seconds; null when the event does not use them. */
  rotationPeriodS: z.number().int().positive().nullable(),
  /** Salt for ID-card number hashes, so terminals can search by ID card without storing numbers. */
  idSalt: z.string(),
  // Event set-up (issue 9); optional so rows of an older server (and older fixtures) still read; absent means the default.
  venue: z.string().nullable().optional(),
  address: z.string().nullable().optional(),
  /** The UI languages offered to attendees (names, forms, badges). */
  languages: z.array(z.enum(EVENT_LANGUAGES)).optional(),
  defaultLanguage: z.enum(EVENT_LANGUAGES).optional(),
});
export const TicketTypeRow = z.object({
  id: Uuid,
  eventId: Uuid,
  name: Localized,
  priceMinor: z.number().int(),
  currency: Currency,
  capacity: z.number().int().nullable(),
  sold: z.number().int(),
  /** Short number carried inside signed codes (unique within the event). */
  no: z.number().int().nonnegative(),
  /** Zones this type admits to; empty: all. */
  zones: z.array(z.string()),
  // Sale rules (issue 9, domain/catalog.ts); optional so rows of an older server (and older fixtures) still read; absent means the default (domain/catalog.ts).
  /** The session it is for; null: the whole event. */
  sessionId: Uuid.nullable().optional(),
  /** Sale window (ISO instants); null: no bound. */
  saleStartsAt: z.string().nullable().optional(),
  saleEndsAt: z.string().nullable().optional(),
  maxPerOrder: z.number().int().positive().nullable().optional(),
  maxPerAttendee: z.number().int().positive().nullable().optional(),
  channels: z.array(z.enum(SALE_CHANNELS)).optional(),
  /** An ID number is required for every ticket of it. */
  realName: z.boolean().optional(),
  requiredFields: z.array(z.enum(ATTENDEE_FIELDS)).optional(),
  active: z.boolean().optional(),
  sortOrder: z.number().int().optional(),
  /** Refunds and exchanges (domain/refund-policy.ts); null or absent: neither. */
  refundPolicy: RefundPolicy.nullable().optional(),
});
/** A session of an event (a concert night, a screening, a conference day). */
export const EventSessionRow = z.object({
  id: Uuid,
  eventId: Uuid,
  name: Localized,
  startsAt: z.string(),
  endsAt: z.string(),
  sort: z.number().int(),
  active: z.boolean(),
});
/** A quota shared by ticket types: at most `capacity` tickets of its member types together. */
export const QuotaRow = z.object({
  id: Uuid,
  eventId: Uuid,
  name: Localized,
  capacity: z.number().int().nonnegative(),
  sold: z.number().int().nonnegative(),
  ticketTypeIds: z.array(Uuid),
});
export const TicketRow = z.object({
  id: Uuid,
  eventId: Uuid,
  ticketTypeId: Uuid,
  orderId: Uuid.nullable(),
  code: z.string(),
  status: TicketStatus,
  paid: z.boolean(),
  attendeeName: z.string().nullable(),
  orderCode: z.string().nullable(),
  phoneLast4: z.string().regex(/^\d{4}$/).nullable(),
  /** hex HMAC-SHA256(event idSalt, normalized ID-card number); the number itself is never stored. */
  idHash: z.string().nullable(),
  /** base64 secret for rotating codes, when the event uses them. */
  rotatingSecret: z.string().nullable(),
  validFrom: z.string().nullable(),
  validTo: z.string().nullable(),
});
export const CheckinRow = z.object({
  id: Uuid,
  ticketId: Uuid,
  deviceId: Uuid,
  at: z.string(),
  status: CheckinStatus,
  pointId: Uuid.nullable(),
  direction: Direction,
});
export const CheckInPointRow = z.object({
  id: Uuid,
  eventId: Uuid,
  name: Localized,
  ticketTypeIds: z.array(Uuid),
  zone: z.string().nullable(),
  direction: Direction,
  reentry: ReentryPolicy,
  windows: z.array(z.object({ from: z.string(), to: z.string() })),
  autoCheckoutAt: z.string().regex(/^\d{2}:\d{2}$/).nullable(),
  active: z.boolean(),
  /** The operators who may serve this point (empty: anyone). Absent in feeds of older servers. */
  operatorIds: z.array(Uuid).default([]),
  /** The terminals (device ids) that may serve this point (empty: any). */
  deviceIds: z.array(Uuid).default([]),
  /** A point that redeems entitlements of this kind (e.g. 'meal'; domain/rules.ts). Absent in feeds of
   *  older servers: an ordinary point. */
  entitlement: EntitlementKind.nullable().default(null),
});
export type CheckInPointRow = z.infer<typeof CheckInPointRow>;
/** A public key terminals use to check signed codes; several per event are valid at once. */
export const EventKeyRow = z.object({
  eventId: Uuid,
  keyId: z.number().int().min(0).max(255),
  /** base64 of the raw 32-byte Ed25519 public key. */
  publicKey: z.string(),
  /** The key new codes are signed with. */
  signing: z.boolean(),
  /** A retired key no longer validates codes. */
  retired: z.boolean(),
});
/** Incremental revocation list: tickets no longer valid, including ones a terminal has never seen. */
export const RevocationRow = z.object({ ticketId: Uuid, eventId: Uuid, at: z.string() });
export const OperatorRow = z.object({
  id: Uuid,
  name: z.string(),
  role: Role,
  /** scrypt(pin, salt) hex; the PIN itself never leaves the server. */
  pinHash: z.string(),
  pinSalt: z.string(),
  active: z.boolean(),
});

/** A ticket type's registration form (domain/forms.ts). The fields travel as the server stored them and
 *  are read with parseForm where they are used, so a field kind a later version adds cannot stop a
 *  terminal's whole feed. Sent only to terminals that ask for forms (ChangesQuery `forms`). */
export const FormRow = z.object({
  ticketTypeId: Uuid,
  eventId: Uuid,
  fields: z.array(z.unknown()),
  version: z.number().int().positive(),
});
export type FormRow = z.infer<typeof FormRow>;

export const Change = z.discriminatedUnion('kind', [
  z.object({ seq: z.number().int(), kind: z.literal('event'), row: EventRow }),
  z.object({ seq: z.number().int(), kind: z.literal('ticket_type'), row: TicketTypeRow }),
  z.object({ seq: z.number().int(), kind: z.literal('ticket'), row: TicketRow }),
  z.object({ seq: z.number().int(), kind: z.literal('checkin'), row: CheckinRow }),
  z.object({ seq: z.number().int(), kind: z.literal('operator'), row: OperatorRow }),
  z.object({ seq: z.number().int(), kind: z.literal('check_in_point'), row: CheckInPointRow }),
  z.object({ seq: z.number().int(), kind: z.literal('event_key'), row: EventKeyRow }),
  z.object({ seq: z.number().int(), kind: z.literal('revocation'), row: RevocationRow }),
  z.object({ seq: z.number().int(), kind: z.literal('event_session'), row: EventSessionRow }),
  z.object({ seq: z.number().int(), kind: z.literal('quota'), row: QuotaRow }),
  z.object({ seq: z.number().int(), kind: z.literal('form'), row: FormRow }),
  z.object({ seq: z.number().int(), kind: z.literal('badge_template'), row: BadgeTemplateRow }),
  z.object({ seq: z.number().int(), kind: z.literal('badge_settings'), row: BadgeSettingsRow }),
  z.object({ seq: z.number().int(), kind: z.literal('badge_print'), row: BadgePrintRow }),
  z.object({ seq: z.number().int(), kind: z.literal('attendee_info'), row: AttendeeInfoRow }),
  z.object({ seq: z.number().int(), kind: z.literal('entitlement'), row: EntitlementRow }),
  z.object({ seq: z.number().int(), kind: z.literal('kiosk_settings'), row: KioskSettingsRow }),
  z.object({ seq: z.number().int(), kind: z.literal('kiosk_alert'), row: KioskAlertRow }),
]);
export type Change = z.infer<typeof Change>;

/** GET /v1/changes?since=N&limit=L — rows changed after N in seq order; `more` says whether to ask again. */
export const ChangesResponse = z.object({
  changes: z.array(Change),
  next: z.number().int(),
  more: z.boolean(),
  /** The events this terminal serves changed since its cursor: it drops the cached rows of every other
   *  event and pulls again from 0 (`next` is 0). Absent on ordinary pages. */
  reset: z.object({ eventIds: z.array(Uuid) }).optional(),
  /** What the organizer set for this terminal: its name and the check-in point it should serve (null:
   *  none assigned). Absent from older servers. */
  terminal: z.object({ name: z.string(), pointId: Uuid.nullable() }).optional(),
});
export type ChangesResponse = z.infer<typeof ChangesResponse>;

// ---- box office ----------------------------------------------------------------------------------
/** POST /v1/orders — the terminal makes the order id (UUIDv7) once per cart; the same device sending
 *  the same id with the same content again gets the same order back (domain/order-content.ts), any
 *  other request with that id is refused as duplicate_order and changes nothing. */
/** A payment provider's own id of a tender (the QR provider's payment id, the card terminal's receipt
 *  number, a manual card's approval code): what lets any terminal pay that tender back. Printable
 *  ASCII without spaces, at most 128 characters. */
export const ProviderReference = z.string().min(1).max(128).regex(/^[\x21-\x7e]+$/, 'printable ASCII');
/** One tender of an order's payment: its method, what it took in minor units, and the provider's id of
 *  it when it has one (absent from cash and from older terminals). */
export const OrderPayment = z
  .object({ method: TenderMethod, amountMinor: z.number().int().nonnegative().max(MAX_AMOUNT_MINOR), reference: ProviderReference.optional() })
  .strict();
export type OrderPayment = z.infer<typeof OrderPayment>;
export const OrderRequest = z
  .object({
    orderId: Uuid,
    eventId: Uuid,
    lines: z.array(z.object({ ticketTypeId: Uuid, quantity: z.number().int().min(1).max(50) }).strict()).min(1).max(20),
    payment: z.object({ method: PaymentMethod, amountMinor: z.number().int().nonnegative().max(MAX_AMOUNT_MINOR) }).strict(),
    /** How the payment was made, tender by tender (what each charged; cash: what it kept), adding up to
     *  payment.amountMinor; required when payment.method is split. Absent from older terminals. */
    payments: z.array(OrderPayment).min(1).max(8).optional(),
    /** Who sells: the box office unless a kiosk says so; the ticket types must allow it. */
    channel: z.enum(ORDER_CHANNELS).optional(),
    /** A voucher to apply (domain/vouchers.ts): the server checks it and takes its uses in the order's
     *  transaction; the order's total is the discounted one. */
    voucherCode: VoucherCode.optional(),
    /** Whom the tickets are for (domain/attendees.ts), checked again against the types' rules. */
    attendees: OrderAttendees.optional(),
    /** A sale made on a lease (offline, or when open stock ran out): the pre-minted tickets it used, one
     *  per seat, and when it was sold (server time as the terminal knew it). Its seats were counted at
     *  the grant, so the server only checks the tickets are still leased to this device. */
    lease: z
      .object({
        ticketIds: z.array(Uuid).min(1).max(1000),
        soldAt: z.string().datetime(),
        /** The code printed on the receipt offline; kept unless another order has it. */
        orderCode: z.string().regex(/^[A-Z0-9]{6,12}$/).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type OrderRequest = z.infer<typeof OrderRequest>;
export const OrderResponse = z.object({
  order: z.object({
    id: Uuid,
    code: z.string(),
    eventId: Uuid,
    totalMinor: z.number().int(),
    currency: Currency,
    createdAt: z.string(),
    /** With a voucher: the total before it, what it took off, and its code. */
    subtotalMinor: z.number().int().optional(),
    discountMinor: z.number().int().nonnegative().optional(),
    voucherCode: z.string().nullable().optional(),
    /** With a voucher: what it took off one ticket of each type. */
    discounts: z.array(z.object({ ticketTypeId: Uuid, unitDiscountMinor: z.number().int().nonnegative() })).optional(),
  }),
  tickets: z.array(TicketRow),
});
export type OrderResponse = z.infer<typeof OrderResponse>;

// ---- vouchers ------------------------------------------------------------------------------------
/** GET /v1/vouchers/:code?eventId= — whether a voucher applies now (server time), without redeeming it. */
export const VoucherPreviewQuery = z.object({ eventId: Uuid }).strict();
export const VoucherPreview = z.object({
  code: z.string(),
  /** null: it applies now (to a cart of its types within its limits); else why not. */
  problem: z.enum(VOUCHER_PROBLEMS).nullable(),
  /** Its rule, for pricing the cart the same way the server will (absent when unknown). */
  voucher: z
    .object({
      kind: z.enum(VOUCHER_KINDS),
      value: z.number().int(),
      currency: Currency.nullable(),
      ticketTypeIds: z.array(Uuid).nullable(),
      validFrom: z.string().nullable(),
      validUntil: z.string().nullable(),
      maxUses: z.number().int().nullable(),
      used: z.number().int(),
      maxPerOrder: z.number().int().nullable(),
    })
    .nullable(),
  /** What it takes off one ticket of each of the event's types it discounts. */
  discounts: z.array(z.object({ ticketTypeId: Uuid, unitDiscountMinor: z.number().int().nonnegative() })),
  /** The server's clock when it answered. */
  at: z.string(),
});
export type VoucherPreview = z.infer<typeof VoucherPreview>;
// ---- seat leases (offline sales) ------------------------------------------------------------------
/** POST /v1/leases — asks for `quantity` seats of one ticket type for this device to sell offline. The
 *  terminal makes the lease id, so a lost answer is asked again under the same id and answered with the
 *  lease already granted. The server may grant fewer seats than asked (what stock has left). */
export const LeaseRequest = z
  .object({
    leaseId: Uuid,
    eventId: Uuid,
    ticketTypeId: Uuid,
    quantity: z.number().int().min(1).max(500),
    /** How long the terminal may sell on it, in seconds. */
    durationS: z.number().int().min(60).max(7 * 86_400),
  })
  .strict();
export type LeaseRequest = z.infer<typeof LeaseRequest>;
/** A leased seat: its ticket's id and signed code, minted at the grant; it becomes a ticket when sold. */
export const LeasedTicket = z.object({
  id: Uuid,
  ticketTypeId: Uuid,
  code: z.string(),
  rotatingSecret: z.string().nullable(),
  validFrom: z.string().nullable(),
  validTo: z.string().nullable(),
});
export type LeasedTicket = z.infer<typeof LeasedTicket>;
export const LEASE_STATES = ['active', 'returned', 'reclaimed'] as const;
export const LeaseInfo = z.object({
  id: Uuid,
  eventId: Uuid,
  ticketTypeId: Uuid,
  size: z.number().int().nonnegative(),
  grantedAt: z.string(),
  /** The terminal sells on it until then (server time). */
  endsAt: z.string(),
  /** Unsold seats go back to stock (and their codes are revoked) at this time if never returned. */
  reclaimAfter: z.string(),
  state: z.enum(LEASE_STATES),
});
export type LeaseInfo = z.infer<typeof LeaseInfo>;
export const LeaseResponse = z.object({ lease: LeaseInfo, tickets: z.array(LeasedTicket) });
export type LeaseResponse = z.infer<typeof LeaseResponse>;
export const LeaseIdParams = z.object({ id: Uuid }).strict();
/** GET /v1/leases — this device's leases still open. */
export const ActiveLeasesResponse = z.object({ leases: z.array(LeaseInfo) });
/** POST /v1/leases/:id/return — the unsold seats go back to stock and their codes are revoked. */
export const LeaseReturnResponse = z.object({ lease: LeaseInfo, sold: z.number().int(), returned: z.number().int() });
export type LeaseReturnResponse = z.infer<typeof LeaseReturnResponse>;

// ---- check-ins -----------------------------------------------------------------------------------
/** POST /v1/checkins/claim — online claim of a single-use ticket, answered within the terminal's budget. */
export const ClaimRequest = z
  .object({
    checkinId: Uuid,
    ticketId: Uuid,
    at: z.string().datetime(),
    pointId: Uuid.nullable().default(null),
    direction: Direction.default('entry'),
  })
  .strict();
export const ClaimResponse = z.object({
  status: z.enum(['accepted', 'duplicate', 'conflict']),
  /** For conflict: when and where the ticket was first admitted. */
  firstAt: z.string().nullable(),
  /** For conflict: the rules' reason (already_used, revoked, wrong_zone …), so the gate shows the right one. */
  reason: Reason.optional(),
});
export type ClaimResponse = z.infer<typeof ClaimResponse>;

/** POST /v1/push — an outbox batch; every record is answered, none silently dropped. The records are
 *  the domain's outbox records (domain/outbox.ts PushRecord). */
/** Records are validated one by one, so one bad record cannot block a terminal's whole outbox. */
export const PushRequest = z.object({ records: z.array(z.unknown()).min(1).max(1000) }).strict();
export const PushResult = z.object({
  id: z.string(),
  status: z.enum(['accepted', 'duplicate', 'conflict', 'invalid']),
  detail: z.string().optional(),
});
export const PushResponse = z.object({ results: z.array(PushResult) });
export type PushResponse = z.infer<typeof PushResponse>;

// ---- WebSocket /v1/ws ----------------------------------------------------------------------------
/** Server → terminal: there are changes up to `seq`; pull them. */
export const Poke = z.object({ type: z.literal('poke'), seq: z.number().int() });
export type Poke = z.infer<typeof Poke>;

/** Every HTTP answer of the server carries its clock (ms since the epoch), so a terminal learns the
 *  offset of its own clock from any round trip. */
export const SERVER_TIME_HEADER = 'x-admit-server-time';
/** Largest message either side sends over the terminal WebSocket; a larger one is refused unread. */
export const MAX_WS_MESSAGE_BYTES = 4096;
/** Claims one socket may have open at the server at once; more are answered `busy`. */
export const MAX_WS_CLAIMS_IN_FLIGHT = 64;
/** The id a terminal gives a request on its WebSocket; the answer carries it back. */
const WsRequestId = z.string().min(1).max(64);
/** The server's clock in ms since the epoch (carried by hello, pong and every claim answer). */
const ServerTime = z.number().int().nonnegative();

/** Terminal → server: claim one admission (the same request as POST /v1/checkins/claim). */
export const WsClaim = z.object({ type: z.literal('claim'), id: WsRequestId, claim: ClaimRequest }).strict();
/** Terminal → server: a heartbeat that also asks for the server's clock. */
export const WsPing = z.object({ type: z.literal('ping'), id: WsRequestId }).strict();
export const WsTerminalMessage = z.discriminatedUnion('type', [WsClaim, WsPing]);
export type WsTerminalMessage = z.infer<typeof WsTerminalMessage>;

/** Server → terminal, once on connect: its clock. */
export const WsHello = z.object({ type: z.literal('hello'), serverTime: ServerTime, protocol: z.number().int() });
export const WsPong = z.object({ type: z.literal('pong'), id: WsRequestId, serverTime: ServerTime });
export const WsClaimAnswer = z.object({ type: z.literal('claimed'), id: WsRequestId, serverTime: ServerTime, result: ClaimResponse });
/** A message the server could not take (unreadable, too large, not a known request) or a claim it
 *  refused; `id` is the request's when it could be read. Nothing was changed. */
export const WsError = z.object({
  type: z.literal('error'),
  id: WsRequestId.nullable(),
  serverTime: ServerTime,
  error: z.object({ code: z.string().max(64), detail: z.string().max(500).optional() }),
});
export const WsServerMessage = z.discriminatedUnion('type', [Poke, WsHello, WsPong, WsClaimAnswer, WsError]);
export type WsServerMessage = z.infer<typeof WsServerMessage>;

// ---- admin (organizer) ---------------------------------------------------------------------------
/** The events a device paired with this code will serve come with it. */
export const PairingCodeResponse = z.object({
  code: z.string(),
  expiresAt: z.string(),
  eventIds: z.array(Uuid),
  /** What a QR code of this pairing carries: admit://pair?server=<url>&code=<code> (pairingUri). */
  qrPayload: z.string().optional(),
  /** The same QR code drawn as a PNG data URL. */
  qrDataUrl: z.string().optional(),
});
export const DeviceInfo = z.object({
  id: Uuid,
  name: z.string(),
  createdAt: z.string(),
  lastSeenAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  /** The events this device serves: it sells, claims and checks in their tickets only, and receives only
   *  their rows. */
  eventIds: z.array(Uuid),
});
export const CheckinListItem = z.object({
  id: Uuid,
  ticketId: Uuid,
  ticketCode: z.string(),
  deviceId: Uuid,
  deviceName: z.string(),
  at: z.string(),
  status: z.enum(['accepted', 'conflict']),
});
export type CheckinListItem = z.infer<typeof CheckinListItem>;

// ---- additions by the server (v1, backwards compatible) --------------------------------------------
/** GET /v1/changes: `limit` defaults to CHANGES_DEFAULT_LIMIT; larger values are clamped to CHANGES_MAX_LIMIT.
 *  When `more` is false, `next` may be past the last returned seq (the server skips empty ranges). */
export const CHANGES_DEFAULT_LIMIT = 5000;
export const CHANGES_MAX_LIMIT = 20_000;
/** Change kinds a terminal of an earlier version cannot parse: sent only to a terminal that names them in
 *  `with` (comma-separated). A terminal that starts asking for them pulls again from 0 once (its local
 *  migration resets its cursor), so rows of them below its old cursor are not missed. */
export const OPTIONAL_CHANGE_KINDS = [
  'event_session',
  'quota',
  'form',
  'badge_template',
  'badge_settings',
  'badge_print',
  'attendee_info',
  'entitlement',
  'kiosk_settings',
  'kiosk_alert',
] as const;
export type OptionalChangeKind = (typeof OPTIONAL_CHANGE_KINDS)[number];
export const ChangesQuery = z.object({
  since: z.coerce.number().int().min(0).max(MAX_SEQ).default(0),
  with: z
    .string()
    .max(200)
    .default('')
    .transform((list) => OPTIONAL_CHANGE_KINDS.filter((kind) => list.split(',').includes(kind))),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .default(CHANGES_DEFAULT_LIMIT)
    .transform((limit) => Math.min(limit, CHANGES_MAX_LIMIT)),
});
/** A pairing code is valid for this long and only once. */
export const PAIRING_CODE_TTL_MS = 10 * 60_000;
/** WebSocket close code sent when the server revokes the connected device. */
export const WS_CLOSE_TOKEN_REVOKED = 4001;
/** WebSocket close code sent to a device's oldest connection when it opens more than the server allows. */
export const WS_CLOSE_TOO_MANY_CONNECTIONS = 4008;

/** GET /admin/v1/devices */
export const DevicesResponse = z.object({ devices: z.array(DeviceInfo) });
/** POST /admin/v1/devices/:id/revoke */
export const DeviceResponse = z.object({ device: DeviceInfo });
/** GET /admin/v1/checkins?limit&status&ticketId — newest first. */
export const CheckinsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  status: z.enum(['accepted', 'conflict']).optional(),
  ticketId: Uuid.optional(),
});
export const CheckinsResponse = z.object({ checkins: z.array(CheckinListItem) });
/** POST /admin/v1/events — an event with its ticket types (all priced in the event's currency). */
export const CreateEventRequest = z
  .object({
    id: Uuid.optional(),
    name: LocalizedInput.refine((name) => Object.keys(name).length > 0, 'at least one language'),
    startsAt: z.string().datetime({ offset: true }),
    endsAt: z.string().datetime({ offset: true }),
    timezone: z.string().min(1).max(64),
    currency: z.string().regex(/^[A-Z]{3}$/),
    ticketTypes: z
      .array(
        z
          .object({
            id: Uuid.optional(),
            name: LocalizedInput,
            priceMinor: z.number().int().nonnegative().max(MAX_AMOUNT_MINOR),
            capacity: z.number().int().nonnegative().max(MAX_CAPACITY).nullable().default(null),
          })
          .strict(),
      )
      .min(1)
      .max(100),
  })
  .strict();
export type CreateEventRequest = z.infer<typeof CreateEventRequest>;
export const AdminEvent = EventRow.extend({ ticketTypes: z.array(TicketTypeRow) });
export type AdminEvent = z.infer<typeof AdminEvent>;
/** POST /admin/v1/events */
export const AdminEventResponse = z.object({ event: AdminEvent });
/** GET /admin/v1/events */
export const AdminEventsResponse = z.object({ events: z.array(AdminEvent) });

/** The URI a pairing QR code carries; the pairing screen fills the server address and code from it. */
export function pairingUri(serverUrl: string, code: string): string {
  return `admit://pair?server=${encodeURIComponent(serverUrl)}&code=${encodeURIComponent(code)}`;
}

// ---- terminal status report (v1, backwards compatible) ---------------------------------------------
/** How often a terminal reports its status while online, besides on connect and on every change. */
export const STATUS_REPORT_EVERY_MS = 60_000;
export const MAX_STATUS_DEVICES = 32;
const ShortCode = z.string().min(1).max(40).regex(/^[A-Za-z0-9_.-]+$/);
/** One device a terminal drives, as its supervisor knows it: what it is, its driver (model), its state.
 *  Never a read value (no codes, no ID numbers), never personal data. */
export const StatusDevice = z.object({
  id: z.string().min(1).max(64),
  kind: ShortCode,
  model: ShortCode,
  name: z.string().max(80),
  state: ShortCode,
  reason: ShortCode.nullable(),
});
export type StatusDevice = z.infer<typeof StatusDevice>;
/** POST /v1/status — what a terminal tells the organizer about itself: its modes, the point its gate
 *  serves, its backlogs (records not yet at the server), its version and devices. Bounded in every
 *  field; unknown fields of a newer terminal are ignored. */
export const TerminalStatusReport = z.object({
  version: z.string().max(64),
  modes: z.array(ShortCode).max(10),
  pointId: Uuid.nullable(),
  /** Outbox records (sales, check-ins, annulments, failed scans) not yet accepted by the server. */
  outbox: z.number().int().nonnegative().max(100_000_000),
  /** Audit-trail entries the server does not hold yet. */
  audit: z.number().int().nonnegative().max(100_000_000),
  devices: z.array(StatusDevice).max(MAX_STATUS_DEVICES),
});
export type TerminalStatusReport = z.infer<typeof TerminalStatusReport>;
export const StatusReportResponse = z.object({ receivedAt: z.string() });
export type StatusReportResponse = z.infer<typeof StatusReportResponse>;
