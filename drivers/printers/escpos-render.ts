// Owns what an 80 mm ESC/POS printer would put on paper for a stream of parsed commands: a 576-dot
// wide 1-bit bitmap (text in the bitmap font, QR symbols re-encoded from the stored bytes, raster
// images as sent), the decoded text lines and stored QR payloads, and the errors a real printer
// would silently swallow. Used by the simulator; no I/O.
import { hex } from '../bytes';
import { Bitmap } from './raster';
import type { EscPosCommand } from './escpos-parser';
import { CELL_HEIGHT, CELL_WIDTH, drawGlyph, hasGlyph } from './bitmap-font';
import { drawCellGlyph } from './text-raster';
import { decodeCodePage } from './codepages';

export const PAPER_WIDTH_DOTS = 576;
const DEFAULT_LINE_SPACING = 30;
/** Quiet zone drawn around each QR symbol, in modules; the paper around it is white anyway. */
const QR_QUIET_MODULES = 4;

export interface RenderError {
  reason: string;
  /** The offending bytes, hex. */
  hex: string;
}

export interface RenderedJob {
  bytes: Buffer;
  text: string;
  qrData: string[];
  errors: RenderError[];
  png: Buffer;
  /** Whether anything besides settings reached the paper (text, symbol, image or feed). */
  hasContent: boolean;
}

interface Glyph {
  ch: string;
  mw: number;
  mh: number;
  bold: boolean;
}


export class JobRenderer {
  // Roll paper: rows are added as dots are set; the first dot line sits a little below the tear edge.
  readonly #paper = new Bitmap(PAPER_WIDTH_DOTS, 0, true);
  #y = 8;
  readonly #bytes: Buffer[] = [];
  readonly #lines: string[] = [];
  readonly #qrData: string[] = [];
  readonly #errors: RenderError[] = [];
  #hasContent = false;

  // Print modes, reset by ESC @.
  #align: 0 | 1 | 2 = 0;
  #bold = false;
  #mw = 1;
  #mh = 1;
  #codePage = 0;
  #lineSpacing = DEFAULT_LINE_SPACING;
  #qrSize = 3;
  #qrEc: 'L' | 'M' | 'Q' | 'H' = 'L';
  #qrStored: Buffer | null = null;

  // The line buffer: glyphs waiting for LF, and the text they decode to.
  #line: Glyph[] = [];
  #lineText = '';
  #lineAlign: 0 | 1 | 2 = 0;

