// Owns the terminal's local SQLite schema: the replicated cache (events, ticket types, tickets,
// operators), what this terminal produced (orders, check-ins, print jobs) and the outbox that carries
// it to the server. Server rows keep the server's ids; `seq` is the server change number.
import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const meta = sqliteTable('meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

export const events = sqliteTable('events', {
  id: text('id').primaryKey(),
  name: text('name', { mode: 'json' }).$type<Record<string, string>>().notNull(),
  startsAt: text('starts_at').notNull(),
  endsAt: text('ends_at').notNull(),
  timezone: text('timezone').notNull(),
  currency: text('currency').notNull(),
  seq: integer('seq').notNull(),
});

export const ticketTypes = sqliteTable('ticket_types', {
  id: text('id').primaryKey(),
  eventId: text('event_id')
    .notNull()
    .references(() => events.id),
  name: text('name', { mode: 'json' }).$type<Record<string, string>>().notNull(),
  priceMinor: integer('price_minor').notNull(),
  currency: text('currency').notNull(),
  capacity: integer('capacity'),
  sold: integer('sold').notNull(),
  seq: integer('seq').notNull(),
});

export const tickets = sqliteTable(
  'tickets',
  {
    id: text('id').primaryKey(),
    eventId: text('event_id').notNull(),
    ticketTypeId: text('ticket_type_id').notNull(),
    orderId: text('order_id'),
    code: text('code').notNull(),
    status: text('status', { enum: ['valid', 'cancelled', 'refunded', 'revoked'] }).notNull(),
    paid: integer('paid', { mode: 'boolean' }).notNull(),
    attendeeName: text('attendee_name'),
    seq: integer('seq').notNull(),
  },
  (t) => [uniqueIndex('tickets_code_idx').on(t.code)],
);

export const operators = sqliteTable('operators', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  role: text('role', { enum: ['cashier', 'gate', 'badge', 'kiosk', 'manager', 'admin'] }).notNull(),
  pinHash: text('pin_hash').notNull(),
  pinSalt: text('pin_salt').notNull(),
  active: integer('active', { mode: 'boolean' }).notNull(),
  seq: integer('seq').notNull(),
});

/** Every check-in this terminal knows of: its own scans (kept after upload) and those of other
 *  terminals learned through sync. */
export const checkins = sqliteTable(
  'checkins',
  {
    id: text('id').primaryKey(),
    ticketId: text('ticket_id').notNull(),
    deviceId: text('device_id'),
    at: text('at').notNull(),
    /** local: made here, not yet known to the server; accepted/conflict: the server's answer. */
    state: text('state', { enum: ['local', 'accepted', 'conflict'] }).notNull(),
    own: integer('own', { mode: 'boolean' }).notNull(),
  },
  (t) => [index('checkins_ticket_idx').on(t.ticketId)],
);

/** This terminal's scan history: every presented code with its verdict, admitted or not. */
export const scans = sqliteTable(
  'scans',
  {
    id: text('id').primaryKey(),
    code: text('code').notNull(),
    ticketId: text('ticket_id'),
    reason: text('reason').notNull(),
    admitted: integer('admitted', { mode: 'boolean' }).notNull(),
    confirmation: text('confirmation', { enum: ['confirmed', 'local'] }).notNull(),
    operatorId: text('operator_id'),
    at: text('at').notNull(),
  },
  (t) => [index('scans_at_idx').on(t.at)],
);

export const orders = sqliteTable('orders', {
  id: text('id').primaryKey(),
  code: text('code').notNull(),
  eventId: text('event_id').notNull(),
  totalMinor: integer('total_minor').notNull(),
  currency: text('currency').notNull(),
  paymentMethod: text('payment_method', { enum: ['cash', 'card'] }).notNull(),
  tenderedMinor: integer('tendered_minor').notNull(),
  changeMinor: integer('change_minor').notNull(),
  operatorId: text('operator_id').notNull(),
  createdAt: text('created_at').notNull(),
});

export const outbox = sqliteTable(
  'outbox',
  {
    id: text('id').primaryKey(),
    kind: text('kind', { enum: ['checkin'] }).notNull(),
    payload: text('payload', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    createdAt: text('created_at').notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
  },
  (t) => [index('outbox_created_idx').on(t.createdAt)],
);

export const printJobs = sqliteTable('print_jobs', {
  id: text('id').primaryKey(),
  printerId: text('printer_id').notNull(),
  kind: text('kind', { enum: ['ticket', 'receipt'] }).notNull(),
  document: text('document', { mode: 'json' }).$type<unknown>().notNull(),
  state: text('state', { enum: ['queued', 'printed', 'failed'] }).notNull(),
  error: text('error'),
  createdAt: text('created_at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
  printedAt: text('printed_at'),
});
