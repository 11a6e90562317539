// Admin mode's Events section in Debian's Chromium, every step real: the built renderer served by service
// mode's bridge from a core on real SQLite, paired with a server on PGlite. The admin creates an event
// (names in three languages, Shanghai time, yuan), adds a session (an end before its start is caught
// first, and nothing is sent), a ticket type with a sale window typed on the event's clock, and a quota
// shared by the two types; the server holds exactly that, in minor units and instants. A capacity below
// what is sold and a currency change after sales are refused with a clear message, nothing changed; the
// event shows in the list; the section's titles read in Russian and Chinese.
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
import { bindEveryDevice, sell } from '../server/harness';
import { waitFor } from '../helpers/wait';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = resolve(__dirname, '../..');
const KNOWN_NOISE = [/frame-ancestors.*ignored when delivered via a <meta> element/i];
const quiet = { warn: () => undefined, error: () => undefined };
const POLL = { timeout: 60_000 };

describe.skipIf(!existsSync(CHROMIUM))('admin mode: events, on screen (Chromium, service mode)', () => {
  let work: string;
  let outDir: string;
  let db: ServerDbHandle;
  let server: AdmitServer;
  let core: Core;
  let bridge: BridgeServer;
  let browser: Browser;
  let serverUrl: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'admit-admin-events-ui-'));
    outDir = join(work, 'ui');
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({ configFile: join(ROOT, 'vite.config.ts'), mode: 'production', logLevel: 'warn', build: { outDir, emptyOutDir: true, sourcemap: false } });
    } finally {
      process.env.NODE_ENV = nodeEnv;
    }
    db = await openServerDb();
    server = createServer({ db, adminToken: 'admin-events-ui-token' });
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
    await core?.close().catch(() => undefined);
    await server?.close();
    await db?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const stored = async (name: string) => {
    const event = (await server.admin.listEvents()).find((e) => e.name.en === name);
    if (!event) return null;
    const res = await fetch(`${serverUrl}/admin/v1/events/${event.id}`, { headers: { authorization: 'Bearer admin-events-ui-token' } });
    return (await res.json()) as {
      event: {
        id: string;
        startsAt: string;
        endsAt: string;
        currency: string;
        sessions: { id: string; startsAt: string; endsAt: string; name: Record<string, string> }[];
        ticketTypes: { id: string; name: Record<string, string>; priceMinor: number; capacity: number | null; sold: number; sessionId: string | null; saleStartsAt: string | null; saleEndsAt: string | null; channels: string[]; realName: boolean; requiredFields: string[] }[];
        quotas: { id: string; capacity: number; ticketTypeIds: string[] }[];
      };
    };
  };

  it('creates an event, a session, a type with a sale window and a shared quota; bad input is refused clearly', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US', timezoneId: 'Europe/Moscow' });
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
    await page.getByTestId('admin-nav-item').and(page.locator('[data-section="events"]')).click();
    await page.getByTestId('events-list').waitFor(POLL);
    const before = await page.getByTestId('events-row').count();
    expect(before).toBeGreaterThan(0); // the demo's event

    // A new event on Shanghai's clock, priced in yuan.
    await page.getByTestId('event-create-name-en').fill('Jazz Week');
    await page.getByTestId('event-create-name-zh-CN').fill('爵士周');
    await page.getByTestId('event-create-name-ru').fill('Неделя джаза');
    await page.getByTestId('event-create-timezone').fill('Asia/Shanghai');
    await page.getByTestId('event-create-currency').fill('CNY');
    await page.getByTestId('event-create-starts').fill('2031-05-01T19:00');
    await page.getByTestId('event-create-ends').fill('2031-05-07T23:00');
    await page.getByTestId('event-create-type-name-en').fill('Standard');
    await page.getByTestId('event-create-type-price').fill('180.505');
    await page.getByTestId('event-create-submit').click();
    expect(await page.getByTestId('event-create-problem').getAttribute('data-problem')).toBe('priceDecimals');
    await page.getByTestId('event-create-type-price').fill('180.50');
    await page.getByTestId('event-create-type-capacity').fill('300');
    await page.getByTestId('event-create-submit').click();
    await page.getByTestId('event-page').waitFor(POLL);
    await expect.poll(() => page.getByTestId('event-title').textContent(), POLL).toBe('Jazz Week');
    let jazz = (await stored('Jazz Week'))!.event;
    expect(jazz).toMatchObject({ startsAt: '2031-05-01T11:00:00.000Z', endsAt: '2031-05-07T15:00:00.000Z', currency: 'CNY' });
    expect(jazz.ticketTypes).toMatchObject([{ name: { en: 'Standard' }, priceMinor: 18_050, capacity: 300 }]);
    expect(await page.getByTestId('event-starts').inputValue()).toBe('2031-05-01T19:00');

    // A session: an end before its start is caught here and nothing is sent.
    await page.getByTestId('session-add').click();
    await page.getByTestId('session-name-en').fill('Opening night');
    await page.getByTestId('session-name-zh-CN').fill('开幕之夜');
    await page.getByTestId('session-starts-input').fill('2031-05-01T19:00');
    await page.getByTestId('session-ends-input').fill('2031-05-01T18:00');
    await page.getByTestId('session-save').click();
    expect(await page.getByTestId('session-problem').getAttribute('data-problem')).toBe('endBeforeStart');
    expect(await page.getByTestId('session-problem').textContent()).toBe('The end is before the start.');
    expect((await stored('Jazz Week'))!.event.sessions).toEqual([]);
    await page.getByTestId('session-ends-input').fill('2031-05-01T23:30');
    await page.getByTestId('session-save').click();
    await page.getByTestId('session-row').waitFor(POLL);
    jazz = (await stored('Jazz Week'))!.event;
    expect(jazz.sessions).toMatchObject([{ name: { en: 'Opening night', 'zh-CN': '开幕之夜' }, startsAt: '2031-05-01T11:00:00.000Z', endsAt: '2031-05-01T15:30:00.000Z' }]);
    const sessionId = jazz.sessions[0]!.id;

    // A ticket type for that session with an early-bird sale window on the event's clock.
    await page.getByTestId('type-add').click();
    await page.getByTestId('type-name-en').fill('Early bird');
    await page.getByTestId('type-name-ru').fill('Ранняя птица');
    await page.getByTestId('type-price-input').fill('99');
    await page.getByTestId('type-capacity-input').fill('100');
    await page.getByTestId('type-session').selectOption(sessionId);
    await page.getByTestId('type-sale-starts').fill('2031-01-01T00:00');
    await page.getByTestId('type-sale-ends').fill('2030-12-01T00:00');
    await page.getByTestId('type-save').click();
    expect(await page.getByTestId('type-problem').getAttribute('data-problem')).toBe('saleEndBeforeStart');
    await page.getByTestId('type-sale-ends').fill('2031-03-01T00:00');
    await page.getByTestId('type-max-per-order').fill('4');
    await page.getByTestId('type-channel-kiosk').uncheck();
    await page.getByTestId('type-required-phone').check();
    await page.getByTestId('type-real-name').check();
    await page.getByTestId('type-save').click();
    await expect.poll(() => page.getByTestId('type-row').count(), POLL).toBe(2);
    jazz = (await stored('Jazz Week'))!.event;
    const early = jazz.ticketTypes.find((t) => t.name.en === 'Early bird')!;
    expect(early).toMatchObject({
      priceMinor: 9_900,
      capacity: 100,
      sessionId,
      saleStartsAt: '2030-12-31T16:00:00.000Z',
      saleEndsAt: '2031-02-28T16:00:00.000Z',
      channels: ['box_office', 'import'],
      realName: true,
      requiredFields: ['phone'],
    });
    const standard = jazz.ticketTypes.find((t) => t.name.en === 'Standard')!;

    // A quota shared by both types.
    await page.getByTestId('quota-add').click();
    await page.getByTestId('quota-name-en').fill('Main hall');
    await page.getByTestId('quota-capacity-input').fill('350');
    await page.getByTestId('quota-save').click();
    expect(await page.getByTestId('quota-problem').getAttribute('data-problem')).toBe('members');
    for (const box of await page.getByTestId('quota-type').all()) await box.check();
    await page.getByTestId('quota-save').click();
    await page.getByTestId('quota-row').waitFor(POLL);
    expect(await page.getByTestId('quota-row').getAttribute('data-members')).toBe('2');
    jazz = (await stored('Jazz Week'))!.event;
    expect(jazz.quotas).toHaveLength(1);
    expect([...jazz.quotas[0]!.ticketTypeIds].sort()).toEqual([standard.id, early.id].sort());

    // Tickets are sold; a capacity below them and a currency change are refused clearly, nothing changed.
    await bindEveryDevice(server, jazz.id);
    await sell(server, core.secrets.get('device_token')!, jazz.id, standard.id, 2);
    await page.getByTestId('event-back').click();
    await page.getByTestId('events-row').filter({ hasText: 'Jazz Week' }).getByTestId('events-open').click();
    const standardRow = page.getByTestId('type-row').filter({ hasText: 'Standard' });
    await standardRow.waitFor(POLL);
    await standardRow.getByTestId('type-edit').click();
    await page.getByTestId('type-capacity-input').fill('1');
    await page.getByTestId('type-save').click();
    expect(await page.getByTestId('type-problem').textContent()).toBe('The capacity cannot be lower than the 2 tickets already sold.');
    await page.getByTestId('event-currency').fill('EUR');
    await page.getByTestId('event-details-save').click();
    await expect.poll(() => page.getByTestId('event-details-error').getAttribute('data-code'), POLL).toBe('conflict');
    expect(await page.getByTestId('event-details-error').textContent()).toBe('Not saved: the currency cannot change once tickets of this event are sold.');
    jazz = (await stored('Jazz Week'))!.event;
    expect(jazz.currency).toBe('CNY');
    expect(jazz.ticketTypes.find((t) => t.id === standard.id)).toMatchObject({ capacity: 300, sold: 2 });

    // Editing a type works: its new price shows in the table.
    await page.getByTestId('type-capacity-input').fill('250');
    await page.getByTestId('type-price-input').fill('200');
    await page.getByTestId('type-save').click();
    await expect.poll(() => standardRow.getByTestId('type-price').textContent(), POLL).toBe('200.00 CNY');
    expect(await standardRow.getByTestId('type-capacity').textContent()).toBe('250');

    // The list shows it.
    await page.getByTestId('event-back').click();
    await page.getByTestId('events-list').waitFor(POLL);
    expect(await page.getByTestId('events-row').count()).toBe(before + 1);
    expect(await page.getByTestId('events-row').filter({ hasText: 'Jazz Week' }).count()).toBe(1);
    await page.screenshot({ path: join(tmpdir(), 'admit-admin-events-1280.png'), fullPage: true });

    // The same section in Russian and Chinese.
    const eventsNav = page.getByTestId('admin-nav-item').and(page.locator('[data-section="events"]'));
    await page.getByTestId('language-select').selectOption('ru');
    expect(await eventsNav.textContent()).toBe('Мероприятия');
    expect(await page.getByTestId('events-row').filter({ hasText: 'Неделя джаза' }).count()).toBe(1);
    await page.getByTestId('language-select').selectOption('zh-CN');
    expect(await eventsNav.textContent()).toBe('活动');
    expect(await page.getByTestId('events-row').filter({ hasText: '爵士周' }).count()).toBe(1);
    expect(problems).toEqual([]);
    await context.close();
  }, 400_000);
});
