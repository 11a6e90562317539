// Owns Star line mode bytes (TSP100/TSP650/mC-Print in Star mode): the commands for a PrintDocument
// (alignment, emphasis, expansion, code page, QR, raster image, cut), a streaming parser the simulator
// renders from, and the automatic-status (ASB) reply to ESC ACK SOH in both directions. A text line no
// code page holds (Chinese, the ruble sign) is drawn with a real font (text-raster.ts) and sent as a
// raster image; a badge block is drawn at the paper's dot width by the one badge renderer and sent as
// raster bands, then cut. No I/O.
//   align 1B 1D 61 n · emphasis 1B 45 / 1B 46 · expansion 1B 69 h w · code page 1B 1D 74 n
//   feed n lines 1B 61 n · cut 1B 64 n (02 full, 03 partial, after feeding to the cutter)
//   QR 1B 1D 79 53 30 n (model) · 53 31 n (EC 0 L,1 M,2 Q,3 H) · 53 32 n (cell 1..8)
//      store 1B 1D 79 44 31 00 nL nH <data> · print 1B 1D 79 50
//   raster image 1B 1D 53 m=1 xL xH (bytes a row) yL yH (rows) n=0 (1-bit) <rows, MSB left, 1 black>
//   status ESC ACK SOH 1B 06 01 → ASB: header (byte count in bits 5,3,2,1), version, then status bytes.
import { badgeSidesFor, prepareBadgeBlock, type BadgeOutput } from '../badges/badge-output';
import { hex2 } from '../bytes';
import { DriverError } from '../errors';
import type { PrintDocument, PrinterStatus, TextAlign } from './document';
import { encodeSingleByte } from './codepages';
import type { PrinterErrorCode } from './printer';
import { plainSpaces, rasterizeText } from './text-raster';

export const ESC = 0x1b;
export const GS = 0x1d;
const bad = (detail: string) => new DriverError<PrinterErrorCode>('bad_document', detail);

/** Star code page numbers (ESC GS t n) the driver writes, with the encoding each stands for. */
export const STAR_CODE_PAGES = { 1: 'cp437', 32: 'windows-1252', 34: 'windows-1251' } as const;
export type StarCodePage = keyof typeof STAR_CODE_PAGES;
/** Model 2 byte-mode capacity at level L. */
export const STAR_QR_MAX_BYTES = 7089;
export type QrEc = 'L' | 'M' | 'Q' | 'H';
const EC_CODES: Record<QrEc, number> = { L: 0, M: 1, Q: 2, H: 3 };

const byteArg = (name: string, n: number, min: number, max: number) => {
  if (!Number.isInteger(n) || n < min || n > max) throw bad(`${name} ${n} is outside ${min}..${max}`);
  return n;
};

export const init = (): Buffer => Buffer.from([ESC, 0x40]);
export const align = (a: TextAlign): Buffer => Buffer.from([ESC, GS, 0x61, a === 'center' ? 1 : a === 'right' ? 2 : 0]);
export const emphasis = (on: boolean): Buffer => Buffer.from([ESC, on ? 0x45 : 0x46]);
/** ESC i n1 n2: height then width expansion, 0 = normal … 5 = 6x. */
export const expansion = (height: number, width: number): Buffer => Buffer.from([ESC, 0x69, byteArg('height', height, 0, 5), byteArg('width', width, 0, 5)]);
export const codePage = (n: number): Buffer => Buffer.from([ESC, GS, 0x74, byteArg('code page', n, 0, 255)]);
export const feedLines = (n: number): Buffer => Buffer.from([ESC, 0x61, byteArg('lines', n, 1, 127)]);
export const cut = (partial = false): Buffer => Buffer.from([ESC, 0x64, partial ? 3 : 2]);
export const statusRequest = (): Buffer => Buffer.from([ESC, 0x06, 0x01]);

