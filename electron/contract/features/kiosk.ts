// Owns the kiosk's slice of the contract: what the self-service kiosk screen may ask of the core, and
// the manager's view of the alerts kiosks raise. An attendee identifies themself (a code from the
// scanner or the camera, an ID card tap, or the last 4 phone digits with the first letters of their
// name); the core opens a *visit* for whom it found and every later step (confirm, check in and print,
// information) names that visit, never a ticket: a kiosk can act only on the attendee standing at it,
// and a visit ends at the idle reset. What the screen sees of an attendee is masked (no full phone, no
// ID number, a shortened name). Leaving the kiosk and its maintenance screen need a manager's PIN.
import { z } from 'zod';
import { ManagerApproval } from '../../../domain/refund-wire';
import { AttendeeInfoItem, KioskAlertKind, KioskAlertRow, KioskLanguage, KioskSettings } from '../../../domain/kiosk-wire';
import { Reason } from '../../../domain/enums';
import { DeviceStatus, Localized } from '../domain';
import { call, Empty } from '../spec';
import { PrintOutcome, PrintReason } from './devices';

/** How the attendee identified themself. */
export const KIOSK_FIND_BY = ['scanner', 'camera', 'id_card', 'phone_name'] as const;
export const KioskFindBy = z.enum(KIOSK_FIND_BY);
export type KioskFindBy = z.infer<typeof KioskFindBy>;

/** One attendee as the kiosk may show them before they confirm: masked. */
export const KioskCandidate = z.object({
  /** The visit's own handle for this candidate (not a ticket id). */
  candidateId: z.string().uuid(),
  /** "张*丰", "Иванов П.", "Ann L." (domain/kiosk-wire.ts maskName); null: no name on the ticket. */
  nameMasked: z.string().nullable(),
  ticketTypeName: Localized,
  /** e.g. "••• •• 4567"; null: no phone. */
  phoneMasked: z.string().nullable(),
  /** The order code's last 4 characters. */
  orderHint: z.string().nullable(),
});
export type KioskCandidate = z.infer<typeof KioskCandidate>;

/** Why the kiosk cannot go on with someone: each screen sends them to the help desk. `reason`: a check-in
 *  reason (unpaid, already_used, not_yet_valid, expired, wrong_type, revoked, unknown, invalid_signature,
 *  malformed…) or one of the kiosk's own: not_found (nobody matches), too_many (more than the kiosk may
 *  list), badge_printed (a badge was printed before: reprints only at the desk). */
export const KioskRefusal = z.object({
  reason: z.union([Reason, z.enum(['not_found', 'too_many', 'badge_printed'])]),
});
export type KioskRefusal = z.infer<typeof KioskRefusal>;

/** The answer to any way of identifying: the visit and who it found, or why not. One candidate: the
 *  screen asks "Is this you?"; several (phone and name): the attendee picks one. */
export const KioskFound = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), by: KioskFindBy, visitId: z.string().uuid(), candidates: z.array(KioskCandidate).min(1).max(5) }),
  z.object({ ok: z.literal(false), by: KioskFindBy, refusal: KioskRefusal }),
]);
export type KioskFound = z.infer<typeof KioskFound>;

/** What the attendee sees once they confirmed: checked in and their badge (or why not), what is next. */
export const KioskCheckIn = z.object({
  visitId: z.string().uuid(),
  /** admitted now; already (checked in before, e.g. at the gate: the badge still prints); refused. */
  checkIn: z.enum(['admitted', 'already', 'refused']),
  refusal: KioskRefusal.nullable(),
  /** The badge: printed, queued (the printer is out of cards: an alert went to staff), failed, or
   *  null when no badge was asked for (the event's setting) or the check-in was refused. */
  print: PrintOutcome.nullable(),
  /** The attendee's full first name or given name is shown now, after they confirmed. */
  greeting: z.string().nullable(),
});
export type KioskCheckIn = z.infer<typeof KioskCheckIn>;

/** An entitlement as the attendee sees it: how many are left today. */
export const KioskEntitlement = z.object({
  kind: z.string(),
  label: Localized.nullable(),
  /** Redeemable today (in the event's time zone) and not yet redeemed today. */
  availableToday: z.boolean(),
  usedToday: z.boolean(),
  from: z.string().nullable(),
  to: z.string().nullable(),
});
export type KioskEntitlement = z.infer<typeof KioskEntitlement>;

export const KioskInfo = z.object({
  visitId: z.string().uuid(),
  items: z.array(AttendeeInfoItem),
  entitlements: z.array(KioskEntitlement),
  /** Agenda entries that have not ended yet, soonest first (a subset of items). */
  next: z.array(AttendeeInfoItem),
  source: z.enum(['server', 'cache']),
});
export type KioskInfo = z.infer<typeof KioskInfo>;

export const KioskState = z.object({
  eventId: z.string().uuid().nullable(),
  eventName: Localized.nullable(),
  timezone: z.string(),
  settings: KioskSettings,
  online: z.boolean(),
  /** The kiosk's devices as staff see them on the maintenance screen; the attendee screen only needs
   *  to know whether a scanner and the badge printer are there and ready. */
  scanner: z.object({ present: z.boolean(), ready: z.boolean() }),
  idCardReader: z.object({ present: z.boolean(), ready: z.boolean() }),
  printer: z.object({ present: z.boolean(), ready: z.boolean(), reason: PrintReason.nullable() }),
  /** Alerts this kiosk raised that no manager has resolved yet. */
  openAlerts: z.number().int().nonnegative(),
});
export type KioskState = z.infer<typeof KioskState>;

