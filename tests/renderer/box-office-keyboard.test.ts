// The box office driven from the keyboard in Debian's Chromium, every step real: the built renderer
// served by service mode's bridge from a core on real SQLite, paired with a server on PGlite. A cashier
// opens a shift with a float; sells two day passes with a scanned voucher paid in a split of card (keyed
// approval code) and cash with change, all by keys; sells two real-name tickets whose holders' details
// (and their registration form's answer) are refused on the fields until given (copied from the first
// ticket to the second) and then stored at the server; and takes an X report and a Z report whose counted cash shows its variance. Then a
// receipt is reprinted with its reason, the tickets emailed (one address bouncing), and a scanned ticket refunded by its type's policy (a 10 % fee,
// a manager's PIN asked for by the screen): the refund shown, the code revoked at the server.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { eq } from 'drizzle-orm';
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
import { orders, tickets } from '../../server/src/db/schema';
import { loginAs } from '../helpers/login';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink';
import { waitFor } from '../helpers/wait';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = resolve(__dirname, '../..');
const ADMIN = 'box-office-keys-admin';
const KNOWN_NOISE = [/frame-ancestors.*ignored when delivered via a <meta> element/i];
const quiet = { warn: () => undefined, error: () => undefined };
const POLL = { timeout: 60_000 };
type Catalog = CallOutput<'boxOffice.catalog'>;

