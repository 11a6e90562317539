// How a refund is spread over an order's payment parts: non-cash first in the order taken, then cash;
// partial refunds across several calls never pay a part back more than it took; a percent fee on a
// voucher-discounted ticket rounds on the paid price; the tickets of a discounted cart add up to its total.
import { describe, expect, it } from 'vitest';
import { priceCart } from '../../domain/pricing';
import { allocateRefund, paidPerTicket, partsLeft, partsOf, type PartPayout } from '../../domain/refund-allocation';
import { feeFor } from '../../domain/refund-policy';
import type { Voucher } from '../../domain/vouchers';

const ORDER = '0190a000-0000-7000-8000-000000000001';
const split = partsOf(ORDER, 'split', 5000, [
  { method: 'cash', amountMinor: 2000 },
  { method: 'card_terminal', amountMinor: 1800 },
  { method: 'qr_alipay', amountMinor: 1200 },
]);

describe('refund allocation', () => {
  it('keys the parts by their source and index; one tender without a list is one part', () => {
    expect(split.map((p) => p.key)).toEqual([`${ORDER}:0`, `${ORDER}:1`, `${ORDER}:2`]);
    expect(partsOf(ORDER, 'cash', 4000, null)).toEqual([{ key: `${ORDER}:0`, method: 'cash', amountMinor: 4000 }]);
    expect(partsOf(ORDER, 'split', 4000, null)).toEqual([]);
  });

  it('pays non-cash parts back first, in the order taken, and the rest in cash', () => {
    expect(allocateRefund(split, [], 1000)).toEqual({ ok: true, payouts: [{ key: `${ORDER}:1`, method: 'card_terminal', amountMinor: 1000 }] });
    expect(allocateRefund(split, [], 3500)).toEqual({
      ok: true,
      payouts: [
        { key: `${ORDER}:1`, method: 'card_terminal', amountMinor: 1800 },
        { key: `${ORDER}:2`, method: 'qr_alipay', amountMinor: 1200 },
        { key: `${ORDER}:0`, method: 'cash', amountMinor: 500 },
      ],
    });
    expect(allocateRefund(split, [], 0)).toEqual({ ok: true, payouts: [] });
  });

  it('spreads partial refunds over several calls without paying a part back more than it took', () => {
    const paid: PartPayout[] = [];
    const amounts = [700, 1300, 1, 999, 2000];
    for (const amount of amounts) {
      const a = allocateRefund(split, paid, amount);
      if (!a.ok) throw new Error(a.reason);
      expect(a.payouts.reduce((n, p) => n + p.amountMinor, 0)).toBe(amount);
      paid.push(...a.payouts);
    }
    expect(partsLeft(split, paid).map((p) => p.amountMinor)).toEqual([0, 0, 0]);
    const byKey = (key: string) => paid.filter((p) => p.key === key).reduce((n, p) => n + p.amountMinor, 0);
    expect(split.map((p) => byKey(p.key))).toEqual([2000, 1800, 1200]);
    expect(allocateRefund(split, paid, 1)).toEqual({ ok: false, reason: 'too_large', mostMinor: 0 });
  });

  it('refuses more than is left, and amounts that are not whole', () => {
    expect(allocateRefund(split, [{ key: `${ORDER}:1`, method: 'card_terminal', amountMinor: 1800 }], 3201)).toEqual({ ok: false, reason: 'too_large', mostMinor: 3200 });
    expect(allocateRefund(split, [], 1.5)).toEqual({ ok: false, reason: 'bad_amount' });
    expect(allocateRefund(split, [], -1)).toEqual({ ok: false, reason: 'bad_amount' });
  });

  it('charges the fee on the paid price of a discounted ticket, rounded half up, and the tickets add up to the total', () => {
    const types = [
      { id: 'a', priceMinor: 3333, currency: 'EUR' },
      { id: 'b', priceMinor: 1001, currency: 'EUR' },
    ];
    const voucher: Voucher = { code: 'TENOFF', kind: 'percent', value: 15, currency: null, ticketTypeIds: ['a'], maxUses: null, used: 0, maxPerOrder: null, validFrom: null, validUntil: null, active: true };
    const priced = priceCart([{ ticketTypeId: 'a', quantity: 3 }, { ticketTypeId: 'b', quantity: 2 }], types, 'EUR', { voucher, at: new Date('2026-12-01T00:00:00Z') });
    if (!priced.ok) throw new Error(priced.reason);
    const perTicket = priced.lines.flatMap((l) => Array.from({ length: l.quantity }, () => paidPerTicket(l)));
    expect(perTicket.reduce((n, p) => n + p, 0)).toBe(priced.totalMinor);
    expect(perTicket[0]).toBeLessThan(3333);
    expect(perTicket[3]).toBe(1001);
    // 10 % of the paid price, not of the list price.
    expect(feeFor({ kind: 'percent', basisPoints: 1000 }, perTicket[0]!)).toBe(Math.round(perTicket[0]! / 10));
    expect(feeFor({ kind: 'percent', basisPoints: 1000 }, 1005)).toBe(101);
  });
});
