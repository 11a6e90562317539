// Owns the kiosk's staff side, reached by the discreet corner (the logo): a manager picked by name and
// their PIN on a large keypad, then the maintenance screen (the kiosk's state, its devices and open
// alerts) with "Exit kiosk". The PIN lives in this screen only while it is open.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallError, KioskMaintenance, OperatorChoice } from '../../contract';
import { useCall } from '../../core';
import { formatDateTime } from '../../i18n/format';
import { DigitPad } from './Keyboards';
import { alertCodeText } from './words';

export type Approval = { managerId: string; pin: string };

export function StaffLogin(props: { onOpen: (data: KioskMaintenance, approval: Approval) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const call = useCall();
  const [managers, setManagers] = useState<readonly OperatorChoice[] | null>(null);
  const [managerId, setManagerId] = useState<string | null>(null);
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CallError | null>(null);

  useEffect(() => {
    let live = true;
    void call('session.operators', {}).then((r) => {
      if (live) setManagers(r.ok ? r.value.filter((o) => o.role === 'manager' || o.role === 'admin') : []);
    });
    return () => {
      live = false;
    };
  }, [call]);

  async function enter() {
    if (!managerId || pin === '' || busy) return;
    setBusy(true);
    setError(null);
    const approval = { managerId, pin };
    const r = await call('kiosk.maintenance', approval);
    setBusy(false);
    setPin('');
    if (r.ok) props.onOpen(r.value, approval);
    else setError(r.error);
  }

  return (
    <section className="kiosk-panel kiosk-staff" data-testid="kiosk-staff" aria-labelledby="kiosk-staff-title">
      <h1 className="kiosk-title" id="kiosk-staff-title">
        {t('kiosk.staff.title')}
      </h1>
      {managerId === null ? (
        <div className="kiosk-choices" role="group" aria-label={t('kiosk.staff.chooseManager')}>
          <p className="kiosk-lead">{t('kiosk.staff.chooseManager')}</p>
          {managers?.length === 0 && <p className="kiosk-note">{t('kiosk.staff.noManagers')}</p>}
          {managers?.map((m) => (
            <button
              key={m.id}
              type="button"
              className="kiosk-button"
              data-testid="kiosk-staff-manager"
              data-operator-id={m.id}
              onClick={() => setManagerId(m.id)}
            >
              {m.name}
            </button>
          ))}
        </div>
      ) : (
        <div className="kiosk-pin">
          <p className="kiosk-lead">{t('kiosk.staff.pinFor', { name: managers?.find((m) => m.id === managerId)?.name ?? '' })}</p>
          <output
            className="kiosk-pin__value"
            data-testid="kiosk-pin-value"
            role="status"
            data-count={pin.length}
            aria-label={t('kiosk.staff.pinLabel')}
          >
            {pin.length === 0 ? '\u00a0' : '●'.repeat(pin.length)}
          </output>
          <DigitPad
            prefix="kiosk-pin-digit"
            label={t('kiosk.staff.pinLabel')}
            onDigit={(d) => setPin((p) => (p.length < 8 ? p + d : p))}
            onBackspace={() => setPin((p) => p.slice(0, -1))}
            onClear={() => setPin('')}
          />
          {error && (
            <p className="kiosk-message kiosk-message--error" role="alert" data-testid="kiosk-staff-error" data-code={error.code}>
              {t(`errors.${error.code}`)}
            </p>
          )}
          <button
            type="button"
            className="kiosk-button kiosk-button--primary"
            data-testid="kiosk-pin-enter"
            disabled={pin === '' || busy}
            onClick={() => void enter()}
          >
            {t('kiosk.staff.enter')}
          </button>
        </div>
      )}
      <button type="button" className="kiosk-button" data-testid="kiosk-staff-cancel" onClick={props.onCancel}>
        {t('kiosk.staff.cancel')}
      </button>
    </section>
  );
}

export function Maintenance(props: { data: KioskMaintenance; approval: Approval; onClose: () => void; onExited: () => void }) {
  const { t, i18n } = useTranslation();
  const call = useCall();
  const { state, devices, alerts } = props.data;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CallError | null>(null);

  async function exit() {
    setBusy(true);
    setError(null);
    const r = await call('kiosk.exit', props.approval);
    setBusy(false);
    if (r.ok) props.onExited();
    else setError(r.error);
  }

  const yes = (b: boolean) => (b ? t('kiosk.maintenance.yes') : t('kiosk.maintenance.no'));
  return (
    <section className="kiosk-panel kiosk-maintenance" data-testid="kiosk-maintenance" aria-labelledby="kiosk-maint-title">
      <h1 className="kiosk-title" id="kiosk-maint-title">
        {t('kiosk.maintenance.title')}
      </h1>
      <p className="kiosk-note">{t('kiosk.maintenance.signedIn', { name: props.data.managerName })}</p>
      <dl className="kiosk-facts">
        <dt>{t('kiosk.maintenance.online')}</dt>
        <dd data-testid="kiosk-maint-online" data-online={String(state.online)}>
          {yes(state.online)}
        </dd>
        <dt>{t('kiosk.maintenance.printer')}</dt>
        <dd data-testid="kiosk-maint-printer" data-ready={String(state.printer.ready)} data-reason={state.printer.reason ?? ''}>
          {!state.printer.present
            ? t('kiosk.maintenance.absent')
            : state.printer.ready
              ? t('kiosk.maintenance.ready')
              : state.printer.reason
                ? t(`printReasons.${state.printer.reason}`)
                : t('kiosk.maintenance.notReady')}
        </dd>
        <dt>{t('kiosk.maintenance.scanner')}</dt>
        <dd data-testid="kiosk-maint-scanner" data-ready={String(state.scanner.ready)}>
          {!state.scanner.present
            ? t('kiosk.maintenance.absent')
            : state.scanner.ready
              ? t('kiosk.maintenance.ready')
              : t('kiosk.maintenance.notReady')}
        </dd>
        <dt>{t('kiosk.maintenance.idReader')}</dt>
        <dd>
          {!state.idCardReader.present
            ? t('kiosk.maintenance.absent')
            : state.idCardReader.ready
              ? t('kiosk.maintenance.ready')
              : t('kiosk.maintenance.notReady')}
        </dd>
      </dl>
      <h2 className="kiosk-subtitle">{t('kiosk.maintenance.devices')}</h2>
      {devices.length === 0 ? (
        <p className="kiosk-note">{t('kiosk.maintenance.noDevices')}</p>
      ) : (
        <ul className="kiosk-list">
          {devices.map((d) => (
            <li key={d.id} data-testid="kiosk-maint-device" data-kind={d.kind} data-state={d.state}>
              <strong>{t(`devices.kind.${d.kind}`)}</strong> {d.name}: {t(`devices.state.${d.state}`)}
              {d.reason ? ` (${t(`devices.reason.${d.reason}`)})` : ''}
            </li>
          ))}
        </ul>
      )}
      <h2 className="kiosk-subtitle">{t('kiosk.maintenance.alerts', { n: alerts.length })}</h2>
      {alerts.length === 0 ? (
        <p className="kiosk-note">{t('kiosk.maintenance.noAlerts')}</p>
      ) : (
        <ul className="kiosk-list">
          {alerts.map((a) => (
            <li key={a.id} data-testid="kiosk-maint-alert" data-kind={a.kind} data-code={a.code}>
              <strong>{t(`kiosk.alertKinds.${a.kind}`)}</strong>: {alertCodeText(t, a.code)} ·{' '}
              {formatDateTime(a.raisedAt, i18n.language)}
            </li>
          ))}
        </ul>
      )}
      {error && (
        <p className="kiosk-message kiosk-message--error" role="alert" data-testid="kiosk-exit-error" data-code={error.code}>
          {t(`errors.${error.code}`)}
        </p>
      )}
      <div className="kiosk-actions">
        <button
          type="button"
          className="kiosk-button kiosk-button--danger"
          data-testid="kiosk-exit"
          disabled={busy}
          onClick={() => void exit()}
        >
          {t('kiosk.maintenance.exit')}
        </button>
        <button
          type="button"
          className="kiosk-button kiosk-button--primary"
          data-testid="kiosk-maint-close"
          onClick={props.onClose}
        >
          {t('kiosk.maintenance.close')}
        </button>
      </div>
    </section>
  );
}
