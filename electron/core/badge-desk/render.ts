// Owns what one badge is as the printer gets it: the print block (the chosen template — the built-in
// layout when there is none, or when the replicated one no longer passes its check — and the attendee as
// the badge shows them) and its preview, drawn by the drivers' one badge renderer as the badge printer
// receives it.
import type { BadgeAttendeeDetails, BadgeTemplateRow } from '../../../domain/badge-wire';
import { BADGE_LOCALES, checkBadgeTemplate, defaultBadgeTemplate, type BadgeLocale, type BadgeTemplate } from '../../../domain/badge-template';
import { CR80_EVOLIS, DriverError, renderBadge, type PrintBlock } from '../../../drivers';
import { AdmitError } from '../../contract';
import type { TicketRecord } from '../sync/cache';

export type BadgeBlock = Extract<PrintBlock, { type: 'badge' }>;

/** The terminal's print language as a badge locale (en unless it is one of the badge's). */
export function badgeLocale(lang: string | null): BadgeLocale {
  return (BADGE_LOCALES as readonly string[]).includes(lang ?? '') ? (lang as BadgeLocale) : 'en';
}

const nameIn = (names: Record<string, string> | null, locale: BadgeLocale): string | undefined =>
  names ? (names[locale] ?? names['en'] ?? Object.values(names)[0]) : undefined;

/** The badge of one attendee: the server's details when fetched, else what the cache holds. */
export function badgeBlockFor(
  t: TicketRecord,
  details: BadgeAttendeeDetails | null,
  template: BadgeTemplateRow | null,
  locale: BadgeLocale,
  badgeId: string | null,
): BadgeBlock {
  const layout = template && checkBadgeTemplate(template.template).ok ? template.template : defaultBadgeTemplate();
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

/** The badge as the badge printer gets it (a card printer's monochrome panel), side by side, as PNG. */
export async function badgePreview(block: BadgeBlock): Promise<{ png: string; width: number; height: number }[]> {
  try {
    const a = block.attendee;
    const badge = renderBadge(
      {
        attendeeName: a.name,
        ...(a.company ? { company: a.company } : {}),
        ...(a.title ? { title: a.title } : {}),
        ...(a.category ? { category: a.category } : {}),
        ...(a.ticketType ? { ticketType: a.ticketType } : {}),
        ticketCode: a.ticketCode,
        ...(a.badgeId ? { badgeId: a.badgeId } : {}),
      },
      block.template as BadgeTemplate,
      CR80_EVOLIS,
    );
    return [badge, ...(badge.back ? [badge.back] : [])].map((s) => ({ png: s.monoPng().toString('base64'), width: s.width, height: s.height }));
  } catch (e) {
    if (e instanceof DriverError) throw new AdmitError('invalid_input', e.detail.slice(0, 500));
    throw e;
  }
}
