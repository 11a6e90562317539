// Owns what makes two order requests the same order: the event, the tickets per type (however the
// lines were split or ordered) and the payment, tender by tender. The terminal uses it to tell a retry of its pending
// sale from a new cart; the server to answer a re-sent order id with the order it already made, and to
// refuse one whose content differs.
import type { OrderPayment, OrderRequest } from './wire';

export type OrderContent = Pick<OrderRequest, 'eventId' | 'lines' | 'payment' | 'payments'>;

/** The tenders an order was paid with, in the order they were taken: the list when there is one, else
 *  the one payment (older terminals sent no list). */
export function paymentsOf(content: Pick<OrderContent, 'payment' | 'payments'>): OrderPayment[] {
  if (content.payments) return content.payments;
  return content.payment.method === 'split' ? [] : [{ method: content.payment.method, amountMinor: content.payment.amountMinor }];
}

/** A payment list that adds up to the payment and names split exactly when it has several parts; the
 *  reason when it does not. */
export function paymentsProblem(content: Pick<OrderContent, 'payment' | 'payments'>): string | null {
  const list = paymentsOf(content);
  if (list.length === 0) return 'a split payment without its parts';
  const sum = list.reduce((n, p) => n + p.amountMinor, 0);
  if (sum !== content.payment.amountMinor) return `payments add up to ${sum}, not ${content.payment.amountMinor}`;
  if (list.length > 1 && content.payment.method !== 'split') return `several payments recorded as ${content.payment.method}`;
  if (list.length === 1 && content.payment.method !== list[0]!.method) return `a ${list[0]!.method} payment recorded as ${content.payment.method}`;
  return null;
}

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
  const pa = paymentsOf(a);
  const pb = paymentsOf(b);
  if (pa.length !== pb.length || pa.some((p, i) => p.method !== pb[i]!.method || p.amountMinor !== pb[i]!.amountMinor)) return false;
  const qa = quantitiesOf(a.lines);
  const qb = quantitiesOf(b.lines);
  return qa.length === qb.length && qa.every(([id, n], i) => qb[i]![0] === id && qb[i]![1] === n);
}
