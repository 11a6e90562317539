// Payments through the ports and the journal, over real sockets: a split tender (ZVT card on the
// simulated terminal + cash), voids when a tender or the order fails, a card terminal that never
// answers (payment_timeout, the terminal told to abort, nothing half-done), the journal surviving a
// reopen of its SQLite file and the recovery voiding an authorization no order took, and QR payment
// with the simulated provider (QR shown, paid, captured, refunded; declined; never paid).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ZvtTerminal } from '../../drivers';
import { startQrPaySimulator, startZvtSimulator, type QrPaySimulator, type ZvtSimulator } from '../../drivers/simulators';
import { MAX_TENDERED_MINOR } from '../../domain/money';
import { AdmitError } from '../../electron/contract';
import { CardTerminalPayment } from '../../electron/core/box-office/card-terminal';
import { CardManualPayment, CashPayment } from '../../electron/core/box-office/payment';
import { authorizeTenders, PaymentJournal, recoverPayments, refundPayment, type PaymentPorts } from '../../electron/core/box-office/payment-journal';
import { PendingSaleStore } from '../../electron/core/box-office/pending-sales';
import { HttpQrProvider, QrPayment, type QrPrompt } from '../../electron/core/box-office/qr-pay';
import { sell, type SaleDeps, type SaleServer } from '../../electron/core/box-office/sale';
import { openLocalDb } from '../../electron/core/db/open';
import type { CatalogEvent, CatalogType } from '../../electron/core/sync/cache';

const EVENT: CatalogEvent = { id: '0190a000-0000-7000-8000-00000000e001', name: { en: 'Fest' }, startsAt: '2026-07-01T10:00:00Z', endsAt: '2026-07-01T22:00:00Z', timezone: 'UTC', currency: 'EUR' };
const DAY: CatalogType = { id: '0190a000-0000-7000-8000-00000000a001', eventId: EVENT.id, name: { en: 'Day pass' }, priceMinor: 2500, currency: 'EUR', capacity: null, sold: 0 };
const lines = [{ ticketTypeId: DAY.id, quantity: 2 }]; // 5000

