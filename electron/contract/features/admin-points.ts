// Owns the check-in points slice of admin mode's contract: the events with their ticket types (to pick a
// point's event and the types it admits), the points of an event, creating and changing one (name in the
// event languages, ticket types, zone, direction, re-entry, time windows, active, the kind of entitlement
// it redeems), and who may serve it (operators and terminals; both empty: anyone). Admin operators only,
// online only; the server checks the operator again on every call.
import { z } from 'zod';
import type { EventLanguage } from '../../../domain/catalog';
import { EntitlementKind } from '../../../domain/kiosk-wire';
import { CheckInPointRow } from '../../../domain/wire';
import { Direction, Localized, ReentryPolicy } from '../domain';
import { call, Empty } from '../spec';

const Id = z.string().uuid();

/** An event as the points section needs it: never its ID-hash salt. */
export const AdminPointsEvent = z.object({
  id: Id,
  name: Localized,
  startsAt: z.string(),
  endsAt: z.string(),
  timezone: z.string(),
  ticketTypes: z.array(z.object({ id: Id, name: Localized, zones: z.array(z.string()) })),
});
export type AdminPointsEvent = z.infer<typeof AdminPointsEvent>;

/** A check-in point with who may serve it (operatorIds, deviceIds; empty: anyone). */
export const AdminPoint = CheckInPointRow;
export type AdminPoint = z.infer<typeof AdminPoint>;

const PointNameText = z.string().trim().min(1).max(200);
/** A point's name in one or more of the event languages. */
export const PointName = z
  .object({ en: PointNameText.optional(), 'zh-CN': PointNameText.optional(), ru: PointNameText.optional() } satisfies Record<EventLanguage, unknown>)
  .strict()
  .refine((n) => Object.values(n).some((v) => v !== undefined), 'a name in at least one language');
const Instant = z.string().datetime({ offset: true });
export const PointWindow = z
  .object({ from: Instant, to: Instant })
  .strict()
  .refine((w) => Date.parse(w.from) <= Date.parse(w.to), 'a window ends before it starts');
export type PointWindow = z.infer<typeof PointWindow>;

const PointFields = {
  name: PointName,
  /** Empty: every ticket type of the event. */
  ticketTypeIds: z.array(Id).max(100),
  zone: z.string().trim().min(1).max(40).nullable(),
  direction: Direction,
  reentry: ReentryPolicy,
  /** Empty: open at any time. */
  windows: z.array(PointWindow).max(50),
  active: z.boolean(),
  /** The kind of entitlement the point redeems ('meal': a meal voucher, once a day with re-entry
   *  once_per_day; domain/rules.ts); null: an ordinary point. */
  entitlement: EntitlementKind.nullable(),
};

export const PointStaff = z.object({ pointId: Id, operatorIds: z.array(Id), deviceIds: z.array(Id) });
export type PointStaff = z.infer<typeof PointStaff>;

export const adminPointsCalls = {
  'admin.points.events': call({ input: Empty, output: z.array(AdminPointsEvent), roles: ['admin'] }),
  'admin.points.list': call({ input: z.object({ eventId: Id }).strict(), output: z.array(AdminPoint), roles: ['admin'] }),
  /** `entitlement` may be left out (callers from before it existed): an ordinary point. */
  'admin.points.create': call({
    input: z.object({ eventId: Id, ...PointFields, entitlement: PointFields.entitlement.default(null) }).strict(),
    output: AdminPoint,
    roles: ['admin'],
  }),
  /** Any subset of the fields, at least one. */
  'admin.points.update': call({
    input: z
      .object({ pointId: Id, ...PointFields })
      .partial()
      .required({ pointId: true })
      .strict()
      .refine((p) => Object.keys(p).some((k) => k !== 'pointId'), 'nothing to change'),
    output: AdminPoint,
    roles: ['admin'],
  }),
  'admin.points.staff': call({ input: z.object({ pointId: Id }).strict(), output: PointStaff, roles: ['admin'] }),
  /** The whole lists from now on; both empty: anyone may serve the point. */
  'admin.points.setStaff': call({
    input: z.object({ pointId: Id, operatorIds: z.array(Id).max(1000), deviceIds: z.array(Id).max(1000) }).strict(),
    output: PointStaff,
    roles: ['admin'],
  }),
} as const;

export const adminPointsEvents = {} as const;
