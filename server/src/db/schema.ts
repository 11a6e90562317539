// Owns the server's PostgreSQL schema (drizzle pg-core). drizzle-kit turns it into migrations/server/.
// Replicated tables (events, ticket_types, tickets, checkins, operators, check_in_points, event_keys,
// revocations) carry `seq` from ONE global sequence so a terminal can ask for "changes since N" across
// all of them; inserts take it from the column default, updates from the `bump_change_seq` triggers in
// the hand-written parts of the migrations (see migrations/server/).
import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  boolean,
  check,
  customType,
  index,
  integer,
  jsonb,
  pgSequence,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import {
  CHECKIN_STATUSES,
  type CheckinStatus,
  type Direction,
  DIRECTIONS,
  REENTRY_POLICIES,
  type ReentryPolicy,
  type Role,
  ROLES,
  TICKET_STATUSES,
  type TicketStatus,
} from '../../../domain/enums';
import { PAYMENT_METHODS, type PaymentMethod } from '../../../domain/tender';
import { type AttendeeField, type EventLanguage, SALE_CHANNELS, type SaleChannel } from '../../../domain/catalog';
import { LEASE_STATES } from '../../../domain/wire';
import { DELIVERY_CHANNELS, DELIVERY_STATES, type DeliveryChannel, type DeliveryError, type DeliveryState } from '../../../domain/delivery';
import { VOUCHER_KINDS, type VoucherKind } from '../../../domain/vouchers';
import type { OrderPayment } from '../../../domain/wire';
import type { RefundPolicy } from '../../../domain/refund-policy';
import type { PartPayout } from '../../../domain/refund-allocation';
import { type AttendeeInfoItem, KIOSK_ALERT_KINDS, type KioskSettings } from '../../../domain/kiosk-wire';

/** How a ticket came to be issued. */
export const TICKET_CHANNELS = ['box_office', 'kiosk', 'import', 'admin'] as const;
export type TicketChannel = (typeof TICKET_CHANNELS)[number];

/** bytea as a Buffer (PGlite hands back a Uint8Array, node-postgres a Buffer). */
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength)),
});

export const changeSeq = pgSequence('change_seq', { startWith: 1, increment: 1 });
/** Short event numbers carried inside signed codes (uint32). */
export const eventNoSeq = pgSequence('event_no_seq', { startWith: 1, increment: 1 });

/** Set from the global change sequence on insert; the `bump_change_seq` trigger re-stamps it on update. */
const seq = () =>
  bigint('seq', { mode: 'number' })
    .notNull()
    .default(sql`nextval('change_seq')`);
const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** `column in ('a', 'b', …)` from one of the domain's lists, so a CHECK admits exactly what the domain
 *  declares (the lists are constants of the code, never input). */
const oneOf = (column: AnyPgColumn, values: readonly string[]) =>
  sql`${column} in (${sql.raw(values.map((v) => `'${v}'`).join(', '))})`;

export type LocalizedText = Record<string, string>;
export type TimeWindow = { from: string; to: string };

export const events = pgTable(
  'events',
  {
    id: uuid('id').primaryKey(),
    name: jsonb('name').$type<LocalizedText>().notNull(),
    startsAt: tstz('starts_at').notNull(),
    endsAt: tstz('ends_at').notNull(),
    timezone: text('timezone').notNull(),
    currency: text('currency').notNull(),
    /** Short number carried inside signed codes; from event_no_seq, never reused. */
    no: integer('no')
      .notNull()
      .default(sql`nextval('event_no_seq')`),
    /** Period of rotating codes in seconds; null: the event does not use them. */
    rotationPeriodS: integer('rotation_period_s'),
    /** Key of the ID-number HMAC (replicated: terminals hash what they read and search by the hash). The
     *  default only backfills rows that predate the column; new events get 32 random bytes as hex. */
    idSalt: text('id_salt')
      .notNull()
      .default(sql`replace(gen_random_uuid()::text, '-', '')`),
    createdAt: tstz('created_at').notNull().defaultNow(),
    /** When attendees' personal data of this event was erased (retention, services/retention.ts); not replicated. */
    personalDataPurgedAt: tstz('personal_data_purged_at'),
    // -- event set-up (admin catalog) --
    venue: text('venue'),
    address: text('address'),
    /** The UI languages offered to attendees (domain/catalog.ts EVENT_LANGUAGES). */
    languages: jsonb('languages').$type<EventLanguage[]>().notNull().default(['en']),
    defaultLanguage: text('default_language').$type<EventLanguage>().notNull().default('en'),
    seq: seq(),
  },
  (t) => [
    index('events_seq_idx').on(t.seq),
    uniqueIndex('events_no_idx').on(t.no),
    check('events_currency_len', sql`char_length(${t.currency}) = 3`),
    check('events_rotation_period', sql`${t.rotationPeriodS} is null or ${t.rotationPeriodS} > 0`),
  ],
);

/** Per-event Ed25519 keys for signed codes. The private key never leaves this table: it is not
 *  replicated (the change feed selects the public columns only) and never logged. */
export const eventKeys = pgTable(
  'event_keys',
  {
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id),
    keyId: integer('key_id').notNull(),
    /** base64 of the raw 32-byte public key. */
    publicKey: text('public_key').notNull(),
    /** base64 of the raw 32-byte private key (the Ed25519 seed). */
    privateKey: text('private_key').notNull(),
    /** The key new codes are signed with (one per event). */
    signing: boolean('signing').notNull(),
    /** No longer validates codes. */
    retired: boolean('retired').notNull().default(false),
    createdAt: tstz('created_at').notNull().defaultNow(),
    seq: seq(),
  },
  (t) => [
    primaryKey({ columns: [t.eventId, t.keyId] }),
    index('event_keys_seq_idx').on(t.seq),
    uniqueIndex('event_keys_one_signing_per_event')
      .on(t.eventId)
      .where(sql`signing`),
    check('event_keys_key_id', sql`${t.keyId} between 0 and 255`),
  ],
);

