// Owns printing badges through the operating system's print queue (CUPS on Linux and macOS, the
// card printer vendor's driver behind it): each document's badge blocks become one PDF (pdf-lib) whose
// pages are the stock — a CR80 card (85.6 x 53.98 mm, or portrait), A6, a label of the template's size,
// or A4 with the badges placed in the template's columns x rows grid, sheet after sheet for a group
// (a two-sided template's backs on the following sheet, mirrored for long-edge duplex) — each side
// embedded as the colour image the badge renderer draws at the template's dpi. Submitted with lp
// (argument list, PDF on stdin, the queue's media and options), status from lpstat. Also the registry
// entry (`cups`).
import { PDFDocument, type PDFImage, type PDFPage } from 'pdf-lib';
import { z } from 'zod';
import { stockSizeMm, type BadgeStock } from '../../domain/badge-template';
import { DriverError } from '../errors';
import { TypedEmitter } from '../events';
import { defineProtocol } from '../protocol';
import type { PrintDocument, PrinterStatus } from '../printers/document';
import { perr, type Printer, type PrinterError, type PrinterErrorCode, type PrinterEvents } from '../printers/printer';
import { badgeBlocksOnly, badgeSidesFor, type BadgeOutput, type PreparedBadge } from './badge-output';
import { cupsQueueStatus, run } from './os-queue';

/** What the OS queue is sent for a badge: colour at the template's dpi, on a PDF page of the stock. */
export const CUPS_BADGE_OUTPUT: BadgeOutput = Object.freeze({ kind: 'page' });

export interface CupsPrinterOptions {
  /** The CUPS queue (destination) name. */
  queue: string;
  /** The CUPS server (host[:port] or a local socket path); default: the system's. */
  server?: string;
  /** lp -o options (e.g. { sides: 'two-sided-long-edge', ColorModel: 'Gray' }); `media` overrides the stock's. */
  options?: Record<string, string>;
  timeoutMs?: number;
}

const PT_PER_MM = 72 / 25.4;
const A4 = { width: 210, height: 297 };

/** The media keyword lp is given for a stock (the queue's options may override it). */
export function mediaFor(stock: BadgeStock): string {
  switch (stock.kind) {
    case 'cr80':
      return 'CR80';
    case 'a6':
      return 'A6';
    case 'a4-nup':
      return 'A4';
    case 'label':
      return `Custom.${+stock.widthMm.toFixed(2)}x${+stock.heightMm.toFixed(2)}mm`;
  }
}

/** A page's size in mm: the piece of stock, or the whole A4 sheet of an N-up stock. */
export function pageSizeMm(stock: BadgeStock): { width: number; height: number } {
  return stock.kind === 'a4-nup' ? A4 : stockSizeMm(stock);
}

/**
 * The PDF of a document's badges: one page per side of each badge (front, then back), or for an A4
 * N-up stock, sheets filled row by row in the template's grid (for a two-sided template each front
 * sheet is followed by its back sheet, columns mirrored so each back lands behind its front).
 */
export async function badgePdf(badges: PreparedBadge[]): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle('Admit badges');
  pdf.setCreator('Admit');
  pdf.setProducer('Admit');
  // A fixed date keeps the same badges' PDF byte for byte the same.
  pdf.setCreationDate(new Date(0));
  pdf.setModificationDate(new Date(0));
  type Sheet = { front: PDFPage; back: PDFPage | null; used: number; key: string };
  let sheet: Sheet | null = null;
  for (const badge of badges) {
    const { stock } = badge.template;
    const piece = stockSizeMm(stock);
    const page = pageSizeMm(stock);
    const sides = badgeSidesFor(CUPS_BADGE_OUTPUT, badge);
    const images = await Promise.all(sides.map((s) => pdf.embedPng(s.png())));
    if (stock.kind !== 'a4-nup') {
      for (const img of images) {
        const p = pdf.addPage([page.width * PT_PER_MM, page.height * PT_PER_MM]);
        p.drawImage(img, { x: 0, y: 0, width: page.width * PT_PER_MM, height: page.height * PT_PER_MM });
      }
      sheet = null;
      continue;
    }
    const key = JSON.stringify([stock, badge.template.sides]);
    const cells = stock.columns * stock.rows;
    if (!sheet || sheet.key !== key || sheet.used >= cells) {
      const front = pdf.addPage([page.width * PT_PER_MM, page.height * PT_PER_MM]);
      const back = images.length > 1 ? pdf.addPage([page.width * PT_PER_MM, page.height * PT_PER_MM]) : null;
      sheet = { front, back, used: 0, key };
    }
    const col = sheet.used % stock.columns;
    const row = Math.floor(sheet.used / stock.columns);
    sheet.used++;
    const place = (p: PDFPage, img: PDFImage, c: number) =>
      p.drawImage(img, {
        x: c * piece.width * PT_PER_MM,
        // PDF's origin is the bottom-left corner; rows fill from the top.
        y: (page.height - (row + 1) * piece.height) * PT_PER_MM,
        width: piece.width * PT_PER_MM,
        height: piece.height * PT_PER_MM,
      });
    place(sheet.front, images[0]!, col);
    if (sheet.back && images[1]) place(sheet.back, images[1], stock.columns - 1 - col);
  }
  return pdf.save({ useObjectStreams: false });
}

