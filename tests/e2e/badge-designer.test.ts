// The badge template designer in Debian's Chromium, every part real: the built renderer served by
// service mode's bridge from a core on real SQLite, paired with a server on PGlite; the terminal's badge
// printer an Evolis simulator over TCP, configured for badge jobs only. The admin opens Badges, starts a
// template, places the name and the QR code by dragging and resizing their boxes, picks the Chinese
// sample and saves; the test badge printed from the designer reaches the simulator as a card whose
// panel, decoded to an image, equals the designer's as-printed preview dot for dot (and the preview the
// test print answered). A field dragged off the card shows its issue at the element and nothing is
// saved; an image over the size limit is refused with a clear message. Screenshots go to
// artifacts/e2e/badge-designer/.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/core';
import { startBridgeServer, type BridgeServer } from '../../electron/core/service/bridge-server';
import { Bitmap } from '../../drivers/printers/raster';
import { decodeQrFromPng, startEvolisSimulator, type EvolisSimulator } from '../../drivers/simulators';
import { createServer, type AdmitServer } from '../../server/src/app';
import { openServerDb, type ServerDbHandle } from '../../server/src/db/client';
import { loginAs } from '../helpers/login';
import { waitFor } from '../helpers/wait';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = resolve(__dirname, '../..');
const SHOTS = join(ROOT, 'artifacts', 'e2e', 'badge-designer');
const KNOWN_NOISE = [/frame-ancestors.*ignored when delivered via a <meta> element/i];
const POLL = { timeout: 120_000 };
const LONG = 120_000;
const ADMIN_TOKEN = 'badge-designer-admin-token';
const CARD = { width: 85.6, height: 53.98 };

type Listed = { templates: { id: string; name: string; version: number; template: { elements: { type: string; x: number; y: number; width: number; height: number }[][] } }[] };

/** Dots that differ between two 1-bit images of the same size (every dot of a different size). */
function dotsDiffer(a: Buffer, b: Buffer): number {
  const x = Bitmap.fromPng(a);
  const y = Bitmap.fromPng(b);
  if (x.width !== y.width || x.height !== y.height) return Math.max(x.width * x.height, y.width * y.height);
  let diff = 0;
  for (let r = 0; r < y.height; r++) for (let c = 0; c < y.width; c++) if (x.get(c, r) !== y.get(c, r)) diff++;
  return diff;
}

