// Owns a sale made on this box office's seat leases (box-office/leases.ts): while the server cannot be
// reached, or once its open stock ran out while this terminal still holds leased seats. In one SQLite
// transaction it draws the cart's seats from the leases (all or none: beyond them the sale is refused
// with lease_exhausted and nothing is kept), records the order, puts its tickets — the server's own
// signed codes, minted at the grant — into the cache, so this terminal's gate admits them at once, and
// queues the order for upload (the same order id every time: the server answers the order it made).
// Gates elsewhere admit the codes by their signature before the upload reaches them, like any ticket
// sold after their last sync. Then the tickets and receipt print as for any sale, each ticket with
// whom it is for as entered at the sale (the server stores the same details when the sale uploads).
import { randomBytes } from 'node:crypto';
import { base32Encode } from '../../../domain/codes';
import type { OrderAttendee } from '../../../domain/attendees';
import type { OrderContent } from '../../../domain/order-content';
import type { OrderRequest, TicketRow } from '../../../domain/wire';
import type { z } from 'zod';
import { AdmitError, type CallInput, type CallOutput, type Order } from '../../contract';
import type { Transaction } from '../db/meta';
import type { Printing } from '../devices/module';
import type { CacheReader } from '../sync/cache';
import type { SyncClient } from '../sync/client';
import type { LeaseKeeper, LeaseStore } from './leases';
import type { OrderWriter } from './orders';
import type { PaymentMethod } from '../../../domain/tender';
import { labelsFor } from './print-labels';
import { type PrintedOrder, receiptDocument, ticketDocuments } from './receipts';
import { withSessionStarts } from './ticket-starts';

export type LeaseSaleDeps = {
  store: LeaseStore;
  keeper: Pick<LeaseKeeper, 'keep'>;
  cache: Pick<CacheReader, 'catalog'> & Partial<Pick<CacheReader, 'sessions'>>;
  server: Pick<SyncClient, 'applyChanges' | 'isOnline' | 'emitStatus'>;
  serverNow: () => Date;
  orders: OrderWriter;
  printing: Printing;
  transaction: Transaction;
  /** The terminal's print language; null: the event's default language. */
  printLanguage: () => string | null;
};

export type LeaseSale = {
  input: CallInput<'boxOffice.sell'>;
  content: OrderContent;
  /** What was paid: the order id the payments are journaled under, the total, its method (or split)
   *  and what was handed over and given back. */
  paid: { orderId: string; totalMinor: number; method: PaymentMethod; tenderedMinor: number; changeMinor: number };
  operatorId: string;
};

/** An order code for the receipt printed offline: 8 characters of base32, which the server keeps. */
const offlineOrderCode = () => base32Encode(randomBytes(5));

