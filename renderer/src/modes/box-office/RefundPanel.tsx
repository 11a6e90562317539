// Owns refunds and exchanges at the box office as a panel over the sale screen: find an order by its
// code or by scanning one of its tickets, choose tickets, see what each ticket's policy allows now (fee,
// whether a manager must approve, why not), and refund them or exchange them for another type; when the
// policy asks for a manager, the manager picks their name and keys their PIN. An exchange into a dearer
// type is paid by the tenders the sale screen offers (card with its approval code, the card terminal, QR
// with its code shown to the customer, cash with change), one or several. The server decides; this panel
// shows its answer and the money to hand back.
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../components/ErrorMessage';
import { type CallError, type CallOutput, type OperatorChoice, type PaymentPromptEvent, type PayoutPart, type Tender, type TenderMethod, type TicketType } from '../../contract';
import { useCall, useEvent } from '../../core';
import { pickLocalized } from '../../i18n/format';
import { formatMoney, parseMoneyInput } from '../../i18n/money';
import { QrCode } from './QrCode';

type View = CallOutput<'boxOffice.findOrder'>;

/** The kinds an exchange's extra may be paid by: those of the sale screen. */
const EXCHANGE_PAY_KINDS = ['cash', 'card_manual', 'card_terminal', 'qr_alipay', 'qr_wechat', 'qr_sbp'] as const satisfies readonly TenderMethod[];
type ExchangePayKind = (typeof EXCHANGE_PAY_KINDS)[number];
type Done = { kind: 'refund' | 'exchange'; amountMinor: number; feeMinor: number; chargedMinor: number; currency: string; payout: string; parts: PayoutPart[] };

