// Owns the harness of the renderer tests that drive the built UI with a fake core: the renderer built
// for production into a temp folder, served on 127.0.0.1 under the same CSP as the app, Debian's
// Chromium launched headless, and a page opened with the fake `window.admit` (as Electron's preload
// installs it) that collects every console error, page error and CSP violation.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';

export const CHROMIUM = '/usr/bin/chromium';
export const HAS_CHROMIUM = existsSync(CHROMIUM);
const ROOT = resolve(__dirname, '../..');
/** The fake core's source (tests/renderer/fixtures/fake-core.js): defines `createFakeCore(options)`. */
export const FAKE_CORE_SOURCE = readFileSync(join(ROOT, 'tests/renderer/fixtures/fake-core.js'), 'utf8');
const KNOWN_NOISE = [/frame-ancestors.*ignored when delivered via a <meta> element/i];
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
};
export const CSP_HEADER =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export type BuiltRenderer = { origin: string; browser: Browser; close(): Promise<void> };

/** Builds the renderer, serves it and launches Chromium (call in beforeAll, with a generous timeout).
 *  `root`: another page to build with the renderer's configuration (a test page mounting components). */
export async function startBuiltRenderer(tag: string, options: { root?: string } = {}): Promise<BuiltRenderer> {
  const outDir = mkdtempSync(join(tmpdir(), `admit-renderer-${tag}-`));
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      configFile: join(ROOT, 'vite.config.ts'),
      ...(options.root ? { root: join(ROOT, options.root) } : {}),
      mode: 'production',
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true, sourcemap: false },
    });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const file = normalize(join(outDir, path === '/' ? 'index.html' : decodeURIComponent(path)));
    if (!file.startsWith(outDir) || !existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': CSP_HEADER,
    });
    res.end(readFileSync(file));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const browser = await chromium.launch({
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
  return {
    origin,
    browser,
    close: async () => {
      await browser.close();
      await new Promise((done) => server.close(done));
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}

export type OpenedPage = { page: Page; problems: string[]; close: () => Promise<void> };

/** A new page (1280×800, en-US) with `fakeCoreScript` run before the app: it should install
 *  `window.admit` from FAKE_CORE_SOURCE. `problems` collects console errors and warnings, page errors
 *  and CSP violations. */
export async function openPage(browser: Browser, fakeCoreScript: string): Promise<OpenedPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (msg) => {
    if ((msg.type() === 'error' || msg.type() === 'warning') && !KNOWN_NOISE.some((re) => re.test(msg.text())))
      problems.push(`console.${msg.type()}: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  await page.addInitScript({ content: `${FAKE_CORE_SOURCE}\n${fakeCoreScript}` });
  return { page, problems, close: () => context.close() };
}

/** Signs in on the sign-in screen by choosing the operator and typing the PIN. */
export async function signInOnScreen(page: Page, operatorName: string, pin: string, screenTestId: string): Promise<void> {
  await page.getByTestId('operator-option').filter({ hasText: operatorName }).click();
  await page.getByTestId('pin-input').fill(pin);
  await page.getByTestId('pin-input').press('Enter');
  await page.getByTestId(screenTestId).waitFor();
}
