// Badges drawn from templates with the shipped fonts, through the real path: CR80 cards at 300 dpi for
// a Chinese, a Russian, a 40-character Latin and a mixed Hebrew/Arabic/Latin name, whose QR decodes
// to the ticket code and whose names tesseract reads back — from the renderer's image and from the
// card the Evolis simulator received. Long text shrinks and wraps inside its box; right-to-left runs
// are reordered and Arabic is joined; Code 128 decodes; what cannot be printed is refused with a coded
// error and nothing reaches the printer.
import { spawnSync, execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defaultBadgeTemplate, type BadgeTemplate, type BadgeTemplateInput, badgeTemplateSchema } from '../../domain/badge-template';
import { CR80_EVOLIS, renderBadge, type BadgeData } from '../../drivers/badges/badge';
import { renderBadgeSide } from '../../drivers/badges/badge-render';
import { code128Modules } from '../../drivers/badges/code128';
import { EvolisSimulator } from '../../drivers/badges/evolis-simulator';
import { createEvolisPrinter, type EvolisPrinter } from '../../drivers/badges/evolis-printer';
import { Bitmap, greyToPng } from '../../drivers/printers/raster';
import { createTcpTransport } from '../../drivers/printers/tcp-link';
import { fontsDirectory } from '../../drivers/printers/text-raster';
import { decodeBarcodesFromPng, decodeQrFromPng } from '../../drivers/testing/qr-decode';

const run = promisify(execFile);
const OUT = fileURLToPath(new URL('../../artifacts/badges', import.meta.url));

/** tesseract with the Chinese and Russian data, or null (the OCR checks are then skipped). */
const langs = (() => {
  const r = spawnSync('tesseract', ['--list-langs'], { encoding: 'utf8' });
  return r.status === 0 ? `${r.stdout}${r.stderr}` : null;
})();
const hasOcr = langs !== null && ['eng', 'rus', 'chi_sim'].every((l) => langs.split(/\s+/).includes(l));

const LATIN_40 = 'Bartholomew Montgomery Featherstonehaugh';
const PEOPLE = [
  { file: 'zh', name: '张三丰', lang: 'chi_sim', code: 'BADGE-ZH-0001' },
  { file: 'ru', name: 'Иванов Пётр', lang: 'rus', code: 'BADGE-RU-0002' },
  { file: 'latin40', name: LATIN_40, lang: 'eng', code: 'BADGE-EN-0003' },
  { file: 'mixed', name: 'Dana כהן محمد', lang: 'eng', code: 'BADGE-MX-0004' },
] as const;

const data = (p: (typeof PEOPLE)[number]): BadgeData => ({ attendeeName: p.name, company: 'Admit Expo', ticketType: 'Speaker', ticketCode: p.code });

/** The name's part of a card (left of the QR, above the company): what OCR reads. */
function cropPng(png: Buffer, x: number, y: number, w: number, h: number): Buffer {
  const img = PNG.sync.read(png);
  const grey = new Uint8Array(w * h);
  for (let yy = 0; yy < h; yy++) for (let xx = 0; xx < w; xx++) grey[yy * w + xx] = img.data[((y + yy) * img.width + x + xx) * 4]!;
  return greyToPng(w, h, grey);
}

async function ocr(png: Buffer, lang: string, file: string): Promise<string> {
  const path = join(OUT, `${file}-ocr.png`);
  writeFileSync(path, png);
  const { stdout } = await run('tesseract', [path, '-', '-l', lang, '--psm', '6']);
  return stdout.replace(/\s+/gu, '');
}

/** What OCR must read: the name without spaces (the Latin part only for a mixed name: no Hebrew/Arabic data). */
const expectedOcr = (p: (typeof PEOPLE)[number]) => (p.file === 'mixed' ? 'Dana' : p.name.replace(/\s+/gu, ''));

function only(elements: BadgeTemplateInput['elements'][number], extra: Partial<BadgeTemplateInput> = {}): BadgeTemplate {
  return badgeTemplateSchema.parse({ name: 'Test', stock: { kind: 'cr80' }, elements: [elements], ...extra });
}
const nameBox = { x: 3, y: 3, width: 50, height: 14 };
const nameText = { type: 'text' as const, ...nameBox, source: { kind: 'field' as const, field: 'name' as const }, weight: 'bold' as const, maxSizePt: 22, minSizePt: 9, maxLines: 2 };

/** The bounding box of ink (grey < 200) in a rendered side. */
function inkBounds(s: { width: number; height: number; grey: Uint8Array }) {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < s.height; y++) {
    for (let x = 0; x < s.width; x++) {
      if (s.grey[y * s.width + x]! < 200) {
        x0 = Math.min(x0, x);
        y0 = Math.min(y0, y);
        x1 = Math.max(x1, x);
        y1 = Math.max(y1, y);
      }
    }
  }
  return { x0, y0, x1, y1 };
}

