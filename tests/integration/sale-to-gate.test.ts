// One ticket carried from sale to gate, every step real: the central server (on PGlite and on a real
// PostgreSQL cluster), two terminals with real SQLite pairing over HTTP, a cash sale printed as ESC/POS
// over TCP to a printer simulator whose PNG's QR decodes to the ticket code, that code arriving from a
// serial scanner simulator on a socat PTY at the gate, a relay simulator on another PTY receiving the
// open pulse, the repeat scan refused, and the server listing the check-in.
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Verdict } from '../../electron/contract';
import { createCore, type Core } from '../../electron/core/core';
import { startEscPosSimulator } from '../../drivers/printers/escpos-simulator';
import { startLcusSimulator } from '../../drivers/relays/lcus-simulator';
import { startScannerSimulator } from '../../drivers/scanners/serial-scanner-simulator';
import { createPtyPair } from '../../drivers/testing/pty';
import { decodeQrFromPng } from '../../drivers/testing/qr-decode';
import { createServer } from '../../server/src/app';
import { openServerDb } from '../../server/src/db/client';
import { startPostgres } from '../helpers/postgres';
import { waitFor } from '../helpers/wait';
import { loginAs } from '../helpers/login';

const backends = [
  { name: 'PGlite', start: async () => ({ url: undefined as string | undefined, stop: async () => undefined }) },
  { name: 'PostgreSQL', start: async () => startPostgres() },
];

