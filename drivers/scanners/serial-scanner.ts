// Owns a serial / virtual-COM barcode scanner (and an RS-232/485 gate scan box): a line-framed serial
// device (../serial/line-reader.ts) whose frames are scans (or read faults), plus the software trigger.
import { z } from 'zod';
import { DriverError, type ConnectionStatus } from '../errors';
import { TypedEmitter } from '../events';
import { readFault, type ReadFault } from '../faults';
import { defineProtocol } from '../protocol';
import { LineReader } from '../serial/line-reader';
import { Baud, describeSerial, SerialPath } from '../settings';
import { DEFAULT_IDLE_TIMEOUT_MS, triggerCommand, type Terminator, type TriggerKind } from './serial-framing';

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
  /** A frame that is not a usable code (garbled, too long, incomplete); also reported as `error`. */
  fault: [ReadFault];
  status: [ConnectionStatus];
};

export class SerialScanner extends TypedEmitter<ScannerEvents> {
  readonly #line: LineReader;
  readonly #trigger: TriggerKind;

  constructor(options: SerialScannerOptions) {
    super();
    this.#trigger = options.trigger ?? 'honeywell';
    this.#line = new LineReader({
      path: options.path,
      baudRate: options.baudRate ?? 9600,
      terminator: options.terminator ?? 'any',
      maxLength: options.maxLength,
      idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
      initialDelayMs: options.initialDelayMs,
      maxDelayMs: options.maxDelayMs,
    });
    this.#line.on('frame', (e) => {
      if (e.kind === 'scan') return this.emit('scan', { code: e.code, at: new Date() });
      this.emit('error', { code: e.code, detail: e.detail });
      const fault = readFault(e.code, e.detail);
      if (fault) this.emit('fault', fault);
    });
    this.#line.on('status', (s) => this.emit('status', s));
    this.#line.on('error', (e) => this.emit('error', e));
  }

  get status(): ConnectionStatus {
    return this.#line.status;
  }

  /** Send the software trigger (the scanner must be in command-trigger mode). */
  trigger(): Promise<void> {
    return this.#line.write(triggerCommand(this.#trigger)).catch((e: unknown) => {
      const detail = e instanceof DriverError ? e.detail : String(e);
      this.emit('error', { code: 'io', detail: `trigger: ${detail}` });
      throw e;
    });
  }

  /** Try to reopen the line now rather than after the backoff. */
  nudge(): void {
    this.#line.nudge();
  }

  close(): Promise<void> {
    return this.#line.close();
  }
}

export function openSerialScanner(options: SerialScannerOptions): SerialScanner {
  return new SerialScanner(options);
}

/** Serial / virtual-COM scanner or gate scan box (RS-232/RS-485 ASCII + CR). */
export const serialScannerProtocol = defineProtocol({
  class: 'scanner',
  settings: { path: SerialPath, baudRate: Baud.default(9600), terminator: z.enum(['CR', 'LF', 'CRLF', 'any']).default('any') },
  open: (s, ctx) => openSerialScanner({ path: s.path, baudRate: s.baudRate, terminator: s.terminator, ...ctx.reconnect }),
  describe: describeSerial,
});