beforeAll(() => {
  // This file's images only: other badge tests keep theirs in subdirectories (stock/).
  mkdirSync(OUT, { recursive: true });
  for (const f of readdirSync(OUT, { withFileTypes: true })) if (f.isFile()) rmSync(join(OUT, f.name), { force: true });
});

describe('badges in any script', () => {
  for (const p of PEOPLE) {
    it(`renders ${p.name}: the QR decodes and OCR reads the name back`, async () => {
      const b = renderBadge(data(p));
      expect([b.width, b.height]).toEqual([CR80_EVOLIS.width, CR80_EVOLIS.height]);
      const png = b.png();
      writeFileSync(join(OUT, `${p.file}.png`), png);
      writeFileSync(join(OUT, `${p.file}-mono.png`), b.monoPng());
      expect(await decodeQrFromPng(png)).toEqual([p.code]);
      expect(await decodeQrFromPng(b.monoPng())).toEqual([p.code]);
      if (!hasOcr) return;
      expect(await ocr(cropPng(b.greyPng(), 0, 0, 650, 200), p.lang, p.file)).toContain(expectedOcr(p));
    });
  }

  it('fits a 40-character name inside its box: shrunk, then wrapped, never past its edges', () => {
    const t = only([nameText]);
    const s = renderBadgeSide(t, 0, { name: LATIN_40, ticketCode: 'T' });
    writeFileSync(join(OUT, 'latin40-box.png'), s.png());
    const dpm = 300 / 25.4;
    const box = { x0: Math.round(nameBox.x * dpm), y0: Math.round(nameBox.y * dpm), x1: Math.round((nameBox.x + nameBox.width) * dpm), y1: Math.round((nameBox.y + nameBox.height) * dpm) };
    const ink = inkBounds(s);
    expect(ink.x0).toBeGreaterThanOrEqual(box.x0);
    expect(ink.y0).toBeGreaterThanOrEqual(box.y0);
    expect(ink.x1).toBeLessThan(box.x1);
    expect(ink.y1).toBeLessThan(box.y1);
    // Two lines: ink rows split by a blank band.
    const rows = new Set<number>();
    for (let y = ink.y0; y <= ink.y1; y++) for (let x = ink.x0; x <= ink.x1; x++) if (s.grey[y * s.width + x]! < 200) rows.add(y);
    const gaps = [...Array(ink.y1 - ink.y0 + 1).keys()].map((k) => k + ink.y0).filter((y) => !rows.has(y));
    expect(gaps.length).toBeGreaterThan(0);
    // A short name keeps the maximum size on one line: taller ink than any line of the long one.
    const short = inkBounds(renderBadgeSide(t, 0, { name: 'Ada', ticketCode: 'T' }));
    expect(short.y1 - short.y0).toBeGreaterThan(0.6 * 22 * (300 / 72));
    // What cannot fit even at the minimum size in its lines is refused, not clipped.
    expect(() => renderBadgeSide(t, 0, { name: `${LATIN_40} ${LATIN_40} ${LATIN_40}`, ticketCode: 'T' })).toThrowError(expect.objectContaining({ code: 'bad_document', message: expect.stringMatching(/does not fit/) }));
  });

  it('lays out right-to-left runs in visual order and joins Arabic letters', () => {
    const t = only([{ ...nameText, weight: 'regular', maxLines: 1 }]);
    const draw = (name: string) => renderBadgeSide(t, 0, { name, ticketCode: 'T' }).grey;
    const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));
    // Hebrew typed in logical order draws as the reversed letters forced left-to-right (LRO … PDF).
    expect(same(draw('אבג'), draw('\u202dגבא\u202c'))).toBe(true);
    expect(same(draw('אבג'), draw('\u202dאבג\u202c'))).toBe(false);
    // In a Latin-first name the Hebrew run keeps its own order after the Latin word.
    expect(same(draw('Dana כהן'), draw('Dana \u202dןהכ\u202c'))).toBe(true);
    // Arabic letters join: the word differs from its letters kept apart by zero-width non-joiners.
    expect(same(draw('محمد'), draw('م\u200cح\u200cم\u200cد'))).toBe(false);
  });

  it('draws a Code 128 badge id that decodes, on whole-dot modules', async () => {
    expect(code128Modules('é')).toBeNull();
    const t = only([nameText, { type: 'code', x: 5, y: 25, width: 75, height: 20, symbology: 'code128', source: 'badgeId' }]);
    for (const id of ['B-000123', '2026120200042', 'AB12345678x']) {
      const s = renderBadgeSide(t, 0, { name: 'Ada', ticketCode: 'T', badgeId: id });
      writeFileSync(join(OUT, `code128-${id}.png`), s.png());
      expect(await decodeBarcodesFromPng(s.png(), ['Code128'])).toEqual([id]);
    }
    expect(() => renderBadgeSide(t, 0, { name: 'Ada', ticketCode: 'T' })).toThrow(/badge id for the code is empty/);
  });

  it('draws the photo over its place with the name beside it, a category band in its colour, and free text in the badge language', () => {
    const photo = new PNG({ width: 60, height: 80 });
    for (let i = 0; i < 60 * 80; i++) photo.data.set([40 + (i % 150), 90, 140, 255], i * 4);
    const t = only([
      { type: 'photo', x: 3, y: 3, width: 20, height: 26 },
      nameText,
      { type: 'band', x: 0, y: 44, width: 85.6, height: 9.98, label: 'category', colour: '#000000', colours: { VIP: '#c00000' }, maxSizePt: 14, minSizePt: 6, maxLines: 1, align: 'center' },
      { type: 'text', x: 60, y: 3, width: 25, height: 10, source: { kind: 'free', text: { en: 'Welcome', ru: 'Добро пожаловать' } }, maxSizePt: 10, minSizePt: 5 },
    ]);
    const attendee = { name: 'Ada', category: 'VIP', ticketCode: 'T', photo: PNG.sync.write(photo) };
    const s = renderBadgeSide(t, 0, attendee, { locale: 'ru' });
    writeFileSync(join(OUT, 'photo-band-free.png'), s.png());
    const at = (x: number, y: number) => s.grey[y * s.width + x]!;
    const dpm = 300 / 25.4;
    // The photo's greys fill its place; the name's ink starts right of it.
    const greys = new Set<number>();
    for (let y = Math.round(4 * dpm); y < Math.round(28 * dpm); y += 9) for (let x = Math.round(4 * dpm); x < Math.round(22 * dpm); x += 9) greys.add(at(x, y));
    expect(greys.size).toBeGreaterThan(10);
    let nameLeft = Infinity;
    for (let y = Math.round(3 * dpm); y < Math.round(17 * dpm); y++) for (let x = Math.round(24 * dpm); x < Math.round(53 * dpm); x++) if (at(x, y) < 100) nameLeft = Math.min(nameLeft, x);
    expect(nameLeft).toBeGreaterThanOrEqual(Math.round(25 * dpm));
    // VIP's band is dark red (luminance 0.299 * 192), not the default black.
    expect(at(5, Math.round(45 * dpm))).toBe(Math.round(0.299 * 0xc0));
    const en = renderBadgeSide(t, 0, attendee);
    expect(Buffer.from(en.grey).equals(Buffer.from(s.grey))).toBe(false);
    // A photo that is neither PNG nor JPEG is refused.
    expect(() => renderBadgeSide(t, 0, { ...attendee, photo: Buffer.from('<svg/>') })).toThrow(/image_bad_format/);
  });

  it('draws every stock kind at its size in dots', () => {
    const side = (stock: BadgeTemplateInput['stock'], dpi: number) => {
      const s = renderBadgeSide(only([nameText], { stock, dpi }), 0, { name: 'Ada', ticketCode: 'T' });
      return [s.width, s.height];
    };
    expect(side({ kind: 'cr80' }, 300)).toEqual([1011, 638]);
    expect(side({ kind: 'cr80', orientation: 'portrait' }, 300)).toEqual([638, 1011]);
    expect(side({ kind: 'label', widthMm: 100, heightMm: 60 }, 203)).toEqual([799, 480]);
    expect(side({ kind: 'a6' }, 150)).toEqual([620, 874]);
    expect(side({ kind: 'a4-nup', columns: 2, rows: 3 }, 300)).toEqual([1240, 1169]);
  });

  it('refuses a character no shipped font has, naming it', () => {
    expect(() => renderBadge({ attendeeName: 'Ada \u{13000}', ticketCode: 'T' })).toThrowError(expect.objectContaining({ code: 'bad_document', message: expect.stringMatching(/U\+13000/) }));
  });
});

