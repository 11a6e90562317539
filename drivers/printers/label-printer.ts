// Owns what the label-language drivers (TSPL, ZPL) share: a default label size, printLabel() for a
// positioned LabelDocument, print() for the core's PrintDocument (flowed onto labels of that size, one
// per cut; a badge document as one label per badge side, the badge drawn at the printer's dpi and
// dithered to 1 bit, on a label of the template's stock size), and the status check before and after
// each job. Also the registry entry of a label printer (its link and its dpi).
import { z } from 'zod';
import { badgeBlocksOnly, badgeSidesFor, type BadgeOutput, type PreparedBadge } from '../badges/badge-output';
import { stockSizeMm } from '../../domain/badge-template';
import { defineProtocol, type PrintKind } from '../protocol';
import { describePrinterLink, printerLink } from '../settings';
import type { PrintDocument, PrinterStatus } from './document';
import { DEFAULT_DPI, layoutDocument, mmToDots, type LabelDocument } from './label';
import { PrinterBase, perr, type LabelPrinter, type PrinterError } from './printer';
import { openPrinterLink, printerLinkUsb } from './transports/open';
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

  /** What this printer is sent for a badge: the stock at its dpi, 1 bit. */
  get badgeOutput(): BadgeOutput {
    return { kind: 'label', dpi: this.stock.dpi };
  }

  /** The labels print(doc) would send. */
  labelsFor(doc: PrintDocument): LabelDocument[] {
    const { widthMm, heightMm, gapMm, dpi } = this.stock;
    if (doc.blocks.some((b) => b.type === 'badge')) return badgeBlocksOnly(doc.blocks, `a ${this.protocol.toUpperCase()} label printer`).flatMap((b) => this.badgeLabels(b));
    return layoutDocument(doc, { width: mmToDots(widthMm, dpi), height: mmToDots(heightMm, dpi) }).map((items) => ({ widthMm, heightMm, gapMm, dpi, items }));
  }

  /** One label per side of a badge: the side's 1-bit image from the label's top-left corner. */
  badgeLabels(badge: PreparedBadge): LabelDocument[] {
    const mm = stockSizeMm(badge.template.stock);
    return badgeSidesFor(this.badgeOutput, badge).map((side) => {
      const { data } = side.mono!.pack('black');
      return { widthMm: mm.width, heightMm: mm.height, gapMm: this.stock.gapMm, dpi: this.stock.dpi, items: [{ type: 'image', x: 0, y: 0, width: side.width, height: side.height, bits: data }] };
    });
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

/** A label printer's resolution: 203 dpi (8 dots/mm, the default) or 300 dpi (12 dots/mm). */
export const LabelDpi = z.union([z.literal(203), z.literal(300)]);

/** The protocol of a label printer (TSPL, ZPL): its link and its dpi; it prints labels and badges. */
export const labelPrinterProtocol = (prints: readonly PrintKind[], create: (options: LabelPrinterOptions) => LabelPrinter) =>
  defineProtocol({
    class: 'printer',
    prints,
    settings: { ...printerLink, dpi: LabelDpi.optional() },
    open: (s, ctx) => create({ transport: openPrinterLink(s.transport, s.timeoutMs, ctx), stock: { widthMm: 60, heightMm: 100, dpi: s.dpi ?? DEFAULT_DPI } }),
    describe: (s) => describePrinterLink(s.transport),
    usb: (s) => printerLinkUsb(s.transport),
    badge: (s): BadgeOutput => ({ kind: 'label', dpi: s.dpi ?? DEFAULT_DPI }),
  });
