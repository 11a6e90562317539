// Owns the 1-bit page the simulators (Star, TSPL, ZPL, FGL, Evolis) and the badge renderer draw on:
// dots, rectangles, text in the bitmap font at any cell size, QR symbols re-encoded from their bytes,
// packed bitmaps in either polarity, and PNG output. A roll (Star) grows downwards as it prints.
import QRCode from 'qrcode';
import { PNG } from 'pngjs';
import { drawGlyphInCell } from './bitmap-font';

export type QrLevel = 'L' | 'M' | 'Q' | 'H';

export class Bitmap {
  readonly width: number;
  #height: number;
  #data: Uint8Array;
  readonly #grows: boolean;

  /** `grows`: rows are added as dots are set below the bottom (roll paper). */
  constructor(width: number, height: number, grows = false) {
    this.width = Math.max(1, Math.floor(width));
    this.#height = Math.max(grows ? 0 : 1, Math.floor(height));
    this.#data = new Uint8Array(this.width * this.#height);
    this.#grows = grows;
  }

  get height(): number {
    return this.#height;
  }

  set(x: number, y: number, on = true): void {
    x = Math.floor(x);
    y = Math.floor(y);
    if (x < 0 || x >= this.width || y < 0) return;
    if (y >= this.#height) {
      if (!this.#grows) return;
      this.extendTo(y + 1);
    }
    this.#data[y * this.width + x] = on ? 1 : 0;
  }

  get(x: number, y: number): boolean {
    if (x < 0 || x >= this.width || y < 0 || y >= this.#height) return false;
    return this.#data[y * this.width + x] === 1;
  }

  extendTo(height: number): void {
    if (height <= this.#height) return;
    const cap = Math.max(height, this.#height * 2, 64);
    const next = new Uint8Array(this.width * cap);
    next.set(this.#data.subarray(0, this.width * this.#height));
    this.#data = next;
    this.#height = height;
  }

  fillRect(x: number, y: number, w: number, h: number, on = true): void {
    for (let yy = Math.max(0, y); yy < y + h; yy++) for (let xx = Math.max(0, x); xx < Math.min(this.width, x + w); xx++) this.set(xx, yy, on);
  }

  /** Text in cells of cellWidth x cellHeight dots; returns the width drawn. */
  drawText(text: string, x: number, y: number, cellWidth = 12, cellHeight = 24, bold = false): number {
    let cx = x;
    for (const ch of text) {
      drawGlyphInCell((px, py) => this.set(px, py), ch, cx, y, cellWidth, cellHeight, bold);
      cx += cellWidth;
    }
    return cx - x;
  }

  /**
   * A QR symbol of `data` (byte mode, as a printer encodes a stored payload) with its top-left module
   * at (x, y). Returns the symbol's side in dots (without quiet zone), or an error string.
   */
  drawQr(data: Uint8Array, x: number, y: number, moduleDots: number, level: QrLevel = 'M', quietModules = 0): number | string {
    let symbol: ReturnType<typeof QRCode.create>;
    try {
      symbol = QRCode.create([{ data: Buffer.from(data), mode: 'byte' }], { errorCorrectionLevel: level });
    } catch (e) {
      return `QR data cannot be encoded: ${(e as Error).message}`;
    }
    const n = symbol.modules.size;
    const dot = Math.max(1, Math.floor(moduleDots));
    const q = quietModules * dot;
    this.fillRect(x - q, y - q, n * dot + 2 * q, n * dot + 2 * q, false);
    for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) if (symbol.modules.get(r, c)) this.fillRect(x + c * dot, y + r * dot, dot, dot);
    return n * dot;
  }

  /** Packed rows, MSB leftmost. `oneIs`: what a set bit means (ESC/POS: black, TSPL: white). */
  drawPacked(x: number, y: number, widthBytes: number, height: number, data: Uint8Array, oneIs: 'black' | 'white' = 'black'): void {
    for (let row = 0; row < height; row++) {
      for (let xb = 0; xb < widthBytes; xb++) {
        const byte = data[row * widthBytes + xb] ?? 0;
        for (let bit = 0; bit < 8; bit++) {
          const one = (byte & (0x80 >> bit)) !== 0;
          const black = oneIs === 'black' ? one : !one;
          this.set(x + xb * 8 + bit, y + row, black);
        }
      }
    }
  }

  /** Copy another bitmap's black dots onto this one. */
  blit(src: Bitmap, x: number, y: number): void {
    for (let yy = 0; yy < src.height; yy++) for (let xx = 0; xx < src.width; xx++) if (src.get(xx, yy)) this.set(x + xx, y + yy);
  }

  /** Rows packed MSB-first, `oneIs` black (default) or white. */
  pack(oneIs: 'black' | 'white' = 'black'): { widthBytes: number; data: Buffer } {
    const widthBytes = Math.ceil(this.width / 8);
    const data = Buffer.alloc(widthBytes * this.#height, oneIs === 'white' ? 0xff : 0);
    for (let y = 0; y < this.#height; y++) {
      for (let x = 0; x < this.width; x++) {
        if (!this.get(x, y)) continue;
        const i = y * widthBytes + (x >> 3);
        if (oneIs === 'black') data[i]! |= 0x80 >> (x & 7);
        else data[i]! &= ~(0x80 >> (x & 7));
      }
    }
    return { widthBytes, data };
  }

  /** 8-bit greyscale PNG, black dots on white; `minHeight` pads a roll with blank paper. */
  toPng(minHeight = 0): Buffer {
    const height = Math.max(1, this.#height, minHeight);
    const png = new PNG({ width: this.width, height, colorType: 0, inputColorType: 0, inputHasAlpha: false, bitDepth: 8 });
    const out = Buffer.alloc(this.width * height, 0xff);
    for (let i = 0; i < this.width * this.#height; i++) if (this.#data[i]) out[i] = 0;
    png.data = out;
    return PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false, bitDepth: 8 });
  }

  static fromPng(png: Uint8Array, threshold = 128): Bitmap {
    const img = PNG.sync.read(Buffer.from(png));
    const bmp = new Bitmap(img.width, img.height);
    for (let y = 0; y < img.height; y++) {
      for (let x = 0; x < img.width; x++) {
        const i = (y * img.width + x) * 4;
        const a = img.data[i + 3]! / 255;
        const lum = (0.299 * img.data[i]! + 0.587 * img.data[i + 1]! + 0.114 * img.data[i + 2]!) * a + 255 * (1 - a);
        if (lum < threshold) bmp.set(x, y);
      }
    }
    return bmp;
  }
}

/** Encode an 8-bit greyscale buffer (0 black … 255 white) as PNG. */
export function greyToPng(width: number, height: number, grey: Uint8Array): Buffer {
  const png = new PNG({ width, height, colorType: 0, inputColorType: 0, inputHasAlpha: false, bitDepth: 8 });
  png.data = Buffer.from(grey);
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false, bitDepth: 8 });
}
