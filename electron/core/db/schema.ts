// Owns the terminal's local SQLite schema: the replicated cache (events, ticket types, tickets,
// operators), what this terminal produced (orders, check-ins, print jobs) and the outbox that carries
// it to the server, and the gate's claims and the box office's sales still in flight (so a crash never
// leaves one unaccounted for). Server rows keep the server's ids; `seq` is the server change number.
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { DIRECTIONS, LOCAL_CHECKIN_STATES, REENTRY_POLICIES, ROLES, TICKET_STATUSES } from '../../../domain/enums';
import { PUSH_RECORD_KINDS, type PushRecord } from '../../../domain/outbox';
import { PAYMENT_METHODS, TENDER_METHODS } from '../../../domain/tender';

export const PENDING_SALE_STATES = ['pending', 'recorded', 'done', 'failed'] as const;
/** What happened to a payment: set aside, taken, given back because its order was not made (or a
 *  void that could not reach the payment yet), or paid back in part or whole after the sale. */
/** A payment's steps. A refund of a part goes refund_pending (planned, with the others of its refund)
 *  → refund_sent (asked of the port) → refunded or refund_failed (the port refused: nothing paid). */
export const PAYMENT_JOURNAL_ACTIONS = ['authorized', 'captured', 'voided', 'void_failed', 'refunded', 'refund_pending', 'refund_sent', 'refund_failed'] as const;

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
  no: integer('no').notNull().default(0),
  rotationPeriodS: integer('rotation_period_s'),
  idSalt: text('id_salt').notNull().default(''),
  // -- event set-up (admin catalog) --
  venue: text('venue'),
  address: text('address'),
  languages: text('languages', { mode: 'json' }).$type<string[]>().notNull().default(sql`'["en"]'`),
  defaultLanguage: text('default_language').notNull().default('en'),
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
  no: integer('no').notNull().default(0),
  zones: text('zones', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
  // -- sale rules (admin catalog, domain/catalog.ts) --
  sessionId: text('session_id'),
  saleStartsAt: text('sale_starts_at'),
  saleEndsAt: text('sale_ends_at'),
  maxPerOrder: integer('max_per_order'),
  maxPerAttendee: integer('max_per_attendee'),
  channels: text('channels', { mode: 'json' }).$type<string[]>().notNull().default(sql`'["box_office","kiosk","import"]'`),
  realName: integer('real_name', { mode: 'boolean' }).notNull().default(false),
  requiredFields: text('required_fields', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
  active: integer('active', { mode: 'boolean' }).notNull().default(true),
  sortOrder: integer('sort_order').notNull().default(0),
  seq: integer('seq').notNull(),
});

// ---- admin catalog: sessions and shared quotas (replicated) -------------------------------------------
export const eventSessions = sqliteTable('event_sessions', {
  id: text('id').primaryKey(),
  eventId: text('event_id').notNull(),
  name: text('name', { mode: 'json' }).$type<Record<string, string>>().notNull(),
  startsAt: text('starts_at').notNull(),
  endsAt: text('ends_at').notNull(),
  sort: integer('sort').notNull(),
  active: integer('active', { mode: 'boolean' }).notNull(),
  seq: integer('seq').notNull(),
});

/** A quota shared by ticket types, with its members' ids (JSON array). */
export const quotas = sqliteTable('quotas', {
  id: text('id').primaryKey(),
  eventId: text('event_id').notNull(),
  name: text('name', { mode: 'json' }).$type<Record<string, string>>().notNull(),
  capacity: integer('capacity').notNull(),
  sold: integer('sold').notNull(),
  ticketTypeIds: text('ticket_type_ids', { mode: 'json' }).$type<string[]>().notNull(),
  seq: integer('seq').notNull(),
});

