// Owns an MRZ (passport / ID card) reader on a serial line: the line (with reconnect) from
// ReconnectingPort, line splitting from serial-framing.ts, documents from mrz.ts, and the timers that
// turn a document whose last line never came into an `incomplete` error.
import { IdleTimer } from '../idle-timer';
import { TypedEmitter } from '../events';
import type { ConnectionStatus } from '../errors';
import { ReconnectingPort } from '../serial/reconnecting-port';
import { SerialFramer, type FrameEvent } from '../scanners/serial-framing';
import { MrzAssembler, type MrzDocument, type MrzErrorCode, type MrzEvent } from './mrz';

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
  status: [ConnectionStatus];
};

export class MrzReader extends TypedEmitter<MrzReaderEvents> {
  readonly #port: ReconnectingPort;
  readonly #framer: SerialFramer;
  readonly #assembler: MrzAssembler;
  readonly #lineTimer = new IdleTimer();
  readonly #docTimer = new IdleTimer();

  constructor(options: MrzReaderOptions) {
    super();
    // The longest legitimate line is a TD1 zone sent in one piece (90 characters).
    this.#framer = new SerialFramer({ terminator: 'any', maxLength: 96, idleTimeoutMs: options.lineTimeoutMs ?? 500 });
    this.#assembler = new MrzAssembler({ documentTimeoutMs: options.documentTimeoutMs ?? 1000 });
    this.#port = new ReconnectingPort({
      path: options.path,
      baudRate: options.baudRate ?? 9600,
      initialDelayMs: options.initialDelayMs,
      maxDelayMs: options.maxDelayMs,
    });
    this.#port.on('data', (d) => this.#onData(d));
    this.#port.on('status', (s) => {
      if (s !== 'connected') {
        this.#deliverLines(this.#framer.reset('line dropped mid-line'));
        this.#deliver(this.#assembler.reset('line dropped mid-document'));
      }
      this.emit('status', s);
    });
    this.#port.on('error', (e) => this.emit('error', { code: 'io', detail: e.detail }));
    this.#port.start();
  }

  get status(): ConnectionStatus {
    return this.#port.status;
  }

  async close(): Promise<void> {
    this.#lineTimer.cancel();
    this.#docTimer.cancel();
    await this.#port.close();
  }

  #onData(chunk: Buffer): void {
    this.#deliverLines(this.#framer.push(chunk));
    this.#lineTimer.arm(this.#framer.pending > 0, this.#framer.idleTimeoutMs, () => this.#deliverLines(this.#framer.flushIdle()));
  }

  #deliverLines(events: FrameEvent[]): void {
    for (const e of events) {
      if (e.kind === 'error') {
        // A broken line also breaks the document it belonged to.
        this.#deliver(this.#assembler.reset(`a ${e.code} line interrupted it`));
        this.emit('error', { code: e.code === 'too_long' ? 'too_long' : e.code, detail: e.detail });
      } else this.#deliver(this.#assembler.push(e.code));
    }
    this.#docTimer.arm(this.#assembler.pending > 0, this.#assembler.documentTimeoutMs, () => this.#deliver(this.#assembler.flushIdle()));
  }

  #deliver(events: MrzEvent[]): void {
    for (const e of events) {
      if (e.kind === 'document') this.emit('document', { document: e.document, at: new Date() });
      else this.emit('error', { code: e.code, detail: e.detail });
    }
  }
}

export function openMrzReader(options: MrzReaderOptions): MrzReader {
  return new MrzReader(options);
}
