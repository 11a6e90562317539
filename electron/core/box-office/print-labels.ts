// Owns the words printed on tickets and receipts, in every language a terminal can print in.
import type { Labels } from './receipts';

const table: Record<string, Omit<Labels, 'lang' | 'eventName'>> = {
  en: { receipt: 'Receipt', total: 'Total', cash: 'Cash', change: 'Change', order: 'Order' },
  'zh-CN': { receipt: '收据', total: '合计', cash: '现金', change: '找零', order: '订单' },
  ru: { receipt: 'Чек', total: 'Итого', cash: 'Наличные', change: 'Сдача', order: 'Заказ' },
};

export const printLanguages = Object.keys(table);

export function printLabels(lang: string, eventNames: Record<string, string>): Labels {
  const words = table[lang] ?? table['en']!;
  return { lang, eventName: eventNames[lang] ?? eventNames['en'] ?? '', ...words };
}
