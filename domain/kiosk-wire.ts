// Owns what crosses the wire for the self-service kiosk and the information an attendee looks up there,
// between terminals and the server: the per-attendee information an organizer sets or imports (seat,
// table, room, hotel, agenda entries, notes), entitlements such as meal vouchers (redeemed at a check-in
// point that names their kind, once per day by that point's re-entry rule), an event's kiosk settings,
// and the alerts a kiosk raises for staff (printer out, camera or scanner failure, a refused ticket, a
// call for help). Alerts carry no personal data: a ticket is named by nothing more than its id. Pure zod
// and functions.
import { z } from 'zod';

const Uuid = z.string().uuid();
const Text = (max: number) => z.string().trim().min(1).max(max);
/** Text in several languages: { en: '…', 'zh-CN': '…', ru: '…' } (at least one). */
const LocalizedText = z.record(z.string().min(2).max(10), z.string().max(500)).refine((m) => Object.keys(m).length > 0, 'empty');

export const ATTENDEE_INFO_KINDS = ['seat', 'table', 'room', 'hotel', 'agenda', 'note'] as const;
export const AttendeeInfoKind = z.enum(ATTENDEE_INFO_KINDS);
export type AttendeeInfoKind = z.infer<typeof AttendeeInfoKind>;

/** Most items one attendee's information holds. */
export const ATTENDEE_INFO_MAX_ITEMS = 50;

/** One piece of what an attendee looks up. `value`: what to show ("Hall B, row 7, seat 12", "Hilton,
 *  room 1204"); `label`: an organizer's own caption (else the kind's translated name); agenda entries have
 *  a start (`at`, ISO instant), an optional end and a place. */
export const AttendeeInfoItem = z
  .object({
    kind: AttendeeInfoKind,
    value: Text(500),
    label: LocalizedText.nullable().default(null),
    at: z.string().datetime({ offset: true }).nullable().default(null),
    to: z.string().datetime({ offset: true }).nullable().default(null),
    place: z.string().trim().max(200).nullable().default(null),
  })
  .strict()
  .refine((i) => i.kind !== 'agenda' || i.at !== null, { message: 'an agenda entry needs its start (at)', path: ['at'] })
  .refine((i) => i.at === null || i.to === null || Date.parse(i.to) >= Date.parse(i.at), { message: 'ends before it starts', path: ['to'] });
export type AttendeeInfoItem = z.infer<typeof AttendeeInfoItem>;

/** One attendee's information (change kind `attendee_info`; replaced whole on every change). */
export const AttendeeInfoRow = z.object({
  ticketId: Uuid,
  eventId: Uuid,
  items: z.array(AttendeeInfoItem).max(ATTENDEE_INFO_MAX_ITEMS),
  updatedAt: z.string(),
});
export type AttendeeInfoRow = z.infer<typeof AttendeeInfoRow>;

/** Entitlement kinds are the organizer's words ('meal', 'lunch', 'drink'): lower case, digits, _ and -. */
export const EntitlementKind = z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/, 'lower-case letters, digits, _ or -');

/** One entitlement of one ticket (change kind `entitlement`). Redeemed by checking in at a point whose
 *  `entitlement` names this kind (domain/rules.ts): only between `from` and `to` (null: open), and as often
 *  as that point's re-entry rule lets (once_per_day for meals). `active` false: withdrawn. */
export const EntitlementRow = z.object({
  id: Uuid,
  ticketId: Uuid,
  eventId: Uuid,
  kind: EntitlementKind,
  label: LocalizedText.nullable(),
  from: z.string().datetime({ offset: true }).nullable(),
  to: z.string().datetime({ offset: true }).nullable(),
  active: z.boolean(),
});
export type EntitlementRow = z.infer<typeof EntitlementRow>;

/** What an organizer sets for one attendee (PUT /admin/v1/attendees/:ticketId/info): the whole list,
 *  and the entitlements to hold (by kind; an existing one of that kind is updated, a missing one withdrawn). */
export const AttendeeInfoSave = z
  .object({
    items: z.array(AttendeeInfoItem).max(ATTENDEE_INFO_MAX_ITEMS),
    entitlements: z
      .array(
        z
          .object({
            kind: EntitlementKind,
            label: LocalizedText.nullable().default(null),
            from: z.string().datetime({ offset: true }).nullable().default(null),
            to: z.string().datetime({ offset: true }).nullable().default(null),
          })
          .strict(),
      )
      .max(20)
      .default([]),
  })
  .strict();
