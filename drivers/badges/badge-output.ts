// Owns what a printer is sent for one badge block of a PrintDocument, whichever stock it prints: the
// block checked (template, attendee, photo) before any byte leaves, then each side drawn by the one
// badge renderer at the printer's own geometry — an Evolis card panel (1016 x 648 dots, 1 bit), a label
// at the label printer's dpi (1 bit), a receipt roll's dot width (1 bit, scaled to fit), or a page of
// the OS queue (colour at the template's dpi, embedded in a PDF). Printers and the designer's preview
// (badgeAsPrinted) call the same function, so the preview is the printed image pixel for pixel.
// Pure: no I/O.
import { BADGE_LOCALES, base64Bytes, checkBadgeTemplate, imageProblem, stockSizeMm, type BadgeLocale, type BadgeTemplate } from '../../domain/badge-template';
import { DriverError } from '../errors';
import type { BadgeBlock } from '../printers/document';
import { PNG } from 'pngjs';
import { Bitmap } from '../printers/raster';
import { ditherToMono } from './badge';
import { MAX_PHOTO_BYTES, renderBadgeSide, type BadgeAttendee, type RenderedBadgeSide } from './badge-render';

/** The image geometry a printer takes a badge in. */
export type BadgeOutput =
  /** A card printer's panel: a CR80 card stretched over width x height dots (landscape; a portrait
   *  badge is drawn height x width and turned by the driver), ordered-dithered to 1 bit. */
  | { kind: 'card'; width: number; height: number }
  /** A label printer: the stock's millimetres at the printer's dpi, 1 bit. */
  | { kind: 'label'; dpi: number }
  /** A receipt printer: the badge scaled to the paper's dot width, 1 bit. */
  | { kind: 'roll'; widthDots: number }
  /** The OS print queue: colour at the template's dpi, placed on a page of the stock's size. */
  | { kind: 'page' };

export interface PreparedBadge {
  template: BadgeTemplate;
  attendee: BadgeAttendee;
  locale: BadgeLocale;
}

export interface BadgeSideImage {
  width: number;
  height: number;
  /** The 1-bit image a monochrome printer is sent (card, label, roll). */
  mono?: Bitmap;
  /** The side as rendered (grey and colour). */
  rendered: RenderedBadgeSide;
  /** Exactly what the printer is sent: the 1-bit image as PNG, or the RGB PNG whose pixel data a PDF embeds. */
  png(): Buffer;
}

const bad = (detail: string) => new DriverError<'bad_document'>('bad_document', detail);

const str = (v: unknown): v is string => typeof v === 'string';

/**
 * A badge block checked: its template passes the one template check, the attendee has a name and a
 * ticket code, the photo is base64 PNG or JPEG within its size. Throws a 'bad_document' DriverError
 * naming what is wrong (`where` prefixes it, e.g. "block 2").
 */
export function prepareBadgeBlock(block: BadgeBlock, where = 'badge'): PreparedBadge {
  const checked = checkBadgeTemplate(block.template);
  if (!checked.ok) {
    throw bad(`${where}: template refused: ${checked.problems.map((p) => `${p.reason}${p.index !== undefined ? ` (side ${p.side}, element ${p.index})` : ''}: ${p.detail}`).join('; ')}`);
  }
  const a = block.attendee as Partial<BadgeBlock['attendee']> | undefined;
  if (!a || typeof a !== 'object') throw bad(`${where}: no attendee`);
  if (!str(a.name) || !a.name.trim()) throw bad(`${where}: the attendee name is empty`);
  if (!str(a.ticketCode) || !a.ticketCode) throw bad(`${where}: the ticket code is empty`);
  for (const k of ['company', 'title', 'category', 'ticketType', 'badgeId', 'photo'] as const) {
    if (a[k] !== undefined && a[k] !== null && !str(a[k])) throw bad(`${where}: attendee ${k} is not text`);
  }
  let photo: Uint8Array | undefined;
  if (a.photo) {
    const bytes = base64Bytes(a.photo);
    if (!bytes) throw bad(`${where}: the photo is refused (image_bad_format): not base64`);
    const p = imageProblem(bytes, MAX_PHOTO_BYTES);
    if (p) throw bad(`${where}: the photo is refused (${p.reason}): ${p.detail}`);
    photo = bytes;
  }
  const locale = block.locale && (BADGE_LOCALES as readonly string[]).includes(block.locale) ? block.locale : 'en';
  const opt = (v: string | null | undefined) => (str(v) ? v : undefined);
  return {
    template: checked.template,
    locale,
    attendee: {
      name: a.name,
      ticketCode: a.ticketCode,
      company: opt(a.company),
      title: opt(a.title),
      category: opt(a.category),
      ticketType: opt(a.ticketType),
      badgeId: opt(a.badgeId),
      photo,
    },
  };
}

