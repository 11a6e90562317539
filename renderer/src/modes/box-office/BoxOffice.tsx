// Owns the box-office mode: the catalog of ticket types, the cart, cash tendering and the sale result
// with its printing kept current by print.job events. The core is the authority on stock and payment;
// this screen only prevents obvious mistakes early (more than is left, less cash than the total) and
// then shows what the core decided. Each cart carries an id made once (the order id at the server), so
// pressing Sell again after an unknown outcome completes that sale instead of making a second one.
// Sales left in flight that need the cashier are listed above the catalog (AttentionPanel).
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { OUTCOME_UNKNOWN } from '../../bridge';
import { DeviceStrip } from '../../components/DeviceStrip';
import { ErrorMessage } from '../../components/ErrorMessage';
import { SafeText } from '../../components/SafeText';
import {
  changeFor,
  PaymentMethod,
  priceCart,
  type CallError,
  type CallOutput,
  type CashTender,
  type PrintJobEvent,
  type TicketType,
} from '../../contract';
import { useCall, useConnection, useEvent } from '../../core';
import { pickLocalized } from '../../i18n/format';
import { currencyDigits, formatMoney, minorToDecimalString, parseMoneyInput } from '../../i18n/money';
import { AttentionPanel } from './AttentionPanel';
import { printStatus, rememberJob } from './print-status';

type Catalog = CallOutput<'boxOffice.catalog'>;
type Sale = CallOutput<'boxOffice.sell'>;

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

