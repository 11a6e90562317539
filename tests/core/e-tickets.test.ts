// E-tickets from the box office through the core's call path, for real: the central server on PGlite
// with a real SMTP server process behind it (tests/helpers/smtp-sink.ts), the terminal's core on SQLite
// paired over HTTP. A cashier sells, then boxOffice.sendTickets asks the server to email the order's
// tickets in the attendee's language; the message arrives with one QR image per ticket that decodes to
// the ticket's code, and boxOffice.deliveries shows it sent. A bad address, an address that bounces, a
// role that may not send, and the link down (offline) each end with a clear code; the request is in the
// terminal's audit trail.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REQUEST_ID_HEADER } from '../../domain/wire';
import type { CallOutput } from '../../electron/contract';
import { createCore, type Core } from '../../electron/core/core';
import { decodeQrFromPng } from '../../drivers/testing/qr-decode';
import { createServer, type AdmitServer } from '../../server/src/app';
import { openServerDb, type ServerDbHandle } from '../../server/src/db/client';
import { loginAs } from '../helpers/login';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink';
import { waitFor } from '../helpers/wait';

const quiet = { warn: () => undefined, error: () => undefined };

let work: string;
let db: ServerDbHandle;
let server: AdmitServer;
let core: Core;
let smtp: SmtpSink;
let dayPass: { id: string; priceMinor: number };

type Sale = CallOutput<'boxOffice.sell'>;
type Deliveries = CallOutput<'boxOffice.deliveries'>['deliveries'];

const sell = async (quantity: number): Promise<Sale> => {
  const r = await core.dispatch('till', 'boxOffice.sell', { lines: [{ ticketTypeId: dayPass.id, quantity }], payment: { method: 'cash', tenderedMinor: dayPass.priceMinor * quantity } });
  if (!r.ok) throw new Error(`sale failed: ${r.error.code}`);
  return r.value as Sale;
};
const deliveriesOf = async (orderId: string): Promise<Deliveries> => {
  const r = await core.dispatch('till', 'boxOffice.deliveries', { orderId });
  if (!r.ok) throw new Error(`deliveries failed: ${r.error.code}`);
  return (r.value as CallOutput<'boxOffice.deliveries'>).deliveries;
};
/** The call's answer; a refusal fails the test with its code. */
const value = <T>(r: { ok: true; value: unknown } | { ok: false; error: { code: string } }): T => {
  if (!r.ok) throw new Error(`call refused: ${r.error.code}`);
  return r.value as T;
};
const settled = async (orderId: string, deliveryId: string) => {
  let found: Deliveries[number] | undefined;
  await waitFor(async () => {
    found = (await deliveriesOf(orderId)).find((d) => d.id === deliveryId);
    return found !== undefined && found.state !== 'queued' && found.state !== 'sending';
  }, 60_000, 'the delivery to settle');
  return found!;
};

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'admit-e-tickets-'));
  smtp = await startSmtpSink();
  db = await openServerDb({});
  server = createServer({ db, dataDir: join(work, 'server') });
  const url = (await server.listen({ host: '127.0.0.1', port: 0 })).url;
  await server.admin.seedDemo({ tickets: 5 });
  const put = await server.app.inject({
    method: 'PUT',
    url: '/admin/v1/settings/mail',
    headers: { authorization: `Bearer ${server.adminToken}`, [REQUEST_ID_HEADER]: uuidv7(), 'content-type': 'application/json' },
    payload: JSON.stringify({ host: '127.0.0.1', port: smtp.port, security: 'none', user: null, from: 'tickets@example.com', fromName: 'Box office' }),
  });
  expect(put.statusCode).toBe(200);
  core = await createCore({ dataDir: join(work, 'box'), migrationsFolder: 'migrations/local', shell: 'service', demo: false, version: 't', logger: quiet, devices: { usbEvents: false } });
  await core.sync.pair(url, (await server.admin.createPairingCode()).code, 'Box office');
  core.sync.start();
  await core.sync.pull();
  await waitFor(() => core.sync.isOnline);
  expect(await loginAs(core, 'till', { role: 'cashier' }, '111111')).toMatchObject({ ok: true });
  const catalog = await core.dispatch('till', 'boxOffice.catalog', {});
  if (!catalog.ok) throw new Error('catalog');
  dayPass = (catalog.value as { ticketTypes: { id: string; name: Record<string, string>; priceMinor: number }[] }).ticketTypes[0]!;
}, 300_000);

