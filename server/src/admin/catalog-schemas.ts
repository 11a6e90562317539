// Owns the request shapes of the organizer's catalog API (/admin/v1): editing an event (venue, address,
// time zone, dates, currency, languages), its sessions, its ticket types with their sale rules, and quotas
// shared between ticket types; the reply shapes are domain/admin-catalog.ts, shared with the terminal.
// Shape only; what must hold against stored rows (capacity not below sold, a session of the same event,
// …) is checked by admin/catalog.ts.
import { z } from 'zod';
import { ATTENDEE_FIELDS, EVENT_LANGUAGES, SALE_CHANNELS } from '../../../domain/catalog';
import { MAX_AMOUNT_MINOR } from '../../../domain/money';
import { RefundPolicy } from '../../../domain/refund-policy';
import { LocalizedInput, MAX_CAPACITY, Uuid } from '../../../domain/wire';

const Instant = z
  .string()
  .datetime({ offset: true })
  .transform((s) => new Date(s).toISOString());
const Name = LocalizedInput.refine((name) => Object.keys(name).length > 0, 'at least one language');
/** A venue or an address. */
export const Text = z.string().trim().max(500);
const Zone = z.string().min(1).max(40);

/** An IANA time zone name the runtime knows (Intl), e.g. Europe/Moscow, Asia/Shanghai. */
export const TimeZone = z
  .string()
  .min(1)
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'not a known IANA time zone');

/** The UI languages an event offers its attendees, each once. */
export const Languages = z
  .array(z.enum(EVENT_LANGUAGES))
  .min(1)
  .max(EVENT_LANGUAGES.length)
  .refine((l) => new Set(l).size === l.length, 'a language is listed twice');
const Channels = z
  .array(z.enum(SALE_CHANNELS))
  .max(SALE_CHANNELS.length)
  .refine((c) => new Set(c).size === c.length, 'a channel is listed twice');
const RequiredFields = z
  .array(z.enum(ATTENDEE_FIELDS))
  .max(ATTENDEE_FIELDS.length)
  .refine((f) => new Set(f).size === f.length, 'a field is listed twice');
const Capacity = z.number().int().nonnegative().max(MAX_CAPACITY);
const Limit = z.number().int().positive().max(1000);
const nonEmpty = (patch: object) => Object.keys(patch).length > 0;

/** PATCH /admin/v1/events/:id — any subset, at least one field. */
export const UpdateEventRequest = z
  .object({
    name: Name.optional(),
    venue: Text.nullable().optional(),
    address: Text.nullable().optional(),
    timezone: TimeZone.optional(),
    startsAt: Instant.optional(),
    endsAt: Instant.optional(),
    /** Only while nothing of the event is sold. */
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .optional(),
    languages: Languages.optional(),
    /** One of `languages` (the stored ones when not sent). */
    defaultLanguage: z.enum(EVENT_LANGUAGES).optional(),
  })
  .strict()
  .refine(nonEmpty, 'nothing to change');
export type UpdateEventRequest = z.infer<typeof UpdateEventRequest>;

/** POST /admin/v1/events/:id/sessions */
export const CreateSessionRequest = z
  .object({
    id: Uuid.optional(),
    name: Name,
    startsAt: Instant,
    endsAt: Instant,
    sort: z.number().int().min(0).max(10_000).optional(),
    active: z.boolean().default(true),
  })
  .strict()
  .refine((s) => Date.parse(s.endsAt) >= Date.parse(s.startsAt), 'endsAt is before startsAt');
export type CreateSessionRequest = z.infer<typeof CreateSessionRequest>;

/** PATCH /admin/v1/sessions/:id */
export const UpdateSessionRequest = z
  .object({
    name: Name.optional(),
    startsAt: Instant.optional(),
    endsAt: Instant.optional(),
    sort: z.number().int().min(0).max(10_000).optional(),
    active: z.boolean().optional(),
  })
  .strict()
  .refine(nonEmpty, 'nothing to change');
export type UpdateSessionRequest = z.infer<typeof UpdateSessionRequest>;

