// Owns TSPL (TSC label printers) bytes: a LabelDocument as CRLF command lines, a streaming parser that
// reads them back (including BITMAP's raw payload and the ESC ! immediate commands), and the one-byte
// status in both directions. Pure: no I/O.
//   SIZE 50 mm,30 mm · GAP 2 mm,0 mm · CODEPAGE UTF-8 · CLS
//   TEXT x,y,"3",0,1,1,"…" · QRCODE x,y,M,6,A,0,"…" · BITMAP x,y,wBytes,h,0,<raw, 1 = white> · PRINT 1,1
//   Inside "…": \["] is a double quote; in QR data \[R] and \[L] are CR and LF.
//   ESC ! ? (1B 21 3F) → status byte: 01 head open, 02 jam, 04 out of paper, 08 out of ribbon,
//   10 pause, 20 printing, 80 other error.
import { DriverError } from '../errors';
import type { PrinterStatus } from './document';
import { DEFAULT_TEXT_HEIGHT, mmToDots, validateLabel, type LabelDocument } from './label';
import { perr, type PrinterError, type PrinterErrorCode } from './printer';

export const STATUS_REQUEST = Buffer.from([0x1b, 0x21, 0x3f]);
export const STATUS = { headOpen: 0x01, jam: 0x02, paperOut: 0x04, ribbonOut: 0x08, pause: 0x10, printing: 0x20, other: 0x80 } as const;
/** Resident bitmap fonts: name → cell width x height in dots (203 dpi). */
export const TSPL_FONTS: Record<string, [number, number]> = {
  '1': [8, 12],
  '2': [12, 20],
  '3': [16, 24],
  '4': [24, 32],
  '5': [32, 48],
  '6': [14, 19],
  '7': [21, 27],
  '8': [14, 25],
};
export const MAX_LINE = 64 * 1024;
export const MAX_BITMAP_BYTES = 4 * 1024 * 1024;

const CRLF = '\r\n';
const num = (n: number) => String(Math.round(n * 10) / 10);

