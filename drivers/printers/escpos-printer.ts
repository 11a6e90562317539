// Owns printing a PrintDocument on an ESC/POS printer over any printer transport: raw TCP (port 9100,
// the default when given host/port), a serial line or USB bulk. Text the printer's code page holds
// goes through node-thermal-printer (folding); a line with any other character (Chinese, Cyrillic on a
// Latin table, the ruble sign) is drawn with a real font and sent as a GS v 0 raster image, because
// the library would switch to tables the printer may not have and print boxes or garbage. QR codes
// use escpos.ts because the library sizes QR data by characters; status uses DLE EOT because the
// library's getStatus sends GS r. The library's own TCP interface opens a socket per execute(); ours
// keeps one link (transports/). A badge block prints as a GS v 0 raster image: the badge drawn at the
// paper's dot width (576 dots on 80 mm paper, 384 on 58 mm) by the one badge renderer, dithered to
// 1 bit, then cut.
import { badgeSidesFor, prepareBadgeBlock, type BadgeOutput } from '../badges/badge-output';
import { ThermalPrinter, PrinterTypes, CharacterSet } from 'node-thermal-printer';
import { z } from 'zod';
import { TypedEmitter } from '../events';
import { DriverError } from '../errors';
import { defineProtocol } from '../protocol';
import { describePrinterLink, Host, Port, printerLink } from '../settings';
import type { PrintDocument, PrinterStatus, TextAlign } from './document';
import * as escpos from './escpos';
import { encodeCodePage } from './codepages';
import type { Bitmap } from './raster';
import { TcpLink } from './tcp-link';
import { plainSpaces, rasterizeText } from './text-raster';
import { refuseIfNotReady, type Printer, type PrinterErrorCode, type PrinterError, type PrinterEvents } from './printer';
import { openPrinterLink, printerLinkUsb } from './transports/open';
import type { PrinterTransport } from './transports/transport';

export type { PrinterErrorCode, PrinterError } from './printer';

export interface EscPosPrinterOptions {
  /** Raw TCP printer (port 9100 by default); give either host or transport. */
  host?: string;
  port?: number;
  /** Any printer link: createSerialTransport, createUsbTransport, createTcpTransport. */
  transport?: PrinterTransport;
  /** Connect and status-reply timeout (host/port form; a given transport keeps its own). */
  timeoutMs?: number;
  /** Characters per line in Font A (48 on 80 mm paper, 32 on 58 mm). */
  width?: number;
  /** The code page the printer prints text in; lines with characters outside it print as raster images. */
  characterSet?: CharacterSet;
  /** Append a cut when the document does not end with one (a ticket printer must hand the ticket over). */
  autoCut?: boolean;
  defaultQrModuleSize?: number;
  /** Printable dots across the paper for images (badges): 576 on 80 mm paper, 384 on 58 mm (default width x 12). */
  paperWidthDots?: number;
}

export interface EscPosPrinter extends TypedEmitter<PrinterEvents>, Printer {
  print(doc: PrintDocument): Promise<void>;
  status(): Promise<PrinterStatus>;
  close(): Promise<void>;
  /** The bytes print(doc) would send (for tests and logs). */
  render(doc: PrintDocument): Buffer;
  /** What a badge block is drawn as: the paper's dot width. */
  readonly badgeOutput: BadgeOutput;
}

/** A tall 1-bit image as raster bands of at most 256 rows (printers buffer a band at a time). */
export function rasterBands(image: Bitmap, rows = 256): { widthBytes: number; height: number; data: Buffer }[] {
  const { widthBytes, data } = image.pack('black');
  const bands = [];
  for (let y = 0; y < image.height; y += rows) {
    const h = Math.min(rows, image.height - y);
    bands.push({ widthBytes, height: h, data: data.subarray(y * widthBytes, (y + h) * widthBytes) });
  }
  return bands;
}

