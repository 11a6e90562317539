// Owns the events slice of admin mode's contract: the organizer's events and what is sold under them —
// list and read an event; create one (name, dates, time zone, currency, venue, address, languages, its
// first ticket types) and edit its details; its sessions; its ticket types with their sale rules (price
// in minor units, capacity, session, sale window, limits, channels, real-name, required attendee fields);
// and quotas shared between types. Admins only; every call is one request to the server, which checks the
// operator's role again and what must hold against stored rows (capacity not below sold, …).
import { z } from 'zod';
import { ATTENDEE_FIELDS, EVENT_LANGUAGES, SALE_CHANNELS } from '../../../domain/catalog';
import { Currency, MAX_AMOUNT_MINOR } from '../../../domain/money';
import { MAX_CAPACITY } from '../../../domain/wire';
import { isTimeZone } from '../../../domain/zoned-time';
import { Localized } from '../domain';
import { RefundPolicy } from '../../../domain/refund-policy';
import { call, Empty } from '../spec';

export { instantToZoned, isTimeZone, zonedToInstant } from '../../../domain/zoned-time';
export { ATTENDEE_FIELDS, EVENT_LANGUAGES, SALE_CHANNELS, type AttendeeField, type EventLanguage, type SaleChannel } from '../../../domain/catalog';

const Id = z.string().uuid();
const Instant = z.string().datetime({ offset: true });
/** A name as the organizer types it: one text per language, at least one. */
const Name = z
  .record(z.string().min(1).max(35), z.string().trim().min(1).max(200))
  .refine((n) => Object.keys(n).length > 0, 'at least one language')
  .refine((n) => Object.keys(n).length <= 20, 'at most 20 languages');
const TimeZone = z.string().min(1).max(64).refine(isTimeZone, 'not a known IANA time zone');
const Code = z.string().regex(/^[A-Z]{3}$/, 'a three-letter ISO 4217 code');
const Text = z.string().trim().max(500);
const Capacity = z.number().int().nonnegative().max(MAX_CAPACITY);
const Price = z.number().int().nonnegative().max(MAX_AMOUNT_MINOR);
const Limit = z.number().int().positive().max(1000);
const unique = <T>(l: readonly T[]) => new Set(l).size === l.length;
const Languages = z.array(z.enum(EVENT_LANGUAGES)).min(1).refine(unique, 'a language is listed twice');
const Channels = z.array(z.enum(SALE_CHANNELS)).refine(unique, 'a channel is listed twice');
const RequiredFields = z.array(z.enum(ATTENDEE_FIELDS)).refine(unique, 'a field is listed twice');
const ordered = (from: string | null | undefined, to: string | null | undefined, strict: boolean) =>
  from == null || to == null || (strict ? Date.parse(to) > Date.parse(from) : Date.parse(to) >= Date.parse(from));
const hasChange = (patch: Record<string, unknown>, key: string) => Object.keys(patch).some((k) => k !== key);

/** An event in the list: its details and ticket types. */
export const AdminEventDetails = z.object({
  id: Id,
  name: Localized,
  startsAt: z.string(),
  endsAt: z.string(),
  timezone: z.string(),
  currency: Currency,
  venue: z.string().nullable().optional(),
  address: z.string().nullable().optional(),
  languages: z.array(z.enum(EVENT_LANGUAGES)).optional(),
  defaultLanguage: z.enum(EVENT_LANGUAGES).optional(),
});
export type AdminEventDetails = z.infer<typeof AdminEventDetails>;

export const AdminSession = z.object({ id: Id, eventId: Id, name: Localized, startsAt: z.string(), endsAt: z.string(), sort: z.number().int(), active: z.boolean() });
export type AdminSession = z.infer<typeof AdminSession>;

