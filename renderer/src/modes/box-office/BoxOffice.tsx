// Owns the box-office mode: picking the event and session, the catalog of ticket types (on sale with
// live availability, sold out, or off sale with the time its sale starts in the event's time zone), the
// cart, a voucher scanned or typed, whom each ticket is for where its type asks, the payment in one or
// several tenders (cash with change, card with its approval code, the card terminal, QR payment with
// the provider's code shown), and the sale result with its printing kept current by print.job events.
// Keyboard first: every action has a key (the legend on screen lists them). The core is the authority
// on stock, vouchers and payment; this screen only prevents obvious mistakes early and then shows what
// the core decided. Each cart carries an id made once (the order id at the server), so pressing Sell
// again after an unknown outcome completes that sale instead of making a second one. Sales left in
// flight that need the cashier are listed above the catalog (AttentionPanel).
import { useCallback, useEffect, useEffectEvent, useMemo, useRef, useState, type FormEvent, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { OUTCOME_UNKNOWN } from '../../bridge';
import { DeviceStrip } from '../../components/DeviceStrip';
import { ErrorMessage } from '../../components/ErrorMessage';
import { RegistrationForm, type RawAnswers } from '../../components/RegistrationForm';
import {
  ANSWER_REASONS,
  parseForm,
  priceCart,
  type AnswerError,
  type Form,
  splitTender,
  type CallError,
  type CallOutput,
  type OrderAttendee,
  type PaymentPromptEvent,
  type PrintJobEvent,
  type Tender,
  type TenderMethod,
  type TicketType,
} from '../../contract';
import { useCall, useConnection, useEvent } from '../../core';
import { pickLocalized } from '../../i18n/format';
import { currencyDigits, formatMoney, minorToDecimalString, parseMoneyInput } from '../../i18n/money';
import { AttentionPanel } from './AttentionPanel';
import { AfterSale } from './AfterSale';
import { KeyLegend } from './KeyLegend';
import { QrCode } from './QrCode';
import { RefundPanel } from './RefundPanel';
import { ShiftPanel } from './ShiftPanel';
import { rememberJob } from './print-status';

type Catalog = CallOutput<'boxOffice.catalog'>;
type Sale = CallOutput<'boxOffice.sell'>;
type Voucher = CallOutput<'boxOffice.voucher'>;

/** A random UUID (v4) naming one cart: every attempt to sell it sends the same id. */
function newCartId(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Contract bounds of `boxOffice.sell`. */
const MAX_PER_LINE = 50;
const MAX_LINES = 20;

/** The payment kinds the cashier picks, each on its function key. */
export const PAY_KINDS = [
  { method: 'cash', key: 'F2' },
  { method: 'card_manual', key: 'F3' },
  { method: 'card_terminal', key: 'F4' },
  { method: 'qr_alipay', key: 'F5' },
  { method: 'qr_wechat', key: 'F6' },
  { method: 'qr_sbp', key: 'F7' },
] as const satisfies readonly { method: TenderMethod; key: string }[];
type PayKind = (typeof PAY_KINDS)[number]['method'];

/** The built-in attendee fields, in the order the cashier fills them. */
export const ATTENDEE_FIELDS = ['name', 'phone', 'email', 'company', 'idNumber'] as const;
type AttendeeField = (typeof ATTENDEE_FIELDS)[number];
type AttendeeDraft = Partial<Record<AttendeeField, string>>;
const ticketKey = (ticketTypeId: string, index: number) => `${ticketTypeId}/${index}`;

/** What a type asks of each holder: nothing, or the fields it requires (real-name: ID number and name). */
function asksAttendee(tt: TicketType): boolean {
  return Boolean(tt.realName) || (tt.requiredFields?.length ?? 0) > 0 || Boolean(tt.hasForm);
}
function requiredOf(tt: TicketType, field: AttendeeField): boolean {
  if (tt.realName && (field === 'name' || field === 'idNumber')) return true;
  return (tt.requiredFields ?? []).includes(field);
}

/** A sale time shown in the event's own time zone. */
function inZone(iso: string | null | undefined, timeZone: string | undefined, lang: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  try {
    return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(d);
  } catch {
    return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(d);
  }
}

const isTyping = (el: EventTarget | null) =>
  el instanceof HTMLElement && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable);

export function BoxOffice() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const call = useCall();
  const { generation } = useConnection();

  const [catalog, setCatalog] = useState<Catalog | null>(null);
  const [catalogError, setCatalogError] = useState<CallError | null>(null);
  const [reload, setReload] = useState(0);
  const [eventId, setEventId] = useState<string | undefined>(undefined);
  const [sessionId, setSessionId] = useState<string | undefined>(undefined);
  const [quantities, setQuantities] = useState<Readonly<Record<string, number>>>({});
  const [lastTouched, setLastTouched] = useState<string | null>(null);
  const [cartId, setCartId] = useState(newCartId);
  const [voucherText, setVoucherText] = useState('');
  const [voucher, setVoucher] = useState<Voucher | null>(null);
  const [voucherError, setVoucherError] = useState<CallError | null>(null);
  const [chosenKind, setPayKind] = useState<PayKind>('cash');
  const [tenders, setTenders] = useState<readonly Tender[]>([]);
  const [amountText, setAmountText] = useState('');
  const [approvalText, setApprovalText] = useState('');
  const [tenderProblem, setTenderProblem] = useState<string | null>(null);
  const [tenderedText, setTenderedText] = useState('');
  const [showTenderedError, setShowTenderedError] = useState(false);
  const [attendees, setAttendees] = useState<Readonly<Record<string, AttendeeDraft>>>({});
  const [answers, setAnswers] = useState<Readonly<Record<string, RawAnswers>>>({});
  // Registration forms of the types in the cart that have one (null: none readable).
  const [forms, setForms] = useState<Readonly<Record<string, Form | null>>>({});
  const [selling, setSelling] = useState(false);
  const [saleError, setSaleError] = useState<CallError | null>(null);
  const [sale, setSale] = useState<Sale | null>(null);
  const [prompt, setPrompt] = useState<PaymentPromptEvent | null>(null);
  const [shiftOpen, setShiftOpen] = useState(false);
  const [refundOpen, setRefundOpen] = useState(false);
  const [attentionReload, setAttentionReload] = useState(0);
  const [printJobs, setPrintJobs] = useState<ReadonlyMap<string, PrintJobEvent>>(() => new Map());
  useEvent('print.job', (job) => setPrintJobs((jobs) => rememberJob(jobs, job)));
  useEvent('boxOffice.paymentPrompt', (p) => setPrompt(p));
  // Online or not (sync.status): offline, the till sells from its lease, and the banner says how much is left.
  const [online, setOnline] = useState<boolean | null>(null);
  useEffect(() => {
    let live = true;
    void call('sync.status', {}).then((r) => {
      if (live && r.ok) setOnline(r.value.paired ? r.value.online : null);
    });
    return () => {
      live = false;
    };
  }, [call, generation]);
  useEvent('sync.status', (s) => {
    const next = s.paired ? s.online : null;
    if (next === online) return;
    setOnline(next);
    // The lease is topped up or drawn on across the change: read the catalog's counts again.
    setReload((n) => n + 1);
  });
  // The card terminal coming or going changes what the catalog says the till takes.
  useEvent('device.status', (d) => {
    if (d.kind === 'payment-terminal') setReload((n) => n + 1);
  });

  const voucherInput = useRef<HTMLInputElement>(null);
  const tenderedInput = useRef<HTMLInputElement>(null);
  const amountInput = useRef<HTMLInputElement>(null);
  const sellButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    let live = true;
    const input: { eventId?: string; sessionId?: string } = {};
    if (eventId) input.eventId = eventId;
    if (sessionId) input.sessionId = sessionId;
    void call('boxOffice.catalog', input).then((result) => {
      if (!live) return;
      if (result.ok) {
        setCatalog(result.value);
        setCatalogError(null);
      } else {
        setCatalogError(result.error);
      }
    });
    return () => {
      live = false;
    };
  }, [call, generation, reload, eventId, sessionId]);

  const ticketTypes = useMemo(() => catalog?.ticketTypes ?? [], [catalog]);
  const offSale = catalog?.offSale ?? [];
  const leased = catalog?.leased ?? {};
  const reserveLeft = ticketTypes.reduce((sum, tt) => sum + (leased[tt.id] ?? 0), 0);
  const events = catalog?.events ?? [];
  const event = catalog?.event ?? null;
  const sessions = events.find((e) => e.id === event?.id)?.sessions ?? [];
  const currency = event?.currency ?? ticketTypes[0]?.currency ?? null;
  const lines = ticketTypes.map((tt) => ({ tt, quantity: quantities[tt.id] ?? 0 })).filter((line) => line.quantity > 0);
  const lineInput = lines.map((line) => ({ ticketTypeId: line.tt.id, quantity: line.quantity }));
  const lineKey = lineInput.map((l) => `${l.ticketTypeId}:${l.quantity}`).join(',');
  const priced = currency ? priceCart(lineInput, ticketTypes, currency) : null;
  const subtotal = priced?.ok ? priced.totalMinor : 0;
  // The voucher as the server priced this very cart; re-asked whenever the cart changes.
  const voucherPricing = voucher && !voucher.problem && voucher.pricing ? voucher.pricing : null;
  const discount = voucherPricing?.discountMinor ?? 0;
  const total = voucherPricing ? voucherPricing.totalMinor : subtotal;
  const money = useCallback((amountMinor: number, cur = currency ?? 'EUR') => formatMoney(amountMinor, cur, lang), [currency, lang]);
  const digits = currency ? currencyDigits(currency) : 2;
  // The kinds offered: all but the card terminal, which only while the core says one is registered.
  const offered = PAY_KINDS.filter((k) => k.method !== 'card_terminal' || (catalog?.payments ?? []).includes('card_terminal'));
  const terminalOffered = offered.some((k) => k.method === 'card_terminal');
  // A card terminal gone while picked: back to cash.
  const payKind: PayKind = chosenKind === 'card_terminal' && !terminalOffered ? 'cash' : chosenKind;

  const nonCashMinor = tenders.reduce((sum, x) => sum + (x.method === 'cash' ? 0 : (x.amountMinor ?? 0)), 0);
  const cashDue = Math.max(0, total - nonCashMinor);
  const tendered = currency ? parseMoneyInput(tenderedText, currency) : null;
  const payments: Tender[] = [...tenders];
  if (tendered?.ok) payments.push({ method: 'cash', tenderedMinor: tendered.amountMinor });
  else if (cashDue === 0 && tenders.length > 0 && tenderedText.trim() === '') {
    // Cards cover it all: no cash part.
  }
  const split = lines.length > 0 && payments.length > 0 ? splitTender(payments, total) : null;
  const change = split?.ok ? split.changeMinor : split && split.reason === 'insufficient' ? -split.shortMinor : null;

  const limitFor = (tt: TicketType) => Math.min(MAX_PER_LINE, tt.maxPerOrder ?? MAX_PER_LINE, tt.available ?? MAX_PER_LINE);
  const sellable = (tt: TicketType) => tt.currency === currency && limitFor(tt) > 0 && (tt.saleState ?? 'on_sale') === 'on_sale';

  // Ask the server what the voucher takes off this cart whenever the cart or the code changes.
  const appliedCode = voucher?.code ?? null;
  useEffect(() => {
    if (!appliedCode || lineInput.length === 0) return;
    let live = true;
    void call('boxOffice.voucher', { code: appliedCode, lines: lineInput, ...(event ? { eventId: event.id } : {}) }).then((r) => {
      if (!live) return;
      if (r.ok) setVoucher(r.value);
      else setVoucherError(r.error);
    });
    return () => {
      live = false;
    };
    // lineKey stands for lineInput.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [appliedCode, lineKey, call, event?.id]);

  async function applyVoucher() {
    const code = voucherText.trim();
    setVoucherError(null);
    if (!code) {
      setVoucher(null);
      return;
    }
    const r = await call('boxOffice.voucher', {
      code,
      ...(lineInput.length > 0 ? { lines: lineInput } : {}),
      ...(event ? { eventId: event.id } : {}),
    });
    if (r.ok) setVoucher(r.value);
    else {
      setVoucher(null);
      setVoucherError(r.error);
    }
  }

  function adjust(tt: TicketType, delta: 1 | -1) {
    setSaleError(null);
    setLastTouched(tt.id);
    setQuantities((current) => {
      const now = current[tt.id] ?? 0;
      const next = Math.max(0, Math.min(limitFor(tt), now + delta));
      if (next === now) return current;
      if (delta > 0 && !sellable(tt)) return current;
      const distinct = Object.values(current).filter((q) => q > 0).length;
      if (now === 0 && next > 0 && distinct >= MAX_LINES) return current;
      const updated = { ...current, [tt.id]: next };
      if (next === 0) delete updated[tt.id];
      return updated;
    });
  }

  function clearCart() {
    setQuantities({});
    setCartId(newCartId());
    setTenderedText('');
    setShowTenderedError(false);
    setSaleError(null);
    setTenders([]);
    setAmountText('');
    setApprovalText('');
    setTenderProblem(null);
    setVoucher(null);
    setVoucherText('');
    setVoucherError(null);
    setAttendees({});
    setAnswers({});
    setPrompt(null);
    setPayKind('cash');
  }

  function choosePayKind(kind: PayKind) {
    setPayKind(kind);
    setTenderProblem(null);
    if (kind === 'cash') {
      // Focused at once: the amount typed right after the key lands in it.
      tenderedInput.current?.focus();
      return;
    }
    setAmountText(minorToDecimalString(cashDue, digits));
    setApprovalText('');
    requestAnimationFrame(() => {
      amountInput.current?.focus();
      amountInput.current?.select();
    });
  }

  function addTender() {
    if (payKind === 'cash' || !currency) return;
    const amount = parseMoneyInput(amountText, currency);
    if (!amount.ok || amount.amountMinor <= 0) {
      setTenderProblem(t('boxOffice.invalidAmount'));
      return;
    }
    if (amount.amountMinor > cashDue) {
      setTenderProblem(t('boxOffice.pay.overDue'));
      return;
    }
    let tender: Tender;
    if (payKind === 'card_manual') {
      const code = approvalText.trim();
      if (!/^[A-Za-z0-9]{4,12}$/.test(code)) {
        setTenderProblem(t('boxOffice.pay.badApproval'));
        return;
      }
      tender = { method: 'card_manual', amountMinor: amount.amountMinor, approvalCode: code };
    } else {
      tender = { method: payKind, amountMinor: amount.amountMinor };
    }
    setTenders((list) => [...list, tender]);
    setTenderProblem(null);
    setAmountText('');
    setApprovalText('');
    setSaleError(null);
    // What is left is cash's, unless the cards covered it all.
    setPayKind('cash');
    requestAnimationFrame(() => (amount.amountMinor >= cashDue ? sellButton.current : tenderedInput.current)?.focus());
  }

  const attendeeTickets = lines.filter((line) => asksAttendee(line.tt)).flatMap((line) => Array.from({ length: line.quantity }, (_, index) => ({ tt: line.tt, index })));
  const formTypes = lines.filter((line) => line.tt.hasForm && !(line.tt.id in forms)).map((line) => line.tt.id);
  const formTypesKey = formTypes.join(',');
  useEffect(() => {
    if (!formTypesKey) return;
    let live = true;
    for (const ticketTypeId of formTypesKey.split(',')) {
      void call('forms.get', { ticketTypeId }).then((r) => {
        if (!live) return;
        const parsed = r.ok && r.value.readable ? parseForm(r.value.fields) : null;
        setForms((all) => ({ ...all, [ticketTypeId]: parsed?.ok && parsed.form.length > 0 ? parsed.form : null }));
      });
    }
    return () => {
      live = false;
    };
  }, [formTypesKey, call]);
  const answerErrorsOf = (key: string): AnswerError[] =>
    (saleError?.issues ?? []).flatMap((i) => {
      const prefix = `${key}/answers.`;
      if (!i.path.startsWith(prefix)) return [];
      const reason = ANSWER_REASONS.find((r) => r === i.message) ?? 'bad_value';
      return [{ key: i.path.slice(prefix.length), reason }];
    });
  const issueOf = (key: string, field: string) => saleError?.issues?.find((i) => i.path === `${key}/${field}`)?.message ?? null;

  function setAttendee(key: string, field: AttendeeField, value: string) {
    setSaleError(null);
    setAttendees((all) => ({ ...all, [key]: { ...all[key], [field]: value } }));
  }
  function copyToOthers(fromKey: string) {
    const from = attendees[fromKey] ?? {};
    setAttendees((all) => {
      const next = { ...all };
      for (const { tt, index } of attendeeTickets) {
        const key = ticketKey(tt.id, index);
        if (key !== fromKey) next[key] = { ...from };
      }
      return next;
    });
    const fromAnswers = answers[fromKey];
    if (fromAnswers)
      setAnswers((all) => {
        const next = { ...all };
        for (const { tt, index } of attendeeTickets) {
          const key = ticketKey(tt.id, index);
          if (key !== fromKey && tt.id === fromKey.split('/')[0]) next[key] = { ...fromAnswers };
        }
        return next;
      });
  }

  async function sell(e?: FormEvent) {
    e?.preventDefault();
    if (selling || lines.length === 0) return;
    if (!priced?.ok) {
      setSaleError({ code: priced?.reason === 'unknown_ticket_type' ? 'unknown_ticket_type' : 'invalid_input' });
      return;
    }
    if (tendered && !tendered.ok && !(tendered.reason === 'empty' && tenders.length > 0)) {
      setShowTenderedError(true);
      return;
    }
    if (!split) {
      setShowTenderedError(true);
      return;
    }
    if (!split.ok) {
      setSaleError({ code: split.reason === 'insufficient' ? 'payment_insufficient' : 'invalid_input' });
      return;
    }
    const attendeeList: OrderAttendee[] = [];
    for (const { tt, index } of attendeeTickets) {
      const draft = attendees[ticketKey(tt.id, index)] ?? {};
      const entry: OrderAttendee = { ticketTypeId: tt.id, index };
      for (const field of ATTENDEE_FIELDS) {
        const v = draft[field]?.trim();
        if (v) entry[field] = v;
      }
      const given = answers[ticketKey(tt.id, index)];
      if (given && Object.keys(given).length > 0) entry.answers = given as NonNullable<OrderAttendee['answers']>;
      attendeeList.push(entry);
    }
    setSelling(true);
    setSaleError(null);
    const result = await call('boxOffice.sell', {
      lines: priced.lines.map((line) => ({ ticketTypeId: line.ticketTypeId, quantity: line.quantity })),
      payments,
      cartId,
      ...(voucherPricing && voucher ? { voucherCode: voucher.code } : {}),
      ...(attendeeList.length > 0 ? { attendees: attendeeList } : {}),
      ...(event ? { eventId: event.id } : {}),
    });
    setSelling(false);
    setPrompt(null);
    setAttentionReload((n) => n + 1);
    if (result.ok) {
      setSale(result.value);
      clearCart();
      setReload((n) => n + 1);
      return;
    }
    setSaleError(result.error);
    if (result.error.code === 'earlier_sale_completed') setCartId(newCartId());
    if (result.error.code === 'sold_out' || result.error.code === 'unknown_ticket_type' || result.error.code === 'not_on_sale') setReload((n) => n + 1);
  }

  function newSale() {
    setSale(null);
    clearCart();
    setReload((n) => n + 1);
  }

  // The key map: digits add a ticket of the n-th type, + and − change the last one touched, F-keys pick
  // the payment kind, F9 the voucher field, F8 the shift panel, F10 refunds, Esc clears the sale (or closes a panel).
  const onKey = useEffectEvent((e: KeyboardEvent) => {
    if (sale) {
      if (e.key === 'Escape' || ((e.key === 'n' || e.key === 'N') && !isTyping(e.target))) {
        e.preventDefault();
        newSale();
      }
      return;
    }
    if (e.key === 'F8') {
      e.preventDefault();
      setRefundOpen(false);
      setShiftOpen((open) => !open);
      return;
    }
    if (e.key === 'F10') {
      e.preventDefault();
      setShiftOpen(false);
      setRefundOpen((open) => !open);
      return;
    }
    if (shiftOpen || refundOpen) {
      if (e.key === 'Escape') {
        e.preventDefault();
        setShiftOpen(false);
        setRefundOpen(false);
      }
      return;
    }
    const kind = PAY_KINDS.find((k) => k.key === e.key);
    if (kind && !offered.includes(kind)) {
      e.preventDefault();
      return;
    }
    if (kind) {
      e.preventDefault();
      choosePayKind(kind.method);
      return;
    }
    if (e.key === 'F9') {
      e.preventDefault();
      voucherInput.current?.focus();
      voucherInput.current?.select();
      return;
    }
    if (e.key === 'Escape') {
      e.preventDefault();
      if (isTyping(e.target)) (e.target as HTMLElement).blur();
      else clearCart();
      return;
    }
    if (isTyping(e.target) || e.ctrlKey || e.altKey || e.metaKey) return;
    if (/^[1-9]$/.test(e.key)) {
      const tt = ticketTypes[Number(e.key) - 1];
      if (tt) {
        e.preventDefault();
        adjust(tt, 1);
      }
      return;
    }
    const last = ticketTypes.find((tt) => tt.id === lastTouched);
    if ((e.key === '+' || e.key === '=') && last) {
      e.preventDefault();
      adjust(last, 1);
    } else if ((e.key === '-' || e.key === '_') && last) {
      e.preventDefault();
      adjust(last, -1);
    } else if (e.key === 'n' || e.key === 'N') {
      e.preventDefault();
      clearCart();
    } else if (e.key === 'Enter') {
      e.preventDefault();
      void sell();
    }
  });
  useEffect(() => {
    const handler = (e: KeyboardEvent) => onKey(e);
    window.addEventListener('keydown', handler);
    return () => window.removeEventListener('keydown', handler);
  }, []);

  if (sale) return <AfterSale sale={sale} printJobs={printJobs} onNewSale={newSale} />;

  const tenderedProblem = (() => {
    if (!tendered || tendered.ok) return null;
    if (tendered.reason === 'empty') return showTenderedError && tenders.length === 0 ? t('boxOffice.enterTendered') : null;
    if (tendered.reason === 'too_many_decimals') return t('boxOffice.tooManyDecimals');
    if (tendered.reason === 'too_large') return t('boxOffice.tooLarge');
    return t('boxOffice.invalidAmount');
  })();

  const offSaleText = (tt: TicketType) => {
    switch (tt.saleState) {
      case 'not_yet_on_sale':
        return t('boxOffice.notYetOnSale', { time: inZone(tt.saleStartsAt, event?.timezone, lang) });
      case 'sale_ended':
        return t('boxOffice.saleEnded');
      case 'session_inactive':
        return t('boxOffice.sessionInactive');
      default:
        return t('boxOffice.offSale');
    }
  };

  const stopEnter = (e: ReactKeyboardEvent, action: () => void) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      e.stopPropagation();
      e.nativeEvent.stopImmediatePropagation();
      action();
    }
  };

  return (
    <main className="screen box-office" data-testid="box-office">
      <AttentionPanel reload={attentionReload} printJobs={printJobs} />
      {shiftOpen && <ShiftPanel onClose={() => setShiftOpen(false)} />}
      {refundOpen && <RefundPanel onClose={() => setRefundOpen(false)} ticketTypes={ticketTypes} payments={catalog?.payments} />}
      <section className="box-office__catalog" aria-label={t('boxOffice.ticketTypes')}>
        <div className="section-head">
          <h2 className="section-title">{event ? pickLocalized(event.name, lang) : t('boxOffice.ticketTypes')}</h2>
          <button type="button" className="button button--ghost" data-testid="shift-toggle" onClick={() => setShiftOpen((o) => !o)}>
            {t('boxOffice.shift.title')} <kbd className="key">F8</kbd>
          </button>
          <button type="button" className="button button--ghost" data-testid="refund-toggle" onClick={() => setRefundOpen((o) => !o)}>
            {t('boxOffice.refund.title')} <kbd className="key">F10</kbd>
          </button>
          <button type="button" className="button button--ghost" data-testid="catalog-refresh" onClick={() => setReload((n) => n + 1)}>
            {t('boxOffice.refresh')}
          </button>
        </div>
        {(events.length > 1 || sessions.length > 0) && (
          <div className="picker-row">
            {events.length > 1 && (
              <label className="field field--inline">
                <span className="field__label">{t('boxOffice.event')}</span>
                <select
                  className="input"
                  data-testid="event-select"
                  value={event?.id ?? ''}
                  onChange={(e) => {
                    clearCart();
                    setSessionId(undefined);
                    setEventId(e.target.value);
                  }}
                >
                  {events.map((ev) => (
                    <option key={ev.id} value={ev.id}>
                      {pickLocalized(ev.name, lang)} — {inZone(ev.startsAt, ev.timezone, lang)}
                    </option>
                  ))}
                </select>
              </label>
            )}
            {sessions.length > 0 && (
              <label className="field field--inline">
                <span className="field__label">{t('boxOffice.session')}</span>
                <select
                  className="input"
                  data-testid="session-select"
                  value={sessionId ?? ''}
                  onChange={(e) => {
                    clearCart();
                    setSessionId(e.target.value || undefined);
                  }}
                >
                  <option value="">{t('boxOffice.allSessions')}</option>
                  {sessions.map((s) => (
                    <option key={s.id} value={s.id} disabled={!s.active}>
                      {pickLocalized(s.name, lang)} — {inZone(s.startsAt, event?.timezone, lang)}
                    </option>
                  ))}
                </select>
              </label>
            )}
          </div>
        )}
        {online === false && catalog && (
          <p className="message message--warning offline-banner" role="status" data-testid="offline-banner" data-left={reserveLeft}>
            {t('boxOffice.lease.offline', { count: reserveLeft })}
          </p>
        )}
        <ErrorMessage error={catalogError} testId="catalog-error" />
        {!catalog && !catalogError && (
          <p className="message" data-testid="catalog-loading">
            {t('boxOffice.loading')}
          </p>
        )}
        {catalog && !event && ticketTypes.length === 0 && (
          <p className="message" data-testid="catalog-no-event">
            {t('boxOffice.noEvent')}
          </p>
        )}
        {catalog && event && ticketTypes.length === 0 && (
          <p className="message" data-testid="catalog-empty">
            {t('boxOffice.noTicketTypes')}
          </p>
        )}
        <ul className="ticket-types">
          {ticketTypes.map((tt, n) => {
            const quantity = quantities[tt.id] ?? 0;
            const soldOut = tt.available === 0 || tt.saleState === 'sold_out';
            return (
              <li
                key={tt.id}
                className={`ticket-type ${quantity > 0 ? 'ticket-type--selected' : ''} ${soldOut ? 'ticket-type--sold-out' : ''}`}
                data-testid="ticket-type"
                data-ticket-type-id={tt.id}
                data-available={tt.available ?? 'unlimited'}
                data-sale-state={soldOut ? 'sold_out' : (tt.saleState ?? 'on_sale')}
              >
                <div className="ticket-type__info">
                  <span className="ticket-type__name" data-testid="ticket-type-name">
                    {n < 9 && <kbd className="key">{n + 1}</kbd>} {pickLocalized(tt.name, lang)}
                  </span>
                  <span className="ticket-type__price" data-testid="ticket-type-price">
                    {money(tt.priceMinor, tt.currency)}
                  </span>
                  <span className="ticket-type__availability" data-testid="ticket-type-availability">
                    {soldOut ? t('boxOffice.soldOut') : tt.available === null ? t('boxOffice.unlimited') : t('boxOffice.left', { count: tt.available })}
                  </span>
                  {leased[tt.id] !== undefined && (
                    <span className="ticket-type__note ticket-type__lease" data-testid="ticket-type-leased" data-leased={leased[tt.id]}>
                      {t('boxOffice.lease.held', { count: leased[tt.id] ?? 0 })}
                    </span>
                  )}
                  {asksAttendee(tt) && <span className="ticket-type__note">{t('boxOffice.attendee.asks')}</span>}
                  {tt.currency !== currency && <span className="ticket-type__note">{t('boxOffice.otherCurrency')}</span>}
                </div>
                <div className="stepper">
                  <button
                    type="button"
                    className="stepper__button"
                    data-testid="ticket-remove"
                    aria-label={`${t('boxOffice.remove')}: ${pickLocalized(tt.name, lang)}`}
                    onClick={() => adjust(tt, -1)}
                    disabled={quantity === 0 || selling}
                  >
                    −
                  </button>
                  <span className="stepper__value" data-testid="ticket-qty" aria-live="polite">
                    {quantity}
                  </span>
                  <button
                    type="button"
                    className="stepper__button"
                    data-testid="ticket-add"
                    aria-label={`${t('boxOffice.add')}: ${pickLocalized(tt.name, lang)}`}
                    onClick={() => adjust(tt, 1)}
                    disabled={!sellable(tt) || quantity >= limitFor(tt) || selling}
                  >
                    +
                  </button>
                </div>
              </li>
            );
          })}
          {offSale.map((tt) => (
            <li key={tt.id} className="ticket-type ticket-type--sold-out" data-testid="ticket-type-off-sale" data-ticket-type-id={tt.id} data-sale-state={tt.saleState ?? ''}>
              <div className="ticket-type__info">
                <span className="ticket-type__name">{pickLocalized(tt.name, lang)}</span>
                <span className="ticket-type__price">{money(tt.priceMinor, tt.currency)}</span>
                <span className="ticket-type__availability" data-testid="off-sale-reason">
                  {offSaleText(tt)}
                </span>
              </div>
            </li>
          ))}
        </ul>
        {attendeeTickets.length > 0 && (
          <section className="attendees card" aria-label={t('boxOffice.attendee.title')} data-testid="attendees">
            <h2 className="section-title">{t('boxOffice.attendee.title')}</h2>
            {attendeeTickets.map(({ tt, index }) => {
              const key = ticketKey(tt.id, index);
              const draft = attendees[key] ?? {};
              return (
                <fieldset key={key} className="attendee" data-testid="attendee" data-ticket-key={key}>
                  <legend>
                    {pickLocalized(tt.name, lang)} #{index + 1}
                  </legend>
                  <div className="attendee__fields">
                    {ATTENDEE_FIELDS.map((field) => {
                      const issue = issueOf(key, field);
                      const required = requiredOf(tt, field);
                      return (
                        <label key={field} className="field">
                          <span className="field__label">
                            {t(`boxOffice.attendee.${field}`)}
                            {required ? ' *' : ''}
                          </span>
                          <input
                            className="input"
                            data-testid={`attendee-${field}`}
                            value={draft[field] ?? ''}
                            autoComplete="off"
                            aria-invalid={issue !== null}
                            inputMode={field === 'phone' ? 'tel' : field === 'email' ? 'email' : 'text'}
                            onChange={(e) => setAttendee(key, field, e.target.value)}
                          />
                          {issue && (
                            <span className="message message--error" data-testid="attendee-issue" data-field={field} data-reason={issue}>
                              {t(`boxOffice.attendee.issue.${issue === 'required' || issue === 'bad_phone' || issue === 'bad_email' || issue === 'too_long' ? issue : 'invalid'}`)}
                            </span>
                          )}
                        </label>
                      );
                    })}
                  </div>
                  {forms[tt.id] && (
                    <RegistrationForm
                      form={forms[tt.id]!}
                      answers={answers[key] ?? {}}
                      onChange={(next) => {
                        setSaleError(null);
                        setAnswers((all) => ({ ...all, [key]: next }));
                      }}
                      errors={answerErrorsOf(key)}
                      testId={`attendee-form-${tt.id.slice(0, 8)}-${index}`}
                    />
                  )}
                  {attendeeTickets.length > 1 && (
                    <button type="button" className="button button--ghost" data-testid="attendee-copy" onClick={() => copyToOthers(key)}>
                      {t('boxOffice.attendee.copy')}
                    </button>
                  )}
                </fieldset>
              );
            })}
          </section>
        )}
        <KeyLegend />
        <DeviceStrip />
      </section>

      <form className="box-office__cart card" aria-label={t('boxOffice.cart')} data-testid="cart" onSubmit={(e) => void sell(e)} noValidate>
        {/* The cart's body scrolls; the Sell / Clear bar below it never covers a field. */}
        <div className="cart-body" data-testid="cart-body">
          <h2 className="section-title">{t('boxOffice.cart')}</h2>
          {lines.length === 0 ? (
            <p className="message" data-testid="cart-empty">
              {t('boxOffice.emptyCart')}
            </p>
          ) : (
            <ul className="cart-lines">
              {lines.map(({ tt, quantity }) => {
                const pricedLine = voucherPricing?.lines.find((l) => l.ticketTypeId === tt.id);
                const plain = priced?.ok ? (priced.lines.find((l) => l.ticketTypeId === tt.id)?.totalMinor ?? 0) : 0;
                return (
                  <li key={tt.id} className="cart-line" data-testid="cart-line" data-ticket-type-id={tt.id} data-quantity={quantity}>
                    <span className="cart-line__name">{pickLocalized(tt.name, lang)}</span>
                    <span className="cart-line__detail">{t('boxOffice.lineTotal', { quantity, price: money(tt.priceMinor) })}</span>
                    <span className="cart-line__amount">{money(pricedLine ? pricedLine.totalMinor : plain)}</span>
                  </li>
                );
              })}
            </ul>
          )}
          <label className="field">
            <span className="field__label">
              {t('boxOffice.voucher.label')} <kbd className="key">F9</kbd>
            </span>
            <div className="tendered">
              <input
                ref={voucherInput}
                className="input"
                data-testid="voucher-input"
                autoComplete="off"
                spellCheck={false}
                maxLength={64}
                value={voucherText}
                placeholder={t('boxOffice.voucher.placeholder')}
                onChange={(e) => {
                  setVoucherText(e.target.value);
                  setVoucherError(null);
                }}
                onKeyDown={(e) => stopEnter(e, () => void applyVoucher())}
              />
              <button type="button" className="button" data-testid="voucher-apply" onClick={() => void applyVoucher()}>
                {t('boxOffice.voucher.apply')}
              </button>
            </div>
          </label>
          <ErrorMessage error={voucherError} testId="voucher-error" />
          {voucher?.problem && (
            <p className="message message--error" role="alert" data-testid="voucher-problem" data-code={voucher.problem}>
              {t(`errors.${voucher.problem}`)}
            </p>
          )}
          {voucher && !voucher.problem && (
            <p className="message message--ok" data-testid="voucher-ok" data-code={voucher.code}>
              {t('boxOffice.voucher.applied', { code: voucher.code })}
            </p>
          )}
          {discount > 0 && (
            <div className="cart-change">
              <span>{t('boxOffice.voucher.discount')}</span>
              <strong data-testid="cart-discount" data-amount-minor={discount}>
                −{money(discount)}
              </strong>
            </div>
          )}
          <div className="cart-total">
            <span>{t('boxOffice.total')}</span>
            <strong data-testid="cart-total" data-amount-minor={total}>
              {money(total)}
            </strong>
          </div>

          <div className="pay-kinds" role="group" aria-label={t('boxOffice.pay.kind')}>
            {offered.map((k) => (
              <button
                key={k.method}
                type="button"
                className={`button pay-kind ${payKind === k.method ? 'button--primary' : ''}`}
                data-testid={`pay-${k.method}`}
                aria-pressed={payKind === k.method}
                onClick={() => choosePayKind(k.method)}
              >
                <kbd className="key">{k.key}</kbd> {t(`boxOffice.pay.methods.${k.method}`)}
              </button>
            ))}
          </div>
          {tenders.length > 0 && (
            <ul className="tenders" data-testid="tenders">
              {tenders.map((x, i) => (
                <li key={i} className="cart-line" data-testid="tender" data-method={x.method} data-amount-minor={x.method === 'cash' ? x.tenderedMinor : (x.amountMinor ?? 0)}>
                  <span className="cart-line__name">{t(`boxOffice.pay.methods.${x.method}`)}</span>
                  <span className="cart-line__detail">{x.method === 'card_manual' ? x.approvalCode : ''}</span>
                  <span className="cart-line__amount">{money(x.method === 'cash' ? x.tenderedMinor : (x.amountMinor ?? 0))}</span>
                  <button type="button" className="button button--ghost" data-testid="tender-remove" onClick={() => setTenders((list) => list.filter((_, j) => j !== i))}>
                    {t('boxOffice.remove')}
                  </button>
                </li>
              ))}
            </ul>
          )}
          <div className="cart-change">
            <span>{t('boxOffice.pay.due')}</span>
            <strong data-testid="cash-due" data-amount-minor={cashDue}>
              {money(cashDue)}
            </strong>
          </div>
          {payKind !== 'cash' && (
            <div className="pay-tender" data-testid="tender-form" data-method={payKind}>
              <label className="field">
                <span className="field__label">{t('boxOffice.pay.amount')}</span>
                <input
                  ref={amountInput}
                  className="input input--money"
                  data-testid="tender-amount"
                  inputMode="decimal"
                  autoComplete="off"
                  maxLength={20}
                  value={amountText}
                  onChange={(e) => setAmountText(e.target.value)}
                  onKeyDown={(e) => stopEnter(e, addTender)}
                />
              </label>
              {payKind === 'card_manual' && (
                <label className="field">
                  <span className="field__label">{t('boxOffice.pay.approvalCode')}</span>
                  <input
                    className="input"
                    data-testid="tender-approval"
                    autoComplete="off"
                    spellCheck={false}
                    maxLength={12}
                    value={approvalText}
                    onChange={(e) => setApprovalText(e.target.value)}
                    onKeyDown={(e) => stopEnter(e, addTender)}
                  />
                </label>
              )}
              <button type="button" className="button" data-testid="tender-add" onClick={addTender}>
                {t('boxOffice.pay.add')}
              </button>
              {tenderProblem && (
                <p className="message message--error" role="alert" data-testid="tender-problem">
                  {tenderProblem}
                </p>
              )}
            </div>
          )}
          <label className="field">
            <span className="field__label">
              {t('boxOffice.tendered')} <kbd className="key">F2</kbd>
            </span>
            <div className="tendered">
              <input
                ref={tenderedInput}
                className="input input--money"
                data-testid="tendered-input"
                inputMode="decimal"
                autoComplete="off"
                spellCheck={false}
                maxLength={20}
                value={tenderedText}
                onChange={(e) => {
                  setTenderedText(e.target.value);
                  setSaleError(null);
                }}
                aria-invalid={tenderedProblem !== null}
                disabled={selling}
              />
              <button
                type="button"
                className="button"
                data-testid="tendered-exact"
                disabled={lines.length === 0 || selling || !currency}
                onClick={() => {
                  setTenderedText(minorToDecimalString(cashDue, digits));
                  setShowTenderedError(false);
                  setSaleError(null);
                }}
              >
                {t('boxOffice.exact')}
              </button>
            </div>
          </label>
          {tenderedProblem && (
            <p className="message message--error" role="alert" data-testid="tendered-error">
              {tenderedProblem}
            </p>
          )}
          <div className={`cart-change ${change !== null && change < 0 ? 'cart-change--short' : ''}`}>
            <span>{t('boxOffice.changeDue')}</span>
            <strong data-testid="change-due" data-amount-minor={change ?? ''}>
              {change !== null && lines.length > 0 ? money(Math.max(0, change)) : '—'}
            </strong>
          </div>
          {change !== null && change < 0 && lines.length > 0 && !saleError && (
            <p className="message message--warning" data-testid="tendered-short">
              {t('boxOffice.insufficient')}
            </p>
          )}
          {prompt && selling && (
            <div className="qr-prompt" data-testid="qr-prompt" data-method={prompt.method}>
              <p>{t('boxOffice.pay.scanQr', { amount: formatMoney(prompt.amountMinor, prompt.currency, lang) })}</p>
              <QrCode payload={prompt.qrPayload} />
            </div>
          )}
          {saleError?.code === 'offline' && saleError.detail === OUTCOME_UNKNOWN ? (
            <p className="message message--error" role="alert" data-testid="sale-error" data-code="outcome_unknown">
              {t('boxOffice.outcomeUnknown')}
            </p>
          ) : (
            <ErrorMessage error={saleError} testId="sale-error" />
          )}
        </div>
        <div className="cart-actions">
          <button type="button" className="button" data-testid="clear-cart" onClick={clearCart} disabled={selling}>
            {t('boxOffice.clear')} <kbd className="key">Esc</kbd>
          </button>
          <button ref={sellButton} type="submit" className="button button--primary button--large" data-testid="sell-button" disabled={selling || lines.length === 0}>
            {selling ? t('boxOffice.selling') : t('boxOffice.sell')} <kbd className="key">Enter</kbd>
          </button>
        </div>
      </form>
    </main>
  );
}
