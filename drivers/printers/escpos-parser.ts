// Owns reading an ESC/POS byte stream back into commands, as a printer's firmware does. The printer
// simulator renders from these; tests use them to check what a driver really sent. Pure and
// streaming: a command split across TCP chunks waits for its tail, and no byte sequence throws.
import { hex2 } from '../bytes';

export type EscPosCommand = { raw: Buffer } & (
  | { op: 'init' }
  | { op: 'text'; bytes: Buffer }
  | { op: 'lf' }
  | { op: 'cr' }
  | { op: 'ht' }
  | { op: 'align'; value: 0 | 1 | 2 }
  | { op: 'bold'; on: boolean }
  | { op: 'mode'; bold: boolean; doubleWidth: boolean; doubleHeight: boolean }
  | { op: 'size'; width: number; height: number }
  | { op: 'code_page'; table: number }
  | { op: 'feed_lines'; lines: number }
  | { op: 'feed_dots'; dots: number }
  | { op: 'line_spacing'; dots: number | null }
  | { op: 'qr_model'; model: number }
  | { op: 'qr_size'; dots: number }
  | { op: 'qr_ec'; level: 'L' | 'M' | 'Q' | 'H' }
  | { op: 'qr_store'; data: Buffer }
  | { op: 'qr_print' }
  | { op: 'raster'; mode: number; widthBytes: number; height: number; data: Buffer }
  | { op: 'cut'; partial: boolean }
  | { op: 'status_request'; n: number }
  | { op: 'paper_sensor_request'; n: number }
  /** A valid command this printer accepts but does not render (underline, beep, drawer, barcodes…). */
  | { op: 'ignored'; name: string }
  /** Bytes that are not a command: recorded by the simulator as a job error. */
  | { op: 'unknown'; reason: string }
);

/** Refuse raster headers that promise more data than any ticket could hold. */
export const MAX_RASTER_BYTES = 4 * 1024 * 1024;

type Step = { cmd: EscPosCommand; len: number } | 'more';

const isText = (b: number) => (b >= 0x20 && b !== 0x7f) || b >= 0x80;

// ESC commands with a fixed number of argument bytes that the renderer does not act on.
const ESC_IGNORED: Record<number, [number, string]> = {
  0x2d: [1, 'underline'],
  0x52: [1, 'international character set'],
  0x4d: [1, 'font'],
  0x7b: [1, 'upside down'],
  0x56: [1, 'rotate'],
  0x42: [2, 'beep'],
  0x70: [3, 'cash drawer'],
  0x3d: [1, 'select peripheral'],
  0x20: [1, 'right character spacing'],
  0x24: [2, 'absolute position'],
  0x5c: [2, 'relative position'],
  0x63: [2, 'panel / sensor setting'],
  0x72: [1, 'colour'],
  0x25: [1, 'user-defined character set'],
  0x55: [1, 'unidirectional printing'],
};
const GS_IGNORED: Record<number, [number, string]> = {
  0x42: [1, 'reverse'],
  0x48: [1, 'barcode HRI position'],
  0x66: [1, 'barcode HRI font'],
  0x68: [1, 'barcode height'],
  0x77: [1, 'barcode width'],
  0x4c: [2, 'left margin'],
  0x57: [2, 'print area width'],
  0x61: [1, 'automatic status back'],
  0x49: [1, 'printer id'],
  0x62: [1, 'smoothing'],
};

export class EscPosParser {
  #buf: Buffer = Buffer.alloc(0);

