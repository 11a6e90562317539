// Owns drawing one side of a badge from its template: the one renderer whose image the designer
// previews and the printer prints. Skia (@napi-rs/canvas) draws text with the fonts shipped under
// resources/fonts — Noto Sans (Latin, Cyrillic), the Noto Sans CJK SC subset, Noto Sans Arabic and
// Noto Sans Hebrew — falling back glyph by glyph through them in order, shaping Arabic and laying out
// right-to-left and mixed runs by the Unicode bidirectional algorithm. Text fits its box by shrinking
// to its minimum size and then wrapping to its line limit; text that still does not fit, or a character
// no font has, is refused as a bad document naming it: never clipped, never a box. Codes are drawn on
// whole dots (a QR module or Code 128 module is an integer number of dots) so they stay crisp.
// Pure: bytes in, pixels out, no device.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCanvas, GlobalFonts, Image, type SKRSContext2D } from '@napi-rs/canvas';
import QRCode from 'qrcode';
import {
  BADGE_FONT_FAMILIES,
  base64Bytes,
  imageProblem,
  stockSizeMm,
  type BadgeElement,
  type BadgeFontFamily,
  type BadgeLocale,
  type BadgeTemplate,
} from '../../domain/badge-template';
import { DriverError } from '../errors';
import { fontCodePoints, fontsDirectory, loadFonts } from '../printers/text-raster';
import { greyToPng } from '../printers/raster';
import { code128Modules } from './code128';

export type BadgeRenderErrorCode = 'bad_document';

/** Who the badge is for: the fields a template's elements show. */
export interface BadgeAttendee {
  name: string;
  company?: string;
  title?: string;
  category?: string;
  ticketType?: string;
  /** The ticket's code (in a QR or Code 128 whose source is ticketCode). */
  ticketCode: string;
  /** The badge's own id (for codes whose source is badgeId). */
  badgeId?: string;
  /** A portrait photo, PNG or JPEG bytes. */
  photo?: Uint8Array;
}

export interface BadgeRenderOptions {
  /** The language of free text (default en; a language the text lacks falls back to en). */
  locale?: BadgeLocale;
  /**
   * The device's image size in dots when it is not the stock at the template's dpi (an Evolis card
   * panel is 1016 x 648): the stock's millimetres are stretched over it.
   */
  canvas?: { width: number; height: number };
}

export interface RenderedBadgeSide {
  width: number;
  height: number;
  /** 0 = black … 255 = white, row-major. */
  grey: Uint8Array;
  /** The side in colour, as the designer previews it and a colour printer prints it. */
  png(): Buffer;
  /** The greyscale image, as a monochrome printer's driver receives it. */
  greyPng(): Buffer;
  /** The colour pixels, RGBA row-major (opaque: the stock is white). */
  rgba: Uint8Array;
}

/** The largest photo an attendee may carry onto a badge. */
export const MAX_PHOTO_BYTES = 8 * 1024 * 1024;

const bad = (detail: string) => new DriverError<BadgeRenderErrorCode>('bad_document', detail);

// ---- fonts ----

/** Each shipped family's Skia families (the CJK subset is three files by code point) and files. */
const EXTRA_FONTS = [
  { family: 'Admit Sans Arabic', file: 'NotoSansArabic-Regular.ttf', bold: 'NotoSansArabic-Bold.ttf' },
  { family: 'Admit Sans Hebrew', file: 'NotoSansHebrew-Regular.ttf', bold: 'NotoSansHebrew-Bold.ttf' },
] as const;
const SKIA_FAMILIES: Record<BadgeFontFamily, string[]> = {
  // text-raster registers these under its own names; the badge reuses them.
  'Noto Sans': ['Admit Sans'],
  'Noto Sans CJK SC': ['Admit Sans CJK 1', 'Admit Sans CJK 2', 'Admit Sans CJK 3'],
  'Noto Sans Arabic': ['Admit Sans Arabic'],
  'Noto Sans Hebrew': ['Admit Sans Hebrew'],
};

let coverage: { dir: string; sets: Set<number>[] } | null = null;