export function RefundPanel(props: { onClose: () => void; ticketTypes: readonly TicketType[]; payments?: readonly TenderMethod[] }) {
  // The card terminal only while the core says one is registered, as on the sale screen.
  const payKinds = EXCHANGE_PAY_KINDS.filter((m) => m !== 'card_terminal' || (props.payments ?? []).includes('card_terminal'));
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const call = useCall();
  const [code, setCode] = useState('');
  const [view, setView] = useState<View | null>(null);
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [kind, setKind] = useState<'refund' | 'exchange'>('refund');
  const [newTypeId, setNewTypeId] = useState('');
  const [reason, setReason] = useState('');
  const [cashText, setCashText] = useState('');
  // An exchange's extra: the non-cash parts added so far, and the one being keyed.
  const [payKind, setPayKind] = useState<ExchangePayKind>('cash');
  const [tenders, setTenders] = useState<Tender[]>([]);
  const [amountText, setAmountText] = useState('');
  const [approvalText, setApprovalText] = useState('');
  const [tenderProblem, setTenderProblem] = useState<string | null>(null);
  const [prompt, setPrompt] = useState<PaymentPromptEvent | null>(null);
  const [managers, setManagers] = useState<readonly OperatorChoice[]>([]);
  const [managerId, setManagerId] = useState('');
  const [pin, setPin] = useState('');
  const [needPin, setNeedPin] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CallError | null>(null);
  const [done, setDone] = useState<Done | null>(null);
  const [requestId, setRequestId] = useState(() => crypto.randomUUID());

  useEvent('boxOffice.paymentPrompt', (p) => setPrompt(p));

  useEffect(() => {
    let live = true;
    void call('session.operators', {}).then((r) => {
      if (live && r.ok) setManagers(r.value.filter((o) => o.role === 'manager'));
    });
    return () => {
      live = false;
    };
  }, [call]);

  async function find(e?: FormEvent) {
    e?.preventDefault();
    if (!code.trim()) return;
    setBusy(true);
    setError(null);
    setDone(null);
    const r = await call('boxOffice.findOrder', { code: code.trim() });
    setBusy(false);
    if (!r.ok) {
      setView(null);
      setError(r.error);
      return;
    }
    setView(r.value);
    // A scanned ticket's code chooses that ticket; an order code, every ticket still valid.
    const scanned = r.value.tickets.filter((x) => x.status === 'valid');
    setChosen(new Set(scanned.map((x) => x.id)));
    setNeedPin(false);
    setRequestId(crypto.randomUUID());
  }

  const picked = view?.tickets.filter((x) => chosen.has(x.id)) ?? [];
  const allowanceOf = (x: View['tickets'][number]) => (kind === 'refund' ? x.refund : x.exchange);
  const managerNeeded = needPin || picked.some((x) => allowanceOf(x).needsManager);
  const fee = picked.reduce((sum, x) => sum + allowanceOf(x).feeMinor, 0);
  const worth = picked.reduce((sum, x) => sum + x.priceMinor, 0);
  // An exchange's difference as the server will work it out: the new type's price for each ticket less
  // what the tickets are worth after the fee, at most what the order has left.
  const newType = props.ticketTypes.find((tt) => tt.id === newTypeId);
  const exchangeDue =
    kind === 'exchange' && newType && view && picked.length > 0
      ? newType.priceMinor * picked.length - Math.min(picked.reduce((sum, x) => sum + x.priceMinor - x.exchange.feeMinor, 0), view.order.balanceMinor)
      : 0;
  const nonCashMinor = tenders.reduce((sum, x) => sum + (x.method === 'cash' ? 0 : (x.amountMinor ?? 0)), 0);
  const leftDue = Math.max(0, exchangeDue - nonCashMinor);

  /** The non-cash tender being keyed, or the reason it cannot be taken; null when nothing is keyed. */
  function keyedTender(whole: boolean): Tender | string | null {
    if (payKind === 'cash' || !view) return null;
    const text = amountText.trim();
    if (!text && !whole) return null;
    let amountMinor: number | undefined;
    if (text) {
      const amount = parseMoneyInput(text, view.order.currency);
      if (!amount.ok || amount.amountMinor <= 0) return t('boxOffice.invalidAmount');
      if (amount.amountMinor > leftDue) return t('boxOffice.pay.overDue');
      amountMinor = amount.amountMinor;
    } else if (cashText.trim()) {
      // Beside cash, a part says how much it takes.
      return t('boxOffice.invalidAmount');
    } else if (tenders.length > 0) {
      // The last part of a split: what the others left.
      if (leftDue <= 0) return t('boxOffice.pay.overDue');
      amountMinor = leftDue;
    }
    if (payKind === 'card_manual') {
      const code = approvalText.trim();
      if (!/^[A-Za-z0-9]{4,12}$/.test(code)) return t('boxOffice.pay.badApproval');
      return { method: 'card_manual', approvalCode: code, ...(amountMinor !== undefined ? { amountMinor } : {}) };
    }
    return { method: payKind, ...(amountMinor !== undefined ? { amountMinor } : {}) };
  }

  function addTender() {
    const tender = keyedTender(false);
    if (typeof tender === 'string' || tender === null) {
      setTenderProblem(tender ?? t('boxOffice.invalidAmount'));
      return;
    }
    setTenders((list) => [...list, tender]);
    setTenderProblem(null);
    setAmountText('');
    setApprovalText('');
    setPayKind('cash');
  }

  async function confirm(e?: FormEvent) {
    e?.preventDefault();
    if (!view || picked.length === 0 || busy) return;
    if (managerNeeded && (!managerId || !pin)) {
      setNeedPin(true);
      return;
    }
    setBusy(true);
    setError(null);
    const approval = managerNeeded ? { approval: { managerId, pin } } : {};
    const ticketIds = picked.map((x) => x.id);
    const why = reason.trim() || t(`boxOffice.refund.${kind}`);
    // A dearer type: the difference is paid by the parts added, the one being keyed, and cash.
    const cash = cashText.trim() ? parseMoneyInput(cashText, view.order.currency) : null;
    if (cash && !cash.ok) {
      setBusy(false);
      setError({ code: 'invalid_input' });
      return;
    }
    const keyed = kind === 'exchange' ? keyedTender(true) : null;
    if (typeof keyed === 'string') {
      setBusy(false);
      setTenderProblem(keyed);
      return;
    }
    const parts: Tender[] = [...tenders, ...(keyed ? [keyed] : []), ...(cash?.ok ? [{ method: 'cash' as const, tenderedMinor: cash.amountMinor }] : [])];
    const payment = kind !== 'exchange' || parts.length === 0 ? {} : parts.length === 1 ? { payment: parts[0]! } : { payments: parts };
    setTenderProblem(null);
    setPrompt(null);
    const r =
      kind === 'refund'
        ? await call('boxOffice.refund', { orderId: view.order.id, ticketIds, reason: why, refundId: requestId, ...approval })
        : await call('boxOffice.exchange', { orderId: view.order.id, ticketIds, newTicketTypeId: newTypeId, reason: why, exchangeId: requestId, ...approval, ...payment });
    setBusy(false);
    setPin('');
    setPrompt(null);
    if (!r.ok) {
      if (r.error.code === 'approval_required') setNeedPin(true);
      setError(r.error);
      return;
    }
    const row = r.value.refund;
    setDone({ kind, amountMinor: row.amountMinor, feeMinor: row.feeMinor, chargedMinor: row.chargedMinor, currency: row.currency, payout: r.value.payout.state, parts: r.value.payout.parts });
    setView(r.value.view);
    setChosen(new Set());
    setNeedPin(false);
    setRequestId(crypto.randomUUID());
    setCashText('');
    setTenders([]);
    setAmountText('');
    setApprovalText('');
    setPayKind('cash');
  }

  const money = (minor: number, cur = view?.order.currency ?? 'EUR') => formatMoney(minor, cur, lang);

  return (
    <section className="shift-panel card" data-testid="refund-panel" aria-label={t('boxOffice.refund.title')}>
      <div className="section-head">
        <h2 className="section-title">{t('boxOffice.refund.title')}</h2>
        <button type="button" className="button button--ghost" data-testid="refund-close-panel" onClick={props.onClose}>
          {t('boxOffice.shift.back')} <kbd className="key">Esc</kbd>
        </button>
      </div>
      <form className="picker-row" onSubmit={(e) => void find(e)}>
        <input
          className="input"
          data-testid="refund-code"
          autoFocus
          autoComplete="off"
          spellCheck={false}
          maxLength={512}
          placeholder={t('boxOffice.refund.codePlaceholder')}
          value={code}
          onChange={(e) => setCode(e.target.value)}
        />
        <button type="submit" className="button" data-testid="refund-find" disabled={busy}>
          {t('boxOffice.refund.find')}
        </button>
      </form>
      {view && (
        <form onSubmit={(e) => void confirm(e)} data-testid="refund-order" data-order-id={view.order.id}>
          <p className="message">
            {t('boxOffice.refund.order', { code: view.order.code, total: money(view.order.totalMinor), balance: money(view.order.balanceMinor) })}
          </p>
          <div className="picker-row" role="radiogroup">
            <label>
              <input type="radio" name="refund-kind" data-testid="refund-kind-refund" checked={kind === 'refund'} onChange={() => setKind('refund')} /> {t('boxOffice.refund.refund')}
            </label>
            <label>
              <input type="radio" name="refund-kind" data-testid="refund-kind-exchange" checked={kind === 'exchange'} onChange={() => setKind('exchange')} /> {t('boxOffice.refund.exchange')}
            </label>
          </div>
          <ul className="deliveries">
            {view.tickets.map((x) => {
              const a = allowanceOf(x);
              return (
                <li key={x.id} data-testid="refund-ticket" data-ticket-id={x.id} data-allowed={String(a.allowed)} data-needs-manager={String(a.needsManager)} data-fee-minor={a.feeMinor}>
                  <label className="picker-row">
                    <input
                      type="checkbox"
                      data-testid="refund-ticket-check"
                      checked={chosen.has(x.id)}
                      disabled={!a.allowed}
                      onChange={(e) => {
                        const next = new Set(chosen);
                        if (e.target.checked) next.add(x.id);
                        else next.delete(x.id);
                        setChosen(next);
                      }}
                    />
                    <span>{pickLocalized(x.ticketTypeName, lang)}</span>
                    <span>{money(x.priceMinor)}</span>
                    <span data-testid="refund-allowance">
                      {a.allowed
                        ? `${t('boxOffice.refund.fee', { fee: money(a.feeMinor) })}${a.needsManager ? ` · ${t('boxOffice.refund.needsManager')}` : ''}`
                        : a.refusal === 'ticket_not_valid'
                          ? t('boxOffice.refund.ticketNotValid')
                          : a.refusal === 'ticket_used'
                            ? t('boxOffice.refund.ticketUsed')
                            : a.refusal
                              ? t(`errors.${a.refusal}`)
                              : t('boxOffice.refund.notAllowed')}
                    </span>
                  </label>
                </li>
              );
            })}
          </ul>
          {kind === 'exchange' && (
            <select className="input" data-testid="exchange-type" value={newTypeId} onChange={(e) => setNewTypeId(e.target.value)}>
              <option value="">{t('boxOffice.refund.chooseType')}</option>
              {props.ticketTypes.map((tt) => (
                <option key={tt.id} value={tt.id}>
                  {pickLocalized(tt.name, lang)} — {money(tt.priceMinor, tt.currency)}
                </option>
              ))}
            </select>
          )}
          {kind === 'exchange' && exchangeDue > 0 && (
            <p className="message" data-testid="exchange-due" data-amount-minor={exchangeDue}>
              {t('boxOffice.refund.exchangeDue', { amount: money(exchangeDue) })}
            </p>
          )}
          {kind === 'exchange' && (
            <div className="pay-kinds" role="group" aria-label={t('boxOffice.refund.exchangePayKind')}>
              {payKinds.map((m) => (
                <button
                  key={m}
                  type="button"
                  className={`button pay-kind ${payKind === m ? 'button--primary' : ''}`}
                  data-testid={`exchange-pay-${m}`}
                  aria-pressed={payKind === m}
                  onClick={() => {
                    setPayKind(m);
                    setTenderProblem(null);
                  }}
                >
                  {t(`boxOffice.pay.methods.${m}`)}
                </button>
              ))}
            </div>
          )}
          {kind === 'exchange' && tenders.length > 0 && (
            <ul className="tenders" data-testid="exchange-tenders">
              {tenders.map((x, i) => (
                <li key={i} className="cart-line" data-testid="exchange-tender" data-method={x.method} data-amount-minor={x.method === 'cash' ? x.tenderedMinor : (x.amountMinor ?? 0)}>
                  <span className="cart-line__name">{t(`boxOffice.pay.methods.${x.method}`)}</span>
                  <span className="cart-line__detail">{x.method === 'card_manual' ? x.approvalCode : ''}</span>
                  <span className="cart-line__amount">{money(x.method === 'cash' ? x.tenderedMinor : (x.amountMinor ?? 0))}</span>
                  <button type="button" className="button button--ghost" data-testid="exchange-tender-remove" onClick={() => setTenders((list) => list.filter((_, j) => j !== i))}>
                    {t('boxOffice.remove')}
                  </button>
                </li>
              ))}
            </ul>
          )}
          {kind === 'exchange' && payKind !== 'cash' && (
            <div className="pay-tender" data-testid="exchange-tender-form" data-method={payKind}>
              <label className="field">
                <span className="field__label">{t('boxOffice.pay.amount')}</span>
                <input
                  className="input input--money"
                  data-testid="exchange-tender-amount"
                  inputMode="decimal"
                  autoComplete="off"
                  maxLength={20}
                  placeholder={t('boxOffice.refund.exchangeAmountHint')}
                  value={amountText}
                  onChange={(e) => {
                    setAmountText(e.target.value);
                    setTenderProblem(null);
                  }}
                />
              </label>
              {payKind === 'card_manual' && (
                <label className="field">
                  <span className="field__label">{t('boxOffice.pay.approvalCode')}</span>
                  <input
                    className="input"
                    data-testid="exchange-tender-approval"
                    autoComplete="off"
                    spellCheck={false}
                    maxLength={12}
                    value={approvalText}
                    onChange={(e) => {
                      setApprovalText(e.target.value);
                      setTenderProblem(null);
                    }}
                  />
                </label>
              )}
              <button type="button" className="button" data-testid="exchange-tender-add" onClick={addTender}>
                {t('boxOffice.pay.add')}
              </button>
            </div>
          )}
          {kind === 'exchange' && tenderProblem && (
            <p className="message message--error" role="alert" data-testid="exchange-tender-problem">
              {tenderProblem}
            </p>
          )}
          {kind === 'exchange' && (
            <input
              className="input input--money"
              data-testid="exchange-cash"
              inputMode="decimal"
              maxLength={20}
              placeholder={t('boxOffice.refund.exchangeCash')}
              value={cashText}
              onChange={(e) => setCashText(e.target.value)}
            />
          )}
          <input className="input" data-testid="refund-reason" maxLength={500} placeholder={t('boxOffice.shift.reason')} value={reason} onChange={(e) => setReason(e.target.value)} />
          {kind === 'refund' && picked.length > 0 && (
            <p className="message" data-testid="refund-preview" data-amount-minor={Math.max(0, worth - fee)}>
              {t('boxOffice.refund.preview', { amount: money(Math.max(0, worth - fee)), fee: money(fee) })}
            </p>
          )}
          {managerNeeded && (
            <div className="picker-row" data-testid="manager-approval" role="dialog" aria-label={t('boxOffice.refund.managerTitle')}>
              <span>{t('boxOffice.refund.managerTitle')}</span>
              <select className="input" data-testid="manager-select" value={managerId} onChange={(e) => setManagerId(e.target.value)}>
                <option value="">{t('boxOffice.refund.chooseManager')}</option>
                {managers.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.name}
                  </option>
                ))}
              </select>
              <input
                className="input"
                type="password"
                inputMode="numeric"
                autoComplete="off"
                data-testid="manager-pin"
                maxLength={8}
                placeholder={t('boxOffice.refund.pin')}
                value={pin}
                onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))}
              />
            </div>
          )}
          {prompt && busy && (
            <div className="qr-prompt" data-testid="exchange-qr-prompt" data-method={prompt.method}>
              <p>{t('boxOffice.pay.scanQr', { amount: formatMoney(prompt.amountMinor, prompt.currency, lang) })}</p>
              <QrCode payload={prompt.qrPayload} />
            </div>
          )}
          <button type="submit" className="button button--primary" data-testid="refund-confirm" disabled={busy || picked.length === 0 || (kind === 'exchange' && !newTypeId)}>
            {kind === 'refund' ? t('boxOffice.refund.confirmRefund') : t('boxOffice.refund.confirmExchange')}
          </button>
        </form>
      )}
      <ErrorMessage error={error} testId="refund-error" />
      {done && (
        <p className="message message--ok" data-testid="refund-done" data-kind={done.kind} data-amount-minor={done.amountMinor} data-payout={done.payout}>
          {done.kind === 'refund'
            ? t('boxOffice.refund.refunded', { amount: money(done.amountMinor, done.currency), fee: money(done.feeMinor, done.currency) })
            : t('boxOffice.refund.exchanged', { back: money(done.amountMinor, done.currency), charged: money(done.chargedMinor, done.currency) })}
          {done.payout === 'failed' ? ` ${t('boxOffice.refund.payoutFailed')}` : ''}
        </p>
      )}
      {done && (done.parts.length > 1 || done.parts.some((p) => p.state !== 'paid')) && (
        <ul className="refund-parts" data-testid="refund-parts">
          {done.parts.map((p, i) => (
            <li key={i} data-method={p.method} data-state={p.state}>
              {t(`boxOffice.pay.methods.${p.method}`)} {money(p.amountMinor, done.currency)}
              {p.state === 'paid' ? '' : ` — ${t(`boxOffice.refund.partState.${p.state}`)}`}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
