// Owns the self-service kiosk screen, touch first and for attendees: the welcome (language, the camera's
// live panel for a ticket's code, an ID card tap, find by phone digits and name), the masked candidates,
// "Is this you?", checking in and printing, "take your badge", what is next, and the kind screens that
// send people to the help desk (a refused ticket, the printer out of cards, the camera or scanner not
// working). Scanner and ID-card reads arrive as kiosk.found and drive the same flow. After the event's
// idle time a visible countdown returns to the welcome screen, ends the visit and forgets everything
// shown; staff reach maintenance through a discreet corner and a manager's PIN.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type {
  CallError,
  KioskCandidate,
  KioskCheckIn,
  KioskFound,
  KioskInfo,
  KioskMaintenance,
  KioskRefusal,
  KioskState,
  SyncStatus,
} from '../../contract';
import { useCall, useEvent } from '../../core';
import { languageNames, type Language } from '../../i18n';
import { pickLocalized } from '../../i18n/format';
import { CameraPanel, type CameraProblem } from './Camera';
import { DigitPad, LetterKeyboard, type Layout } from './Keyboards';
import { Maintenance, StaffLogin, type Approval } from './Staff';
import { REFUSAL_GROUP, helpDeskText } from './words';
import './kiosk.css';

/** The kiosk's languages (the contract's KioskLanguage: the UI's languages). */
type KioskLanguage = Language;
const LANGUAGES: readonly KioskLanguage[] = ['en', 'zh-CN', 'ru'];
const LAYOUT_FOR: Record<KioskLanguage, Layout> = { en: 'latin', 'zh-CN': 'chinese', ru: 'cyrillic' };
/** Taps on the logo within this time that open the staff corner, or a press this long. */
const STAFF_TAPS = 5;
const STAFF_TAPS_MS = 3000;
const STAFF_PRESS_MS = 2000;
const NAME_MAX = 10;

type FailureKind = 'printer' | 'camera' | 'scanner' | 'error';
type Screen =
  | { name: 'welcome' }
  | { name: 'idcard' }
  | { name: 'find' }
  | { name: 'candidates'; visitId: string; candidates: KioskCandidate[] }
  | { name: 'confirm'; visitId: string; candidate: KioskCandidate; others: KioskCandidate[] | null; requestId: string }
  | { name: 'working'; candidate: KioskCandidate }
  | { name: 'done'; result: KioskCheckIn }
  | { name: 'info'; visitId: string }
  | { name: 'refused'; reason: KioskRefusal['reason'] }
  | { name: 'failure'; kind: FailureKind; code: string; visitId: string | null }
  | { name: 'staff' }
  | { name: 'maintenance'; data: KioskMaintenance; approval: Approval }
  | { name: 'exited' };

/** Screens a scanner or ID-card read may interrupt (not while checking in, nor on the staff screens). */
const FOUND_ACCEPTED: ReadonlySet<Screen['name']> = new Set([
  'welcome',
  'idcard',
  'find',
  'candidates',
  'confirm',
  'done',
  'info',
  'refused',
  'failure',
]);

/** Screens that show (or act on) an open visit. */
const VISIT_SCREENS: ReadonlySet<Screen['name']> = new Set(['candidates', 'confirm', 'working', 'done', 'info']);

function newRequestId(): string {
  return crypto.randomUUID();
}

