// Owns what the label-language drivers (TSPL, ZPL) share: a default label size, printLabel() for a
// positioned LabelDocument, print() for the core's PrintDocument (flowed onto labels of that size, one
// per cut), and the status check before and after each job.
import type { PrintDocument, PrinterStatus } from './document';
import { DEFAULT_DPI, layoutDocument, mmToDots, type LabelDocument } from './label';
import { PrinterBase, perr, type LabelPrinter, type PrinterError } from './printer';
import type { PrinterTransport } from './transports/transport';

export interface LabelStock {
  widthMm: number;
  heightMm: number;
  gapMm?: number;
  dpi?: number;
}

export interface LabelPrinterOptions {
  transport: PrinterTransport;
  /** The loaded stock, used to lay out PrintDocuments (default 60 x 100 mm, 2 mm gap, 203 dpi). */
  stock?: LabelStock;
}

export abstract class LabelPrinterBase extends PrinterBase implements LabelPrinter {
  readonly stock: Required<LabelStock>;

  constructor(options: LabelPrinterOptions) {
    super(options.transport);
    const s = options.stock;
    this.stock = { widthMm: s?.widthMm ?? 60, heightMm: s?.heightMm ?? 100, gapMm: s?.gapMm ?? 2, dpi: s?.dpi ?? DEFAULT_DPI };
  }

  /** The bytes for one label; throws a 'bad_document' DriverError for a label that cannot print. */
  abstract renderLabel(label: LabelDocument): Buffer;
  /** Ask the printer; `refusal` says why it cannot print now (null when it can). */
  protected abstract readStatus(): Promise<{ status: PrinterStatus; refusal: PrinterError | null }>;

  /** The labels print(doc) would send. */
  labelsFor(doc: PrintDocument): LabelDocument[] {
    const { widthMm, heightMm, gapMm, dpi } = this.stock;
    return layoutDocument(doc, { width: mmToDots(widthMm, dpi), height: mmToDots(heightMm, dpi) }).map((items) => ({ widthMm, heightMm, gapMm, dpi, items }));
  }

  status(): Promise<PrinterStatus> {
    return this.run(async () => (await this.readStatus()).status);
  }

  printLabel(label: LabelDocument): Promise<void> {
    return this.run(() => this.#send([this.renderLabel(label)]));
  }

  print(doc: PrintDocument): Promise<void> {
    return this.run(() => this.#send(this.labelsFor(doc).map((l) => this.renderLabel(l))));
  }

  async #send(jobs: Buffer[]): Promise<void> {
    const before = await this.readStatus();
    if (before.refusal) throw before.refusal;
    for (const bytes of jobs) await this.transport.write(bytes);
    const after = await this.readStatus();
    if (after.status.paperOut) throw perr('paper_out', `${this.name} ran out of labels while printing`);
    if (after.refusal) throw after.refusal;
  }
}
