// Money on screen: exact formatting from integer minor units, and the cashier's typed amount parsed
// back to minor units without floating point.
import { describe, expect, it } from 'vitest';
import { formatMoney, minorToDecimalString, parseMoneyInput } from '../../renderer/src/i18n/money';

const nbsp = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('formatMoney', () => {
  it('formats integer minor units per currency and locale', () => {
    expect(formatMoney(4500, 'EUR', 'en')).toBe('€45.00');
    expect(nbsp(formatMoney(4500, 'EUR', 'ru'))).toBe('45,00 €');
    expect(formatMoney(4500, 'EUR', 'zh-CN')).toBe('€45.00');
    expect(formatMoney(4500, 'JPY', 'en')).toBe('¥4,500');
    expect(formatMoney(12345, 'KWD', 'en')).toContain('12.345');
    expect(formatMoney(-5, 'EUR', 'en')).toBe('-€0.05');
  });
  it('never goes through a binary fraction', () => {
    expect(minorToDecimalString(1, 2)).toBe('0.01');
    expect(minorToDecimalString(9_007_199_254_740_991, 2)).toBe('90071992547409.91');
    expect(formatMoney(9_007_199_254_740_991, 'EUR', 'en')).toBe('€90,071,992,547,409.91');
  });
});

describe('parseMoneyInput', () => {
  const ok = (text: string, currency = 'EUR') => {
    const r = parseMoneyInput(text, currency);
    return r.ok ? r.amountMinor : r.reason;
  };
  it('reads what cashiers type', () => {
    expect(ok('50')).toBe(5000);
    expect(ok('45.5')).toBe(4550);
    expect(ok('45,50')).toBe(4550);
    expect(ok('0.10')).toBe(10);
    expect(ok('.5')).toBe(50);
    expect(ok('1 000,50')).toBe(100050);
    expect(ok('1,000.50')).toBe(100050);
    expect(ok('1.000,50')).toBe(100050);
    expect(ok('1.000.000')).toBe(100000000);
    expect(ok('19.99')).toBe(1999); // 19.99 * 100 is 1998.9999999999998 in floating point
    expect(ok('1000', 'JPY')).toBe(1000);
    expect(ok('1,000', 'JPY')).toBe(1000);
  });
  it('refuses what it cannot read unambiguously', () => {
    expect(ok('')).toBe('empty');
    expect(ok('   ')).toBe('empty');
    expect(ok('abc')).toBe('invalid');
    expect(ok('-5')).toBe('invalid');
    expect(ok('1e3')).toBe('invalid');
    expect(ok('1,000')).toBe('too_many_decimals');
    expect(ok('4.555')).toBe('too_many_decimals');
    expect(ok('1.5', 'JPY')).toBe('too_many_decimals');
    expect(ok('1,2.3')).toBe('invalid');
    expect(ok('10.00.000')).toBe('invalid');
    expect(ok('12,34,567.00')).toBe('invalid');
    expect(ok('1000001')).toBe('too_large');
    expect(ok('99999999999999999999')).toBe('too_large');
  });
});
