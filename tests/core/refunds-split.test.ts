// Refunds and exchanges of split payments through the core's call path, for real: the server on PGlite,
// the core on SQLite paired over HTTP, a simulated ZVT card terminal and a simulated QR provider on
// 127.0.0.1, the ESC/POS printer simulator. A sale split over the card terminal, QR and cash is refunded
// part by part: the card back through the terminal's refund, the QR through the provider, the rest in
// cash; the receipt lists each part and the shift counts only the cash part in the drawer. A crash after
// the card part (the terminal's SQLite closed and reopened) is taken up by a retry with the same refund
// id, which pays the other parts and never the card again; a part left in flight by a crash is reported
// unsettled and never paid twice. An exchange into a dearer type is paid by a split of card and cash
// (the shift counting each part under its kind, once, a retry counting nothing again, a part a crash
// left captured and uncounted counted by the retry), one into a cheaper type pays the difference back to the card, and a refused one voids the card.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExchangeResponse, RefundResponse } from '../../domain/refund-wire';
import { startEscPosSimulator } from '../../drivers/printers/escpos-simulator';
import { startQrPaySimulator, startZvtSimulator, type QrPaySimulator, type ZvtSimulator } from '../../drivers/simulators';
import { ZvtTerminal } from '../../drivers';
import type { CallOutput, OrderView, ShiftReport } from '../../electron/contract';
import { createCore, type Core } from '../../electron/core/core';
import { CardTerminalPayment } from '../../electron/core/box-office/card-terminal';
import { CashPayment } from '../../electron/core/box-office/payment';
import { authorizeTenders, capturePayments, PaymentJournal, refundPayment } from '../../electron/core/box-office/payment-journal';
import { openLocalDb } from '../../electron/core/db/open';
import { createServer, type AdmitServer } from '../../server/src/app';
import { openServerDb, type ServerDbHandle } from '../../server/src/db/client';
import { loginAs } from '../helpers/login';
import { waitFor } from '../helpers/wait';

const quiet = { warn: () => undefined, error: () => undefined };
let work: string;
let db: ServerDbHandle;
let server: AdmitServer;
let serverUrl: string;
let core: Core;
let zvt: ZvtSimulator;
let qr: QrPaySimulator;
let printer: Awaited<ReturnType<typeof startEscPosSimulator>>;
let typeId = '';
let dearTypeId = '';
let cheapTypeId = '';
const PRICE = 4000;

const coreOptions = (dir = 'box') => ({
  dataDir: join(work, dir),
  migrationsFolder: 'migrations/local',
  shell: 'service' as const,
  demo: false,
  version: 't',
  logger: quiet,
  devices: { usbEvents: false as const },
  payments: { cardTerminal: { host: '127.0.0.1', port: zvt.port, ackMs: 500 }, qr: { qr_alipay: qr.url }, qrPollMs: 10 },
});

async function openCore(dir = 'box'): Promise<Core> {
  const c = await createCore(coreOptions(dir));
  c.configureDevices([
    { id: 'p1', name: 'Receipt printer', kind: 'printer', driver: 'escpos-tcp', host: '127.0.0.1', port: printer.port, codePage: 'WPC1252' },
    { id: 'card-terminal', name: 'Card terminal', kind: 'payment-terminal', driver: 'zvt', host: '127.0.0.1', port: zvt.port, ackMs: 500 },
  ]);
  await c.restartDevices();
  // The card terminal takes payments once it has registered.
  await waitFor(() => c.devices.list().find((d) => d.id === 'card-terminal')?.state === 'registered', 60_000, 'the card terminal to register');
  c.sync.start();
  await c.sync.pull();
  await waitFor(() => c.sync.isOnline);
  expect(await loginAs(c, 'till', { role: 'cashier' }, '111111')).toMatchObject({ ok: true });
  return c;
}

const admin = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${serverUrl}/admin/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/json', 'x-admit-request-id': uuidv7() },
    body: JSON.stringify(body ?? {}),
  });
  expect(res.ok).toBe(true);
  return res.json() as Promise<Record<string, unknown>>;
};