export const qrModel = (model: 1 | 2 = 2): Buffer => Buffer.from([ESC, GS, 0x79, 0x53, 0x30, model]);
export const qrErrorCorrection = (level: QrEc): Buffer => Buffer.from([ESC, GS, 0x79, 0x53, 0x31, EC_CODES[level]]);
export const qrCellSize = (dots: number): Buffer => Buffer.from([ESC, GS, 0x79, 0x53, 0x32, byteArg('QR cell size', dots, 1, 8)]);
/** nL nH count the data's bytes (UTF-8 for a string). */
export function qrStore(data: string | Uint8Array): Buffer {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
  if (bytes.length === 0) throw bad('QR data is empty');
  if (bytes.length > STAR_QR_MAX_BYTES) throw bad(`QR data is ${bytes.length} bytes; max ${STAR_QR_MAX_BYTES}`);
  return Buffer.concat([Buffer.from([ESC, GS, 0x79, 0x44, 0x31, 0x00, bytes.length & 0xff, bytes.length >> 8]), bytes]);
}
export const qrPrint = (): Buffer => Buffer.from([ESC, GS, 0x79, 0x50]);

/** ESC GS S 1 xL xH yL yH 0 d…: a 1-bit raster image, `widthBytes` a row, `height` rows. */
export function rasterImage(widthBytes: number, height: number, data: Uint8Array): Buffer {
  byteArg('raster width', widthBytes, 1, 0xffff);
  byteArg('raster height', height, 1, 0xffff);
  if (data.length !== widthBytes * height) throw bad(`raster data is ${data.length} bytes, expected ${widthBytes * height}`);
  return Buffer.concat([Buffer.from([ESC, GS, 0x53, 0x01, widthBytes & 0xff, widthBytes >> 8, height & 0xff, height >> 8, 0x00]), Buffer.from(data)]);
}
/** Refuse raster headers that promise more than any ticket could hold (the parser would wait forever). */
const MAX_RASTER_BYTES = 1 << 20;

export function qrCode(data: string | Uint8Array, cellSize = 6, level: QrEc = 'M'): Buffer {
  return Buffer.concat([qrModel(2), qrErrorCorrection(level), qrCellSize(cellSize), qrStore(data), qrPrint()]);
}

/** Text in the first code page that holds every character (ASCII needs none); null when none does. */
export function encodeText(text: string): { page: StarCodePage; bytes: Buffer } | null {
  const clean = [...plainSpaces(text)].map((ch) => (ch.charCodeAt(0) < 0x20 || ch === '\u007f' ? ' ' : ch)).join('');
  for (const page of [1, 32, 34] as const) {
    const label = STAR_CODE_PAGES[page];
    const bytes = label === 'cp437' ? (/^[\u0020-\u007e]*$/.test(clean) ? Buffer.from(clean, 'latin1') : null) : encodeSingleByte(clean, label);
    if (bytes) return { page, bytes };
  }
  return null;
}

export interface StarRenderOptions {
  /** Characters per line in the 12x24 font (48 on 80 mm paper). */
  width?: number;
  autoCut?: boolean;
  partialCut?: boolean;
  defaultQrCellSize?: number;
  /** Printable dots across the paper for badges (576 on 80 mm paper, 384 on 58 mm; default width x 12). */
  paperWidthDots?: number;
}

/** What a Star printer is sent for a badge: the badge scaled to the paper's dot width, 1 bit. */
export const starBadgeOutput = (options: StarRenderOptions = {}): BadgeOutput => ({ kind: 'roll', widthDots: options.paperWidthDots ?? (options.width ?? 48) * 12 });