export const KioskMaintenance = z.object({
  state: KioskState,
  devices: z.array(DeviceStatus),
  alerts: z.array(KioskAlertRow),
  managerName: z.string(),
});
export type KioskMaintenance = z.infer<typeof KioskMaintenance>;

/** A kiosk alert as managers see it, with the kiosk's name when known. */
export const KioskAlertView = KioskAlertRow.extend({ terminal: z.string() });
export type KioskAlertView = z.infer<typeof KioskAlertView>;

const VisitId = z.string().uuid();
const KIOSK = ['kiosk', 'manager'] as const;

export const kioskCalls = {
  /** The event the kiosk serves, its settings and whether its devices are ready. Calling it also tells the
   *  core the kiosk screen is open: scanner and ID-card reads then go to the kiosk (kiosk.found). */
  'kiosk.state': call({ input: Empty, output: KioskState, roles: KIOSK }),
  /** A code the screen read with the camera, or typed by staff: who it is for (the same checks as the
   *  gate's: signature, status, window). Opens a visit (the previous one ends). */
  'kiosk.code': call({
    input: z.object({ code: z.string().min(1).max(512), by: z.enum(['camera', 'scanner']).default('camera') }).strict(),
    output: KioskFound,
    roles: KIOSK,
  }),
  /** Find by the phone's last 4 digits and the first 1–10 letters of any part of the name (any script,
   *  case-insensitive). More than 5 matches: refused too_many. Opens a visit. Every attempt is audited
   *  (without the digits), and more than 10 attempts a minute are refused (rate_limited). */
  'kiosk.findByPhone': call({
    input: z.object({ phoneLast4: z.string().regex(/^\d{4}$/), namePrefix: z.string().trim().min(1).max(10) }).strict(),
    output: KioskFound,
    roles: KIOSK,
  }),
  /** The attendee says "this is me" (one of the visit's candidates): check in at the kiosk's point and,
   *  by the event's setting, print the badge through the badge desk's path. `requestId`: made once by
   *  the screen; a retry prints nothing twice. Refused: visit_expired, not_found. */
  'kiosk.confirm': call({
    input: z.object({ visitId: VisitId, candidateId: z.string().uuid(), requestId: z.string().uuid() }).strict(),
    output: KioskCheckIn,
    roles: KIOSK,
  }),
  /** The confirmed attendee's information, entitlements and what is next. Refused: visit_expired. */
  'kiosk.info': call({ input: z.object({ visitId: VisitId }).strict(), output: KioskInfo, roles: KIOSK }),
  /** Ends the visit (idle reset, or "done"): nothing of the attendee stays reachable. */
  'kiosk.reset': call({ input: z.object({ visitId: VisitId.nullable() }).strict(), output: z.object({ ended: z.boolean() }), roles: KIOSK }),
  /** The screen reports what only it can see (camera denied or failed, no camera) or an attendee's call
   *  for help; the core records it and raises an alert for staff. */
  'kiosk.report': call({
    input: z.object({ kind: z.enum(['camera', 'help']), code: z.enum(['camera_denied', 'camera_failed', 'no_camera', 'help_requested']) }).strict(),
    output: z.object({ alertId: z.string().uuid() }),
    roles: KIOSK,
  }),
  /** The language the attendee chose (kept for the visit's printed badge); audited as nothing personal. */
  'kiosk.language': call({ input: z.object({ language: KioskLanguage }).strict(), output: z.object({ language: KioskLanguage }), roles: KIOSK }),
  /** Staff open the maintenance screen with a manager's PIN (checked under the sign-in lockout; audited). */
  'kiosk.maintenance': call({ input: ManagerApproval, output: KioskMaintenance, roles: KIOSK }),
  /** A manager's PIN lets the kiosk be left (the shell leaves full screen and closes the kiosk window);
   *  audited. Refused: bad_pin, operator_locked, login_delayed, forbidden (not a manager). */
  'kiosk.exit': call({ input: ManagerApproval, output: z.object({ exited: z.literal(true) }), roles: KIOSK }),
  /** Managers: the kiosks' alerts this terminal knows (replicated from the server), open ones first. */
  'kiosk.alerts': call({
    input: z.object({ includeResolved: z.boolean().default(false) }).strict(),
    output: z.array(KioskAlertView),
    roles: ['manager', 'admin'],
  }),
  /** Managers: mark an alert dealt with (online; audited at the server). Refused: offline, not_found. */
  'kiosk.resolveAlert': call({ input: z.object({ alertId: z.string().uuid() }).strict(), output: KioskAlertView, roles: ['manager', 'admin'] }),
} as const;

export const kioskEvents = {
  /** A scanner's or ID reader's read while the kiosk screen is open: who it found (a new visit). */
  'kiosk.found': KioskFound,
  /** An alert was raised here or arrived by sync, or one was resolved: managers' lists refresh. */
  'kiosk.alertsChanged': z.object({ open: z.number().int().nonnegative(), latest: z.object({ kind: KioskAlertKind, code: z.string() }).nullable() }),
} as const;
