// The sale rules of ticket types as the server enforces them on POST /v1/orders (PGlite): sale windows by
// the SERVER's clock, the per-order limit over all lines of a type, channels (box office by default, a
// kiosk when the order says so), switched-off types, and quotas shared between types, each refusal a
// clear code with nothing sold; plus the pure rules of domain/catalog.ts the terminal uses too.
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { attendeeLimitRefusal, availability, saleRefusal, type SaleRuleType } from '../../domain/catalog';
import type { AdmitServer } from '../../server/src/app';
import { orders, quotas, ticketTypes } from '../../server/src/db/schema';
import {
  type Backend,
  call,
  createTestEvent,
  expectError,
  makeServer,
  openBackend,
  orderBody,
  pairTerminal,
  TestClock,
} from './harness';

const TOKEN = 'test-admin-token';
const HOUR = 3_600_000;

describe('pure sale rules (domain/catalog.ts)', () => {
  const type: SaleRuleType = {
    id: 't',
    active: true,
    saleStartsAt: '2030-01-01T00:00:00Z',
    saleEndsAt: '2030-02-01T00:00:00Z',
    maxPerOrder: 4,
    maxPerAttendee: 2,
    channels: ['box_office'],
    capacity: 10,
    sold: 7,
  };
  const inside = new Date('2030-01-15T00:00:00Z');

  it('answers the first rule broken, in a fixed order', () => {
    expect(saleRefusal(type, [], inside, 'box_office', 3)).toBeNull();
    expect(saleRefusal({ ...type, active: false }, [], new Date('2000-01-01T00:00:00Z'), 'kiosk', 99)).toBe('ticket_type_inactive');
    expect(saleRefusal(type, [], new Date('2029-12-31T23:59:59Z'), 'box_office', 1)).toBe('not_on_sale');
    expect(saleRefusal(type, [], new Date('2030-02-01T00:00:00Z'), 'box_office', 1)).toBe('sale_ended');
    expect(saleRefusal(type, [], inside, 'kiosk', 1)).toBe('channel_not_allowed');
    expect(saleRefusal(type, [], inside, 'box_office', 5)).toBe('over_order_limit');
    expect(saleRefusal(type, [], inside, 'box_office', 4)).toBe('sold_out');
    expect(saleRefusal(type, [{ id: 'q', capacity: 5, sold: 4 }], inside, 'box_office', 2)).toBe('sold_out');
    expect(saleRefusal({ ...type, saleStartsAt: null, saleEndsAt: null, maxPerOrder: null, capacity: null }, [], inside, 'box_office', 1000)).toBeNull();
  });

  it('counts availability as the least of the type and each of its quotas', () => {
    expect(availability({ capacity: null, sold: 0 }, [])).toBeNull();
    expect(availability({ capacity: 10, sold: 7 }, [])).toBe(3);
    expect(availability({ capacity: null, sold: 7 }, [{ id: 'a', capacity: 20, sold: 18 }])).toBe(2);
    expect(availability({ capacity: 10, sold: 2 }, [{ id: 'a', capacity: 20, sold: 15 }, { id: 'b', capacity: 9, sold: 3 }])).toBe(5);
    expect(availability({ capacity: 1, sold: 3 }, [])).toBe(0);
  });

  it('limits tickets per attendee', () => {
    expect(attendeeLimitRefusal(type, 1, 1)).toBeNull();
    expect(attendeeLimitRefusal(type, 1, 2)).toBe('over_attendee_limit');
    expect(attendeeLimitRefusal({ maxPerAttendee: null }, 100, 100)).toBeNull();
  });
});

