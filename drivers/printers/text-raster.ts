// Owns drawing text that a printer's code pages cannot hold (Chinese, Cyrillic on a Latin table, the
// ruble sign) with real fonts into 1-bit raster lines at the printer's dot width, which ESC/POS
// (GS v 0) and Star (ESC GS S) print as images. The fonts ship under resources/fonts (Noto Sans for
// Latin and Cyrillic, a Noto Sans CJK SC subset of the GBK hanzi for Chinese, simplified and traditional); Skia (@napi-rs/canvas) draws
// them. A character none of the fonts has is refused as a bad document before anything is sent: a
// printed box helps no one, and the cashier must know the ticket did not print right.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCanvas, GlobalFonts, type SKRSContext2D } from '@napi-rs/canvas';
import { DriverError } from '../errors';
import type { TextAlign } from './document';
import type { PrinterErrorCode } from './printer';

/** The shipped fonts, in the order a character is looked for; each registered under its own family. */
const FONTS = [
  { family: 'Admit Sans', file: 'NotoSans-Regular.ttf', bold: 'NotoSans-Bold.ttf' },
  // The CJK subset in three pieces by code point (each a few MB), looked up in turn.
  { family: 'Admit Sans CJK 1', file: 'NotoSansCJKsc-Regular-GBK-1.otf', bold: 'NotoSansCJKsc-Bold-GBK-1.otf' },
  { family: 'Admit Sans CJK 2', file: 'NotoSansCJKsc-Regular-GBK-2.otf', bold: 'NotoSansCJKsc-Bold-GBK-2.otf' },
  { family: 'Admit Sans CJK 3', file: 'NotoSansCJKsc-Regular-GBK-3.otf', bold: 'NotoSansCJKsc-Bold-GBK-3.otf' },
] as const;

/** Dots of a size-1 line: the height of ESC/POS font A and the Star 12x24 font. */
export const LINE_DOTS = 24;

/**
 * Where the fonts are: ADMIT_FONTS, else `fonts` beside a packaged app's resources (electron-builder's
 * extraResources), else resources/fonts of the nearest checkout above this module.
 */
export function fontsDirectory(): string {
  const env = process.env['ADMIT_FONTS'];
  if (env) return env;
  const resourcesPath = (process as { resourcesPath?: string }).resourcesPath;
  if (resourcesPath && existsSync(join(resourcesPath, 'fonts', FONTS[0].file))) return join(resourcesPath, 'fonts');
  let dir = typeof __dirname !== 'undefined' ? __dirname : dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'resources', 'fonts');
    if (existsSync(join(candidate, FONTS[0].file))) return candidate;
    const up = dirname(dir);
    if (up === dir) return join(process.cwd(), 'resources', 'fonts');
    dir = up;
  }
}

// ---- which characters a font has: its cmap (formats 4 and 12, the ones Unicode fonts carry) ----

/** The code points a TrueType/OpenType font maps to glyphs. */
export function fontCodePoints(font: Buffer): Set<number> {
  const out = new Set<number>();
  const numTables = font.readUInt16BE(4);
  let cmap = -1;
  for (let i = 0; i < numTables; i++) {
    const rec = 12 + 16 * i;
    if (font.toString('latin1', rec, rec + 4) === 'cmap') cmap = font.readUInt32BE(rec + 8);
  }
  if (cmap < 0) return out;
  const subtables = font.readUInt16BE(cmap + 2);
  for (let i = 0; i < subtables; i++) {
    const platform = font.readUInt16BE(cmap + 4 + 8 * i);
    const encoding = font.readUInt16BE(cmap + 6 + 8 * i);
    const at = cmap + font.readUInt32BE(cmap + 8 + 8 * i);
    const unicode = platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10));
    if (!unicode) continue;
    const format = font.readUInt16BE(at);
    if (format === 4) {
      const segX2 = font.readUInt16BE(at + 6);
      const ends = at + 14;
      const starts = ends + segX2 + 2;
      const deltas = starts + segX2;
      const rangeOffsets = deltas + segX2;
      for (let s = 0; s < segX2 / 2; s++) {
        const end = font.readUInt16BE(ends + 2 * s);
        const start = font.readUInt16BE(starts + 2 * s);
        const delta = font.readUInt16BE(deltas + 2 * s);
        const ro = font.readUInt16BE(rangeOffsets + 2 * s);
        for (let c = start; c <= end && c !== 0xffff; c++) {
          let glyph: number;
          if (ro === 0) glyph = (c + delta) & 0xffff;
          else {
            const g = font.readUInt16BE(rangeOffsets + 2 * s + ro + 2 * (c - start));
            glyph = g === 0 ? 0 : (g + delta) & 0xffff;
          }
          if (glyph !== 0) out.add(c);
        }
      }
    } else if (format === 12) {
      const groups = font.readUInt32BE(at + 12);
      for (let g = 0; g < groups; g++) {
        const start = font.readUInt32BE(at + 16 + 12 * g);
        const end = font.readUInt32BE(at + 20 + 12 * g);
        const glyph = font.readUInt32BE(at + 24 + 12 * g);
        for (let c = start; c <= end; c++) if (glyph + (c - start) !== 0) out.add(c);
      }
    }
  }
  return out;
}

