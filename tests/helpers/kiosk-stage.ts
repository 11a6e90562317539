// Owns the stage of the kiosk's end-to-end tests, every part real: the renderer built for production and
// served by service mode's bridge from a kiosk core on real SQLite, paired with a server on PGlite; the
// kiosk's devices — a serial barcode scanner simulator and an ID-card (SAM) reader simulator, each on a
// socat PTY, and an Evolis card-printer simulator over TCP for badges — and Debian's Chromium whose
// camera is a fake device playing a Y4M video of a phone: its screen blank, or showing a ticket's QR code
// while a test holds one up (the welcome screen reads the camera all the time). The attendees are
// sold at the same terminal's box office (as a desk does), one of them marked unpaid at the server.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { v7 as uuidv7 } from 'uuid';
import { build } from 'vite';
import { defaultBadgeTemplate } from '../../domain/badge-template';
import { REQUEST_ID_HEADER } from '../../domain/wire';
import { createCore, type Core } from '../../electron/core/core';
import { startBridgeServer, type BridgeServer } from '../../electron/core/service/bridge-server';
import type { SamSimulator } from '../../drivers/id-readers/sam-simulator';
import {
  createPtyPair,
  SAMPLE_ID_CARD,
  startEvolisSimulator,
  startSamSimulator,
  startScannerSimulator,
  type EvolisSimulator,
  type PtyPair,
  type ScannerSimulator,
} from '../../drivers/simulators';
import { createServer, type AdmitServer } from '../../server/src/app';
import { openServerDb, type ServerDbHandle } from '../../server/src/db/client';
import { tickets } from '../../server/src/db/schema';
import { writeTx } from '../../server/src/db/writes';
import { DEMO_POINT_IDS } from '../../server/src/services/demo';
import { DEMO_BADGE_TEMPLATE_IDS } from '../../server/src/services/demo-badges';
import { loginAs } from './login';
import { qrVideo, swapQrVideo, writeQrVideo, type QrVideoOptions } from './qr-video';
import { waitFor } from './wait';

export const CHROMIUM = '/usr/bin/chromium';
const ROOT = resolve(__dirname, '../..');
const ADMIN = 'kiosk-e2e-admin';
const LONG = 120_000;
const quiet = { warn: () => undefined, error: () => undefined };
/** Chromium's own chatter that says nothing about the app. */
const KNOWN_NOISE = [/frame-ancestors.*ignored when delivered via a <meta> element/i];

/** The kiosk operator the screen signs in as, and the manager whose PIN opens staff screens. */
export const KIOSK_OPERATOR = { name: 'Kiosk 1', pin: '444444' };
export const MANAGER = { name: 'Manager', pin: '999999' };

/** Who comes to the kiosk, and how each finds themself. */
export const CAST = {
  /** Scans their code at the scanner, in English; has a seat, a room, a hotel, an agenda and a meal voucher. */
  alexandra: { name: 'Alexandra Smith', phone: '+49 170 1234567', type: 'day' },
  /** Scans in Chinese. */
  wang: { name: '王小明', phone: '+86 139 0000 1111', type: 'day' },
  /** Scans in Russian. */
  ivanov: { name: 'Иванов Пётр', phone: '+7 916 555 2233', type: 'day' },
  /** Holds their phone up to the camera. */
  bruno: { name: 'Bruno Keller', phone: '+41 79 555 8181', type: 'day' },
  /** Finds themself by the phone's last digits and their name's first letters. */
  maria: { name: 'Maria Lopez', phone: '+34 600 11 2299', type: 'day' },
  /** Taps their ID card (a real-name ticket). */
  zhang: { name: SAMPLE_ID_CARD.name, phone: '+86 138 0013 8000', type: 'named', idNumber: SAMPLE_ID_CARD.idNumber },
  /** Their ticket is unpaid: refused, sent to the help desk. */
  olga: { name: 'Olga Petrova', phone: '+7 903 111 4455', type: 'day' },
  /** Comes while the printer is out of cards. */
  peter: { name: 'Peter Brown', phone: '+44 7700 900123', type: 'day' },
  /** Walks away from the confirm screen: the idle reset clears it. */
  ida: { name: 'Ida Fischer', phone: '+49 151 7777 6543', type: 'day' },
} as const;
export type Who = keyof typeof CAST;
export type SoldTicket = { id: string; code: string; orderCode: string };