/** A string argument: quotes become \["]; CR/LF (which would end the command) become spaces. */
export const quoteText = (s: string): string => `"${s.replace(/[\r\n]+/g, ' ').replace(/"/g, '\\["]')}"`;
/** QR data keeps CR and LF as \[R] and \[L]. */
export const quoteQr = (s: string): string => `"${s.replace(/"/g, '\\["]').replace(/\r/g, '\\[R]').replace(/\n/g, '\\[L]')}"`;
export const unquote = (s: string): string => s.replace(/\\\["\]/g, '"').replace(/\\\[R\]/g, '\r').replace(/\\\[L\]/g, '\n');

/** The command bytes for one label (validated first: a 'bad_document' DriverError if it cannot print). */
export function renderLabel(label: LabelDocument): Buffer {
  validateLabel(label);
  const parts: Buffer[] = [];
  const line = (s: string) => parts.push(Buffer.from(s + CRLF, 'utf8'));
  line(`SIZE ${num(label.widthMm)} mm,${num(label.heightMm)} mm`);
  line(`GAP ${num(label.gapMm ?? 2)} mm,0 mm`);
  line('CODEPAGE UTF-8');
  line('CLS');
  for (const it of label.items) {
    switch (it.type) {
      case 'text': {
        const mul = Math.max(1, Math.min(10, Math.round((it.height ?? DEFAULT_TEXT_HEIGHT) / 24)));
        line(`TEXT ${it.x},${it.y},"3",0,${mul},${mul},${quoteText(it.text)}`);
        // TSPL has no bold for resident fonts: strike again one dot to the right, as emphasis does.
        if (it.bold) line(`TEXT ${it.x + 1},${it.y},"3",0,${mul},${mul},${quoteText(it.text)}`);
        break;
      }
      case 'qr':
        line(`QRCODE ${it.x},${it.y},${it.errorCorrection ?? 'M'},${it.moduleSize ?? 6},A,0,${quoteQr(it.data)}`);
        break;
      case 'image': {
        const wb = Math.ceil(it.width / 8);
        // TSPL BITMAP: a set bit is WHITE, the opposite of our (and ESC/POS's) convention.
        const raw = Buffer.from(it.bits.map((b) => ~b & 0xff));
        parts.push(Buffer.from(`BITMAP ${it.x},${it.y},${wb},${it.height},0,`, 'latin1'), raw, Buffer.from(CRLF));
        break;
      }
    }
  }
  line(`PRINT 1,${label.copies ?? 1}`);
  return Buffer.concat(parts);
}

// ---- Status ----

export function decodeStatus(b: number): PrinterStatus {
  if (!Number.isInteger(b) || b < 0 || b > 0xff) throw new DriverError<PrinterErrorCode>('bad_reply', `status byte ${b}`);
  const coverOpen = (b & STATUS.headOpen) !== 0;
  const paperOut = (b & STATUS.paperOut) !== 0;
  const error = (b & (STATUS.jam | STATUS.ribbonOut | STATUS.other)) !== 0;
  return { online: !coverOpen && !paperOut && !error && (b & STATUS.pause) === 0, coverOpen, paperOut, paperNearEnd: false, error };
}

/** Why a printer answering `b` cannot print, most specific first; null when it can. */
export function refusal(b: number, name: string): PrinterError | null {
  if (b & STATUS.headOpen) return perr('cover_open', `${name}: print head open`);
  if (b & STATUS.paperOut) return perr('paper_out', `${name}: out of labels`);
  if (b & STATUS.jam) return perr('jam', `${name}: label jam`);
  if (b & STATUS.ribbonOut) return perr('ribbon_out', `${name}: out of ribbon`);
  if (b & STATUS.other) return perr('printer_error', `${name}: printer error`);
  if (b & STATUS.pause) return perr('offline', `${name}: paused`);
  return null;
}

export interface TsplState {
  headOpen: boolean;
  jam: boolean;
  paperOut: boolean;
  ribbonOut: boolean;
  paused: boolean;
}
export function encodeStatus(s: TsplState): number {
  return (s.headOpen ? 1 : 0) | (s.jam ? 2 : 0) | (s.paperOut ? 4 : 0) | (s.ribbonOut ? 8 : 0) | (s.paused ? 0x10 : 0);
}

// ---- Parser ----

export type TsplCommand = { raw: Buffer } & (
  | { op: 'size'; widthDots: number; heightDots: number }
  | { op: 'gap'; gapDots: number }
  | { op: 'codepage'; name: string }
  | { op: 'cls' }
  | { op: 'text'; x: number; y: number; font: string; rotation: number; xmul: number; ymul: number; text: string }
  | { op: 'qrcode'; x: number; y: number; ecc: 'L' | 'M' | 'Q' | 'H'; cell: number; rotation: number; data: Buffer }
  | { op: 'bitmap'; x: number; y: number; widthBytes: number; height: number; mode: number; data: Buffer }
  | { op: 'print'; sets: number; copies: number }
  | { op: 'status_request' }
  | { op: 'ignored'; name: string }
  | { op: 'unknown'; reason: string }
);

const SETTINGS = new Set(['DIRECTION', 'REFERENCE', 'OFFSET', 'SPEED', 'DENSITY', 'SET', 'SHIFT', 'BLINE', 'LIMITFEED', 'HOME', 'FEED', 'BACKFEED', 'FORMFEED', 'SOUND', 'CUT', 'SELFTEST', 'EOP', 'INITIALPRINTER', 'BAR', 'BOX', 'ERASE', 'REVERSE', 'DOWNLOAD', 'KILL']);

/** Split "a,b,"c,d",e" at commas outside quotes. */
export function splitArgs(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === '"' && !(quoted && s.slice(i - 2, i) === '\\[')) quoted = !quoted;
    if (ch === ',' && !quoted) {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  out.push(cur.trim());
  return out;
}

const isQuoted = (a: string | undefined): a is string => a !== undefined && a.length >= 2 && a.startsWith('"') && a.endsWith('"');
const int = (a: string | undefined) => (a !== undefined && /^-?\d+$/.test(a.trim()) ? Number(a) : NaN);

/** "50 mm", "2" (inches), "400 dot" → dots at `dpi`. */
export function parseLength(a: string | undefined, dpi: number): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(mm|dot)?\s*$/i.exec(a ?? '');
  if (!m) return NaN;
  const v = Number(m[1]);
  const unit = (m[2] ?? '').toLowerCase();
  return unit === 'mm' ? mmToDots(v, dpi) : unit === 'dot' ? Math.round(v) : Math.round(v * dpi);
}

export class TsplParser {
  #buf: Buffer = Buffer.alloc(0);
  constructor(readonly dpi = 203) {}

  push(chunk: Uint8Array): TsplCommand[] {
    this.#buf = this.#buf.length ? Buffer.concat([this.#buf, chunk]) : Buffer.from(chunk);
    const out: TsplCommand[] = [];
    for (;;) {
      const step = this.#step();
      if (step === 'more') break;
      if (step.cmd) out.push(step.cmd);
      this.#buf = this.#buf.subarray(step.len);
      if (this.#buf.length === 0) break;
    }
    return out;
  }

  end(): TsplCommand[] {
    if (this.#buf.length === 0) return [];
    // A last command without CRLF: run it (a printer does on the next byte), unless it is a short BITMAP.
    const cmds = this.push(Buffer.from('\r\n'));
    if (this.#buf.length) {
      const raw = Buffer.from(this.#buf);
      this.#buf = Buffer.alloc(0);
      cmds.push({ op: 'unknown', reason: `truncated command at end of stream (${raw.length} bytes)`, raw });
    }
    return cmds;
  }

  #step(): { cmd: TsplCommand | null; len: number } | 'more' {
    const b = this.#buf;
    if (b[0] === 0x1b) {
      if (b.length < 3) return 'more';
      const raw = Buffer.from(b.subarray(0, 3));
      if (b[1] === 0x21 && b[2] === 0x3f) return { cmd: { op: 'status_request', raw }, len: 3 };
      if (b[1] === 0x21) return { cmd: { op: 'ignored', name: `immediate ESC ! ${String.fromCharCode(b[2]!)}`, raw }, len: 3 };
      return { cmd: { op: 'unknown', reason: `unknown ESC ${b[1]!.toString(16)}`, raw: Buffer.from(b.subarray(0, 2)) }, len: 2 };
    }
    if (b[0] === 0x0d || b[0] === 0x0a || b[0] === 0x20) return { cmd: null, len: 1 };
    if (b.subarray(0, 7).toString('latin1').toUpperCase() === 'BITMAP ') return this.#bitmap();
    const nl = b.indexOf(0x0a);
    if (nl < 0) {
      if (b.length > MAX_LINE) return { cmd: { op: 'unknown', reason: `line longer than ${MAX_LINE} bytes`, raw: Buffer.from(b) }, len: b.length };
      return 'more';
    }
    const raw = Buffer.from(b.subarray(0, nl + 1));
    const text = raw.toString('utf8').replace(/\r?\n$/, '');
    return { cmd: this.#line(text, raw), len: nl + 1 };
  }

  #bitmap(): { cmd: TsplCommand; len: number } | 'more' {
    const b = this.#buf;
    // Header: BITMAP x,y,wBytes,h,mode, then wBytes*h raw bytes.
    let commas = 0;
    let i = 7;
    for (; i < Math.min(b.length, 64); i++) if (b[i] === 0x2c && ++commas === 5) break;
    if (commas < 5) {
      if (b.length < 64 && b.indexOf(0x0a) < 0) return 'more';
      const end = b.indexOf(0x0a) >= 0 ? b.indexOf(0x0a) + 1 : Math.min(b.length, 64);
      return { cmd: { op: 'unknown', reason: 'BITMAP header without 5 parameters', raw: Buffer.from(b.subarray(0, end)) }, len: end };
    }
    const header = b.subarray(7, i).toString('latin1');
    const [x, y, wb, h, mode] = header.split(',').map((s) => int(s));
    const size = (wb ?? 0) * (h ?? 0);
    if (![x, y, wb, h, mode].every(Number.isFinite) || wb! < 1 || h! < 1 || wb! > 1024 || size > MAX_BITMAP_BYTES || mode! < 0 || mode! > 2) {
      return { cmd: { op: 'unknown', reason: `implausible BITMAP header ${header}`, raw: Buffer.from(b.subarray(0, i + 1)) }, len: i + 1 };
    }
    const start = i + 1;
    if (b.length < start + size) return 'more';
    let len = start + size;
    // Swallow the CRLF that ends the command, if it is there yet (a lone tail byte is skipped later).
    if (b[len] === 0x0d) len++;
    if (b[len] === 0x0a) len++;
    return { cmd: { op: 'bitmap', x: x!, y: y!, widthBytes: wb!, height: h!, mode: mode!, data: Buffer.from(b.subarray(start, start + size)), raw: Buffer.from(b.subarray(0, len)) }, len };
  }

  #line(line: string, raw: Buffer): TsplCommand {
    const m = /^\s*([A-Za-z]+)\s*(.*)$/.exec(line);
    if (!m) return { op: 'unknown', reason: `not a command: ${JSON.stringify(line.slice(0, 40))}`, raw };
    const name = m[1]!.toUpperCase();
    const args = splitArgs(m[2]!);
    const bad = (why: string): TsplCommand => ({ op: 'unknown', reason: `${name}: ${why}`, raw });
    switch (name) {
      case 'SIZE': {
        const w = parseLength(args[0], this.dpi);
        const h = parseLength(args[1], this.dpi);
        if (!(w > 0 && h > 0 && w <= 4000 && h <= 8000)) return bad(`bad size ${m[2]}`);
        return { op: 'size', widthDots: w, heightDots: h, raw };
      }
      case 'GAP': {
        const g = parseLength(args[0], this.dpi);
        return Number.isFinite(g) ? { op: 'gap', gapDots: g, raw } : bad(`bad gap ${m[2]}`);
      }
      case 'CODEPAGE':
        return { op: 'codepage', name: args[0] ?? '', raw };
      case 'CLS':
        return { op: 'cls', raw };
      case 'TEXT': {
        if (args.length < 7) return bad(`${args.length} parameters, expected 7`);
        const [x, y, font, rot, xm, ym] = args;
        const content = args[args.length - 1];
        if (!isQuoted(font) || !isQuoted(content)) return bad('font and content must be quoted');
        const nums = [int(x), int(y), int(rot), int(xm), int(ym)];
        if (!nums.every(Number.isFinite)) return bad('non-numeric parameter');
        const f = font.slice(1, -1);
        if (!TSPL_FONTS[f]) return bad(`font ${f} is not resident`);
        if (nums[3]! < 1 || nums[3]! > 10 || nums[4]! < 1 || nums[4]! > 10) return bad(`multiplier ${nums[3]},${nums[4]} outside 1..10`);
        return { op: 'text', x: nums[0]!, y: nums[1]!, font: f, rotation: nums[2]!, xmul: nums[3]!, ymul: nums[4]!, text: unquote(content.slice(1, -1)), raw };
      }
      case 'QRCODE': {
        if (args.length < 7) return bad(`${args.length} parameters, expected at least 7`);
        const content = args[args.length - 1];
        if (!isQuoted(content)) return bad('content must be quoted');
        const ecc = args[2]!.toUpperCase();
        if (!['L', 'M', 'Q', 'H'].includes(ecc)) return bad(`error correction ${ecc}`);
        const [x, y, cell, rot] = [int(args[0]), int(args[1]), int(args[3]), int(args[5])];
        if (![x, y, cell, rot].every(Number.isFinite)) return bad('non-numeric parameter');
        if (cell < 1 || cell > 10) return bad(`cell width ${cell} outside 1..10`);
        // The data is bytes as sent (UTF-8 under CODEPAGE UTF-8), quotes unescaped.
        const data = Buffer.from(unquote(content.slice(1, -1)), 'utf8');
        if (data.length === 0) return bad('empty data');
        return { op: 'qrcode', x, y, ecc: ecc as 'L' | 'M' | 'Q' | 'H', cell, rotation: rot, data, raw };
      }
      case 'PRINT': {
        const sets = int(args[0]);
        const copies = args[1] === undefined || args[1] === '' ? 1 : int(args[1]);
        if (!(sets >= 1 && sets <= 999999999 && copies >= 1 && copies <= 999999999)) return bad(`bad quantity ${m[2]}`);
        return { op: 'print', sets, copies, raw };
      }
    }
    if (SETTINGS.has(name)) return { op: 'ignored', name, raw };
    return { op: 'unknown', reason: `unknown command ${name}`, raw };
  }
}
