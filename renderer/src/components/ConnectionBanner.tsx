// Owns the notice shown while the service-mode link to the core is not up (never shown in Electron).
import { useTranslation } from 'react-i18next';
import { useConnection } from '../core';

export function ConnectionBanner() {
  const { t } = useTranslation();
  const { state } = useConnection();
  if (state === 'ready' || state === 'unauthorized') return null;
  return (
    <div className="connection-banner" role="status" data-testid="connection-banner" data-state={state}>
      {state === 'connecting' ? t('connection.connecting') : t('connection.disconnected')}
    </div>
  );
}
