// Admin mode's Import and Export sections in Debian's Chromium, every step real: the built renderer served
// by service mode's bridge from a core on real SQLite, paired with a server on PGlite. The admin chooses
// a GBK CSV (an in-memory file given to the file input), sees the detected encoding and the preview, maps
// the columns, runs the dry run and sees the bad line with its translated reason (in English, then in
// Russian), imports the good rows only after confirming, and sees the counts; then downloads the
// attendees as XLSX and the file, read with exceljs, holds the imported attendees.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { chromium, type Browser } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/core';
import { startBridgeServer, type BridgeServer } from '../../electron/core/service/bridge-server';
import { createServer, type AdmitServer } from '../../server/src/app';
import { openServerDb, type ServerDbHandle } from '../../server/src/db/client';
import { ticketTypes } from '../../server/src/db/schema';
import { waitFor } from '../helpers/wait';
import { csv } from '../helpers/import-files';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = resolve(__dirname, '../..');
const KNOWN_NOISE = [/frame-ancestors.*ignored when delivered via a <meta> element/i];
const quiet = { warn: () => undefined, error: () => undefined };
const POLL = { timeout: 60_000 };

const HEADER = ['报名编号', '姓名', '手机', '票种', '备注'];
const ROWS = [
  ['B-001', '王小明', '13812345678', '单日票', 'vegetarian'], // line 2
  ['B-002', 'Ольга Петрова', '+7 903 111 2233', 'Day pass', ''], // line 3
  ['B-003', '', '13900001111', '单日票', ''], // line 4: no name
  ['B-004', '李雷', '13700002222', '学生票', ''], // line 5: no such ticket type
];

