// Owns ZPL II (Zebra) bytes: a LabelDocument as a ^XA…^XZ format, field-data escaping, a streaming
// parser that reads formats back for the simulator, and the ~HS host status reply in both directions.
// Pure: no I/O.
//   ^XA^CI28^PW w^LL h ^FOx,y^A0N,h,w^FH^FD…^FS ^FOx,y^BQN,2,m^FH^FDMA,…^FS ^FOx,y^GFA,n,n,row,<hex>^FS ^PQ c^XZ
//   ^FH turns on hex escapes in the next ^FD: _5E is ^, _7E is ~, _5F is _ (a raw ^ or ~ would start a command).
//   ~HS answers three STX…ETX CR LF strings; string 1 field 2 = paper out, 3 = pause; string 2 field 3 =
//   head up, 4 = ribbon out (Zebra ZPL II Programming Guide, ~HS).
import { DriverError } from '../errors';
import type { PrinterStatus } from './document';
import { charWidth, DEFAULT_TEXT_HEIGHT, mmToDots, validateLabel, type LabelDocument } from './label';
import { perr, type PrinterError, type PrinterErrorCode } from './printer';

export const HOST_STATUS_REQUEST = Buffer.from('~HS', 'latin1');
export const STX = 0x02;
export const ETX = 0x03;
/** ZPL's limit for one field's data. */
export const MAX_FIELD_BYTES = 3072;
export const MAX_GRAPHIC_BYTES = 4 * 1024 * 1024;

/** Field data for use after ^FH: ^, ~ and the indicator _ itself (and control bytes) as _XX. */
export function escapeFieldData(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    out += ch === '^' || ch === '~' || ch === '_' || c < 0x20 || c === 0x7f ? '_' + c.toString(16).toUpperCase().padStart(2, '0') : ch;
  }
  return out;
}

/** Undo ^FH escapes on raw field bytes. */
export function unescapeFieldData(data: Buffer, indicator = 0x5f): Buffer {
  const out: number[] = [];
  for (let i = 0; i < data.length; i++) {
    const b = data[i]!;
    if (b === indicator && i + 2 < data.length && /^[0-9A-Fa-f]{2}$/.test(data.subarray(i + 1, i + 3).toString('latin1'))) {
      out.push(parseInt(data.subarray(i + 1, i + 3).toString('latin1'), 16));
      i += 2;
    } else out.push(b);
  }
  return Buffer.from(out);
}

export function renderLabel(label: LabelDocument): Buffer {
  validateLabel(label);
  const dpi = label.dpi ?? 203;
  const parts: string[] = ['^XA', '^CI28', `^PW${mmToDots(label.widthMm, dpi)}`, `^LL${mmToDots(label.heightMm, dpi)}`, '^LH0,0'];
  for (const it of label.items) {
    switch (it.type) {
      case 'text': {
        const h = it.height ?? DEFAULT_TEXT_HEIGHT;
        const field = `^A0N,${h},${charWidth(h)}^FH^FD${escapeFieldData(it.text)}^FS`;
        parts.push(`^FO${it.x},${it.y}${field}`);
        if (it.bold) parts.push(`^FO${it.x + 1},${it.y}${field}`);
        break;
      }
      case 'qr':
        parts.push(`^FO${it.x},${it.y}^BQN,2,${it.moduleSize ?? 6}^FH^FD${it.errorCorrection ?? 'M'}A,${escapeFieldData(it.data)}^FS`);
        break;
      case 'image': {
        const row = Math.ceil(it.width / 8);
        const n = row * it.height;
        parts.push(`^FO${it.x},${it.y}^GFA,${n},${n},${row},${Buffer.from(it.bits).toString('hex').toUpperCase()}^FS`);
        break;
      }
    }
  }
  parts.push(`^PQ${label.copies ?? 1}`, '^XZ');
  return Buffer.from(parts.join('\n'), 'utf8');
}

// ---- ~HS host status ----

export interface HostStatus {
  paperOut: boolean;
  paused: boolean;
  headUp: boolean;
  ribbonOut: boolean;
  underTemperature: boolean;
  overTemperature: boolean;
  corruptRam: boolean;
  labelLengthDots: number;
  formatsInBuffer: number;
  labelsRemaining: number;
}

