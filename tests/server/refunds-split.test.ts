// Refunds of what was paid, part by part, on PGlite and a real PostgreSQL cluster: a voucher-discounted
// order refunds each ticket's paid price (the fee on that), a split order's refunds go back non-cash
// first and never pay a part more than it took across several partial refunds, bad requests (more than
// is left, a second refund of a ticket, a split exchange payment that does not add up) change nothing,
// and an exchange's difference paid by a split becomes further parts of the order that later refunds
// pay back to. The provider's id of each part (a QR payment's, a card terminal's receipt number), sent
// with the sale online, on a lease or with an exchange, is kept and returned in the order's view; a bad
// one (too long, not printable ASCII) is refused with nothing stored.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RefundPolicy } from '../../domain/refund-policy';
import { OrderView, RefundResponse } from '../../domain/refund-wire';
import type { OrderPayment } from '../../domain/wire';
import type { AdmitServer } from '../../server/src/app';
import { orders, refunds, tickets, ticketTypes } from '../../server/src/db/schema';
import { currentSeq } from '../../server/src/db/writes';
import { type Backend, backends, call, createTestEvent, expectError, makeServer, openBackend, pairTerminal, TestClock, uuidv7 } from './harness';

const ADMIN = 'test-admin-token';
const HOUR = 3_600_000;
const cashierRule = (basisPoints: number) => ({ hoursBefore: 1, fee: { kind: 'percent' as const, basisPoints }, who: 'cashier' as const });