describe.skipIf(!existsSync(CHROMIUM))('admin mode: import and export, on screen (Chromium, service mode)', () => {
  let work: string;
  let outDir: string;
  let db: ServerDbHandle;
  let server: AdmitServer;
  let core: Core;
  let bridge: BridgeServer;
  let browser: Browser;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'admit-admin-import-ui-'));
    outDir = join(work, 'ui');
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({ configFile: join(ROOT, 'vite.config.ts'), mode: 'production', logLevel: 'warn', build: { outDir, emptyOutDir: true, sourcemap: false } });
    } finally {
      process.env.NODE_ENV = nodeEnv;
    }
    db = await openServerDb();
    // The commit answers at once with the job still writing: the screen follows it to the end.
    server = createServer({ db, adminToken: 'admin-import-ui-token', importReplyWithinMs: 0 });
    const serverUrl = (await server.listen({ host: '127.0.0.1', port: 0 })).url;
    const demo = await server.admin.seedDemo({ tickets: 3 });
    // Room for every row of the file: the demo's types are sized to its few tickets.
    await db.db.update(ticketTypes).set({ capacity: null }).where(eq(ticketTypes.eventId, demo.eventId));
    core = await createCore({ dataDir: join(work, 'desk'), migrationsFolder: 'migrations/local', shell: 'service', demo: false, version: 'test', logger: quiet });
    const { code } = await server.admin.createPairingCode();
    expect(await core.dispatch('setup', 'terminal.pair', { serverUrl, code, terminalName: 'Admin desk' })).toMatchObject({ ok: true });
    await waitFor(() => core.sync.isOnline, 60_000, 'the desk to be online');
    await waitFor(
      async () => {
        const r = await core.dispatch('x', 'session.operators', {});
        return r.ok && (r.value as { role: string }[]).some((o) => o.role === 'admin') && core.secrets.get('pin_key') !== null;
      },
      60_000,
      'the operators and the PIN key to sync',
    );
    bridge = await startBridgeServer(core, { rendererDir: outDir });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await bridge?.close();
    await core?.close().catch(() => undefined);
    await server?.close();
    await db?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('imports a GBK CSV: mapping, dry run with the bad lines, the good rows committed; exports XLSX', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US', acceptDownloads: true });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (msg) => {
      if ((msg.type() === 'error' || msg.type() === 'warning') && !KNOWN_NOISE.some((re) => re.test(msg.text()))) problems.push(`console.${msg.type()}: ${msg.text()}`);
    });
    page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
    const url = new URL(bridge.url);
    url.searchParams.set('mode', 'admin');
    await page.goto(url.toString());
    await page.getByTestId('login-screen').waitFor();
    await page.getByTestId('operator-option').and(page.locator('[data-role="admin"]')).click();
    for (const d of '000000') await page.getByTestId(`pin-digit-${d}`).click();
    await page.getByTestId('pin-enter').click();
    await page.getByTestId('admin-nav').waitFor(POLL);
    await page.getByTestId('admin-nav-item').and(page.locator('[data-section="import"]')).click();
    await page.getByTestId('import').waitFor();
    await expect.poll(() => page.getByTestId('import-event').locator('option').count(), POLL).toBeGreaterThan(0);

    // A file larger than one piece of the upload, so it goes in several.
    const filler = Array.from({ length: 1200 }, (_, i) => [`F-${i}`, `填充${i}`, '', '周末通票', 'x'.repeat(20)]);
    const bytes = iconv.encode(csv([HEADER, ...ROWS, ...filler]), 'gbk');
    expect(bytes.length).toBeGreaterThan(40 * 1024);
    await page.getByTestId('import-file').setInputFiles({ name: '报名表.csv', mimeType: 'text/csv', buffer: bytes });
    await page.getByTestId('import-upload').click();
    await page.getByTestId('import-mapping').waitFor(POLL);
    expect(await page.getByTestId('import-detected-encoding').textContent()).toBe('gb18030 (detected)');
    expect(await page.getByTestId('import-format').textContent()).toBe('CSV');
    expect(await page.getByTestId('import-rows').textContent()).toBe(String(ROWS.length + filler.length));
    expect(await page.getByTestId('import-preview-row').first().textContent()).toContain('王小明');

    // The mapping: the suggestion, completed by hand.
    const target = (column: number) => page.getByTestId('import-target').and(page.locator(`[data-column="${column}"]`));
    await target(0).selectOption('externalId');
    await target(1).selectOption('name');
    await target(2).selectOption('phone');
    await target(3).selectOption('ticketType');
    await target(4).selectOption('ignore');
    await page.getByTestId('import-check').click();
    await page.getByTestId('import-report').waitFor(POLL);
    expect(await page.getByTestId('import-count-bad').textContent()).toBe('2');
    expect(await page.getByTestId('import-count-new').textContent()).toBe(String(2 + filler.length));
    const line4 = page.getByTestId('import-problem-row').and(page.locator('[data-line="4"]'));
    expect(await line4.getAttribute('data-reason')).toBe('required');
    expect(await line4.getByTestId('import-problem-reason').textContent()).toBe('Required, but empty.');
    const line5 = page.getByTestId('import-problem-row').and(page.locator('[data-line="5"]'));
    expect(await line5.getByTestId('import-problem-reason').textContent()).toBe('The event has no ticket type "学生票".');
    expect(await line5.textContent()).toContain('D');
    await page.getByTestId('language-select').selectOption('ru');
    expect(await line4.getByTestId('import-problem-reason').textContent()).toBe('Обязательно, но пусто.');
    await page.getByTestId('language-select').selectOption('en');
    await page.screenshot({ path: join(tmpdir(), 'admit-admin-import-1280.png'), fullPage: true });

    // Commit the good rows only, after confirming.
    await page.getByTestId('import-commit-good').click();
    expect(await page.getByTestId('import-confirm').textContent()).toContain(`Import ${2 + filler.length} good rows and leave out the 2 rows with problems?`);
    await page.getByTestId('import-confirm-yes').click();
    await page.getByTestId('import-result').waitFor(POLL);
    await expect.poll(() => page.getByTestId('import-result').getAttribute('data-status'), POLL).toBe('done');
    expect(await page.getByTestId('import-result-committed').textContent()).toBe(String(2 + filler.length));
    expect(await page.getByTestId('import-result-skipped').textContent()).toBe('2');
    expect(await page.getByTestId('import-result').getAttribute('data-status')).toBe('done');

    // Export the attendees as XLSX, headers in Chinese.
    await page.getByTestId('admin-nav-item').and(page.locator('[data-section="export"]')).click();
    await page.getByTestId('export').waitFor();
    await expect.poll(() => page.getByTestId('export-event').locator('option').count(), POLL).toBeGreaterThan(0);
    await page.getByTestId('export-kind').selectOption('attendees');
    await page.getByTestId('export-format').selectOption('xlsx');
    await page.getByTestId('export-lang').selectOption('zh-CN');
    const [download] = await Promise.all([page.waitForEvent('download', POLL), page.getByTestId('export-download').click()]);
    expect(download.suggestedFilename()).toBe('Admit 演示音乐节-attendees.xlsx');
    const saved = join(work, 'export.xlsx');
    await download.saveAs(saved);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(readFileSync(saved) as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    const texts: string[] = [];
    sheet.eachRow((row) => row.eachCell((cell) => texts.push(String(cell.value ?? ''))));
    expect(texts).toContain('王小明');
    expect(texts).toContain('Ольга Петрова');
    expect(texts).not.toContain('李雷');
    expect(sheet.rowCount).toBeGreaterThanOrEqual(1 + 2 + filler.length);
    await page.getByTestId('export-done').waitFor();

    expect(await page.getByTestId('admin-nav-item').and(page.locator('[data-section="import"]')).textContent()).toBe('Import');
    await page.getByTestId('language-select').selectOption('zh-CN');
    expect(await page.getByTestId('admin-nav-item').and(page.locator('[data-section="export"]')).textContent()).toBe('导出');
    expect(problems).toEqual([]);
    await context.close();
  }, 300_000);
});
