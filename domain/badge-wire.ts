// Owns what crosses the wire for the badge desk, between terminals and the server: badge templates as
// they replicate (which attendees each is for), an event's badge settings (reprint control, printing
// checks in), the record of every badge print (pushed by the terminal that printed it, replicated to
// every terminal so a reprint anywhere is known), an attendee's badge details (fetched online: the
// terminal's cache holds only name, phone's last four digits and order code), a correction of a misspelt
// name, company or title, and the one rule that picks an attendee's template. Pure zod and functions.
import { z } from 'zod';

const Uuid = z.string().uuid();

/** Longest name, company or title a badge carries (and a correction may set). */
export const BADGE_TEXT_MAX = 200;
/** Longest reason an operator gives for a reprint. */
export const REPRINT_REASON_MAX = 200;
/** Most badges one print request (a group) may ask for. */
export const BADGE_GROUP_MAX = 200;

/** A badge template as it replicates (change kind `badge_template`). `template` is the designer's JSON
 *  (domain/badge-template.ts), checked with checkBadgeTemplate where it is used, so a template a later
 *  version writes cannot stop a terminal's feed. Which attendees it is for: any of `categories` (the
 *  attendee's category answer), else any of `ticketTypeIds`, else every attendee of the event when
 *  `isDefault`. `active` false: deleted (kept so the deletion replicates). */
export const BadgeTemplateRow = z.object({
  id: Uuid,
  eventId: Uuid,
  name: z.string(),
  ticketTypeIds: z.array(Uuid),
  categories: z.array(z.string()),
  isDefault: z.boolean(),
  template: z.unknown(),
  version: z.number().int().positive(),
  active: z.boolean(),
});
export type BadgeTemplateRow = z.infer<typeof BadgeTemplateRow>;

/** An event's badge-desk settings (change kind `badge_settings`; an event without a row has the
 *  defaults). */
export const BadgeSettings = z.object({
  /** A second print of the same attendee's badge within this many seconds of the last one (at any
   *  terminal) asks for a reason; 0: never asks. */
  reprintWindowS: z.number().int().min(0).max(366 * 86_400).default(86_400),
  /** Such a reprint also needs a manager's PIN. */
  reprintNeedsPin: z.boolean().default(false),
  /** The badge desk checks the attendee in when it prints their first badge (else it only prints). */
  printChecksIn: z.boolean().default(true),
});
export type BadgeSettings = z.infer<typeof BadgeSettings>;
export const DEFAULT_BADGE_SETTINGS: BadgeSettings = BadgeSettings.parse({});
export const BadgeSettingsRow = BadgeSettings.extend({ eventId: Uuid });
export type BadgeSettingsRow = z.infer<typeof BadgeSettingsRow>;

/** One badge printed (change kind `badge_print`, and push record kind `badge_print`). */
export const BadgePrintRow = z.object({
  id: Uuid,
  ticketId: Uuid,
  eventId: Uuid,
  deviceId: Uuid,
  /** The operator signed in when it printed (null: a kiosk without one). */
  operatorId: Uuid.nullable(),
  templateId: Uuid.nullable(),
  printedAt: z.string().datetime(),
  /** Printed while an earlier print of this attendee stood within the reprint window. */
  reprint: z.boolean(),
  reason: z.string().max(REPRINT_REASON_MAX).nullable(),
  /** The manager whose PIN allowed the reprint. */
  approvedBy: Uuid.nullable(),
});
export type BadgePrintRow = z.infer<typeof BadgePrintRow>;

/** GET /v1/badges/attendees/:ticketId — what the badge desk shows and prints of one attendee. Phone and
 *  email are masked by the server; the ID number never leaves it. */
export const BadgeAttendeeDetails = z.object({
  ticketId: Uuid,
  eventId: Uuid,
  ticketTypeId: Uuid,
  code: z.string(),
  status: z.string(),
  paid: z.boolean(),
  orderCode: z.string().nullable(),
  name: z.string().nullable(),
  company: z.string().nullable(),
  title: z.string().nullable(),
  /** The attendee's category (the `category` answer of the registration form or import). */
  category: z.string().nullable(),
  /** e.g. "+49 ••• •• 4567"; null: none. */
  phoneMasked: z.string().nullable(),
  /** e.g. "an•••@example.com". */
  emailMasked: z.string().nullable(),
  /** Registration-form answers (keys of the ticket type's form). */
  answers: z.record(z.string(), z.unknown()),
  /** When the attendee was first admitted anywhere (null: not checked in). */
  checkedInAt: z.string().nullable(),
  /** Every badge printed for this ticket, oldest first. */
  prints: z.array(BadgePrintRow),
});
export type BadgeAttendeeDetails = z.infer<typeof BadgeAttendeeDetails>;

const CorrectedText = z.string().trim().min(1).max(BADGE_TEXT_MAX);
/** POST /v1/badges/attendees/:ticketId/correct — fixes what was misspelt (audited at the server with the
 *  old and new value); answers with the details after it. At least one field. */
export const BadgeCorrection = z
  .object({
    operatorId: Uuid,
    name: CorrectedText.optional(),
    company: CorrectedText.nullable().optional(),
    title: CorrectedText.nullable().optional(),
  })
  .strict()
  .refine((c) => c.name !== undefined || c.company !== undefined || c.title !== undefined, 'nothing to correct');
export type BadgeCorrection = z.infer<typeof BadgeCorrection>;

/** The attendee a template is checked and previewed with (GET /admin/v1/events/:id/badge-samples): the
 *  longest name of the event's attendees and fixed names in Chinese and Russian script. */
