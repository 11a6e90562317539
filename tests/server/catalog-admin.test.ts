// The organizer's catalog API over HTTP on PGlite: editing an event (venue, address, time zone, dates,
// currency, languages), its sessions, ticket types with sale rules and shared quotas; GET of an event
// with all of them; every bad request refused with a clear code and nothing written (the event read back
// unchanged, no rows added); every mutation in the server's audit chain; the admin token required.
import { count } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CatalogEventRow } from '../../domain/admin-catalog';
import { parseCode } from '../../domain/codes';
import type { AdmitServer } from '../../server/src/app';
import { events, eventSessions, quotas, quotaTicketTypes, ticketTypes } from '../../server/src/db/schema';
import {
  type Backend,
  call,
  type CallOptions,
  createTestEvent,
  expectError,
  makeServer,
  openBackend,
  orderBody,
  pairTerminal,
  sell,
} from './harness';

const TOKEN = 'test-admin-token';

describe('catalog admin API', () => {
  let backend: Backend;
  let server: AdmitServer;

  beforeAll(async () => {
    backend = await openBackend('PGlite');
  });
  afterAll(async () => {
    await backend?.close();
  });
  beforeEach(() => {
    server = makeServer(backend);
  });
  afterEach(async () => {
    await server.close();
  });

  const admin = (method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown, opts: CallOptions = {}) =>
    call(server.app, method, url, { token: TOKEN, ...(body !== undefined ? { body } : {}), ...opts });
  const read = async (eventId: string) => {
    const res = await admin('GET', `/admin/v1/events/${eventId}`);
    expect(res.status).toBe(200);
    return CatalogEventRow.parse(res.json.event);
  };
  const rows = async (table: typeof events | typeof eventSessions | typeof quotas | typeof ticketTypes | typeof quotaTicketTypes) =>
    (await backend.handle.db.select({ n: count() }).from(table))[0]!.n;
  const actions = async () => (await server.admin.listAuditEntries({ chain: 'server', limit: 1000 })).map((e) => e.action);

  it('edits an event and reads it back with its sessions, ticket types and quotas', async () => {
    const event = await createTestEvent(server, [{ priceMinor: 1000, capacity: 100 }]);
    const patched = await admin('PATCH', `/admin/v1/events/${event.id}`, {
      name: { en: 'Spring Forum', 'zh-CN': '春季论坛' },
      venue: 'Expo Hall 2',
      address: '1 Fair Street',
      timezone: 'Asia/Shanghai',
      languages: ['en', 'zh-CN'],
      defaultLanguage: 'zh-CN',
    });
    expect(patched.status).toBe(200);
    expect(patched.json.event).toMatchObject({
      venue: 'Expo Hall 2',
      address: '1 Fair Street',
      timezone: 'Asia/Shanghai',
      languages: ['en', 'zh-CN'],
      defaultLanguage: 'zh-CN',
      name: { en: 'Spring Forum', 'zh-CN': '春季论坛' },
    });

    const night1 = await admin('POST', `/admin/v1/events/${event.id}/sessions`, {
      name: { en: 'Night 1' },
      startsAt: '2030-05-01T18:00:00+08:00',
      endsAt: '2030-05-01T23:00:00+08:00',
    });
    expect(night1.status).toBe(200);
    const sessionId = night1.json.session.id as string;
    const renamed = await admin('PATCH', `/admin/v1/sessions/${sessionId}`, { name: { en: 'Opening night' }, sort: 3 });
    expect(renamed.json.session).toMatchObject({ name: { en: 'Opening night' }, sort: 3, startsAt: '2030-05-01T10:00:00.000Z' });

    const vip = await admin('POST', `/admin/v1/events/${event.id}/ticket-types`, {
      name: { en: 'VIP' },
      priceMinor: 9900,
      capacity: 20,
      sessionId,
      saleStartsAt: '2030-01-01T00:00:00Z',
      saleEndsAt: '2030-04-30T00:00:00Z',
      maxPerOrder: 4,
      maxPerAttendee: 1,
      channels: ['box_office', 'import'],
      realName: true,
      requiredFields: ['name', 'phone'],
    });
    expect(vip.status).toBe(200);
    expect(vip.json.ticketType).toMatchObject({
      currency: 'EUR',
      sessionId,
      saleStartsAt: '2030-01-01T00:00:00.000Z',
      maxPerOrder: 4,
      channels: ['box_office', 'import'],
      realName: true,
      requiredFields: ['name', 'phone'],
      active: true,
      no: 2,
    });
    const vipId = vip.json.ticketType.id as string;
    const edited = await admin('PATCH', `/admin/v1/ticket-types/${vipId}`, { priceMinor: 12_000, saleEndsAt: null, active: false });
    expect(edited.json.ticketType).toMatchObject({ priceMinor: 12_000, saleEndsAt: null, saleStartsAt: '2030-01-01T00:00:00.000Z', active: false });

    const quota = await admin('POST', `/admin/v1/events/${event.id}/quotas`, {
      name: { en: 'Hall' },
      capacity: 50,
      ticketTypeIds: [vipId, event.ticketTypes[0]!.id],
    });
    expect(quota.status).toBe(200);
    expect(quota.json.quota).toMatchObject({ capacity: 50, sold: 0, ticketTypeIds: [vipId, event.ticketTypes[0]!.id].sort() });
    const resized = await admin('PATCH', `/admin/v1/quotas/${quota.json.quota.id}`, { capacity: 40, ticketTypeIds: [vipId] });
    expect(resized.json.quota).toMatchObject({ capacity: 40, ticketTypeIds: [vipId] });

    const full = await read(event.id);
    expect(full.sessions.map((s) => s.id)).toEqual([sessionId]);
    expect(full.ticketTypes.map((t) => t.id)).toEqual([event.ticketTypes[0]!.id, vipId]);
    expect(full.quotas).toEqual([expect.objectContaining({ id: quota.json.quota.id, capacity: 40, ticketTypeIds: [vipId] })]);

    expect(await actions()).toEqual(
      expect.arrayContaining(['event_updated', 'session_created', 'session_updated', 'ticket_type_created', 'ticket_type_updated', 'quota_created', 'quota_updated']),
    );
    const [entry] = await server.admin.listAuditEntries({ chain: 'server', limit: 1 });
    expect(entry).toMatchObject({ action: 'quota_updated', subject: quota.json.quota.id });
    expect(JSON.parse(entry!.detail)).toMatchObject({ fields: 'capacity,ticketTypeIds', capacity: 40 });
  });

  it('refuses bad event edits with a clear error and changes nothing', async () => {
    const event = await createTestEvent(server);
    const before = await read(event.id);
    const auditBefore = (await actions()).length;
    const refused: [unknown, number, string, RegExp][] = [
      [{ timezone: 'Mars/Olympus_Mons' }, 400, 'bad_request', /IANA/],
      [{ languages: ['en', 'fr'] }, 400, 'bad_request', /languages/],
      [{ languages: ['ru'] }, 400, 'bad_request', /defaultLanguage en is not one of/],
      [{ endsAt: '2000-01-01T00:00:00Z' }, 400, 'bad_request', /before it starts/],
      [{ currency: 'eur' }, 400, 'bad_request', /currency/],
      [{}, 400, 'bad_request', /nothing to change/],
      [{ venue: 'x', unknownField: 1 }, 400, 'bad_request', /unrecognized|unknownField/i],
    ];
    for (const [body, status, code, detail] of refused) {
      const res = await admin('PATCH', `/admin/v1/events/${event.id}`, body);
      expectError(res, status, code);
      expect(res.json.error.detail).toMatch(detail);
    }
    expectError(await admin('PATCH', '/admin/v1/events/0190a2b4-0000-7000-8000-000000000000', { venue: 'x' }), 404, 'not_found');
    expectError(await admin('GET', '/admin/v1/events/0190a2b4-0000-7000-8000-000000000000'), 404, 'not_found');
    expect(await read(event.id)).toEqual(before);
    expect((await actions()).length).toBe(auditBefore);
  });

  it('creates an event with its venue, address and languages in one call, and refuses bad details with nothing written', async () => {
    const base = {
      name: { en: 'Autumn Fair', ru: 'Осенняя ярмарка' },
      startsAt: '2031-10-01T07:00:00Z',
      endsAt: '2031-10-02T16:00:00Z',
      timezone: 'Europe/Moscow',
      currency: 'RUB',
      ticketTypes: [{ name: { en: 'Day pass' }, priceMinor: 150_000 }],
    };
    const created = await admin('POST', '/admin/v1/events', { ...base, venue: ' Expo Centre ', address: 'Krasnopresnenskaya 14', languages: ['ru', 'en'], defaultLanguage: 'en' });
    expect(created.status).toBe(200);
    expect(created.json.event).toMatchObject({ venue: 'Expo Centre', address: 'Krasnopresnenskaya 14', languages: ['ru', 'en'], defaultLanguage: 'en', timezone: 'Europe/Moscow' });
    expect(await read(created.json.event.id)).toMatchObject({ venue: 'Expo Centre', address: 'Krasnopresnenskaya 14', languages: ['ru', 'en'], defaultLanguage: 'en' });

    // Without a default language, the first of the languages; without languages, English as before.
    const firstIsDefault = await admin('POST', '/admin/v1/events', { ...base, languages: ['zh-CN', 'en'] });
    expect(firstIsDefault.json.event).toMatchObject({ languages: ['zh-CN', 'en'], defaultLanguage: 'zh-CN', venue: null, address: null });
    const plain = await admin('POST', '/admin/v1/events', base);
    expect(plain.json.event).toMatchObject({ languages: ['en'], defaultLanguage: 'en', venue: null, address: null });

    const eventsBefore = await rows(events);
    const auditBefore = (await actions()).length;
    const refused: [Record<string, unknown>, RegExp][] = [
      [{ languages: ['ru', 'en'], defaultLanguage: 'zh-CN' }, /defaultLanguage: the default language is not one of the languages/],
      [{ defaultLanguage: 'ru' }, /defaultLanguage: the default language is not one of the languages/],
      [{ languages: ['en', 'fr'] }, /languages/],
      [{ languages: [] }, /languages/],
      [{ languages: ['en', 'en'] }, /listed twice/],
      [{ defaultLanguage: 'de' }, /defaultLanguage/],
      [{ timezone: 'Mars/Olympus_Mons' }, /timezone: not a known IANA time zone/],
      [{ venue: 'x'.repeat(501) }, /venue/],
      [{ address: 42 }, /address/],
    ];
    for (const [odd, detail] of refused) {
      const res = await admin('POST', '/admin/v1/events', { ...base, ...odd });
      expectError(res, 400, 'bad_request');
      expect(res.json.error.detail).toMatch(detail);
    }
    expect(await rows(events)).toBe(eventsBefore);
    expect((await actions()).length).toBe(auditBefore);
  });

  it('stops the sale of the ticket types of a session switched off, and resumes it when the session is on again', async () => {
    const event = await createTestEvent(server, [{ priceMinor: 1000, capacity: null }]);
    const night = await admin('POST', `/admin/v1/events/${event.id}/sessions`, { name: { en: 'Night' }, startsAt: event.startsAt, endsAt: event.endsAt });
    const sessionId = night.json.session.id as string;
    const type = await admin('POST', `/admin/v1/events/${event.id}/ticket-types`, { name: { en: 'Night ticket' }, priceMinor: 500, sessionId });
    const typeId = type.json.ticketType.id as string;
    const wholeEvent = event.ticketTypes[0]!.id;
    const { token } = await pairTerminal(server);
    await server.admin.setDeviceEvents((await server.admin.listDevices())[0]!.id, [event.id]);
    await sell(server, token, event.id, typeId, 1);

    expect((await admin('PATCH', `/admin/v1/sessions/${sessionId}`, { active: false })).json.session.active).toBe(false);
    const before = await read(event.id);
    const refused = await call(server.app, 'POST', '/v1/orders', { token, body: orderBody(event.id, [{ ticketTypeId: typeId, quantity: 1 }]) });
    expectError(refused, 409, 'session_inactive');
    expect(refused.json.error.detail).toContain(sessionId);
    // An order with a line of the switched-off session is refused whole; nothing is sold or taken.
    const mixed = await call(server.app, 'POST', '/v1/orders', {
      token,
      body: orderBody(event.id, [
        { ticketTypeId: wholeEvent, quantity: 1 },
        { ticketTypeId: typeId, quantity: 1 },
      ]),
    });
    expectError(mixed, 409, 'session_inactive');
    expect(await read(event.id)).toEqual(before);
    // The type of the whole event still sells.
    await sell(server, token, event.id, wholeEvent, 1);

    await admin('PATCH', `/admin/v1/sessions/${sessionId}`, { active: true });
    await sell(server, token, event.id, typeId, 1);
    expect((await read(event.id)).ticketTypes.find((t) => t.id === typeId)?.sold).toBe(2);
  });

  it("keeps an event's dates once a ticket of it exists (its signed code carries them); other details stay editable", async () => {
    const event = await createTestEvent(server, [{ priceMinor: 1000, capacity: null }]);
    // Nothing issued yet: the dates move.
    const moved = await admin('PATCH', `/admin/v1/events/${event.id}`, { startsAt: '2031-03-01T08:00:00Z', endsAt: '2031-03-03T20:00:00Z' });
    expect(moved.status).toBe(200);
    expect(moved.json.event).toMatchObject({ startsAt: '2031-03-01T08:00:00.000Z', endsAt: '2031-03-03T20:00:00.000Z' });

    const { token } = await pairTerminal(server);
    await server.admin.setDeviceEvents((await server.admin.listDevices())[0]!.id, [event.id]);
    const order = await sell(server, token, event.id, event.ticketTypes[0]!.id, 1);
    const parsed = parseCode(order.tickets[0]!.code);
    expect(parsed.kind).toBe('signed');
    if (parsed.kind === 'signed')
      expect([parsed.payload.validFrom, parsed.payload.validTo]).toEqual([Date.parse('2031-03-01T08:00:00Z') / 1000, Date.parse('2031-03-03T20:00:00Z') / 1000]);

    const before = await read(event.id);
    const auditBefore = (await actions()).length;
    for (const dates of [{ startsAt: '2031-03-02T08:00:00Z' }, { endsAt: '2031-03-04T20:00:00Z' }, { startsAt: '2031-04-01T08:00:00Z', endsAt: '2031-04-02T08:00:00Z', venue: 'Elsewhere' }]) {
      const res = await admin('PATCH', `/admin/v1/events/${event.id}`, dates);
      expectError(res, 409, 'event_has_tickets');
      expect(res.json.error.detail).toMatch(/cannot change: 1 tickets exist.*valid from 2031-03-01T08:00:00.000Z to 2031-03-03T20:00:00.000Z/);
    }
    expect(await read(event.id)).toEqual(before);
    expect((await actions()).length).toBe(auditBefore);

    // The same dates again, or other details: saved.
    const same = await admin('PATCH', `/admin/v1/events/${event.id}`, { startsAt: '2031-03-01T11:00:00+03:00', venue: 'Hall 3', languages: ['en', 'ru'] });
    expect(same.status).toBe(200);
    expect(same.json.event).toMatchObject({ startsAt: '2031-03-01T08:00:00.000Z', venue: 'Hall 3', languages: ['en', 'ru'] });
  });

  it('changes the currency only while nothing is sold, with its ticket types', async () => {
    const event = await createTestEvent(server, [{ priceMinor: 1000, capacity: 10 }]);
    const moved = await admin('PATCH', `/admin/v1/events/${event.id}`, { currency: 'CNY' });
    expect(moved.status).toBe(200);
    expect(moved.json.event.currency).toBe('CNY');
    expect(moved.json.event.ticketTypes[0].currency).toBe('CNY');

    const { token } = await pairTerminal(server);
    await server.admin.setDeviceEvents((await server.admin.listDevices())[0]!.id, [event.id]);
    await sell(server, token, event.id, event.ticketTypes[0]!.id, 1);
    const before = await read(event.id);
    const res = await admin('PATCH', `/admin/v1/events/${event.id}`, { currency: 'EUR', venue: 'Somewhere' });
    expectError(res, 409, 'conflict');
    expect(res.json.error.detail).toMatch(/1 tickets are sold/);
    expect(await read(event.id)).toEqual(before);
  });

  it('refuses bad sessions, ticket types and quotas with nothing written', async () => {
    const event = await createTestEvent(server, [{ priceMinor: 1000, capacity: 5 }]);
    const other = await createTestEvent(server);
    const foreignSession = (
      await admin('POST', `/admin/v1/events/${other.id}/sessions`, { name: { en: 'Other' }, startsAt: '2030-01-01T10:00:00Z', endsAt: '2030-01-01T12:00:00Z' })
    ).json.session.id as string;
    const counts = async () => ({ sessions: await rows(eventSessions), types: await rows(ticketTypes), quotas: await rows(quotas), links: await rows(quotaTicketTypes) });
    const before = await counts();
    const catalogBefore = await read(event.id);
    const auditBefore = (await actions()).length;

    const bad: [string, 'POST' | 'PATCH', unknown, number, string, RegExp][] = [
      [`/admin/v1/events/${event.id}/sessions`, 'POST', { name: { en: 'S' }, startsAt: '2030-01-02T00:00:00Z', endsAt: '2030-01-01T00:00:00Z' }, 400, 'bad_request', /before/],
      [`/admin/v1/events/${event.id}/sessions`, 'POST', { name: {}, startsAt: '2030-01-01T00:00:00Z', endsAt: '2030-01-02T00:00:00Z' }, 400, 'bad_request', /at least one language/],
      [`/admin/v1/sessions/${foreignSession}`, 'PATCH', { endsAt: '2029-01-01T00:00:00Z' }, 400, 'bad_request', /before it starts/],
      ['/admin/v1/sessions/0190a2b4-0000-7000-8000-000000000000', 'PATCH', { active: false }, 404, 'not_found', /no session/],
      [`/admin/v1/events/${event.id}/ticket-types`, 'POST', { name: { en: 'T' }, priceMinor: 100, sessionId: foreignSession }, 400, 'bad_request', /another event/],
      [`/admin/v1/events/${event.id}/ticket-types`, 'POST', { name: { en: 'T' }, priceMinor: 100, currency: 'USD' }, 400, 'bad_request', /event's currency \(EUR\)/],
      [`/admin/v1/events/${event.id}/ticket-types`, 'POST', { name: { en: 'T' }, priceMinor: 100, saleStartsAt: '2030-02-01T00:00:00Z', saleEndsAt: '2030-01-01T00:00:00Z' }, 400, 'bad_request', /sale window/],
      [`/admin/v1/events/${event.id}/ticket-types`, 'POST', { name: { en: 'T' }, priceMinor: -1 }, 400, 'bad_request', /priceMinor/],
      [`/admin/v1/events/${event.id}/ticket-types`, 'POST', { name: { en: 'T' }, priceMinor: 1, channels: ['online'] }, 400, 'bad_request', /channels/],
      [`/admin/v1/events/${event.id}/ticket-types`, 'POST', { name: { en: 'T' }, priceMinor: 1, requiredFields: ['name', 'name'] }, 400, 'bad_request', /twice/],
      [`/admin/v1/events/${event.id}/ticket-types`, 'POST', { name: { en: 'T' }, priceMinor: 1, maxPerOrder: 0 }, 400, 'bad_request', /maxPerOrder/],
      ['/admin/v1/events/0190a2b4-0000-7000-8000-000000000000/ticket-types', 'POST', { name: { en: 'T' }, priceMinor: 1 }, 404, 'not_found', /no event/],
      [`/admin/v1/ticket-types/${event.ticketTypes[0]!.id}`, 'PATCH', { saleStartsAt: '2030-02-01T00:00:00Z', saleEndsAt: '2030-02-01T00:00:00Z' }, 400, 'bad_request', /sale window/],
      [`/admin/v1/ticket-types/${event.ticketTypes[0]!.id}`, 'PATCH', { sessionId: foreignSession, priceMinor: 5 }, 400, 'bad_request', /another event/],
      [`/admin/v1/ticket-types/${event.ticketTypes[0]!.id}`, 'PATCH', { currency: 'USD', priceMinor: 5 }, 400, 'bad_request', /currency/],
      ['/admin/v1/ticket-types/0190a2b4-0000-7000-8000-000000000000', 'PATCH', { priceMinor: 5 }, 404, 'not_found', /no ticket type/],
      [`/admin/v1/events/${event.id}/quotas`, 'POST', { name: { en: 'Q' }, capacity: 3, ticketTypeIds: [event.ticketTypes[0]!.id, other.ticketTypes[0]!.id] }, 400, 'bad_request', /not ticket types of event/],
      [`/admin/v1/events/${event.id}/quotas`, 'POST', { name: { en: 'Q' }, capacity: 3, ticketTypeIds: [] }, 400, 'bad_request', /ticketTypeIds/],
      ['/admin/v1/quotas/0190a2b4-0000-7000-8000-000000000000', 'PATCH', { capacity: 3 }, 404, 'not_found', /no quota/],
    ];
    for (const [url, method, body, status, code, detail] of bad) {
      const res = await admin(method, url, body);
      expect({ url, method, body, status: res.status, code: res.json?.error?.code }).toEqual({ url, method, body, status, code });
      expect(res.json.error.detail).toMatch(detail);
    }
    expect(await counts()).toEqual(before);
    expect(await read(event.id)).toEqual(catalogBefore);
    expect((await actions()).length).toBe(auditBefore);
  });

  it('never sets a capacity below what is sold, for a ticket type or a quota', async () => {
    const { token } = await pairTerminal(server);
    const event = await createTestEvent(server, [
      { priceMinor: 1000, capacity: 10 },
      { priceMinor: 500, capacity: null },
    ]);
    const [a, b] = event.ticketTypes;
    await sell(server, token, event.id, a!.id, 3);
    await sell(server, token, event.id, b!.id, 2);

    const typeRes = await admin('PATCH', `/admin/v1/ticket-types/${a!.id}`, { capacity: 2, name: { en: 'Renamed' } });
    expectError(typeRes, 409, 'conflict');
    expect(typeRes.json.error.detail).toMatch(/below the 3 tickets/);
    expect((await admin('PATCH', `/admin/v1/ticket-types/${a!.id}`, { capacity: 3 })).status).toBe(200);

    // A new quota counts what its member types sold already.
    const tooSmall = await admin('POST', `/admin/v1/events/${event.id}/quotas`, { name: { en: 'Q' }, capacity: 4, ticketTypeIds: [a!.id, b!.id] });
    expectError(tooSmall, 409, 'conflict');
    expect((await read(event.id)).quotas).toEqual([]);
    const quota = await admin('POST', `/admin/v1/events/${event.id}/quotas`, { name: { en: 'Q' }, capacity: 6, ticketTypeIds: [a!.id, b!.id] });
    expect(quota.json.quota).toMatchObject({ capacity: 6, sold: 5 });
    const quotaId = quota.json.quota.id as string;
    expectError(await admin('PATCH', `/admin/v1/quotas/${quotaId}`, { capacity: 4 }), 409, 'conflict');
    // Dropping a member takes its sales out of the quota; then the smaller capacity fits.
    const narrowed = await admin('PATCH', `/admin/v1/quotas/${quotaId}`, { capacity: 4, ticketTypeIds: [a!.id] });
    expect(narrowed.json.quota).toMatchObject({ capacity: 4, sold: 3, ticketTypeIds: [a!.id] });
    expectError(await admin('PATCH', `/admin/v1/quotas/${quotaId}`, { ticketTypeIds: [a!.id, b!.id] }), 409, 'conflict');
    expect((await read(event.id)).quotas[0]).toMatchObject({ capacity: 4, sold: 3, ticketTypeIds: [a!.id] });
  });

  it('requires the admin token and a fresh request id', async () => {
    const event = await createTestEvent(server);
    expectError(await admin('GET', `/admin/v1/events/${event.id}`, undefined, { token: null }), 401, 'unauthorized');
    expectError(await admin('PATCH', `/admin/v1/events/${event.id}`, { venue: 'x' }, { token: 'wrong' }), 401, 'unauthorized');
    const { token } = await pairTerminal(server);
    expectError(await admin('PATCH', `/admin/v1/events/${event.id}`, { venue: 'x' }, { token }), 401, 'unauthorized');
    expectError(await admin('PATCH', `/admin/v1/events/${event.id}`, { venue: 'x' }, { requestId: null }), 400, 'bad_request');
    expect((await read(event.id)).venue).toBeNull();
  });

  it('pokes terminals: an edited ticket type comes in the change feed of a device serving the event', async () => {
    const { token } = await pairTerminal(server);
    const event = await createTestEvent(server);
    const since = (await call(server.app, 'GET', '/v1/changes?since=0&limit=20000', { token })).json.next as number;
    await admin('PATCH', `/admin/v1/ticket-types/${event.ticketTypes[0]!.id}`, { maxPerOrder: 2, channels: ['kiosk'] });
    const quota = await admin('POST', `/admin/v1/events/${event.id}/quotas`, { name: { en: 'Q' }, capacity: 9, ticketTypeIds: [event.ticketTypes[0]!.id] });
    const session = await admin('POST', `/admin/v1/events/${event.id}/sessions`, { name: { en: 'S' }, startsAt: '2030-01-01T10:00:00Z', endsAt: '2030-01-01T12:00:00Z' });
    // A terminal of an earlier version (no `with`) is not sent the kinds it could not parse.
    const old = await call(server.app, 'GET', `/v1/changes?since=${since}`, { token });
    expect((old.json.changes as { kind: string }[]).map((c) => c.kind)).toEqual(['ticket_type']);
    const page = await call(server.app, 'GET', `/v1/changes?since=${since}&with=event_session,quota`, { token });
    const kinds = (page.json.changes as { kind: string; row: { id: string } }[]).map((c) => [c.kind, c.row.id]);
    expect(kinds).toEqual([
      ['ticket_type', event.ticketTypes[0]!.id],
      ['quota', quota.json.quota.id],
      ['event_session', session.json.session.id],
    ]);
    expect(page.json.changes[0].row).toMatchObject({ maxPerOrder: 2, channels: ['kiosk'] });
    expect(page.json.changes[1].row).toMatchObject({ capacity: 9, sold: 0, ticketTypeIds: [event.ticketTypes[0]!.id] });
  });
});
