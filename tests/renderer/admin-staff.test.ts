// Admin mode's Staff section in Debian's Chromium, every step real: the built renderer served by service
// mode's bridge from a core on real SQLite, paired with a server on PGlite. The admin signs in through the
// screen and opens admin mode; creates an operator (PIN typed twice; a mismatch is caught first), who
// shows in the list and reaches the terminal's sign-in list by sync; disables the cashier, who leaves it;
// the last admin cannot demote themself. The same screen in Russian and Chinese shows its titles.
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
import { waitFor } from '../helpers/wait';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = resolve(__dirname, '../..');
const KNOWN_NOISE = [/frame-ancestors.*ignored when delivered via a <meta> element/i];
const quiet = { warn: () => undefined, error: () => undefined };
const POLL = { timeout: 60_000 };

describe.skipIf(!existsSync(CHROMIUM))('admin mode: staff, on screen (Chromium, service mode)', () => {
  let work: string;
  let outDir: string;
  let db: ServerDbHandle;
  let server: AdmitServer;
  let core: Core;
  let bridge: BridgeServer;
  let browser: Browser;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'admit-admin-ui-'));
    outDir = join(work, 'ui');
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({ configFile: join(ROOT, 'vite.config.ts'), mode: 'production', logLevel: 'warn', build: { outDir, emptyOutDir: true, sourcemap: false } });
    } finally {
      process.env.NODE_ENV = nodeEnv;
    }
    db = await openServerDb();
    server = createServer({ db, adminToken: 'admin-ui-token' });
    const serverUrl = (await server.listen({ host: '127.0.0.1', port: 0 })).url;
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
    await core?.close().catch(() => undefined);
    await server?.close();
    await db?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const signInList = async () => {
    const r = await core.dispatch('x', 'session.operators', {});
    return r.ok ? (r.value as { name: string }[]).map((o) => o.name) : [];
  };

  it('creates an operator and disables one', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
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
    await page.getByTestId('staff-list').waitFor(POLL);
    expect(await page.getByTestId('admin-nav-item').first().getAttribute('data-section')).toBe('staff');
    expect(await page.getByTestId('lockouts').count()).toBe(1);

    // Create: the two PINs must match before anything is sent.
    await page.getByTestId('staff-create-name').fill('Nia New');
    await page.getByTestId('staff-create-role').selectOption('gate');
    await page.getByTestId('staff-create-pin').fill('246810');
    await page.getByTestId('staff-create-pin2').fill('246811');
    await page.getByTestId('staff-create-submit').click();
    expect(await page.getByTestId('staff-create-problem').textContent()).toBe('The two PINs differ.');
    expect(await page.getByTestId('staff-row').filter({ hasText: 'Nia New' }).count()).toBe(0);
    await page.getByTestId('staff-create-pin2').fill('246810');
    await page.getByTestId('staff-create-submit').click();
    const nia = page.getByTestId('staff-row').filter({ hasText: 'Nia New' });
    await nia.waitFor(POLL);
    expect(await nia.getAttribute('data-role')).toBe('gate');
    expect(await nia.getAttribute('data-active')).toBe('true');
    expect(await page.getByTestId('staff-done').textContent()).toBe('Nia New was created.');
    await waitFor(async () => (await signInList()).includes('Nia New'), 60_000, 'Nia to reach the sign-in list');

    // Disable the cashier: the row says so, and the cashier leaves this terminal's sign-in list.
    const cashier = page.getByTestId('staff-row').filter({ hasText: 'Cashier' });
    await cashier.getByTestId('staff-disable').click();
    await expect.poll(() => cashier.getAttribute('data-active'), POLL).toBe('false');
    await waitFor(async () => !(await signInList()).includes('Cashier'), 60_000, 'the cashier to leave the sign-in list');
    await cashier.getByTestId('staff-enable').waitFor();

    // The only admin cannot give themself another role: a clear message, and nothing changes.
    const admin = page.getByTestId('staff-row').and(page.locator('[data-role="admin"]'));
    await admin.getByTestId('staff-edit').click();
    await page.getByTestId('staff-edit-role').selectOption('manager');
    await page.getByTestId('staff-edit-save').click();
    await expect.poll(() => page.getByTestId('staff-edit-error').getAttribute('data-code'), POLL).toBe('last_admin');
    expect(await admin.getAttribute('data-role')).toBe('admin');
    await page.screenshot({ path: join(tmpdir(), 'admit-admin-staff-1280.png') });

    // The same section in Russian and Chinese.
    await page.getByTestId('language-select').selectOption('ru');
    expect(await page.getByTestId('admin-nav-item').first().textContent()).toBe('Персонал');
    await page.getByTestId('language-select').selectOption('zh-CN');
    expect(await page.getByTestId('admin-nav-item').first().textContent()).toBe('工作人员');
    expect(problems).toEqual([]);
    await context.close();
  }, 300_000);
});
