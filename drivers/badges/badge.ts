// Owns the PVC badge: the card sizes (CR80 at 300 dpi: 1016 x 648 for Evolis, 1012 x 638 generic), a
// template saying where the attendee's name, company, ticket type, ticket-code QR and optional photo
// go, and the renderer that draws a badge into an 8-bit greyscale image (for a driver-managed OS queue)
// and a 1-bit image (for a black monochrome ribbon panel). Text uses the embedded printer font scaled
// up: printable ASCII only; other characters print as a box (Cyrillic or CJK names would need a TTF
// rasterizer and a font with those glyphs).
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import { DriverError } from '../errors';
import { drawGlyphInCell, hasGlyph } from '../printers/bitmap-font';
import { Bitmap, greyToPng } from '../printers/raster';

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
  ticketType?: string;
  /** Encoded in the QR code and printed under it. */
  ticketCode: string;
  /** A portrait photo as PNG bytes; scaled to cover the template's photo box. */
  photoPng?: Uint8Array;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface BadgeTemplate {
  card: CardSize;
  /** Largest text height is the box height; the text shrinks to fit the width. */
  name: Box;
  company: Box;
  /** A full-width band: white text on black. */
  ticketType: Box;
  /** The square the QR code is centred in. */
  qr: Box;
  code: Box;
  /** Where a photo goes; name and company move right of it when there is one. */
  photo: Box;
}

/** The standard layout, proportional to the card: QR top right, name and company left, type band below. */
export function defaultBadgeTemplate(card: CardSize = CR80_EVOLIS): BadgeTemplate {
  const sx = card.width / 1016;
  const sy = card.height / 648;
  const r = (b: Box): Box => ({ x: Math.round(b.x * sx), y: Math.round(b.y * sy), width: Math.round(b.width * sx), height: Math.round(b.height * sy) });
  return {
    card,
    qr: r({ x: 676, y: 36, width: 300, height: 300 }),
    code: r({ x: 656, y: 344, width: 340, height: 40 }),
    photo: r({ x: 40, y: 40, width: 200, height: 250 }),
    name: r({ x: 40, y: 60, width: 600, height: 110 }),
    company: r({ x: 40, y: 200, width: 600, height: 60 }),
    ticketType: r({ x: 0, y: 498, width: 1016, height: 150 }),
  };
}

export interface RenderedBadge {
  width: number;
  height: number;
  /** 0 = black … 255 = white, row-major. */
  grey: Uint8Array;
  /** Ordered-dithered 1-bit version (text and QR stay exact). */
  mono: Bitmap;
  greyPng(): Buffer;
  monoPng(): Buffer;
}

const bad = (detail: string) => new DriverError<BadgeErrorCode>('bad_document', detail);

class GreyCanvas {
  readonly data: Uint8Array;
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.data = new Uint8Array(width * height).fill(255);
  }
  set(x: number, y: number, v: number): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    this.data[y * this.width + x] = v;
  }
  fill(b: Box, v: number): void {
    for (let y = b.y; y < b.y + b.height; y++) for (let x = b.x; x < b.x + b.width; x++) this.set(x, y, v);
  }
  text(s: string, x: number, y: number, h: number, v: number, bold = false): void {
    const cw = charCell(h);
    let cx = x;
    for (const ch of s) {
      drawGlyphInCell((px, py) => this.set(px, py, v), ch, cx, y, cw, h, bold);
      cx += cw;
    }
  }
}

const charCell = (h: number) => Math.max(1, Math.round((h * 2) / 3));
const MIN_TEXT = 20;

/** The largest height ≤ box height at which `s` fits the box width, and the text (cut with '...' if even the smallest does not fit). */
export function fitText(s: string, box: Box): { text: string; height: number } {
  const chars = [...s];
  for (let h = box.height; h >= MIN_TEXT; h -= 2) if (chars.length * charCell(h) <= box.width) return { text: s, height: h };
  const h = Math.min(box.height, MIN_TEXT);
  const max = Math.max(1, Math.floor(box.width / charCell(h)) - 3);
  return { text: chars.slice(0, max).join('') + '...', height: h };
}

function decodePhoto(png: Uint8Array): { width: number; height: number; grey: Uint8Array } {
  let img: PNG;
  try {
    img = PNG.sync.read(Buffer.from(png));
  } catch (e) {
    throw bad(`photo is not a readable PNG: ${(e as Error).message}`);
  }
  if (img.width < 1 || img.height < 1 || img.width * img.height > 40_000_000) throw bad(`photo of ${img.width}x${img.height} pixels`);
  const grey = new Uint8Array(img.width * img.height);
  for (let i = 0; i < grey.length; i++) {
    const a = img.data[i * 4 + 3]! / 255;
    const lum = 0.299 * img.data[i * 4]! + 0.587 * img.data[i * 4 + 1]! + 0.114 * img.data[i * 4 + 2]!;
    grey[i] = Math.round(lum * a + 255 * (1 - a));
  }
  return { width: img.width, height: img.height, grey };
}

