// Owns a simulated ZPL label printer (203 dpi): tokenizes the stream, draws each ^XA…^XZ format
// (^FO origins, ^A0 text, ^BQ QR codes, ^GFA graphics, ^FH escapes, ^CI28 UTF-8), answers ~HS from a
// settable state (paper out, pause, head up, ribbon out) and records each label with its PNG.
import { hex as hexOf } from '../bytes';
import { PrinterSimulator, type DeviceSession, type PrinterSimulatorOptions, type SimError } from './printer-simulator';
import { Bitmap, type QrLevel } from './raster';
import type { LabelJob } from './tspl-simulator';
import { MAX_FIELD_BYTES, MAX_GRAPHIC_BYTES, ZplTokenizer, encodeHostStatus, unescapeFieldData, type ZplToken } from './zpl';

export interface ZplState {
  paperOut: boolean;
  paused: boolean;
  headUp: boolean;
  ribbonOut: boolean;
}

const IGNORED = new Set(['LH', 'LR', 'MD', 'MN', 'MT', 'PR', 'PO', 'PM', 'CF', 'FX', 'JM', 'LT', 'LS', 'MM', 'PF', 'FW', 'BY', 'CW', 'JA', 'JS', 'SD', 'JU', 'HH']);
const ints = (p: Buffer) => p.toString('latin1').split(',').map((s) => (/^\s*-?\d+\s*$/.test(s) ? Number(s) : NaN));

export class ZplSimulator extends PrinterSimulator<LabelJob> {
  #state: ZplState = { paperOut: false, paused: false, headUp: false, ribbonOut: false };
  #mute = false;

  constructor(options: PrinterSimulatorOptions = {}) {
    super(options, 'zpl-');
  }

  set(state: Partial<ZplState>): void {
    this.#state = { ...this.#state, ...state };
  }
  setMute(mute: boolean): void {
    this.#mute = mute;
  }

