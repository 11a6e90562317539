// Owns what the organizer exports of an event: its attendees (one row per ticket), orders and check-ins,
// as CSV (UTF-8 with BOM) or XLSX, written row by row from keyset-paged reads (import/export.ts does the
// formats and guards against formula injection). Headers come in the organizer's language; times are in
// the event's time zone (the zone is named in the header); money is a decimal in the event's currency,
// with the currency's code in a column of its own. Each kind's columns are one list below: a new ticket
// column (external id, e-mail, …) is one more entry in ATTENDEE_COLUMNS.
import { and, asc, count, eq, gt, inArray } from 'drizzle-orm';
import type { Writable } from 'node:stream';
import { currencyDigits, minorToDecimalString } from '../../../domain/money';
import { formatZoned } from '../../../domain/zoned-time';
import type { ServerDb } from '../db/client';
import { checkInPoints, checkins, devices, events, orders, tickets, ticketTypes } from '../db/schema';
import { ApiFailure } from '../errors';
import { type ExportColumn, type ExportValue, writeCsv, writeXlsx } from '../import/export';
import type { EventRecord, TicketRecord } from '../services/rows';

export const EXPORT_KINDS = ['attendees', 'orders', 'checkins'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];
export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const EXPORT_LANGS = ['en', 'zh-CN', 'ru'] as const;
export type ExportLang = (typeof EXPORT_LANGS)[number];

/** Rows read per query: the file grows page by page, never the whole event in memory. */
const PAGE = 1000;
/** Below every id (keyset paging starts after it). */
const FIRST_ID = '00000000-0000-0000-0000-000000000000';

type Header = Record<ExportLang, string>;
const H = {
  ticketId: { en: 'Ticket ID', 'zh-CN': '票 ID', ru: 'ID билета' },
  ticketCode: { en: 'Ticket code', 'zh-CN': '票码', ru: 'Код билета' },
  attendee: { en: 'Attendee', 'zh-CN': '参会人', ru: 'Участник' },
  ticketType: { en: 'Ticket type', 'zh-CN': '票种', ru: 'Тип билета' },
  status: { en: 'Status', 'zh-CN': '状态', ru: 'Статус' },
  paid: { en: 'Paid', 'zh-CN': '已付款', ru: 'Оплачен' },
  orderCode: { en: 'Order code', 'zh-CN': '订单号', ru: 'Номер заказа' },
  phoneLast4: { en: 'Phone (last 4 digits)', 'zh-CN': '手机尾号', ru: 'Телефон (последние 4 цифры)' },
  validFrom: { en: 'Valid from', 'zh-CN': '有效期起', ru: 'Действует с' },
  validTo: { en: 'Valid to', 'zh-CN': '有效期止', ru: 'Действует до' },
  createdAt: { en: 'Created', 'zh-CN': '创建时间', ru: 'Создан' },
  tickets: { en: 'Tickets', 'zh-CN': '票数', ru: 'Билетов' },
  total: { en: 'Total', 'zh-CN': '总额', ru: 'Сумма' },
  currency: { en: 'Currency', 'zh-CN': '币种', ru: 'Валюта' },
  paymentMethod: { en: 'Payment method', 'zh-CN': '付款方式', ru: 'Способ оплаты' },
  tendered: { en: 'Amount tendered', 'zh-CN': '实收金额', ru: 'Принято' },
  terminal: { en: 'Terminal', 'zh-CN': '终端', ru: 'Терминал' },
  checkinId: { en: 'Check-in ID', 'zh-CN': '检票 ID', ru: 'ID отметки' },
  time: { en: 'Time', 'zh-CN': '时间', ru: 'Время' },
  point: { en: 'Check-in point', 'zh-CN': '检票点', ru: 'Точка контроля' },
  direction: { en: 'Direction', 'zh-CN': '方向', ru: 'Направление' },
  reason: { en: 'Reason', 'zh-CN': '原因', ru: 'Причина' },
} satisfies Record<string, Header>;
type HeaderKey = keyof typeof H;

/** Money as the export writes it: exact decimal text in CSV, a number in XLSX (so it sums). */
type Money = { money: string };
type Cell = ExportValue | Money;
/** One column of a kind: its header, what it reads of a row, and whether it is a time (shown in the
 *  event's zone, the zone named in the header). */
type Column<Row> = { key: HeaderKey; value: (row: Row, ctx: ExportContext) => Cell; time?: true; width?: number };

