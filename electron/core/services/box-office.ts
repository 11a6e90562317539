// Owns a box-office sale: price the cart from the cache, take cash, have the server (the authority on
// stock) create the order, keep it locally with its tickets, and print tickets and a receipt.
import { priceCart, type Pricing } from '../../../domain/pricing';
import { changeFor, type CashTender } from '../../../domain/tender';
import { AdmitError, type EventInfo, type Order, type TicketType } from '../../contract';
import { newId } from '../ids';
import type { Store } from '../store';
import type { SyncClient } from '../sync/client';

export type SellInput = {
  lines: { ticketTypeId: string; quantity: number }[];
  payment: CashTender;
};

/** A cart the domain cannot price, as the error the UI shows. */
function pricingError(problem: Extract<Pricing, { ok: false }>): AdmitError {
  if (problem.reason === 'unknown_ticket_type') return new AdmitError('unknown_ticket_type');
  return new AdmitError('invalid_input', problem.ticketTypeId ? `${problem.reason}: ${problem.ticketTypeId}` : problem.reason);
}

type TypeRow = {
  id: string;
  eventId: string;
  name: string;
  priceMinor: number;
  currency: string;
  capacity: number | null;
  sold: number;
};

export class BoxOffice {
  constructor(
    private readonly store: Store,
    private readonly sync: SyncClient,
  ) {}

  catalog(): { event: EventInfo | null; ticketTypes: TicketType[] } {
    const ev = this.store.raw
      .prepare('select id, name, starts_at as startsAt, ends_at as endsAt, timezone, currency from events order by starts_at limit 1')
      .get() as (Omit<EventInfo, 'name'> & { name: string }) | undefined;
    if (!ev) return { event: null, ticketTypes: [] };
    const types = this.types(ev.id);
    return {
      event: { ...ev, name: JSON.parse(ev.name) as Record<string, string> },
      ticketTypes: types.map((t) => ({
        id: t.id,
        eventId: t.eventId,
        name: JSON.parse(t.name) as Record<string, string>,
        priceMinor: t.priceMinor,
        currency: t.currency,
        available: t.capacity === null ? null : Math.max(0, t.capacity - t.sold),
      })),
    };
  }

  private types(eventId: string): TypeRow[] {
    return this.store.raw
      .prepare(
        'select id, event_id as eventId, name, price_minor as priceMinor, currency, capacity, sold from ticket_types where event_id = ? order by price_minor desc',
      )
      .all(eventId) as TypeRow[];
  }

  async sell(input: SellInput, operatorId: string): Promise<Order> {
    const catalog = this.catalog();
    if (!catalog.event) throw new AdmitError('not_paired', 'no event synced');
    const event = catalog.event;
    const types = this.types(event.id);
    const byId = new Map(types.map((t) => [t.id, t]));
    const priced = priceCart(input.lines, types, event.currency);
    if (!priced.ok) throw pricingError(priced);
    const total = priced.totalMinor;
    const paid = changeFor(input.payment, total);
    if (!paid.ok) throw paid.reason === 'insufficient' ? new AdmitError('payment_insufficient') : new AdmitError('invalid_input', paid.reason);
    if (!this.sync.isOnline) throw new AdmitError('offline');
    const orderId = newId();
    const res = await this.sync.createOrder({
      orderId,
      eventId: event.id,
      lines: input.lines,
      payment: { method: paid.method, amountMinor: total },
    });
    if (res.order.totalMinor !== total) throw new AdmitError('server_rejected', 'total mismatch');
    const order: Order = {
      id: res.order.id,
      code: res.order.code,
      eventId: event.id,
      totalMinor: total,
      currency: res.order.currency,
      paymentMethod: paid.method,
      tenderedMinor: paid.tenderedMinor,
      changeMinor: paid.changeMinor,
      createdAt: res.order.createdAt,
      tickets: res.tickets.map((t) => {
        const type = byId.get(t.ticketTypeId);
        return {
          id: t.id,
          code: t.code,
          ticketTypeId: t.ticketTypeId,
          ticketTypeName: type ? (JSON.parse(type.name) as Record<string, string>) : {},
          priceMinor: type?.priceMinor ?? 0,
        };
      }),
    };
    const db = this.store.raw;
    db.transaction(() => {
      db.prepare(
        `insert into orders(id, code, event_id, total_minor, currency, payment_method, tendered_minor, change_minor, operator_id, created_at)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        order.id,
        order.code,
        order.eventId,
        order.totalMinor,
        order.currency,
        order.paymentMethod,
        order.tenderedMinor,
        order.changeMinor,
        operatorId,
        order.createdAt,
      );
      // The tickets enter the cache now, so a gate on this terminal admits them before the next pull.
      this.store.applyChanges(
        res.tickets.map((row) => ({ seq: 0, kind: 'ticket' as const, row })),
        0,
        this.sync.deviceId,
      );
    })();
    return order;
  }
}