/** The object node-thermal-printer accepts as `interface` (undocumented in its typings). */
interface ThermalInterface {
  getPrinterName(): string;
  isPrinterConnected(): Promise<boolean>;
  execute(buffer: Buffer, options?: { waitForResponse?: boolean }): Promise<Buffer | undefined>;
}

class EscPosPrinterImpl extends TypedEmitter<PrinterEvents> implements EscPosPrinter {
  readonly protocol = 'escpos' as const;
  readonly #link: PrinterTransport;
  readonly #printer: ThermalPrinter;
  readonly #options: Required<Omit<EscPosPrinterOptions, 'host' | 'port' | 'transport'>>;

  constructor(options: EscPosPrinterOptions) {
    super();
    this.#options = {
      timeoutMs: options.timeoutMs ?? 3000,
      width: options.width ?? 48,
      characterSet: options.characterSet ?? CharacterSet.PC437_USA,
      autoCut: options.autoCut ?? true,
      defaultQrModuleSize: options.defaultQrModuleSize ?? 6,
      paperWidthDots: options.paperWidthDots ?? (options.width ?? 48) * 12,
    };
    if (options.transport) {
      this.#link = options.transport;
      this.#link.on('status', (s) => this.emit('status', s));
    } else if (options.host) {
      this.#link = new TcpLink(options.host, options.port ?? 9100, this.#options.timeoutMs, (s) => this.emit('status', s));
    } else {
      throw new DriverError<PrinterErrorCode>('bad_document', 'createEscPosPrinter needs a host or a transport');
    }
    const link = this.#link;
    const iface: ThermalInterface = {
      getPrinterName: () => link.name,
      isPrinterConnected: async () => {
        try {
          await link.exclusive(() => link.request(escpos.statusRequest(1), 1, 'DLE EOT 1'));
          return true;
        } catch {
          return false;
        }
      },
      execute: async (buffer, opts) => (opts?.waitForResponse ? link.request(buffer, 1, 'a command') : link.write(buffer).then(() => undefined)),
    };
    this.#printer = new ThermalPrinter({
      type: PrinterTypes.EPSON,
      interface: iface as unknown as string, // the typings only know URI strings; the runtime takes objects
      width: this.#options.width,
    });
  }

  get badgeOutput(): BadgeOutput {
    return { kind: 'roll', widthDots: this.#options.paperWidthDots };
  }

  render(doc: PrintDocument): Buffer {
    const p = this.#printer;
    const cs = this.#options.characterSet;
    p.clear();
    // ESC @ first: it resets the code page, so the table is chosen after it.
    p.add(escpos.init());
    p.setCharacterSet(cs);
    let align: TextAlign | null = null;
    const setAlign = (a: TextAlign) => {
      if (a === align) return;
      align = a;
      if (a === 'center') p.alignCenter();
      else if (a === 'right') p.alignRight();
      else p.alignLeft();
    };
    for (const [i, block] of doc.blocks.entries()) {
      switch (block.type) {
        case 'text': {
          const text = plainSpaces(block.text);
          if (printsAsText(text, cs)) {
            setAlign(block.align ?? 'left');
            p.bold(block.bold ?? false);
            p.setTextSize(block.size === 2 ? 1 : 0, block.size === 2 ? 1 : 0);
            p.println(text);
            break;
          }
          // The image spans the paper and carries its own alignment.
          setAlign('left');
          const image = rasterizeText(text, { widthDots: this.#options.width * 12, align: block.align, bold: block.bold, size: block.size });
          p.add(escpos.rasterImage(image.widthBytes, image.height, image.data));
          break;
        }
        case 'qr':
          if (!block.data) throw new DriverError<PrinterErrorCode>('bad_document', `block ${i}: QR data is empty`);
          setAlign(block.align ?? 'center');
          try {
            p.add(escpos.qrCode(block.data, { moduleSize: block.moduleSize ?? this.#options.defaultQrModuleSize }));
          } catch (e) {
            throw new DriverError<PrinterErrorCode>('bad_document', `block ${i}: ${(e as Error).message}`, { cause: e });
          }
          break;
        case 'feed':
          p.add(escpos.feedLines(Math.max(0, Math.min(255, Math.floor(block.lines)))));
          break;
        case 'rule':
          setAlign('left');
          p.bold(false);
          p.setTextSize(0, 0);
          p.drawLine();
          break;
        case 'cut':
          p.cut();
          // cut() ends with ESC @, which resets the printer's code page and modes behind the library's back.
          p.setCharacterSet(cs);
          align = null;
          break;
        case 'badge': {
          setAlign('left');
          for (const side of badgeSidesFor(this.badgeOutput, prepareBadgeBlock(block, `block ${i}`))) {
            for (const band of rasterBands(side.mono!)) p.add(escpos.rasterImage(band.widthBytes, band.height, band.data));
            p.cut();
            p.setCharacterSet(cs);
            align = null;
          }
          break;
        }
      }
    }
    const last = doc.blocks.at(-1)?.type;
    if (this.#options.autoCut && last !== 'cut' && last !== 'badge') p.cut();
    return Buffer.from(p.getBuffer());
  }

  status(): Promise<PrinterStatus> {
    return this.#link.exclusive(async () => {
      try {
        return await this.#status();
      } catch (e) {
        throw this.#report(e);
      }
    });
  }

  print(doc: PrintDocument): Promise<void> {
    return this.#link.exclusive(async () => {
      try {
        const bytes = this.render(doc);
        this.#refuseIfNotReady(await this.#status());
        // raw() hands these exact bytes to our interface's execute(); the library's shared buffer may
        // be re-rendered by the time an earlier await returns.
        await this.#printer.raw(bytes);
        // A DLE EOT answer after the job proves the bytes reached a live printer, and catches paper
        // that ran out part-way (the host cannot know how much of the ticket came out).
        const after = await this.#status();
        if (after.paperOut) throw new DriverError<PrinterErrorCode>('paper_out', `paper ran out while printing ${bytes.length} bytes`);
        this.#refuseIfNotReady(after);
      } catch (e) {
        throw this.#report(e);
      }
    });
  }

  async close(): Promise<void> {
    await this.#link.close();
  }

  async #status(): Promise<PrinterStatus> {
    const replies = { 1: 0, 2: 0, 4: 0 };
    for (const n of escpos.STATUS_KINDS) {
      const [b] = await this.#link.request(escpos.statusRequest(n), 1, `DLE EOT ${n}`);
      replies[n] = b ?? 0;
    }
    let status: PrinterStatus;
    try {
      status = escpos.decodeStatus(replies);
    } catch (e) {
      throw new DriverError<PrinterErrorCode>('bad_reply', (e as Error).message, { cause: e });
    }
    this.emit('printer-status', status);
    return status;
  }

  #refuseIfNotReady(s: PrinterStatus): void {
    refuseIfNotReady(s, this.#link.name);
  }

  /** Normalise any failure to a coded PrinterError and announce it on 'error'. */
  #report(e: unknown): PrinterError {
    const err =
      e instanceof DriverError
        ? (e as PrinterError)
        : new DriverError<PrinterErrorCode>('io', e instanceof Error ? e.message : String(e), { cause: e });
    this.emit('error', err);
    return err;
  }
}

