// Owns the question a reprint within the event's window asks: why the badge is printed again (a few
// usual reasons to pick, or the operator's own words), and — when the event wants it — the manager who
// approves it, picked by name, with their PIN, as a refund asks for one at the box office.
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../components/ErrorMessage';
import type { CallError, OperatorChoice } from '../../contract';
import type { ManagerApproval } from './words';
import { useCall } from '../../core';
import { formatDateTime } from '../../i18n/format';

const PRESETS = ['damaged', 'lost', 'corrected', 'printFault'] as const;

export function ReprintDialog(props: {
  lastPrintedAt: string | null;
  needsPin: boolean;
  busy: boolean;
  error: CallError | null;
  onConfirm: (reason: string, approval?: ManagerApproval) => void;
  onCancel: () => void;
}) {
  const { t, i18n } = useTranslation();
  const call = useCall();
  const [reason, setReason] = useState('');
  const [managers, setManagers] = useState<readonly OperatorChoice[]>([]);
  const [managerId, setManagerId] = useState('');
  const [pin, setPin] = useState('');
  const [problem, setProblem] = useState<'reasonMissing' | 'managerMissing' | null>(null);

  useEffect(() => {
    if (!props.needsPin) return;
    let live = true;
    void call('session.operators', {}).then((r) => {
      if (live && r.ok) setManagers(r.value.filter((o) => o.role === 'manager' || o.role === 'admin'));
    });
    return () => {
      live = false;
    };
  }, [call, props.needsPin]);

  function confirm(e?: FormEvent) {
    e?.preventDefault();
    if (props.busy) return;
    const why = reason.trim();
    if (!why) {
      setProblem('reasonMissing');
      return;
    }
    if (props.needsPin && (!managerId || !pin)) {
      setProblem('managerMissing');
      return;
    }
    setProblem(null);
    props.onConfirm(why.slice(0, 200), props.needsPin ? { managerId, pin } : undefined);
    // A PIN is keyed for each attempt (a wrong one is keyed again).
    setPin('');
  }

  return (
    <form
      className="badge-reprint card"
      role="dialog"
      aria-modal="true"
      aria-labelledby="badge-reprint-title"
      data-testid="reprint-dialog"
      data-needs-pin={String(props.needsPin)}
      data-modal-open="true"
      onSubmit={confirm}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          e.stopPropagation();
          props.onCancel();
        }
      }}
    >
      <h3 className="section-title" id="badge-reprint-title">
        {t('badgeDesk.reprint.title')}
      </h3>
      {props.lastPrintedAt && <p className="message">{t('badgeDesk.reprint.lastPrinted', { time: formatDateTime(props.lastPrintedAt, i18n.language) })}</p>}
      <div className="picker-row" role="group" aria-label={t('badgeDesk.reprint.reason')}>
        {PRESETS.map((p) => (
          <button key={p} type="button" className="button button--ghost" data-testid={`reprint-preset-${p}`} onClick={() => setReason(t(`badgeDesk.reprint.presets.${p}`))}>
            {t(`badgeDesk.reprint.presets.${p}`)}
          </button>
        ))}
      </div>
      <label className="field">
        <span className="field__label">{t('badgeDesk.reprint.reason')}</span>
        <input
          className="input"
          data-testid="reprint-reason"
          autoFocus
          autoComplete="off"
          maxLength={200}
          placeholder={t('badgeDesk.reprint.reasonPlaceholder')}
          value={reason}
          onChange={(e) => {
            setReason(e.target.value);
            setProblem(null);
          }}
        />
      </label>
      {props.needsPin && (
        <div className="picker-row" data-testid="reprint-approval">
          <span>{t('badgeDesk.reprint.managerTitle')}</span>
          <select className="input" data-testid="reprint-manager" value={managerId} onChange={(e) => setManagerId(e.target.value)}>
            <option value="">{t('badgeDesk.reprint.chooseManager')}</option>
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
            data-testid="reprint-pin"
            maxLength={8}
            placeholder={t('badgeDesk.reprint.pin')}
            value={pin}
            onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))}
          />
        </div>
      )}
      {problem && (
        <p className="field__error" role="alert" data-testid="reprint-problem" data-problem={problem}>
          {t(`badgeDesk.reprint.${problem}`)}
        </p>
      )}
      <ErrorMessage error={props.error} testId="reprint-error" />
      <div className="picker-row">
        <button type="submit" className="button button--primary" data-testid="reprint-confirm" disabled={props.busy}>
          {props.busy ? t('badgeDesk.action.printing') : t('badgeDesk.reprint.confirm')}
        </button>
        <button type="button" className="button button--ghost" data-testid="reprint-cancel" onClick={props.onCancel}>
          {t('badgeDesk.reprint.cancel')} <kbd className="key">Esc</kbd>
        </button>
      </div>
    </form>
  );
}