export const AdminTicketType = z.object({
  id: Id,
  eventId: Id,
  name: Localized,
  priceMinor: z.number().int(),
  currency: Currency,
  capacity: z.number().int().nullable(),
  sold: z.number().int(),
  sessionId: Id.nullable().optional(),
  saleStartsAt: z.string().nullable().optional(),
  saleEndsAt: z.string().nullable().optional(),
  maxPerOrder: z.number().int().positive().nullable().optional(),
  maxPerAttendee: z.number().int().positive().nullable().optional(),
  channels: z.array(z.enum(SALE_CHANNELS)).optional(),
  realName: z.boolean().optional(),
  requiredFields: z.array(z.enum(ATTENDEE_FIELDS)).optional(),
  active: z.boolean().optional(),
  sortOrder: z.number().int().optional(),
  /** Refunds and exchanges of its tickets; null or absent: neither. */
  refundPolicy: RefundPolicy.nullable().optional(),
});
export type AdminTicketType = z.infer<typeof AdminTicketType>;

export const AdminQuota = z.object({ id: Id, eventId: Id, name: Localized, capacity: z.number().int(), sold: z.number().int(), ticketTypeIds: z.array(Id) });
export type AdminQuota = z.infer<typeof AdminQuota>;

export const AdminEventSummary = AdminEventDetails.extend({ ticketTypes: z.array(AdminTicketType) });
export type AdminEventSummary = z.infer<typeof AdminEventSummary>;

/** An event's page: its details, sessions, ticket types and quotas. */
export const AdminEventPage = AdminEventDetails.extend({
  sessions: z.array(AdminSession),
  ticketTypes: z.array(AdminTicketType),
  quotas: z.array(AdminQuota),
});
export type AdminEventPage = z.infer<typeof AdminEventPage>;

/** The sale rules of a ticket type as admin mode sets them (all optional on update). */
const typeRules = {
  priceMinor: Price,
  /** null: unlimited. */
  capacity: Capacity.nullable(),
  /** null: the whole event. */
  sessionId: Id.nullable(),
  saleStartsAt: Instant.nullable(),
  saleEndsAt: Instant.nullable(),
  maxPerOrder: Limit.nullable(),
  maxPerAttendee: Limit.nullable(),
  channels: Channels,
  realName: z.boolean(),
  requiredFields: RequiredFields,
  active: z.boolean(),
  refundPolicy: RefundPolicy.nullable(),
};