export function Kiosk(props: { sync: SyncStatus | null }) {
  const { t, i18n } = useTranslation();
  const call = useCall();
  const [state, setState] = useState<KioskState | null>(null);
  const [loadError, setLoadError] = useState<CallError | null>(null);
  const [screen, setScreen] = useState<Screen>({ name: 'welcome' });
  /** Bumped at every reset: every screen's own state (typed digits, letters) starts afresh. */
  const [generation, setGeneration] = useState(0);
  const [countdown, setCountdown] = useState<number | null>(null);
  const [camera, setCamera] = useState<CameraProblem | null>(null);
  const visitRef = useRef<string | null>(null);
  const lastActivity = useRef(0);
  const reported = useRef(new Set<string>());
  const screenRef = useRef(screen);
  const stateRef = useRef(state);
  useEffect(() => {
    screenRef.current = screen;
    stateRef.current = state;
  });

  const language: KioskLanguage = (LANGUAGES as readonly string[]).includes(i18n.language)
    ? (i18n.language as KioskLanguage)
    : 'en';
  const settings = state?.settings ?? null;
  const defaultLanguage = settings?.defaultLanguage ?? 'en';
  const helpDesk = helpDeskText(t, settings?.helpDesk ?? null, language);

  /** Bumped to read the kiosk's state again (after a reset: settings may have changed). */
  const [stateGen, setStateGen] = useState(0);
  const firstState = useRef(true);
  useEffect(() => {
    let live = true;
    void call('kiosk.state', {}).then((r) => {
      if (!live) return;
      if (!r.ok) return setLoadError(r.error);
      setState(r.value);
      setLoadError(null);
      // The kiosk opens in the event's default language.
      if (firstState.current) void i18n.changeLanguage(r.value.settings.defaultLanguage);
      firstState.current = false;
    });
    return () => {
      live = false;
    };
  }, [call, i18n, stateGen]);

  const touch = useCallback(() => {
    lastActivity.current = Date.now();
    setCountdown(null);
  }, []);

  /** Back to the welcome screen with nothing of the attendee left: the visit ends, state is dropped. */
  const reset = useCallback(() => {
    const visitId = visitRef.current;
    visitRef.current = null;
    // Only a visit this screen knows is ended: "end whatever is open" could end the visit a scanner read
    // opened a moment ago, for the next attendee.
    if (visitId !== null) void call('kiosk.reset', { visitId });
    setScreen({ name: 'welcome' });
    setCamera(null);
    setGeneration((g) => g + 1);
    touch();
    const lang = stateRef.current?.settings.defaultLanguage ?? 'en';
    if (i18n.language !== lang) {
      void i18n.changeLanguage(lang);
      void call('kiosk.language', { language: lang });
    }
    setStateGen((g) => g + 1);
  }, [call, i18n, touch]);

  // Any touch or key is activity.
  useEffect(() => {
    const onActivity = () => touch();
    window.addEventListener('pointerdown', onActivity, true);
    window.addEventListener('keydown', onActivity, true);
    window.addEventListener('input', onActivity, true);
    return () => {
      window.removeEventListener('pointerdown', onActivity, true);
      window.removeEventListener('keydown', onActivity, true);
      window.removeEventListener('input', onActivity, true);
    };
  }, [touch]);

  // The idle clock: a visible countdown, then the reset. A pristine welcome screen has nothing to reset.
  useEffect(() => {
    if (!settings) return;
    const { idleResetS, countdownS } = settings;
    const timer = setInterval(() => {
      const current = screenRef.current.name;
      const pristine = current === 'welcome' && visitRef.current === null && i18n.language === settings.defaultLanguage;
      if (pristine || current === 'working' || current === 'exited') {
        lastActivity.current = Date.now();
        setCountdown(null);
        return;
      }
      const idleMs = Date.now() - lastActivity.current;
      const leftMs = idleResetS * 1000 - idleMs;
      if (leftMs <= 0) reset();
      else if (leftMs <= Math.min(countdownS, idleResetS) * 1000) setCountdown(Math.ceil(leftMs / 1000));
      else setCountdown(null);
    }, 250);
    return () => clearInterval(timer);
  }, [settings, reset, i18n]);

  const refuse = useCallback((reason: KioskRefusal['reason']) => {
    visitRef.current = null;
    setScreen({ name: 'refused', reason });
  }, []);

  const showFound = useCallback(
    (found: KioskFound) => {
      touch();
      if (!found.ok) return refuse(found.refusal.reason);
      visitRef.current = found.visitId;
      const [only] = found.candidates;
      if (found.candidates.length === 1 && only)
        setScreen({ name: 'confirm', visitId: found.visitId, candidate: only, others: null, requestId: newRequestId() });
      else setScreen({ name: 'candidates', visitId: found.visitId, candidates: found.candidates });
    },
    [refuse, touch],
  );

  // A device came or went (a scanner unplugged, the printer out of cards): the welcome screen says so.
  useEvent('device.status', () => {
    if (screenRef.current.name === 'welcome') setStateGen((g) => g + 1);
  });

  useEvent('kiosk.found', (found) => {
    if (FOUND_ACCEPTED.has(screenRef.current.name)) showFound(found);
  });

  const failure = useCallback((kind: FailureKind, code: string, visitId: string | null = null) => {
    setScreen({ name: 'failure', kind, code, visitId });
  }, []);

  const onCameraCode = useCallback(
    async (code: string) => {
      touch();
      const r = await call('kiosk.code', { code: code.slice(0, 512), by: 'camera' });
      if (screenRef.current.name !== 'welcome') return;
      if (r.ok) showFound(r.value);
      else failure('error', r.error.code);
    },
    [call, failure, showFound, touch],
  );

  const onCameraProblem = useCallback(
    (problem: CameraProblem) => {
      setCamera(problem);
      if (reported.current.has(problem)) return;
      reported.current.add(problem);
      void call('kiosk.report', { kind: 'camera', code: problem });
    },
    [call],
  );

  const chooseLanguage = useCallback(
    (lang: KioskLanguage) => {
      void i18n.changeLanguage(lang);
      void call('kiosk.language', { language: lang });
    },
    [call, i18n],
  );

  const confirm = useCallback(
    async (s: Extract<Screen, { name: 'confirm' }>) => {
      setScreen({ name: 'working', candidate: s.candidate });
      const r = await call('kiosk.confirm', { visitId: s.visitId, candidateId: s.candidate.candidateId, requestId: s.requestId });
      touch();
      if (!r.ok) return failure('error', r.error.code);
      const result = r.value;
      // Refused, or checked in with a badge printed before (reprints only at the desk): the help desk.
      if (result.checkIn === 'refused' || result.refusal) return refuse(result.refusal?.reason ?? 'unknown');
      if (result.print && result.print.state !== 'printed') return failure('printer', result.print.reason, result.visitId);
      setScreen({ name: 'done', result });
    },
    [call, failure, refuse, touch],
  );

  // Staff corner: five quick taps on the logo, or a long press.
  const taps = useRef<number[]>([]);
  const press = useRef<ReturnType<typeof setTimeout> | null>(null);
  const openStaff = useCallback(() => {
    taps.current = [];
    if (press.current) clearTimeout(press.current);
    press.current = null;
    if (!['working', 'staff', 'maintenance', 'exited'].includes(screenRef.current.name)) setScreen({ name: 'staff' });
  }, []);
  const logoDown = () => {
    const now = Date.now();
    taps.current = [...taps.current.filter((at) => now - at < STAFF_TAPS_MS), now];
    if (taps.current.length >= STAFF_TAPS) return openStaff();
    if (press.current) clearTimeout(press.current);
    press.current = setTimeout(openStaff, STAFF_PRESS_MS);
  };
  const logoUp = () => {
    if (press.current) clearTimeout(press.current);
    press.current = null;
  };
  useEffect(() => () => logoUp(), []);

  if (!state) {
    return (
      <main className="kiosk kiosk--loading" data-testid="kiosk" data-screen="loading" lang={language}>
        {loadError ? (
          <div className="kiosk-panel">
            <p className="kiosk-message kiosk-message--error" role="alert" data-testid="kiosk-error" data-code={loadError.code}>
              {t(`errors.${loadError.code}`)}
            </p>
            <button type="button" className="kiosk-button kiosk-button--primary" onClick={() => setStateGen((g) => g + 1)}>
              {t('common.retry')}
            </button>
          </div>
        ) : (
          <p className="kiosk-lead" role="status">
            {t('kiosk.loading')}
          </p>
        )}
      </main>
    );
  }

  const eventName = pickLocalized(state.eventName, language);
  const back = (
    <button type="button" className="kiosk-button" data-testid="kiosk-back" onClick={reset}>
      {t('kiosk.backToStart')}
    </button>
  );

  let body;
  switch (screen.name) {
    case 'welcome':
      body = (
        <Welcome
          state={state}
          camera={camera}
          onCameraCode={onCameraCode}
          onCameraProblem={onCameraProblem}
          onIdCard={() => setScreen({ name: 'idcard' })}
          onFind={() => setScreen({ name: 'find' })}
          helpDesk={helpDesk}
        />
      );
      break;
    case 'idcard':
      body = (
        <section className="kiosk-panel" data-testid="kiosk-idcard" aria-labelledby="kiosk-idcard-title">
          <div className="kiosk-icon" aria-hidden="true">
            ▭
          </div>
          <h1 className="kiosk-title" id="kiosk-idcard-title">
            {t('kiosk.idcard.title')}
          </h1>
          <p className="kiosk-lead" role="status">
            {t('kiosk.idcard.body')}
          </p>
          {!state.idCardReader.ready && <p className="kiosk-note">{t('kiosk.idcard.notReady', { place: helpDesk })}</p>}
          <div className="kiosk-actions">{back}</div>
        </section>
      );
      break;
    case 'find':
      body = <Find language={language} onFound={showFound} onBack={reset} />;
      break;
    case 'candidates':
      body = (
        <section className="kiosk-panel" data-testid="kiosk-candidates" aria-labelledby="kiosk-candidates-title">
          <h1 className="kiosk-title" id="kiosk-candidates-title">
            {t('kiosk.candidates.title')}
          </h1>
          <ul className="kiosk-candidates" role="list">
            {screen.candidates.map((c) => (
              <li key={c.candidateId}>
                <button
                  type="button"
                  className="kiosk-candidate"
                  data-testid="kiosk-candidate"
                  data-candidate-id={c.candidateId}
                  onClick={() =>
                    setScreen({
                      name: 'confirm',
                      visitId: screen.visitId,
                      candidate: c,
                      others: screen.candidates,
                      requestId: newRequestId(),
                    })
                  }
                >
                  <CandidateFacts candidate={c} language={language} prefix="kiosk-candidate" />
                </button>
              </li>
            ))}
          </ul>
          <p className="kiosk-note">{t('kiosk.candidates.none', { place: helpDesk })}</p>
          <div className="kiosk-actions">{back}</div>
        </section>
      );
      break;
    case 'confirm':
      body = (
        <section className="kiosk-panel" data-testid="kiosk-confirm" aria-labelledby="kiosk-confirm-title">
          <h1 className="kiosk-title" id="kiosk-confirm-title">
            {t('kiosk.confirm.title')}
          </h1>
          <div className="kiosk-card">
            <CandidateFacts candidate={screen.candidate} language={language} prefix="kiosk-confirm" />
          </div>
          <div className="kiosk-actions kiosk-actions--big">
            <button
              type="button"
              className="kiosk-button kiosk-button--primary kiosk-button--huge"
              data-testid="kiosk-confirm-yes"
              onClick={() => void confirm(screen)}
            >
              {t('kiosk.confirm.yes')}
            </button>
            <button
              type="button"
              className="kiosk-button kiosk-button--huge"
              data-testid="kiosk-confirm-no"
              onClick={() =>
                screen.others ? setScreen({ name: 'candidates', visitId: screen.visitId, candidates: screen.others }) : reset()
              }
            >
              {t('kiosk.confirm.no')}
            </button>
          </div>
        </section>
      );
      break;
    case 'working':
      body = (
        <section className="kiosk-panel" data-testid="kiosk-working" aria-busy="true" aria-labelledby="kiosk-working-title">
          <h1 className="kiosk-title" id="kiosk-working-title">
            {t('kiosk.working.title')}
          </h1>
          <div className="kiosk-progress" role="progressbar" aria-label={t('kiosk.working.title')}>
            <div className="kiosk-progress__bar" />
          </div>
          <ol className="kiosk-steps" role="status" aria-live="polite">
            <li>{t('kiosk.working.checkIn')}</li>
            {state.settings.printBadge && <li>{t('kiosk.working.print')}</li>}
          </ol>
        </section>
      );
      break;
    case 'done': {
      const r = screen.result;
      body = (
        <section
          className="kiosk-panel kiosk-panel--ok"
          data-testid="kiosk-done"
          data-check-in={r.checkIn}
          data-print-state={r.print?.state ?? ''}
          aria-labelledby="kiosk-done-title"
        >
          <div className="kiosk-icon kiosk-icon--ok" aria-hidden="true">
            ✓
          </div>
          <h1 className="kiosk-title" id="kiosk-done-title" data-testid="kiosk-greeting">
            {r.greeting ? t('kiosk.done.greeting', { name: r.greeting }) : t('kiosk.done.greetingNoName')}
          </h1>
          <p className="kiosk-lead" role="status" data-testid="kiosk-take-badge">
            {r.print?.state === 'printed'
              ? t('kiosk.done.takeBadge')
              : r.checkIn === 'already'
                ? t('kiosk.done.already')
                : t('kiosk.done.checkedIn')}
          </p>
          <div className="kiosk-actions kiosk-actions--big">
            <button
              type="button"
              className="kiosk-button kiosk-button--primary kiosk-button--huge"
              data-testid="kiosk-info-open"
              onClick={() => setScreen({ name: 'info', visitId: r.visitId })}
            >
              {t('kiosk.done.whatsNext')}
            </button>
            <button type="button" className="kiosk-button kiosk-button--huge" data-testid="kiosk-finish" onClick={reset}>
              {t('kiosk.done.finish')}
            </button>
          </div>
        </section>
      );
      break;
    }
    case 'info':
      body = (
        <Info
          visitId={screen.visitId}
          timezone={state.timezone}
          language={language}
          onDone={reset}
          onExpired={() => failure('error', 'visit_expired')}
        />
      );
      break;
    case 'refused': {
      const group = REFUSAL_GROUP[screen.reason];
      body = (
        <section
          className="kiosk-panel kiosk-panel--stop"
          data-testid="kiosk-refused"
          data-reason={screen.reason}
          aria-labelledby="kiosk-refused-title"
        >
          <div className="kiosk-icon" aria-hidden="true">
            ☺
          </div>
          <h1 className="kiosk-title" id="kiosk-refused-title" role="alert">
            {t(`kiosk.refusal.${group}.title`)}
          </h1>
          <p className="kiosk-lead">{t(`kiosk.refusal.${group}.body`)}</p>
          <p className="kiosk-help" data-testid="kiosk-help-desk">
            {t('kiosk.goToHelpDesk', { place: helpDesk })}
          </p>
          <CallHelp />
          <div className="kiosk-actions">
            {(group === 'notFound' || group === 'tooMany') && (
              <button type="button" className="kiosk-button kiosk-button--primary" onClick={() => setScreen({ name: 'find' })}>
                {t('kiosk.refusal.tryAgain')}
              </button>
            )}
            {back}
          </div>
        </section>
      );
      break;
    }
    case 'failure':
      body = (
        <section
          className="kiosk-panel kiosk-panel--stop"
          data-testid="kiosk-failure"
          data-kind={screen.kind}
          data-code={screen.code}
          aria-labelledby="kiosk-failure-title"
        >
          <div className="kiosk-icon" aria-hidden="true">
            ☺
          </div>
          <h1 className="kiosk-title" id="kiosk-failure-title" role="alert">
            {t(`kiosk.failure.${screen.kind}.title`)}
          </h1>
          <p className="kiosk-lead">
            {screen.kind === 'error' && screen.code === 'visit_expired'
              ? t('kiosk.failure.expired')
              : t(`kiosk.failure.${screen.kind}.body`)}
          </p>
          <p className="kiosk-help" data-testid="kiosk-help-desk">
            {t('kiosk.goToHelpDesk', { place: helpDesk })}
          </p>
          <CallHelp />
          <div className="kiosk-actions">
            {screen.kind === 'printer' && screen.visitId && (
              <button
                type="button"
                className="kiosk-button kiosk-button--primary"
                data-testid="kiosk-info-open"
                onClick={() => setScreen({ name: 'info', visitId: screen.visitId ?? '' })}
              >
                {t('kiosk.done.whatsNext')}
              </button>
            )}
            {back}
          </div>
        </section>
      );
      break;
    case 'staff':
      body = <StaffLogin onOpen={(data, approval) => setScreen({ name: 'maintenance', data, approval })} onCancel={reset} />;
      break;
    case 'maintenance':
      body = (
        <Maintenance
          data={screen.data}
          approval={screen.approval}
          onClose={reset}
          onExited={() => setScreen({ name: 'exited' })}
        />
      );
      break;
    case 'exited':
      body = (
        <section className="kiosk-panel" data-testid="kiosk-exited">
          <h1 className="kiosk-title">{t('kiosk.exited')}</h1>
        </section>
      );
      break;
  }

  return (
    <main
      className="kiosk"
      data-testid="kiosk"
      data-screen={screen.name}
      data-language={language}
      data-visit={String(VISIT_SCREENS.has(screen.name) || (screen.name === 'failure' && screen.visitId !== null))}
      lang={language}
    >
      <header className="kiosk-top">
        {/* The staff corner: not a control for attendees (no role, no focus). */}
        <div
          className="kiosk-logo"
          data-testid="kiosk-logo"
          onPointerDown={logoDown}
          onPointerUp={logoUp}
          onPointerLeave={logoUp}
          onContextMenu={(e) => e.preventDefault()}
        >
          <span className="kiosk-logo__mark" aria-hidden="true">
            A
          </span>
          <span className="kiosk-logo__event">{eventName || t('app.name')}</span>
        </div>
        {screen.name === 'welcome' && (
          <div className="kiosk-languages" role="group" aria-label={t('kiosk.welcome.language')}>
            {[defaultLanguage, ...LANGUAGES.filter((l) => l !== defaultLanguage)].map((l) => (
              <button
                key={l}
                type="button"
                lang={l}
                className={`kiosk-language${l === language ? ' kiosk-language--on' : ''}`}
                data-testid="kiosk-language"
                data-language={l}
                aria-pressed={l === language}
                onClick={() => chooseLanguage(l)}
              >
                {languageNames[l]}
              </button>
            ))}
          </div>
        )}
        {!props.sync?.online && <span className="kiosk-offline" aria-hidden="true" title={t('header.offline')} />}
      </header>
      <div className="kiosk-body" key={generation}>
        {body}
      </div>
      {countdown !== null && (
        <div className="kiosk-countdown" role="alertdialog" aria-modal="true" aria-labelledby="kiosk-countdown-text">
          <div className="kiosk-countdown__box">
            <p
              id="kiosk-countdown-text"
              className="kiosk-lead"
              role="alert"
              data-testid="kiosk-countdown"
              data-seconds={countdown}
            >
              {t('kiosk.countdown.text', { seconds: countdown })}
            </p>
            <button
              type="button"
              className="kiosk-button kiosk-button--primary kiosk-button--huge"
              data-testid="kiosk-stay"
              onClick={touch}
            >
              {t('kiosk.countdown.stay')}
            </button>
          </div>
        </div>
      )}
    </main>
  );
}