/** ESC t table of each character set codepages.ts can check; any other set prints only ASCII as text. */
const TABLE_OF: Partial<Record<CharacterSet, number>> = {
  [CharacterSet.PC437_USA]: 0,
  [CharacterSet.ISO8859_7_GREEK]: 15,
  [CharacterSet.WPC1252]: 16,
  [CharacterSet.PC866_CYRILLIC2]: 17,
  [CharacterSet.ISO8859_2_LATIN2]: 39,
  [CharacterSet.ISO8859_15_LATIN9]: 40,
  [CharacterSet.WPC1250_LATIN2]: 45,
  [CharacterSet.WPC1251_CYRILLIC]: 46,
  [CharacterSet.WPC1253_GREEK]: 47,
  [CharacterSet.WPC1254_TURKISH]: 48,
  [CharacterSet.WPC1255_HEBREW]: 49,
  [CharacterSet.WPC1256_ARABIC]: 50,
  [CharacterSet.WPC1257_BALTIC_RIM]: 51,
  [CharacterSet.WPC1258_VIETNAMESE]: 52,
};

/** Whether the printer prints `text` as text in code page `cs`. */
export function printsAsText(text: string, cs: CharacterSet): boolean {
  if (/^[\u0020-\u007e]*$/u.test(text)) return true;
  const table = TABLE_OF[cs];
  return table !== undefined && encodeCodePage(text, table) !== null;
}

