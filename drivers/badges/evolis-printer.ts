// Owns printing badges on an Evolis card printer with its raw command language over any printer
// transport (TCP, serial, USB): render the card, turn it into the k panel, send the sequence one
// command at a time and check each answer, with errors handed to the host (Pem;2).
import type { PrinterStatus } from '../printers/document';
import { PrinterBase, refuseIfNotReady } from '../printers/printer';
import type { PrinterTransport } from '../printers/transports/transport';
import { CR80_EVOLIS, defaultBadgeTemplate, renderBadge, type BadgeData, type BadgeTemplate, type RenderedBadge } from './badge';
import { isRendered, type BadgePrinter } from './badge-printer';
import * as evolis from './evolis';

export interface EvolisPrinterOptions extends evolis.JobOptions {
  transport: PrinterTransport;
  /** How long the printer may take to feed, print and eject a card before answering Se (default 60 s). */
  cardTimeoutMs?: number;
}

export class EvolisPrinter extends PrinterBase implements BadgePrinter {
  readonly protocol = 'evolis' as const;
  readonly kind = 'evolis' as const;
  readonly #options: EvolisPrinterOptions;

  constructor(options: EvolisPrinterOptions) {
    super(options.transport);
    this.#options = options;
  }

  /** The command sequence printBadge sends (one buffer per command). */
  commandsFor(badge: BadgeData | RenderedBadge, template: BadgeTemplate = defaultBadgeTemplate()): Buffer[] {
    const rendered = isRendered(badge) ? badge : renderBadge(badge, template, CR80_EVOLIS);
    return evolis.monoJob(evolis.panelFromCard(rendered.mono), rendered.back ? evolis.panelFromCard(rendered.back.mono) : undefined, this.#options);
  }

  status(): Promise<PrinterStatus> {
    return this.run(() => this.#status());
  }

  printBadge(badge: BadgeData | RenderedBadge, template?: BadgeTemplate): Promise<void> {
    return this.run(async () => {
      const cmds = this.commandsFor(badge, template);
      refuseIfNotReady(await this.#status(), this.name);
      for (const cmd of cmds) {
        // Name a command by its text; a download by its header only.
        const isDownload = cmd[1] === 0x44 && cmd[2] === 0x62;
        const what = cmd.subarray(1, isDownload ? 7 : cmd.length - 1).toString('latin1');
        const isEnd = what === 'Se';
        const reply = await this.transport.request(cmd, evolis.answerFrame, what, isEnd ? (this.#options.cardTimeoutMs ?? 60_000) : undefined);
        const e = evolis.answerError(evolis.answerText(reply), this.name, what);
        if (e) throw e;
      }
    });
  }

  async #status(): Promise<PrinterStatus> {
    const pem = evolis.answerText(await this.transport.request(evolis.command('Pem;2'), evolis.answerFrame, 'Pem;2'));
    const feeder = evolis.answerText(await this.transport.request(evolis.command('Rse;f'), evolis.answerFrame, 'Rse;f'));
    return this.announce(evolis.toPrinterStatus(pem, feeder));
  }
}

export function createEvolisPrinter(options: EvolisPrinterOptions): EvolisPrinter {
  return new EvolisPrinter(options);
}
