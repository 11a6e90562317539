// Every stock kind prints a badge through the one badge renderer, each through its own simulator over
// the real driver opened from its configuration (openDevice): the Evolis card printer over TCP, TSPL
// and ZPL label printers, an ESC/POS receipt printer, and the OS queue — a real cupsd with a file
// backend receiving the PDF, turned into PNG by pdftoppm. For 张三丰, Иванов Пётр and a 40-character
// Latin name, what came out is saved under artifacts/badges/stock, its QR decodes to the ticket code,
// tesseract reads the name back, and it equals what badgeAsPrinted previews for that printer. Badges a
// printer cannot take are refused with a clear detail before any byte reaches the simulator.
import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PDFDocument } from 'pdf-lib';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultBadgeTemplate, type BadgeTemplate, type BadgeStock } from '../../domain/badge-template';
import {
  badgeAsPrinted,
  badgePdf,
  cupsLpArgs,
  mediaFor,
  openContext,
  openDevice,
  prepareBadgeBlock,
  type PrintDocument,
  type Printer,
  type PrinterConfig,
} from '../../drivers';
import type { BadgeBlock } from '../../drivers/printers/document';
import { Bitmap, greyToPng } from '../../drivers/printers/raster';
import {
  cupsUnavailable,
  decodeQrFromPng,
  startCupsSandbox,
  startEscPosSimulator,
  startEvolisSimulator,
  startFglSimulator,
  startStarSimulator,
  startTsplSimulator,
  startZplSimulator,
  type CupsSandbox,
} from '../../drivers/simulators';
import { sleep } from './helpers';

const run = promisify(execFile);
const OUT = fileURLToPath(new URL('../../artifacts/badges/stock', import.meta.url));
const ctx = openContext();
/** A printer opened from its configuration, as the terminal opens it. */
const openPrinter = (config: PrinterConfig): Printer => openDevice(config, ctx);

const langs = (() => {
  const r = spawnSync('tesseract', ['--list-langs'], { encoding: 'utf8' });
  return r.status === 0 ? `${r.stdout}${r.stderr}` : '';
})();
const missingOcr = ['eng', 'rus', 'chi_sim'].filter((l) => !langs.split(/\s+/).includes(l));
const hasPdftoppm = spawnSync('pdftoppm', ['-v'], { stdio: 'ignore' }).error === undefined;

const LATIN_40 = 'Bartholomew Montgomery Featherstonehaugh';
const PEOPLE = [
  { file: 'zh', name: '张三丰', lang: 'chi_sim', code: 'STOCK-ZH-0001' },
  { file: 'ru', name: 'Иванов Пётр', lang: 'rus', code: 'STOCK-RU-0002' },
  { file: 'latin40', name: LATIN_40, lang: 'eng', code: 'STOCK-EN-0003' },
] as const;
type Person = (typeof PEOPLE)[number];

/** The standard layout carried onto another stock: every element scaled with the stock's size. */
function onStock(stock: BadgeStock, piece: { width: number; height: number }): BadgeTemplate {
  const std = defaultBadgeTemplate();
  const kx = piece.width / 85.6;
  const ky = piece.height / 53.98;
  const r2 = (v: number) => Math.floor(v * 100) / 100;
  return {
    ...std,
    name: `Standard on ${stock.kind}`,
    stock,
    elements: [
      std.elements[0]!.map((e) => ({
        ...e,
        x: r2(e.x * kx),
        y: r2(e.y * ky),
        width: r2(e.width * kx),
        height: r2(e.height * ky),
      })),
    ],
  };
}

const block = (p: Person, template: BadgeTemplate = defaultBadgeTemplate()): BadgeBlock => ({
  type: 'badge',
  template,
  attendee: { name: p.name, company: 'Admit Expo', ticketType: 'Speaker', ticketCode: p.code },
});