/** The bytes for a PrintDocument; throws a 'bad_document' DriverError before anything is sent. */
export function renderDocument(doc: PrintDocument, options: StarRenderOptions = {}): Buffer {
  const width = options.width ?? 48;
  const out: Buffer[] = [init()];
  let page: StarCodePage | null = null;
  const setPage = (p: StarCodePage) => {
    if (p !== page) out.push(codePage(p));
    page = p;
  };
  doc.blocks.forEach((b, i) => {
    switch (b.type) {
      case 'text': {
        const t = encodeText(b.text);
        if (!t) {
          // The image spans the paper and carries its own alignment.
          const image = rasterizeText(plainSpaces(b.text), { widthDots: width * 12, align: b.align, bold: b.bold, size: b.size });
          out.push(align('left'), rasterImage(image.widthBytes, image.height, image.data));
          break;
        }
        setPage(t.page);
        const big = b.size === 2 ? 1 : 0;
        out.push(align(b.align ?? 'left'), emphasis(b.bold ?? false), expansion(big, big), t.bytes, Buffer.from([0x0a]));
        if (big) out.push(expansion(0, 0));
        if (b.bold) out.push(emphasis(false));
        break;
      }
      case 'qr': {
        if (!b.data) throw bad(`block ${i}: QR data is empty`);
        const cell = b.moduleSize ?? options.defaultQrCellSize ?? 6;
        if (!Number.isInteger(cell) || cell < 1 || cell > 8) throw bad(`block ${i}: QR cell size ${cell} is outside 1..8 (Star line mode)`);
        out.push(align(b.align ?? 'center'), qrCode(b.data, cell));
        break;
      }
      case 'feed': {
        const n = Math.max(0, Math.min(127, Math.floor(b.lines)));
        if (n > 0) out.push(feedLines(n));
        break;
      }
      case 'rule':
        out.push(align('left'), Buffer.from('-'.repeat(width) + '\n', 'latin1'));
        break;
      case 'cut':
        out.push(cut(options.partialCut ?? false));
        break;
      case 'badge': {
        // Each side as raster bands of at most 256 rows, the paper's width, then a cut.
        for (const side of badgeSidesFor(starBadgeOutput(options), prepareBadgeBlock(b, `block ${i}`))) {
          const { widthBytes, data } = side.mono!.pack('black');
          out.push(align('left'));
          for (let y = 0; y < side.height; y += 256) {
            const h = Math.min(256, side.height - y);
            out.push(rasterImage(widthBytes, h, data.subarray(y * widthBytes, (y + h) * widthBytes)));
          }
          out.push(cut(options.partialCut ?? false));
        }
        break;
      }
    }
  });
  const last = doc.blocks.at(-1)?.type;
  if ((options.autoCut ?? true) && last !== 'cut' && last !== 'badge') out.push(cut(options.partialCut ?? false));
  return Buffer.concat(out);
}

// ---- Parser ----

export type StarCommand = { raw: Buffer } & (
  | { op: 'init' }
  | { op: 'text'; bytes: Buffer }
  | { op: 'lf' }
  | { op: 'cr' }
  | { op: 'align'; value: 0 | 1 | 2 }
  | { op: 'bold'; on: boolean }
  | { op: 'expansion'; height: number; width: number }
  | { op: 'code_page'; table: number }
  | { op: 'feed_lines'; lines: number }
  | { op: 'qr_model'; model: number }
  | { op: 'qr_ec'; level: QrEc }
  | { op: 'qr_cell'; dots: number }
  | { op: 'qr_store'; data: Buffer }
  | { op: 'qr_print' }
  | { op: 'raster'; widthBytes: number; height: number; data: Buffer }
  | { op: 'cut'; partial: boolean }
  | { op: 'status_request' }
  | { op: 'ignored'; name: string }
  | { op: 'unknown'; reason: string }
);

type Step = { cmd: StarCommand; len: number } | 'more';
const isText = (b: number) => (b >= 0x20 && b !== 0x7f) || b >= 0x80;

