// Owns a Wiegand card reader behind a serial Wiegand converter: the line (with reconnect) from
// ReconnectingPort, line splitting from serial-framing.ts, and frame decoding from wiegand.ts.
import { IdleTimer } from '../idle-timer';
import { TypedEmitter } from '../events';
import type { ConnectionStatus } from '../errors';
import { ReconnectingPort } from '../serial/reconnecting-port';
import { DEFAULT_IDLE_TIMEOUT_MS, SerialFramer, type FrameEvent } from './serial-framing';
import { WIEGAND_LINE_MAX, parseWiegandLine, type WiegandCard, type WiegandErrorCode } from './wiegand';

export type WiegandReaderErrorCode = WiegandErrorCode | 'too_long' | 'incomplete' | 'io';
export interface WiegandScanEvent {
  /** cardNumber as 10 decimal digits: what check-in looks up. */
  code: string;
  card: WiegandCard;
  at: Date;
}
export interface WiegandReaderError {
  code: WiegandReaderErrorCode;
  detail: string;
}

export interface WiegandReaderOptions {
  path: string;
  baudRate?: number;
  idleTimeoutMs?: number;
  initialDelayMs?: number;
  maxDelayMs?: number;
}

type WiegandReaderEvents = {
  scan: [WiegandScanEvent];
  error: [WiegandReaderError];
  status: [ConnectionStatus];
};

export class WiegandReader extends TypedEmitter<WiegandReaderEvents> {
  readonly #port: ReconnectingPort;
  readonly #framer: SerialFramer;
  readonly #idle = new IdleTimer();

  constructor(options: WiegandReaderOptions) {
    super();
    this.#framer = new SerialFramer({ terminator: 'any', maxLength: WIEGAND_LINE_MAX, idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS });
    this.#port = new ReconnectingPort({
      path: options.path,
      baudRate: options.baudRate ?? 9600,
      initialDelayMs: options.initialDelayMs,
      maxDelayMs: options.maxDelayMs,
    });
    this.#port.on('data', (d) => this.#onData(d));
    this.#port.on('status', (s) => {
      if (s !== 'connected') this.#deliver(this.#framer.reset('line dropped mid-frame'));
      this.emit('status', s);
    });
    this.#port.on('error', (e) => this.emit('error', { code: 'io', detail: e.detail }));
    this.#port.start();
  }

  get status(): ConnectionStatus {
    return this.#port.status;
  }

  async close(): Promise<void> {
    this.#idle.cancel();
    await this.#port.close();
  }

  #onData(chunk: Buffer): void {
    this.#deliver(this.#framer.push(chunk));
    this.#idle.arm(this.#framer.pending > 0, this.#framer.idleTimeoutMs, () => this.#deliver(this.#framer.flushIdle()));
  }

  #deliver(events: FrameEvent[]): void {
    for (const e of events) {
      if (e.kind === 'error') {
        this.emit('error', { code: e.code, detail: e.detail });
        continue;
      }
      const r = parseWiegandLine(e.code);
      if (r.ok) this.emit('scan', { code: r.value.code, card: r.value, at: new Date() });
      else this.emit('error', { code: r.code, detail: r.detail });
    }
  }
}

export function openWiegandReader(options: WiegandReaderOptions): WiegandReader {
  return new WiegandReader(options);
}
