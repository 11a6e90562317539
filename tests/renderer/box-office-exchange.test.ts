// An exchange at the box office paid by card in Debian's Chromium, every step real: the built renderer
// served by service mode's bridge from a core on real SQLite, paired with a server on PGlite. A ticket
// sold in cash is found on the refund screen by its order code and exchanged for a dearer type; the
// screen shows the difference, the cashier picks card (approval code) for it and keys the code; the
// exchange is done, the server keeps the card part with its approval code, and the shift's X report
// counts the difference under card.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { eq } from 'drizzle-orm';
import { chromium, type Browser } from 'playwright-core';
import { v7 as uuidv7 } from 'uuid';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REQUEST_ID_HEADER } from '../../domain/wire';
import type { CallOutput, ShiftReport } from '../../electron/contract';
import { createCore, type Core } from '../../electron/core/core';
import { startBridgeServer, type BridgeServer } from '../../electron/core/service/bridge-server';
import { createServer, type AdmitServer } from '../../server/src/app';
import { openServerDb, type ServerDbHandle } from '../../server/src/db/client';
import { refunds } from '../../server/src/db/schema';
import { loginAs } from '../helpers/login';
import { waitFor } from '../helpers/wait';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = resolve(__dirname, '../..');
const ADMIN = 'box-office-exchange-admin';
const KNOWN_NOISE = [/frame-ancestors.*ignored when delivered via a <meta> element/i];
const quiet = { warn: () => undefined, error: () => undefined };
const POLL = { timeout: 60_000 };
type Catalog = CallOutput<'boxOffice.catalog'>;

