// Owns a simulated TSPL label printer (203 dpi): parses the command lines, draws each label between
// CLS and PRINT onto a bitmap of the SIZE given, answers ESC ! ? from a settable state (head open,
// jam, out of paper, out of ribbon, pause) and records each printed label with its PNG.
import { hex } from '../bytes';
import { PrinterSimulator, type DeviceSession, type PrinterSimulatorOptions, type SimError } from './printer-simulator';
import { Bitmap } from './raster';
import { TSPL_FONTS, TsplParser, encodeStatus, type TsplCommand, type TsplState } from './tspl';

export interface LabelJob {
  id: number;
  bytes: Buffer;
  /** Each text item's content, in the order sent, joined with \n. */
  text: string;
  qrData: string[];
  copies: number;
  widthDots: number;
  heightDots: number;
  png: Buffer;
  pngPath?: string;
  errors: SimError[];
  receivedAt: Date;
}

export class TsplSimulator extends PrinterSimulator<LabelJob> {
  #state: TsplState = { headOpen: false, jam: false, paperOut: false, ribbonOut: false, paused: false };
  #mute = false;

  constructor(options: PrinterSimulatorOptions = {}) {
    super(options, 'tspl-');
  }

  set(state: Partial<TsplState>): void {
    this.#state = { ...this.#state, ...state };
  }
  get state(): Readonly<TsplState> {
    return this.#state;
  }
  setMute(mute: boolean): void {
    this.#mute = mute;
  }

  protected createSession(reply: (bytes: Uint8Array) => void): DeviceSession {
    const parser = new TsplParser(203);
    let width = 400;
    let height = 240;
    let canvas: Bitmap | null = null;
    let bytes: Buffer[] = [];
    let texts: string[] = [];
    let qr: string[] = [];
    let errors: SimError[] = [];
    const err = (reason: string, raw: Uint8Array) => errors.push({ reason, hex: hex(raw, 48) });
    const page = () => (canvas ??= new Bitmap(width, height));
    const reset = () => {
      canvas = null;
      bytes = [];
      texts = [];
      qr = [];
      errors = [];
    };
    const offLabel = (x: number, y: number, raw: Buffer) => {
      if (x < 0 || y < 0 || x >= width || y >= height) {
        err(`position ${x},${y} is outside the ${width}x${height} label`, raw);
        return true;
      }
      return false;
    };

    const handle = (cmd: TsplCommand) => {
      if (cmd.op === 'status_request') {
        if (!this.#mute) reply(Buffer.from([encodeStatus(this.#state)]));
        return;
      }
      bytes.push(cmd.raw);
      switch (cmd.op) {
        case 'size':
          width = cmd.widthDots;
          height = cmd.heightDots;
          canvas = null;
          return;
        case 'cls':
          canvas = new Bitmap(width, height);
          return;
        case 'text': {
          if (offLabel(cmd.x, cmd.y, cmd.raw)) return;
          if (cmd.rotation !== 0) err(`rotation ${cmd.rotation} is drawn unrotated`, cmd.raw);
          const [cw, ch] = TSPL_FONTS[cmd.font]!;
          page().drawText(cmd.text, cmd.x, cmd.y, cw * cmd.xmul, ch * cmd.ymul);
          texts.push(cmd.text);
          return;
        }
        case 'qrcode': {
          if (offLabel(cmd.x, cmd.y, cmd.raw)) return;
          const r = page().drawQr(cmd.data, cmd.x, cmd.y, cmd.cell, cmd.ecc);
          if (typeof r === 'string') err(r, cmd.raw);
          else {
            qr.push(cmd.data.toString('utf8'));
            if (cmd.x + r > width || cmd.y + r > height) err(`QR symbol of ${r} dots runs off the label`, cmd.raw);
          }
          return;
        }
        case 'bitmap':
          if (offLabel(cmd.x, cmd.y, cmd.raw)) return;
          page().drawPacked(cmd.x, cmd.y, cmd.widthBytes, cmd.height, cmd.data, 'white');
          return;
        case 'print': {
          const s = this.#state;
          if (s.headOpen || s.jam || s.paperOut || s.ribbonOut || s.paused) err('printer not ready: a real printer would not print this label', cmd.raw);
          this.recordJob({ bytes: Buffer.concat(bytes), text: texts.join('\n'), qrData: qr, copies: cmd.sets * cmd.copies, widthDots: width, heightDots: height, png: page().toPng(), errors });
          reset();
          return;
        }
        case 'unknown':
          err(cmd.reason, cmd.raw);
          return;
        case 'gap':
        case 'codepage':
        case 'ignored':
          return;
      }
    };
    return {
      push: (chunk) => {
        for (const cmd of parser.push(chunk)) handle(cmd);
      },
      end: () => {
        for (const cmd of parser.end()) handle(cmd);
        // Commands after the last PRINT never reach paper; errors among them are still worth a record.
        if (errors.length) this.recordJob({ bytes: Buffer.concat(bytes), text: texts.join('\n'), qrData: qr, copies: 0, widthDots: width, heightDots: height, png: page().toPng(), errors });
        reset();
      },
    };
  }
}

export async function startTsplSimulator(options: PrinterSimulatorOptions & { port?: number } = {}): Promise<TsplSimulator> {
  return new TsplSimulator(options).listen(options.port ?? 0);
}
