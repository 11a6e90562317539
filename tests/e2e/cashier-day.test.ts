// A cashier's day at the box office, driven by keys in Debian's Chromium, every part real: the built
// renderer served by service mode's bridge from a till core on real SQLite, paired through a cuttable
// TCP link with a server on PGlite; the till's receipt printer an ESC/POS simulator over TCP; the
// server's mail going to an SMTP server running as a process of its own; a second core as the gate at
// the main entrance with a serial scanner simulator on a PTY. The cashier opens a shift with a float and
// makes 20 sales — cash with change, card with a keyed approval code, a split of card and cash with a
// voucher, real-name tickets with their holders' details — one of them while the link is cut, on the
// till's seat lease, uploaded when the link returns. The tickets of one sale are emailed (the message
// arrives at the SMTP process with a QR PNG per ticket that decodes to its code), its receipt reprinted
// for a paper jam, and one of its tickets refunded by its type's policy with a manager's PIN, after which
// the gate refuses that code. An X report midway and a Z report whose counted cash is €5.00 short close
// the day. What the printer received is decoded back to text: every sale's receipt with its total and
// payment kind, the reprint marked, the refund receipt, both reports with the variance. The server's
// database holds exactly the 20 orders, the refunded ticket, one voucher use and both reports, whose
// totals by payment kind are what was sold. Screenshots go to artifacts/e2e/cashier-day/.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { and, eq } from 'drizzle-orm';
import { chromium, type Browser, type Page } from 'playwright-core';
import { v7 as uuidv7 } from 'uuid';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REQUEST_ID_HEADER } from '../../domain/wire';
import type { ShiftTotals } from '../../domain/shifts';
import type { CallOutput, Verdict } from '../../electron/contract';
import { createCore, type Core } from '../../electron/core/core';
import { startBridgeServer, type BridgeServer } from '../../electron/core/service/bridge-server';
import {
  createPtyPair,
  decodeQrFromPng,
  startEscPosSimulator,
  startScannerSimulator,
  type EscPosSimulator,
  type PtyPair,
  type ScannerSimulator,
} from '../../drivers/simulators';
import { createServer, type AdmitServer } from '../../server/src/app';
import { openServerDb, type ServerDbHandle } from '../../server/src/db/client';
import { orders, shiftReports, tickets, vouchers } from '../../server/src/db/schema';
import { DEMO_POINT_IDS } from '../../server/src/services/demo';
import { startLink, type Link } from '../helpers/link';
import { loginAs } from '../helpers/login';
import type { SinkLine } from '../helpers/smtp-sink-process';
import { waitFor } from '../helpers/wait';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = resolve(__dirname, '../..');
const SHOTS = join(ROOT, 'artifacts', 'e2e', 'cashier-day');
const ADMIN = 'cashier-day-admin';
const KNOWN_NOISE = [/frame-ancestors.*ignored when delivered via a <meta> element/i];
const quiet = { warn: () => undefined, error: () => undefined };
const POLL = { timeout: 120_000 };
const LONG = 120_000;
const FLOAT = 10_000;
const EVENING_PRICE = 4000;
/** An evening pass refunded less its 10 % fee. */
const REFUND = EVENING_PRICE - EVENING_PRICE / 10;
type Catalog = CallOutput<'boxOffice.catalog'>;
type Mail = Extract<SinkLine, { message: unknown }>['message'];

/** What one sale took, as the test made it. */
type Sold = {
  n: number;
  orderId: string;
  code: string;
  totalMinor: number;
  /** The order's payment kind as the receipt names it. */
  kind: 'cash' | 'card_manual' | 'split';
  /** Of the total: what cash and the card paid. */
  cashMinor: number;
  cardMinor: number;
  changeMinor: number;
  ticketCodes: string[];
  offline?: boolean;
};

