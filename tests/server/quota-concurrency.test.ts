// Shared quotas under concurrency on a real PostgreSQL cluster: many box-office orders at once on two
// ticket types sharing a quota (alone, together, and next to a type outside it, lines in either order),
// while the organizer edits the quota and the types, never sell past the quota, never lose a count, and
// never deadlock (a deadlock would surface as a 500). Afterwards the quota fills to exactly its capacity.
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdmitServer } from '../../server/src/app';
import { quotas, tickets, ticketTypes } from '../../server/src/db/schema';
import { type Backend, call, type CallResult, createTestEvent, makeServer, openBackend, orderBody, pairTerminal } from './harness';

const TOKEN = 'test-admin-token';
const QUOTA = 25;

describe.skipIf(Boolean(process.env.ADMIT_SKIP_POSTGRES_TESTS))('shared quotas under concurrency on PostgreSQL', () => {
  let backend: Backend;
  let server: AdmitServer;
  let tokens: string[];

  beforeAll(async () => {
    backend = await openBackend('PostgreSQL');
    server = makeServer(backend);
    tokens = [];
    for (let i = 0; i < 4; i++) tokens.push((await pairTerminal(server, `Till ${i}`)).token);
  }, 300_000);
  afterAll(async () => {
    await server?.close();
    await backend?.close();
  });

  const admin = (method: 'POST' | 'PATCH', url: string, body: unknown) => call(server.app, method, url, { token: TOKEN, body });

  it.each([1, 2, 3])('round %i: parallel orders on two types sharing a quota never exceed it', async () => {
    const event = await createTestEvent(server, [
      { priceMinor: 1000, capacity: 40 },
      { priceMinor: 2000, capacity: null },
      { priceMinor: 500, capacity: 40 },
    ]);
    const [a, b, c] = event.ticketTypes.map((t) => t.id) as [string, string, string];
    const created = await admin('POST', `/admin/v1/events/${event.id}/quotas`, { name: { en: 'Floor' }, capacity: QUOTA, ticketTypeIds: [a, b] });
    expect(created.status).toBe(200);
    const quotaId = created.json.quota.id as string;

    // Mostly one type per order, so orders of the two types do not queue on a common type row: only the
    // quota's own lock keeps them from both taking its last seats.
    const carts: { ticketTypeId: string; quantity: number }[][] = [
      [{ ticketTypeId: a, quantity: 1 }],
      [{ ticketTypeId: b, quantity: 1 }],
      [{ ticketTypeId: a, quantity: 2 }],
      [{ ticketTypeId: b, quantity: 2 }],
      [
        { ticketTypeId: c, quantity: 1 },
        { ticketTypeId: b, quantity: 1 },
      ],
      [
        { ticketTypeId: b, quantity: 1 },
        { ticketTypeId: a, quantity: 2 },
        { ticketTypeId: c, quantity: 1 },
      ],
    ];
    const sales = Array.from({ length: 80 }, (_, i) =>
      call(server.app, 'POST', '/v1/orders', { token: tokens[i % tokens.length]!, body: orderBody(event.id, carts[i % carts.length]!) }),
    );
    // The organizer edits meanwhile: the quota's members (types, then quota), its name, a type's capacity.
    const edits = [
      admin('PATCH', `/admin/v1/quotas/${quotaId}`, { ticketTypeIds: [b, a] }),
      admin('PATCH', `/admin/v1/ticket-types/${a}`, { capacity: 40, maxPerOrder: 10 }),
      admin('PATCH', `/admin/v1/quotas/${quotaId}`, { name: { en: 'Floor (standing)' } }),
      admin('PATCH', `/admin/v1/ticket-types/${b}`, { name: { en: 'Standing' } }),
      admin('PATCH', `/admin/v1/quotas/${quotaId}`, { capacity: QUOTA, ticketTypeIds: [a, b] }),
    ];
    const results: CallResult[] = await Promise.all([...sales, ...edits]);
    const outcomes = results.map((r) => (r.status === 200 ? 'ok' : `${r.status} ${r.json?.error?.code}`));
    expect(outcomes.filter((o) => o !== 'ok' && o !== '409 sold_out')).toEqual([]);
    expect(outcomes.slice(0, 80).filter((o) => o === 'ok').length).toBeGreaterThan(0);

    const db = backend.handle.db;
    const state = async () => {
      const [quota] = await db.select().from(quotas).where(eq(quotas.id, quotaId));
      const types = await db.select().from(ticketTypes).where(inArray(ticketTypes.id, [a, b, c]));
      const sold = (id: string) => types.find((t) => t.id === id)!.sold;
      const minted = async (id: string) => db.$count(tickets, eq(tickets.ticketTypeId, id));
      return { quota: quota!.sold, a: sold(a), b: sold(b), c: sold(c), mintedA: await minted(a), mintedB: await minted(b), mintedC: await minted(c) };
    };
    const after = await state();
    expect(after.quota).toBeLessThanOrEqual(QUOTA);
    expect(after.quota).toBe(after.a + after.b);
    expect([after.mintedA, after.mintedB, after.mintedC]).toEqual([after.a, after.b, after.c]);

    // Whatever is left of the quota sells, one by one, and then not one more: no count was lost.
    for (let left = QUOTA - after.quota; left > 0; left--) {
      const res = await call(server.app, 'POST', '/v1/orders', { token: tokens[0]!, body: orderBody(event.id, [{ ticketTypeId: b, quantity: 1 }]) });
      expect(res.status).toBe(200);
    }
    const last = await call(server.app, 'POST', '/v1/orders', { token: tokens[1]!, body: orderBody(event.id, [{ ticketTypeId: a, quantity: 1 }]) });
    expect({ status: last.status, code: last.json.error?.code }).toEqual({ status: 409, code: 'sold_out' });
    const full = await state();
    expect(full.quota).toBe(QUOTA);
    expect(full.mintedA + full.mintedB).toBe(QUOTA);
  }, 300_000);
});
