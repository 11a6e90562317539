// Owns Boca FGL (Friendly Ghost Language) bytes for box-office ticket printers: a positioned ticket
// (LabelDocument) as FGL commands, a streaming parser the simulator reads them back with, and the
// one-byte status vocabulary. Pure: no I/O. From Boca's FGL programming guide:
//   <RCr,c> row/column in dots · <F3> resident font · <HWh,w> height/width multipliers · text as is
//   <QRpoint,tilde,mode,ec>{data}: point size 3..16, apply tilde 0/1 (then ~ddd is a byte), encode
//     mode 0 byte / 1 alnum / 2 numeric, error correction 0 M, 1 L, 2 H, 3 Q
//   <Gn> then n graphic bytes, each a vertical column of 8 dots (MSB on top) left to right
//   <p> print and cut · <q> print without cut · FF (0x0C) print and cut · <S1> status request
//   Status bytes: 06 ticket ACK, 0F low paper, 0A / 10 out of paper, 11 X-ON (ready, the reply to <S1>),
//   12 power on, 13 X-OFF, 18 paper jam, 19 illegal data, 1D cutter jam.
// Unverified against a device: the resident fonts' cell sizes below are the simulator's approximation.
import type { PrinterStatus } from './document';
import { DEFAULT_TEXT_HEIGHT, validateLabel, type LabelDocument } from './label';
import { perr, type PrinterError } from './printer';

export const STATUS = {
  ack: 0x06,
  outOfPaperPath1: 0x0a,
  lowPaper: 0x0f,
  outOfPaper: 0x10,
  xon: 0x11,
  powerOn: 0x12,
  xoff: 0x13,
  jam: 0x18,
  illegalData: 0x19,
  cutterJam: 0x1d,
} as const;
export const STATUS_REQUEST = Buffer.from('<S1>', 'latin1');
/** Resident fonts as the simulator draws them: number → cell width x height in dots. */
export const FGL_FONTS: Record<number, [number, number]> = { 1: [6, 8], 2: [8, 16], 3: [17, 31], 6: [20, 40], 8: [34, 62] };
export const MAX_QR_DATA = 7089;
const EC_CODE: Record<'L' | 'M' | 'Q' | 'H', number> = { M: 0, L: 1, H: 2, Q: 3 };

/** Ticket text: resident fonts are single-byte; < and > would open a command, so they and non-ASCII become '?'. */
export const cleanText = (s: string): string => s.replace(/[\r\n]+/g, ' ').replace(/[^\u0020-\u007e]|[<>]/gu, '?');

/** QR data with apply-tilde on: every byte that could end the field or open a command becomes ~ddd. */
export function tildeEncode(data: string | Uint8Array): string {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
  let out = '';
  for (const b of bytes) {
    const safe = b >= 0x20 && b < 0x7f && b !== 0x7b && b !== 0x7d && b !== 0x7e && b !== 0x3c && b !== 0x3e;
    out += safe ? String.fromCharCode(b) : `~${String(b).padStart(3, '0')}`;
  }
  return out;
}

export function tildeDecode(s: string): Buffer {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const m = s[i] === '~' ? /^\d{3}/.exec(s.slice(i + 1, i + 4)) : null;
    if (m && Number(m[0]) <= 255) {
      out.push(Number(m[0]));
      i += 3;
    } else out.push(s.charCodeAt(i) & 0xff);
  }
  return Buffer.from(out);
}

/** Font and multiplier for a text height in dots. */
export function fontFor(height: number): { font: number; mul: number } {
  if (height <= 20) return { font: 2, mul: Math.max(1, Math.round(height / 16)) };
  return { font: 3, mul: Math.max(1, Math.round(height / 31)) };
}

/** One ticket: positioned items, then print-and-cut (<p>) or print without cut (<q>). */
export function renderTicket(ticket: LabelDocument, cut = true): Buffer {
  validateLabel(ticket);
  const parts: Buffer[] = [];
  const s = (t: string) => parts.push(Buffer.from(t, 'latin1'));
  for (const it of ticket.items) {
    switch (it.type) {
      case 'text': {
        const { font, mul } = fontFor(it.height ?? DEFAULT_TEXT_HEIGHT);
        s(`<RC${it.y},${it.x}><F${font}><HW${mul},${mul}>${cleanText(it.text)}`);
        if (it.bold) s(`<RC${it.y},${it.x + 1}>${cleanText(it.text)}`);
        break;
      }
      case 'qr': {
        const point = Math.max(3, Math.min(16, it.moduleSize ?? 6));
        s(`<RC${it.y},${it.x}><QR${point},1,0,${EC_CODE[it.errorCorrection ?? 'M']}>{${tildeEncode(it.data)}}`);
        break;
      }
      case 'image': {
        const rowBytes = Math.ceil(it.width / 8);
        for (let band = 0; band < it.height; band += 8) {
          const cols = Buffer.alloc(it.width);
          for (let x = 0; x < it.width; x++) {
            let v = 0;
            for (let dy = 0; dy < 8 && band + dy < it.height; dy++) {
              if (it.bits[(band + dy) * rowBytes + (x >> 3)]! & (0x80 >> (x & 7))) v |= 0x80 >> dy;
            }
            cols[x] = v;
          }
          s(`<RC${it.y + band},${it.x}><G${it.width}>`);
          parts.push(cols);
        }
        break;
      }
    }
  }
  s(cut ? '<p>' : '<q>');
  return Buffer.concat(parts);
}