describe.each(backends)('refunds by payment part (%s)', (backendName) => {
  let backend: Backend;
  let server: AdmitServer;
  let token: string;
  let cashierId: string;
  const clock = new TestClock();

  beforeAll(async () => {
    backend = await openBackend(backendName);
    server = makeServer(backend, { now: clock.now });
    await server.app.ready();
    [cashierId] = (await server.admin.createOperators([{ name: 'Cy Cashier', role: 'cashier', pin: '112233' }])).map((o) => o.id) as [string];
    token = (await pairTerminal(server, 'Box office')).token;
  }, 300_000);
  afterAll(async () => {
    await server?.close();
    await backend?.close();
  });

  async function eventWith(types: { priceMinor: number; policy: RefundPolicy | null }[]) {
    const startsAt = new Date(clock.now().getTime() + 48 * HOUR).toISOString();
    const endsAt = new Date(clock.now().getTime() + 52 * HOUR).toISOString();
    const event = await createTestEvent(server, types.map((t) => ({ priceMinor: t.priceMinor, capacity: 20 })), { startsAt, endsAt });
    for (const [i, t] of types.entries()) {
      const patched = await call(server.app, 'PATCH', `/admin/v1/ticket-types/${event.ticketTypes[i]!.id}`, { token: ADMIN, body: { refundPolicy: t.policy } });
      expect(patched.status).toBe(200);
    }
    return { event, typeIds: event.ticketTypes.map((t) => t.id) };
  }
  const order = async (body: Record<string, unknown>) => {
    const res = await call(server.app, 'POST', '/v1/orders', { token, body: { orderId: uuidv7(), ...body } });
    expect(res.status).toBe(200);
    return res.json as { order: { id: string; totalMinor: number }; tickets: { id: string; ticketTypeId: string }[] };
  };
  const refund = (orderId: string, body: Record<string, unknown>) =>
    call(server.app, 'POST', `/v1/orders/${orderId}/refunds`, { token, body: { refundId: uuidv7(), operatorId: cashierId, reason: 'customer asked', ...body } });
  const exchange = (orderId: string, body: Record<string, unknown>) =>
    call(server.app, 'POST', `/v1/orders/${orderId}/exchanges`, { token, body: { exchangeId: uuidv7(), operatorId: cashierId, reason: 'other night', ...body } });
  const view = async (orderId: string) => OrderView.parse((await call(server.app, 'GET', `/v1/orders/lookup?code=${orderId}`, { token })).json);
  /** What a bad request must leave alone: the order's refunds, its tickets' states, stock, the change feed. */
  const state = async (orderId: string, typeId: string) => ({
    refunds: await backend.handle.db.select().from(refunds).where(eq(refunds.orderId, orderId)),
    tickets: (await backend.handle.db.select().from(tickets).where(eq(tickets.orderId, orderId))).map((t) => [t.id, t.status]).sort(),
    sold: (await backend.handle.db.select().from(ticketTypes).where(eq(ticketTypes.id, typeId)))[0]!.sold,
    seq: await currentSeq(backend.handle.db),
  });

  it('keeps what each ticket of a discounted order was sold at and refunds that, less the fee on it', async () => {
    const { event, typeIds } = await eventWith([
      { priceMinor: 3333, policy: { refund: cashierRule(1000), exchange: null } },
      { priceMinor: 1001, policy: { refund: cashierRule(1000), exchange: null } },
    ]);
    const voucher = await call(server.app, 'POST', `/admin/v1/events/${event.id}/vouchers`, { token: ADMIN, body: { code: 'FIFTEEN', kind: 'percent', value: 15, ticketTypeIds: [typeIds[0]] } });
    expect(voucher.status).toBe(200);
    const sold = await order({
      eventId: event.id,
      lines: [{ ticketTypeId: typeIds[0], quantity: 3 }, { ticketTypeId: typeIds[1], quantity: 1 }],
      payment: { method: 'cash', amountMinor: 1_000_000 },
      voucherCode: 'FIFTEEN',
    });
    const rows = await backend.handle.db.select().from(tickets).where(eq(tickets.orderId, sold.order.id));
    const discounted = 3333 - Math.round((3333 * 15) / 100);
    expect(rows.map((t) => t.paidMinor).sort()).toEqual([1001, discounted, discounted, discounted].sort());
    expect(rows.reduce((n, t) => n + t.paidMinor!, 0)).toBe(sold.order.totalMinor);

    const before = await view(sold.order.id);
    const first = before.tickets.find((t) => t.ticketTypeId === typeIds[0])!;
    expect(first).toMatchObject({ priceMinor: discounted, refund: { allowed: true, feeMinor: Math.round(discounted / 10) } });
    const res = await refund(sold.order.id, { ticketIds: [first.id] });
    expect(res.status).toBe(200);
    expect(RefundResponse.parse(res.json).refund).toMatchObject({ amountMinor: discounted - Math.round(discounted / 10), feeMinor: Math.round(discounted / 10) });
  });

  it('pays a split order back non-cash first over several partial refunds, never a part more than it took', async () => {
    const { event, typeIds } = await eventWith([{ priceMinor: 2000, policy: { refund: cashierRule(0), exchange: null } }]);
    const payments: OrderPayment[] = [
      { method: 'cash', amountMinor: 2000 },
      { method: 'card_terminal', amountMinor: 3000 },
      { method: 'qr_alipay', amountMinor: 1000 },
    ];
    const sold = await order({ eventId: event.id, lines: [{ ticketTypeId: typeIds[0], quantity: 3 }], payment: { method: 'split', amountMinor: 6000 }, payments });
    const [a, b, c] = sold.tickets.map((t) => t.id) as [string, string, string];
    const key = (i: number) => `${sold.order.id}:${i}`;

    const first = RefundResponse.parse((await refund(sold.order.id, { ticketIds: [a], amountMinor: 1500 })).json);
    expect(first.refund.payouts).toEqual([{ key: key(1), method: 'card_terminal', amountMinor: 1500 }]);
    const second = RefundResponse.parse((await refund(sold.order.id, { ticketIds: [b] })).json);
    expect(second.refund.payouts).toEqual([
      { key: key(1), method: 'card_terminal', amountMinor: 1500 },
      { key: key(2), method: 'qr_alipay', amountMinor: 500 },
    ]);
    expect(second.view.order.payments.map((p) => p.refundedMinor)).toEqual([0, 3000, 500]);
    expect(second.view.order.balanceMinor).toBe(2500);

    // More than the ticket is worth, and a second refund of a ticket: refused, nothing changed.
    const untouched = await state(sold.order.id, typeIds[0]!);
    expectError(await refund(sold.order.id, { ticketIds: [c], amountMinor: 2001 }), 409, 'refund_too_large');
    expectError(await refund(sold.order.id, { ticketIds: [b] }), 409, 'refund_not_allowed');
    expectError(await refund(sold.order.id, { ticketIds: [a], amountMinor: 1 }), 409, 'refund_not_allowed');
    expect(await state(sold.order.id, typeIds[0]!)).toEqual(untouched);

    const last = RefundResponse.parse((await refund(sold.order.id, { ticketIds: [c] })).json);
    expect(last.refund).toMatchObject({
      amountMinor: 2000,
      payouts: [
        { key: key(2), method: 'qr_alipay', amountMinor: 500 },
        { key: key(0), method: 'cash', amountMinor: 1500 },
      ],
    });
    // Every part paid back at most what it took; the cash part keeps the 500 the first partial refund left.
    expect(last.view.order.payments.map((p) => [p.method, p.amountMinor, p.refundedMinor])).toEqual([
      ['cash', 2000, 1500],
      ['card_terminal', 3000, 3000],
      ['qr_alipay', 1000, 1000],
    ]);
    expect(last.view.order.balanceMinor).toBe(500);
  });

  it('takes an exchange difference paid by a split as further parts, and later refunds pay them back', async () => {
    const { event, typeIds } = await eventWith([
      { priceMinor: 2000, policy: { refund: null, exchange: cashierRule(0) } },
      { priceMinor: 3000, policy: { refund: cashierRule(0), exchange: null } },
    ]);
    const [cheap, dear] = typeIds as [string, string];
    const sold = await order({ eventId: event.id, lines: [{ ticketTypeId: cheap, quantity: 1 }], payment: { method: 'cash', amountMinor: 2000 }, payments: [{ method: 'cash', amountMinor: 2000 }] });
    const ticketIds = [sold.tickets[0]!.id];

    // Parts that do not add up to what is charged: refused, nothing changed.
    const untouched = await state(sold.order.id, cheap);
    expectError(
      await exchange(sold.order.id, { ticketIds, newTicketTypeId: dear, payment: { method: 'split', amountMinor: 1000 }, payments: [{ method: 'card_terminal', amountMinor: 600 }] }),
      400,
      'bad_request',
    );
    expectError(await exchange(sold.order.id, { ticketIds, newTicketTypeId: dear, payment: { method: 'cash', amountMinor: 1200 } }), 400, 'bad_request');
    expect(await state(sold.order.id, cheap)).toEqual(untouched);

    const exchangeId = uuidv7();
    const res = await exchange(sold.order.id, {
      exchangeId,
      ticketIds,
      newTicketTypeId: dear,
      payment: { method: 'split', amountMinor: 1000 },
      payments: [
        { method: 'card_terminal', amountMinor: 600 },
        { method: 'cash', amountMinor: 400 },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.json.refund).toMatchObject({ chargedMinor: 1000, paymentMethod: 'split', payments: [{ method: 'card_terminal', amountMinor: 600 }, { method: 'cash', amountMinor: 400 }], payouts: [] });
    const newTicket = res.json.tickets[0].id as string;
    const [minted] = await backend.handle.db.select().from(tickets).where(eq(tickets.id, newTicket));
    expect(minted!.paidMinor).toBe(3000);

    const back = RefundResponse.parse((await refund(sold.order.id, { ticketIds: [newTicket] })).json);
    expect(back.refund).toMatchObject({ amountMinor: 3000 });
    expect(back.refund.payouts).toEqual([
      { key: `${exchangeId}:0`, method: 'card_terminal', amountMinor: 600 },
      { key: `${sold.order.id}:0`, method: 'cash', amountMinor: 2000 },
      { key: `${exchangeId}:1`, method: 'cash', amountMinor: 400 },
    ]);
  });

  it('pays an exchange into a cheaper type back to the order card part', async () => {
    const { event, typeIds } = await eventWith([
      { priceMinor: 3000, policy: { refund: null, exchange: cashierRule(0) } },
      { priceMinor: 1800, policy: null },
    ]);
    const sold = await order({
      eventId: event.id,
      lines: [{ ticketTypeId: typeIds[0], quantity: 1 }],
      payment: { method: 'split', amountMinor: 3000 },
      payments: [
        { method: 'cash', amountMinor: 1000 },
        { method: 'card_manual', amountMinor: 2000 },
      ],
    });
    const res = await exchange(sold.order.id, { ticketIds: [sold.tickets[0]!.id], newTicketTypeId: typeIds[1] });
    expect(res.status).toBe(200);
    expect(res.json.refund).toMatchObject({ amountMinor: 1200, chargedMinor: 0, payouts: [{ key: `${sold.order.id}:1`, method: 'card_manual', amountMinor: 1200 }] });
  });

  it('keeps the paid price and the parts of a split sale made offline on a lease, and refunds it part by part', async () => {
    const { event, typeIds } = await eventWith([{ priceMinor: 2500, policy: { refund: cashierRule(0), exchange: null } }]);
    const leased = await call(server.app, 'POST', '/v1/leases', { token, body: { leaseId: uuidv7(), eventId: event.id, ticketTypeId: typeIds[0], quantity: 2, durationS: 3600 } });
    expect(leased.status).toBe(200);
    const ticketIds = (leased.json.tickets as { id: string }[]).map((t) => t.id);
    const sold = await order({
      eventId: event.id,
      lines: [{ ticketTypeId: typeIds[0], quantity: 2 }],
      payment: { method: 'split', amountMinor: 5000 },
      payments: [
        { method: 'card_manual', amountMinor: 1000 },
        { method: 'cash', amountMinor: 4000 },
      ],
      lease: { ticketIds, soldAt: clock.now().toISOString() },
    });
    const rows = await backend.handle.db.select().from(tickets).where(eq(tickets.orderId, sold.order.id));
    expect(rows.map((t) => t.paidMinor)).toEqual([2500, 2500]);
    const res = RefundResponse.parse((await refund(sold.order.id, { ticketIds: [ticketIds[0]] })).json);
    expect(res.refund.payouts).toEqual([
      { key: `${sold.order.id}:0`, method: 'card_manual', amountMinor: 1000 },
      { key: `${sold.order.id}:1`, method: 'cash', amountMinor: 1500 },
    ]);
  });

  it('keeps the provider id of each part, sold online, on a lease or by an exchange, and returns it in the order view', async () => {
    const { event, typeIds } = await eventWith([
      { priceMinor: 2500, policy: { refund: cashierRule(0), exchange: cashierRule(0) } },
      { priceMinor: 4000, policy: { refund: cashierRule(0), exchange: null } },
    ]);
    const [typeId, dearId] = typeIds as [string, string];
    const qrId = '01J9Z-qr_alipay:7f3a';
    const online = await order({
      eventId: event.id,
      lines: [{ ticketTypeId: typeId, quantity: 2 }],
      payment: { method: 'split', amountMinor: 5000 },
      payments: [
        { method: 'qr_alipay', amountMinor: 2000, reference: qrId },
        { method: 'card_terminal', amountMinor: 2000, reference: '000042' },
        { method: 'cash', amountMinor: 1000 },
      ],
    });
    const stored = (await backend.handle.db.select().from(orders).where(eq(orders.id, online.order.id)))[0]!;
    expect(stored.payments).toEqual([
      { method: 'qr_alipay', amountMinor: 2000, reference: qrId },
      { method: 'card_terminal', amountMinor: 2000, reference: '000042' },
      { method: 'cash', amountMinor: 1000 },
    ]);
    expect((await view(online.order.id)).order.payments).toEqual([
      { key: `${online.order.id}:0`, method: 'qr_alipay', amountMinor: 2000, refundedMinor: 0, reference: qrId },
      { key: `${online.order.id}:1`, method: 'card_terminal', amountMinor: 2000, refundedMinor: 0, reference: '000042' },
      { key: `${online.order.id}:2`, method: 'cash', amountMinor: 1000, refundedMinor: 0 },
    ]);
    // A refund's payouts carry no provider id: the view has it.
    const back = RefundResponse.parse((await refund(online.order.id, { ticketIds: [online.tickets[0]!.id] })).json);
    expect(back.refund.payouts).toEqual([{ key: `${online.order.id}:0`, method: 'qr_alipay', amountMinor: 2000 }, { key: `${online.order.id}:1`, method: 'card_terminal', amountMinor: 500 }]);
    expect(back.view.order.payments[0]).toMatchObject({ refundedMinor: 2000, reference: qrId });

    // Sold offline on a lease: the same.
    const leased = await call(server.app, 'POST', '/v1/leases', { token, body: { leaseId: uuidv7(), eventId: event.id, ticketTypeId: typeId, quantity: 1, durationS: 3600 } });
    expect(leased.status).toBe(200);
    const leaseTickets = (leased.json.tickets as { id: string }[]).map((t) => t.id);
    const offline = await order({
      eventId: event.id,
      lines: [{ ticketTypeId: typeId, quantity: 1 }],
      payment: { method: 'qr_sbp', amountMinor: 2500 },
      payments: [{ method: 'qr_sbp', amountMinor: 2500, reference: 'sbp-A1B2C3' }],
      lease: { ticketIds: leaseTickets, soldAt: clock.now().toISOString() },
    });
    expect((await view(offline.order.id)).order.payments).toEqual([{ key: `${offline.order.id}:0`, method: 'qr_sbp', amountMinor: 2500, refundedMinor: 0, reference: 'sbp-A1B2C3' }]);

    // An exchange's difference paid by QR: its part carries its id.
    const exchangeId = uuidv7();
    const ex = await exchange(online.order.id, {
      exchangeId,
      ticketIds: [online.tickets[1]!.id],
      newTicketTypeId: dearId,
      payment: { method: 'qr_wechat', amountMinor: 1500 },
      payments: [{ method: 'qr_wechat', amountMinor: 1500, reference: 'wx-99' }],
    });
    expect(ex.status).toBe(200);
    expect((await view(online.order.id)).order.payments.at(-1)).toEqual({ key: `${exchangeId}:0`, method: 'qr_wechat', amountMinor: 1500, refundedMinor: 0, reference: 'wx-99' });

    // Bad ids: refused, nothing stored.
    const before = await backend.handle.db.$count(orders, eq(orders.eventId, event.id));
    for (const reference of ['', 'x'.repeat(129), 'with space', 'ctl\u0007', 'платёж', 42]) {
      const res = await call(server.app, 'POST', '/v1/orders', {
        token,
        body: { orderId: uuidv7(), eventId: event.id, lines: [{ ticketTypeId: typeId, quantity: 1 }], payment: { method: 'qr_alipay', amountMinor: 2500 }, payments: [{ method: 'qr_alipay', amountMinor: 2500, reference }] },
      });
      expectError(res, 400, 'bad_request');
    }
    expect(await backend.handle.db.$count(orders, eq(orders.eventId, event.id))).toBe(before);
    const okLong = await order({ eventId: event.id, lines: [{ ticketTypeId: typeId, quantity: 1 }], payment: { method: 'qr_alipay', amountMinor: 2500 }, payments: [{ method: 'qr_alipay', amountMinor: 2500, reference: 'y'.repeat(128) }] });
    expect((await view(okLong.order.id)).order.payments[0]!.reference).toBe('y'.repeat(128));
  });
});
