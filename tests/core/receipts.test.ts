// What a sale prints speaks the event's language, clock and money: a sale through box-office/sale.ts
// prints its tickets and receipt in the event's default language (or the terminal's print language
// when one is set), with the sale and start times on the event's wall clock and every amount with the
// event currency's sign and minor units; the printed words exist in en, zh-CN and ru.
import { describe, expect, it, vi } from 'vitest';
import { PaymentJournal } from '../../electron/core/box-office/payment-journal';
import { CashPayment } from '../../electron/core/box-office/payment';
import { PendingSaleStore } from '../../electron/core/box-office/pending-sales';
import { printLabels, printLanguageFor, printLanguages } from '../../electron/core/box-office/print-labels';
import { printedMoney, printedTime, receiptDocument, ticketDocuments, type PrintedOrder } from '../../electron/core/box-office/receipts';
import { sell, type SaleDeps, type SaleServer } from '../../electron/core/box-office/sale';
import type { Change } from '../../domain/wire';
import { Meta } from '../../electron/core/db/meta';
import { openLocalDb } from '../../electron/core/db/open';
import { openCache } from '../../electron/core/sync/cache';
import type { PrintItem, Printing } from '../../electron/core/devices/module';
import type { CatalogEvent, CatalogType } from '../../electron/core/sync/cache';
import type { PrintDocument } from '../../drivers';

const EVENT: CatalogEvent = {
  id: '0190a000-0000-7000-8000-00000000e001',
  name: { en: 'Spring Fest', 'zh-CN': '春季音乐节', ru: 'Весенний фестиваль' },
  startsAt: '2026-07-01T11:00:00Z',
  endsAt: '2026-07-01T22:00:00Z',
  timezone: 'Asia/Shanghai',
  currency: 'CNY',
  defaultLanguage: 'zh-CN',
};
const DAY: CatalogType = { id: '0190a000-0000-7000-8000-00000000a001', eventId: EVENT.id, name: { en: 'Day pass', 'zh-CN': '日票', ru: 'Дневной' }, priceMinor: 4500, currency: 'CNY', capacity: null, sold: 0 };

/** The text lines of a printed document, in order. */
const lines = (doc: PrintDocument) => doc.blocks.flatMap((b) => (b.type === 'text' ? [b.text] : []));

function world(terminalLanguage: string | null, event: CatalogEvent = EVENT) {
  let seq = 0;
  const createOrder = vi.fn<SaleServer['createOrder']>(async (req) => ({
    order: { id: req.orderId, code: 'ORD-1', eventId: req.eventId, totalMinor: req.payment.amountMinor, currency: event.currency, createdAt: '2026-07-01T12:05:00.000Z' },
    tickets: req.lines.flatMap((l) =>
      Array.from({ length: l.quantity }, () => ({
        id: `0190a000-0000-7000-8000-${String(++seq).padStart(12, '0')}`,
        eventId: req.eventId,
        ticketTypeId: l.ticketTypeId,
        orderId: req.orderId,
        code: `T-${seq}`,
        status: 'valid' as const,
        paid: true,
        attendeeName: null,
        orderCode: 'ORD-1',
        phoneLast4: null,
        idHash: null,
        rotatingSecret: null,
        validFrom: null,
        validTo: null,
      })),
    ),
  }));
  const print = vi.fn<Printing['print']>(async (_items: readonly PrintItem[]) => ({ state: 'printed', jobIds: ['j1'] }));
  const db = openLocalDb(':memory:', 'migrations/local').$client;
  const deps = {
    cache: { catalog: () => ({ event, types: [{ ...DAY, currency: event.currency }] }) },
    payments: { cash: new CashPayment() },
    journal: new PaymentJournal(db),
    server: { isOnline: true, createOrder, applyChanges: vi.fn() },
    orders: { insert: vi.fn() },
    pending: new PendingSaleStore(db),
    printing: { print },
    transaction: <T>(fn: () => T): T => fn(),
    printLanguage: () => terminalLanguage,
  } satisfies SaleDeps;
  return { deps, print };
}

const cart = { lines: [{ ticketTypeId: DAY.id, quantity: 2 }], payment: { method: 'cash' as const, tenderedMinor: 10_000 } };