/** A ticket type's registration form as the server last sent it (domain/forms.ts); read with parseForm. */
export const ticketTypeForms = sqliteTable(
  'ticket_type_forms',
  {
    ticketTypeId: text('ticket_type_id').primaryKey(),
    eventId: text('event_id').notNull(),
    fields: text('fields', { mode: 'json' }).$type<unknown[]>().notNull(),
    version: integer('version').notNull(),
    seq: integer('seq').notNull(),
  },
  (t) => [index('ticket_type_forms_event_idx').on(t.eventId)],
);

export const tickets = sqliteTable(
  'tickets',
  {
    id: text('id').primaryKey(),
    eventId: text('event_id').notNull(),
    ticketTypeId: text('ticket_type_id').notNull(),
    orderId: text('order_id'),
    code: text('code').notNull(),
    status: text('status', { enum: TICKET_STATUSES }).notNull(),
    paid: integer('paid', { mode: 'boolean' }).notNull(),
    attendeeName: text('attendee_name'),
    /** The attendee's name folded for search in any script (sync/names.ts normalizeName): SQLite's
     *  lower() folds only ASCII. */
    nameNorm: text('name_norm'),
    orderCode: text('order_code'),
    phoneLast4: text('phone_last4'),
    idHash: text('id_hash'),
    rotatingSecret: text('rotating_secret'),
    validFrom: text('valid_from'),
    validTo: text('valid_to'),
    seq: integer('seq').notNull(),
  },
  // Search indexes are partial: most imported tickets carry none of these, and a million-row first
  // sync should not pay for indexing NULLs.
  (t) => [
    uniqueIndex('tickets_code_idx').on(t.code),
    index('tickets_order_code_idx').on(t.orderCode).where(sql`order_code is not null`),
    index('tickets_phone_idx').on(t.phoneLast4).where(sql`phone_last4 is not null`),
    index('tickets_id_hash_idx').on(t.idHash).where(sql`id_hash is not null`),
    index('tickets_name_idx').on(sql`lower(attendee_name)`).where(sql`attendee_name is not null`),
    index('tickets_name_norm_idx').on(t.nameNorm).where(sql`name_norm is not null`),
  ],
);

export const checkInPoints = sqliteTable('check_in_points', {
  id: text('id').primaryKey(),
  eventId: text('event_id').notNull(),
  name: text('name', { mode: 'json' }).$type<Record<string, string>>().notNull(),
  ticketTypeIds: text('ticket_type_ids', { mode: 'json' }).$type<string[]>().notNull(),
  zone: text('zone'),
  direction: text('direction', { enum: DIRECTIONS }).notNull(),
  reentry: text('reentry', { enum: REENTRY_POLICIES }).notNull(),
  windows: text('windows', { mode: 'json' }).$type<{ from: string; to: string }[]>().notNull(),
  autoCheckoutAt: text('auto_checkout_at'),
  active: integer('active', { mode: 'boolean' }).notNull(),
  seq: integer('seq').notNull(),
  // ---- point staff (replicated CheckInPointRow.operatorIds / deviceIds; empty: anyone) ----
  operatorIds: text('operator_ids', { mode: 'json' }).$type<string[]>().notNull().default([]),
  deviceIds: text('device_ids', { mode: 'json' }).$type<string[]>().notNull().default([]),
  /** The entitlement kind the point redeems (e.g. 'meal'); null: an ordinary point. */
  entitlement: text('entitlement'),
});

export const eventKeys = sqliteTable(
  'event_keys',
  {
    eventId: text('event_id').notNull(),
    keyId: integer('key_id').notNull(),
    publicKey: text('public_key').notNull(),
    signing: integer('signing', { mode: 'boolean' }).notNull(),
    retired: integer('retired', { mode: 'boolean' }).notNull(),
    seq: integer('seq').notNull(),
  },
  (t) => [primaryKey({ columns: [t.eventId, t.keyId] })],
);

export const revocations = sqliteTable('revocations', {
  ticketId: text('ticket_id').primaryKey(),
  eventId: text('event_id').notNull(),
  at: text('at').notNull(),
  seq: integer('seq').notNull(),
});