describe.skipIf(!existsSync(CHROMIUM))('an exchange paid by card on the refund screen (Chromium, service mode)', () => {
  let work: string;
  let db: ServerDbHandle;
  let server: AdmitServer;
  let serverUrl: string;
  let core: Core;
  let bridge: BridgeServer;
  let browser: Browser;
  let eventId: string;

  async function admin(method: 'POST' | 'PATCH' | 'PUT', path: string, body: unknown): Promise<Record<string, { id: string }>> {
    const res = await fetch(`${serverUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}`, [REQUEST_ID_HEADER]: uuidv7() },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as Record<string, { id: string }>;
    expect(res.status, JSON.stringify(json)).toBe(200);
    return json;
  }
  async function catalog(): Promise<Catalog> {
    const r = await core.dispatch('test-cashier', 'boxOffice.catalog', {});
    if (!r.ok) throw new Error(`boxOffice.catalog refused: ${JSON.stringify(r.error)}`);
    return r.value as Catalog;
  }

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'admit-box-office-exchange-'));
    const outDir = join(work, 'ui');
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({ configFile: join(ROOT, 'vite.config.ts'), mode: 'production', logLevel: 'warn', build: { outDir, emptyOutDir: true, sourcemap: false } });
    } finally {
      process.env.NODE_ENV = nodeEnv;
    }
    db = await openServerDb();
    server = createServer({ db, adminToken: ADMIN, dataDir: join(work, 'server') });
    serverUrl = (await server.listen({ host: '127.0.0.1', port: 0 })).url;
    eventId = (await server.admin.seedDemo({ tickets: 0 })).eventId;
    core = await createCore({ dataDir: join(work, 'till'), migrationsFolder: 'migrations/local', shell: 'service', demo: false, version: 'test', logger: quiet });
    const { code } = await server.admin.createPairingCode();
    expect(await core.dispatch('setup', 'terminal.pair', { serverUrl, code, terminalName: 'Till 1' })).toMatchObject({ ok: true });
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
    await server?.close();
    await db?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('exchanges a cash-paid ticket for a dearer type, the difference paid by card with its approval code', async () => {
    const now = Date.now();
    const session = (await admin('POST', `/admin/v1/events/${eventId}/sessions`, {
      name: { en: 'Evening' },
      startsAt: new Date(now + 3 * 3_600_000).toISOString(),
      endsAt: new Date(now + 6 * 3_600_000).toISOString(),
    })).session!.id;
    const rule = { hoursBefore: 1, fee: { kind: 'fixed', amountMinor: 0 }, who: 'cashier' };
    const eveningId = (await admin('POST', `/admin/v1/events/${eventId}/ticket-types`, { name: { en: 'Evening pass' }, priceMinor: 4000, sessionId: session, refundPolicy: { refund: rule, exchange: rule } })).ticketType!.id;
    const lateId = (await admin('POST', `/admin/v1/events/${eventId}/ticket-types`, { name: { en: 'Late pass' }, priceMinor: 6500, sessionId: session })).ticketType!.id;
    await waitFor(async () => (await catalog()).ticketTypes.filter((t) => t.id === eveningId || t.id === lateId).length === 2, 60_000, 'the types to sync');
    expect(await core.dispatch('test-cashier', 'boxOffice.shift.open', { floatMinor: 0 })).toMatchObject({ ok: true });
    const sold = await core.dispatch('test-cashier', 'boxOffice.sell', { lines: [{ ticketTypeId: eveningId, quantity: 1 }], payment: { method: 'cash', tenderedMinor: 4000 } });
    if (!sold.ok) throw new Error(JSON.stringify(sold.error));
    const order = (sold.value as { order: { id: string; code: string } }).order;
    const x0 = (await core.dispatch('test-cashier', 'boxOffice.shift.x', {})) as { ok: true; value: ShiftReport };
    const cardSales = (r: ShiftReport) => r.totals.byMethod.find((b) => b.method === 'card_manual')?.sales.amountMinor ?? 0;

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

    await page.keyboard.press('F10');
    await page.getByTestId('refund-code').waitFor();
    await page.getByTestId('refund-code').fill(order.code);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('refund-ticket').count(), POLL).toBe(1);
    await page.getByTestId('refund-kind-exchange').check();
    await page.getByTestId('exchange-type').selectOption(lateId);
    await expect.poll(() => page.getByTestId('exchange-due').getAttribute('data-amount-minor'), POLL).toBe('2500');
    expect(await page.getByTestId('exchange-due').textContent()).toContain('€25.00');
    // Card with its approval code; a bad code is refused on the screen with nothing done.
    // This till has no card terminal: the exchange does not offer one.
    await expect.poll(() => page.getByTestId('exchange-pay-cash').count(), POLL).toBe(1);
    expect(await page.getByTestId('exchange-pay-card_terminal').count()).toBe(0);
    await page.getByTestId('exchange-pay-card_manual').click();
    await page.getByTestId('exchange-tender-approval').fill('x1');
    await page.getByTestId('refund-reason').fill('later show');
    await page.getByTestId('refund-confirm').click();
    await page.getByTestId('exchange-tender-problem').waitFor();
    expect(await page.getByTestId('exchange-tender-problem').textContent()).toContain('4 to 12 letters or digits');
    expect(await db.db.$count(refunds, eq(refunds.orderId, order.id))).toBe(0);
    await page.getByTestId('exchange-tender-approval').fill('AB12CD');
    await page.screenshot({ path: join(tmpdir(), 'admit-box-office-exchange-card-1280.png') });
    await page.getByTestId('refund-confirm').click();
    await expect.poll(() => page.getByTestId('refund-done').getAttribute('data-kind'), POLL).toBe('exchange');
    expect(await page.getByTestId('refund-done').textContent()).toContain('charged €25.00');

    // At the server: the card part with its approval code; in the shift: under card.
    const [row] = await db.db.select().from(refunds).where(eq(refunds.orderId, order.id));
    expect(row).toMatchObject({ kind: 'exchange', chargedMinor: 2500, paymentMethod: 'card_manual', payments: [{ method: 'card_manual', amountMinor: 2500, reference: 'AB12CD' }] });
    const x1 = (await core.dispatch('test-cashier', 'boxOffice.shift.x', {})) as { ok: true; value: ShiftReport };
    expect(cardSales(x1.value) - cardSales(x0.value)).toBe(2500);
    expect(x1.value.totals.expectedCashMinor).toBe(x0.value.totals.expectedCashMinor);
    expect(problems).toEqual([]);
  });
});