describe.each(backends)('sale to gate on $name', (backend) => {
  const cleanups: Array<() => Promise<unknown> | unknown> = [];
  let serverUrl: string;
  let adminToken: string;
  let boxOffice: Core;
  let gate: Core;
  let printer: Awaited<ReturnType<typeof startEscPosSimulator>>;
  let scanner: Awaited<ReturnType<typeof startScannerSimulator>>;
  let relay: Awaited<ReturnType<typeof startLcusSimulator>>;
  let work: string;

  const admin = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${serverUrl}/admin/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${adminToken}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        'x-admit-request-id': (await import('uuid')).v7(),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    expect(res.ok).toBe(true);
    return res.json() as Promise<Record<string, unknown>>;
  };
  const pair = async (core: Core, name: string) => {
    const { code } = (await admin('POST', '/pairing-codes', {})) as { code: string };
    const r = await core.dispatch('setup', 'terminal.pair', { serverUrl, code, terminalName: name });
    expect(r).toMatchObject({ ok: true, value: { paired: true, terminalName: name } });
  };

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'admit-path-'));
    cleanups.push(() => rmSync(work, { recursive: true, force: true }));
    const pg = await backend.start();
    cleanups.push(() => pg.stop());
    const db = await openServerDb(pg.url ? { databaseUrl: pg.url } : {});
    cleanups.push(() => db.close());
    const server = await createServer({ db, dataDir: join(work, 'server') });
    cleanups.push(() => server.close());
    serverUrl = (await server.listen({ host: '127.0.0.1', port: 0 })).url;
    adminToken = server.adminToken;
    // The demo event is created on the server.
    await server.admin.seedDemo({ tickets: 50 });

    printer = await startEscPosSimulator({ port: 0, outDir: join('artifacts', `path-${backend.name}`) });
    cleanups.push(() => printer.close());
    const scanPty = await createPtyPair();
    const relayPty = await createPtyPair();
    cleanups.push(() => scanPty.close(), () => relayPty.close());
    scanner = await startScannerSimulator(scanPty.devicePath);
    relay = await startLcusSimulator(relayPty.devicePath);
    cleanups.push(() => scanner.close(), () => relay.close());

    boxOffice = await createCore({ dataDir: join(work, 'box'), migrationsFolder: 'migrations/local', shell: 'service', demo: false, version: 'test' });
    cleanups.push(() => boxOffice.close());
    boxOffice.configureDevices([{ id: 'p1', name: 'Receipt printer', kind: 'printer', driver: 'escpos-tcp', host: '127.0.0.1', port: printer.port }]);
    await boxOffice.restartDevices();

    gate = await createCore({ dataDir: join(work, 'gate'), migrationsFolder: 'migrations/local', shell: 'service', demo: false, version: 'test' });
    cleanups.push(() => gate.close());
    gate.configureDevices([
      { id: 's1', name: 'Gate scanner', kind: 'scanner', driver: 'serial-scanner', path: scanPty.hostPath, baudRate: 9600, terminator: 'any' },
      { id: 'r1', name: 'Turnstile', kind: 'relay', driver: 'lcus-relay', path: relayPty.hostPath, baudRate: 9600, channel: 1, pulseMs: 200 },
    ]);
    await gate.restartDevices();
  });

  afterAll(async () => {
    for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => undefined);
  });

  let ticketCode = '';
  let ticketId = '';

  it('pairs both terminals and syncs the ticket types', async () => {
    await pair(boxOffice, 'Box office 1');
    await pair(gate, 'North gate');
    await waitFor(() => boxOffice.sync.isOnline && gate.sync.isOnline);
    await loginAs(boxOffice, 'cashier', { role: 'cashier' }, '111111');
    const catalog = await boxOffice.dispatch('cashier', 'boxOffice.catalog', {});
    expect(catalog.ok).toBe(true);
    if (!catalog.ok) return;
    const value = catalog.value as { ticketTypes: { name: Record<string, string> }[] };
    expect(value.ticketTypes.length).toBeGreaterThanOrEqual(3);
    expect(value.ticketTypes.map((t) => t.name['en'])).toContain('Day pass');
  });

  it('sells one ticket for cash and prints ticket and receipt with scannable QR codes', async () => {
    const catalog = await boxOffice.dispatch('cashier', 'boxOffice.catalog', {});
    if (!catalog.ok) throw new Error('catalog');
    const day = (catalog.value as { ticketTypes: { id: string; name: Record<string, string>; priceMinor: number }[] }).ticketTypes.find(
      (t) => t.name['en'] === 'Day pass',
    )!;
    const before = printer.jobs.length;
    const sale = await boxOffice.dispatch('cashier', 'boxOffice.sell', {
      lines: [{ ticketTypeId: day.id, quantity: 1 }],
      payment: { method: 'cash', tenderedMinor: day.priceMinor + 500 },
    });
    expect(sale).toMatchObject({ ok: true, value: { print: { state: 'printed' }, order: { changeMinor: 500, totalMinor: day.priceMinor } } });
    if (!sale.ok) return;
    const order = (sale.value as { order: { code: string; tickets: { id: string; code: string }[] } }).order;
    expect(order.tickets).toHaveLength(1);
    ticketCode = order.tickets[0]!.code;
    ticketId = order.tickets[0]!.id;

    await waitFor(() => printer.jobs.length >= before + 2);
    const [ticketJob, receiptJob] = printer.jobs.slice(before);
    expect(await decodeQrFromPng(ticketJob!.png)).toEqual([ticketCode]);
    expect(await decodeQrFromPng(receiptJob!.png)).toEqual([order.code]);
    // The amounts carry €, which the printer's CP437 lacks: those lines print as images, not text.
    expect(receiptJob!.text).toMatch(/Receipt\nOrder /);
    expect(receiptJob!.bytes.includes(Buffer.from([0x1d, 0x76, 0x30]))).toBe(true);
    mkdirSync('artifacts', { recursive: true });
    writeFileSync(join('artifacts', `path-${backend.name}-ticket.png`), ticketJob!.png);
    writeFileSync(join('artifacts', `path-${backend.name}-receipt.png`), receiptJob!.png);
  });

  it('admits the code from the serial scanner and pulses the turnstile relay', async () => {
    await waitFor(() => gate.cache.ticketByCode(ticketCode) !== undefined);
    const verdicts: Verdict[] = [];
    gate.events.on('event', (e) => {
      if (e.name === 'scan.verdict') verdicts.push(e.payload as Verdict);
    });
    const pulses: unknown[] = [];
    relay.on('pulse', (p: unknown) => pulses.push(p));
    await scanner.scan(ticketCode, 'CR');
    await waitFor(() => verdicts.length === 1);
    expect(verdicts[0]).toMatchObject({ admitted: true, reason: 'ok', code: ticketCode, ticketId, confirmation: 'confirmed' });
    await waitFor(() => pulses.length === 1);
    expect(pulses[0]).toMatchObject({ channel: 1 });

    await scanner.scan(ticketCode, 'CRLF');
    await waitFor(() => verdicts.length === 2);
    expect(verdicts[1]).toMatchObject({ admitted: false, reason: 'already_used' });
    expect(verdicts[1]!.firstUsedAt).toBe(verdicts[0]!.at);
    await new Promise((r) => setTimeout(r, 400));
    expect(pulses).toHaveLength(1);
  });

  it('ignores garbage from the scanner without a verdict or a crash', async () => {
    const verdicts: unknown[] = [];
    gate.events.on('event', (e) => e.name === 'scan.verdict' && verdicts.push(e.payload));
    await scanner.sendRaw(Buffer.from([0x00, 0xff, 0xfe, 0x1b, 0x0d]));
    await new Promise((r) => setTimeout(r, 300));
    expect(verdicts).toHaveLength(0);
    // The scanner still works afterwards.
    await scanner.scan('NOT-A-TICKET', 'CR');
    await waitFor(() => verdicts.length === 1);
    expect(verdicts[0]).toMatchObject({ admitted: false, reason: 'unknown' });
  });

  it('lists the check-in on the server, made by the gate', async () => {
    const list = (await admin('GET', '/checkins')) as unknown as { checkins: { ticketCode: string; deviceName: string; status: string }[] };
    const mine = list.checkins.filter((c) => c.ticketCode === ticketCode);
    expect(mine).toEqual([expect.objectContaining({ deviceName: 'North gate', status: 'accepted' })]);
  });

  it('the box office learns of the check-in through sync', async () => {
    await waitFor(() => boxOffice.checkins.history(ticketId).length === 1);
    expect(boxOffice.checkins.history(ticketId)[0]).toMatchObject({ state: 'accepted' });
  });
});
