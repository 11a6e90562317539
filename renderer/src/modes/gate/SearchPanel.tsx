// Owns the gate's "find a ticket" panel for holders without a readable code: one field takes an order
// code, the last four phone digits, an ID-card number or a name; the core decides which it is
// (`gate.search`). Each match can be admitted with `gate.admitTicket`, whose verdict the gate shows like
// a scan. The list stays after an admission, so a family found by one phone number passes one by one.
import { useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../components/ErrorMessage';
import { SafeText } from '../../components/SafeText';
import { calls, type CallError, type TicketMatch } from '../../contract';
import { useCall } from '../../core';
import { pickLocalized } from '../../i18n/format';

const QUERY = calls['gate.search'].input.shape.query;
const MIN_QUERY = QUERY.minLength ?? 2;
const MAX_QUERY = QUERY.maxLength ?? 80;

export function SearchPanel(props: {
  /** Admits one match; resolves to the refusal of the call itself (a verdict is shown by the gate). */
  onAdmit: (ticketId: string) => Promise<CallError | null>;
  /** The operator is done searching (Escape): the gate puts focus back on the scan field. */
  onDone: () => void;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const call = useCall();
  const inputId = useId();
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<TicketMatch[] | null>(null);
  const [searching, setSearching] = useState(false);
  const [tooShort, setTooShort] = useState(false);
  const [error, setError] = useState<CallError | null>(null);
  const [admitting, setAdmitting] = useState<string | null>(null);
  // Only the answer to the latest search is shown; a slow earlier answer is dropped.
  const latest = useRef(0);

  async function search(e: FormEvent) {
    e.preventDefault();
    const q = query.trim();
    if (q.length < MIN_QUERY) {
      setTooShort(true);
      return;
    }
    setTooShort(false);
    setError(null);
    setSearching(true);
    const ticket = ++latest.current;
    const result = await call('gate.search', { query: q.slice(0, MAX_QUERY) });
    if (ticket !== latest.current) return;
    setSearching(false);
    if (result.ok) setResults(result.value);
    else {
      setResults(null);
      setError(result.error);
    }
  }

  async function admit(ticketId: string) {
    setError(null);
    setAdmitting(ticketId);
    const refusal = await props.onAdmit(ticketId);
    setAdmitting(null);
    setError(refusal);
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key !== 'Escape') return;
    e.preventDefault();
    latest.current += 1;
    setQuery('');
    setResults(null);
    setSearching(false);
    setTooShort(false);
    setError(null);
    props.onDone();
  }

  return (
    <section className="gate-search card" data-testid="search" aria-labelledby={`${inputId}-title`}>
      <h2 className="section-title" id={`${inputId}-title`}>
        {t('search.title')}
      </h2>
      <form className="search-form" onSubmit={(e) => void search(e)} role="search">
        <label className="visually-hidden" htmlFor={inputId}>
          {t('search.label')}
        </label>
        <input
          id={inputId}
          className="input"
          data-testid="search-input"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setTooShort(false);
          }}
          onKeyDown={onKeyDown}
          placeholder={t('search.placeholder')}
          title={t('search.label')}
          aria-invalid={tooShort}
          autoComplete="off"
          autoCorrect="off"
          autoCapitalize="off"
          spellCheck={false}
          maxLength={MAX_QUERY}
        />
        <button type="submit" className="button button--primary" data-testid="search-submit" disabled={searching}>
          {searching ? t('search.searching') : t('search.submit')}
        </button>
      </form>
      {tooShort && (
        <p className="field__error" data-testid="search-too-short">
          {t('search.tooShort')}
        </p>
      )}
      <ErrorMessage error={error} testId="search-error" />
      {results !== null &&
        (results.length === 0 ? (
          <p className="message" data-testid="search-empty">
            {t('search.empty')}
          </p>
        ) : (
          <>
            <p className="muted search-found" data-testid="search-count" data-count={results.length}>
              {t('search.found', { count: results.length })}
            </p>
            <ul className="search-results">
              {results.map((m) => {
                const typeName = pickLocalized(m.ticketTypeName, lang);
                return (
                  <li
                    key={m.ticketId}
                    className={`search-result search-result--${m.status}`}
                    data-testid="search-result"
                    data-ticket-id={m.ticketId}
                    data-status={m.status}
                  >
                    <div className="search-result__text">
                      <span className="search-result__name" data-testid="search-result-name">
                        {m.attendeeName !== null ? <SafeText text={m.attendeeName} /> : <span className="muted">{t('search.noName')}</span>}
                      </span>
                      <span className="search-result__meta">
                        {m.orderCode && (
                          <span data-testid="search-result-order">
                            {t('search.orderCode')} <SafeText text={m.orderCode} policy="code" className="code" />
                          </span>
                        )}
                        {typeName && (
                          <span data-testid="search-result-type">
                            <span className="visually-hidden">{t('search.ticketType')}: </span>
                            {typeName}
                          </span>
                        )}
                        <span
                          className={`search-result__status search-result__status--${m.status}`}
                          data-testid="search-result-status"
                        >
                          <span className="visually-hidden">{t('search.statusLabel')}: </span>
                          {t(`search.ticketStatus.${m.status}`)}
                        </span>
                      </span>
                    </div>
                    <button
                      type="button"
                      className="button button--primary search-result__admit"
                      data-testid="search-admit"
                      disabled={m.status !== 'valid' || admitting !== null}
                      onClick={() => void admit(m.ticketId)}
                    >
                      {admitting === m.ticketId ? t('search.admitting') : t('search.admit')}
                    </button>
                  </li>
                );
              })}
            </ul>
          </>
        ))}
    </section>
  );
}
