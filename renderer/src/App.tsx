// Owns the application shell: which screen shows (pairing → login → mode picker → mode), the header,
// and the state every screen shares (app info, sync status, operator session).
//
// data-testid reference — stable hooks for the Playwright tests; change them only together with the tests.
//
//   Shell        app-loading · app-error (data-code) · app-retry · bridge-unauthorized
//                connection-banner (data-state: connecting|disconnected)
//   Header       app-header · header-mode (data-mode) · change-mode · demo-badge
//                sync-status (data-online, data-paired) · sync-pending (data-count) · terminal-name
//                operator-name · logout · language-select (<select>, values en | zh-CN | ru)
//   Pairing      pairing-screen · pairing-server-url · pairing-code · pairing-terminal-name · pairing-submit
//                pairing-error (data-code) · pairing-invalid-serverUrl|code|terminalName
//   Login        login-screen · login-operators · operator-option (data-operator-id, data-role) · operators-none
//                operators-error (data-code) · login-operator-name · login-back · pin-input
//                pin-digit-0 … pin-digit-9 · pin-clear · pin-backspace · pin-enter · pin-too-short
//                login-error (data-code) · login-wait (data-retry-after-ms)
//   Mode picker  mode-picker · mode-option (data-mode) · mode-unavailable (data-mode) · mode-none
//   Box office   box-office · catalog-refresh · catalog-loading · catalog-error (data-code) · catalog-no-event
//                catalog-empty · ticket-type (data-ticket-type-id, data-available) · ticket-type-name
//                ticket-type-price · ticket-type-availability · ticket-add · ticket-remove · ticket-qty
//                cart · cart-empty · cart-line (data-ticket-type-id, data-quantity)
//                cart-total (data-amount-minor) · tendered-input · tendered-exact · tendered-error
//                tendered-short · change-due (data-amount-minor) · sale-error (data-code; "outcome_unknown"
//                when the link dropped mid-sale) · clear-cart · sell-button · cart-body (the cart's scrolling
//                part, above the Sell / Clear bar) · ticket-type-leased (data-leased: seats on this till's
//                lease) · offline-banner (data-left: seats left to sell offline) · pay-card_terminal (F4,
//                only while a card terminal is registered)
//   Sale result  order-result (data-order-id) · order-code · order-change / order-total / order-tendered
//                (data-amount-minor) · sold-ticket (data-ticket-id) · ticket-code
//                print-status (data-printed, data-print-state: printed|queued|failed, kept current by
//                print.job events) · print-error (data-reason: a PrintReason) · new-sale
//   Gate         gate · gate-offline (shown while sync.status.online is false) · verdict-idle (data-checking)
//                verdict (data-admitted, data-annulled, data-reason, data-confirmation, data-direction,
//                data-scan-id, data-checkin-id) · verdict-title · verdict-reason (not while annulled)
//                verdict-annulled · verdict-ticket-type · verdict-attendee · verdict-first-used
//                verdict-direction (data-direction: entry|exit) · verdict-confirmation · verdict-annul
//                annul-error (data-code) · verdict-code · scan-form · scan-input · scan-submit
//                scan-error (data-code) · scan-pending (data-count) · recent-empty
//                recent-verdict (data-scan-id, data-admitted, data-annulled, data-reason, data-confirmation,
//                data-direction)
//   Gate point   gate-point (data-point-id, data-direction; both empty until loaded) · gate-point-name
//                gate-point-direction · point-select (<select> of point ids; managers and admins only)
//                point-option · point-error (data-code)
//   Gate search  search · search-input · search-submit · search-too-short · search-error (data-code)
//                search-empty · search-count (data-count) · search-result (data-ticket-id, data-status)
//                search-result-name · search-result-order · search-result-type · search-result-status
//                search-admit
//   Admin        admin · admin-unavailable (data-problem) · admin-error (data-code) · admin-nav · admin-nav-item
//                (data-section) · staff · staff-list · staff-row (data-operator-id, data-role, data-active)
//                staff-name · staff-edit · staff-disable · staff-enable · staff-row-error · staff-done
//                staff-edit-form · staff-edit-name|role|pin|pin2 · staff-edit-save · staff-edit-problem
//                staff-edit-error · staff-create · staff-create-name|role|pin|pin2 · staff-create-submit
//                staff-create-problem · staff-create-error · staff-error · staff-empty
//                kiosk-settings · kiosk-settings-event · kiosk-settings-form · kiosk-settings-idle|countdown|language
//                kiosk-settings-find-by-phone · kiosk-settings-print-badge · kiosk-settings-help-desk-<lang>
//                kiosk-settings-idle-error · kiosk-settings-countdown-error · kiosk-settings-save|done|error
//                point-entitlement (list) · point-create-entitlement · point-edit-entitlement
//   Manager      manager · sync-now · sync-error (data-code) · sync-facts · sync-facts-online · sync-facts-pending
//                reprints · reprints-refresh · reprints-error · reprints-none · reprints-by-attendee(-row)
//                reprints-by-operator(-row) (data-key, data-prints, data-reprints)
//   Badge desk   badge-desk · badge-search-input · badge-search-submit · badge-search-by-<auto|name|phone|order|code>
//                badge-search-error · badge-results-empty · badge-results-count (data-count, data-by)
//                badge-result (data-ticket-id, data-status, data-print-count, data-checked-in) · badge-result-open
//                badge-result-name · badge-printer (data-ready, data-reason) · badge-settings · badge-offline
//                badge-attendee (data-ticket-id, data-source, data-checked-in, data-print-count, data-needs-reason)
//                badge-attendee-name|company|title|category|status|phone|email|checkin · badge-back
//                badge-correct · badge-correct-form · badge-correct-name|company|title · badge-correct-save
//                badge-correct-error (data-code) · badge-correct-note · badge-preview (data-sides) · badge-preview-side
//                badge-print (data-checks-in) · badge-print-error · reprint-dialog (data-needs-pin) · reprint-reason
//                reprint-preset-* · reprint-manager · reprint-pin · reprint-confirm · reprint-cancel · reprint-error
//                print-results · print-result (data-ticket-id, data-outcome, data-code, data-check-in)
//                print-outcome (data-state, data-reason) · badge-prints (data-count) · badge-print-row (data-reprint,
//                data-reason, data-terminal) · badge-group-open · badge-group · badge-group-member · badge-group-check
//                badge-group-print · walk-in-toggle (F2) · walk-in · walk-in-type (data-ticket-type-id)
//                walk-in-name|phone|email|company|idNumber · walk-in-form-<key> · walk-in-pay-cash|card
//                walk-in-cash · walk-in-approval-code · walk-in-change · walk-in-manager · walk-in-pin
//                walk-in-submit · walk-in-error (data-code) · walk-in-done (data-ticket-id, data-order-code)
//   Kiosk        kiosk (data-screen: welcome|idcard|find|candidates|confirm|working|done|info|refused|failure|
//                staff|maintenance|exited; data-language; data-visit: "true" while a visit is open) · kiosk-logo
//                (5 taps or a 2 s press: the staff corner) · kiosk-language (data-language, aria-pressed)
//                kiosk-camera (data-state: starting|live|reading|read|failed|off) · kiosk-camera-video
//                kiosk-camera-status · kiosk-camera-failed (data-code: camera_denied|camera_failed|no_camera)
//                kiosk-scanner-failed · kiosk-scan-hint · kiosk-idcard-start · kiosk-find-start · kiosk-idcard
//                kiosk-find (data-step: phone|name) · kiosk-digits (data-count) · kiosk-digit-0 … kiosk-digit-9
//                kiosk-digit-backspace · kiosk-digit-clear · kiosk-find-next · kiosk-name-value · kiosk-keyboard
//                (data-layout: latin|cyrillic|chinese) · kiosk-layout-latin|cyrillic|chinese · kiosk-key (data-key)
//                kiosk-key-backspace · kiosk-key-clear · kiosk-name-input (Chinese: the OS input) · kiosk-find-submit
//                kiosk-find-error (data-code) · kiosk-candidates · kiosk-candidate (data-candidate-id) ·
//                kiosk-candidate-name|type|phone|order · kiosk-confirm · kiosk-confirm-name|type|phone|order
//                kiosk-confirm-yes · kiosk-confirm-no · kiosk-working (aria-busy) · kiosk-done (data-check-in,
//                data-print-state) · kiosk-greeting · kiosk-take-badge · kiosk-info-open · kiosk-finish
//                kiosk-info (data-source) · kiosk-info-item (data-kind) · kiosk-next-item · kiosk-entitlement
//                (data-kind, data-available, data-used) · kiosk-info-empty · kiosk-refused (data-reason)
//                kiosk-failure (data-kind: printer|camera|scanner|error; data-code) · kiosk-help-desk
//                kiosk-call-help (refusal and failure screens: kiosk.report help) · kiosk-help-called
//                kiosk-back (to the welcome screen) · kiosk-error (data-code) · kiosk-countdown (data-seconds,
//                role=alert) · kiosk-stay · kiosk-staff (manager choice + PIN) · kiosk-staff-manager
//                (data-operator-id) · kiosk-pin-digit-0 … 9 · kiosk-pin-clear · kiosk-pin-enter · kiosk-pin-value
//                (data-count) · kiosk-staff-error (data-code) · kiosk-staff-cancel · kiosk-maintenance ·
//                kiosk-maint-device (data-kind, data-state) · kiosk-maint-alert (data-kind, data-code)
//                kiosk-maint-printer|scanner|online · kiosk-exit · kiosk-exit-error · kiosk-maint-close · kiosk-exited
//   Kiosk alerts kiosk-alerts (manager) · kiosk-alerts-count (data-count) · kiosk-alert (data-alert-id, data-kind,
//                data-code, data-resolved) · kiosk-alert-terminal|kind|code|time · kiosk-alert-resolve
//                kiosk-alerts-empty · kiosk-alerts-error (data-code) · kiosk-alerts-refresh
//   No-ops mode  no-operations (data-mode) · no-operations-notice (a mode without a screen)
//   Devices      device-strip · device (data-device-id, data-kind, data-state) · devices-none · devices-error
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConnectionStore } from './bridge';
import { ConnectionBanner } from './components/ConnectionBanner';
import { Header } from './components/Header';
import { Mode, type AdmitBridge, type CallError, type CallOutput, type Session, type SyncStatus } from './contract';
import { CoreProvider, useCall, useConnection, useEvent } from './core';
import { Admin } from './modes/admin/Admin';
import { BadgeDesk } from './modes/badge-desk/BadgeDesk';
import { BoxOffice } from './modes/box-office/BoxOffice';
import { Gate } from './modes/gate/Gate';
import { Kiosk } from './modes/kiosk/Kiosk';
import { Manager } from './modes/manager/Manager';
import { NoOperations } from './modes/unsupported/NoOperations';
import { LoginScreen } from './screens/LoginScreen';
import { ModePicker, type RequestedMode } from './screens/ModePicker';
import { PairingScreen } from './screens/PairingScreen';