describe.skipIf(!existsSync(CHROMIUM))('the box office from the keyboard (Chromium, service mode)', () => {
  let work: string;
  let outDir: string;
  let db: ServerDbHandle;
  let server: AdmitServer;
  let serverUrl: string;
  let core: Core;
  let bridge: BridgeServer;
  let browser: Browser;
  let eventId: string;
  let realId: string;
  let smtp: SmtpSink;

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
    work = mkdtempSync(join(tmpdir(), 'admit-box-office-keys-'));
    outDir = join(work, 'ui');
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({ configFile: join(ROOT, 'vite.config.ts'), mode: 'production', logLevel: 'warn', build: { outDir, emptyOutDir: true, sourcemap: false } });
    } finally {
      process.env.NODE_ENV = nodeEnv;
    }

    smtp = await startSmtpSink();
    db = await openServerDb();
    server = createServer({ db, adminToken: ADMIN, dataDir: join(work, 'server') });
    serverUrl = (await server.listen({ host: '127.0.0.1', port: 0 })).url;
    await admin('PUT', '/admin/v1/settings/mail', { host: '127.0.0.1', port: smtp.port, security: 'none', user: null, from: 'tickets@example.com', fromName: 'Box office' });
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

    realId = (await admin('POST', `/admin/v1/events/${eventId}/ticket-types`, { name: { en: 'Named seat' }, priceMinor: 5000, realName: true, requiredFields: ['phone'] })).ticketType!.id;
    await admin('PUT', `/admin/v1/ticket-types/${realId}/form`, {
      fields: [{ key: 'diet', kind: 'choice', label: { en: 'Diet', ru: 'Питание', 'zh-CN': '饮食' }, required: true, options: [{ value: 'none', label: { en: 'None' } }, { value: 'vegan', label: { en: 'Vegan' } }] }],
    });
    const day = (await catalog()).ticketTypes.find((t) => t.name['en'] === 'Day pass')!;
    await admin('POST', `/admin/v1/events/${eventId}/vouchers`, { code: 'TENOFF', kind: 'percent', value: 10, ticketTypeIds: [day.id], maxUses: 100 });
    await waitFor(async () => (await catalog()).ticketTypes.some((t) => t.id === realId && t.realName === true && t.hasForm === true), 60_000, 'the real-name type to sync');

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
    await smtp?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  /** The key that adds a ticket of the type named `en` (its place in the catalog, from 1). */
  async function keyOf(page: Page, en: string): Promise<string> {
    const names = await page.getByTestId('ticket-type-name').allTextContents();
    const n = names.findIndex((text) => text.trim().endsWith(en));
    expect(n, `${en} among ${names.join(', ')}`).toBeGreaterThanOrEqual(0);
    expect(n).toBeLessThan(9);
    return String(n + 1);
  }

  async function openBoxOffice(): Promise<{ page: Page; problems: string[] }> {
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
    return { page, problems };
  }

  it('opens a shift, sells with a voucher and a split tender and real-name tickets by keys, and closes with a variance', async () => {
    const all = await catalog();
    const day = all.ticketTypes.find((t) => t.name['en'] === 'Day pass')!;
    const real = all.ticketTypes.find((t) => t.id === realId)!;

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
    expect(await page.getByTestId('key-legend').textContent()).toContain('F9');

    // The shift: F8 opens the panel, the float is typed and Enter opens the shift; Esc goes back.
    await page.keyboard.press('F8');
    await page.getByTestId('shift-open-form').waitFor();
    await page.getByTestId('shift-float').fill('100.00');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('shift-current').getAttribute('data-float-minor'), POLL).toBe('10000');
    await page.keyboard.press('Escape');
    await page.getByTestId('shift-panel').waitFor({ state: 'detached' });

    // Sale 1, by keys only: two day passes, a voucher typed as a scanner would, card + cash.
    await page.locator('body').focus();
    const dayKey = await keyOf(page, 'Day pass');
    await page.keyboard.press(dayKey);
    await page.keyboard.press(dayKey);
    await page.keyboard.press('+');
    await page.keyboard.press('-');
    await expect.poll(() => page.getByTestId('cart-line').getAttribute('data-quantity'), POLL).toBe('2');
    await page.keyboard.press('F9');
    await page.keyboard.type('tenoff');
    await page.keyboard.press('Enter');
    const subtotal = day.priceMinor * 2;
    const discount = Math.round(subtotal / 10);
    const total = subtotal - discount;
    await expect.poll(() => page.getByTestId('cart-discount').getAttribute('data-amount-minor'), POLL).toBe(String(discount));
    expect(await page.getByTestId('cart-total').getAttribute('data-amount-minor')).toBe(String(total));
    expect(await page.getByTestId('voucher-ok').getAttribute('data-code')).toBe('TENOFF');

    const cardMinor = 1000;
    await page.keyboard.press('F3');
    await page.getByTestId('tender-form').waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('tender-amount');
    expect(await page.getByTestId('tender-amount').inputValue()).toBe((total / 100).toFixed(2));
    await page.keyboard.press('Control+A');
    await page.keyboard.type('10.00');
    await page.keyboard.press('Tab');
    await page.keyboard.type('ab12cd');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('tender').getAttribute('data-method'), POLL).toBe('card_manual');
    expect(await page.getByTestId('cash-due').getAttribute('data-amount-minor')).toBe(String(total - cardMinor));
    await page.keyboard.press('F2');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('tendered-input');
    const cashGiven = Math.ceil((total - cardMinor) / 1000) * 1000 + 1000;
    await page.keyboard.type((cashGiven / 100).toFixed(2));
    await expect.poll(() => page.getByTestId('change-due').getAttribute('data-amount-minor')).toBe(String(cashGiven - (total - cardMinor)));
    await page.screenshot({ path: join(tmpdir(), 'admit-box-office-split-1280.png') });
    // Touch targets: every control of the sale screen at least 44 px high.
    const small = await page.getByTestId('box-office').evaluate((root) =>
      [...root.querySelectorAll('button, input, select')]
        .map((el) => ({ id: el.getAttribute('data-testid') ?? el.tagName, h: el.getBoundingClientRect().height }))
        .filter((c) => c.h > 0 && c.h < 44),
    );
    expect(small).toEqual([]);
    await page.keyboard.press('Enter');
    await page.getByTestId('order-result').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('order-total').getAttribute('data-amount-minor')).toBe(String(total));
    expect(await page.getByTestId('order-change').getAttribute('data-amount-minor')).toBe(String(cashGiven - (total - cardMinor)));
    expect(await page.getByTestId('order-discount').getAttribute('data-amount-minor')).toBe(String(discount));
    const firstOrderId = (await page.getByTestId('order-result').getAttribute('data-order-id'))!;
    await waitFor(async () => (await db.db.select().from(orders).where(eq(orders.id, firstOrderId))).length === 1, 60_000, 'the first order at the server');
    const [stored] = await db.db.select().from(orders).where(eq(orders.id, firstOrderId));
    expect(stored!.totalMinor).toBe(total);
    expect(stored!.paymentMethod).toBe('split');

    // N: a new sale. Two real-name tickets: refused on the fields until the holder is given.
    await page.keyboard.press('n');
    await page.getByTestId('cart-empty').waitFor();
    const realKey = await keyOf(page, 'Named seat');
    await page.keyboard.press(realKey);
    await page.keyboard.press(realKey);
    await expect.poll(() => page.getByTestId('attendee').count(), POLL).toBe(2);
    await page.keyboard.press('F2');
    await page.keyboard.type((real.priceMinor * 2 / 100).toFixed(2));
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('sale-error').getAttribute('data-code'), POLL).toBe('attendee_field_required');
    const first = page.getByTestId('attendee').first();
    const reasons = await first.getByTestId('attendee-issue').evaluateAll((els) => els.map((el) => `${el.getAttribute('data-field')}:${el.getAttribute('data-reason')}`));
    expect(reasons.sort()).toEqual(['idNumber:required', 'name:required', 'phone:required']);
    expect(await first.getByTestId('attendee-issue').first().textContent()).toBe('Required');
    // The type's registration form, with its own field's problem on it.
    const diet = first.locator('select[data-testid$="-diet"]');
    await expect.poll(() => first.locator('[data-testid$="-diet-error"]').count(), POLL).toBe(1);
    await diet.selectOption('vegan');

    await first.getByTestId('attendee-name').focus();
    await page.keyboard.type('Анна Иванова');
    await page.keyboard.press('Tab');
    await page.keyboard.type('+44 20 7946 0018');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.type('AB123456');
    await first.getByTestId('attendee-copy').click();
    const second = page.getByTestId('attendee').nth(1);
    expect(await second.getByTestId('attendee-name').inputValue()).toBe('Анна Иванова');
    expect(await second.locator('select[data-testid$="-diet"]').inputValue()).toBe('vegan');
    await second.getByTestId('attendee-name').fill('王小明');
    await second.getByTestId('attendee-idNumber').fill('CN998877');
    await page.getByTestId('tendered-input').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('order-result').waitFor({ timeout: 60_000 });
    const realOrderId = (await page.getByTestId('order-result').getAttribute('data-order-id'))!;
    await waitFor(async () => (await db.db.select().from(tickets).where(eq(tickets.orderId, realOrderId))).length === 2, 60_000, 'the real-name tickets at the server');
    const held = await db.db.select().from(tickets).where(eq(tickets.orderId, realOrderId));
    expect(held.map((t) => t.attendeeName).sort()).toEqual(['Анна Иванова', '王小明'].sort());
    expect(held.every((t) => t.phoneLast4 === '0018' && t.idHash !== null)).toBe(true);

    // X report, then Z with 5.00 missing from the drawer.
    await page.keyboard.press('Escape');
    await page.getByTestId('cart-empty').waitFor();
    await page.keyboard.press('F8');
    await page.getByTestId('shift-current').waitFor();
    await page.getByTestId('shift-x').click();
    await expect.poll(() => page.getByTestId('shift-report').getAttribute('data-kind'), POLL).toBe('x');
    expect(await page.getByTestId('report-sales').getAttribute('data-count')).toBe('2');
    const expected = Number(await page.getByTestId('report-expected').getAttribute('data-amount-minor'));
    expect(await page.getByTestId('report-sales').getAttribute('data-amount-minor')).toBe(String(total + real.priceMinor * 2));
    // The float, the split's cash part (what it kept, not what was handed over) and the cash-only sale.
    expect(expected).toBe(10000 + (total - cardMinor) + real.priceMinor * 2);
    await page.getByTestId('shift-counted').fill(((expected - 500) / 100).toFixed(2));
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('shift-report').getAttribute('data-kind'), POLL).toBe('z');
    expect(await page.getByTestId('report-variance').getAttribute('data-amount-minor')).toBe('-500');
    expect(await page.getByTestId('report-variance').textContent()).toBe('-€5.00');
    await page.screenshot({ path: join(tmpdir(), 'admit-box-office-z-1280.png') });
    await page.getByTestId('language-select').selectOption('ru');
    expect(await page.getByTestId('shift-report').getByRole('heading').textContent()).toBe('Z-отчёт');
    await page.getByTestId('language-select').selectOption('zh-CN');
    expect(await page.getByTestId('shift-report').getByRole('heading').textContent()).toBe('Z 报表');
    expect(problems).toEqual([]);
  });

  it('shows a type not yet on sale in the event\'s time zone, picks a session, emails the tickets, reprints a receipt with its reason, and refunds a scanned ticket by policy with the manager\'s PIN', async () => {
    // A type refundable until an hour before its evening session, less 10 %, only with a manager.
    const now = Date.now();
    const session = (await admin('POST', `/admin/v1/events/${eventId}/sessions`, {
      name: { en: 'Evening' },
      startsAt: new Date(now + 3 * 3_600_000).toISOString(),
      endsAt: new Date(now + 6 * 3_600_000).toISOString(),
    })).session!.id;
    const priceMinor = 4000;
    const eveningId = (await admin('POST', `/admin/v1/events/${eventId}/ticket-types`, {
      name: { en: 'Evening pass' },
      priceMinor,
      sessionId: session,
      refundPolicy: { refund: { hoursBefore: 1, fee: { kind: 'percent', basisPoints: 1000 }, who: 'manager' }, exchange: null },
    })).ticketType!.id;
    // And one not on sale before a fixed instant: 09:00 UTC is 10:00 in the event's Berlin.
    const lateId = (await admin('POST', `/admin/v1/events/${eventId}/ticket-types`, { name: { en: 'Late release' }, priceMinor: 1000, saleStartsAt: '2099-03-01T09:00:00.000Z' })).ticketType!.id;
    await waitFor(
      async () => {
        const c = await catalog();
        return c.ticketTypes.some((t) => t.id === eveningId) && (c.offSale ?? []).some((t) => t.id === lateId);
      },
      60_000,
      'the evening and late types to sync',
    );

    const { page, problems } = await openBoxOffice();
    // The shift was closed by the Z report: no sale until one opens again.
    await page.keyboard.press('F8');
    await page.getByTestId('shift-float').fill('50');
    await page.keyboard.press('Enter');
    await page.getByTestId('shift-current').waitFor({ timeout: 60_000 });
    await page.keyboard.press('Escape');
    await page.getByTestId('shift-panel').waitFor({ state: 'detached' });

    await page.getByTestId('catalog-refresh').click();
    const late = page.locator(`[data-testid="ticket-type-off-sale"][data-ticket-type-id="${lateId}"]`);
    await expect.poll(() => late.getAttribute('data-sale-state'), POLL).toBe('not_yet_on_sale');
    const from = (await late.getByTestId('off-sale-reason').textContent())!;
    expect(from).toContain('Mar 1, 2099');
    expect(from).toContain('10:00');
    // The session picker: the evening chosen, its type still listed.
    await page.getByTestId('session-select').selectOption({ label: (await page.getByTestId('session-select').locator('option', { hasText: 'Evening' }).textContent())! });
    await expect.poll(() => page.locator(`[data-testid="ticket-type"][data-ticket-type-id="${eveningId}"]`).count(), POLL).toBe(1);
    await page.locator('body').focus();
    const key = await keyOf(page, 'Evening pass');
    await page.keyboard.press(key);
    await page.keyboard.press(key);
    await page.keyboard.press('F2');
    await page.keyboard.type('80');
    await page.keyboard.press('Enter');
    await page.getByTestId('order-result').waitFor({ timeout: 60_000 });
    const codes = await page.getByTestId('ticket-code').allTextContents();
    expect(codes).toHaveLength(2);

    // The tickets by email in Russian: sent, at the SMTP server; an address that bounces says so.
    const send = async (address: string) => {
      await page.getByTestId('send-channel').selectOption('email');
      await page.getByTestId('send-address').fill(address);
      await page.getByTestId('send-language').selectOption('ru');
      await page.keyboard.press('Enter');
    };
    await send('olga@example.ru');
    await expect.poll(() => page.getByTestId('delivery').first().getAttribute('data-state'), POLL).toBe('sent');
    expect(await page.getByTestId('delivery').first().getByTestId('delivery-state').textContent()).toBe('Sent');
    await waitFor(() => smtp.messages.some((m) => m.to.includes('olga@example.ru')), 60_000, 'the e-ticket at the SMTP server');
    await send('bounce@example.com');
    await expect.poll(() => page.locator('[data-testid="delivery"][data-state="bounced"]').count(), POLL).toBe(1);

    await page.screenshot({ path: join(tmpdir(), 'admit-box-office-after-sale-1280.png') });
    // Reprint the receipt: the paper jammed.
    await page.getByTestId('reprint-what').selectOption('receipt');
    await page.getByTestId('reprint-reason').selectOption('paper_jam');
    await page.getByTestId('reprint-button').click();
    await expect.poll(() => page.getByTestId('reprint-status').getAttribute('data-copy'), POLL).toBe('1');
    expect(await page.getByTestId('reprint-status').textContent()).toContain('Copy 1 sent to the printer');

    // F10: the customer's ticket is scanned (a keyboard wedge ending in Enter).
    await page.keyboard.press('n');
    await page.getByTestId('cart-empty').waitFor();
    await page.keyboard.press('F10');
    await page.getByTestId('refund-code').waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('refund-code');
    await page.keyboard.type(codes[0]!.trim());
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('refund-ticket').count(), POLL).toBe(2);
    const rows = page.getByTestId('refund-ticket');
    expect(await rows.first().getAttribute('data-needs-manager')).toBe('true');
    expect(await rows.first().getAttribute('data-fee-minor')).toBe(String(priceMinor / 10));
    // Only one of the two tickets goes back.
    await rows.nth(1).getByTestId('refund-ticket-check').uncheck();
    await expect.poll(() => page.getByTestId('refund-preview').getAttribute('data-amount-minor')).toBe(String(priceMinor - priceMinor / 10));
    await page.getByTestId('refund-reason').fill('cannot attend');
    await page.getByTestId('refund-confirm').click();
    await page.getByTestId('manager-approval').waitFor();
    await page.getByTestId('manager-select').selectOption({ label: 'Manager' });
    await page.getByTestId('manager-pin').fill('999999');
    await page.screenshot({ path: join(tmpdir(), 'admit-box-office-refund-1280.png') });
    await page.getByTestId('refund-confirm').click();
    await expect.poll(() => page.getByTestId('refund-done').getAttribute('data-amount-minor'), POLL).toBe(String(priceMinor - priceMinor / 10));
    expect(await page.getByTestId('refund-done').textContent()).toContain('Refunded €36.00 (fee €4.00)');
    const refundedId = (await rows.first().getAttribute('data-ticket-id'))!;
    const [revoked] = await db.db.select().from(tickets).where(eq(tickets.id, refundedId));
    expect(revoked!.status).not.toBe('valid');
    expect(problems).toEqual([]);
  });
});
