// Owns the bytes of serial / virtual-COM barcode scanners: splitting the byte stream into scans at
// CR / LF / CRLF (on the shared streaming-parser skeleton), rejecting what cannot be a ticket code, and
// the software trigger commands.
// Pure: no timers, no I/O. The caller passes `now` and calls flushIdle() from its own timer.
import { hex as hexOf } from '../bytes';
import { StreamParser, type Step, type StreamProtocol } from '../stream-parser';

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
const CRLF = Buffer.from([CR, LF]);

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

/** The bytes of one terminator at the first place one ends a frame, or null while none has come. */
function findTerminator(buf: Buffer, t: Terminator): { at: number; length: number } | null {
  if (t === 'CRLF') {
    const at = buf.indexOf(CRLF);
    return at < 0 ? null : { at, length: 2 };
  }
  if (t === 'CR' || t === 'LF') {
    const at = buf.indexOf(t === 'CR' ? CR : LF);
    return at < 0 ? null : { at, length: 1 };
  }
  // 'any': CR, LF or CRLF. An LF of a CRLF split across chunks comes as an empty frame: ignored.
  for (let at = 0; at < buf.length; at++) {
    const b = buf[at];
    if (b === LF) return { at, length: 1 };
    if (b === CR) return { at, length: buf[at + 1] === LF ? 2 : 1 };
  }
  return null;
}

/** Scanner lines on the shared streaming-parser skeleton. */
class LineProtocol implements StreamProtocol<FrameEvent> {
  readonly maxFrame: number;

  constructor(
    readonly terminator: Terminator,
    readonly maxLength: number,
  ) {
    // In CRLF mode a frame of maxLength may sit with its CR while the LF is on the way.
    this.maxFrame = terminator === 'CRLF' ? maxLength + 1 : maxLength;
  }

  next(buf: Buffer): Step<FrameEvent> {
    const end = findTerminator(buf, this.terminator);
    if (!end) return { need: true };
    // An empty frame is a stray terminator (e.g. a scanner configured CRLF read as CR+LF): ignore it.
    if (end.at === 0) return { frame: end.length };
    if (end.at > this.maxLength) return { frame: end.at + end.length, out: this.overlong(buf) };
    return { frame: end.at + end.length, out: classifyFrame(buf.subarray(0, end.at)) };
  }

  overlong(buf: Buffer): FrameEvent {
    const bytes = Buffer.from(buf.subarray(0, this.maxLength + 1));
    return { kind: 'error', code: 'too_long', detail: `frame exceeds ${this.maxLength} bytes; dropping until the next terminator: ${hex(bytes)}`, bytes };
  }

  /** The overlong frame was reported when it crossed the limit; its tail ends quietly at a terminator. */
  resync(buf: Buffer): { drop: number; resumed: boolean } {
    const end = findTerminator(buf, this.terminator);
    if (end) return { drop: end.at + end.length, resumed: true };
    // Keep a CR that may be the first half of the CRLF that ends the tail.
    return { drop: this.terminator === 'CRLF' && buf[buf.length - 1] === CR ? buf.length - 1 : buf.length, resumed: false };
  }

  partial(bytes: Buffer, reason: string): FrameEvent {
    return { kind: 'error', code: 'incomplete', detail: `${reason}; ${bytes.length} bytes: ${hex(bytes)}`, bytes };
  }
}

export class SerialFramer {
  readonly terminator: Terminator;
  readonly maxLength: number;
  readonly idleTimeoutMs: number;
  readonly discardIdleMs: number;
  readonly #parser: StreamParser<FrameEvent>;

  constructor(options: FramerOptions = {}) {
    this.terminator = options.terminator ?? 'any';
    this.maxLength = Math.max(1, Math.floor(options.maxLength ?? DEFAULT_MAX_LENGTH));
    this.idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    this.discardIdleMs = options.discardIdleMs ?? 10 * this.idleTimeoutMs;
    this.#parser = new StreamParser(new LineProtocol(this.terminator, this.maxLength), { resyncIdleMs: this.discardIdleMs });
  }

  /** Bytes of the current partial frame (0 when idle or discarding). */
  get pending(): number {
    return this.#parser.pending;
  }

  push(chunk: Uint8Array, now: number = Date.now()): FrameEvent[] {
    return this.#parser.push(chunk, now);
  }

  /**
   * Report a partial frame that has gone quiet; call when `idleTimeoutMs` has passed. The dropped
   * tail of an overlong frame stays dropped (see discardIdleMs).
   */
  flushIdle(now: number = Date.now()): FrameEvent[] {
    if (this.#parser.pending === 0) return [];
    const quiet = now - this.#parser.lastByteAt;
    if (quiet < this.idleTimeoutMs) return [];
    return this.#parser.flush(`no terminator after ${quiet} ms`, { keepResync: true });
  }

  /** Drop any partial frame, e.g. when the port closes; reports it if there was one. */
  reset(reason = 'line closed'): FrameEvent[] {
    return this.#parser.flush(reason);
  }
}