export function BoxOffice() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const call = useCall();
  const { generation } = useConnection();

  const [catalog, setCatalog] = useState<Catalog | null>(null);
  const [catalogError, setCatalogError] = useState<CallError | null>(null);
  const [reload, setReload] = useState(0);
  const [quantities, setQuantities] = useState<Readonly<Record<string, number>>>({});
  const [cartId, setCartId] = useState(newCartId);
  const [tenderedText, setTenderedText] = useState('');
  const [showTenderedError, setShowTenderedError] = useState(false);
  const [selling, setSelling] = useState(false);
  const [saleError, setSaleError] = useState<CallError | null>(null);
  const [sale, setSale] = useState<Sale | null>(null);
  // Bumped after every sale attempt: one whose outcome is unknown joins the sales that need attention.
  const [attentionReload, setAttentionReload] = useState(0);
  // Heard from the start: a job can settle before the sale's answer arrives.
  const [printJobs, setPrintJobs] = useState<ReadonlyMap<string, PrintJobEvent>>(() => new Map());
  useEvent('print.job', (job) => setPrintJobs((jobs) => rememberJob(jobs, job)));

  useEffect(() => {
    let live = true;
    void call('boxOffice.catalog', {}).then((result) => {
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
  }, [call, generation, reload]);

  const ticketTypes = useMemo(() => catalog?.ticketTypes ?? [], [catalog]);
  const currency = catalog?.event?.currency ?? ticketTypes[0]?.currency ?? null;
  const lines = ticketTypes.map((tt) => ({ tt, quantity: quantities[tt.id] ?? 0 })).filter((line) => line.quantity > 0);
  // The same pricing as the core's and the server's; the stepper keeps the cart in the event's currency.
  const priced = currency
    ? priceCart(
        lines.map((line) => ({ ticketTypeId: line.tt.id, quantity: line.quantity })),
        ticketTypes,
        currency,
      )
    : null;
  const total = priced?.ok ? priced.totalMinor : 0;
  const lineTotal = (id: string) => (priced?.ok ? (priced.lines.find((line) => line.ticketTypeId === id)?.totalMinor ?? 0) : 0);
  const tendered = currency ? parseMoneyInput(tenderedText, currency) : null;
  const tender: CashTender | null = tendered?.ok
    ? { method: PaymentMethod.enum.cash, tenderedMinor: tendered.amountMinor }
    : null;
  const paid = tender && priced?.ok ? changeFor(tender, total) : null;
  /** Negative when the cash does not cover the total. */
  const change = paid === null ? null : paid.ok ? paid.changeMinor : paid.reason === 'insufficient' ? -paid.shortMinor : null;
  const money = (amountMinor: number, cur = currency ?? 'EUR') => formatMoney(amountMinor, cur, lang);

  const limitFor = (tt: TicketType) => Math.min(MAX_PER_LINE, tt.available ?? MAX_PER_LINE);
  const sellable = (tt: TicketType) => tt.currency === currency && limitFor(tt) > 0;

  function adjust(tt: TicketType, delta: 1 | -1) {
    setSaleError(null);
    setQuantities((current) => {
      const now = current[tt.id] ?? 0;
      const next = Math.max(0, Math.min(limitFor(tt), now + delta));
      if (next === now) return current;
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
  }

  async function sell(e?: FormEvent) {
    e?.preventDefault();
    if (selling || lines.length === 0 || !tendered) return;
    if (!tendered.ok || !tender) {
      setShowTenderedError(true);
      return;
    }
    if (!priced?.ok) {
      setSaleError({ code: priced?.reason === 'unknown_ticket_type' ? 'unknown_ticket_type' : 'invalid_input' });
      return;
    }
    if (!paid?.ok) {
      setSaleError({ code: paid?.reason === 'insufficient' ? 'payment_insufficient' : 'invalid_input' });
      return;
    }
    setSelling(true);
    setSaleError(null);
    const result = await call('boxOffice.sell', {
      lines: priced.lines.map((line) => ({ ticketTypeId: line.ticketTypeId, quantity: line.quantity })),
      payments: [tender],
      cartId,
    });
    setSelling(false);
    setAttentionReload((n) => n + 1);
    if (result.ok) {
      setSale(result.value);
      clearCart();
      setReload((n) => n + 1);
      return;
    }
    setSaleError(result.error);
    // That cart id is sold: what is in the cart now is another sale.
    if (result.error.code === 'earlier_sale_completed') setCartId(newCartId());
    if (result.error.code === 'sold_out' || result.error.code === 'unknown_ticket_type' || result.error.code === 'not_on_sale') setReload((n) => n + 1);
  }

  function newSale() {
    setSale(null);
    setReload((n) => n + 1);
  }

  if (sale) return <SaleResult sale={sale} printJobs={printJobs} onNewSale={newSale} />;

  const tenderedProblem = (() => {
    if (!tendered || tendered.ok) return null;
    if (tendered.reason === 'empty') return showTenderedError ? t('boxOffice.enterTendered') : null;
    if (tendered.reason === 'too_many_decimals') return t('boxOffice.tooManyDecimals');
    if (tendered.reason === 'too_large') return t('boxOffice.tooLarge');
    return t('boxOffice.invalidAmount');
  })();

  return (
    <main className="screen box-office" data-testid="box-office">
      <AttentionPanel reload={attentionReload} printJobs={printJobs} />
      <section className="box-office__catalog" aria-label={t('boxOffice.ticketTypes')}>
        <div className="section-head">
          <h2 className="section-title">
            {catalog?.event ? pickLocalized(catalog.event.name, lang) : t('boxOffice.ticketTypes')}
          </h2>
          <button
            type="button"
            className="button button--ghost"
            data-testid="catalog-refresh"
            onClick={() => setReload((n) => n + 1)}
          >
            {t('boxOffice.refresh')}
          </button>
        </div>
        <ErrorMessage error={catalogError} testId="catalog-error" />
        {!catalog && !catalogError && (
          <p className="message" data-testid="catalog-loading">
            {t('boxOffice.loading')}
          </p>
        )}
        {catalog && !catalog.event && ticketTypes.length === 0 && (
          <p className="message" data-testid="catalog-no-event">
            {t('boxOffice.noEvent')}
          </p>
        )}
        {catalog && catalog.event && ticketTypes.length === 0 && (
          <p className="message" data-testid="catalog-empty">
            {t('boxOffice.noTicketTypes')}
          </p>
        )}
        <ul className="ticket-types">
          {ticketTypes.map((tt) => {
            const quantity = quantities[tt.id] ?? 0;
            const soldOut = tt.available === 0;
            return (
              <li
                key={tt.id}
                className={`ticket-type ${quantity > 0 ? 'ticket-type--selected' : ''} ${soldOut ? 'ticket-type--sold-out' : ''}`}
                data-testid="ticket-type"
                data-ticket-type-id={tt.id}
                data-available={tt.available ?? 'unlimited'}
              >
                <div className="ticket-type__info">
                  <span className="ticket-type__name" data-testid="ticket-type-name">
                    {pickLocalized(tt.name, lang)}
                  </span>
                  <span className="ticket-type__price" data-testid="ticket-type-price">
                    {money(tt.priceMinor, tt.currency)}
                  </span>
                  <span className="ticket-type__availability" data-testid="ticket-type-availability">
                    {soldOut
                      ? t('boxOffice.soldOut')
                      : tt.available === null
                        ? t('boxOffice.unlimited')
                        : t('boxOffice.left', { count: tt.available })}
                  </span>
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
        </ul>
        <DeviceStrip />
      </section>

      <form
        className="box-office__cart card"
        aria-label={t('boxOffice.cart')}
        data-testid="cart"
        onSubmit={(e) => void sell(e)}
        noValidate
      >
        <h2 className="section-title">{t('boxOffice.cart')}</h2>
        {lines.length === 0 ? (
          <p className="message" data-testid="cart-empty">
            {t('boxOffice.emptyCart')}
          </p>
        ) : (
          <ul className="cart-lines">
            {lines.map(({ tt, quantity }) => (
              <li key={tt.id} className="cart-line" data-testid="cart-line" data-ticket-type-id={tt.id} data-quantity={quantity}>
                <span className="cart-line__name">{pickLocalized(tt.name, lang)}</span>
                <span className="cart-line__detail">{t('boxOffice.lineTotal', { quantity, price: money(tt.priceMinor) })}</span>
                <span className="cart-line__amount">{money(lineTotal(tt.id))}</span>
              </li>
            ))}
          </ul>
        )}
        <div className="cart-total">
          <span>{t('boxOffice.total')}</span>
          <strong data-testid="cart-total" data-amount-minor={total}>
            {money(total)}
          </strong>
        </div>
        <label className="field">
          <span className="field__label">{t('boxOffice.tendered')}</span>
          <div className="tendered">
            <input
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
                if (!currency) return;
                setTenderedText(minorToDecimalString(total, currencyDigits(currency)));
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
        {saleError?.code === 'offline' && saleError.detail === OUTCOME_UNKNOWN ? (
          <p className="message message--error" role="alert" data-testid="sale-error" data-code="outcome_unknown">
            {t('boxOffice.outcomeUnknown')}
          </p>
        ) : (
          <ErrorMessage error={saleError} testId="sale-error" />
        )}
        <div className="cart-actions">
          <button
            type="button"
            className="button"
            data-testid="clear-cart"
            onClick={clearCart}
            disabled={selling || (lines.length === 0 && tenderedText === '')}
          >
            {t('boxOffice.clear')}
          </button>
          <button
            type="submit"
            className="button button--primary button--large"
            data-testid="sell-button"
            disabled={selling || lines.length === 0}
          >
            {selling ? t('boxOffice.selling') : t('boxOffice.sell')}
          </button>
        </div>
      </form>
    </main>
  );
}

function SaleResult(props: { sale: Sale; printJobs: ReadonlyMap<string, PrintJobEvent>; onNewSale: () => void }) {
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
        <button
          type="button"
          className="button button--primary button--large"
          data-testid="new-sale"
          onClick={props.onNewSale}
          autoFocus
        >
          {t('boxOffice.newSale')}
        </button>
      </div>
    </main>
  );
}
