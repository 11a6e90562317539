// Owns printing a PrintDocument on a Star printer in line mode over any printer transport, with the
// status read as an ASB (ESC ACK SOH) before and after each job, like the ESC/POS driver.
import type { PrintDocument, PrinterStatus } from './document';
import { PrinterBase, perr, refuseIfNotReady, type Printer } from './printer';
import * as star from './star';
import { defineProtocol } from '../protocol';
import { describePrinterLink, printerLink } from '../settings';
import { PaperWidthDots } from './escpos-printer';
import { openPrinterLink, printerLinkUsb } from './transports/open';
import type { PrinterTransport } from './transports/transport';

export interface StarPrinterOptions extends star.StarRenderOptions {
  transport: PrinterTransport;
}

export class StarPrinter extends PrinterBase implements Printer {
  readonly protocol = 'star' as const;
  readonly #options: star.StarRenderOptions;

  constructor(options: StarPrinterOptions) {
    super(options.transport);
    this.#options = options;
  }

  /** The bytes print(doc) would send. */
  render(doc: PrintDocument): Buffer {
    return star.renderDocument(doc, this.#options);
  }

  status(): Promise<PrinterStatus> {
    return this.run(() => this.#status());
  }

  print(doc: PrintDocument): Promise<void> {
    return this.run(async () => {
      const bytes = this.render(doc);
      refuseIfNotReady(await this.#status(), this.name);
      await this.transport.write(bytes);
      const after = await this.#status();
      if (after.paperOut) throw perr('paper_out', `paper ran out while printing ${bytes.length} bytes`);
      refuseIfNotReady(after, this.name);
    });
  }

  async #status(): Promise<PrinterStatus> {
    const reply = await this.transport.request(star.statusRequest(), star.asbFrame, 'ESC ACK SOH');
    return this.announce(star.decodeAsb(reply));
  }
}

export function createStarPrinter(options: StarPrinterOptions): StarPrinter {
  return new StarPrinter(options);
}

/** Star line-mode receipt and ticket printer on any link. */
export const starProtocol = defineProtocol({
  class: 'printer',
  prints: ['receipt', 'ticket'],
  settings: {
    ...printerLink,
    /** Printable dots across the paper (badges): 576 on 80 mm paper (the default), 384 on 58 mm. */
    paperWidthDots: PaperWidthDots.optional(),
  },
  open: (s, ctx) => createStarPrinter({ transport: openPrinterLink(s.transport, s.timeoutMs, ctx), paperWidthDots: s.paperWidthDots ?? 576 }),
  describe: (s) => describePrinterLink(s.transport),
  usb: (s) => printerLinkUsb(s.transport),
  badge: (s) => star.starBadgeOutput({ paperWidthDots: s.paperWidthDots ?? 576 }),
});
