// Owns ESC/POS bytes for the Epson-compatible ticket printers: the commands the driver sends beyond
// what node-thermal-printer does right (QR with a byte-counted length, raster, feed, cut) and the
// DLE EOT real-time status protocol, in both directions (the simulator answers with the same module).
// Pure: no I/O.
import type { PrinterStatus } from './document';

export const ESC = 0x1b;
export const GS = 0x1d;
export const DLE = 0x10;
export const EOT = 0x04;
export const LF = 0x0a;

export class EscPosError extends Error {
  constructor(
    readonly code: 'qr_too_long' | 'bad_argument' | 'bad_status_reply',
    readonly detail: string,
  ) {
    super(`${code}: ${detail}`);
    this.name = 'EscPosError';
  }
}

function byteArg(name: string, n: number, min = 0, max = 255): number {
  if (!Number.isInteger(n) || n < min || n > max) throw new EscPosError('bad_argument', `${name} ${n} is outside ${min}..${max}`);
  return n;
}

export const init = (): Buffer => Buffer.from([ESC, 0x40]);
export const align = (a: 'left' | 'center' | 'right'): Buffer =>
  Buffer.from([ESC, 0x61, a === 'center' ? 1 : a === 'right' ? 2 : 0]);
export const bold = (on: boolean): Buffer => Buffer.from([ESC, 0x45, on ? 1 : 0]);
/** GS ! n: width multiplier in the high nibble, height in the low one (1..8 each). */
export const textSize = (width: number, height: number): Buffer =>
  Buffer.from([GS, 0x21, ((byteArg('width', width, 1, 8) - 1) << 4) | (byteArg('height', height, 1, 8) - 1)]);
export const codePage = (n: number): Buffer => Buffer.from([ESC, 0x74, byteArg('code page', n)]);
/** ESC d n: print the line buffer and feed n lines. */
export const feedLines = (n: number): Buffer => Buffer.from([ESC, 0x64, byteArg('lines', n)]);
export const cut = (partial = false): Buffer => Buffer.from([GS, 0x56, partial ? 1 : 0]);
/** GS V 65 n: feed n dots to the cutter, then cut; keeps the last line clear of the blade. */
export const feedAndCut = (dots: number): Buffer => Buffer.from([GS, 0x56, 0x41, byteArg('dots', dots)]);

// ---- QR code (GS ( k, cn = 49) ----

export type QrErrorCorrection = 'L' | 'M' | 'Q' | 'H';
/** Byte-mode capacity of a version 40 symbol at level L; a printer rejects more. */
export const QR_MAX_BYTES = 2953;

const qrFn = (fn: number, ...params: number[]): Buffer => {
  const len = 2 + params.length; // cn + fn + params
  return Buffer.from([GS, 0x28, 0x6b, len & 0xff, len >> 8, 0x31, fn, ...params]);
};
export const qrModel2 = (): Buffer => qrFn(0x41, 0x32, 0x00);
export const qrModuleSize = (dots: number): Buffer => qrFn(0x43, byteArg('module size', dots, 1, 16));
export const qrErrorCorrection = (level: QrErrorCorrection): Buffer => qrFn(0x45, 0x30 + 'LMQH'.indexOf(level));
export const qrPrint = (): Buffer => qrFn(0x51, 0x30);

/**
 * Store QR data. pL/pH count the data's UTF-8 *bytes* + 3 (cn, fn, m). node-thermal-printer counts
 * UTF-16 characters instead, so any non-ASCII payload desynchronises the printer's parser: the
 * symbol loses its tail and the rest is printed as garbage text.
 */
export function qrStore(data: string | Uint8Array): Buffer {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
  if (bytes.length === 0) throw new EscPosError('bad_argument', 'QR data is empty');
  if (bytes.length > QR_MAX_BYTES) throw new EscPosError('qr_too_long', `QR data is ${bytes.length} bytes; max ${QR_MAX_BYTES}`);
  const len = bytes.length + 3;
  return Buffer.concat([Buffer.from([GS, 0x28, 0x6b, len & 0xff, len >> 8, 0x31, 0x50, 0x30]), bytes]);
}

