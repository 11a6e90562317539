// Owns the box office's "sales that need your attention" panel: sales a lost connection or a restart
// left in flight, as the core keeps them — still waiting for the server (keep the cash aside),
// completed later (give the tickets and the change; their printing kept current by print.job events),
// or refused (hand the money back, and why) — each settled one closed by the cashier's "Done". It reads
// the list when shown, when the core says the recovery settled sales, and whenever the screen asks
// (after each sale attempt); it shows nothing while there is nothing to deal with.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../components/ErrorMessage';
import { SafeText } from '../../components/SafeText';
import type { AttentionSale, CallError, PrintJobEvent } from '../../contract';
import { useCall, useConnection, useEvent } from '../../core';
import { formatDateTime, pickLocalized } from '../../i18n/format';
import { formatMoney } from '../../i18n/money';
import { printStatus } from './print-status';

export function AttentionPanel(props: { reload: number; printJobs: ReadonlyMap<string, PrintJobEvent> }) {
  const { t } = useTranslation();
  const call = useCall();
  const { generation } = useConnection();
  const [sales, setSales] = useState<readonly AttentionSale[]>([]);
  const [error, setError] = useState<CallError | null>(null);
  const [settled, setSettled] = useState(0);
  const [busy, setBusy] = useState<string | null>(null);
  const [ackError, setAckError] = useState<{ orderId: string; error: CallError } | null>(null);
  useEvent('boxOffice.salesSettled', () => setSettled((n) => n + 1));

  useEffect(() => {
    let live = true;
    void call('boxOffice.attention', {}).then((result) => {
      if (!live) return;
      if (result.ok) {
        setSales(result.value.sales);
        setError(null);
      } else {
        setError(result.error);
      }
    });
    return () => {
      live = false;
    };
  }, [call, generation, props.reload, settled]);

  async function acknowledge(orderId: string) {
    if (busy) return;
    setBusy(orderId);
    setAckError(null);
    const result = await call('boxOffice.acknowledge', { orderId });
    setBusy(null);
    if (!result.ok) setAckError({ orderId, error: result.error });
    // Acknowledged, or refused because it changed meanwhile: the list as it is now either way.
    setSettled((n) => n + 1);
  }

  if (sales.length === 0 && !error) return null;
  return (
    <section className="attention card" aria-label={t('boxOffice.attention.title')} data-testid="attention" role="region">
      <div className="section-head">
        <h2 className="section-title">{t('boxOffice.attention.title')}</h2>
        <span className="attention__count" data-testid="attention-count">
          {t('boxOffice.attention.count', { count: sales.length })}
        </span>
      </div>
      <ErrorMessage error={error} testId="attention-error" />
      <ul className="attention__list">
        {sales.map((sale) => (
          <AttentionItem
            key={sale.orderId}
            sale={sale}
            printJobs={props.printJobs}
            busy={busy === sale.orderId}
            error={ackError?.orderId === sale.orderId ? ackError.error : null}
            onAcknowledge={() => void acknowledge(sale.orderId)}
          />
        ))}
      </ul>
    </section>
  );
}

function AttentionItem(props: {
  sale: AttentionSale;
  printJobs: ReadonlyMap<string, PrintJobEvent>;
  busy: boolean;
  error: CallError | null;
  onAcknowledge: () => void;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { sale } = props;
  const money = (amountMinor: number) => formatMoney(amountMinor, sale.currency, lang);
  const print = sale.print ? printStatus(sale.print, props.printJobs) : null;
  const tone = sale.state === 'failed' ? 'message--error' : sale.state === 'done_on_recovery' ? 'message--warning' : '';
  return (
    <li
      className={`attention-sale attention-sale--${sale.state}`}
      data-testid="attention-sale"
      data-order-id={sale.orderId}
      data-state={sale.state}
    >
      <div className="attention-sale__head">
        <strong className="attention-sale__state" data-testid="attention-state">
          {t(`boxOffice.attention.${sale.state === 'done_on_recovery' ? 'done' : sale.state}`)}
        </strong>
        <span className="attention-sale__amount" data-testid="attention-total" data-amount-minor={sale.totalMinor}>
          {money(sale.totalMinor)}
        </span>
      </div>
      <p className="attention-sale__meta" data-testid="attention-meta">
        {t('boxOffice.attention.soldBy', {
          name: sale.operatorName ?? t('boxOffice.attention.unknownOperator'),
          time: formatDateTime(sale.at, lang),
        })}
        {sale.orderCode && (
          <>
            {' · '}
            <span className="code" data-testid="attention-order-code">
              {t('boxOffice.orderCode')} <SafeText text={sale.orderCode} policy="code" />
            </span>
          </>
        )}
      </p>
      <p className="attention-sale__lines" data-testid="attention-lines">
        {sale.lines
          .map((line) => t('boxOffice.attention.line', { quantity: line.quantity, name: pickLocalized(line.ticketTypeName, lang) }))
          .join(', ')}
      </p>
      <p className={`message ${tone}`} data-testid="attention-hint">
        {sale.state === 'pending' && t('boxOffice.attention.pendingHint', { amount: money(sale.tenderedMinor) })}
        {sale.state === 'done_on_recovery' && t('boxOffice.attention.doneHint', { change: money(Math.max(0, sale.changeMinor)) })}
        {sale.state === 'failed' && t('boxOffice.attention.failedHint', { amount: money(sale.totalMinor) })}
      </p>
      {sale.state === 'failed' && sale.error && (
        <p className="attention-sale__reason" data-testid="attention-reason" data-code={sale.error.code}>
          {t('boxOffice.attention.reason', { reason: t(`errors.${sale.error.code}`) })}
          {sale.error.serverCode && (
            <span className="message__detail" data-testid="attention-server-code">
              {t('boxOffice.attention.serverCode', { code: sale.error.serverCode })}
            </span>
          )}
        </p>
      )}
      {print && (
        <p
          className={`attention-sale__print ${print.state === 'printed' ? 'message--ok' : print.state === 'queued' ? 'message--warning' : 'message--error'} message`}
          data-testid="attention-print"
          data-print-state={print.state}
          data-reason={print.reason ?? ''}
        >
          {print.state === 'printed' ? t('boxOffice.printed') : print.state === 'queued' ? t('boxOffice.printQueued') : t('boxOffice.printFailed')}
          {print.reason && (
            <span className="message__detail">{t('boxOffice.printProblem', { problem: t(`printReasons.${print.reason}`) })}</span>
          )}
        </p>
      )}
      <ErrorMessage error={props.error} testId="attention-ack-error" />
      {sale.state !== 'pending' && (
        <button
          type="button"
          className="button button--primary"
          data-testid="attention-done"
          disabled={props.busy}
          onClick={props.onAcknowledge}
        >
          {props.busy ? t('boxOffice.attention.acknowledging') : t('boxOffice.attention.acknowledge')}
        </button>
      )}
    </li>
  );
}