type Sold = { order: { id: string; tickets: { id: string; code: string }[] } };
/** Sells `quantity` tickets on card terminal + QR + cash. */
async function sellSplit(quantity: number, card: number, qrPart: number): Promise<Sold['order']> {
  qr.customer = 'pay';
  const total = PRICE * quantity;
  const r = await core.dispatch('till', 'boxOffice.sell', {
    lines: [{ ticketTypeId: typeId, quantity }],
    payments: [
      { method: 'card_terminal', amountMinor: card },
      { method: 'qr_alipay', amountMinor: qrPart },
      { method: 'cash', tenderedMinor: total - card - qrPart },
    ],
  });
  if (!r.ok) throw new Error(`sale failed: ${JSON.stringify(r.error)}`);
  return (r.value as Sold).order;
}

const zvtRefunds = () => zvt.payments.filter((p) => p.refund).map((p) => p.amountMinor);
const qrOf = (orderId: string) => [...qr.payments.values()].find((p) => p.reference === orderId)!;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'admit-refund-split-'));
  db = await openServerDb({});
  server = createServer({ db, dataDir: join(work, 'server') });
  serverUrl = (await server.listen({ host: '127.0.0.1', port: 0 })).url;
  await server.admin.seedDemo({ tickets: 5 });
  zvt = await startZvtSimulator();
  qr = await startQrPaySimulator();
  printer = await startEscPosSimulator({ port: 0, outDir: join('artifacts', 'refunds-split') });
  const first = await createCore(coreOptions());
  await first.sync.pair(serverUrl, (await server.admin.createPairingCode()).code, 'Box office');
  await first.close();
  core = await openCore();

  const catalog = await core.dispatch('till', 'boxOffice.catalog', {});
  if (!catalog.ok) throw new Error('catalog');
  const eventId = (catalog.value as { event: { id: string } }).event.id;
  const now = Date.now();
  const session = (await admin('POST', `/events/${eventId}/sessions`, {
    name: { en: 'Evening' },
    startsAt: new Date(now + 3 * 3_600_000).toISOString(),
    endsAt: new Date(now + 6 * 3_600_000).toISOString(),
  })) as { session: { id: string } };
  const rule = { hoursBefore: 1, fee: { kind: 'fixed', amountMinor: 0 }, who: 'cashier' };
  typeId = ((await admin('POST', `/events/${eventId}/ticket-types`, { name: { en: 'Evening pass' }, priceMinor: PRICE, sessionId: session.session.id, refundPolicy: { refund: rule, exchange: rule } })) as { ticketType: { id: string } }).ticketType.id;
  dearTypeId = ((await admin('POST', `/events/${eventId}/ticket-types`, { name: { en: 'Late pass' }, priceMinor: 6500, sessionId: session.session.id, refundPolicy: { refund: rule, exchange: null } })) as { ticketType: { id: string } }).ticketType.id;
  cheapTypeId = ((await admin('POST', `/events/${eventId}/ticket-types`, { name: { en: 'Matinee' }, priceMinor: 2500, sessionId: session.session.id })) as { ticketType: { id: string } }).ticketType.id;
  await waitFor(async () => {
    const c = await core.dispatch('till', 'boxOffice.catalog', {});
    return c.ok && (c.value as { ticketTypes: { id: string }[] }).ticketTypes.filter((t) => [typeId, dearTypeId, cheapTypeId].includes(t.id)).length === 3;
  });
  expect(await core.dispatch('till', 'boxOffice.shift.open', { floatMinor: 10_000 })).toMatchObject({ ok: true });
}, 300_000);

