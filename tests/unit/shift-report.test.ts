// The X and Z reports as printed documents: every word in the event's language (en, zh-CN, ru), the
// amounts with the currency's sign, times on the event's wall clock, the variance only on a Z report;
// and the mark of a reprinted copy, translated.
import { describe, expect, it } from 'vitest';
import { formatMoney, type ShiftReport } from '../../electron/contract';
import { reprintMark, shiftReportDocument } from '../../electron/core/box-office/shift-report';
import { cashVariance, expectedCash } from '../../domain/shifts';

const operatorId = '01900000-0000-7000-8000-0000000000a1';
const report = (kind: 'x' | 'z'): Omit<ShiftReport, 'print'> => ({
  reportId: '01900000-0000-7000-8000-0000000000f1',
  kind,
  at: '2026-06-01T20:30:00.000Z',
  shift: {
    id: '01900000-0000-7000-8000-0000000000e1',
    currency: 'RUB',
    floatMinor: 500_000,
    openedAt: '2026-06-01T06:00:00.000Z',
    openedBy: operatorId,
    openedByName: 'Анна',
    closedAt: kind === 'z' ? '2026-06-01T20:30:00.000Z' : null,
    closedBy: kind === 'z' ? operatorId : null,
  },
  totals: {
    currency: 'RUB',
    floatMinor: 500_000,
    sales: { count: 2, amountMinor: 300_000 },
    refunds: { count: 1, amountMinor: 100_000 },
    voids: { count: 0, amountMinor: 0 },
    cashIn: { count: 0, amountMinor: 0 },
    cashOut: { count: 1, amountMinor: 50_000 },
    cashTenderedMinor: 200_000,
    cashChangeMinor: 0,
    cashRefundsMinor: 100_000,
    expectedCashMinor: 550_000,
    byMethod: [
      { method: 'cash', sales: { count: 1, amountMinor: 200_000 }, refunds: { count: 1, amountMinor: 100_000 } },
      { method: 'card', sales: { count: 1, amountMinor: 100_000 }, refunds: { count: 0, amountMinor: 0 } },
    ],
    byOperator: [{ operatorId, sales: { count: 2, amountMinor: 300_000 }, refunds: { count: 1, amountMinor: 100_000 }, voids: { count: 0, amountMinor: 0 } }],
  },
  countedMinor: kind === 'z' ? 549_000 : null,
  varianceMinor: kind === 'z' ? -1_000 : null,
});

const text = (lang: string, kind: 'x' | 'z') =>
  shiftReportDocument(report(kind), { lang, eventName: 'Фестиваль', timeZone: 'Europe/Moscow', terminalName: 'Касса 1', operatorName: () => 'Анна' })
    .blocks.flatMap((b) => (b.type === 'text' ? [b.text] : []))
    .join('\n');

describe('shift report documents', () => {
  it('prints in Russian with roubles and Moscow time, the variance on the Z report only', () => {
    const z = text('ru', 'z');
    expect(z).toContain('Z-ОТЧЁТ');
    expect(z).toContain(`Наличные по расчёту: ${formatMoney(550_000, 'RUB', 'ru')}`);
    expect(z).toContain(`Наличные по факту: ${formatMoney(549_000, 'RUB', 'ru')}`);
    expect(z).toContain(`Расхождение: ${formatMoney(-1_000, 'RUB', 'ru')}`);
    expect(z).toContain('Карта: 1 /');
    expect(z).toContain('Открыта: 2026-06-01 09:00 Анна');
    expect(z).toContain('Закрыта: 2026-06-01 23:30 Анна');
    expect(z).toMatch(/₽/);
    const x = text('ru', 'x');
    expect(x).toContain('X-ОТЧЁТ');
    expect(x).not.toContain('Расхождение');
    expect(x).not.toContain('Закрыта');
  });

  it('prints in Chinese and in English', () => {
    const zh = text('zh-CN', 'z');
    expect(zh).toContain('Z 报表');
    expect(zh).toContain('差额:');
    expect(zh).toContain('现金: 1 /');
    const en = text('en', 'x');
    expect(en).toContain('X REPORT');
    expect(en).toContain('Expected cash:');
    // A language the reports do not speak falls back to English.
    expect(text('de', 'x')).toContain('X REPORT');
  });

  it('marks a reprinted copy with its number, translated', () => {
    expect(reprintMark('en', 2)).toEqual([{ type: 'text', text: 'REPRINT 2', align: 'center', bold: true, size: 2 }]);
    expect(reprintMark('ru', 1)[0]).toMatchObject({ text: 'ПОВТОРНАЯ ПЕЧАТЬ 1' });
    expect(reprintMark('zh-CN', 3)[0]).toMatchObject({ text: '补打 3' });
  });

  it('expects float + cash taken − change − cash refunds + cash in − cash out, and counts the variance against it', () => {
    const expected = expectedCash({ floatMinor: 10_000, cashTenderedMinor: 20_000, cashChangeMinor: 1_500, cashRefundsMinor: 4_500, cashInMinor: 5_000, cashOutMinor: 2_000 });
    expect(expected).toBe(27_000);
    expect(cashVariance(26_700, expected)).toBe(-300);
    expect(cashVariance(27_100, expected)).toBe(100);
  });
});
