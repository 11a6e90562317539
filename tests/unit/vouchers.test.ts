// Vouchers as the one price function applies them (domain/vouchers.ts, domain/pricing.ts): percentage
// rounded half up per ticket, fixed amounts capped at the ticket's price (never below zero), per type or
// every type, validity by the given clock, and total and per-order uses — each refusal a stable code.
import { describe, expect, it } from 'vitest';
import { priceCart, type TicketPrice } from '../../domain/pricing';
import { normalizeVoucherCode, unitDiscount, type Voucher, VoucherSettings, voucherProblem } from '../../domain/vouchers';

const day: TicketPrice = { id: 'day', priceMinor: 999, currency: 'EUR' };
const vip: TicketPrice = { id: 'vip', priceMinor: 12_050, currency: 'EUR' };
const types = [day, vip];
const at = new Date('2030-01-15T12:00:00Z');
const base: Voucher = {
  code: 'SPRING',
  kind: 'percent',
  value: 15,
  currency: null,
  ticketTypeIds: null,
  validFrom: '2030-01-01T00:00:00Z',
  validUntil: '2030-02-01T00:00:00Z',
  maxUses: null,
  used: 0,
  maxPerOrder: null,
  active: true,
};

describe('voucher codes', () => {
  it('are trimmed, folded to upper case and full-width forms, or refused', () => {
    expect(normalizeVoucherCode('  spring-24 ')).toBe('SPRING-24');
    expect(normalizeVoucherCode('ｓｐｒｉｎｇ')).toBe('SPRING');
    expect(normalizeVoucherCode('ab')).toBeNull();
    expect(normalizeVoucherCode('DROP TABLE')).toBeNull();
  });
  it('settings refuse a percentage over 100 and a validity that ends before it begins', () => {
    expect(VoucherSettings.safeParse({ code: 'x1x', kind: 'percent', value: 101 }).success).toBe(false);
    expect(VoucherSettings.safeParse({ code: 'x1x', kind: 'fixed', value: 500, validFrom: '2030-01-02T00:00:00Z', validUntil: '2030-01-01T00:00:00Z' }).success).toBe(false);
    expect(VoucherSettings.parse({ code: 'x1x', kind: 'fixed', value: 500 })).toMatchObject({ code: 'X1X', ticketTypeIds: null, maxUses: null, active: true });
  });
});

describe('the discount of one ticket', () => {
  it('rounds a percentage half up to a whole minor unit and never exceeds the price', () => {
    expect(unitDiscount({ kind: 'percent', value: 15 }, 999)).toBe(150); // 149.85
    expect(unitDiscount({ kind: 'percent', value: 50 }, 1)).toBe(1); // 0.5 rounds up
    expect(unitDiscount({ kind: 'percent', value: 10 }, 4)).toBe(0); // 0.4 rounds down
    expect(unitDiscount({ kind: 'percent', value: 100 }, 12_050)).toBe(12_050);
    expect(unitDiscount({ kind: 'fixed', value: 2000 }, 999)).toBe(999);
    expect(unitDiscount({ kind: 'fixed', value: 2_147_483_647 }, 2_147_483_647)).toBe(2_147_483_647);
  });
});

describe('priceCart with a voucher', () => {
  it('shows the discount per line and in total, in integer minor units', () => {
    const priced = priceCart(
      [
        { ticketTypeId: 'day', quantity: 2 },
        { ticketTypeId: 'vip', quantity: 1 },
      ],
      types,
      'EUR',
      { voucher: base, at },
    );
    expect(priced).toEqual({
      ok: true,
      currency: 'EUR',
      lines: [
        { ticketTypeId: 'day', quantity: 2, unitMinor: 999, unitDiscountMinor: 150, discountMinor: 300, totalMinor: 1698 },
        { ticketTypeId: 'vip', quantity: 1, unitMinor: 12_050, unitDiscountMinor: 1808, discountMinor: 1808, totalMinor: 10_242 },
      ],
      subtotalMinor: 14_048,
      discountMinor: 2108,
      totalMinor: 11_940,
      voucherCode: 'SPRING',
      voucherUses: 3,
    });
  });

  it('discounts only the types it names, and a fixed amount never takes a line below zero', () => {
    const fixed: Voucher = { ...base, kind: 'fixed', value: 5000, currency: 'EUR', ticketTypeIds: ['day'] };
    const priced = priceCart([{ ticketTypeId: 'day', quantity: 1 }, { ticketTypeId: 'vip', quantity: 1 }], types, 'EUR', { voucher: fixed, at });
    expect(priced).toMatchObject({ ok: true, subtotalMinor: 13_049, discountMinor: 999, totalMinor: 12_050, voucherUses: 1 });
    expect(priced.ok && priced.lines.map((l) => l.totalMinor)).toEqual([0, 12_050]);
  });

  it('refuses by validity, applicability, per-order limit and uses left, in that order', () => {
    const lines = [{ ticketTypeId: 'day', quantity: 3 }];
    const reason = (v: Voucher, when = at) => {
      const p = priceCart(lines, types, 'EUR', { voucher: v, at: when });
      return p.ok ? null : p.reason;
    };
    expect(reason(base, new Date('2029-12-31T23:59:59Z'))).toBe('voucher_not_yet_valid');
    expect(reason(base, new Date('2030-02-01T00:00:00Z'))).toBe('voucher_expired');
    expect(reason({ ...base, active: false })).toBe('voucher_unknown');
    expect(reason({ ...base, ticketTypeIds: ['vip'] })).toBe('voucher_not_applicable');
    expect(reason({ ...base, kind: 'fixed', value: 100, currency: 'USD' })).toBe('voucher_not_applicable');
    expect(reason({ ...base, maxPerOrder: 2, maxUses: 1 })).toBe('voucher_over_order_limit');
    expect(reason({ ...base, maxUses: 10, used: 8 })).toBe('voucher_used_up');
    expect(reason({ ...base, maxUses: 10, used: 7, maxPerOrder: 3 })).toBeNull();
    expect(voucherProblem(base, at, 0)).toBe('voucher_not_applicable');
  });

  it('prices as before without a voucher', () => {
    expect(priceCart([{ ticketTypeId: 'day', quantity: 1 }], types, 'EUR')).toEqual({
      ok: true,
      currency: 'EUR',
      totalMinor: 999,
      lines: [{ ticketTypeId: 'day', quantity: 1, unitMinor: 999, totalMinor: 999 }],
    });
  });
});