/** A part of a PNG (fractions of its size), scaled up by `k`, as greyscale PNG for tesseract. */
function crop(png: Buffer, box: { x: number; y: number; w: number; h: number }, k = 1): Buffer {
  const img = PNG.sync.read(png);
  const x0 = Math.round(box.x * img.width);
  const y0 = Math.round(box.y * img.height);
  const w = Math.round(box.w * img.width);
  const h = Math.round(box.h * img.height);
  const grey = new Uint8Array(w * k * h * k);
  for (let y = 0; y < h * k; y++) {
    for (let x = 0; x < w * k; x++) {
      const i = ((y0 + Math.floor(y / k)) * img.width + x0 + Math.floor(x / k)) * 4;
      grey[y * w * k + x] = Math.round(0.299 * img.data[i]! + 0.587 * img.data[i + 1]! + 0.114 * img.data[i + 2]!);
    }
  }
  return greyToPng(w * k, h * k, grey);
}

/** The name's part of the standard layout: left of the QR, above the company. */
const NAME_BOX = { x: 0, y: 0, w: 0.64, h: 0.31 };

async function ocr(png: Buffer, lang: string, file: string): Promise<string> {
  const path = join(OUT, `${file}-ocr.png`);
  writeFileSync(path, png);
  const { stdout } = await run('tesseract', [path, '-', '-l', lang, '--psm', '6']);
  return stdout.replace(/\s+/gu, '');
}

/**
 * Saves what came out, checks the QR and (where tesseract has the language) reads the name back.
 * Tesseract drops a diaeresis (ё) at some scales and not at others, so the name's part is read at a
 * few scales and crops of the printed image: one of them must read the whole name, letter for letter.
 */
async function checkPrinted(png: Buffer, p: Person, file: string, ocrScale: number): Promise<void> {
  writeFileSync(join(OUT, `${file}.png`), png);
  expect(await decodeQrFromPng(png)).toEqual([p.code]);
  if (missingOcr.length > 0) return;
  const want = p.name.replace(/\s+/gu, '');
  const readings: string[] = [];
  for (const [k, box] of [
    [ocrScale, NAME_BOX],
    [1, { ...NAME_BOX, h: 0.25 }],
    [2, { ...NAME_BOX, h: 0.25 }],
    [ocrScale + 1, NAME_BOX],
  ] as const) {
    const text = await ocr(crop(png, box, k), p.lang, file);
    readings.push(text);
    if (text.includes(want)) return;
  }
  expect(readings, `OCR of ${file}`).toContain(want);
}

/** Dots that differ between a printed 1-bit image and the preview, over the preview's size. */
function dotsDiffer(printed: Buffer, preview: Buffer, at = { x: 0, y: 0 }): number {
  const a = Bitmap.fromPng(printed);
  const b = Bitmap.fromPng(preview);
  let diff = 0;
  for (let y = 0; y < b.height; y++) for (let x = 0; x < b.width; x++) if (a.get(at.x + x, at.y + y) !== b.get(x, y)) diff++;
  return diff;
}

beforeAll(() => {
  mkdirSync(OUT, { recursive: true });
  if (missingOcr.length > 0) console.warn(`[badge-stock] OCR checks skipped: tesseract lacks ${missingOcr.join(', ')}`);
});