const euros = (minor: number) => (minor / 100).toFixed(2);
/** As the receipt and the reports print an amount in English. */
const printed = (minor: number) => `${minor < 0 ? '-' : ''}€${(Math.abs(minor) / 100).toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;

describe.skipIf(!existsSync(CHROMIUM))("a cashier's day at the box office (Chromium, printer, SMTP and gate)", () => {
  let work: string;
  let db: ServerDbHandle;
  let server: AdmitServer;
  let serverUrl: string;
  let link: Link;
  let till: Core;
  let gate: Core;
  let bridge: BridgeServer;
  let browser: Browser;
  let printer: EscPosSimulator;
  let scanLine: PtyPair;
  let scanner: ScannerSimulator;
  let smtpProc: ChildProcess;
  const mails: Mail[] = [];
  const verdicts: Verdict[] = [];
  let eventId: string;
  let realId: string;
  let eveningId: string;
  let page: Page;
  const problems: string[] = [];
  const sold: Sold[] = [];
  let shot = 0;

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
    const r = await till.dispatch('test-cashier', 'boxOffice.catalog', {});
    if (!r.ok) throw new Error(`boxOffice.catalog refused: ${JSON.stringify(r.error)}`);
    return r.value as Catalog;
  }
  const screenshot = async (name: string) => {
    shot += 1;
    await page.screenshot({ path: join(SHOTS, `${String(shot).padStart(2, '0')}-${name}.png`) });
  };
  const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    work = mkdtempSync(join(tmpdir(), 'admit-cashier-day-'));
    const outDir = join(work, 'ui');
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({ configFile: join(ROOT, 'vite.config.ts'), mode: 'production', logLevel: 'warn', build: { outDir, emptyOutDir: true, sourcemap: false } });
    } finally {
      process.env.NODE_ENV = nodeEnv;
    }

    // The SMTP server, a process of its own: it says its port, then each message, as JSON lines.
    smtpProc = spawn(process.execPath, ['--import', 'tsx', 'tests/helpers/smtp-sink-process.ts'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let smtpErr = '';
    smtpProc.stderr!.on('data', (d: Buffer) => (smtpErr += String(d)));
    const smtpPort = await new Promise<number>((resolvePort, reject) => {
      smtpProc.once('exit', (code) => reject(new Error(`the SMTP process exited (${code}): ${smtpErr}`)));
      createInterface({ input: smtpProc.stdout! }).on('line', (text) => {
        const line = JSON.parse(text) as SinkLine;
        if ('port' in line) resolvePort(line.port);
        else mails.push(line.message);
      });
    });

    db = await openServerDb();
    server = createServer({ db, adminToken: ADMIN, dataDir: join(work, 'server') });
    serverUrl = (await server.listen({ host: '127.0.0.1', port: 0 })).url;
    await admin('PUT', '/admin/v1/settings/mail', { host: '127.0.0.1', port: smtpPort, security: 'none', user: null, from: 'tickets@example.com', fromName: 'Box office' });
    eventId = (await server.admin.seedDemo({ tickets: 0 })).eventId;

    // A real-name type whose holders leave a phone number too; a voucher for day passes; and a type
    // refundable until an hour before its evening session, less 10 %, only with a manager.
    realId = (await admin('POST', `/admin/v1/events/${eventId}/ticket-types`, { name: { en: 'Named seat' }, priceMinor: 5000, realName: true, requiredFields: ['phone'] })).ticketType!.id;
    const now = Date.now();
    const session = (await admin('POST', `/admin/v1/events/${eventId}/sessions`, {
      name: { en: 'Evening' },
      startsAt: new Date(now + 3 * 3_600_000).toISOString(),
      endsAt: new Date(now + 6 * 3_600_000).toISOString(),
    })).session!.id;
    eveningId = (await admin('POST', `/admin/v1/events/${eventId}/ticket-types`, {
      name: { en: 'Evening pass' },
      priceMinor: EVENING_PRICE,
      sessionId: session,
      refundPolicy: { refund: { hoursBefore: 1, fee: { kind: 'percent', basisPoints: 1000 }, who: 'manager' }, exchange: null },
    })).ticketType!.id;

    // The till: its receipt printer speaks ESC/POS over TCP in Windows-1252 (the euro sign prints as
    // text); it reaches the server through a link the test can cut, and keeps 3 seats a type on lease.
    printer = await startEscPosSimulator({ port: 0 });
    link = await startLink(Number(new URL(serverUrl).port));
    till = await createCore({
      dataDir: join(work, 'till'),
      migrationsFolder: 'migrations/local',
      shell: 'service',
      demo: false,
      version: 'test',
      logger: quiet,
      leases: { size: 3, lowWater: 1 },
      devices: { usbEvents: false },
    });
    till.configureDevices([{ id: 'till-printer', name: 'Receipt printer', kind: 'printer', driver: 'escpos-tcp', host: '127.0.0.1', port: printer.port, codePage: 'WPC1252' }]);
    await till.restartDevices();
    const { code } = await server.admin.createPairingCode();
    expect(await till.dispatch('setup', 'terminal.pair', { serverUrl: link.url, code, terminalName: 'Till 1' })).toMatchObject({ ok: true });
    await waitFor(() => till.sync.isOnline, LONG, 'the till to be online');
    await waitFor(async () => {
      const r = await till.dispatch('x', 'session.operators', {});
      return r.ok && (r.value as { role: string }[]).some((o) => o.role === 'cashier');
    }, LONG, 'the operators to sync');
    expect(await loginAs(till, 'test-cashier', { role: 'cashier' }, '111111')).toMatchObject({ ok: true });
    const day = (await catalog()).ticketTypes.find((t) => t.name['en'] === 'Day pass')!;
    await admin('POST', `/admin/v1/events/${eventId}/vouchers`, { code: 'TENOFF', kind: 'percent', value: 10, ticketTypeIds: [day.id], maxUses: 100 });
    await waitFor(async () => (await catalog()).ticketTypes.some((t) => t.id === eveningId) && (await catalog()).ticketTypes.some((t) => t.id === realId && t.realName === true), LONG, 'the new types at the till');
    await waitFor(() => till.devices.list().find((d) => d.id === 'till-printer')?.state === 'connected', LONG, 'the printer connected');

    // The gate at the main entrance, its scanner on a serial line.
    scanLine = await createPtyPair();
    scanner = await startScannerSimulator(scanLine.devicePath);
    gate = await createCore({ dataDir: join(work, 'gate'), migrationsFolder: 'migrations/local', shell: 'service', demo: false, version: 'test', logger: quiet, devices: { usbEvents: false } });
    gate.configureDevices([{ id: 'gate-scanner', name: 'Gate scanner', kind: 'scanner', driver: 'serial-scanner', path: scanLine.hostPath, baudRate: 9600, terminator: 'any' }]);
    await gate.restartDevices();
    gate.events.on('event', (e) => e.name === 'scan.verdict' && verdicts.push(e.payload as Verdict));
    const gatePairing = await server.admin.createPairingCode();
    expect(await gate.dispatch('setup', 'terminal.pair', { serverUrl, code: gatePairing.code, terminalName: 'Main gate' })).toMatchObject({ ok: true });
    await admin('PATCH', `/admin/v1/terminals/${gate.sync.deviceId!}`, { pointId: DEMO_POINT_IDS.mainEntrance });
    await waitFor(() => gate.sync.isOnline && gate.gate.currentPoint().row?.id === DEMO_POINT_IDS.mainEntrance, LONG, 'the gate at the main entrance');

    bridge = await startBridgeServer(till, { rendererDir: outDir });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    page = await context.newPage();
    page.on('console', (msg) => {
      if ((msg.type() === 'error' || msg.type() === 'warning') && !KNOWN_NOISE.some((re) => re.test(msg.text()))) problems.push(`console.${msg.type()}: ${msg.text()}`);
    });
    page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await bridge?.close();
    await gate?.close().catch(() => undefined);
    await till?.close().catch(() => undefined);
    await scanner?.close();
    await scanLine?.close();
    await link?.close();
    await server?.close();
    await db?.close();
    await printer?.close();
    if (smtpProc && smtpProc.exitCode === null && smtpProc.signalCode === null) {
      const exited = new Promise((r) => smtpProc.once('exit', r));
      smtpProc.kill('SIGTERM');
      await exited;
    }
    if (work) rmSync(work, { recursive: true, force: true });
  });

  /** The key that adds a ticket of the type named `en` (its place in the catalog, from 1). */
  async function keyOf(en: string): Promise<string> {
    const names = await page.getByTestId('ticket-type-name').allTextContents();
    const n = names.findIndex((text) => text.trim().endsWith(en));
    expect(n, `${en} among ${names.join(', ')}`).toBeGreaterThanOrEqual(0);
    expect(n).toBeLessThan(9);
    return String(n + 1);
  }
  const priceOf = async (en: string) => (await catalog()).ticketTypes.find((t) => t.name['en'] === en)!.priceMinor;

  /** Puts the lines in the cart by their keys and checks the total the screen shows. */
  async function fillCart(lines: [string, number][]): Promise<number> {
    await page.getByTestId('cart-empty').waitFor(POLL);
    await page.locator('body').focus();
    let total = 0;
    for (const [name, qty] of lines) {
      const key = await keyOf(name);
      for (let i = 0; i < qty; i++) await page.keyboard.press(key);
      total += (await priceOf(name)) * qty;
    }
    await expect.poll(() => page.getByTestId('cart-line').count(), POLL).toBe(lines.length);
    await expect.poll(() => page.getByTestId('cart-total').getAttribute('data-amount-minor'), POLL).toBe(String(total));
    return total;
  }

  /** Cash by keys: F2, the amount handed over, Enter. */
  async function payCash(due: number, given: number) {
    await page.keyboard.press('F2');
    await expect.poll(focused, POLL).toBe('tendered-input');
    await page.keyboard.type(euros(given));
    await expect.poll(() => page.getByTestId('change-due').getAttribute('data-amount-minor'), POLL).toBe(String(given - due));
  }

  /** A card by keys: F3, the amount (all that is due unless given), Tab, the approval code, Enter. */
  async function payCard(due: number, approval: string, amount = due) {
    await page.keyboard.press('F3');
    await page.getByTestId('tender-form').waitFor(POLL);
    await expect.poll(focused, POLL).toBe('tender-amount');
    expect(await page.getByTestId('tender-amount').inputValue()).toBe(euros(due));
    if (amount !== due) {
      await page.keyboard.press('Control+A');
      await page.keyboard.type(euros(amount));
    }
    await page.keyboard.press('Tab');
    await page.keyboard.type(approval);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('[data-testid="tender"][data-method="card_manual"]').count(), POLL).toBe(1);
  }

  /** Enter sells; the result screen is read and the sale kept for the checks at the end of the day. */
  async function completeSale(s: Omit<Sold, 'n' | 'orderId' | 'code' | 'ticketCodes'>): Promise<Sold> {
    await page.keyboard.press('Enter');
    const result = page.getByTestId('order-result');
    await result.waitFor(POLL);
    expect(await page.getByTestId('order-total').getAttribute('data-amount-minor')).toBe(String(s.totalMinor));
    expect(await page.getByTestId('order-change').getAttribute('data-amount-minor')).toBe(String(s.changeMinor));
    await expect.poll(() => page.getByTestId('print-status').getAttribute('data-print-state'), POLL).toBe('printed');
    const sale: Sold = {
      ...s,
      n: sold.length + 1,
      orderId: (await result.getAttribute('data-order-id'))!,
      code: (await page.getByTestId('order-code').textContent())!.trim(),
      ticketCodes: (await page.getByTestId('ticket-code').allTextContents()).map((c) => c.trim()),
    };
    sold.push(sale);
    return sale;
  }
  async function nextSale() {
    await page.keyboard.press('n');
    await page.getByTestId('cart-empty').waitFor(POLL);
  }

  it('opens the shift and sells a voucher with a split tender, real-name tickets, and evening passes it emails and reprints', async () => {
    const url = new URL(bridge.url);
    url.searchParams.set('mode', 'box-office');
    await page.goto(url.toString());
    await page.getByTestId('login-screen').waitFor(POLL);
    await page.getByTestId('operator-option').filter({ hasText: 'Cashier' }).click();
    for (const d of '111111') await page.getByTestId(`pin-digit-${d}`).click();
    await page.getByTestId('pin-enter').click();
    await page.getByTestId('box-office').waitFor(POLL);
    await page.getByTestId('ticket-type').first().waitFor(POLL);

    // The shift, with €100.00 in the drawer.
    await page.keyboard.press('F8');
    await page.getByTestId('shift-open-form').waitFor(POLL);
    await page.getByTestId('shift-float').fill(euros(FLOAT));
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('shift-current').getAttribute('data-float-minor'), POLL).toBe(String(FLOAT));
    await screenshot('shift-open');
    await page.keyboard.press('Escape');
    await page.getByTestId('shift-panel').waitFor({ state: 'detached', ...POLL });

    // Sale 1: a day pass and a child's ticket, the voucher scanned (10 % off the day pass only), €20.00
    // on a card with its approval code keyed in, the rest in cash with change.
    const subtotal = await fillCart([
      ['Day pass', 1],
      ['Child', 1],
    ]);
    await page.keyboard.press('F9');
    await page.keyboard.type('tenoff');
    await page.keyboard.press('Enter');
    const discount = Math.round((await priceOf('Day pass')) / 10);
    const total1 = subtotal - discount;
    await expect.poll(() => page.getByTestId('cart-discount').getAttribute('data-amount-minor'), POLL).toBe(String(discount));
    expect(await page.getByTestId('cart-total').getAttribute('data-amount-minor')).toBe(String(total1));
    await payCard(total1, 'AB12CD', 2000);
    expect(await page.getByTestId('cash-due').getAttribute('data-amount-minor')).toBe(String(total1 - 2000));
    const given1 = Math.ceil((total1 - 2000) / 1000) * 1000;
    await payCash(total1 - 2000, given1);
    await screenshot('split-with-voucher');
    await completeSale({ totalMinor: total1, kind: 'split', cashMinor: total1 - 2000, cardMinor: 2000, changeMinor: given1 - (total1 - 2000) });
    expect(await page.getByTestId('order-discount').getAttribute('data-amount-minor')).toBe(String(discount));
    await nextSale();

    // Sale 2: two named seats; the holders' names, phones and ID numbers given on the screen.
    const total2 = await fillCart([['Named seat', 2]]);
    await expect.poll(() => page.getByTestId('attendee').count(), POLL).toBe(2);
    const holders = [
      { name: 'Anna Ivanova', phone: '+44 20 7946 0018', idNumber: 'AB123456' },
      { name: 'Li Wei', phone: '+86 138 0013 8000', idNumber: 'CN998877' },
    ];
    for (const [i, h] of holders.entries()) {
      const fieldset = page.getByTestId('attendee').nth(i);
      await fieldset.getByTestId('attendee-name').focus();
      await page.keyboard.type(h.name);
      await page.keyboard.press('Tab');
      await page.keyboard.type(h.phone);
      await fieldset.getByTestId('attendee-idNumber').focus();
      await page.keyboard.type(h.idNumber);
    }
    await page.keyboard.press('Escape');
    await payCash(total2, total2 + 2000);
    await screenshot('real-name-attendees');
    const realSale = await completeSale({ totalMinor: total2, kind: 'cash', cashMinor: total2, cardMinor: 0, changeMinor: 2000 });
    await waitFor(async () => (await db.db.select().from(tickets).where(eq(tickets.orderId, realSale.orderId))).length === 2, LONG, 'the named seats at the server');
    const held = await db.db.select().from(tickets).where(eq(tickets.orderId, realSale.orderId));
    expect(held.map((t) => t.attendeeName).sort()).toEqual(holders.map((h) => h.name).sort());
    expect(held.map((t) => t.phoneLast4).sort()).toEqual(['0018', '8000']);
    expect(held.every((t) => t.idHash !== null)).toBe(true);
    await nextSale();

    // Sale 3: two evening passes for cash; emailed to the buyer, and the receipt reprinted (paper jam).
    const total3 = await fillCart([['Evening pass', 2]]);
    await payCash(total3, 10_000);
    const evening = await completeSale({ totalMinor: total3, kind: 'cash', cashMinor: total3, cardMinor: 0, changeMinor: 10_000 - total3 });
    await page.getByTestId('send-channel').selectOption('email');
    await page.getByTestId('send-address').fill('guest@example.com');
    await page.getByTestId('send-language').selectOption('en');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('delivery').first().getAttribute('data-state'), POLL).toBe('sent');
    // The message at the SMTP process: the order's code in its text, a QR PNG per ticket that decodes
    // to that ticket's code.
    await waitFor(() => mails.some((m) => m.to.includes('guest@example.com')), LONG, 'the e-ticket at the SMTP process');
    const mail = mails.find((m) => m.to.includes('guest@example.com'))!;
    expect(mail.text).toContain(evening.code);
    for (const c of evening.ticketCodes) expect(mail.text).toContain(c);
    expect(mail.attachments.map((a) => a.contentType)).toEqual(['image/png', 'image/png']);
    const decoded = await Promise.all(mail.attachments.map((a) => decodeQrFromPng(Buffer.from(a.base64, 'base64'))));
    expect(decoded.flat().sort()).toEqual([...evening.ticketCodes].sort());

    await page.getByTestId('reprint-what').selectOption('receipt');
    await page.getByTestId('reprint-reason').selectOption('paper_jam');
    await page.getByTestId('reprint-button').click();
    await expect.poll(() => page.getByTestId('reprint-status').getAttribute('data-copy'), POLL).toBe('1');
    await expect.poll(() => page.getByTestId('reprint-status').getAttribute('data-print-state'), POLL).toBe('printed');
    await screenshot('emailed-and-reprinted');
    await nextSale();
  });

  it('sells sixteen more by keys, cash with change and card with approval codes, and takes an X report', async () => {
    const plan: { lines: [string, number][]; pay: 'cash' | 'card' }[] = [];
    const mixes: [string, number][][] = [[['Day pass', 1]], [['Weekend pass', 1]], [['Child', 2]], [['Day pass', 2], ['Child', 1]]];
    for (let i = 0; i < 16; i++) plan.push({ lines: mixes[i % mixes.length]!, pay: i % 3 === 2 ? 'card' : 'cash' });
    for (const [i, p] of plan.entries()) {
      const total = await fillCart(p.lines);
      if (p.pay === 'cash') {
        const given = Math.ceil((total + 1) / 1000) * 1000;
        await payCash(total, given);
        await completeSale({ totalMinor: total, kind: 'cash', cashMinor: total, cardMinor: 0, changeMinor: given - total });
      } else {
        await payCard(total, `APP${String(i).padStart(3, '0')}`);
        // The card covered it all: Sell has the focus, Enter sells.
        await expect.poll(focused, POLL).toBe('sell-button');
        await completeSale({ totalMinor: total, kind: 'card_manual', cashMinor: 0, cardMinor: total, changeMinor: 0 });
      }
      if (i === 7) {
        // Midday: the X report, the shift goes on.
        await nextSale();
        await page.keyboard.press('F8');
        await page.getByTestId('shift-current').waitFor(POLL);
        await page.getByTestId('shift-x').click();
        await expect.poll(() => page.getByTestId('shift-report').getAttribute('data-kind'), POLL).toBe('x');
        expect(await page.getByTestId('report-sales').getAttribute('data-count')).toBe(String(sold.length));
        expect(await page.getByTestId('report-sales').getAttribute('data-amount-minor')).toBe(String(sold.reduce((s, x) => s + x.totalMinor, 0)));
        await screenshot('x-report');
        await page.keyboard.press('Escape');
        await page.getByTestId('shift-panel').waitFor({ state: 'detached', ...POLL });
        continue;
      }
      await nextSale();
    }
    expect(sold).toHaveLength(19);
  });

  it('sells on its lease while the link is cut, and the order reaches the server when it returns', async () => {
    const day = (await catalog()).ticketTypes.find((t) => t.name['en'] === 'Day pass')!;
    await waitFor(async () => {
      await till.leases.keep();
      return till.leases.free(day.id) >= 1;
    }, LONG, 'a lease of day passes');
    const free = till.leases.free(day.id);
    // The header's "To upload" count: nothing waits before the cut.
    const toUpload = () => page.getByTestId('sync-pending').getAttribute('data-count');
    await expect.poll(toUpload, POLL).toBe('0');
    link.cut(3_600_000);
    await waitFor(() => !till.sync.isOnline, LONG, 'the till to notice the link is down');
    await expect.poll(() => page.getByTestId('sync-status').getAttribute('data-online'), POLL).toBe('false');

    const total = await fillCart([['Day pass', 1]]);
    await payCash(total, 5000);
    const offline = await completeSale({ totalMinor: total, kind: 'cash', cashMinor: total, cardMinor: 0, changeMinor: 5000 - total, offline: true });
    await screenshot('offline-sale');
    expect(till.leases.free(day.id)).toBe(free - 1);
    expect(await db.db.select().from(orders).where(eq(orders.id, offline.orderId))).toEqual([]);
    // The sale waits to upload, and the header counts it.
    await expect.poll(toUpload, POLL).toBe('1');

    link.heal();
    await waitFor(async () => (await db.db.select().from(orders).where(eq(orders.id, offline.orderId))).length === 1, LONG, 'the offline order at the server');
    const [stored] = await db.db.select().from(orders).where(eq(orders.id, offline.orderId));
    expect(stored).toMatchObject({ code: offline.code, totalMinor: total, paymentMethod: 'cash' });
    const [ticket] = await db.db.select().from(tickets).where(eq(tickets.orderId, offline.orderId));
    expect(ticket).toMatchObject({ code: offline.ticketCodes[0], status: 'valid' });
    await waitFor(() => till.sync.isOnline, LONG, 'the till back online');
    await expect.poll(() => page.getByTestId('sync-status').getAttribute('data-online'), POLL).toBe('true');
    await expect.poll(toUpload, POLL).toBe('0');
    await nextSale();
    expect(sold).toHaveLength(20);
  });

  it("refunds an evening pass with the manager's PIN, and the gate then refuses its code", async () => {
    const evening = sold[2]!;
    const price = (await catalog()).ticketTypes.find((t) => t.id === eveningId)!.priceMinor;
    // The gate first admits a day pass sold today, so a refusal below is the refund's doing.
    const dayPass = sold[3]!.ticketCodes[0]!;
    await waitFor(() => gate.cache.ticketByCode(dayPass) !== undefined, LONG, 'the day pass at the gate');
    await scanner.scan(dayPass, 'CR');
    await waitFor(() => verdicts.some((v) => v.code === dayPass), LONG, 'the day pass verdict');
    expect(verdicts.find((v) => v.code === dayPass)).toMatchObject({ admitted: true, reason: 'ok' });

    await page.keyboard.press('F10');
    await page.getByTestId('refund-code').waitFor(POLL);
    await expect.poll(focused, POLL).toBe('refund-code');
    await page.keyboard.type(evening.ticketCodes[0]!);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('refund-ticket').count(), POLL).toBe(2);
    const rows = page.getByTestId('refund-ticket');
    expect(await rows.first().getAttribute('data-needs-manager')).toBe('true');
    expect(await rows.first().getAttribute('data-fee-minor')).toBe(String(price / 10));
    const refundedId = (await rows.first().getAttribute('data-ticket-id'))!;
    const [chosen] = await db.db.select().from(tickets).where(eq(tickets.id, refundedId));
    const code = chosen!.code;
    expect(evening.ticketCodes).toContain(code);
    await rows.nth(1).getByTestId('refund-ticket-check').uncheck();
    await expect.poll(() => page.getByTestId('refund-preview').getAttribute('data-amount-minor'), POLL).toBe(String(price - price / 10));
    await page.getByTestId('refund-reason').fill('cannot attend');
    await page.getByTestId('refund-confirm').click();
    await page.getByTestId('manager-approval').waitFor(POLL);
    await page.getByTestId('manager-select').selectOption({ label: 'Manager' });
    await page.getByTestId('manager-pin').fill('999999');
    await screenshot('refund-manager-pin');
    await page.getByTestId('refund-confirm').click();
    await expect.poll(() => page.getByTestId('refund-done').getAttribute('data-amount-minor'), POLL).toBe(String(price - price / 10));
    expect(await page.getByTestId('refund-done').textContent()).toContain(`Refunded ${printed(price - price / 10)} (fee ${printed(price / 10)})`);
    await screenshot('refund-done');
    const [atServer] = await db.db.select().from(tickets).where(eq(tickets.id, refundedId));
    expect(atServer!.status).toBe('refunded');

    // The gate learns of it and refuses the code from its scanner.
    await waitFor(() => gate.cache.ticketByCode(code)?.status === 'refunded', LONG, 'the refund at the gate');
    await scanner.scan(code, 'CR');
    await waitFor(() => verdicts.some((v) => v.code === code), LONG, 'the refunded code verdict');
    expect(verdicts.find((v) => v.code === code)).toMatchObject({ admitted: false, reason: 'revoked', ticketId: refundedId });
    await page.keyboard.press('Escape');
    await page.getByTestId('refund-panel').waitFor({ state: 'detached', ...POLL });
  });

  it('closes the day with a Z report whose counted cash is €5.00 short, shown and printed', async () => {
    const expected = FLOAT + sold.reduce((s, x) => s + x.cashMinor, 0) - REFUND;
    await page.keyboard.press('F8');
    await page.getByTestId('shift-current').waitFor(POLL);
    await page.getByTestId('shift-counted').fill(euros(expected - 500));
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('shift-report').getAttribute('data-kind'), POLL).toBe('z');
    expect(await page.getByTestId('report-sales').getAttribute('data-count')).toBe('20');
    expect(await page.getByTestId('report-sales').getAttribute('data-amount-minor')).toBe(String(sold.reduce((s, x) => s + x.totalMinor, 0)));
    expect(await page.getByTestId('report-expected').getAttribute('data-amount-minor')).toBe(String(expected));
    expect(await page.getByTestId('report-counted').getAttribute('data-amount-minor')).toBe(String(expected - 500));
    expect(await page.getByTestId('report-variance').getAttribute('data-amount-minor')).toBe('-500');
    expect(await page.getByTestId('report-variance').textContent()).toBe('-€5.00');
    const methods = await page.getByTestId('report-method').evaluateAll((els) => els.map((el) => [el.getAttribute('data-method'), Number(el.getAttribute('data-amount-minor'))]));
    expect(Object.fromEntries(methods)).toEqual({
      cash: sold.reduce((s, x) => s + x.cashMinor, 0),
      card_manual: sold.reduce((s, x) => s + x.cardMinor, 0),
    });
    await screenshot('z-report');
    expect(problems).toEqual([]);
  });

  it('printed every receipt, the reprint marked, the refund receipt and both reports with the variance', async () => {
    const texts = () => printer.jobs.map((j) => j.text);
    // Every job printed cleanly; the Z report is the last one.
    await waitFor(() => texts().some((t) => t.includes('Z REPORT')), LONG, 'the Z report at the printer');
    writeFileSync(join(SHOTS, 'printed.txt'), printer.jobs.map((j, i) => `---- job ${i + 1}\n${j.text}\n`).join(''));
    for (const j of printer.jobs) expect(j.errors, j.text).toEqual([]);
    const kindWord = { cash: 'Cash', card_manual: 'Card', split: 'Split payment' } as const;
    for (const s of sold) {
      const receipts = texts().filter((t) => t.includes('Receipt') && t.includes(`Order ${s.code}`));
      // The evening passes' receipt went out twice: once with the sale, once reprinted and so marked.
      expect(receipts, `receipts of sale ${s.n}`).toHaveLength(s === sold[2] ? 2 : 1);
      const receipt = receipts.find((t) => !t.includes('REPRINT'))!;
      expect(receipt).toContain(`Total  ${printed(s.totalMinor)}`);
      expect(receipt).toMatch(new RegExp(`^${kindWord[s.kind]}  €`, 'm'));
      if (s.kind !== 'card_manual') expect(receipt).toContain(`Change  ${printed(s.changeMinor)}`);
      // One ticket per admission, its QR code carrying the ticket's code, the order's under it.
      for (const c of s.ticketCodes) {
        const printedTickets = printer.jobs.filter((j) => j.qrData.includes(c));
        expect(printedTickets, `ticket ${c} of sale ${s.n}`).toHaveLength(1);
        expect(printedTickets[0]!.text.replace(/\n/g, '')).toContain(c);
        expect(printedTickets[0]!.text).toContain(`Order ${s.code}`);
      }
      expect(printer.jobs.find((j) => j.text.includes('Receipt') && j.text.includes(`Order ${s.code}`))!.qrData).toEqual([s.code]);
    }
    const reprint = texts().find((t) => t.includes('Receipt') && t.includes(`Order ${sold[2]!.code}`) && t.includes('REPRINT'))!;
    expect(reprint.split('\n')[0]).toBe('REPRINT 1');
    // The named seats: each ticket and the receipt say whom they are for.
    const named = texts().find((t) => t.includes(`Order ${sold[1]!.code}`) && t.includes('Receipt'))!;
    expect(named).toContain('2 x Named seat  €100.00\n  Holder: Anna Ivanova\n  Holder: Li Wei');
    const namedTickets = printer.jobs.filter((j) => sold[1]!.ticketCodes.includes(j.qrData[0] ?? '')).map((j) => j.text);
    expect(namedTickets.map((t) => /^Holder: (.+)$/m.exec(t)?.[1]).sort()).toEqual(['Anna Ivanova', 'Li Wei']);

    const refundReceipt = texts().find((t) => t.includes('Refund receipt'))!;
    expect(refundReceipt).toContain(`Order ${sold[2]!.code}`);
    expect(refundReceipt).toContain(`Ticket Evening pass  ${printed(EVENING_PRICE)}`);
    expect(refundReceipt).toContain(`Fee kept  ${printed(EVENING_PRICE - REFUND)}`);
    expect(refundReceipt).toContain(`Paid back (cash)  ${printed(REFUND)}`);
    expect(refundReceipt).toContain('Reason: cannot attend');
    expect(refundReceipt).toContain('Approved by: Manager');

    const cashSales = sold.filter((s) => s.cashMinor > 0);
    const cardSales = sold.filter((s) => s.cardMinor > 0);
    const xReports = texts().filter((t) => t.startsWith('X REPORT'));
    expect(xReports).toHaveLength(1);
    expect(xReports[0]).toContain(`Sales: 11 / ${printed(sold.slice(0, 11).reduce((s, x) => s + x.totalMinor, 0))}`);
    const z = texts().find((t) => t.startsWith('Z REPORT'))!;
    expect(z).toContain(`Sales: 20 / ${printed(sold.reduce((s, x) => s + x.totalMinor, 0))}`);
    expect(z).toContain(`Refunds: 1 / ${printed(REFUND)}`);
    expect(z).toContain(`Cash: ${cashSales.length} / ${printed(cashSales.reduce((s, x) => s + x.cashMinor, 0))}`);
    expect(z).toContain(`Card (manual): ${cardSales.length} / ${printed(cardSales.reduce((s, x) => s + x.cardMinor, 0))}`);
    const expected = FLOAT + sold.reduce((s, x) => s + x.cashMinor, 0) - REFUND;
    expect(z).toContain(`Expected cash: ${printed(expected)}`);
    expect(z).toContain(`Counted cash: ${printed(expected - 500)}`);
    expect(z).toContain('Variance: -€5.00');
  });

  it("holds at the server exactly the day's 20 orders, the refunded ticket, one voucher use and both reports", async () => {
    const all = await db.db.select().from(orders).where(eq(orders.eventId, eventId));
    expect(all.map((o) => o.id).sort()).toEqual(sold.map((s) => s.orderId).sort());
    for (const s of sold) {
      const o = all.find((x) => x.id === s.orderId)!;
      expect(o, `order ${s.n}`).toMatchObject({ code: s.code, totalMinor: s.totalMinor, paymentMethod: s.kind });
    }
    const [voucher] = await db.db.select().from(vouchers).where(and(eq(vouchers.eventId, eventId), eq(vouchers.code, 'TENOFF')));
    expect(voucher!.used).toBe(1);
    expect(all.find((o) => o.id === sold[0]!.orderId)).toMatchObject({ voucherId: voucher!.id, voucherUses: 1 });
    expect((await db.db.select().from(tickets).where(eq(tickets.orderId, sold[2]!.orderId))).map((t) => t.status).sort()).toEqual(['refunded', 'valid']);

    await waitFor(async () => (await db.db.select().from(shiftReports).where(eq(shiftReports.report, 'z'))).length === 1, LONG, 'the Z report at the server');
    const reports = await db.db.select().from(shiftReports);
    expect(reports.map((r) => r.report).sort()).toEqual(['x', 'z']);
    const z = reports.find((r) => r.report === 'z')!;
    expect(z).toMatchObject({ floatMinor: FLOAT, varianceMinor: -500 });
    expect(z.countedMinor).toBe(z.expectedCashMinor - 500);
    const totals = z.totals as ShiftTotals;
    expect(totals.sales).toEqual({ count: 20, amountMinor: sold.reduce((s, x) => s + x.totalMinor, 0) });
    expect(totals.refunds).toEqual({ count: 1, amountMinor: REFUND });
    const byMethod = Object.fromEntries(totals.byMethod.map((m) => [m.method, m]));
    const cashSales = sold.filter((s) => s.cashMinor > 0);
    const cardSales = sold.filter((s) => s.cardMinor > 0);
    expect(byMethod['cash']).toEqual({ method: 'cash', sales: { count: cashSales.length, amountMinor: cashSales.reduce((s, x) => s + x.cashMinor, 0) }, refunds: { count: 1, amountMinor: REFUND } });
    expect(byMethod['card_manual']).toEqual({ method: 'card_manual', sales: { count: cardSales.length, amountMinor: cardSales.reduce((s, x) => s + x.cardMinor, 0) }, refunds: { count: 0, amountMinor: 0 } });
    expect(Object.keys(byMethod).sort()).toEqual(['card_manual', 'cash']);
    expect(totals.expectedCashMinor).toBe(FLOAT + sold.reduce((s, x) => s + x.cashMinor, 0) - REFUND);
  });
});
