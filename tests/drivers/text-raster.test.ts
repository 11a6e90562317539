// Receipts with Chinese and Russian names printed through the ESC/POS and Star drivers over real TCP
// to their simulators: the PNGs (kept under artifacts/receipts) are read back by tesseract OCR, so a
// name printed as boxes, garbage or nothing fails. A character no shipped font has is refused before
// a byte is sent, never printed as a box.
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CharacterSet } from 'node-thermal-printer';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEscPosPrinter, printsAsText, type EscPosPrinter } from '../../drivers/printers/escpos-printer';
import { startEscPosSimulator, type EscPosSimulator } from '../../drivers/printers/escpos-simulator';
import { createStarPrinter, type StarPrinter } from '../../drivers/printers/star-printer';
import { startStarSimulator, type StarSimulator } from '../../drivers/printers/star-simulator';
import { createTcpTransport } from '../../drivers/printers/tcp-link';
import { fontCodePoints, missingGlyphs, rasterizeText, fontsDirectory } from '../../drivers/printers/text-raster';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { printLabels } from '../../electron/core/box-office/print-labels';
import { receiptDocument, type PrintedOrder } from '../../electron/core/box-office/receipts';

const run = promisify(execFile);
const OUT = fileURLToPath(new URL('../../artifacts/receipts', import.meta.url));

const TYPE = '00000000-0000-4000-8000-0000000000a1';
const order: PrintedOrder = {
  id: '00000000-0000-4000-8000-000000000001',
  code: 'ORD-7Q2K',
  eventId: '00000000-0000-4000-8000-000000000002',
  totalMinor: 300_000,
  currency: 'RUB',
  paymentMethod: 'cash',
  tenderedMinor: 500_000,
  changeMinor: 200_000,
  createdAt: '2026-12-02T11:40:00.000Z',
  tickets: [
    { id: '00000000-0000-4000-8000-000000000003', code: 'T-1', ticketTypeId: TYPE, ticketTypeName: { en: 'Day pass', ru: 'Дневной билет', 'zh-CN': '日票' }, priceMinor: 150_000, attendeeName: '张三丰' },
    { id: '00000000-0000-4000-8000-000000000004', code: 'T-2', ticketTypeId: TYPE, ticketTypeName: { en: 'Day pass', ru: 'Дневной билет', 'zh-CN': '日票' }, priceMinor: 150_000, attendeeName: 'Иванов Пётр' },
  ],
};
const event = { name: { en: 'Winter Fest', ru: 'Зимний фестиваль', 'zh-CN': '冬季音乐节' }, timezone: 'Europe/Moscow' };

/** What tesseract reads off a PNG in Russian and Simplified Chinese, with all whitespace dropped. */
async function ocr(pngPath: string): Promise<string> {
  const { stdout } = await run('tesseract', [pngPath, '-', '-l', 'rus+chi_sim', '--psm', '6']);
  return stdout.replace(/\s+/gu, '');
}

beforeAll(() => {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
});

describe('receipts with Chinese and Russian names', () => {
  let escSim: EscPosSimulator | undefined;
  let esc: EscPosPrinter | undefined;
  let starSim: StarSimulator | undefined;
  let star: StarPrinter | undefined;

  afterEach(async () => {
    await esc?.close();
    await escSim?.close();
    await star?.close();
    await starSim?.close();
    esc = escSim = star = starSim = undefined;
  });

  it('prints them on an ESC/POS printer with a Latin code page as raster lines that OCR reads back', async () => {
    escSim = await startEscPosSimulator({ port: 0, outDir: OUT, filePrefix: 'escpos-cp437-ru-' });
    esc = createEscPosPrinter({ host: '127.0.0.1', port: escSim.port });
    await esc.print(receiptDocument(order, printLabels('ru', event)));
    const job = await escSim.waitForJob(0);
    expect(job.errors).toEqual([]);
    expect(job.qrData).toEqual(['ORD-7Q2K']);
    // The names never went as text: CP437 has neither Cyrillic nor hanzi.
    expect(job.text).not.toContain('Иванов');
    expect(job.bytes.includes(Buffer.from([0x1d, 0x76, 0x30]))).toBe(true);
    const read = await ocr(job.pngPath!);
    expect(read).toContain('张三丰');
    expect(read).toContain('ИвановПётр');
    expect(read).toContain('Итого');
  });

  it('prints Cyrillic as text on a Cyrillic code page and only the lines beyond it as images', async () => {
    escSim = await startEscPosSimulator({ port: 0, outDir: OUT, filePrefix: 'escpos-cp1251-ru-' });
    esc = createEscPosPrinter({ host: '127.0.0.1', port: escSim.port, characterSet: CharacterSet.WPC1251_CYRILLIC });
    await esc.print(receiptDocument(order, printLabels('ru', event)));
    const job = await escSim.waitForJob(0);
    expect(job.errors).toEqual([]);
    // Text lines the simulator decoded under ESC t 46; the hanzi and ruble-sign lines are images.
    expect(job.text.split('\n')).toEqual(expect.arrayContaining(['Зимний фестиваль', 'Чек', 'Заказ ORD-7Q2K', '  Владелец: Иванов Пётр']));
    expect(job.text).not.toContain('张');
    expect(job.text).not.toContain('₽');
    const read = await ocr(job.pngPath!);
    expect(read).toContain('张三丰');
    expect(read).toContain('ИвановПётр');
  });

  it('prints them on a Star printer (code page text and raster images) that OCR reads back', async () => {
    starSim = await startStarSimulator({ port: 0, outDir: OUT, filePrefix: 'star-ru-' });
    star = createStarPrinter({ transport: createTcpTransport({ host: '127.0.0.1', port: starSim.port }) });
    await star.print(receiptDocument(order, printLabels('ru', event)));
    const job = await starSim.waitForJob(0);
    expect(job.errors).toEqual([]);
    // ESC GS S: the raster image command, for the hanzi and ruble-sign lines.
    expect(job.bytes.includes(Buffer.from([0x1b, 0x1d, 0x53, 0x01]))).toBe(true);
    const read = await ocr(job.pngPath!);
    expect(read).toContain('张三丰');
    expect(read).toContain('ИвановПётр');
  });

  it('prints a Chinese receipt on a Star printer that OCR reads back', async () => {
    starSim = await startStarSimulator({ port: 0, outDir: OUT, filePrefix: 'star-zh-' });
    star = createStarPrinter({ transport: createTcpTransport({ host: '127.0.0.1', port: starSim.port }) });
    await star.print(receiptDocument({ ...order, currency: 'CNY', totalMinor: 30_000, tenderedMinor: 30_000, changeMinor: 0, tickets: order.tickets.map((t) => ({ ...t, priceMinor: 15_000 })) }, printLabels('zh-CN', { ...event, timezone: 'Asia/Shanghai' })));
    const job = await starSim.waitForJob(0);
    expect(job.errors).toEqual([]);
    const read = await ocr(job.pngPath!);
    expect(read).toContain('张三丰');
    expect(read).toContain('冬季音乐节');
    expect(read).toContain('合计');
  });
});

