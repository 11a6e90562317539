// Owns the gate mode: the check-in point strip, the big verdict panel, code entry (which doubles as
// keyboard-wedge capture: such scanners type the code quickly and press Enter), the ticket search and
// the list of recent verdicts. While a scan's admission is claimed at the server (`gate.checking`, also
// for hardware scans) the panel says "checking…" until that scan's verdict arrives. Verdicts arrive as answers to `gate.scan` and `gate.admitTicket` and as
// `scan.verdict` events from a hardware scanner; they are merged by scanId, so one scan never shows
// twice and a later confirmation updates the entry it belongs to. An admission whose turnstile saw no
// passage can be cancelled (`gate.annul`); cancelled check-ins are remembered by checkinId for as long
// as the screen is open, since `gate.recent` does not report annulments.
import { useCallback, useEffect, useReducer, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { DeviceStrip } from '../../components/DeviceStrip';
import { ErrorMessage } from '../../components/ErrorMessage';
import { SafeText, safeString } from '../../components/SafeText';
import { MAX_CODE_LENGTH, type CallError, type Result, type Role, type SyncStatus, type Verdict } from '../../contract';
import { useCall, useConnection, useEvent } from '../../core';
import { formatDateTime, formatTime, pickLocalized } from '../../i18n/format';
import { PointBar } from './PointBar';
import { ReadFault } from './ReadFault';
import { SearchPanel } from './SearchPanel';

const RECENT_LIMIT = 30;
/** Longest the panel says "checking…" for one scan without its verdict (the core's bound is about 2 s). */
const CHECKING_GIVE_UP_MS = 15_000;
/** Roles the core lets change the terminal's check-in point (`gate.setPoint`). */
const POINT_ROLES: readonly Role[] = ['manager', 'admin'];

interface VerdictState {
  current: Verdict | null;
  recent: Verdict[];
  /** checkinIds this screen has annulled. */
  annulled: ReadonlySet<string>;
}

type VerdictAction =
  /** `answer`: the reply to this screen's own gate.scan, which always takes the big panel. */
  | { type: 'verdict'; verdict: Verdict; answer: boolean }
  | { type: 'history'; verdicts: Verdict[] }
  /** Takes the last verdict off the big panel, so it is never read as the answer to a newer scan. */
  | { type: 'clear' }
  | { type: 'annulled'; checkinId: string };

const time = (v: Verdict) => {
  const ms = Date.parse(v.at);
  return Number.isNaN(ms) ? 0 : ms;
};

function reduceVerdicts(state: VerdictState, action: VerdictAction): VerdictState {
  if (action.type === 'clear') return state.current ? { ...state, current: null } : state;
  if (action.type === 'annulled') {
    if (state.annulled.has(action.checkinId)) return state;
    return { ...state, annulled: new Set(state.annulled).add(action.checkinId) };
  }
  if (action.type === 'verdict') {
    const v = action.verdict;
    const known = state.recent.some((r) => r.scanId === v.scanId);
    // Two quick scans may be answered out of order: the panel keeps the later of the two.
    const newer = !state.current || time(v) >= time(state.current);
    if (known) {
      // An update of a scan we already show (e.g. the call's answer after its event, or a confirmation).
      return {
        ...state,
        current: (action.answer && newer) || state.current?.scanId === v.scanId ? v : state.current,
        recent: state.recent.map((r) => (r.scanId === v.scanId ? v : r)),
      };
    }
    return { ...state, current: newer ? v : state.current, recent: [v, ...state.recent].slice(0, RECENT_LIMIT) };
  }
  const byId = new Map<string, Verdict>();
  for (const v of action.verdicts) byId.set(v.scanId, v);
  for (const v of state.recent) byId.set(v.scanId, v); // what we saw live is at least as fresh
  const recent = [...byId.values()].sort((a, b) => time(b) - time(a)).slice(0, RECENT_LIMIT);
  return { ...state, recent };
}

const isAnnulled = (v: Verdict, annulled: ReadonlySet<string>) => v.checkinId !== null && annulled.has(v.checkinId);

const isEditable = (el: EventTarget | null) =>
  el instanceof HTMLElement && el.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"]') !== null;

export function Gate(props: { sync: SyncStatus | null; role: Role }) {
  const { sync, role } = props;
  const { t } = useTranslation();
  const call = useCall();
  const { generation } = useConnection();
  const [{ current, recent, annulled }, dispatch] = useReducer(reduceVerdicts, {
    current: null,
    recent: [],
    annulled: new Set<string>(),
  });
  const [code, setCode] = useState('');
  const [pending, setPending] = useState(0);
  /** Scans (by scanId) whose claim is out at the server, hardware scans included. */
  const [checkingScans, setCheckingScans] = useState<ReadonlySet<string>>(new Set());
  const [error, setError] = useState<CallError | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    let live = true;
    void call('gate.recent', { limit: RECENT_LIMIT }).then((result) => {
      if (!live) return;
      if (result.ok) dispatch({ type: 'history', verdicts: result.value });
      else setError(result.error);
    });
    return () => {
      live = false;
    };
  }, [call, generation]);

  const checked = useCallback((scanId: string) => {
    setCheckingScans((s) => {
      if (!s.has(scanId)) return s;
      const next = new Set(s);
      next.delete(scanId);
      return next;
    });
  }, []);

  useEvent('scan.verdict', (verdict) => {
    setError(null);
    checked(verdict.scanId);
    dispatch({ type: 'verdict', verdict, answer: false });
  });

  useEvent('gate.checking', ({ scanId }) => {
    setError(null);
    dispatch({ type: 'clear' });
    setCheckingScans((s) => new Set(s).add(scanId));
    // The verdict follows within the claim's bound; should it never come (the core or the connection
    // to it went away), the panel does not stay "checking…" for ever.
    setTimeout(() => checked(scanId), CHECKING_GIVE_UP_MS);
  });

  // Keyboard-wedge capture: when focus is not in a text field, the first typed character moves focus to
  // the code field (keeping that character), so a scan is never lost because someone tapped elsewhere.
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
      if (isEditable(e.target) || isEditable(document.activeElement)) return;
      const input = inputRef.current;
      if (!input || input.disabled) return;
      // A space on a focused button is that button's own business, not the start of a code.
      if (e.key.length === 1 && e.key !== ' ') {
        e.preventDefault();
        setCode((c) => (c + e.key).slice(0, MAX_CODE_LENGTH + 1));
        input.focus();
      }
    };
    document.addEventListener('keydown', onKeyDown, true);
    return () => document.removeEventListener('keydown', onKeyDown, true);
  }, []);

  /** One check (a scan or an admission from search): the panel goes idle until its verdict arrives. */
  const check = useCallback(async (run: () => Promise<Result<Verdict>>): Promise<Result<Verdict>> => {
    setError(null);
    dispatch({ type: 'clear' });
    setPending((n) => n + 1);
    const result = await run();
    setPending((n) => n - 1);
    if (result.ok) {
      checked(result.value.scanId);
      dispatch({ type: 'verdict', verdict: result.value, answer: true });
    }
    else dispatch({ type: 'clear' });
    return result;
  }, [checked]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const value = code.trim();
    setCode('');
    inputRef.current?.focus();
    if (value === '') return;
    if (value.length > MAX_CODE_LENGTH) {
      dispatch({ type: 'clear' });
      setError({ code: 'invalid_input' });
      return;
    }
    const result = await check(() => call('gate.scan', { code: value }));
    if (!result.ok) setError(result.error);
  }

  const focusScan = useCallback(() => inputRef.current?.focus(), []);

  const admitTicket = useCallback(
    async (ticketId: string): Promise<CallError | null> => {
      const result = await check(() => call('gate.admitTicket', { ticketId }));
      // The next ticket is most likely scanned: have the field ready for it.
      focusScan();
      return result.ok ? null : result.error;
    },
    [call, check, focusScan],
  );

  const annul = useCallback(
    async (checkinId: string): Promise<CallError | null> => {
      const result = await call('gate.annul', { checkinId });
      if (!result.ok) return result.error;
      dispatch({ type: 'annulled', checkinId: result.value.checkinId });
      return null;
    },
    [call],
  );

  const offline = sync !== null && sync.paired && !sync.online;

  return (
    <main className="screen gate" data-testid="gate">
      {offline && (
        <p className="gate__offline message message--warning" role="status" data-testid="gate-offline">
          <span aria-hidden="true">⚠ </span>
          {t('gate.offline')}
        </p>
      )}
      <div className="gate__main">
        <PointBar canChoose={POINT_ROLES.includes(role)} />
        {current ? (
          <VerdictPanel
            key={current.scanId}
            verdict={current}
            annulled={isAnnulled(current, annulled)}
            onAnnul={annul}
          />
        ) : (
          <IdlePanel checking={pending > 0 || checkingScans.size > 0} />
        )}
        <ReadFault />
        <form className="scan-form" onSubmit={(e) => void submit(e)} data-testid="scan-form">
          <label className="visually-hidden" htmlFor="scan-input">
            {t('gate.code')}
          </label>
          <input
            id="scan-input"
            ref={inputRef}
            className="input input--scan"
            data-testid="scan-input"
            value={code}
            onChange={(e) => setCode(e.target.value)}
            placeholder={t('gate.codePlaceholder')}
            autoComplete="off"
            autoCorrect="off"
            autoCapitalize="off"
            spellCheck={false}
            autoFocus
            maxLength={MAX_CODE_LENGTH + 1}
          />
          <button type="submit" className="button button--primary button--large" data-testid="scan-submit">
            {pending > 0 ? t('gate.checking') : t('gate.check')}
          </button>
        </form>
        <ErrorMessage error={error} testId="scan-error" />
        {pending > 0 && <span className="visually-hidden" data-testid="scan-pending" data-count={pending} />}
        <DeviceStrip />
      </div>
      <aside className="gate__side">
        <SearchPanel onAdmit={admitTicket} onDone={focusScan} />
        <section className="gate__recent card" aria-label={t('gate.recent')}>
          <h2 className="section-title">{t('gate.recent')}</h2>
          {recent.length === 0 ? (
            <p className="message" data-testid="recent-empty">
              {t('gate.noRecent')}
            </p>
          ) : (
            <RecentList verdicts={recent} annulled={annulled} />
          )}
        </section>
      </aside>
    </main>
  );
}

