// Owns the bytes of serial / virtual-COM barcode scanners: splitting the byte stream into scans at
// CR / LF / CRLF, rejecting what cannot be a ticket code, and the software trigger commands.
// Pure: no timers, no I/O. The caller passes `now` and calls flushIdle() from its own timer.
import { hex as hexOf } from '../bytes';

export type Terminator = 'CR' | 'LF' | 'CRLF' | 'any';
export type FrameErrorCode = 'garbled' | 'too_long' | 'incomplete';

export type FrameEvent =
  | { kind: 'scan'; code: string; bytes: Buffer }
  | { kind: 'error'; code: FrameErrorCode; detail: string; bytes: Buffer };

export interface FramerOptions {
  terminator?: Terminator;
  /** Longest accepted payload in bytes, terminator excluded. */
  maxLength?: number;
  /** A partial frame with no new byte for this long is reported as `incomplete`. */
  idleTimeoutMs?: number;
  /**
   * The tail of an overlong frame is dropped up to its terminator. Only a line quiet for this long
   * (default: ten idle timeouts) also ends it: a shorter gap is more likely a stall than a new scan,
   * and a tail read as a scan of its own would be a bogus code.
   */
  discardIdleMs?: number;
}

export const DEFAULT_MAX_LENGTH = 512;
export const DEFAULT_IDLE_TIMEOUT_MS = 300;

const CR = 0x0d;
const LF = 0x0a;

