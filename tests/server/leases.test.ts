// Seat leases at the server, on PGlite and a real PostgreSQL cluster: a grant counts its seats in stock
// (online sales elsewhere cannot take them) and hands the device signed codes; a sale on the lease
// turns those codes into sold tickets, once, and only for the device that holds them; a return or a
// reclaim after the grace gives the unsold seats back and revokes their codes; concurrent grants and
// sales never take more than the stock.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCode } from '../../domain/codes';
import { idNumberHash } from '../../domain/hashing';
import { LeaseResponse, LeaseReturnResponse } from '../../domain/wire';
import type { AdmitServer } from '../../server/src/app';
import { events, revocations, tickets, ticketTypes } from '../../server/src/db/schema';
import { reclaimExpiredLeases } from '../../server/src/services/leases';
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
  TestClock,
  uuidv7,
} from './harness';

describe.each(backends)('seat leases on %s', (name) => {
  let backend: Backend;
  let server: AdmitServer;
  let clock: TestClock;
  let tills: { deviceId: string; token: string }[];

  beforeAll(async () => {
    backend = await openBackend(name);
    clock = new TestClock();
    server = makeServer(backend, { now: clock.now, leaseGraceS: 3600 });
    tills = [];
    for (let i = 0; i < 3; i++) tills.push(await pairTerminal(server, `Till ${i}`));
  }, 300_000);
  afterAll(async () => {
    await server?.close();
    await backend?.close();
  });

  const lease = (token: string, eventId: string, ticketTypeId: string, quantity: number, leaseId = uuidv7()) =>
    call(server.app, 'POST', '/v1/leases', { token, body: { leaseId, eventId, ticketTypeId, quantity, durationS: 3600 } });
  const sold = async (typeId: string) =>
    (await backend.handle.db.select().from(ticketTypes).where(eq(ticketTypes.id, typeId)))[0]!.sold;

  it('grants seats counted in stock, with signed codes; the same lease id answers the same lease', async () => {
    const event = await createTestEvent(server, [{ priceMinor: 1000, capacity: 10 }]);
    const typeId = event.ticketTypes[0]!.id;
    const leaseId = uuidv7();
    const first = await lease(tills[0]!.token, event.id, typeId, 4, leaseId);
    expect(first.status).toBe(200);
    const granted = LeaseResponse.parse(first.json);
    expect(granted.lease).toMatchObject({ id: leaseId, size: 4, state: 'active' });
    expect(granted.tickets).toHaveLength(4);
    for (const t of granted.tickets) {
      const parsed = parseCode(t.code);
      expect(parsed.kind).toBe('signed');
      if (parsed.kind === 'signed') expect(parsed.payload.ticketId).toBe(t.id);
    }
    expect(await sold(typeId)).toBe(4);
    const again = await lease(tills[0]!.token, event.id, typeId, 4, leaseId);
    expect(LeaseResponse.parse(again.json).tickets.map((t) => t.id)).toEqual(granted.tickets.map((t) => t.id));
    expect(await sold(typeId)).toBe(4);
    // Another device cannot take the id.
    expectError(await lease(tills[1]!.token, event.id, typeId, 4, leaseId), 409, 'conflict');
    // Leased codes are not tickets yet: no gate knows them until they are sold.
    expect(await backend.handle.db.select().from(tickets).where(eq(tickets.ticketTypeId, typeId))).toHaveLength(0);

    // Online sales elsewhere get only the 6 seats left; a second lease gets what is left after them.
    const sale = await call(server.app, 'POST', '/v1/orders', {
      token: tills[1]!.token,
      body: orderBody(event.id, [{ ticketTypeId: typeId, quantity: 5 }]),
    });
    expect(sale.status).toBe(200);
    expectError(
      await call(server.app, 'POST', '/v1/orders', {
        token: tills[1]!.token,
        body: orderBody(event.id, [{ ticketTypeId: typeId, quantity: 2 }]),
      }),
      409,
      'sold_out',
    );
    const partial = LeaseResponse.parse((await lease(tills[2]!.token, event.id, typeId, 5)).json);
    expect(partial.lease.size).toBe(1);
    expectError(await lease(tills[2]!.token, event.id, typeId, 5), 409, 'sold_out');
    expect(await sold(typeId)).toBe(10);
  });

  it('sells on the lease once, only for its device, then returns the rest and revokes their codes', async () => {
    const event = await createTestEvent(server, [{ priceMinor: 1500, capacity: 10 }]);
    const typeId = event.ticketTypes[0]!.id;
    const granted = LeaseResponse.parse((await lease(tills[0]!.token, event.id, typeId, 5)).json);
    const used = granted.tickets.slice(0, 2).map((t) => t.id);
    const body = {
      ...orderBody(event.id, [{ ticketTypeId: typeId, quantity: 2 }], 3000),
      lease: { ticketIds: used, soldAt: clock.now().toISOString() },
    };
    // Not another device's to sell.
    expectError(await call(server.app, 'POST', '/v1/orders', { token: tills[1]!.token, body }), 409, 'lease_not_held');
    const placed = await call(server.app, 'POST', '/v1/orders', { token: tills[0]!.token, body });
    expect(placed.status).toBe(200);
    expect(placed.json.tickets.map((t: { id: string }) => t.id).sort()).toEqual([...used].sort());
    expect(placed.json.tickets.map((t: { code: string }) => t.code).sort()).toEqual(
      granted.tickets
        .slice(0, 2)
        .map((t) => t.code)
        .sort(),
    );
    expect(placed.json.order.totalMinor).toBe(3000);
    // The upload sent again (a lost answer) answers the same order; the same seats in another order are refused.
    const again = await call(server.app, 'POST', '/v1/orders', { token: tills[0]!.token, body });
    expect(again.json.order.code).toBe(placed.json.order.code);
    expectError(
      await call(server.app, 'POST', '/v1/orders', { token: tills[0]!.token, body: { ...body, orderId: uuidv7() } }),
      409,
      'lease_not_held',
    );
    // Stock was counted at the grant, not again at the sale.
    expect(await sold(typeId)).toBe(5);

    const returned = await call(server.app, 'POST', `/v1/leases/${granted.lease.id}/return`, { token: tills[0]!.token });
    expect(returned.status).toBe(200);
    expect(LeaseReturnResponse.parse(returned.json)).toMatchObject({ sold: 2, returned: 3, lease: { state: 'returned' } });
    expect(await sold(typeId)).toBe(2);
    const rest = granted.tickets.slice(2).map((t) => t.id);
    const revoked = await backend.handle.db.select().from(revocations).where(eq(revocations.eventId, event.id));
    expect(revoked.map((r) => r.ticketId).sort()).toEqual([...rest].sort());
    const rows = await backend.handle.db.select().from(tickets).where(eq(tickets.ticketTypeId, typeId));
    expect(
      rows
        .filter((t) => t.status === 'valid')
        .map((t) => t.id)
        .sort(),
    ).toEqual([...used].sort());
    expect(rows.filter((t) => t.status === 'revoked')).toHaveLength(3);
    // Returning again changes nothing; a returned seat can no longer be sold on the lease.
    expect(
      LeaseReturnResponse.parse(
        (await call(server.app, 'POST', `/v1/leases/${granted.lease.id}/return`, { token: tills[0]!.token })).json,
      ),
    ).toMatchObject({ sold: 2, returned: 3 });
    expect(await sold(typeId)).toBe(2);
    expectError(
      await call(server.app, 'POST', '/v1/orders', {
        token: tills[0]!.token,
        body: {
          ...orderBody(event.id, [{ ticketTypeId: typeId, quantity: 1 }]),
          lease: { ticketIds: [rest[0]!], soldAt: clock.now().toISOString() },
        },
      }),
      409,
      'lease_not_held',
    );
    // Lines that do not match the tickets named are refused.
    const other = LeaseResponse.parse((await lease(tills[0]!.token, event.id, typeId, 2)).json);
    expectError(
      await call(server.app, 'POST', '/v1/orders', {
        token: tills[0]!.token,
        body: {
          ...orderBody(event.id, [{ ticketTypeId: typeId, quantity: 2 }]),
          lease: { ticketIds: [other.tickets[0]!.id], soldAt: clock.now().toISOString() },
        },
      }),
      400,
      'bad_request',
    );
  });

  it("stores each holder given with a sale on the lease on the ticket of that index, in the order the sale names them", async () => {
    const event = await createTestEvent(server, [{ priceMinor: 5000, capacity: 10 }]);
    const typeId = event.ticketTypes[0]!.id;
    const granted = LeaseResponse.parse((await lease(tills[0]!.token, event.id, typeId, 3)).json);
    // Made real-name after the grant: what the till sold under the rules it had is not refused for it.
    await backend.handle.db.update(ticketTypes).set({ realName: true }).where(eq(ticketTypes.id, typeId));
    const [first, , third] = granted.tickets.map((t) => t.id);
    const body = (attendees: unknown[]) => ({
      ...orderBody(event.id, [{ ticketTypeId: typeId, quantity: 2 }], 10_000),
      lease: { ticketIds: [third!, first!], soldAt: clock.now().toISOString() },
      attendees,
    });
    // What is given must still be valid: nothing is sold for a bad phone number.
    const bad = body([{ ticketTypeId: typeId, index: 0, name: 'Li Wei', phone: 'call me' }]);
    expectError(await call(server.app, 'POST', '/v1/orders', { token: tills[0]!.token, body: bad }), 400, 'attendee_field_invalid');
    expect(await backend.handle.db.select().from(tickets).where(eq(tickets.id, third!))).toEqual([]);

    const good = body([
      { ticketTypeId: typeId, index: 0, name: ' Li Wei ', idNumber: 'E12345678', phone: '+86 138 0013 8000' },
      { ticketTypeId: typeId, index: 1, name: 'Anna Ivanova' },
    ]);
    const placed = await call(server.app, 'POST', '/v1/orders', { token: tills[0]!.token, body: good });
    expect(placed.status, JSON.stringify(placed.json)).toBe(200);
    const [row] = await backend.handle.db.select().from(events).where(eq(events.id, event.id));
    const [li] = await backend.handle.db.select().from(tickets).where(eq(tickets.id, third!));
    const [anna] = await backend.handle.db.select().from(tickets).where(eq(tickets.id, first!));
    expect(li).toMatchObject({ orderId: good.orderId, attendeeName: 'Li Wei', phoneLast4: '8000', idHash: await idNumberHash('E12345678', row!.idSalt) });
    expect(anna).toMatchObject({ orderId: good.orderId, attendeeName: 'Anna Ivanova', phoneLast4: null, idHash: null });
    // The terminal gets the holders with the tickets it uploaded.
    const names = Object.fromEntries(placed.json.tickets.map((t: { id: string; attendeeName: string | null }) => [t.id, t.attendeeName]));
    expect(names).toEqual({ [third!]: 'Li Wei', [first!]: 'Anna Ivanova' });
  });

  it('honours a sale uploaded after the lease ended, within the grace; reclaims the rest after it', async () => {
    const event = await createTestEvent(server, [{ priceMinor: 1000, capacity: 6 }]);
    const typeId = event.ticketTypes[0]!.id;
    const granted = LeaseResponse.parse((await lease(tills[1]!.token, event.id, typeId, 6)).json);
    const soldAt = clock.now().toISOString();
    clock.advance(3600_000 + 1000); // past the lease's end, within its grace
    expect((await reclaimExpiredLeases(backend.handle.db, clock.now())).leases).toBe(0);
    const late = await call(server.app, 'POST', '/v1/orders', {
      token: tills[1]!.token,
      requestId: uuidv7({ msecs: clock.now().getTime() }),
      body: {
        ...orderBody(event.id, [{ ticketTypeId: typeId, quantity: 1 }]),
        lease: { ticketIds: [granted.tickets[0]!.id], soldAt, orderCode: 'LATE42' },
      },
    });
    expect(late.status).toBe(200);
    expect(new Date(late.json.order.createdAt).toISOString()).toBe(soldAt);
    expect(late.json.order.code).toBe('LATE42');
    clock.advance(3600_000); // past the grace
    const reclaimed = await reclaimExpiredLeases(backend.handle.db, clock.now());
    expect(reclaimed.leases).toBeGreaterThanOrEqual(1);
    expect(await sold(typeId)).toBe(1);
    const revoked = await backend.handle.db.select().from(revocations).where(eq(revocations.eventId, event.id));
    expect(revoked).toHaveLength(5);
    expectError(
      await call(server.app, 'POST', '/v1/orders', {
        token: tills[1]!.token,
        requestId: uuidv7({ msecs: clock.now().getTime() }),
        body: {
          ...orderBody(event.id, [{ ticketTypeId: typeId, quantity: 1 }]),
          lease: { ticketIds: [granted.tickets[1]!.id], soldAt },
        },
      }),
      409,
      'lease_not_held',
    );
    const list = await call(server.app, 'GET', '/v1/leases', { token: tills[1]!.token });
    clock.offsetMs = 0;
    expect(list.json.leases.map((l: { id: string }) => l.id)).not.toContain(granted.lease.id);
  });

  it('never grants or sells past stock when grants, online sales and returns race', async () => {
    const CAPACITY = 60;
    const event = await createTestEvent(server, [{ priceMinor: 1000, capacity: CAPACITY }]);
    const typeId = event.ticketTypes[0]!.id;
    const work = Array.from({ length: 45 }, (_, i) => {
      const till = tills[i % tills.length]!;
      if (i % 3 === 0)
        return call(server.app, 'POST', '/v1/orders', {
          token: till.token,
          body: orderBody(event.id, [{ ticketTypeId: typeId, quantity: 2 }]),
        });
      return lease(till.token, event.id, typeId, 3);
    });
    const results = await Promise.all(work);
    for (const r of results) expect([200, 409]).toContain(r.status);
    const granted = results.flatMap((r, i) =>
      i % 3 !== 0 && r.status === 200 ? [{ ...LeaseResponse.parse(r.json), token: tills[i % tills.length]!.token }] : [],
    );
    const onlineSold = results.filter((r, i) => i % 3 === 0 && r.status === 200).length * 2;
    const leased = granted.reduce((n, g) => n + g.lease.size, 0);
    expect(onlineSold + leased).toBeLessThanOrEqual(CAPACITY);
    expect(await sold(typeId)).toBe(onlineSold + leased);
    // Every lease returned at once, while more grants come: counts stay exact.
    const returns = granted.map((g) => call(server.app, 'POST', `/v1/leases/${g.lease.id}/return`, { token: g.token }));
    const more = Array.from({ length: 6 }, (_, i) => lease(tills[i % tills.length]!.token, event.id, typeId, 3));
    const after = await Promise.all([...returns, ...more]);
    for (const r of after.slice(0, returns.length)) expect(r.status).toBe(200);
    const regranted = after
      .slice(returns.length)
      .filter((r) => r.status === 200)
      .map((r) => LeaseResponse.parse(r.json).lease.size);
    expect(await sold(typeId)).toBe(onlineSold + regranted.reduce((a, b) => a + b, 0));
    expect(await sold(typeId)).toBeLessThanOrEqual(CAPACITY);
  });
});