/** The code pages a printer can be set to print text in (the rest of a line is drawn as an image). */
export const ESCPOS_CODE_PAGES = ['PC437_USA', 'WPC1252', 'PC866_CYRILLIC2', 'WPC1251_CYRILLIC', 'ISO8859_15_LATIN9', 'WPC1250_LATIN2'] as const;

export function createEscPosPrinter(options: EscPosPrinterOptions): EscPosPrinter {
  return new EscPosPrinterImpl(options);
}

/** Printable dots across a receipt roll: 576 on 80 mm paper, 384 on 58 mm (multiples of 8 from 192 to 832). */
export const PaperWidthDots = z.number().int().min(192).max(832).multipleOf(8);

/** ESC/POS receipt and ticket printer on any link. */
export const escposProtocol = defineProtocol({
  class: 'printer',
  prints: ['receipt', 'ticket'],
  settings: {
    ...printerLink,
    /** Characters per line in font A: 48 on 80 mm paper, 32 on 58 mm. */
    width: z.number().int().min(24).max(64).default(48),
    /** The code page the printer's text is set in; lines beyond it print as images. */
    codePage: z.enum(ESCPOS_CODE_PAGES).default('PC437_USA'),
    /** Printable dots across the paper (badges): 576 on 80 mm paper, 384 on 58 mm; default width x 12. */
    paperWidthDots: PaperWidthDots.optional(),
  },
  open: (s, ctx) =>
    createEscPosPrinter({
      transport: openPrinterLink(s.transport, s.timeoutMs, ctx),
      width: s.width,
      characterSet: CharacterSet[s.codePage],
      paperWidthDots: s.paperWidthDots ?? (s.width ?? 48) * 12,
    }),
  describe: (s) => describePrinterLink(s.transport),
  usb: (s) => printerLinkUsb(s.transport),
  badge: (s): BadgeOutput => ({ kind: 'roll', widthDots: s.paperWidthDots ?? (s.width ?? 48) * 12 }),
});

/** The first ESC/POS shape (raw TCP only), still accepted. */
export const escposTcpProtocol = defineProtocol({
  class: 'printer',
  prints: ['receipt', 'ticket'],
  settings: {
    host: Host,
    port: Port.default(9100),
    /** The code page the printer's text is set in; lines beyond it print as images. */
    codePage: z.enum(ESCPOS_CODE_PAGES).default('PC437_USA'),
    /** Printable dots across the paper (badges): 576 on 80 mm paper (the default), 384 on 58 mm. */
    paperWidthDots: PaperWidthDots.optional(),
  },
  open: (s) => createEscPosPrinter({ host: s.host, port: s.port, timeoutMs: 3000, characterSet: CharacterSet[s.codePage], paperWidthDots: s.paperWidthDots ?? 576 }),
  describe: (s) => `tcp ${s.host}:${s.port}`,
  badge: (s): BadgeOutput => ({ kind: 'roll', widthDots: s.paperWidthDots ?? 576 }),
});