// ---- Status ----

/** What the driver knows from the status bytes seen so far. */
export interface FglStatusState {
  paperOut: boolean;
  lowPaper: boolean;
  jam: boolean;
  /** X-OFF seen and no X-ON since. */
  busy: boolean;
}

export const initialState = (): FglStatusState => ({ paperOut: false, lowPaper: false, jam: false, busy: false });

/** Fold one status byte into the state (bytes that are not status are ignored). */
export function applyStatusByte(s: FglStatusState, b: number): FglStatusState {
  switch (b) {
    case STATUS.outOfPaper:
    case STATUS.outOfPaperPath1:
      return { ...s, paperOut: true, busy: true };
    case STATUS.lowPaper:
      return { ...s, lowPaper: true };
    case STATUS.jam:
    case STATUS.cutterJam:
      return { ...s, jam: true, busy: true };
    case STATUS.xoff:
      return { ...s, busy: true };
    case STATUS.xon:
      // Ready again: whatever stopped the printer has been cleared (low paper is only news while printing).
      return { paperOut: false, jam: false, busy: false, lowPaper: s.lowPaper };
    case STATUS.powerOn:
      return initialState();
    default:
      return s;
  }
}

export function toPrinterStatus(s: FglStatusState, answered: boolean): PrinterStatus {
  return {
    online: answered && !s.paperOut && !s.jam && !s.busy,
    coverOpen: false,
    paperOut: s.paperOut,
    paperNearEnd: !s.paperOut && s.lowPaper,
    error: s.jam,
  };
}

/** The error a terminal status byte after a ticket means, or null for ACK. */
export function ticketResult(b: number, name: string): PrinterError | null {
  switch (b) {
    case STATUS.ack:
      return null;
    case STATUS.outOfPaper:
    case STATUS.outOfPaperPath1:
      return perr('paper_out', `${name}: out of tickets`);
    case STATUS.jam:
      return perr('jam', `${name}: paper jam`);
    case STATUS.cutterJam:
      return perr('jam', `${name}: cutter jam`);
    case STATUS.illegalData:
      return perr('rejected', `${name}: printer reports illegal data`);
    default:
      return perr('bad_reply', `${name}: unexpected status 0x${b.toString(16)}`);
  }
}

/** Frame: bytes up to and including the first byte that ends a ticket (ACK or a fault). */
export function ticketEndFrame(rx: Buffer): number | null {
  for (let i = 0; i < rx.length; i++) {
    const b = rx[i]!;
    if (b === STATUS.ack || b === STATUS.outOfPaper || b === STATUS.outOfPaperPath1 || b === STATUS.jam || b === STATUS.cutterJam || b === STATUS.illegalData) return i + 1;
  }
  return null;
}

/** Frame: bytes up to and including X-ON (the answer to <S1>). */
export function xonFrame(rx: Buffer): number | null {
  const i = rx.indexOf(STATUS.xon);
  return i < 0 ? null : i + 1;
}

// ---- Parser ----

export type FglCommand = { raw: Buffer } & (
  | { op: 'text'; text: string }
  | { op: 'rc'; row: number; col: number }
  | { op: 'font'; font: number }
  | { op: 'hw'; h: number; w: number }
  | { op: 'qr'; point: number; tilde: boolean; mode: number; ec: 'L' | 'M' | 'Q' | 'H'; data: Buffer }
  | { op: 'graphic'; columns: Buffer }
  | { op: 'print'; cut: boolean }
  | { op: 'status_request' }
  | { op: 'ignored'; name: string }
  | { op: 'unknown'; reason: string }
);

const MAX_COMMAND = 64;
const EC_FROM: ('M' | 'L' | 'H' | 'Q')[] = ['M', 'L', 'H', 'Q'];
const IGNORED = /^(NR|RR|RU|RL|BS\d*,?\d*|EI|EU|UC|TRE|YC|YNC|FGL|CB|BI|SP\d+,\d+|PH|LD\d*|BX\d+,\d+)$/;

export class FglParser {
  #buf: Buffer = Buffer.alloc(0);

  push(chunk: Uint8Array): FglCommand[] {
    this.#buf = this.#buf.length ? Buffer.concat([this.#buf, chunk]) : Buffer.from(chunk);
    const out: FglCommand[] = [];
    let pos = 0;
    while (pos < this.#buf.length) {
      const step = this.#step(pos);
      if (step === 'more') break;
      if (step.cmd) out.push(step.cmd);
      pos += step.len;
    }
    this.#buf = this.#buf.subarray(pos);
    return out;
  }

