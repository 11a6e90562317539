// A session's ticket admits only on its session's day, on PGlite and on a real PostgreSQL: a ticket sold
// at the box office and one imported for a session carry the window from the start of the session's day
// (on the event's clock) to the session's end, in their signed code and in their row; a whole-event
// ticket keeps the event's run; once they exist, the session's dates cannot move. The gate's rule (domain/rules.ts) then refuses the night-two ticket on
// night one as not yet valid and admits it on its night.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCode } from '../../domain/codes';
import { decide, DEFAULT_POINT, type PointRules } from '../../domain/rules';
import { startOfZonedDay, ticketWindow } from '../../domain/ticket-window';
import { REQUEST_ID_HEADER } from '../../domain/wire';
import type { AdmitServer } from '../../server/src/app';
import { tickets } from '../../server/src/db/schema';
import { commitImportAndWait } from '../helpers/import-files';
import { backends, call, makeServer, openBackend, orderBody, pairTerminal, uuidv7, type Backend, type Json } from './harness';

const DAY = 86_400_000;

describe('ticket windows', () => {
  it('a session ticket admits from the start of its day on the event clock to the session end', () => {
    // 19:00 in Shanghai on 2 May is 11:00 UTC; that day began at 16:00 UTC on 1 May.
    expect(ticketWindow({ startsAt: '2031-05-01T02:00:00Z', endsAt: '2031-05-04T15:00:00Z', timeZone: 'Asia/Shanghai' }, { startsAt: '2031-05-02T11:00:00Z', endsAt: '2031-05-02T15:30:00Z' })).toEqual({
      from: new Date('2031-05-01T16:00:00.000Z'),
      to: new Date('2031-05-02T15:30:00.000Z'),
    });
    // A whole-event ticket: the event's run.
    expect(ticketWindow({ startsAt: '2031-05-01T02:00:00Z', endsAt: '2031-05-04T15:00:00Z', timeZone: 'Asia/Shanghai' }, null)).toEqual({
      from: new Date('2031-05-01T02:00:00Z'),
      to: new Date('2031-05-04T15:00:00Z'),
    });
    // Across a daylight-saving change (Berlin, 30 March 2031): the day still starts at local midnight.
    expect(startOfZonedDay('2031-03-30T18:00:00Z', 'Europe/Berlin')).toEqual(new Date('2031-03-29T23:00:00.000Z'));
    // An unknown zone falls back to the session's start.
    expect(startOfZonedDay('2031-03-30T18:00:00Z', 'Mars/Olympus')).toEqual(new Date('2031-03-30T18:00:00Z'));
  });
});