type AppInfo = CallOutput<'app.info'>;

function readRequestedMode(): RequestedMode | null {
  const raw = new URLSearchParams(window.location.search).get('mode');
  if (raw === null || raw === '') return null;
  const parsed = Mode.safeParse(raw);
  return { raw, mode: parsed.success ? parsed.data : null };
}

function writeModeToUrl(mode: Mode | null): void {
  const url = new URL(window.location.href);
  if (mode) url.searchParams.set('mode', mode);
  else url.searchParams.delete('mode');
  window.history.replaceState(window.history.state, '', `${url.pathname}${url.search}${url.hash}`);
}

export function App(props: { bridge: AdmitBridge; connection: ConnectionStore }) {
  // undefined: not known yet; null: nobody signed in.
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const onSessionLost = useCallback(() => setSession(null), []);
  return (
    <CoreProvider bridge={props.bridge} connection={props.connection} onSessionLost={onSessionLost}>
      <Shell session={session} setSession={setSession} />
    </CoreProvider>
  );
}

function Shell(props: { session: Session | null | undefined; setSession: (s: Session | null) => void }) {
  const { session, setSession } = props;
  const { t } = useTranslation();
  const call = useCall();
  const connection = useConnection();
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [sync, setSync] = useState<SyncStatus | null>(null);
  const [loadError, setLoadError] = useState<CallError | null>(null);
  const [attempt, setAttempt] = useState(0);
  // A window opened for one mode (Electron opens one per mode) stays in it; otherwise the operator picks.
  const [requested] = useState(readRequestedMode);
  const [chosen, setChosen] = useState<Mode | null>(requested?.mode ?? null);
  // The "not available" notice is about the URL's request; it goes once the operator picks a mode.
  const [notice, setNotice] = useState<RequestedMode | null>(requested);

  useEffect(() => {
    let live = true;
    void Promise.all([call('app.info', {}), call('sync.status', {}), call('session.current', {})]).then(
      ([infoResult, syncResult, sessionResult]) => {
        if (!live) return;
        const failed = [infoResult, syncResult, sessionResult].find((r) => !r.ok);
        if (infoResult.ok) setInfo(infoResult.value);
        if (syncResult.ok) setSync(syncResult.value);
        if (sessionResult.ok) setSession(sessionResult.value);
        setLoadError(failed && !failed.ok ? failed.error : null);
      },
    );
    return () => {
      live = false;
    };
  }, [call, connection.generation, attempt, setSession]);

  useEvent('sync.status', setSync);

  // The core pushes events only to a signed-in UI: on sign-in, catch up with what changed before it.
  const operatorId = session?.operatorId ?? null;
  useEffect(() => {
    if (operatorId === null) return;
    let live = true;
    void call('sync.status', {}).then((r) => {
      if (live && r.ok) setSync(r.value);
    });
    return () => {
      live = false;
    };
  }, [call, operatorId]);

  const logout = useCallback(async () => {
    await call('session.logout', {});
    setSession(null);
  }, [call, setSession]);

  const pick = useCallback((mode: Mode | null) => {
    setChosen(mode);
    setNotice(null);
    writeModeToUrl(mode);
  }, []);

  // Admin mode is offered to admin operators only (the core refuses its calls to anyone else).
  const available = (info?.modes ?? []).filter((m) => m !== 'admin' || session?.role === 'admin');
  const soleMode = requested === null && available.length === 1 ? (available[0] ?? null) : null;
  const mode = chosen && available.includes(chosen) ? chosen : soleMode;
  const modeLocked = requested?.mode != null && mode === requested.mode;
  const signedIn = session ?? null;
  const ready = info !== null && sync !== null && session !== undefined;

  let content;
  if (connection.state === 'unauthorized') {
    content = (
      <main className="screen screen--centered" data-testid="bridge-unauthorized">
        <p className="card message message--error" role="alert">
          {t('connection.unauthorized')}
        </p>
      </main>
    );
  } else if (!ready) {
    content = loadError ? (
      <main className="screen screen--centered">
        <div className="card">
          <p className="message message--error" role="alert" data-testid="app-error" data-code={loadError.code}>
            {t(`errors.${loadError.code}`)}
          </p>
          <button
            type="button"
            className="button button--primary button--large"
            data-testid="app-retry"
            onClick={() => setAttempt((n) => n + 1)}
          >
            {t('common.retry')}
          </button>
        </div>
      </main>
    ) : (
      <main className="screen screen--centered" data-testid="app-loading">
        <p className="splash">{t('app.loading')}</p>
      </main>
    );
  } else if (!sync.paired) {
    content = (
      <PairingScreen
        onPaired={(status) => {
          setSync(status);
          setAttempt((n) => n + 1);
        }}
      />
    );
  } else if (!signedIn) {
    content = <LoginScreen onLogin={setSession} />;
  } else if (!mode) {
    content = <ModePicker modes={available} requested={notice} onPick={pick} />;
  } else if (mode === 'box-office') {
    content = <BoxOffice />;
  } else if (mode === 'gate') {
    content = <Gate sync={sync} role={signedIn.role} />;
  } else if (mode === 'badge-desk') {
    content = <BadgeDesk />;
  } else if (mode === 'manager') {
    content = <Manager sync={sync} version={info.version} onSync={setSync} />;
  } else if (mode === 'admin') {
    content = <Admin sync={sync} />;
  } else if (mode === 'kiosk') {
    content = <Kiosk sync={sync} />;
  } else {
    content = <NoOperations mode={mode} sync={sync} />;
  }

  return (
    <div className="app" data-mode={mode ?? ''}>
      {/* The kiosk is the attendees' screen: no operator header (no sign-out, no mode change) there. */}
      {mode === 'kiosk' && signedIn ? null : (
        <Header
          mode={signedIn ? mode : null}
          demo={info?.demo ?? false}
          sync={sync}
          session={signedIn}
          onChangeMode={signedIn && mode && !modeLocked && available.length > 1 ? () => pick(null) : null}
          onLogout={signedIn ? () => void logout() : null}
        />
      )}
      <ConnectionBanner />
      {content}
    </div>
  );
}