export const ticketTypes = pgTable(
  'ticket_types',
  {
    id: uuid('id').primaryKey(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id),
    name: jsonb('name').$type<LocalizedText>().notNull(),
    priceMinor: integer('price_minor').notNull(),
    currency: text('currency').notNull(),
    /** null = unlimited. */
    capacity: integer('capacity'),
    sold: integer('sold').notNull().default(0),
    sortOrder: integer('sort_order').notNull().default(0),
    /** Short number carried inside signed codes, unique within the event (uint16). */
    no: integer('no').notNull(),
    /** Zones this type admits to; empty: all zones. */
    zones: jsonb('zones').$type<string[]>().notNull().default([]),
    // -- sale rules (admin catalog, domain/catalog.ts) --
    /** The session it is for; null: the whole event. */
    sessionId: uuid('session_id').references((): AnyPgColumn => eventSessions.id),
    /** Sale window; null: no bound. */
    saleStartsAt: tstz('sale_starts_at'),
    saleEndsAt: tstz('sale_ends_at'),
    maxPerOrder: integer('max_per_order'),
    maxPerAttendee: integer('max_per_attendee'),
    channels: jsonb('channels').$type<SaleChannel[]>().notNull().default([...SALE_CHANNELS]),
    /** An ID number is required for every ticket of it. */
    realName: boolean('real_name').notNull().default(false),
    requiredFields: jsonb('required_fields').$type<AttendeeField[]>().notNull().default([]),
    /** Refunds and exchanges of its tickets (domain/refund-policy.ts); null: neither is allowed. */
    refundPolicy: jsonb('refund_policy').$type<RefundPolicy>(),
    active: boolean('active').notNull().default(true),
    seq: seq(),
  },
  (t) => [
    index('ticket_types_seq_idx').on(t.seq),
    index('ticket_types_event_idx').on(t.eventId),
    uniqueIndex('ticket_types_event_no_idx').on(t.eventId, t.no),
    check('ticket_types_no_range', sql`${t.no} between 0 and 65535`),
    // Last line of defence against overselling, whatever code path writes `sold`.
    check(
      'ticket_types_sold_within_capacity',
      sql`${t.sold} >= 0 and (${t.capacity} is null or ${t.sold} <= ${t.capacity})`,
    ),
    check('ticket_types_price_nonnegative', sql`${t.priceMinor} >= 0`),
    check(
      'ticket_types_sale_window',
      sql`${t.saleStartsAt} is null or ${t.saleEndsAt} is null or ${t.saleEndsAt} > ${t.saleStartsAt}`,
    ),
    check('ticket_types_max_per_order', sql`${t.maxPerOrder} is null or ${t.maxPerOrder} > 0`),
    check('ticket_types_max_per_attendee', sql`${t.maxPerAttendee} is null or ${t.maxPerAttendee} > 0`),
  ],
);

// ---- admin catalog: sessions and shared quotas ------------------------------------------------------
/** Sessions of an event (concert nights, screenings, conference days); replicated. */
export const eventSessions = pgTable(
  'event_sessions',
  {
    id: uuid('id').primaryKey(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id),
    name: jsonb('name').$type<LocalizedText>().notNull(),
    startsAt: tstz('starts_at').notNull(),
    endsAt: tstz('ends_at').notNull(),
    sort: integer('sort').notNull().default(0),
    active: boolean('active').notNull().default(true),
    seq: seq(),
  },
  (t) => [
    index('event_sessions_seq_idx').on(t.seq),
    index('event_sessions_event_idx').on(t.eventId),
    check('event_sessions_times', sql`${t.endsAt} >= ${t.startsAt}`),
  ],
);

/** A quota shared by ticket types: their tickets together never exceed `capacity`. `sold` counts the
 *  tickets sold of its member types (kept with every sale, under the row lock); replicated with its
 *  members' ids. */
export const quotas = pgTable(
  'quotas',
  {
    id: uuid('id').primaryKey(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id),
    name: jsonb('name').$type<LocalizedText>().notNull(),
    capacity: integer('capacity').notNull(),
    sold: integer('sold').notNull().default(0),
    seq: seq(),
  },
  (t) => [
    index('quotas_seq_idx').on(t.seq),
    index('quotas_event_idx').on(t.eventId),
    // Last line of defence against overselling a shared quota.
    check('quotas_sold_within_capacity', sql`${t.sold} >= 0 and ${t.sold} <= ${t.capacity}`),
  ],
);

export const quotaTicketTypes = pgTable(
  'quota_ticket_types',
  {
    quotaId: uuid('quota_id')
      .notNull()
      .references(() => quotas.id),
    ticketTypeId: uuid('ticket_type_id')
      .notNull()
      .references(() => ticketTypes.id),
  },
  (t) => [primaryKey({ columns: [t.quotaId, t.ticketTypeId] }), index('quota_ticket_types_type_idx').on(t.ticketTypeId)],
);

export const devices = pgTable(
  'devices',
  {
    id: uuid('id').primaryKey(),
    name: text('name').notNull(),
    /** sha256(token) hex; the token itself is only ever in the pairing response. */
    tokenHash: text('token_hash').notNull(),
    createdAt: tstz('created_at').notNull().defaultNow(),
    lastSeenAt: tstz('last_seen_at'),
    revokedAt: tstz('revoked_at'),
    /** The events this device's cache was last known complete for; while it differs from the device's
     *  events, the change feed checks whether the terminal must drop rows or pull again from 0 (see
     *  services/changes.ts). */
    feedEventIds: jsonb('feed_event_ids').$type<string[]>().notNull().default([]),
    /** The highest change number the feed has handed this device as `next`: rows at or below it that
     *  the device did not serve then are missing from its cache. */
    feedSeq: bigint('feed_seq', { mode: 'number' }).notNull().default(0),
    // ---- terminals admin (admin/terminals.ts) ----
    /** The terminal's last status report (wire TerminalStatusReport), as it sent it. */
    status: jsonb('status').$type<Record<string, unknown>>(),
    statusAt: tstz('status_at'),
    /** The check-in point the organizer assigned this terminal (one of its events' points); its gate
     *  serves it by default. */
    assignedPointId: uuid('assigned_point_id'),
  },
  (t) => [uniqueIndex('devices_token_hash_idx').on(t.tokenHash)],
);

/** The events a device serves: it sells, claims and checks in only their tickets and receives only their
 *  rows from the change feed. */
export const deviceEvents = pgTable(
  'device_events',
  {
    deviceId: uuid('device_id')
      .notNull()
      .references(() => devices.id),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id),
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.deviceId, t.eventId] }), index('device_events_event_idx').on(t.eventId)],
);