export const adminEventsCalls = {
  'admin.events.list': call({ input: Empty, output: z.array(AdminEventSummary), roles: ['admin'] }),
  'admin.events.get': call({ input: z.object({ eventId: Id }).strict(), output: AdminEventPage, roles: ['admin'] }),
  /** A new event with its details and its first ticket types (at least one), all priced in its currency. */
  'admin.events.create': call({
    input: z
      .object({
        name: Name,
        startsAt: Instant,
        endsAt: Instant,
        timezone: TimeZone,
        currency: Code,
        venue: Text.nullable().optional(),
        address: Text.nullable().optional(),
        languages: Languages.optional(),
        /** One of `languages` (English when they are not sent). */
        defaultLanguage: z.enum(EVENT_LANGUAGES).optional(),
        ticketTypes: z
          .array(z.object({ name: Name, priceMinor: Price, capacity: Capacity.nullable().default(null) }).strict())
          .min(1)
          .max(100),
      })
      .strict()
      .refine((e) => ordered(e.startsAt, e.endsAt, false), { message: 'the event ends before it starts', path: ['endsAt'] })
      .refine((e) => !e.defaultLanguage || (e.languages ?? ['en']).includes(e.defaultLanguage), {
        message: 'the default language is not one of the languages',
        path: ['defaultLanguage'],
      }),
    output: AdminEventSummary,
    roles: ['admin'],
  }),
  /** Any subset of the details, at least one. The currency changes only while nothing is sold. */
  'admin.events.update': call({
    input: z
      .object({
        eventId: Id,
        name: Name.optional(),
        venue: Text.nullable().optional(),
        address: Text.nullable().optional(),
        timezone: TimeZone.optional(),
        startsAt: Instant.optional(),
        endsAt: Instant.optional(),
        currency: Code.optional(),
        languages: Languages.optional(),
        defaultLanguage: z.enum(EVENT_LANGUAGES).optional(),
      })
      .strict()
      .refine((p) => hasChange(p, 'eventId'), 'nothing to change')
      .refine((p) => ordered(p.startsAt, p.endsAt, false), { message: 'the event ends before it starts', path: ['endsAt'] })
      .refine((p) => !p.languages || !p.defaultLanguage || p.languages.includes(p.defaultLanguage), {
        message: 'the default language is not one of the languages',
        path: ['defaultLanguage'],
      }),
    output: AdminEventDetails,
    roles: ['admin'],
  }),
  'admin.sessions.create': call({
    input: z
      .object({ eventId: Id, name: Name, startsAt: Instant, endsAt: Instant, active: z.boolean().default(true) })
      .strict()
      .refine((s) => ordered(s.startsAt, s.endsAt, false), { message: 'the session ends before it starts', path: ['endsAt'] }),
    output: AdminSession,
    roles: ['admin'],
  }),
  'admin.sessions.update': call({
    input: z
      .object({ sessionId: Id, name: Name.optional(), startsAt: Instant.optional(), endsAt: Instant.optional(), active: z.boolean().optional() })
      .strict()
      .refine((p) => hasChange(p, 'sessionId'), 'nothing to change')
      .refine((s) => ordered(s.startsAt, s.endsAt, false), { message: 'the session ends before it starts', path: ['endsAt'] }),
    output: AdminSession,
    roles: ['admin'],
  }),
  'admin.ticketTypes.create': call({
    input: z
      .object({
        eventId: Id,
        name: Name,
        priceMinor: typeRules.priceMinor,
        capacity: typeRules.capacity.default(null),
        sessionId: typeRules.sessionId.default(null),
        saleStartsAt: typeRules.saleStartsAt.default(null),
        saleEndsAt: typeRules.saleEndsAt.default(null),
        maxPerOrder: typeRules.maxPerOrder.default(null),
        maxPerAttendee: typeRules.maxPerAttendee.default(null),
        channels: typeRules.channels.default([...SALE_CHANNELS]),
        realName: typeRules.realName.default(false),
        requiredFields: typeRules.requiredFields.default([]),
        active: typeRules.active.default(true),
        refundPolicy: typeRules.refundPolicy.default(null),
      })
      .strict()
      .refine((t) => ordered(t.saleStartsAt, t.saleEndsAt, true), { message: 'the sale window ends before or when it starts', path: ['saleEndsAt'] }),
    output: AdminTicketType,
    roles: ['admin'],
  }),
  /** Any subset, at least one. The capacity never goes below what is sold (the server checks). */
  'admin.ticketTypes.update': call({
    input: z
      .object({
        ticketTypeId: Id,
        name: Name.optional(),
        priceMinor: typeRules.priceMinor.optional(),
        capacity: typeRules.capacity.optional(),
        sessionId: typeRules.sessionId.optional(),
        saleStartsAt: typeRules.saleStartsAt.optional(),
        saleEndsAt: typeRules.saleEndsAt.optional(),
        maxPerOrder: typeRules.maxPerOrder.optional(),
        maxPerAttendee: typeRules.maxPerAttendee.optional(),
        channels: typeRules.channels.optional(),
        realName: typeRules.realName.optional(),
        requiredFields: typeRules.requiredFields.optional(),
        active: typeRules.active.optional(),
        refundPolicy: typeRules.refundPolicy.optional(),
      })
      .strict()
      .refine((p) => hasChange(p, 'ticketTypeId'), 'nothing to change')
      .refine((t) => ordered(t.saleStartsAt, t.saleEndsAt, true), { message: 'the sale window ends before or when it starts', path: ['saleEndsAt'] }),
    output: AdminTicketType,
    roles: ['admin'],
  }),
  'admin.quotas.create': call({
    input: z
      .object({ eventId: Id, name: Name, capacity: Capacity, ticketTypeIds: z.array(Id).min(1).max(100).refine(unique, 'a ticket type is listed twice') })
      .strict(),
    output: AdminQuota,
    roles: ['admin'],
  }),
  'admin.quotas.update': call({
    input: z
      .object({
        quotaId: Id,
        name: Name.optional(),
        capacity: Capacity.optional(),
        ticketTypeIds: z.array(Id).min(1).max(100).refine(unique, 'a ticket type is listed twice').optional(),
      })
      .strict()
      .refine((p) => hasChange(p, 'quotaId'), 'nothing to change'),
    output: AdminQuota,
    roles: ['admin'],
  }),
} as const;

export const adminEventsEvents = {} as const;