  end(): FglCommand[] {
    if (this.#buf.length === 0) return [];
    const raw = Buffer.from(this.#buf);
    this.#buf = Buffer.alloc(0);
    return [{ op: 'unknown', reason: `truncated command at end of stream (${raw.length} bytes)`, raw }];
  }

  #step(pos: number): { cmd: FglCommand | null; len: number } | 'more' {
    const b = this.#buf;
    const c = b[pos]!;
    const raw = (n: number) => Buffer.from(b.subarray(pos, pos + n));
    if (c === 0x0c) return { cmd: { op: 'print', cut: true, raw: raw(1) }, len: 1 };
    if (c === 0x0d || c === 0x0a) return { cmd: null, len: 1 };
    if (c !== 0x3c) {
      let end = pos;
      while (end < b.length && b[end] !== 0x3c && b[end]! >= 0x20 && b[end] !== 0x7f) end++;
      if (end === pos) return { cmd: { op: 'unknown', reason: `stray control byte 0x${c.toString(16).padStart(2, '0')}`, raw: raw(1) }, len: 1 };
      return { cmd: { op: 'text', text: b.subarray(pos, end).toString('latin1'), raw: raw(end - pos) }, len: end - pos };
    }
    const close = b.indexOf(0x3e, pos);
    if (close < 0 || close - pos > MAX_COMMAND) {
      if (b.length - pos <= MAX_COMMAND && close < 0) return 'more';
      return { cmd: { op: 'unknown', reason: 'command without closing >', raw: raw(1) }, len: 1 };
    }
    const body = b.subarray(pos + 1, close).toString('latin1');
    const len = close - pos + 1;
    const bad = (why: string) => ({ cmd: { op: 'unknown' as const, reason: `<${body}>: ${why}`, raw: raw(len) }, len });
    let m: RegExpExecArray | null;
    if ((m = /^RC(\d+),(\d+)$/.exec(body))) return { cmd: { op: 'rc', row: Number(m[1]), col: Number(m[2]), raw: raw(len) }, len };
    if ((m = /^F(\d+)$/.exec(body))) {
      const font = Number(m[1]);
      return FGL_FONTS[font] ? { cmd: { op: 'font', font, raw: raw(len) }, len } : bad(`font ${font} is not resident`);
    }
    if ((m = /^HW(\d+),(\d+)$/.exec(body))) {
      const [h, w] = [Number(m[1]), Number(m[2])];
      return h >= 1 && h <= 16 && w >= 1 && w <= 16 ? { cmd: { op: 'hw', h, w, raw: raw(len) }, len } : bad('multiplier outside 1..16');
    }
    if ((m = /^G(\d+)$/.exec(body))) {
      const n = Number(m[1]);
      if (n < 1 || n > 4096) return bad(`graphic of ${n} bytes`);
      if (b.length < close + 1 + n) return 'more';
      return { cmd: { op: 'graphic', columns: Buffer.from(b.subarray(close + 1, close + 1 + n)), raw: raw(len + n) }, len: len + n };
    }
    if ((m = /^QR(\d*)(?:,(\d*))?(?:,(\d*))?(?:,(\d*))?$/.exec(body))) {
      const [point, tilde, mode, ec] = [m[1] || '6', m[2] || '0', m[3] || '0', m[4] || '0'].map(Number) as [number, number, number, number];
      if (b.length <= close + 1) return 'more';
      if (b[close + 1] !== 0x7b) return bad('QR data must follow in { }');
      const end = b.indexOf(0x7d, close + 2);
      if (end < 0) {
        if (b.length - close > MAX_QR_DATA * 4 + 2) return bad('QR data without closing }');
        return 'more';
      }
      const total = end - pos + 1;
      const rawAll = raw(total);
      if (point < 3 || point > 16 || tilde > 1 || mode > 2 || ec > 3) return { cmd: { op: 'unknown', reason: `<${body}>: parameter out of range`, raw: rawAll }, len: total };
      const text = b.subarray(close + 2, end).toString('latin1');
      const data = tilde ? tildeDecode(text) : Buffer.from(text, 'latin1');
      if (data.length === 0 || data.length > MAX_QR_DATA) return { cmd: { op: 'unknown', reason: `<${body}>: QR data of ${data.length} bytes`, raw: rawAll }, len: total };
      return { cmd: { op: 'qr', point, tilde: tilde === 1, mode, ec: EC_FROM[ec]!, data, raw: rawAll }, len: total };
    }
    if (body === 'p' || body === 'z') return { cmd: { op: 'print', cut: true, raw: raw(len) }, len };
    if (body === 'q') return { cmd: { op: 'print', cut: false, raw: raw(len) }, len };
    if (body === 'S1') return { cmd: { op: 'status_request', raw: raw(len) }, len };
    if (IGNORED.test(body)) return { cmd: { op: 'ignored', name: body, raw: raw(len) }, len };
    return bad('unknown command');
  }
}