  push(chunk: Uint8Array): EscPosCommand[] {
    this.#buf = this.#buf.length ? Buffer.concat([this.#buf, chunk]) : Buffer.from(chunk);
    const out: EscPosCommand[] = [];
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

  /** Bytes of a command still waiting for its tail. */
  get pending(): number {
    return this.#buf.length;
  }

  /** End of stream: whatever is left was a truncated command. */
  end(): EscPosCommand[] {
    if (this.#buf.length === 0) return [];
    const raw = Buffer.from(this.#buf);
    this.#buf = Buffer.alloc(0);
    return [{ op: 'unknown', reason: `truncated command at end of stream (${raw.length} bytes)`, raw }];
  }

  #step(pos: number): Step {
    const b = this.#buf;
    const avail = b.length - pos;
    const c0 = b[pos]!;
    const need = (n: number) => avail >= n;
    const raw = (n: number) => Buffer.from(b.subarray(pos, pos + n));
    const at = (i: number) => b[pos + i]!;
    const fixed = (n: number, make: () => EscPosCommand): Step => (need(n) ? { cmd: make(), len: n } : 'more');

    if (isText(c0)) {
      let end = pos;
      while (end < b.length && isText(b[end]!)) end++;
      const bytes = raw(end - pos);
      return { cmd: { op: 'text', bytes, raw: bytes }, len: end - pos };
    }
    switch (c0) {
      case 0x0a:
        return { cmd: { op: 'lf', raw: raw(1) }, len: 1 };
      case 0x0d:
        return { cmd: { op: 'cr', raw: raw(1) }, len: 1 };
      case 0x09:
        return { cmd: { op: 'ht', raw: raw(1) }, len: 1 };
      case 0x10:
        return this.#dle(pos, avail);
      case 0x1b:
        if (!need(2)) return 'more';
        return this.#esc(at(1), pos, avail);
      case 0x1d:
        if (!need(2)) return 'more';
        return this.#gs(at(1), pos, avail);
      case 0x1c:
        if (!need(2)) return 'more';
        if (at(1) === 0x26 || at(1) === 0x2e) return fixed(2, () => ({ op: 'ignored', name: 'kanji mode', raw: raw(2) }));
        if (at(1) === 0x21 || at(1) === 0x43) return fixed(3, () => ({ op: 'ignored', name: 'kanji setting', raw: raw(3) }));
        return { cmd: { op: 'unknown', reason: `unknown FS ${hex2(at(1))}`, raw: raw(2) }, len: 2 };
      default:
        return { cmd: { op: 'unknown', reason: `stray control byte 0x${hex2(c0)}`, raw: raw(1) }, len: 1 };
    }
  }

  #dle(pos: number, avail: number): Step {
    const b = this.#buf;
    if (avail < 2) return 'more';
    const c1 = b[pos + 1]!;
    if (c1 === 0x04 || c1 === 0x05) {
      if (avail < 3) return 'more';
      const n = b[pos + 2]!;
      const raw = Buffer.from(b.subarray(pos, pos + 3));
      if (c1 === 0x04) {
        if (n === 1 || n === 2 || n === 3 || n === 4) return { cmd: { op: 'status_request', n, raw }, len: 3 };
        return { cmd: { op: 'unknown', reason: `DLE EOT with n=${n}`, raw }, len: 3 };
      }
      return { cmd: { op: 'ignored', name: 'real-time request', raw }, len: 3 };
    }
    if (c1 === 0x14) {
      if (avail < 5) return 'more';
      return { cmd: { op: 'ignored', name: 'real-time pulse', raw: Buffer.from(b.subarray(pos, pos + 5)) }, len: 5 };
    }
    return { cmd: { op: 'unknown', reason: 'stray control byte 0x10', raw: Buffer.from(b.subarray(pos, pos + 1)) }, len: 1 };
  }

  #esc(c1: number, pos: number, avail: number): Step {
    const b = this.#buf;
    const raw = (n: number) => Buffer.from(b.subarray(pos, pos + n));
    const arg = (i: number) => b[pos + 2 + i]!;
    const fixed = (args: number, make: () => EscPosCommand): Step => (avail >= 2 + args ? { cmd: make(), len: 2 + args } : 'more');
    switch (c1) {
      case 0x40:
        return fixed(0, () => ({ op: 'init', raw: raw(2) }));
      case 0x21:
        return fixed(1, () => {
          const n = arg(0);
          return { op: 'mode', bold: (n & 0x08) !== 0, doubleHeight: (n & 0x10) !== 0, doubleWidth: (n & 0x20) !== 0, raw: raw(3) };
        });
      case 0x45:
      case 0x47: // double-strike prints like emphasis on a thermal head
        return fixed(1, () => ({ op: 'bold', on: (arg(0) & 1) === 1, raw: raw(3) }));
      case 0x61:
        return fixed(1, () => {
          const n = arg(0);
          const v = n === 1 || n === 0x31 ? 1 : n === 2 || n === 0x32 ? 2 : 0;
          return { op: 'align', value: v, raw: raw(3) };
        });
      case 0x74:
        return fixed(1, () => ({ op: 'code_page', table: arg(0), raw: raw(3) }));
      case 0x64:
        return fixed(1, () => ({ op: 'feed_lines', lines: arg(0), raw: raw(3) }));
      case 0x4a:
        return fixed(1, () => ({ op: 'feed_dots', dots: arg(0), raw: raw(3) }));
      case 0x32:
        return fixed(0, () => ({ op: 'line_spacing', dots: null, raw: raw(2) }));
      case 0x33:
        return fixed(1, () => ({ op: 'line_spacing', dots: arg(0), raw: raw(3) }));
      case 0x44: {
        // Tab stops: up to 32 bytes ended by NUL.
        for (let i = 2; i < Math.min(avail, 2 + 33); i++) {
          if (b[pos + i] === 0) return { cmd: { op: 'ignored', name: 'tab stops', raw: raw(i + 1) }, len: i + 1 };
        }
        if (avail >= 2 + 33) return { cmd: { op: 'unknown', reason: 'ESC D without NUL', raw: raw(2) }, len: 2 };
        return 'more';
      }
      case 0x2a: {
        // Bit image: m nL nH, then columns of 1 (m 0/1) or 3 (m 32/33) bytes.
        if (avail < 5) return 'more';
        const m = arg(0);
        const cols = arg(1) | (arg(2) << 8);
        const len = 5 + cols * (m >= 32 ? 3 : 1);
        return avail >= len ? { cmd: { op: 'ignored', name: 'bit image', raw: raw(len) }, len } : 'more';
      }
    }
    const ignored = ESC_IGNORED[c1];
    if (ignored) return fixed(ignored[0], () => ({ op: 'ignored', name: ignored[1], raw: raw(2 + ignored[0]) }));
    return { cmd: { op: 'unknown', reason: `unknown ESC ${hex2(c1)}`, raw: raw(2) }, len: 2 };
  }

