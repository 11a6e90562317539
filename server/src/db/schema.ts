// Owns the server's PostgreSQL schema (drizzle pg-core). drizzle-kit turns it into migrations/server/.
// Replicated tables (events, ticket_types, tickets, checkins, operators) carry `seq` from ONE global
// sequence so a terminal can ask for "changes since N" across all of them; inserts take it from the
// column default, updates from the trigger in the hand-written migration (see migrations/server/).
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgSequence,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

export const changeSeq = pgSequence('change_seq', { startWith: 1, increment: 1 });

/** Set from the global change sequence on insert; the `bump_change_seq` trigger re-stamps it on update. */
const seq = () =>
  bigint('seq', { mode: 'number' })
    .notNull()
    .default(sql`nextval('change_seq')`);
const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export type LocalizedText = Record<string, string>;
export type TicketStatus = 'valid' | 'cancelled' | 'refunded' | 'revoked';
export type CheckinStatus = 'accepted' | 'conflict';
export type OperatorRole = 'cashier' | 'gate' | 'badge' | 'kiosk' | 'manager' | 'admin';
export type PaymentMethod = 'cash' | 'card';

export const events = pgTable(
  'events',
  {
    id: uuid('id').primaryKey(),
    name: jsonb('name').$type<LocalizedText>().notNull(),
    startsAt: tstz('starts_at').notNull(),
    endsAt: tstz('ends_at').notNull(),
    timezone: text('timezone').notNull(),
    currency: text('currency').notNull(),
    createdAt: tstz('created_at').notNull().defaultNow(),
    seq: seq(),
  },
  (t) => [index('events_seq_idx').on(t.seq), check('events_currency_len', sql`char_length(${t.currency}) = 3`)],
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
    seq: seq(),
  },
  (t) => [
    index('ticket_types_seq_idx').on(t.seq),
    index('ticket_types_event_idx').on(t.eventId),
    // Last line of defence against overselling, whatever code path writes `sold`.
    check(
      'ticket_types_sold_within_capacity',
      sql`${t.sold} >= 0 and (${t.capacity} is null or ${t.sold} <= ${t.capacity})`,
    ),
    check('ticket_types_price_nonnegative', sql`${t.priceMinor} >= 0`),
  ],
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
  },
  (t) => [uniqueIndex('devices_token_hash_idx').on(t.tokenHash)],
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
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('orders_code_idx').on(t.code),
    check('orders_payment_method', sql`${t.paymentMethod} in ('cash', 'card')`),
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
    createdAt: tstz('created_at').notNull().defaultNow(),
    seq: seq(),
  },
  (t) => [
    index('tickets_seq_idx').on(t.seq),
    uniqueIndex('tickets_code_idx').on(t.code),
    index('tickets_order_idx').on(t.orderId),
    check('tickets_status', sql`${t.status} in ('valid', 'cancelled', 'refunded', 'revoked')`),
  ],
);

export const checkins = pgTable(
  'checkins',
  {
    /** Made by the terminal (UUIDv7), so retries and offline pushes deduplicate on it. */
    id: uuid('id').primaryKey(),
    // No foreign key on purpose: a pushed offline check-in is kept (as a conflict) even when it names a
    // ticket this server does not know, because check-ins are never silently dropped.
    ticketId: uuid('ticket_id').notNull(),
    deviceId: uuid('device_id')
      .notNull()
      .references(() => devices.id),
    at: tstz('at').notNull(),
    status: text('status').$type<CheckinStatus>().notNull(),
    receivedAt: tstz('received_at').notNull().defaultNow(),
    seq: seq(),
  },
  (t) => [
    index('checkins_seq_idx').on(t.seq),
    // At most one accepted check-in per ticket: this index is what makes claims race-free.
    uniqueIndex('checkins_one_accepted_per_ticket')
      .on(t.ticketId)
      .where(sql`status = 'accepted'`),
    check('checkins_status', sql`${t.status} in ('accepted', 'conflict')`),
  ],
);

export const operators = pgTable(
  'operators',
  {
    id: uuid('id').primaryKey(),
    name: text('name').notNull(),
    role: text('role').$type<OperatorRole>().notNull(),
    /** scrypt hex, see server/src/auth.ts hashPin; the PIN is never stored. */
    pinHash: text('pin_hash').notNull(),
    pinSalt: text('pin_salt').notNull(),
    active: boolean('active').notNull().default(true),
    createdAt: tstz('created_at').notNull().defaultNow(),
    seq: seq(),
  },
  (t) => [
    index('operators_seq_idx').on(t.seq),
    check('operators_role', sql`${t.role} in ('cashier', 'gate', 'badge', 'kiosk', 'manager', 'admin')`),
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
