// The manager screen's "Locked operators" in the built renderer, in Debian's Chromium under its own CSP,
// with a fake `window.admit` (as Electron's preload installs it): a manager sees each operator with
// wrong PINs counted, how many and until when, in each language; "Clear lockout" asks the core to clear
// exactly that operator, says so and the operator leaves the list; a lockout someone else cleared
// meanwhile shows the core's not_locked refusal; an operator whose role the core refuses sees the
// refusal, not a list.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = resolve(__dirname, '../..');
const FAKE_CORE_SOURCE = readFileSync(join(__dirname, 'fixtures/fake-core.js'), 'utf8');
const KNOWN_NOISE = [/frame-ancestors.*ignored when delivered via a <meta> element/i];
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml' };
const CSP_HEADER =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const CASHIER_ID = '00000000-0000-4000-8000-000000000009';
const GATE_ID = '00000000-0000-4000-8000-000000000008';

type Hooks = {
  /** Every call the screen made, in order. */
  __admitCalls: { name: string; input: unknown }[];
  /** Another manager clears an operator's lockout behind this screen's back. */
  __admitClearElsewhere(operatorId: string): void;
  __admitSetRole(role: string): void;
};

describe.skipIf(!existsSync(CHROMIUM))('locked operators on the manager screen (Chromium)', () => {
  let outDir: string;
  let server: Server;
  let origin: string;
  let browser: Browser;

  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), 'admit-renderer-lockouts-'));
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({ configFile: join(ROOT, 'vite.config.ts'), mode: 'production', logLevel: 'warn', build: { outDir, emptyOutDir: true, sourcemap: false } });
    } finally {
      process.env.NODE_ENV = nodeEnv;
    }
    server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const file = normalize(join(outDir, path === '/' ? 'index.html' : decodeURIComponent(path)));
      if (!file.startsWith(outDir) || !existsSync(file)) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-security-policy': CSP_HEADER });
      res.end(readFileSync(file));
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const address = server.address();
    origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((done) => server?.close(done));
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  async function openManager(): Promise<{ page: Page; problems: string[]; close: () => Promise<void> }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (msg) => {
      if ((msg.type() === 'error' || msg.type() === 'warning') && !KNOWN_NOISE.some((re) => re.test(msg.text()))) problems.push(`console.${msg.type()}: ${msg.text()}`);
    });
    page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
    });
    await page.addInitScript({
      content: `${FAKE_CORE_SOURCE}
        (() => {
          const core = createFakeCore({});
          window.__admitCalls = [];
          window.__admitClearElsewhere = (operatorId) => core.handle('session.clearLockout', { operatorId });
          window.__admitSetRole = (role) => core.setRole(role);
          window.admit = {
            shell: 'electron',
            call: async (name, input) => {
              window.__admitCalls.push({ name, input });
              return core.handle(name, input);
            },
            on: () => () => undefined,
          };
        })();`,
    });
    await page.goto(`${origin}/?mode=manager`);
    await page.getByTestId('operator-option').filter({ hasText: 'Maria Ivanova' }).click();
    await page.getByTestId('pin-input').fill('123456');
    await page.getByTestId('pin-input').press('Enter');
    await page.getByTestId('manager').waitFor();
    return { page, problems, close: () => context.close() };
  }

  const row = (page: Page, operatorId: string) => page.locator(`[data-testid="lockout"][data-operator-id="${operatorId}"]`);
  const clearCalls = (page: Page) =>
    page.evaluate(() => (window as unknown as Hooks).__admitCalls.filter((c) => c.name === 'session.clearLockout').map((c) => c.input));

  it('lists each locked operator with their wrong PINs and wait, and clears the one whose button is pressed', async () => {
    const { page, problems, close } = await openManager();
    const rows = page.getByTestId('lockout');
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(2);
    expect(await page.getByTestId('lockouts').getByRole('heading').textContent()).toBe('Locked operators');

    const cashier = row(page, CASHIER_ID);
    expect(await cashier.getByTestId('lockout-operator').textContent()).toBe('Chen Jing');
    expect(await cashier.getAttribute('data-locked')).toBe('true');
    expect(await cashier.getByTestId('lockout-failures').textContent()).toBe('10');
    expect(await cashier.getByTestId('lockout-state').textContent()).toMatch(/^Locked until \S/);
    const gate = row(page, GATE_ID);
    expect(await gate.getAttribute('data-locked')).toBe('false');
    expect(await gate.getByTestId('lockout-failures').textContent()).toBe('2');
    expect(await gate.getByTestId('lockout-state').textContent()).toBe('May try again now');
    await page.screenshot({ path: join(tmpdir(), 'admit-manager-lockouts-1280.png'), fullPage: true });

    // The same list in Russian and Chinese.
    await page.getByTestId('language-select').selectOption('ru');
    expect(await page.getByTestId('lockouts').getByRole('heading').textContent()).toBe('Заблокированные операторы');
    expect(await cashier.getByTestId('lockout-clear').textContent()).toBe('Снять блокировку');
    expect(await cashier.getByTestId('lockout-state').textContent()).toMatch(/^Заблокирован до \S/);
    await page.getByTestId('language-select').selectOption('zh-CN');
    expect(await page.getByTestId('lockouts').getByRole('heading').textContent()).toBe('已锁定的操作员');
    expect(await cashier.getByTestId('lockout-clear').textContent()).toBe('解除锁定');
    await page.getByTestId('language-select').selectOption('en');
    expect(await clearCalls(page)).toEqual([]);

    // "Clear lockout" on the cashier: the core is asked for that operator only, and the screen says so.
    expect(await cashier.getByTestId('lockout-clear').textContent()).toBe('Clear lockout');
    await cashier.getByTestId('lockout-clear').click();
    await expect.poll(() => page.getByTestId('lockout-cleared').textContent(), { timeout: 30_000 }).toBe('Lockout cleared: Chen Jing can sign in again now.');
    expect(await clearCalls(page)).toEqual([{ operatorId: CASHIER_ID }]);
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(1);
    expect(await cashier.count()).toBe(0);
    expect(await gate.count()).toBe(1);

    // Another manager clears Li Wei meanwhile: this screen's button meets the core's refusal, and the
    // list read again is empty.
    await page.evaluate((id) => (window as unknown as Hooks).__admitClearElsewhere(id), GATE_ID);
    await gate.getByTestId('lockout-clear').click();
    await expect.poll(() => page.getByTestId('lockout-clear-error').getAttribute('data-code'), { timeout: 30_000 }).toBe('not_locked');
    expect(await page.getByTestId('lockout-clear-error').textContent()).toBe('This operator is not locked out on this terminal: there is nothing to clear.');
    await expect.poll(() => page.getByTestId('lockouts-empty').textContent(), { timeout: 30_000 }).toBe('No operator has wrong PINs counted on this terminal.');
    expect(await page.getByTestId('lockout-cleared').count()).toBe(0);
    expect(await clearCalls(page)).toEqual([{ operatorId: CASHIER_ID }, { operatorId: GATE_ID }]);

    expect(problems).toEqual([]);
    await close();
  });

  it('shows the core’s refusal, not a list, to a role that may not clear lockouts', async () => {
    const { page, problems, close } = await openManager();
    await expect.poll(() => page.getByTestId('lockout').count(), { timeout: 30_000 }).toBe(2);
    await page.evaluate(() => (window as unknown as Hooks).__admitSetRole('gate'));
    await page.getByTestId('lockouts-refresh').click();
    await expect.poll(() => page.getByTestId('lockouts-error').getAttribute('data-code'), { timeout: 30_000 }).toBe('forbidden');
    expect(await page.getByTestId('lockout').count()).toBe(0);
    expect(await clearCalls(page)).toEqual([]);
    expect(problems).toEqual([]);
    await close();
  });
});
