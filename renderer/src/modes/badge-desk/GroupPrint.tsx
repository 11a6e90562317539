// Owns printing an order's group at the badge desk: the attendees of the same order with their print
// counts, each with a checkbox (those without a badge chosen at first), printed together in one request.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../components/ErrorMessage';
import { SafeText } from '../../components/SafeText';
import type { BadgeDeskMatch, CallError } from '../../contract';
import { useCall } from '../../core';
import { pickLocalized } from '../../i18n/format';
import { statusText } from './words';

const printable = (m: BadgeDeskMatch) => m.status === 'valid' && m.paid;

export function GroupPrint(props: {
  ticketId: string;
  busy: boolean;
  /** Bumped after a print: the counts are read again. */
  reload: number;
  onLoaded: (matches: BadgeDeskMatch[]) => void;
  onPrint: (ticketIds: string[]) => void;
  onOpen: (ticketId: string) => void;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const call = useCall();
  const [group, setGroup] = useState<{ orderCode: string | null; matches: BadgeDeskMatch[] } | null>(null);
  const [error, setError] = useState<CallError | null>(null);
  const [chosen, setChosen] = useState<ReadonlySet<string> | null>(null);
  const { onLoaded } = props;

  useEffect(() => {
    let live = true;
    void call('badgeDesk.group', { ticketId: props.ticketId }).then((r) => {
      if (!live) return;
      if (!r.ok) {
        setError(r.error);
        return;
      }
      setError(null);
      setGroup(r.value);
      onLoaded(r.value.matches);
      setChosen((prev) => prev ?? new Set(r.value.matches.filter((m) => printable(m) && m.printCount === 0).map((m) => m.ticketId)));
    });
    return () => {
      live = false;
    };
  }, [call, props.ticketId, props.reload, onLoaded]);

  const picked = group?.matches.filter((m) => chosen?.has(m.ticketId)) ?? [];
  const choose = (pred: (m: BadgeDeskMatch) => boolean) => setChosen(new Set((group?.matches ?? []).filter((m) => printable(m) && pred(m)).map((m) => m.ticketId)));

  return (
    <section className="badge-group" data-testid="badge-group" data-count={group?.matches.length ?? 0}>
      <div className="section-head">
        <h3 className="section-title">{group?.orderCode ? t('badgeDesk.group.title', { code: group.orderCode }) : t('badgeDesk.group.noOrder')}</h3>
        <button type="button" className="button button--ghost" data-testid="badge-group-close" onClick={props.onClose}>
          {t('badgeDesk.group.close')}
        </button>
      </div>
      <ErrorMessage error={error} testId="badge-group-error" />
      {!group && !error && <p className="muted">{t('badgeDesk.group.loading')}</p>}
      {group && (
        <>
          <div className="picker-row">
            <button type="button" className="button button--ghost" data-testid="badge-group-all" onClick={() => choose(() => true)}>
              {t('badgeDesk.group.all')}
            </button>
            <button type="button" className="button button--ghost" data-testid="badge-group-unprinted" onClick={() => choose((m) => m.printCount === 0)}>
              {t('badgeDesk.group.unprinted')}
            </button>
            <button type="button" className="button button--ghost" data-testid="badge-group-none" onClick={() => setChosen(new Set())}>
              {t('badgeDesk.group.none')}
            </button>
          </div>
          <ul className="deliveries">
            {group.matches.map((m) => (
              <li key={m.ticketId} data-testid="badge-group-member" data-ticket-id={m.ticketId} data-print-count={m.printCount}>
                <label className="picker-row">
                  <input
                    type="checkbox"
                    data-testid="badge-group-check"
                    checked={chosen?.has(m.ticketId) ?? false}
                    disabled={!printable(m)}
                    onChange={(e) => {
                      const next = new Set(chosen ?? []);
                      if (e.target.checked) next.add(m.ticketId);
                      else next.delete(m.ticketId);
                      setChosen(next);
                    }}
                  />
                  <span>{m.name !== null ? <SafeText text={m.name} /> : <span className="muted">{t('badgeDesk.match.noName')}</span>}</span>
                  <span className="muted">{pickLocalized(m.ticketTypeName, i18n.language)}</span>
                  <span className="muted">{m.printCount > 0 ? t('badgeDesk.match.printed', { count: m.printCount }) : t('badgeDesk.match.notPrinted')}</span>
                  {!printable(m) && <span className="badge-result__bad">{m.status !== 'valid' ? statusText(t, m.status) : t('badgeDesk.match.notPaid')}</span>}
                </label>
                {m.ticketId !== props.ticketId && (
                  <button type="button" className="button button--ghost" data-testid="badge-group-open-member" onClick={() => props.onOpen(m.ticketId)}>
                    {t('badgeDesk.match.open')}
                  </button>
                )}
              </li>
            ))}
          </ul>
          <button
            type="button"
            className="button button--primary"
            data-testid="badge-group-print"
            disabled={props.busy || picked.length === 0}
            onClick={() => props.onPrint(picked.map((m) => m.ticketId))}
          >
            {t('badgeDesk.group.print', { count: picked.length })}
          </button>
        </>
      )}
    </section>
  );
}