/** Frame function: the three STX…ETX strings (and the CR LF after the third, when it is there). */
export function hostStatusFrame(rx: Buffer): number | null {
  let etx = 0;
  for (let i = 0; i < rx.length; i++) {
    if (rx[i] !== ETX) continue;
    if (++etx === 3) {
      let end = i + 1;
      if (rx[end] === 0x0d) end++;
      if (rx[end] === 0x0a) end++;
      return end;
    }
  }
  if (rx.length > 1024) throw new Error('no ~HS reply in 1 KiB of input');
  return null;
}

const badReply = (detail: string) => new DriverError<PrinterErrorCode>('bad_reply', detail);

export function parseHostStatus(reply: Uint8Array): HostStatus {
  const text = Buffer.from(reply).toString('latin1');
  // Each string is STX … ETX; whatever lies between them (CR LF) is framing.
  const strings: string[][] = [];
  for (let i = text.indexOf('\u0002'); i >= 0; i = text.indexOf('\u0002', i + 1)) {
    const end = text.indexOf('\u0003', i);
    if (end < 0) break;
    const body = text.slice(i + 1, end);
    if (!body.includes('\u0002')) strings.push(body.split(','));
  }
  if (strings.length !== 3) throw badReply(`~HS reply has ${strings.length} of 3 strings`);
  const [s1, s2] = strings as [string[], string[], string[]];
  if (s1.length < 12 || s2.length < 11) throw badReply(`~HS strings have ${s1.length} and ${s2.length} fields, expected 12 and 11`);
  const flag = (v: string | undefined, what: string) => {
    if (v !== '0' && v !== '1') throw badReply(`~HS ${what} flag is ${JSON.stringify(v)}`);
    return v === '1';
  };
  const n = (v: string | undefined, what: string) => {
    if (!v || !/^\d+$/.test(v)) throw badReply(`~HS ${what} is ${JSON.stringify(v)}`);
    return Number(v);
  };
  return {
    paperOut: flag(s1[1], 'paper out'),
    paused: flag(s1[2], 'pause'),
    labelLengthDots: n(s1[3], 'label length'),
    formatsInBuffer: n(s1[4], 'formats in buffer'),
    corruptRam: flag(s1[9], 'corrupt RAM'),
    underTemperature: flag(s1[10], 'under temperature'),
    overTemperature: flag(s1[11], 'over temperature'),
    headUp: flag(s2[2], 'head up'),
    ribbonOut: flag(s2[3], 'ribbon out'),
    labelsRemaining: n(s2[8], 'labels remaining'),
  };
}

export function toPrinterStatus(h: HostStatus): PrinterStatus {
  const error = h.ribbonOut || h.underTemperature || h.overTemperature || h.corruptRam;
  return { online: !h.paused && !h.paperOut && !h.headUp && !error, coverOpen: h.headUp, paperOut: h.paperOut, paperNearEnd: false, error };
}

export function refusal(h: HostStatus, name: string): PrinterError | null {
  if (h.headUp) return perr('cover_open', `${name}: print head up`);
  if (h.paperOut) return perr('paper_out', `${name}: out of labels`);
  if (h.ribbonOut) return perr('ribbon_out', `${name}: out of ribbon`);
  if (h.overTemperature || h.underTemperature || h.corruptRam) return perr('printer_error', `${name}: head temperature or memory error`);
  if (h.paused) return perr('offline', `${name}: paused`);
  return null;
}

/** Device side: the ~HS reply for a state. */
export function encodeHostStatus(s: Pick<HostStatus, 'paperOut' | 'paused' | 'headUp' | 'ribbonOut'> & { labelLengthDots?: number }): Buffer {
  const b = (v: boolean) => (v ? '1' : '0');
  const len = String(Math.min(9999, s.labelLengthDots ?? 812)).padStart(4, '0');
  const s1 = `030,${b(s.paperOut)},${b(s.paused)},${len},000,0,0,0,000,0,0,0`;
  const s2 = `001,0,${b(s.headUp)},${b(s.ribbonOut)},0,0,0,0,00000000,1,000`;
  const s3 = '1234,0';
  return Buffer.from(`\x02${s1}\x03\r\n\x02${s2}\x03\r\n\x02${s3}\x03\r\n`, 'latin1');
}

