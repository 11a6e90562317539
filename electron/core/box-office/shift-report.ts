// Owns what a shift prints: the X and Z reports as printer-neutral documents (totals by payment kind,
// refunds, voids, cash put in and taken out, the cash the drawer should hold and — on a Z report — the
// cash counted and its variance, and each operator's sales), and the mark a reprinted copy carries.
// Every word in en, zh-CN and ru; amounts with the currency's sign, times in the event's time zone.
import { formatMoney, type ShiftReport } from '../../contract';
import { formatZoned, isTimeZone } from '../../../domain/zoned-time';
import type { PrintDocument } from '../../../drivers';

type Words = {
  x: string;
  z: string;
  shift: string;
  opened: string;
  closed: string;
  printed: string;
  float: string;
  sales: string;
  refunds: string;
  voids: string;
  cashIn: string;
  cashOut: string;
  cashTendered: string;
  change: string;
  expected: string;
  counted: string;
  variance: string;
  byMethod: string;
  byOperator: string;
  reprint: string;
  methods: Record<string, string>;
};

const table: Record<string, Words> = {
  en: {
    x: 'X REPORT',
    z: 'Z REPORT',
    shift: 'Shift',
    opened: 'Opened',
    closed: 'Closed',
    printed: 'Printed',
    float: 'Float',
    sales: 'Sales',
    refunds: 'Refunds',
    voids: 'Voids',
    cashIn: 'Cash in',
    cashOut: 'Cash out',
    cashTendered: 'Cash taken',
    change: 'Change given',
    expected: 'Expected cash',
    counted: 'Counted cash',
    variance: 'Variance',
    byMethod: 'By payment kind',
    byOperator: 'By operator',
    reprint: 'REPRINT',
    methods: { cash: 'Cash', card: 'Card', card_manual: 'Card (manual)', card_terminal: 'Card terminal', qr_alipay: 'Alipay', qr_wechat: 'WeChat Pay', qr_sbp: 'SBP' },
  },
  'zh-CN': {
    x: 'X 报表',
    z: 'Z 报表',
    shift: '班次',
    opened: '开班',
    closed: '结班',
    printed: '打印时间',
    float: '备用金',
    sales: '销售',
    refunds: '退款',
    voids: '撤销',
    cashIn: '存入现金',
    cashOut: '取出现金',
    cashTendered: '收取现金',
    change: '找零',
    expected: '应有现金',
    counted: '清点现金',
    variance: '差额',
    byMethod: '按支付方式',
    byOperator: '按操作员',
    reprint: '补打',
    methods: { cash: '现金', card: '银行卡', card_manual: '银行卡（手工）', card_terminal: '刷卡终端', qr_alipay: '支付宝', qr_wechat: '微信支付', qr_sbp: 'SBP' },
  },
  ru: {
    x: 'X-ОТЧЁТ',
    z: 'Z-ОТЧЁТ',
    shift: 'Смена',
    opened: 'Открыта',
    closed: 'Закрыта',
    printed: 'Напечатан',
    float: 'Размен',
    sales: 'Продажи',
    refunds: 'Возвраты',
    voids: 'Отмены',
    cashIn: 'Внесение',
    cashOut: 'Изъятие',
    cashTendered: 'Получено наличными',
    change: 'Выдано сдачи',
    expected: 'Наличные по расчёту',
    counted: 'Наличные по факту',
    variance: 'Расхождение',
    byMethod: 'По видам оплаты',
    byOperator: 'По кассирам',
    reprint: 'ПОВТОРНАЯ ПЕЧАТЬ',
    methods: { cash: 'Наличные', card: 'Карта', card_manual: 'Карта (вручную)', card_terminal: 'Платёжный терминал', qr_alipay: 'Alipay', qr_wechat: 'WeChat Pay', qr_sbp: 'СБП' },
  },
};

export const shiftReportLanguages = Object.keys(table);

const words = (lang: string): Words => table[lang] ?? table['en']!;

/** A payment kind's printed name; a kind this table does not name yet prints as its code. */
const methodName = (w: Words, method: string): string => w.methods[method] ?? method;

/** The line a reprinted copy carries on top: "REPRINT 2". */
export function reprintMark(lang: string, copy: number): PrintDocument['blocks'] {
  return [{ type: 'text', text: `${words(lang).reprint} ${copy}`, align: 'center', bold: true, size: 2 }];
}

export type ShiftReportContext = {
  lang: string;
  eventName: string;
  timeZone: string;
  terminalName: string | null;
  operatorName: (operatorId: string) => string | null;
};

export function shiftReportDocument(report: Omit<ShiftReport, 'print'>, c: ShiftReportContext): PrintDocument {
  const w = words(c.lang);
  const t = report.totals;
  const money = (minor: number) => formatMoney(minor, t.currency, c.lang);
  const when = (iso: string) => (isTimeZone(c.timeZone) ? formatZoned(new Date(iso), c.timeZone) : iso.slice(0, 19).replace('T', ' ')).slice(0, 16);
  const who = (id: string) => c.operatorName(id) ?? id.slice(0, 8);
  const line = (label: string, value: string, bold = false) => ({ type: 'text' as const, text: `${label}: ${value}`, ...(bold ? { bold: true } : {}) });
  const tally = (label: string, x: { count: number; amountMinor: number }) => line(label, `${x.count} / ${money(x.amountMinor)}`);
  const blocks: PrintDocument['blocks'] = [
    { type: 'text', text: report.kind === 'z' ? w.z : w.x, align: 'center', bold: true, size: 2 },
    ...(c.eventName ? [{ type: 'text' as const, text: c.eventName, align: 'center' as const }] : []),
    ...(c.terminalName ? [{ type: 'text' as const, text: c.terminalName, align: 'center' as const }] : []),
    line(w.shift, report.shift.id.slice(-8)),
    line(w.opened, `${when(report.shift.openedAt)} ${who(report.shift.openedBy)}`),
    ...(report.shift.closedAt ? [line(w.closed, `${when(report.shift.closedAt)} ${report.shift.closedBy ? who(report.shift.closedBy) : ''}`.trim())] : []),
    line(w.printed, when(report.at)),
    { type: 'rule' },
    tally(w.sales, t.sales),
    tally(w.refunds, t.refunds),
    tally(w.voids, t.voids),
    { type: 'rule' },
    { type: 'text', text: w.byMethod, bold: true },
    ...t.byMethod.flatMap((m) => [
      line(methodName(w, m.method), `${m.sales.count} / ${money(m.sales.amountMinor)}`),
      ...(m.refunds.count > 0 ? [line(`  ${w.refunds}`, `${m.refunds.count} / ${money(-m.refunds.amountMinor)}`)] : []),
    ]),
    { type: 'rule' },
    line(w.float, money(t.floatMinor)),
    line(w.cashTendered, money(t.cashTenderedMinor)),
    line(w.change, money(-t.cashChangeMinor)),
    line(w.refunds, money(-t.cashRefundsMinor)),
    tally(w.cashIn, t.cashIn),
    tally(w.cashOut, t.cashOut),
    line(w.expected, money(t.expectedCashMinor), true),
    ...(report.countedMinor !== null ? [line(w.counted, money(report.countedMinor), true)] : []),
    ...(report.varianceMinor !== null ? [line(w.variance, money(report.varianceMinor), true)] : []),
    { type: 'rule' },
    { type: 'text', text: w.byOperator, bold: true },
    ...t.byOperator.map((o) => line(who(o.operatorId), `${o.sales.count} / ${money(o.sales.amountMinor)}`)),
    { type: 'feed', lines: 2 },
    { type: 'cut' },
  ];
  return { blocks };
}
