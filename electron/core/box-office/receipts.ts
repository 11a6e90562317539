// Owns what a sale prints: one ticket per admission (with its QR code) and a cash receipt, as
// printer-neutral documents that any printer driver renders in its own bytes.
import { formatMoney, type Order } from '../../contract';
import type { PrintDocument } from '../../../drivers';

export type Labels = { lang: string; eventName: string; receipt: string; total: string; cash: string; change: string; order: string };

const money = formatMoney;

const localized = (names: Record<string, string>, lang: string): string =>
  names[lang] ?? names['en'] ?? Object.values(names)[0] ?? '';

export function ticketDocuments(order: Order, l: Labels): PrintDocument[] {
  return order.tickets.map((t) => ({
    blocks: [
      { type: 'text', text: l.eventName, align: 'center', bold: true, size: 2 },
      { type: 'text', text: localized(t.ticketTypeName, l.lang), align: 'center' },
      { type: 'text', text: money(t.priceMinor, order.currency, l.lang), align: 'center' },
      { type: 'qr', data: t.code, moduleSize: 6 },
      { type: 'text', text: t.code, align: 'center' },
      { type: 'text', text: `${l.order} ${order.code}`, align: 'center' },
      { type: 'feed', lines: 2 },
      { type: 'cut' },
    ],
  }));
}

export function receiptDocument(order: Order, l: Labels): PrintDocument {
  const lines = new Map<string, { name: string; qty: number; minor: number }>();
  for (const t of order.tickets) {
    const cur = lines.get(t.ticketTypeId) ?? { name: localized(t.ticketTypeName, l.lang), qty: 0, minor: 0 };
    cur.qty += 1;
    cur.minor += t.priceMinor;
    lines.set(t.ticketTypeId, cur);
  }
  return {
    blocks: [
      { type: 'text', text: l.eventName, align: 'center', bold: true },
      { type: 'text', text: l.receipt, align: 'center' },
      { type: 'text', text: `${l.order} ${order.code}  ${order.createdAt.slice(0, 16).replace('T', ' ')}` },
      { type: 'rule' },
      ...[...lines.values()].map((x) => ({ type: 'text' as const, text: `${x.qty} x ${x.name}  ${money(x.minor, order.currency, l.lang)}` })),
      { type: 'rule' },
      { type: 'text', text: `${l.total}  ${money(order.totalMinor, order.currency, l.lang)}`, bold: true },
      { type: 'text', text: `${l.cash}  ${money(order.tenderedMinor, order.currency, l.lang)}` },
      { type: 'text', text: `${l.change}  ${money(order.changeMinor, order.currency, l.lang)}` },
      { type: 'qr', data: order.code, moduleSize: 4 },
      { type: 'feed', lines: 2 },
      { type: 'cut' },
    ],
  };
}
