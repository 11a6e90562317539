// Owns what a refund or an exchange prints: a refund receipt (the order, the tickets taken back, the
// fee kept, what was paid back and how, who did it and who approved), as a printer-neutral document,
// with its words in every language a terminal prints in and its time on the event's wall clock.
import type { PrintDocument } from '../../../drivers';
import { formatMoney, type OrderView, type RefundRow } from '../../contract';
import { printedTime } from './receipts';

type Words = {
  refund: string;
  exchange: string;
  order: string;
  ticket: string;
  fee: string;
  refunded: string;
  charged: string;
  method: Record<string, string>;
  reason: string;
  operator: string;
  approvedBy: string;
};

const table: Record<string, Words> = {
  en: {
    refund: 'Refund receipt',
    exchange: 'Exchange receipt',
    order: 'Order',
    ticket: 'Ticket',
    fee: 'Fee kept',
    refunded: 'Paid back',
    charged: 'Paid extra',
    method: { cash: 'cash', card: 'card', card_manual: 'card (manual)', card_terminal: 'card', qr_alipay: 'Alipay', qr_wechat: 'WeChat Pay', qr_sbp: 'SBP', split: 'split' },
    reason: 'Reason',
    operator: 'Operator',
    approvedBy: 'Approved by',
  },
  'zh-CN': {
    refund: '退款凭证',
    exchange: '改签凭证',
    order: '订单',
    ticket: '票',
    fee: '手续费',
    refunded: '退还',
    charged: '补付',
    method: { cash: '现金', card: '银行卡', card_manual: '银行卡（手工）', card_terminal: '银行卡', qr_alipay: '支付宝', qr_wechat: '微信支付', qr_sbp: 'SBP', split: '组合支付' },
    reason: '原因',
    operator: '操作员',
    approvedBy: '批准人',
  },
  ru: {
    refund: 'Чек возврата',
    exchange: 'Чек обмена',
    order: 'Заказ',
    ticket: 'Билет',
    fee: 'Удержан сбор',
    refunded: 'Возвращено',
    charged: 'Доплачено',
    method: { cash: 'наличными', card: 'картой', card_manual: 'картой (вручную)', card_terminal: 'картой', qr_alipay: 'Alipay', qr_wechat: 'WeChat Pay', qr_sbp: 'СБП', split: 'частями' },
    reason: 'Причина',
    operator: 'Оператор',
    approvedBy: 'Подтвердил',
  },
};

export const refundPrintLanguages = Object.keys(table);

const localized = (names: Record<string, string>, lang: string): string => names[lang] ?? names['en'] ?? Object.values(names)[0] ?? '';

export type RefundReceiptInput = {
  lang: string;
  eventName: Record<string, string>;
  /** The event's IANA zone: the refund's time is printed on its wall clock. */
  timeZone: string;
  refund: RefundRow;
  view: OrderView;
  operatorName: string | null;
  approverName: string | null;
};

export function refundReceiptDocument(r: RefundReceiptInput): PrintDocument {
  const w = table[r.lang] ?? table['en']!;
  const money = (minor: number) => formatMoney(minor, r.refund.currency, r.lang);
  const byId = new Map(r.view.tickets.map((t) => [t.id, t]));
  const lines = r.refund.ticketIds.map((id) => {
    const t = byId.get(id);
    return { type: 'text' as const, text: `${w.ticket} ${t ? localized(t.ticketTypeName, r.lang) : ''}  ${t ? money(t.priceMinor) : ''}`.trim() };
  });
  const added = r.refund.newTicketIds.map((id) => {
    const t = byId.get(id);
    return { type: 'text' as const, text: `+ ${t ? localized(t.ticketTypeName, r.lang) : id}` };
  });
  const method = w.method[r.refund.paymentMethod] ?? r.refund.paymentMethod;
  const nameOf = (m: string) => w.method[m] ?? m;
  // Several parts (a split): each one listed under its own kind, what went back to it or was paid by it.
  const paidBackParts = r.refund.payouts.length > 1 || r.refund.paymentMethod === 'split' ? r.refund.payouts : [];
  const chargedParts = r.refund.payments.length > 1 ? r.refund.payments : [];
  const partLines = (parts: readonly { method: string; amountMinor: number }[]) =>
    parts.map((p) => ({ type: 'text' as const, text: `  ${nameOf(p.method)}  ${money(p.amountMinor)}` }));
  return {
    blocks: [
      { type: 'text', text: localized(r.eventName, r.lang), align: 'center', bold: true },
      { type: 'text', text: r.refund.kind === 'refund' ? w.refund : w.exchange, align: 'center', bold: true },
      { type: 'text', text: `${w.order} ${r.view.order.code}  ${printedTime(r.refund.createdAt, r.timeZone, r.lang)}` },
      { type: 'rule' },
      ...lines,
      ...added,
      { type: 'rule' },
      { type: 'text', text: `${w.fee}  ${money(r.refund.feeMinor)}` },
      ...(r.refund.chargedMinor > 0 ? [{ type: 'text' as const, text: `${w.charged}  ${money(r.refund.chargedMinor)}`, bold: true }, ...partLines(chargedParts)] : []),
      { type: 'text', text: `${w.refunded} (${method})  ${money(r.refund.amountMinor)}`, bold: true },
      ...partLines(paidBackParts),
      { type: 'text', text: `${w.reason}: ${r.refund.reason}` },
      { type: 'text', text: `${w.operator}: ${r.operatorName ?? r.refund.operatorId}` },
      ...(r.refund.approvedBy ? [{ type: 'text' as const, text: `${w.approvedBy}: ${r.approverName ?? r.refund.approvedBy}` }] : []),
      { type: 'feed', lines: 2 },
      { type: 'cut' },
    ],
  };
}