export type KioskStage = {
  work: string;
  db: ServerDbHandle;
  server: AdmitServer;
  serverUrl: string;
  eventId: string;
  kiosk: Core;
  bridge: BridgeServer;
  browser: Browser;
  printer: EvolisSimulator;
  scanner: ScannerSimulator;
  sam: SamSimulator;
  tickets: Record<Who, SoldTicket>;
  /** The Y4M file the fake camera plays. */
  video: string;
  /** Holds a phone showing `code` up to the camera (null: a phone with a blank screen). */
  holdUp(code: string | null): void;
  /** Console errors and warnings, page errors and CSP violations of every page opened. */
  problems: string[];
  /** One admin API call; fails the test on anything but 200. */
  admin(method: 'GET' | 'POST' | 'PATCH' | 'PUT', path: string, body?: unknown): Promise<Record<string, unknown>>;
  /** A contract call on the kiosk core as a signed-in session (a manager's, for alerts). */
  dispatch<T>(session: string, name: string, input: unknown): Promise<T>;
  /** A new page (its own UI session) at the kiosk, `viewport` as a kiosk screen is. */
  openPage(viewport: { width: number; height: number }, mode?: string): Promise<{ page: Page; context: BrowserContext }>;
  close(): Promise<void>;
};

export async function startKioskStage(opts: { shots?: string } = {}): Promise<KioskStage> {
  if (opts.shots) {
    rmSync(opts.shots, { recursive: true, force: true });
    mkdirSync(opts.shots, { recursive: true });
  }
  const work = mkdtempSync(join(tmpdir(), 'admit-kiosk-'));
  const closers: (() => Promise<unknown>)[] = [];
  const close = async () => {
    for (const c of closers.reverse()) await c().catch(() => undefined);
    rmSync(work, { recursive: true, force: true });
  };
  try {
    const outDir = join(work, 'ui');
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({ configFile: join(ROOT, 'vite.config.ts'), mode: 'production', logLevel: 'warn', build: { outDir, emptyOutDir: true, sourcemap: false } });
    } finally {
      process.env.NODE_ENV = nodeEnv;
    }

    const db = await openServerDb();
    closers.push(() => db.close());
    const server = createServer({ db, adminToken: ADMIN, dataDir: join(work, 'server') });
    closers.push(() => server.close());
    const serverUrl = (await server.listen({ host: '127.0.0.1', port: 0 })).url;
    const eventId = (await server.admin.seedDemo({ tickets: 0 })).eventId;

    const admin = async (method: 'GET' | 'POST' | 'PATCH' | 'PUT', path: string, body?: unknown) => {
      const headers: Record<string, string> = { authorization: `Bearer ${ADMIN}` };
      if (method !== 'GET') {
        headers['content-type'] = 'application/json';
        headers[REQUEST_ID_HEADER] = uuidv7();
      }
      const res = await fetch(`${serverUrl}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`${method} ${path}: ${res.status} ${text}`);
      return (text ? JSON.parse(text) : {}) as Record<string, unknown>;
    };

    // A real-name type (its holders found by ID card), the kiosk's operator, and the badge: the standard
    // layout with its QR code uncaptioned (a signed code is longer than the caption's box holds). The
    // kiosk's idle reset starts long so that no step of a busy machine runs into it; the idle case
    // shortens it.
    const namedId = ((await admin('POST', `/admin/v1/events/${eventId}/ticket-types`, { name: { en: 'Delegate' }, priceMinor: 9000, realName: true })).ticketType as { id: string }).id;
    await admin('POST', '/admin/v1/operators', { operators: [{ name: KIOSK_OPERATOR.name, role: 'kiosk', pin: KIOSK_OPERATOR.pin }] });
    const standard = defaultBadgeTemplate();
    const layout = { ...standard, elements: standard.elements.map((side) => side.map((e) => (e.type === 'code' ? { ...e, caption: false } : e))) };
    await admin('PUT', `/admin/v1/badge-templates/${DEMO_BADGE_TEMPLATE_IDS.standard}`, { eventId, name: 'Standard', isDefault: true, template: layout });
    await admin('PUT', `/admin/v1/events/${eventId}/kiosk-settings`, { idleResetS: 600, countdownS: 10, defaultLanguage: 'en', findByPhone: true, printBadge: true, helpDesk: null });

    // The kiosk's devices.
    const printer = await startEvolisSimulator();
    closers.push(() => printer.close());
    const scanLine: PtyPair = await createPtyPair();
    closers.push(() => scanLine.close());
    const scanner = await startScannerSimulator(scanLine.devicePath);
    closers.push(() => scanner.close());
    const idLine: PtyPair = await createPtyPair();
    closers.push(() => idLine.close());
    const sam = await startSamSimulator(idLine.devicePath, { card: null });
    closers.push(() => sam.close());

    const kiosk = await createCore({
      dataDir: join(work, 'kiosk'),
      migrationsFolder: 'migrations/local',
      shell: 'service',
      demo: false,
      version: 'test',
      logger: quiet,
      modes: ['kiosk', 'manager', 'box-office'],
      devices: { usbEvents: false },
    });
    closers.push(() => kiosk.close());
    kiosk.configureDevices([
      { id: 'kiosk-scanner', name: 'Kiosk scanner', kind: 'scanner', driver: 'serial-scanner', path: scanLine.hostPath, baudRate: 9600, terminator: 'any' },
      { id: 'id-reader', name: 'ID reader', kind: 'id-reader', driver: 'sam-serial', path: idLine.hostPath, pollMs: 200 },
      { id: 'badge-printer', name: 'Badge printer', kind: 'printer', driver: 'evolis', transport: { type: 'tcp', host: '127.0.0.1', port: printer.port }, kinds: ['badge'] },
    ] as Parameters<Core['configureDevices']>[0]);
    await kiosk.restartDevices();
    const { code } = await server.admin.createPairingCode();
    const paired = await kiosk.dispatch('setup', 'terminal.pair', { serverUrl, code, terminalName: 'Kiosk 1' });
    if (!paired.ok) throw new Error(`pairing refused: ${JSON.stringify(paired.error)}`);
    await admin('PATCH', `/admin/v1/terminals/${kiosk.sync.deviceId!}`, { pointId: DEMO_POINT_IDS.mainEntrance });
    await waitFor(() => kiosk.sync.isOnline && kiosk.gate.currentPoint().row?.id === DEMO_POINT_IDS.mainEntrance, LONG, 'the kiosk online at the main entrance');
    await waitFor(async () => {
      const r = await kiosk.dispatch('x', 'session.operators', {});
      return r.ok && (r.value as { role: string }[]).some((o) => o.role === 'kiosk');
    }, LONG, 'the kiosk operator at the kiosk');
    await waitFor(() => ['badge-printer', 'kiosk-scanner', 'id-reader'].every((id) => kiosk.devices.list().find((d) => d.id === id)?.state === 'connected'), LONG, 'the kiosk devices connected');

    const dispatch = async <T>(session: string, name: string, input: unknown): Promise<T> => {
      const r = await kiosk.dispatch(session, name, input);
      if (!r.ok) throw new Error(`${name} refused: ${JSON.stringify(r.error)}`);
      return r.value as T;
    };

    // The attendees, sold at this terminal's box office, each in an order of their own.
    const cashier = await loginAs(kiosk, 'stage-cashier', { role: 'cashier' }, '111111');
    if (!cashier.ok) throw new Error(`cashier sign-in refused: ${JSON.stringify(cashier.error)}`);
    type Catalog = { ticketTypes: { id: string; name: Record<string, string>; priceMinor: number }[] };
    await waitFor(async () => (await dispatch<Catalog>('stage-cashier', 'boxOffice.catalog', {})).ticketTypes.some((t) => t.id === namedId), LONG, 'the Delegate type at the kiosk');
    const catalog = await dispatch<Catalog>('stage-cashier', 'boxOffice.catalog', {});
    const day = catalog.ticketTypes.find((t) => t.name['en'] === 'Day pass')!;
    const named = catalog.ticketTypes.find((t) => t.id === namedId)!;
    const sold = {} as Record<Who, SoldTicket>;
    for (const [who, a] of Object.entries(CAST) as [Who, (typeof CAST)[Who]][]) {
      const type = a.type === 'named' ? named : day;
      const attendee = { ticketTypeId: type.id, index: 0, name: a.name, phone: a.phone, ...('idNumber' in a ? { idNumber: a.idNumber } : {}) };
      const r = await dispatch<{ order: { code: string; tickets: { id: string; code: string }[] } }>('stage-cashier', 'boxOffice.sell', {
        lines: [{ ticketTypeId: type.id, quantity: 1 }],
        attendees: [attendee],
        payment: { method: 'cash', tenderedMinor: type.priceMinor },
      });
      sold[who] = { id: r.order.tickets[0]!.id, code: r.order.tickets[0]!.code, orderCode: r.order.code };
    }
    await dispatch('stage-cashier', 'session.logout', {});

    // What Alexandra looks up after checking in: set by the organizer.
    const hour = 3_600_000;
    await admin('PUT', `/admin/v1/attendees/${sold.alexandra.id}/info`, {
      items: [
        { kind: 'seat', value: 'Hall B, row 7, seat 12' },
        { kind: 'room', value: 'Room 1204' },
        { kind: 'hotel', value: 'Hotel Adlon' },
        { kind: 'agenda', value: 'Keynote', at: new Date(Date.now() + 2 * hour).toISOString(), to: new Date(Date.now() + 3 * hour).toISOString(), place: 'Plenary hall' },
      ],
      entitlements: [{ kind: 'meal', label: null }],
    });
    await waitFor(async () => (await db.db.select({ id: tickets.id }).from(tickets).where(eq(tickets.id, sold.peter.id))).length === 1, LONG, 'the sales at the server');

    // Olga's ticket turns out unpaid (a payment taken back): the server marks it, and the change feed
    // brings it to the kiosk with the next sync.
    await writeTx(db.db, (tx) => tx.update(tickets).set({ paid: false, seq: sql`nextval('change_seq')` }).where(eq(tickets.id, sold.olga.id)));

    // The badge template has reached the kiosk, and so have ID hashes for the card tap.
    await waitFor(async () => (await kiosk.gate.ticketsByIdNumber(SAMPLE_ID_CARD.idNumber)).length === 1, LONG, "张三's ID hash at the kiosk");

    const videoOptions: QrVideoOptions = { width: 640, height: 480, fps: 10, seconds: 3 };
    const video = writeQrVideo(join(work, 'phone.y4m'), null, videoOptions);
    const holdUp = (code: string | null) => swapQrVideo(video, qrVideo(code, videoOptions));
    const bridge = await startBridgeServer(kiosk, { rendererDir: outDir });
    closers.push(() => bridge.close());
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--use-fake-ui-for-media-stream',
        '--use-fake-device-for-media-stream',
        `--use-file-for-fake-video-capture=${video}`,
      ],
    });
    closers.push(() => browser.close());

    const problems: string[] = [];
    const openPage = async (viewport: { width: number; height: number }, mode = 'kiosk') => {
      const context = await browser.newContext({ viewport, locale: 'en-US' });
      await context.grantPermissions(['camera'], { origin: new URL(bridge.url).origin });
      const page = await context.newPage();
      page.on('console', (msg) => {
        if ((msg.type() === 'error' || msg.type() === 'warning') && !KNOWN_NOISE.some((re) => re.test(msg.text()))) problems.push(`console.${msg.type()}: ${msg.text()}`);
      });
      page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
      await page.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
      });
      const url = new URL(bridge.url);
      url.searchParams.set('mode', mode);
      await page.goto(url.toString());
      return { page, context };
    };

    return { work, db, server, serverUrl, eventId, kiosk, bridge, browser, printer, scanner, sam, tickets: sold, video, holdUp, problems, admin, dispatch, openPage, close };
  } catch (e) {
    await close();
    throw e;
  }
}