export interface QrOptions {
  moduleSize?: number;
  errorCorrection?: QrErrorCorrection;
}
/** The full sequence: model 2, module size, error correction, store, print. */
export function qrCode(data: string | Uint8Array, options: QrOptions = {}): Buffer {
  return Buffer.concat([
    qrModel2(),
    qrModuleSize(options.moduleSize ?? 6),
    qrErrorCorrection(options.errorCorrection ?? 'M'),
    qrStore(data),
    qrPrint(),
  ]);
}

// ---- Raster bit image (GS v 0) ----

/** `rows` of 1-bit pixels, MSB leftmost, 1 = black; widthBytes per row. */
export function rasterImage(widthBytes: number, height: number, data: Uint8Array, mode = 0): Buffer {
  byteArg('raster width', widthBytes, 1, 0xffff);
  byteArg('raster height', height, 1, 0xffff);
  if (data.length !== widthBytes * height) {
    throw new EscPosError('bad_argument', `raster data is ${data.length} bytes, expected ${widthBytes * height}`);
  }
  return Buffer.concat([
    Buffer.from([GS, 0x76, 0x30, byteArg('mode', mode, 0, 3), widthBytes & 0xff, widthBytes >> 8, height & 0xff, height >> 8]),
    Buffer.from(data),
  ]);
}

// ---- Real-time status (DLE EOT n) ----

export type StatusKind = 1 | 2 | 4;
export const STATUS_KINDS: readonly StatusKind[] = [1, 2, 4];
export const statusRequest = (n: StatusKind): Buffer => Buffer.from([DLE, EOT, n]);

/** Bits 1 and 4 are always set and bits 0 and 7 always clear in a DLE EOT reply. */
const FIXED_MASK = 0x93;
const FIXED_VALUE = 0x12;

export const isStatusReply = (b: number): boolean => (b & FIXED_MASK) === FIXED_VALUE;

export interface StatusReplies {
  1: number;
  2: number;
  4: number;
}

export function decodeStatus(replies: StatusReplies): PrinterStatus {
  for (const n of STATUS_KINDS) {
    const b = replies[n];
    if (!isStatusReply(b)) {
      throw new EscPosError('bad_status_reply', `reply 0x${b.toString(16).padStart(2, '0')} to DLE EOT ${n} lacks the fixed bits`);
    }
  }
  const paperOut = (replies[2] & 0x20) !== 0 || (replies[4] & 0x60) !== 0;
  return {
    online: (replies[1] & 0x08) === 0,
    coverOpen: (replies[2] & 0x04) !== 0,
    paperOut,
    // A printer that is out of paper also reports near end; "near end" is only news while paper is left.
    paperNearEnd: !paperOut && (replies[4] & 0x0c) !== 0,
    error: (replies[2] & 0x40) !== 0,
  };
}

export interface PrinterState {
  paper: 'ok' | 'near_end' | 'out';
  coverOpen: boolean;
  error: boolean;
}

/** Device side: the byte a printer in `state` answers to DLE EOT n. */
export function encodeStatusReply(n: StatusKind, state: PrinterState): number {
  const offline = state.coverOpen || state.paper === 'out' || state.error;
  switch (n) {
    case 1:
      return FIXED_VALUE | (offline ? 0x08 : 0);
    case 2:
      return FIXED_VALUE | (state.coverOpen ? 0x04 : 0) | (state.paper === 'out' ? 0x20 : 0) | (state.error ? 0x40 : 0);
    case 4:
      return FIXED_VALUE | (state.paper !== 'ok' ? 0x0c : 0) | (state.paper === 'out' ? 0x60 : 0);
  }
}

/** Device side: GS r 1 (what node-thermal-printer's getStatus asks): 0x03 near end, 0x0C end. */
export function encodePaperSensorReply(state: PrinterState): number {
  return (state.paper !== 'ok' ? 0x03 : 0) | (state.paper === 'out' ? 0x0c : 0);
}