describe('a badge on every stock kind, through each simulator', () => {
  it('Evolis card printer over TCP: the k panel is the preview dot for dot, QR and name read back', async () => {
    const sim = await startEvolisSimulator();
    const config = {
      kind: 'printer' as const,
      driver: 'evolis' as const,
      transport: { type: 'tcp' as const, host: '127.0.0.1', port: sim.port },
      timeoutMs: 5000,
    };
    const printer = openPrinter(config);
    try {
      for (const [i, p] of PEOPLE.entries()) {
        await printer.print({ blocks: [block(p)] });
        const job = await sim.waitForJob(i);
        expect(job.errors).toEqual([]);
        expect(job.sides).toEqual(['front']);
        const preview = badgeAsPrinted(config, block(p)).sides;
        expect(preview.map((s) => [s.width, s.height])).toEqual([[1016, 648]]);
        expect(dotsDiffer(job.png, preview[0]!.png)).toBe(0);
        await checkPrinted(job.png, p, `evolis-${p.file}`, 1);
      }
    } finally {
      await printer.close();
      await sim.close();
    }
  }, 120_000);

  it('Evolis: a portrait two-sided badge prints front and back, turned onto the landscape panel', async () => {
    const sim = await startEvolisSimulator();
    const config = {
      kind: 'printer' as const,
      driver: 'evolis' as const,
      transport: { type: 'tcp' as const, host: '127.0.0.1', port: sim.port },
      timeoutMs: 5000,
    };
    const printer = openPrinter(config);
    const name = {
      type: 'text' as const,
      x: 3,
      y: 3,
      width: 48,
      height: 14,
      source: { kind: 'field' as const, field: 'name' as const },
      font: 'Noto Sans',
      weight: 'bold' as const,
      maxSizePt: 20,
      minSizePt: 8,
      maxLines: 2,
      align: 'left' as const,
      uppercase: false,
      colour: '#000000',
    };
    const qr = {
      type: 'code' as const,
      x: 7,
      y: 30,
      width: 40,
      height: 44,
      symbology: 'qr' as const,
      source: 'ticketCode' as const,
      caption: true,
    };
    const template: BadgeTemplate = {
      name: 'Portrait',
      stock: { kind: 'cr80', orientation: 'portrait' },
      dpi: 300,
      sides: 2,
      elements: [[name, qr], [{ ...name, source: { kind: 'field', field: 'company' } }]],
    };
    try {
      await printer.print({
        blocks: [
          { type: 'badge', template, attendee: { name: 'Иванов Пётр', company: 'Admit Expo', ticketCode: 'STOCK-PORTRAIT-1' } },
        ],
      });
      const job = await sim.waitForJob(0);
      expect(job.errors).toEqual([]);
      expect(job.sides).toEqual(['front', 'back']);
      writeFileSync(join(OUT, 'evolis-portrait-front.png'), job.png);
      writeFileSync(join(OUT, 'evolis-portrait-back.png'), job.backPng!);
      expect(await decodeQrFromPng(job.png)).toEqual(['STOCK-PORTRAIT-1']);
      const preview = badgeAsPrinted(config, {
        type: 'badge',
        template,
        attendee: { name: 'Иванов Пётр', company: 'Admit Expo', ticketCode: 'STOCK-PORTRAIT-1' },
      }).sides;
      expect(preview.map((s) => [s.width, s.height])).toEqual([
        [648, 1016],
        [648, 1016],
      ]);
      // The panel holds the portrait preview turned a quarter counter-clockwise: preview (x, y) is card (y, 1015 - x).
      const card = Bitmap.fromPng(job.png);
      const front = Bitmap.fromPng(preview[0]!.png);
      let diff = 0;
      for (let y = 0; y < 1016; y++) for (let x = 0; x < 648; x++) if (front.get(x, y) !== card.get(y, 647 - x)) diff++;
      expect(diff).toBe(0);
    } finally {
      await printer.close();
      await sim.close();
    }
  }, 120_000);

  for (const driver of ['tspl', 'zpl'] as const) {
    it(`${driver.toUpperCase()} label printer: one label of the template's stock size, the preview dot for dot`, async () => {
      const sim = driver === 'tspl' ? await startTsplSimulator() : await startZplSimulator();
      const config = {
        kind: 'printer' as const,
        driver,
        transport: { type: 'tcp' as const, host: '127.0.0.1', port: sim.port },
        timeoutMs: 5000,
        dpi: 203 as const,
      };
      const printer = openPrinter(config);
      const template = onStock({ kind: 'label', widthMm: 100, heightMm: 62 }, { width: 100, height: 62 });
      try {
        for (const [i, p] of PEOPLE.entries()) {
          await printer.print({ blocks: [block(p, template)] });
          const job = await sim.waitForJob(i);
          expect(job.errors).toEqual([]);
          const preview = badgeAsPrinted(config, block(p, template)).sides;
          // 100 x 62 mm at 203 dpi.
          expect(preview.map((s) => [s.width, s.height])).toEqual([[799, 496]]);
          expect([job.widthDots, job.heightDots]).toEqual([799, 496]);
          expect(dotsDiffer(job.png, preview[0]!.png)).toBe(0);
          await checkPrinted(job.png, p, `${driver}-${p.file}`, 2);
        }
      } finally {
        await printer.close();
        await sim.close();
      }
    }, 120_000);
  }

  for (const driver of ['escpos', 'star'] as const) {
    it(`${driver === 'escpos' ? 'ESC/POS' : 'Star'} receipt printer: the badge across the 576-dot roll as a raster image, then cut`, async () => {
      const sim = driver === 'escpos' ? await startEscPosSimulator({ port: 0 }) : await startStarSimulator();
      const config = {
        kind: 'printer' as const,
        driver,
        transport: { type: 'tcp' as const, host: '127.0.0.1', port: sim.port },
        timeoutMs: 5000,
      };
      const printer = openPrinter(config);
      try {
        for (const [i, p] of PEOPLE.entries()) {
          await printer.print({ blocks: [block(p)] });
          const job = await sim.waitForJob(i);
          expect(job.errors).toEqual([]);
          const preview = badgeAsPrinted(config, block(p)).sides;
          expect(preview.map((s) => [s.width, s.height])).toEqual([[576, 363]]);
          // The roll shows the badge across its width, dot for dot, below the printer's top margin.
          const printed = Bitmap.fromPng(job.png);
          expect(printed.width).toBe(576);
          const top = Array.from({ length: 65 }, (_, y) => y).find(
            (y) => dotsDiffer(job.png, preview[0]!.png, { x: 0, y }) === 0,
          );
          expect(top).toBeDefined();
          const badgeOnly = greyToPng(
            576,
            363,
            Uint8Array.from({ length: 576 * 363 }, (_, k) => (printed.get(k % 576, top! + Math.floor(k / 576)) ? 0 : 255)),
          );
          await checkPrinted(badgeOnly, p, `${driver}-${p.file}`, 3);
        }
      } finally {
        await printer.close();
        await sim.close();
      }
    }, 120_000);
  }
});

