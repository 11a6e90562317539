// A box-office sale as one flow (box-office/sale.ts) over fakes of the server, the printer and the
// catalog, with the pending sales on a real SQLite database: the catalog is read once, cash goes through
// the payment port (authorize → order → capture; void when the server refused the order), nothing is
// sold, kept or printed when the tender is short or the order fails, and a sale whose answer was lost
// stays pending under its order id until a retry of the same cart or the recovery settles it.
import { describe, expect, it, vi } from 'vitest';
import { AdmitError } from '../../electron/contract';
import { CashPayment, type Authorization, type PaymentPort, type PaymentRequest, type Refund, type RefundRequest } from '../../electron/core/box-office/payment';
import { PaymentJournal } from '../../electron/core/box-office/payment-journal';
import { PendingSaleStore } from '../../electron/core/box-office/pending-sales';
import { recoverSales, sell, type SaleDeps, type SaleServer } from '../../electron/core/box-office/sale';
import { openLocalDb } from '../../electron/core/db/open';
import type { PrintItem, Printing } from '../../electron/core/devices/module';
import type { CatalogEvent, CatalogType } from '../../electron/core/sync/cache';

const EVENT: CatalogEvent = {
  id: '0190a000-0000-7000-8000-00000000e001',
  name: { en: 'Fest' },
  startsAt: '2026-07-01T10:00:00Z',
  endsAt: '2026-07-01T22:00:00Z',
  timezone: 'UTC',
  currency: 'EUR',
};
const DAY: CatalogType = { id: '0190a000-0000-7000-8000-00000000a001', eventId: EVENT.id, name: { en: 'Day pass' }, priceMinor: 4500, currency: 'EUR', capacity: null, sold: 0 };
const KID: CatalogType = { id: '0190a000-0000-7000-8000-00000000a002', eventId: EVENT.id, name: { en: 'Child' }, priceMinor: 2000, currency: 'EUR', capacity: 10, sold: 0 };

/** The cash port, with every step it is asked to take written down. */
class RecordingCash implements PaymentPort {
  readonly method = 'cash' as const;
  readonly steps: string[] = [];
  readonly #cash = new CashPayment();
  async authorize(request: PaymentRequest): Promise<Authorization> {
    this.steps.push('authorize');
    return this.#cash.authorize(request);
  }
  async capture(auth: Authorization): Promise<Authorization> {
    this.steps.push('capture');
    return this.#cash.capture(auth);
  }
  async void(auth: Authorization): Promise<void> {
    this.steps.push(`void ${auth.amountMinor}`);
  }
  async refund(request: RefundRequest): Promise<Refund> {
    this.steps.push(`refund ${request.amountMinor}`);
    return this.#cash.refund(request);
  }
}

function world(server: Partial<SaleServer> = {}) {
  const cash = new RecordingCash();
  let seq = 0;
  const createOrder = vi.fn<SaleServer['createOrder']>(async (req) => ({
    order: { id: req.orderId, code: 'ORD-1', eventId: req.eventId, totalMinor: req.payment.amountMinor, currency: 'EUR', createdAt: '2026-07-01T12:00:00.000Z' },
    tickets: req.lines.flatMap((l) =>
      Array.from({ length: l.quantity }, () => ({
        id: `0190a000-0000-7000-8000-${String(++seq).padStart(12, '0')}`,
        eventId: req.eventId,
        ticketTypeId: l.ticketTypeId,
        orderId: req.orderId,
        code: `T-${seq}`,
        status: 'valid' as const,
        paid: true,
        attendeeName: null,
        orderCode: 'ORD-1',
        phoneLast4: null,
        idHash: null,
        rotatingSecret: null,
        validFrom: null,
        validTo: null,
      })),
    ),
  }));
  const applyChanges = vi.fn<SaleServer['applyChanges']>();
  const print = vi.fn<Printing['print']>(async (_items: readonly PrintItem[]) => ({ state: 'printed', jobIds: ['j1', 'j2'] }));
  const db = openLocalDb(':memory:', 'migrations/local').$client;
  const deps = {
    cache: { catalog: vi.fn(() => ({ event: EVENT, types: [DAY, KID] })) },
    payments: { cash },
    server: { isOnline: true, createOrder, applyChanges, ...server },
    orders: { insert: vi.fn() },
    pending: new PendingSaleStore(db),
    journal: new PaymentJournal(db),
    printing: { print },
    transaction: <T>(fn: () => T): T => fn(),
    printLanguage: () => 'en',
  } satisfies SaleDeps;
  return { deps, cash, createOrder, applyChanges, print };
}
const cart = (tenderedMinor: number) => ({
  lines: [
    { ticketTypeId: DAY.id, quantity: 1 },
    { ticketTypeId: KID.id, quantity: 2 },
  ],
  payments: [{ method: 'cash' as const, tenderedMinor }],
});