export interface ExportContext {
  event: EventRecord;
  lang: ExportLang;
  typeNames: Map<string, Record<string, string>>;
  pointNames: Map<string, Record<string, string>>;
  deviceNames: Map<string, string>;
}

/** A localized name in the export's language, else English, else any. */
export function localized(name: Record<string, string> | undefined, lang: string): string {
  if (!name) return '';
  return name[lang] ?? name['en'] ?? Object.values(name)[0] ?? '';
}

const money = (minor: number, currency: string): Money => ({ money: minorToDecimalString(minor, currencyDigits(currency)) });

/** The attendees export: one row per ticket of the event. */
export const ATTENDEE_COLUMNS: Column<TicketRecord>[] = [
  { key: 'ticketId', value: (t) => t.id, width: 38 },
  { key: 'ticketCode', value: (t) => t.code, width: 30 },
  { key: 'attendee', value: (t) => t.attendeeName, width: 24 },
  { key: 'ticketType', value: (t, c) => localized(c.typeNames.get(t.ticketTypeId), c.lang), width: 20 },
  { key: 'status', value: (t) => t.status },
  { key: 'paid', value: (t) => t.paid },
  { key: 'orderCode', value: (t) => t.orderCode },
  { key: 'phoneLast4', value: (t) => t.phoneLast4 },
  { key: 'validFrom', value: (t) => t.validFrom, time: true },
  { key: 'validTo', value: (t) => t.validTo, time: true },
  { key: 'createdAt', value: (t) => t.createdAt, time: true },
];

type OrderExportRow = typeof orders.$inferSelect & { tickets: number };
export const ORDER_COLUMNS: Column<OrderExportRow>[] = [
  { key: 'orderCode', value: (o) => o.code },
  { key: 'createdAt', value: (o) => o.createdAt, time: true },
  { key: 'tickets', value: (o) => o.tickets },
  { key: 'total', value: (o) => money(o.totalMinor, o.currency) },
  { key: 'currency', value: (o) => o.currency },
  { key: 'paymentMethod', value: (o) => o.paymentMethod },
  { key: 'tendered', value: (o) => money(o.amountMinor, o.currency) },
  { key: 'terminal', value: (o, c) => (o.deviceId ? (c.deviceNames.get(o.deviceId) ?? o.deviceId) : null) },
];

type CheckinExportRow = typeof checkins.$inferSelect & { code: string; attendeeName: string | null; ticketTypeId: string };
export const CHECKIN_COLUMNS: Column<CheckinExportRow>[] = [
  { key: 'time', value: (r) => r.at, time: true },
  { key: 'ticketCode', value: (r) => r.code, width: 30 },
  { key: 'attendee', value: (r) => r.attendeeName, width: 24 },
  { key: 'ticketType', value: (r, c) => localized(c.typeNames.get(r.ticketTypeId), c.lang), width: 20 },
  { key: 'point', value: (r, c) => (r.pointId ? localized(c.pointNames.get(r.pointId), c.lang) || r.pointId : null), width: 20 },
  { key: 'direction', value: (r) => r.direction },
  { key: 'status', value: (r) => r.status },
  { key: 'reason', value: (r) => r.reason },
  { key: 'terminal', value: (r, c) => c.deviceNames.get(r.deviceId) ?? r.deviceId, width: 20 },
  { key: 'checkinId', value: (r) => r.id, width: 38 },
];

/** The columns as the file writers take them, for one format and context. */
function columnsFor<Row>(columns: readonly Column<Row>[], format: ExportFormat, ctx: ExportContext): ExportColumn<Row>[] {
  return columns.map((c) => ({
    title: c.time ? `${H[c.key][ctx.lang]} (${ctx.event.timezone})` : H[c.key][ctx.lang],
    ...(c.width !== undefined ? { width: c.width } : {}),
    value: (row: Row): ExportValue => {
      const v = c.value(row, ctx);
      if (v instanceof Date) return c.time ? formatZoned(v, ctx.event.timezone) : v.toISOString();
      if (v !== null && typeof v === 'object') return format === 'xlsx' ? Number(v.money) : v.money;
      return v;
    },
  }));
}

async function* ticketRows(db: ServerDb, eventId: string): AsyncGenerator<TicketRecord> {
  let after = FIRST_ID;
  for (;;) {
    const page = await db
      .select()
      .from(tickets)
      .where(and(eq(tickets.eventId, eventId), gt(tickets.id, after)))
      .orderBy(asc(tickets.id))
      .limit(PAGE);
    yield* page;
    if (page.length < PAGE) return;
    after = page[page.length - 1]!.id;
  }
}