export const operators = sqliteTable('operators', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  role: text('role', { enum: ROLES }).notNull(),
  pinHash: text('pin_hash').notNull(),
  pinSalt: text('pin_salt').notNull(),
  active: integer('active', { mode: 'boolean' }).notNull(),
  seq: integer('seq').notNull(),
});

/** Wrong PINs typed on this terminal, per operator: the count since that operator's last success here
 *  and until when the next attempt is refused. Kept on disk so a restart does not reset a lockout. */
export const loginLockouts = sqliteTable('login_lockouts', {
  operatorId: text('operator_id').primaryKey(),
  failures: integer('failures').notNull(),
  lastFailureAt: integer('last_failure_at').notNull(),
  lockedUntil: integer('locked_until').notNull(),
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
    /** local: made here, not yet known to the server; accepted/conflict/annulled: the server's answer
     *  (annulled also locally, when the turnstile reported no passage). */
    state: text('state', { enum: LOCAL_CHECKIN_STATES }).notNull(),
    own: integer('own', { mode: 'boolean' }).notNull(),
    pointId: text('point_id'),
    direction: text('direction', { enum: DIRECTIONS }).notNull().default('entry'),
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
    pointId: text('point_id'),
    checkinId: text('checkin_id'),
    at: text('at').notNull(),
  },
  (t) => [index('scans_at_idx').on(t.at)],
);

/** A claim the gate is about to make (written before the claim goes out) and has not yet acted on.
 *  The verdict's own transaction deletes it; one left after a restart is a claim the server may hold
 *  while the turnstile never opened, and is annulled by the gate itself (gate.ts `reconcile`). */
export const gateIntents = sqliteTable('gate_intents', {
  checkinId: text('checkin_id').primaryKey(),
  ticketId: text('ticket_id').notNull(),
  at: text('at').notNull(),
  pointId: text('point_id'),
  lane: text('lane'),
  direction: text('direction', { enum: DIRECTIONS }).notNull(),
});

/** A sale from the moment its order id is made until it is settled: the order request as sent (so a
 *  retry, or the recovery after a restart, sends the same order id with the same content), the cash
 *  taken, and where it stands — pending (the server may or may not have the order), recorded (the
 *  order is kept locally, its printing not yet queued), done, or failed (the server refused it: the
 *  cash goes back). */
export const pendingSales = sqliteTable(
  'pending_sales',
  {
    orderId: text('order_id').primaryKey(),
    request: text('request', { mode: 'json' }).$type<unknown>().notNull(),
    tenderedMinor: integer('tendered_minor').notNull(),
    changeMinor: integer('change_minor').notNull(),
    operatorId: text('operator_id').notNull(),
    state: text('state', { enum: PENDING_SALE_STATES }).notNull(),
    /** The order as the server made it, once it is (what recovery prints). */
    order: text('order', { mode: 'json' }).$type<unknown>(),
    /** What became of its printing (done): the answer to a retry of a sale already made. */
    print: text('print', { mode: 'json' }).$type<unknown>(),
    error: text('error'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    /** When the recovery (not the cashier's own attempt) settled it, done or failed: the cashier was
     *  not there to see it and must be told. */
    recoveredAt: text('recovered_at'),
    /** When and by whom the cashier confirmed they gave the tickets or handed the money back. */
    acknowledgedAt: text('acknowledged_at'),
    acknowledgedBy: text('acknowledged_by'),
  },
  (t) => [index('pending_sales_state_idx').on(t.state)],
);

/** Every step of every payment, appended as it happens (before the sale goes on), so a crash after an
 *  authorization leaves its record and the recovery voids what no order took. A payment's state is its
 *  last entry. */
export const paymentJournal = sqliteTable(
  'payment_journal',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    paymentId: text('payment_id').notNull(),
    /** The sale's order id (its cart id): the order this payment pays for, made or not. */
    orderId: text('order_id').notNull(),
    method: text('method', { enum: TENDER_METHODS }).notNull(),
    action: text('action', { enum: PAYMENT_JOURNAL_ACTIONS }).notNull(),
    amountMinor: integer('amount_minor').notNull(),
    currency: text('currency').notNull(),
    /** The authorization as the port gave it (its reference at the terminal or provider), to void,
     *  capture or refund it later. */
    authorization: text('authorization', { mode: 'json' }).$type<unknown>().notNull(),
    /** Refund steps: the refund's (or exchange's) id; void_failed: the error code; authorized: what it
     *  pays for when not a sale ('exchange'); captured: 'adopted' for a part known only from the server. */
    detail: text('detail'),
    at: text('at').notNull(),
  },
  (t) => [index('payment_journal_payment_idx').on(t.paymentId), index('payment_journal_order_idx').on(t.orderId)],
);

