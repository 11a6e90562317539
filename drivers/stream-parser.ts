// Owns the skeleton every streaming byte-protocol reader shares (serial scanner lines, SAM ID reader
// frames, LCUS relay frames, Modbus RTU requests and Modbus TCP frames): bytes come in chunks of any
// size; a buffer keeps the start of a frame until its tail arrives; bytes that cannot start a frame
// are noise, reported once per run; a frame that outgrows its bound (or a header that makes no sense)
// is reported and the stream resynchronised — what follows dropped quietly up to the protocol's next
// frame start, or until the line has been quiet long enough; and a partial frame is reported when the
// stream stops (idle, line dropped, reply timed out). A protocol only says what the bytes at the
// buffer's start are.

/** What the bytes at the start of the buffer are, as the protocol reads them. */
export type Step<R> =
  /** A frame starts here and needs more bytes. */
  | { need: true }
  /** The first `frame` bytes are one frame; `out` is what it means (none: drop it quietly). */
  | { frame: number; out?: R }
  /** The first `noise` bytes cannot start a frame: collected and reported (`noise()`) once per run. */
  | { noise: number }
  /** Consume `discard` bytes, report `out`, then drop what follows up to the next resync point. */
  | { discard: number; out?: R };

export interface StreamProtocol<R> {
  /** What the bytes at the buffer's start are; `buf` is never empty. */
  next(buf: Buffer): Step<R>;
  /** The longest partial frame held; beyond it the frame is reported (`overlong`) and resynchronised. */
  readonly maxFrame: number;
  overlong(buf: Buffer): R | undefined;
  /**
   * While resynchronising: how many leading bytes to drop quietly, and whether frames resume after
   * them. Without it, an overlong frame or a discard step only drops what is buffered.
   */
  resync?(buf: Buffer): { drop: number; resumed: boolean };
  /** Report a run of noise bytes (none: drop quietly). */
  noise?(bytes: Buffer): R | undefined;
  /** Report a partial frame dropped because the stream stopped (none: drop quietly). */
  partial?(bytes: Buffer, reason: string): R | undefined;
}

export interface StreamParserOptions {
  /**
   * While resynchronising, a line quiet for this long also ends it: the next byte starts afresh.
   * Default: never (only the protocol's resync point ends it).
   */
  resyncIdleMs?: number;
}

export class StreamParser<R> {
  readonly #protocol: StreamProtocol<R>;
  readonly #resyncIdleMs: number;
  #buf: Buffer = Buffer.alloc(0);
  #noise: Buffer[] = [];
  #resyncing = false;
  #lastAt = 0;

  constructor(protocol: StreamProtocol<R>, options: StreamParserOptions = {}) {
    this.#protocol = protocol;
    this.#resyncIdleMs = options.resyncIdleMs ?? Number.POSITIVE_INFINITY;
  }

  /** Bytes held for a frame still waiting for its tail. */
  get pending(): number {
    return this.#buf.length;
  }

  /** Dropping the rest of a bad frame, up to the next resync point. */
  get resyncing(): boolean {
    return this.#resyncing;
  }

  /** When the last byte arrived (the `now` of the last push that carried bytes). */
  get lastByteAt(): number {
    return this.#lastAt;
  }

  push(chunk: Uint8Array, now: number = Date.now()): R[] {
    const out: R[] = [];
    if (chunk.length === 0) return out;
    // A long silence: the rest of the bad frame is not coming, these bytes start afresh.
    if (this.#resyncing && now - this.#lastAt >= this.#resyncIdleMs) this.#resyncing = false;
    this.#lastAt = now;
    this.#buf = this.#buf.length ? Buffer.concat([this.#buf, chunk]) : Buffer.from(chunk);
    let at = 0;
    while (at < this.#buf.length) {
      const rest = this.#buf.subarray(at);
      if (this.#resyncing) {
        const r = this.#protocol.resync ? this.#protocol.resync(rest) : { drop: rest.length, resumed: true };
        at += Math.min(rest.length, Math.max(0, r.drop));
        if (r.resumed) this.#resyncing = false;
        else break;
        continue;
      }
      const step = this.#protocol.next(rest);
      if ('need' in step) {
        if (rest.length <= this.#protocol.maxFrame) break;
        this.#flushNoise(out);
        this.#emit(out, this.#protocol.overlong(Buffer.from(rest)));
        at = this.#buf.length;
        this.#resyncing = this.#protocol.resync !== undefined;
        break;
      }
      if ('noise' in step) {
        const n = Math.min(rest.length, Math.max(1, step.noise));
        this.#noise.push(Buffer.from(rest.subarray(0, n)));
        at += n;
        continue;
      }
      this.#flushNoise(out);
      if ('frame' in step) {
        at += Math.min(rest.length, Math.max(1, step.frame));
        this.#emit(out, step.out);
      } else {
        at += Math.min(rest.length, Math.max(0, step.discard));
        this.#emit(out, step.out);
        this.#resyncing = true;
      }
    }
    this.#buf = Buffer.from(this.#buf.subarray(at));
    // Noise at the end of a chunk is reported now, not when the next frame happens to start.
    this.#flushNoise(out);
    return out;
  }

  /**
   * The stream stopped: report the noise and the partial frame held, and drop them. `keepResync`
   * leaves a resync in progress alone (an idle gap inside a bad frame's tail does not end it).
   */
  flush(reason: string, options: { keepResync?: boolean } = {}): R[] {
    const out: R[] = [];
    this.#flushNoise(out);
    const partial = this.#buf;
    this.#buf = Buffer.alloc(0);
    if (!options.keepResync) this.#resyncing = false;
    if (partial.length > 0) this.#emit(out, this.#protocol.partial?.(Buffer.from(partial), reason));
    return out;
  }

  /** Drop everything held without reporting it (before a new request). */
  clear(): void {
    this.#buf = Buffer.alloc(0);
    this.#noise = [];
    this.#resyncing = false;
  }

  #flushNoise(out: R[]): void {
    if (this.#noise.length === 0) return;
    const bytes = Buffer.concat(this.#noise);
    this.#noise = [];
    this.#emit(out, this.#protocol.noise?.(bytes));
  }

  #emit(out: R[], r: R | undefined): void {
    if (r !== undefined) out.push(r);
  }
}
