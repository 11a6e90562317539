// Owns the shapes of the organizer's API that go beyond the wire protocol (domain/wire.ts, which the
// terminals share): check-in points, signing-key rotation, revocation, the double-admission (conflicts)
// report and failed scans, plus event options the terminal protocol does not need to create (rotation,
// zones, venue, address, languages).
import { z } from 'zod';
import {
  CheckinListItem,
  CheckinsQuery,
  CheckInPointRow,
  CreateEventRequest,
  EventKeyRow,
  Localized,
  LocalizedInput,
  RevocationRow,
  TicketRow,
  Uuid,
} from '../../domain/wire';
import { EVENT_LANGUAGES } from '../../domain/catalog';
import { ShiftReportKind, ShiftTotals } from '../../domain/shifts';
import { CheckinStatus, Direction, ReentryPolicy, Role } from '../../domain/enums';
import { EntitlementKind } from '../../domain/kiosk-wire';
import { Languages, Text, TimeZone } from './admin/catalog-schemas';

const Zone = z.string().min(1).max(40);
const Instant = z
  .string()
  .datetime({ offset: true })
  .transform((s) => new Date(s).toISOString());

/** The languages of an event created without them (the stored default). */
export const DEFAULT_EVENT_LANGUAGES = ['en'] as const;

/** POST /admin/v1/events — CreateEventRequest plus rotating codes, zones per ticket type and the details
 *  PATCH /admin/v1/events/:id edits (venue, address, languages, default language), so an event is set up
 *  in one call. The default language is one of the languages (the first when not sent). */
export const CreateEventInput = CreateEventRequest.extend({
  timezone: TimeZone,
  venue: Text.nullable().optional(),
  address: Text.nullable().optional(),
  languages: Languages.optional(),
  defaultLanguage: z.enum(EVENT_LANGUAGES).optional(),
  /** Period of rotating ("R1…") codes in seconds; null: the event does not use them. */
  rotationPeriodS: z.number().int().min(5).max(86_400).nullable().default(null),
  ticketTypes: z
    .array(
      CreateEventRequest.shape.ticketTypes.element
        .extend({ zones: z.array(Zone).max(20).default([]) })
        .strict(),
    )
    .min(1)
    .max(100),
})
  .strict()
  .refine((e) => !e.defaultLanguage || (e.languages ?? DEFAULT_EVENT_LANGUAGES).some((l) => l === e.defaultLanguage), {
    message: 'the default language is not one of the languages',
    path: ['defaultLanguage'],
  });
export type CreateEventInput = z.infer<typeof CreateEventInput>;

const TimeWindow = z
  .object({ from: Instant, to: Instant })
  .strict()
  .refine((w) => Date.parse(w.from) <= Date.parse(w.to), 'a window ends before it starts');
const HHMM = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'HH:MM, 00:00 to 23:59');
const NonEmptyName = LocalizedInput.refine((name) => Object.keys(name).length > 0, 'at least one language');

/** POST /admin/v1/events/:id/points — everything but the name has a default. */
export const CreatePointRequest = z
  .object({
    id: Uuid.optional(),
    name: NonEmptyName,
    /** Empty: every ticket type of the event. */
    ticketTypeIds: z.array(Uuid).max(100).default([]),
    zone: Zone.nullable().default(null),
    direction: Direction.default('entry'),
    reentry: ReentryPolicy.default('single'),
    windows: z.array(TimeWindow).max(50).default([]),
    autoCheckoutAt: HHMM.nullable().default(null),
    active: z.boolean().default(true),
    /** A point that redeems entitlements of this kind (e.g. 'meal'); null: an ordinary point. */
    entitlement: EntitlementKind.nullable().default(null),
  })
  .strict();
export type CreatePointRequest = z.infer<typeof CreatePointRequest>;

/** PATCH /admin/v1/points/:id — any subset of the fields, at least one. */
export const UpdatePointRequest = z
  .object({
    name: NonEmptyName.optional(),
    ticketTypeIds: z.array(Uuid).max(100).optional(),
    zone: Zone.nullable().optional(),
    direction: Direction.optional(),
    reentry: ReentryPolicy.optional(),
    windows: z.array(TimeWindow).max(50).optional(),
    autoCheckoutAt: HHMM.nullable().optional(),
    active: z.boolean().optional(),
    entitlement: EntitlementKind.nullable().optional(),
  })
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, 'nothing to change');
export type UpdatePointRequest = z.infer<typeof UpdatePointRequest>;

export const PointResponse = z.object({ point: CheckInPointRow });
export const PointsResponse = z.object({ points: z.array(CheckInPointRow) });

/** POST /admin/v1/events/:id/keys/rotate — `retire: true` also retires every older key (codes signed
 *  with them stop validating); otherwise they keep verifying. */
export const RotateKeysRequest = z.object({ retire: z.boolean().default(false) }).strict();
/** Public halves only, by key id. */
export const KeysResponse = z.object({ keys: z.array(EventKeyRow) });

/** POST /admin/v1/tickets/:id/revoke */
export const RevokeTicketRequest = z.object({ reason: z.string().max(200).optional() }).strict();
export const RevokeTicketResponse = z.object({ ticket: TicketRow, revocation: RevocationRow });

const Limit = z.coerce.number().int().min(1).max(1000).default(100);

/** GET /admin/v1/conflicts?limit&eventId — newest first; every conflict unless `limit` is given (the
 *  report is meant to be complete, and double admissions are rare by construction). */
