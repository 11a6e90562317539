// E-tickets through the real path: the box office asks the server (HTTP, request ids) to send an order's
// tickets; the server sends in the background through a real SMTP server process on a random port
// (tests/helpers/smtp-sink.ts) or the simulated SMS provider. Each message is parsed with mailparser:
// subject and text in Russian and Chinese, one QR PNG per ticket that decodes to the ticket's code. A
// recipient refused with 550 ends bounced with a clear code and nothing else changed; a 451 is retried
// and then sent; a retried request sends once; the SMTP password is sealed, write-only and never
// returned. On PGlite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { decodeQrFromPng } from '../../drivers/testing/qr-decode';
import { deliveries, deliverySettings, orders, tickets } from '../../server/src/db/schema';
import { startSmsSimulator, type SmsSimulator } from '../../server/src/delivery/sms-simulator';
import type { AdmitServer } from '../../server/src/app';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink';
import { waitFor } from '../helpers/wait';
import { type Backend, backends, bindEveryDevice, call, expectError, makeServer, openBackend, orderBody, pairTerminal, TestClock, uuidv7 } from './harness';

const ADMIN = 'test-admin-token';
/** Ten days ahead at 16:00 UTC (19:00 in Moscow), so its tickets are on sale whenever the test runs. */
const STARTS = new Date(Math.floor(Date.now() / 86_400_000 + 10) * 86_400_000 + 16 * 3_600_000);
const ENDS = new Date(STARTS.getTime() + 6 * 3_600_000);

