// Owns the gate's check-in point strip: which point this terminal serves (name, direction, re-entry
// rule, zone) as `gate.points` reports it, and for managers a selector that moves the terminal to another
// point with `gate.setPoint`. The selector is hidden for other roles; if the core still refuses
// (`forbidden`, e.g. the role changed on the server) the refusal is shown and the selector goes away.
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../components/ErrorMessage';
import type { CallError, CheckInPoint } from '../../contract';
import { useCall, useConnection } from '../../core';
import { pickLocalized } from '../../i18n/format';

interface Points {
  points: CheckInPoint[];
  current: string | null;
}

export function PointBar(props: { canChoose: boolean }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const call = useCall();
  const { generation } = useConnection();
  const selectId = useId();
  const [data, setData] = useState<Points | null>(null);
  const [error, setError] = useState<CallError | null>(null);
  const [busy, setBusy] = useState(false);
  const [denied, setDenied] = useState(false);

  useEffect(() => {
    let live = true;
    void call('gate.points', {}).then((result) => {
      if (!live) return;
      if (result.ok) {
        setData(result.value);
        setError(null);
      } else setError(result.error);
    });
    return () => {
      live = false;
    };
  }, [call, generation]);

  async function choose(pointId: string) {
    if (!data || pointId === '' || pointId === data.current) return;
    setBusy(true);
    setError(null);
    const result = await call('gate.setPoint', { pointId });
    setBusy(false);
    if (result.ok) {
      const point = result.value;
      setData((d) =>
        d && {
          points: d.points.some((p) => p.id === point.id)
            ? d.points.map((p) => (p.id === point.id ? point : p))
            : [...d.points, point],
          current: point.id,
        },
      );
    } else {
      setError(result.error);
      if (result.error.code === 'forbidden') setDenied(true);
    }
  }

  const current = data?.points.find((p) => p.id === data.current) ?? null;
  // With no point configured the core checks as a single-entry default entrance.
  const direction = current?.direction ?? 'entry';
  const showChooser = props.canChoose && !denied && data !== null && data.points.length > 0;

  return (
    <>
      <section
        className="point-bar"
        data-testid="gate-point"
        data-point-id={current?.id ?? ''}
        data-direction={data ? direction : ''}
        aria-label={t('gate.point')}
      >
        <span className="point-bar__label">{t('gate.point')}:</span>
        {data === null ? (
          <span className="point-bar__name muted">{error ? '—' : t('gate.pointLoading')}</span>
        ) : (
          <>
            <strong className="point-bar__name" data-testid="gate-point-name">
              {current ? pickLocalized(current.name, lang) : t('gate.pointDefault')}
            </strong>
            <span
              className={`direction direction--${direction}`}
              data-testid="gate-point-direction"
              title={t('gate.directionLabel')}
            >
              <span aria-hidden="true">{direction === 'entry' ? '→ ' : '← '}</span>
              {t(`gate.direction.${direction}`)}
            </span>
            {current && (
              <span className="point-bar__fact" title={t('gate.reentryLabel')}>
                {t(`gate.reentry.${current.reentry}`)}
              </span>
            )}
            {current?.zone && (
              <span className="point-bar__fact">
                {t('gate.zone')}: {current.zone}
              </span>
            )}
          </>
        )}
        {showChooser && (
          <span className="point-bar__chooser">
            <label className="visually-hidden" htmlFor={selectId}>
              {t('gate.changePoint')}
            </label>
            <select
              id={selectId}
              className="select"
              data-testid="point-select"
              value={data.current ?? ''}
              disabled={busy}
              title={t('gate.changePoint')}
              onChange={(e) => void choose(e.target.value)}
            >
              {data.current === null && (
                <option value="" disabled>
                  {t('gate.choosePoint')}
                </option>
              )}
              {data.points.map((p) => (
                <option key={p.id} value={p.id} data-testid="point-option">
                  {pickLocalized(p.name, lang)} — {t(`gate.direction.${p.direction}`)}
                </option>
              ))}
            </select>
          </span>
        )}
      </section>
      <ErrorMessage error={error} testId="point-error" />
    </>
  );
}
