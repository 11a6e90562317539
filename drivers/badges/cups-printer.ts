// Owns printing badges through the operating system's print queue (CUPS on Linux and macOS, the
// card printer vendor's driver behind it): each document's badge blocks become one PDF (pdf-lib) whose
// pages are the stock — a CR80 card (85.6 x 53.98 mm, or portrait), A6, a label of the template's size,
// or A4 with the badges placed in the template's columns x rows grid, sheet after sheet for a group
// (a two-sided template's backs on the following sheet, mirrored for long-edge duplex) — each side
// embedded as the colour image the badge renderer draws at the template's dpi. Submitted with lp
// (argument list, PDF on stdin, the queue's media and options), status from lpstat. Also the registry
// entry (`cups`).
import { concatTransformationMatrix, drawObject, PDFDocument, popGraphicsState, pushGraphicsState, type PDFName, type PDFPage, type PDFRef } from 'pdf-lib';
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

/** An RGB PNG's pixel stream (its IDAT data: deflated, PNG-filtered rows) and size. */
function pngPixelStream(png: Buffer): { width: number; height: number; data: Buffer } {
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  if (png[24] !== 8 || png[25] !== 2 || png[28] !== 0) throw new Error('not an 8-bit RGB PNG without interlace');
  const parts: Buffer[] = [];
  for (let at = 8; at < png.length; ) {
    const len = png.readUInt32BE(at);
    if (png.toString('latin1', at + 4, at + 8) === 'IDAT') parts.push(png.subarray(at + 8, at + 8 + len));
    at += 12 + len;
  }
  return { width, height, data: Buffer.concat(parts) };
}

/**
 * The PDF of a document's badges: one page per side of each badge (front, then back), or for an A4
 * N-up stock, sheets filled row by row in the template's grid (for a two-sided template each front
 * sheet is followed by its back sheet, columns mirrored so each back lands behind its front). Each
 * side is the badge's RGB PNG embedded as it is (its deflated rows with the PNG predictor), so the
 * page holds exactly the pixels badgeAsPrinted answers, and nothing is decoded or re-compressed.
 */
export async function badgePdf(badges: PreparedBadge[]): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle('Admit badges');
  pdf.setCreator('Admit');
  pdf.setProducer('Admit');
  // A fixed date keeps the same badges' PDF byte for byte the same.
  pdf.setCreationDate(new Date(0));
  pdf.setModificationDate(new Date(0));
  const embed = (png: Buffer): PDFRef => {
    const { width, height, data } = pngPixelStream(png);
    const dict = { Type: 'XObject', Subtype: 'Image', Width: width, Height: height, ColorSpace: 'DeviceRGB', BitsPerComponent: 8, Filter: 'FlateDecode' };
    const parms = { Predictor: 15, Colors: 3, BitsPerComponent: 8, Columns: width };
    return pdf.context.register(pdf.context.stream(data, { ...dict, DecodeParms: parms }));
  };
  const place = (page: PDFPage, image: PDFRef, box: { x: number; y: number; width: number; height: number }) => {
    const name: PDFName = page.node.newXObject('Badge', image);
    page.pushOperators(pushGraphicsState(), concatTransformationMatrix(box.width, 0, 0, box.height, box.x, box.y), drawObject(name), popGraphicsState());
  };
  type Sheet = { front: PDFPage; back: PDFPage | null; used: number; key: string };
  let sheet: Sheet | null = null;
  for (const badge of badges) {
    const { stock } = badge.template;
    const piece = stockSizeMm(stock);
    const page = pageSizeMm(stock);
    const images = badgeSidesFor(CUPS_BADGE_OUTPUT, badge).map((s) => embed(s.png()));
    const pageSize: [number, number] = [page.width * PT_PER_MM, page.height * PT_PER_MM];
    if (stock.kind !== 'a4-nup') {
      for (const image of images) place(pdf.addPage(pageSize), image, { x: 0, y: 0, width: pageSize[0], height: pageSize[1] });
      sheet = null;
      continue;
    }
    const key = JSON.stringify([stock, badge.template.sides]);
    if (!sheet || sheet.key !== key || sheet.used >= stock.columns * stock.rows) {
      const front = pdf.addPage(pageSize);
      sheet = { front, back: images.length > 1 ? pdf.addPage(pageSize) : null, used: 0, key };
    }
    const col = sheet.used % stock.columns;
    const row = Math.floor(sheet.used / stock.columns);
    sheet.used++;
    // PDF's origin is the bottom-left corner; rows fill from the top.
    const cell = (c: number) => ({ x: c * piece.width * PT_PER_MM, y: (page.height - (row + 1) * piece.height) * PT_PER_MM, width: piece.width * PT_PER_MM, height: piece.height * PT_PER_MM });
    place(sheet.front, images[0]!, cell(col));
    if (sheet.back && images[1]) place(sheet.back, images[1], cell(stock.columns - 1 - col));
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