/** The sale rules of a ticket type, as the organizer sets them (all optional on update). */
const TypeFields = {
  name: Name,
  priceMinor: z.number().int().nonnegative().max(MAX_AMOUNT_MINOR),
  /** Must be the event's: a type is priced in its event's currency only. */
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .optional(),
  /** null: unlimited. */
  capacity: Capacity.nullable(),
  /** The session it is for; null: the whole event. */
  sessionId: Uuid.nullable(),
  saleStartsAt: Instant.nullable(),
  saleEndsAt: Instant.nullable(),
  maxPerOrder: Limit.nullable(),
  maxPerAttendee: Limit.nullable(),
  channels: Channels,
  realName: z.boolean(),
  requiredFields: RequiredFields,
  active: z.boolean(),
  zones: z.array(Zone).max(20),
  sortOrder: z.number().int().min(0).max(10_000),
  /** null: no refunds and no exchanges. */
  refundPolicy: RefundPolicy.nullable(),
};

/** POST /admin/v1/events/:id/ticket-types */
export const CreateTicketTypeRequest = z
  .object({
    id: Uuid.optional(),
    name: TypeFields.name,
    priceMinor: TypeFields.priceMinor,
    currency: TypeFields.currency,
    capacity: TypeFields.capacity.default(null),
    sessionId: TypeFields.sessionId.default(null),
    saleStartsAt: TypeFields.saleStartsAt.default(null),
    saleEndsAt: TypeFields.saleEndsAt.default(null),
    maxPerOrder: TypeFields.maxPerOrder.default(null),
    maxPerAttendee: TypeFields.maxPerAttendee.default(null),
    channels: TypeFields.channels.default([...SALE_CHANNELS]),
    realName: TypeFields.realName.default(false),
    requiredFields: TypeFields.requiredFields.default([]),
    active: TypeFields.active.default(true),
    zones: TypeFields.zones.default([]),
    sortOrder: TypeFields.sortOrder.optional(),
    refundPolicy: TypeFields.refundPolicy.default(null),
  })
  .strict();
export type CreateTicketTypeRequest = z.infer<typeof CreateTicketTypeRequest>;

/** PATCH /admin/v1/ticket-types/:id — any subset, at least one field. */
export const UpdateTicketTypeRequest = z
  .object({
    name: TypeFields.name.optional(),
    priceMinor: TypeFields.priceMinor.optional(),
    currency: TypeFields.currency,
    capacity: TypeFields.capacity.optional(),
    sessionId: TypeFields.sessionId.optional(),
    saleStartsAt: TypeFields.saleStartsAt.optional(),
    saleEndsAt: TypeFields.saleEndsAt.optional(),
    maxPerOrder: TypeFields.maxPerOrder.optional(),
    maxPerAttendee: TypeFields.maxPerAttendee.optional(),
    channels: TypeFields.channels.optional(),
    realName: TypeFields.realName.optional(),
    requiredFields: TypeFields.requiredFields.optional(),
    active: TypeFields.active.optional(),
    zones: TypeFields.zones.optional(),
    sortOrder: TypeFields.sortOrder.optional(),
    refundPolicy: TypeFields.refundPolicy.optional(),
  })
  .strict()
  .refine(nonEmpty, 'nothing to change');
export type UpdateTicketTypeRequest = z.infer<typeof UpdateTicketTypeRequest>;

const Members = z
  .array(Uuid)
  .min(1)
  .max(100)
  .refine((ids) => new Set(ids).size === ids.length, 'a ticket type is listed twice');

/** POST /admin/v1/events/:id/quotas */
export const CreateQuotaRequest = z
  .object({ id: Uuid.optional(), name: Name, capacity: Capacity, ticketTypeIds: Members })
  .strict();
export type CreateQuotaRequest = z.infer<typeof CreateQuotaRequest>;

/** PATCH /admin/v1/quotas/:id */
export const UpdateQuotaRequest = z
  .object({ name: Name.optional(), capacity: Capacity.optional(), ticketTypeIds: Members.optional() })
  .strict()
  .refine(nonEmpty, 'nothing to change');
export type UpdateQuotaRequest = z.infer<typeof UpdateQuotaRequest>;