/** Sells the cart on the leases, or refuses it (lease_exhausted, voucher_needs_server) having kept nothing. */
export async function sellOnLease(deps: LeaseSaleDeps, sale: LeaseSale): Promise<CallOutput<'boxOffice.sell'>> {
  const { input, content, paid, operatorId } = sale;
  // A voucher's usage limits are the server's to enforce: it cannot be redeemed offline.
  const withVoucher = input as { voucherCode?: unknown; voucher?: unknown };
  if (withVoucher.voucherCode != null || withVoucher.voucher != null) throw new AdmitError('voucher_needs_server');
  const { event, types } = deps.cache.catalog();
  if (!event || event.id !== content.eventId) throw new AdmitError('not_paired', 'no event synced');
  const byId = new Map(types.map((t) => [t.id, t]));
  const now = deps.serverNow();
  const at = now.toISOString();
  // The cart's id, as online: a retry of a cart already sold on the leases never sells it again.
  const orderId = paid.orderId;
  const earlier = deps.store.sales().find((s) => s.orderId === orderId);
  if (earlier) throw new AdmitError('earlier_sale_completed', earlier.request.lease?.orderCode);
  const code = offlineOrderCode();

  const order = deps.transaction((): PrintedOrder => {
    const seats = content.lines.flatMap((line) => {
      const drawn = deps.store.draw(line.ticketTypeId, line.quantity, orderId, at);
      // Thrown inside the transaction: the seats drawn for the other lines go back with it.
      if (!drawn) throw new AdmitError('lease_exhausted', line.ticketTypeId);
      return drawn;
    });
    // Whom each seat is for: the index-th seat of its type in the order drawn, as the server reads the
    // attendees it is sent with the upload (the same order as lease.ticketIds).
    const holders = holdersOf(seats, input.attendees);
    const made: Order = {
      id: orderId,
      code,
      eventId: event.id,
      totalMinor: paid.totalMinor,
      currency: event.currency,
      paymentMethod: paid.method,
      tenderedMinor: paid.tenderedMinor,
      changeMinor: paid.changeMinor,
      createdAt: at,
      tickets: seats.map((s) => ({
        id: s.id,
        code: s.code,
        ticketTypeId: s.ticketTypeId,
        ticketTypeName: byId.get(s.ticketTypeId)?.name ?? {},
        priceMinor: byId.get(s.ticketTypeId)?.priceMinor ?? 0,
      })),
    };
    const rows: z.infer<typeof TicketRow>[] = seats.map((s) => ({
      id: s.id,
      eventId: event.id,
      ticketTypeId: s.ticketTypeId,
      orderId,
      code: s.code,
      status: 'valid',
      paid: true,
      attendeeName: holders.get(s.id) ?? null,
      orderCode: code,
      phoneLast4: null,
      idHash: null,
      rotatingSecret: s.rotatingSecret,
      validFrom: s.validFrom,
      validTo: s.validTo,
    }));
    deps.orders.insert(made, operatorId);
    deps.server.applyChanges(
      rows.map((row) => ({ seq: 0, kind: 'ticket' as const, row })),
      0,
    );
    const request: OrderRequest = {
      orderId,
      eventId: content.eventId,
      lines: content.lines,
      payment: content.payment,
      ...(content.payments ? { payments: content.payments } : {}),
      lease: { ticketIds: seats.map((s) => s.id), soldAt: at, orderCode: code },
      // Whom the tickets are for goes up with the sale, checked again by the server.
      ...(input.attendees !== undefined && input.attendees.length > 0 ? { attendees: input.attendees } : {}),
    };
    deps.store.addSale(request, at);
    // Each printed with its holder, and dated by its session when its type is for one.
    return { ...made, tickets: withSessionStarts(made.tickets, event.id, types, deps.cache).map((t) => ({ ...t, attendeeName: holders.get(t.id) ?? null })) };
  });
  // The header's count of what waits to upload now includes this sale.
  deps.server.emitStatus();
  // Uploaded at once when the server is reachable (a sale on a lease because open stock ran out).
  if (deps.server.isOnline) void deps.keeper.keep();

  const labels = labelsFor(deps.printLanguage(), event);
  const print = await deps.printing.print([
    ...ticketDocuments(order, labels).map((doc) => ({ kind: 'ticket' as const, doc })),
    { kind: 'receipt' as const, doc: receiptDocument(order, labels) },
  ]);
  const { tickets, ...rest } = order;
  return { order: { ...rest, tickets: tickets.map(({ attendeeName: _held, startsAt: _starts, ...t }) => t) }, print };
}

/** Each seat's holder name as given for the sale (trimmed, as the server stores it), by ticket id. */
function holdersOf(seats: readonly { id: string; ticketTypeId: string }[], attendees: readonly OrderAttendee[] | undefined): Map<string, string> {
  const byKey = new Map((attendees ?? []).map((a) => [`${a.ticketTypeId}/${a.index}`, a.name?.normalize('NFC').trim()]));
  const seen = new Map<string, number>();
  const names = new Map<string, string>();
  for (const s of seats) {
    const index = seen.get(s.ticketTypeId) ?? 0;
    seen.set(s.ticketTypeId, index + 1);
    const name = byKey.get(`${s.ticketTypeId}/${index}`);
    if (name) names.set(s.id, name);
  }
  return names;
}
