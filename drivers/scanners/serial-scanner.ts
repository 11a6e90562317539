// Owns a serial / virtual-COM barcode scanner: the line (with reconnect) from ReconnectingPort, the
// framing and validation from serial-framing.ts, and the idle timer that turns a frame that never got
// its terminator into an `incomplete` error instead of a silent prefix of the next scan.
import { IdleTimer } from '../idle-timer';
import { TypedEmitter } from '../events';
import { DriverError, type ConnectionStatus } from '../errors';
import { ReconnectingPort } from '../serial/reconnecting-port';
import { DEFAULT_IDLE_TIMEOUT_MS, SerialFramer, triggerCommand, type FrameEvent, type Terminator, type TriggerKind } from './serial-framing';

export type ScannerErrorCode = 'garbled' | 'too_long' | 'incomplete' | 'io';
export interface ScanEvent {
  code: string;
  at: Date;
}
export interface ScannerError {
  code: ScannerErrorCode;
  detail: string;
}

export interface SerialScannerOptions {
  path: string;
  baudRate?: number;
  terminator?: Terminator;
  maxLength?: number;
  idleTimeoutMs?: number;
  trigger?: TriggerKind;
  /** Reconnect backoff. */
  initialDelayMs?: number;
  maxDelayMs?: number;
}

type ScannerEvents = {
  scan: [ScanEvent];
  error: [ScannerError];
  status: [ConnectionStatus];
};

export class SerialScanner extends TypedEmitter<ScannerEvents> {
  readonly #port: ReconnectingPort;
  readonly #framer: SerialFramer;
  readonly #trigger: TriggerKind;
  readonly #idle = new IdleTimer();

  constructor(options: SerialScannerOptions) {
    super();
    this.#framer = new SerialFramer({
      terminator: options.terminator ?? 'any',
      maxLength: options.maxLength,
      idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
    });
    this.#trigger = options.trigger ?? 'honeywell';
    this.#port = new ReconnectingPort({
      path: options.path,
      baudRate: options.baudRate ?? 9600,
      initialDelayMs: options.initialDelayMs,
      maxDelayMs: options.maxDelayMs,
    });
    this.#port.on('data', (d) => this.#onData(d));
    this.#port.on('status', (s) => {
      // A frame cut off by the line dropping is reported now, not glued to the first bytes after replug.
      if (s !== 'connected') this.#deliver(this.#framer.reset('line dropped mid-frame'));
      this.emit('status', s);
    });
    this.#port.on('error', (e) => this.emit('error', { code: 'io', detail: e.detail }));
    this.#port.start();
  }

  get status(): ConnectionStatus {
    return this.#port.status;
  }

  /** Send the software trigger (the scanner must be in command-trigger mode). */
  trigger(): Promise<void> {
    return this.#port.write(triggerCommand(this.#trigger)).catch((e: unknown) => {
      const detail = e instanceof DriverError ? e.detail : String(e);
      this.emit('error', { code: 'io', detail: `trigger: ${detail}` });
      throw e;
    });
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
      if (e.kind === 'scan') this.emit('scan', { code: e.code, at: new Date() });
      else this.emit('error', { code: e.code, detail: e.detail });
    }
  }
}

export function openSerialScanner(options: SerialScannerOptions): SerialScanner {
  return new SerialScanner(options);
}
