// Owns printing box-office tickets on a Boca FGL printer over any printer transport. Boca status is
// mostly unsolicited (out of paper, jam, X-ON are sent once, when they happen) and <S1> is answered
// only while the printer is ready, so the driver keeps a running state from every status byte it sees
// and, when <S1> goes unanswered, reports that state instead of a bare timeout. Each ticket is
// confirmed by its ACK (06) or refused by the fault byte that comes instead.
import type { PrintDocument, PrinterStatus } from './document';
import * as fgl from './fgl';
import { linkPrinterProtocol } from './transports/open';
import { layoutDocument, type LabelDocument } from './label';
import { PrinterBase, perr, type LabelPrinter } from './printer';
import type { PrinterTransport } from './transports/transport';
import { isDriverError } from '../errors';

export interface FglPrinterOptions {
  transport: PrinterTransport;
  /** Ticket stock at the printer's resolution (default 2" x 5.5" at 200 dpi: 1100 x 400 dots). */
  ticket?: { widthDots: number; heightDots: number; dpi?: number };
  /** How long a ticket may take to print before its ACK (default 10 s). */
  ackTimeoutMs?: number;
}

export class FglPrinter extends PrinterBase implements LabelPrinter {
  readonly protocol = 'fgl' as const;
  readonly ticket: { widthDots: number; heightDots: number; dpi: number };
  readonly #ackTimeoutMs: number;
  #state = fgl.initialState();

  constructor(options: FglPrinterOptions) {
    super(options.transport);
    this.ticket = { widthDots: options.ticket?.widthDots ?? 1100, heightDots: options.ticket?.heightDots ?? 400, dpi: options.ticket?.dpi ?? 200 };
    this.#ackTimeoutMs = options.ackTimeoutMs ?? 10_000;
    options.transport.on('data', (chunk) => {
      for (const b of chunk) this.#state = fgl.applyStatusByte(this.#state, b);
    });
  }

  /** The tickets print(doc) sends: QR codes in a stub column on the right, one ticket per cut. */
  ticketsFor(doc: PrintDocument): LabelDocument[] {
    const { widthDots, heightDots, dpi } = this.ticket;
    const mm = (d: number) => (d * 25.4) / dpi;
    // Label sizes are in mm; add a little so rounding back to dots keeps the full width.
    const size = { widthMm: mm(widthDots) + 0.01, heightMm: mm(heightDots) + 0.01, dpi };
    return layoutDocument(doc, { width: widthDots, height: heightDots, qrColumn: true }).map((items) => ({ ...size, items }));
  }

  status(): Promise<PrinterStatus> {
    return this.run(() => this.#status());
  }

  print(doc: PrintDocument): Promise<void> {
    return this.run(() => this.#send(this.ticketsFor(doc)));
  }

  printLabel(ticket: LabelDocument): Promise<void> {
    return this.run(() => this.#send([ticket]));
  }

  async #send(tickets: LabelDocument[]): Promise<void> {
    const jobs = tickets.map((t) => fgl.renderTicket(t));
    const s = await this.#status();
    if (s.paperOut) throw perr('paper_out', `${this.name}: out of tickets`);
    if (s.error) throw perr('jam', `${this.name}: paper jam`);
    if (!s.online) throw perr('offline', `${this.name} is not ready`);
    for (const bytes of jobs) {
      this.transport.discardInput();
      await this.transport.write(bytes);
      const reply = await this.transport.read(fgl.ticketEndFrame, 'the ticket ACK', this.#ackTimeoutMs);
      const e = fgl.ticketResult(reply.at(-1)!, this.name);
      if (e) throw e;
    }
  }

  async #status(): Promise<PrinterStatus> {
    try {
      const reply = await this.transport.request(fgl.STATUS_REQUEST, fgl.xonFrame, '<S1>');
      if (reply.includes(fgl.STATUS.lowPaper)) this.#state = { ...this.#state, lowPaper: true };
      return this.announce(fgl.toPrinterStatus(this.#state, true));
    } catch (e) {
      // Silence with a known fault is the printer telling us it is not ready; silence alone is a timeout.
      if (isDriverError(e, 'timeout') && (this.#state.paperOut || this.#state.jam || this.#state.busy)) {
        return this.announce(fgl.toPrinterStatus(this.#state, false));
      }
      throw e;
    }
  }
}

export function createFglPrinter(options: FglPrinterOptions): FglPrinter {
  return new FglPrinter(options);
}

/** Boca FGL box-office ticket printer on any link. */
export const fglProtocol = linkPrinterProtocol(['ticket'], (transport) => createFglPrinter({ transport }));