describe('a sale through the payment port', () => {
  it('takes cash and gives the change, with the catalog read once', async () => {
    const { deps, cash, createOrder, applyChanges, print: printer } = world();
    const { order, print } = await sell(deps, cart(10_000), 'op-1');
    expect(order).toMatchObject({ totalMinor: 8500, tenderedMinor: 10_000, changeMinor: 1500, paymentMethod: 'cash', code: 'ORD-1' });
    expect(order.tickets.map((t) => [t.ticketTypeName.en, t.priceMinor])).toEqual([
      ['Day pass', 4500],
      ['Child', 2000],
      ['Child', 2000],
    ]);
    expect(cash.steps).toEqual(['authorize', 'capture']);
    expect(createOrder.mock.calls[0]![0]).toMatchObject({ eventId: EVENT.id, payment: { method: 'cash', amountMinor: 8500 }, payments: [{ method: 'cash', amountMinor: 8500 }] });
    expect(deps.journal.ofOrder(order.id).map((p) => [p.auth.method, p.state])).toEqual([['cash', 'captured']]);
    expect(deps.cache.catalog).toHaveBeenCalledTimes(1);
    // Kept locally with its tickets in the cache, then printed: three tickets and a receipt.
    expect(deps.orders.insert).toHaveBeenCalledWith(order, 'op-1');
    expect(applyChanges.mock.calls[0]![0]).toHaveLength(3);
    expect(printer.mock.calls[0]![0].map((i) => i.kind)).toEqual(['ticket', 'ticket', 'ticket', 'receipt']);
    expect(print).toEqual({ state: 'printed', jobIds: ['j1', 'j2'] });
  });

  it('refuses a short tender with nothing sold, kept or printed', async () => {
    const { deps, cash, createOrder, applyChanges, print } = world();
    await expect(sell(deps, cart(8499), 'op-1')).rejects.toMatchObject({ code: 'payment_insufficient' });
    expect(cash.steps).toEqual([]);
    expect(deps.journal.open()).toEqual([]);
    expect(createOrder).not.toHaveBeenCalled();
    expect(deps.orders.insert).not.toHaveBeenCalled();
    expect(applyChanges).not.toHaveBeenCalled();
    expect(print).not.toHaveBeenCalled();
  });

  it('voids the payment when the server refuses the order, and keeps nothing', async () => {
    const { deps, cash, print } = world({ createOrder: vi.fn(async () => Promise.reject(new AdmitError('sold_out'))) });
    await expect(sell(deps, cart(10_000), 'op-1')).rejects.toMatchObject({ code: 'sold_out' });
    expect(cash.steps).toEqual(['authorize', 'void 8500']);
    expect(deps.journal.open()).toEqual([]);
    expect(deps.orders.insert).not.toHaveBeenCalled();
    expect(print).not.toHaveBeenCalled();
  });

  it('voids the payment when the server is out of reach', async () => {
    const { deps, cash, createOrder } = world({ isOnline: false });
    await expect(sell(deps, cart(10_000), 'op-1')).rejects.toMatchObject({ code: 'offline' });
    expect(cash.steps).toEqual(['authorize', 'void 8500']);
    expect(createOrder).not.toHaveBeenCalled();
  });

  it('keeps an order the server priced lower at its total, the difference going back as change', async () => {
    const { deps, cash } = world({
      createOrder: vi.fn(async (req) => ({
        order: { id: req.orderId, code: 'ORD-2', eventId: req.eventId, totalMinor: 8000, currency: 'EUR', createdAt: '2026-07-01T12:00:00.000Z' },
        tickets: [],
      })),
    });
    const { order } = await sell(deps, cart(10_000), 'op-1');
    expect(order).toMatchObject({ code: 'ORD-2', totalMinor: 8000, tenderedMinor: 10_000, changeMinor: 2000 });
    expect(cash.steps).toEqual(['authorize', 'capture']);
  });

  it('answers with what became of the printing', async () => {
    const { deps, print } = world();
    print.mockResolvedValueOnce({ state: 'queued', reason: 'paper_out', jobIds: ['j1'] });
    expect((await sell(deps, cart(10_000), 'op-1')).print).toEqual({ state: 'queued', reason: 'paper_out', jobIds: ['j1'] });
  });

  it('takes a single tender given as payment (earlier screens) like a list of one', async () => {
    const { deps, cash } = world();
    const { order } = await sell(deps, { lines: cart(0).lines, payment: { method: 'cash', tenderedMinor: 9000 } }, 'op-1');
    expect(order).toMatchObject({ paymentMethod: 'cash', changeMinor: 500 });
    expect(cash.steps).toEqual(['authorize', 'capture']);
    await expect(sell(deps, { lines: cart(0).lines }, 'op-1')).rejects.toMatchObject({ code: 'invalid_input', message: 'no payment' });
    await expect(sell(deps, { ...cart(9000), payment: { method: 'cash', tenderedMinor: 9000 } }, 'op-1')).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('prices an unknown ticket type as the UI error, before any money is asked for', async () => {
    const { deps, cash } = world();
    const input = { lines: [{ ticketTypeId: '0190a000-0000-7000-8000-0000000000ff', quantity: 1 }], payment: { method: 'cash' as const, tenderedMinor: 10_000 } };
    await expect(sell(deps, input, 'op-1')).rejects.toMatchObject({ code: 'unknown_ticket_type' });
    expect(cash.steps).toEqual([]);
  });
});

describe('a sale whose answer is lost', () => {
  const CART = '0190a000-0000-7000-8000-0000000ca001';
  const lost = () => Promise.reject(new AdmitError('offline', 'server unreachable'));

  it('stays pending under its cart id; selling the same cart again sends the same order id and completes it once', async () => {
    const { deps, cash, createOrder, print } = world();
    createOrder.mockImplementationOnce(lost);
    await expect(sell(deps, { ...cart(10_000), cartId: CART }, 'op-1')).rejects.toMatchObject({ code: 'offline', message: 'outcome_unknown' });
    // The money stays with the pending sale: not voided while the outcome is unknown.
    expect(cash.steps).toEqual(['authorize']);
    expect(deps.pending.get(CART)).toMatchObject({ state: 'pending', tenderedMinor: 10_000 });
    expect(deps.orders.insert).not.toHaveBeenCalled();

    const { order } = await sell(deps, { ...cart(20_000), cartId: CART }, 'op-1');
    expect(createOrder.mock.calls.map(([req]) => req.orderId)).toEqual([CART, CART]);
    expect(order).toMatchObject({ id: CART, tenderedMinor: 20_000, changeMinor: 11_500 });
    expect(deps.pending.get(CART)).toMatchObject({ state: 'done', order: { id: CART } });
    expect(deps.orders.insert).toHaveBeenCalledTimes(1);
    expect(print).toHaveBeenCalledTimes(1);

    // The screen lost that answer too and asks once more: the same order, nothing sent or printed again.
    const again = await sell(deps, { ...cart(20_000), cartId: CART }, 'op-1');
    expect(again.order).toEqual(order);
    expect(createOrder).toHaveBeenCalledTimes(2);
    expect(print).toHaveBeenCalledTimes(1);
  });

  it('settles the earlier attempt first when the cart changed: made after all → earlier_sale_completed, nothing new sold', async () => {
    const { deps, createOrder, print } = world();
    createOrder.mockImplementationOnce(lost);
    await expect(sell(deps, { ...cart(10_000), cartId: CART }, 'op-1')).rejects.toMatchObject({ message: 'outcome_unknown' });
    const bigger = { ...cart(20_000), lines: [{ ticketTypeId: DAY.id, quantity: 3 }], cartId: CART };
    await expect(sell(deps, bigger, 'op-1')).rejects.toMatchObject({ code: 'earlier_sale_completed', message: 'ORD-1' });
    // The earlier content went out again under its id; the new content never did.
    expect(createOrder.mock.calls.map(([req]) => req.lines)).toEqual([cart(0).lines, cart(0).lines]);
    expect(deps.pending.get(CART)).toMatchObject({ state: 'done' });
    expect(print).toHaveBeenCalledTimes(1);
  });

  it('starts the changed cart afresh under the same id when the earlier attempt was refused', async () => {
    const { deps, createOrder } = world();
    createOrder.mockImplementationOnce(lost).mockImplementationOnce(() => Promise.reject(new AdmitError('sold_out')));
    await expect(sell(deps, { ...cart(10_000), cartId: CART }, 'op-1')).rejects.toMatchObject({ message: 'outcome_unknown' });
    const smaller = { ...cart(5_000), lines: [{ ticketTypeId: DAY.id, quantity: 1 }], cartId: CART };
    const { order } = await sell(deps, smaller, 'op-1');
    expect(order).toMatchObject({ id: CART, totalMinor: 4500 });
    expect(createOrder.mock.calls.map(([req]) => req.lines)).toEqual([cart(0).lines, cart(0).lines, smaller.lines]);
  });

  it('is completed and printed by the recovery, or marked failed when the server refuses it', async () => {
    const { deps, createOrder, print } = world();
    createOrder.mockImplementationOnce(lost);
    await expect(sell(deps, { ...cart(10_000), cartId: CART }, 'op-1')).rejects.toMatchObject({ message: 'outcome_unknown' });
    const other = '0190a000-0000-7000-8000-0000000ca002';
    createOrder.mockImplementationOnce(lost);
    await expect(sell(deps, { ...cart(10_000), cartId: other }, 'op-2')).rejects.toMatchObject({ message: 'outcome_unknown' });

    createOrder.mockImplementationOnce(() => Promise.reject(new AdmitError('sold_out')));
    const { done, failed } = await recoverSales(deps);
    expect(failed.map((s) => [s.orderId, s.state, s.error])).toEqual([[CART, 'failed', 'sold_out']]);
    expect(done.map((o) => o.id)).toEqual([other]);
    expect(deps.orders.insert).toHaveBeenCalledWith(expect.objectContaining({ id: other }), 'op-2');
    expect(print).toHaveBeenCalledTimes(1);
    expect(deps.pending.unsettled()).toEqual([]);
  });

  it('leaves pending sales alone while the server is out of reach', async () => {
    const { deps, createOrder } = world();
    createOrder.mockImplementationOnce(lost);
    await expect(sell(deps, { ...cart(10_000), cartId: CART }, 'op-1')).rejects.toMatchObject({ message: 'outcome_unknown' });
    const offline = { ...deps, server: { ...deps.server, isOnline: false } };
    expect(await recoverSales(offline)).toEqual({ done: [], failed: [] });
    expect(createOrder).toHaveBeenCalledTimes(1);
    expect(deps.pending.get(CART)?.state).toBe('pending');
  });
});