export const orders = sqliteTable('orders', {
  id: text('id').primaryKey(),
  code: text('code').notNull(),
  eventId: text('event_id').notNull(),
  totalMinor: integer('total_minor').notNull(),
  currency: text('currency').notNull(),
  paymentMethod: text('payment_method', { enum: PAYMENT_METHODS }).notNull(),
  tenderedMinor: integer('tendered_minor').notNull(),
  changeMinor: integer('change_minor').notNull(),
  operatorId: text('operator_id').notNull(),
  createdAt: text('created_at').notNull(),
  /** The shift open when it was sold (box-office/shifts.ts); null: sold with no shift open. */
  shiftId: text('shift_id'),
});

// ---- box-office shifts and reprints (box-office/shifts.ts) -------------------------------------------
/** A cashier's shift at this terminal's drawer: opened with a float, closed by a Z report with the cash
 *  counted. At most one per drawer is open (closed_at null). The Z report's totals are kept as printed. */
export const shifts = sqliteTable(
  'shifts',
  {
    id: text('id').primaryKey(),
    drawer: text('drawer').notNull().default('main'),
    currency: text('currency').notNull(),
    floatMinor: integer('float_minor').notNull(),
    openedAt: text('opened_at').notNull(),
    openedBy: text('opened_by').notNull(),
    closedAt: text('closed_at'),
    closedBy: text('closed_by'),
    countedMinor: integer('counted_minor'),
    expectedMinor: integer('expected_minor'),
    varianceMinor: integer('variance_minor'),
    /** The Z report's totals (domain/shifts.ts ShiftTotals). */
    totals: text('totals', { mode: 'json' }).$type<unknown>(),
  },
  (t) => [uniqueIndex('shifts_one_open_idx').on(t.drawer).where(sql`closed_at is null`), index('shifts_opened_idx').on(t.openedAt)],
);

/** Money in and out of a shift's drawer other than sales: cash put in or taken out (with the reason),
 *  refunds (by payment kind, recorded by the refund flow) and voided payments. */
export const shiftMovements = sqliteTable(
  'shift_movements',
  {
    id: text('id').primaryKey(),
    shiftId: text('shift_id')
      .notNull()
      .references(() => shifts.id),
    kind: text('kind', { enum: ['cash_in', 'cash_out', 'refund', 'void', 'exchange'] }).notNull(),
    method: text('method', { enum: PAYMENT_METHODS }),
    amountMinor: integer('amount_minor').notNull(),
    orderId: text('order_id'),
    reason: text('reason'),
    operatorId: text('operator_id'),
    at: text('at').notNull(),
  },
  (t) => [index('shift_movements_shift_idx').on(t.shiftId)],
);

/** Every reprint of a ticket or a receipt: which, why, by whom; the count of an order's or ticket's
 *  copies is the number of its rows. */