// ESC commands with fixed argument counts that the simulator accepts without rendering.
const ESC_IGNORED: Record<number, [number, string]> = {
  0x2d: [1, 'underline'],
  0x5f: [1, 'upperline'],
  0x34: [0, 'inverse on'],
  0x35: [0, 'inverse off'],
  0x57: [1, 'double width'],
  0x68: [1, 'double height'],
  0x52: [1, 'international character set'],
  0x4d: [0, '12-dot pitch'],
  0x50: [0, '15-dot pitch'],
  0x3a: [0, '16-dot pitch'],
  0x6c: [1, 'left margin'],
  0x51: [1, 'right margin'],
  0x30: [0, '1/8 inch line feed'],
  0x7a: [1, 'line spacing'],
  0x4a: [1, 'feed dots'],
  0x07: [2, 'buzzer / drawer pulse'],
};

/** Streaming, like the printer's firmware: a command split across chunks waits; nothing throws. */
export class StarParser {
  #buf: Buffer = Buffer.alloc(0);

  push(chunk: Uint8Array): StarCommand[] {
    this.#buf = this.#buf.length ? Buffer.concat([this.#buf, chunk]) : Buffer.from(chunk);
    const out: StarCommand[] = [];
    let pos = 0;
    while (pos < this.#buf.length) {
      const step = this.#step(pos);
      if (step === 'more') break;
      out.push(step.cmd);
      pos += step.len;
    }
    this.#buf = this.#buf.subarray(pos);
    return out;
  }

