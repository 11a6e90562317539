// The badge desk in Debian's Chromium, every part real: the built renderer served by service mode's
// bridge from a desk core on real SQLite, paired with a server on PGlite; the desk's badge printer an
// Evolis card-printer simulator over TCP configured for badge jobs only, and an ID-card reader simulator
// on a PTY. The badge operator signs in, finds attendees by name, by the last four phone digits and by
// laying an ID card on the reader; corrects a misspelt name (the server holds the new one); prints a badge
// (the card the simulator receives carries a QR code of the ticket's code); prints it again and is asked
// for a reason, which the print record keeps; and registers a walk-in through the ticket type's form,
// whose conditional field appears when its condition is answered, paid in cash, and prints their badge;
// prints the rest of an order's group in one go; and a manager sees the reprints per attendee and operator.
// Screenshots go to artifacts/e2e/badge-desk/.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { eq } from 'drizzle-orm';
import { chromium, type Browser, type Page } from 'playwright-core';
import { v7 as uuidv7 } from 'uuid';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultBadgeTemplate } from '../../domain/badge-template';
import { REQUEST_ID_HEADER } from '../../domain/wire';
import type { BadgeDeskAttendee } from '../../electron/contract';
import { createCore, type Core } from '../../electron/core/core';
import { startBridgeServer, type BridgeServer } from '../../electron/core/service/bridge-server';
import type { SamSimulator } from '../../drivers/id-readers/sam-simulator';
import { createPtyPair, decodeQrFromPng, SAMPLE_ID_CARD, startEvolisSimulator, startSamSimulator, type EvolisSimulator, type PtyPair } from '../../drivers/simulators';
import { createServer, type AdmitServer } from '../../server/src/app';
import { openServerDb, type ServerDbHandle } from '../../server/src/db/client';
import { badgePrints, tickets } from '../../server/src/db/schema';
import { DEMO_POINT_IDS } from '../../server/src/services/demo';
import { DEMO_BADGE_TEMPLATE_IDS } from '../../server/src/services/demo-badges';
import { loginAs } from '../helpers/login';
import { waitFor } from '../helpers/wait';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = resolve(__dirname, '../..');
const SHOTS = join(ROOT, 'artifacts', 'e2e', 'badge-desk');
const ADMIN = 'badge-desk-admin';
const KNOWN_NOISE = [/frame-ancestors.*ignored when delivered via a <meta> element/i];
const quiet = { warn: () => undefined, error: () => undefined };
const POLL = { timeout: 120_000 };
const LONG = 120_000;
const WALK_IN_PRICE = 2500;

type Sold = { order: { id: string; code: string; tickets: { id: string; code: string }[] } };

