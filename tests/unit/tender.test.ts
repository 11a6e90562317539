// Tender: the payment methods, what each carries (validated by one zod union) and the change due.
import { describe, expect, it } from 'vitest';
import { MAX_AMOUNT_MINOR, MAX_TENDERED_MINOR } from '../../domain/money';
import { CashTender, changeFor, PAYMENT_METHODS, PaymentMethod, Tender, TENDER_METHODS, TenderMethod } from '../../domain/tender';

describe('payment methods', () => {
  it('are declared once and each has its kind of tender', () => {
    expect(TENDER_METHODS).toEqual(['cash', 'card', 'card_manual', 'card_terminal', 'qr_alipay', 'qr_wechat', 'qr_sbp']);
    expect(PAYMENT_METHODS).toEqual([...TENDER_METHODS, 'split']);
    expect(PaymentMethod.options).toEqual([...PAYMENT_METHODS]);
    expect(TenderMethod.options).toEqual([...TENDER_METHODS]);
    expect(Tender.options.map((o) => o.shape.method.value)).toEqual([...TENDER_METHODS]);
  });
});

describe('Tender', () => {
  it('accepts cash with a tendered amount and card with nothing more', () => {
    expect(Tender.parse({ method: 'cash', tenderedMinor: 5000 })).toEqual({ method: 'cash', tenderedMinor: 5000 });
    expect(Tender.parse({ method: 'card' })).toEqual({ method: 'card' });
    expect(Tender.parse({ method: 'card_manual', approvalCode: 'A1B2C3', amountMinor: 3000 })).toEqual({ method: 'card_manual', approvalCode: 'A1B2C3', amountMinor: 3000 });
    expect(Tender.parse({ method: 'qr_wechat' })).toEqual({ method: 'qr_wechat' });
  });

  it('refuses unknown methods, missing or bad amounts and extra fields', () => {
    for (const bad of [
      { method: 'cheque' },
      { method: 'cash' },
      { method: 'cash', tenderedMinor: -1 },
      { method: 'cash', tenderedMinor: 10.5 },
      { method: 'cash', tenderedMinor: '5000' },
      { method: 'cash', tenderedMinor: MAX_TENDERED_MINOR + 1 },
      { method: 'card', tenderedMinor: 100 },
      { method: 'card_manual' },
      { method: 'card_manual', approvalCode: 'AB1' },
      { method: 'card_manual', approvalCode: 'ABCDEFGHIJKLM' },
      { method: 'card_manual', approvalCode: 'AB-123' },
      { method: 'card_terminal', amountMinor: 0 },
      { method: 'qr_sbp', amountMinor: 1.5 },
      null,
    ]) {
      expect(Tender.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    expect(CashTender.safeParse({ method: 'card' }).success).toBe(false);
  });
});

describe('changeFor', () => {
  it('gives back what cash exceeds the total by, and nothing on the exact amount', () => {
    expect(changeFor({ method: 'cash', tenderedMinor: 5000 }, 4500)).toEqual({
      ok: true,
      method: 'cash',
      tenderedMinor: 5000,
      changeMinor: 500,
    });
    expect(changeFor({ method: 'cash', tenderedMinor: 4500 }, 4500)).toEqual({
      ok: true,
      method: 'cash',
      tenderedMinor: 4500,
      changeMinor: 0,
    });
    expect(changeFor({ method: 'cash', tenderedMinor: 0 }, 0)).toMatchObject({ ok: true, changeMinor: 0 });
  });

  it('says how much cash is missing', () => {
    expect(changeFor({ method: 'cash', tenderedMinor: 4000 }, 4500)).toEqual({
      ok: false,
      reason: 'insufficient',
      shortMinor: 500,
    });
  });

  it('charges a card exactly the total', () => {
    expect(changeFor({ method: 'card' }, 4500)).toEqual({ ok: true, method: 'card', tenderedMinor: 4500, changeMinor: 0 });
  });

  it('refuses totals and tendered amounts that are not chargeable amounts', () => {
    for (const total of [-1, 0.5, Number.NaN, MAX_AMOUNT_MINOR + 1, Number.MAX_SAFE_INTEGER + 2]) {
      expect(changeFor({ method: 'cash', tenderedMinor: 100 }, total)).toEqual({ ok: false, reason: 'bad_amount' });
      expect(changeFor({ method: 'card' }, total)).toEqual({ ok: false, reason: 'bad_amount' });
    }
    for (const tenderedMinor of [-1, 0.5, Number.NaN, MAX_TENDERED_MINOR + 1]) {
      expect(changeFor({ method: 'cash', tenderedMinor }, 100)).toEqual({ ok: false, reason: 'bad_amount' });
    }
  });

  it('handles the largest amounts exactly', () => {
    expect(changeFor({ method: 'cash', tenderedMinor: MAX_TENDERED_MINOR }, MAX_TENDERED_MINOR - 1)).toMatchObject({
      ok: true,
      changeMinor: 1,
    });
    expect(changeFor({ method: 'cash', tenderedMinor: MAX_TENDERED_MINOR }, MAX_AMOUNT_MINOR)).toEqual({
      ok: false,
      reason: 'insufficient',
      shortMinor: MAX_AMOUNT_MINOR - MAX_TENDERED_MINOR,
    });
  });
});
