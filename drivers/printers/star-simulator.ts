// Owns a simulated Star line-mode printer (80 mm, 576 dots): parses the stream with StarParser,
// answers ESC ACK SOH with an ASB built from a settable state, cuts the stream into jobs at each cut
// (or when the line closes) and renders each job to a PNG with its text, raster images and QR payloads.
import { hasGlyph } from './bitmap-font';
import { decodeCodePage } from './codepages';
import { drawCellGlyph } from './text-raster';
import { hex } from '../bytes';
import { PrinterSimulator, type DeviceSession, type PrinterSimulatorOptions, type SimError } from './printer-simulator';
import { Bitmap, type QrLevel } from './raster';
import { StarParser, encodeAsb, type StarCommand, type StarState } from './star';

export const STAR_WIDTH_DOTS = 576;
const LINE = 24;
const CELL_W = 12;

export type { SimError } from './printer-simulator';

export interface StarJob {
  id: number;
  bytes: Buffer;
  text: string;
  qrData: string[];
  png: Buffer;
  pngPath?: string;
  errors: SimError[];
  receivedAt: Date;
}


// Star ESC GS t n → the ESC/POS table number codepages.ts decodes with.
const TABLE_FOR_DECODE: Record<number, number> = { 0: 0, 1: 0, 32: 16, 34: 46, 10: 17 };

class StarRoll {
  readonly paper = new Bitmap(STAR_WIDTH_DOTS, 0, true);
  readonly bytes: Buffer[] = [];
  readonly lines: string[] = [];
  readonly qrData: string[] = [];
  readonly errors: SimError[] = [];
  y = 8;
  content = false;
  #align: 0 | 1 | 2 = 0;
  #bold = false;
  #h = 1;
  #w = 1;
  #table = 0;
  #qrCell = 3;
  #qrEc: QrLevel = 'L';
  #qr: Buffer | null = null;
  #line: { ch: string; w: number; h: number; bold: boolean }[] = [];
  #lineText = '';
  #lineAlign: 0 | 1 | 2 = 0;