/** "Call staff": the core raises a help alert for the managers' dashboard. */
function CallHelp() {
  const { t } = useTranslation();
  const call = useCall();
  const [state, setState] = useState<'idle' | 'busy' | 'called' | 'failed'>('idle');
  async function callHelp() {
    setState('busy');
    const r = await call('kiosk.report', { kind: 'help', code: 'help_requested' });
    setState(r.ok ? 'called' : 'failed');
  }
  if (state === 'called')
    return (
      <p className="kiosk-lead" role="status" data-testid="kiosk-help-called">
        {t('kiosk.help.called')}
      </p>
    );
  return (
    <button
      type="button"
      className="kiosk-button"
      data-testid="kiosk-call-help"
      disabled={state === 'busy'}
      onClick={() => void callHelp()}
    >
      {state === 'failed' ? t('kiosk.help.failed') : t('kiosk.help.call')}
    </button>
  );
}

function CandidateFacts(props: { candidate: KioskCandidate; language: string; prefix: string }) {
  const { t } = useTranslation();
  const c = props.candidate;
  return (
    <dl className="kiosk-person">
      <dt className="kiosk-visually-hidden">{t('kiosk.person.name')}</dt>
      <dd className="kiosk-person__name" data-testid={`${props.prefix}-name`}>
        {c.nameMasked ?? t('kiosk.person.noName')}
      </dd>
      <dt>{t('kiosk.person.ticket')}</dt>
      <dd data-testid={`${props.prefix}-type`}>{pickLocalized(c.ticketTypeName, props.language)}</dd>
      {c.phoneMasked && (
        <>
          <dt>{t('kiosk.person.phone')}</dt>
          <dd data-testid={`${props.prefix}-phone`}>{c.phoneMasked}</dd>
        </>
      )}
      {c.orderHint && (
        <>
          <dt>{t('kiosk.person.order')}</dt>
          <dd data-testid={`${props.prefix}-order`}>…{c.orderHint}</dd>
        </>
      )}
    </dl>
  );
}