/** Honeywell (and many clones): SYN 'T' CR starts a read. */
export const HONEYWELL_TRIGGER = Buffer.from([0x16, 0x54, 0x0d]);
/** GM65-class scan modules: write register 0x0002 = 1 (command-triggered read). */
export const GM65_TRIGGER = Buffer.from([0x7e, 0x00, 0x08, 0x01, 0x00, 0x02, 0x01, 0xab, 0xcd]);
export type TriggerKind = 'honeywell' | 'gm65';
export function triggerCommand(kind: TriggerKind = 'honeywell'): Buffer {
  return Buffer.from(kind === 'gm65' ? GM65_TRIGGER : HONEYWELL_TRIGGER);
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
// C0, DEL and C1 controls; a scanner that sends them is misconfigured (or it is line noise), and a
// ticket code never contains them.
const CONTROL = /\p{Cc}/u;

const hex = (b: Uint8Array) => hexOf(b, 32);

/** Validate one frame's payload: a scan, or why it is garbled. */
export function classifyFrame(payload: Uint8Array): FrameEvent {
  const bytes = Buffer.from(payload);
  let code: string;
  try {
    code = utf8.decode(payload);
  } catch {
    return { kind: 'error', code: 'garbled', detail: `invalid UTF-8 in ${bytes.length} bytes: ${hex(bytes)}`, bytes };
  }
  const m = CONTROL.exec(code);
  if (m) {
    const cp = m[0].codePointAt(0) ?? 0;
    return {
      kind: 'error',
      code: 'garbled',
      detail: `control character U+${cp.toString(16).toUpperCase().padStart(4, '0')} at ${m.index}: ${hex(bytes)}`,
      bytes,
    };
  }
  return { kind: 'scan', code, bytes };
}

export class SerialFramer {
  readonly terminator: Terminator;
  readonly maxLength: number;
  readonly idleTimeoutMs: number;
  readonly discardIdleMs: number;
  #buf: number[] = [];
  /** After an overlong frame was reported, bytes are dropped until the next terminator. */
  #discarding = 0;
  /** Set after CR in 'any'/'CRLF' mode: a following LF belongs to the same terminator. */
  #afterCr = false;
  #lastByteAt = 0;

  constructor(options: FramerOptions = {}) {
    this.terminator = options.terminator ?? 'any';
    this.maxLength = Math.max(1, Math.floor(options.maxLength ?? DEFAULT_MAX_LENGTH));
    this.idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    this.discardIdleMs = options.discardIdleMs ?? 10 * this.idleTimeoutMs;
  }

  /** Bytes of the current partial frame (0 when idle or discarding). */
  get pending(): number {
    return this.#buf.length + (this.terminator === 'CRLF' && this.#afterCr ? 1 : 0);
  }

  push(chunk: Uint8Array, now: number = Date.now()): FrameEvent[] {
    const out: FrameEvent[] = [];
    if (chunk.length === 0) return out;
    // A long silence after an overlong frame: its tail is not coming, these bytes start a new frame.
    if (this.#discarding > 0 && now - this.#lastByteAt >= this.discardIdleMs) this.#discarding = 0;
    this.#lastByteAt = now;
    for (const byte of chunk) this.#byte(byte, out);
    return out;
  }

  /**
   * Report a partial frame that has gone quiet; call when `idleTimeoutMs` has passed. The dropped
   * tail of an overlong frame stays dropped (see discardIdleMs).
   */
  flushIdle(now: number = Date.now()): FrameEvent[] {
    if (this.#buf.length === 0 && !this.#afterCr) return [];
    if (now - this.#lastByteAt < this.idleTimeoutMs) return [];
    return this.#flushPartial(`no terminator after ${now - this.#lastByteAt} ms`, false);
  }

  /** Drop any partial frame, e.g. when the port closes; reports it if there was one. */
  reset(reason = 'line closed'): FrameEvent[] {
    return this.#flushPartial(reason, true);
  }

  #flushPartial(reason: string, endDiscard: boolean): FrameEvent[] {
    const out: FrameEvent[] = [];
    if (this.terminator === 'CRLF' && this.#afterCr) {
      // A CR whose LF never came: in CRLF mode that frame is not complete.
      this.#buf.push(CR);
    }
    if (this.#buf.length > 0) {
      const bytes = Buffer.from(this.#buf);
      out.push({ kind: 'error', code: 'incomplete', detail: `${reason}; ${bytes.length} bytes: ${hex(bytes)}`, bytes });
    }
    this.#buf = [];
    if (endDiscard) this.#discarding = 0;
    this.#afterCr = false;
    return out;
  }

  #byte(b: number, out: FrameEvent[]): void {
    const t = this.terminator;
    if (this.#afterCr) {
      this.#afterCr = false;
      if (b === LF) {
        this.#endFrame(out);
        return;
      }
      if (t === 'CRLF') {
        // CR not followed by LF is part of the payload, where it will read as garbled.
        this.#add(CR, out);
      } else {
        // 'any': the CR already ended the frame; this byte starts the next one.
      }
    }
    if (b === CR && (t === 'CR' || t === 'any')) {
      this.#endFrame(out);
      // In 'any' mode swallow an LF right after, so CRLF scanners yield one frame, not two.
      if (t === 'any') this.#afterCr = true;
      return;
    }
    if (b === CR && t === 'CRLF') {
      this.#afterCr = true;
      return;
    }
    if (b === LF && (t === 'LF' || t === 'any')) {
      this.#endFrame(out);
      return;
    }
    this.#add(b, out);
  }

  #add(b: number, out: FrameEvent[]): void {
    if (this.#discarding > 0) {
      this.#discarding++;
      return;
    }
    this.#buf.push(b);
    if (this.#buf.length > this.maxLength) {
      const bytes = Buffer.from(this.#buf);
      out.push({
        kind: 'error',
        code: 'too_long',
        detail: `frame exceeds ${this.maxLength} bytes; dropping until the next terminator: ${hex(bytes)}`,
        bytes,
      });
      this.#discarding = this.#buf.length;
      this.#buf = [];
    }
  }

  #endFrame(out: FrameEvent[]): void {
    if (this.#discarding > 0) {
      // The overlong frame was reported when it crossed the limit; its tail ends quietly.
      this.#discarding = 0;
      return;
    }
    // An empty frame is a stray terminator (e.g. a scanner configured CRLF read as CR+LF): ignore it.
    if (this.#buf.length === 0) return;
    const payload = Uint8Array.from(this.#buf);
    this.#buf = [];
    out.push(classifyFrame(payload));
  }
}