describe('badges through the Evolis simulator', () => {
  let sim: EvolisSimulator;
  let printer: EvolisPrinter;

  beforeEach(async () => {
    sim = await new EvolisSimulator({ outDir: OUT, filePrefix: 'evolis-' }).listen(0);
    printer = createEvolisPrinter({ transport: createTcpTransport({ host: '127.0.0.1', port: sim.port, timeoutMs: 5000 }), cardTimeoutMs: 30_000 });
  });
  afterEach(async () => {
    await printer.close();
    await sim.close();
  });

  it('prints each name: the received k panel decodes to the code and OCR reads the name', async () => {
    for (const [i, p] of PEOPLE.entries()) {
      await printer.printBadge(data(p));
      const job = await sim.waitForJob(i);
      expect(job.errors).toEqual([]);
      writeFileSync(join(OUT, `evolis-${p.file}.png`), job.png);
      expect(await decodeQrFromPng(job.png)).toEqual([p.code]);
      // The card is the renderer's 1-bit image, dot for dot.
      const printed = Bitmap.fromPng(job.png);
      const expected = renderBadge(data(p)).mono;
      let diff = 0;
      for (let y = 0; y < 648; y += 2) for (let x = 0; x < 1016; x += 2) if (printed.get(x, y) !== expected.get(x, y)) diff++;
      expect(diff).toBe(0);
      if (hasOcr) expect(await ocr(cropPng(job.png, 0, 0, 650, 200), p.lang, `evolis-${p.file}`)).toContain(expectedOcr(p));
    }
  });

  it('prints a two-sided template: the back carries the badge id as Code 128', async () => {
    const std = defaultBadgeTemplate();
    const twoSided = { ...std, sides: 2, elements: [std.elements[0]!, [{ ...nameText, y: 5 }, { type: 'code', x: 5, y: 25, width: 75, height: 20, symbology: 'code128', source: 'badgeId', caption: true }]] };
    const template = badgeTemplateSchema.parse(twoSided);
    await printer.printBadge({ attendeeName: 'Иванов Пётр', ticketCode: 'T-2S', badgeId: 'B-000777' }, template);
    const job = await sim.waitForJob(0);
    expect(job.errors).toEqual([]);
    expect(job.sides).toEqual(['front', 'back']);
    writeFileSync(join(OUT, 'evolis-two-sided-back.png'), job.backPng!);
    expect(await decodeQrFromPng(job.png)).toEqual(['T-2S']);
    expect(await decodeBarcodesFromPng(job.backPng!, ['Code128'])).toEqual(['B-000777']);
  });

  it('refuses a template or photo it cannot print with a coded error, and prints nothing', async () => {
    const std = defaultBadgeTemplate();
    const ada: BadgeData = { attendeeName: 'Ada Lovelace', ticketCode: 'T-1' };
    const withElement = (e: BadgeTemplateInput['elements'][number][number]) => ({ ...std, elements: [[...std.elements[0]!, e]] }) as BadgeTemplate;
    const big = Buffer.alloc(600 * 1024);
    big.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    for (const [template, photo, reason] of [
      [withElement({ ...nameText, x: 80, width: 20 }), undefined, /element_off_stock \(side 0, element 5\)/],
      [withElement({ ...nameText, font: 'Comic Sans MS' }), undefined, /font_missing/],
      [withElement({ type: 'image', x: 1, y: 1, width: 10, height: 10, data: big.toString('base64') }), undefined, /image_too_large|invalid/],
      [std, Buffer.from('GIF89a\x01\x00\x01\x00\x80\x00\x00', 'latin1'), /photo is refused \(image_bad_format\)/],
    ] as const) {
      await expect(printer.printBadge({ ...ada, photoPng: photo }, template)).rejects.toMatchObject({ code: 'bad_document', message: expect.stringMatching(reason) });
    }
    expect(sim.jobs).toHaveLength(0);
  });

  it('refuses a badge when a shipped font file is missing, naming it, and prints nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'admit-fonts-'));
    const real = fontsDirectory();
    for (const f of ['NotoSans-Regular.ttf', 'NotoSans-Bold.ttf', ...[1, 2, 3].flatMap((n) => [`NotoSansCJKsc-Regular-GBK-${n}.otf`, `NotoSansCJKsc-Bold-GBK-${n}.otf`])]) symlinkSync(join(real, f), join(dir, f));
    const before = process.env['ADMIT_FONTS'];
    process.env['ADMIT_FONTS'] = dir;
    try {
      await expect(printer.printBadge({ attendeeName: 'Ada', ticketCode: 'T-2' })).rejects.toMatchObject({ code: 'bad_document', message: expect.stringMatching(/NotoSansArabic-Regular\.ttf is missing/) });
    } finally {
      if (before === undefined) delete process.env['ADMIT_FONTS'];
      else process.env['ADMIT_FONTS'] = before;
      rmSync(dir, { recursive: true, force: true });
    }
    expect(sim.jobs).toHaveLength(0);
  });
});