export type AttendeeInfoSave = z.input<typeof AttendeeInfoSave>;

export const KIOSK_LANGUAGES = ['en', 'zh-CN', 'ru'] as const;
export const KioskLanguage = z.enum(KIOSK_LANGUAGES);
export type KioskLanguage = z.infer<typeof KioskLanguage>;

/** An event's kiosk settings (change kind `kiosk_settings`; an event without a row has the defaults). */
export const KioskSettings = z.object({
  /** With no touch, scan or key for this long the kiosk counts down and returns to its welcome screen. */
  idleResetS: z.number().int().min(10).max(600).default(45),
  /** How long the countdown before that reset shows (within idleResetS). */
  countdownS: z.number().int().min(3).max(60).default(10),
  /** The language the welcome screen starts in. */
  defaultLanguage: KioskLanguage.default('en'),
  /** Attendees may find themselves by their phone's last 4 digits and their name's first letters. */
  findByPhone: z.boolean().default(true),
  /** The kiosk prints a badge when it checks an attendee in (else it only checks in). */
  printBadge: z.boolean().default(true),
  /** Where the "go to the help desk" screens send people, in each language (null: "the help desk"). */
  helpDesk: LocalizedText.nullable().default(null),
});
export type KioskSettings = z.infer<typeof KioskSettings>;
export const DEFAULT_KIOSK_SETTINGS: KioskSettings = KioskSettings.parse({});
export const KioskSettingsRow = KioskSettings.extend({ eventId: Uuid });
export type KioskSettingsRow = z.infer<typeof KioskSettingsRow>;

/** What a kiosk's alert is about. */
export const KIOSK_ALERT_KINDS = ['printer', 'camera', 'scanner', 'refused', 'help'] as const;
export const KioskAlertKind = z.enum(KIOSK_ALERT_KINDS);
export type KioskAlertKind = z.infer<typeof KioskAlertKind>;

/** One alert (push record kind `kiosk_alert`; change kind `kiosk_alert` to every terminal of the event,
 *  where managers see and resolve it). `code`: the printer's reason (paper_out, ribbon_out, offline…), the
 *  refusal's reason (unpaid, already_used, not_yet_valid…), camera_denied / camera_failed / no_camera, or
 *  scanner_offline. `ticketId`: the attendee concerned (refused) — never a name, phone or ID number. */
export const KioskAlertRow = z.object({
  id: Uuid,
  deviceId: Uuid,
  eventId: Uuid.nullable(),
  kind: KioskAlertKind,
  code: z.string().regex(/^[a-z0-9_]{1,40}$/),
  ticketId: Uuid.nullable(),
  raisedAt: z.string(),
  resolvedAt: z.string().nullable(),
  resolvedBy: Uuid.nullable(),
  /** The raising terminal's name as the server knows it (null: unknown), for staff at other terminals. */
  terminal: z.string().max(200).nullable().default(null),
});
export type KioskAlertRow = z.infer<typeof KioskAlertRow>;

/** POST /v1/kiosk/alerts/:id/resolve — a manager marks an alert dealt with (audited at the server). */
export const KioskAlertResolve = z.object({ operatorId: Uuid }).strict();

/** GET /v1/kiosk/attendees/:ticketId/info — the attendee's information and entitlements, fetched online
 *  (the cache holds them too, for offline). */
export const KioskAttendeeInfo = z.object({
  ticketId: Uuid,
  items: z.array(AttendeeInfoItem),
  entitlements: z.array(EntitlementRow),
});
export type KioskAttendeeInfo = z.infer<typeof KioskAttendeeInfo>;

/** "张三丰" → "张*丰", "Иванов Пётр" → "Иванов П.", "Ann Lee" → "Ann L.": enough for an attendee to
 *  recognise themself, too little to read off a stranger's full name. */
export function maskName(name: string | null): string | null {
  if (name === null) return null;
  const trimmed = name.trim();
  if (trimmed === '') return null;
  const words = trimmed.split(/\s+/u);
  if (words.length === 1) {
    const chars = [...trimmed];
    if (chars.length <= 1) return trimmed;
    if (chars.length === 2) return `${chars[0]}*`;
    return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
  }
  const [first, ...rest] = words;
  return [first, ...rest.map((w) => `${[...w][0]}.`)].join(' ');
}