export const orders = pgTable(
  'orders',
  {
    id: uuid('id').primaryKey(),
    /** Short code read aloud or printed on the receipt; not a secret. */
    code: text('code').notNull(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id),
    deviceId: uuid('device_id').references(() => devices.id),
    totalMinor: integer('total_minor').notNull(),
    currency: text('currency').notNull(),
    paymentMethod: text('payment_method').$type<PaymentMethod>().notNull(),
    /** What the customer handed over (cash) or was charged (card), in minor units. */
    amountMinor: integer('amount_minor').notNull(),
    /** The tenders that made up the payment (method and amount each), in the order taken; null from
     *  terminals that sent none (the payment was then one tender of paymentMethod). */
    payments: jsonb('payments').$type<OrderPayment[]>(),
    createdAt: tstz('created_at').notNull().defaultNow(),
    /** The voucher applied, and what it took off the total (total_minor is after it). */
    voucherId: uuid('voucher_id').references((): AnyPgColumn => vouchers.id),
    discountMinor: integer('discount_minor').notNull().default(0),
    /** Discounted tickets: the voucher uses this order took. */
    voucherUses: integer('voucher_uses').notNull().default(0),
  },
  (t) => [
    uniqueIndex('orders_code_idx').on(t.code),
    check('orders_payment_method', oneOf(t.paymentMethod, PAYMENT_METHODS)),
    check('orders_discount', sql`${t.discountMinor} >= 0 and ${t.voucherUses} >= 0`),
  ],
);

/** Vouchers and promo codes of an event (domain/vouchers.ts). Server only: terminals ask the server
 *  (a preview, and the order itself), which takes the uses under this row's lock. */
export const vouchers = pgTable(
  'vouchers',
  {
    id: uuid('id').primaryKey(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id),
    /** Normalized (upper case); unique within the event. */
    code: text('code').notNull(),
    kind: text('kind').$type<VoucherKind>().notNull(),
    /** percent: whole percent; fixed: minor units off each ticket in `currency`. */
    value: integer('value').notNull(),
    currency: text('currency'),
    /** null: every ticket type of the event. */
    ticketTypeIds: jsonb('ticket_type_ids').$type<string[]>(),
    validFrom: tstz('valid_from'),
    validUntil: tstz('valid_until'),
    maxUses: integer('max_uses'),
    used: integer('used').notNull().default(0),
    maxPerOrder: integer('max_per_order'),
    active: boolean('active').notNull().default(true),
    createdAt: tstz('created_at').notNull(),
    updatedAt: tstz('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('vouchers_event_code_idx').on(t.eventId, t.code),
    check('vouchers_kind', oneOf(t.kind, VOUCHER_KINDS)),
    check('vouchers_value', sql`${t.value} > 0 and (${t.kind} <> 'percent' or ${t.value} <= 100)`),
    // Last line of defence against over-redeeming, whatever code path writes `used`.
    check('vouchers_used_within_max', sql`${t.used} >= 0 and (${t.maxUses} is null or ${t.used} <= ${t.maxUses})`),
    check('vouchers_validity', sql`${t.validFrom} is null or ${t.validUntil} is null or ${t.validUntil} > ${t.validFrom}`),
  ],
);

export const tickets = pgTable(
  'tickets',
  {
    id: uuid('id').primaryKey(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id),
    ticketTypeId: uuid('ticket_type_id')
      .notNull()
      .references(() => ticketTypes.id),
    orderId: uuid('order_id').references(() => orders.id),
    /** Unguessable: the code is the credential at the gate. */
    code: text('code').notNull(),
    status: text('status').$type<TicketStatus>().notNull().default('valid'),
    paid: boolean('paid').notNull(),
    attendeeName: text('attendee_name'),
    /** The order's short code, so a terminal can find the tickets of a receipt offline. */
    orderCode: text('order_code'),
    phoneLast4: text('phone_last4'),
    /** hex HMAC-SHA256(event id_salt as UTF-8, normalized ID number); the number itself is never stored. */
    idHash: text('id_hash'),
    /** base64 secret of rotating codes (events with rotation_period_s only). */
    rotatingSecret: text('rotating_secret'),
    validFrom: tstz('valid_from'),
    validTo: tstz('valid_to'),
    createdAt: tstz('created_at').notNull().defaultNow(),
    seq: seq(),
    // ---- attendee import (admin/import.ts). Server only: none of these is replicated (the feed keeps
    // sending name, phoneLast4 and idHash), and the retention purge erases the personal ones.
    /** The attendee's id in the organizer's registration system: the key of an idempotent re-import. */
    externalId: text('external_id'),
    email: text('email'),
    /** The full number (digits with an optional leading +); terminals only get phone_last4. */
    phone: text('phone'),
    company: text('company'),
    /** Custom registration-form answers by field key. */
    answers: jsonb('answers').$type<Record<string, unknown>>(),
    /** How the ticket came to be; null: sold before channels were recorded. */
    channel: text('channel').$type<TicketChannel>(),
    /** What this ticket was sold at: its type's price less the voucher's discount on it (minor units;
     *  an order's tickets add up to its total). Server only. Null: sold before it was recorded (its
     *  type's price stands in). */
    paidMinor: integer('paid_minor'),
    importedAt: tstz('imported_at'),
    importJobId: uuid('import_job_id'),
    /** Keyed digest of the imported row's data (ID number included), so a re-import tells an unchanged
     *  row without hashing its ID number again; see admin/import.ts. */
    importDigest: text('import_digest'),
    /** The attendee's job title as the badge desk prints it (a correction at the desk sets it). Server only:
     *  terminals fetch it with the attendee's badge details (routes/badges.ts). */
    title: text('title'),
  },
  (t) => [
    index('tickets_seq_idx').on(t.seq),
    uniqueIndex('tickets_code_idx').on(t.code),
    index('tickets_order_idx').on(t.orderId),
    check('tickets_status', oneOf(t.status, TICKET_STATUSES)),
    check('tickets_phone_last4', sql`${t.phoneLast4} is null or ${t.phoneLast4} ~ '^[0-9]{4}$'`),
    uniqueIndex('tickets_event_external_id_idx')
      .on(t.eventId, t.externalId)
      .where(sql`external_id is not null`),
    check('tickets_channel', sql`${t.channel} is null or ${oneOf(t.channel, TICKET_CHANNELS)}`),
  ],
);

/** Where and how tickets are checked: entry or exit, re-entry policy, zone, opening windows. */
export const checkInPoints = pgTable(
  'check_in_points',
  {
    id: uuid('id').primaryKey(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id),
    name: jsonb('name').$type<LocalizedText>().notNull(),
    /** Empty: every ticket type of the event. */
    ticketTypeIds: jsonb('ticket_type_ids').$type<string[]>().notNull().default([]),
    zone: text('zone'),
    direction: text('direction').$type<Direction>().notNull(),
    reentry: text('reentry').$type<ReentryPolicy>().notNull(),
    /** Empty: always open. ISO instants. */
    windows: jsonb('windows').$type<TimeWindow[]>().notNull().default([]),
    /** Local HH:MM (event time zone) at which everyone inside counts as having left. */
    autoCheckoutAt: text('auto_checkout_at'),
    active: boolean('active').notNull().default(true),
    /** A point that redeems entitlements of this kind (e.g. 'meal'; domain/rules.ts); null: ordinary. */
    entitlement: text('entitlement'),
    createdAt: tstz('created_at').notNull().defaultNow(),
    seq: seq(),
  },
  (t) => [
    index('check_in_points_seq_idx').on(t.seq),
    index('check_in_points_event_idx').on(t.eventId),
    check('check_in_points_direction', oneOf(t.direction, DIRECTIONS)),
    check('check_in_points_reentry', oneOf(t.reentry, REENTRY_POLICIES)),
    check(
      'check_in_points_auto_checkout',
      sql`${t.autoCheckoutAt} is null or ${t.autoCheckoutAt} ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'`,
    ),
  ],
);

/** Incremental revocation list: one row per revoked ticket (the ticket's status says 'revoked' too). */
export const revocations = pgTable(
  'revocations',
  {
    ticketId: uuid('ticket_id')
      .primaryKey()
      .references(() => tickets.id),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id),
    at: tstz('at').notNull(),
    /** The organizer's note; not replicated. */
    reason: text('reason'),
    seq: seq(),
  },
  (t) => [index('revocations_seq_idx').on(t.seq)],
);

