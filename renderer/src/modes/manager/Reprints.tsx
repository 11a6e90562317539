// Owns the manager's view of badge reprints: how many badges each attendee and each operator printed and
// how many of them were reprints, most first (badgeDesk.reprints).
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../components/ErrorMessage';
import { SafeText } from '../../components/SafeText';
import type { CallError, CallOutput } from '../../contract';
import { useCall } from '../../core';

type Counts = CallOutput<'badgeDesk.reprints'>;

export function Reprints() {
  const { t } = useTranslation();
  const call = useCall();
  const [counts, setCounts] = useState<Counts | null>(null);
  const [error, setError] = useState<CallError | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    let live = true;
    void call('badgeDesk.reprints', {}).then((r) => {
      if (!live) return;
      if (r.ok) {
        setCounts(r.value);
        setError(null);
      } else setError(r.error);
    });
    return () => {
      live = false;
    };
  }, [call, reload]);

  const table = (testId: string, rows: { key: string; name: string | null; prints: number; reprints: number }[], noName: string) => (
    <table className="badge-table" data-testid={testId}>
      <thead>
        <tr>
          <th>{t('badgeDesk.reprints.name')}</th>
          <th>{t('badgeDesk.reprints.prints')}</th>
          <th>{t('badgeDesk.reprints.reprints')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key} data-testid={`${testId}-row`} data-key={r.key} data-prints={r.prints} data-reprints={r.reprints}>
            <td>{r.name !== null ? <SafeText text={r.name} /> : <span className="muted">{noName}</span>}</td>
            <td>{r.prints}</td>
            <td>{r.reprints}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );

  return (
    <section className="card" data-testid="reprints">
      <div className="section-head">
        <h2 className="section-title">{t('badgeDesk.reprints.title')}</h2>
        <button type="button" className="button button--ghost" data-testid="reprints-refresh" onClick={() => setReload((n) => n + 1)}>
          {t('badgeDesk.reprints.refresh')}
        </button>
      </div>
      <ErrorMessage error={error} testId="reprints-error" />
      {counts && counts.byAttendee.length === 0 && counts.byOperator.length === 0 && (
        <p className="muted" data-testid="reprints-none">
          {t('badgeDesk.reprints.none')}
        </p>
      )}
      {counts && counts.byAttendee.length > 0 && (
        <>
          <h3 className="section-title">{t('badgeDesk.reprints.byAttendee')}</h3>
          {table(
            'reprints-by-attendee',
            counts.byAttendee.map((r) => ({ key: r.ticketId, name: r.name, prints: r.prints, reprints: r.reprints })),
            t('badgeDesk.reprints.noName'),
          )}
        </>
      )}
      {counts && counts.byOperator.length > 0 && (
        <>
          <h3 className="section-title">{t('badgeDesk.reprints.byOperator')}</h3>
          {table(
            'reprints-by-operator',
            counts.byOperator.map((r) => ({ key: r.operatorId ?? 'none', name: r.name, prints: r.prints, reprints: r.reprints })),
            t('badgeDesk.reprints.noOperator'),
          )}
        </>
      )}
    </section>
  );
}