function IdlePanel(props: { checking: boolean }) {
  const { t } = useTranslation();
  return (
    <section
      className="verdict verdict--idle"
      data-testid="verdict-idle"
      data-checking={String(props.checking)}
      aria-live="polite"
    >
      <div className="verdict__title">{props.checking ? t('gate.checking') : t('gate.waiting')}</div>
      <div className="verdict__reason">{props.checking ? '' : t('gate.waitingHint')}</div>
    </section>
  );
}

function VerdictPanel(props: {
  verdict: Verdict;
  annulled: boolean;
  onAnnul: (checkinId: string) => Promise<CallError | null>;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { verdict: v, annulled } = props;
  const [annulling, setAnnulling] = useState(false);
  const [annulError, setAnnulError] = useState<CallError | null>(null);
  const typeName = pickLocalized(v.ticketTypeName, lang);
  const checkinId = v.admitted ? v.checkinId : null;

  async function annul() {
    if (!checkinId) return;
    setAnnulling(true);
    setAnnulError(null);
    const refusal = await props.onAnnul(checkinId);
    setAnnulling(false);
    setAnnulError(refusal);
  }

  const state = annulled ? 'annulled' : v.admitted ? 'admitted' : 'refused';
  return (
    <section
      className={`verdict verdict--${state}`}
      data-testid="verdict"
      data-admitted={String(v.admitted)}
      data-annulled={String(annulled)}
      data-reason={v.reason}
      data-confirmation={v.confirmation}
      data-direction={v.direction}
      data-scan-id={v.scanId}
      data-checkin-id={v.checkinId ?? ''}
      role="status"
      aria-live="assertive"
    >
      <div className="verdict__title" data-testid="verdict-title">
        <span className="verdict__icon" aria-hidden="true">
          {annulled ? '↺' : v.admitted ? '✓' : '✕'}
        </span>
        {annulled ? t(`gate.annulled.${v.direction}`) : v.admitted ? t('gate.admitted') : t('gate.refused')}
      </div>
      {annulled ? (
        // The admission's reason ("Valid ticket") would read as a contradiction under the title.
        <div className="verdict__annulled" data-testid="verdict-annulled">
          {t('gate.annulledHint')}
        </div>
      ) : (
        <div className="verdict__reason" data-testid="verdict-reason">
          {t(`reasons.${v.reason}`)}
        </div>
      )}
      <dl className="verdict__facts">
        {typeName && (
          <>
            <dt>{t('gate.ticketType')}</dt>
            <dd data-testid="verdict-ticket-type">{typeName}</dd>
          </>
        )}
        {v.attendeeName && (
          <>
            <dt>{t('gate.attendee')}</dt>
            <dd data-testid="verdict-attendee">
              <SafeText text={v.attendeeName} />
            </dd>
          </>
        )}
        {v.reason === 'already_used' && v.firstUsedAt && (
          <>
            <dt>{t('gate.firstUsedAt')}</dt>
            <dd data-testid="verdict-first-used">{formatDateTime(v.firstUsedAt, lang)}</dd>
          </>
        )}
      </dl>
      <div className="verdict__badges">
        <span
          className={`verdict__direction verdict__direction--${v.direction}`}
          data-testid="verdict-direction"
          data-direction={v.direction}
        >
          <span className="visually-hidden">{t('gate.directionLabel')}: </span>
          <span aria-hidden="true">{v.direction === 'entry' ? '→ ' : '← '}</span>
          {t(`gate.direction.${v.direction}`)}
        </span>
        <span className={`verdict__confirmation verdict__confirmation--${v.confirmation}`} data-testid="verdict-confirmation">
          {v.confirmation === 'confirmed' ? t('gate.confirmed') : t('gate.local')}
        </span>
      </div>
      {checkinId && !annulled && (
        <div className="verdict__actions">
          <button
            type="button"
            className="button button--large verdict__annul"
            data-testid="verdict-annul"
            disabled={annulling}
            onClick={() => void annul()}
          >
            {annulling ? t('gate.annulling') : t(`gate.annul.${v.direction}`)}
          </button>
        </div>
      )}
      <ErrorMessage error={annulError} testId="annul-error" className="verdict__error" />
      <div className="verdict__code code" data-testid="verdict-code" title={safeString(v.code, 'code')}>
        <SafeText text={v.code} policy="code" />
      </div>
    </section>
  );
}

function RecentList(props: { verdicts: Verdict[]; annulled: ReadonlySet<string> }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  return (
    <ol className="recent">
      {props.verdicts.map((v) => {
        const annulled = isAnnulled(v, props.annulled);
        const state = annulled ? 'annulled' : v.admitted ? 'admitted' : 'refused';
        const confirmation = v.confirmation === 'confirmed' ? t('gate.confirmed') : t('gate.local');
        return (
          <li
            key={v.scanId}
            className={`recent__item recent__item--${state}`}
            data-testid="recent-verdict"
            data-scan-id={v.scanId}
            data-admitted={String(v.admitted)}
            data-annulled={String(annulled)}
            data-reason={v.reason}
            data-confirmation={v.confirmation}
            data-direction={v.direction}
          >
            <span className="recent__time">
              <span className="visually-hidden">{t('gate.scannedAt')}: </span>
              {formatTime(v.at, lang)}
            </span>
            <span className="recent__reason">
              {annulled ? t('gate.annulledShort') : v.admitted ? t('gate.admitted') : t(`reasons.${v.reason}`)}
            </span>
            <span className="recent__detail">
              {[t(`gate.direction.${v.direction}`), pickLocalized(v.ticketTypeName, lang) || null].filter(Boolean).join(' · ')}
              {v.attendeeName ? (
                <>
                  {' · '}
                  <SafeText text={v.attendeeName} />
                </>
              ) : (
                v.attendeeName === null &&
                !v.ticketTypeName && (
                  <>
                    {' · '}
                    <SafeText text={v.code} policy="code" />
                  </>
                )
              )}
            </span>
            <span className={`recent__confirmation recent__confirmation--${v.confirmation}`} title={confirmation}>
              <span aria-hidden="true">{v.confirmation === 'confirmed' ? '✓✓ ' : '✓ '}</span>
              {v.confirmation === 'confirmed' ? t('gate.confirmedShort') : t('gate.localShort')}
              <span className="visually-hidden">: {confirmation}</span>
            </span>
          </li>
        );
      })}
    </ol>
  );
}