/** Money paid back or tickets swapped on an order (services/refunds.ts): one row per refund or exchange,
 *  its id made by the terminal so a retry finds it. Server only: gates learn of it through the
 *  revocations of its tickets. */
export const refunds = pgTable(
  'refunds',
  {
    id: uuid('id').primaryKey(),
    kind: text('kind').$type<'refund' | 'exchange'>().notNull(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id),
    deviceId: uuid('device_id').references(() => devices.id),
    /** The tickets revoked by it, in id order. */
    ticketIds: jsonb('ticket_ids').$type<string[]>().notNull(),
    /** Exchange: the tickets issued in their place. */
    newTicketIds: jsonb('new_ticket_ids').$type<string[]>().notNull().default([]),
    /** Paid back to the customer (minor units). */
    amountMinor: integer('amount_minor').notNull(),
    /** Kept by policy (minor units). */
    feeMinor: integer('fee_minor').notNull(),
    /** Exchange: the price difference the customer paid (minor units). */
    chargedMinor: integer('charged_minor').notNull().default(0),
    /** Exchange: how the difference was paid, tender by tender (their keys are `<this id>:<index>`);
     *  null when nothing was charged. */
    payments: jsonb('payments').$type<OrderPayment[]>(),
    /** Where the money paid back went, part by part of the order's payment (domain/refund-allocation.ts). */
    payouts: jsonb('payouts').$type<PartPayout[]>().notNull().default([]),
    currency: text('currency').notNull(),
    paymentMethod: text('payment_method').$type<PaymentMethod>().notNull(),
    reason: text('reason').notNull(),
    operatorId: uuid('operator_id').notNull(),
    approvedBy: uuid('approved_by'),
    createdAt: tstz('created_at').notNull(),
  },
  (t) => [
    index('refunds_order_idx').on(t.orderId),
    check('refunds_kind', sql`${t.kind} in ('refund', 'exchange')`),
    check('refunds_amounts', sql`${t.amountMinor} >= 0 and ${t.feeMinor} >= 0 and ${t.chargedMinor} >= 0`),
    check('refunds_payment_method', oneOf(t.paymentMethod, PAYMENT_METHODS)),
  ],
);

export const checkins = pgTable(
  'checkins',
  {
    /** Made by the terminal (UUIDv7), so retries and offline pushes deduplicate on it. */
    id: uuid('id').primaryKey(),
    // No foreign key on purpose: a pushed offline check-in is kept (as a conflict) even when it names a
    // ticket (or point) this server does not know, because check-ins are never silently dropped.
    ticketId: uuid('ticket_id').notNull(),
    deviceId: uuid('device_id')
      .notNull()
      .references(() => devices.id),
    at: tstz('at').notNull(),
    /** Several accepted rows per ticket are normal (re-entry policies); the rules decide, under a row lock
     *  on the ticket (see services/checkins.ts). annulled: no passage followed, not a use. */
    status: text('status').$type<CheckinStatus>().notNull(),
    receivedAt: tstz('received_at').notNull().defaultNow(),
    /** null: the terminal used no configured point (DEFAULT_POINT rules). */
    pointId: uuid('point_id'),
    direction: text('direction').$type<Direction>().notNull().default('entry'),
    /** Why the rules refused it (a REASONS code) — set on conflict rows; not replicated. */
    reason: text('reason'),
    /** The accepted check-in this one collided with (double-admission report); not replicated. */
    conflictsWith: uuid('conflicts_with'),
    seq: seq(),
  },
  (t) => [
    index('checkins_seq_idx').on(t.seq),
    // The history of a ticket, loaded for every claim and every pushed batch.
    index('checkins_ticket_idx').on(t.ticketId),
    index('checkins_conflicts_idx')
      .on(t.receivedAt)
      .where(sql`status = 'conflict'`),
    check('checkins_status', oneOf(t.status, CHECKIN_STATUSES)),
    check('checkins_direction', oneOf(t.direction, DIRECTIONS)),
  ],
);

