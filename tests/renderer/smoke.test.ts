// Smoke test of the built renderer in Debian's Chromium: the page, under its own CSP, renders the login,
// box-office and gate screens with a fake `window.admit` (as Electron's preload would install it), and
// in service mode talks to a fake core over the WebSocket bridge with the per-launch token handshake.
// No console errors and no CSP violations are allowed anywhere.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = resolve(__dirname, '../..');
const FAKE_CORE_SOURCE = readFileSync(join(__dirname, 'fixtures/fake-core.js'), 'utf8');
type FakeCore = {
  handle(name: string, input: unknown): unknown;
  verdictFor(code: string): unknown;
  setOnline(online: boolean): unknown;
  setRole(role: string): void;
  printQueued(): unknown[];
};
type FakeCoreOptions = { paired?: boolean; online?: boolean };
const createFakeCore = new Function(`${FAKE_CORE_SOURCE}\nreturn createFakeCore;`)() as (options?: FakeCoreOptions) => FakeCore;
/** Test hooks the injected fake `window.admit` adds to the page. */
type FakeHooks = {
  __admitVerdict(code: string): void;
  __admitSetOnline(online: boolean): void;
  __admitSetRole(role: string): void;
  __admitPrintQueued(): void;
  __admitCheck(code: string): void;
  __admitDeliver(): void;
  __admitEmit(name: string, payload: unknown): void;
};

/** Meta-delivered CSP cannot carry frame-ancestors; Chromium says so. The HTTP header does carry it. */
const KNOWN_NOISE = [/frame-ancestors.*ignored when delivered via a <meta> element/i];

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
};
// Served like the core's bridge server does, so frame-ancestors (ignored in a <meta>) is in force too.
const CSP_HEADER =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

