// Owns the admin mode's badge slice of the contract: an event's badge templates (which attendees each
// is for, the designer's layout), its badge settings, sample attendees to preview with (the longest name
// of the event, a Chinese and a Russian name), the preview — the very image the printer gets, drawn by
// the core's one badge renderer — and a test print on this terminal's badge printer. Admin only; the
// server checks the role again and audits every write.
import { z } from 'zod';
import { BadgeSample, BadgeSettings, BADGE_TEXT_MAX } from '../../../domain/badge-wire';
import { BADGE_LOCALES, BADGE_TEMPLATE_REASONS } from '../../../domain/badge-template';
import { call } from '../spec';
import { PrintOutcome } from './devices';

const Id = z.string().uuid();

export const AdminBadgeTemplate = z.object({
  id: Id,
  eventId: Id,
  name: z.string(),
  ticketTypeIds: z.array(Id),
  categories: z.array(z.string()),
  isDefault: z.boolean(),
  /** The layout as saved (domain/badge-template.ts BadgeTemplate). */
  template: z.unknown(),
  version: z.number().int().positive(),
  updatedAt: z.string(),
});
export type AdminBadgeTemplate = z.infer<typeof AdminBadgeTemplate>;

/** Why a layout cannot be saved or printed: one per element at fault (side and index), translated by
 *  reason. */
export const BadgeTemplateIssue = z.object({
  reason: z.enum(BADGE_TEMPLATE_REASONS),
  side: z.number().int().optional(),
  index: z.number().int().optional(),
  detail: z.string(),
});
export type BadgeTemplateIssue = z.infer<typeof BadgeTemplateIssue>;

/** The sample to preview with: a BadgeSample key ('longest', 'chinese', 'russian', or a ticket id). */
const SampleKey = z.string().min(1).max(64);
/** The language the template's free texts are drawn in (default en). */
const Locale = z.enum(BADGE_LOCALES).default('en');

export const PreviewSide = z.object({ png: z.string(), width: z.number().int(), height: z.number().int() });

export const adminBadgesCalls = {
  /** The event's templates (active only), its settings, and the samples to preview with. */
  'admin.badges.list': call({
    input: z.object({ eventId: Id }).strict(),
    output: z.object({ templates: z.array(AdminBadgeTemplate), settings: BadgeSettings, samples: z.array(BadgeSample), categories: z.array(z.string()) }),
    roles: ['admin'],
  }),
  /** Creates (no `id`) or replaces a template. A layout that fails its check is not saved: the answer
   *  lists the issues and `template` is null. `baseVersion` older than the stored one: server_rejected
   *  'conflict'. */
  'admin.badges.save': call({
    input: z
      .object({
        eventId: Id,
        id: Id.optional(),
        name: z.string().trim().min(1).max(200),
        ticketTypeIds: z.array(Id).max(200).default([]),
        categories: z.array(z.string().trim().min(1).max(BADGE_TEXT_MAX)).max(200).default([]),
        isDefault: z.boolean().default(false),
        template: z.unknown(),
        baseVersion: z.number().int().nonnegative().optional(),
      })
      .strict(),
    output: z.object({ template: AdminBadgeTemplate.nullable(), issues: z.array(BadgeTemplateIssue) }),
    roles: ['admin'],
  }),
  /** Removes a template (attendees it was for fall back to the next rule). */
  'admin.badges.delete': call({ input: z.object({ eventId: Id, id: Id }).strict(), output: z.object({ id: Id }), roles: ['admin'] }),
  'admin.badges.settings': call({ input: BadgeSettings.extend({ eventId: Id }).strict(), output: BadgeSettings, roles: ['admin'] }),
  /** The layout (saved or not) drawn for a sample by the core's badge renderer, side by side. With
   *  `asPrinted`, as this terminal's badge printer gets it (its resolution, dithered for a monochrome
   *  ribbon); else in colour at the template's dpi. A layout that fails its check answers with issues
   *  and no sides. */
  'admin.badges.preview': call({
    input: z.object({ eventId: Id, template: z.unknown(), sample: SampleKey, asPrinted: z.boolean().default(false), locale: Locale }).strict(),
    output: z.object({ sides: z.array(PreviewSide), issues: z.array(BadgeTemplateIssue) }),
    roles: ['admin'],
  }),
  /** Prints a saved template for a sample on this terminal's badge printer (not recorded as an
   *  attendee's badge), answering with the preview of what was sent (asPrinted). Refused:
   *  no_badge_printer, not_found. */
  'admin.badges.testPrint': call({
    input: z.object({ eventId: Id, templateId: Id, sample: SampleKey, locale: Locale }).strict(),
    output: z.object({ sides: z.array(PreviewSide), print: PrintOutcome }),
    roles: ['admin'],
  }),
} as const;

export const adminBadgesEvents = {} as const;

// The template schema's vocabulary and its one check, for the designer screen (the renderer reaches
// domain/ only through the contract).
export {
  BADGE_FONT_FAMILIES,
  BADGE_LOCALES,
  BADGE_TEXT_FIELDS,
  MAX_ELEMENTS_PER_SIDE,
  MAX_IMAGE_BYTES,
  STOCK_KINDS,
  base64Bytes,
  checkBadgeTemplate,
  defaultBadgeTemplate,
  imageProblem,
  stockSizeMm,
  type BadgeElement,
  type BadgeLocale,
  type BadgeStock,
  type BadgeTemplate,
  type BadgeTemplateReason,
  type BadgeTextField,
} from '../../../domain/badge-template';
export type { BadgeSample as BadgeSampleRow, BadgeSettings as BadgeSettingsValue } from '../../../domain/badge-wire';