describe('sale rules at the server', () => {
  let backend: Backend;
  let server: AdmitServer;
  let clock: TestClock;
  let token: string;

  beforeAll(async () => {
    backend = await openBackend('PGlite');
  });
  afterAll(async () => {
    await backend?.close();
  });
  beforeEach(async () => {
    clock = new TestClock();
    // Request ids are judged against the moved clock too: accept them whatever the offset.
    server = makeServer(backend, { now: clock.now, requestMaxAgeMs: 30 * 86_400_000 });
    ({ token } = await pairTerminal(server));
  });
  afterEach(async () => {
    await server.close();
  });

  const admin = (method: 'POST' | 'PATCH', url: string, body: unknown) => call(server.app, method, url, { token: TOKEN, body });
  const order = (eventId: string, lines: { ticketTypeId: string; quantity: number }[], extra: Record<string, unknown> = {}) =>
    call(server.app, 'POST', '/v1/orders', { token, body: { ...orderBody(eventId, lines), ...extra } });
  const soldOf = async (typeId: string) => (await backend.handle.db.select().from(ticketTypes).where(eq(ticketTypes.id, typeId)))[0]!.sold;
  const ordersOf = async (eventId: string) => backend.handle.db.$count(orders, eq(orders.eventId, eventId));
  const newType = async (eventId: string, body: Record<string, unknown>) => {
    const res = await admin('POST', `/admin/v1/events/${eventId}/ticket-types`, { name: { en: 'Rule' }, priceMinor: 1000, ...body });
    expect(res.status).toBe(200);
    return res.json.ticketType.id as string;
  };

  it('opens and closes the sale window by the server clock, not the terminal', async () => {
    const event = await createTestEvent(server);
    const now = clock.now().getTime();
    const early = await newType(event.id, { saleStartsAt: new Date(now + HOUR).toISOString(), saleEndsAt: new Date(now + 3 * HOUR).toISOString() });

    const tooEarly = await order(event.id, [{ ticketTypeId: early, quantity: 1 }]);
    expectError(tooEarly, 409, 'not_on_sale');
    expect(tooEarly.json.error.detail).toContain(new Date(now + HOUR).toISOString());
    clock.advance(2 * HOUR);
    expect((await order(event.id, [{ ticketTypeId: early, quantity: 1 }])).status).toBe(200);
    clock.advance(HOUR);
    expectError(await order(event.id, [{ ticketTypeId: early, quantity: 1 }]), 409, 'sale_ended');
    expect(await soldOf(early)).toBe(1);
    expect(await ordersOf(event.id)).toBe(1);
  });

  it('limits the tickets of a type per order, over all its lines', async () => {
    const event = await createTestEvent(server);
    const limited = await newType(event.id, { maxPerOrder: 3 });
    expectError(await order(event.id, [{ ticketTypeId: limited, quantity: 4 }]), 409, 'over_order_limit');
    const split = await order(event.id, [
      { ticketTypeId: limited, quantity: 2 },
      { ticketTypeId: event.ticketTypes[0]!.id, quantity: 1 },
      { ticketTypeId: limited, quantity: 2 },
    ]);
    expectError(split, 409, 'over_order_limit');
    expect(split.json.error.detail).toMatch(/at most 3 per order, 4 requested/);
    expect(await soldOf(limited)).toBe(0);
    expect(await soldOf(event.ticketTypes[0]!.id)).toBe(0);
    expect((await order(event.id, [{ ticketTypeId: limited, quantity: 3 }])).status).toBe(200);
  });

  it('sells on the box-office channel unless the order says kiosk, and only what the type allows', async () => {
    const event = await createTestEvent(server);
    const kioskOnly = await newType(event.id, { channels: ['kiosk'] });
    const importOnly = await newType(event.id, { channels: ['import'] });
    expectError(await order(event.id, [{ ticketTypeId: kioskOnly, quantity: 1 }]), 409, 'channel_not_allowed');
    expectError(await order(event.id, [{ ticketTypeId: kioskOnly, quantity: 1 }], { channel: 'box_office' }), 409, 'channel_not_allowed');
    expect((await order(event.id, [{ ticketTypeId: kioskOnly, quantity: 1 }], { channel: 'kiosk' })).status).toBe(200);
    expectError(await order(event.id, [{ ticketTypeId: importOnly, quantity: 1 }], { channel: 'kiosk' }), 409, 'channel_not_allowed');
    // An order cannot claim to be an import: imports do not go through the box office.
    expectError(await order(event.id, [{ ticketTypeId: importOnly, quantity: 1 }], { channel: 'import' }), 400, 'bad_request');
    // A type of the default channels sells on both.
    expect((await order(event.id, [{ ticketTypeId: event.ticketTypes[0]!.id, quantity: 1 }], { channel: 'kiosk' })).status).toBe(200);
    expect((await order(event.id, [{ ticketTypeId: event.ticketTypes[0]!.id, quantity: 1 }])).status).toBe(200);
    expect(await soldOf(importOnly)).toBe(0);
    expect(await soldOf(kioskOnly)).toBe(1);
  });

  it('refuses a switched-off type, also in an order with other lines', async () => {
    const event = await createTestEvent(server);
    const off = await newType(event.id, {});
    expect((await admin('PATCH', `/admin/v1/ticket-types/${off}`, { active: false })).status).toBe(200);
    expectError(
      await order(event.id, [
        { ticketTypeId: event.ticketTypes[0]!.id, quantity: 1 },
        { ticketTypeId: off, quantity: 1 },
      ]),
      409,
      'ticket_type_inactive',
    );
    expect(await soldOf(event.ticketTypes[0]!.id)).toBe(0);
    expect(await ordersOf(event.id)).toBe(0);
    expect((await admin('PATCH', `/admin/v1/ticket-types/${off}`, { active: true })).status).toBe(200);
    expect((await order(event.id, [{ ticketTypeId: off, quantity: 1 }])).status).toBe(200);
  });

  it('never sells more of the types sharing a quota than the quota holds', async () => {
    const event = await createTestEvent(server, [
      { priceMinor: 1000, capacity: 10 },
      { priceMinor: 2000, capacity: null },
    ]);
    const [a, b] = event.ticketTypes.map((t) => t.id) as [string, string];
    const quota = await admin('POST', `/admin/v1/events/${event.id}/quotas`, { name: { en: 'Floor' }, capacity: 5, ticketTypeIds: [a, b] });
    const quotaId = quota.json.quota.id as string;
    const quotaSold = async () => (await backend.handle.db.select().from(quotas).where(eq(quotas.id, quotaId)))[0]!.sold;

    expect((await order(event.id, [{ ticketTypeId: a, quantity: 2 }])).status).toBe(200);
    expect((await order(event.id, [{ ticketTypeId: b, quantity: 2 }])).status).toBe(200);
    expect(await quotaSold()).toBe(4);
    // One left in the quota: one of each together is one too many, though each type alone has room.
    const both = await order(event.id, [
      { ticketTypeId: a, quantity: 1 },
      { ticketTypeId: b, quantity: 1 },
    ]);
    expectError(both, 409, 'sold_out');
    expect(both.json.error.detail).toContain(`quota ${quotaId}: 1 left, 2 requested`);
    const tooMany = await order(event.id, [{ ticketTypeId: b, quantity: 2 }]);
    expectError(tooMany, 409, 'sold_out');
    expect(tooMany.json.error.detail).toMatch(/1 left, 2 requested/);
    expect([await soldOf(a), await soldOf(b), await quotaSold()]).toEqual([2, 2, 4]);
    expect((await order(event.id, [{ ticketTypeId: b, quantity: 1 }])).status).toBe(200);
    expectError(await order(event.id, [{ ticketTypeId: a, quantity: 1 }]), 409, 'sold_out');
    expect([await soldOf(a), await soldOf(b), await quotaSold()]).toEqual([2, 3, 5]);

    // Raising the quota opens it again; the type's own capacity still holds.
    expect((await admin('PATCH', `/admin/v1/quotas/${quotaId}`, { capacity: 100 })).status).toBe(200);
    expectError(await order(event.id, [{ ticketTypeId: a, quantity: 9 }]), 409, 'sold_out');
    expect((await order(event.id, [{ ticketTypeId: a, quantity: 8 }])).status).toBe(200);
    expect(await quotaSold()).toBe(13);
  });

  it('an order retried after a rule changed gets the order it already has', async () => {
    const event = await createTestEvent(server);
    const type = event.ticketTypes[0]!.id;
    const body = orderBody(event.id, [{ ticketTypeId: type, quantity: 2 }]);
    const first = await call(server.app, 'POST', '/v1/orders', { token, body });
    expect(first.status).toBe(200);
    expect((await admin('PATCH', `/admin/v1/ticket-types/${type}`, { active: false })).status).toBe(200);
    const again = await call(server.app, 'POST', '/v1/orders', { token, body });
    expect(again.status).toBe(200);
    expect(again.json.order.code).toBe(first.json.order.code);
    expect(await soldOf(type)).toBe(2);
  });
});
