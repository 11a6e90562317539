// Owns what an e-ticket says: the order's tickets read from the database (event, session, ticket type,
// attendee) and turned into an email — subject, plain text and HTML in the attendee's language, one QR
// code PNG per ticket attached inline (cid) carrying the same code the printed ticket carries — or into
// one SMS text with the codes. Dates are shown in the event's time zone; names in the language asked,
// else the event's default language, else any the organizer gave.
import { and, eq, inArray } from 'drizzle-orm';
import QRCode from 'qrcode';
import type { DeliveryLanguage } from '../../../domain/delivery';
import type { ServerDb } from '../db/client';
import { events, eventSessions, orders, tickets, ticketTypes, type LocalizedText } from '../db/schema';

type Texts = {
  subject: (event: string, count: number) => string;
  greeting: (name: string | null) => string;
  intro: (count: number, orderCode: string) => string;
  event: string;
  session: string;
  date: string;
  type: string;
  attendee: string;
  code: string;
  footer: string;
  sms: (event: string, orderCode: string) => string;
};

/** Every string an e-ticket prints, in each language the attendee may read it in. */
const TEXTS: Record<DeliveryLanguage, Texts> = {
  en: {
    subject: (event, n) => `Your ${n === 1 ? 'ticket' : `${n} tickets`} for ${event}`,
    greeting: (name) => (name ? `Hello ${name},` : 'Hello,'),
    intro: (n, code) => `here ${n === 1 ? 'is your ticket' : `are your ${n} tickets`} of order ${code}. Show the QR code at the entrance.`,
    event: 'Event',
    session: 'Session',
    date: 'Date',
    type: 'Ticket',
    attendee: 'Attendee',
    code: 'Code',
    footer: 'Each code admits once. Do not share it.',
    sms: (event, code) => `${event}, order ${code}. Show the code at the entrance:`,
  },
  'zh-CN': {
    subject: (event, n) => `您的${event}门票（${n}张）`,
    greeting: (name) => (name ? `${name}，您好：` : '您好：'),
    intro: (n, code) => `这是订单 ${code} 的 ${n} 张门票。入场时请出示二维码。`,
    event: '活动',
    session: '场次',
    date: '时间',
    type: '票种',
    attendee: '持票人',
    code: '票码',
    footer: '每个票码仅可入场一次，请勿转发他人。',
    sms: (event, code) => `${event}，订单 ${code}。入场时请出示票码：`,
  },
  ru: {
    subject: (event, n) => `Ваши билеты на ${event} (${n})`,
    greeting: (name) => (name ? `Здравствуйте, ${name}!` : 'Здравствуйте!'),
    intro: (n, code) => `Билетов в заказе ${code}: ${n}. Покажите QR-код на входе.`,
    event: 'Мероприятие',
    session: 'Сеанс',
    date: 'Дата',
    type: 'Билет',
    attendee: 'Участник',
    code: 'Код',
    footer: 'Каждый код действует на один проход. Не передавайте его другим.',
    sms: (event, code) => `${event}, заказ ${code}. Покажите код на входе:`,
  },
};

/** The text of `name` for `language`, else the event's default language, else English, else any. */
export function pick(name: LocalizedText, language: string, fallback: string): string {
  return name[language] ?? name[fallback] ?? name.en ?? Object.values(name)[0] ?? '';
}

export interface TicketContent {
  id: string;
  code: string;
  typeName: string;
  sessionName: string | null;
  /** The session's start, else the event's, in the event's time zone and the attendee's language. */
  when: string;
  attendeeName: string | null;
}

export interface OrderContent {
  orderCode: string;
  eventName: string;
  tickets: TicketContent[];
}

