// An order's payment, tender by tender: the server takes every tender method and a split with its
// parts, stores the parts, refuses parts that do not add up to the payment (or a split without parts),
// and answers a re-sent order id only when its payments are the same — on PGlite and PostgreSQL.
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TENDER_METHODS } from '../../domain/tender';
import type { AdmitServer } from '../../server/src/app';
import { orders } from '../../server/src/db/schema';
import { type Backend, backends, call, createTestEvent, expectError, makeServer, openBackend, orderBody, pairTerminal } from './harness';

describe.each(backends)('order payments on %s', (backendName) => {
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
  const stored = async (id: string) => (await backend.handle.db.select().from(orders).where(eq(orders.id, id)))[0]!;

  it('takes every tender method alone, and a split with its parts', async () => {
    const event = await createTestEvent(server, [{ priceMinor: 5000, capacity: null }]);
    const lines = [{ ticketTypeId: event.ticketTypes[0]!.id, quantity: 1 }];
    for (const method of TENDER_METHODS) {
      const body = { ...orderBody(event.id, lines, 5000), payment: { method, amountMinor: 5000 }, payments: [{ method, amountMinor: 5000 }] };
      const res = await call(server.app, 'POST', '/v1/orders', { token, body });
      expect(res.status, method).toBe(200);
      expect(await stored(body.orderId)).toMatchObject({ paymentMethod: method, amountMinor: 5000 });
    }
    const parts = [
      { method: 'card_terminal' as const, amountMinor: 3000 },
      { method: 'cash' as const, amountMinor: 2000 },
    ];
    const split = { ...orderBody(event.id, lines, 5000), payment: { method: 'split' as const, amountMinor: 5000 }, payments: parts };
    expect((await call(server.app, 'POST', '/v1/orders', { token, body: split })).status).toBe(200);
    expect(await stored(split.orderId)).toMatchObject({ paymentMethod: 'split', amountMinor: 5000, payments: parts });

    // The same id with the same payments again: the same order; with other parts: duplicate_order.
    expect((await call(server.app, 'POST', '/v1/orders', { token, body: split })).status).toBe(200);
    const other = { ...split, payments: [{ method: 'card_terminal' as const, amountMinor: 2000 }, { method: 'cash' as const, amountMinor: 3000 }] };
    expectError(await call(server.app, 'POST', '/v1/orders', { token, body: other }), 409, 'duplicate_order');
  });

  it('refuses parts that do not add up, a split without parts, a mislabelled single tender and an unknown method', async () => {
    const event = await createTestEvent(server, [{ priceMinor: 5000, capacity: null }]);
    const lines = [{ ticketTypeId: event.ticketTypes[0]!.id, quantity: 1 }];
    const bad = [
      { payment: { method: 'split', amountMinor: 5000 }, payments: [{ method: 'cash', amountMinor: 1000 }, { method: 'qr_sbp', amountMinor: 3000 }] },
      { payment: { method: 'split', amountMinor: 5000 } },
      { payment: { method: 'cash', amountMinor: 5000 }, payments: [{ method: 'card_manual', amountMinor: 5000 }] },
      { payment: { method: 'cash', amountMinor: 5000 }, payments: [{ method: 'cash', amountMinor: 2500 }, { method: 'card', amountMinor: 2500 }] },
      { payment: { method: 'cheque', amountMinor: 5000 } },
      { payment: { method: 'split', amountMinor: 5000 }, payments: [{ method: 'split', amountMinor: 5000 }] },
    ];
    for (const b of bad) {
      const res = await call(server.app, 'POST', '/v1/orders', { token, body: { ...orderBody(event.id, lines, 5000), ...b } });
      expect({ status: res.status, body: JSON.stringify(b) }).toMatchObject({ status: 400 });
    }
    expect(await backend.handle.db.$count(orders, eq(orders.eventId, event.id))).toBe(0);
  });
});