// ---- Parser ----

/** One ZPL command: `^FO` or `~HS` with its parameter bytes up to the next ^ or ~. */
export interface ZplToken {
  prefix: '^' | '~';
  /** Upper-cased command name: two letters, or 'A' + font for ^A. */
  name: string;
  params: Buffer;
  raw: Buffer;
}

/** Control commands without parameters, which a printer executes the moment they arrive. */
const IMMEDIATE = new Set(['HS', 'HI', 'HM', 'HD', 'HB', 'HU', 'JA', 'JR', 'JL', 'JC', 'PS', 'PP', 'WC']);

export type ZplItem = { raw: Buffer } & ({ op: 'token'; token: ZplToken } | { op: 'unknown'; reason: string });

/**
 * Streaming tokenizer. A command ends where the next ^ or ~ begins (field data included: that is why
 * ^FH escapes exist), so a token is only complete once the following prefix byte has arrived, or at
 * end of stream.
 */
export class ZplTokenizer {
  #buf: Buffer = Buffer.alloc(0);

  push(chunk: Uint8Array): ZplItem[] {
    this.#buf = this.#buf.length ? Buffer.concat([this.#buf, chunk]) : Buffer.from(chunk);
    return this.#drain(false);
  }

  end(): ZplItem[] {
    const out = this.#drain(true);
    this.#buf = Buffer.alloc(0);
    return out;
  }

  #drain(final: boolean): ZplItem[] {
    const out: ZplItem[] = [];
    const b = this.#buf;
    let pos = 0;
    while (pos < b.length) {
      const c = b[pos]!;
      if (c !== 0x5e && c !== 0x7e) {
        // Bytes between commands: whitespace is fine, anything else is noise a printer ignores.
        let end = pos;
        while (end < b.length && b[end] !== 0x5e && b[end] !== 0x7e) end++;
        const junk = b.subarray(pos, end);
        if (/[^\s]/.test(junk.toString('latin1'))) out.push({ op: 'unknown', reason: 'bytes outside any command', raw: Buffer.from(junk) });
        pos = end;
        continue;
      }
      let next = pos + 1;
      while (next < b.length && b[next] !== 0x5e && b[next] !== 0x7e) next++;
      // Parameterless control commands (~HS …) act on receipt: they do not wait for the next command.
      const immediate = c === 0x7e && pos + 3 <= b.length && IMMEDIATE.has(b.subarray(pos + 1, pos + 3).toString('latin1').toUpperCase());
      if (immediate) next = pos + 3;
      else if (next >= b.length && !final) {
        if (b.length - pos > MAX_GRAPHIC_BYTES * 2 + 64) {
          out.push({ op: 'unknown', reason: `command longer than ${MAX_GRAPHIC_BYTES * 2} bytes`, raw: Buffer.from(b.subarray(pos)) });
          pos = b.length;
        }
        break;
      }
      const raw = Buffer.from(b.subarray(pos, next));
      pos = next;
      const body = raw.subarray(1);
      if (body.length < 1 || (body[0] !== 0x41 && body[0] !== 0x61 && body.length < 2)) {
        out.push({ op: 'unknown', reason: `truncated command ${JSON.stringify(raw.toString('latin1'))}`, raw });
        continue;
      }
      const first = String.fromCharCode(body[0]!).toUpperCase();
      // ^A takes its font name as the second character (^A0, ^AD); every other command has two letters.
      const nameLen = first === 'A' && raw[0] === 0x5e ? Math.min(2, body.length) : 2;
      const name = body.subarray(0, nameLen).toString('latin1').toUpperCase();
      out.push({ op: 'token', token: { prefix: raw[0] === 0x5e ? '^' : '~', name, params: Buffer.from(body.subarray(nameLen)), raw }, raw });
    }
    this.#buf = this.#buf.subarray(pos);
    return out;
  }
}
