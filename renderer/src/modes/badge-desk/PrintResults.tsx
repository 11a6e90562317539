// Owns what the badge desk says after a print request: each badge printed, waiting at the printer or
// refused (and why), the check-in made with it, and the printer's own answer — kept current by the
// print queue's `print.job` events, so a badge held for an empty ribbon says when it has printed.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SafeText } from '../../components/SafeText';
import type { CallOutput, PrintJobEvent } from '../../contract';
import { useEvent } from '../../core';
import { printStatus, rememberJob } from '../box-office/print-status';
import { errorText, printReasonText } from './words';

type PrintAnswer = Pick<CallOutput<'badgeDesk.print'>, 'results' | 'print'>;

export function PrintResults(props: { answer: PrintAnswer; names: ReadonlyMap<string, string | null> }) {
  const { t } = useTranslation();
  const [jobs, setJobs] = useState<ReadonlyMap<string, PrintJobEvent>>(new Map());
  useEvent('print.job', (e) => setJobs((all) => rememberJob(all, e)));
  const { results, print } = props.answer;
  const status = printStatus(print, jobs);
  return (
    <section className="badge-results-panel" data-testid="print-results" aria-live="polite">
      <h3 className="section-title">{t('badgeDesk.results.title')}</h3>
      <ul className="deliveries">
        {results.map((r) => {
          const name = props.names.get(r.ticketId) ?? null;
          return (
            <li key={r.ticketId} data-testid="print-result" data-ticket-id={r.ticketId} data-outcome={r.outcome} data-code={r.code ?? ''} data-check-in={r.checkIn}>
              {name !== null ? <SafeText text={name} /> : <span className="code">{r.ticketId.slice(0, 8)}</span>} — {t(`badgeDesk.results.outcome.${r.outcome}`)}
              {r.code ? ` (${errorText(t, r.code)})` : ''}
              {r.checkIn !== 'none' ? ` · ${t(`badgeDesk.results.checkIn.${r.checkIn}`)}` : ''}
            </li>
          );
        })}
      </ul>
      <p
        className={`message ${status.state === 'printed' ? 'message--ok' : status.state === 'queued' ? 'message--warning' : 'message--error'}`}
        data-testid="print-outcome"
        data-state={status.state}
        data-reason={status.reason ?? ''}
      >
        {status.state === 'printed'
          ? t('badgeDesk.results.printer.printed')
          : t(`badgeDesk.results.printer.${status.state}`, { reason: printReasonText(t, status.reason) })}
      </p>
    </section>
  );
}