  protected createSession(reply: (bytes: Uint8Array) => void): DeviceSession {
    const tokenizer = new ZplTokenizer();
    let width = 480;
    let height = 800;
    let utf8 = false;
    // Format state, reset at ^XA.
    let inFormat = false;
    let canvas: Bitmap | null = null;
    let bytes: Buffer[] = [];
    let texts: string[] = [];
    let qr: string[] = [];
    let errors: SimError[] = [];
    let copies = 1;
    let fo = { x: 0, y: 0 };
    let font = { h: 30, w: 20 };
    let hex = false;
    let barcode: { kind: 'qr'; mag: number } | null = null;
    const err = (reason: string, raw: Uint8Array) => errors.push({ reason, hex: hexOf(raw, 48) });
    const page = () => (canvas ??= new Bitmap(width, height));

    const field = (t: ZplToken) => {
      let data = t.params;
      if (data.length > MAX_FIELD_BYTES) {
        err(`field data of ${data.length} bytes exceeds ${MAX_FIELD_BYTES}`, t.raw);
        data = data.subarray(0, MAX_FIELD_BYTES);
      }
      if (hex) data = unescapeFieldData(data);
      if (barcode?.kind === 'qr') {
        // "MA,data": error correction (H Q M L), then A (automatic) or M (manual) input mode.
        const head = data.subarray(0, 3).toString('latin1');
        const m = /^([HQML])([AM]),$/.exec(head);
        if (!m) err(`QR field data must start with <level>A, (got ${JSON.stringify(head)})`, t.raw);
        else if (m[2] === 'M') err('QR manual input mode is not simulated', t.raw);
        else {
          const payload = data.subarray(3);
          const r = page().drawQr(payload, fo.x, fo.y, barcode.mag, m[1] as QrLevel);
          if (typeof r === 'string') err(r, t.raw);
          else qr.push(payload.toString('utf8'));
        }
      } else {
        const text = utf8 ? data.toString('utf8') : data.toString('latin1');
        page().drawText(text, fo.x, fo.y, font.w, font.h);
        texts.push(text);
      }
    };

    const handle = (t: ZplToken) => {
      if (t.prefix === '~') {
        if (t.name === 'HS') {
          if (!this.#mute) reply(encodeHostStatus({ ...this.#state, labelLengthDots: height }));
        } else if (!['JA', 'JR', 'PS', 'WC', 'JC', 'SD', 'TA', 'DG'].includes(t.name)) err(`unknown command ~${t.name}`, t.raw);
        return;
      }
      if (t.name === 'XA') {
        if (inFormat) err('^XA inside a format (missing ^XZ)', t.raw);
        inFormat = true;
        canvas = null;
        bytes = [t.raw];
        texts = [];
        qr = [];
        // Errors from noise before ^XA stay with this label's record.
        copies = 1;
        fo = { x: 0, y: 0 };
        return;
      }
      if (!inFormat) {
        err(`^${t.name} outside ^XA…^XZ`, t.raw);
        return;
      }
      bytes.push(t.raw);
      const p = ints(t.params);
      switch (t.name) {
        case 'XZ': {
          const s = this.#state;
          if (s.paperOut || s.paused || s.headUp || s.ribbonOut) err('printer not ready: a real printer would not print this label', t.raw);
          this.recordJob({ bytes: Buffer.concat(bytes), text: texts.join('\n'), qrData: qr, copies, widthDots: width, heightDots: height, png: page().toPng(), errors });
          errors = [];
          inFormat = false;
          return;
        }
        case 'CI':
          utf8 = p[0] === 28;
          if (!Number.isFinite(p[0])) err('^CI without a character set', t.raw);
          return;
        case 'PW':
          if (p[0]! >= 2 && p[0]! <= 4000) {
            width = p[0]!;
            canvas = null;
          } else err(`print width ${t.params.toString('latin1')} is outside 2..4000`, t.raw);
          return;
        case 'LL':
          if (p[0]! >= 1 && p[0]! <= 32000) {
            height = p[0]!;
            canvas = null;
          } else err(`label length ${t.params.toString('latin1')} is outside 1..32000`, t.raw);
          return;
        case 'FO':
        case 'FT':
          if (!(p[0]! >= 0 && p[1]! >= 0 && p[0]! < 32000 && p[1]! < 32000)) err(`field origin ${t.params.toString('latin1')}`, t.raw);
          else fo = { x: p[0]!, y: p[1]! };
          return;
        case 'FH':
          hex = true;
          if (t.params.length && t.params.toString('latin1') !== '_') err('only the default ^FH indicator _ is simulated', t.raw);
          return;
        case 'FD':
          field(t);
          return;
        case 'FS':
          hex = false;
          barcode = null;
          return;
        case 'BQ': {
          const [, model, mag] = t.params.toString('latin1').split(',');
          const m = Number(mag ?? 2);
          if ((model ?? '2') !== '2') err(`QR model ${model} is drawn as model 2`, t.raw);
          if (!(m >= 1 && m <= 10)) err(`QR magnification ${mag} is outside 1..10`, t.raw);
          barcode = { kind: 'qr', mag: Math.max(1, Math.min(10, m || 2)) };
          return;
        }
        case 'GF':
          this.#graphic(t, page(), fo, err);
          return;
        case 'PQ':
          copies = p[0]! >= 1 ? p[0]! : 1;
          return;
      }
      if (t.name.startsWith('A') && t.name.length === 2) {
        // ^A<font><orientation>,h,w
        const s = t.params.toString('latin1');
        const m = /^([NRIB])?,?(\d+)?(?:,(\d+))?$/.exec(s);
        if (!m) {
          err(`font parameters ${JSON.stringify(s)}`, t.raw);
          return;
        }
        if (m[1] && m[1] !== 'N') err(`orientation ${m[1]} is drawn unrotated`, t.raw);
        const h = Number(m[2] ?? font.h);
        const w = Number(m[3] ?? Math.round((h * 2) / 3));
        if (!(h >= 10 && h <= 32000 && w >= 10 && w <= 32000)) err(`font size ${h}x${w} is outside 10..32000`, t.raw);
        else font = { h, w };
        return;
      }
      if (!IGNORED.has(t.name)) err(`unknown command ^${t.name}`, t.raw);
    };

    return {
      push: (chunk) => {
        for (const item of tokenizer.push(chunk)) {
          if (item.op === 'token') handle(item.token);
          else err(item.reason, item.raw);
        }
      },
      end: () => {
        for (const item of tokenizer.end()) {
          if (item.op === 'token') handle(item.token);
          else err(item.reason, item.raw);
        }
        if (inFormat) err('format not ended with ^XZ: a printer does not print it', Buffer.alloc(0));
        if (errors.length) this.recordJob({ bytes: Buffer.concat(bytes), text: texts.join('\n'), qrData: qr, copies: 0, widthDots: width, heightDots: height, png: page().toPng(), errors });
        errors = [];
      },
    };
  }

  #graphic(t: ZplToken, page: Bitmap, fo: { x: number; y: number }, err: (r: string, raw: Uint8Array) => void): void {
    // ^GFa,b,c,d,data: a = A (ASCII hex), b = binary bytes, c = graphic field bytes, d = bytes per row.
    const s = t.params.toString('latin1');
    const parts = s.split(',');
    const [a, b, c, d] = parts;
    const data = parts.slice(4).join(',').replace(/\s+/g, '');
    const total = Number(b);
    const row = Number(d);
    if (a?.toUpperCase() !== 'A') return err(`^GF compression ${a} is not simulated`, t.raw);
    if (!(total > 0 && total <= MAX_GRAPHIC_BYTES && row > 0 && row <= 4000 && Number(c) === total)) return err(`implausible ^GF header ${[a, b, c, d].join(',')}`, t.raw);
    if (!/^[0-9A-Fa-f]*$/.test(data)) return err('^GF data has compression characters (not simulated) or is not hex', t.raw);
    if (data.length !== total * 2) return err(`^GF data is ${data.length / 2} bytes, header says ${total}`, t.raw);
    page.drawPacked(fo.x, fo.y, row, Math.floor(total / row), Buffer.from(data, 'hex'), 'black');
  }
}

export async function startZplSimulator(options: PrinterSimulatorOptions & { port?: number } = {}): Promise<ZplSimulator> {
  return new ZplSimulator(options).listen(options.port ?? 0);
}