  apply(cmd: EscPosCommand): void {
    if (cmd.op !== 'status_request' && cmd.op !== 'paper_sensor_request') this.#bytes.push(cmd.raw);
    switch (cmd.op) {
      case 'init':
        // ESC @ discards the line buffer and restores power-on modes; stored QR data survives.
        this.#line = [];
        this.#lineText = '';
        this.#align = 0;
        this.#bold = false;
        this.#mw = this.#mh = 1;
        this.#codePage = 0;
        this.#lineSpacing = DEFAULT_LINE_SPACING;
        return;
      case 'text':
        this.#text(decodeCodePage(cmd.bytes, this.#codePage));
        return;
      case 'ht': {
        const col = Math.floor(this.#lineWidth() / CELL_WIDTH);
        this.#text(' '.repeat(8 - (col % 8)));
        return;
      }
      case 'lf':
        this.#printLine(true);
        return;
      case 'cr':
        return; // CR is ignored when auto line feed is off, the factory default
      case 'align':
        this.#align = cmd.value;
        return;
      case 'bold':
        this.#bold = cmd.on;
        return;
      case 'mode':
        this.#bold = cmd.bold;
        this.#mw = cmd.doubleWidth ? 2 : 1;
        this.#mh = cmd.doubleHeight ? 2 : 1;
        return;
      case 'size':
        this.#mw = cmd.width;
        this.#mh = cmd.height;
        return;
      case 'code_page':
        this.#codePage = cmd.table;
        return;
      case 'line_spacing':
        this.#lineSpacing = cmd.dots ?? DEFAULT_LINE_SPACING;
        return;
      case 'feed_lines':
        this.#printLine(false);
        this.#advance(cmd.lines * this.#lineSpacing);
        return;
      case 'feed_dots':
        this.#printLine(false);
        this.#advance(cmd.dots);
        return;
      case 'qr_model':
        if (cmd.model !== 2) this.#error(`QR model ${cmd.model} is drawn as model 2`, cmd.raw);
        return;
      case 'qr_size':
        this.#qrSize = Math.max(1, Math.min(16, cmd.dots));
        return;
      case 'qr_ec':
        this.#qrEc = cmd.level;
        return;
      case 'qr_store':
        this.#qrStored = cmd.data;
        return;
      case 'qr_print':
        this.#printQr(cmd.raw);
        return;
      case 'raster':
        this.#printRaster(cmd.mode, cmd.widthBytes, cmd.height, cmd.data);
        return;
      case 'cut':
        this.#printLine(false);
        return;
      case 'status_request':
      case 'paper_sensor_request':
      case 'ignored':
        return;
      case 'unknown':
        this.#error(cmd.reason, cmd.raw);
        return;
    }
  }

  addError(reason: string, bytes: Uint8Array = new Uint8Array()): void {
    this.#error(reason, bytes);
  }

  get hasContent(): boolean {
    return this.#hasContent || this.#line.length > 0;
  }

  get errorCount(): number {
    return this.#errors.length;
  }

  finish(): RenderedJob {
    // Data left in the line buffer at a cut or at the end of the stream is printed, as a printer does.
    this.#printLine(false);
    return {
      bytes: Buffer.concat(this.#bytes),
      text: this.#lines.join('\n'),
      qrData: [...this.#qrData],
      errors: [...this.#errors],
      png: this.#paper.toPng(this.#y + 24),
      hasContent: this.#hasContent,
    };
  }

  #error(reason: string, bytes: Uint8Array): void {
    this.#errors.push({ reason, hex: hex(bytes, 64) });
  }

  #lineWidth(): number {
    return this.#line.reduce((w, g) => w + CELL_WIDTH * g.mw, 0);
  }

  #text(s: string): void {
    for (const ch of s) {
      const g: Glyph = { ch, mw: this.#mw, mh: this.#mh, bold: this.#bold };
      // A printer wraps a line that would run past the print area.
      if (this.#lineWidth() + CELL_WIDTH * g.mw > PAPER_WIDTH_DOTS) this.#printLine(false, true);
      if (this.#line.length === 0) this.#lineAlign = this.#align; // justification is taken at line start
      this.#line.push(g);
      this.#lineText += ch;
    }
  }

  #advance(dots: number): void {
    this.#y += dots;
    if (dots > 0) this.#hasContent = true;
  }

  /** Print the line buffer. `lf`: an explicit LF (prints an empty line too). `wrapped`: auto-wrap. */
  #printLine(lf: boolean, wrapped = false): void {
    if (this.#line.length === 0) {
      if (lf || this.#lineText) {
        this.#lines.push(this.#lineText);
        this.#lineText = '';
      }
      if (lf) this.#advance(this.#lineSpacing);
      return;
    }
    const width = this.#lineWidth();
    const height = Math.max(...this.#line.map((g) => CELL_HEIGHT * g.mh));
    const x0 = this.#lineAlign === 1 ? Math.floor((PAPER_WIDTH_DOTS - width) / 2) : this.#lineAlign === 2 ? PAPER_WIDTH_DOTS - width : 0;
    let x = x0;
    const top = this.#y;
    for (const g of this.#line) {
      // Glyphs of mixed sizes share a baseline at the bottom of the tallest.
      const set = (px: number, py: number) => this.#paper.set(px, py);
      const gy = top + height - CELL_HEIGHT * g.mh;
      // Beyond ASCII, what the code page decoded to is drawn from a real font, as the printer's own
      // font would; a byte the table leaves undefined (U+FFFD) stays a box.
      if (hasGlyph(g.ch) || !drawCellGlyph(set, g.ch, x, gy, CELL_WIDTH * g.mw, CELL_HEIGHT * g.mh, g.bold)) drawGlyph(set, g.ch, x, gy, g.mw, g.mh, g.bold);
      x += CELL_WIDTH * g.mw;
    }
    // An auto-wrapped line stays one line of text: the text is what was sent, the PNG what was printed.
    if (!wrapped) {
      this.#lines.push(this.#lineText);
      this.#lineText = '';
    }
    this.#line = [];
    this.#advance(Math.max(height, this.#lineSpacing));
  }

  #xFor(width: number): number {
    if (this.#align === 1) return Math.max(0, Math.floor((PAPER_WIDTH_DOTS - width) / 2));
    if (this.#align === 2) return Math.max(0, PAPER_WIDTH_DOTS - width);
    return 0;
  }

  #printQr(raw: Uint8Array): void {
    this.#printLine(false);
    const data = this.#qrStored;
    if (!data || data.length === 0) {
      this.#error('QR print without stored data', raw);
      return;
    }
    this.#qrData.push(data.toString('utf8'));
    // Measure first: Epson firmware skips a symbol that does not fit the print area.
    const side = new Bitmap(1, 1).drawQr(data, 0, 0, 1, this.#qrEc);
    if (typeof side === 'string') {
      this.#error(side, data);
      return;
    }
    const dot = this.#qrSize;
    const full = (side + 2 * QR_QUIET_MODULES) * dot;
    if (full > PAPER_WIDTH_DOTS) {
      this.#error(`QR symbol ${full} dots wide does not fit ${PAPER_WIDTH_DOTS}`, raw);
      return;
    }
    this.#paper.drawQr(data, this.#xFor(full) + QR_QUIET_MODULES * dot, this.#y + QR_QUIET_MODULES * dot, dot, this.#qrEc);
    this.#advance(full);
  }

  #printRaster(mode: number, widthBytes: number, height: number, data: Buffer): void {
    this.#printLine(false);
    const sx = mode & 1 ? 2 : 1;
    const sy = mode & 2 ? 2 : 1;
    const width = widthBytes * 8 * sx;
    if (width > PAPER_WIDTH_DOTS) this.#error(`raster image ${width} dots wide is clipped to ${PAPER_WIDTH_DOTS}`, data.subarray(0, 0));
    const x0 = this.#xFor(Math.min(width, PAPER_WIDTH_DOTS));
    const y0 = this.#y;
    for (let y = 0; y < height; y++) {
      for (let xb = 0; xb < widthBytes; xb++) {
        const byte = data[y * widthBytes + xb]!;
        if (byte === 0) continue;
        for (let bit = 0; bit < 8; bit++) {
          if (!(byte & (0x80 >> bit))) continue;
          const x = (xb * 8 + bit) * sx;
          for (let dy = 0; dy < sy; dy++) for (let dx = 0; dx < sx; dx++) this.#paper.set(x0 + x + dx, y0 + y * sy + dy);
        }
      }
    }
    this.#advance(height * sy);
  }
}
