// Owns a box-office sale: price the cart from the cache, take cash, have the server (the authority on
// stock) create the order, keep it locally with its tickets, and print tickets and a receipt.
import { AdmitError, type EventInfo, type Order, type TicketType } from '../../contract';
import { newId } from '../ids';
import type { Store } from '../store';
import type { SyncClient } from '../sync/client';

export type SellInput = {
  lines: { ticketTypeId: string; quantity: number }[];
  payment: { method: 'cash'; tenderedMinor: number };
};

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
    const byId = new Map(this.types(event.id).map((t) => [t.id, t]));
    let total = 0;
    for (const line of input.lines) {
      const type = byId.get(line.ticketTypeId);
      if (!type) throw new AdmitError('unknown_ticket_type');
      total += type.priceMinor * line.quantity;
    }
    if (input.payment.tenderedMinor < total) throw new AdmitError('payment_insufficient');
    if (!this.sync.isOnline) throw new AdmitError('offline');
    const orderId = newId();
    const res = await this.sync.createOrder({
      orderId,
      eventId: event.id,
      lines: input.lines,
      payment: { method: 'cash', amountMinor: total },
    });
    if (res.order.totalMinor !== total) throw new AdmitError('server_rejected', 'total mismatch');
    const order: Order = {
      id: res.order.id,
      code: res.order.code,
      eventId: event.id,
      totalMinor: total,
      currency: res.order.currency,
      paymentMethod: 'cash',
      tenderedMinor: input.payment.tenderedMinor,
      changeMinor: input.payment.tenderedMinor - total,
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
         values (?, ?, ?, ?, ?, 'cash', ?, ?, ?, ?)`,
      ).run(order.id, order.code, order.eventId, order.totalMinor, order.currency, order.tenderedMinor, order.changeMinor, operatorId, order.createdAt);
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