const cupsWhy = cupsUnavailable() ?? (hasPdftoppm ? null : 'pdftoppm is not installed (apt-get install -y poppler-utils)');
if (cupsWhy) console.warn(`[badge-stock] skipping the CUPS stock tests: ${cupsWhy}`);

describe.skipIf(cupsWhy !== null)('a badge through the OS queue (sandboxed cupsd, file backend, pdftoppm)', () => {
  let cups: CupsSandbox;
  beforeAll(async () => {
    cups = await startCupsSandbox();
  }, 60_000);
  afterAll(async () => {
    await cups?.close();
  });

  /** Print `doc` on a fresh file queue; the PDF that came out, as PNG pages at 300 dpi. */
  async function printToPngs(
    queue: string,
    doc: PrintDocument,
    options?: Record<string, string>,
  ): Promise<{ pdf: Buffer; pages: Buffer[]; printer: Printer }> {
    const out = await cups.addFileQueue(queue);
    const printer = openPrinter({ kind: 'printer', driver: 'cups', queue, server: cups.env['CUPS_SERVER'], options });
    expect(await printer.status()).toMatchObject({ online: true, error: false });
    await printer.print(doc);
    const deadline = Date.now() + 60_000;
    let pdf: Buffer;
    for (;;) {
      pdf = await readFile(out);
      if (pdf.length > 0 && /%%EOF\s*$/.test(pdf.subarray(-16).toString('latin1'))) break;
      if (Date.now() > deadline) throw new Error(`${out} was not a complete PDF within 60 s`);
      await sleep(50);
    }
    const prefix = join(OUT, queue);
    await writeFile(`${prefix}.pdf`, pdf);
    await run('pdftoppm', ['-r', '300', '-png', `${prefix}.pdf`, prefix]);
    const files = (await readdir(OUT))
      .filter((f) => f.startsWith(`${queue}-`) && f.endsWith('.png') && !f.includes('ocr'))
      .sort();
    return { pdf, pages: await Promise.all(files.map((f) => readFile(join(OUT, f)))), printer };
  }

  it('CR80: one PDF page of 85.6 x 53.98 mm per badge, the colour image at 300 dpi; QR and name read back', async () => {
    for (const p of PEOPLE) {
      const { pdf, pages } = await printToPngs(`cr80-${p.file}`, { blocks: [block(p)] });
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(pages).toHaveLength(1);
      const img = PNG.sync.read(pages[0]!);
      // 85.6 x 53.98 mm at 300 dpi.
      expect([Math.abs(img.width - 1011) <= 1, Math.abs(img.height - 638) <= 1]).toEqual([true, true]);
      const preview = badgeAsPrinted({ kind: 'printer', driver: 'cups', queue: 'x' }, block(p)).sides;
      expect(preview.map((s) => [s.width, s.height])).toEqual([[1011, 638]]);
      await checkPrinted(pages[0]!, p, `cups-cr80-${p.file}`, 1);
    }
  }, 240_000);

  it('A4 N-up: a group fills the template grid page after page', async () => {
    const stock = { kind: 'a4-nup' as const, columns: 2, rows: 4 };
    const template = onStock(stock, { width: 105, height: 74.25 });
    // Nine badges on a 2 x 4 grid: a full sheet and a second with one.
    const group = [...PEOPLE, ...PEOPLE, ...PEOPLE].map((p) => block(p, template));
    const { pages } = await printToPngs('a4-group', { blocks: group }, { 'print-quality': '5' });
    expect(pages).toHaveLength(2);
    const sheet = PNG.sync.read(pages[0]!);
    expect([Math.abs(sheet.width - 2480) <= 1, Math.abs(sheet.height - 3508) <= 1]).toEqual([true, true]);
    const cell = (png: Buffer, i: number) => crop(png, { x: (i % 2) / 2, y: Math.floor(i / 2) / 4, w: 0.5, h: 0.25 });
    for (let i = 0; i < 8; i++) {
      const p = PEOPLE[i % 3]!;
      const png = cell(pages[0]!, i);
      expect(await decodeQrFromPng(png)).toEqual([p.code]);
      if (i < 3) await checkPrinted(png, p, `cups-a4-cell${i}-${p.file}`, 1);
    }
    expect(await decodeQrFromPng(cell(pages[1]!, 0))).toEqual([PEOPLE[2].code]);
    // The rest of the second sheet is blank paper.
    expect(await decodeQrFromPng(cell(pages[1]!, 1))).toEqual([]);
  }, 240_000);
});