export const ConflictsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1_000_000).optional(),
  eventId: Uuid.optional(),
});
const PointRef = z.object({ id: Uuid, name: Localized }).nullable();
/** A check-in the rules refused but that happened at a gate (kept, never dropped): with the accepted
 *  check-in it collided with, this is the double-admission report. */
export const ConflictItem = z.object({
  id: Uuid,
  ticketId: Uuid,
  /** '' when the ticket is unknown to the server. */
  ticketCode: z.string(),
  eventId: Uuid.nullable(),
  deviceId: Uuid,
  deviceName: z.string(),
  at: z.string(),
  receivedAt: z.string(),
  direction: Direction,
  point: PointRef,
  /** The rules' reason (domain/rules.ts REASONS). */
  reason: z.string().nullable(),
  /** The accepted check-in it collided with (null when the refusal was not about an earlier use). */
  accepted: z
    .object({
      id: Uuid,
      deviceId: Uuid,
      deviceName: z.string(),
      at: z.string(),
      status: CheckinStatus,
      point: PointRef,
    })
    .nullable(),
});
export type ConflictItem = z.infer<typeof ConflictItem>;
export const ConflictsResponse = z.object({ conflicts: z.array(ConflictItem) });

/** GET /admin/v1/failed-scans?limit&deviceId&ticketId — newest first. */
export const FailedScansQuery = z.object({ limit: Limit, deviceId: Uuid.optional(), ticketId: Uuid.optional() });
export const FailedScanItem = z.object({
  id: Uuid,
  deviceId: Uuid,
  deviceName: z.string(),
  code: z.string(),
  ticketId: Uuid.nullable(),
  reason: z.string(),
  at: z.string(),
  point: PointRef,
  receivedAt: z.string(),
});
export type FailedScanItem = z.infer<typeof FailedScanItem>;
export const FailedScansResponse = z.object({ failedScans: z.array(FailedScanItem) });

/** GET /admin/v1/shift-reports?limit&deviceId&shiftId — the box offices' X and Z reports, newest first. */
export const ShiftReportsQuery = z.object({ limit: Limit, deviceId: Uuid.optional(), shiftId: Uuid.optional() });
export const ShiftReportItem = z.object({
  id: Uuid,
  deviceId: Uuid,
  deviceName: z.string(),
  shiftId: Uuid,
  report: ShiftReportKind,
  at: z.string(),
  openedAt: z.string(),
  openedBy: z.string(),
  closedAt: z.string().nullable(),
  closedBy: z.string().nullable(),
  countedMinor: z.number().int().nullable(),
  varianceMinor: z.number().int().nullable(),
  totals: ShiftTotals,
  receivedAt: z.string(),
});
export type ShiftReportItem = z.infer<typeof ShiftReportItem>;
export const ShiftReportsResponse = z.object({ shiftReports: z.array(ShiftReportItem) });

/** POST /admin/v1/pairing-codes — the events the paired device will serve. Left out: every event that
 *  has not ended when the code is made (never events created later). */
export const CreatePairingCodeRequest = z.object({ eventIds: z.array(Uuid).max(100).optional() }).strict();
/** POST /admin/v1/devices/:id/events — the whole set of events the device serves from now on. */
export const SetDeviceEventsRequest = z.object({ eventIds: z.array(Uuid).max(100) }).strict();

/** Retention of attendees' personal data (names, phone digits, ID hashes), in days after an event ends. */
export const MAX_RETENTION_DAYS = 3650;
/** GET/PATCH /admin/v1/settings — the organizer's server-wide settings. */
export const ServerSettings = z.object({ personalDataRetentionDays: z.number().int().min(1).max(MAX_RETENTION_DAYS) });
export type ServerSettings = z.infer<typeof ServerSettings>;
export const UpdateSettingsRequest = ServerSettings.partial()
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, 'nothing to change');

/** GET /admin/v1/checkins — the protocol's list, widened to annulled check-ins (kept, not uses). */
export const AdminCheckinsQuery = CheckinsQuery.extend({ status: CheckinStatus.optional() });
export const AdminCheckinListItem = CheckinListItem.extend({
  status: CheckinStatus,
  pointId: Uuid.nullable(),
  direction: Direction,
});
export type AdminCheckinListItem = z.infer<typeof AdminCheckinListItem>;
export const AdminCheckinsResponse = z.object({ checkins: z.array(AdminCheckinListItem) });

const OperatorName = z.string().trim().min(1).max(80);
/** Digits only here; how many a role needs is the service's rule (domain/pins.ts), answered as a 400. */
const Pin = z.string().regex(/^\d+$/, 'a PIN is digits only').max(32);

/** POST /admin/v1/operators */
export const CreateOperatorsRequest = z
  .object({
    operators: z
      .array(z.object({ name: OperatorName, role: Role, pin: Pin }).strict())
      .min(1)
      .max(100),
  })
  .strict();

/** PATCH /admin/v1/operators/:id — any subset, at least one. A role that needs a longer PIN needs `pin`. */
export const UpdateOperatorRequest = z
  .object({ name: OperatorName.optional(), role: Role.optional(), pin: Pin.optional(), active: z.boolean().optional() })
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, 'nothing to change');

/** An operator as the admin API shows it: never the PIN's hash or salt. */
export const AdminOperator = z.object({ id: Uuid, name: z.string(), role: Role, active: z.boolean() });
export type AdminOperator = z.infer<typeof AdminOperator>;