/** The version of each ticket's check-in history: every write that adds to a ticket's history bumps
 *  it. A claim is decided on one read of history and version, then written by one conditional upsert of
 *  this row ("still the version I read") that inserts the check-in in the same statement; a claim that
 *  lost the race reads again. Not replicated. */
export const ticketVersions = pgTable('ticket_versions', {
  ticketId: uuid('ticket_id').primaryKey(),
  version: bigint('version', { mode: 'number' }).notNull(),
});

/** Annulments pushed by terminals ("no passage followed"). Kept for audit; one whose check-in has not
 *  arrived yet stays pending (applied_at null) and is applied when the check-in arrives. */
export const annulments = pgTable(
  'annulments',
  {
    /** The push record's id (deduplication). */
    id: uuid('id').primaryKey(),
    checkinId: uuid('checkin_id').notNull(),
    deviceId: uuid('device_id')
      .notNull()
      .references(() => devices.id),
    at: tstz('at').notNull(),
    reason: text('reason').notNull(),
    receivedAt: tstz('received_at').notNull().defaultNow(),
    appliedAt: tstz('applied_at'),
  },
  (t) => [
    index('annulments_checkin_idx').on(t.checkinId),
    index('annulments_pending_idx')
      .on(t.checkinId)
      .where(sql`applied_at is null`),
  ],
);

/** Refused scans pushed by terminals, for the organizer's reports. Not replicated. */
export const failedScans = pgTable(
  'failed_scans',
  {
    id: uuid('id').primaryKey(),
    deviceId: uuid('device_id')
      .notNull()
      .references(() => devices.id),
    code: text('code').notNull(),
    ticketId: uuid('ticket_id'),
    reason: text('reason').notNull(),
    at: tstz('at').notNull(),
    pointId: uuid('point_id'),
    receivedAt: tstz('received_at').notNull().defaultNow(),
  },
  (t) => [index('failed_scans_received_idx').on(t.receivedAt)],
);

/** Box-office shift reports pushed by terminals (X: the open shift so far; Z: the report that closed it,
 *  with the counted cash and its variance), for managers. Kept once per report id. Not replicated. */
export const shiftReports = pgTable(
  'shift_reports',
  {
    id: uuid('id').primaryKey(),
    deviceId: uuid('device_id')
      .notNull()
      .references(() => devices.id),
    shiftId: uuid('shift_id').notNull(),
    report: text('report', { enum: ['x', 'z'] }).notNull(),
    at: tstz('at').notNull(),
    openedAt: tstz('opened_at').notNull(),
    openedBy: text('opened_by').notNull(),
    closedAt: tstz('closed_at'),
    closedBy: text('closed_by'),
    currency: text('currency').notNull(),
    floatMinor: bigint('float_minor', { mode: 'number' }).notNull(),
    expectedCashMinor: bigint('expected_cash_minor', { mode: 'number' }).notNull(),
    countedMinor: bigint('counted_minor', { mode: 'number' }),
    varianceMinor: bigint('variance_minor', { mode: 'number' }),
    /** The report's totals as the terminal printed them (domain/shifts.ts ShiftTotals). */
    totals: jsonb('totals').$type<unknown>().notNull(),
    receivedAt: tstz('received_at').notNull().defaultNow(),
  },
  (t) => [index('shift_reports_shift_idx').on(t.shiftId), index('shift_reports_device_idx').on(t.deviceId, t.at)],
);

export const operators = pgTable(
  'operators',
  {
    id: uuid('id').primaryKey(),
    name: text('name').notNull(),
    role: text('role').$type<Role>().notNull(),
    /** scrypt hex, see domain/hashing.ts hashPin; the PIN is never stored. */
    pinHash: text('pin_hash').notNull(),
    pinSalt: text('pin_salt').notNull(),
    active: boolean('active').notNull().default(true),
    createdAt: tstz('created_at').notNull().defaultNow(),
    seq: seq(),
  },
  (t) => [
    index('operators_seq_idx').on(t.seq),
    check('operators_role', oneOf(t.role, ROLES)),
  ],
);

export const pairingCodes = pgTable(
  'pairing_codes',
  {
    id: uuid('id').primaryKey(),
    /** sha256 of the normalized code (no dash, upper case). */
    codeHash: text('code_hash').notNull(),
    createdAt: tstz('created_at').notNull().defaultNow(),
    expiresAt: tstz('expires_at').notNull(),
    usedAt: tstz('used_at'),
    deviceId: uuid('device_id').references(() => devices.id),
    /** The events the paired device will serve. */
    eventIds: jsonb('event_ids').$type<string[]>().notNull().default([]),
  },
  (t) => [uniqueIndex('pairing_codes_code_hash_idx').on(t.codeHash)],
);

export const seenRequests = pgTable(
  'seen_requests',
  {
    requestId: uuid('request_id').primaryKey(),
    deviceId: uuid('device_id'),
    /** The time embedded in the UUIDv7; once it is outside the accepted window the row can go. */
    issuedAt: tstz('issued_at').notNull(),
    seenAt: tstz('seen_at').notNull().defaultNow(),
  },
  (t) => [index('seen_requests_issued_at_idx').on(t.issuedAt)],
);

