// Owns a box-office sale, start to end: the cart priced once from the catalog (domain/pricing), the
// money authorized through the payment port, the order created at the server (the authority on stock),
// the payment captured — or voided when no order could be made — the order and its tickets kept
// locally in one transaction (so a gate on this terminal admits them before the next pull), and the
// tickets and receipt printed, answering with what became of the printing.
import { priceCart, type Pricing } from '../../../domain/pricing';
import type { PaymentMethod } from '../../../domain/tender';
import type { Change } from '../../../domain/wire';
import { AdmitError, type CallInput, type CallOutput, type Order } from '../../contract';
import type { Transaction } from '../db/meta';
import type { Printing } from '../devices/module';
import { newId } from '../ids';
import type { CacheReader } from '../sync/cache';
import type { SyncClient } from '../sync/client';
import type { OrderWriter } from './orders';
import type { Authorization, PaymentPort } from './payment';
import { printLabels } from './print-labels';
import { receiptDocument, ticketDocuments } from './receipts';

export type SaleInput = CallInput<'boxOffice.sell'>;
export type SaleResult = CallOutput<'boxOffice.sell'>;

/** What a sale needs of sync: whether the server is reachable, the order there, and its tickets into the cache. */
export type SaleServer = Pick<SyncClient, 'isOnline' | 'createOrder' | 'applyChanges'>;

export type SaleDeps = {
  cache: Pick<CacheReader, 'catalog'>;
  payments: Partial<Record<PaymentMethod, PaymentPort>>;
  server: SaleServer;
  orders: OrderWriter;
  printing: Printing;
  transaction: Transaction;
  /** The language tickets and receipts are printed in. */
  printLanguage: () => string;
};

/** A cart the domain cannot price, as the error the UI shows. */
function pricingError(problem: Extract<Pricing, { ok: false }>): AdmitError {
  if (problem.reason === 'unknown_ticket_type') return new AdmitError('unknown_ticket_type');
  return new AdmitError('invalid_input', problem.ticketTypeId ? `${problem.reason}: ${problem.ticketTypeId}` : problem.reason);
}

export async function sell(deps: SaleDeps, input: SaleInput, operatorId: string): Promise<SaleResult> {
  const { event, types } = deps.cache.catalog();
  if (!event) throw new AdmitError('not_paired', 'no event synced');
  const priced = priceCart(input.lines, types, event.currency);
  if (!priced.ok) throw pricingError(priced);
  const total = priced.totalMinor;

  const port = deps.payments[input.payment.method];
  if (!port) throw new AdmitError('invalid_input', `no ${input.payment.method} payment at this terminal`);
  const auth = await port.authorize({ amountMinor: total, currency: event.currency, tender: input.payment });

  let order: Order;
  let tickets: Extract<Change, { kind: 'ticket' }>['row'][];
  try {
    if (!deps.server.isOnline) throw new AdmitError('offline');
    const res = await deps.server.createOrder({
      orderId: newId(),
      eventId: event.id,
      lines: input.lines,
      payment: { method: auth.method, amountMinor: total },
    });
    if (res.order.totalMinor !== total) throw new AdmitError('server_rejected', 'total mismatch');
    const captured = await port.capture(auth);
    order = orderOf(res, event.id, total, captured, types);
    tickets = res.tickets;
  } catch (e) {
    await voidQuietly(port, auth);
    throw e;
  }

  deps.transaction(() => {
    deps.orders.insert(order, operatorId);
    deps.server.applyChanges(
      tickets.map((row) => ({ seq: 0, kind: 'ticket' as const, row })),
      0,
    );
  });

  const labels = printLabels(deps.printLanguage(), event.name);
  // Through the durable queue: printed only if confirmed within a short wait; otherwise the jobs stay
  // queued and print when the printer recovers (print.job tells the screen).
  const print = await deps.printing.print([
    ...ticketDocuments(order, labels).map((doc) => ({ kind: 'ticket' as const, doc })),
    { kind: 'receipt' as const, doc: receiptDocument(order, labels) },
  ]);
  return { order, print };
}

async function voidQuietly(port: PaymentPort, auth: Authorization): Promise<void> {
  try {
    await port.void(auth);
  } catch {
    // The sale's own error is the one to report; a void that failed is the port's to retry.
  }
}

function orderOf(
  res: Awaited<ReturnType<SaleServer['createOrder']>>,
  eventId: string,
  total: number,
  paid: Authorization,
  types: ReturnType<CacheReader['catalog']>['types'],
): Order {
  const byId = new Map(types.map((t) => [t.id, t]));
  return {
    id: res.order.id,
    code: res.order.code,
    eventId,
    totalMinor: total,
    currency: res.order.currency,
    paymentMethod: paid.method,
    tenderedMinor: paid.tenderedMinor,
    changeMinor: paid.changeMinor,
    createdAt: res.order.createdAt,
    tickets: res.tickets.map((t) => {
      const type = byId.get(t.ticketTypeId);
      return { id: t.id, code: t.code, ticketTypeId: t.ticketTypeId, ticketTypeName: type?.name ?? {}, priceMinor: type?.priceMinor ?? 0 };
    }),
  };
}
