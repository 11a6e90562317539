// Orders (stock never oversold, even under concurrency), online claims (exactly one winner) and outbox
// pushes (accepted / duplicate / conflict, idempotent), against PGlite and a real PostgreSQL cluster.
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ClaimResponse, OrderResponse, PushResponse } from '../../domain/wire';
import type { AdmitServer } from '../../server/src/app';
import { checkins, orders, tickets, ticketTypes } from '../../server/src/db/schema';
import {
  type Backend,
  backends,
  call,
  createTestEvent,
  expectError,
  makeServer,
  openBackend,
  orderBody,
  pairTerminal,
  sell,
  uuidv7,
} from './harness';

describe.each(backends)('sales and check-ins on %s', (backendName) => {
  let backend: Backend;
  let server: AdmitServer;
  let token: string;

  beforeAll(async () => {
    backend = await openBackend(backendName);
  });
  afterAll(async () => {
    await backend?.close();
  });
  beforeEach(async () => {
    server = makeServer(backend);
    ({ token } = await pairTerminal(server, 'Box office'));
  });
  afterEach(async () => {
    await server.close();
  });

  const soldOf = async (typeId: string) =>
    (await backend.handle.db.select().from(ticketTypes).where(eq(ticketTypes.id, typeId)))[0]!.sold;
  const ticketCount = async (typeId: string) => backend.handle.db.$count(tickets, eq(tickets.ticketTypeId, typeId));

  describe('orders', () => {
    it('sells tickets with unguessable codes, a short order code and the right total', async () => {
      const event = await createTestEvent(server, [
        { priceMinor: 4500, capacity: 10 },
        { priceMinor: 1500, capacity: null },
      ]);
      const [day, child] = event.ticketTypes;
      const body = orderBody(
        event.id,
        [
          { ticketTypeId: day!.id, quantity: 2 },
          { ticketTypeId: child!.id, quantity: 1 },
          { ticketTypeId: day!.id, quantity: 1 },
        ],
        20_000,
      );
      const res = await call(server.app, 'POST', '/v1/orders', { token, body });
      expect(res.status).toBe(200);
      const order = OrderResponse.parse(res.json);
      expect(order.order).toMatchObject({
        id: body.orderId,
        eventId: event.id,
        totalMinor: 3 * 4500 + 1500,
        currency: 'EUR',
      });
      expect(order.order.code).toMatch(/^[ABCDEFGHJKLMNPQRSTUVWXYZ2-9]{6}$/);
      expect(order.tickets).toHaveLength(4);
      for (const t of order.tickets) {
        // Signed codes (S1 + base32): checked in rules-and-push.test.ts against the replicated public key.
        expect(t.code).toMatch(/^S1[A-Z2-7]{154}$/);
        expect(t).toMatchObject({
          orderId: body.orderId,
          orderCode: order.order.code,
          eventId: event.id,
          status: 'valid',
          paid: true,
          rotatingSecret: null,
        });
      }
      expect(new Set(order.tickets.map((t) => t.code)).size).toBe(4);
      expect(order.tickets.filter((t) => t.ticketTypeId === day!.id)).toHaveLength(3);
      expect(await soldOf(day!.id)).toBe(3);
      expect(await soldOf(child!.id)).toBe(1);
    });

    it('refuses to sell past capacity as sold_out and changes nothing', async () => {
      const event = await createTestEvent(server, [
        { priceMinor: 100, capacity: 3 },
        { priceMinor: 100, capacity: 100 },
      ]);
      const [small, large] = event.ticketTypes;
      await sell(server, token, event.id, small!.id, 2);
      const res = await call(server.app, 'POST', '/v1/orders', {
        token,
        body: orderBody(event.id, [
          { ticketTypeId: large!.id, quantity: 5 },
          { ticketTypeId: small!.id, quantity: 2 },
        ]),
      });
      expectError(res, 409, 'sold_out');
      expect(res.json.error.detail).toMatch(/1 left/);
      expect(await soldOf(small!.id)).toBe(2);
      expect(await soldOf(large!.id)).toBe(0);
      expect(await ticketCount(large!.id)).toBe(0);
    });

    it('refuses an unknown ticket type, one from another event and an unknown event', async () => {
      const event = await createTestEvent(server);
      const other = await createTestEvent(server);
      expectError(
        await call(server.app, 'POST', '/v1/orders', {
          token,
          body: orderBody(event.id, [{ ticketTypeId: uuidv7(), quantity: 1 }]),
        }),
        404,
        'unknown_ticket_type',
      );
      expectError(
        await call(server.app, 'POST', '/v1/orders', {
          token,
          body: orderBody(event.id, [{ ticketTypeId: other.ticketTypes[0]!.id, quantity: 1 }]),
        }),
        404,
        'unknown_ticket_type',
      );
      expectError(
        await call(server.app, 'POST', '/v1/orders', {
          token,
          body: orderBody(uuidv7(), [{ ticketTypeId: event.ticketTypes[0]!.id, quantity: 1 }]),
        }),
        404,
        'not_found',
      );
    });

    it('refuses a payment that does not cover the total', async () => {
      const event = await createTestEvent(server, [{ priceMinor: 4500, capacity: null }]);
      const res = await call(server.app, 'POST', '/v1/orders', {
        token,
        body: orderBody(event.id, [{ ticketTypeId: event.ticketTypes[0]!.id, quantity: 2 }], 8999),
      });
      expectError(res, 400, 'bad_request');
    });

    it('answers the same order id with the same content again with the same order, selling once', async () => {
      const event = await createTestEvent(server, [{ priceMinor: 100, capacity: 10 }]);
      const typeId = event.ticketTypes[0]!.id;
      const body = orderBody(event.id, [{ ticketTypeId: typeId, quantity: 2 }]);
      const first = await call(server.app, 'POST', '/v1/orders', { token, body });
      expect(first.status).toBe(200);
      // The same cart split into other lines is the same content.
      const again = await call(server.app, 'POST', '/v1/orders', {
        token,
        body: { ...body, lines: [{ ticketTypeId: typeId, quantity: 1 }, { ticketTypeId: typeId.toUpperCase(), quantity: 1 }] },
      });
      expect(again.status).toBe(200);
      expect(OrderResponse.parse(again.json)).toEqual(OrderResponse.parse(first.json));
      expect(await soldOf(typeId)).toBe(2);
      expect(await ticketCount(typeId)).toBe(2);
      expect(await backend.handle.db.$count(orders, eq(orders.id, body.orderId))).toBe(1);
    });

    it('refuses the same order id with other content, or from another device, as duplicate_order and changes nothing', async () => {
      const event = await createTestEvent(server, [{ priceMinor: 100, capacity: 10 }]);
      const typeId = event.ticketTypes[0]!.id;
      const body = orderBody(event.id, [{ ticketTypeId: typeId, quantity: 2 }]);
      expect((await call(server.app, 'POST', '/v1/orders', { token, body })).status).toBe(200);
      const more = await call(server.app, 'POST', '/v1/orders', { token, body: { ...orderBody(event.id, [{ ticketTypeId: typeId, quantity: 3 }]), orderId: body.orderId } });
      expectError(more, 409, 'duplicate_order');
      expect(more.json.error.detail).toMatch(/other content/);
      const other = await pairTerminal(server, 'Second box office');
      expectError(await call(server.app, 'POST', '/v1/orders', { token: other.token, body }), 409, 'duplicate_order');
      expect(await soldOf(typeId)).toBe(2);
      expect(await ticketCount(typeId)).toBe(2);
      expect(await backend.handle.db.$count(orders, eq(orders.id, body.orderId))).toBe(1);
    });

    it('never oversells with 50 concurrent orders against capacity 10', async () => {
      const event = await createTestEvent(server, [{ priceMinor: 100, capacity: 10 }]);
      const typeId = event.ticketTypes[0]!.id;
      const results = await Promise.all(
        Array.from({ length: 50 }, () =>
          call(server.app, 'POST', '/v1/orders', {
            token,
            body: orderBody(event.id, [{ ticketTypeId: typeId, quantity: 1 }]),
          }),
        ),
      );
      const ok = results.filter((r) => r.status === 200);
      const soldOut = results.filter((r) => r.status === 409 && r.json.error.code === 'sold_out');
      expect(ok).toHaveLength(10);
      expect(soldOut).toHaveLength(40);
      expect(await soldOf(typeId)).toBe(10);
      expect(await ticketCount(typeId)).toBe(10);
    });

    it('never oversells with concurrent multi-ticket orders', async () => {
      const event = await createTestEvent(server, [{ priceMinor: 100, capacity: 7 }]);
      const typeId = event.ticketTypes[0]!.id;
      const results = await Promise.all(
        Array.from({ length: 13 }, () =>
          call(server.app, 'POST', '/v1/orders', {
            token,
            body: orderBody(event.id, [{ ticketTypeId: typeId, quantity: 2 }]),
          }),
        ),
      );
      const codes = results.map((r) => (r.status === 200 ? 'ok' : r.json.error.code));
      expect(codes.filter((c) => c === 'ok')).toHaveLength(3);
      expect(codes.filter((c) => c === 'sold_out')).toHaveLength(10);
      expect(await soldOf(typeId)).toBe(6);
      expect(await ticketCount(typeId)).toBe(6);
    });

    it('sells once for several concurrent copies of the same order, each answered with that order', async () => {
      const event = await createTestEvent(server, [{ priceMinor: 100, capacity: 100 }]);
      const typeId = event.ticketTypes[0]!.id;
      const body = orderBody(event.id, [{ ticketTypeId: typeId, quantity: 3 }]);
      const results = await Promise.all(
        Array.from({ length: 6 }, () => call(server.app, 'POST', '/v1/orders', { token, body })),
      );
      expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
      expect(new Set(results.map((r) => OrderResponse.parse(r.json).order.code)).size).toBe(1);
      expect(await soldOf(typeId)).toBe(3);
      expect(await ticketCount(typeId)).toBe(3);
    });
  });

  describe('claims', () => {
    const claim = (ticketId: string, checkinId = uuidv7(), as = token) =>
      call(server.app, 'POST', '/v1/checkins/claim', {
        token: as,
        body: { checkinId, ticketId, at: new Date().toISOString() },
      });

    it('accepts the first claim, answers a retry as duplicate and a second scan as conflict (not recorded)', async () => {
      const event = await createTestEvent(server);
      const {
        tickets: [ticket],
      } = await sell(server, token, event.id, event.ticketTypes[0]!.id);
      const checkinId = uuidv7();
      const first = await claim(ticket!.id, checkinId);
      expect(ClaimResponse.parse(first.json)).toEqual({ status: 'accepted', firstAt: null });
      expect((await claim(ticket!.id, checkinId)).json).toEqual({ status: 'duplicate', firstAt: null });
      const other = await pairTerminal(server, 'Other gate');
      const second = await claim(ticket!.id, uuidv7(), other.token);
      expect(second.json.status).toBe('conflict');
      expect(Date.parse(second.json.firstAt)).not.toBeNaN();
      expect(await backend.handle.db.$count(checkins, eq(checkins.ticketId, ticket!.id))).toBe(1);
    });

    it('answers an unknown ticket with not_found', async () => {
      expectError(await claim(uuidv7()), 404, 'not_found');
    });

    it('lets exactly one of many concurrent claims win', async () => {
      const event = await createTestEvent(server);
      const order = await sell(server, token, event.id, event.ticketTypes[0]!.id, 3);
      for (const ticket of order.tickets) {
        const results = await Promise.all(Array.from({ length: 8 }, () => claim(ticket.id)));
        const statuses = results.map((r) => r.json.status);
        expect(statuses.filter((s) => s === 'accepted')).toHaveLength(1);
        expect(statuses.filter((s) => s === 'conflict')).toHaveLength(7);
      }
      const accepted = await backend.handle.db.select().from(checkins).where(eq(checkins.status, 'accepted'));
      for (const ticket of order.tickets) expect(accepted.filter((c) => c.ticketId === ticket.id)).toHaveLength(1);
    });
  });

  describe('push', () => {
    it('answers accepted, duplicate and conflict per record and keeps conflicts', async () => {
      const event = await createTestEvent(server);
      const order = await sell(server, token, event.id, event.ticketTypes[0]!.id, 2);
      const [a, b] = order.tickets;
      const at = new Date().toISOString();
      const r1 = uuidv7();
      const r2 = uuidv7();
      const r3 = uuidv7();
      const unknownTicket = uuidv7();
      const records = [
        { id: r1, kind: 'checkin', ticketId: a!.id, at },
        { id: r2, kind: 'checkin', ticketId: a!.id, at }, // second admission of the same ticket
        { id: r1, kind: 'checkin', ticketId: a!.id, at }, // same record twice in one batch
        { id: r3, kind: 'checkin', ticketId: b!.id, at },
        { id: uuidv7(), kind: 'checkin', ticketId: unknownTicket, at }, // not a ticket of this server
      ];
      const res = await call(server.app, 'POST', '/v1/push', { token, body: { records } });
      expect(res.status).toBe(200);
      expect(PushResponse.parse(res.json).results.map((r) => r.status)).toEqual([
        'accepted',
        'conflict',
        'duplicate',
        'accepted',
        'conflict',
      ]);
      const kept = await backend.handle.db.select().from(checkins).where(eq(checkins.ticketId, a!.id));
      expect(kept.map((c) => c.status).sort()).toEqual(['accepted', 'conflict']);
      expect(await backend.handle.db.$count(checkins, eq(checkins.ticketId, unknownTicket))).toBe(1);

      // The whole batch again under a new request id: all duplicates, nothing changes.
      const before = await backend.handle.db.select().from(checkins);
      const replay = await call(server.app, 'POST', '/v1/push', { token, body: { records } });
      expect(replay.status).toBe(200);
      expect(replay.json.results.map((r: { status: string }) => r.status)).toEqual([
        'duplicate',
        'duplicate',
        'duplicate',
        'duplicate',
        'duplicate',
      ]);
      const after = await backend.handle.db.select().from(checkins);
      expect(after).toEqual(before);
    });

    it('reports a pushed check-in as conflict when a claim already admitted the ticket', async () => {
      const event = await createTestEvent(server);
      const {
        tickets: [ticket],
      } = await sell(server, token, event.id, event.ticketTypes[0]!.id);
      await call(server.app, 'POST', '/v1/checkins/claim', {
        token,
        body: { checkinId: uuidv7(), ticketId: ticket!.id, at: new Date().toISOString() },
      });
      const offline = await pairTerminal(server, 'Offline gate');
      const id = uuidv7();
      const res = await call(server.app, 'POST', '/v1/push', {
        token: offline.token,
        body: { records: [{ id, kind: 'checkin', ticketId: ticket!.id, at: new Date().toISOString() }] },
      });
      expect(res.json.results).toEqual([{ id, status: 'conflict', detail: 'already_used' }]);
      const conflicts = await server.admin.listCheckins({ status: 'conflict', ticketId: ticket!.id });
      expect(conflicts).toEqual([
        expect.objectContaining({ id, deviceName: 'Offline gate', ticketCode: ticket!.code }),
      ]);
    });

    it('stays consistent when two terminals push the same ticket at once', async () => {
      const event = await createTestEvent(server);
      const {
        tickets: [ticket],
      } = await sell(server, token, event.id, event.ticketTypes[0]!.id);
      const terminals = await Promise.all([
        pairTerminal(server, 'P1'),
        pairTerminal(server, 'P2'),
        pairTerminal(server, 'P3'),
      ]);
      const results = await Promise.all(
        terminals.map((t) =>
          call(server.app, 'POST', '/v1/push', {
            token: t.token,
            body: { records: [{ id: uuidv7(), kind: 'checkin', ticketId: ticket!.id, at: new Date().toISOString() }] },
          }),
        ),
      );
      const statuses = results.map((r) => r.json.results[0].status).sort();
      expect(statuses).toEqual(['accepted', 'conflict', 'conflict']);
      expect(await backend.handle.db.$count(checkins, eq(checkins.ticketId, ticket!.id))).toBe(3);
    });
  });
});
