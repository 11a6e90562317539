// Owns the manager mode as far as the contract reaches today: the terminal's sync state with a
// "sync now" action and whether its clock is off, the live device list, the operators locked out after
// wrong PINs (Lockouts), the kiosks' open alerts (KioskAlerts), the audit trail (AuditLog) and the badge desk's reprint counts (Reprints).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DeviceStrip } from '../../components/DeviceStrip';
import { ErrorMessage } from '../../components/ErrorMessage';
import type { CallError, SyncStatus } from '../../contract';
import { useCall } from '../../core';
import { formatDateTime } from '../../i18n/format';
import { AuditLog } from './AuditLog';
import { KioskAlerts } from './KioskAlerts';
import { Lockouts } from './Lockouts';
import { Reprints } from './Reprints';

export function Manager(props: { sync: SyncStatus | null; version: string | null; onSync: (status: SyncStatus) => void }) {
  const { t } = useTranslation();
  const call = useCall();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CallError | null>(null);

  async function syncNow() {
    setBusy(true);
    setError(null);
    const result = await call('sync.now', {});
    setBusy(false);
    if (result.ok) props.onSync(result.value);
    else setError(result.error);
  }

  return (
    <main className="screen manager" data-testid="manager">
      <section className="card">
        <div className="section-head">
          <h2 className="section-title">{t('manager.sync')}</h2>
          <button
            type="button"
            className="button button--primary"
            data-testid="sync-now"
            onClick={() => void syncNow()}
            disabled={busy}
          >
            {busy ? t('manager.syncing') : t('manager.syncNow')}
          </button>
        </div>
        <ErrorMessage error={error} testId="sync-error" />
        <SyncFacts sync={props.sync} />
        {props.version && <p className="muted">{t('app.version', { version: props.version })}</p>}
      </section>
      <section className="card">
        <DeviceStrip variant="list" />
      </section>
      <KioskAlerts />
      <Lockouts />
      <Reprints />
      <AuditLog />
    </main>
  );
}

export function SyncFacts(props: { sync: SyncStatus | null }) {
  const { t, i18n } = useTranslation();
  const s = props.sync;
  if (!s) return null;
  return (
    <dl className="facts" data-testid="sync-facts">
      <dt>{t('manager.status')}</dt>
      <dd data-testid="sync-facts-online" data-online={String(s.online)}>
        {!s.paired ? t('header.notPaired') : s.online ? t('header.online') : t('header.offline')}
      </dd>
      <dt>{t('manager.serverUrl')}</dt>
      <dd className="code">{s.serverUrl ?? '—'}</dd>
      <dt>{t('manager.terminalName')}</dt>
      <dd>{s.terminalName ?? '—'}</dd>
      <dt>{t('manager.pendingOutbox')}</dt>
      <dd data-testid="sync-facts-pending">{s.pendingOutbox}</dd>
      <dt>{t('manager.lastSeq')}</dt>
      <dd>{s.lastSeq}</dd>
      <dt>{t('manager.lastSyncAt')}</dt>
      <dd>{s.lastSyncAt ? formatDateTime(s.lastSyncAt, i18n.language) : t('manager.never')}</dd>
      <dt>{t('manager.clock')}</dt>
      <dd data-testid="sync-facts-clock" data-clock-off={String(s.clockOff)} data-offset-ms={s.clockOffsetMs ?? ''}>
        {s.clockOffsetMs === null ? (
          t('manager.clockUnknown')
        ) : s.clockOff ? (
          <span className="message message--warning" role="status">
            <span aria-hidden="true">⚠ </span>
            {t(s.clockOffsetMs > 0 ? 'manager.clockBehind' : 'manager.clockAhead', { amount: offsetText(s.clockOffsetMs) })}{' '}
            {t('manager.clockOffHint')}
          </span>
        ) : (
          t('manager.clockInStep', { amount: offsetText(s.clockOffsetMs) })
        )}
      </dd>
    </dl>
  );
}

/** An offset as ±h:mm:ss (or ±s.s s under a minute): the same in every language. */
export function offsetText(ms: number): string {
  const sign = ms < 0 ? '−' : '+';
  const abs = Math.abs(ms);
  if (abs < 60_000) return `${sign}${(abs / 1000).toFixed(1)} s`;
  const total = Math.round(abs / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const sec = total % 60;
  return `${sign}${h}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}`;
}
