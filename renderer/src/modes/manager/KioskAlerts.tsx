// Owns the manager's view of what the kiosks raised: the open alerts (which kiosk, what, why, when) with a
// count that stays visible, each resolvable by the manager (the core asks the server; audited there), and
// kept current by kiosk.alertsChanged.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallError, KioskAlertView } from '../../contract';
import { useCall, useEvent } from '../../core';
import { formatDateTime } from '../../i18n/format';
import { alertCodeText } from '../kiosk/words';
import './kiosk-alerts.css';

export function KioskAlerts() {
  const { t, i18n } = useTranslation();
  const call = useCall();
  const [alerts, setAlerts] = useState<KioskAlertView[] | null>(null);
  const [error, setError] = useState<CallError | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [resolveError, setResolveError] = useState<CallError | null>(null);

  /** Bumped to read the list again (an alert raised, arrived or resolved). */
  const [generation, setGeneration] = useState(0);
  const load = () => setGeneration((g) => g + 1);

  useEffect(() => {
    let live = true;
    void call('kiosk.alerts', { includeResolved: false }).then((r) => {
      if (!live) return;
      if (r.ok) {
        setAlerts(r.value.filter((a) => a.resolvedAt === null));
        setError(null);
      } else setError(r.error);
    });
    return () => {
      live = false;
    };
  }, [call, generation]);
  useEvent('kiosk.alertsChanged', () => load());

  async function resolve(alertId: string) {
    setBusy(alertId);
    setResolveError(null);
    const r = await call('kiosk.resolveAlert', { alertId });
    setBusy(null);
    load();
    if (!r.ok) setResolveError(r.error);
  }

  const open = alerts?.length ?? 0;
  return (
    <section className="card kiosk-alerts" data-testid="kiosk-alerts" aria-labelledby="kiosk-alerts-title">
      <div className="section-head">
        <h2 className="section-title" id="kiosk-alerts-title">
          {t('managerKiosk.title')}{' '}
          <span
            className={`count-badge${open > 0 ? ' count-badge--on' : ''}`}
            data-testid="kiosk-alerts-count"
            data-count={open}
            role="status"
          >
            {t('managerKiosk.count', { n: open })}
          </span>
        </h2>
        <button type="button" className="button" data-testid="kiosk-alerts-refresh" onClick={load}>
          {t('managerKiosk.refresh')}
        </button>
      </div>
      {(resolveError ?? error) && (
        <p
          className="message message--error"
          role="alert"
          data-testid="kiosk-alerts-error"
          data-code={(resolveError ?? error)?.code}
        >
          {t(`errors.${(resolveError ?? error)?.code ?? 'internal'}`)}
        </p>
      )}
      {alerts !== null && alerts.length === 0 && (
        <p className="muted" data-testid="kiosk-alerts-empty">
          {t('managerKiosk.empty')}
        </p>
      )}
      {alerts !== null && alerts.length > 0 && (
        <table className="kiosk-alerts__table">
          <thead>
            <tr>
              <th scope="col">{t('managerKiosk.kiosk')}</th>
              <th scope="col">{t('managerKiosk.kind')}</th>
              <th scope="col">{t('managerKiosk.code')}</th>
              <th scope="col">{t('managerKiosk.when')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('managerKiosk.resolve')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {alerts.map((a) => (
              <tr
                key={a.id}
                data-testid="kiosk-alert"
                data-alert-id={a.id}
                data-kind={a.kind}
                data-code={a.code}
                data-resolved={String(a.resolvedAt !== null)}
              >
                <td data-testid="kiosk-alert-terminal">{a.terminal}</td>
                <td data-testid="kiosk-alert-kind">{t(`kiosk.alertKinds.${a.kind}`)}</td>
                <td data-testid="kiosk-alert-code">{alertCodeText(t, a.code)}</td>
                <td data-testid="kiosk-alert-time">{formatDateTime(a.raisedAt, i18n.language)}</td>
                <td>
                  <button
                    type="button"
                    className="button button--primary"
                    data-testid="kiosk-alert-resolve"
                    disabled={busy !== null}
                    onClick={() => void resolve(a.id)}
                  >
                    {busy === a.id ? t('managerKiosk.resolving') : t('managerKiosk.resolve')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