export const BadgeSample = z.object({
  /** 'longest' | 'chinese' | 'russian' | a ticket id. */
  key: z.string(),
  name: z.string(),
  company: z.string().nullable(),
  title: z.string().nullable(),
  category: z.string().nullable(),
  ticketTypeId: Uuid.nullable(),
  code: z.string(),
});
export type BadgeSample = z.infer<typeof BadgeSample>;

/** PUT /admin/v1/badge-templates/:id — create or replace (client-made id). `baseVersion`: the version the
 *  designer started from; a newer stored version refuses the save (409 conflict) rather than losing
 *  another admin's change. */
export const BadgeTemplateSave = z
  .object({
    eventId: Uuid,
    name: z.string().trim().min(1).max(200),
    ticketTypeIds: z.array(Uuid).max(200).default([]),
    categories: z.array(z.string().trim().min(1).max(BADGE_TEXT_MAX)).max(200).default([]),
    isDefault: z.boolean().default(false),
    template: z.unknown(),
    baseVersion: z.number().int().nonnegative().optional(),
  })
  .strict();
export type BadgeTemplateSave = z.input<typeof BadgeTemplateSave>;

/**
 * The template an attendee's badge is printed with: the first active template of the event (by name,
 * then id, so every terminal picks the same) whose categories hold the attendee's category, else whose
 * ticket types hold theirs, else the event's default; null: none (the built-in layout prints).
 */
export function chooseBadgeTemplate<T extends Pick<BadgeTemplateRow, 'id' | 'eventId' | 'name' | 'ticketTypeIds' | 'categories' | 'isDefault' | 'active'>>(
  templates: readonly T[],
  attendee: { eventId: string; ticketTypeId: string; category: string | null },
): T | null {
  const own = templates
    .filter((t) => t.active && t.eventId === attendee.eventId)
    .sort((a, b) => (a.name === b.name ? (a.id < b.id ? -1 : 1) : a.name < b.name ? -1 : 1));
  const category = attendee.category?.trim().toLowerCase();
  return (
    (category ? own.find((t) => t.categories.some((c) => c.trim().toLowerCase() === category)) : undefined) ??
    own.find((t) => t.ticketTypeIds.includes(attendee.ticketTypeId)) ??
    own.find((t) => t.isDefault) ??
    null
  );
}

/**
 * Whether printing now is a reprint that must give a reason: the latest earlier print of the ticket lies
 * within the window before `now`. Prints from every terminal count (the replicated ones and this
 * terminal's own, not yet pushed).
 */
export function reprintCheck(
  prints: readonly Pick<BadgePrintRow, 'printedAt'>[],
  settings: Pick<BadgeSettings, 'reprintWindowS' | 'reprintNeedsPin'>,
  now: Date,
): { reprint: boolean; lastPrintedAt: string | null; count: number; needsReason: boolean; needsPin: boolean } {
  const times = prints.map((p) => Date.parse(p.printedAt)).filter((t) => Number.isFinite(t));
  const last = times.length ? Math.max(...times) : null;
  const within = last !== null && settings.reprintWindowS > 0 && now.getTime() - last < settings.reprintWindowS * 1000;
  return {
    reprint: times.length > 0,
    lastPrintedAt: last === null ? null : new Date(last).toISOString(),
    count: times.length,
    needsReason: within,
    needsPin: within && settings.reprintNeedsPin,
  };
}

// ---- the server's admin API answers (appended with the server's routes) -----------------------------

/** A template as the admin API lists and saves it (active ones only are listed). */
export const AdminBadgeTemplateRow = z.object({
  id: Uuid,
  eventId: Uuid,
  name: z.string(),
  ticketTypeIds: z.array(Uuid),
  categories: z.array(z.string()),
  isDefault: z.boolean(),
  /** The layout as saved: checkBadgeTemplate's output (defaults filled in). */
  template: z.unknown(),
  version: z.number().int().positive(),
  updatedAt: z.string(),
});
export type AdminBadgeTemplateRow = z.infer<typeof AdminBadgeTemplateRow>;

/** GET /admin/v1/events/:id/badges. `samples`: the longest attendee name of the event (key 'longest'; a
 *  40-character Latin name when the event has no named attendee), then 'chinese' and 'russian'.
 *  `categories`: the distinct non-empty category answers of the event's tickets, sorted. */
export const AdminBadgesResponse = z.object({
  templates: z.array(AdminBadgeTemplateRow),
  settings: BadgeSettings,
  samples: z.array(BadgeSample),
  categories: z.array(z.string()),
});
export type AdminBadgesResponse = z.infer<typeof AdminBadgesResponse>;

/** PUT /admin/v1/badge-templates/:id → 200. */
export const BadgeTemplateSaved = z.object({ template: AdminBadgeTemplateRow });
export type BadgeTemplateSaved = z.infer<typeof BadgeTemplateSaved>;

/** PUT /admin/v1/badge-templates/:id → 422 when checkBadgeTemplate refuses the layout: the error (code
 *  badge_template_invalid) and every problem (domain/badge-template.ts BadgeTemplateProblem); nothing
 *  is saved. */
export const BadgeTemplateRefusal = z.object({
  error: z.object({ code: z.literal('badge_template_invalid'), detail: z.string().optional() }),
  problems: z.array(
    z.object({ reason: z.string(), side: z.number().int().optional(), index: z.number().int().optional(), detail: z.string() }),
  ),
});
export type BadgeTemplateRefusal = z.infer<typeof BadgeTemplateRefusal>;

/** DELETE /admin/v1/badge-templates/:id?eventId= → 200. */
export const BadgeTemplateDeleted = z.object({ id: Uuid });

/** PUT /admin/v1/events/:id/badge-settings → 200: the settings as stored. */
export const BadgeSettingsSaved = BadgeSettings;
