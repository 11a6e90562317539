// Owns what a sale prints: one ticket per admission (with its QR code and, when known, whom it is for)
// and a receipt, as printer-neutral documents that any printer driver renders in its own bytes — in
// the language of the labels, every time on the event's wall clock, every amount with the event
// currency's sign and minor units. Text a printer's code page lacks (Chinese names, the ruble sign) is
// the drivers' to draw with a real font.
import { currencyDigits, minorToDecimalString } from '../../../domain/money';
import type { Order, SoldTicket } from '../../contract';
import type { PrintDocument } from '../../../drivers';
import type { Labels } from './print-labels';

export type { Labels } from './print-labels';

/** An order as printed: its tickets may carry whom they are for, and their session's start (absent or
 *  null: the event's start is printed). */
export type PrintedOrder = Omit<Order, 'tickets'> & { tickets: (SoldTicket & { attendeeName?: string | null; startsAt?: string | null })[] };

const localized = (names: Record<string, string>, lang: string): string => names[lang] ?? names['en'] ?? Object.values(names)[0] ?? '';

const moneyFormats = new Map<string, Intl.NumberFormat>();
/** `amountMinor` of `currency` with its sign ("¥1,500.00", "1 500,00 ₽"), exact to the currency's minor units. */
export function printedMoney(amountMinor: number, currency: string, lang: string): string {
  const key = `${lang}|${currency}`;
  let nf = moneyFormats.get(key);
  if (!nf) {
    // narrowSymbol: the sign a buyer knows (₽, ¥), not "RUB" or "CN¥".
    nf = new Intl.NumberFormat(lang, { style: 'currency', currency, currencyDisplay: 'narrowSymbol' });
    moneyFormats.set(key, nf);
  }
  return nf.format(minorToDecimalString(amountMinor, currencyDigits(currency)) as `${number}`);
}

const timeFormats = new Map<string, Intl.DateTimeFormat>();
/** `iso` on the wall clock of `timeZone`, in `lang`'s order, with the zone's offset ("GMT+3"). */
export function printedTime(iso: string, timeZone: string, lang: string): string {
  const key = `${lang}|${timeZone}`;
  let f = timeFormats.get(key);
  if (!f) {
    const options: Intl.DateTimeFormatOptions = {
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    };
    try {
      f = new Intl.DateTimeFormat(lang, { ...options, timeZone });
    } catch {
      // A zone this runtime does not know: UTC, said as such, rather than no ticket at all.
      f = new Intl.DateTimeFormat(lang, { ...options, timeZone: 'UTC' });
    }
    timeFormats.set(key, f);
  }
  return f.format(new Date(iso));
}

/** "Starts …" on the event's wall clock; nothing when the start is unknown. */
const startsLine = (at: string | null, l: Labels) => (at ? [{ type: 'text' as const, text: `${l.starts} ${printedTime(at, l.timeZone, l.lang)}`, align: 'center' as const }] : []);

export function ticketDocuments(order: PrintedOrder, l: Labels): PrintDocument[] {
  const money = (minor: number) => printedMoney(minor, order.currency, l.lang);
  return order.tickets.map((t) => ({
    blocks: [
      { type: 'text', text: l.eventName, align: 'center', bold: true, size: 2 },
      ...startsLine(t.startsAt ?? l.eventStartsAt, l),
      { type: 'text', text: localized(t.ticketTypeName, l.lang), align: 'center' },
      ...(t.attendeeName ? [{ type: 'text' as const, text: `${l.holder}: ${t.attendeeName}`, align: 'center' as const, bold: true }] : []),
      { type: 'text', text: money(t.priceMinor), align: 'center' },
      { type: 'qr', data: t.code, moduleSize: 6 },
      { type: 'text', text: t.code, align: 'center' },
      { type: 'text', text: `${l.order} ${order.code}`, align: 'center' },
      { type: 'feed', lines: 2 },
      { type: 'cut' },
    ],
  }));
}

export function receiptDocument(order: PrintedOrder, l: Labels): PrintDocument {
  const money = (minor: number) => printedMoney(minor, order.currency, l.lang);
  const lines = new Map<string, { name: string; qty: number; minor: number; holders: string[] }>();
  for (const t of order.tickets) {
    const cur = lines.get(t.ticketTypeId) ?? { name: localized(t.ticketTypeName, l.lang), qty: 0, minor: 0, holders: [] };
    cur.qty += 1;
    cur.minor += t.priceMinor;
    if (t.attendeeName) cur.holders.push(t.attendeeName);
    lines.set(t.ticketTypeId, cur);
  }
  return {
    blocks: [
      { type: 'text', text: l.eventName, align: 'center', bold: true },
      { type: 'text', text: l.receipt, align: 'center' },
      { type: 'text', text: `${l.order} ${order.code}` },
      { type: 'text', text: printedTime(order.createdAt, l.timeZone, l.lang) },
      { type: 'rule' },
      ...[...lines.values()].flatMap((x) => [
        { type: 'text' as const, text: `${x.qty} x ${x.name}  ${money(x.minor)}` },
        ...x.holders.map((h) => ({ type: 'text' as const, text: `  ${l.holder}: ${h}` })),
      ]),
      { type: 'rule' },
      { type: 'text', text: `${l.total}  ${money(order.totalMinor)}`, bold: true },
      { type: 'text', text: `${l.paid[order.paymentMethod]}  ${money(order.tenderedMinor)}` },
      ...(order.changeMinor > 0 || order.paymentMethod === 'cash' ? [{ type: 'text' as const, text: `${l.change}  ${money(order.changeMinor)}` }] : []),
      { type: 'qr', data: order.code, moduleSize: 4 },
      { type: 'feed', lines: 2 },
      { type: 'cut' },
    ],
  };
}