describe('the OS queue PDF: pages of the stock', () => {
  const pdfOf = async (blocks: BadgeBlock[]) =>
    PDFDocument.load(await badgePdf(blocks.map((b, i) => prepareBadgeBlock(b, `block ${i}`))));
  const sizeMm = (d: PDFDocument) =>
    d.getPages().map((p) => [+((p.getWidth() * 25.4) / 72).toFixed(2), +((p.getHeight() * 25.4) / 72).toFixed(2)]);

  it('CR80 landscape and portrait, A6 and a label: one page per side at the stock size', async () => {
    const std = defaultBadgeTemplate();
    const portrait = onStock({ kind: 'cr80', orientation: 'portrait' }, { width: 53.98, height: 85.6 });
    const twoSidedA6 = { ...onStock({ kind: 'a6' }, { width: 105, height: 148 }), sides: 2 as const };
    twoSidedA6.elements = [twoSidedA6.elements[0]!, twoSidedA6.elements[0]!];
    const label = onStock({ kind: 'label', widthMm: 100, heightMm: 62 }, { width: 100, height: 62 });
    const d = await pdfOf([
      block(PEOPLE[0], std),
      block(PEOPLE[1], portrait),
      block(PEOPLE[2], twoSidedA6),
      block(PEOPLE[0], label),
    ]);
    expect(sizeMm(d)).toEqual([
      [85.6, 53.98],
      [53.98, 85.6],
      [105, 148],
      [105, 148],
      [100, 62],
    ]);
    expect(mediaFor(std.stock)).toBe('CR80');
    expect(mediaFor(twoSidedA6.stock)).toBe('A6');
    expect(mediaFor(label.stock)).toBe('Custom.100x62mm');
    expect(cupsLpArgs('badges', 'CR80', { sides: 'two-sided-long-edge', media: 'Custom.86x54mm' })).toEqual([
      '-d',
      'badges',
      '-o',
      'media=Custom.86x54mm',
      '-o',
      'sides=two-sided-long-edge',
      '-t',
      'Admit badge',
    ]);
  });

  it('A4 N-up two-sided: each front sheet is followed by its back sheet', async () => {
    const t = onStock({ kind: 'a4-nup', columns: 2, rows: 2 }, { width: 105, height: 148.5 });
    const twoSided = { ...t, sides: 2 as const, elements: [t.elements[0]!, t.elements[0]!] };
    const d = await pdfOf([...PEOPLE, ...PEOPLE].map((p) => block(p, twoSided)));
    // Six badges, four to a sheet: front, back, front, back.
    expect(sizeMm(d)).toEqual(new Array(4).fill([210, 297]));
  });
});