/** The order's valid tickets (all, or those of `ticketIds`) with the names and dates they show. */
export async function loadOrderContent(db: ServerDb, orderId: string, ticketIds: readonly string[] | null, language: DeliveryLanguage): Promise<OrderContent | null> {
  const [order] = await db.select().from(orders).where(eq(orders.id, orderId));
  if (!order) return null;
  const [event] = await db.select().from(events).where(eq(events.id, order.eventId));
  if (!event) return null;
  const where = and(eq(tickets.orderId, orderId), eq(tickets.status, 'valid'), ...(ticketIds ? [inArray(tickets.id, [...ticketIds])] : []));
  const rows = await db.select().from(tickets).where(where).orderBy(tickets.seq);
  const typeIds = [...new Set(rows.map((t) => t.ticketTypeId))];
  const types = typeIds.length ? await db.select().from(ticketTypes).where(inArray(ticketTypes.id, typeIds)) : [];
  const sessionIds = [...new Set(types.flatMap((t) => (t.sessionId ? [t.sessionId] : [])))];
  const sessions = sessionIds.length ? await db.select().from(eventSessions).where(inArray(eventSessions.id, sessionIds)) : [];
  const fallback = event.defaultLanguage;
  const dateFormat = new Intl.DateTimeFormat(language, { timeZone: event.timezone, dateStyle: 'long', timeStyle: 'short' });
  return {
    orderCode: order.code,
    eventName: pick(event.name, language, fallback),
    tickets: rows.map((t) => {
      const type = types.find((x) => x.id === t.ticketTypeId);
      const session = type?.sessionId ? sessions.find((s) => s.id === type.sessionId) : undefined;
      return {
        id: t.id,
        code: t.code,
        typeName: type ? pick(type.name, language, fallback) : '',
        sessionName: session ? pick(session.name, language, fallback) : null,
        when: dateFormat.format(session?.startsAt ?? event.startsAt),
        attendeeName: t.attendeeName,
      };
    }),
  };
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** Header injection and layout breakers out of a subject line. */
const oneLine = (s: string) => s.replace(/[\r\n\t]+/g, ' ').trim();

export interface EmailContent {
  subject: string;
  text: string;
  html: string;
  attachments: { filename: string; content: Buffer; contentType: 'image/png'; cid: string; contentDisposition: 'inline' }[];
}

/** The QR code of one ticket as a PNG, the same payload the printed ticket's QR carries (its code). */
export function ticketQrPng(code: string): Promise<Buffer> {
  return QRCode.toBuffer(code, { type: 'png', errorCorrectionLevel: 'M', margin: 4, scale: 8 });
}

export async function buildEmail(content: OrderContent, language: DeliveryLanguage): Promise<EmailContent> {
  const t = TEXTS[language];
  const names = [...new Set(content.tickets.map((x) => x.attendeeName).filter((n): n is string => !!n))];
  const greetingName = names.length === 1 ? names[0]! : null;
  const lines = (x: TicketContent) => [
    `${t.event}: ${content.eventName}`,
    ...(x.sessionName ? [`${t.session}: ${x.sessionName}`] : []),
    `${t.date}: ${x.when}`,
    `${t.type}: ${x.typeName}`,
    ...(x.attendeeName ? [`${t.attendee}: ${x.attendeeName}`] : []),
    `${t.code}: ${x.code}`,
  ];
  const text = [t.greeting(greetingName), '', t.intro(content.tickets.length, content.orderCode), '', ...content.tickets.flatMap((x) => [...lines(x), '']), t.footer, ''].join('\n');
  const attachments = await Promise.all(
    content.tickets.map(async (x, i) => ({
      filename: `ticket-${i + 1}.png`,
      content: await ticketQrPng(x.code),
      contentType: 'image/png' as const,
      cid: `ticket-${x.id}@admit`,
      contentDisposition: 'inline' as const,
    })),
  );
  const blocks = content.tickets
    .map(
      (x) =>
        `<div style="border:1px solid #ccc;padding:12px;margin:12px 0"><p>${lines(x).map(escapeHtml).join('<br>')}</p>` +
        `<img src="cid:ticket-${x.id}@admit" alt="${escapeHtml(x.code)}" width="240" height="240"></div>`,
    )
    .join('');
  const html =
    `<!doctype html><html lang="${language}"><head><meta charset="utf-8"></head><body>` +
    `<p>${escapeHtml(t.greeting(greetingName))}</p><p>${escapeHtml(t.intro(content.tickets.length, content.orderCode))}</p>${blocks}` +
    `<p>${escapeHtml(t.footer)}</p></body></html>`;
  return { subject: oneLine(t.subject(content.eventName, content.tickets.length)), text, html, attachments };
}

/** One SMS with every code of the order (a phone shows the codes; the gate reads them typed or scanned). */
export function buildSms(content: OrderContent, language: DeliveryLanguage): string {
  const t = TEXTS[language];
  return [t.sms(oneLine(content.eventName), content.orderCode), ...content.tickets.map((x) => `${x.typeName}: ${x.code}`)].join('\n');
}