interface Loaded {
  dir: string;
  /** Per font, what it covers (regular and bold subsets cover the same characters). */
  coverage: Set<number>[];
}
let loaded: Loaded | null = null;

/** Registers the shipped fonts with Skia once; throws a coded error when they are missing. */
export function loadFonts(dir = fontsDirectory()): Loaded {
  if (loaded?.dir === dir) return loaded;
  const coverage: Set<number>[] = [];
  for (const f of FONTS) {
    for (const file of [f.file, f.bold]) {
      const path = join(dir, file);
      if (!existsSync(path)) throw new DriverError<PrinterErrorCode>('bad_document', `font ${file} is missing from ${dir}`);
      if (!GlobalFonts.registerFromPath(path, f.family)) throw new DriverError<PrinterErrorCode>('bad_document', `font ${file} could not be loaded`);
    }
    coverage.push(fontCodePoints(readFileSync(join(dir, f.file))));
  }
  loaded = { dir, coverage };
  return loaded;
}

/** Characters of `text` that no shipped font can draw (spaces and controls aside). */
export function missingGlyphs(text: string): string[] {
  const { coverage } = loadFonts();
  const missing = new Set<string>();
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x20 || /\s/u.test(ch)) continue;
    if (!coverage.some((c) => c.has(cp))) missing.add(ch);
  }
  return [...missing];
}

