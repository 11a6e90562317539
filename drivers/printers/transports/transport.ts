// Owns what every printer link (raw TCP, serial, USB bulk) has in common: connect lazily on first use
// and again after a drop, run one conversation at a time so a status reply cannot answer the wrong
// request, collect reply bytes into frames the protocol module describes, and turn every failure into
// a coded DriverError. A concrete transport only opens, sends and closes; protocol drivers only see
// this interface, so ESC/POS, Star, TSPL, ZPL, FGL and Evolis run over any of them.
import { startDeadline, type Deadline } from '../../deadline';
import { TypedEmitter } from '../../events';
import { DriverError, type ConnectionStatus } from '../../errors';

export type LinkErrorCode = 'unreachable' | 'timeout' | 'io' | 'closed' | 'bad_reply';
export type LinkError = DriverError<LinkErrorCode>;

/**
 * How long a reply is: a fixed byte count, or a function that looks at the bytes received so far
 * and returns the length of the first complete frame (null while more bytes are needed).
 */
export type ReplyFrame = number | ((rx: Buffer) => number | null);

export type TransportKind = 'tcp' | 'serial' | 'usb';

export type TransportEvents = {
  status: [ConnectionStatus];
  /** Every chunk received, whether or not a request is waiting for it (unsolicited status bytes). */
  data: [Buffer];
  error: [LinkError];
};

export interface PrinterTransport extends TypedEmitter<TransportEvents> {
  readonly kind: TransportKind;
  readonly name: string;
  readonly connected: boolean;
  readonly timeoutMs: number;
  /** Run `fn` after every earlier conversation has finished. */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  write(data: Uint8Array): Promise<void>;
  /** Drop unread input, write `data`, and wait for one reply frame. */
  request(data: Uint8Array, reply: ReplyFrame, what: string, timeoutMs?: number): Promise<Buffer>;
  /** Wait for one reply frame from what has arrived (or arrives) since the last read. */
  read(reply: ReplyFrame, what: string, timeoutMs?: number): Promise<Buffer>;
  discardInput(): void;
  close(): Promise<void>;
}

interface PendingRead {
  frame: ReplyFrame;
  what: string;
  resolve: (b: Buffer) => void;
  reject: (e: LinkError) => void;
  timer: Deadline;
}

/** Frame helper: bytes up to and including the first `terminator` (e.g. CR, ETX). */
export const untilByte =
  (terminator: number): ReplyFrame =>
  (rx) => {
    const i = rx.indexOf(terminator);
    return i < 0 ? null : i + 1;
  };

export abstract class BaseTransport extends TypedEmitter<TransportEvents> implements PrinterTransport {
  abstract readonly kind: TransportKind;
  abstract readonly name: string;
  readonly timeoutMs: number;
  #rx: Buffer = Buffer.alloc(0);
  #read: PendingRead | null = null;
  #queue: Promise<unknown> = Promise.resolve();
  #connecting: Promise<void> | null = null;
  #closed = false;
  #status: ConnectionStatus = 'disconnected';

  constructor(timeoutMs = 3000) {
    super();
    this.timeoutMs = timeoutMs;
  }

  /** Open the link. Incoming bytes go to received(), an unasked drop to lost(). */
  protected abstract open(): Promise<void>;
  protected abstract send(data: Buffer): Promise<void>;
  /** Close the link (close() and drops call it); must not throw. */
  protected abstract shutdown(): Promise<void>;
  protected abstract get isOpen(): boolean;
  /** A read is waiting: transports that must poll for input (USB bulk IN) start here. */
  protected readWanted(): void {}
  /** A reply timed out: the stream position is unknown. TCP starts afresh on a new socket. */
  protected afterTimeout(): void {}

