// Owns the words printed on tickets and receipts, in every language a terminal can print in, and which
// of those languages a sale prints in: the terminal's print language when one is set, else the event's
// default language, else English. labelsFor(terminal language, event) is that choice and its words in
// one call, for every printout that carries them.
import type { PaymentMethod } from '../../../domain/tender';

export type PrintWords = {
  receipt: string;
  total: string;
  change: string;
  order: string;
  /** Who a ticket is for. */
  holder: string;
  /** When the event begins, on a ticket. */
  starts: string;
  /** Each way of paying, as the receipt names the tender. */
  paid: Record<PaymentMethod, string>;
};

/** What receipts.ts needs to print a sale: the words, the language, and the event as the buyer sees it. */
export type Labels = PrintWords & {
  lang: string;
  eventName: string;
  /** The event's IANA zone: every time on paper is its wall clock. */
  timeZone: string;
  /** The event's start (ISO instant), or null when unknown. */
  eventStartsAt: string | null;
};

const table = {
  en: {
    receipt: 'Receipt',
    total: 'Total',
    change: 'Change',
    order: 'Order',
    holder: 'Holder',
    starts: 'Starts',
    paid: { cash: 'Cash', card: 'Card', card_manual: 'Card', card_terminal: 'Card', qr_alipay: 'Alipay', qr_wechat: 'WeChat Pay', qr_sbp: 'SBP', split: 'Split payment' },
  },
  'zh-CN': {
    receipt: '收据',
    total: '合计',
    change: '找零',
    order: '订单',
    holder: '持票人',
    starts: '开始',
    paid: { cash: '现金', card: '银行卡', card_manual: '银行卡', card_terminal: '银行卡', qr_alipay: '支付宝', qr_wechat: '微信支付', qr_sbp: 'SBP 快速支付', split: '组合支付' },
  },
  ru: {
    receipt: 'Чек',
    total: 'Итого',
    change: 'Сдача',
    order: 'Заказ',
    holder: 'Владелец',
    starts: 'Начало',
    paid: { cash: 'Наличные', card: 'Карта', card_manual: 'Карта', card_terminal: 'Карта', qr_alipay: 'Alipay', qr_wechat: 'WeChat Pay', qr_sbp: 'СБП', split: 'Смешанная оплата' },
  },
} satisfies Record<string, PrintWords>;

export type PrintLanguage = keyof typeof table;
export const printLanguages = Object.keys(table) as PrintLanguage[];
const isPrintLanguage = (lang: string | null | undefined): lang is PrintLanguage => !!lang && lang in table;

/** The event as printing needs it (the catalog's event). */
export type PrintEvent = { name: Record<string, string>; timezone: string; startsAt?: string | null; defaultLanguage?: string | null };

/** The terminal's print language when it is set to one we print, else the event's default, else English. */
export function printLanguageFor(terminal: string | null | undefined, event: PrintEvent | null): PrintLanguage {
  if (isPrintLanguage(terminal)) return terminal;
  if (isPrintLanguage(event?.defaultLanguage)) return event.defaultLanguage;
  return 'en';
}

/** The words in `lang` (English for a language we do not print) and the event's name, zone and start. */
export function printLabels(lang: string, event: PrintEvent | null): Labels {
  const words = isPrintLanguage(lang) ? table[lang] : table.en;
  const names = event?.name ?? {};
  return {
    ...words,
    lang: isPrintLanguage(lang) ? lang : 'en',
    eventName: names[lang] ?? (event?.defaultLanguage ? names[event.defaultLanguage] : undefined) ?? names['en'] ?? Object.values(names)[0] ?? '',
    timeZone: event?.timezone ?? 'UTC',
    eventStartsAt: event?.startsAt ?? null,
  };
}

/** The labels a printout of this event carries at a terminal whose print language is `terminalLang`
 *  (null: none set): the one way every receipt, ticket and report picks its language and words. */
export function labelsFor(terminalLang: string | null | undefined, event: PrintEvent | null): Labels {
  return printLabels(printLanguageFor(terminalLang, event), event);
}
