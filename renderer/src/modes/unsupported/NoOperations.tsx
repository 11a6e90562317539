// Owns what a mode the core lists but the renderer has no screen for (the kiosk today) shows:
// an honest statement that there is nothing to operate here yet, with the device and sync state that
// the contract does offer — never pretend controls.
import { useTranslation } from 'react-i18next';
import { DeviceStrip } from '../../components/DeviceStrip';
import type { Mode, SyncStatus } from '../../contract';
import { SyncFacts } from '../manager/Manager';

export function NoOperations(props: { mode: Mode; sync: SyncStatus | null }) {
  const { t } = useTranslation();
  return (
    <main className="screen manager" data-testid="no-operations" data-mode={props.mode}>
      <section className="card">
        <h2 className="section-title">{t(`mode.${props.mode}`)}</h2>
        <p className="message message--warning" data-testid="no-operations-notice">
          {t('unsupported.body')}
        </p>
        <SyncFacts sync={props.sync} />
      </section>
      <section className="card">
        <DeviceStrip variant="list" />
      </section>
    </main>
  );
}