/** The size in dots each side of the badge is drawn at for an output (null: the template's own). */
export function badgeCanvas(output: BadgeOutput, template: BadgeTemplate): { width: number; height: number } | undefined {
  const mm = stockSizeMm(template.stock);
  switch (output.kind) {
    case 'card': {
      if (template.stock.kind !== 'cr80') throw bad(`a ${template.stock.kind} template cannot print on a CR80 card printer`);
      return template.stock.orientation === 'portrait' ? { width: output.height, height: output.width } : { width: output.width, height: output.height };
    }
    case 'label':
      return { width: Math.round((mm.width * output.dpi) / 25.4), height: Math.round((mm.height * output.dpi) / 25.4) };
    case 'roll':
      return { width: output.widthDots, height: Math.round((output.widthDots * mm.height) / mm.width) };
    case 'page':
      return undefined;
  }
}

/** Each side of a prepared badge as the output's printer is sent it. Throws 'bad_document'. */
export function badgeSidesFor(output: BadgeOutput, badge: PreparedBadge): BadgeSideImage[] {
  const canvas = badgeCanvas(output, badge.template);
  const sides: BadgeSideImage[] = [];
  for (let side = 0; side < badge.template.sides; side++) {
    const rendered = renderBadgeSide(badge.template, side, badge.attendee, { locale: badge.locale, canvas });
    if (output.kind === 'page') {
      let png: Buffer | null = null;
      sides.push({ width: rendered.width, height: rendered.height, rendered, png: () => (png ??= rgbPng(rendered.width, rendered.height, rendered.rgba)) });
    } else {
      const mono = ditherToMono(rendered.width, rendered.height, rendered.grey);
      sides.push({ width: rendered.width, height: rendered.height, mono, rendered, png: () => mono.toPng() });
    }
  }
  return sides;
}

/** An opaque RGBA image as an 8-bit RGB PNG (colour type 2, not interlaced): what a PDF embeds as is. */
export function rgbPng(width: number, height: number, rgba: Uint8Array): Buffer {
  const png = new PNG({ width, height, colorType: 2, inputColorType: 6, inputHasAlpha: true, bitDepth: 8 });
  png.data = Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength);
  return PNG.sync.write(png, { colorType: 2, inputColorType: 6, inputHasAlpha: true, bitDepth: 8 });
}

/** The badge blocks of a document, prepared; any other block is refused for a printer that prints only badges. */
export function badgeBlocksOnly(blocks: readonly { type: string }[], printer: string): PreparedBadge[] {
  return blocks.map((b, i) => {
    if (b.type !== 'badge') throw bad(`block ${i} (${b.type}): ${printer} prints only badge blocks`);
    return prepareBadgeBlock(b as BadgeBlock, `block ${i}`);
  });
}

/** A 1-bit image turned a quarter: clockwise when `clockwise`, else counter-clockwise. */
export function rotateQuarter(src: Bitmap, clockwise = false): Bitmap {
  const out = new Bitmap(src.height, src.width);
  for (let y = 0; y < src.height; y++) {
    for (let x = 0; x < src.width; x++) {
      if (!src.get(x, y)) continue;
      if (clockwise) out.set(src.height - 1 - y, x);
      else out.set(y, src.width - 1 - x);
    }
  }
  return out;
}
