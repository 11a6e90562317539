// A split tender: non-cash parts never exceed what is due, cash covers the rest, change only from cash.
import { describe, expect, it } from 'vitest';
import { MAX_AMOUNT_MINOR, MAX_TENDERED_MINOR } from '../../domain/money';
import { splitTender } from '../../domain/split-tender';

describe('splitTender', () => {
  it('pays card 3000 + cash 2000 given 5000 with 3000 change', () => {
    const r = splitTender([{ method: 'card_terminal', amountMinor: 3000 }, { method: 'cash', tenderedMinor: 5000 }], 5000);
    expect(r).toEqual({
      ok: true,
      parts: [
        { tender: { method: 'card_terminal', amountMinor: 3000 }, method: 'card_terminal', amountMinor: 3000 },
        { tender: { method: 'cash', tenderedMinor: 5000 }, method: 'cash', amountMinor: 2000 },
      ],
      tenderedCashMinor: 5000,
      changeMinor: 3000,
    });
  });

  it('charges a single non-cash tender the whole total and gives no change', () => {
    expect(splitTender([{ method: 'qr_sbp' }], 4500)).toEqual({
      ok: true,
      parts: [{ tender: { method: 'qr_sbp' }, method: 'qr_sbp', amountMinor: 4500 }],
      tenderedCashMinor: 0,
      changeMinor: 0,
    });
  });

  it('takes several non-cash parts that add up to the total, and leaves out a cash part that is not needed', () => {
    const r = splitTender(
      [{ method: 'card_manual', amountMinor: 1000, approvalCode: 'AB12' }, { method: 'qr_alipay', amountMinor: 4000 }, { method: 'cash', tenderedMinor: 500 }],
      5000,
    );
    expect(r).toMatchObject({ ok: true, tenderedCashMinor: 500, changeMinor: 500 });
    if (r.ok) expect(r.parts.map((p) => [p.method, p.amountMinor])).toEqual([['card_manual', 1000], ['qr_alipay', 4000]]);
  });

  it('says how much is missing when the tenders fall short', () => {
    expect(splitTender([{ method: 'card_terminal', amountMinor: 3000 }, { method: 'cash', tenderedMinor: 1500 }], 5000)).toEqual({ ok: false, reason: 'insufficient', shortMinor: 500 });
    expect(splitTender([{ method: 'card_terminal', amountMinor: 3000 }], 5000)).toEqual({ ok: false, reason: 'insufficient', shortMinor: 2000 });
    expect(splitTender([{ method: 'cash', tenderedMinor: 0 }], 1)).toEqual({ ok: false, reason: 'insufficient', shortMinor: 1 });
  });

  it('refuses non-cash parts that charge more than is due (change only from cash)', () => {
    expect(splitTender([{ method: 'card_terminal', amountMinor: 6000 }, { method: 'cash', tenderedMinor: 0 }], 5000)).toEqual({ ok: false, reason: 'over_charged' });
    expect(splitTender([{ method: 'qr_wechat', amountMinor: 3000 }, { method: 'qr_sbp', amountMinor: 2001 }], 5000)).toEqual({ ok: false, reason: 'over_charged' });
  });

  it('refuses a split whose non-cash part names no amount, two cash parts, and no tender', () => {
    expect(splitTender([{ method: 'card_terminal' }, { method: 'cash', tenderedMinor: 100 }], 5000)).toEqual({ ok: false, reason: 'amount_required' });
    expect(splitTender([{ method: 'cash', tenderedMinor: 100 }, { method: 'cash', tenderedMinor: 100 }], 100)).toEqual({ ok: false, reason: 'one_cash' });
    expect(splitTender([], 100)).toEqual({ ok: false, reason: 'no_tender' });
  });

  it('refuses amounts that overflow or are not whole minor units', () => {
    expect(splitTender([{ method: 'cash', tenderedMinor: MAX_TENDERED_MINOR + 1 }], 100)).toEqual({ ok: false, reason: 'bad_amount' });
    expect(splitTender([{ method: 'cash', tenderedMinor: 10.5 }], 10)).toEqual({ ok: false, reason: 'bad_amount' });
    expect(splitTender([{ method: 'card_terminal', amountMinor: MAX_AMOUNT_MINOR + 1 }], MAX_AMOUNT_MINOR)).toEqual({ ok: false, reason: 'bad_amount' });
    expect(splitTender([{ method: 'card_terminal', amountMinor: 0.5 }, { method: 'cash', tenderedMinor: 10 }], 10)).toEqual({ ok: false, reason: 'bad_amount' });
    expect(splitTender([{ method: 'cash', tenderedMinor: 100 }], MAX_AMOUNT_MINOR + 1)).toEqual({ ok: false, reason: 'bad_amount' });
    expect(splitTender([{ method: 'cash', tenderedMinor: 100 }], -1)).toEqual({ ok: false, reason: 'bad_amount' });
  });

  it('handles the largest amounts exactly', () => {
    const r = splitTender([{ method: 'card_terminal', amountMinor: MAX_AMOUNT_MINOR - 1 }, { method: 'cash', tenderedMinor: MAX_TENDERED_MINOR }], MAX_AMOUNT_MINOR);
    expect(r).toMatchObject({ ok: true, tenderedCashMinor: MAX_TENDERED_MINOR, changeMinor: MAX_TENDERED_MINOR - 1 });
  });
});
