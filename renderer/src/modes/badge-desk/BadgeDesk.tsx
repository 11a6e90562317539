// Owns the badge desk screen: the search field that has the focus (Enter finds by name, phone digits,
// order or ticket code), the list of matches, what the terminal's scanner or ID-card reader found
// (`badgeDesk.found`: one match opens, several are listed), the attendee panel of the one chosen, the
// walk-in registration, and the badge printer's state with the event's print settings. Keyboard-first:
// F2 walk-in, Esc back to the search field.
import { useCallback, useEffect, useEffectEvent, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../components/ErrorMessage';
import { SafeText } from '../../components/SafeText';
import type { BadgeDeskMatch, BadgeDeskState, BadgeFindBy, CallError } from '../../contract';
import { useCall, useConnection, useEvent } from '../../core';
import { pickLocalized } from '../../i18n/format';
import { AttendeePanel } from './AttendeePanel';
import { PrinterStatus } from './PrinterStatus';
import { WalkIn } from './WalkIn';
import { statusText } from './words';
import './badge-desk.css';

type FindBy = Exclude<BadgeFindBy, 'id_card'>;
const FIND_BYS = ['name', 'phone', 'order', 'code'] as const satisfies readonly FindBy[];
type Found = { by: BadgeFindBy; matches: BadgeDeskMatch[] };

export function BadgeDesk() {
  const { t } = useTranslation();
  const call = useCall();
  const { generation } = useConnection();
  const [state, setState] = useState<BadgeDeskState | null>(null);
  const [stateError, setStateError] = useState<CallError | null>(null);
  const [stateReload, setStateReload] = useState(0);
  const [query, setQuery] = useState('');
  const [by, setBy] = useState<FindBy | 'auto'>('auto');
  const [found, setFound] = useState<Found | null>(null);
  const [searching, setSearching] = useState(false);
  const [searchError, setSearchError] = useState<CallError | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [walkIn, setWalkIn] = useState(false);
  const searchInput = useRef<HTMLInputElement>(null);
  // Only the answer to the latest search is shown.
  const latest = useRef(0);

  useEffect(() => {
    let live = true;
    void call('badgeDesk.state', {}).then((r) => {
      if (!live) return;
      if (r.ok) {
        setState(r.value);
        setStateError(null);
      } else setStateError(r.error);
    });
    return () => {
      live = false;
    };
  }, [call, generation, stateReload]);

  const refreshState = useCallback(() => setStateReload((n) => n + 1), []);
  // The typed search whose matches are listed: after a print or a correction it is read again, so the
  // list's print counts and names stay current (a scanner's or reader's list stays as it came).
  const listed = useRef<{ query: string; by: FindBy | undefined } | null>(null);
  const afterChange = useCallback(() => {
    setStateReload((n) => n + 1);
    const last = listed.current;
    if (!last) return;
    const ticket = latest.current;
    void call('badgeDesk.find', { query: last.query, ...(last.by ? { by: last.by } : {}) }).then((r) => {
      if (ticket === latest.current && r.ok) setFound(r.value);
    });
  }, [call]);
  useEvent('device.status', refreshState);
  useEvent('sync.status', (s) => setState((prev) => (prev && prev.online !== s.online ? { ...prev, online: s.online } : prev)));

  const backToSearch = useCallback(() => {
    setSelected(null);
    setWalkIn(false);
    requestAnimationFrame(() => {
      searchInput.current?.focus();
      searchInput.current?.select();
    });
  }, []);

  async function find(e?: FormEvent) {
    e?.preventDefault();
    const q = query.trim();
    if (!q) return;
    const ticket = ++latest.current;
    setSearching(true);
    setSearchError(null);
    const r = await call('badgeDesk.find', { query: q, ...(by === 'auto' ? {} : { by }) });
    if (ticket !== latest.current) return;
    setSearching(false);
    listed.current = r.ok ? { query: q, by: by === 'auto' ? undefined : by } : null;
    if (!r.ok) {
      setFound(null);
      setSearchError(r.error);
      return;
    }
    setFound(r.value);
    setWalkIn(false);
    setSelected(r.value.matches.length === 1 ? r.value.matches[0]!.ticketId : null);
  }

  // The scanner or the ID-card reader: one match opens, several are listed.
  useEvent('badgeDesk.found', (payload) => {
    latest.current += 1;
    listed.current = null;
    setSearching(false);
    setSearchError(null);
    setFound(payload);
    setWalkIn(false);
    setSelected(payload.matches.length === 1 ? payload.matches[0]!.ticketId : null);
  });

  const onKey = useEffectEvent((e: KeyboardEvent) => {
    if (e.key === 'F2') {
      e.preventDefault();
      setSelected(null);
      setWalkIn((open) => !open);
      return;
    }
    if (e.key === 'Escape' && !document.querySelector('[data-modal-open="true"]')) {
      e.preventDefault();
      backToSearch();
    }
  });
  useEffect(() => {
    const handler = (e: KeyboardEvent) => onKey(e);
    window.addEventListener('keydown', handler);
    return () => window.removeEventListener('keydown', handler);
  }, []);

  return (
    <main className="screen badge-desk" data-testid="badge-desk">
      <section className="badge-desk__side card" aria-label={t('badgeDesk.search.title')}>
        <div className="section-head">
          <h2 className="section-title">{t('badgeDesk.search.title')}</h2>
          <button type="button" className="button button--ghost" data-testid="walk-in-toggle" onClick={() => (walkIn ? backToSearch() : (setSelected(null), setWalkIn(true)))}>
            {t('badgeDesk.walkIn.open')} <kbd className="key">F2</kbd>
          </button>
        </div>
        <form className="search-form" role="search" onSubmit={(e) => void find(e)}>
          <label className="visually-hidden" htmlFor="badge-search">
            {t('badgeDesk.search.label')}
          </label>
          <input
            id="badge-search"
            ref={searchInput}
            className="input input--large"
            data-testid="badge-search-input"
            autoFocus
            autoComplete="off"
            autoCorrect="off"
            autoCapitalize="off"
            spellCheck={false}
            maxLength={512}
            placeholder={t('badgeDesk.search.placeholder')}
            title={t('badgeDesk.search.label')}
            value={query}
            onChange={(e) => setQuery(e.target.value)}
          />
          <button type="submit" className="button button--primary" data-testid="badge-search-submit" disabled={searching}>
            {searching ? t('badgeDesk.search.searching') : t('badgeDesk.search.submit')}
          </button>
        </form>
        <div className="picker-row badge-desk__by" role="radiogroup" aria-label={t('badgeDesk.search.byLabel')}>
          {(['auto', ...FIND_BYS] as const).map((b) => (
            <label key={b} className="badge-desk__by-option">
              <input type="radio" name="badge-find-by" data-testid={`badge-search-by-${b}`} checked={by === b} onChange={() => setBy(b)} /> {t(`badgeDesk.search.by.${b}`)}
            </label>
          ))}
        </div>
        <p className="muted">{t('badgeDesk.search.hint')}</p>
        <ErrorMessage error={searchError} testId="badge-search-error" />
        {found && <MatchList found={found} selected={selected} onOpen={(id) => (setWalkIn(false), setSelected(id))} />}
        <PrinterStatus state={state} error={stateError} onRefresh={refreshState} />
      </section>
      <section className="badge-desk__main">
        {state && !state.online && (
          <p className="message message--warning" role="status" data-testid="badge-offline">
            {t('badgeDesk.offline')}
          </p>
        )}
        {walkIn ? (
          <WalkIn onDone={afterChange} onClose={backToSearch} />
        ) : selected ? (
          <AttendeePanel key={selected} ticketId={selected} state={state} onPrinted={afterChange} onBack={backToSearch} onOpen={setSelected} />
        ) : null}
      </section>
    </main>
  );
}

function MatchList(props: { found: Found; selected: string | null; onOpen: (ticketId: string) => void }) {
  const { t, i18n } = useTranslation();
  const { found } = props;
  if (found.matches.length === 0)
    return (
      <p className="message" data-testid="badge-results-empty" data-by={found.by}>
        {t('badgeDesk.search.empty')}
      </p>
    );
  return (
    <>
      <p className="muted" data-testid="badge-results-count" data-count={found.matches.length} data-by={found.by}>
        {t('badgeDesk.search.foundBy', { by: t(`badgeDesk.search.by.${found.by}`), count: found.matches.length })}
      </p>
      <ul className="badge-results" data-testid="badge-results">
        {found.matches.map((m) => (
          <li
            key={m.ticketId}
            className={`badge-result ${props.selected === m.ticketId ? 'badge-result--selected' : ''}`}
            data-testid="badge-result"
            data-ticket-id={m.ticketId}
            data-status={m.status}
            data-print-count={m.printCount}
            data-checked-in={String(m.checkedIn)}
          >
            <button type="button" className="badge-result__open" data-testid="badge-result-open" onClick={() => props.onOpen(m.ticketId)}>
              <span className="badge-result__name" data-testid="badge-result-name">
                {m.name !== null ? <SafeText text={m.name} /> : <span className="muted">{t('badgeDesk.match.noName')}</span>}
              </span>
              <span className="badge-result__meta">
                <span>{pickLocalized(m.ticketTypeName, i18n.language)}</span>
                {m.orderCode && (
                  <span>
                    {t('badgeDesk.match.order')} <SafeText text={m.orderCode} policy="code" className="code" />
                  </span>
                )}
                <span>{m.printCount > 0 ? t('badgeDesk.match.printed', { count: m.printCount }) : t('badgeDesk.match.notPrinted')}</span>
                {m.checkedIn && <span>{t('badgeDesk.match.checkedIn')}</span>}
                {m.status !== 'valid' && <span className="badge-result__bad">{statusText(t, m.status)}</span>}
                {m.status === 'valid' && !m.paid && <span className="badge-result__bad">{t('badgeDesk.match.notPaid')}</span>}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}