describe('a sale prints in the event language, clock and currency', () => {
  it("prints in the event's default language, on its wall clock, with its currency sign", async () => {
    const { deps, print } = world(null);
    await sell(deps, cart, 'op-1');
    const items = print.mock.calls[0]![0];
    const receipt = items.find((i) => i.kind === 'receipt')!.doc;
    expect(lines(receipt)).toEqual([
      '春季音乐节',
      '收据',
      '订单 ORD-1',
      // 12:05 UTC is 20:05 in Shanghai.
      printedTime('2026-07-01T12:05:00.000Z', 'Asia/Shanghai', 'zh-CN'),
      '2 x 日票  ¥90.00',
      '合计  ¥90.00',
      '现金  ¥100.00',
      '找零  ¥10.00',
    ]);
    expect(lines(receipt)[3]).toMatch(/20:05/);
    const ticket = items.find((i) => i.kind === 'ticket')!.doc;
    expect(lines(ticket).slice(0, 4)).toEqual(['春季音乐节', `开始 ${printedTime(EVENT.startsAt, 'Asia/Shanghai', 'zh-CN')}`, '日票', '¥45.00']);
    expect(lines(ticket)[1]).toMatch(/19:00/);
  });

  it("prints in the terminal's print language when one is set", async () => {
    const { deps, print } = world('ru', { ...EVENT, timezone: 'Europe/Moscow', currency: 'RUB' });
    await sell(deps, cart, 'op-1');
    const receipt = print.mock.calls[0]![0].find((i) => i.kind === 'receipt')!.doc;
    const text = lines(receipt).map((l) => l.replace(/[\u00a0\u202f]/gu, ' '));
    expect(text.slice(0, 4)).toEqual(['Весенний фестиваль', 'Чек', 'Заказ ORD-1', '01.07.2026, 15:05 GMT+3']);
    expect(text).toContain('Итого  90,00 ₽');
    expect(text).toContain('Сдача  10,00 ₽');
  });
});

describe("the event's default language on the terminal", () => {
  it('comes with the event pulled into the cache (real SQLite) and picks the print language', () => {
    const sql = openLocalDb(':memory:', 'migrations/local').$client;
    const { read, write } = openCache(sql, new Meta(sql));
    const change = {
      seq: 1,
      kind: 'event',
      row: { ...EVENT, defaultLanguage: 'ru', languages: ['ru', 'en'], no: 1, rotationPeriodS: null, idSalt: 'salt' },
    } as Extract<Change, { kind: 'event' }>;
    write.appliers.event(change, { ownDeviceId: null });
    const event = read.catalog().event;
    expect(event).toMatchObject({ id: EVENT.id, timezone: 'Asia/Shanghai', currency: 'CNY', defaultLanguage: 'ru' });
    expect(printLanguageFor(null, event)).toBe('ru');
    expect(printLabels('ru', event)).toMatchObject({ eventName: 'Весенний фестиваль', timeZone: 'Asia/Shanghai', eventStartsAt: EVENT.startsAt, total: 'Итого' });
    sql.close();
  });
});

describe('printed words, money and times', () => {
  it('picks the terminal language, else the event default, else English', () => {
    expect(printLanguageFor('ru', EVENT)).toBe('ru');
    expect(printLanguageFor(null, EVENT)).toBe('zh-CN');
    expect(printLanguageFor('xx', { ...EVENT, defaultLanguage: 'de' })).toBe('en');
    expect(printLanguageFor(undefined, null)).toBe('en');
    expect(printLanguages).toEqual(['en', 'zh-CN', 'ru']);
  });

  it('prints each currency with its own sign and minor units, exactly', () => {
    const sp = (s: string) => s.replace(/[\u00a0\u202f]/gu, ' ');
    expect(printedMoney(123_456, 'EUR', 'en')).toBe('€1,234.56');
    expect(sp(printedMoney(123_456, 'RUB', 'ru'))).toBe('1 234,56 ₽');
    expect(printedMoney(123_456, 'CNY', 'zh-CN')).toBe('¥1,234.56');
    expect(printedMoney(1500, 'JPY', 'en')).toBe('¥1,500');
    expect(printedMoney(1_234_567, 'KWD', 'en')).toMatch(/1,234\.567/);
    // Beyond a double's exact cents: the decimal string keeps every digit.
    expect(printedMoney(2_147_483_647, 'USD', 'en')).toBe('$21,474,836.47');
  });

  it("follows the zone's daylight saving", () => {
    expect(printedTime('2026-07-01T12:00:00Z', 'America/New_York', 'en')).toMatch(/08:00 EDT/);
    expect(printedTime('2026-12-01T12:00:00Z', 'America/New_York', 'en')).toMatch(/07:00 EST/);
  });

  it('has every printed word in en, zh-CN and ru, and names whom a ticket is for', () => {
    const order: PrintedOrder = {
      id: '0190a000-0000-7000-8000-000000000001',
      code: 'ORD-2',
      eventId: EVENT.id,
      totalMinor: 4500,
      currency: 'CNY',
      paymentMethod: 'card',
      tenderedMinor: 4500,
      changeMinor: 0,
      createdAt: '2026-07-01T12:05:00.000Z',
      tickets: [{ id: '0190a000-0000-7000-8000-000000000002', code: 'T-9', ticketTypeId: DAY.id, ticketTypeName: DAY.name, priceMinor: 4500, attendeeName: '张三丰' }],
    };
    const receipts = printLanguages.map((lang) => lines(receiptDocument(order, printLabels(lang, EVENT))));
    expect(new Set(receipts.map((r) => r[1])).size).toBe(3);
    expect(receipts[0]).toContain('  Holder: 张三丰');
    expect(receipts[1]).toContain('银行卡  ¥45.00');
    // A card sale gives no change.
    expect(receipts[2]!.some((l) => l.startsWith('Сдача'))).toBe(false);
    expect(lines(ticketDocuments(order, printLabels('ru', EVENT))[0]!)).toContain('Владелец: 张三丰');
  });
});
