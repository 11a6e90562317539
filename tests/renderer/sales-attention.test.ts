// The box office's "sales that need your attention" panel in Debian's Chromium, every step real: the
// built renderer served by service mode's bridge from a core on real SQLite, paired with a server on
// PGlite through a proxy that loses order traffic on purpose. The cashier sells through the screen;
// the reply is lost, the recovery completes the sale and the panel says so by itself (the bridge event)
// — tickets and change to give, its printing failed — and "Done" closes it. A second sale never reaches
// the server while the link is down: the panel shows it waiting, with no "Done"; another device sells
// the seats out, the link comes back, and the panel shows it refused, with the money to hand back and
// why, in English and Russian; "Done" closes it and the panel goes.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { v7 as uuidv7 } from 'uuid';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REQUEST_ID_HEADER } from '../../domain/wire';
import type { CallOutput } from '../../electron/contract';
import { createCore, type Core } from '../../electron/core/core';
import { startBridgeServer, type BridgeServer } from '../../electron/core/service/bridge-server';
import { createServer, type AdmitServer } from '../../server/src/app';
import { openServerDb, type ServerDbHandle } from '../../server/src/db/client';
import { loginAs } from '../helpers/login';
import { startOrderLink, type OrderLink } from '../helpers/order-link';
import { waitFor } from '../helpers/wait';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = resolve(__dirname, '../..');
const KNOWN_NOISE = [/frame-ancestors.*ignored when delivered via a <meta> element/i];
const quiet = { warn: () => undefined, error: () => undefined };
const POLL = { timeout: 60_000 };

