// Vouchers at the server, on PGlite and on a real PostgreSQL cluster: the organizer creates, lists,
// changes and switches them off (admin only, audited); a terminal previews one without redeeming it;
// an order applies it with the one price function and takes its uses in the order's transaction, and
// a refused voucher leaves nothing redeemed and nothing sold. Many box offices ordering at once against
// a voucher of N uses redeem it exactly N times.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdmitServer } from '../../server/src/app';
import { auditEntries, orders, ticketTypes, vouchers } from '../../server/src/db/schema';
import { type Backend, backends, call, createTestEvent, expectError, makeServer, openBackend, orderBody, pairTerminal } from './harness';

const TOKEN = 'test-admin-token';
const DAY = 86_400_000;

describe.each(backends)('vouchers on %s', (backendName) => {
  let backend: Backend;
  let server: AdmitServer;
  let tokens: string[];

  beforeAll(async () => {
    backend = await openBackend(backendName);
    server = makeServer(backend);
    tokens = [];
    for (let i = 0; i < 4; i++) tokens.push((await pairTerminal(server, `Till ${i}`)).token);
  }, 300_000);
  afterAll(async () => {
    await server?.close();
    await backend?.close();
  });

  const admin = (method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown) =>
    call(server.app, method, url, { token: TOKEN, ...(body !== undefined ? { body } : {}) });
  const order = (token: string, body: object) => call(server.app, 'POST', '/v1/orders', { token, body });
  const soldOf = async (id: string) => (await backend.handle.db.select().from(ticketTypes).where(eq(ticketTypes.id, id)))[0]!.sold;
  const usedOf = async (id: string) => (await backend.handle.db.select().from(vouchers).where(eq(vouchers.id, id)))[0]!.used;

  it('lets the organizer create, list, change and switch off a voucher, audited; terminals may not', async () => {
    const event = await createTestEvent(server, [{ priceMinor: 1000, capacity: null }]);
    const created = await admin('POST', `/admin/v1/events/${event.id}/vouchers`, { code: ' spring ', kind: 'percent', value: 20, maxUses: 5 });
    expect(created.status).toBe(200);
    expect(created.json.voucher).toMatchObject({ code: 'SPRING', kind: 'percent', value: 20, maxUses: 5, used: 0, usesLeft: 5, active: true, ticketTypeIds: null });
    const id = created.json.voucher.id as string;
    expectError(await admin('POST', `/admin/v1/events/${event.id}/vouchers`, { code: 'SPRING', kind: 'fixed', value: 100 }), 409, 'conflict');
    expectError(await admin('POST', `/admin/v1/events/${event.id}/vouchers`, { code: 'BIG', kind: 'percent', value: 150 }), 400, 'bad_request');
    expectError(
      await admin('POST', `/admin/v1/events/${event.id}/vouchers`, { code: 'OTHER', kind: 'fixed', value: 100, ticketTypeIds: ['0190a000-0000-7000-8000-00000000ffff'] }),
      404,
      'unknown_ticket_type',
    );
    const fixed = await admin('POST', `/admin/v1/events/${event.id}/vouchers`, { code: 'TENOFF', kind: 'fixed', value: 10_00 });
    expect(fixed.json.voucher).toMatchObject({ currency: 'EUR' });

    const listed = await admin('GET', `/admin/v1/events/${event.id}/vouchers`);
    expect(listed.json.vouchers.map((v: { code: string }) => v.code)).toEqual(['SPRING', 'TENOFF']);
    const changed = await admin('PATCH', `/admin/v1/events/${event.id}/vouchers/${id}`, { value: 25, maxPerOrder: 2 });
    expect(changed.json.voucher).toMatchObject({ value: 25, maxPerOrder: 2, code: 'SPRING' });

    // A terminal's own token opens no admin route.
    expectError(await call(server.app, 'GET', `/admin/v1/events/${event.id}/vouchers`, { token: tokens[0]! }), 401, 'unauthorized');

    const disabled = await admin('POST', `/admin/v1/events/${event.id}/vouchers/${id}/disable`, {});
    expect(disabled.json.voucher.active).toBe(false);
    const preview = await call(server.app, 'GET', `/v1/vouchers/spring?eventId=${event.id}`, { token: tokens[0]! });
    expect(preview.json).toMatchObject({ code: 'SPRING', problem: 'voucher_unknown', voucher: null });

    const audited = await backend.handle.db.select().from(auditEntries).where(eq(auditEntries.subject, id));
    expect(audited.map((e) => e.action).sort()).toEqual(['voucher_created', 'voucher_disabled', 'voucher_updated']);
  });

  it('previews a voucher for a terminal without redeeming it', async () => {
    const event = await createTestEvent(server, [
      { priceMinor: 4500, capacity: null },
      { priceMinor: 999, capacity: null },
    ]);
    const [a, b] = event.ticketTypes.map((t) => t.id) as [string, string];
    const v = await admin('POST', `/admin/v1/events/${event.id}/vouchers`, { code: 'KIDS15', kind: 'percent', value: 15, ticketTypeIds: [b], maxUses: 3 });
    const soon = await admin('POST', `/admin/v1/events/${event.id}/vouchers`, {
      code: 'LATER',
      kind: 'fixed',
      value: 500,
      validFrom: new Date(Date.now() + DAY).toISOString(),
    });
    expect(soon.status).toBe(200);
    const preview = await call(server.app, 'GET', `/v1/vouchers/%20kids15%20?eventId=${event.id}`, { token: tokens[1]! });
    expect(preview.status).toBe(200);
    expect(preview.json).toMatchObject({ code: 'KIDS15', problem: null, discounts: [{ ticketTypeId: b, unitDiscountMinor: 150 }] });
    expect(preview.json.voucher).toMatchObject({ kind: 'percent', value: 15, ticketTypeIds: [b], maxUses: 3, used: 0 });
    expect(await usedOf(v.json.voucher.id)).toBe(0);
    expect((await call(server.app, 'GET', `/v1/vouchers/LATER?eventId=${event.id}`, { token: tokens[1]! })).json.problem).toBe('voucher_not_yet_valid');
    expect((await call(server.app, 'GET', `/v1/vouchers/NOPE?eventId=${event.id}`, { token: tokens[1]! })).json.problem).toBe('voucher_unknown');
    expect(a).toBeTruthy();
  });

  it('applies a voucher to an order, records the discount and takes its uses; a refused one redeems and sells nothing', async () => {
    const event = await createTestEvent(server, [
      { priceMinor: 4500, capacity: 100 },
      { priceMinor: 999, capacity: 100 },
    ]);
    const [a, b] = event.ticketTypes.map((t) => t.id) as [string, string];
    const v = await admin('POST', `/admin/v1/events/${event.id}/vouchers`, { code: 'KIDS15', kind: 'percent', value: 15, ticketTypeIds: [b], maxUses: 5, maxPerOrder: 2 });
    const voucherId = v.json.voucher.id as string;

    const body = { ...orderBody(event.id, [{ ticketTypeId: a, quantity: 1 }, { ticketTypeId: b, quantity: 2 }], 6198), voucherCode: 'kids15' };
    const sold = await order(tokens[0]!, body);
    expect(sold.status).toBe(200);
    // 4500 + 2 × (999 − 150)
    expect(sold.json.order).toMatchObject({ totalMinor: 6198, subtotalMinor: 6498, discountMinor: 300, voucherCode: 'KIDS15' });
    expect(sold.json.order.discounts).toEqual(expect.arrayContaining([{ ticketTypeId: b, unitDiscountMinor: 150 }, { ticketTypeId: a, unitDiscountMinor: 0 }]));
    const [row] = await backend.handle.db.select().from(orders).where(eq(orders.id, body.orderId));
    expect(row).toMatchObject({ totalMinor: 6198, discountMinor: 300, voucherUses: 2, voucherId });
    expect(await usedOf(voucherId)).toBe(2);
    // The same order again answers with it, nothing more redeemed.
    const again = await order(tokens[0]!, body);
    expect(again.json.order).toMatchObject({ id: body.orderId, totalMinor: 6198, discountMinor: 300, voucherCode: 'KIDS15' });
    expect(await usedOf(voucherId)).toBe(2);

    // Over the per-order limit: a clear code, nothing redeemed, nothing sold.
    const over = await order(tokens[1]!, { ...orderBody(event.id, [{ ticketTypeId: b, quantity: 3 }]), voucherCode: 'KIDS15' });
    expectError(over, 409, 'voucher_over_order_limit');
    expect(over.json.error.detail).toContain('at most 2 per order');
    expect(await usedOf(voucherId)).toBe(2);
    expect(await soldOf(b)).toBe(2);
    expect(await backend.handle.db.$count(orders, and(eq(orders.eventId, event.id)))).toBe(1);

    expectError(await order(tokens[1]!, { ...orderBody(event.id, [{ ticketTypeId: a, quantity: 1 }]), voucherCode: 'KIDS15' }), 409, 'voucher_not_applicable');
    expectError(await order(tokens[1]!, { ...orderBody(event.id, [{ ticketTypeId: b, quantity: 1 }]), voucherCode: 'NOSUCH' }), 404, 'voucher_unknown');
    // The payment must cover the discounted total.
    expectError(await order(tokens[1]!, { ...orderBody(event.id, [{ ticketTypeId: b, quantity: 1 }], 848), voucherCode: 'KIDS15' }), 400, 'bad_request');
    // Three uses left: two orders of two need four.
    expect((await order(tokens[1]!, { ...orderBody(event.id, [{ ticketTypeId: b, quantity: 2 }]), voucherCode: 'KIDS15' })).status).toBe(200);
    expectError(await order(tokens[2]!, { ...orderBody(event.id, [{ ticketTypeId: b, quantity: 2 }]), voucherCode: 'KIDS15' }), 409, 'voucher_used_up');
    expect(await usedOf(voucherId)).toBe(4);
    expect(await soldOf(b)).toBe(4);
    // The organizer cannot set the limit below what is used.
    expectError(await admin('PATCH', `/admin/v1/events/${event.id}/vouchers/${voucherId}`, { maxUses: 3 }), 409, 'conflict');
  });

  it('refuses a voucher outside its validity by the server clock', async () => {
    const event = await createTestEvent(server, [{ priceMinor: 1000, capacity: null }]);
    const [a] = event.ticketTypes.map((t) => t.id) as [string];
    await admin('POST', `/admin/v1/events/${event.id}/vouchers`, { code: 'OLD', kind: 'fixed', value: 100, validFrom: new Date(Date.now() - 3 * DAY).toISOString(), validUntil: new Date(Date.now() - DAY).toISOString() });
    await admin('POST', `/admin/v1/events/${event.id}/vouchers`, { code: 'NEW', kind: 'fixed', value: 100, validFrom: new Date(Date.now() + DAY).toISOString() });
    expectError(await order(tokens[0]!, { ...orderBody(event.id, [{ ticketTypeId: a, quantity: 1 }]), voucherCode: 'OLD' }), 409, 'voucher_expired');
    expectError(await order(tokens[0]!, { ...orderBody(event.id, [{ ticketTypeId: a, quantity: 1 }]), voucherCode: 'NEW' }), 409, 'voucher_not_yet_valid');
    expect(await soldOf(a)).toBe(0);
  });

  it('redeems a voucher of N uses exactly N times when many box offices order at once', async () => {
    const N = 7;
    const event = await createTestEvent(server, [
      { priceMinor: 2000, capacity: null },
      { priceMinor: 3000, capacity: null },
    ]);
    const [a, b] = event.ticketTypes.map((t) => t.id) as [string, string];
    const v = await admin('POST', `/admin/v1/events/${event.id}/vouchers`, { code: 'FIRST7', kind: 'fixed', value: 500, maxUses: N });
    const voucherId = v.json.voucher.id as string;
    // One ticket per order, of either type, so orders do not queue on a common type row: only the
    // voucher's own lock keeps two of them from both taking its last use.
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        order(tokens[i % tokens.length]!, { ...orderBody(event.id, [{ ticketTypeId: i % 2 ? a : b, quantity: 1 }]), voucherCode: 'FIRST7' }),
      ),
    );
    const outcomes = results.map((r) => (r.status === 200 ? 'ok' : `${r.status} ${r.json?.error?.code}`));
    expect(outcomes.filter((o) => o !== 'ok' && o !== '409 voucher_used_up')).toEqual([]);
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(N);
    expect(await usedOf(voucherId)).toBe(N);
    const redeemed = await backend.handle.db.select().from(orders).where(eq(orders.voucherId, voucherId));
    expect(redeemed).toHaveLength(N);
    expect(redeemed.every((o) => o.discountMinor === 500 && o.voucherUses === 1)).toBe(true);
    expect((await soldOf(a)) + (await soldOf(b))).toBe(N);
  }, 300_000);
});
