// Owns admin mode's Shift reports section: the box offices' X and Z reports as they reached the server,
// newest first — terminal, who opened and closed the shift and when (on the wall clock of the event
// chosen, since a report names no event), sales, refunds and voids by payment kind, expected and counted
// cash with the variance marked when cash is missing or over. Filtered by terminal (at the server) and
// by day (on that wall clock).
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../components/ErrorMessage';
import { SafeText } from '../../components/SafeText';
import {
  PAYMENT_METHODS,
  instantToZoned,
  type AdminEventSummary,
  type AdminShiftReport,
  type AdminTerminal,
  type CallError,
  type PaymentMethod,
  type StaffMember,
} from '../../contract';
import { useCall } from '../../core';
import { pickLocalized } from '../../i18n/format';
import { formatMoney } from '../../i18n/money';
import './admin-sections.css';
import './admin-box-office.css';

const isMethod = (m: string): m is PaymentMethod => (PAYMENT_METHODS as readonly string[]).includes(m);
const FALLBACK_ZONE = 'UTC';

export function ShiftReports() {
  const { t, i18n } = useTranslation();
  const call = useCall();
  const [events, setEvents] = useState<AdminEventSummary[]>([]);
  const [terminals, setTerminals] = useState<AdminTerminal[]>([]);
  const [staff, setStaff] = useState<StaffMember[]>([]);
  const [zone, setZone] = useState<string | null>(null);
  const [deviceId, setDeviceId] = useState('');
  const [day, setDay] = useState('');
  const [reports, setReports] = useState<AdminShiftReport[] | null>(null);
  const [error, setError] = useState<CallError | null>(null);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let live = true;
    void Promise.all([call('admin.events.list', {}), call('admin.terminals.list', {}), call('admin.operators.list', {})]).then(([e, d, o]) => {
      if (!live) return;
      const failed = [e, d, o].find((r) => !r.ok);
      if (failed && !failed.ok) return setError(failed.error);
      if (e.ok) {
        setEvents(e.value);
        setZone((z) => z ?? e.value[0]?.timezone ?? FALLBACK_ZONE);
      }
      if (d.ok) setTerminals(d.value);
      if (o.ok) setStaff(o.value);
    });
    return () => {
      live = false;
    };
  }, [call]);

  useEffect(() => {
    let live = true;
    void call('admin.shiftReports.list', deviceId === '' ? { limit: 500 } : { deviceId, limit: 500 }).then((r) => {
      if (!live) return;
      if (r.ok) {
        setReports(r.value);
        setError(null);
      } else setError(r.error);
    });
    return () => {
      live = false;
    };
  }, [call, deviceId, generation]);

  const shownZone = zone ?? FALLBACK_ZONE;
  const shown = useMemo(() => (reports ?? []).filter((r) => day === '' || instantToZoned(r.at, shownZone).slice(0, 10) === day), [reports, day, shownZone]);
  const operatorName = (id: string | null) => (id === null ? '' : (staff.find((s) => s.id === id)?.name ?? t('adminBoxOffice.shifts.unknownOperator')));
  const when = (iso: string | null) => {
    if (!iso) return '';
    try {
      return new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short', timeZone: shownZone }).format(new Date(iso));
    } catch {
      return iso;
    }
  };

  return (
    <div className="admin-box-office" data-testid="shift-reports">
      <section className="card">
        <div className="admin-section__head">
          <h2 className="section-title">{t('adminBoxOffice.shifts.title')}</h2>
          <button type="button" className="button" data-testid="shift-reports-refresh" onClick={() => setGeneration((g) => g + 1)}>
            {t('adminBoxOffice.shifts.refresh')}
          </button>
        </div>
        <div className="admin-form" data-testid="shift-reports-filters">
          <label>
            {t('adminBoxOffice.shifts.terminal')}
            <select data-testid="shift-reports-terminal" value={deviceId} onChange={(e) => setDeviceId(e.target.value)}>
              <option value="">{t('adminBoxOffice.shifts.allTerminals')}</option>
              {terminals.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('adminBoxOffice.shifts.day')}
            <input type="date" data-testid="shift-reports-day" value={day} onChange={(e) => setDay(e.target.value)} />
          </label>
          {events.length > 0 && (
            <label>
              {t('adminBoxOffice.shifts.zoneOf')}
              <select data-testid="shift-reports-zone" value={shownZone} onChange={(e) => setZone(e.target.value)}>
                {[...new Map(events.map((ev) => [ev.timezone, ev])).values()].map((ev) => (
                  <option key={ev.timezone} value={ev.timezone}>
                    {pickLocalized(ev.name, i18n.language)} ({ev.timezone})
                  </option>
                ))}
              </select>
            </label>
          )}
        </div>
        <ErrorMessage error={error} testId="shift-reports-error" />
        {reports !== null && shown.length === 0 && <p data-testid="shift-reports-empty">{t('adminBoxOffice.shifts.empty')}</p>}
      </section>
      {shown.map((r) => {
        const money = (minor: number) => formatMoney(minor, r.totals.currency, i18n.language);
        const variance = r.varianceMinor;
        return (
          <section key={r.id} className="card admin-box-office__report" data-testid="shift-report" data-kind={r.report} data-shift-id={r.shiftId} data-device-id={r.deviceId}>
            <div className="admin-section__head">
              <h3 className="section-title">
                {t(`adminBoxOffice.shifts.kinds.${r.report}`)} · <SafeText text={r.deviceName} />
              </h3>
              <span>{when(r.at)}</span>
            </div>
            <dl className="admin-box-office__facts">
              <dt>{t('adminBoxOffice.shifts.opened')}</dt>
              <dd data-testid="shift-report-opened">
                {when(r.openedAt)} · <SafeText text={operatorName(r.openedBy)} />
              </dd>
              <dt>{t('adminBoxOffice.shifts.closed')}</dt>
              <dd data-testid="shift-report-closed">{r.closedAt ? `${when(r.closedAt)} · ${operatorName(r.closedBy)}` : t('adminBoxOffice.shifts.stillOpen')}</dd>
              <dt>{t('adminBoxOffice.shifts.float')}</dt>
              <dd>{money(r.totals.floatMinor)}</dd>
              <dt>{t('adminBoxOffice.shifts.expectedCash')}</dt>
              <dd data-testid="shift-report-expected">{money(r.totals.expectedCashMinor)}</dd>
              {r.countedMinor !== null && (
                <>
                  <dt>{t('adminBoxOffice.shifts.counted')}</dt>
                  <dd data-testid="shift-report-counted">{money(r.countedMinor)}</dd>
                </>
              )}
              {variance !== null && (
                <>
                  <dt>{t('adminBoxOffice.shifts.variance')}</dt>
                  <dd
                    className={variance === 0 ? '' : 'admin-box-office__variance'}
                    data-testid="shift-report-variance"
                    data-variance={variance}
                    role={variance === 0 ? undefined : 'alert'}
                  >
                    {money(variance)} {variance < 0 ? t('adminBoxOffice.shifts.short') : variance > 0 ? t('adminBoxOffice.shifts.over') : ''}
                  </dd>
                </>
              )}
            </dl>
            <table className="admin-table" data-testid="shift-report-methods">
              <thead>
                <tr>
                  <th>{t('adminBoxOffice.shifts.method')}</th>
                  <th>{t('adminBoxOffice.shifts.sales')}</th>
                  <th>{t('adminBoxOffice.shifts.refunds')}</th>
                </tr>
              </thead>
              <tbody>
                {r.totals.byMethod.map((m) => (
                  <tr key={m.method} data-testid="shift-report-method" data-method={m.method}>
                    <td>{isMethod(m.method) ? t(`boxOffice.pay.methods.${m.method}`) : m.method}</td>
                    <td data-testid="shift-report-method-sales">{t('adminBoxOffice.shifts.tally', { count: m.sales.count, amount: money(m.sales.amountMinor) })}</td>
                    <td>{t('adminBoxOffice.shifts.tally', { count: m.refunds.count, amount: money(m.refunds.amountMinor) })}</td>
                  </tr>
                ))}
                <tr className="admin-box-office__total">
                  <td>{t('adminBoxOffice.shifts.total')}</td>
                  <td data-testid="shift-report-sales">{t('adminBoxOffice.shifts.tally', { count: r.totals.sales.count, amount: money(r.totals.sales.amountMinor) })}</td>
                  <td>{t('adminBoxOffice.shifts.tally', { count: r.totals.refunds.count, amount: money(r.totals.refunds.amountMinor) })}</td>
                </tr>
              </tbody>
            </table>
            {r.totals.voids.count > 0 && <p>{t('adminBoxOffice.shifts.voids', { count: r.totals.voids.count, amount: money(r.totals.voids.amountMinor) })}</p>}
          </section>
        );
      })}
    </div>
  );
}
