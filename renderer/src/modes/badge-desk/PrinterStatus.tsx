// Owns the badge desk's line about its badge printer (ready, or why not) and the event's print
// settings (whether printing checks in, when a reprint needs a reason and a manager's PIN).
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../components/ErrorMessage';
import type { BadgeDeskState, CallError } from '../../contract';
import { printReasonText } from './words';

export function PrinterStatus(props: { state: BadgeDeskState | null; error: CallError | null; onRefresh: () => void }) {
  const { t } = useTranslation();
  const { state } = props;
  const printer = state?.printer ?? null;
  const s = state?.settings;
  return (
    <div className="badge-printer" data-testid="badge-printer" data-ready={printer ? String(printer.ready) : 'none'} data-reason={printer?.reason ?? ''}>
      <ErrorMessage error={props.error} testId="badge-state-error" />
      <p className={`message ${printer?.ready ? 'message--ok' : 'message--warning'}`} role="status">
        <strong>{t('badgeDesk.printer.label')}: </strong>
        {!state ? '…' : !printer ? t('badgeDesk.printer.none') : printer.ready ? `${printer.name} — ${t('badgeDesk.printer.ready')}` : `${printer.name} — ${t('badgeDesk.printer.notReady', { reason: printReasonText(t, printer.reason) })}`}{' '}
        <button type="button" className="button button--ghost" data-testid="badge-printer-refresh" onClick={props.onRefresh}>
          {t('badgeDesk.printer.refresh')}
        </button>
      </p>
      {s && (
        <p className="muted" data-testid="badge-settings" data-checks-in={String(s.printChecksIn)} data-window-s={s.reprintWindowS} data-needs-pin={String(s.reprintNeedsPin)}>
          {s.printChecksIn ? t('badgeDesk.settings.checksIn') : t('badgeDesk.settings.printsOnly')}
          {s.reprintWindowS > 0 && ` · ${t('badgeDesk.settings.window', { hours: Math.round((s.reprintWindowS / 3600) * 10) / 10 })}`}
          {s.reprintWindowS > 0 && s.reprintNeedsPin && ` ${t('badgeDesk.settings.pin')}`}
        </p>
      )}
    </div>
  );
}