describe.skipIf(!existsSync(CHROMIUM))('renderer smoke (Chromium)', () => {
  let outDir: string;
  let server: Server;
  let wss: WebSocketServer;
  let origin: string;
  let browser: Browser;
  const TOKEN = 'launch-token-123';
  let serviceCore: FakeCore;
  const sockets = new Set<WebSocket>();

  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), 'admit-renderer-'));
    // Vitest runs with NODE_ENV=test, which would make Vite bundle React's development build.
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({
        configFile: join(ROOT, 'vite.config.ts'),
        mode: 'production',
        logLevel: 'warn',
        build: { outDir, emptyOutDir: true, sourcemap: false },
      });
    } finally {
      process.env.NODE_ENV = nodeEnv;
    }

    server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const file = normalize(join(outDir, path === '/' ? 'index.html' : decodeURIComponent(path)));
      if (!file.startsWith(outDir) || !existsSync(file)) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'content-security-policy': CSP_HEADER,
      });
      res.end(readFileSync(file));
    });
    serviceCore = createFakeCore();
    wss = new WebSocketServer({ noServer: true });
    server.on('upgrade', (req, sock, head) => {
      if (req.url !== '/bridge') return sock.destroy();
      wss.handleUpgrade(req, sock, head, (ws) => {
        let ready = false;
        ws.on('message', (data) => {
          const msg = JSON.parse(String(data)) as { t: string; token?: string; id?: number; name?: string; input?: unknown };
          if (!ready) {
            if (msg.t !== 'hello' || msg.token !== TOKEN) return ws.close(4401, 'token');
            ready = true;
            sockets.add(ws);
            return ws.send(JSON.stringify({ t: 'ready' }));
          }
          if (msg.t === 'call')
            ws.send(JSON.stringify({ t: 'result', id: msg.id, result: serviceCore.handle(msg.name!, msg.input) }));
        });
        ws.on('close', () => sockets.delete(ws));
      });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const address = server.address();
    origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    for (const ws of sockets) ws.terminate();
    wss?.close();
    await new Promise((done) => server?.close(done));
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  /** A page that records console errors/warnings, page errors and CSP violations. */
  async function open(context: BrowserContext, withFakeAdmit: boolean, coreOptions: FakeCoreOptions = {}) {
    const problems: string[] = [];
    const page = await context.newPage();
    page.on('console', (msg) => {
      if ((msg.type() === 'error' || msg.type() === 'warning') && !KNOWN_NOISE.some((re) => re.test(msg.text()))) {
        problems.push(`console.${msg.type()}: ${msg.text()}`);
      }
    });
    page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
      });
    });
    if (withFakeAdmit) {
      await page.addInitScript({
        content: `${FAKE_CORE_SOURCE}
          (() => {
            const core = createFakeCore(${JSON.stringify(coreOptions)});
            const listeners = new Map();
            window.__admitEmit = (name, payload) => (listeners.get(name) || new Set()).forEach((l) => l(payload));
            window.__admitVerdict = (code) => window.__admitEmit('scan.verdict', core.verdictFor(code));
            window.__admitSetOnline = (online) => window.__admitEmit('sync.status', core.setOnline(online));
            window.__admitSetRole = (role) => core.setRole(role);
            window.__admitPrintQueued = () => core.printQueued().forEach((e) => window.__admitEmit('print.job', e));
            // A hardware scan whose claim is out: "checking…" now, its verdict when __admitDeliver is called.
            window.__admitCheck = (code) => {
              window.__admitHeld = core.verdictFor(code);
              window.__admitEmit('gate.checking', { scanId: window.__admitHeld.scanId, at: window.__admitHeld.at });
            };
            window.__admitDeliver = () => window.__admitEmit('scan.verdict', window.__admitHeld);
            window.admit = {
              shell: 'electron',
              call: async (name, input) => core.handle(name, input),
              on: (name, listener) => {
                if (!listeners.has(name)) listeners.set(name, new Set());
                listeners.get(name).add(listener);
                return () => listeners.get(name).delete(listener);
              },
            };
          })();`,
      });
    }
    return { page, problems };
  }

  /** Taps the operator's tile on the sign-in screen. */
  async function chooseOperator(page: Page, name: string) {
    await page.getByTestId('operator-option').filter({ hasText: name }).click();
    await page.getByTestId('pin-input').waitFor();
  }

  async function enterPin(page: Page, pin: string) {
    for (const digit of pin) await page.getByTestId(`pin-digit-${digit}`).click();
    await page.getByTestId('pin-enter').click();
  }

  /** Maria Ivanova, a manager, unless told otherwise. */
  async function login(page: Page, pin = '123456', name = 'Maria Ivanova') {
    await page.getByTestId('login-screen').waitFor();
    await chooseOperator(page, name);
    await enterPin(page, pin);
  }

  it('renders login and box office, sells, and shows the result', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    const { page, problems } = await open(context, true);
    await page.goto(`${origin}/?mode=box-office`);

    // Only the operators' names are offered; a manager's PIN needs six digits before it is even sent.
    await page.getByTestId('login-operators').waitFor();
    expect(await page.getByTestId('operator-option').allTextContents()).toEqual(['Li Wei', 'Maria Ivanova']);
    await chooseOperator(page, 'Maria Ivanova');
    expect(await page.getByTestId('login-operator-name').textContent()).toBe('PIN for Maria Ivanova');
    await enterPin(page, '1234');
    expect(await page.getByTestId('pin-too-short').textContent()).toBe('The PIN has 6 to 8 digits.');
    await page.getByTestId('pin-clear').click();
    await enterPin(page, '999999');
    await expect.poll(() => page.getByTestId('login-error').getAttribute('data-code')).toBe('bad_pin');
    expect(await page.getByTestId('login-error').textContent()).toBe('Wrong PIN. Try again.');
    await enterPin(page, '123456');

    await page.getByTestId('box-office').waitFor();
    await page.screenshot({ path: join(tmpdir(), 'admit-box-office-1280.png') });
    const adult = page.getByTestId('ticket-type').filter({ hasText: 'Adult' });
    const child = page.getByTestId('ticket-type').filter({ hasText: 'Child' });
    expect(await adult.getByTestId('ticket-type-price').textContent()).toBe('€45.00');
    await adult.getByTestId('ticket-add').click();
    await adult.getByTestId('ticket-add').click();
    await child.getByTestId('ticket-add').click();
    await child.getByTestId('ticket-add').click();
    expect(await child.getByTestId('ticket-add').isDisabled()).toBe(true); // only 2 left
    await child.getByTestId('ticket-remove').click();
    expect(await page.getByTestId('cart-total').getAttribute('data-amount-minor')).toBe('11000');
    expect(await page.getByTestId('ticket-type').filter({ hasText: 'Staff' }).getByTestId('ticket-add').isDisabled()).toBe(true);

    await page.getByTestId('tendered-input').fill('100');
    await page.getByTestId('sell-button').click();
    expect(await page.getByTestId('sale-error').getAttribute('data-code')).toBe('payment_insufficient');
    await page.getByTestId('tendered-input').fill('120,00');
    expect(await page.getByTestId('change-due').textContent()).toBe('€10.00');
    await page.getByTestId('sell-button').click();

    const result = page.getByTestId('order-result');
    await result.waitFor();
    expect(await page.getByTestId('ticket-code').count()).toBe(3);
    expect(await page.getByTestId('order-change').getAttribute('data-amount-minor')).toBe('1000');
    expect(await page.getByTestId('print-status').getAttribute('data-printed')).toBe('false');
    expect(await page.getByTestId('print-status').getAttribute('data-print-state')).toBe('queued');
    expect(await page.getByTestId('print-error').getAttribute('data-reason')).toBe('paper_out');
    expect(await page.getByTestId('print-error').textContent()).toContain('Out of paper');
    await page.screenshot({ path: join(tmpdir(), 'admit-sale-1280.png') });
    // Paper refilled: the jobs print and their print.job events turn the result into "printed".
    await page.evaluate(() => (window as unknown as FakeHooks).__admitPrintQueued());
    await expect.poll(() => page.getByTestId('print-status').getAttribute('data-printed')).toBe('true');
    expect(await page.getByTestId('print-error').count()).toBe(0);
    await page.getByTestId('new-sale').click();
    await page.getByTestId('box-office').waitFor();
    expect(await page.getByTestId('device').count()).toBe(2);

    // The kiosk-sized screen.
    await page.setViewportSize({ width: 1024, height: 600 });
    await page.screenshot({ path: join(tmpdir(), 'admit-box-office-1024.png') });

    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows gate verdicts from manual entry, the keyboard wedge and scanner events', async () => {
    const context = await browser.newContext({ viewport: { width: 1024, height: 600 }, locale: 'en-US' });
    const { page, problems } = await open(context, true);
    await page.goto(`${origin}/?mode=gate`);
    await page.screenshot({ path: join(tmpdir(), 'admit-login-1024.png') });
    // Keyboard only: the first tile has the focus, typing a name's start moves to it, Enter picks it.
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Li Wei');
    await page.keyboard.press('m');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Maria Ivanova');
    await page.keyboard.press('Enter');
    await page.getByTestId('pin-input').fill('123456');
    await page.getByTestId('pin-input').press('Enter');
    await page.getByTestId('gate').waitFor();
    await page.getByTestId('verdict-idle').waitFor();

    await page.getByTestId('scan-input').fill('USED');
    await page.getByTestId('scan-input').press('Enter');
    const verdict = page.getByTestId('verdict');
    await expect.poll(() => verdict.getAttribute('data-reason')).toBe('already_used');
    expect(await verdict.getAttribute('data-admitted')).toBe('false');
    expect(await page.getByTestId('verdict-reason').textContent()).toBe('Already used');
    expect(await page.getByTestId('verdict-first-used').isVisible()).toBe(true);
    expect(await page.getByTestId('verdict-confirmation').textContent()).toContain('not yet confirmed');
    await page.screenshot({ path: join(tmpdir(), 'admit-gate-refused-1024.png') });

    // A scanner acting as a keyboard, typing while focus is elsewhere.
    await page.getByTestId('app-header').click();
    await page.keyboard.type('GOOD', { delay: 5 });
    await page.keyboard.press('Enter');
    await expect.poll(() => verdict.getAttribute('data-admitted')).toBe('true');
    expect(await page.getByTestId('verdict-attendee').textContent()).toBe('Ada Lovelace');

    // A hardware scan: "checking…" while its claim is out at the server, then its verdict.
    await page.evaluate(() => (window as unknown as FakeHooks).__admitCheck('NOPE'));
    await expect.poll(() => page.getByTestId('verdict-idle').getAttribute('data-checking')).toBe('true');
    expect(await page.getByTestId('verdict-idle').textContent()).toContain('Checking…');
    await page.evaluate(() => (window as unknown as FakeHooks).__admitDeliver());
    await expect.poll(() => verdict.getAttribute('data-reason')).toBe('unknown');
    expect(await page.getByTestId('recent-verdict').count()).toBe(3);

    // Language follows the switcher, the <html lang> too, and survives a reload.
    await page.getByTestId('language-select').selectOption('ru');
    expect(await page.getAttribute('html', 'lang')).toBe('ru');
    expect(await page.getByTestId('verdict-reason').textContent()).toBe('Неизвестный билет');
    await page.screenshot({ path: join(tmpdir(), 'admit-gate-ru-1024.png') });
    await page.reload();
    await page.getByTestId('login-screen').waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('ru');
    await chooseOperator(page, 'Maria Ivanova');
    expect(await page.getByTestId('pin-enter').textContent()).toBe('Войти');

    expect(problems).toEqual([]);
    await context.close();
  });

  it('gate: check-in point, search → admit, annulment and the offline banner', async () => {
    const context = await browser.newContext({ viewport: { width: 1024, height: 600 }, locale: 'en-US' });
    const { page, problems } = await open(context, true);
    await page.goto(`${origin}/?mode=gate`);
    await login(page); // Maria, a manager
    await page.getByTestId('gate').waitFor();

    // The current point, and a manager's selector that moves the terminal to the exit.
    const point = page.getByTestId('gate-point');
    await expect.poll(() => point.getAttribute('data-direction')).toBe('entry');
    expect(await page.getByTestId('gate-point-name').textContent()).toBe('North entrance');
    expect(await page.getByTestId('gate-point-direction').textContent()).toContain('Entry');
    expect(await page.getByTestId('gate-offline').count()).toBe(0);
    const select = page.getByTestId('point-select');
    expect(await page.getByTestId('point-option').count()).toBe(3);
    await select.selectOption({ label: 'North exit — Exit' });
    await expect.poll(() => point.getAttribute('data-direction')).toBe('exit');
    expect(await page.getByTestId('gate-point-name').textContent()).toBe('North exit');
    await page.getByTestId('scan-input').fill('GOOD');
    await page.getByTestId('scan-input').press('Enter');
    const verdict = page.getByTestId('verdict');
    await expect.poll(() => verdict.getAttribute('data-admitted')).toBe('true');
    expect(await verdict.getAttribute('data-direction')).toBe('exit');
    expect(await page.getByTestId('verdict-direction').textContent()).toContain('Exit');
    expect(await page.getByTestId('verdict-annul').textContent()).toBe('Cancel exit (no passage)');
    await select.selectOption({ label: 'North entrance — Entry' });
    await expect.poll(() => point.getAttribute('data-direction')).toBe('entry');

    // Search: too short, nothing found, then a name shared by three tickets.
    await page.getByTestId('search-input').fill('P');
    await page.getByTestId('search-submit').click();
    await page.getByTestId('search-too-short').waitFor();
    await page.getByTestId('search-input').fill('nobody');
    await page.getByTestId('search-input').press('Enter');
    await page.getByTestId('search-empty').waitFor();
    await page.getByTestId('search-input').fill('petrov');
    await page.getByTestId('search-submit').click();
    const results = page.getByTestId('search-result');
    await expect.poll(() => results.count()).toBe(3);
    const ivan = results.filter({ hasText: 'Ivan Petrov' });
    expect(await ivan.getAttribute('data-ticket-id')).toBe('00000000-0000-4000-8000-000000000601');
    expect(await ivan.getByTestId('search-result-order').textContent()).toContain('ORD-7001');
    expect(await ivan.getByTestId('search-result-type').textContent()).toContain('Adult');
    expect(await ivan.getByTestId('search-result-status').textContent()).toContain('Valid');
    const refunded = results.filter({ hasText: 'Pyotr Petrov' });
    expect(await refunded.getByTestId('search-result-status').textContent()).toContain('Refunded');
    expect(await refunded.getByTestId('search-admit').isDisabled()).toBe(true);
    await page.screenshot({ path: join(tmpdir(), 'admit-gate-search-1024.png') });

    // Admit from the search: the verdict panel shows it like a scan, focus returns to the scan field.
    await ivan.getByTestId('search-admit').click();
    await expect.poll(() => page.getByTestId('verdict-attendee').textContent()).toBe('Ivan Petrov');
    expect(await verdict.getAttribute('data-admitted')).toBe('true');
    expect(await verdict.getAttribute('data-direction')).toBe('entry');
    expect(await verdict.getAttribute('data-annulled')).toBe('false');
    expect(await page.getByTestId('verdict-direction').textContent()).toContain('Entry');
    expect(await page.getByTestId('verdict-confirmation').textContent()).toBe('Confirmed by the server');
    expect(await page.getByTestId('scan-input').evaluate((el) => el === document.activeElement)).toBe(true);
    const scanId = await verdict.getAttribute('data-scan-id');

    // No passage followed: cancel the entry; the panel and the recent list say so.
    await page.getByTestId('verdict-annul').click();
    await expect.poll(() => verdict.getAttribute('data-annulled')).toBe('true');
    expect(await page.getByTestId('verdict-title').textContent()).toContain('ENTRY CANCELLED');
    expect(await page.getByTestId('verdict-annulled').isVisible()).toBe(true);
    expect(await page.getByTestId('verdict-annul').count()).toBe(0);
    const recentIvan = page.locator(`[data-testid="recent-verdict"][data-scan-id="${scanId}"]`);
    expect(await recentIvan.getAttribute('data-annulled')).toBe('true');
    expect(await recentIvan.textContent()).toContain('Cancelled');
    await page.screenshot({ path: join(tmpdir(), 'admit-gate-annulled-1024.png') });

    // The ticket is free again; once admitted, a second admission is refused.
    await ivan.getByTestId('search-admit').click();
    await expect.poll(() => verdict.getAttribute('data-scan-id')).not.toBe(scanId);
    expect(await verdict.getAttribute('data-admitted')).toBe('true');
    await ivan.getByTestId('search-admit').click();
    await expect.poll(() => verdict.getAttribute('data-reason')).toBe('already_used');
    expect(await page.getByTestId('verdict-annul').count()).toBe(0);

    // By the last four phone digits: the family's two tickets.
    await page.getByTestId('search-input').fill('5512');
    await page.getByTestId('search-submit').click();
    await expect.poll(() => results.count()).toBe(2);

    // Too late to cancel: the refusal is translated.
    await page.getByTestId('scan-input').fill('OLD');
    await page.getByTestId('scan-input').press('Enter');
    await expect.poll(() => verdict.getAttribute('data-admitted')).toBe('true');
    await page.getByTestId('verdict-annul').click();
    await expect.poll(() => page.getByTestId('annul-error').getAttribute('data-code')).toBe('annul_window_passed');
    expect(await page.getByTestId('annul-error').textContent()).toBe(
      'Too late to cancel: the time for cancelling this check-in has passed.',
    );
    expect(await verdict.getAttribute('data-annulled')).toBe('false');

    // The server link drops: a clear banner, and decisions are marked as local.
    await page.evaluate(() => (window as unknown as FakeHooks).__admitSetOnline(false));
    await page.getByTestId('gate-offline').waitFor();
    expect(await page.getByTestId('gate-offline').textContent()).toContain(
      'Offline — decisions are local and will be uploaded',
    );
    expect(await page.getByTestId('sync-status').getAttribute('data-online')).toBe('false');
    await page.getByTestId('scan-input').fill('GOOD');
    await page.getByTestId('scan-input').press('Enter');
    await expect.poll(() => verdict.getAttribute('data-confirmation')).toBe('local');
    expect(await page.getByTestId('verdict-confirmation').textContent()).toContain('not yet confirmed');
    expect(await page.getByTestId('recent-verdict').first().getAttribute('data-confirmation')).toBe('local');
    await page.screenshot({ path: join(tmpdir(), 'admit-gate-offline-1024.png') });
    await page.evaluate(() => (window as unknown as FakeHooks).__admitSetOnline(true));
    await page.getByTestId('gate-offline').waitFor({ state: 'detached' });

    // Translated in Russian too.
    await page.getByTestId('language-select').selectOption('ru');
    expect(await page.getByTestId('gate-point-direction').textContent()).toContain('Вход');
    expect(await page.getByTestId('gate-point-name').textContent()).toBe('Северный вход');
    await page.getByTestId('language-select').selectOption('en');

    // The role changes behind the screen's back: the core's refusal is shown and the selector goes.
    await page.evaluate(() => (window as unknown as FakeHooks).__admitSetRole('gate'));
    await select.selectOption({ label: 'VIP lounge — Entry' });
    await expect.poll(() => page.getByTestId('point-error').getAttribute('data-code')).toBe('forbidden');
    expect(await page.getByTestId('point-select').count()).toBe(0);
    expect(await page.getByTestId('gate-point-name').textContent()).toBe('North entrance');

    // A gate operator sees the point but no selector; their PIN too needs six digits before it is sent.
    await page.getByTestId('logout').click();
    await login(page, '5678', 'Li Wei');
    expect(await page.getByTestId('pin-too-short').textContent()).toBe('The PIN has 6 to 8 digits.');
    await page.getByTestId('pin-clear').click();
    await enterPin(page, '567890');
    await page.getByTestId('gate').waitFor();
    await expect.poll(() => point.getAttribute('data-direction')).toBe('entry');
    expect(await page.getByTestId('point-select').count()).toBe(0);

    expect(problems).toEqual([]);
    await context.close();
  });

  it('gate starts with the offline banner when the server is unreachable', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    const { page, problems } = await open(context, true, { online: false });
    await page.goto(`${origin}/?mode=gate`);
    await login(page);
    await page.getByTestId('gate-offline').waitFor();
    expect(await page.getByTestId('gate-offline').textContent()).toContain('离线');
    await page.getByTestId('scan-input').fill('GOOD');
    await page.getByTestId('scan-submit').click();
    await expect.poll(() => page.getByTestId('verdict').getAttribute('data-confirmation')).toBe('local');
    expect(await page.getByTestId('verdict-direction').textContent()).toContain('入场');
    await page.screenshot({ path: join(tmpdir(), 'admit-gate-offline-zh-1280.png') });
    expect(problems).toEqual([]);
    await context.close();
  });

  it('pairs an unpaired terminal, then asks for the PIN', async () => {
    const context = await browser.newContext({ viewport: { width: 1024, height: 600 }, locale: 'en-US' });
    const { page, problems } = await open(context, true, { paired: false });
    await page.goto(`${origin}/?mode=gate`);
    await page.getByTestId('pairing-screen').waitFor();
    await page.getByTestId('pairing-submit').click();
    await page.getByTestId('pairing-invalid-serverUrl').waitFor();
    expect(await page.getByTestId('pairing-invalid-code').isVisible()).toBe(true);
    await page.getByTestId('pairing-server-url').fill('https://tickets.example.org');
    await page.getByTestId('pairing-code').fill('zzzz-9999');
    await page.getByTestId('pairing-terminal-name').fill('North gate 1');
    await page.getByTestId('pairing-submit').click();
    await expect.poll(() => page.getByTestId('pairing-error').getAttribute('data-code')).toBe('pairing_failed');
    await page.screenshot({ path: join(tmpdir(), 'admit-pairing-1024.png') });
    await page.getByTestId('pairing-code').fill('abcd-1234');
    await page.getByTestId('pairing-submit').click();
    await page.getByTestId('login-screen').waitFor();
    expect(await page.getByTestId('terminal-name').textContent()).toContain('North gate 1');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('lists only the modes the core offers and says so for others', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    const { page, problems } = await open(context, true);
    await page.goto(`${origin}/?mode=kiosk`);
    await login(page);
    await page.getByTestId('mode-picker').waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await page.getByTestId('mode-unavailable').isVisible()).toBe(true);
    const modes = await page.getByTestId('mode-option').evaluateAll((els) => els.map((e) => e.getAttribute('data-mode')));
    expect(modes).toEqual(['box-office', 'gate', 'manager']);
    await page.getByTestId('mode-option').filter({ hasText: '管理' }).click();
    await page.getByTestId('manager').waitFor();
    expect(new URL(page.url()).searchParams.get('mode')).toBe('manager');
    const clock = page.getByTestId('sync-facts-clock');
    expect(await clock.getAttribute('data-clock-off')).toBe('false');
    // The terminal learns that its clock is six hours behind the server's: the manager is told.
    await page.evaluate(() => {
      const w = window as unknown as FakeHooks;
      w.__admitEmit('sync.status', { paired: true, online: true, serverUrl: 'https://tickets.example.org', terminalName: 'Desk 1', lastSeq: 42, pendingOutbox: 0, lastSyncAt: null, clockOffsetMs: 21_600_000, clockOff: true });
    });
    await expect.poll(() => clock.getAttribute('data-clock-off')).toBe('true');
    expect(await clock.textContent()).toContain('本终端的时钟比服务器慢 +6:00:00');
    await page.screenshot({ path: join(tmpdir(), 'admit-manager-zh-1280.png') });
    expect(problems).toEqual([]);

    // Canary: the policy is really enforced and a violation would have been caught above.
    await page.evaluate(() => document.body.setAttribute('style', 'color: red'));
    await expect.poll(() => problems.some((p) => p.includes('CSP violation: style-src'))).toBe(true);
    await context.close();
  });

  it('manager mode: the audit trail with translated actions and a verified chain; a gate operator cannot read it', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    const { page, problems } = await open(context, true);
    await page.goto(`${origin}/?mode=manager`);
    await login(page); // Maria, a manager
    await page.getByTestId('manager').waitFor();
    const entries = page.getByTestId('audit-entry');
    await expect.poll(() => entries.count()).toBe(3);
    expect(await page.getByTestId('audit-chain').getAttribute('data-verified')).toBe('true');
    expect(await page.getByTestId('audit-chain').textContent()).toBe('Chain verified: 3 entries');
    const refused = page.locator('[data-testid="audit-entry"][data-action="open_all"]');
    expect(await refused.getByTestId('audit-entry-action').textContent()).toBe('All turnstiles opened');
    expect(await refused.getByTestId('audit-entry-operator').textContent()).toBe('Li Wei');
    expect(await refused.getByTestId('audit-entry-result').textContent()).toBe('Your role is not allowed to do this.');
    expect(await refused.getAttribute('data-pushed')).toBe('false');
    const failed = page.locator('[data-testid="audit-entry"][data-action="login_failed"]');
    expect(await failed.getByTestId('audit-entry-operator').textContent()).toBe('Terminal');
    expect(await failed.getByTestId('audit-entry-result').textContent()).toBe('Wrong PIN. Try again.');
    await page.screenshot({ path: join(tmpdir(), 'admit-manager-audit-1280.png') });
    await page.getByTestId('language-select').selectOption('ru');
    expect(await refused.getByTestId('audit-entry-action').textContent()).toBe('Все турникеты открыты');
    await page.getByTestId('language-select').selectOption('zh-CN');
    expect(await refused.getByTestId('audit-entry-action').textContent()).toBe('打开全部闸机');
    await page.getByTestId('language-select').selectOption('en');

    // The core refuses a gate operator; the screen shows the refusal, not a list.
    await page.evaluate(() => (window as unknown as FakeHooks).__admitSetRole('gate'));
    await page.getByTestId('audit-refresh').click();
    await expect.poll(() => page.getByTestId('audit-error').getAttribute('data-code')).toBe('forbidden');
    expect(await entries.count()).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('in service mode, hands the token over the WebSocket and drops it from the address bar', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    const { page, problems } = await open(context, false);
    await page.goto(`${origin}/?mode=gate#token=${TOKEN}`);
    await page.getByTestId('login-screen').waitFor();
    expect(page.url()).toBe(`${origin}/?mode=gate`);
    await chooseOperator(page, 'Maria Ivanova');
    await page.getByTestId('pin-input').fill('123456');
    await page.getByTestId('pin-enter').click();
    await page.getByTestId('gate').waitFor();
    await page.getByTestId('scan-input').fill('GOOD');
    await page.getByTestId('scan-submit').click();
    await expect.poll(() => page.getByTestId('verdict').getAttribute('data-admitted')).toBe('true');
    expect(await page.getByTestId('gate-point-name').textContent()).toBe('North entrance');

    // Search → admit → annul through the bridge, which checks every result against the contract.
    await page.getByTestId('search-input').fill('ORD-7001');
    await page.getByTestId('search-submit').click();
    await expect.poll(() => page.getByTestId('search-result').count()).toBe(2);
    await page.getByTestId('search-result').filter({ hasText: 'Olga Petrova' }).getByTestId('search-admit').click();
    await expect.poll(() => page.getByTestId('verdict-attendee').textContent()).toBe('Olga Petrova');
    await page.getByTestId('verdict-annul').click();
    await expect.poll(() => page.getByTestId('verdict').getAttribute('data-annulled')).toBe('true');

    // An event pushed by the core, and one outside the contract that must be dropped.
    for (const ws of sockets) {
      ws.send(JSON.stringify({ t: 'event', name: 'scan.verdict', payload: serviceCore.verdictFor('USED') }));
    }
    await expect.poll(() => page.getByTestId('verdict').getAttribute('data-reason')).toBe('already_used');

    // The link drops: the banner shows, the bridge reconnects by itself with the remembered token.
    for (const ws of sockets) ws.close(1001, 'going away');
    await page.getByTestId('connection-banner').waitFor();
    await page.getByTestId('connection-banner').waitFor({ state: 'detached' });
    expect(problems).toEqual([]);

    // A wrong token is final.
    const other = await browser.newContext();
    const bad = await other.newPage();
    await bad.goto(`${origin}/#token=wrong`);
    await bad.getByTestId('bridge-unauthorized').waitFor();
    await other.close();
    await context.close();
  });
});
