// Owns what makes two order requests the same order: the event, the tickets per type (however the
// lines were split or ordered) and the payment. The terminal uses it to tell a retry of its pending
// sale from a new cart; the server to answer a re-sent order id with the order it already made, and to
// refuse one whose content differs.
import type { OrderRequest } from './wire';

export type OrderContent = Pick<OrderRequest, 'eventId' | 'lines' | 'payment'>;

/** Quantity per ticket type, types in id order. */
export function quantitiesOf(lines: OrderRequest['lines']): [string, number][] {
  const byType = new Map<string, number>();
  for (const l of lines) {
    const id = l.ticketTypeId.toLowerCase();
    byType.set(id, (byType.get(id) ?? 0) + l.quantity);
  }
  return [...byType.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

export function sameOrderContent(a: OrderContent, b: OrderContent): boolean {
  if (a.eventId.toLowerCase() !== b.eventId.toLowerCase()) return false;
  if (a.payment.method !== b.payment.method || a.payment.amountMinor !== b.payment.amountMinor) return false;
  const qa = quantitiesOf(a.lines);
  const qb = quantitiesOf(b.lines);
  return qa.length === qb.length && qa.every(([id, n], i) => qb[i]![0] === id && qb[i]![1] === n);
}