function Welcome(props: {
  state: KioskState;
  camera: CameraProblem | null;
  onCameraCode: (code: string) => Promise<void>;
  onCameraProblem: (problem: CameraProblem) => void;
  onIdCard: () => void;
  onFind: () => void;
  helpDesk: string;
}) {
  const { t } = useTranslation();
  const { state } = props;
  const scannerDown = state.scanner.present && !state.scanner.ready;
  return (
    <section className="kiosk-welcome" data-testid="kiosk-welcome" aria-labelledby="kiosk-welcome-title">
      <h1 className="kiosk-title" id="kiosk-welcome-title">
        {t('kiosk.welcome.title')}
      </h1>
      <div className="kiosk-welcome__main">
        <div className="kiosk-scan">
          <h2 className="kiosk-subtitle">{t('kiosk.welcome.scan')}</h2>
          {props.camera === null ? (
            <CameraPanel onCode={props.onCameraCode} onProblem={props.onCameraProblem} />
          ) : (
            <div className="kiosk-camera kiosk-camera--failed" data-testid="kiosk-camera" data-state="failed">
              <p className="kiosk-message" role="alert" data-testid="kiosk-camera-failed" data-code={props.camera}>
                {t('kiosk.failure.camera.title')}{' '}
                {t(
                  state.scanner.present && state.scanner.ready ? 'kiosk.failure.camera.useScanner' : 'kiosk.failure.camera.body',
                )}
              </p>
            </div>
          )}
          <p className="kiosk-note" data-testid="kiosk-scan-hint">
            {state.scanner.present && state.scanner.ready ? t('kiosk.welcome.scanHintScanner') : t('kiosk.welcome.scanHint')}
          </p>
          {scannerDown && (
            <p className="kiosk-message" role="status" data-testid="kiosk-scanner-failed">
              {t('kiosk.failure.scanner.title')} {t('kiosk.failure.scanner.body')}
            </p>
          )}
        </div>
        <div className="kiosk-ways">
          {state.idCardReader.present && (
            <button
              type="button"
              className="kiosk-button kiosk-button--way"
              data-testid="kiosk-idcard-start"
              onClick={props.onIdCard}
            >
              {t('kiosk.welcome.idCard')}
            </button>
          )}
          {state.settings.findByPhone && (
            <button
              type="button"
              className="kiosk-button kiosk-button--way"
              data-testid="kiosk-find-start"
              onClick={props.onFind}
            >
              <span aria-hidden="true">☎</span> {t('kiosk.welcome.find')}
            </button>
          )}
          <p className="kiosk-note">{t('kiosk.welcome.help', { place: props.helpDesk })}</p>
        </div>
      </div>
    </section>
  );
}