describe.skipIf(!existsSync(CHROMIUM))('admin mode: the badge template designer (Chromium, Evolis simulator)', () => {
  let work: string;
  let db: ServerDbHandle;
  let server: AdmitServer;
  let serverUrl: string;
  let core: Core;
  let bridge: BridgeServer;
  let browser: Browser;
  let evolis: EvolisSimulator;
  let eventId: string;
  let page: Page;
  const problems: string[] = [];
  let shots = 0;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'admit-badge-designer-'));
    mkdirSync(SHOTS, { recursive: true });
    const outDir = join(work, 'ui');
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({ configFile: join(ROOT, 'vite.config.ts'), mode: 'production', logLevel: 'warn', build: { outDir, emptyOutDir: true, sourcemap: false } });
    } finally {
      process.env.NODE_ENV = nodeEnv;
    }
    db = await openServerDb();
    server = createServer({ db, adminToken: ADMIN_TOKEN, dataDir: join(work, 'server') });
    serverUrl = (await server.listen({ host: '127.0.0.1', port: 0 })).url;
    eventId = (await server.admin.seedDemo({ tickets: 5 })).eventId;

    evolis = await startEvolisSimulator({ port: 0 });
    core = await createCore({ dataDir: join(work, 'desk'), migrationsFolder: 'migrations/local', shell: 'service', demo: false, version: 'test', logger: { warn: () => undefined, error: () => undefined }, devices: { usbEvents: false } });
    core.configureDevices([
      { id: 'badge-printer', name: 'Badge printer', kind: 'printer', driver: 'evolis', transport: { type: 'tcp', host: '127.0.0.1', port: evolis.port }, timeoutMs: 5000, kinds: ['badge'] },
    ]);
    await core.restartDevices();
    const { code } = await server.admin.createPairingCode();
    expect(await core.dispatch('setup', 'terminal.pair', { serverUrl, code, terminalName: 'Badge office' })).toMatchObject({ ok: true });
    await waitFor(() => core.sync.isOnline, LONG, 'the desk to be online');
    await waitFor(
      async () => {
        const r = await core.dispatch('x', 'session.operators', {});
        return r.ok && (r.value as { role: string }[]).some((o) => o.role === 'admin') && core.secrets.get('pin_key') !== null;
      },
      LONG,
      'the operators and the PIN key to sync',
    );
    await waitFor(() => core.devices.list().find((d) => d.id === 'badge-printer')?.state === 'connected', LONG, 'the badge printer connected');

    bridge = await startBridgeServer(core, { rendererDir: outDir });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: 'en-US' });
    page = await context.newPage();
    page.on('console', (msg) => {
      if ((msg.type() === 'error' || msg.type() === 'warning') && !KNOWN_NOISE.some((re) => re.test(msg.text()))) problems.push(`console.${msg.type()}: ${msg.text()}`);
    });
    page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await bridge?.close();
    await core?.close().catch(() => undefined);
    await server?.close();
    await db?.close();
    await evolis?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const shot = async (name: string) => {
    shots += 1;
    await page.screenshot({ path: join(SHOTS, `${String(shots).padStart(2, '0')}-${name}.png`), fullPage: true });
  };

  /** The event's templates as the server holds them (the organizer's own view). */
  async function stored(): Promise<Listed['templates']> {
    const res = await fetch(`${serverUrl}/admin/v1/events/${eventId}/badges`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(res.status).toBe(200);
    return ((await res.json()) as Listed).templates;
  }

  /** The preview answered for the layout on screen now. */
  const previewReady = () => page.getByTestId('badge-surface').and(page.locator('[data-state="ready"]')).waitFor(POLL);
  const element = (i: number) => page.getByTestId('badge-element').and(page.locator(`[data-index="${i}"]`));
  const prop = async (id: string) => Number(await page.getByTestId(id).inputValue());

  /** Screen pixels per millimetre of the card on screen. */
  async function pxPerMm(): Promise<number> {
    const box = (await page.getByTestId('badge-surface').boundingBox())!;
    return box.width / CARD.width;
  }

  /** Drags from the middle of `what` by (dx, dy) millimetres, in small steps as a hand would. */
  async function dragBy(what: ReturnType<Page['getByTestId']>, dxMm: number, dyMm: number) {
    const k = await pxPerMm();
    const box = (await what.boundingBox())!;
    const x = box.x + box.width / 2;
    const y = box.y + box.height / 2;
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x + dxMm * k, y + dyMm * k, { steps: 8 });
    await page.mouse.up();
  }

  it('places fields by dragging and resizing, saves with the Chinese sample, and the test badge is the as-printed preview dot for dot', async () => {
    const url = new URL(bridge.url);
    url.searchParams.set('mode', 'admin');
    await page.goto(url.toString());
    await page.getByTestId('login-screen').waitFor(POLL);
    await page.getByTestId('operator-option').and(page.locator('[data-role="admin"]')).click();
    for (const d of '000000') await page.getByTestId(`pin-digit-${d}`).click();
    await page.getByTestId('pin-enter').click();
    await page.getByTestId('admin-nav').waitFor(POLL);
    await page.getByTestId('admin-nav-item').and(page.locator('[data-section="badges"]')).click();
    await page.getByTestId('badge-templates').waitFor(POLL);
    const seeded = (await stored()).length;

    // A new template starts from the standard layout; everything on it goes, to place our own.
    await page.getByTestId('badge-new').click();
    await page.getByTestId('badge-designer').waitFor(POLL);
    await page.getByTestId('badge-name').fill('Speakers');
    await previewReady();
    while ((await page.getByTestId('badge-element-remove').count()) > 0) {
      const before = await page.getByTestId('badge-element-remove').count();
      await page.getByTestId('badge-element-remove').first().click();
      await expect.poll(() => page.getByTestId('badge-element-remove').count(), POLL).toBe(before - 1);
    }
    expect(await page.getByTestId('badge-element').count()).toBe(0);

    // The name: added at 4, 4 mm (40 x 8), dragged 6 mm right and 22 mm down, its corner pulled out to
    // 60 x 14 mm.
    await page.getByTestId('badge-add').and(page.locator('[data-type="text"]')).click();
    await element(0).waitFor(POLL);
    expect(await prop('badge-prop-x')).toBe(4);
    await dragBy(element(0), 6, 22);
    await expect.poll(() => prop('badge-prop-x'), POLL).toBeCloseTo(10, 0);
    await expect.poll(() => prop('badge-prop-y'), POLL).toBeCloseTo(26, 0);
    await element(0).click();
    await dragBy(page.getByTestId('badge-handle').and(page.locator('[data-corner="se"]')), 20, 6);
    await expect.poll(() => prop('badge-prop-width'), POLL).toBeCloseTo(60, 0);
    await expect.poll(() => prop('badge-prop-height'), POLL).toBeCloseTo(14, 0);
    expect(await page.getByTestId('badge-measure').textContent()).toMatch(/mm/);
    await page.getByTestId('badge-prop-weight').selectOption('bold');
    await page.getByTestId('badge-prop-max').fill('20');
    // Centred across the card by its align button.
    await page.getByTestId('badge-align').and(page.locator('[data-align="centre"]')).click();
    await expect.poll(() => prop('badge-prop-x'), POLL).toBeCloseTo((CARD.width - (await prop('badge-prop-width'))) / 2, 0);

    // The QR code: added top right, dragged 2 mm further down; its box shrunk by its corner.
    await page.getByTestId('badge-add').and(page.locator('[data-type="code"]')).click();
    await element(1).waitFor(POLL);
    await page.getByTestId('badge-prop-y').fill('1');
    await page.getByTestId('badge-prop-x').fill('50');
    await dragBy(element(1), -1, 1);
    await expect.poll(() => prop('badge-prop-x'), POLL).toBeCloseTo(49, 0);
    await expect.poll(() => prop('badge-prop-y'), POLL).toBeCloseTo(2, 0);
    await element(1).click();
    await dragBy(page.getByTestId('badge-handle').and(page.locator('[data-corner="sw"]')), -6, -3);
    await expect.poll(() => prop('badge-prop-width'), POLL).toBeCloseTo(26, 0);
    await expect.poll(() => prop('badge-prop-height'), POLL).toBeCloseTo(20, 0);
    // Keys move the focused box by half a millimetre.
    const xBefore = await prop('badge-prop-x');
    await element(1).focus();
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => prop('badge-prop-x'), POLL).toBeCloseTo(xBefore - 0.5, 1);

    // The Chinese sample: the layout draws it without issues.
    await page.getByTestId('badge-sample').selectOption('chinese');
    await previewReady();
    expect(await page.getByTestId('badge-issue').allTextContents()).toEqual([]);
    await page.getByTestId('badge-preview-image').waitFor(POLL);
    await shot('placed-chinese-sample');

    await page.getByTestId('badge-save').click();
    await page.getByTestId('badge-saved').waitFor(POLL);
    const saved = await stored();
    expect(saved).toHaveLength(seeded + 1);
    const speakers = saved.filter((t) => t.name === 'Speakers');
    expect(speakers.map((t) => t.version)).toEqual([1]);
    const front = speakers[0]!.template.elements[0]!;
    expect(front.map((e) => e.type)).toEqual(['text', 'code']);
    expect(front[0]!.x).toBeCloseTo((CARD.width - front[0]!.width) / 2, 0);
    expect(front[0]!.y).toBeCloseTo(26, 0);
    await page.getByTestId('badge-template-row').first().waitFor(POLL);

    // The preview as this terminal's Evolis prints it, then the test badge.
    await page.getByTestId('badge-as-printed').check();
    await previewReady();
    const src = (await page.getByTestId('badge-preview-image').getAttribute('src'))!;
    const preview = Buffer.from(src.replace(/^data:image\/png;base64,/, ''), 'base64');
    expect(await page.getByTestId('badge-preview-image').getAttribute('data-width')).toBe('1016');
    await shot('as-printed');

    await page.getByTestId('badge-test-print').click();
    const result = page.getByTestId('badge-test-print-result');
    await result.waitFor(POLL);
    expect(await result.getAttribute('data-state')).toBe('printed');
    const job = await evolis.waitForJob(0, LONG);
    expect(job.errors).toEqual([]);
    expect(job.sides).toEqual(['front']);
    expect(dotsDiffer(job.png, preview)).toBe(0);
    const answered = Buffer.from((await page.getByTestId('badge-test-print-image').first().getAttribute('src'))!.replace(/^data:image\/png;base64,/, ''), 'base64');
    expect(dotsDiffer(job.png, answered)).toBe(0);
    const sampleCode = await decodeQrFromPng(job.png);
    expect(sampleCode).toHaveLength(1);
    await shot('test-printed');
    expect(problems).toEqual([]);
  }, 300_000);

  it('a field dragged off the card shows its issue at the element and nothing is saved', async () => {
    const before = await stored();
    await page.getByTestId('badge-as-printed').uncheck();
    await previewReady();
    await element(0).click();
    await dragBy(element(0), 40, 0);
    await previewReady();
    const issue = page.getByTestId('badge-issue').and(page.locator('[data-reason="element_off_stock"]'));
    await issue.waitFor(POLL);
    expect(await issue.getAttribute('data-index')).toBe('0');
    expect(await element(0).getAttribute('data-issue')).toBe('true');
    expect(await issue.textContent()).toContain('outside the badge');

    await page.getByTestId('badge-save').click();
    await page.getByTestId('badge-not-saved').waitFor(POLL);
    expect(await page.getByTestId('badge-saved').count()).toBe(0);
    expect(await stored()).toEqual(before);
    await shot('off-card-refused');
    expect(problems).toEqual([]);
  }, 180_000);

  it('an image over the size limit is refused with a clear message', async () => {
    const count = await page.getByTestId('badge-element').count();
    // A PNG signature followed by 600 KB: over the 512 KB a badge image may have.
    const big = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(600 * 1024, 7)]);
    await page.getByTestId('badge-image-upload').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: big });
    const message = page.getByTestId('badge-image-problem');
    await message.waitFor(POLL);
    expect(await message.textContent()).toBe('This image is 601 KB: a badge image may be at most 512 KB. Make it smaller and upload it again.');
    expect(await page.getByTestId('badge-element').count()).toBe(count);
    await shot('image-too-large');
    expect(problems).toEqual([]);
  }, 120_000);

  it('saves the badge settings, and the core audits every write of the designer without a secret-looking key', async () => {
    await page.getByTestId('badge-settings-window').fill('30');
    await page.getByTestId('badge-settings-pin').check();
    await page.getByTestId('badge-settings-save').click();
    await page.getByTestId('badge-settings-saved').waitFor(POLL);
    const res = await fetch(`${serverUrl}/admin/v1/events/${eventId}/badges`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(((await res.json()) as { settings: unknown }).settings).toEqual({ reprintWindowS: 1800, reprintNeedsPin: true, printChecksIn: true });

    expect(await loginAs(core, 'audit-reader', { role: 'admin' }, '000000')).toMatchObject({ ok: true });
    const listed = await core.dispatch('audit-reader', 'audit.list', { limit: 100 });
    if (!listed.ok) throw new Error(`audit.list refused: ${JSON.stringify(listed.error)}`);
    const actions = (listed.value as { entries: { action: string; result: string }[] }).entries.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['badge_template_saved', 'badge_test_printed', 'badge_settings_saved']));
    expect(problems).toEqual([]);
  }, 120_000);
});