describe.each(backends)('e-tickets (%s)', (backendName) => {
  let backend: Backend;
  let server: AdmitServer;
  let smtp: SmtpSink;
  let sms: SmsSimulator;
  let terminal: { deviceId: string; token: string };
  let outsider: { deviceId: string; token: string };
  let cashierId: string;
  let gateId: string;
  let eventId: string;
  let typeId: string;
  const clock = new TestClock();
  const logLines: string[] = [];

  beforeAll(async () => {
    backend = await openBackend(backendName);
    // Retries come quickly here: the 451 case waits for the second attempt.
    server = makeServer(backend, { now: clock.now, logger: { level: 'debug', stream: { write: (line: string) => void logLines.push(line) } }, delivery: { retryDelaysMs: [50, 50, 50], smtpTimeoutMs: 60_000 } });
    await server.app.ready();
    smtp = await startSmtpSink();
    sms = await startSmsSimulator({ apiKey: 'sim-key-123' });
    terminal = await pairTerminal(server, 'Box office 1');
    const [cashier, gate] = await server.admin.createOperators([
      { name: 'Cy Cashier', role: 'cashier', pin: '112233' },
      { name: 'Gil Gate', role: 'gate', pin: '445566' },
    ]);
    cashierId = cashier!.id;
    gateId = gate!.id;
    const event = await server.admin.createEvent({
      name: { en: 'Winter Jazz', ru: 'Зимний джаз', 'zh-CN': '冬季爵士音乐节' },
      startsAt: STARTS.toISOString(),
      endsAt: ENDS.toISOString(),
      timezone: 'Europe/Moscow',
      currency: 'RUB',
      languages: ['en', 'ru', 'zh-CN'],
      defaultLanguage: 'ru',
      ticketTypes: [{ name: { en: 'Standing', ru: 'Танцпол', 'zh-CN': '站票' }, priceMinor: 150_000, capacity: null }],
    });
    eventId = event.id;
    typeId = event.ticketTypes[0]!.id;
    await bindEveryDevice(server, eventId);
    outsider = await pairTerminal(server, 'Elsewhere');
    // A terminal of other events: it may not send this event's tickets.
    await server.admin.setDeviceEvents(outsider.deviceId, []);
  }, 300_000);

  afterAll(async () => {
    await server?.close();
    await smtp?.close();
    await sms?.close();
    await backend?.close();
  });

  const sell = async (quantity: number) => {
    const res = await call(server.app, 'POST', '/v1/orders', { token: terminal.token, body: orderBody(eventId, [{ ticketTypeId: typeId, quantity }]) });
    expect(res.status).toBe(200);
    return res.json as { order: { id: string; code: string }; tickets: { id: string; code: string }[] };
  };
  const send = (orderId: string, body: Record<string, unknown>, token = terminal.token) =>
    call(server.app, 'POST', `/v1/orders/${orderId}/deliveries`, { token, body: { deliveryId: uuidv7(), operatorId: cashierId, ...body } });
  const list = async (orderId: string) => {
    const res = await call(server.app, 'GET', `/v1/orders/${orderId}/deliveries`, { token: terminal.token });
    expect(res.status).toBe(200);
    return res.json.deliveries as Array<{ id: string; state: string; attempts: number; errorCode: string | null; replyCode: number | null; address: string; sentAt: string | null }>;
  };
  const settled = async (orderId: string, deliveryId: string) => {
    let found: Awaited<ReturnType<typeof list>>[number] | undefined;
    await waitFor(async () => {
      found = (await list(orderId)).find((d) => d.id === deliveryId);
      return found !== undefined && found.state !== 'queued' && found.state !== 'sending';
    }, 60_000, `delivery ${deliveryId} to settle`);
    return found!;
  };
  const mailFor = (deliveryId: string) => smtp.messages.filter((m) => m.parsed.messageId === `<${deliveryId}@admit>`);

  it('refuses to send before the organizer set up mail, and keeps the settings password write-only and sealed', async () => {
    const { order } = await sell(1);
    expectError(await send(order.id, { channel: 'email', address: 'anna@example.com', language: 'en' }), 409, 'delivery_not_configured');

    const withPassword = await call(server.app, 'PUT', '/admin/v1/settings/mail', {
      token: ADMIN,
      body: { host: 'smtp.example.com', port: 587, security: 'starttls', user: 'box', password: 'hunter2-very-secret', from: 'tickets@example.com', fromName: 'Winter Jazz' },
    });
    expect(withPassword.status).toBe(200);
    expect(withPassword.json).toMatchObject({ configured: true, passwordSet: true, user: 'box', security: 'starttls' });
    const read = await call(server.app, 'GET', '/admin/v1/settings/mail', { token: ADMIN });
    expect(JSON.stringify(read.json)).not.toContain('hunter2');
    const [row] = await backend.handle.db.select().from(deliverySettings).where(eq(deliverySettings.channel, 'email'));
    expect(row!.secret).toMatch(/^k1:/);
    expect(JSON.stringify(row)).not.toContain('hunter2');
    // Only the admin sets it; a terminal's token is not enough.
    expectError(await call(server.app, 'GET', '/admin/v1/settings/mail', { token: terminal.token }), 401, 'unauthorized');
    // A plain connection never carries a password.
    expectError(
      await call(server.app, 'PUT', '/admin/v1/settings/mail', { token: ADMIN, body: { host: '127.0.0.1', port: smtp.port, security: 'none', user: 'box', password: 'x', from: 'tickets@example.com' } }),
      400,
      'bad_request',
    );
    const local = await call(server.app, 'PUT', '/admin/v1/settings/mail', {
      token: ADMIN,
      body: { host: '127.0.0.1', port: smtp.port, security: 'none', user: null, from: 'tickets@example.com', fromName: 'Winter Jazz' },
    });
    expect(local.json).toMatchObject({ configured: true, passwordSet: false, port: smtp.port });
    const trail = await server.admin.listAuditEntries({ chain: 'server', limit: 1000 });
    const changes = trail.filter((e) => e.action === 'mail_settings_updated');
    expect(changes.length).toBe(2);
    expect(changes.map((e) => e.detail).join()).not.toContain('hunter2');
    expect(changes.every((e) => e.detail.includes('"actor":"admin_token"'))).toBe(true);
    expect(changes.map((e) => JSON.parse(e.detail).credentials).sort()).toEqual(['none', 'replaced']);
  });

  it('emails the order in Russian: subject and text in Russian, one QR PNG per ticket that decodes to its code', async () => {
    const { order, tickets: sold } = await sell(2);
    const res = await send(order.id, { channel: 'email', address: 'anna@example.com', language: 'ru' });
    expect(res.status).toBe(200);
    expect(res.json.delivery).toMatchObject({ state: 'queued', channel: 'email', address: 'a***@example.com', ticketIds: sold.map((t) => t.id) });
    const delivery = await settled(order.id, res.json.delivery.id);
    expect(delivery).toMatchObject({ state: 'sent', attempts: 1, errorCode: null });
    const [mail] = mailFor(delivery.id);
    expect(mail!.to).toEqual(['anna@example.com']);
    expect(mail!.parsed.subject).toBe('Ваши билеты на Зимний джаз (2)');
    expect(mail!.parsed.text).toContain(`Билетов в заказе ${order.code}: 2`);
    expect(mail!.parsed.text).toContain('Билет: Танцпол');
    // 19:00 in Moscow (UTC+3), as the event's time zone shows it, the month in Russian.
    expect(mail!.parsed.text).toContain(new Intl.DateTimeFormat('ru', { timeZone: 'Europe/Moscow', day: 'numeric', month: 'long', year: 'numeric' }).format(STARTS).replace(/ г\.$/, ''));
    expect(mail!.parsed.text).toContain('19:00');
    expect(mail!.parsed.html).toContain('Зимний джаз');
    const images = mail!.parsed.attachments.filter((a) => a.contentType === 'image/png');
    expect(images.length).toBe(2);
    for (const t of sold) {
      const image = images.find((a) => a.cid === `ticket-${t.id}@admit`);
      expect(image, `QR image of ticket ${t.id}`).toBeDefined();
      expect(mail!.parsed.html).toContain(`cid:ticket-${t.id}@admit`);
      expect(await decodeQrFromPng(image!.content)).toEqual([t.code]);
    }
  });

  it('emails in Chinese, and a retried request (same delivery id) sends once', async () => {
    const { order, tickets: sold } = await sell(1);
    const deliveryId = uuidv7();
    const first = await send(order.id, { deliveryId, channel: 'email', address: 'li.wei@example.cn', language: 'zh-CN' });
    expect(first.status).toBe(200);
    // The answer was lost: the terminal sends the same delivery again under a fresh request id.
    const again = await send(order.id, { deliveryId, channel: 'email', address: 'li.wei@example.cn', language: 'zh-CN' });
    expect(again.status).toBe(200);
    expect(again.json.delivery.id).toBe(deliveryId);
    const delivery = await settled(order.id, deliveryId);
    expect(delivery.state).toBe('sent');
    // Another delivery after it arrives too; by then a second copy of the first would have as well.
    const later = await send(order.id, { channel: 'email', address: 'li.wei@example.cn', language: 'en' });
    await settled(order.id, later.json.delivery.id);
    expect(mailFor(later.json.delivery.id).length).toBe(1);
    const copies = mailFor(deliveryId);
    expect(copies.length).toBe(1);
    expect(copies[0]!.parsed.subject).toBe('您的冬季爵士音乐节门票（1张）');
    expect(copies[0]!.parsed.text).toContain('票种: 站票');
    expect(copies[0]!.parsed.text).toContain(`这是订单 ${order.code} 的 1 张门票`);
    const [image] = copies[0]!.parsed.attachments;
    expect(await decodeQrFromPng(image!.content)).toEqual([sold[0]!.code]);
    expect((await list(order.id)).map((d) => d.id)).toEqual([deliveryId, later.json.delivery.id]);
    // The same id with other content is refused, not sent.
    expectError(await send(order.id, { deliveryId, channel: 'email', address: 'other@example.cn', language: 'zh-CN' }), 409, 'conflict');
  });

  it('an address the mail server refuses (550) ends bounced with a clear code; the order and its tickets stay as they were', async () => {
    const { order } = await sell(2);
    const ticketsBefore = await backend.handle.db.select().from(tickets).where(eq(tickets.orderId, order.id));
    const [orderBefore] = await backend.handle.db.select().from(orders).where(eq(orders.id, order.id));
    const received = smtp.messages.length;
    const res = await send(order.id, { channel: 'email', address: 'bounce@example.com', language: 'en' });
    expect(res.status).toBe(200);
    const delivery = await settled(order.id, res.json.delivery.id);
    expect(delivery).toMatchObject({ state: 'bounced', errorCode: 'recipient_rejected', replyCode: 550, attempts: 1, sentAt: null, address: 'b***@example.com' });
    expect(smtp.messages.length).toBe(received);
    expect(smtp.refusals.filter((r) => r.to === 'bounce@example.com')).toEqual([{ to: 'bounce@example.com', code: 550 }]);
    expect(await backend.handle.db.select().from(tickets).where(eq(tickets.orderId, order.id))).toEqual(ticketsBefore);
    expect((await backend.handle.db.select().from(orders).where(eq(orders.id, order.id)))[0]).toEqual(orderBefore);
  });

  it('a recipient told to try later (451) is retried, then sent', async () => {
    const { order } = await sell(1);
    const res = await send(order.id, { channel: 'email', address: 'later@example.com', language: 'en' });
    const delivery = await settled(order.id, res.json.delivery.id);
    expect(delivery).toMatchObject({ state: 'sent', attempts: 2, errorCode: null });
    expect(smtp.refusals.filter((r) => r.to === 'later@example.com')).toEqual([{ to: 'later@example.com', code: 451 }]);
    expect(mailFor(delivery.id).length).toBe(1);
    expect(mailFor(delivery.id)[0]!.parsed.subject).toBe('Your ticket for Winter Jazz');
  });

  it('refuses a bad address, an operator who may not sell, and an order of an event the terminal does not serve, with nothing queued', async () => {
    const { order } = await sell(1);
    expectError(await send(order.id, { channel: 'email', address: 'not-an-address', language: 'en' }), 400, 'invalid_email');
    expectError(await send(order.id, { channel: 'email', address: 'anna@@example.com', language: 'en' }), 400, 'invalid_email');
    expectError(await send(order.id, { channel: 'sms', address: '12345', language: 'en' }), 400, 'invalid_phone');
    expectError(await send(order.id, { channel: 'email', address: 'anna@example.com', language: 'en', operatorId: gateId }), 403, 'forbidden');
    expectError(await send(order.id, { channel: 'email', address: 'anna@example.com', language: 'en' }, outsider.token), 403, 'forbidden_event');
    expectError(await send(uuidv7(), { channel: 'email', address: 'anna@example.com', language: 'en' }), 404, 'not_found');
    expectError(await call(server.app, 'GET', `/v1/orders/${order.id}/deliveries`, {}), 401, 'unauthorized');
    expect(await backend.handle.db.select().from(deliveries).where(eq(deliveries.orderId, order.id))).toEqual([]);
  });

  it('sends an SMS with the codes through the simulated provider', async () => {
    const { order, tickets: sold } = await sell(2);
    expectError(await send(order.id, { channel: 'sms', address: '+7 912 345-67-89', language: 'ru' }), 409, 'delivery_not_configured');
    const put = await call(server.app, 'PUT', '/admin/v1/settings/sms', { token: ADMIN, body: { provider: 'simulated', url: sms.url, sender: 'WinterJazz', apiKey: 'sim-key-123' } });
    expect(put.json).toEqual({ configured: true, provider: 'simulated', url: sms.url, sender: 'WinterJazz', apiKeySet: true });
    expectError(
      await call(server.app, 'PUT', '/admin/v1/settings/sms', { token: ADMIN, body: { provider: 'simulated', url: 'http://sms.example.com/x', sender: 'X' } }),
      400,
      'bad_request',
    );
    const res = await send(order.id, { channel: 'sms', address: '+7 912 345-67-89', language: 'ru' });
    expect(res.status).toBe(200);
    expect(res.json.delivery.address).toBe('+7******6789');
    const delivery = await settled(order.id, res.json.delivery.id);
    expect(delivery.state).toBe('sent');
    const message = sms.messages.find((m) => m.id === delivery.id)!;
    expect(message.to).toBe('+79123456789');
    expect(message.from).toBe('WinterJazz');
    expect(message.text).toContain(`Зимний джаз, заказ ${order.code}`);
    for (const t of sold) expect(message.text).toContain(`Танцпол: ${t.code}`);

    // A number the provider refuses for good ends failed with its code.
    sms.refuse.add('+15550100');
    const refused = await send(order.id, { channel: 'sms', address: '+15550100', language: 'en' });
    expect(await settled(order.id, refused.json.delivery.id)).toMatchObject({ state: 'failed', errorCode: 'sms_rejected' });
    const trail = await server.admin.listAuditEntries({ chain: 'server', limit: 1000 });
    const sent = trail.filter((e) => e.action === 'tickets_sent' && e.subject === order.id);
    expect(sent.length).toBe(2);
    expect(sent.map((e) => JSON.parse(e.detail).address).sort()).toEqual(['+1***0100', '+7******6789']);
    expect(sent.map((e) => e.detail).join()).not.toContain('+79123456789');
  });

  it('logs deliveries by id and outcome, never a password, an API key or an address', () => {
    const logs = logLines.join('');
    expect(logs).toContain('tickets delivered');
    expect(logs).toContain('recipient_rejected');
    for (const secret of ['hunter2', 'sim-key-123', 'anna@example.com', 'bounce@example.com', '+79123456789']) expect(logs, secret).not.toContain(secret);
  });

  it('sends the organizer a test message through the stored settings at once; a refused address says why', async () => {
    const sent = await call(server.app, 'POST', '/admin/v1/settings/mail/test', { token: ADMIN, body: { to: 'organizer@example.com', language: 'ru' } });
    expect(sent.json).toEqual({ sent: true, error: null, replyCode: null });
    const mail = smtp.messages.find((m) => m.to.includes('organizer@example.com'));
    expect(mail!.parsed.subject).toBe('Admit: тестовое письмо');
    expect(mail!.parsed.from?.value[0]).toMatchObject({ address: 'tickets@example.com', name: 'Winter Jazz' });
    const refused = await call(server.app, 'POST', '/admin/v1/settings/mail/test', { token: ADMIN, body: { to: 'bounce@example.com' } });
    expect(refused.json).toEqual({ sent: false, error: 'recipient_rejected', replyCode: 550 });
    expectError(await call(server.app, 'POST', '/admin/v1/settings/mail/test', { token: ADMIN, body: { to: 'not an address' } }), 400, 'bad_request');
    expectError(await call(server.app, 'POST', '/admin/v1/settings/mail/test', { token: terminal.token, body: { to: 'organizer@example.com' } }), 401, 'unauthorized');
    const tests = (await server.admin.listAuditEntries({ chain: 'server', limit: 1000 })).filter((e) => e.action === 'mail_test_sent');
    expect(tests.map((e) => JSON.parse(e.detail) as { sent: boolean; error: string }).map((d) => [d.sent, d.error]).sort()).toEqual([
      [false, 'recipient_rejected'],
      [true, 'none'],
    ]);
    expect(tests.map((e) => e.detail).join()).not.toContain('organizer@');
  });

  it('once the event is past the retention, the addresses the tickets went to are kept masked only', async () => {
    const before = await backend.handle.db.select().from(deliveries);
    expect(before.some((d) => d.address === 'anna@example.com')).toBe(true);
    // Runs last: the clock moves past the event's end plus the retention.
    clock.advance(ENDS.getTime() + 31 * 86_400_000 - Date.now());
    const purged = await server.admin.purgePersonalData();
    expect(purged.eventIds).toContain(eventId);
    const after = await backend.handle.db.select().from(deliveries);
    expect(after.length).toBe(before.length);
    for (const d of after) expect(d.address, d.id).toMatch(/^(.\*\*\*@.+|\+.\**\d{4})$/);
    expect(after.map((d) => d.address)).toContain('a***@example.com');
    expect(after.map((d) => d.address)).toContain('+7******6789');
  });
});