export const reprints = sqliteTable(
  'reprints',
  {
    id: text('id').primaryKey(),
    orderId: text('order_id').notNull(),
    what: text('what', { enum: ['ticket', 'receipt'] }).notNull(),
    /** The ticket reprinted (what = ticket). */
    ticketId: text('ticket_id'),
    /** Its number among the copies of the same receipt or ticket (1: the first reprint). */
    copy: integer('copy').notNull(),
    reason: text('reason').notNull(),
    note: text('note'),
    operatorId: text('operator_id').notNull(),
    at: text('at').notNull(),
  },
  (t) => [index('reprints_order_idx').on(t.orderId, t.what, t.ticketId)],
);

export const outbox = sqliteTable(
  'outbox',
  {
    id: text('id').primaryKey(),
    kind: text('kind', { enum: PUSH_RECORD_KINDS }).notNull(),
    /** The record as JSON, built by the domain's constructors (domain/outbox.ts). */
    payload: text('payload', { mode: 'json' }).$type<PushRecord>().notNull(),
    createdAt: text('created_at').notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
  },
  (t) => [index('outbox_created_idx').on(t.createdAt)],
);

/** Outbox records the server refused as invalid: kept for support, never silently dropped. */
export const outboxRejected = sqliteTable('outbox_rejected', {
  id: text('id').primaryKey(),
  kind: text('kind').notNull(),
  payload: text('payload', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
  detail: text('detail'),
  rejectedAt: text('rejected_at').notNull(),
});

export const printJobs = sqliteTable('print_jobs', {
  id: text('id').primaryKey(),
  printerId: text('printer_id').notNull(),
  kind: text('kind', { enum: ['ticket', 'receipt', 'badge'] }).notNull(),
  document: text('document', { mode: 'json' }).$type<unknown>().notNull(),
  state: text('state', { enum: ['queued', 'printed', 'failed'] }).notNull(),
  error: text('error'),
  createdAt: text('created_at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
  printedAt: text('printed_at'),
});

/** The print spooler's bookkeeping for each print job (electron/core/printing/queue.ts): its place in
 *  its printer's line, where it stands, how often it was sent, when it is tried next, and whether an
 *  earlier send may have printed without being confirmed (so the next copy is marked as a reprint).
 *  print_jobs keeps the job and its outcome; this table is the queue's working state. */
export const printQueue = sqliteTable(
  'print_queue',
  {
    jobId: text('job_id')
      .primaryKey()
      .references(() => printJobs.id),
    /** Order of printing within a printer (assigned at enqueue, never reused). */
    seq: integer('seq').notNull(),
    state: text('state', { enum: ['queued', 'printing', 'printed', 'failed', 'held', 'cancelled'] }).notNull(),
    /** Times the job's bytes were handed to the printer. */
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: text('next_attempt_at'),
    errorCode: text('error_code'),
    /** An earlier send may have printed without confirmation: the next copy carries a reprint mark. */
    maybePrinted: integer('maybe_printed', { mode: 'boolean' }).notNull().default(false),
    /** Copies printed with a reprint mark. */
    reprints: integer('reprints').notNull().default(0),
    startedAt: text('started_at'),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [uniqueIndex('print_queue_seq_idx').on(t.seq), index('print_queue_state_idx').on(t.state, t.seq)],
);

/** The terminal's audit trail (electron/core/audit): append-only — triggers in the migration refuse
 *  UPDATE and DELETE — and hash-chained, each entry naming the hash of the one before it
 *  (domain/audit-chain.ts). What the server holds is remembered in meta (`audit_pushed`), never here. */
export const auditLog = sqliteTable('audit_log', {
  seq: integer('seq').primaryKey(),
  id: text('id').notNull().unique(),
  at: text('at').notNull(),
  deviceId: text('device_id'),
  operatorId: text('operator_id'),
  action: text('action').notNull(),
  subject: text('subject'),
  /** Canonical JSON text (domain/audit.ts canonicalDetail), hashed as it is. */
  detail: text('detail').notNull(),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
});

// ---- seat leases (box-office/leases.ts) -------------------------------------------------------------
export const LOCAL_LEASE_STATES = ['requested', 'active', 'returning', 'returned'] as const;

/** Seats of one ticket type the server leased this box office to sell while offline. `requested`: asked
 *  for under this id, answer not yet kept (asked again under the same id); `returning`: no more sales
 *  on it, its return not yet acknowledged. */
export const leases = sqliteTable('leases', {
  id: text('id').primaryKey(),
  eventId: text('event_id').notNull(),
  ticketTypeId: text('ticket_type_id').notNull(),
  /** Seats asked for (requested) or granted. */
  size: integer('size').notNull(),
  /** Sales on it stop then (server time, ISO); null while requested. */
  endsAt: text('ends_at'),
  state: text('state', { enum: LOCAL_LEASE_STATES }).notNull(),
  createdAt: text('created_at').notNull(),
});

export const LOCAL_LEASED_TICKET_STATES = ['free', 'sold', 'returned'] as const;

/** A leased seat's ticket, minted and signed by the server: drawn by one offline sale at most. */
export const leasedTickets = sqliteTable(
  'leased_tickets',
  {
    id: text('id').primaryKey(),
    leaseId: text('lease_id').notNull(),
    ticketTypeId: text('ticket_type_id').notNull(),
    code: text('code').notNull(),
    rotatingSecret: text('rotating_secret'),
    validFrom: text('valid_from'),
    validTo: text('valid_to'),
    state: text('state', { enum: LOCAL_LEASED_TICKET_STATES }).notNull().default('free'),
    orderId: text('order_id'),
  },
  (t) => [index('leased_tickets_draw_idx').on(t.ticketTypeId, t.state)],
);

export const OFFLINE_SALE_STATES = ['pending', 'uploaded', 'refused'] as const;

/** Sales made on a lease, until the server has them: the order request as it goes out (same order id
 *  every time), and what the server answered. */
export const offlineSales = sqliteTable(
  'offline_sales',
  {
    orderId: text('order_id').primaryKey(),
    request: text('request').notNull(),
    state: text('state', { enum: OFFLINE_SALE_STATES }).notNull(),
    error: text('error'),
    createdAt: text('created_at').notNull(),
    uploadedAt: text('uploaded_at'),
  },
  (t) => [index('offline_sales_state_idx').on(t.state, t.createdAt)],
);

// ---- badge desk (electron/core/badge-desk) ----------------------------------------------------------

/** The event's badge templates as the server replicates them (change kind badge_template); inactive
 *  rows are deleted templates, kept so the deletion replicates. */
export const badgeTemplates = sqliteTable(
  'badge_templates',
  {
    id: text('id').primaryKey(),
    eventId: text('event_id').notNull(),
    name: text('name').notNull(),
    ticketTypeIds: text('ticket_type_ids', { mode: 'json' }).$type<string[]>().notNull(),
    categories: text('categories', { mode: 'json' }).$type<string[]>().notNull(),
    isDefault: integer('is_default', { mode: 'boolean' }).notNull(),
    template: text('template', { mode: 'json' }).$type<unknown>().notNull(),
    version: integer('version').notNull(),
    active: integer('active', { mode: 'boolean' }).notNull(),
    seq: integer('seq').notNull(),
  },
  (t) => [index('badge_templates_event_idx').on(t.eventId)],
);

/** An event's badge-desk settings (change kind badge_settings); an event without a row has the defaults. */
export const badgeSettings = sqliteTable('badge_settings', {
  eventId: text('event_id').primaryKey(),
  reprintWindowS: integer('reprint_window_s').notNull(),
  reprintNeedsPin: integer('reprint_needs_pin', { mode: 'boolean' }).notNull(),
  printChecksIn: integer('print_checks_in', { mode: 'boolean' }).notNull(),
  seq: integer('seq').notNull(),
});

/** Every badge print this terminal knows of: the server's replicated rows (seq set) and this terminal's
 *  own prints not yet back from the server (seq null, own 1; their record waits in the outbox). */
export const badgePrints = sqliteTable(
  'badge_prints',
  {
    id: text('id').primaryKey(),
    ticketId: text('ticket_id').notNull(),
    eventId: text('event_id').notNull(),
    deviceId: text('device_id'),
    operatorId: text('operator_id'),
    templateId: text('template_id'),
    printedAt: text('printed_at').notNull(),
    reprint: integer('reprint', { mode: 'boolean' }).notNull(),
    reason: text('reason'),
    approvedBy: text('approved_by'),
    /** Printed here (its print job id when known). */
    own: integer('own', { mode: 'boolean' }).notNull().default(false),
    jobId: text('job_id'),
    seq: integer('seq'),
  },
  (t) => [index('badge_prints_ticket_idx').on(t.ticketId, t.printedAt), index('badge_prints_event_idx').on(t.eventId)],
);

/** A badge print request's answer by its request id: a retry answers it again and prints nothing twice. */
export const badgeRequests = sqliteTable('badge_requests', {
  requestId: text('request_id').primaryKey(),
  /** The results and the print jobs, as JSON (badge-desk/store.ts). */
  answer: text('answer', { mode: 'json' }).$type<unknown>().notNull(),
  createdAt: text('created_at').notNull(),
});

// ---- kiosk (electron/core/kiosk) and what attendees look up there ---------------------------------

/** An attendee's information (change kind attendee_info), replaced whole: the items as JSON. Personal:
 *  dropped with the event's other personal data after the retention. */
export const attendeeInfo = sqliteTable(
  'attendee_info',
  {
    ticketId: text('ticket_id').primaryKey(),
    eventId: text('event_id').notNull(),
    items: text('items', { mode: 'json' }).$type<unknown[]>().notNull(),
    seq: integer('seq').notNull(),
  },
  (t) => [index('attendee_info_event_idx').on(t.eventId)],
);

/** A ticket's active entitlements (change kind entitlement); a withdrawn one is deleted here. */
export const entitlements = sqliteTable(
  'entitlements',
  {
    id: text('id').primaryKey(),
    ticketId: text('ticket_id').notNull(),
    eventId: text('event_id').notNull(),
    kind: text('kind').notNull(),
    label: text('label', { mode: 'json' }).$type<Record<string, string> | null>(),
    fromAt: text('from_at'),
    toAt: text('to_at'),
    seq: integer('seq').notNull(),
  },
  (t) => [index('entitlements_ticket_idx').on(t.ticketId), index('entitlements_event_idx').on(t.eventId)],
);

/** An event's kiosk settings (change kind kiosk_settings) as JSON; no row: the defaults. */
export const kioskSettings = sqliteTable('kiosk_settings', {
  eventId: text('event_id').primaryKey(),
  settings: text('settings', { mode: 'json' }).$type<unknown>().notNull(),
  seq: integer('seq').notNull(),
});

/** Kiosk alerts: the server's replicated rows (seq set) and this terminal's own not yet back (seq null,
 *  their records in the outbox). No personal data: a ticket is named by its id only. */
export const kioskAlerts = sqliteTable(
  'kiosk_alerts',
  {
    id: text('id').primaryKey(),
    deviceId: text('device_id'),
    eventId: text('event_id'),
    kind: text('kind').notNull(),
    code: text('code').notNull(),
    ticketId: text('ticket_id'),
    raisedAt: text('raised_at').notNull(),
    resolvedAt: text('resolved_at'),
    resolvedBy: text('resolved_by'),
    /** The raising terminal's name as the server sent it. */
    terminal: text('terminal'),
    own: integer('own', { mode: 'boolean' }).notNull().default(false),
    seq: integer('seq'),
  },
  (t) => [index('kiosk_alerts_open_idx').on(t.resolvedAt, t.raisedAt)],
);