  end(): StarCommand[] {
    if (this.#buf.length === 0) return [];
    const raw = Buffer.from(this.#buf);
    this.#buf = Buffer.alloc(0);
    return [{ op: 'unknown', reason: `truncated command at end of stream (${raw.length} bytes)`, raw }];
  }

  #step(pos: number): Step {
    const b = this.#buf;
    const avail = b.length - pos;
    const raw = (n: number) => Buffer.from(b.subarray(pos, pos + n));
    const at = (i: number) => b[pos + i]!;
    const c0 = at(0);
    if (isText(c0)) {
      let end = pos;
      while (end < b.length && isText(b[end]!)) end++;
      const bytes = raw(end - pos);
      return { cmd: { op: 'text', bytes, raw: bytes }, len: end - pos };
    }
    if (c0 === 0x0a) return { cmd: { op: 'lf', raw: raw(1) }, len: 1 };
    if (c0 === 0x0d) return { cmd: { op: 'cr', raw: raw(1) }, len: 1 };
    if (c0 === 0x0e || c0 === 0x14 || c0 === 0x0f || c0 === 0x12) return { cmd: { op: 'ignored', name: 'expansion control', raw: raw(1) }, len: 1 };
    if (c0 !== ESC) return { cmd: { op: 'unknown', reason: `stray control byte 0x${hex2(c0)}`, raw: raw(1) }, len: 1 };
    if (avail < 2) return 'more';
    const c1 = at(1);
    const fixed = (n: number, make: () => StarCommand): Step => (avail >= n ? { cmd: make(), len: n } : 'more');
    switch (c1) {
      case 0x40:
        return fixed(2, () => ({ op: 'init', raw: raw(2) }));
      case 0x45:
        return fixed(2, () => ({ op: 'bold', on: true, raw: raw(2) }));
      case 0x46:
        return fixed(2, () => ({ op: 'bold', on: false, raw: raw(2) }));
      case 0x69:
        return fixed(4, () => {
          const h = at(2);
          const w = at(3);
          return h <= 5 && w <= 5 ? { op: 'expansion', height: h, width: w, raw: raw(4) } : { op: 'unknown', reason: `expansion ${h},${w} outside 0..5`, raw: raw(4) };
        });
      case 0x61:
        return fixed(3, () => ({ op: 'feed_lines', lines: at(2), raw: raw(3) }));
      case 0x64:
        return fixed(3, () => {
          const n = at(2);
          return n <= 3 || (n >= 0x30 && n <= 0x33) ? { op: 'cut', partial: (n & 1) === 1, raw: raw(3) } : { op: 'unknown', reason: `cut with n=${n}`, raw: raw(3) };
        });
      case 0x06:
        return fixed(3, () => (at(2) === 0x01 ? { op: 'status_request', raw: raw(3) } : { op: 'unknown', reason: `ESC ACK ${hex2(at(2))}`, raw: raw(3) }));
      case 0x1e:
        return fixed(4, () => ({ op: 'ignored', name: 'ESC RS command', raw: raw(4) }));
      case GS:
        return this.#escGs(pos, avail);
    }
    const ig = ESC_IGNORED[c1];
    if (ig) return fixed(2 + ig[0], () => ({ op: 'ignored', name: ig[1], raw: raw(2 + ig[0]) }));
    return { cmd: { op: 'unknown', reason: `unknown ESC ${hex2(c1)}`, raw: raw(2) }, len: 2 };
  }

  #escGs(pos: number, avail: number): Step {
    const b = this.#buf;
    const raw = (n: number) => Buffer.from(b.subarray(pos, pos + n));
    const at = (i: number) => b[pos + i]!;
    if (avail < 3) return 'more';
    const c2 = at(2);
    const fixed = (n: number, make: () => StarCommand): Step => (avail >= n ? { cmd: make(), len: n } : 'more');
    if (c2 === 0x61) {
      return fixed(4, () => {
        const n = at(3);
        const v = n === 0 || n === 0x30 ? 0 : n === 1 || n === 0x31 ? 1 : n === 2 || n === 0x32 ? 2 : -1;
        return v < 0 ? { op: 'unknown', reason: `alignment ${n}`, raw: raw(4) } : { op: 'align', value: v as 0 | 1 | 2, raw: raw(4) };
      });
    }
    if (c2 === 0x74) return fixed(4, () => ({ op: 'code_page', table: at(3), raw: raw(4) }));
    if (c2 === 0x53) {
      if (avail < 9) return 'more';
      const widthBytes = at(4) | (at(5) << 8);
      const height = at(6) | (at(7) << 8);
      const size = widthBytes * height;
      if (at(3) !== 1 || at(8) !== 0 || size === 0 || size > MAX_RASTER_BYTES) {
        return { cmd: { op: 'unknown', reason: `raster image m=${at(3)} ${widthBytes}x${height} n=${at(8)}`, raw: raw(9) }, len: 9 };
      }
      if (avail < 9 + size) return 'more';
      return { cmd: { op: 'raster', widthBytes, height, data: Buffer.from(b.subarray(pos + 9, pos + 9 + size)), raw: raw(9 + size) }, len: 9 + size };
    }
    if (c2 !== 0x79) return { cmd: { op: 'unknown', reason: `unknown ESC GS ${hex2(c2)}`, raw: raw(3) }, len: 3 };
    if (avail < 4) return 'more';
    const fn = at(3);
    if (fn === 0x50) return { cmd: { op: 'qr_print', raw: raw(4) }, len: 4 };
    if (fn === 0x53) {
      return fixed(6, () => {
        const sub = at(4);
        const n = at(5);
        if (sub === 0x30) return n === 1 || n === 2 ? { op: 'qr_model', model: n, raw: raw(6) } : { op: 'unknown', reason: `QR model ${n}`, raw: raw(6) };
        if (sub === 0x31) {
          const level = (['L', 'M', 'Q', 'H'] as const)[n];
          return level ? { op: 'qr_ec', level, raw: raw(6) } : { op: 'unknown', reason: `QR error correction ${n}`, raw: raw(6) };
        }
        if (sub === 0x32) return n >= 1 && n <= 8 ? { op: 'qr_cell', dots: n, raw: raw(6) } : { op: 'unknown', reason: `QR cell size ${n} outside 1..8`, raw: raw(6) };
        return { op: 'unknown', reason: `QR setting ${hex2(sub)}`, raw: raw(6) };
      });
    }
    if (fn === 0x44) {
      if (avail < 8) return 'more';
      if (at(4) !== 0x31 || at(5) !== 0x00) return { cmd: { op: 'unknown', reason: `QR store mode ${hex2(at(4))} ${hex2(at(5))}`, raw: raw(6) }, len: 6 };
      const n = at(6) | (at(7) << 8);
      if (n === 0 || n > STAR_QR_MAX_BYTES) return { cmd: { op: 'unknown', reason: `implausible QR data length ${n}`, raw: raw(8) }, len: 8 };
      if (avail < 8 + n) return 'more';
      return { cmd: { op: 'qr_store', data: Buffer.from(b.subarray(pos + 8, pos + 8 + n)), raw: raw(8 + n) }, len: 8 + n };
    }
    return { cmd: { op: 'unknown', reason: `unknown QR function ${hex2(fn)}`, raw: raw(4) }, len: 4 };
  }
}

