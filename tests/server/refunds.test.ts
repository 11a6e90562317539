// Refunds and exchanges by policy, on PGlite and a real PostgreSQL cluster: a full and a partial refund
// with a fee, the window closed (nothing changed), a manager-only policy (approval with the manager's
// PIN, checked again by the server), an idempotent retry, concurrent refunds of one ticket (one wins),
// seats back in stock (type and quota), the revocation in the change feed, and an exchange into another
// type with the difference charged.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolicyFee, RefundPolicy } from '../../domain/refund-policy';
import { OrderView, RefundResponse } from '../../domain/refund-wire';
import type { AdmitServer } from '../../server/src/app';
import { auditEntries, quotas, refunds, tickets, ticketTypes } from '../../server/src/db/schema';
import { currentSeq } from '../../server/src/db/writes';
import { type Backend, backends, call, createTestEvent, expectError, makeServer, openBackend, pairTerminal, sell, TestClock, uuidv7 } from './harness';

const ADMIN = 'test-admin-token';
const HOUR = 3_600_000;

const open = (who: 'cashier' | 'manager', fee: PolicyFee, hoursBefore = 1) => ({ hoursBefore, fee, who });

describe.each(backends)('refunds and exchanges (%s)', (backendName) => {
  let backend: Backend;
  let server: AdmitServer;
  let token: string;
  let cashierId: string;
  let managerId: string;
  const clock = new TestClock();

  beforeAll(async () => {
    backend = await openBackend(backendName);
    server = makeServer(backend, { now: clock.now });
    await server.app.ready();
    const ops = await server.admin.createOperators([
      { name: 'Cy Cashier', role: 'cashier', pin: '112233' },
      { name: 'Mo Manager', role: 'manager', pin: '99887766' },
    ]);
    [cashierId, managerId] = ops.map((o) => o.id) as [string, string];
    token = (await pairTerminal(server, 'Box office')).token;
  }, 300_000);
  afterAll(async () => {
    await server?.close();
    await backend?.close();
  });

  /** An event starting in two days with one type under `policy` (and a second type, no policy). */
  async function eventWith(policy: RefundPolicy | null, priceMinor = 2000, capacity: number | null = 10) {
    const startsAt = new Date(clock.now().getTime() + 48 * HOUR).toISOString();
    const endsAt = new Date(clock.now().getTime() + 52 * HOUR).toISOString();
    const event = await createTestEvent(server, [{ priceMinor, capacity }, { priceMinor: 3000, capacity: 10 }], { startsAt, endsAt });
    const typeId = event.ticketTypes[0]!.id;
    const patched = await call(server.app, 'PATCH', `/admin/v1/ticket-types/${typeId}`, { token: ADMIN, body: { refundPolicy: policy } });
    expect(patched.status).toBe(200);
    expect(patched.json.ticketType.refundPolicy).toEqual(policy);
    return { event, typeId, otherTypeId: event.ticketTypes[1]!.id };
  }

  const refund = (orderId: string, body: Record<string, unknown>) =>
    call(server.app, 'POST', `/v1/orders/${orderId}/refunds`, { token, body: { refundId: uuidv7(), operatorId: cashierId, reason: 'customer asked', ...body } });
  const sold = async (typeId: string) => (await backend.handle.db.select().from(ticketTypes).where(eq(ticketTypes.id, typeId)))[0]!.sold;
  const seqNow = () => currentSeq(backend.handle.db);

  it('refunds a whole order less a fixed fee per ticket, revokes the codes at the gates and puts the seats back', async () => {
    const { event, typeId } = await eventWith({ refund: open('cashier', { kind: 'fixed', amountMinor: 150 }), exchange: null });
    const order = await sell(server, token, event.id, typeId, 2);
    expect(await sold(typeId)).toBe(2);

    const lookup = await call(server.app, 'GET', `/v1/orders/lookup?code=${encodeURIComponent(order.tickets[0]!.code)}`, { token });
    expect(lookup.status).toBe(200);
    const view = OrderView.parse(lookup.json);
    expect(view.order).toMatchObject({ id: order.order.id, balanceMinor: 4000, paymentMethod: 'cash' });
    expect(view.tickets.map((t) => t.refund)).toEqual([
      expect.objectContaining({ allowed: true, feeMinor: 150, needsManager: false }),
      expect.objectContaining({ allowed: true, feeMinor: 150, needsManager: false }),
    ]);
    expect(view.tickets[0]!.exchange).toMatchObject({ allowed: false, refusal: 'exchange_not_allowed' });

    const cursor = await seqNow();
    const res = await refund(order.order.id, { ticketIds: order.tickets.map((t) => t.id) });
    expect(res.status).toBe(200);
    const done = RefundResponse.parse(res.json);
    expect(done.refund).toMatchObject({ kind: 'refund', amountMinor: 3700, feeMinor: 300, paymentMethod: 'cash', operatorId: cashierId, approvedBy: null });
    expect(done.view.order.balanceMinor).toBe(300);
    expect(done.view.tickets.every((t) => t.status === 'refunded')).toBe(true);
    expect(await sold(typeId)).toBe(0);

    const pulled = (await call(server.app, 'GET', `/v1/changes?since=${cursor}`, { token })).json;
    const revoked = pulled.changes.filter((c: { kind: string }) => c.kind === 'revocation').map((c: { row: { ticketId: string } }) => c.row.ticketId).sort();
    expect(revoked).toEqual(order.tickets.map((t) => t.id).sort());
    expect(pulled.changes.filter((c: { kind: string; row: { status?: string } }) => c.kind === 'ticket').every((c: { row: { status?: string } }) => c.row.status === 'refunded')).toBe(true);

    // A refunded ticket cannot be refunded again.
    expectError(await refund(order.order.id, { ticketIds: [order.tickets[0]!.id] }), 409, 'refund_not_allowed');
  });

  it('refunds part of an order, and part of a ticket, by percent; never more than is left', async () => {
    const { event, typeId } = await eventWith({ refund: open('cashier', { kind: 'percent', basisPoints: 1000 }), exchange: null });
    const order = await sell(server, token, event.id, typeId, 3);
    const [a, b] = order.tickets;
    // More than the ticket is worth after the 10 % fee: refused, nothing changed.
    expectError(await refund(order.order.id, { ticketIds: [a!.id], amountMinor: 1801 }), 409, 'refund_too_large');
    expect(await sold(typeId)).toBe(3);
    const partial = await refund(order.order.id, { ticketIds: [a!.id], amountMinor: 1000 });
    expect(partial.status).toBe(200);
    expect(partial.json.refund).toMatchObject({ amountMinor: 1000, feeMinor: 200 });
    expect(partial.json.view.order.balanceMinor).toBe(5000);
    const whole = await refund(order.order.id, { ticketIds: [b!.id] });
    expect(whole.json.refund).toMatchObject({ amountMinor: 1800, feeMinor: 200 });
    expect(whole.json.view.tickets.map((t: { status: string }) => t.status)).toEqual(['refunded', 'refunded', 'valid']);
    expect(await sold(typeId)).toBe(1);
  });

  it('refuses outside the policy with nothing changed: no policy, window closed, a ticket of another order', async () => {
    const none = await eventWith(null);
    const o1 = await sell(server, token, none.event.id, none.typeId, 1);
    expectError(await refund(o1.order.id, { ticketIds: [o1.tickets[0]!.id] }), 409, 'refund_not_allowed');

    // Refunds close 72 hours before a start two days away: already closed.
    const closed = await eventWith({ refund: open('cashier', { kind: 'fixed', amountMinor: 0 }, 72), exchange: null });
    const o2 = await sell(server, token, closed.event.id, closed.typeId, 2);
    const before = await seqNow();
    const res = await refund(o2.order.id, { ticketIds: o2.tickets.map((t) => t.id) });
    expectError(res, 409, 'refund_window_closed');
    expect(await seqNow()).toBe(before);
    expect(await sold(closed.typeId)).toBe(2);
    const rows = await backend.handle.db.select().from(tickets).where(eq(tickets.orderId, o2.order.id));
    expect(rows.map((t) => t.status)).toEqual(['valid', 'valid']);
    expect(await backend.handle.db.select().from(refunds).where(eq(refunds.orderId, o2.order.id))).toEqual([]);

    // A ticket of another order, or an unknown order.
    expectError(await refund(o2.order.id, { ticketIds: [o1.tickets[0]!.id] }), 404, 'not_found');
    expectError(await refund(uuidv7(), { ticketIds: [o1.tickets[0]!.id] }), 404, 'not_found');
  });

  it('needs a manager, whose PIN the server checks again, when the policy says so', async () => {
    const { event, typeId } = await eventWith({ refund: open('manager', { kind: 'fixed', amountMinor: 0 }), exchange: null });
    const order = await sell(server, token, event.id, typeId, 1);
    const ticketIds = [order.tickets[0]!.id];
    expectError(await refund(order.order.id, { ticketIds }), 403, 'approval_required');
    expectError(await refund(order.order.id, { ticketIds, approval: { managerId, pin: '11111111' } }), 401, 'bad_pin');
    // A cashier cannot approve.
    expectError(await refund(order.order.id, { ticketIds, approval: { managerId: cashierId, pin: '112233' } }), 403, 'forbidden');
    expect(await sold(typeId)).toBe(1);
    const ok = await refund(order.order.id, { ticketIds, approval: { managerId, pin: '99887766' } });
    expect(ok.status).toBe(200);
    expect(ok.json.refund).toMatchObject({ approvedBy: managerId, amountMinor: 2000 });
    // The server's audit trail names the operator and the approver, never the PIN.
    const [entry] = await backend.handle.db.select().from(auditEntries).where(and(eq(auditEntries.action, 'refund'), eq(auditEntries.subject, order.order.id)));
    expect(JSON.parse(entry!.detail)).toMatchObject({ operatorId: cashierId, approvedBy: managerId, amountMinor: 2000 });
    expect(entry!.detail).not.toContain('99887766');
  });

  it('answers a retry with the same refund and refuses the id for anything else', async () => {
    const { event, typeId } = await eventWith({ refund: open('cashier', { kind: 'fixed', amountMinor: 0 }), exchange: null });
    const order = await sell(server, token, event.id, typeId, 2);
    const body = { refundId: uuidv7(), operatorId: cashierId, reason: 'double booking', ticketIds: [order.tickets[0]!.id] };
    const first = await call(server.app, 'POST', `/v1/orders/${order.order.id}/refunds`, { token, body });
    expect(first.status).toBe(200);
    const seq = await seqNow();
    const again = await call(server.app, 'POST', `/v1/orders/${order.order.id}/refunds`, { token, body });
    expect(again.status).toBe(200);
    expect(again.json.refund).toEqual(first.json.refund);
    expect(await seqNow()).toBe(seq);
    expect(await sold(typeId)).toBe(1);
    const other = await call(server.app, 'POST', `/v1/orders/${order.order.id}/refunds`, { token, body: { ...body, ticketIds: [order.tickets[1]!.id] } });
    expectError(other, 409, 'duplicate_refund');
  });

  it('lets exactly one of several concurrent refunds of one ticket through, and gives the seat back once (type and quota)', async () => {
    const { event, typeId } = await eventWith({ refund: open('cashier', { kind: 'fixed', amountMinor: 0 }), exchange: null });
    const quota = await call(server.app, 'POST', `/admin/v1/events/${event.id}/quotas`, { token: ADMIN, body: { name: { en: 'Hall' }, capacity: 5, ticketTypeIds: [typeId] } });
    expect(quota.status).toBe(200);
    const order = await sell(server, token, event.id, typeId, 2);
    const ticketIds = [order.tickets[0]!.id];
    const results = await Promise.all(Array.from({ length: 6 }, () => refund(order.order.id, { ticketIds })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 200)) expectError(r, 409, 'refund_not_allowed');
    expect(await sold(typeId)).toBe(1);
    const [q] = await backend.handle.db.select().from(quotas).where(eq(quotas.id, quota.json.quota.id));
    expect(q!.sold).toBe(1);
    expect(await backend.handle.db.select().from(refunds).where(eq(refunds.orderId, order.order.id))).toHaveLength(1);
  });

  it('exchanges tickets into another type, charging the difference, atomically', async () => {
    const { event, typeId, otherTypeId } = await eventWith({ refund: null, exchange: open('cashier', { kind: 'fixed', amountMinor: 100 }) });
    const order = await sell(server, token, event.id, typeId, 1);
    const exchange = (body: Record<string, unknown>) =>
      call(server.app, 'POST', `/v1/orders/${order.order.id}/exchanges`, {
        token,
        body: { exchangeId: uuidv7(), operatorId: cashierId, reason: 'other night', ticketIds: [order.tickets[0]!.id], newTicketTypeId: otherTypeId, ...body },
      });
    // 3000 for a ticket worth 2000 less 100: 1100 to pay, none offered → refused, nothing changed.
    expectError(await exchange({}), 400, 'bad_request');
    expect(await sold(typeId)).toBe(1);
    expect(await sold(otherTypeId)).toBe(0);
    const res = await exchange({ payment: { method: 'cash', amountMinor: 1100 } });
    expect(res.status).toBe(200);
    expect(res.json.refund).toMatchObject({ kind: 'exchange', chargedMinor: 1100, amountMinor: 0, feeMinor: 100 });
    expect(res.json.tickets).toHaveLength(1);
    expect(res.json.tickets[0]).toMatchObject({ ticketTypeId: otherTypeId, orderId: order.order.id });
    expect(await sold(typeId)).toBe(0);
    expect(await sold(otherTypeId)).toBe(1);
    const view = OrderView.parse(res.json.view);
    expect(view.tickets.map((t) => [t.ticketTypeId, t.status])).toEqual([
      [typeId, 'revoked'],
      [otherTypeId, 'valid'],
    ]);
    // Paid 2000 + 1100, less the 100 fee kept: the new ticket's 3000.
    expect(view.order.balanceMinor).toBe(3000);
    // The new type has no exchange policy of its own.
    const back = await call(server.app, 'POST', `/v1/orders/${order.order.id}/exchanges`, {
      token,
      body: { exchangeId: uuidv7(), operatorId: cashierId, reason: 'back', ticketIds: [res.json.tickets[0].id], newTicketTypeId: typeId },
    });
    expectError(back, 409, 'exchange_not_allowed');
  });
  it('runs crossed exchanges (A to B and B to A at once) without a deadlock, the counts exact', async () => {
    const rule = open('cashier', { kind: 'fixed', amountMinor: 0 });
    const { event, typeId, otherTypeId } = await eventWith({ refund: null, exchange: rule }, 3000, 20);
    const patched = await call(server.app, 'PATCH', `/admin/v1/ticket-types/${otherTypeId}`, { token: ADMIN, body: { refundPolicy: { refund: null, exchange: rule } } });
    expect(patched.status).toBe(200);
    const a = await Promise.all(Array.from({ length: 5 }, () => sell(server, token, event.id, typeId, 1)));
    const b = await Promise.all(Array.from({ length: 5 }, () => sell(server, token, event.id, otherTypeId, 1)));
    const swap = (o: (typeof a)[number], to: string) =>
      call(server.app, 'POST', `/v1/orders/${o.order.id}/exchanges`, {
        token,
        body: { exchangeId: uuidv7(), operatorId: cashierId, reason: 'swap', ticketIds: [o.tickets[0]!.id], newTicketTypeId: to },
      });
    const results = await Promise.all([...a.map((o) => swap(o, otherTypeId)), ...b.map((o) => swap(o, typeId))]);
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(await sold(typeId)).toBe(5);
    expect(await sold(otherTypeId)).toBe(5);
  });
});
