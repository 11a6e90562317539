// Owns refunds and exchanges at the box office as a panel over the sale screen: find an order by its
// code or by scanning one of its tickets, choose tickets, see what each ticket's policy allows now (fee,
// whether a manager must approve, why not), and refund them or exchange them for another type; when the
// policy asks for a manager, the manager picks their name and keys their PIN. The server decides; this
// panel shows its answer and the money to hand back.
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../components/ErrorMessage';
import { type CallError, type CallOutput, type OperatorChoice, type PayoutPart, type TicketType } from '../../contract';
import { useCall } from '../../core';
import { pickLocalized } from '../../i18n/format';
import { formatMoney, parseMoneyInput } from '../../i18n/money';

type View = CallOutput<'boxOffice.findOrder'>;
type Done = { kind: 'refund' | 'exchange'; amountMinor: number; feeMinor: number; chargedMinor: number; currency: string; payout: string; parts: PayoutPart[] };

export function RefundPanel(props: { onClose: () => void; ticketTypes: readonly TicketType[] }) {
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
  const [managers, setManagers] = useState<readonly OperatorChoice[]>([]);
  const [managerId, setManagerId] = useState('');
  const [pin, setPin] = useState('');
  const [needPin, setNeedPin] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CallError | null>(null);
  const [done, setDone] = useState<Done | null>(null);
  const [requestId, setRequestId] = useState(() => crypto.randomUUID());

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
    // A dearer type: the difference is paid in cash.
    const cash = cashText.trim() ? parseMoneyInput(cashText, view.order.currency) : null;
    if (cash && !cash.ok) {
      setBusy(false);
      setError({ code: 'invalid_input' });
      return;
    }
    const payment = cash?.ok ? { payment: { method: 'cash' as const, tenderedMinor: cash.amountMinor } } : {};
    const r =
      kind === 'refund'
        ? await call('boxOffice.refund', { orderId: view.order.id, ticketIds, reason: why, refundId: requestId, ...approval })
        : await call('boxOffice.exchange', { orderId: view.order.id, ticketIds, newTicketTypeId: newTypeId, reason: why, exchangeId: requestId, ...approval, ...payment });
    setBusy(false);
    setPin('');
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