afterAll(async () => {
  await core?.close();
  await zvt?.close();
  await qr?.close();
  await printer?.close();
  await server?.close();
  await db?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('refunds of split payments', () => {
  it('pays a split sale back part by part: card on the terminal, QR through the provider, the rest in cash', async () => {
    const order = await sellSplit(2, 3000, 1500);
    const x0 = (await core.dispatch('till', 'boxOffice.shift.x', {})) as { ok: true; value: ShiftReport };
    const before = printer.jobs.length;
    // One ticket: 4000 back, 3000 to the card, 1000 of the QR's 1500.
    const done = await core.dispatch('till', 'boxOffice.refund', { orderId: order.id, ticketIds: [order.tickets[0]!.id], reason: 'cannot attend' });
    if (!done.ok) throw new Error(JSON.stringify(done.error));
    const value = done.value as CallOutput<'boxOffice.refund'>;
    expect(value.payout).toMatchObject({
      method: 'split',
      amountMinor: 4000,
      state: 'paid',
      parts: [
        { method: 'card_terminal', amountMinor: 3000, state: 'paid' },
        { method: 'qr_alipay', amountMinor: 1000, state: 'paid' },
      ],
    });
    expect(zvtRefunds()).toEqual([3000]);
    expect(qrOf(order.id).refundedMinor).toBe(1000);

    // The other ticket: 500 left on the QR, the rest (3500) in cash.
    const second = await core.dispatch('till', 'boxOffice.refund', { orderId: order.id, ticketIds: [order.tickets[1]!.id], reason: 'cannot attend' });
    if (!second.ok) throw new Error(JSON.stringify(second.error));
    expect((second.value as CallOutput<'boxOffice.refund'>).payout.parts).toEqual([
      { method: 'qr_alipay', amountMinor: 500, state: 'paid' },
      { method: 'cash', amountMinor: 3500, state: 'paid' },
    ]);
    expect(zvtRefunds()).toEqual([3000]);
    expect(qrOf(order.id).refundedMinor).toBe(1500);
    expect((second.value as CallOutput<'boxOffice.refund'>).view.order.payments.map((p) => [p.method, p.amountMinor, p.refundedMinor])).toEqual([
      ['card_terminal', 3000, 3000],
      ['qr_alipay', 1500, 1500],
      ['cash', 3500, 3500],
    ]);

    // The receipt lists each part.
    await waitFor(() => printer.jobs.length >= before + 2);
    const text = printer.jobs[before]!.text;
    expect(text).toMatch(/Paid back \(split\)/);
    expect(text).toMatch(/ {2}card {2}.*30\.00/);
    expect(text).toMatch(/ {2}Alipay {2}.*10\.00/);

    // The shift: each part under its kind, only the cash part out of the drawer.
    const x1 = (await core.dispatch('till', 'boxOffice.shift.x', {})) as { ok: true; value: ShiftReport };
    expect(x1.value.totals.expectedCashMinor - x0.value.totals.expectedCashMinor).toBe(-3500);
    const refundsOf = (r: ShiftReport, m: string) => r.totals.byMethod.find((b) => b.method === m)?.refunds.amountMinor ?? 0;
    expect(refundsOf(x1.value, 'card_terminal') - refundsOf(x0.value, 'card_terminal')).toBe(3000);
    expect(refundsOf(x1.value, 'qr_alipay') - refundsOf(x0.value, 'qr_alipay')).toBe(1500);
    expect(refundsOf(x1.value, 'cash') - refundsOf(x0.value, 'cash')).toBe(3500);
  });

  it('refuses more than was paid and a second refund of a ticket, with nothing paid and nothing changed', async () => {
    const order = await sellSplit(1, 2000, 1000);
    const zvtBefore = zvtRefunds().length;
    const tooMuch = await core.dispatch('till', 'boxOffice.refund', { orderId: order.id, ticketIds: [order.tickets[0]!.id], amountMinor: PRICE + 1, reason: 'x' });
    expect(tooMuch).toMatchObject({ ok: false, error: { code: 'refund_too_large' } });
    const view = (await core.dispatch('till', 'boxOffice.findOrder', { code: order.id })) as { ok: true; value: OrderView };
    expect(view.value.refunds).toEqual([]);
    expect(view.value.tickets.map((t) => t.status)).toEqual(['valid']);
    expect(zvtRefunds()).toHaveLength(zvtBefore);
    expect(qrOf(order.id).refundedMinor).toBe(0);

    expect(await core.dispatch('till', 'boxOffice.refund', { orderId: order.id, ticketIds: [order.tickets[0]!.id], reason: 'x' })).toMatchObject({ ok: true });
    const again = await core.dispatch('till', 'boxOffice.refund', { orderId: order.id, ticketIds: [order.tickets[0]!.id], reason: 'x' });
    expect(again).toMatchObject({ ok: false, error: { code: 'refund_not_allowed' } });
    expect(zvtRefunds()).toHaveLength(zvtBefore + 1);
    expect(qrOf(order.id).refundedMinor).toBe(1000);
  });

  it('takes up a refund a crash interrupted after its card part: the restart pays the rest, once, and never the card again', async () => {
    const order = await sellSplit(1, 2500, 1000);
    const refundId = uuidv7();
    const x0 = ((await core.dispatch('till', 'boxOffice.shift.x', {})) as { ok: true; value: ShiftReport }).value;
    // The server records the refund (the terminal's own client asks it) ...
    const done = await core.sync.send(
      'POST',
      `/v1/orders/${order.id}/refunds`,
      { refundId, operatorId: core.sessions.get('till')!.operatorId, ticketIds: [order.tickets[0]!.id], reason: 'crash' },
      RefundResponse,
      {},
    );
    expect(done.refund.payouts.map((p) => [p.method, p.amountMinor])).toEqual([
      ['card_terminal', 2500],
      ['qr_alipay', 1000],
      ['cash', 500],
    ]);
    await core.close();

    // ... and the terminal plans its parts and pays the card back, then dies before the QR part.
    const file = join(work, 'box', 'terminal.sqlite');
    const sqlite = openLocalDb(file, 'migrations/local').$client;
    const journal = new PaymentJournal(sqlite);
    const taken = journal.capturedOf(order.id);
    expect(taken.map((p) => p.auth.method)).toEqual(['card_terminal', 'qr_alipay', 'cash']);
    journal.planRefund(
      refundId,
      taken.map((p, i) => ({ paymentId: p.auth.id, amountMinor: done.refund.payouts[i]!.amountMinor })),
    );
    const ports = { cash: new CashPayment(), card_terminal: new CardTerminalPayment(new ZvtTerminal({ host: '127.0.0.1', port: zvt.port })) };
    await refundPayment(ports, journal, taken[0]!.auth.id, 2500, 'crash', refundId);
    sqlite.close();
    const zvtBefore = zvtRefunds();
    expect(zvtBefore.at(-1)).toBe(2500);

    // The restart's recovery pays the parts left planned, with no one asking, and audits them.
    core = await openCore();
    await waitFor(() => qrOf(order.id).refundedMinor === 1000, 60_000, 'the QR part paid back by the recovery');
    await waitFor(() => core.audit.list(200).entries.filter((e) => e.action === 'payment_recovered').length === 2, 60_000, 'the recovered parts audited');
    const retried = await core.dispatch('till', 'boxOffice.refund', { orderId: order.id, ticketIds: [order.tickets[0]!.id], reason: 'crash', refundId });
    if (!retried.ok) throw new Error(JSON.stringify(retried.error));
    expect((retried.value as CallOutput<'boxOffice.refund'>).payout).toMatchObject({
      state: 'paid',
      parts: [
        { method: 'card_terminal', amountMinor: 2500, state: 'paid' },
        { method: 'qr_alipay', amountMinor: 1000, state: 'paid' },
        { method: 'cash', amountMinor: 500, state: 'paid' },
      ],
    });
    expect(zvtRefunds()).toEqual(zvtBefore);
    expect(qrOf(order.id).refundedMinor).toBe(1000);

    // Once more: nothing is paid again.
    const third = await core.dispatch('till', 'boxOffice.refund', { orderId: order.id, ticketIds: [order.tickets[0]!.id], reason: 'crash', refundId });
    expect(third).toMatchObject({ ok: true, value: { payout: { state: 'paid' } } });
    expect(zvtRefunds()).toEqual(zvtBefore);
    expect(qrOf(order.id).refundedMinor).toBe(1000);
    // The shift counted the parts the recovery paid once each, the cash one out of the drawer.
    const x1 = ((await core.dispatch('till', 'boxOffice.shift.x', {})) as { ok: true; value: ShiftReport }).value;
    const refundsOf = (r: ShiftReport, m: string) => r.totals.byMethod.find((b) => b.method === m)?.refunds.amountMinor ?? 0;
    expect(refundsOf(x1, 'qr_alipay') - refundsOf(x0, 'qr_alipay')).toBe(1000);
    expect(refundsOf(x1, 'cash') - refundsOf(x0, 'cash')).toBe(500);
    expect(x1.totals.expectedCashMinor - x0.totals.expectedCashMinor).toBe(-500);
  });

  it('reports a part a crash left in flight as unsettled and never pays it twice', async () => {
    const order = await sellSplit(1, 3000, 1000);
    const refundId = uuidv7();
    const done = await core.sync.send(
      'POST',
      `/v1/orders/${order.id}/refunds`,
      { refundId, operatorId: core.sessions.get('till')!.operatorId, ticketIds: [order.tickets[0]!.id], reason: 'crash' },
      RefundResponse,
      {},
    );
    await core.close();
    // The crash came while the card terminal was being asked: sent, with no outcome.
    const sqlite = openLocalDb(join(work, 'box', 'terminal.sqlite'), 'migrations/local').$client;
    const journal = new PaymentJournal(sqlite);
    const taken = journal.capturedOf(order.id);
    journal.planRefund(refundId, taken.map((p, i) => ({ paymentId: p.auth.id, amountMinor: done.refund.payouts[i]!.amountMinor })));
    journal.record(order.id, taken[0]!.auth, 'refund_sent', { amountMinor: 3000, detail: refundId });
    sqlite.close();
    const zvtBefore = zvtRefunds();

    core = await openCore();
    const retried = await core.dispatch('till', 'boxOffice.refund', { orderId: order.id, ticketIds: [order.tickets[0]!.id], reason: 'crash', refundId });
    expect(retried).toMatchObject({
      ok: true,
      value: { payout: { state: 'failed', parts: [{ method: 'card_terminal', state: 'unsettled' }, { method: 'qr_alipay', state: 'paid' }] } },
    });
    expect(zvtRefunds()).toEqual(zvtBefore);
    expect(qrOf(order.id).refundedMinor).toBe(1000);
  });
});

describe('exchanges paid by any tender', () => {
  it('takes the difference into a dearer type by a split of card on the terminal and cash', async () => {
    const order = await sellSplit(1, 1000, 1000);
    const zvtCharges = () => zvt.payments.filter((p) => !p.refund).length;
    const charges = zvtCharges();
    const x0 = ((await core.dispatch('till', 'boxOffice.shift.x', {})) as { ok: true; value: ShiftReport }).value;
    // 6500 for a ticket worth 4000: 2500, of which 2000 on the card and 500 in cash.
    const done = await core.dispatch('till', 'boxOffice.exchange', {
      orderId: order.id,
      ticketIds: [order.tickets[0]!.id],
      newTicketTypeId: dearTypeId,
      reason: 'later show',
      payments: [
        { method: 'card_terminal', amountMinor: 2000 },
        { method: 'cash', tenderedMinor: 1000 },
      ],
    });
    if (!done.ok) throw new Error(JSON.stringify(done.error));
    const value = done.value as CallOutput<'boxOffice.exchange'>;
    expect(value.refund).toMatchObject({ kind: 'exchange', chargedMinor: 2500, paymentMethod: 'split', payments: [{ method: 'card_terminal', amountMinor: 2000 }, { method: 'cash', amountMinor: 500 }] });
    expect(zvtCharges()).toBe(charges + 1);
    expect(zvt.payments.at(-1)).toMatchObject({ amountMinor: 2000, reversed: false, refund: false });

    // The shift counts both parts with the sales under their kinds, the cash part (500 kept of 1000
    // handed over) into the drawer.
    const x1 = ((await core.dispatch('till', 'boxOffice.shift.x', {})) as { ok: true; value: ShiftReport }).value;
    const salesOf = (r: ShiftReport, m: string) => r.totals.byMethod.find((b) => b.method === m)?.sales.amountMinor ?? 0;
    expect(salesOf(x1, 'card_terminal') - salesOf(x0, 'card_terminal')).toBe(2000);
    expect(salesOf(x1, 'cash') - salesOf(x0, 'cash')).toBe(500);
    expect(x1.totals.sales.amountMinor - x0.totals.sales.amountMinor).toBe(2500);
    expect(x1.totals.expectedCashMinor - x0.totals.expectedCashMinor).toBe(500);
    // A retry of the same exchange counts nothing again.
    const retried = await core.dispatch('till', 'boxOffice.exchange', {
      orderId: order.id,
      ticketIds: [order.tickets[0]!.id],
      newTicketTypeId: dearTypeId,
      reason: 'later show',
      exchangeId: value.refund.id,
      payments: [
        { method: 'card_terminal', amountMinor: 2000 },
        { method: 'cash', tenderedMinor: 1000 },
      ],
    });
    expect(retried).toMatchObject({ ok: true, value: { refund: { id: value.refund.id } } });
    expect(zvtCharges()).toBe(charges + 1);
    const x2 = ((await core.dispatch('till', 'boxOffice.shift.x', {})) as { ok: true; value: ShiftReport }).value;
    expect(salesOf(x2, 'card_terminal')).toBe(salesOf(x1, 'card_terminal'));
    expect(salesOf(x2, 'cash')).toBe(salesOf(x1, 'cash'));
    expect(x2.totals.expectedCashMinor).toBe(x1.totals.expectedCashMinor);

    // Refunding the new ticket pays back the card parts first (sale's 1000, then the exchange's 2000),
    // the QR, and the rest in cash.
    const back = await core.dispatch('till', 'boxOffice.refund', { orderId: order.id, ticketIds: [value.tickets[0]!.id], reason: 'no show' });
    if (!back.ok) throw new Error(JSON.stringify(back.error));
    expect((back.value as CallOutput<'boxOffice.refund'>).payout.parts).toEqual([
      { method: 'card_terminal', amountMinor: 1000, state: 'paid' },
      { method: 'qr_alipay', amountMinor: 1000, state: 'paid' },
      { method: 'card_terminal', amountMinor: 2000, state: 'paid' },
      { method: 'cash', amountMinor: 2000, state: 'paid' },
      { method: 'cash', amountMinor: 500, state: 'paid' },
    ]);
  });

  it('pays the difference of an exchange into a cheaper type back to the card part on the terminal', async () => {
    const order = await sellSplit(1, 3000, 500);
    // 4000 paid, 2500 the new one: 1500 back, all of it to the card (non-cash first).
    const done = await core.dispatch('till', 'boxOffice.exchange', { orderId: order.id, ticketIds: [order.tickets[0]!.id], newTicketTypeId: cheapTypeId, reason: 'matinee' });
    if (!done.ok) throw new Error(JSON.stringify(done.error));
    const value = done.value as CallOutput<'boxOffice.exchange'>;
    expect(value.refund).toMatchObject({ kind: 'exchange', amountMinor: 1500, chargedMinor: 0 });
    expect(value.payout).toMatchObject({ state: 'paid', parts: [{ method: 'card_terminal', amountMinor: 1500, state: 'paid' }] });
    expect(zvt.payments.at(-1)).toMatchObject({ amountMinor: 1500, refund: true });
  });

  it('voids the card taken for an exchange the server refuses', async () => {
    const order = await sellSplit(1, 1000, 1000);
    await admin('PATCH', `/ticket-types/${dearTypeId}`, { capacity: 0 });
    const refused = await core.dispatch('till', 'boxOffice.exchange', {
      orderId: order.id,
      ticketIds: [order.tickets[0]!.id],
      newTicketTypeId: dearTypeId,
      reason: 'later show',
      payment: { method: 'card_terminal' },
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'exchange_not_allowed' } });
    expect(zvt.payments.at(-1)).toMatchObject({ amountMinor: 2500, reversed: true });
    const view = (await core.dispatch('till', 'boxOffice.findOrder', { code: order.id })) as { ok: true; value: OrderView };
    expect(view.value.tickets.map((t) => t.status)).toEqual(['valid']);
    expect(view.value.refunds).toEqual([]);
  });
  it('counts an exchange part a crash left captured but uncounted once, when the exchange is retried', async () => {
    // The type on sale again after the refusal above.
    await admin('PATCH', `/ticket-types/${dearTypeId}`, { capacity: null });
    await waitFor(async () => {
      const c = await core.dispatch('till', 'boxOffice.catalog', {});
      return c.ok && (c.value as { ticketTypes: { id: string; available?: number | null }[] }).ticketTypes.some((t) => t.id === dearTypeId && (t.available ?? 1) > 0);
    });
    const order = await sellSplit(1, 1000, 1000);
    const exchangeId = uuidv7();
    const x0 = ((await core.dispatch('till', 'boxOffice.shift.x', {})) as { ok: true; value: ShiftReport }).value;
    // The server makes the exchange (the terminal's own client asks it) ...
    const body = { exchangeId, operatorId: core.sessions.get('till')!.operatorId, ticketIds: [order.tickets[0]!.id], newTicketTypeId: dearTypeId, reason: 'crash' };
    const paid = { payment: { method: 'card_terminal', amountMinor: 2500 }, payments: [{ method: 'card_terminal', amountMinor: 2500 }] };
    await core.sync.send('POST', `/v1/orders/${order.id}/exchanges`, { ...body, ...paid }, ExchangeResponse, {});
    await core.close();
    // ... the terminal took the card and captured it, then died before the shift counted it.
    const sqlite = openLocalDb(join(work, 'box', 'terminal.sqlite'), 'migrations/local').$client;
    const journal = new PaymentJournal(sqlite);
    const ports = { cash: new CashPayment(), card_terminal: new CardTerminalPayment(new ZvtTerminal({ host: '127.0.0.1', port: zvt.port })) };
    const { auths } = await authorizeTenders(ports, journal, exchangeId, [{ method: 'card_terminal' }], 2500, 'EUR', 'exchange');
    await capturePayments(ports, journal, exchangeId, auths);
    sqlite.close();
    const charges = zvt.payments.filter((p) => !p.refund).length;

    core = await openCore();
    const salesOf = (r: ShiftReport, m: string) => r.totals.byMethod.find((b) => b.method === m)?.sales.amountMinor ?? 0;
    for (let i = 0; i < 2; i++) {
      const retried = await core.dispatch('till', 'boxOffice.exchange', { orderId: order.id, ticketIds: body.ticketIds, newTicketTypeId: dearTypeId, reason: 'crash', exchangeId, payment: { method: 'card_terminal' } });
      expect(retried).toMatchObject({ ok: true, value: { refund: { id: exchangeId, chargedMinor: 2500 } } });
      const x = ((await core.dispatch('till', 'boxOffice.shift.x', {})) as { ok: true; value: ShiftReport }).value;
      expect(salesOf(x, 'card_terminal') - salesOf(x0, 'card_terminal')).toBe(2500);
    }
    expect(zvt.payments.filter((p) => !p.refund)).toHaveLength(charges);
  });
});

describe('a refund at another till', () => {
  it('pays back a QR part taken at till A through the provider at till B, by the id the server kept', async () => {
    const dir = 'box-b';
    const pairing = await createCore(coreOptions(dir));
    await pairing.sync.pair(serverUrl, (await server.admin.createPairingCode()).code, 'Box office B');
    await pairing.close();
    const tillB = await openCore(dir);
    try {
      qr.customer = 'pay';
      const sold = await core.dispatch('till', 'boxOffice.sell', {
        lines: [{ ticketTypeId: typeId, quantity: 1 }],
        payments: [
          { method: 'qr_alipay', amountMinor: 3000 },
          { method: 'cash', tenderedMinor: 1000 },
        ],
      });
      if (!sold.ok) throw new Error(JSON.stringify(sold.error));
      const order = (sold.value as Sold).order;
      const provider = qrOf(order.id);
      expect(provider.refundedMinor).toBe(0);

      // Till B never saw the sale: its journal has nothing of it; the order's view carries the QR id.
      const found = await tillB.dispatch('till', 'boxOffice.findOrder', { code: order.id });
      if (!found.ok) throw new Error(JSON.stringify(found.error));
      expect((found.value as OrderView).order.payments[0]).toMatchObject({ method: 'qr_alipay', amountMinor: 3000, reference: provider.id });

      const done = await tillB.dispatch('till', 'boxOffice.refund', { orderId: order.id, ticketIds: [order.tickets[0]!.id], reason: 'bought at the other till' });
      if (!done.ok) throw new Error(JSON.stringify(done.error));
      expect((done.value as CallOutput<'boxOffice.refund'>).payout).toMatchObject({
        method: 'split',
        amountMinor: 4000,
        state: 'paid',
        parts: [
          { method: 'qr_alipay', amountMinor: 3000, state: 'paid' },
          { method: 'cash', amountMinor: 1000, state: 'paid' },
        ],
      });
      expect(qrOf(order.id).refundedMinor).toBe(3000);
    } finally {
      await tillB.close();
    }
  });
});
