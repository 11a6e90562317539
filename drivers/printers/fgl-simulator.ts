// Owns a simulated Boca FGL ticket printer (200 dpi, 2" x 5.5" stock = 1100 x 400 dots): draws each
// ticket from <RC>, fonts, text, <QR> and <G> graphics, prints it at <p>/<q>/FF with a ticket ACK (06),
// answers <S1> with X-ON (11) only while ready — as Boca's normal status mode does — and sends the
// unsolicited out-of-paper (10) / jam (18) / X-ON bytes when its state changes.
import { FGL_FONTS, FglParser, STATUS, type FglCommand } from './fgl';
import { hex } from '../bytes';
import { PrinterSimulator, type DeviceSession, type PrinterSimulatorOptions, type SimError } from './printer-simulator';
import { Bitmap } from './raster';

export interface TicketJob {
  id: number;
  bytes: Buffer;
  text: string;
  qrData: string[];
  cut: boolean;
  png: Buffer;
  pngPath?: string;
  errors: SimError[];
  receivedAt: Date;
}

export interface FglSimulatorOptions extends PrinterSimulatorOptions {
  widthDots?: number;
  heightDots?: number;
}

export type FglPaper = 'ok' | 'low' | 'out';

export class FglSimulator extends PrinterSimulator<TicketJob> {
  readonly widthDots: number;
  readonly heightDots: number;
  #paper: FglPaper = 'ok';
  #jam = false;
  #mute = false;
  readonly #lines = new Set<(b: Uint8Array) => void>();

  constructor(options: FglSimulatorOptions = {}) {
    super(options, 'fgl-');
    this.widthDots = options.widthDots ?? 1100;
    this.heightDots = options.heightDots ?? 400;
  }

  get ready(): boolean {
    return this.#paper !== 'out' && !this.#jam;
  }

  /** Paper state; the change is announced to the host unsolicited, as a Boca does. */
  setPaper(paper: FglPaper): void {
    const wasReady = this.ready;
    this.#paper = paper;
    if (paper === 'out') this.#broadcast([STATUS.outOfPaper]);
    else if (paper === 'low') this.#broadcast([STATUS.lowPaper]);
    if (!wasReady && this.ready) this.#broadcast([STATUS.xon]);
  }
  setJam(jam: boolean): void {
    const wasReady = this.ready;
    this.#jam = jam;
    if (jam) this.#broadcast([STATUS.jam]);
    if (!wasReady && this.ready) this.#broadcast([STATUS.xon]);
  }
  setMute(mute: boolean): void {
    this.#mute = mute;
  }

  #broadcast(bytes: number[]): void {
    if (this.#mute) return;
    for (const send of this.#lines) send(Uint8Array.from(bytes));
  }

  protected createSession(reply: (bytes: Uint8Array) => void): DeviceSession {
    this.#lines.add(reply);
    const parser = new FglParser();
    let ticket = new Bitmap(this.widthDots, this.heightDots);
    let bytes: Buffer[] = [];
    let texts: string[] = [];
    let qr: string[] = [];
    let errors: SimError[] = [];
    let row = 0;
    let col = 0;
    let font = 3;
    let hw = { h: 1, w: 1 };
    const err = (reason: string, raw: Uint8Array) => errors.push({ reason, hex: hex(raw, 48) });
    const send = (b: number) => {
      if (!this.#mute) reply(Uint8Array.of(b));
    };

    const handle = (cmd: FglCommand) => {
      if (cmd.op === 'status_request') {
        if (this.ready && !this.#mute) reply(Uint8Array.from(this.#paper === 'low' ? [STATUS.lowPaper, STATUS.xon] : [STATUS.xon]));
        return;
      }
      bytes.push(cmd.raw);
      switch (cmd.op) {
        case 'rc':
          if (cmd.row >= this.heightDots || cmd.col >= this.widthDots) err(`position ${cmd.row},${cmd.col} is off the ${this.widthDots}x${this.heightDots} ticket`, cmd.raw);
          row = cmd.row;
          col = cmd.col;
          return;
        case 'font':
          font = cmd.font;
          return;
        case 'hw':
          hw = { h: cmd.h, w: cmd.w };
          return;
        case 'text': {
          const [cw, ch] = FGL_FONTS[font]!;
          col += ticket.drawText(cmd.text, col, row, cw * hw.w, ch * hw.h);
          texts.push(cmd.text);
          return;
        }
        case 'qr': {
          const r = ticket.drawQr(cmd.data, col, row, cmd.point, cmd.ec);
          if (typeof r === 'string') err(r, cmd.raw);
          else qr.push(cmd.data.toString('utf8'));
          return;
        }
        case 'graphic':
          cmd.columns.forEach((v, i) => {
            for (let dy = 0; dy < 8; dy++) if (v & (0x80 >> dy)) ticket.set(col + i, row + dy);
          });
          return;
        case 'print': {
          if (!this.ready) {
            err(`printer not ready (paper ${this.#paper}${this.#jam ? ', jammed' : ''}): the ticket was not printed`, cmd.raw);
            send(this.#paper === 'out' ? STATUS.outOfPaper : STATUS.jam);
          }
          this.recordJob({ bytes: Buffer.concat(bytes), text: texts.join('\n'), qrData: qr, cut: cmd.cut, png: ticket.toPng(), errors });
          if (this.ready) send(STATUS.ack);
          ticket = new Bitmap(this.widthDots, this.heightDots);
          bytes = [];
          texts = [];
          qr = [];
          errors = [];
          row = col = 0;
          return;
        }
        case 'unknown':
          err(cmd.reason, cmd.raw);
          send(STATUS.illegalData);
          return;
        case 'ignored':
          return;
      }
    };
    return {
      push: (chunk) => {
        for (const cmd of parser.push(chunk)) handle(cmd);
      },
      end: () => {
        this.#lines.delete(reply);
        for (const cmd of parser.end()) handle(cmd);
        if (errors.length) this.recordJob({ bytes: Buffer.concat(bytes), text: texts.join('\n'), qrData: qr, cut: false, png: ticket.toPng(), errors });
      },
    };
  }
}

export async function startFglSimulator(options: FglSimulatorOptions & { port?: number } = {}): Promise<FglSimulator> {
  return new FglSimulator(options).listen(options.port ?? 0);
}