/** Key/value facts about this server installation (its stable id, …). */
export const serverMeta = pgTable('server_meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

/** One audit chain per device, plus the server's own ('server'): where it stands (the last entry taken
 *  into it) and how many breaks were flagged. Its row is locked while entries are added, so two pushes
 *  of one chain (or two server instances) take turns. */
export const auditChains = pgTable('audit_chains', {
  chain: text('chain').primaryKey(),
  headSeq: bigint('head_seq', { mode: 'number' }).notNull().default(0),
  headHash: text('head_hash').notNull(),
  breaks: integer('breaks').notNull().default(0),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
});

/** The entries of every chain, exactly as recorded (texts hashed as they are); append-only — triggers
 *  in the migration refuse UPDATE and DELETE. `hashOk`: the content matched its hash on arrival. */
export const auditEntries = pgTable(
  'audit_entries',
  {
    chain: text('chain').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    id: text('id').notNull(),
    at: text('at').notNull(),
    deviceId: text('device_id'),
    operatorId: text('operator_id'),
    action: text('action').notNull(),
    subject: text('subject'),
    detail: text('detail').notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
    hashOk: boolean('hash_ok').notNull(),
    receivedAt: tstz('received_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.chain, t.seq] }), index('audit_entries_received_idx').on(t.receivedAt)],
);

/** Every break flagged in a chain: kept, never cleared; the entries after it are still stored. */
export const auditBreaks = pgTable(
  'audit_breaks',
  {
    id: uuid('id').primaryKey(),
    chain: text('chain').notNull(),
    seq: bigint('seq', { mode: 'number' }),
    kind: text('kind').notNull(),
    detail: text('detail').notNull(),
    detectedAt: tstz('detected_at').notNull().defaultNow(),
  },
  (t) => [index('audit_breaks_chain_idx').on(t.chain, t.detectedAt)],
);

// ---- admin sessions (issue 9: staff) -------------------------------------------------------------

/** An admin operator's session at a paired terminal: opened with the operator's PIN through the device,
 *  valid only together with that device's token. Only the token's sha256 is kept. */
export const adminSessions = pgTable(
  'admin_sessions',
  {
    id: uuid('id').primaryKey(),
    operatorId: uuid('operator_id')
      .notNull()
      .references(() => operators.id),
    deviceId: uuid('device_id')
      .notNull()
      .references(() => devices.id),
    tokenHash: text('token_hash').notNull(),
    createdAt: tstz('created_at').notNull().defaultNow(),
    /** The absolute end; the idle end slides with last_used_at. */
    expiresAt: tstz('expires_at').notNull(),
    revokedAt: tstz('revoked_at'),
    lastUsedAt: tstz('last_used_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('admin_sessions_token_idx').on(t.tokenHash), index('admin_sessions_operator_idx').on(t.operatorId)],
);

/** Wrong PINs in a row per operator when opening an admin session (domain/lockout.ts rules). */
export const adminPinFailures = pgTable('admin_pin_failures', {
  operatorId: uuid('operator_id')
    .primaryKey()
    .references(() => operators.id),
  failures: integer('failures').notNull(),
  lastFailureAt: tstz('last_failure_at').notNull(),
  lockedUntil: tstz('locked_until').notNull(),
});

/** Who may serve a check-in point: one row per allowed operator or per allowed terminal (exactly one of
 *  the two is set). A point without operator rows admits any operator, without device rows any
 *  terminal. Replicated as the point's operatorIds / deviceIds (the point's seq is bumped on change). */
export const pointStaff = pgTable(
  'point_staff',
  {
    id: uuid('id').primaryKey(),
    pointId: uuid('point_id')
      .notNull()
      .references(() => checkInPoints.id),
    operatorId: uuid('operator_id').references(() => operators.id),
    deviceId: uuid('device_id').references(() => devices.id),
  },
  (t) => [
    index('point_staff_point_idx').on(t.pointId),
    uniqueIndex('point_staff_operator_idx')
      .on(t.pointId, t.operatorId)
      .where(sql`operator_id is not null`),
    uniqueIndex('point_staff_device_idx')
      .on(t.pointId, t.deviceId)
      .where(sql`device_id is not null`),
    check('point_staff_one_of', sql`(${t.operatorId} is null) <> (${t.deviceId} is null)`),
  ],
);

// ---- registration forms ---------------------------------------------------------------------------
/** One ticket type's registration form (domain/forms.ts), replaced whole on every edit. Replicated to the
 *  terminals of its event; `seq` is taken from the change sequence on every write by the writer itself
 *  (services in server/src/admin/forms.ts), so no trigger is needed. */
export const ticketTypeForms = pgTable(
  'ticket_type_forms',
  {
    ticketTypeId: uuid('ticket_type_id')
      .primaryKey()
      .references(() => ticketTypes.id),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id),
    /** The form's fields as parseForm accepted them. */
    fields: jsonb('fields').$type<unknown[]>().notNull(),
    /** 1 for the first form saved, one more on every replacement. */
    version: integer('version').notNull().default(1),
    updatedAt: tstz('updated_at').notNull(),
    seq: seq(),
  },
  (t) => [index('ticket_type_forms_seq_idx').on(t.seq), index('ticket_type_forms_event_idx').on(t.eventId)],
);

// ---- attendee import (admin/import.ts) ----------------------------------------------------------------
export const IMPORT_STATUSES = ['uploaded', 'mapped', 'checked', 'committing', 'done', 'failed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

export type ImportCounts = { rows: number; new: number; updated: number; unchanged: number; bad: number; problems: number; committed: number; skipped: number };

/** One attendee file on its way in: uploaded, mapped, checked (dry run), committed. */
export const importJobs = pgTable(
  'import_jobs',
  {
    id: uuid('id').primaryKey(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id),
    status: text('status').$type<ImportStatus>().notNull(),
    fileName: text('file_name').notNull(),
    fileSize: integer('file_size').notNull(),
    fileSha256: text('file_sha256').notNull(),
    format: text('format').$type<'csv' | 'xlsx'>().notNull(),
    /** The encoding the CSV was read with (detected or named); null for XLSX. */
    encoding: text('encoding'),
    /** The encoding was detected rather than named by the organizer. */
    encodingDetected: boolean('encoding_detected').notNull().default(false),
    delimiter: text('delimiter'),
    sheet: text('sheet'),
    header: jsonb('header').$type<string[]>().notNull(),
    headerLine: integer('header_line').notNull(),
    /** The organizer's mapping (admin/import-schemas.ts ImportMapping); null until mapped. */
    mapping: jsonb('mapping').$type<Record<string, unknown>>(),
    counts: jsonb('counts').$type<ImportCounts>().notNull(),
    /** Bounded summary of the last check or commit (problems by reason, what a commit skipped, a failure);
     *  the problems themselves are rows of import_problems. */
    report: jsonb('report').$type<Record<string, unknown>>().notNull().default({}),
    createdBy: text('created_by'),
    createdAt: tstz('created_at').notNull().defaultNow(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
    checkedAt: tstz('checked_at'),
    finishedAt: tstz('finished_at'),
  },
  (t) => [
    index('import_jobs_event_idx').on(t.eventId, t.createdAt),
    check('import_jobs_status', oneOf(t.status, IMPORT_STATUSES)),
    check('import_jobs_format', sql`${t.format} in ('csv', 'xlsx')`),
  ],
);

/** The uploaded bytes of a job, kept until it is committed (then dropped: they hold personal data). */
export const importFiles = pgTable('import_files', {
  jobId: uuid('job_id')
    .primaryKey()
    .references(() => importJobs.id, { onDelete: 'cascade' }),
  bytes: bytea('bytes').notNull(),
});

/** Every problem the last check (or commit) of a job found, one row per problem, in file order. */
export const importProblems = pgTable(
  'import_problems',
  {
    jobId: uuid('job_id')
      .notNull()
      .references(() => importJobs.id, { onDelete: 'cascade' }),
    /** Position in the report (0-based), the paging key. */
    ordinal: integer('ordinal').notNull(),
    /** The line of the file as the organizer sees it (the header is line 1); XLSX: the row number. */
    line: integer('line').notNull(),
    /** 1-based column; null for a problem of the whole row. */
    column: integer('column'),
    columnTitle: text('column_title'),
    field: text('field'),
    reason: text('reason').notNull(),
    message: text('message').notNull(),
    params: jsonb('params').$type<Record<string, string | number>>(),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.ordinal] })],
);

// ---- e-ticket delivery (server/src/delivery) ---------------------------------------------------------
/** The organizer's mail (SMTP) and SMS settings, one row per channel. The password or API key is sealed
 *  under the key-encryption key (keyring.ts sealSecret) and never leaves the server. Not replicated. */
export const deliverySettings = pgTable(
  'delivery_settings',
  {
    channel: text('channel').$type<DeliveryChannel>().primaryKey(),
    settings: jsonb('settings').$type<Record<string, unknown>>().notNull(),
    secret: text('secret'),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [check('delivery_settings_channel', oneOf(t.channel, DELIVERY_CHANNELS))],
);

/** One request to send an order's tickets by email or SMS, and where it stands. The id is the terminal's
 *  (a retry of the same request finds it). Not replicated; the address is the attendee's personal data. */
export const deliveries = pgTable(
  'deliveries',
  {
    id: uuid('id').primaryKey(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id),
    deviceId: uuid('device_id').references(() => devices.id),
    operatorId: uuid('operator_id'),
    ticketIds: jsonb('ticket_ids').$type<string[]>().notNull(),
    channel: text('channel').$type<DeliveryChannel>().notNull(),
    address: text('address').notNull(),
    language: text('language').$type<EventLanguage>().notNull(),
    state: text('state').$type<DeliveryState>().notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    errorCode: text('error_code').$type<DeliveryError>(),
    replyCode: integer('reply_code'),
    nextAttemptAt: tstz('next_attempt_at'),
    createdAt: tstz('created_at').notNull().defaultNow(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
    sentAt: tstz('sent_at'),
  },
  (t) => [
    index('deliveries_order_idx').on(t.orderId),
    index('deliveries_due_idx')
      .on(t.nextAttemptAt)
      .where(sql`state = 'queued'`),
    check('deliveries_channel', oneOf(t.channel, DELIVERY_CHANNELS)),
    check('deliveries_state', oneOf(t.state, DELIVERY_STATES)),
    check('deliveries_attempts', sql`${t.attempts} >= 0`),
  ],
);

// ---- seat leases (offline sales) --------------------------------------------------------------------
/** Seats of one ticket type granted to one box office to sell while it cannot reach the server. They
 *  count in the type's (and its quotas') `sold` from the grant, so no one else can sell them; unsold
 *  seats go back when the lease is returned or reclaimed. Server only: never replicated. */
export const leases = pgTable(
  'leases',
  {
    /** Made by the terminal, so a grant asked again after a lost answer finds this one. */
    id: uuid('id').primaryKey(),
    deviceId: uuid('device_id')
      .notNull()
      .references(() => devices.id),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id),
    ticketTypeId: uuid('ticket_type_id')
      .notNull()
      .references(() => ticketTypes.id),
    /** Seats granted (what stock had left, at most what was asked). */
    size: integer('size').notNull(),
    grantedAt: tstz('granted_at').notNull(),
    /** The terminal sells on it until then. */
    endsAt: tstz('ends_at').notNull(),
    /** Unsold seats are reclaimed from then on if the lease was not returned: a grace after endsAt for
     *  sales made offline before endsAt to arrive. */
    reclaimAfter: tstz('reclaim_after').notNull(),
    state: text('state').$type<(typeof LEASE_STATES)[number]>().notNull().default('active'),
    closedAt: tstz('closed_at'),
  },
  (t) => [
    index('leases_device_idx').on(t.deviceId),
    index('leases_active_idx').on(t.reclaimAfter).where(sql`state = 'active'`),
    check('leases_state', oneOf(t.state, LEASE_STATES)),
    check('leases_size', sql`${t.size} >= 0`),
  ],
);

export const LEASED_TICKET_STATES = ['leased', 'sold', 'returned'] as const;

/** The tickets of a lease's seats, minted and signed at the grant. A sold one becomes a row of
 *  `tickets` (same id and code) when its sale arrives; a returned one becomes a revoked row of `tickets`
 *  with its revocation, so every gate refuses its code. */
export const leasedTickets = pgTable(
  'leased_tickets',
  {
    id: uuid('id').primaryKey(),
    leaseId: uuid('lease_id')
      .notNull()
      .references(() => leases.id),
    ticketTypeId: uuid('ticket_type_id')
      .notNull()
      .references(() => ticketTypes.id),
    code: text('code').notNull(),
    rotatingSecret: text('rotating_secret'),
    validFrom: tstz('valid_from'),
    validTo: tstz('valid_to'),
    state: text('state').$type<(typeof LEASED_TICKET_STATES)[number]>().notNull().default('leased'),
    orderId: uuid('order_id').references(() => orders.id),
  },
  (t) => [
    index('leased_tickets_lease_idx').on(t.leaseId),
    uniqueIndex('leased_tickets_code_idx').on(t.code),
    check('leased_tickets_state', oneOf(t.state, LEASED_TICKET_STATES)),
  ],
);

// ---- badge desk (services/badges.ts) ------------------------------------------------------------------
/** An event's badge templates (domain/badge-wire.ts BadgeTemplateRow): the designer's layout and which
 *  attendees it is for. Replicated to the terminals of its event; like the forms, the writer takes `seq`
 *  from the change sequence on every write itself. A deleted template stays, inactive, so its deletion
 *  replicates. */
export const badgeTemplates = pgTable(
  'badge_templates',
  {
    /** Made by the admin terminal (a save asked again after a lost answer finds it). */
    id: uuid('id').primaryKey(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id),
    name: text('name').notNull(),
    ticketTypeIds: jsonb('ticket_type_ids').$type<string[]>().notNull().default([]),
    categories: jsonb('categories').$type<string[]>().notNull().default([]),
    isDefault: boolean('is_default').notNull().default(false),
    /** The layout as checkBadgeTemplate accepted it (domain/badge-template.ts). */
    template: jsonb('template').$type<unknown>().notNull(),
    /** 1 for the first save, one more on every save after it. */
    version: integer('version').notNull().default(1),
    active: boolean('active').notNull().default(true),
    updatedAt: tstz('updated_at').notNull(),
    seq: seq(),
  },
  (t) => [index('badge_templates_seq_idx').on(t.seq), index('badge_templates_event_idx').on(t.eventId), check('badge_templates_version', sql`${t.version} > 0`)],
);

/** An event's badge-desk settings (domain/badge-wire.ts BadgeSettings); an event without a row has the
 *  defaults. Replicated; the writer takes `seq` itself. */
export const badgeSettings = pgTable(
  'badge_settings',
  {
    eventId: uuid('event_id')
      .primaryKey()
      .references(() => events.id),
    reprintWindowS: integer('reprint_window_s').notNull(),
    reprintNeedsPin: boolean('reprint_needs_pin').notNull(),
    printChecksIn: boolean('print_checks_in').notNull(),
    updatedAt: tstz('updated_at').notNull(),
    seq: seq(),
  },
  (t) => [index('badge_settings_seq_idx').on(t.seq), check('badge_settings_reprint_window', sql`${t.reprintWindowS} >= 0`)],
);

/** Every badge printed, as the terminal that printed it pushed it (push record kind `badge_print`), kept
 *  once by its id. Replicated to every terminal of the event, so a reprint at any desk is known. */
export const badgePrints = pgTable(
  'badge_prints',
  {
    /** The terminal's record id. */
    id: uuid('id').primaryKey(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id),
    /** The pushing device. */
    deviceId: uuid('device_id')
      .notNull()
      .references(() => devices.id),
    operatorId: uuid('operator_id'),
    templateId: uuid('template_id'),
    printedAt: tstz('printed_at').notNull(),
    reprint: boolean('reprint').notNull(),
    reason: text('reason'),
    /** The manager or admin whose PIN allowed the reprint. */
    approvedBy: uuid('approved_by'),
    receivedAt: tstz('received_at').notNull().defaultNow(),
    seq: seq(),
  },
  (t) => [index('badge_prints_seq_idx').on(t.seq), index('badge_prints_ticket_idx').on(t.ticketId), index('badge_prints_event_idx').on(t.eventId)],
);

// ---- kiosk (services/kiosk.ts) ---------------------------------------------------------------------------
/** One attendee's information (domain/kiosk-wire.ts AttendeeInfoRow): the whole list of items, replaced on
 *  every save. Replicated to the terminals of its event; the writer takes `seq` itself on every write. */
export const attendeeInfo = pgTable(
  'attendee_info',
  {
    ticketId: uuid('ticket_id')
      .primaryKey()
      .references(() => tickets.id),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id),
    items: jsonb('items').$type<AttendeeInfoItem[]>().notNull().default([]),
    updatedAt: tstz('updated_at').notNull(),
    seq: seq(),
  },
  (t) => [index('attendee_info_seq_idx').on(t.seq), index('attendee_info_event_idx').on(t.eventId)],
);

/** A ticket's entitlements (domain/kiosk-wire.ts EntitlementRow), such as meal vouchers: at most one active
 *  row per ticket and kind; a withdrawn one stays, inactive, so its withdrawal replicates. The writer takes
 *  `seq` itself on every write. */
export const entitlements = pgTable(
  'entitlements',
  {
    id: uuid('id').primaryKey(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id),
    kind: text('kind').notNull(),
    label: jsonb('label').$type<LocalizedText>(),
    validFrom: tstz('valid_from'),
    validTo: tstz('valid_to'),
    active: boolean('active').notNull().default(true),
    updatedAt: tstz('updated_at').notNull(),
    seq: seq(),
  },
  (t) => [
    index('entitlements_seq_idx').on(t.seq),
    index('entitlements_ticket_idx').on(t.ticketId),
    uniqueIndex('entitlements_active_kind_idx').on(t.ticketId, t.kind).where(sql`${t.active}`),
    check('entitlements_kind', sql`${t.kind} ~ '^[a-z][a-z0-9_-]{0,39}$'`),
  ],
);

/** An event's kiosk settings (domain/kiosk-wire.ts KioskSettings); an event without a row has the defaults.
 *  Replicated; the writer takes `seq` itself. */
export const kioskSettings = pgTable(
  'kiosk_settings',
  {
    eventId: uuid('event_id')
      .primaryKey()
      .references(() => events.id),
    settings: jsonb('settings').$type<KioskSettings>().notNull(),
    updatedAt: tstz('updated_at').notNull(),
    seq: seq(),
  },
  (t) => [index('kiosk_settings_seq_idx').on(t.seq)],
);

/** The alerts kiosks raise for staff (push record kind `kiosk_alert`), kept once by id, with the pushing
 *  device; replicated to every terminal of the event (every terminal, when it names none). A manager's
 *  resolution re-stamps `seq`. No personal data: a ticket by its id at most. */
export const kioskAlerts = pgTable(
  'kiosk_alerts',
  {
    id: uuid('id').primaryKey(),
    deviceId: uuid('device_id')
      .notNull()
      .references(() => devices.id),
    eventId: uuid('event_id').references(() => events.id),
    kind: text('kind').notNull(),
    code: text('code').notNull(),
    ticketId: uuid('ticket_id'),
    raisedAt: tstz('raised_at').notNull(),
    resolvedAt: tstz('resolved_at'),
    resolvedBy: uuid('resolved_by'),
    receivedAt: tstz('received_at').notNull().defaultNow(),
    seq: seq(),
  },
  (t) => [
    index('kiosk_alerts_seq_idx').on(t.seq),
    index('kiosk_alerts_event_idx').on(t.eventId),
    check('kiosk_alerts_kind', oneOf(t.kind, KIOSK_ALERT_KINDS)),
  ],
);
