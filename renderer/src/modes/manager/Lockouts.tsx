// Owns the manager's view of operators locked out on this terminal after wrong PINs: who, how many wrong
// PINs in a row, until when their PIN is not heard, and a "Clear lockout" for each. The core decides
// who may list and clear (session.lockouts, session.clearLockout: managers, admins) and records every
// clear in the audit trail.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../components/ErrorMessage';
import type { CallError, OperatorLockout } from '../../contract';
import { useCall } from '../../core';
import { formatDateTime } from '../../i18n/format';

export function Lockouts() {
  const { t, i18n } = useTranslation();
  const call = useCall();
  const [lockouts, setLockouts] = useState<OperatorLockout[] | null>(null);
  const [listError, setListError] = useState<CallError | null>(null);
  const [clearError, setClearError] = useState<CallError | null>(null);
  /** The operator whose lockout is being cleared now. */
  const [clearing, setClearing] = useState<string | null>(null);
  /** The name of the operator whose lockout was cleared last. */
  const [cleared, setCleared] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  /** Bumped to read the list again. */
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let live = true;
    void call('session.lockouts', {}).then((result) => {
      if (!live) return;
      setLoading(false);
      if (result.ok) {
        setListError(null);
        setLockouts(result.value);
      } else {
        setListError(result.error);
        setLockouts(null);
      }
    });
    return () => {
      live = false;
    };
  }, [call, generation]);

  const nameOf = (l: OperatorLockout) => l.operatorName ?? t('lockouts.unknownOperator');

  function refresh() {
    setLoading(true);
    setGeneration((g) => g + 1);
  }

  async function clear(l: OperatorLockout) {
    setClearing(l.operatorId);
    setClearError(null);
    setCleared(null);
    const result = await call('session.clearLockout', { operatorId: l.operatorId });
    setClearing(null);
    if (result.ok) setCleared(nameOf(result.value));
    else setClearError(result.error);
    refresh();
  }

  const stateText = (l: OperatorLockout) => {
    if (l.until === null) return t('lockouts.mayTry');
    const time = formatDateTime(l.until, i18n.language);
    return l.locked ? t('lockouts.lockedUntil', { time }) : t('lockouts.waitingUntil', { time });
  };

  return (
    <section className="card lockouts" data-testid="lockouts">
      <div className="section-head">
        <h2 className="section-title">{t('lockouts.title')}</h2>
        <button type="button" className="button" data-testid="lockouts-refresh" onClick={refresh} disabled={loading}>
          {t('lockouts.refresh')}
        </button>
      </div>
      <ErrorMessage error={listError} testId="lockouts-error" />
      <ErrorMessage error={clearError} testId="lockout-clear-error" />
      {cleared !== null && (
        <p className="message message--ok" role="status" data-testid="lockout-cleared">
          {t('lockouts.cleared', { name: cleared })}
        </p>
      )}
      {lockouts && lockouts.length === 0 && (
        <p className="muted" data-testid="lockouts-empty">
          {t('lockouts.empty')}
        </p>
      )}
      {lockouts && lockouts.length > 0 && (
        <table className="lockouts__table">
          <thead>
            <tr>
              <th scope="col">{t('lockouts.operator')}</th>
              <th scope="col">{t('lockouts.failures')}</th>
              <th scope="col">{t('lockouts.state')}</th>
              <th scope="col">{t('lockouts.lastFailure')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('lockouts.clear')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {lockouts.map((l) => (
              <tr
                key={l.operatorId}
                data-testid="lockout"
                data-operator-id={l.operatorId}
                data-failures={l.failures}
                data-locked={String(l.locked)}
                className={l.locked ? 'lockouts__entry--locked' : undefined}
              >
                <td data-testid="lockout-operator">
                  <bdi>{nameOf(l)}</bdi>
                </td>
                <td data-testid="lockout-failures">{l.failures}</td>
                <td data-testid="lockout-state">{stateText(l)}</td>
                <td>{formatDateTime(l.lastFailureAt, i18n.language)}</td>
                <td>
                  <button
                    type="button"
                    className="button button--primary"
                    data-testid="lockout-clear"
                    onClick={() => void clear(l)}
                    disabled={clearing !== null}
                  >
                    {clearing === l.operatorId ? t('lockouts.clearing') : t('lockouts.clear')}
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
