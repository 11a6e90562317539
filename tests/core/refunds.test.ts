// A refund at the box office, through the core's call path against a real server (PGlite) and a second
// terminal core as the gate: the order found by scanning a ticket's code, a manager-only policy refused
// without approval (nothing changed), a wrong manager PIN refused and counted under the sign-in lockout
// rules (the right PIN waits its turn), the refund with the manager's PIN paid back in cash, its
// receipt decoded from the ESC/POS printer simulator, the audit entry naming operator and approver,
// the gate refusing the refunded code as revoked after it synced (and the used one not refundable),
// an exchange into a dearer type paid in cash (new ticket and exchange receipt printed, the old code
// refused at the gate, the new one admitted), and offline refused.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderView, Verdict } from '../../electron/contract';
import { createCore, type Core } from '../../electron/core/core';
import { startEscPosSimulator } from '../../drivers/printers/escpos-simulator';
import { createServer } from '../../server/src/app';
import { openServerDb } from '../../server/src/db/client';
import { waitFor } from '../helpers/wait';
import { loginAs, operatorId } from '../helpers/login';

describe('refunds at the box office', () => {
  const cleanups: Array<() => Promise<unknown> | unknown> = [];
  let serverUrl: string;
  let adminToken: string;
  let box: Core;
  let gate: Core;
  let printer: Awaited<ReturnType<typeof startEscPosSimulator>>;
  /** The box office's session clock: wrong-PIN waits pass when the test moves it, not with time. */
  let sessionClockMs = Date.now();

  const admin = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${serverUrl}/admin/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${adminToken}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        'x-admit-request-id': uuidv7(),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    expect(res.ok).toBe(true);
    return res.json() as Promise<Record<string, unknown>>;
  };
  const pair = async (core: Core, name: string) => {
    const { code } = (await admin('POST', '/pairing-codes', {})) as { code: string };
    const r = await core.dispatch('setup', 'terminal.pair', { serverUrl, code, terminalName: name });
    expect(r).toMatchObject({ ok: true });
  };

  beforeAll(async () => {
    const work = mkdtempSync(join(tmpdir(), 'admit-refunds-'));
    cleanups.push(() => rmSync(work, { recursive: true, force: true }));
    const db = await openServerDb();
    cleanups.push(() => db.close());
    const server = await createServer({ db, dataDir: join(work, 'server') });
    cleanups.push(() => server.close());
    serverUrl = (await server.listen({ host: '127.0.0.1', port: 0 })).url;
    adminToken = server.adminToken;
    await server.admin.seedDemo({ tickets: 5 });

    printer = await startEscPosSimulator({ port: 0, outDir: join('artifacts', 'refunds') });
    cleanups.push(() => printer.close());
    box = await createCore({
      dataDir: join(work, 'box'),
      migrationsFolder: 'migrations/local',
      shell: 'service',
      demo: false,
      version: 'test',
      // One wrong PIN free of waiting; then 5 s of the session clock before the next attempt.
      sessions: { now: () => sessionClockMs, lockout: { freeFailures: 1, firstDelayMs: 5000, maxDelayMs: 5000, hardLockAfter: 10, hardLockMs: 3_600_000 } },
    });
    cleanups.push(() => box.close());
    box.configureDevices([{ id: 'p1', name: 'Receipt printer', kind: 'printer', driver: 'escpos-tcp', host: '127.0.0.1', port: printer.port, codePage: 'WPC1252' }]);
    await box.restartDevices();
    gate = await createCore({ dataDir: join(work, 'gate'), migrationsFolder: 'migrations/local', shell: 'service', demo: false, version: 'test' });
    cleanups.push(() => gate.close());

    await pair(box, 'Box office 1');
    await pair(gate, 'North gate');
    await waitFor(() => box.sync.isOnline && gate.sync.isOnline);
    expect(await loginAs(box, 'cashier', { role: 'cashier' }, '111111')).toMatchObject({ ok: true });
    expect(await loginAs(gate, 'gatekeeper', { role: 'gate' }, '222222')).toMatchObject({ ok: true });
  });

  afterAll(async () => {
    for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => undefined);
  });

  let orderId = '';
  let ticketCodes: string[] = [];
  let ticketIds: string[] = [];
  let priceMinor = 0;
  let managerId = '';

  it('sells two tickets of an evening session whose type refunds only with a manager, less a 10 % fee', async () => {
    const catalog = await box.dispatch('cashier', 'boxOffice.catalog', {});
    if (!catalog.ok) throw new Error('catalog');
    const eventId = (catalog.value as { event: { id: string } }).event.id;
    // An evening session three hours from now: refunds close an hour before it.
    const now = Date.now();
    const session = (await admin('POST', `/events/${eventId}/sessions`, {
      name: { en: 'Evening' },
      startsAt: new Date(now + 3 * 3_600_000).toISOString(),
      endsAt: new Date(now + 6 * 3_600_000).toISOString(),
    })) as { session: { id: string } };
    priceMinor = 4000;
    const created = (await admin('POST', `/events/${eventId}/ticket-types`, {
      name: { en: 'Evening pass', ru: 'Вечерний билет', 'zh-CN': '晚场票' },
      priceMinor,
      sessionId: session.session.id,
      refundPolicy: { refund: { hoursBefore: 1, fee: { kind: 'percent', basisPoints: 1000 }, who: 'manager' }, exchange: null },
    })) as { ticketType: { id: string } };
    const typeId = created.ticketType.id;
    await waitFor(async () => {
      const c = await box.dispatch('cashier', 'boxOffice.catalog', {});
      return c.ok && (c.value as { ticketTypes: { id: string }[] }).ticketTypes.some((t) => t.id === typeId);
    });
    const sale = await box.dispatch('cashier', 'boxOffice.sell', { lines: [{ ticketTypeId: typeId, quantity: 2 }], payment: { method: 'cash', tenderedMinor: 2 * priceMinor } });
    expect(sale).toMatchObject({ ok: true });
    if (!sale.ok) return;
    const order = (sale.value as { order: { id: string; tickets: { id: string; code: string }[] } }).order;
    orderId = order.id;
    ticketCodes = order.tickets.map((t) => t.code);
    ticketIds = order.tickets.map((t) => t.id);
    managerId = await operatorId(box, { role: 'manager' });
  });

  it('finds the order from a scanned ticket code with what the policy allows now', async () => {
    const found = await box.dispatch('cashier', 'boxOffice.findOrder', { code: ticketCodes[1]! });
    expect(found).toMatchObject({ ok: true });
    const view = (found as { value: OrderView }).value;
    expect(view.order.id).toBe(orderId);
    expect(view.tickets.map((t) => t.refund)).toEqual([
      expect.objectContaining({ allowed: true, needsManager: true, feeMinor: Math.round(priceMinor / 10) }),
      expect.objectContaining({ allowed: true, needsManager: true, feeMinor: Math.round(priceMinor / 10) }),
    ]);
    expect(await box.dispatch('cashier', 'boxOffice.findOrder', { code: 'NOPE42' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('refuses without a manager, and a wrong manager PIN under the lockout rules, with nothing changed', async () => {
    const base = { orderId, ticketIds: [ticketIds[0]!], reason: 'cannot attend' };
    expect(await box.dispatch('cashier', 'boxOffice.refund', base)).toMatchObject({ ok: false, error: { code: 'approval_required' } });
    const wrong = await box.dispatch('cashier', 'boxOffice.refund', { ...base, approval: { managerId, pin: '123456' } });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'bad_pin', retryAfterMs: 5000 } });
    // The right PIN now still waits its turn: the lockout counts approvals like sign-ins.
    expect(await box.dispatch('cashier', 'boxOffice.refund', { ...base, approval: { managerId, pin: '999999' } })).toMatchObject({
      ok: false,
      error: { code: 'login_delayed' },
    });
    // A cashier is no approver.
    const cashierId = await operatorId(box, { role: 'cashier' });
    expect(await box.dispatch('cashier', 'boxOffice.refund', { ...base, approval: { managerId: cashierId, pin: '111111' } })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    const view = (await box.dispatch('cashier', 'boxOffice.findOrder', { code: ticketCodes[0]! })) as { value: OrderView };
    expect(view.value.tickets.map((t) => t.status)).toEqual(['valid', 'valid']);
    expect(view.value.refunds).toEqual([]);
  });

  it('refunds one ticket with the manager PIN: cash back less the fee, a refund receipt, the audit entry', async () => {
    sessionClockMs += 5000;
    const before = printer.jobs.length;
    const done = await box.dispatch('cashier', 'boxOffice.refund', { orderId, ticketIds: [ticketIds[0]!], reason: 'cannot attend', approval: { managerId, pin: '999999' } });
    expect(done).toMatchObject({ ok: true });
    if (!done.ok) return;
    const value = done.value as { refund: { amountMinor: number; feeMinor: number; approvedBy: string }; payout: { state: string; method: string; amountMinor: number }; print: { state: string }; view: OrderView };
    const fee = Math.round(priceMinor / 10);
    expect(value.refund).toMatchObject({ amountMinor: priceMinor - fee, feeMinor: fee, approvedBy: managerId });
    expect(value.payout).toEqual({
      method: 'cash',
      amountMinor: priceMinor - fee,
      currency: expect.any(String),
      state: 'paid',
      parts: [{ method: 'cash', amountMinor: priceMinor - fee, state: 'paid' }],
    });
    expect(value.print.state).toBe('printed');
    expect(value.view.tickets.map((t) => t.status)).toEqual(['refunded', 'valid']);

    await waitFor(() => printer.jobs.length >= before + 1);
    const text = printer.jobs[before]!.text;
    expect(text).toMatch(/Refund receipt/);
    expect(text).toMatch(new RegExp(`Order ${value.view.order.code}`));
    expect(text).toMatch(/Paid back \(cash\)/);
    expect(text).toMatch(/Approved by: Manager/);
    expect(text).toMatch(/Reason: cannot attend/);

    const audit = box.audit.list(50).entries;
    const entry = audit.find((e) => e.action === 'refund' && e.result === 'ok');
    expect(entry).toBeDefined();
    expect(entry!.operatorId).toBe(await operatorId(box, { role: 'cashier' }));
    expect(entry!.subject).toBe(orderId);
  });

  it('the gate terminal refuses the refunded code as revoked once it synced; the other ticket still admits', async () => {
    await waitFor(() => gate.cache.revokedAt(ticketIds[0]!) !== null);
    const refused = await gate.dispatch('gatekeeper', 'gate.scan', { code: ticketCodes[0]! });
    expect(refused).toMatchObject({ ok: true, value: { admitted: false, reason: 'revoked' } });
    const other = await gate.dispatch('gatekeeper', 'gate.scan', { code: ticketCodes[1]! });
    expect((other as { value: Verdict }).value).toMatchObject({ admitted: true, reason: 'ok', confirmation: 'confirmed' });
    // The box office's own cache knew at once.
    expect(box.cache.revokedAt(ticketIds[0]!)).not.toBeNull();
  });

  it('exchanges a ticket for a dearer type: the difference paid in cash, the new ticket and the exchange receipt printed', async () => {
    const catalog = await box.dispatch('cashier', 'boxOffice.catalog', {});
    if (!catalog.ok) throw new Error('catalog');
    const types = (catalog.value as { event: { id: string }; ticketTypes: { id: string; name: Record<string, string>; sessionId: string | null }[] });
    const evening = types.ticketTypes.find((t) => t.name['en'] === 'Evening pass')!;
    await admin('PATCH', `/ticket-types/${evening.id}`, {
      refundPolicy: { refund: { hoursBefore: 1, fee: { kind: 'percent', basisPoints: 1000 }, who: 'manager' }, exchange: { hoursBefore: 1, fee: { kind: 'fixed', amountMinor: 0 }, who: 'cashier' } },
    });
    const late = (await admin('POST', `/events/${types.event.id}/ticket-types`, { name: { en: 'Late pass' }, priceMinor: 5000, sessionId: evening.sessionId })) as { ticketType: { id: string } };
    await waitFor(async () => {
      const c = await box.dispatch('cashier', 'boxOffice.catalog', {});
      return c.ok && (c.value as { ticketTypes: { id: string }[] }).ticketTypes.some((t) => t.id === late.ticketType.id);
    });
    const sale = await box.dispatch('cashier', 'boxOffice.sell', { lines: [{ ticketTypeId: evening.id, quantity: 1 }], payment: { method: 'cash', tenderedMinor: priceMinor } });
    if (!sale.ok) throw new Error('sale');
    const order = (sale.value as { order: { id: string; tickets: { id: string; code: string }[] } }).order;
    const base = { orderId: order.id, ticketIds: [order.tickets[0]!.id], newTicketTypeId: late.ticketType.id, reason: 'later show' };
    // 5000 for a ticket worth 4000: 1000 to pay; less cash is refused before the server is asked.
    expect(await box.dispatch('cashier', 'boxOffice.exchange', { ...base, payment: { method: 'cash', tenderedMinor: 500 } })).toMatchObject({ ok: false, error: { code: 'payment_insufficient' } });
    const before = printer.jobs.length;
    const done = await box.dispatch('cashier', 'boxOffice.exchange', { ...base, payment: { method: 'cash', tenderedMinor: 1000 } });
    expect(done).toMatchObject({ ok: true, value: { refund: { kind: 'exchange', chargedMinor: 1000, amountMinor: 0 }, payout: { state: 'none' }, print: { state: 'printed' } } });
    if (!done.ok) return;
    const value = done.value as { tickets: { id: string; code: string }[]; view: OrderView };
    expect(value.view.tickets.map((t) => [t.ticketTypeId, t.status])).toEqual([
      [evening.id, 'revoked'],
      [late.ticketType.id, 'valid'],
    ]);
    await waitFor(() => printer.jobs.length >= before + 2);
    const [ticketJob, receiptJob] = printer.jobs.slice(before);
    expect(ticketJob!.qrData).toContain(value.tickets[0]!.code);
    expect(receiptJob!.text).toMatch(/Exchange receipt/);
    expect(receiptJob!.text).toMatch(/Paid extra/);
    // The gate refuses the old code and admits the new one once synced.
    await waitFor(() => gate.cache.revokedAt(order.tickets[0]!.id) !== null && gate.cache.ticketByCode(value.tickets[0]!.code) !== undefined);
    expect(await gate.dispatch('gatekeeper', 'gate.scan', { code: order.tickets[0]!.code })).toMatchObject({ ok: true, value: { admitted: false, reason: 'revoked' } });
    expect(await gate.dispatch('gatekeeper', 'gate.scan', { code: value.tickets[0]!.code })).toMatchObject({ ok: true, value: { admitted: true } });
  });

  it('refuses a used ticket and a second refund of the same one; offline refuses before anything happens', async () => {
    sessionClockMs += 1000;
    const used = await box.dispatch('cashier', 'boxOffice.refund', { orderId, ticketIds: [ticketIds[1]!], reason: 'x', approval: { managerId, pin: '999999' } });
    expect(used).toMatchObject({ ok: false, error: { code: 'refund_not_allowed' } });
    const again = await box.dispatch('cashier', 'boxOffice.refund', { orderId, ticketIds: [ticketIds[0]!], reason: 'x', approval: { managerId, pin: '999999' } });
    expect(again).toMatchObject({ ok: false, error: { code: 'refund_not_allowed' } });
    await box.sync.stop();
    expect(await box.dispatch('cashier', 'boxOffice.refund', { orderId, ticketIds: [ticketIds[1]!], reason: 'x' })).toMatchObject({ ok: false, error: { code: 'offline' } });
    expect(await box.dispatch('cashier', 'boxOffice.findOrder', { code: ticketCodes[1]! })).toMatchObject({ ok: false, error: { code: 'offline' } });
  });
});
