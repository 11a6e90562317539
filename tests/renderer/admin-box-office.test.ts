// Admin mode's box-office settings in Debian's Chromium, every step real: the built renderer served by
// service mode's bridge from a core on real SQLite, paired with a server on PGlite, a real SMTP server
// on 127.0.0.1. The admin creates a voucher through the screen (a percentage over 100 and a code taken
// are refused at their field, nothing created), the server holds it, a cashier's sale through the core
// redeems it and the list shows its use; the admin saves mail settings with a password that never
// comes back — not to the page, not in the core's log — and sends a test message the SMTP server
// receives; the shift the cashier closed short shows in the shift reports with its variance marked.
// A cashier is refused every one of these calls in the core, and at the server.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import { chromium, type Browser, type Page } from 'playwright-core';
import { v7 as uuidv7 } from 'uuid';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zonedToInstant } from '../../domain/zoned-time';
import { ADMIN_SESSION_HEADER } from '../../domain/admin-session';
import { REQUEST_ID_HEADER } from '../../domain/wire';
import { createCore, type Core } from '../../electron/core/core';
import { startBridgeServer, type BridgeServer } from '../../electron/core/service/bridge-server';
import { createServer, type AdmitServer } from '../../server/src/app';
import { openServerDb, type ServerDbHandle } from '../../server/src/db/client';
import { loginAs } from '../helpers/login';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink';
import { waitFor } from '../helpers/wait';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = resolve(__dirname, '../..');
const SHOTS = join(ROOT, 'artifacts', 'e2e', 'admin-box-office');
const KNOWN_NOISE = [/frame-ancestors.*ignored when delivered via a <meta> element/i];
const POLL = { timeout: 60_000 };
const ADMIN_TOKEN = 'box-office-admin-token';
const PASSWORD = 'Sm7p-Pa55word-never-echoed';
const API_KEY = 'sms-api-key-never-echoed';
const TILL = 'till';

