// The refund and exchange policy of a ticket type: no policy allows nothing, the window closes the given
// hours before the start, fees are fixed or a share of the price and never exceed it, and a manager-only
// rule says so.
import { describe, expect, it } from 'vitest';
import { feeFor, policyVerdict, RefundPolicy } from '../../domain/refund-policy';

const start = new Date('2026-12-10T18:00:00Z');
const at = (iso: string) => new Date(iso);

describe('refund policy', () => {
  it('allows nothing without a policy or without the rule', () => {
    expect(policyVerdict(null, 'refund', 1000, start, at('2026-12-01T00:00:00Z'))).toEqual({ ok: false, reason: 'refund_not_allowed', until: null });
    const onlyRefund: RefundPolicy = { refund: { hoursBefore: 0, fee: { kind: 'fixed', amountMinor: 0 }, who: 'cashier' }, exchange: null };
    expect(policyVerdict(onlyRefund, 'exchange', 1000, start, at('2026-12-01T00:00:00Z'))).toMatchObject({ ok: false, reason: 'exchange_not_allowed' });
  });

  it('closes the window the given hours before the start, to the millisecond', () => {
    const policy: RefundPolicy = { refund: { hoursBefore: 24, fee: { kind: 'percent', basisPoints: 1250 }, who: 'manager' }, exchange: null };
    expect(policyVerdict(policy, 'refund', 1000, start, at('2026-12-09T18:00:00.000Z'))).toMatchObject({ ok: true, feeMinor: 125, needsManager: true });
    expect(policyVerdict(policy, 'refund', 1000, start, at('2026-12-09T18:00:00.001Z'))).toEqual({
      ok: false,
      reason: 'refund_window_closed',
      until: at('2026-12-09T18:00:00.000Z'),
    });
  });

  it('keeps a fee never above the price', () => {
    expect(feeFor({ kind: 'fixed', amountMinor: 500 }, 300)).toBe(300);
    expect(feeFor({ kind: 'percent', basisPoints: 10_000 }, 777)).toBe(777);
    expect(feeFor({ kind: 'percent', basisPoints: 333 }, 1000)).toBe(33);
    expect(RefundPolicy.safeParse({ refund: { hoursBefore: -1, fee: { kind: 'fixed', amountMinor: 0 }, who: 'cashier' }, exchange: null }).success).toBe(false);
    expect(RefundPolicy.safeParse({ refund: { hoursBefore: 1, fee: { kind: 'percent', basisPoints: 10_001 }, who: 'cashier' }, exchange: null }).success).toBe(false);
  });
});
