// Printed and emailed tickets of a session, and a real-name sale made on a lease, for real: the central
// server on PGlite with a real SMTP server behind it, the terminal's core on SQLite reaching it over a
// cuttable TCP link, the ESC/POS TCP printer simulator. The event (Europe/Moscow) starts at 01:00 on
// its wall clock, its evening session at 19:00: a ticket of a type for that session prints the
// session's start (reprinted too) and its e-ticket says it; a ticket of no session prints the event's. While the
// link is cut, a real-name sale on the lease prints its holder, the header's count of what waits to
// upload goes from 0 to 1, and back to 0 once the link returns and the sale is uploaded — the server
// then holding the same holder details as were given at the till.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idNumberHash } from '../../domain/hashing';
import { REQUEST_ID_HEADER } from '../../domain/wire';
import type { CallOutput, SyncStatus } from '../../electron/contract';
import { createCore, type Core } from '../../electron/core/core';
import { startEscPosSimulator, type EscPosSimulator } from '../../drivers/simulators';
import { createServer, type AdmitServer } from '../../server/src/app';
import { openServerDb, type ServerDbHandle } from '../../server/src/db/client';
import { events, tickets } from '../../server/src/db/schema';
import { type Link, startLink } from '../helpers/link';
import { loginAs } from '../helpers/login';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink';
import { waitFor } from '../helpers/wait';

const quiet = { warn: () => undefined, error: () => undefined };
const LONG = 60_000;
type Sale = CallOutput<'boxOffice.sell'>;

// Tomorrow 22:00 UTC is 01:00 the day after in Moscow (UTC+3 all year); the session 18 hours later is
// 19:00 there.
const eventStart = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate() + 1, 22));
const sessionStart = new Date(eventStart.getTime() + 18 * 3_600_000);

let work: string;
let db: ServerDbHandle;
let server: AdmitServer;
let link: Link;
let core: Core;
let printer: EscPosSimulator;
let smtp: SmtpSink;
let eventId: string;
let dayId: string;
let eveningId: string;
let namedId: string;
const statuses: SyncStatus[] = [];

