// Owns the plumbing every line-framed serial device shares (barcode scanner, gate scan box, Wiegand
// converter, MRZ reader): the line with its reconnect (ReconnectingPort), its bytes split into frames
// by serial-framing.ts, the idle timer that reports a frame whose terminator never came, and a frame
// cut off by the line dropping reported now rather than glued to the first bytes after a replug. The
// device on top only says what a frame means.
import type { ConnectionStatus } from '../errors';
import { TypedEmitter } from '../events';
import { IdleTimer } from '../idle-timer';
import type { ReconnectOptions } from '../reconnect';
import { SerialFramer, type FrameEvent, type FramerOptions } from '../scanners/serial-framing';
import { ReconnectingPort } from './reconnecting-port';

export interface LineReaderOptions extends FramerOptions, ReconnectOptions {
  path: string;
  baudRate?: number;
}

type LineReaderEvents = {
  /** A frame (`scan`: its text) or why one was refused (garbled, too_long, incomplete). */
  frame: [FrameEvent];
  /** After a drop, the cut-off frame's `incomplete` comes first. */
  status: [ConnectionStatus];
  /** The line failed (drop, failed open); reconnecting goes on regardless. */
  error: [{ code: 'io'; detail: string }];
};

export class LineReader extends TypedEmitter<LineReaderEvents> {
  readonly #port: ReconnectingPort;
  readonly #framer: SerialFramer;
  readonly #idle = new IdleTimer();

  constructor(options: LineReaderOptions) {
    super();
    this.#framer = new SerialFramer(options);
    this.#port = new ReconnectingPort(options);
    this.#port.on('data', (chunk) => {
      this.#deliver(this.#framer.push(chunk));
      this.#idle.arm(this.#framer.pending > 0, this.#framer.idleTimeoutMs, () => this.#deliver(this.#framer.flushIdle()));
    });
    this.#port.on('status', (s) => {
      if (s !== 'connected') {
        this.#idle.cancel();
        this.#deliver(this.#framer.reset('line dropped mid-frame'));
      }
      this.emit('status', s);
    });
    this.#port.on('error', (e) => this.emit('error', { code: 'io', detail: e.detail }));
    this.#port.start();
  }

  get status(): ConnectionStatus {
    return this.#port.status;
  }

  get path(): string {
    return this.#port.path;
  }

  write(data: Buffer): Promise<void> {
    return this.#port.write(data);
  }

  /** Try to reopen now rather than after the backoff. */
  nudge(): void {
    this.#port.nudge();
  }

  async close(): Promise<void> {
    this.#idle.cancel();
    await this.#port.close();
  }

  #deliver(events: FrameEvent[]): void {
    for (const e of events) this.emit('frame', e);
  }
}
