// Owns the printable badge: the card sizes of the card printers (CR80 at 300 dpi: 1016 x 648 on an
// Evolis panel, 1012 x 638 generic), an attendee's badge data, and the badge as the printers take it —
// each side drawn from its template by the badge renderer (real fonts, any script), in 8-bit grey for
// a driver-managed OS queue and ordered-dithered to 1 bit for a black monochrome ribbon panel.
import { checkBadgeTemplate, defaultBadgeTemplate, type BadgeTemplate } from '../../domain/badge-template';
import { DriverError } from '../errors';
import { Bitmap } from '../printers/raster';
import { renderBadgeSide, type BadgeAttendee, type RenderedBadgeSide } from './badge-render';

export type BadgeErrorCode = 'bad_document';

export interface CardSize {
  width: number;
  height: number;
  dpi: number;
}
export const CR80_EVOLIS: CardSize = Object.freeze({ width: 1016, height: 648, dpi: 300 });
export const CR80_GENERIC: CardSize = Object.freeze({ width: 1012, height: 638, dpi: 300 });

export interface BadgeData {
  attendeeName: string;
  company?: string;
  title?: string;
  category?: string;
  ticketType?: string;
  /** Encoded in the QR code and printed under it. */
  ticketCode: string;
  badgeId?: string;
  /** A portrait photo as PNG or JPEG bytes; scaled to cover the template's photo box. */
  photoPng?: Uint8Array;
}

export interface RenderedFace extends RenderedBadgeSide {
  /** Ordered-dithered 1-bit version (text and codes, drawn black on white, stay exact). */
  mono: Bitmap;
  monoPng(): Buffer;
}

export interface RenderedBadge extends RenderedFace {
  /** The back, for a two-sided template. */
  back?: RenderedFace;
}

const bad = (detail: string) => new DriverError<BadgeErrorCode>('bad_document', detail);

// 4x4 Bayer matrix: thresholds strictly between 0 and 255, so pure black and pure white are unchanged.
const BAYER = [0, 8, 2, 10, 12, 4, 14, 6, 3, 11, 1, 9, 15, 7, 13, 5].map((v) => Math.round(((v + 0.5) * 255) / 16));

/** The 1-bit panel of a greyscale side: ordered dithering. */
export function ditherToMono(width: number, height: number, grey: Uint8Array): Bitmap {
  const mono = new Bitmap(width, height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if (grey[y * width + x]! < BAYER[(y & 3) * 4 + (x & 3)]!) mono.set(x, y);
  return mono;
}

export const attendeeOf = (d: BadgeData): BadgeAttendee => ({
  name: d.attendeeName,
  company: d.company,
  title: d.title,
  category: d.category,
  ticketType: d.ticketType,
  ticketCode: d.ticketCode,
  badgeId: d.badgeId,
  photo: d.photoPng,
});

/**
 * The attendee's badge from a template (today's standard layout unless given), on a card printer's
 * image of `card` dots when the stock is a CR80 card. A template that does not pass its check, or data
 * that cannot be printed, is refused with 'bad_document' before anything reaches a printer.
 */
export function renderBadge(data: BadgeData, template: BadgeTemplate = defaultBadgeTemplate(), card: CardSize = CR80_EVOLIS): RenderedBadge {
  const checked = checkBadgeTemplate(template);
  if (!checked.ok) {
    throw bad(`badge template refused: ${checked.problems.map((p) => `${p.reason}${p.index !== undefined ? ` (side ${p.side}, element ${p.index})` : ''}: ${p.detail}`).join('; ')}`);
  }
  const t = checked.template;
  if (!data.ticketCode) throw bad('ticket code is empty');
  const canvas = t.stock.kind === 'cr80' ? (t.stock.orientation === 'portrait' ? { width: card.height, height: card.width } : { width: card.width, height: card.height }) : undefined;
  const face = (side: number): RenderedFace => {
    const s = renderBadgeSide(t, side, attendeeOf(data), { canvas });
    const mono = ditherToMono(s.width, s.height, s.grey);
    return { ...s, mono, monoPng: () => mono.toPng() };
  };
  const front = face(0);
  return t.sides === 2 ? { ...front, back: face(1) } : front;
}

export { defaultBadgeTemplate, type BadgeTemplate };