async function admin(method: 'POST' | 'PUT', url: string, body: unknown): Promise<Record<string, { id: string }>> {
  const res = await server.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${server.adminToken}`, [REQUEST_ID_HEADER]: uuidv7(), 'content-type': 'application/json' },
    payload: JSON.stringify(body),
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}
const sell = async (input: Record<string, unknown>): Promise<Sale> => {
  const r = await core.dispatch('till', 'boxOffice.sell', input);
  if (!r.ok) throw new Error(`sale refused: ${r.error.code} ${r.error.detail ?? ''}`);
  return r.value as Sale;
};
/** The printed text of the ticket whose QR code carries `code`. */
const printedTicket = async (code: string): Promise<string> => {
  await waitFor(() => printer.jobs.some((j) => j.qrData.includes(code)), LONG, `ticket ${code} at the printer`);
  return printer.jobs.find((j) => j.qrData.includes(code))!.text;
};
const waiting = () => core.sync.status().pendingOutbox;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'admit-session-tickets-'));
  smtp = await startSmtpSink();
  db = await openServerDb({});
  server = createServer({ db, dataDir: join(work, 'server') });
  const url = (await server.listen({ host: '127.0.0.1', port: 0 })).url;
  await admin('PUT', '/admin/v1/settings/mail', { host: '127.0.0.1', port: smtp.port, security: 'none', user: null, from: 'tickets@example.com', fromName: 'Box office' });
  const event = await server.admin.createEvent({
    name: { en: 'Winter festival' },
    startsAt: eventStart.toISOString(),
    endsAt: new Date(eventStart.getTime() + 2 * 86_400_000).toISOString(),
    timezone: 'Europe/Moscow',
    currency: 'EUR',
    ticketTypes: [{ name: { en: 'Day pass' }, priceMinor: 1000, capacity: 50 }],
  });
  eventId = event.id;
  dayId = event.ticketTypes[0]!.id;
  const session = (await admin('POST', `/admin/v1/events/${eventId}/sessions`, {
    name: { en: 'Evening' },
    startsAt: sessionStart.toISOString(),
    endsAt: new Date(sessionStart.getTime() + 3 * 3_600_000).toISOString(),
  })).session!.id;
  eveningId = (await admin('POST', `/admin/v1/events/${eventId}/ticket-types`, { name: { en: 'Evening pass' }, priceMinor: 2000, capacity: 50, sessionId: session })).ticketType!.id;
  namedId = (await admin('POST', `/admin/v1/events/${eventId}/ticket-types`, { name: { en: 'Named seat' }, priceMinor: 5000, capacity: 50, realName: true })).ticketType!.id;
  await server.admin.createOperators([{ name: 'Cass', role: 'cashier', pin: '111111' }]);

  printer = await startEscPosSimulator({ port: 0 });
  link = await startLink(Number(new URL(url).port));
  core = await createCore({
    dataDir: join(work, 'box'),
    migrationsFolder: 'migrations/local',
    shell: 'service',
    demo: false,
    version: 't',
    logger: quiet,
    leases: { size: 2, lowWater: 1 },
    devices: { usbEvents: false, printerPollMs: 100, printRetryInitialMs: 50, printRetryMaxMs: 200 },
  });
  core.events.on('event', (e) => e.name === 'sync.status' && statuses.push(e.payload as SyncStatus));
  core.configureDevices([{ id: 'till-printer', name: 'Till printer', kind: 'printer', driver: 'escpos', transport: { type: 'tcp', host: '127.0.0.1', port: printer.port } }]);
  await core.restartDevices();
  await core.sync.pair(link.url, (await server.admin.createPairingCode({ eventIds: [eventId] })).code, 'Box office');
  core.sync.start();
  await waitFor(() => core.sync.isOnline && core.cache.catalog().types.length === 3 && core.cache.sessions(eventId).length === 1, LONG, 'online with the catalog');
  expect(await loginAs(core, 'till', { name: 'Cass' }, '111111')).toMatchObject({ ok: true });
  await waitFor(() => core.devices.list().find((d) => d.id === 'till-printer')?.state === 'connected', LONG, 'the printer connected');
}, 300_000);

afterAll(async () => {
  await core?.close();
  await link?.close();
  await printer?.close();
  await server?.close();
  await db?.close();
  await smtp?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('a ticket of a session', () => {
  it("prints its session's start on the event's wall clock; a day pass prints the event's", async () => {
    const sale = await sell({
      lines: [
        { ticketTypeId: eveningId, quantity: 1 },
        { ticketTypeId: dayId, quantity: 1 },
      ],
      payment: { method: 'cash', tenderedMinor: 3000 },
    });
    const evening = sale.order.tickets.find((t) => t.ticketTypeId === eveningId)!;
    const day = sale.order.tickets.find((t) => t.ticketTypeId === dayId)!;
    const eveningText = await printedTicket(evening.code);
    expect(eveningText).toContain('Evening pass');
    expect(eveningText).toMatch(/^Starts .*19:00 GMT\+3$/m);
    expect(eveningText).not.toMatch(/01:00/);
    const dayText = await printedTicket(day.code);
    expect(dayText).toMatch(/^Starts .*01:00 GMT\+3$/m);

    // Reprinted, it still says its session's start.
    const r = await core.dispatch('till', 'boxOffice.reprint', { orderId: sale.order.id, what: 'ticket', ticketId: evening.id, reason: 'damaged' });
    if (!r.ok) throw new Error(`reprint refused: ${r.error.code}`);
    await waitFor(() => printer.jobs.filter((j) => j.qrData.includes(evening.code)).length === 2, LONG, 'the reprint at the printer');
    const copy = printer.jobs.filter((j) => j.qrData.includes(evening.code))[1]!.text;
    expect(copy).toMatch(/^REPRINT 1$/m);
    expect(copy).toMatch(/^Starts .*19:00 GMT\+3$/m);
  });

  it("is emailed with its session's start in the event's zone", async () => {
    const sale = await sell({ lines: [{ ticketTypeId: eveningId, quantity: 1 }], payment: { method: 'cash', tenderedMinor: 2000 } });
    const r = await core.dispatch('till', 'boxOffice.sendTickets', { orderId: sale.order.id, channel: 'email', address: 'olga@example.com', language: 'en' });
    if (!r.ok) throw new Error(`sendTickets refused: ${r.error.code}`);
    const { delivery } = r.value as CallOutput<'boxOffice.sendTickets'>;
    await waitFor(() => smtp.messages.some((m) => m.parsed.messageId === `<${delivery.id}@admit>`), LONG, 'the e-ticket at the SMTP server');
    const mail = smtp.messages.find((m) => m.parsed.messageId === `<${delivery.id}@admit>`)!;
    expect(mail.parsed.text).toContain('Session: Evening');
    expect(mail.parsed.text).toMatch(/^Date: .* 7:00\sPM$/m);
    expect(mail.parsed.text).not.toMatch(/1:00\sAM/);
  });
});

describe('a real-name sale on the lease while the link is cut', () => {
  it('prints its holder, counts as waiting to upload until the link returns, and the server keeps the holder', async () => {
    await waitFor(async () => {
      await core.leases.keep();
      return core.leases.free(namedId) >= 1 && core.leases.free(eveningId) >= 1;
    }, LONG, 'leases of named seats and evening passes');
    await waitFor(() => waiting() === 0, LONG, 'nothing waiting to upload');
    link.cut(3_600_000);
    await waitFor(() => !core.sync.isOnline, LONG, 'the till to notice the link is down');
    const statusesBefore = statuses.length;

    const sale = await sell({
      lines: [
        { ticketTypeId: namedId, quantity: 1 },
        { ticketTypeId: eveningId, quantity: 1 },
      ],
      attendees: [{ ticketTypeId: namedId, index: 0, name: ' Anna Ivanova ', idNumber: '4510 123456', phone: '+7 916 123-45-67' }],
      payment: { method: 'cash', tenderedMinor: 7000 },
    });
    expect(core.leases.sales().map((s) => s.orderId)).toContain(sale.order.id);
    // The header's count: the sale waits to upload, and the screen was told so.
    expect(waiting()).toBe(1);
    expect(statuses.slice(statusesBefore).some((s) => s.pendingOutbox === 1)).toBe(true);

    const named = sale.order.tickets.find((t) => t.ticketTypeId === namedId)!;
    const evening = sale.order.tickets.find((t) => t.ticketTypeId === eveningId)!;
    const namedText = await printedTicket(named.code);
    expect(namedText).toMatch(/^Holder: Anna Ivanova$/m);
    expect(namedText).toMatch(/^Starts .*01:00 GMT\+3$/m);
    expect(await printedTicket(evening.code)).toMatch(/^Starts .*19:00 GMT\+3$/m);
    const receipt = printer.jobs.find((j) => j.qrData.includes(sale.order.code))!.text;
    expect(receipt).toMatch(/^ {2}Holder: Anna Ivanova$/m);
    expect(core.cache.ticketById(named.id)?.attendeeName).toBe('Anna Ivanova');
    expect(await db.db.select().from(tickets).where(eq(tickets.id, named.id))).toEqual([]);

    link.heal();
    await waitFor(async () => (await db.db.select().from(tickets).where(eq(tickets.id, named.id))).length === 1, LONG, 'the sale at the server');
    await waitFor(() => waiting() === 0, LONG, 'the count back to 0');
    await waitFor(() => statuses.at(-1)?.pendingOutbox === 0, LONG, 'the screen told the count is 0');

    const [event] = await db.db.select().from(events).where(eq(events.id, eventId));
    const [stored] = await db.db.select().from(tickets).where(eq(tickets.id, named.id));
    expect(stored).toMatchObject({
      orderId: sale.order.id,
      attendeeName: 'Anna Ivanova',
      phone: '+79161234567',
      phoneLast4: '4567',
      idHash: await idNumberHash('4510 123456', event!.idSalt),
    });
    const [other] = await db.db.select().from(tickets).where(eq(tickets.id, evening.id));
    expect(other).toMatchObject({ orderId: sale.order.id, attendeeName: null, idHash: null });
    // The till's cache now holds the server's row, with the same holder.
    expect(core.cache.ticketById(named.id)?.attendeeName).toBe('Anna Ivanova');
  });
});
