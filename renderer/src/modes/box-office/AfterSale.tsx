// Owns what the cashier sees after a sale: the change, the order's code and tickets, whether they
// printed, sending the tickets as e-tickets (email or SMS in the attendee's language) with where each
// delivery stands, and a reprint of a ticket or the receipt with its reason.
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../components/ErrorMessage';
import { SafeText } from '../../components/SafeText';
import {
  DeliveryChannel,
  DeliveryLanguage,
  REPRINT_REASONS,
  type CallError,
  type CallOutput,
  type Delivery,
  type PrintJobEvent,
  type ReprintReason,
  type SoldTicket,
} from '../../contract';
import { useCall } from '../../core';
import { languageNames } from '../../i18n';
import { pickLocalized } from '../../i18n/format';
import { formatMoney } from '../../i18n/money';
import { printStatus } from './print-status';

type Sale = CallOutput<'boxOffice.sell'>;

/** A random UUID (v4): one send, re-sent with its retry. */
function newId(): string {
  return crypto.randomUUID();
}

export function AfterSale(props: { sale: Sale; printJobs: ReadonlyMap<string, PrintJobEvent>; onNewSale: () => void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { order } = props.sale;
  const money = (amountMinor: number) => formatMoney(amountMinor, order.currency, lang);
  const print = printStatus(props.sale.print, props.printJobs);
  const printed = print.state === 'printed';
  return (
    <main className="screen screen--centered" data-testid="order-result" data-order-id={order.id}>
      <div className="card sale-result">
        <h1 className="card__title">{t('boxOffice.saleComplete')}</h1>
        <div className="sale-result__change">
          <span>{t('boxOffice.changeDue')}</span>
          <strong data-testid="order-change" data-amount-minor={order.changeMinor}>
            {money(order.changeMinor)}
          </strong>
        </div>
        <dl className="facts">
          <dt>{t('boxOffice.orderCode')}</dt>
          <dd data-testid="order-code" className="code">
            <SafeText text={order.code} policy="code" />
          </dd>
          <dt>{t('boxOffice.total')}</dt>
          <dd data-testid="order-total" data-amount-minor={order.totalMinor}>
            {money(order.totalMinor)}
          </dd>
          <dt>{t('boxOffice.tendered')}</dt>
          <dd data-testid="order-tendered" data-amount-minor={order.tenderedMinor}>
            {money(order.tenderedMinor)}
          </dd>
        </dl>
        <h2 className="section-title">{t('boxOffice.tickets')}</h2>
        <ul className="sold-tickets">
          {order.tickets.map((ticket) => (
            <li key={ticket.id} className="sold-ticket" data-testid="sold-ticket" data-ticket-id={ticket.id}>
              <span className="sold-ticket__type">{pickLocalized(ticket.ticketTypeName, lang)}</span>
              <span className="sold-ticket__code code" data-testid="ticket-code">
                <SafeText text={ticket.code} policy="code" />
              </span>
            </li>
          ))}
        </ul>
        <p
          className={`message ${printed ? 'message--ok' : print.state === 'queued' ? 'message--warning' : 'message--error'}`}
          role={printed ? 'status' : 'alert'}
          data-testid="print-status"
          data-printed={String(printed)}
          data-print-state={print.state}
        >
          {printed ? t('boxOffice.printed') : print.state === 'queued' ? t('boxOffice.printQueued') : t('boxOffice.printFailed')}
        </p>
        {print.reason && (
          <p className="message message--error" data-testid="print-error" data-reason={print.reason}>
            {t('boxOffice.printProblem', { problem: t(`printReasons.${print.reason}`) })}
          </p>
        )}
        {(order.discountMinor ?? 0) > 0 && (
          <p className="message" data-testid="order-discount" data-amount-minor={order.discountMinor}>
            {t('boxOffice.voucher.discount')}: −{money(order.discountMinor ?? 0)}
          </p>
        )}
        <button
          type="button"
          className="button button--primary button--large"
          data-testid="new-sale"
          onClick={props.onNewSale}
          autoFocus
        >
          {t('boxOffice.newSale')} <kbd className="key">N</kbd>
        </button>
        <SendTickets orderId={order.id} />
        <Reprint orderId={order.id} tickets={order.tickets} printJobs={props.printJobs} />
      </div>
    </main>
  );
}

function SendTickets(props: { orderId: string }) {
  const { t, i18n } = useTranslation();
  const call = useCall();
  const [channel, setChannel] = useState<DeliveryChannel>('email');
  const [address, setAddress] = useState('');
  const [language, setLanguage] = useState<DeliveryLanguage>(() => {
    const parsed = DeliveryLanguage.safeParse(i18n.language);
    return parsed.success ? parsed.data : 'en';
  });
  const [requestId, setRequestId] = useState(newId);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<CallError | null>(null);
  const [deliveries, setDeliveries] = useState<readonly Delivery[]>([]);

  const refresh = useCallback(async () => {
    const r = await call('boxOffice.deliveries', { orderId: props.orderId });
    if (r.ok) setDeliveries(r.value.deliveries);
  }, [call, props.orderId]);

  // Deliveries go out in the background: read their state again while any is still on its way.
  const pending = deliveries.some((d) => d.state === 'queued' || d.state === 'sending');
  useEffect(() => {
    if (!pending) return;
    const timer = setInterval(() => void refresh(), 2000);
    return () => clearInterval(timer);
  }, [pending, refresh]);

  async function send() {
    if (sending || !address.trim()) return;
    setSending(true);
    setError(null);
    const r = await call('boxOffice.sendTickets', { orderId: props.orderId, channel, address: address.trim(), language, requestId });
    setSending(false);
    if (!r.ok) {
      setError(r.error);
      return;
    }
    setRequestId(newId());
    setAddress('');
    await refresh();
  }

  return (
    <section className="after-sale__section" aria-label={t('boxOffice.eTickets.title')} data-testid="send-tickets">
      <h2 className="section-title">{t('boxOffice.eTickets.title')}</h2>
      <div className="picker-row">
        <select className="input" data-testid="send-channel" value={channel} onChange={(e) => setChannel(DeliveryChannel.parse(e.target.value))}>
          {DeliveryChannel.options.map((c) => (
            <option key={c} value={c}>
              {t(`boxOffice.eTickets.channels.${c}`)}
            </option>
          ))}
        </select>
        <input
          className="input"
          data-testid="send-address"
          value={address}
          inputMode={channel === 'email' ? 'email' : 'tel'}
          placeholder={t(`boxOffice.eTickets.placeholder.${channel}`)}
          onChange={(e) => setAddress(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              e.stopPropagation();
              void send();
            }
          }}
        />
        <select className="input" data-testid="send-language" value={language} onChange={(e) => setLanguage(DeliveryLanguage.parse(e.target.value))}>
          {DeliveryLanguage.options.map((l) => (
            <option key={l} value={l}>
              {languageNames[l]}
            </option>
          ))}
        </select>
        <button type="button" className="button" data-testid="send-button" disabled={sending || !address.trim()} onClick={() => void send()}>
          {sending ? t('boxOffice.eTickets.sending') : t('boxOffice.eTickets.send')}
        </button>
      </div>
      <ErrorMessage error={error} testId="send-error" />
      {deliveries.length > 0 && (
        <ul className="deliveries" data-testid="deliveries">
          {deliveries.map((d) => (
            <li key={d.id} data-testid="delivery" data-state={d.state} data-channel={d.channel}>
              <span>{t(`boxOffice.eTickets.channels.${d.channel}`)}</span> <SafeText text={d.address} policy="code" />{' '}
              <strong data-testid="delivery-state">{t(`boxOffice.eTickets.states.${d.state}`)}</strong>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Reprint(props: { orderId: string; tickets: readonly SoldTicket[]; printJobs: ReadonlyMap<string, PrintJobEvent> }) {
  const { t, i18n } = useTranslation();
  const call = useCall();
  const [what, setWhat] = useState<'receipt' | 'ticket'>('receipt');
  const [ticketId, setTicketId] = useState<string>('');
  const [reason, setReason] = useState<ReprintReason>('printer_fault');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CallError | null>(null);
  const [done, setDone] = useState<CallOutput<'boxOffice.reprint'> | null>(null);

  async function reprint() {
    setBusy(true);
    setError(null);
    const r = await call('boxOffice.reprint', {
      orderId: props.orderId,
      what,
      reason,
      ...(what === 'ticket' && ticketId ? { ticketId } : {}),
      ...(note.trim() ? { note: note.trim() } : {}),
    });
    setBusy(false);
    if (r.ok) setDone(r.value);
    else setError(r.error);
  }
  const print = done ? printStatus(done.print, props.printJobs) : null;

  return (
    <section className="after-sale__section" aria-label={t('boxOffice.reprint.title')} data-testid="reprint">
      <h2 className="section-title">{t('boxOffice.reprint.title')}</h2>
      <div className="picker-row">
        <select className="input" data-testid="reprint-what" value={what} onChange={(e) => setWhat(e.target.value === 'ticket' ? 'ticket' : 'receipt')}>
          <option value="receipt">{t('boxOffice.reprint.receipt')}</option>
          <option value="ticket">{t('boxOffice.reprint.ticket')}</option>
        </select>
        {what === 'ticket' && (
          <select className="input" data-testid="reprint-ticket" value={ticketId} onChange={(e) => setTicketId(e.target.value)}>
            <option value="">{t('boxOffice.reprint.allTickets')}</option>
            {props.tickets.map((ticket, i) => (
              <option key={ticket.id} value={ticket.id}>
                {i + 1}. {pickLocalized(ticket.ticketTypeName, i18n.language)}
              </option>
            ))}
          </select>
        )}
        <select className="input" data-testid="reprint-reason" value={reason} onChange={(e) => setReason(REPRINT_REASONS.find((r) => r === e.target.value) ?? 'other')}>
          {REPRINT_REASONS.map((r) => (
            <option key={r} value={r}>
              {t(`boxOffice.reprint.reasons.${r}`)}
            </option>
          ))}
        </select>
        {reason === 'other' && (
          <input className="input" data-testid="reprint-note" value={note} maxLength={200} placeholder={t('boxOffice.reprint.note')} onChange={(e) => setNote(e.target.value)} />
        )}
        <button type="button" className="button" data-testid="reprint-button" disabled={busy} onClick={() => void reprint()}>
          {t('boxOffice.reprint.print')}
        </button>
      </div>
      <ErrorMessage error={error} testId="reprint-error" />
      {done && print && (
        <p className="message" data-testid="reprint-status" data-print-state={print.state} data-copy={done.copies[0]?.copy ?? ''}>
          {t('boxOffice.reprint.done', { copy: done.copies[0]?.copy ?? 1 })} —{' '}
          {print.state === 'printed' ? t('boxOffice.printed') : print.state === 'queued' ? t('boxOffice.printQueued') : t('boxOffice.printFailed')}
          {print.reason ? ` ${t('boxOffice.printProblem', { problem: t(`printReasons.${print.reason}`) })}` : ''}
        </p>
      )}
    </section>
  );
}