function Find(props: { language: KioskLanguage; onFound: (found: KioskFound) => void; onBack: () => void }) {
  const { t } = useTranslation();
  const call = useCall();
  const [step, setStep] = useState<'phone' | 'name'>('phone');
  const [digits, setDigits] = useState('');
  const [name, setName] = useState('');
  const [layout, setLayout] = useState<Layout>(LAYOUT_FOR[props.language]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CallError | null>(null);

  async function submit() {
    const prefix = name.trim();
    if (busy || digits.length !== 4 || prefix === '') return;
    setBusy(true);
    setError(null);
    const r = await call('kiosk.findByPhone', { phoneLast4: digits, namePrefix: prefix });
    setBusy(false);
    if (r.ok) props.onFound(r.value);
    else setError(r.error);
  }

  return (
    <section className="kiosk-panel kiosk-find" data-testid="kiosk-find" data-step={step} aria-labelledby="kiosk-find-title">
      {step === 'phone' ? (
        <>
          <h1 className="kiosk-title" id="kiosk-find-title">
            {t('kiosk.find.phoneTitle')}
          </h1>
          <div
            className="kiosk-digits"
            data-testid="kiosk-digits"
            data-count={digits.length}
            role="status"
            aria-live="polite"
            aria-label={t('kiosk.find.digitsLabel', { n: digits.length })}
          >
            {[0, 1, 2, 3].map((i) => (
              <span key={i} className={`kiosk-digits__box${i < digits.length ? ' kiosk-digits__box--on' : ''}`}>
                {digits[i] ?? ''}
              </span>
            ))}
          </div>
          <DigitPad
            prefix="kiosk-digit"
            label={t('kiosk.find.phoneTitle')}
            onDigit={(d) => setDigits((v) => (v.length < 4 ? v + d : v))}
            onBackspace={() => setDigits((v) => v.slice(0, -1))}
            onClear={() => setDigits('')}
          />
          <div className="kiosk-actions">
            <button type="button" className="kiosk-button" data-testid="kiosk-back" onClick={props.onBack}>
              {t('kiosk.backToStart')}
            </button>
            <button
              type="button"
              className="kiosk-button kiosk-button--primary"
              data-testid="kiosk-find-next"
              disabled={digits.length !== 4}
              onClick={() => setStep('name')}
            >
              {t('kiosk.find.next')}
            </button>
          </div>
        </>
      ) : (
        <>
          <h1 className="kiosk-title" id="kiosk-find-title">
            {t('kiosk.find.nameTitle')}
          </h1>
          <output
            className="kiosk-name-value"
            data-testid="kiosk-name-value"
            role="status"
            aria-label={t('kiosk.find.nameLabel')}
          >
            {name === '' ? '\u00a0' : name}
          </output>
          <LetterKeyboard layout={layout} onLayout={setLayout} value={name} onChange={setName} max={NAME_MAX} />
          {error && (
            <p className="kiosk-message kiosk-message--error" role="alert" data-testid="kiosk-find-error" data-code={error.code}>
              {t(`errors.${error.code}`)}
            </p>
          )}
          <div className="kiosk-actions">
            <button type="button" className="kiosk-button" data-testid="kiosk-find-phone" onClick={() => setStep('phone')}>
              {t('kiosk.find.back')}
            </button>
            <button
              type="button"
              className="kiosk-button kiosk-button--primary"
              data-testid="kiosk-find-submit"
              disabled={busy || name.trim() === ''}
              onClick={() => void submit()}
            >
              {busy ? t('kiosk.find.searching') : t('kiosk.find.search')}
            </button>
          </div>
        </>
      )}
    </section>
  );
}

function Info(props: { visitId: string; timezone: string; language: string; onDone: () => void; onExpired: () => void }) {
  const { t } = useTranslation();
  const call = useCall();
  const [info, setInfo] = useState<KioskInfo | null>(null);
  const [error, setError] = useState<CallError | null>(null);
  const { visitId } = props;
  const onExpired = useRef(props.onExpired);
  useEffect(() => {
    onExpired.current = props.onExpired;
  });

  useEffect(() => {
    let live = true;
    void call('kiosk.info', { visitId }).then((r) => {
      if (!live) return;
      if (r.ok) setInfo(r.value);
      else if (r.error.code === 'visit_expired') onExpired.current();
      else setError(r.error);
    });
    return () => {
      live = false;
    };
  }, [call, visitId]);

  const when = (iso: string | null) => {
    if (!iso) return '';
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return '';
    try {
      return new Intl.DateTimeFormat(props.language, {
        weekday: 'short',
        hour: '2-digit',
        minute: '2-digit',
        timeZone: props.timezone,
      }).format(d);
    } catch {
      return new Intl.DateTimeFormat(props.language, { weekday: 'short', hour: '2-digit', minute: '2-digit' }).format(d);
    }
  };

  const places = info?.items.filter((i) => i.kind !== 'agenda') ?? [];
  const entitlements = info?.entitlements ?? [];
  return (
    <section
      className="kiosk-panel kiosk-info"
      data-testid="kiosk-info"
      data-source={info?.source ?? ''}
      aria-labelledby="kiosk-info-title"
      aria-busy={info === null && error === null}
    >
      <h1 className="kiosk-title" id="kiosk-info-title">
        {t('kiosk.info.title')}
      </h1>
      {error && (
        <p className="kiosk-message kiosk-message--error" role="alert" data-testid="kiosk-error" data-code={error.code}>
          {t(`errors.${error.code}`)}
        </p>
      )}
      {info === null && error === null && (
        <p className="kiosk-lead" role="status">
          {t('kiosk.info.loading')}
        </p>
      )}
      {info && places.length === 0 && info.next.length === 0 && entitlements.length === 0 && (
        <p className="kiosk-lead" data-testid="kiosk-info-empty">
          {t('kiosk.info.empty')}
        </p>
      )}
      {places.length > 0 && (
        <dl className="kiosk-info__grid">
          {places.map((item, i) => (
            <div key={i} className="kiosk-info__item" data-testid="kiosk-info-item" data-kind={item.kind}>
              <dt>{item.label ? pickLocalized(item.label, props.language) : t(`kiosk.info.kinds.${item.kind}`)}</dt>
              <dd>{item.value}</dd>
            </div>
          ))}
        </dl>
      )}
      {info && info.next.length > 0 && (
        <>
          <h2 className="kiosk-subtitle">{t('kiosk.info.next')}</h2>
          <ul className="kiosk-list">
            {info.next.map((item, i) => (
              <li key={i} data-testid="kiosk-next-item">
                <strong>{when(item.at)}</strong> {item.label ? pickLocalized(item.label, props.language) : ''} {item.value}
                {item.place ? ` · ${item.place}` : ''}
              </li>
            ))}
          </ul>
        </>
      )}
      {entitlements.length > 0 && (
        <>
          <h2 className="kiosk-subtitle">{t('kiosk.info.entitlements')}</h2>
          <ul className="kiosk-list">
            {entitlements.map((e, i) => (
              <li
                key={i}
                data-testid="kiosk-entitlement"
                data-kind={e.kind}
                data-available={String(e.availableToday)}
                data-used={String(e.usedToday)}
              >
                <strong>
                  {e.label ? pickLocalized(e.label, props.language) : e.kind === 'meal' ? t('kiosk.info.meal') : e.kind}
                </strong>
                :{' '}
                {e.availableToday
                  ? t('kiosk.info.availableToday')
                  : e.usedToday
                    ? t('kiosk.info.usedToday')
                    : t('kiosk.info.notToday')}
              </li>
            ))}
          </ul>
        </>
      )}
      <div className="kiosk-actions">
        <button
          type="button"
          className="kiosk-button kiosk-button--primary kiosk-button--huge"
          data-testid="kiosk-finish"
          onClick={props.onDone}
        >
          {t('kiosk.info.done')}
        </button>
      </div>
    </section>
  );
}
