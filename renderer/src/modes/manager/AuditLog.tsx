// Owns the manager's view of this terminal's audit trail: the recent entries (time, operator, action,
// result, whether each verifies and has reached the server) and whether the whole chain still verifies,
// with the breaks the server flagged. The core decides who may read it (audit.list: managers, admins).
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../components/ErrorMessage';
import { AUDIT_ACTIONS, ErrorCode, type AuditAction, type AuditChainState, type AuditListEntry, type CallError } from '../../contract';
import { useCall } from '../../core';
import { formatDateTime } from '../../i18n/format';

const RECENT = 100;
const isAction = (a: string): a is AuditAction => (AUDIT_ACTIONS as readonly string[]).includes(a);

export function AuditLog() {
  const { t, i18n } = useTranslation();
  const call = useCall();
  const [entries, setEntries] = useState<AuditListEntry[] | null>(null);
  const [chain, setChain] = useState<AuditChainState | null>(null);
  const [error, setError] = useState<CallError | null>(null);
  const [busy, setBusy] = useState(false);
  /** Bumped by "refresh": the list is read again. */
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let live = true;
    void call('audit.list', { limit: RECENT }).then((result) => {
      if (!live) return;
      setBusy(false);
      if (result.ok) {
        setError(null);
        setEntries(result.value.entries);
        setChain(result.value.chain);
      } else {
        setError(result.error);
        setEntries(null);
        setChain(null);
      }
    });
    return () => {
      live = false;
    };
  }, [call, generation]);

  function refresh() {
    setBusy(true);
    setGeneration((g) => g + 1);
  }

  const resultText = (result: string) => {
    if (result === 'ok') return t('audit.ok');
    const code = ErrorCode.safeParse(result);
    return code.success ? t(`errors.${code.data}`) : result;
  };

  return (
    <section className="card audit" data-testid="audit">
      <div className="section-head">
        <h2 className="section-title">{t('audit.title')}</h2>
        <button type="button" className="button" data-testid="audit-refresh" onClick={refresh} disabled={busy}>
          {t('audit.refresh')}
        </button>
      </div>
      <ErrorMessage error={error} testId="audit-error" />
      {chain && (
        <p
          className={`message ${chain.verified ? 'message--ok' : 'message--error'}`}
          data-testid="audit-chain"
          data-verified={String(chain.verified)}
          role={chain.verified ? undefined : 'alert'}
        >
          {chain.verified ? t('audit.verified', { count: chain.length }) : t('audit.broken', { seq: chain.firstBreakSeq ?? 0 })}
        </p>
      )}
      {chain && chain.serverBreaks !== null && chain.serverBreaks > 0 && (
        <p className="message message--warning" role="alert" data-testid="audit-server-breaks">
          {t('audit.serverBreaks', { count: chain.serverBreaks })}
        </p>
      )}
      {entries && entries.length === 0 && <p className="muted" data-testid="audit-empty">{t('audit.empty')}</p>}
      {entries && entries.length > 0 && (
        <table className="audit__table">
          <thead>
            <tr>
              <th scope="col">{t('audit.time')}</th>
              <th scope="col">{t('audit.operator')}</th>
              <th scope="col">{t('audit.action')}</th>
              <th scope="col">{t('audit.result')}</th>
              <th scope="col">{t('audit.subject')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr
                key={e.seq}
                data-testid="audit-entry"
                data-seq={e.seq}
                data-action={e.action}
                data-verified={String(e.verified)}
                data-pushed={String(e.pushed)}
                className={e.verified ? undefined : 'audit__entry--broken'}
              >
                <td>{formatDateTime(e.at, i18n.language)}</td>
                <td data-testid="audit-entry-operator">
                  {e.operatorId === null ? t('audit.system') : (e.operatorName ?? t('audit.unknownOperator'))}
                </td>
                <td data-testid="audit-entry-action">
                  {isAction(e.action) ? t(`audit.actions.${e.action}`) : e.action}
                  {!e.verified && <span className="audit__flag"> · {t('audit.entryBroken')}</span>}
                </td>
                <td data-testid="audit-entry-result">{resultText(e.result)}</td>
                <td className="code" title={e.pushed ? t('audit.pushed') : t('audit.notPushed')}>
                  <bdi>{e.subject ?? '—'}</bdi>
                  {!e.pushed && <span className="muted"> · {t('audit.notPushed')}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