// 4x4 Bayer matrix: thresholds strictly between 0 and 255, so pure black and pure white are unchanged.
const BAYER = [0, 8, 2, 10, 12, 4, 14, 6, 3, 11, 1, 9, 15, 7, 13, 5].map((v) => Math.round(((v + 0.5) * 255) / 16));

export function renderBadge(data: BadgeData, template: BadgeTemplate = defaultBadgeTemplate()): RenderedBadge {
  const { width: W, height: H } = template.card;
  if (!Number.isInteger(W) || !Number.isInteger(H) || W < 100 || H < 100 || W > 4000 || H > 4000) throw bad(`card ${W}x${H} dots`);
  const name = data.attendeeName.trim();
  if (!name) throw bad('attendee name is empty');
  if (!data.ticketCode) throw bad('ticket code is empty');
  const codeBytes = Buffer.byteLength(data.ticketCode, 'utf8');
  if (codeBytes > 1000) throw bad(`ticket code of ${codeBytes} bytes is too long for a badge QR`);

  const c = new GreyCanvas(W, H);
  let { name: nameBox, company: companyBox } = template;

  if (data.photoPng) {
    const photo = decodePhoto(data.photoPng);
    const box = template.photo;
    // Cover the box: scale so the photo fills it, crop the overflow, centred.
    const scale = Math.max(box.width / photo.width, box.height / photo.height);
    const ox = (photo.width * scale - box.width) / 2;
    const oy = (photo.height * scale - box.height) / 2;
    for (let y = 0; y < box.height; y++) {
      for (let x = 0; x < box.width; x++) {
        const px = Math.min(photo.width - 1, Math.floor((x + ox) / scale));
        const py = Math.min(photo.height - 1, Math.floor((y + oy) / scale));
        c.set(box.x + x, box.y + y, photo.grey[py * photo.width + px]!);
      }
    }
    const shift = (b: Box): Box => {
      const left = box.x + box.width + 24;
      return b.x < left && b.y < box.y + box.height ? { ...b, x: left, width: b.width - (left - b.x) } : b;
    };
    nameBox = shift(nameBox);
    companyBox = shift(companyBox);
  }

  const n = fitText(name, nameBox);
  c.text(n.text, nameBox.x, nameBox.y + Math.floor((nameBox.height - n.height) / 2), n.height, 0, true);
  if (data.company?.trim()) {
    const t = fitText(data.company.trim(), companyBox);
    c.text(t.text, companyBox.x, companyBox.y + Math.floor((companyBox.height - t.height) / 2), t.height, 0);
  }
  if (data.ticketType?.trim()) {
    const band = template.ticketType;
    c.fill(band, 0);
    const inner = { ...band, x: band.x + 24, width: band.width - 48, height: Math.round(band.height * 0.6) };
    const t = fitText(data.ticketType.trim().toUpperCase(), inner);
    const tw = [...t.text].length * charCell(t.height);
    c.text(t.text, band.x + Math.floor((band.width - tw) / 2), band.y + Math.floor((band.height - t.height) / 2), t.height, 255, true);
  }

  // QR: the biggest whole module size that fits the box with a 2-module quiet zone each side.
  const symbol = QRCode.create([{ data: Buffer.from(data.ticketCode, 'utf8'), mode: 'byte' }], { errorCorrectionLevel: 'M' });
  const modules = symbol.modules.size;
  const qb = template.qr;
  const dot = Math.floor(Math.min(qb.width, qb.height) / (modules + 4));
  if (dot < 3) throw bad(`ticket code needs a ${modules}-module QR: too dense for a ${qb.width}-dot box`);
  const side = modules * dot;
  const qx = qb.x + Math.floor((qb.width - side) / 2);
  const qy = qb.y + Math.floor((qb.height - side) / 2);
  c.fill({ x: qx - 2 * dot, y: qy - 2 * dot, width: side + 4 * dot, height: side + 4 * dot }, 255);
  for (let r = 0; r < modules; r++) for (let k = 0; k < modules; k++) if (symbol.modules.get(r, k)) c.fill({ x: qx + k * dot, y: qy + r * dot, width: dot, height: dot }, 0);
  const codeText = [...data.ticketCode].map((ch) => (hasGlyph(ch) ? ch : '?')).join('');
  const ct = fitText(codeText, template.code);
  const ctw = [...ct.text].length * charCell(ct.height);
  c.text(ct.text, template.code.x + Math.floor((template.code.width - ctw) / 2), template.code.y, ct.height, 0);

  const mono = new Bitmap(W, H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) if (c.data[y * W + x]! < BAYER[(y & 3) * 4 + (x & 3)]!) mono.set(x, y);
  return {
    width: W,
    height: H,
    grey: c.data,
    mono,
    greyPng: () => greyToPng(W, H, c.data),
    monoPng: () => mono.toPng(),
  };
}
