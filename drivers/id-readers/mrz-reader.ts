// Owns an MRZ (passport / ID card) reader on a serial line: a line-framed serial device
// (../serial/line-reader.ts) whose lines are assembled into documents by mrz.ts, and the timer that
// turns a document whose last line never came into an `incomplete` error. A broken line, an incomplete
// document or a document number failing its check digits is also a `fault` (the read failed).
import { IdleTimer } from '../idle-timer';
import { TypedEmitter } from '../events';
import { readFault, type ReadFault } from '../faults';
import type { ConnectionStatus } from '../errors';
import { defineProtocol } from '../protocol';
import { LineReader } from '../serial/line-reader';
import { Baud, describeSerial, SerialPath } from '../settings';
import { documentNumberTrusted, MrzAssembler, type MrzDocument, type MrzErrorCode, type MrzEvent } from './mrz';

export type MrzReaderErrorCode = MrzErrorCode | 'too_long' | 'io';
export interface MrzReaderError {
  code: MrzReaderErrorCode;
  detail: string;
}
export interface MrzDocumentEvent {
  document: MrzDocument;
  at: Date;
}

export interface MrzReaderOptions {
  path: string;
  baudRate?: number;
  /** A partial line with no new byte for this long is dropped as incomplete. */
  lineTimeoutMs?: number;
  /** Lines of one document quiet for this long are reported as incomplete. */
  documentTimeoutMs?: number;
  initialDelayMs?: number;
  maxDelayMs?: number;
}

type MrzReaderEvents = {
  document: [MrzDocumentEvent];
  error: [MrzReaderError];
  /** A document that could not be read, or whose number fails its check digits (that one is also a `document`). */
  fault: [ReadFault];
  status: [ConnectionStatus];
};

export class MrzReader extends TypedEmitter<MrzReaderEvents> {
  /** An MRZ reader sends each document presented to it. */
  readonly mode = 'push' as const;
  readonly #line: LineReader;
  readonly #assembler: MrzAssembler;
  readonly #docTimer = new IdleTimer();

  constructor(options: MrzReaderOptions) {
    super();
    this.#assembler = new MrzAssembler({ documentTimeoutMs: options.documentTimeoutMs ?? 1000 });
    // The longest legitimate line is a TD1 zone sent in one piece (90 characters).
    this.#line = new LineReader({
      path: options.path,
      baudRate: options.baudRate ?? 9600,
      terminator: 'any',
      maxLength: 96,
      idleTimeoutMs: options.lineTimeoutMs ?? 500,
      initialDelayMs: options.initialDelayMs,
      maxDelayMs: options.maxDelayMs,
    });
    this.#line.on('frame', (e) => {
      if (e.kind === 'error') {
        // A broken line also breaks the document it belonged to.
        this.#deliver(this.#assembler.reset(`a ${e.code} line interrupted it`));
        this.#failed(e.code, e.detail);
      } else this.#deliver(this.#assembler.push(e.code));
      this.#docTimer.arm(this.#assembler.pending > 0, this.#assembler.documentTimeoutMs, () => this.#deliver(this.#assembler.flushIdle()));
    });
    this.#line.on('status', (s) => {
      if (s !== 'connected') {
        this.#docTimer.cancel();
        this.#deliver(this.#assembler.reset('line dropped mid-document'));
      }
      this.emit('status', s);
    });
    this.#line.on('error', (e) => this.emit('error', e));
  }

  get status(): ConnectionStatus {
    return this.#line.status;
  }

  /** Try to reopen the line now rather than after the backoff. */
  nudge(): void {
    this.#line.nudge();
  }

  async close(): Promise<void> {
    this.#docTimer.cancel();
    await this.#line.close();
  }

  #deliver(events: MrzEvent[]): void {
    for (const e of events) {
      if (e.kind === 'error') {
        this.#failed(e.code, e.detail);
        continue;
      }
      const at = new Date();
      this.emit('document', { document: e.document, at });
      if (!documentNumberTrusted(e.document)) {
        this.emit('fault', { kind: 'checksum', code: 'check_digit', detail: `document number or composite check digit fails (${e.document.failedChecks.join(', ')})`, presented: true, at });
      }
    }
  }

  #failed(code: MrzReaderErrorCode, detail: string): void {
    this.emit('error', { code, detail });
    const fault = readFault(code, detail);
    if (fault) this.emit('fault', fault);
  }
}

export function openMrzReader(options: MrzReaderOptions): MrzReader {
  return new MrzReader(options);
}

/** MRZ (passport / travel document) reader on a serial line. */
export const mrzProtocol = defineProtocol({
  class: 'id-reader',
  settings: { path: SerialPath, baudRate: Baud.default(9600) },
  open: (s, ctx) => openMrzReader({ path: s.path, baudRate: s.baudRate, ...ctx.reconnect }),
  describe: describeSerial,
});