async function* orderRows(db: ServerDb, eventId: string): AsyncGenerator<OrderExportRow> {
  let after = FIRST_ID;
  for (;;) {
    const page = await db
      .select()
      .from(orders)
      .where(and(eq(orders.eventId, eventId), gt(orders.id, after)))
      .orderBy(asc(orders.id))
      .limit(PAGE);
    if (page.length > 0) {
      const counted = await db
        .select({ orderId: tickets.orderId, n: count() })
        .from(tickets)
        .where(inArray(tickets.orderId, page.map((o) => o.id)))
        .groupBy(tickets.orderId);
      const counts = new Map(counted.map((r) => [r.orderId, Number(r.n)]));
      for (const o of page) yield { ...o, tickets: counts.get(o.id) ?? 0 };
    }
    if (page.length < PAGE) return;
    after = page[page.length - 1]!.id;
  }
}

async function* checkinRows(db: ServerDb, eventId: string): AsyncGenerator<CheckinExportRow> {
  let after = FIRST_ID;
  for (;;) {
    const page = await db
      .select({ c: checkins, code: tickets.code, attendeeName: tickets.attendeeName, ticketTypeId: tickets.ticketTypeId })
      .from(checkins)
      .innerJoin(tickets, eq(tickets.id, checkins.ticketId))
      .where(and(eq(tickets.eventId, eventId), gt(checkins.id, after)))
      .orderBy(asc(checkins.id))
      .limit(PAGE);
    for (const r of page) yield { ...r.c, code: r.code, attendeeName: r.attendeeName, ticketTypeId: r.ticketTypeId };
    if (page.length < PAGE) return;
    after = page[page.length - 1]!.c.id;
  }
}

/** Everything an export names besides its rows; 404 when there is no such event. */
export async function exportContext(db: ServerDb, eventId: string, lang: ExportLang): Promise<ExportContext> {
  const [event] = await db.select().from(events).where(eq(events.id, eventId));
  if (!event) throw new ApiFailure('not_found', `no event ${eventId}`);
  const types = await db.select({ id: ticketTypes.id, name: ticketTypes.name }).from(ticketTypes).where(eq(ticketTypes.eventId, eventId));
  const points = await db.select({ id: checkInPoints.id, name: checkInPoints.name }).from(checkInPoints).where(eq(checkInPoints.eventId, eventId));
  const terminals = await db.select({ id: devices.id, name: devices.name }).from(devices);
  return {
    event,
    lang,
    typeNames: new Map(types.map((t) => [t.id, t.name])),
    pointNames: new Map(points.map((p) => [p.id, p.name])),
    deviceNames: new Map(terminals.map((d) => [d.id, d.name])),
  };
}

/** Writes the export to `out` (ended when done). */
export async function writeExport(db: ServerDb, kind: ExportKind, format: ExportFormat, ctx: ExportContext, out: Writable): Promise<void> {
  const eventId = ctx.event.id;
  const write = <Row>(columns: readonly Column<Row>[], rows: AsyncIterable<Row>) => {
    const cols = columnsFor(columns, format, ctx);
    return format === 'csv' ? writeCsv(cols, rows, out) : writeXlsx(cols, rows, out, { sheetName: kind });
  };
  if (kind === 'attendees') return write(ATTENDEE_COLUMNS, ticketRows(db, eventId));
  if (kind === 'orders') return write(ORDER_COLUMNS, orderRows(db, eventId));
  return write(CHECKIN_COLUMNS, checkinRows(db, eventId));
}

/** A Content-Disposition naming the file after the event: an ASCII name every client takes, and the
 *  event's own name (UTF-8, RFC 5987) for those that read it. Nothing of it can leave the name. */
export function contentDisposition(ctx: ExportContext, kind: ExportKind, format: ExportFormat): string {
  const ascii = `event-${ctx.event.no}-${kind}.${format}`;
  const own = localized(ctx.event.name, ctx.lang)
    // eslint-disable-next-line no-control-regex -- control characters are exactly what must go
    .replace(/[\u0000-\u001f\u007f/\\:*?"<>|]+/g, ' ')
    .trim()
    .slice(0, 80);
  const utf8 = own ? `${own}-${kind}.${format}` : ascii;
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(utf8).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}
