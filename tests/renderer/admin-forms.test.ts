// Admin mode's Forms section in Debian's Chromium, every step real: the built renderer served by service
// mode's bridge from a core on real SQLite, paired with a server on PGlite. The admin picks the event and
// a ticket type, adds a choice field and a text field shown only when the choice is "other", sees the
// preview hide and show it, saves (version 1), and finds it again after leaving the section; a form the
// server refuses names its problems and saves nothing; switching type with unsaved changes asks first
// (Escape keeps editing, by keyboard). At 1280×800 nothing scrolls sideways.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminFormState, FormsCatalogEvent } from '../../electron/contract';
import { createCore, type Core } from '../../electron/core/core';
import { startBridgeServer, type BridgeServer } from '../../electron/core/service/bridge-server';
import { createServer, type AdmitServer } from '../../server/src/app';
import { openServerDb, type ServerDbHandle } from '../../server/src/db/client';
import { loginAs } from '../helpers/login';
import { waitFor } from '../helpers/wait';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = resolve(__dirname, '../..');
const KNOWN_NOISE = [/frame-ancestors.*ignored when delivered via a <meta> element/i];
const quiet = { warn: () => undefined, error: () => undefined };
const POLL = { timeout: 60_000 };

describe.skipIf(!existsSync(CHROMIUM))('admin mode: registration forms, on screen (Chromium, service mode)', () => {
  let work: string;
  let outDir: string;
  let db: ServerDbHandle;
  let server: AdmitServer;
  let core: Core;
  let bridge: BridgeServer;
  let browser: Browser;
  let eventId: string;
  let typeA: string;
  let typeB: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'admit-admin-forms-ui-'));
    outDir = join(work, 'ui');
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
    db = await openServerDb();
    server = createServer({ db, adminToken: 'admin-forms-ui-token' });
    const serverUrl = (await server.listen({ host: '127.0.0.1', port: 0 })).url;
    await server.admin.seedDemo({ tickets: 5 });
    core = await createCore({
      dataDir: join(work, 'desk'),
      migrationsFolder: 'migrations/local',
      shell: 'service',
      demo: false,
      version: 'test',
      logger: quiet,
    });
    const { code } = await server.admin.createPairingCode();
    expect(await core.dispatch('setup', 'terminal.pair', { serverUrl, code, terminalName: 'Admin desk' })).toMatchObject({
      ok: true,
    });
    await waitFor(() => core.sync.isOnline, 60_000, 'the desk to be online');
    await waitFor(
      async () => {
        const r = await core.dispatch('x', 'session.operators', {});
        return r.ok && (r.value as { role: string }[]).some((o) => o.role === 'admin') && core.secrets.get('pin_key') !== null;
      },
      60_000,
      'the operators and the PIN key to sync',
    );
    // The test's own view of the catalog and of the saved form, through an admin session of its own.
    expect(await loginAs(core, 'test-admin', { role: 'admin' }, '000000')).toMatchObject({ ok: true });
    const catalog = await core.dispatch('test-admin', 'admin.forms.catalog', {});
    if (!catalog.ok) throw new Error(JSON.stringify(catalog.error));
    const event = (catalog.value as FormsCatalogEvent[]).find((e) => e.ticketTypes.length >= 2)!;
    eventId = event.id;
    typeA = event.ticketTypes[0]!.id;
    typeB = event.ticketTypes[1]!.id;
    bridge = await startBridgeServer(core, { rendererDir: outDir });
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
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await bridge?.close();
    await core?.close().catch(() => undefined);
    await server?.close();
    await db?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const savedForm = async (ticketTypeId: string): Promise<AdminFormState> => {
    const r = await core.dispatch('test-admin', 'admin.forms.get', { ticketTypeId });
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    return r.value as AdminFormState;
  };

  const openType = async (page: Page, ticketTypeId: string) => {
    await page.getByTestId('admin-forms-event').selectOption(eventId);
    await page.getByTestId('admin-forms-type').selectOption(ticketTypeId);
    await page.getByTestId('admin-forms-version').waitFor(POLL);
  };

  const noSidewaysScroll = (page: Page) =>
    page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);

  it('builds a form with a conditional field, saves it, finds it again; refusals and unsaved changes are handled', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (msg) => {
      if ((msg.type() === 'error' || msg.type() === 'warning') && !KNOWN_NOISE.some((re) => re.test(msg.text())))
        problems.push(`console.${msg.type()}: ${msg.text()}`);
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
    await page.locator('[data-testid="admin-nav-item"][data-section="forms"]').click();
    await page.getByTestId('admin-forms').waitFor(POLL);

    await openType(page, typeA);
    expect(await page.getByTestId('admin-forms-version').getAttribute('data-version')).toBe('0');
    expect(await page.getByTestId('admin-forms-save').isDisabled()).toBe(true);

    // Field 1: a choice "diet" with options none / other.
    await page.getByTestId('editor-add').click();
    await page.getByTestId('editor-0-kind').selectOption('choice');
    await page.getByTestId('editor-0-key').fill('diet');
    await page.getByTestId('editor-0-label-en').fill('Diet');
    await page.getByTestId('editor-0-option-0-value').fill('none');
    await page.getByTestId('editor-0-option-0-label-en').fill('None');
    await page.getByTestId('editor-0-add-option').click();
    await page.getByTestId('editor-0-option-1-value').fill('other');
    await page.getByTestId('editor-0-option-1-label-en').fill('Other');
    // Field 2: a text "diet_detail", shown only when diet is "other".
    await page.getByTestId('editor-add').click();
    await page.getByTestId('editor-1-key').fill('diet_detail');
    await page.getByTestId('editor-1-label-en').fill('Which diet?');
    await page.getByTestId('editor-1-showif').selectOption('diet');
    await page.getByTestId('editor-1-showif-none').uncheck();
    await page.getByTestId('editor-1-showif-other').check();
    expect(await page.getByTestId('admin-forms-dirty').count()).toBe(1);

    // The preview hides the text field until the choice is "other".
    await page.getByTestId('preview-diet').waitFor();
    expect(await page.getByTestId('preview-diet_detail').count()).toBe(0);
    await page.getByTestId('preview-diet').selectOption('other');
    await page.getByTestId('preview-diet_detail').waitFor();
    await page.getByTestId('preview-diet').selectOption('none');
    await expect.poll(() => page.getByTestId('preview-diet_detail').count(), POLL).toBe(0);
    expect(await noSidewaysScroll(page)).toBe(true);
    // The form is taller than the screen; Save stays in view at its bottom edge.
    await page.evaluate(() => window.scrollTo(0, 0));
    expect(await page.evaluate(() => document.documentElement.scrollHeight > window.innerHeight)).toBe(true);
    const save = await page.getByTestId('admin-forms-save').boundingBox();
    expect(save !== null && save.y >= 0 && save.y + save.height <= 800).toBe(true);
    await page.screenshot({ path: join(tmpdir(), 'admit-admin-forms-1280-viewport.png') });
    await page.screenshot({ path: join(tmpdir(), 'admit-admin-forms-1280.png'), fullPage: true });

    await page.getByTestId('admin-forms-save').click();
    await page.getByTestId('admin-forms-saved').waitFor(POLL);
    expect(await page.getByTestId('admin-forms-version').getAttribute('data-version')).toBe('1');
    const stored = await savedForm(typeA);
    expect(stored.version).toBe(1);
    expect(stored.fields.map((f) => [f.key, f.kind, f.showIf ?? null])).toEqual([
      ['diet', 'choice', null],
      ['diet_detail', 'text', { key: 'diet', equals: 'other' }],
    ]);

    // Leave the section and come back: the saved form is what the editor shows.
    await page.locator('[data-testid="admin-nav-item"][data-section="staff"]').click();
    await page.getByTestId('staff').waitFor(POLL);
    await page.locator('[data-testid="admin-nav-item"][data-section="forms"]').click();
    await openType(page, typeA);
    expect(await page.getByTestId('admin-forms-version').getAttribute('data-version')).toBe('1');
    expect(await page.getByTestId('editor-0-key').inputValue()).toBe('diet');
    expect(await page.getByTestId('editor-1-key').inputValue()).toBe('diet_detail');
    expect(await page.getByTestId('editor-1-showif').inputValue()).toBe('diet');
    expect(await page.getByTestId('editor-1-showif-other').isChecked()).toBe(true);
    expect(await page.getByTestId('preview-diet_detail').count()).toBe(0);

    // A form the server refuses: the condition moved above the field it looks at. Its problems are named
    // and nothing is saved.
    await page.getByTestId('editor-1-up').click();
    await page.getByTestId('admin-forms-save').click();
    await page.getByTestId('admin-forms-problems').waitFor(POLL);
    const problem = page.getByTestId('admin-forms-problem').first();
    expect(await problem.getAttribute('data-field')).toBe('0');
    expect(await problem.getAttribute('data-part')).toBe('showIf');
    expect(await problem.textContent()).toBe('Field 1 (diet_detail): condition');
    expect((await savedForm(typeA)).version).toBe(1);

    // Switching type with unsaved changes asks; Escape (keyboard) keeps editing, the change stays.
    await page.getByTestId('admin-forms-type').selectOption(typeB);
    await page.getByTestId('admin-forms-unsaved').waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('admin-forms-keep');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('admin-forms-unsaved').count(), POLL).toBe(0);
    expect(await page.getByTestId('admin-forms-type').inputValue()).toBe(typeA);
    expect(await page.getByTestId('editor-0-key').inputValue()).toBe('diet_detail');
    // Asked again, by keyboard alone (arrow key on the type list, Tab to "Discard", Enter): it switches
    // to the other type's (empty) form; the first keeps version 1.
    await page.getByTestId('admin-forms-type').focus();
    await page.keyboard.press('ArrowDown');
    await page.getByTestId('admin-forms-unsaved').waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('admin-forms-discard');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('admin-forms-form').getAttribute('data-ticket-type-id'), POLL).toBe(typeB);
    await page.getByTestId('admin-forms-version').waitFor(POLL);
    expect(await page.getByTestId('admin-forms-version').getAttribute('data-version')).toBe('0');
    expect((await savedForm(typeA)).fields.map((f) => f.key)).toEqual(['diet', 'diet_detail']);

    // The same section in Russian and Chinese.
    await page.getByTestId('language-select').selectOption('ru');
    expect(await page.locator('[data-testid="admin-nav-item"][data-section="forms"]').textContent()).toBe('Анкеты');
    await page.getByTestId('language-select').selectOption('zh-CN');
    expect(await page.locator('[data-testid="admin-nav-item"][data-section="forms"]').textContent()).toBe('表单');
    expect(problems).toEqual([]);
    await context.close();
  }, 300_000);
});