  get connected(): boolean {
    return this.isOpen;
  }
  get status(): ConnectionStatus {
    return this.#status;
  }
  get closed(): boolean {
    return this.#closed;
  }
  protected get readPending(): boolean {
    return this.#read !== null;
  }

  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn, fn);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async write(data: Uint8Array): Promise<void> {
    await this.#ensure();
    await this.send(Buffer.from(data));
  }

  async request(data: Uint8Array, reply: ReplyFrame, what: string, timeoutMs = this.timeoutMs): Promise<Buffer> {
    await this.#ensure();
    // Bytes that arrived unasked (a late reply after a timeout) must not answer this request.
    this.#rx = Buffer.alloc(0);
    const answer = this.#waitFor(reply, what, timeoutMs);
    // The link may be closed while the request is still being written: the caller gets that
    // rejection through `answer` below, never as an unhandled one meanwhile.
    answer.catch(() => undefined);
    try {
      await this.send(Buffer.from(data));
    } catch (e) {
      this.#failRead(e instanceof DriverError ? (e as LinkError) : this.fail('io', `write to ${this.name} failed: ${(e as Error).message}`, e));
    }
    return answer;
  }

  async read(reply: ReplyFrame, what: string, timeoutMs = this.timeoutMs): Promise<Buffer> {
    await this.#ensure();
    return this.#waitFor(reply, what, timeoutMs);
  }

  discardInput(): void {
    this.#rx = Buffer.alloc(0);
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#failRead(new DriverError('closed', `${this.name} was closed`));
    await this.shutdown();
    this.setStatus('disconnected');
  }

  protected received(chunk: Buffer): void {
    this.#rx = this.#rx.length ? Buffer.concat([this.#rx, chunk]) : Buffer.from(chunk);
    // Keep the buffer bounded when nobody reads (an unsolicited-status printer left alone for hours).
    if (!this.#read && this.#rx.length > 64 * 1024) this.#rx = this.#rx.subarray(this.#rx.length - 4096);
    this.emit('data', chunk);
    this.#deliver();
  }

  /** The link went away without being asked to: fail the waiting read; reconnect on next use. */
  protected lost(why: string): void {
    this.#failRead(new DriverError('io', `${this.name}: ${why}`));
    if (this.#status !== 'disconnected' && !this.#closed) this.emit('error', new DriverError('io', `${this.name}: ${why}`));
    this.setStatus('disconnected');
  }

  protected setStatus(s: ConnectionStatus): void {
    if (s === this.#status) return;
    this.#status = s;
    this.emit('status', s);
  }

  protected fail(code: LinkErrorCode, detail: string, cause?: unknown): LinkError {
    return new DriverError(code, detail, cause === undefined ? undefined : { cause });
  }

  #ensure(): Promise<void> {
    if (this.#closed) return Promise.reject(new DriverError('closed', `${this.name} was closed`));
    if (this.isOpen) return Promise.resolve();
    this.#connecting ??= (async () => {
      this.setStatus('connecting');
      try {
        await this.open();
      } catch (e) {
        this.setStatus('disconnected');
        throw e instanceof DriverError ? e : this.fail('unreachable', `cannot open ${this.name}: ${(e as Error).message}`, e);
      }
      if (this.#closed) {
        await this.shutdown();
        throw new DriverError('closed', `${this.name} was closed`);
      }
      this.#rx = Buffer.alloc(0);
      this.setStatus('connected');
    })().finally(() => {
      this.#connecting = null;
    });
    return this.#connecting;
  }

  #waitFor(frame: ReplyFrame, what: string, timeoutMs: number): Promise<Buffer> {
    if (this.#read) return Promise.reject(this.fail('io', `${this.name}: a read is already waiting (use exclusive())`));
    const p = new Promise<Buffer>((resolve, reject) => {
      // Counts only time in which an answer could have been read: a stalled event loop is not a
      // silent printer.
      const timer = startDeadline(timeoutMs, () => {
        if (this.#read?.timer !== timer) return;
        this.#read = null;
        this.afterTimeout();
        reject(this.fail('timeout', `${this.name} did not answer ${what} within ${timeoutMs} ms`));
      });
      this.#read = { frame, what, resolve, reject, timer };
    });
    this.#deliver();
    if (this.#read) this.readWanted();
    return p;
  }

  #deliver(): void {
    const r = this.#read;
    if (!r) return;
    let len: number | null;
    try {
      len = typeof r.frame === 'number' ? (this.#rx.length >= r.frame ? r.frame : null) : r.frame(this.#rx);
    } catch (e) {
      this.#failRead(this.fail('bad_reply', `${this.name}: unreadable reply to ${r.what}: ${(e as Error).message}`, e));
      return;
    }
    if (len === null || len > this.#rx.length) return;
    const out = Buffer.from(this.#rx.subarray(0, len));
    this.#rx = this.#rx.subarray(len);
    r.timer.cancel();
    this.#read = null;
    r.resolve(out);
  }

  #failRead(e: LinkError): void {
    const r = this.#read;
    if (!r) return;
    r.timer.cancel();
    this.#read = null;
    r.reject(e);
  }
}