/** lp's arguments for a badge PDF (exported for tests and logs). */
export function cupsLpArgs(queue: string, media: string, options: Record<string, string> = {}, title = 'Admit badge'): string[] {
  if (!/^[^\s/#]+$/.test(queue)) throw new DriverError<PrinterErrorCode>('bad_document', `queue name ${JSON.stringify(queue)} is not a CUPS queue name`);
  const args = ['-d', queue, '-o', `media=${options['media'] ?? media}`];
  for (const [k, v] of Object.entries(options)) if (k !== 'media') args.push('-o', `${k}=${v}`);
  args.push('-t', title);
  return args;
}

/** A badge printer behind a CUPS queue. */
export class CupsBadgePrinter extends TypedEmitter<PrinterEvents> implements Printer {
  readonly protocol = 'cups' as const;
  readonly #options: CupsPrinterOptions;
  /** Job ids CUPS assigned, newest last. */
  readonly jobs: string[] = [];

  constructor(options: CupsPrinterOptions) {
    super();
    this.#options = options;
  }

  get #env(): NodeJS.ProcessEnv {
    return this.#options.server ? { ...process.env, CUPS_SERVER: this.#options.server } : process.env;
  }

  /** The PDF and lp arguments print(doc) would submit; throws 'bad_document' before anything runs. */
  async jobFor(doc: PrintDocument): Promise<{ pdf: Uint8Array; args: string[] }> {
    const badges = badgeBlocksOnly(doc.blocks, 'a CUPS badge queue');
    if (badges.length === 0) throw perr('bad_document', 'the document has no badge');
    const pdf = await badgePdf(badges);
    return { pdf, args: cupsLpArgs(this.#options.queue, mediaFor(badges[0]!.template.stock), this.#options.options, badges.length > 1 ? `Admit badges (${badges.length})` : 'Admit badge') };
  }

  async print(doc: PrintDocument): Promise<void> {
    try {
      const { pdf, args } = await this.jobFor(doc);
      const r = await run('lp', args, { input: pdf, env: this.#env, timeoutMs: this.#options.timeoutMs ?? 15_000 });
      if (r.code !== 0) {
        const why = (r.stderr || r.stdout).trim();
        const code: PrinterErrorCode = /does not exist|not exist|Unknown destination/i.test(why) ? 'unreachable' : /not accepting|disabled/i.test(why) ? 'offline' : 'rejected';
        throw perr(code, `lp -d ${this.#options.queue} failed (${r.code}): ${why}`);
      }
      const m = /request id is (\S+)/.exec(r.stdout);
      if (!m) throw perr('bad_reply', `lp said ${JSON.stringify(r.stdout.trim())}`);
      this.jobs.push(m[1]!);
    } catch (e) {
      throw this.#report(e);
    }
  }

  async status(): Promise<PrinterStatus> {
    try {
      const s = await cupsQueueStatus({ queue: this.#options.queue, env: this.#env, timeoutMs: this.#options.timeoutMs });
      this.emit('printer-status', s);
      return s;
    } catch (e) {
      throw this.#report(e);
    }
  }

  async close(): Promise<void> {}

  #report(e: unknown): PrinterError {
    const err = e instanceof DriverError ? (e as PrinterError) : perr('io', e instanceof Error ? e.message : String(e), e);
    this.emit('error', err);
    return err;
  }
}

export function createCupsBadgePrinter(options: CupsPrinterOptions): CupsBadgePrinter {
  return new CupsBadgePrinter(options);
}

/** A badge printer behind the OS print queue (CUPS). */
export const cupsProtocol = defineProtocol({
  class: 'printer',
  prints: ['badge'],
  settings: {
    queue: z.string().regex(/^[^\s/#]+$/, 'a CUPS queue name (no spaces, "/" or "#")').max(127),
    /** The CUPS server: host[:port] or a local socket path (default: the system's). */
    server: z.string().min(1).max(260).optional(),
    /** lp -o options, e.g. { "sides": "two-sided-long-edge" }; "media" overrides the stock's. */
    options: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]{0,63}$/), z.string().max(200).regex(/^[^\n\r]*$/)).optional(),
    timeoutMs: z.number().int().min(1000).max(120_000).optional(),
  },
  open: (s) => createCupsBadgePrinter({ queue: s.queue, server: s.server, options: s.options, timeoutMs: s.timeoutMs }),
  describe: (s) => `cups ${s.queue}${s.server ? ` @${s.server}` : ''}`,
  badge: () => CUPS_BADGE_OUTPUT,
});