describe.skipIf(!existsSync(CHROMIUM))('sales that need the cashier, on screen (Chromium, service mode)', () => {
  let work: string;
  let outDir: string;
  let db: ServerDbHandle;
  let server: AdmitServer;
  let serverUrl: string;
  let link: OrderLink;
  let core: Core;
  let bridge: BridgeServer;
  let browser: Browser;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'admit-attention-ui-'));
    outDir = join(work, 'ui');
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({ configFile: join(ROOT, 'vite.config.ts'), mode: 'production', logLevel: 'warn', build: { outDir, emptyOutDir: true, sourcemap: false } });
    } finally {
      process.env.NODE_ENV = nodeEnv;
    }

    db = await openServerDb();
    server = createServer({ db, adminToken: 'attention-ui-admin' });
    serverUrl = (await server.listen({ host: '127.0.0.1', port: 0 })).url;
    await server.admin.seedDemo({ tickets: 5 });
    link = await startOrderLink(Number(new URL(serverUrl).port));
    core = await createCore({ dataDir: join(work, 'till'), migrationsFolder: 'migrations/local', shell: 'service', demo: false, version: 'test', logger: quiet });
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
    await link?.close();
    await server?.close();
    await db?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  /** Another device sells every seat of a ticket type left at the server, over its own HTTP link. */
  async function sellOut(eventId: string, ticketTypeId: string, priceMinor: number): Promise<void> {
    const { code } = await server.admin.createPairingCode();
    const paired = await fetch(`${serverUrl}/v1/pair`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [REQUEST_ID_HEADER]: uuidv7() },
      body: JSON.stringify({ code, name: 'Other till' }),
    });
    const { token } = (await paired.json()) as { token: string };
    for (let quantity = 50; quantity >= 1; ) {
      const res = await fetch(`${serverUrl}/v1/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, [REQUEST_ID_HEADER]: uuidv7() },
        body: JSON.stringify({ orderId: randomUUID(), eventId, lines: [{ ticketTypeId, quantity }], payment: { method: 'cash', amountMinor: priceMinor * quantity } }),
      });
      if (!res.ok) {
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('sold_out');
        quantity = Math.floor(quantity / 2);
      }
    }
  }

  /** Adds `count` tickets of a type to the cart, tenders the exact amount and presses Sell. */
  async function sellThroughScreen(page: Page, typeName: string, count: number) {
    const type = page.getByTestId('ticket-type').filter({ hasText: typeName });
    for (let i = 0; i < count; i++) await type.getByTestId('ticket-add').click();
    await page.getByTestId('tendered-exact').click();
    await page.getByTestId('sell-button').click();
    await expect.poll(() => page.getByTestId('sale-error').getAttribute('data-code'), POLL).toBe('outcome_unknown');
    await page.getByTestId('clear-cart').click();
  }

  it('shows a sale completed later and one refused, each closed with Done', async () => {
    const catalog = (await core.dispatch('test-cashier', 'boxOffice.catalog', {})) as unknown as { ok: true; value: CallOutput<'boxOffice.catalog'> };
    const byName = (en: string) => catalog.value.ticketTypes.find((t) => t.name['en'] === en)!;
    const day = byName('Day pass');
    const weekend = byName('Weekend pass');

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
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
    expect(await page.getByTestId('attention').count()).toBe(0);

    // The reply is lost; the recovery completes the sale and the panel shows it without a reload.
    link.dropNextOrderReply();
    await sellThroughScreen(page, 'Day pass', 2);
    const panel = page.getByTestId('attention');
    const items = page.getByTestId('attention-sale');
    await expect.poll(() => items.first().getAttribute('data-state'), POLL).toBe('done_on_recovery');
    const done = items.first();
    expect(await page.getByTestId('attention').getByRole('heading').textContent()).toBe('Sales that need your attention');
    expect(await done.getByTestId('attention-state').textContent()).toBe('Completed later');
    expect(await done.getByTestId('attention-total').getAttribute('data-amount-minor')).toBe(String(day.priceMinor * 2));
    expect(await done.getByTestId('attention-total').textContent()).toBe(`€${((day.priceMinor * 2) / 100).toFixed(2)}`);
    expect(await done.getByTestId('attention-lines').textContent()).toBe('2 × Day pass');
    expect(await done.getByTestId('attention-meta').textContent()).toContain('Sold by Cashier');
    expect(await done.getByTestId('attention-order-code').textContent()).toMatch(/^Order \S+$/);
    expect(await done.getByTestId('attention-hint').textContent()).toBe('This sale went through after all. Give the customer the tickets and the change: €0.00.');
    expect(await done.getByTestId('attention-print').getAttribute('data-print-state')).toBe('failed');
    expect(await done.getByTestId('attention-print').textContent()).toContain('No printer is set up at this terminal');
    await page.screenshot({ path: join(tmpdir(), 'admit-attention-done-1280.png') });
    await done.getByTestId('attention-done').click();
    await panel.waitFor({ state: 'detached', timeout: 60_000 });

    // The request never arrives and the link stays down: the sale waits for the server, with no Done.
    link.dropNextOrderRequestAndGoDown();
    await sellThroughScreen(page, 'Weekend pass', 2);
    const waiting = items.first();
    await expect.poll(() => waiting.getAttribute('data-state'), POLL).toBe('pending');
    expect(await waiting.getByTestId('attention-state').textContent()).toBe('Waiting for the server');
    expect(await waiting.getByTestId('attention-hint').textContent()).toContain(`keep the cash of €${((weekend.priceMinor * 2) / 100).toFixed(2)} aside`);
    expect(await waiting.getByTestId('attention-done').count()).toBe(0);
    await page.screenshot({ path: join(tmpdir(), 'admit-attention-pending-1280.png') });

    // Sold out meanwhile by another device; the link comes back and the recovery gets it refused.
    await sellOut(catalog.value.event!.id, weekend.id, weekend.priceMinor);
    link.up();
    await expect.poll(() => waiting.getAttribute('data-state'), POLL).toBe('failed');
    const refused = items.first();
    expect(await refused.getByTestId('attention-state').textContent()).toBe('Refused by the server');
    expect(await refused.getByTestId('attention-hint').textContent()).toBe(
      `No tickets were sold. Hand back €${((weekend.priceMinor * 2) / 100).toFixed(2)} to the customer.`,
    );
    expect(await refused.getByTestId('attention-reason').getAttribute('data-code')).toBe('sold_out');
    expect(await refused.getByTestId('attention-reason').textContent()).toBe('Reason: Sold out: not enough tickets left.');
    await page.screenshot({ path: join(tmpdir(), 'admit-attention-refused-1280.png') });
    await page.getByTestId('language-select').selectOption('ru');
    expect(await page.getByTestId('attention').getByRole('heading').textContent()).toBe('Продажи, требующие вашего внимания');
    expect(await refused.getByTestId('attention-state').textContent()).toBe('Отклонена сервером');
    expect(await refused.getByTestId('attention-done').textContent()).toBe('Готово');
    await page.getByTestId('language-select').selectOption('zh-CN');
    expect(await refused.getByTestId('attention-state').textContent()).toBe('被服务器拒绝');
    await page.getByTestId('language-select').selectOption('en');

    await refused.getByTestId('attention-done').click();
    await panel.waitFor({ state: 'detached', timeout: 60_000 });
    expect(await core.dispatch('test-cashier', 'boxOffice.attention', {})).toEqual({ ok: true, value: { sales: [] } });
    expect(problems).toEqual([]);
    await context.close();
  }, 300_000);
});
