// The refund receipt's words in every print language: the title, the fee, what was paid back and how,
// and who approved, with the order's currency.
import { describe, expect, it } from 'vitest';
import { refundPrintLanguages, refundReceiptDocument } from '../../electron/core/box-office/refund-receipt';
import type { OrderView, RefundRow } from '../../electron/contract';

const refund: RefundRow = {
  id: '01930000-0000-7000-8000-000000000001',
  kind: 'refund',
  orderId: '01930000-0000-7000-8000-000000000002',
  ticketIds: ['01930000-0000-7000-8000-000000000003'],
  newTicketIds: [],
  amountMinor: 180000,
  feeMinor: 20000,
  chargedMinor: 0,
  currency: 'RUB',
  paymentMethod: 'cash',
  payments: [],
  payouts: [{ key: '01930000-0000-7000-8000-000000000002:0', method: 'cash', amountMinor: 180000 }],
  reason: 'болезнь',
  operatorId: '01930000-0000-7000-8000-000000000004',
  approvedBy: '01930000-0000-7000-8000-000000000005',
  createdAt: '2026-12-02T10:00:00.000Z',
};
const view: OrderView = {
  order: { id: refund.orderId, code: 'K7M2QX', eventId: '01930000-0000-7000-8000-000000000006', totalMinor: 400000, currency: 'RUB', paymentMethod: 'cash', balanceMinor: 220000, payments: [{ key: '01930000-0000-7000-8000-000000000002:0', method: 'cash', amountMinor: 400000, refundedMinor: 180000 }], createdAt: refund.createdAt },
  tickets: [
    {
      id: refund.ticketIds[0]!,
      ticketTypeId: '01930000-0000-7000-8000-000000000007',
      ticketTypeName: { en: 'Day pass', ru: 'Дневной билет', 'zh-CN': '单日票' },
      status: 'refunded',
      priceMinor: 200000,
      refund: { allowed: false, refusal: 'ticket_not_valid', feeMinor: 0, needsManager: false, until: null },
      exchange: { allowed: false, refusal: 'ticket_not_valid', feeMinor: 0, needsManager: false, until: null },
    },
  ],
  refunds: [refund],
};

const textOf = (lang: string) =>
  refundReceiptDocument({ lang, eventName: { en: 'Expo', ru: 'Экспо', 'zh-CN': '博览会' }, timeZone: 'Europe/Moscow', refund, view, operatorName: 'Анна', approverName: '王经理' })
    .blocks.flatMap((b) => (b.type === 'text' ? [b.text] : []))
    .join('\n');

describe('refund receipt', () => {
  it('prints in every print language', () => {
    expect(refundPrintLanguages.sort()).toEqual(['en', 'ru', 'zh-CN']);
    const ru = textOf('ru');
    expect(ru).toMatch(/Чек возврата/);
    expect(ru).toMatch(/Дневной билет/);
    expect(ru).toMatch(/Возвращено \(наличными\)/);
    expect(ru).toMatch(/Подтвердил: 王经理/);
    const zh = textOf('zh-CN');
    expect(zh).toMatch(/退款凭证/);
    expect(zh).toMatch(/单日票/);
    expect(zh).toMatch(/退还 \(现金\)/);
    const en = textOf('en');
    expect(en).toMatch(/Refund receipt/);
    expect(en).toMatch(/Order K7M2QX/);
    expect(en).toMatch(/Fee kept/);
  });

  it('lists each part of a split refund under its own kind', () => {
    const split: RefundRow = {
      ...refund,
      paymentMethod: 'split',
      payouts: [
        { key: `${refund.orderId}:1`, method: 'card_terminal', amountMinor: 150000 },
        { key: `${refund.orderId}:0`, method: 'cash', amountMinor: 30000 },
      ],
    };
    for (const [lang, card, cash] of [['en', 'card', 'cash'], ['ru', 'картой', 'наличными'], ['zh-CN', '银行卡', '现金']] as const) {
      const text = refundReceiptDocument({ lang, eventName: { en: 'Expo' }, timeZone: 'UTC', refund: split, view, operatorName: null, approverName: null })
        .blocks.flatMap((b) => (b.type === 'text' ? [b.text] : []));
      const i = text.findIndex((t) => t.includes(`(${lang === 'en' ? 'split' : lang === 'ru' ? 'частями' : '组合支付'})`));
      expect(i).toBeGreaterThan(0);
      expect(text[i + 1]).toMatch(new RegExp(`^  ${card}  .*1.?500`));
      expect(text[i + 2]).toMatch(new RegExp(`^  ${cash}  .*300`));
    }
  });

  it('prints its time on the event wall clock, not UTC', () => {
    // 10:00 UTC on 2 December is 23:00 the same day in Auckland (UTC+13 in its summer).
    for (const lang of refundPrintLanguages) {
      const text = refundReceiptDocument({ lang, eventName: { en: 'Expo' }, timeZone: 'Pacific/Auckland', refund, view, operatorName: null, approverName: null })
        .blocks.flatMap((b) => (b.type === 'text' ? [b.text] : []));
      const line = text.find((t) => t.includes('K7M2QX'))!;
      expect(line).toMatch(/23:00/);
      expect(line).toMatch(/02/);
      expect(line).not.toMatch(/10:00/);
      expect(line).toMatch(/GMT\+13|UTC\+13|NZDT/);
    }
    const la = refundReceiptDocument({ lang: 'en', eventName: { en: 'Expo' }, timeZone: 'America/Los_Angeles', refund, view, operatorName: null, approverName: null })
      .blocks.flatMap((b) => (b.type === 'text' ? [b.text] : []))
      .find((t) => t.includes('K7M2QX'))!;
    expect(la).toMatch(/02:00/);
    expect(la).toMatch(/12\/02\/2026|2026/);
  });
});
