// A box-office sale as one flow (box-office/sale.ts) over fakes of everything around it: the catalog is
// read once, cash goes through the payment port (authorize → order → capture; void when no order could
// be made), and nothing is sold, kept or printed when the tender is short or the order fails.
import { describe, expect, it, vi } from 'vitest';
import { AdmitError } from '../../electron/contract';
import { CashPayment, type Authorization, type PaymentPort, type PaymentRequest } from '../../electron/core/box-office/payment';
import { sell, type SaleDeps, type SaleServer } from '../../electron/core/box-office/sale';
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
  const deps = {
    cache: { catalog: vi.fn(() => ({ event: EVENT, types: [DAY, KID] })) },
    payments: { cash },
    server: { isOnline: true, createOrder, applyChanges, ...server },
    orders: { insert: vi.fn() },
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
  payment: { method: 'cash' as const, tenderedMinor },
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
    expect(createOrder.mock.calls[0]![0]).toMatchObject({ eventId: EVENT.id, payment: { method: 'cash', amountMinor: 8500 } });
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
    expect(cash.steps).toEqual(['authorize']);
    expect(createOrder).not.toHaveBeenCalled();
    expect(deps.orders.insert).not.toHaveBeenCalled();
    expect(applyChanges).not.toHaveBeenCalled();
    expect(print).not.toHaveBeenCalled();
  });

  it('voids the payment when the server refuses the order, and keeps nothing', async () => {
    const { deps, cash, print } = world({ createOrder: vi.fn(async () => Promise.reject(new AdmitError('sold_out'))) });
    await expect(sell(deps, cart(10_000), 'op-1')).rejects.toMatchObject({ code: 'sold_out' });
    expect(cash.steps).toEqual(['authorize', 'void 8500']);
    expect(deps.orders.insert).not.toHaveBeenCalled();
    expect(print).not.toHaveBeenCalled();
  });

  it('voids the payment when the server is out of reach', async () => {
    const { deps, cash, createOrder } = world({ isOnline: false });
    await expect(sell(deps, cart(10_000), 'op-1')).rejects.toMatchObject({ code: 'offline' });
    expect(cash.steps).toEqual(['authorize', 'void 8500']);
    expect(createOrder).not.toHaveBeenCalled();
  });

  it('voids the payment when the server prices the order differently', async () => {
    const { deps, cash } = world({
      createOrder: vi.fn(async (req) => ({
        order: { id: req.orderId, code: 'ORD-2', eventId: req.eventId, totalMinor: 1, currency: 'EUR', createdAt: '2026-07-01T12:00:00.000Z' },
        tickets: [],
      })),
    });
    await expect(sell(deps, cart(10_000), 'op-1')).rejects.toMatchObject({ code: 'server_rejected' });
    expect(cash.steps).toEqual(['authorize', 'void 8500']);
  });

  it('answers with what became of the printing', async () => {
    const { deps, print } = world();
    print.mockResolvedValueOnce({ state: 'queued', reason: 'paper_out', jobIds: ['j1'] });
    expect((await sell(deps, cart(10_000), 'op-1')).print).toEqual({ state: 'queued', reason: 'paper_out', jobIds: ['j1'] });
  });

  it('prices an unknown ticket type as the UI error, before any money is asked for', async () => {
    const { deps, cash } = world();
    const input = { lines: [{ ticketTypeId: '0190a000-0000-7000-8000-0000000000ff', quantity: 1 }], payment: { method: 'cash' as const, tenderedMinor: 10_000 } };
    await expect(sell(deps, input, 'op-1')).rejects.toMatchObject({ code: 'unknown_ticket_type' });
    expect(cash.steps).toEqual([]);
  });
});
