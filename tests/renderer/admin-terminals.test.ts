// Admin mode's Terminals and Points sections in Debian's Chromium, every step real: the built renderer
// served by service mode's bridge from a core on real SQLite, paired with a server on PGlite. The admin
// sees this terminal in the list with its status report; creates a pairing code, shown as text and as a
// QR image that loads under the page's CSP, with its expiry counting down; a second core pairs with the
// code read off the screen, shows in the list, and is revoked after a confirmation; renames this
// terminal, which learns its new name by sync; creates a check-in point and lets only one operator serve
// it. The section names show in Russian and Chinese.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/core';
import { startBridgeServer, type BridgeServer } from '../../electron/core/service/bridge-server';
import { createServer, type AdmitServer } from '../../server/src/app';
import { openServerDb, type ServerDbHandle } from '../../server/src/db/client';
import { DEMO_EVENT_ID } from '../../server/src/services/demo';
import { waitFor } from '../helpers/wait';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = resolve(__dirname, '../..');
const KNOWN_NOISE = [/frame-ancestors.*ignored when delivered via a <meta> element/i];
const quiet = { warn: () => undefined, error: () => undefined };
const POLL = { timeout: 60_000 };

describe.skipIf(!existsSync(CHROMIUM))('admin mode: terminals and points, on screen (Chromium, service mode)', () => {
  let work: string;
  let outDir: string;
  let db: ServerDbHandle;
  let server: AdmitServer;
  let serverUrl: string;
  let core: Core;
  let second: Core | null = null;
  let bridge: BridgeServer;
  let browser: Browser;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'admit-admin-terminals-ui-'));
    outDir = join(work, 'ui');
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({ configFile: join(ROOT, 'vite.config.ts'), mode: 'production', logLevel: 'warn', build: { outDir, emptyOutDir: true, sourcemap: false } });
    } finally {
      process.env.NODE_ENV = nodeEnv;
    }
    db = await openServerDb();
    server = createServer({ db, adminToken: 'admin-terminals-ui-token' });
    serverUrl = (await server.listen({ host: '127.0.0.1', port: 0 })).url;
    await server.admin.seedDemo({ tickets: 5 });
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
    await second?.close().catch(() => undefined);
    await core?.close().catch(() => undefined);
    await server?.close();
    await db?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('lists terminals, pairs one with a code off the screen, revokes it, renames this one, and sets up a point', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
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
    await page.getByTestId('admin').waitFor();
    await page.getByTestId('admin-nav-item').and(page.locator('[data-section="terminals"]')).click();
    await page.getByTestId('terminals-list').waitFor(POLL);

    // This terminal, with the status it reported (refresh until the report is in).
    const me = page.locator(`[data-testid="terminal-row"][data-terminal-id="${core.sync.deviceId!}"]`);
    await me.waitFor(POLL);
    await expect
      .poll(async () => {
        if ((await me.getByTestId('terminal-version').count()) === 0) await page.getByTestId('terminals-refresh').click();
        return me.getByTestId('terminal-version').count();
      }, POLL)
      .toBe(1);
    expect(await me.getByTestId('terminal-name').textContent()).toBe('Admin desk');
    expect(await me.getByTestId('terminal-version').textContent()).toBe('test');
    expect(await me.getByTestId('terminal-modes').textContent()).toBe('Box office, Gate, Manager, Admin');
    expect(await me.getByTestId('terminal-backlog').getAttribute('data-outbox')).toBe('0');
    expect(await me.getByTestId('terminal-events').textContent()).toContain('Admit Demo');

    // A pairing code for the demo event: big text, a QR image that loaded, an expiry counting down.
    await page.getByTestId('pairing-event').first().check();
    await page.getByTestId('pairing-create').click();
    const codeText = page.getByTestId('pairing-code');
    await codeText.waitFor(POLL);
    const code = (await codeText.textContent())!.trim();
    expect(code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    const qr = page.getByTestId('pairing-qr');
    expect(await qr.isVisible()).toBe(true);
    await expect.poll(() => qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), POLL).toBeGreaterThan(100);
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    const expiry = page.getByTestId('pairing-expiry');
    const firstLeft = Number(await expiry.getAttribute('data-seconds-left'));
    expect(firstLeft).toBeGreaterThan(60);
    expect(await expiry.textContent()).toMatch(/^Expires in \d+:\d\d$/);
    await expect.poll(async () => Number(await expiry.getAttribute('data-seconds-left')), POLL).toBeLessThan(firstLeft);
    await page.screenshot({ path: join(tmpdir(), 'admit-admin-terminals-1440.png'), fullPage: true });

    // A second terminal pairs with the code read off the screen and shows in the list.
    second = await createCore({ dataDir: join(work, 'gate'), migrationsFolder: 'migrations/local', shell: 'service', demo: false, version: 'test', logger: quiet });
    expect(await second.dispatch('setup', 'terminal.pair', { serverUrl, code, terminalName: 'Gate 2' })).toMatchObject({ ok: true });
    const gateId = second.sync.deviceId!;
    const gateRow = page.locator(`[data-testid="terminal-row"][data-terminal-id="${gateId}"]`);
    await page.getByTestId('terminals-refresh').click();
    await gateRow.waitFor(POLL);
    expect(await gateRow.getByTestId('terminal-name').textContent()).toBe('Gate 2');

    // Revoke asks first: "cancel" changes nothing, "yes" revokes.
    await gateRow.getByTestId('terminal-revoke').click();
    expect(await gateRow.getByTestId('terminal-revoke-confirm').textContent()).toContain('Revoke Gate 2?');
    await gateRow.getByTestId('terminal-revoke-no').click();
    expect(await gateRow.getByTestId('terminal-revoke-confirm').count()).toBe(0);
    expect((await server.admin.listDevices()).find((d) => d.id === gateId)?.revokedAt).toBeNull();
    await gateRow.getByTestId('terminal-revoke').click();
    await gateRow.getByTestId('terminal-revoke-yes').click();
    await expect.poll(() => gateRow.getAttribute('data-revoked'), POLL).toBe('true');
    expect(await page.getByTestId('terminals-done').textContent()).toBe('Gate 2 was revoked.');
    expect((await server.admin.listDevices()).find((d) => d.id === gateId)?.revokedAt).not.toBeNull();

    // Rename this terminal: the list shows it and the terminal learns it by sync.
    await me.getByTestId('terminal-edit').click();
    await page.getByTestId('terminal-edit-name').fill('Front desk');
    await page.getByTestId('terminal-edit-save').click();
    await expect.poll(() => me.getByTestId('terminal-name').textContent(), POLL).toBe('Front desk');
    await waitFor(() => core.sync.status().terminalName === 'Front desk', 60_000, 'the new name to reach the terminal');

    // Points: create one for the demo event, then let only the gate operator serve it.
    await page.getByTestId('admin-nav-item').and(page.locator('[data-section="points"]')).click();
    await page.getByTestId('points-list').waitFor(POLL);
    expect(await page.getByTestId('points-event').inputValue()).toBe(DEMO_EVENT_ID);
    await page.getByTestId('point-create-save').click();
    expect(await page.getByTestId('point-create-problem').textContent()).toBe('Enter a name in at least one language.');
    await page.getByTestId('point-create-name-en').fill('Side door');
    await page.getByTestId('point-create-name-ru').fill('Боковая дверь');
    await page.getByTestId('point-create-name-zh-CN').fill('侧门');
    await page.getByTestId('point-create-reentry').selectOption('after_exit');
    await page.getByTestId('point-create-type').first().check();
    await page.getByTestId('point-create-window-add').click();
    await page.getByTestId('point-create-window-from').fill('2030-05-01T09:00');
    await page.getByTestId('point-create-window-to').fill('2030-05-01T08:00');
    await page.getByTestId('point-create-save').click();
    expect(await page.getByTestId('point-create-problem').textContent()).toBe('A time window ends before it starts.');
    await page.getByTestId('point-create-window-to').fill('2030-05-01T18:00');
    await page.getByTestId('point-create-save').click();
    const side = page.getByTestId('point-row').filter({ hasText: 'Side door' });
    await side.waitFor(POLL);
    expect(await page.getByTestId('points-done').textContent()).toBe('Side door was created.');
    expect(await side.getByTestId('point-staff').textContent()).toBe('Anyone');
    const pointId = (await side.getAttribute('data-point-id'))!;
    const stored = (await server.admin.listPoints(DEMO_EVENT_ID)).find((p) => p.id === pointId)!;
    expect(stored).toMatchObject({ name: { en: 'Side door', ru: 'Боковая дверь', 'zh-CN': '侧门' }, reentry: 'after_exit', direction: 'entry' });
    expect(stored.ticketTypeIds).toHaveLength(1);
    expect(stored.windows).toHaveLength(1);

    const listed = await core.dispatch('x', 'session.operators', {});
    if (!listed.ok) throw new Error('session.operators failed');
    const signInList = listed.value as { id: string; role: string }[];
    const gateOperator = signInList.find((o) => o.role === 'gate')!;
    await side.getByTestId('point-staff-edit').click();
    await page.locator(`[data-testid="point-staff-operator"][data-operator-id="${gateOperator.id}"]`).check();
    await page.getByTestId('point-staff-save').click();
    await expect.poll(() => side.getByTestId('point-staff').getAttribute('data-operators'), POLL).toBe('1');
    expect(await side.getByTestId('point-staff').textContent()).toBe('Operators: 1, terminals: 0');
    expect((await server.admin.listPoints(DEMO_EVENT_ID)).find((p) => p.id === pointId)).toMatchObject({ operatorIds: [gateOperator.id], deviceIds: [] });
    await page.screenshot({ path: join(tmpdir(), 'admit-admin-points-1440.png'), fullPage: true });

    // The section names in Russian and Chinese.
    const navNames = () => page.getByTestId('admin-nav-item').allTextContents();
    await page.getByTestId('language-select').selectOption('ru');
    expect(await navNames()).toEqual(['Персонал', 'Мероприятия', 'Промокоды', 'Терминалы', 'Точки контроля', 'Настройки киоска', 'Анкеты', 'Бейджи', 'Почта и SMS', 'Отчёты смен', 'Импорт', 'Выгрузка']);
    await page.getByTestId('language-select').selectOption('zh-CN');
    expect(await navNames()).toEqual(['工作人员', '活动', '优惠码', '终端', '检票点', '自助机设置', '表单', '胸卡', '邮件和短信', '班次报表', '导入', '导出']);
    expect(problems).toEqual([]);
    await context.close();
  }, 300_000);
});
