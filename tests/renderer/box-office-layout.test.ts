// The box office's layout and its lease state in Debian's Chromium, every step real: the built renderer
// served by service mode's bridge from a core on real SQLite, paired with a server on PGlite through a
// cuttable TCP link, with a simulated ZVT card terminal configured as a device (so F4 is offered) and
// seats leased for selling offline. At 1280×800 and 1024×768, for every tender kind, the tender form's
// last field, its Add button, the cash field and the Sell / Clear bar are each fully in the window and
// not covered by anything (elementFromPoint at the field's centre and near its bottom edge), and the
// page never scrolls — nor does the after-sale page. F4 is offered only while the card terminal is
// registered: switched off, it goes; on again, it is back. Each ticket type shows the seats this till holds on
// its lease; with the link cut, a banner says how many it may still sell, in English, Chinese and
// Russian, and a sale made offline draws it down.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startZvtSimulator, type ZvtSimulator } from '../../drivers/simulators';
import type { CallOutput } from '../../electron/contract';
import { createCore, type Core } from '../../electron/core/core';
import { startBridgeServer, type BridgeServer } from '../../electron/core/service/bridge-server';
import { createServer, type AdmitServer } from '../../server/src/app';
import { openServerDb, type ServerDbHandle } from '../../server/src/db/client';
import { startLink, type Link } from '../helpers/link';
import { loginAs } from '../helpers/login';
import { waitFor } from '../helpers/wait';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = resolve(__dirname, '../..');
const KNOWN_NOISE = [/frame-ancestors.*ignored when delivered via a <meta> element/i, /Failed to load resource/i];
const quiet = { warn: () => undefined, error: () => undefined };
const POLL = { timeout: 60_000 };
const LEASE = 4;
type Catalog = CallOutput<'boxOffice.catalog'>;

const PAY_KEYS = [
  { method: 'cash', key: 'F2', last: 'tendered-input' },
  { method: 'card_manual', key: 'F3', last: 'tender-approval' },
  { method: 'card_terminal', key: 'F4', last: 'tender-amount' },
  { method: 'qr_alipay', key: 'F5', last: 'tender-amount' },
  { method: 'qr_wechat', key: 'F6', last: 'tender-amount' },
  { method: 'qr_sbp', key: 'F7', last: 'tender-amount' },
] as const;
const VIEWPORTS = [
  { width: 1280, height: 800 },
  { width: 1024, height: 768 },
] as const;

type Placement = { inWindow: boolean; centreHit: boolean; bottomHit: boolean; underBar: boolean; box: string };

/** Focuses the control (the window scrolls it into view as a cashier's Tab would) and says where it is. */
function placementOf(page: Page, selector: string): Promise<Placement> {
  return page.locator(selector).first().evaluate((el: HTMLElement) => {
    el.focus();
    el.scrollIntoView({ block: 'nearest' });
    const b = el.getBoundingClientRect();
    const owns = (x: number, y: number) => {
      const hit = document.elementFromPoint(x, y);
      return hit !== null && (hit === el || el.contains(hit));
    };
    const bar = document.querySelector('.cart-actions')?.getBoundingClientRect() ?? null;
    const inBar = el.closest('.cart-actions') !== null;
    return {
      // Within a pixel: a scroll position is whole pixels, a layout box need not be.
      inWindow: b.width > 0 && b.height > 0 && b.top >= -1 && b.left >= -1 && b.bottom <= window.innerHeight + 1 && b.right <= window.innerWidth + 1,
      centreHit: owns(b.left + b.width / 2, b.top + b.height / 2),
      bottomHit: owns(b.left + b.width / 2, b.bottom - 2),
      underBar: !inBar && bar !== null && b.bottom > bar.top && b.top < bar.bottom && b.right > bar.left && b.left < bar.right,
      box: `${b.left},${b.top} ${b.width}×${b.height} in ${window.innerWidth}×${window.innerHeight}`,
    };
  });
}