  #gs(c1: number, pos: number, avail: number): Step {
    const b = this.#buf;
    const raw = (n: number) => Buffer.from(b.subarray(pos, pos + n));
    const arg = (i: number) => b[pos + 2 + i]!;
    const fixed = (args: number, make: () => EscPosCommand): Step => (avail >= 2 + args ? { cmd: make(), len: 2 + args } : 'more');
    switch (c1) {
      case 0x21:
        return fixed(1, () => ({ op: 'size', width: (arg(0) >> 4) + 1, height: (arg(0) & 0x0f) + 1, raw: raw(3) }));
      case 0x56: {
        if (avail < 3) return 'more';
        const m = arg(0);
        if (m === 0 || m === 1 || m === 0x30 || m === 0x31) return { cmd: { op: 'cut', partial: m === 1 || m === 0x31, raw: raw(3) }, len: 3 };
        if (m === 0x41 || m === 0x42) return fixed(2, () => ({ op: 'cut', partial: m === 0x42, raw: raw(4) }));
        return { cmd: { op: 'unknown', reason: `GS V with m=${m}`, raw: raw(3) }, len: 3 };
      }
      case 0x72:
        return fixed(1, () => ({ op: 'paper_sensor_request', n: arg(0), raw: raw(3) }));
      case 0x76: {
        if (avail < 3) return 'more';
        if (arg(0) !== 0x30) return { cmd: { op: 'unknown', reason: `GS v ${hex2(arg(0))}`, raw: raw(3) }, len: 3 };
        if (avail < 8) return 'more';
        const mode = arg(1);
        const widthBytes = arg(2) | (arg(3) << 8);
        const height = arg(4) | (arg(5) << 8);
        const size = widthBytes * height;
        const modeOk = mode <= 3 || (mode >= 0x30 && mode <= 0x33);
        if (size === 0 || size > MAX_RASTER_BYTES || !modeOk) {
          return { cmd: { op: 'unknown', reason: `implausible raster header ${widthBytes}x${height} mode ${mode}`, raw: raw(8) }, len: 8 };
        }
        if (avail < 8 + size) return 'more';
        return {
          cmd: { op: 'raster', mode: mode & 3, widthBytes, height, data: Buffer.from(b.subarray(pos + 8, pos + 8 + size)), raw: raw(8 + size) },
          len: 8 + size,
        };
      }
      case 0x28: {
        // GS ( x pL pH <payload>: one framing for a family of commands.
        if (avail < 5) return 'more';
        const x = arg(0);
        const plen = arg(1) | (arg(2) << 8);
        const len = 5 + plen;
        if (avail < len) return 'more';
        const payload = b.subarray(pos + 5, pos + len);
        return { cmd: x === 0x6b ? this.#symbol(payload, raw(len)) : { op: 'ignored', name: `GS ( ${String.fromCharCode(x)}`, raw: raw(len) }, len };
      }
      case 0x6b: {
        // Barcode: m 0..6 data NUL, or m 65..73 n data.
        if (avail < 3) return 'more';
        const m = arg(0);
        if (m <= 6) {
          for (let i = 3; i < avail; i++) if (b[pos + i] === 0) return { cmd: { op: 'ignored', name: 'barcode', raw: raw(i + 1) }, len: i + 1 };
          return avail > 3 + 255 ? { cmd: { op: 'unknown', reason: 'barcode without NUL', raw: raw(3) }, len: 3 } : 'more';
        }
        if (avail < 4) return 'more';
        const len = 4 + arg(1);
        return avail >= len ? { cmd: { op: 'ignored', name: 'barcode', raw: raw(len) }, len } : 'more';
      }
    }
    const ignored = GS_IGNORED[c1];
    if (ignored) return fixed(ignored[0], () => ({ op: 'ignored', name: ignored[1], raw: raw(2 + ignored[0]) }));
    return { cmd: { op: 'unknown', reason: `unknown GS ${hex2(c1)}`, raw: raw(2) }, len: 2 };
  }