describe('badges a printer cannot take are refused before any byte is sent', () => {
  it('a field off the card, a font not shipped, an image too large, a photo in a wrong format, a non-badge block', async () => {
    const sim = await startEvolisSimulator();
    const printer = openPrinter({
      kind: 'printer',
      driver: 'evolis',
      transport: { type: 'tcp', host: '127.0.0.1', port: sim.port },
      timeoutMs: 5000,
    });
    const std = defaultBadgeTemplate();
    const name = std.elements[0]![1]!;
    const big = Buffer.alloc(600 * 1024);
    big.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const withElement = (e: unknown) => ({ ...std, elements: [[...std.elements[0]!, e]] });
    const ada = { name: 'Ada Lovelace', ticketCode: 'T-1' };
    const cases: [PrintDocument, RegExp][] = [
      [
        { blocks: [{ type: 'badge', template: withElement({ ...name, x: 80, width: 20 }), attendee: ada }] },
        /element_off_stock \(side 0, element 5\)/,
      ],
      [
        { blocks: [{ type: 'badge', template: withElement({ ...name, font: 'Comic Sans MS' }), attendee: ada }] },
        /font_missing .*Comic Sans MS/,
      ],
      [
        {
          blocks: [
            {
              type: 'badge',
              template: withElement({ type: 'image', x: 1, y: 1, width: 10, height: 10, data: big.toString('base64') }),
              attendee: ada,
            },
          ],
        },
        /image_too_large|invalid/,
      ],
      [
        {
          blocks: [
            {
              type: 'badge',
              template: std,
              attendee: { ...ada, photo: Buffer.from('GIF89a\x01\x00\x01\x00\x80\x00\x00', 'latin1').toString('base64') },
            },
          ],
        },
        /photo is refused \(image_bad_format\)/,
      ],
      [
        {
          blocks: [
            { type: 'badge', template: std, attendee: ada },
            { type: 'text', text: 'hello' },
          ],
        },
        /block 1 \(text\): an Evolis card printer prints only badge blocks/,
      ],
      [
        { blocks: [{ type: 'badge', template: { ...std, stock: { kind: 'a6' } }, attendee: ada }] },
        /a6 template cannot print on a CR80 card printer/,
      ],
    ];
    try {
      for (const [doc, detail] of cases)
        await expect(printer.print(doc)).rejects.toMatchObject({ code: 'bad_document', detail: expect.stringMatching(detail) });
      expect(sim.jobs).toHaveLength(0);
      expect(sim.bytesReceived).toBe(0);
    } finally {
      await printer.close();
      await sim.close();
    }
  });

  it('label printers refuse a badge mixed with other blocks, and a ticket printer (FGL) refuses badges', async () => {
    const doc: PrintDocument = { blocks: [block(PEOPLE[0]), { type: 'text', text: 'x' }] };
    for (const [driver, sim] of [
      ['tspl', await startTsplSimulator()],
      ['zpl', await startZplSimulator()],
      ['fgl', await startFglSimulator()],
    ] as const) {
      const printer = openPrinter({
        kind: 'printer',
        driver,
        transport: { type: 'tcp', host: '127.0.0.1', port: sim.port },
        timeoutMs: 5000,
      });
      try {
        await expect(printer.print(doc)).rejects.toMatchObject({
          code: 'bad_document',
          detail: expect.stringMatching(/block [01] \((text|badge)\)/),
        });
        expect(sim.bytesReceived).toBe(0);
      } finally {
        await printer.close();
        await sim.close();
      }
    }
    expect(() => badgeAsPrinted({ kind: 'printer', driver: 'fgl' }, block(PEOPLE[0]))).toThrowError(
      expect.objectContaining({ code: 'bad_document' }),
    );
  });
});