afterAll(async () => {
  await core?.close();
  await server?.close();
  await db?.close();
  await smtp?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('e-tickets from the box office', () => {
  it('emails the order in Russian with one decodable QR per ticket, and the order shows it sent', async () => {
    const sale = await sell(2);
    const r = await core.dispatch('till', 'boxOffice.sendTickets', { orderId: sale.order.id, channel: 'email', address: ' olga@example.ru ', language: 'ru' });
    const { delivery } = value<CallOutput<'boxOffice.sendTickets'>>(r);
    expect(delivery).toMatchObject({ orderId: sale.order.id, channel: 'email', address: 'o***@example.ru', language: 'ru' });
    expect(await settled(sale.order.id, delivery.id)).toMatchObject({ state: 'sent', attempts: 1 });
    const mail = smtp.messages.find((m) => m.parsed.messageId === `<${delivery.id}@admit>`)!;
    expect(mail.to).toEqual(['olga@example.ru']);
    expect(mail.parsed.subject).toMatch(/^Ваши билеты на .+ \(2\)$/);
    expect(mail.parsed.text).toContain(`Билетов в заказе ${sale.order.code}: 2`);
    const codes = sale.order.tickets.map((t) => t.code).sort();
    const decoded = await Promise.all(mail.parsed.attachments.map((a) => decodeQrFromPng(a.content)));
    expect(decoded.flat().sort()).toEqual(codes);

    // The terminal's trail has the request, by the cashier, never with the address in full.
    expect(await loginAs(core, 'mgr', { role: 'manager' }, '999999')).toMatchObject({ ok: true });
    const trail = await core.dispatch('mgr', 'audit.list', { limit: 50 });
    const entry = value<CallOutput<'audit.list'>>(trail).entries.find((e) => e.action === 'tickets_sent' && e.subject === sale.order.id);
    expect(entry).toMatchObject({ operatorName: 'Cashier', result: 'ok' });
    expect(JSON.stringify(entry)).not.toContain('olga@');
  });

  it('a bad address is refused with invalid_email; an address that bounces ends bounced with recipient_rejected', async () => {
    const sale = await sell(1);
    const bad = await core.dispatch('till', 'boxOffice.sendTickets', { orderId: sale.order.id, channel: 'email', address: 'olga at example', language: 'en' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_email' } });
    const phone = await core.dispatch('till', 'boxOffice.sendTickets', { orderId: sale.order.id, channel: 'sms', address: '555', language: 'en' });
    expect(phone).toMatchObject({ ok: false, error: { code: 'invalid_phone' } });
    // SMS is not set up on this server.
    const sms = await core.dispatch('till', 'boxOffice.sendTickets', { orderId: sale.order.id, channel: 'sms', address: '+491701234567', language: 'en' });
    expect(sms).toMatchObject({ ok: false, error: { code: 'delivery_not_configured' } });
    expect(await deliveriesOf(sale.order.id)).toEqual([]);

    const r = await core.dispatch('till', 'boxOffice.sendTickets', { orderId: sale.order.id, channel: 'email', address: 'bounce@example.com', language: 'en' });
    const { delivery } = value<CallOutput<'boxOffice.sendTickets'>>(r);
    expect(await settled(sale.order.id, delivery.id)).toMatchObject({ state: 'bounced', errorCode: 'recipient_rejected', replyCode: 550 });
    // The sale stands: its tickets are still valid in the terminal's cache.
    for (const t of sale.order.tickets) expect(core.cache.ticketByCode(t.code)?.status).toBe('valid');
  });

  it('a gate operator may not send tickets', async () => {
    const sale = await sell(1);
    expect(await loginAs(core, 'gate', { role: 'gate' }, '222222')).toMatchObject({ ok: true });
    const r = await core.dispatch('gate', 'boxOffice.sendTickets', { orderId: sale.order.id, channel: 'email', address: 'a@example.com', language: 'en' });
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('offline, sending and reading deliveries are refused with offline and nothing is asked', async () => {
    const sale = await sell(1);
    const before = smtp.messages.length;
    await core.sync.stop();
    expect(core.sync.isOnline).toBe(false);
    const send = await core.dispatch('till', 'boxOffice.sendTickets', { orderId: sale.order.id, channel: 'email', address: 'a@example.com', language: 'en' });
    expect(send).toMatchObject({ ok: false, error: { code: 'offline' } });
    const read = await core.dispatch('till', 'boxOffice.deliveries', { orderId: sale.order.id });
    expect(read).toMatchObject({ ok: false, error: { code: 'offline' } });
    expect(smtp.messages.length).toBe(before);
  });
});