describe.skipIf(!existsSync(CHROMIUM))('the badge desk (Chromium, Evolis printer, ID-card reader)', () => {
  let work: string;
  let db: ServerDbHandle;
  let server: AdmitServer;
  let serverUrl: string;
  let desk: Core;
  let bridge: BridgeServer;
  let browser: Browser;
  let printer: EvolisSimulator;
  let idLine: PtyPair;
  let sam: SamSimulator;
  let page: Page;
  let eventId: string;
  let walkInTypeId: string;
  const problems: string[] = [];
  let shot = 0;
  /** Alexandra (misspelt "Alexnadra" at sale), 张三 with an ID number, and a pair in one order. */
  let alexandra: Sold;
  let zhang: Sold;

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
  async function dispatch<T>(session: string, name: string, input: unknown): Promise<T> {
    const r = await desk.dispatch(session, name, input);
    if (!r.ok) throw new Error(`${name} refused: ${JSON.stringify(r.error)}`);
    return r.value as T;
  }
  const screenshot = async (name: string) => {
    shot += 1;
    await page.screenshot({ path: join(SHOTS, `${String(shot).padStart(2, '0')}-${name}.png`), fullPage: true });
  };
  const attendee = () => page.getByTestId('badge-attendee');
  /** Types into the focused search field and presses Enter, as the operator does. */
  async function search(text: string) {
    const input = page.getByTestId('badge-search-input');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null), POLL).toBe('badge-search-input');
    await input.fill(text);
    await input.press('Enter');
  }

  beforeAll(async () => {
    rmSync(SHOTS, { recursive: true, force: true });
    mkdirSync(SHOTS, { recursive: true });
    work = mkdtempSync(join(tmpdir(), 'admit-badge-desk-'));
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

    // A real-name type (its holders found by ID card), and the walk-in type: priced, asking the company,
    // with a form whose "talk title" appears only for speakers.
    const namedId = (await admin('POST', `/admin/v1/events/${eventId}/ticket-types`, { name: { en: 'Delegate' }, priceMinor: 9000, realName: true })).ticketType!.id;
    walkInTypeId = (await admin('POST', `/admin/v1/events/${eventId}/ticket-types`, { name: { en: 'Walk-in pass' }, priceMinor: WALK_IN_PRICE, requiredFields: ['company'] })).ticketType!.id;
    await admin('PUT', `/admin/v1/ticket-types/${walkInTypeId}/form`, {
      fields: [
        {
          key: 'role',
          kind: 'choice',
          label: { en: 'Role', 'zh-CN': '身份', ru: 'Роль' },
          required: true,
          options: [
            { value: 'visitor', label: { en: 'Visitor' } },
            { value: 'speaker', label: { en: 'Speaker' } },
          ],
        },
        { key: 'talk', kind: 'text', label: { en: 'Talk title' }, required: true, showIf: { key: 'role', equals: 'speaker' } },
      ],
    });

    // The event's default badge (the demo's "Standard" replaced): the standard layout, its QR code without
    // the caption (a signed ticket code is longer than the caption's box holds).
    const standard = defaultBadgeTemplate();
    const layout = { ...standard, elements: standard.elements.map((side) => side.map((e) => (e.type === 'code' ? { ...e, caption: false } : e))) };
    await admin('PUT', `/admin/v1/badge-templates/${DEMO_BADGE_TEMPLATE_IDS.standard}`, { eventId, name: 'Standard', isDefault: true, template: layout });

    // The desk: an Evolis card printer over TCP for badges only, an ID-card reader on a serial line.
    printer = await startEvolisSimulator();
    idLine = await createPtyPair();
    sam = await startSamSimulator(idLine.devicePath, { card: null });
    desk = await createCore({
      dataDir: join(work, 'desk'),
      migrationsFolder: 'migrations/local',
      shell: 'service',
      demo: false,
      version: 'test',
      logger: quiet,
      modes: ['badge-desk', 'box-office', 'manager'],
      devices: { usbEvents: false },
    });
    desk.configureDevices([
      { id: 'badge-printer', name: 'Badge printer', kind: 'printer', driver: 'evolis', transport: { type: 'tcp', host: '127.0.0.1', port: printer.port }, kinds: ['badge'] },
      { id: 'id-reader', name: 'ID reader', kind: 'id-reader', driver: 'sam-serial', path: idLine.hostPath, pollMs: 200 },
    ] as Parameters<Core['configureDevices']>[0]);
    await desk.restartDevices();
    const { code } = await server.admin.createPairingCode();
    expect(await desk.dispatch('setup', 'terminal.pair', { serverUrl, code, terminalName: 'Badge desk 1' })).toMatchObject({ ok: true });
    await admin('PATCH', `/admin/v1/terminals/${desk.sync.deviceId!}`, { pointId: DEMO_POINT_IDS.mainEntrance });
    await waitFor(() => desk.sync.isOnline && desk.gate.currentPoint().row?.id === DEMO_POINT_IDS.mainEntrance, LONG, 'the desk online at the main entrance');
    await waitFor(async () => {
      const r = await desk.dispatch('x', 'session.operators', {});
      return r.ok && (r.value as { role: string }[]).some((o) => o.role === 'badge');
    }, LONG, 'the operators to sync');
    await waitFor(() => desk.devices.list().find((d) => d.id === 'badge-printer')?.state === 'connected', LONG, 'the badge printer connected');

    // The attendees, sold at the box office of the same terminal.
    expect(await loginAs(desk, 'test-cashier', { role: 'cashier' }, '111111')).toMatchObject({ ok: true });
    await waitFor(async () => {
      const c = await dispatch<{ ticketTypes: { id: string }[] }>('test-cashier', 'boxOffice.catalog', {});
      return [namedId, walkInTypeId].every((id) => c.ticketTypes.some((t) => t.id === id));
    }, LONG, 'the new types at the desk');
    const catalog = await dispatch<{ ticketTypes: { id: string; name: Record<string, string>; priceMinor: number }[] }>('test-cashier', 'boxOffice.catalog', {});
    const day = catalog.ticketTypes.find((t) => t.name['en'] === 'Day pass')!;
    alexandra = await dispatch<Sold>('test-cashier', 'boxOffice.sell', {
      lines: [{ ticketTypeId: day.id, quantity: 2 }],
      attendees: [
        { ticketTypeId: day.id, index: 0, name: 'Alexnadra Smith-Jones', phone: '+49 170 1234567', company: 'Acme GmbH', email: 'alexandra@example.com' },
        { ticketTypeId: day.id, index: 1, name: 'Bruno Smith-Jones' },
      ],
      payment: { method: 'cash', tenderedMinor: day.priceMinor * 2 },
    });
    zhang = await dispatch<Sold>('test-cashier', 'boxOffice.sell', {
      lines: [{ ticketTypeId: namedId, quantity: 1 }],
      attendees: [{ ticketTypeId: namedId, index: 0, name: SAMPLE_ID_CARD.name, idNumber: SAMPLE_ID_CARD.idNumber, phone: '+86 138 0013 8000' }],
      payment: { method: 'cash', tenderedMinor: 9000 },
    });
    await dispatch('test-cashier', 'session.logout', {});
    // The template has reached the desk: its preview draws.
    expect(await loginAs(desk, 'desk-check', { role: 'badge' }, '333333')).toMatchObject({ ok: true });
    await waitFor(async () => (await desk.dispatch('desk-check', 'badgeDesk.preview', { ticketId: alexandra.order.tickets[0]!.id })).ok, LONG, 'the badge template at the desk');
    await dispatch('desk-check', 'session.logout', {});

    bridge = await startBridgeServer(desk, { rendererDir: outDir });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    page = await context.newPage();
    page.on('console', (msg) => {
      if ((msg.type() === 'error' || msg.type() === 'warning') && !KNOWN_NOISE.some((re) => re.test(msg.text()))) problems.push(`console.${msg.type()}: ${msg.text()}`);
    });
    page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await bridge?.close();
    await desk?.close().catch(() => undefined);
    await sam?.close();
    await idLine?.close();
    await server?.close();
    await db?.close();
    await printer?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('signs in as the badge operator and finds attendees by name, by phone digits and by ID card', async () => {
    const url = new URL(bridge.url);
    url.searchParams.set('mode', 'badge-desk');
    await page.goto(url.toString());
    await page.getByTestId('login-screen').waitFor(POLL);
    await page.getByTestId('operator-option').filter({ hasText: 'Badge desk' }).click();
    for (const d of '333333') await page.getByTestId(`pin-digit-${d}`).click();
    await page.getByTestId('pin-enter').click();
    await page.getByTestId('badge-desk').waitFor(POLL);
    await expect.poll(() => page.getByTestId('badge-printer').getAttribute('data-ready'), POLL).toBe('true');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null), POLL).toBe('badge-search-input');

    // By name: two of the order share "smith"; the list shows both, and one opens.
    await search('smith');
    await expect.poll(() => page.getByTestId('badge-result').count(), POLL).toBe(2);
    expect(await page.getByTestId('badge-results-count').getAttribute('data-by')).toBe('name');
    await screenshot('found-by-name');
    await page.getByTestId('badge-result').filter({ hasText: 'Alexnadra' }).getByTestId('badge-result-open').click();
    await expect.poll(() => attendee().getAttribute('data-ticket-id'), POLL).toBe(alexandra.order.tickets[0]!.id);
    await expect.poll(() => page.getByTestId('badge-attendee-company').textContent(), POLL).toBe('Acme GmbH');
    expect(await page.getByTestId('badge-attendee-phone').textContent()).toMatch(/4567$/);
    expect(await page.getByTestId('badge-attendee-phone').textContent()).not.toContain('1234567');
    await page.getByTestId('badge-preview-side').first().waitFor(POLL);

    // By the last four digits of a phone: the one match opens at once.
    await search('8000');
    await expect.poll(() => page.getByTestId('badge-results-count').getAttribute('data-by'), POLL).toBe('phone');
    await expect.poll(() => attendee().getAttribute('data-ticket-id'), POLL).toBe(zhang.order.tickets[0]!.id);
    await screenshot('found-by-phone');

    // By ID card: once the server's hash of 张三's ID number has reached the desk, back to the search,
    // and 张三 lays the card on the reader; the one match opens.
    await waitFor(async () => (await desk.gate.ticketsByIdNumber(SAMPLE_ID_CARD.idNumber)).length === 1, LONG, "张三's ID hash at the desk");
    await page.keyboard.press('Escape');
    await attendee().waitFor({ state: 'detached', ...POLL });
    sam.setCard(SAMPLE_ID_CARD);
    await page.locator('[data-testid="badge-results-count"][data-by="id_card"]').waitFor(POLL);
    await expect.poll(() => attendee().getAttribute('data-ticket-id'), POLL).toBe(zhang.order.tickets[0]!.id);
    expect(await page.getByTestId('badge-attendee-name').textContent()).toContain(SAMPLE_ID_CARD.name);
    sam.setCard(null);
    await screenshot('found-by-id-card');
  });

  it('corrects a misspelt name at the server', async () => {
    await search('alexnadra');
    await expect.poll(() => attendee().getAttribute('data-ticket-id'), POLL).toBe(alexandra.order.tickets[0]!.id);
    await page.getByTestId('badge-correct').click();
    await page.getByTestId('badge-correct-name').fill('Alexandra Smith-Jones');
    await page.getByTestId('badge-correct-title').fill('CTO');
    await screenshot('correcting');
    await page.getByTestId('badge-correct-save').click();
    await expect.poll(() => page.getByTestId('badge-correct-note').getAttribute('data-note'), POLL).toBe('saved');
    await expect.poll(() => page.getByTestId('badge-attendee-name').textContent(), POLL).toBe('Alexandra Smith-Jones');
    expect(await page.getByTestId('badge-attendee-title').textContent()).toBe('CTO');
    const [row] = await db.db.select().from(tickets).where(eq(tickets.id, alexandra.order.tickets[0]!.id));
    expect(row!.attendeeName).toBe('Alexandra Smith-Jones');
    await screenshot('corrected');
  });

  it('checks in and prints a badge; printing again asks for a reason, which the print keeps', async () => {
    const ticket = alexandra.order.tickets[0]!;
    // The correction reaches the desk's cache with the next sync: the name search finds the new spelling.
    await expect
      .poll(async () => {
        await search('alexandra');
        await page.getByTestId('badge-results-count').or(page.getByTestId('badge-results-empty')).first().waitFor(POLL);
        return page.locator(`[data-testid="badge-result"][data-ticket-id="${ticket.id}"]`).count();
      }, POLL)
      .toBe(1);
    await expect.poll(() => attendee().getAttribute('data-ticket-id'), POLL).toBe(ticket.id);
    const print = page.getByTestId('badge-print');
    expect(await print.getAttribute('data-checks-in')).toBe('true');
    expect(await print.textContent()).toContain('Check in and print');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null), POLL).toBe('badge-print');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('print-outcome').getAttribute('data-state'), POLL).toBe('printed');
    expect(await page.getByTestId('print-result').getAttribute('data-outcome')).toBe('printed');
    expect(await page.getByTestId('print-result').getAttribute('data-check-in')).toBe('admitted');
    await waitFor(() => printer.jobs.length === 1, LONG, 'the first card at the printer');
    expect(await decodeQrFromPng(printer.jobs[0]!.png)).toEqual([ticket.code]);
    await expect.poll(() => page.getByTestId('badge-print-row').count(), POLL).toBe(1);
    await expect.poll(() => attendee().getAttribute('data-checked-in'), POLL).toBe('true');
    await expect.poll(() => page.locator(`[data-testid="badge-result"][data-ticket-id="${ticket.id}"]`).getAttribute('data-print-count'), POLL).toBe('1');
    await screenshot('printed');

    // Again: a reprint within the window asks why.
    await expect.poll(() => attendee().getAttribute('data-needs-reason'), POLL).toBe('true');
    expect(await print.textContent()).toContain('Print');
    await print.click();
    await page.getByTestId('reprint-dialog').waitFor(POLL);
    expect(printer.jobs.length).toBe(1);
    await page.getByTestId('reprint-confirm').click();
    expect(await page.getByTestId('reprint-problem').getAttribute('data-problem')).toBe('reasonMissing');
    await page.getByTestId('reprint-reason').fill('Badge damaged by coffee');
    await screenshot('reprint-reason');
    await page.getByTestId('reprint-reason').press('Enter');
    await page.getByTestId('reprint-dialog').waitFor({ state: 'detached', ...POLL });
    await expect.poll(() => page.getByTestId('print-outcome').getAttribute('data-state'), POLL).toBe('printed');
    await waitFor(() => printer.jobs.length === 2, LONG, 'the reprinted card at the printer');
    expect(await decodeQrFromPng(printer.jobs[1]!.png)).toEqual([ticket.code]);
    await expect.poll(() => page.getByTestId('badge-print-row').count(), POLL).toBe(2);
    expect(await page.locator('[data-testid="badge-print-row"][data-reprint="true"]').getAttribute('data-reason')).toBe('Badge damaged by coffee');
    await screenshot('reprinted');

    // The server has both prints, the second with its reason.
    await waitFor(async () => (await db.db.select().from(badgePrints).where(eq(badgePrints.ticketId, ticket.id))).length === 2, LONG, 'both prints at the server');
    const prints = await db.db.select().from(badgePrints).where(eq(badgePrints.ticketId, ticket.id));
    expect(prints.map((p) => [p.reprint, p.reason]).sort()).toEqual([
      [false, null],
      [true, 'Badge damaged by coffee'],
    ]);
  });

  it('registers a walk-in through the form with its conditional field, takes cash and prints their badge', async () => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F2');
    await page.getByTestId('walk-in').waitFor(POLL);
    await page.locator(`[data-testid="walk-in-type"][data-ticket-type-id="${walkInTypeId}"]`).check();
    await page.getByTestId('walk-in-form').waitFor(POLL);
    await page.getByTestId('walk-in-name').fill('Мария Иванова');
    await page.getByTestId('walk-in-company').fill('ООО Ромашка');
    // The talk title appears only for a speaker.
    expect(await page.getByTestId('walk-in-form-talk').count()).toBe(0);
    await page.getByTestId('walk-in-form-role').selectOption('speaker');
    await page.getByTestId('walk-in-form-talk').waitFor(POLL);
    // Without it, the form says what is missing and nothing is registered.
    await page.getByTestId('walk-in-cash').fill('30.00');
    await expect.poll(() => page.getByTestId('walk-in-change').getAttribute('data-amount-minor'), POLL).toBe(String(3000 - WALK_IN_PRICE));
    await page.getByTestId('walk-in-submit').click();
    await page.getByTestId('walk-in-form-talk-error').waitFor(POLL);
    await page.getByTestId('walk-in-form-talk').fill('Badges at scale');
    await screenshot('walk-in-form');
    await page.getByTestId('walk-in-submit').click();
    const done = page.getByTestId('walk-in-done');
    await done.waitFor(POLL);
    await expect.poll(() => page.getByTestId('print-outcome').getAttribute('data-state'), POLL).toBe('printed');
    const ticketId = (await done.getAttribute('data-ticket-id'))!;
    await waitFor(() => printer.jobs.length === 3, LONG, "the walk-in's card at the printer");
    expect(await loginAs(desk, 'desk-check', { role: 'badge' }, '333333')).toMatchObject({ ok: true });
    const details = await dispatch<BadgeDeskAttendee>('desk-check', 'badgeDesk.attendee', { ticketId });
    expect(details).toMatchObject({ name: 'Мария Иванова', company: 'ООО Ромашка', answers: { role: 'speaker', talk: 'Badges at scale' } });
    expect(await decodeQrFromPng(printer.jobs[2]!.png)).toEqual([details.code]);
    await screenshot('walk-in-printed');
  });

  it("prints the rest of an order's group in one go", async () => {
    const [first, bruno] = alexandra.order.tickets;
    await search('alexandra');
    await expect.poll(() => attendee().getAttribute('data-ticket-id'), POLL).toBe(first!.id);
    await page.getByTestId('badge-group-open').click();
    await expect.poll(() => page.getByTestId('badge-group-member').count(), POLL).toBe(2);
    // Those without a badge are chosen: Bruno, not Alexandra.
    const checked = async (id: string) => page.locator(`[data-testid="badge-group-member"][data-ticket-id="${id}"] [data-testid="badge-group-check"]`).isChecked();
    expect([await checked(first!.id), await checked(bruno!.id)]).toEqual([false, true]);
    await screenshot('group');
    await page.getByTestId('badge-group-print').click();
    await expect.poll(() => page.getByTestId('print-outcome').getAttribute('data-state'), POLL).toBe('printed');
    expect(await page.getByTestId('print-result').count()).toBe(1);
    expect(await page.getByTestId('print-result').getAttribute('data-ticket-id')).toBe(bruno!.id);
    await waitFor(() => printer.jobs.length === 4, LONG, "Bruno's card at the printer");
    expect(await decodeQrFromPng(printer.jobs[3]!.png)).toEqual([bruno!.code]);
    await expect.poll(() => page.locator(`[data-testid="badge-group-member"][data-ticket-id="${bruno!.id}"]`).getAttribute('data-print-count'), POLL).toBe('1');
    await screenshot('group-printed');
  });

  it("shows a manager the reprints per attendee and per operator", async () => {
    await page.getByTestId('logout').click();
    await page.getByTestId('login-screen').waitFor(POLL);
    const url = new URL(bridge.url);
    url.searchParams.set('mode', 'manager');
    await page.goto(url.toString());
    await page.getByTestId('login-screen').waitFor(POLL);
    await page.getByTestId('operator-option').filter({ hasText: 'Manager' }).click();
    for (const d of '999999') await page.getByTestId(`pin-digit-${d}`).click();
    await page.getByTestId('pin-enter').click();
    await page.getByTestId('manager').waitFor(POLL);
    const row = page.locator(`[data-testid="reprints-by-attendee-row"][data-key="${alexandra.order.tickets[0]!.id}"]`);
    await row.waitFor(POLL);
    expect([await row.getAttribute('data-prints'), await row.getAttribute('data-reprints')]).toEqual(['2', '1']);
    const operators = page.getByTestId('reprints-by-operator-row');
    await expect.poll(() => operators.count(), POLL).toBe(1);
    expect([await operators.getAttribute('data-prints'), await operators.getAttribute('data-reprints')]).toEqual(['4', '1']);
    await page.getByTestId('reprints').scrollIntoViewIfNeeded();
    await screenshot('manager-reprints');
  });

  it('said nothing on the console', () => {
    expect(problems).toEqual([]);
  });
});
