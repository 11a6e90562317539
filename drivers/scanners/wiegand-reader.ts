// Owns a Wiegand card reader behind a serial Wiegand converter: a line-framed serial device
// (../serial/line-reader.ts) whose lines are decoded into cards by wiegand.ts.
import type { ConnectionStatus } from '../errors';
import { TypedEmitter } from '../events';
import { readFault, type ReadFault } from '../faults';
import { defineProtocol } from '../protocol';
import { LineReader } from '../serial/line-reader';
import { Baud, describeSerial, SerialPath } from '../settings';
import { DEFAULT_IDLE_TIMEOUT_MS } from './serial-framing';
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
  /** A card read that failed (parity, bit count, garbled line); also reported as `error`. */
  fault: [ReadFault];
  status: [ConnectionStatus];
};

export class WiegandReader extends TypedEmitter<WiegandReaderEvents> {
  readonly #line: LineReader;

  constructor(options: WiegandReaderOptions) {
    super();
    this.#line = new LineReader({
      path: options.path,
      baudRate: options.baudRate ?? 9600,
      terminator: 'any',
      maxLength: WIEGAND_LINE_MAX,
      idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
      initialDelayMs: options.initialDelayMs,
      maxDelayMs: options.maxDelayMs,
    });
    this.#line.on('frame', (e) => {
      if (e.kind === 'error') return this.#failed(e.code, e.detail);
      const r = parseWiegandLine(e.code);
      if (r.ok) this.emit('scan', { code: r.value.code, card: r.value, at: new Date() });
      else this.#failed(r.code, r.detail);
    });
    this.#line.on('status', (s) => this.emit('status', s));
    this.#line.on('error', (e) => this.emit('error', e));
  }

  get status(): ConnectionStatus {
    return this.#line.status;
  }

  /** Try to reopen the line now rather than after the backoff. */
  nudge(): void {
    this.#line.nudge();
  }

  close(): Promise<void> {
    return this.#line.close();
  }

  #failed(code: WiegandReaderErrorCode, detail: string): void {
    this.emit('error', { code, detail });
    const fault = readFault(code, detail);
    if (fault) this.emit('fault', fault);
  }
}

export function openWiegandReader(options: WiegandReaderOptions): WiegandReader {
  return new WiegandReader(options);
}

/** Wiegand 26/34 reader behind a Wiegand-to-serial converter. */
export const wiegandProtocol = defineProtocol({
  class: 'scanner',
  settings: { path: SerialPath, baudRate: Baud.default(9600) },
  open: (s, ctx) => openWiegandReader({ path: s.path, baudRate: s.baudRate, ...ctx.reconnect }),
  describe: describeSerial,
});