describe('text drawn with real fonts', () => {
  it('draws every hanzi as its own glyph, never one box for all', () => {
    const glyphs = [...'张三丰'].map((ch) => rasterizeText(ch, { widthDots: 64 }).data.toString('hex'));
    expect(new Set(glyphs).size).toBe(3);
    for (const g of glyphs) expect(g).toMatch(/[1-9a-f]/);
  });

  it('refuses a character no shipped font has, naming it, and sends nothing', async () => {
    // U+20000 (CJK Extension B) is outside the GBK subset; U+E000 is private use.
    expect(missingGlyphs('张三丰 \u{20000}\ue000')).toEqual(['\u{20000}', '\ue000']);
    expect(() => rasterizeText('名 \u{20000}', { widthDots: 576 })).toThrowError(expect.objectContaining({ code: 'bad_document', message: expect.stringContaining('U+20000') }));
    const sim = await startEscPosSimulator({ port: 0 });
    const printer = createEscPosPrinter({ host: '127.0.0.1', port: sim.port });
    try {
      await expect(printer.print({ blocks: [{ type: 'text', text: 'Holder: \u{20000}' }, { type: 'cut' }] })).rejects.toMatchObject({ code: 'bad_document' });
      // A job after it prints whole: the refused one left nothing behind on the line.
      await printer.print({ blocks: [{ type: 'text', text: 'next' }, { type: 'cut' }] });
      const job = await sim.waitForJob(0);
      expect(job.text).toBe('next');
      expect(sim.jobs).toHaveLength(1);
    } finally {
      await printer.close();
      await sim.close();
    }
  });

  it('ships fonts that cover the GBK hanzi (simplified and traditional), Cyrillic and the currency signs a receipt prints', () => {
    const dir = fontsDirectory();
    const cjk = new Set([1, 2, 3].flatMap((n) => [...fontCodePoints(readFileSync(join(dir, `NotoSansCJKsc-Regular-GBK-${n}.otf`)))]));
    const latin = fontCodePoints(readFileSync(join(dir, 'NotoSans-Regular.ttf')));
    // Every CJK Unified Ideograph of the basic block (U+4E00..U+9FA5), as GBK has them.
    for (let cp = 0x4e00; cp <= 0x9fa5; cp++) if (!cjk.has(cp)) throw new Error(`U+${cp.toString(16)} is missing`);
    for (const ch of '张三丰合计找零收据订单冬季音乐节張國榮') expect(cjk.has(ch.codePointAt(0)!)).toBe(true);
    for (const ch of 'АБВЁЯабвёяІЇЄ₽€£¥') expect(latin.has(ch.codePointAt(0)!)).toBe(true);
  });

  it('keeps text the code page holds as text', () => {
    expect(printsAsText('Total 12.00', CharacterSet.PC437_USA)).toBe(true);
    expect(printsAsText('Итого', CharacterSet.PC437_USA)).toBe(false);
    expect(printsAsText('Итого', CharacterSet.WPC1251_CYRILLIC)).toBe(true);
    expect(printsAsText('Итого 3 000,00 ₽', CharacterSet.WPC1251_CYRILLIC)).toBe(false);
    expect(printsAsText('合计', CharacterSet.WPC1251_CYRILLIC)).toBe(false);
  });
});