  apply(cmd: StarCommand): void {
    if (cmd.op !== 'status_request') this.bytes.push(cmd.raw);
    switch (cmd.op) {
      case 'init':
        this.#line = [];
        this.#lineText = '';
        this.#align = 0;
        this.#bold = false;
        this.#h = this.#w = 1;
        this.#table = 0;
        return;
      case 'text': {
        const table = TABLE_FOR_DECODE[this.#table];
        if (table === undefined) this.error(`code page ${this.#table} is not simulated`, cmd.raw);
        for (const ch of decodeCodePage(cmd.bytes, table ?? 0)) {
          if (this.#lineWidth() + CELL_W * this.#w > STAR_WIDTH_DOTS) this.#flush(false);
          if (this.#line.length === 0) this.#lineAlign = this.#align;
          this.#line.push({ ch, w: this.#w, h: this.#h, bold: this.#bold });
          this.#lineText += ch;
        }
        return;
      }
      case 'lf':
        this.#flush(true);
        return;
      case 'cr':
        return;
      case 'align':
        this.#align = cmd.value;
        return;
      case 'bold':
        this.#bold = cmd.on;
        return;
      case 'expansion':
        this.#h = cmd.height + 1;
        this.#w = cmd.width + 1;
        return;
      case 'code_page':
        this.#table = cmd.table;
        return;
      case 'feed_lines':
        this.#flush(false);
        this.#advance(cmd.lines * LINE);
        return;
      case 'qr_model':
        if (cmd.model !== 2) this.error(`QR model ${cmd.model} is drawn as model 2`, cmd.raw);
        return;
      case 'qr_ec':
        this.#qrEc = cmd.level;
        return;
      case 'qr_cell':
        this.#qrCell = cmd.dots;
        return;
      case 'qr_store':
        this.#qr = cmd.data;
        return;
      case 'qr_print':
        this.#printQr(cmd.raw);
        return;
      case 'raster':
        this.#flush(false);
        if (cmd.widthBytes * 8 > STAR_WIDTH_DOTS) this.error(`raster image ${cmd.widthBytes * 8} dots wide is clipped to ${STAR_WIDTH_DOTS}`, cmd.raw.subarray(0, 9));
        this.paper.drawPacked(0, this.y, cmd.widthBytes, cmd.height, cmd.data);
        this.#advance(cmd.height);
        return;
      case 'cut':
        this.#flush(false);
        return;
      case 'status_request':
      case 'ignored':
        return;
      case 'unknown':
        this.error(cmd.reason, cmd.raw);
        return;
    }
  }

  error(reason: string, bytes: Uint8Array): void {
    this.errors.push({ reason, hex: hex(bytes, 48) });
  }

  finish(): Omit<StarJob, 'id' | 'receivedAt' | 'pngPath'> {
    this.#flush(false);
    return { bytes: Buffer.concat(this.bytes), text: this.lines.join('\n'), qrData: [...this.qrData], errors: [...this.errors], png: this.paper.toPng(this.y + 24) };
  }

  get hasContent(): boolean {
    return this.content || this.#line.length > 0;
  }

  #lineWidth(): number {
    return this.#line.reduce((w, g) => w + CELL_W * g.w, 0);
  }

  #advance(dots: number): void {
    this.y += dots;
    if (dots > 0) this.content = true;
  }

  #flush(lf: boolean): void {
    if (this.#line.length === 0) {
      if (lf || this.#lineText) this.lines.push(this.#lineText);
      this.#lineText = '';
      if (lf) this.#advance(LINE);
      return;
    }
    const width = this.#lineWidth();
    const height = Math.max(...this.#line.map((g) => LINE * g.h));
    let x = this.#lineAlign === 1 ? Math.floor((STAR_WIDTH_DOTS - width) / 2) : this.#lineAlign === 2 ? STAR_WIDTH_DOTS - width : 0;
    for (const g of this.#line) {
      const gy = this.y + height - LINE * g.h;
      // Beyond ASCII, what the code page decoded to is drawn from a real font, as the printer's own
      // font would; a byte the table leaves undefined (U+FFFD) stays a box.
      const drawn = !hasGlyph(g.ch) && drawCellGlyph((px, py) => this.paper.set(px, py), g.ch, x, gy, CELL_W * g.w, LINE * g.h, g.bold);
      if (!drawn) this.paper.drawText(g.ch, x, gy, CELL_W * g.w, LINE * g.h, g.bold);
      x += CELL_W * g.w;
    }
    if (lf || this.#lineText) this.lines.push(this.#lineText);
    this.#lineText = '';
    this.#line = [];
    this.#advance(Math.max(height, LINE));
  }

  #printQr(raw: Uint8Array): void {
    this.#flush(false);
    if (!this.#qr) {
      this.error('QR print without stored data', raw);
      return;
    }
    this.qrData.push(this.#qr.toString('utf8'));
    const dot = this.#qrCell;
    // Star firmware centres by the alignment setting; 4 modules of quiet zone either side.
    const probe = new Bitmap(1, 1);
    const side = probe.drawQr(this.#qr, 0, 0, 1, this.#qrEc);
    if (typeof side === 'string') {
      this.error(side, this.#qr);
      return;
    }
    const full = (side + 8) * dot;
    if (full > STAR_WIDTH_DOTS) {
      this.error(`QR symbol ${full} dots wide does not fit ${STAR_WIDTH_DOTS}`, raw);
      return;
    }
    const x0 = this.#align === 1 ? Math.floor((STAR_WIDTH_DOTS - full) / 2) : this.#align === 2 ? STAR_WIDTH_DOTS - full : 0;
    this.paper.drawQr(this.#qr, x0 + 4 * dot, this.y + 4 * dot, dot, this.#qrEc);
    this.#advance(full);
  }
}

export class StarSimulator extends PrinterSimulator<StarJob> {
  #state: StarState = { paper: 'ok', coverOpen: false, error: false };
  #mute = false;

  constructor(options: PrinterSimulatorOptions = {}) {
    super(options, 'star-');
  }

  setPaper(paper: StarState['paper']): void {
    this.#state = { ...this.#state, paper };
  }
  setCover(open: boolean): void {
    this.#state = { ...this.#state, coverOpen: open };
  }
  setError(on: boolean): void {
    this.#state = { ...this.#state, error: on };
  }
  setMute(mute: boolean): void {
    this.#mute = mute;
  }

  protected createSession(reply: (bytes: Uint8Array) => void): DeviceSession {
    const parser = new StarParser();
    let roll = new StarRoll();
    const finish = () => {
      if (!roll.hasContent && roll.errors.length === 0) return;
      if (this.#state.paper === 'out' || this.#state.coverOpen || this.#state.error) roll.error('printer offline: a real printer would not print this job', new Uint8Array());
      this.recordJob(roll.finish());
      roll = new StarRoll();
    };
    const handle = (cmd: StarCommand) => {
      if (cmd.op === 'status_request') {
        if (!this.#mute) reply(encodeAsb(this.#state));
        return;
      }
      roll.apply(cmd);
      if (cmd.op === 'cut') finish();
    };
    return {
      push: (chunk) => {
        for (const cmd of parser.push(chunk)) handle(cmd);
      },
      end: () => {
        for (const cmd of parser.end()) handle(cmd);
        finish();
      },
    };
  }
}

export async function startStarSimulator(options: PrinterSimulatorOptions & { port?: number } = {}): Promise<StarSimulator> {
  return new StarSimulator(options).listen(options.port ?? 0);
}