  #symbol(p: Buffer, raw: Buffer): EscPosCommand {
    const cn = p[0];
    const fn = p[1];
    if (cn !== 0x31) return { op: 'ignored', name: cn === 0x30 ? 'PDF417' : cn === 0x32 ? 'MaxiCode' : '2D symbol', raw };
    switch (fn) {
      case 0x41:
        return p.length >= 4 ? { op: 'qr_model', model: (p[2] ?? 0x32) - 0x30, raw } : { op: 'unknown', reason: 'short QR model', raw };
      case 0x43:
        return p.length >= 3 ? { op: 'qr_size', dots: p[2]!, raw } : { op: 'unknown', reason: 'short QR size', raw };
      case 0x45: {
        const level = (['L', 'M', 'Q', 'H'] as const)[(p[2] ?? 0) - 0x30];
        return level ? { op: 'qr_ec', level, raw } : { op: 'unknown', reason: `QR error correction ${p[2]}`, raw };
      }
      case 0x50:
        return p.length >= 3 && p[2] === 0x30 ? { op: 'qr_store', data: Buffer.from(p.subarray(3)), raw } : { op: 'unknown', reason: 'bad QR store', raw };
      case 0x51:
        return { op: 'qr_print', raw };
      case 0x52:
        return { op: 'ignored', name: 'QR size info', raw };
      default:
        return { op: 'unknown', reason: `QR function ${fn}`, raw };
    }
  }
}