describe.each(backends)('session tickets on %s', (backendName) => {
  let backend: Backend;
  let server: AdmitServer;
  beforeAll(async () => {
    backend = await openBackend(backendName);
    server = makeServer(backend);
    await server.ready();
  }, 300_000);
  afterAll(async () => {
    await server.close();
    await backend.close();
  });

  const admin = async (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, body?: unknown): Promise<Json> => {
    const headers: Record<string, string> = { authorization: `Bearer ${server.adminToken}` };
    if (method !== 'GET') headers[REQUEST_ID_HEADER] = uuidv7();
    let payload: string | Buffer | undefined;
    if (Buffer.isBuffer(body)) {
      payload = body;
      headers['content-type'] = 'application/octet-stream';
    } else if (body !== undefined) {
      payload = JSON.stringify(body);
      headers['content-type'] = 'application/json';
    }
    const res = await server.app.inject({ method, url, headers, ...(payload !== undefined ? { payload } : {}) });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  it('sold and imported tickets of a session carry its day; whole-event tickets the event run; the gate rule follows', async () => {
    const now = Math.floor(Date.now() / 1000) * 1000; // whole seconds, as codes carry them
    const terminal = await pairTerminal(server, 'Box office');
    const event = await server.admin.createEvent({
      name: { en: 'Two nights' },
      startsAt: new Date(now - DAY).toISOString(),
      endsAt: new Date(now + 3 * DAY).toISOString(),
      timezone: 'Asia/Shanghai',
      currency: 'CNY',
      ticketTypes: [{ name: { en: 'Festival pass' }, priceMinor: 30_000, capacity: null }],
    });
    await server.admin.setDeviceEvents(terminal.deviceId, [event.id]);
    const nightTwo = { startsAt: new Date(now + 2 * DAY).toISOString(), endsAt: new Date(now + 2 * DAY + 4 * 3_600_000).toISOString() };
    const session = (await admin('POST', `/admin/v1/events/${event.id}/sessions`, { name: { en: 'Night two' }, ...nightTwo })).session;
    const nightType = (await admin('POST', `/admin/v1/events/${event.id}/ticket-types`, { name: { en: 'Night two' }, priceMinor: 12_000, capacity: 100, sessionId: session.id })).ticketType;
    const pass = event.ticketTypes[0]!;

    const res = await call(server.app, 'POST', '/v1/orders', {
      token: terminal.token,
      body: orderBody(event.id, [
        { ticketTypeId: pass.id, quantity: 1 },
        { ticketTypeId: nightType.id, quantity: 1 },
      ]),
    });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const sold = res.json.tickets as { id: string; ticketTypeId: string; code: string }[];
    const windowOf = (code: string) => {
      const parsed = parseCode(code);
      if (parsed.kind !== 'signed') throw new Error('not a signed code');
      return { from: parsed.payload.validFrom * 1000, to: parsed.payload.validTo * 1000 };
    };
    const dayStart = startOfZonedDay(nightTwo.startsAt, 'Asia/Shanghai').getTime();
    expect(dayStart).toBeLessThanOrEqual(Date.parse(nightTwo.startsAt));
    expect(dayStart).toBeGreaterThan(Date.parse(nightTwo.startsAt) - DAY);
    const soldNight = sold.find((t) => t.ticketTypeId === nightType.id)!;
    const soldPass = sold.find((t) => t.ticketTypeId === pass.id)!;
    expect(windowOf(soldNight.code)).toEqual({ from: Math.floor(dayStart / 1000) * 1000, to: Date.parse(nightTwo.endsAt) });
    expect(windowOf(soldPass.code)).toEqual({ from: Math.floor((now - DAY) / 1000) * 1000, to: Math.floor((now + 3 * DAY) / 1000) * 1000 });

    // An imported attendee of the night-two type, with a code from another system.
    const file = Buffer.from('id,name,type,code\r\nR-1,Li Lei,Night two,EXT-NIGHT-2\r\n', 'utf8');
    const job = (await admin('POST', `/admin/v1/events/${event.id}/imports?name=n2.csv`, file)).job;
    await admin('PUT', `/admin/v1/imports/${job.id}/mapping`, {
      columns: [
        { column: 0, target: 'externalId' },
        { column: 1, target: 'name' },
        { column: 2, target: 'ticketType' },
        { column: 3, target: 'externalCode' },
      ],
    });
    expect((await admin('POST', `/admin/v1/imports/${job.id}/check`, {})).job.counts).toMatchObject({ new: 1, bad: 0 });
    expect((await commitImportAndWait(server, job.id)).json.job.status).toBe('done');

    const rows = await backend.handle.db.select().from(tickets).where(eq(tickets.eventId, event.id));
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(soldNight.id)).toMatchObject({ validFrom: new Date(dayStart), validTo: new Date(nightTwo.endsAt) });
    expect(byId.get(soldPass.id)).toMatchObject({ validFrom: null, validTo: null });
    const imported = rows.find((r) => r.externalId === 'R-1')!;
    expect(imported).toMatchObject({ code: 'EXT-NIGHT-2', validFrom: new Date(dayStart), validTo: new Date(nightTwo.endsAt) });

    // What a gate decides with these facts: refused today, admitted on night two; the pass admits today.
    const point: PointRules = { ...DEFAULT_POINT, eventId: event.id };
    const facts = (row: (typeof rows)[number]) => ({ eventId: event.id, status: 'valid' as const, paid: true, ticketTypeId: row.ticketTypeId, zones: [], validFrom: row.validFrom?.toISOString() ?? null, validTo: row.validTo?.toISOString() ?? null });
    expect(decide(facts(imported), point, [], new Date(now)).reason).toBe('not_yet_valid');
    // Admitted on that day before the doors open (between the day's start and the session's, whatever
    // the hour the test runs at) and at the session's start.
    expect(decide(facts(imported), point, [], new Date((dayStart + Date.parse(nightTwo.startsAt)) / 2)).reason).toBe('ok');
    expect(decide(facts(imported), point, [], new Date(nightTwo.startsAt)).reason).toBe('ok');
    expect(decide(facts(imported), point, [], new Date(Date.parse(nightTwo.endsAt) + 60_000)).reason).toBe('expired');
    expect(decide(facts(byId.get(soldPass.id)!), point, [], new Date(now)).reason).toBe('ok');

    // Its tickets hold the session's dates: moving the session now is refused and changes nothing; its
    // name still changes.
    const moved = await server.app.inject({
      method: 'PATCH',
      url: `/admin/v1/sessions/${session.id}`,
      headers: { authorization: `Bearer ${server.adminToken}`, [REQUEST_ID_HEADER]: uuidv7(), 'content-type': 'application/json' },
      payload: JSON.stringify({ startsAt: new Date(now + 3 * DAY).toISOString(), endsAt: new Date(now + 3 * DAY + 3_600_000).toISOString() }),
    });
    expect(moved.statusCode).toBe(409);
    expect(moved.json()).toMatchObject({ error: { code: 'event_has_tickets' } });
    const renamed = (await admin('PATCH', `/admin/v1/sessions/${session.id}`, { name: { en: 'Night two (encore)' }, ...nightTwo })).session;
    expect(renamed).toMatchObject({ name: { en: 'Night two (encore)' }, startsAt: new Date(nightTwo.startsAt).toISOString(), endsAt: new Date(nightTwo.endsAt).toISOString() });
  }, 300_000);
});