const describe = (ch: string) => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} "${ch}"`;

/** A packed 1-bit image: rows of widthBytes, MSB leftmost, 1 = black. */
export interface RasterImage {
  widthBytes: number;
  height: number;
  data: Buffer;
}

export interface TextRasterOptions {
  /** The printable width in dots (576 on 80 mm paper, 384 on 58 mm). */
  widthDots: number;
  align?: TextAlign;
  bold?: boolean;
  /** 2: double width and height, like the printers' expanded text. */
  size?: 1 | 2;
}

/** Greedy wrap at spaces (and between any two characters of a word too wide for a line, as CJK needs). */
function wrap(ctx: SKRSContext2D, text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const token of text.split(/(\s+)/u)) {
    if (token === '') continue;
    const next = line + token;
    if (ctx.measureText(next).width <= width) {
      line = next;
      continue;
    }
    if (line.trim() !== '') lines.push(line.trimEnd());
    line = '';
    if (/^\s+$/u.test(token)) continue;
    for (const ch of token) {
      if (line !== '' && ctx.measureText(line + ch).width > width) {
        lines.push(line);
        line = '';
      }
      line += ch;
    }
  }
  if (line.trim() !== '' || lines.length === 0) lines.push(line.trimEnd());
  return lines;
}

/**
 * `text` drawn with the shipped fonts across the full printable width (alignment within the image),
 * wrapped to as many lines as it needs, thresholded to 1 bit. Throws a 'bad_document' DriverError
 * naming any character no font has.
 */
export function rasterizeText(text: string, options: TextRasterOptions): RasterImage {
  const missing = missingGlyphs(text);
  if (missing.length > 0) throw new DriverError<PrinterErrorCode>('bad_document', `no printer font has ${missing.map(describe).join(', ')}`);
  const width = Math.floor(options.widthDots / 8) * 8;
  if (width < 8) throw new DriverError<PrinterErrorCode>('bad_document', `raster width ${options.widthDots} dots is too narrow`);
  const scale = options.size === 2 ? 2 : 1;
  const px = 22 * scale;
  const lineDots = (LINE_DOTS + 6) * scale;
  const font = `${options.bold ? 'bold ' : ''}${px}px ${FONTS.map((f) => `"${f.family}"`).join(', ')}`;

  const probe = createCanvas(8, 8).getContext('2d');
  probe.font = font;
  const lines = wrap(probe, [...text].map((ch) => (ch < ' ' || ch === '\u007f' ? ' ' : ch)).join(''), width);
  const height = lines.length * lineDots;
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = '#000';
  ctx.font = font;
  ctx.textBaseline = 'alphabetic';
  const align = options.align ?? 'left';
  ctx.textAlign = align;
  const x = align === 'center' ? width / 2 : align === 'right' ? width : 0;
  // Baseline so that ascenders and CJK tops sit inside the line and descenders above the next one.
  lines.forEach((l, i) => ctx.fillText(l, x, i * lineDots + Math.round(px * 1.05)));

  const rgba = ctx.getImageData(0, 0, width, height).data;
  const widthBytes = width / 8;
  const data = Buffer.alloc(widthBytes * height);
  for (let y = 0; y < height; y++) {
    for (let xx = 0; xx < width; xx++) {
      const i = (y * width + xx) * 4;
      const lum = 0.299 * rgba[i]! + 0.587 * rgba[i + 1]! + 0.114 * rgba[i + 2]!;
      if (lum < 128) data[y * widthBytes + (xx >> 3)]! |= 0x80 >> (xx & 7);
    }
  }
  return { widthBytes, height, data };
}

/** Spaces a code page lacks but a printer prints alike (Intl puts U+00A0 and U+202F into prices). */
export const plainSpaces = (text: string): string => text.replace(/[\u00a0\u2007\u2009\u202f]/gu, ' ');

// ---- a printer's resident font, for the simulators ----

const cellGlyphs = new Map<string, Uint8Array | null>();

/**
 * Draws `ch` into a character cell with the shipped fonts, as a printer whose code page holds the
 * character prints it from its resident font (the simulators' bitmap font has ASCII only). False when
 * no font has it: the caller prints the printer's box for an undefined glyph.
 */
export function drawCellGlyph(
  setDot: (x: number, y: number) => void,
  ch: string,
  x: number,
  y: number,
  cellWidth: number,
  cellHeight: number,
  bold = false,
): boolean {
  if (ch === '\ufffd' || missingGlyphs(ch).length > 0) return false;
  const w = Math.max(1, Math.round(cellWidth));
  const h = Math.max(1, Math.round(cellHeight));
  const key = `${ch}|${w}|${h}|${bold ? 1 : 0}`;
  let dots = cellGlyphs.get(key);
  if (dots === undefined) {
    const canvas = createCanvas(w, h);
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, w, h);
    ctx.fillStyle = '#000';
    ctx.font = `${bold ? 'bold ' : ''}${Math.round(h * 0.8)}px ${FONTS.map((f) => `"${f.family}"`).join(', ')}`;
    ctx.textAlign = 'center';
    // Squeezed to the cell's width, as a fixed-pitch printer font is.
    ctx.fillText(ch, w / 2, Math.round(h * 0.78), w);
    const rgba = ctx.getImageData(0, 0, w, h).data;
    dots = new Uint8Array(w * h);
    for (let i = 0; i < w * h; i++) dots[i] = 0.299 * rgba[4 * i]! + 0.587 * rgba[4 * i + 1]! + 0.114 * rgba[4 * i + 2]! < 128 ? 1 : 0;
    cellGlyphs.set(key, dots);
  }
  for (let yy = 0; yy < h; yy++) for (let xx = 0; xx < w; xx++) if (dots![yy * w + xx]) setDot(x + xx, y + yy);
  return true;
}
