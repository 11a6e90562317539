// Owns the top bar every screen shares: product name, mode, link and sync state, operator, language.
import { useTranslation } from 'react-i18next';
import type { Mode, Session, SyncStatus } from '../contract';
import { LanguageSwitcher } from './LanguageSwitcher';

export function Header(props: {
  mode: Mode | null;
  demo: boolean;
  sync: SyncStatus | null;
  session: Session | null;
  onChangeMode: (() => void) | null;
  onLogout: (() => void) | null;
}) {
  const { t } = useTranslation();
  const { mode, demo, sync, session, onChangeMode, onLogout } = props;
  const syncState = !sync ? null : !sync.paired ? 'not-paired' : sync.online ? 'online' : 'offline';
  return (
    <header className="app-header" data-testid="app-header">
      <div className="app-header__brand">
        <span className="app-header__name">{t('app.name')}</span>
        {mode && (
          <span className="app-header__mode" data-testid="header-mode" data-mode={mode}>
            {t(`mode.${mode}`)}
          </span>
        )}
        {demo && (
          <span className="app-header__demo" data-testid="demo-badge">
            {t('app.demo')}
          </span>
        )}
        {onChangeMode && (
          <button type="button" className="button button--ghost" data-testid="change-mode" onClick={onChangeMode}>
            {t('header.changeMode')}
          </button>
        )}
      </div>
      <div className="app-header__status">
        {sync && syncState && (
          <span
            className={`sync-status sync-status--${syncState}`}
            data-testid="sync-status"
            data-online={String(sync.online)}
            data-paired={String(sync.paired)}
            title={sync.terminalName ?? undefined}
          >
            <span className="sync-status__dot" aria-hidden="true" />
            {syncState === 'online' ? t('header.online') : syncState === 'offline' ? t('header.offline') : t('header.notPaired')}
          </span>
        )}
        {sync && sync.paired && (
          <span
            className={`sync-pending ${sync.pendingOutbox > 0 ? 'sync-pending--waiting' : ''}`}
            data-testid="sync-pending"
            data-count={sync.pendingOutbox}
          >
            {t('header.pending', { count: sync.pendingOutbox })}
          </span>
        )}
        {sync?.terminalName && (
          <span className="app-header__terminal" data-testid="terminal-name">
            <span className="visually-hidden">{t('header.terminal')}: </span>
            {sync.terminalName}
          </span>
        )}
      </div>
      <div className="app-header__session">
        {session && (
          <span className="app-header__operator" data-testid="operator-name">
            <span className="visually-hidden">{t('header.operator')}: </span>
            {session.operatorName}
          </span>
        )}
        {session && onLogout && (
          <button type="button" className="button button--ghost" data-testid="logout" onClick={onLogout}>
            {t('header.logout')}
          </button>
        )}
        <LanguageSwitcher />
      </div>
    </header>
  );
}
