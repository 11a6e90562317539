// Owns what one badge is as the printer gets it: the print block (the chosen template — the built-in
// layout when there is none, or when the replicated one no longer passes its check — and the attendee as
// the badge shows them) and its preview, the very images the terminal's badge printer is sent.
import type { BadgeAttendeeDetails, BadgeTemplateRow } from '../../../domain/badge-wire';
import { BADGE_LOCALES, checkBadgeTemplate, defaultBadgeTemplate, type BadgeLocale } from '../../../domain/badge-template';
import { badgeAsPrinted, DriverError, renderBadgeBlock, type PrintBlock } from '../../../drivers';
import { AdmitError } from '../../contract';
import type { TicketRecord } from '../sync/cache';

export type BadgeBlock = Extract<PrintBlock, { type: 'badge' }>;

/** The terminal's print language as a badge locale (en unless it is one of the badge's). */
export function badgeLocale(lang: string | null): BadgeLocale {
  return (BADGE_LOCALES as readonly string[]).includes(lang ?? '') ? (lang as BadgeLocale) : 'en';
}

const nameIn = (names: Record<string, string> | null, locale: BadgeLocale): string | undefined =>
  names ? (names[locale] ?? names['en'] ?? Object.values(names)[0]) : undefined;

/** Longest ticket code the built-in layout prints as a caption under its QR code (a signed code is far
 *  longer than its box holds: the QR carries it alone). */
const CAPTION_MAX = 24;

function builtInLayout(code: string): unknown {
  const layout = defaultBadgeTemplate();
  if (code.length <= CAPTION_MAX) return layout;
  return { ...layout, elements: layout.elements.map((side) => side.map((e) => (e.type === 'code' ? { ...e, caption: false } : e))) };
}

/** The badge of one attendee: the server's details when fetched, else what the cache holds. */
export function badgeBlockFor(
  t: TicketRecord,
  details: BadgeAttendeeDetails | null,
  template: BadgeTemplateRow | null,
  locale: BadgeLocale,
  badgeId: string | null,
): BadgeBlock {
  const layout = template && checkBadgeTemplate(template.template).ok ? template.template : builtInLayout(t.code);
  const text = (s: string | null | undefined) => (s ? { value: s } : null);
  const company = text(details?.company);
  const title = text(details?.title);
  const category = text(details?.category);
  const ticketType = nameIn(t.ticketTypeName, locale);
  return {
    type: 'badge',
    template: layout,
    attendee: {
      name: details?.name ?? t.attendeeName ?? '',
      ...(company ? { company: company.value } : {}),
      ...(title ? { title: title.value } : {}),
      ...(category ? { category: category.value } : {}),
      ...(ticketType ? { ticketType } : {}),
      ticketCode: t.code,
      ...(badgeId ? { badgeId } : {}),
    },
    locale,
  };
}

/** The badge as the terminal's badge printer is sent it (the drivers' badgeAsPrinted for its
 *  configuration: the same images its print sends), or — without a badge printer — the colour preview at
 *  the template's resolution; one PNG per side. */
/** Throws (AdmitError invalid_input, naming what) when the badge cannot be printed as it stands (a name
 *  too long for its box at the smallest size, a character no font has): checked before it is queued. */
export function checkPrintable(block: BadgeBlock, printer: { kind: 'printer'; driver: string }): void {
  badgePreview(block, printer);
}

export function badgePreview(block: BadgeBlock, printer: { kind: 'printer'; driver: string } | null): { png: string; width: number; height: number }[] {
  try {
    const images = printer ? badgeAsPrinted(printer, block) : renderBadgeBlock(block);
    return images.sides.map((s) => ({ png: s.png.toString('base64'), width: s.width, height: s.height }));
  } catch (e) {
    if (e instanceof DriverError) throw new AdmitError('invalid_input', e.detail.slice(0, 500));
    throw e;
  }
}