/** Registers every shipped font once; a missing file is a bad document naming it. */
function fonts(): Set<number>[] {
  const dir = fontsDirectory();
  if (coverage?.dir === dir) return coverage.sets;
  const sets = [...loadFonts(dir).coverage];
  for (const f of EXTRA_FONTS) {
    for (const file of [f.file, f.bold]) {
      const path = join(dir, file);
      if (!existsSync(path)) throw bad(`font ${file} is missing from the fonts directory`);
      if (!GlobalFonts.registerFromPath(path, f.family)) throw bad(`font ${file} could not be loaded`);
    }
    sets.push(fontCodePoints(readFileSync(join(dir, f.file))));
  }
  coverage = { dir, sets };
  return sets;
}

/** Characters that draw nothing of their own: spaces, controls, joiners and direction marks. */
const INVISIBLE = /[\s\p{Cc}\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/u;

const describeChar = (ch: string) => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} "${ch}"`;

/** Refuses text with a character no shipped font has, naming it and where it was to go. */
function requireGlyphs(text: string, what: string): void {
  const sets = fonts();
  const missing = new Set<string>();
  for (const ch of text) if (!INVISIBLE.test(ch) && !sets.some((s) => s.has(ch.codePointAt(0)!))) missing.add(ch);
  if (missing.size > 0) throw bad(`no badge font has ${[...missing].map(describeChar).join(', ')} (in the ${what})`);
}

/** A CSS font for Skia: the chosen family first, then the other shipped ones as per-glyph fallback. */
function cssFont(family: string, weight: 'regular' | 'bold', px: number): string {
  if (!(BADGE_FONT_FAMILIES as readonly string[]).includes(family)) throw bad(`font ${JSON.stringify(family)} is not shipped`);
  const order = [family as BadgeFontFamily, ...BADGE_FONT_FAMILIES.filter((f) => f !== family)];
  return `${weight === 'bold' ? 'bold ' : ''}${px}px ${order.flatMap((f) => SKIA_FAMILIES[f]).map((f) => `"${f}"`).join(', ')}`;
}

/** The paragraph direction: that of the first strong character (rule P2 of the bidi algorithm). */
function directionOf(text: string): 'ltr' | 'rtl' {
  for (const ch of text) {
    if (/[\p{Script=Hebrew}\p{Script=Arabic}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}]/u.test(ch) && /\p{L}/u.test(ch)) return 'rtl';
    if (/\p{L}/u.test(ch)) return 'ltr';
  }
  return 'ltr';
}

// ---- geometry ----

interface Px {
  x: number;
  y: number;
  width: number;
  height: number;
}

interface Frame {
  ctx: SKRSContext2D;
  /** Dots per mm across and down. */
  sx: number;
  sy: number;
  /** Dots per point (font sizes), from the vertical scale. */
  perPt: number;
}

const toPx = (f: Frame, e: { x: number; y: number; width: number; height: number }): Px => {
  const x = Math.round(e.x * f.sx);
  const y = Math.round(e.y * f.sy);
  return { x, y, width: Math.round((e.x + e.width) * f.sx) - x, height: Math.round((e.y + e.height) * f.sy) - y };
};

// ---- text ----

interface TextStyle {
  font: string;
  weight: 'regular' | 'bold';
  maxSizePt: number;
  minSizePt: number;
  maxLines: number;
  align: 'left' | 'center' | 'right';
}

interface Layout {
  px: number;
  lines: string[];
  pitch: number;
  ascent: number;
  descent: number;
}

/** Greedy wrap at spaces, and between characters of a word wider than a line (as CJK needs). */
function wrap(ctx: SKRSContext2D, text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const token of text.split(/(\s+)/u)) {
    if (token === '') continue;
    const next = line + token;
    if (inkWidth(ctx, next.trimEnd()) <= width) {
      line = next;
      continue;
    }
    if (line.trim() !== '') lines.push(line.trim());
    line = '';
    if (/^\s+$/u.test(token)) continue;
    if (inkWidth(ctx, token) <= width) {
      line = token;
      continue;
    }
    for (const ch of token) {
      if (line !== '' && inkWidth(ctx, line + ch) > width) {
        lines.push(line);
        line = '';
      }
      line += ch;
    }
  }
  if (line.trim() !== '') lines.push(line.trim());
  return lines;
}

/** The width a line takes: its advance, or its ink where a glyph overhangs the advance. */
function inkWidth(ctx: SKRSContext2D, s: string): number {
  ctx.direction = directionOf(s);
  return extent(ctx.measureText(s)).width;
}

/** Left of the pen (ink overhanging it) and the whole width from there: advance or ink, whichever reaches further. */
function extent(m: { width: number; actualBoundingBoxLeft: number; actualBoundingBoxRight: number }): { left: number; width: number } {
  const left = Math.max(0, m.actualBoundingBoxLeft);
  return { left, width: left + Math.max(m.width, m.actualBoundingBoxRight) };
}

function measureLines(ctx: SKRSContext2D, lines: string[], px: number): Layout {
  let ascent = 0;
  let descent = 0;
  for (const l of lines) {
    ctx.direction = directionOf(l);
    const m = ctx.measureText(l);
    ascent = Math.max(ascent, m.actualBoundingBoxAscent);
    descent = Math.max(descent, m.actualBoundingBoxDescent);
  }
  return { px, lines, pitch: Math.ceil(px * 1.2), ascent: Math.ceil(ascent), descent: Math.ceil(descent) };
}

const layoutHeight = (l: Layout) => l.ascent + (l.lines.length - 1) * l.pitch + l.descent;

/**
 * Fits `text` in the box: the largest size from the maximum down to the minimum (half-point steps) at
 * which it fits on one line; failing that, the largest at which it wraps to no more than maxLines
 * lines that fit. Null when nothing fits.
 */
export function fitTextLayout(ctx: SKRSContext2D, text: string, box: { width: number; height: number }, style: TextStyle, perPt: number): Layout | null {
  const sizes: number[] = [];
  for (let pt = style.maxSizePt; pt >= style.minSizePt - 1e-9; pt -= 0.5) sizes.push(pt);
  if (sizes[sizes.length - 1] !== style.minSizePt) sizes.push(style.minSizePt);
  const at = (pt: number) => {
    const px = Math.max(1, Math.round(pt * perPt));
    ctx.font = cssFont(style.font, style.weight, px);
    return px;
  };
  for (const pt of sizes) {
    const px = at(pt);
    if (inkWidth(ctx, text) > box.width) continue;
    const l = measureLines(ctx, [text], px);
    if (layoutHeight(l) <= box.height) return l;
  }
  if (style.maxLines < 2) return null;
  for (const pt of sizes) {
    const px = at(pt);
    const lines = wrap(ctx, text, box.width);
    if (lines.length > style.maxLines || lines.some((l) => inkWidth(ctx, l) > box.width)) continue;
    const l = measureLines(ctx, lines, px);
    if (layoutHeight(l) <= box.height) return l;
  }
  return null;
}

/** Draws text fitted into the box (vertically centred), or refuses it when it cannot fit. */
function drawText(f: Frame, text: string, box: Px, style: TextStyle, colour: string, what: string): void {
  requireGlyphs(text, what);
  const { ctx } = f;
  const l = fitTextLayout(ctx, text, box, style, f.perPt);
  if (!l) throw bad(`the ${what} ${JSON.stringify(text)} does not fit its ${box.width}x${box.height}-dot box at ${style.minSizePt} pt in ${style.maxLines} line(s)`);
  ctx.font = cssFont(style.font, style.weight, l.px);
  ctx.fillStyle = colour;
  ctx.textBaseline = 'alphabetic';
  let baseline = box.y + Math.floor((box.height - layoutHeight(l)) / 2) + l.ascent;
  for (const line of l.lines) {
    ctx.direction = directionOf(line);
    const m = ctx.measureText(line);
    // Placed by its extent, so glyphs overhanging the pen or the advance stay inside the box.
    const e = extent(m);
    const left = style.align === 'left' ? box.x : style.align === 'right' ? box.x + box.width - e.width : box.x + (box.width - e.width) / 2;
    ctx.textAlign = 'left';
    // Whole dots, rounded towards the inside of the box.
    ctx.fillText(line, style.align === 'left' ? Math.ceil(left + e.left) : Math.floor(left + e.left), baseline);
    baseline += l.pitch;
  }
}

// ---- codes ----

function drawQr(f: Frame, data: string, box: Px): void {
  const symbol = QRCode.create([{ data: Buffer.from(data, 'utf8'), mode: 'byte' }], { errorCorrectionLevel: 'M' });
  const n = symbol.modules.size;
  // Whole dots per module, with a 2-module quiet zone each side inside the box.
  const dot = Math.floor(Math.min(box.width, box.height) / (n + 4));
  if (dot < 2) throw bad(`the code needs a ${n}-module QR: too dense for a ${box.width}x${box.height}-dot box`);
  const side = n * dot;
  const qx = box.x + Math.floor((box.width - side) / 2);
  const qy = box.y + Math.floor((box.height - side) / 2);
  const { ctx } = f;
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(qx - 2 * dot, qy - 2 * dot, side + 4 * dot, side + 4 * dot);
  ctx.fillStyle = '#000000';
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) if (symbol.modules.get(r, c)) ctx.fillRect(qx + c * dot, qy + r * dot, dot, dot);
}

function drawCode128(f: Frame, data: string, box: Px): void {
  const modules = code128Modules(data);
  if (!modules) throw bad(`the code ${JSON.stringify(data)} has characters Code 128 cannot carry`);
  // A 10-module quiet zone each side.
  const dot = Math.floor(box.width / (modules.length + 20));
  if (dot < 2) throw bad(`the code needs ${modules.length} Code 128 modules: too long for a ${box.width}-dot box`);
  const width = modules.length * dot;
  const x0 = box.x + Math.floor((box.width - width) / 2);
  const { ctx } = f;
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(x0 - 10 * dot, box.y, width + 20 * dot, box.height);
  ctx.fillStyle = '#000000';
  modules.forEach((m, i) => m && ctx.fillRect(x0 + i * dot, box.y, dot, box.height));
}

// ---- images ----

function decodeImage(bytes: Uint8Array, what: string, maxBytes: number): Image {
  const p = imageProblem(bytes, maxBytes);
  if (p) throw bad(`the ${what} is refused (${p.reason}): ${p.detail}`);
  const img = new Image();
  try {
    img.src = Buffer.from(bytes);
  } catch (e) {
    throw bad(`the ${what} could not be read: ${(e as Error).message}`);
  }
  if (!img.complete || img.width < 1 || img.height < 1) throw bad(`the ${what} could not be read`);
  if (img.width * img.height > 40_000_000) throw bad(`the ${what} of ${img.width}x${img.height} pixels is too large`);
  return img;
}

function drawImage(f: Frame, img: Image, box: Px, fit: 'cover' | 'contain'): void {
  const scale = fit === 'cover' ? Math.max(box.width / img.width, box.height / img.height) : Math.min(box.width / img.width, box.height / img.height);
  const { ctx } = f;
  if (fit === 'cover') {
    // Crop the overflow, centred.
    const sw = box.width / scale;
    const sh = box.height / scale;
    ctx.drawImage(img, (img.width - sw) / 2, (img.height - sh) / 2, sw, sh, box.x, box.y, box.width, box.height);
  } else {
    const w = img.width * scale;
    const h = img.height * scale;
    ctx.drawImage(img, box.x + (box.width - w) / 2, box.y + (box.height - h) / 2, w, h);
  }
}

// ---- the side ----

function fieldText(a: BadgeAttendee, field: 'name' | 'company' | 'title' | 'category' | 'ticketType'): string {
  return (a[field] ?? '').trim();
}

/** The side's text boxes that overlap its photo move right of it when the attendee has a photo. */
function besidePhoto(els: BadgeElement[], index: number, f: Frame, hasPhoto: boolean): Px {
  const e = els[index]!;
  const box = toPx(f, e);
  if (!hasPhoto || e.type !== 'text') return box;
  const photo = els.find((p) => p.type === 'photo');
  if (!photo) return box;
  const p = toPx(f, photo);
  const overlaps = box.x < p.x + p.width && p.x < box.x + box.width && box.y < p.y + p.height && p.y < box.y + box.height;
  if (!overlaps) return box;
  const left = p.x + p.width + Math.round(2 * f.sx);
  return left < box.x + box.width ? { ...box, x: left, width: box.x + box.width - left } : box;
}

/**
 * One side of the attendee's badge (0 front, 1 back) drawn from the template: white stock, then the
 * side's elements in order. Throws a 'bad_document' DriverError saying what cannot be printed.
 */
export function renderBadgeSide(template: BadgeTemplate, side: number, attendee: BadgeAttendee, options: BadgeRenderOptions = {}): RenderedBadgeSide {
  const els = template.elements[side];
  if (!Number.isInteger(side) || side < 0 || side >= template.sides || !els) throw bad(`the template has no side ${side}`);
  const stock = stockSizeMm(template.stock);
  const perMm = template.dpi / 25.4;
  const W = options.canvas?.width ?? Math.round(stock.width * perMm);
  const H = options.canvas?.height ?? Math.round(stock.height * perMm);
  if (!Number.isInteger(W) || !Number.isInteger(H) || W < 50 || H < 50 || W > 12_000 || H > 12_000) throw bad(`badge image of ${W}x${H} dots`);
  const name = attendee.name.trim();
  if (!name) throw bad('the attendee name is empty');
  fonts();

  const canvas = createCanvas(W, H);
  const ctx = canvas.getContext('2d');
  const f: Frame = { ctx, sx: W / stock.width, sy: H / stock.height, perPt: (H / stock.height) * (25.4 / 72) };
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, W, H);
  const photo = attendee.photo ? decodeImage(attendee.photo, 'photo', MAX_PHOTO_BYTES) : null;
  const locale = options.locale ?? 'en';

  els.forEach((e, i) => {
    const box = besidePhoto(els, i, f, photo !== null);
    switch (e.type) {
      case 'text': {
        const raw = e.source.kind === 'field' ? (e.source.field === 'name' ? name : fieldText(attendee, e.source.field)) : (e.source.text[locale] ?? e.source.text.en).trim();
        if (!raw) return;
        drawText(f, e.uppercase ? raw.toUpperCase() : raw, box, e, e.colour, e.source.kind === 'field' ? e.source.field : `free text ${i}`);
        return;
      }
      case 'band': {
        const label = e.label === 'none' ? '' : fieldText(attendee, e.label);
        ctx.fillStyle = e.colours[label] ?? e.colour;
        ctx.fillRect(box.x, box.y, box.width, box.height);
        if (!label) return;
        const inset = Math.round(2 * f.sx);
        const inner: Px = { x: box.x + inset, y: box.y + Math.round(box.height * 0.15), width: box.width - 2 * inset, height: Math.round(box.height * 0.7) };
        drawText(f, e.uppercase ? label.toUpperCase() : label, inner, e, e.colourOfText, e.label);
        return;
      }
      case 'code': {
        const data = e.source === 'ticketCode' ? attendee.ticketCode : attendee.badgeId;
        if (!data) throw bad(`the ${e.source === 'ticketCode' ? 'ticket code' : 'badge id'} for the code is empty`);
        if (Buffer.byteLength(data, 'utf8') > 1000) throw bad(`a code of ${Buffer.byteLength(data, 'utf8')} bytes is too long for a badge`);
        const captionH = e.caption ? Math.min(Math.round(box.height * 0.2), Math.round(3.5 * f.sy)) : 0;
        const symbolBox = { ...box, height: box.height - captionH };
        if (e.symbology === 'qr') drawQr(f, data, symbolBox);
        else drawCode128(f, data, symbolBox);
        if (captionH > 0) {
          const caption = { x: box.x, y: box.y + box.height - captionH, width: box.width, height: captionH };
          drawText(f, data, caption, { font: 'Noto Sans', weight: 'regular', maxSizePt: 8, minSizePt: 4, maxLines: 1, align: 'center' }, '#000000', 'code caption');
        }
        return;
      }
      case 'photo':
        if (photo) drawImage(f, photo, box, e.fit);
        return;
      case 'image': {
        const bytes = base64Bytes(e.data);
        if (!bytes) throw bad(`image ${i} is not base64`);
        drawImage(f, decodeImage(bytes, `image ${i}`, MAX_PHOTO_BYTES), box, 'contain');
        return;
      }
    }
  });

  const rgba = ctx.getImageData(0, 0, W, H).data;
  const grey = new Uint8Array(W * H);
  for (let i = 0; i < grey.length; i++) grey[i] = Math.round(0.299 * rgba[4 * i]! + 0.587 * rgba[4 * i + 1]! + 0.114 * rgba[4 * i + 2]!);
  return { width: W, height: H, grey, rgba: new Uint8Array(rgba.buffer, rgba.byteOffset, rgba.byteLength), png: () => canvas.encodeSync('png'), greyPng: () => greyToPng(W, H, grey) };
}