async function expectClear(page: Page, selector: string, what: string): Promise<void> {
  const p = await placementOf(page, selector);
  expect({ what, inWindow: p.inWindow, centreHit: p.centreHit, bottomHit: p.bottomHit, underBar: p.underBar }, `${what} at ${p.box}`).toEqual({
    what,
    inWindow: true,
    centreHit: true,
    bottomHit: true,
    underBar: false,
  });
}

const pageScrolls = (page: Page) => page.evaluate(() => document.scrollingElement!.scrollHeight > document.scrollingElement!.clientHeight);

describe.skipIf(!existsSync(CHROMIUM))('the box office layout and lease state (Chromium, service mode)', () => {
  let work: string;
  let outDir: string;
  let db: ServerDbHandle;
  let server: AdmitServer;
  let link: Link;
  let zvt: ZvtSimulator;
  let core: Core;
  let bridge: BridgeServer;
  let browser: Browser;

  async function catalog(): Promise<Catalog> {
    const r = await core.dispatch('test-cashier', 'boxOffice.catalog', {});
    if (!r.ok) throw new Error(`boxOffice.catalog refused: ${JSON.stringify(r.error)}`);
    return r.value as Catalog;
  }

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'admit-box-office-layout-'));
    outDir = join(work, 'ui');
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({ configFile: join(ROOT, 'vite.config.ts'), mode: 'production', logLevel: 'warn', build: { outDir, emptyOutDir: true, sourcemap: false } });
    } finally {
      process.env.NODE_ENV = nodeEnv;
    }
    db = await openServerDb();
    server = createServer({ db, dataDir: join(work, 'server') });
    const serverUrl = (await server.listen({ host: '127.0.0.1', port: 0 })).url;
    await server.admin.seedDemo({ tickets: 0 });
    link = await startLink(Number(new URL(serverUrl).port));
    zvt = await startZvtSimulator();
    core = await createCore({
      dataDir: join(work, 'till'),
      migrationsFolder: 'migrations/local',
      shell: 'service',
      demo: false,
      version: 'test',
      logger: quiet,
      devices: { usbEvents: false },
      leases: { size: LEASE },
      payments: { cardTerminal: { host: '127.0.0.1', port: zvt.port } },
    });
    const { code } = await server.admin.createPairingCode();
    expect(await core.dispatch('setup', 'terminal.pair', { serverUrl: link.url, code, terminalName: 'Till 1' })).toMatchObject({ ok: true });
    await waitFor(() => core.sync.isOnline, 60_000, 'the till to be online');
    await waitFor(
      async () => {
        const r = await core.dispatch('x', 'session.operators', {});
        return r.ok && (r.value as { role: string }[]).some((o) => o.role === 'cashier');
      },
      60_000,
      'the operators to sync',
    );
    expect(await loginAs(core, 'test-cashier', { role: 'cashier' }, '111111')).toMatchObject({ ok: true });
    await waitFor(
      async () => {
        await core.leases.keep();
        const c = await catalog();
        return c.ticketTypes.length > 0 && c.ticketTypes.every((t) => c.leased?.[t.id] === LEASE);
      },
      60_000,
      'every type leased',
    );
    await waitFor(() => core.devices.list().some((d) => d.kind === 'payment-terminal' && d.state === 'registered'), 60_000, 'the card terminal registered');
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
    await zvt?.close();
    await link?.close();
    await server?.close();
    await db?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  async function openBoxOffice(viewport: { width: number; height: number }): Promise<{ page: Page; problems: string[] }> {
    const context = await browser.newContext({ viewport, locale: 'en-US' });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (msg) => {
      if ((msg.type() === 'error' || msg.type() === 'warning') && !KNOWN_NOISE.some((re) => re.test(msg.text()))) problems.push(`console.${msg.type()}: ${msg.text()}`);
    });
    page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
    const url = new URL(bridge.url);
    url.searchParams.set('mode', 'box-office');
    await page.goto(url.toString());
    await page.getByTestId('login-screen').waitFor();
    await page.getByTestId('operator-option').filter({ hasText: 'Cashier' }).click();
    for (const d of '111111') await page.getByTestId(`pin-digit-${d}`).click();
    await page.getByTestId('pin-enter').click();
    await page.getByTestId('box-office').waitFor();
    await page.getByTestId('ticket-type').first().waitFor();
    return { page, problems };
  }

  for (const viewport of VIEWPORTS) {
    it(`keeps every tender kind's last field, the cash field and the Sell bar in view and uncovered at ${viewport.width}×${viewport.height}, and the page still`, async () => {
      const { page, problems } = await openBoxOffice(viewport);
      // A full cart: two of every type on sale, and a card part already added, so the form is at its tallest.
      const adds = page.getByTestId('ticket-add');
      const types = await adds.count();
      expect(types).toBeGreaterThan(1);
      for (let i = 0; i < types; i++) {
        await adds.nth(i).click();
        await adds.nth(i).click();
      }
      await expect.poll(() => page.getByTestId('cart-line').count(), POLL).toBe(types);
      await page.getByTestId('pay-card_manual').waitFor();
      await page.locator('body').focus();
      await page.keyboard.press('F3');
      await page.getByTestId('tender-amount').fill('1.00');
      await page.getByTestId('tender-approval').fill('AP1234');
      await page.getByTestId('tender-add').click();
      await expect.poll(() => page.getByTestId('tender').count(), POLL).toBe(1);

      // The card terminal is registered: F4 is offered.
      await page.getByTestId('pay-card_terminal').waitFor();
      for (const kind of PAY_KEYS) {
        await page.locator('body').focus();
        await page.keyboard.press(kind.key);
        expect(await page.getByTestId(`pay-${kind.method}`).getAttribute('aria-pressed')).toBe('true');
        if (kind.method !== 'cash') {
          await expect.poll(() => page.getByTestId('tender-form').getAttribute('data-method'), POLL).toBe(kind.method);
          await expectClear(page, `[data-testid="${kind.last}"]`, `${kind.method}: the tender form's last field`);
          await expectClear(page, '[data-testid="tender-add"]', `${kind.method}: Add`);
        }
        await expectClear(page, '[data-testid="tendered-input"]', `${kind.method}: the cash field`);
        await expectClear(page, '[data-testid="tendered-exact"]', `${kind.method}: Exact`);
        await expectClear(page, '[data-testid="sell-button"]', `${kind.method}: Sell`);
        await expectClear(page, '[data-testid="clear-cart"]', `${kind.method}: Clear`);
        expect(await pageScrolls(page), `${kind.method}: the page scrolls`).toBe(false);
      }

      // Paid: the card part and the rest in cash, exactly; then the after-sale page, which does not scroll the page either.
      await page.locator('body').focus();
      await page.keyboard.press('F2');
      await page.getByTestId('tendered-exact').click();
      await page.getByTestId('sell-button').click();
      await page.getByTestId('order-result').waitFor({ timeout: 60_000 });
      expect(await pageScrolls(page), 'the after-sale page scrolls the page').toBe(false);
      await expectClear(page, '[data-testid="new-sale"]', 'New sale');
      const controls = await page.locator('[data-testid="order-result"] :is(button, input, select)').count();
      expect(controls).toBeGreaterThan(2);
      for (let i = 0; i < controls; i++) {
        const selector = `[data-testid="order-result"] :is(button, input, select) >> nth=${i}`;
        if (!(await page.locator(selector).isVisible())) continue;
        const p = await page.locator(selector).evaluate((el: HTMLElement) => {
          el.focus();
          el.scrollIntoView({ block: 'nearest' });
          const b = el.getBoundingClientRect();
          const hit = document.elementFromPoint(b.left + b.width / 2, b.top + b.height / 2);
          return { inWindow: b.top >= -1 && b.bottom <= window.innerHeight + 1 && b.left >= -1 && b.right <= window.innerWidth + 1, hit: hit !== null && (hit === el || el.contains(hit)), name: el.dataset['testid'] ?? el.tagName };
        });
        expect(p, `after sale: ${p.name}`).toMatchObject({ inWindow: true, hit: true });
      }
      expect(await pageScrolls(page)).toBe(false);
      await page.getByTestId('new-sale').click();
      await page.getByTestId('box-office').waitFor();
      expect(problems).toEqual([]);
      await page.context().close();
    });
  }

  it('offers the card terminal (F4) only while it is registered: gone when it is switched off, back when it is on again', async () => {
    const { page, problems } = await openBoxOffice({ width: 1280, height: 800 });
    const f4 = page.getByTestId('pay-card_terminal');
    await f4.waitFor();
    await page.locator('body').focus();
    await page.keyboard.press('F4');
    expect(await f4.getAttribute('aria-pressed')).toBe('true');

    const port = zvt.port;
    await zvt.close();
    // The device reports the fault (device.status), the screen reads the catalog again: no F4, and
    // the key no longer picks it; the pick falls back to cash.
    await f4.waitFor({ state: 'detached', timeout: 120_000 });
    expect(await page.getByTestId('pay-cash').getAttribute('aria-pressed')).toBe('true');
    await page.locator('body').focus();
    await page.keyboard.press('F4');
    expect(await page.getByTestId('pay-cash').getAttribute('aria-pressed')).toBe('true');
    expect(core.devices.list().find((d) => d.kind === 'payment-terminal')).toMatchObject({ state: 'error', reason: 'unreachable' });

    zvt = await startZvtSimulator(port);
    await f4.waitFor({ timeout: 120_000 });
    expect(core.devices.list().find((d) => d.kind === 'payment-terminal')).toMatchObject({ state: 'registered' });
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('shows the seats held on the lease, and with the link cut a banner of the reserve left, drawn down by a sale, in en, zh-CN and ru', async () => {
    const { page, problems } = await openBoxOffice({ width: 1280, height: 800 });
    const c = await catalog();
    const day = c.ticketTypes.find((t) => t.name['en'] === 'Day pass')!;
    const total = c.ticketTypes.reduce((sum, t) => sum + (c.leased?.[t.id] ?? 0), 0);
    expect(total).toBe(LEASE * c.ticketTypes.length);
    const dayRow = page.locator(`[data-testid="ticket-type"][data-ticket-type-id="${day.id}"]`);
    await expect.poll(() => dayRow.getByTestId('ticket-type-leased').getAttribute('data-leased'), POLL).toBe(String(LEASE));
    expect(await dayRow.getByTestId('ticket-type-leased').textContent()).toBe(`Offline reserve: ${LEASE}`);
    expect(await page.getByTestId('offline-banner').count()).toBe(0);

    link.cut(3_600_000);
    await waitFor(() => !core.sync.isOnline, 60_000, 'the till offline');
    const banner = page.getByTestId('offline-banner');
    await banner.waitFor({ timeout: 60_000 });
    expect(await banner.getAttribute('data-left')).toBe(String(total));
    expect(await banner.textContent()).toBe(`Offline — selling from this till's reserve: ${total} left`);

    // A day pass sold offline, in cash: drawn from the lease.
    await dayRow.getByTestId('ticket-add').click();
    await page.getByTestId('tendered-exact').click();
    await page.getByTestId('sell-button').click();
    await page.getByTestId('order-result').waitFor({ timeout: 60_000 });
    await page.getByTestId('new-sale').click();
    await expect.poll(() => banner.getAttribute('data-left'), POLL).toBe(String(total - 1));
    await expect.poll(() => dayRow.getByTestId('ticket-type-leased').getAttribute('data-leased'), POLL).toBe(String(LEASE - 1));

    await page.getByTestId('language-select').selectOption('zh-CN');
    await expect.poll(() => banner.textContent(), POLL).toBe(`离线 — 正在出售本收银台的预留票：剩余 ${total - 1}`);
    expect(await dayRow.getByTestId('ticket-type-leased').textContent()).toBe(`离线预留：${LEASE - 1}`);
    await page.getByTestId('language-select').selectOption('ru');
    await expect.poll(() => banner.textContent(), POLL).toBe(`Нет связи — продажа из резерва этой кассы: осталось ${total - 1}`);

    // The link back: no banner.
    link.heal();
    await waitFor(() => core.sync.isOnline, 120_000, 'the till online again');
    await banner.waitFor({ state: 'detached', timeout: 120_000 });
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
