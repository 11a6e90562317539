// Owns the gate mode: the big verdict panel, code entry (which doubles as keyboard-wedge capture: such
// scanners type the code quickly and press Enter) and the list of recent verdicts. Verdicts arrive both
// as answers to `gate.scan` and as `scan.verdict` events from a hardware scanner; they are merged by
// scanId, so one scan never shows twice and a later confirmation updates the entry it belongs to.
import { useEffect, useReducer, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { DeviceStrip } from '../../components/DeviceStrip';
import { ErrorMessage } from '../../components/ErrorMessage';
import { MAX_CODE_LENGTH, type CallError, type Verdict } from '../../contract';
import { useCall, useConnection, useEvent } from '../../core';
import { formatDateTime, formatTime, pickLocalized } from '../../i18n/format';

const RECENT_LIMIT = 30;

interface VerdictState {
  current: Verdict | null;
  recent: Verdict[];
}

type VerdictAction =
  /** `answer`: the reply to this screen's own gate.scan, which always takes the big panel. */
  | { type: 'verdict'; verdict: Verdict; answer: boolean }
  | { type: 'history'; verdicts: Verdict[] }
  /** Takes the last verdict off the big panel, so it is never read as the answer to a newer scan. */
  | { type: 'clear' };

const time = (v: Verdict) => {
  const ms = Date.parse(v.at);
  return Number.isNaN(ms) ? 0 : ms;
};

function reduceVerdicts(state: VerdictState, action: VerdictAction): VerdictState {
  if (action.type === 'clear') return state.current ? { ...state, current: null } : state;
  if (action.type === 'verdict') {
    const v = action.verdict;
    const known = state.recent.some((r) => r.scanId === v.scanId);
    // Two quick scans may be answered out of order: the panel keeps the later of the two.
    const newer = !state.current || time(v) >= time(state.current);
    if (known) {
      // An update of a scan we already show (e.g. the call's answer after its event, or a confirmation).
      return {
        current: (action.answer && newer) || state.current?.scanId === v.scanId ? v : state.current,
        recent: state.recent.map((r) => (r.scanId === v.scanId ? v : r)),
      };
    }
    return { current: newer ? v : state.current, recent: [v, ...state.recent].slice(0, RECENT_LIMIT) };
  }
  const byId = new Map<string, Verdict>();
  for (const v of action.verdicts) byId.set(v.scanId, v);
  for (const v of state.recent) byId.set(v.scanId, v); // what we saw live is at least as fresh
  const recent = [...byId.values()].sort((a, b) => time(b) - time(a)).slice(0, RECENT_LIMIT);
  return { current: state.current, recent };
}

const isEditable = (el: EventTarget | null) =>
  el instanceof HTMLElement && el.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"]') !== null;

export function Gate() {
  const { t } = useTranslation();
  const call = useCall();
  const { generation } = useConnection();
  const [{ current, recent }, dispatch] = useReducer(reduceVerdicts, { current: null, recent: [] });
  const [code, setCode] = useState('');
  const [pending, setPending] = useState(0);
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

  useEvent('scan.verdict', (verdict) => {
    setError(null);
    dispatch({ type: 'verdict', verdict, answer: false });
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
    setError(null);
    dispatch({ type: 'clear' });
    setPending((n) => n + 1);
    const result = await call('gate.scan', { code: value });
    setPending((n) => n - 1);
    if (result.ok) dispatch({ type: 'verdict', verdict: result.value, answer: true });
    else {
      dispatch({ type: 'clear' });
      setError(result.error);
    }
  }

  return (
    <main className="screen gate" data-testid="gate">
      <div className="gate__main">
        {current ? <VerdictPanel key={current.scanId} verdict={current} /> : <IdlePanel checking={pending > 0} />}
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
      <aside className="gate__recent card" aria-label={t('gate.recent')}>
        <h2 className="section-title">{t('gate.recent')}</h2>
        {recent.length === 0 ? (
          <p className="message" data-testid="recent-empty">
            {t('gate.noRecent')}
          </p>
        ) : (
          <RecentList verdicts={recent} />
        )}
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

function VerdictPanel(props: { verdict: Verdict }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const v = props.verdict;
  const typeName = pickLocalized(v.ticketTypeName, lang);
  return (
    <section
      className={`verdict ${v.admitted ? 'verdict--admitted' : 'verdict--refused'}`}
      data-testid="verdict"
      data-admitted={String(v.admitted)}
      data-reason={v.reason}
      data-confirmation={v.confirmation}
      data-scan-id={v.scanId}
      role="status"
      aria-live="assertive"
    >
      <div className="verdict__title" data-testid="verdict-title">
        <span className="verdict__icon" aria-hidden="true">
          {v.admitted ? '✓' : '✕'}
        </span>
        {v.admitted ? t('gate.admitted') : t('gate.refused')}
      </div>
      <div className="verdict__reason" data-testid="verdict-reason">
        {t(`reasons.${v.reason}`)}
      </div>
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
            <dd data-testid="verdict-attendee">{v.attendeeName}</dd>
          </>
        )}
        {v.reason === 'already_used' && v.firstUsedAt && (
          <>
            <dt>{t('gate.firstUsedAt')}</dt>
            <dd data-testid="verdict-first-used">{formatDateTime(v.firstUsedAt, lang)}</dd>
          </>
        )}
      </dl>
      <div className={`verdict__confirmation verdict__confirmation--${v.confirmation}`} data-testid="verdict-confirmation">
        {v.confirmation === 'confirmed' ? t('gate.confirmed') : t('gate.local')}
      </div>
      <div className="verdict__code code" data-testid="verdict-code" title={v.code}>
        {v.code}
      </div>
    </section>
  );
}

function RecentList(props: { verdicts: Verdict[] }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  return (
    <ol className="recent">
      {props.verdicts.map((v) => (
        <li
          key={v.scanId}
          className={`recent__item ${v.admitted ? 'recent__item--admitted' : 'recent__item--refused'}`}
          data-testid="recent-verdict"
          data-scan-id={v.scanId}
          data-admitted={String(v.admitted)}
          data-reason={v.reason}
          data-confirmation={v.confirmation}
        >
          <span className="recent__time">
            <span className="visually-hidden">{t('gate.scannedAt')}: </span>
            {formatTime(v.at, lang)}
          </span>
          <span className="recent__reason">{v.admitted ? t('gate.admitted') : t(`reasons.${v.reason}`)}</span>
          <span className="recent__detail">
            {[pickLocalized(v.ticketTypeName, lang), v.attendeeName].filter(Boolean).join(' · ') || v.code}
          </span>
          <span
            className={`recent__confirmation recent__confirmation--${v.confirmation}`}
            title={v.confirmation === 'confirmed' ? t('gate.confirmed') : t('gate.local')}
          >
            {v.confirmation === 'confirmed' ? '✓✓' : '✓'}
            <span className="visually-hidden">{v.confirmation === 'confirmed' ? t('gate.confirmed') : t('gate.local')}</span>
          </span>
        </li>
      ))}
    </ol>
  );
}