// ---- Automatic status (ASB), the reply to ESC ACK SOH ----

/** Bytes in an ASB reply, from its header byte (bits 5,3,2,1 = 8,4,2,1). */
export const asbLength = (header: number): number => ((header & 0x20) >> 2) | ((header & 0x0e) >> 1);
const isAsbHeader = (h: number) => (h & 0x91) === 0x01 && asbLength(h) >= 7;

/** Frame function for the transport: the whole ASB once its header has said how long it is. */
export function asbFrame(rx: Buffer): number | null {
  if (rx.length === 0) return null;
  if (!isAsbHeader(rx[0]!)) throw new Error(`0x${hex2(rx[0]!)} is not an ASB header`);
  const n = asbLength(rx[0]!);
  return rx.length >= n ? n : null;
}

export interface StarState {
  paper: 'ok' | 'near_end' | 'out';
  coverOpen: boolean;
  /** Cutter or mechanical error: the printer stops (offline). */
  error: boolean;
}

/** Device side: a 9-byte ASB (TSP100-class) for `state`. */
export function encodeAsb(state: StarState): Buffer {
  const offline = state.coverOpen || state.paper === 'out' || state.error;
  return Buffer.from([
    0x23, // 9 bytes
    0x04, // version
    (state.coverOpen ? 0x20 : 0) | (offline ? 0x08 : 0),
    state.error ? 0x08 : 0, // auto-cutter error
    0x00,
    (state.paper === 'out' ? 0x08 : 0) | (state.paper !== 'ok' ? 0x04 : 0),
    0x00,
    0x00,
    0x00,
  ]);
}

export function decodeAsb(reply: Uint8Array): PrinterStatus {
  const h = reply[0];
  if (h === undefined || !isAsbHeader(h)) throw new DriverError<PrinterErrorCode>('bad_reply', `ASB header 0x${hex2(h ?? 0)} is invalid`);
  if (reply.length < asbLength(h)) throw new DriverError<PrinterErrorCode>('bad_reply', `ASB is ${reply.length} bytes, header says ${asbLength(h)}`);
  for (let i = 1; i < asbLength(h); i++) {
    if ((reply[i]! & 0x91) !== 0) throw new DriverError<PrinterErrorCode>('bad_reply', `ASB byte ${i + 1} 0x${hex2(reply[i]!)} has fixed bits set`);
  }
  const b3 = reply[2]!;
  const b4 = reply[3]!;
  const b5 = reply[4]!;
  const b6 = reply[5]!;
  const paperOut = (b6 & 0x08) !== 0;
  return {
    online: (b3 & 0x08) === 0,
    coverOpen: (b3 & 0x20) !== 0 || (b5 & 0x02) !== 0,
    paperOut,
    paperNearEnd: !paperOut && (b6 & 0x06) !== 0,
    // High head temperature, non-recoverable, auto-cutter and mechanical errors.
    error: (b4 & 0x6c) !== 0,
  };
}