describe.skipIf(!existsSync(CHROMIUM))('admin mode: box-office settings, on screen (Chromium, service mode)', () => {
  let work: string;
  let outDir: string;
  let db: ServerDbHandle;
  let server: AdmitServer;
  let serverUrl: string;
  let core: Core;
  let bridge: BridgeServer;
  let browser: Browser;
  let smtp: SmtpSink;
  /** Every line the core logged, with its fields. */
  const coreLog: string[] = [];
  const logger = {
    info: (msg: string, fields?: object) => void coreLog.push(`${msg} ${JSON.stringify(fields ?? {})}`),
    warn: (msg: string, fields?: object) => void coreLog.push(`${msg} ${JSON.stringify(fields ?? {})}`),
    error: (msg: string, fields?: object) => void coreLog.push(`${msg} ${JSON.stringify(fields ?? {})}`),
  };

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'admit-admin-box-office-'));
    mkdirSync(SHOTS, { recursive: true });
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
    server = createServer({ db, adminToken: ADMIN_TOKEN, dataDir: join(work, 'server') });
    serverUrl = (await server.listen({ host: '127.0.0.1', port: 0 })).url;
    await server.admin.seedDemo({ tickets: 5 });
    core = await createCore({ dataDir: join(work, 'desk'), migrationsFolder: 'migrations/local', shell: 'service', demo: false, version: 'test', logger });
    const { code } = await server.admin.createPairingCode();
    expect(await core.dispatch('setup', 'terminal.pair', { serverUrl, code, terminalName: 'Office desk' })).toMatchObject({ ok: true });
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
    await smtp?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  /** A request to the server's admin API with the organizer's token (the test's own view of the server). */
  async function asOrganizer<T>(path: string): Promise<T> {
    const res = await fetch(serverUrl + path, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(res.status).toBe(200);
    return (await res.json()) as T;
  }

  /** A request as this terminal would send it: its device token, and `headers`. */
  async function asDevice(method: string, path: string, headers: Record<string, string>, body?: unknown) {
    const res = await fetch(serverUrl + path, {
      method,
      headers: {
        authorization: `Bearer ${core.secrets.get('device_token')!}`,
        [REQUEST_ID_HEADER]: uuidv7(),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, json: (await res.json()) as { error?: { code: string } } };
  }

  async function value<T>(sessionId: string, name: string, input: unknown): Promise<T> {
    const r = await core.dispatch(sessionId, name, input);
    if (!r.ok) throw new Error(`${name} failed: ${JSON.stringify(r.error)}`);
    return r.value as T;
  }

  const section = (page: Page, id: string) => page.getByTestId('admin-nav-item').and(page.locator(`[data-section="${id}"]`)).click();

  it('creates a voucher the server holds and a sale redeems, saves mail settings whose password never comes back, and lists the shift', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    const page = await context.newPage();
    const problems: string[] = [];
    const received: string[] = [];
    page.on('console', (msg) => {
      if ((msg.type() === 'error' || msg.type() === 'warning') && !KNOWN_NOISE.some((re) => re.test(msg.text()))) problems.push(`console.${msg.type()}: ${msg.text()}`);
    });
    page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
    // Everything the core sends the page over the bridge.
    page.on('websocket', (ws) => ws.on('framereceived', (f) => received.push(String(f.payload))));
    const url = new URL(bridge.url);
    url.searchParams.set('mode', 'admin');
    await page.goto(url.toString());
    await page.getByTestId('login-screen').waitFor();
    await page.getByTestId('operator-option').and(page.locator('[data-role="admin"]')).click();
    for (const d of '000000') await page.getByTestId(`pin-digit-${d}`).click();
    await page.getByTestId('pin-enter').click();
    await page.getByTestId('admin-nav').waitFor(POLL);

    // ---- Vouchers ------------------------------------------------------------------------------------
    const { events } = await asOrganizer<{ events: { id: string; timezone: string }[] }>('/admin/v1/events');
    const event = events[0]!;
    const catalog = await asOrganizer<{ event: { ticketTypes: { id: string; name: Record<string, string>; priceMinor: number }[] } }>(`/admin/v1/events/${event.id}`);
    const dayPass = catalog.event.ticketTypes.find((tt) => tt.name['en'] === 'Day pass')!;
    await section(page, 'vouchers');
    await page.getByTestId('vouchers-empty').waitFor(POLL);
    expect(await page.getByTestId('vouchers-zone').textContent()).toContain(event.timezone);

    // 150 % passes the screen's own checks; the core refuses it and the screen marks the field.
    await page.getByTestId('voucher-create-code').fill('spring10');
    await page.getByTestId('voucher-create-value').fill('150');
    await page.getByTestId('voucher-create-all-types').uncheck();
    await page.getByTestId('voucher-create-type').and(page.locator(`[data-type-id="${dayPass.id}"]`)).check();
    await page.getByTestId('voucher-create-until').fill('2099-12-31T23:00');
    await page.getByTestId('voucher-create-max-uses').fill('5');
    await page.getByTestId('voucher-create-max-per-order').fill('2');
    await page.getByTestId('voucher-create-submit').click();
    const valueProblem = page.getByTestId('voucher-create-problem').and(page.locator('[data-field="value"]'));
    await valueProblem.waitFor(POLL);
    expect(await valueProblem.getAttribute('data-problem')).toBe('percent');
    expect(await valueProblem.textContent()).toBe('A whole percentage from 1 to 100.');
    expect(await page.getByTestId('voucher-create-value').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByTestId('voucher-create-error').getAttribute('data-code')).toBe('invalid');
    expect((await asOrganizer<{ vouchers: unknown[] }>(`/admin/v1/events/${event.id}/vouchers`)).vouchers).toEqual([]);

    await page.getByTestId('voucher-create-value').fill('10');
    await page.getByTestId('voucher-create-submit').click();
    const row = page.getByTestId('voucher-row').and(page.locator('[data-code="SPRING10"]'));
    await row.waitFor(POLL);
    expect(await page.getByTestId('vouchers-done').textContent()).toBe('Voucher SPRING10 was created.');
    expect(await row.getAttribute('data-used')).toBe('0');
    expect(await row.getByTestId('voucher-uses').textContent()).toBe('0 of 5');
    expect(await row.getByTestId('voucher-discount').textContent()).toBe('10 % off');
    const atServer = (await asOrganizer<{ vouchers: Record<string, unknown>[] }>(`/admin/v1/events/${event.id}/vouchers`)).vouchers;
    expect(atServer).toHaveLength(1);
    expect(atServer[0]).toMatchObject({
      code: 'SPRING10',
      kind: 'percent',
      value: 10,
      ticketTypeIds: [dayPass.id],
      validFrom: null,
      maxUses: 5,
      maxPerOrder: 2,
      used: 0,
      active: true,
    });
    // Typed on the event's wall clock, stored as that instant.
    expect(Date.parse(atServer[0]!.validUntil as string)).toBe(Date.parse(zonedToInstant('2099-12-31T23:00', event.timezone)!));

    // The same code again: refused by the server, in the voucher's terms; still one voucher.
    await page.getByTestId('voucher-create-code').fill('Spring10');
    await page.getByTestId('voucher-create-value').fill('5');
    await page.getByTestId('voucher-create-submit').click();
    await expect.poll(() => page.getByTestId('voucher-create-error').getAttribute('data-code'), POLL).toBe('codeTaken');
    expect((await asOrganizer<{ vouchers: unknown[] }>(`/admin/v1/events/${event.id}/vouchers`)).vouchers).toHaveLength(1);
    await page.screenshot({ path: join(SHOTS, 'vouchers-1280.png'), fullPage: true });

    // A cashier's shift on this terminal: a sale with the voucher, then the drawer counted 1.00 short.
    expect(await loginAs(core, TILL, { role: 'cashier' }, '111111')).toMatchObject({ ok: true });
    await value(TILL, 'boxOffice.shift.open', { floatMinor: 10_000 });
    const sale = await value<{ order: { totalMinor: number; id: string } }>(TILL, 'boxOffice.sell', {
      lines: [{ ticketTypeId: dayPass.id, quantity: 1 }],
      payment: { method: 'cash', tenderedMinor: dayPass.priceMinor },
      voucherCode: 'spring10',
      eventId: event.id,
    });
    const discounted = dayPass.priceMinor - Math.floor((dayPass.priceMinor * 10 * 2 + 100) / 200);
    expect(sale.order.totalMinor).toBe(discounted);
    const z = await value<{ shift: { id: string }; expectedCashMinor?: number }>(TILL, 'boxOffice.shift.close', { countedMinor: 10_000 + discounted - 100 });
    expect(z).toBeTruthy();
    await waitFor(async () => (await server.admin.listShiftReports({ limit: 10 })).some((r) => r.report === 'z'), 60_000, 'the Z report to reach the server');

    // The list shows the use once the section is read again.
    await section(page, 'shifts');
    await section(page, 'vouchers');
    await expect.poll(() => row.getAttribute('data-used'), POLL).toBe('1');
    expect(await row.getByTestId('voucher-uses').textContent()).toBe('1 of 5');
    // Change it: no uses at all is caught at its field; a higher limit is saved. Then it is switched
    // off, and the list says so.
    await row.getByTestId('voucher-edit').click();
    await page.getByTestId('voucher-edit-max-uses').fill('0');
    await page.getByTestId('voucher-edit-submit').click();
    await expect.poll(() => page.getByTestId('voucher-edit-problem').and(page.locator('[data-field="maxUses"]')).count(), POLL).toBe(1);
    await page.getByTestId('voucher-edit-max-uses').fill('20');
    await page.getByTestId('voucher-edit-submit').click();
    await expect.poll(() => row.getByTestId('voucher-uses').textContent(), POLL).toBe('1 of 20');
    expect(await page.getByTestId('vouchers-done').textContent()).toBe('Voucher SPRING10 was saved.');
    await row.getByTestId('voucher-disable').click();
    await expect.poll(() => row.getAttribute('data-active'), POLL).toBe('false');
    expect((await asOrganizer<{ vouchers: Record<string, unknown>[] }>(`/admin/v1/events/${event.id}/vouchers`)).vouchers[0]).toMatchObject({ maxUses: 20, used: 1, active: false });

    // ---- Shift reports -------------------------------------------------------------------------------
    await section(page, 'shifts');
    const report = page.getByTestId('shift-report').and(page.locator('[data-kind="z"]'));
    await report.waitFor(POLL);
    expect(await report.getByTestId('shift-report-variance').getAttribute('data-variance')).toBe('-100');
    expect(await report.getByTestId('shift-report-variance').getAttribute('role')).toBe('alert');
    expect(await report.getByTestId('shift-report-variance').textContent()).toContain('(cash missing)');
    expect(await report.getByTestId('shift-report-opened').textContent()).toContain('Cashier');
    const cash = report.getByTestId('shift-report-method').and(page.locator('[data-method="cash"]'));
    expect(await cash.getByTestId('shift-report-method-sales').textContent()).toMatch(/^1 · /);
    // Filtered by a day with no reports: none; by this terminal: it again.
    await page.getByTestId('shift-reports-day').fill('2001-01-01');
    await page.getByTestId('shift-reports-empty').waitFor(POLL);
    await page.getByTestId('shift-reports-day').fill('');
    const deviceId = (await server.admin.listDevices()).find((d) => d.name === 'Office desk')!.id;
    await page.getByTestId('shift-reports-terminal').selectOption(deviceId);
    await report.waitFor(POLL);
    expect(await report.getAttribute('data-device-id')).toBe(deviceId);
    await page.screenshot({ path: join(SHOTS, 'shift-reports-1280.png'), fullPage: true });

    // ---- Mail and SMS -------------------------------------------------------------------------------
    await section(page, 'messaging');
    await expect.poll(() => page.getByTestId('mail-configured').getAttribute('data-configured'), POLL).toBe('false');
    await page.getByTestId('mail-host').fill('127.0.0.1');
    await page.getByTestId('mail-security').selectOption('starttls');
    await page.getByTestId('mail-port').fill(String(smtp.port));
    await page.getByTestId('mail-user').fill('boxoffice');
    await page.getByTestId('mail-password').fill(PASSWORD);
    await page.getByTestId('mail-from').fill('tickets@example.org');
    await page.getByTestId('mail-from-name').fill('Spring Fest box office');
    await page.getByTestId('mail-save').click();
    await page.getByTestId('mail-saved').waitFor(POLL);
    expect(await page.getByTestId('mail-password-state').getAttribute('data-set')).toBe('true');
    expect(await page.getByTestId('mail-password-state').textContent()).toBe('A password is set.');
    expect(await page.getByTestId('mail-password').inputValue()).toBe('');
    const mailAtServer = await asOrganizer<Record<string, unknown>>('/admin/v1/settings/mail');
    expect(mailAtServer).toMatchObject({ configured: true, host: '127.0.0.1', port: smtp.port, security: 'starttls', user: 'boxoffice', passwordSet: true, from: 'tickets@example.org' });
    expect(JSON.stringify(mailAtServer)).not.toContain(PASSWORD);
    const stored = await db.db.execute(sql`select secret from delivery_settings where channel = 'email'`);
    expect(JSON.stringify(stored)).not.toContain(PASSWORD);

    // A password over a plain connection: caught at the field before anything is sent.
    await page.getByTestId('mail-security').selectOption('none');
    await page.getByTestId('mail-password').fill('another-one');
    await page.getByTestId('mail-save').click();
    await page.getByTestId('mail-problem').and(page.locator('[data-field="password"]')).waitFor(POLL);
    expect((await asOrganizer<{ security: string }>('/admin/v1/settings/mail')).security).toBe('starttls');

    // The test SMTP server speaks no TLS: plain, which drops the stored password. Then a test message.
    await page.getByTestId('mail-password').fill('');
    await page.getByTestId('mail-port').fill(String(smtp.port));
    await page.getByTestId('mail-save').click();
    await expect.poll(() => page.getByTestId('mail-password-state').getAttribute('data-set'), POLL).toBe('false');
    await page.getByTestId('mail-test-to').fill('organizer@example.org');
    await page.getByTestId('mail-test-send').click();
    await expect.poll(() => page.getByTestId('mail-test-result').getAttribute('data-sent'), POLL).toBe('true');
    const mail = smtp.messages.find((m) => m.to.includes('organizer@example.org'))!;
    expect(mail.parsed.subject).toBe('Admit: test message');
    expect(mail.parsed.from?.value[0]).toMatchObject({ address: 'tickets@example.org', name: 'Spring Fest box office' });
    // A recipient the mail server refuses: said so, with the reason.
    await page.getByTestId('mail-test-to').fill('bounce@example.org');
    await page.getByTestId('mail-test-send').click();
    await expect.poll(() => page.getByTestId('mail-test-result').getAttribute('data-error'), POLL).toBe('recipient_rejected');
    expect(await page.getByTestId('mail-test-result').textContent()).toBe('The test message did not go out: the mail server refused this address.');

    // SMS: the API key is write-only too.
    await page.getByTestId('sms-url').fill('http://127.0.0.1:9/sms');
    await page.getByTestId('sms-sender').fill('SPRINGFEST');
    await page.getByTestId('sms-api-key').fill(API_KEY);
    await page.getByTestId('sms-save').click();
    await page.getByTestId('sms-saved').waitFor(POLL);
    expect(await page.getByTestId('sms-api-key-state').getAttribute('data-set')).toBe('true');
    expect(await page.getByTestId('sms-api-key-state').textContent()).toBe('An API key is set.');
    expect(await asOrganizer<Record<string, unknown>>('/admin/v1/settings/sms')).toMatchObject({ configured: true, sender: 'SPRINGFEST', apiKeySet: true });
    await page.screenshot({ path: join(SHOTS, 'mail-sms-1280.png'), fullPage: true });

    // The secrets went to the core once and never came back: not in the page, not in what the core sent
    // it, not in the core's log, not in the terminal's audit trail.
    const html = await page.content();
    for (const secret of [PASSWORD, API_KEY]) {
      expect(html).not.toContain(secret);
      expect(received.join('\n')).not.toContain(secret);
      expect(coreLog.join('\n')).not.toContain(secret);
    }
    expect(received.length).toBeGreaterThan(0);
    expect(await loginAs(core, 'manager-ui', { role: 'manager' }, '999999')).toMatchObject({ ok: true });
    const trail = await value<{ entries: { action: string; detail: unknown }[] }>('manager-ui', 'audit.list', { limit: 500 });
    const actions = trail.entries.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['voucher_created', 'mail_settings_updated', 'mail_test_sent', 'sms_settings_updated']));
    expect(JSON.stringify(trail)).not.toContain(PASSWORD);
    expect(JSON.stringify(trail)).not.toContain(API_KEY);

    // The section titles in Russian and Chinese.
    await page.getByTestId('language-select').selectOption('ru');
    expect(await page.getByTestId('admin-nav-item').and(page.locator('[data-section="vouchers"]')).textContent()).toBe('Промокоды');
    await page.getByTestId('language-select').selectOption('zh-CN');
    expect(await page.getByTestId('admin-nav-item').and(page.locator('[data-section="shifts"]')).textContent()).toBe('班次报表');
    expect(problems).toEqual([]);
    await context.close();
  }, 300_000);

  it("refuses a cashier these calls in the core and at the server, and nothing changes", async () => {
    expect(await loginAs(core, 'cashier-ui', { role: 'cashier' }, '111111')).toMatchObject({ ok: true });
    const { events } = await asOrganizer<{ events: { id: string }[] }>('/admin/v1/events');
    const eventId = events[0]!.id;
    const before = await asOrganizer<{ vouchers: { id: string }[] }>(`/admin/v1/events/${eventId}/vouchers`);
    const voucherId = before.vouchers[0]!.id;
    for (const [name, input] of [
      ['admin.vouchers.list', { eventId }],
      ['admin.vouchers.create', { eventId, code: 'SNEAKY', kind: 'percent', value: 100 }],
      ['admin.vouchers.update', { eventId, voucherId, maxUses: 1000 }],
      ['admin.vouchers.disable', { eventId, voucherId }],
      ['admin.mail.get', {}],
      ['admin.mail.save', { host: 'evil.example', port: 25, security: 'none', user: null, from: 'x@evil.example' }],
      ['admin.mail.test', { to: 'x@evil.example' }],
      ['admin.sms.get', {}],
      ['admin.sms.save', { provider: 'simulated', url: 'http://127.0.0.1:1/', sender: 'X' }],
      ['admin.shiftReports.list', {}],
    ] as const) {
      expect(await core.dispatch('cashier-ui', name, input), name).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    // At the server: the device token alone, or a made-up session, is no admin; a cashier's PIN opens no session.
    expect((await asDevice('GET', `/admin/v1/events/${eventId}/vouchers`, {})).status).toBe(401);
    expect((await asDevice('GET', '/admin/v1/shift-reports', {})).status).toBe(401);
    const forged = { [ADMIN_SESSION_HEADER]: 'forged-session-token-forged-session-token-xx' };
    expect(await asDevice('POST', `/admin/v1/events/${eventId}/vouchers`, forged, { code: 'SNEAKY', kind: 'percent', value: 100 })).toMatchObject({ status: 401 });
    expect(await asDevice('PUT', '/admin/v1/settings/mail', forged, { host: 'evil.example', port: 25, security: 'none', user: null, from: 'x@evil.example' })).toMatchObject({ status: 401 });
    expect(await asDevice('POST', '/admin/v1/settings/mail/test', forged, { to: 'x@evil.example' })).toMatchObject({ status: 401 });
    const cashierId = (await value<{ operatorId: string }>('cashier-ui', 'session.current', {})).operatorId;
    expect(await asDevice('POST', '/v1/admin-sessions', {}, { operatorId: cashierId, pin: '111111' })).toMatchObject({ status: 403, json: { error: { code: 'forbidden' } } });
    expect(await asOrganizer(`/admin/v1/events/${eventId}/vouchers`)).toEqual(before);
    expect((await asOrganizer<{ host: string }>('/admin/v1/settings/mail')).host).toBe('127.0.0.1');
  }, 300_000);
});
