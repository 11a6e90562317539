// Owns printing badges on an Evolis card printer with its raw command language over any printer
// transport (TCP, serial, USB): each badge block of a PrintDocument drawn on the card panel (1016 x 648
// dots; a portrait badge turned a quarter), turned into the k panel, front and back for a two-sided
// template, sent one command at a time with each answer checked and errors handed to the host (Pem;2).
// Also the registry entry (`evolis`) and the older printBadge(BadgeData) call.
import { z } from 'zod';
import { defineProtocol } from '../protocol';
import { describePrinterLink, printerLink } from '../settings';
import type { PrintDocument, PrinterStatus } from '../printers/document';
import { PrinterBase, refuseIfNotReady, type Printer } from '../printers/printer';
import { openPrinterLink, printerLinkUsb } from '../printers/transports/open';
import type { PrinterTransport } from '../printers/transports/transport';
import { CR80_EVOLIS, defaultBadgeTemplate, renderBadge, type BadgeData, type BadgeTemplate, type RenderedBadge } from './badge';
import { badgeBlocksOnly, badgeSidesFor, rotateQuarter, type BadgeOutput, type PreparedBadge } from './badge-output';
import { isRendered, type BadgePrinter } from './badge-printer';
import * as evolis from './evolis';

export interface EvolisPrinterOptions extends evolis.JobOptions {
  transport: PrinterTransport;
  /** How long the printer may take to feed, print and eject a card before answering Se (default 60 s). */
  cardTimeoutMs?: number;
}

/** What an Evolis is sent for a badge: the card panel, 1 bit. */
export const EVOLIS_BADGE_OUTPUT: BadgeOutput = Object.freeze({ kind: 'card', width: evolis.CARD_WIDTH, height: evolis.CARD_HEIGHT });

export class EvolisPrinter extends PrinterBase implements BadgePrinter, Printer {
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

  /** The command sequence of one badge block, prepared (one buffer per command). */
  cardCommands(badge: PreparedBadge): Buffer[] {
    const panels = badgeSidesFor(EVOLIS_BADGE_OUTPUT, badge).map((s) => {
      const card = s.width === evolis.CARD_WIDTH ? s.mono! : rotateQuarter(s.mono!);
      return evolis.panelFromCard(card);
    });
    return evolis.monoJob(panels[0]!, panels[1], this.#options);
  }

  /** The cards print(doc) would send: one command list per badge block. Throws 'bad_document'. */
  cardsFor(doc: PrintDocument): Buffer[][] {
    return badgeBlocksOnly(doc.blocks, 'an Evolis card printer').map((b) => this.cardCommands(b));
  }

  status(): Promise<PrinterStatus> {
    return this.run(() => this.#status());
  }

  /** Every badge block as a card, in order; nothing is sent unless every block can print. */
  print(doc: PrintDocument): Promise<void> {
    return this.run(async () => {
      const cards = this.cardsFor(doc);
      if (cards.length === 0) return;
      for (const cmds of cards) {
        refuseIfNotReady(await this.#status(), this.name);
        await this.#send(cmds);
      }
    });
  }

  printBadge(badge: BadgeData | RenderedBadge, template?: BadgeTemplate): Promise<void> {
    return this.run(async () => {
      const cmds = this.commandsFor(badge, template);
      refuseIfNotReady(await this.#status(), this.name);
      await this.#send(cmds);
    });
  }

  async #send(cmds: Buffer[]): Promise<void> {
    for (const cmd of cmds) {
      // Name a command by its text; a download by its header only.
      const isDownload = cmd[1] === 0x44 && cmd[2] === 0x62;
      const what = cmd.subarray(1, isDownload ? 7 : cmd.length - 1).toString('latin1');
      const isEnd = what === 'Se';
      const reply = await this.transport.request(cmd, evolis.answerFrame, what, isEnd ? (this.#options.cardTimeoutMs ?? 60_000) : undefined);
      const e = evolis.answerError(evolis.answerText(reply), this.name, what);
      if (e) throw e;
    }
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

/** Evolis card printer (black ribbon), raw commands on any link. */
export const evolisProtocol = defineProtocol({
  class: 'printer',
  prints: ['badge'],
  settings: {
    ...printerLink,
    /** k panel contrast 0..20 (default 10). */
    contrast: z.number().int().min(0).max(20).optional(),
    /** Card insertion: F feeder (default), M manual, B both. */
    insertion: z.enum(['F', 'M', 'B']).optional(),
    /** How long a card may take to feed, print and eject (default 60 s). */
    cardTimeoutMs: z.number().int().min(5000).max(300_000).optional(),
  },
  open: (s, ctx) =>
    createEvolisPrinter({ transport: openPrinterLink(s.transport, s.timeoutMs, ctx), contrast: s.contrast, insertion: s.insertion, cardTimeoutMs: s.cardTimeoutMs }),
  describe: (s) => describePrinterLink(s.transport),
  usb: (s) => printerLinkUsb(s.transport),
  badge: () => EVOLIS_BADGE_OUTPUT,
});
