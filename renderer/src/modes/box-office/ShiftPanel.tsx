// Owns the cashier's shift at this till as a panel over the sale screen: the shift open now (or opening
// one with the float counted into the drawer), cash put in or taken out with its reason, the X report at
// any time and the Z report that closes the shift with the cash counted and its variance. The core keeps
// the drawer's books and prints the reports; this panel shows what it answered.
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../components/ErrorMessage';
import { PAYMENT_METHODS, type CallError, type PaymentMethod, type Shift, type ShiftReport } from '../../contract';
import { useCall, useConnection } from '../../core';
import { formatDateTime } from '../../i18n/format';
import { formatMoney, parseMoneyInput } from '../../i18n/money';

const isMethod = (m: string): m is PaymentMethod => (PAYMENT_METHODS as readonly string[]).includes(m);

export function ShiftPanel(props: { onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const call = useCall();
  const { generation } = useConnection();
  const [shift, setShift] = useState<Shift | null | undefined>(undefined);
  const [error, setError] = useState<CallError | null>(null);
  const [amountProblem, setAmountProblem] = useState<string | null>(null);
  const [floatText, setFloatText] = useState('');
  const [cashKind, setCashKind] = useState<'in' | 'out'>('in');
  const [cashText, setCashText] = useState('');
  const [cashReason, setCashReason] = useState('');
  const [expected, setExpected] = useState<number | null>(null);
  const [countedText, setCountedText] = useState('');
  const [report, setReport] = useState<ShiftReport | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    void call('boxOffice.shift.current', {}).then((r) => {
      if (!live) return;
      if (r.ok) setShift(r.value.shift);
      else setError(r.error);
    });
    return () => {
      live = false;
    };
  }, [call, generation]);

  const currency = shift?.currency ?? report?.shift.currency ?? 'EUR';
  const money = (minor: number) => formatMoney(minor, currency, lang);
  /** An amount typed in the shift's currency (the event's, before a shift exists). */
  const amountOf = (text: string, cur: string): number | null => {
    const parsed = parseMoneyInput(text, cur);
    if (!parsed.ok) {
      setAmountProblem(t('boxOffice.invalidAmount'));
      return null;
    }
    setAmountProblem(null);
    return parsed.amountMinor;
  };

  async function run<T>(p: Promise<{ ok: true; value: T } | { ok: false; error: CallError }>, then: (v: T) => void) {
    setBusy(true);
    setError(null);
    const r = await p;
    setBusy(false);
    if (r.ok) then(r.value);
    else setError(r.error);
  }

  function open(e: FormEvent) {
    e.preventDefault();
    const floatMinor = amountOf(floatText, currency);
    if (floatMinor === null) return;
    void run(call('boxOffice.shift.open', { floatMinor }), (s) => {
      setShift(s);
      setReport(null);
      setFloatText('');
    });
  }
  function cash(e: FormEvent) {
    e.preventDefault();
    const amountMinor = amountOf(cashText, currency);
    if (amountMinor === null) return;
    if (!cashReason.trim()) {
      setAmountProblem(t('boxOffice.shift.reasonNeeded'));
      return;
    }
    void run(call('boxOffice.shift.cash', { kind: cashKind, amountMinor, reason: cashReason.trim() }), (v) => {
      setExpected(v.expectedCashMinor);
      setCashText('');
      setCashReason('');
    });
  }
  function x() {
    void run(call('boxOffice.shift.x', {}), (r) => setReport(r));
  }
  function z(e: FormEvent) {
    e.preventDefault();
    const countedMinor = amountOf(countedText, currency);
    if (countedMinor === null) return;
    void run(call('boxOffice.shift.close', { countedMinor }), (r) => {
      setReport(r);
      setShift(null);
      setCountedText('');
    });
  }

  return (
    <section className="shift-panel card" data-testid="shift-panel" aria-label={t('boxOffice.shift.title')} data-shift-state={shift ? 'open' : shift === null ? 'none' : 'loading'}>
      <div className="section-head">
        <h2 className="section-title">{t('boxOffice.shift.title')}</h2>
        <button type="button" className="button button--ghost" data-testid="shift-close-panel" onClick={props.onClose}>
          {t('boxOffice.shift.back')} <kbd className="key">Esc</kbd>
        </button>
      </div>
      {shift === null && (
        <form className="picker-row" onSubmit={open} data-testid="shift-open-form">
          <label className="field">
            <span className="field__label">{t('boxOffice.shift.float')}</span>
            <input className="input input--money" data-testid="shift-float" inputMode="decimal" autoFocus value={floatText} onChange={(e) => setFloatText(e.target.value)} />
          </label>
          <button type="submit" className="button button--primary" data-testid="shift-open" disabled={busy}>
            {t('boxOffice.shift.open')}
          </button>
        </form>
      )}
      {shift && (
        <>
          <p className="message" data-testid="shift-current" data-shift-id={shift.id} data-float-minor={shift.floatMinor}>
            {t('boxOffice.shift.openSince', { time: formatDateTime(shift.openedAt, lang), name: shift.openedByName ?? '—', float: money(shift.floatMinor) })}
          </p>
          <form className="picker-row" onSubmit={cash} data-testid="shift-cash-form">
            <select className="input" data-testid="shift-cash-kind" value={cashKind} onChange={(e) => setCashKind(e.target.value === 'out' ? 'out' : 'in')}>
              <option value="in">{t('boxOffice.shift.cashIn')}</option>
              <option value="out">{t('boxOffice.shift.cashOut')}</option>
            </select>
            <input className="input input--money" data-testid="shift-cash-amount" inputMode="decimal" placeholder={t('boxOffice.pay.amount')} value={cashText} onChange={(e) => setCashText(e.target.value)} />
            <input className="input" data-testid="shift-cash-reason" maxLength={200} placeholder={t('boxOffice.shift.reason')} value={cashReason} onChange={(e) => setCashReason(e.target.value)} />
            <button type="submit" className="button" data-testid="shift-cash" disabled={busy}>
              {t('boxOffice.shift.record')}
            </button>
          </form>
          {expected !== null && (
            <p className="message" data-testid="shift-expected" data-amount-minor={expected}>
              {t('boxOffice.shift.expected', { amount: money(expected) })}
            </p>
          )}
          <div className="picker-row">
            <button type="button" className="button" data-testid="shift-x" disabled={busy} onClick={x}>
              {t('boxOffice.shift.x')}
            </button>
          </div>
          <form className="picker-row" onSubmit={z} data-testid="shift-z-form">
            <label className="field">
              <span className="field__label">{t('boxOffice.shift.counted')}</span>
              <input className="input input--money" data-testid="shift-counted" inputMode="decimal" value={countedText} onChange={(e) => setCountedText(e.target.value)} />
            </label>
            <button type="submit" className="button button--danger" data-testid="shift-z" disabled={busy}>
              {t('boxOffice.shift.z')}
            </button>
          </form>
        </>
      )}
      {amountProblem && (
        <p className="message message--error" role="alert" data-testid="shift-amount-error">
          {amountProblem}
        </p>
      )}
      <ErrorMessage error={error} testId="shift-error" />
      {report && (
        <div className="shift-report" data-testid="shift-report" data-kind={report.kind}>
          <h3 className="section-title">{report.kind === 'z' ? t('boxOffice.shift.zReport') : t('boxOffice.shift.xReport')}</h3>
          <dl className="facts">
            <dt>{t('boxOffice.shift.float')}</dt>
            <dd>{money(report.totals.floatMinor)}</dd>
            <dt>{t('boxOffice.shift.sales')}</dt>
            <dd data-testid="report-sales" data-count={report.totals.sales.count} data-amount-minor={report.totals.sales.amountMinor}>
              {report.totals.sales.count} · {money(report.totals.sales.amountMinor)}
            </dd>
            <dt>{t('boxOffice.shift.refunds')}</dt>
            <dd>
              {report.totals.refunds.count} · {money(report.totals.refunds.amountMinor)}
            </dd>
            <dt>{t('boxOffice.shift.voids')}</dt>
            <dd>
              {report.totals.voids.count} · {money(report.totals.voids.amountMinor)}
            </dd>
            <dt>{t('boxOffice.shift.cashIn')}</dt>
            <dd>{money(report.totals.cashIn.amountMinor)}</dd>
            <dt>{t('boxOffice.shift.cashOut')}</dt>
            <dd>{money(report.totals.cashOut.amountMinor)}</dd>
            {report.totals.byMethod.map((m) => (
              <div key={m.method} className="facts__row" data-testid="report-method" data-method={m.method} data-amount-minor={m.sales.amountMinor}>
                <dt>{isMethod(m.method) ? t(`boxOffice.pay.methods.${m.method}`) : m.method}</dt>
                <dd>
                  {m.sales.count} · {money(m.sales.amountMinor)}
                </dd>
              </div>
            ))}
            <dt>{t('boxOffice.shift.expectedCash')}</dt>
            <dd data-testid="report-expected" data-amount-minor={report.totals.expectedCashMinor}>
              {money(report.totals.expectedCashMinor)}
            </dd>
            {report.countedMinor !== null && (
              <>
                <dt>{t('boxOffice.shift.counted')}</dt>
                <dd data-testid="report-counted" data-amount-minor={report.countedMinor}>
                  {money(report.countedMinor)}
                </dd>
              </>
            )}
            {report.varianceMinor !== null && (
              <>
                <dt>{t('boxOffice.shift.variance')}</dt>
                <dd data-testid="report-variance" data-amount-minor={report.varianceMinor} className={report.varianceMinor < 0 ? 'text--error' : ''}>
                  {report.varianceMinor > 0 ? '+' : ''}
                  {money(report.varianceMinor)}
                </dd>
              </>
            )}
          </dl>
        </div>
      )}
    </section>
  );
}