let zvtSim: ZvtSimulator | null = null;
let qrSim: QrPaySimulator | null = null;
const dirs: string[] = [];
afterEach(async () => {
  await zvtSim?.close();
  await qrSim?.close();
  zvtSim = qrSim = null;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function ports(opts: { ackMs?: number; payMs?: number } = {}) {
  zvtSim = await startZvtSimulator();
  qrSim = await startQrPaySimulator();
  const prompts: QrPrompt[] = [];
  const qr = (method: 'qr_alipay' | 'qr_wechat' | 'qr_sbp') =>
    new QrPayment(method, new HttpQrProvider(qrSim!.url), { pollMs: 10, present: (p) => prompts.push(p), ...(opts.payMs ? { payMs: opts.payMs } : {}) });
  const payments: PaymentPorts = {
    cash: new CashPayment(),
    card_manual: new CardManualPayment(),
    card_terminal: new CardTerminalPayment(new ZvtTerminal({ host: '127.0.0.1', port: zvtSim.port, ...(opts.ackMs ? { ackMs: opts.ackMs } : {}) })),
    qr_alipay: qr('qr_alipay'),
    qr_wechat: qr('qr_wechat'),
    qr_sbp: qr('qr_sbp'),
  };
  return { payments, prompts, zvt: zvtSim, qr: qrSim };
}

function world(payments: PaymentPorts, server: Partial<SaleServer> = {}) {
  const db = openLocalDb(':memory:', 'migrations/local').$client;
  const createOrder = vi.fn<SaleServer['createOrder']>(async (req) => ({
    order: { id: req.orderId, code: 'ORD-1', eventId: req.eventId, totalMinor: req.payment.amountMinor, currency: 'EUR', createdAt: '2026-07-01T12:00:00.000Z' },
    tickets: [],
  }));
  const deps = {
    cache: { catalog: () => ({ event: EVENT, types: [DAY] }) },
    payments,
    journal: new PaymentJournal(db),
    server: { isOnline: true, createOrder, applyChanges: vi.fn(), ...server },
    orders: { insert: vi.fn() },
    pending: new PendingSaleStore(db),
    printing: { print: vi.fn(async () => ({ state: 'printed' as const, jobIds: [] })) },
    transaction: <T>(fn: () => T): T => fn(),
    printLanguage: () => 'en',
  } satisfies SaleDeps;
  return { deps, createOrder };
}
const states = (deps: { journal: PaymentJournal }, orderId: string) => deps.journal.ofOrder(orderId).map((p) => [p.auth.method, p.state]);

describe('a split tender', () => {
  it('takes card 3000 on the terminal and cash 2000 given 5000, with 3000 change, and records both', async () => {
    const { payments, zvt } = await ports();
    const { deps, createOrder } = world(payments);
    const { order } = await sell(deps, { lines, payments: [{ method: 'card_terminal', amountMinor: 3000 }, { method: 'cash', tenderedMinor: 5000 }] }, 'op');
    expect(order).toMatchObject({ paymentMethod: 'split', totalMinor: 5000, tenderedMinor: 8000, changeMinor: 3000, payments: [{ method: 'card_terminal', amountMinor: 3000 }, { method: 'cash', amountMinor: 2000 }] });
    expect(createOrder.mock.calls[0]![0]).toMatchObject({ payment: { method: 'split', amountMinor: 5000 }, payments: [{ method: 'card_terminal', amountMinor: 3000 }, { method: 'cash', amountMinor: 2000 }] });
    expect(zvt.payments).toMatchObject([{ amountMinor: 3000, reversed: false }]);
    expect(states(deps, order.id)).toEqual([['card_terminal', 'captured'], ['cash', 'captured']]);
    expect(deps.journal.ofOrder(order.id)[0]!.auth.reference).toBe('1');
  });

  it('takes a card keyed from a stand-alone terminal with its approval code', async () => {
    const { payments } = await ports();
    const { deps } = world(payments);
    const { order } = await sell(deps, { lines, payments: [{ method: 'card_manual', approvalCode: 'a1b2c3' }] }, 'op');
    expect(order).toMatchObject({ paymentMethod: 'card_manual', changeMinor: 0 });
    expect(deps.journal.ofOrder(order.id).map((p) => p.auth.reference)).toEqual(['A1B2C3']);
  });

  it('refuses a tender below the total and an overflowing amount before any money is asked for', async () => {
    const { payments, zvt } = await ports();
    const { deps, createOrder } = world(payments);
    await expect(sell(deps, { lines, payments: [{ method: 'card_terminal', amountMinor: 3000 }, { method: 'cash', tenderedMinor: 1999 }] }, 'op')).rejects.toMatchObject({ code: 'payment_insufficient' });
    await expect(sell(deps, { lines, payments: [{ method: 'cash', tenderedMinor: MAX_TENDERED_MINOR + 1 }] }, 'op')).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(sell(deps, { lines, payments: [{ method: 'card_terminal', amountMinor: 6000 }, { method: 'cash', tenderedMinor: 0 }] }, 'op')).rejects.toMatchObject({ code: 'invalid_input', message: 'over_charged' });
    expect(zvt.commands).toEqual([]);
    expect(createOrder).not.toHaveBeenCalled();
    expect(deps.journal.open()).toEqual([]);
  });

  it('voids what was authorized when a later tender is declined, and makes no order', async () => {
    const { payments, qr, zvt } = await ports();
    qr.customer = 'pay';
    zvt.behaviour = 'decline';
    const { deps, createOrder } = world(payments);
    const cartId = '0190a000-0000-7000-8000-0000000ca001';
    await expect(sell(deps, { cartId, lines, payments: [{ method: 'qr_alipay', amountMinor: 2000 }, { method: 'card_terminal', amountMinor: 3000 }] }, 'op')).rejects.toMatchObject({ code: 'payment_declined' });
    expect(createOrder).not.toHaveBeenCalled();
    expect(states(deps, cartId)).toEqual([['qr_alipay', 'voided']]);
    expect([...qr.payments.values()].map((p) => p.state)).toEqual(['cancelled']);
  });

  it('voids every tender when the server refuses the order: the card is reversed at the terminal', async () => {
    const { payments, qr, zvt } = await ports();
    qr.customer = 'pay';
    const { deps } = world(payments, { createOrder: vi.fn(async () => Promise.reject(new AdmitError('sold_out'))) });
    const cartId = '0190a000-0000-7000-8000-0000000ca002';
    await expect(sell(deps, { cartId, lines, payments: [{ method: 'card_terminal', amountMinor: 1000 }, { method: 'qr_sbp', amountMinor: 1500 }, { method: 'cash', tenderedMinor: 2500 }] }, 'op')).rejects.toMatchObject({ code: 'sold_out' });
    expect(states(deps, cartId)).toEqual([['card_terminal', 'voided'], ['qr_sbp', 'voided'], ['cash', 'voided']]);
    expect(zvt.payments).toMatchObject([{ amountMinor: 1000, reversed: true }]);
    expect(zvt.commands.map((c) => c.name)).toEqual(['authorization', 'reversal']);
    expect([...qr.payments.values()].map((p) => p.state)).toEqual(['cancelled']);
    expect(deps.journal.open()).toEqual([]);
  });

  it('fails with payment_timeout when the card terminal never answers: the terminal is told to abort, cash given back, no order', async () => {
    const { payments, zvt } = await ports({ ackMs: 300 });
    zvt.behaviour = 'hang';
    const { deps, createOrder } = world(payments);
    const cartId = '0190a000-0000-7000-8000-0000000ca003';
    const aborted = new Promise<void>((resolve) => zvt.on('command', (c) => c.name === 'abort' && resolve()));
    await expect(sell(deps, { cartId, lines, payments: [{ method: 'cash', tenderedMinor: 2000 }, { method: 'card_terminal', amountMinor: 3000 }] }, 'op')).rejects.toMatchObject({ code: 'payment_timeout' });
    await aborted;
    expect(createOrder).not.toHaveBeenCalled();
    expect(deps.pending.get(cartId)).toBeUndefined();
    expect(states(deps, cartId)).toEqual([['cash', 'voided']]);
    expect(deps.journal.open()).toEqual([]);
  });
});

describe('a retry of a cart', () => {
  it('voids what the retry authorized when the cart was already sold, keeping the payment that made the order', async () => {
    const { payments, zvt } = await ports();
    const { deps, createOrder } = world(payments);
    const cartId = '0190a000-0000-7000-8000-0000000ca007';
    const input = { cartId, lines, payments: [{ method: 'card_terminal' as const }] };
    await sell(deps, input, 'op');
    // The screen lost the answer and sells the same cart again.
    await sell(deps, input, 'op');
    expect(createOrder).toHaveBeenCalledTimes(1);
    expect(states(deps, cartId)).toEqual([['card_terminal', 'captured'], ['card_terminal', 'voided']]);
    expect(zvt.payments.map((p) => [p.amountMinor, p.reversed])).toEqual([[5000, false], [5000, true]]);
  });

  it('gives back what a lost attempt authorized when the retry pays afresh', async () => {
    const { payments, zvt } = await ports();
    const { deps, createOrder } = world(payments);
    createOrder.mockImplementationOnce(() => Promise.reject(new AdmitError('offline', 'server unreachable')));
    const cartId = '0190a000-0000-7000-8000-0000000ca008';
    const input = { cartId, lines, payments: [{ method: 'card_terminal' as const }] };
    await expect(sell(deps, input, 'op')).rejects.toMatchObject({ message: 'outcome_unknown' });
    expect(states(deps, cartId)).toEqual([['card_terminal', 'authorized']]);
    await sell(deps, input, 'op');
    expect(states(deps, cartId)).toEqual([['card_terminal', 'voided'], ['card_terminal', 'captured']]);
    expect(zvt.payments.map((p) => p.reversed)).toEqual([true, false]);
  });
});

describe('the payment journal', () => {
  it('survives a reopen of its SQLite file, and the recovery voids an authorization no order took', async () => {
    const { payments, zvt } = await ports();
    const dir = mkdtempSync(join(tmpdir(), 'admit-pay-'));
    dirs.push(dir);
    const file = join(dir, 'terminal.sqlite');
    const orderId = '0190a000-0000-7000-8000-0000000ca004';
    const made = '0190a000-0000-7000-8000-0000000ca005';
    let db = openLocalDb(file, 'migrations/local').$client;
    // A crash right after the authorizations: the order was never sent, or was made.
    await authorizeTenders(payments, new PaymentJournal(db), orderId, [{ method: 'card_terminal', amountMinor: 3000 }, { method: 'cash', tenderedMinor: 2000 }], 5000, 'EUR');
    await authorizeTenders(payments, new PaymentJournal(db), made, [{ method: 'card_manual', approvalCode: 'OK1234' }], 900, 'EUR');
    db.close();

    db = openLocalDb(file, 'migrations/local').$client;
    let journal = new PaymentJournal(db);
    expect(journal.open().map((p) => [p.orderId, p.auth.method, p.state])).toEqual([
      [orderId, 'card_terminal', 'authorized'],
      [orderId, 'cash', 'authorized'],
      [made, 'card_manual', 'authorized'],
    ]);
    const result = await recoverPayments(payments, journal, (id) => (id === made ? 'made' : 'none'));
    expect(result.voided.map((a) => a.method)).toEqual(['card_terminal', 'cash']);
    expect(result.captured.map((a) => a.method)).toEqual(['card_manual']);
    expect(zvt.payments).toMatchObject([{ amountMinor: 3000, reversed: true }]);
    db.close();

    db = openLocalDb(file, 'migrations/local').$client;
    journal = new PaymentJournal(db);
    expect(journal.open()).toEqual([]);
    expect(journal.ofOrder(orderId).map((p) => p.state)).toEqual(['voided', 'voided']);
    const card = journal.ofOrder(orderId)[0]!;
    expect(journal.history(card.auth.id).map((h) => h.action)).toEqual(['authorized', 'voided']);
    db.close();
  });

  it('leaves an authorization whose order is still unknown, and tries a failed void again later', async () => {
    const { payments, zvt } = await ports({ ackMs: 300 });
    const journal = new PaymentJournal(openLocalDb(':memory:', 'migrations/local').$client);
    const orderId = '0190a000-0000-7000-8000-0000000ca006';
    await authorizeTenders(payments, journal, orderId, [{ method: 'card_terminal' }], 4000, 'EUR');
    expect(await recoverPayments(payments, journal, () => 'unknown')).toEqual({ voided: [], captured: [] });
    zvt.behaviour = 'disconnect';
    expect((await recoverPayments(payments, journal, () => 'failed')).voided).toEqual([]);
    expect(journal.open().map((p) => p.state)).toEqual(['void_failed']);
    zvt.behaviour = 'approve';
    expect((await recoverPayments(payments, journal, () => 'failed')).voided.map((a) => a.method)).toEqual(['card_terminal']);
    expect(journal.open()).toEqual([]);
  });
});

describe('QR payment with the simulated provider', () => {
  it('shows the QR, waits for the customer to pay, captures with the order and refunds part of it', async () => {
    const { payments, prompts, qr } = await ports();
    qr.on('created', (p) => setImmediate(() => qr.pay(p.id)));
    const { deps } = world(payments);
    const { order } = await sell(deps, { lines, payments: [{ method: 'qr_wechat' }] }, 'op');
    expect(order).toMatchObject({ paymentMethod: 'qr_wechat', tenderedMinor: 5000, changeMinor: 0 });
    expect(prompts).toHaveLength(1);
    expect(prompts[0]).toMatchObject({ method: 'qr_wechat', amountMinor: 5000, currency: 'EUR', orderId: order.id });
    expect(prompts[0]!.qrPayload).toMatch(/^weixin:\/\/wxpay\/bizpayurl\?pr=sim/);
    const [paid] = [...qr.payments.values()];
    expect(paid).toMatchObject({ state: 'captured', amountMinor: 5000, reference: order.id });

    const payment = deps.journal.ofOrder(order.id)[0]!;
    const refund = await refundPayment(payments, deps.journal, payment.auth.id, 2000, 'one ticket back', 'refund-1');
    expect(refund).toMatchObject({ method: 'qr_wechat', amountMinor: 2000, paymentId: payment.auth.id });
    expect(paid!.refundedMinor).toBe(2000);
    await expect(refundPayment(payments, deps.journal, payment.auth.id, 3001, 'too much', 'refund-2')).rejects.toMatchObject({ code: 'invalid_input' });
    expect(deps.journal.history(payment.auth.id).map((h) => [h.action, h.amountMinor])).toEqual([
      ['authorized', 5000],
      ['captured', 5000],
      ['refund_sent', 2000],
      ['refunded', 2000],
    ]);
  });

  it('refuses a payment the wallet declined, with nothing taken', async () => {
    const { payments, qr } = await ports();
    qr.customer = 'decline';
    const { deps, createOrder } = world(payments);
    await expect(sell(deps, { lines, payments: [{ method: 'qr_sbp' }] }, 'op')).rejects.toMatchObject({ code: 'payment_declined' });
    expect(createOrder).not.toHaveBeenCalled();
    expect(deps.journal.open()).toEqual([]);
  });

  it('cancels a QR the customer never paid at the provider, as payment_timeout', async () => {
    const { payments, qr } = await ports({ payMs: 200 });
    const { deps, createOrder } = world(payments);
    await expect(sell(deps, { lines, payments: [{ method: 'qr_alipay' }] }, 'op')).rejects.toMatchObject({ code: 'payment_timeout' });
    expect([...qr.payments.values()].map((p) => p.state)).toEqual(['cancelled']);
    expect(createOrder).not.toHaveBeenCalled();
  });
});
