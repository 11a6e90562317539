// Owns what every printer driver looks like to the core, whatever its language (ESC/POS, Star line
// mode, TSPL, ZPL, Boca FGL, Evolis): print a document, read a PrinterStatus, close; the same events
// and the same coded errors. Also the small shared base that turns failures into those errors.
import { TypedEmitter } from '../events';
import { DriverError, type ConnectionStatus } from '../errors';
import type { PrintDocument, PrinterStatus } from './document';
import type { LabelDocument } from './label';
import type { PrinterTransport } from './transports/transport';

export type PrinterErrorCode =
  | 'paper_out'
  | 'cover_open'
  | 'offline'
  | 'printer_error'
  | 'timeout'
  | 'unreachable'
  | 'io'
  | 'closed'
  | 'bad_reply'
  | 'bad_document'
  /** Paper, label or card jammed. */
  | 'jam'
  | 'ribbon_out'
  /** The printer answered that it refused a command (bad syntax or parameter). */
  | 'rejected';
export type PrinterError = DriverError<PrinterErrorCode>;

export type PrinterProtocol = 'escpos' | 'star' | 'tspl' | 'zpl' | 'fgl' | 'evolis' | 'cups';

export type PrinterEvents = {
  status: [ConnectionStatus];
  /** Every status read, so screens can show "paper low" without asking. */
  'printer-status': [PrinterStatus];
  error: [PrinterError];
};

/** A ticket / receipt / label printer as the core sees it. */
export interface Printer extends TypedEmitter<PrinterEvents> {
  readonly protocol: PrinterProtocol;
  print(doc: PrintDocument): Promise<void>;
  status(): Promise<PrinterStatus>;
  close(): Promise<void>;
}

/** Label printers also print positioned labels. */
export interface LabelPrinter extends Printer {
  printLabel(label: LabelDocument): Promise<void>;
}

export const perr = (code: PrinterErrorCode, detail: string, cause?: unknown): PrinterError =>
  new DriverError<PrinterErrorCode>(code, detail, cause === undefined ? undefined : { cause });

/** Why a printer cannot print, as the codes its refusals carry. */
export type PrinterRefusal = 'paper_out' | 'ribbon_out' | 'cover_open' | 'printer_error' | 'offline';

const REFUSAL_TEXT: Record<PrinterRefusal, string> = {
  paper_out: 'reports paper out',
  ribbon_out: 'reports its ribbon out',
  cover_open: 'reports its cover (head) open',
  printer_error: 'reports an error',
  offline: 'reports offline',
};

/**
 * Why a printer cannot print now, from its status; null when it can. The one reading of a
 * PrinterStatus: drivers refuse a job by it, the print queue holds jobs by it, the supervisor and
 * the installer CLI show it. Paper (or cards) first, then the ribbon (the operator can fix both),
 * then the cover, then the rest.
 */
export function printerRefusal(s: PrinterStatus): PrinterRefusal | null {
  if (s.paperOut) return 'paper_out';
  if (s.ribbonOut) return 'ribbon_out';
  if (s.coverOpen) return 'cover_open';
  if (s.error) return 'printer_error';
  if (!s.online) return 'offline';
  return null;
}

/** Refuse to send a job to a printer that says it cannot print it. */
export function refuseIfNotReady(s: PrinterStatus, name: string): void {
  const refusal = printerRefusal(s);
  if (refusal) throw perr(refusal, `${name} ${REFUSAL_TEXT[refusal]}`);
}

export const READY: PrinterStatus = Object.freeze({ online: true, coverOpen: false, paperOut: false, paperNearEnd: false, error: false });

/** Shared plumbing of the drivers: one transport, events forwarded, failures coded and announced. */
export abstract class PrinterBase extends TypedEmitter<PrinterEvents> {
  abstract readonly protocol: PrinterProtocol;
  protected readonly transport: PrinterTransport;

  constructor(transport: PrinterTransport) {
    super();
    this.transport = transport;
    transport.on('status', (s) => this.emit('status', s));
  }

  get name(): string {
    return this.transport.name;
  }

  async close(): Promise<void> {
    await this.transport.close();
  }

  /** Run `fn` as one conversation on the link; any failure comes out coded and is emitted on 'error'. */
  protected run<T>(fn: () => Promise<T>): Promise<T> {
    return this.transport.exclusive(async () => {
      try {
        return await fn();
      } catch (e) {
        throw this.report(e);
      }
    });
  }

  protected report(e: unknown): PrinterError {
    const err = e instanceof DriverError ? (e as PrinterError) : perr('io', e instanceof Error ? e.message : String(e), e);
    this.emit('error', err);
    return err;
  }

  protected announce(s: PrinterStatus): PrinterStatus {
    this.emit('printer-status', s);
    return s;
  }
}
