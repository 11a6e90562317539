// Owns one attendee at the badge desk: their details (name, company, title, category, ticket type, masked
// phone and email, check-in), the badges printed so far (where, by whom, why), the inline correction of
// name, company and title, the badge preview, and printing — the main action ("Check in and print" or
// "Print" by the event's setting), a reprint that asks a reason (and a manager's PIN when the event wants
// one), and the order's group printed in one go. Every print request's id is made once per attempt and
// re-sent when the operator retries it.
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../components/ErrorMessage';
import { SafeText } from '../../components/SafeText';
import type { BadgeDeskAttendee, BadgeDeskMatch, BadgeDeskState, CallError, CallOutput } from '../../contract';
import { useCall } from '../../core';
import { formatDateTime, pickLocalized } from '../../i18n/format';
import { GroupPrint } from './GroupPrint';
import { PrintResults } from './PrintResults';
import { ReprintDialog } from './ReprintDialog';
import { SETTLED_REFUSALS, statusText, type ManagerApproval } from './words';

type Preview = CallOutput<'badgeDesk.preview'>;
type PrintAnswer = CallOutput<'badgeDesk.print'>;
type Asking = { ticketIds: string[]; needsPin: boolean; lastPrintedAt: string | null };

export function AttendeePanel(props: {
  ticketId: string;
  state: BadgeDeskState | null;
  onPrinted: () => void;
  onBack: () => void;
  onOpen: (ticketId: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const call = useCall();
  const [attendee, setAttendee] = useState<BadgeDeskAttendee | null>(null);
  const [loadError, setLoadError] = useState<CallError | null>(null);
  const [reload, setReload] = useState(0);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [previewError, setPreviewError] = useState<CallError | null>(null);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState({ name: '', company: '', title: '' });
  const [correctError, setCorrectError] = useState<CallError | null>(null);
  const [correctNote, setCorrectNote] = useState<'saved' | 'nothing' | 'nameRequired' | null>(null);
  const [saving, setSaving] = useState(false);
  const [groupOpen, setGroupOpen] = useState(false);
  const [group, setGroup] = useState<BadgeDeskMatch[]>([]);
  const [printing, setPrinting] = useState(false);
  const [printError, setPrintError] = useState<CallError | null>(null);
  const [answer, setAnswer] = useState<PrintAnswer | null>(null);
  const [asking, setAsking] = useState<Asking | null>(null);
  // One print attempt: which tickets, and the id every retry of it re-sends.
  const attempt = useRef<{ key: string; requestId: string } | null>(null);
  const printButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    let live = true;
    void call('badgeDesk.attendee', { ticketId: props.ticketId }).then((r) => {
      if (!live) return;
      if (r.ok) {
        setAttendee(r.value);
        setLoadError(null);
      } else setLoadError(r.error);
    });
    return () => {
      live = false;
    };
  }, [call, props.ticketId, reload]);

  // The preview follows the details (a correction redraws it).
  const previewKey = attendee ? `${attendee.name}|${attendee.company}|${attendee.title}|${attendee.templateId}` : null;
  useEffect(() => {
    if (previewKey === null) return;
    let live = true;
    void call('badgeDesk.preview', { ticketId: props.ticketId }).then((r) => {
      if (!live) return;
      if (r.ok) {
        setPreview(r.value);
        setPreviewError(null);
      } else setPreviewError(r.error);
    });
    return () => {
      live = false;
    };
  }, [call, props.ticketId, previewKey]);

  useEffect(() => {
    if (attendee && !editing) printButton.current?.focus();
  }, [attendee, editing]);

  function startEdit() {
    if (!attendee) return;
    setDraft({ name: attendee.name ?? '', company: attendee.company ?? '', title: attendee.title ?? '' });
    setCorrectError(null);
    setCorrectNote(null);
    setEditing(true);
  }

  async function saveCorrection(e?: FormEvent) {
    e?.preventDefault();
    if (!attendee || saving) return;
    const name = draft.name.trim();
    const company = draft.company.trim();
    const title = draft.title.trim();
    if (!name) {
      setCorrectNote('nameRequired');
      return;
    }
    const change: { name?: string; company?: string | null; title?: string | null } = {};
    if (name !== (attendee.name ?? '')) change.name = name;
    if (company !== (attendee.company ?? '')) change.company = company || null;
    if (title !== (attendee.title ?? '')) change.title = title || null;
    if (Object.keys(change).length === 0) {
      setCorrectNote('nothing');
      setEditing(false);
      return;
    }
    setSaving(true);
    setCorrectError(null);
    const r = await call('badgeDesk.correct', { ticketId: attendee.ticketId, ...change });
    setSaving(false);
    if (!r.ok) {
      setCorrectError(r.error);
      return;
    }
    setAttendee(r.value);
    setEditing(false);
    setCorrectNote('saved');
    props.onPrinted();
  }

  const requestIdFor = (ticketIds: readonly string[]) => {
    const key = ticketIds.join(',');
    if (attempt.current?.key !== key) attempt.current = { key, requestId: crypto.randomUUID() };
    return attempt.current.requestId;
  };

  const doPrint = useCallback(
    async (ticketIds: string[], reason?: string, approval?: ManagerApproval) => {
      setPrinting(true);
      setPrintError(null);
      const requestId = requestIdFor(ticketIds);
      const r = await call('badgeDesk.print', { ticketIds, requestId, ...(reason ? { reason } : {}), ...(approval ? { approval } : {}) });
      setPrinting(false);
      if (!r.ok) {
        if (SETTLED_REFUSALS.includes(r.error.code)) attempt.current = null;
        if (r.error.code === 'reprint_reason_required' || r.error.code === 'approval_required' || r.error.code === 'bad_pin') {
          setAsking((prev) => ({
            ticketIds,
            needsPin: r.error.code !== 'reprint_reason_required' || (prev?.needsPin ?? false) || Boolean(props.state?.settings.reprintNeedsPin),
            lastPrintedAt: prev?.lastPrintedAt ?? null,
          }));
          // A wrong PIN or a missing approval is said in the dialog; a missing reason needs no words.
          setPrintError(r.error.code === 'reprint_reason_required' ? null : r.error);
          return;
        }
        setPrintError(r.error);
        return;
      }
      attempt.current = null;
      setAsking(null);
      setAnswer(r.value);
      setReload((n) => n + 1);
      props.onPrinted();
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [call, props.onPrinted, props.state?.settings.reprintNeedsPin],
  );

  function mainAction() {
    if (!attendee || printing) return;
    setAnswer(null);
    if (attendee.reprint.needsReason) {
      setPrintError(null);
      setAsking({ ticketIds: [attendee.ticketId], needsPin: attendee.reprint.needsPin, lastPrintedAt: attendee.reprint.lastPrintedAt });
      return;
    }
    void doPrint([attendee.ticketId]);
  }

  if (!attendee)
    return (
      <section className="card badge-attendee" data-testid="badge-attendee-loading">
        {loadError ? <ErrorMessage error={loadError} testId="badge-attendee-error" /> : <p className="muted">{t('badgeDesk.attendee.loading')}</p>}
        <button type="button" className="button button--ghost" data-testid="badge-back" onClick={props.onBack}>
          {t('badgeDesk.attendee.back')} <kbd className="key">Esc</kbd>
        </button>
      </section>
    );

  const settings = props.state?.settings;
  const checksIn = (settings?.printChecksIn ?? true) && !attendee.checkedIn;
  const printable = attendee.status === 'valid' && attendee.paid;
  const none = t('badgeDesk.attendee.none');
  const names = new Map<string, string | null>([[attendee.ticketId, attendee.name], ...group.map((m) => [m.ticketId, m.name] as const)]);

  return (
    <section
      className="card badge-attendee"
      data-testid="badge-attendee"
      data-ticket-id={attendee.ticketId}
      data-source={attendee.source}
      data-checked-in={String(attendee.checkedIn)}
      data-print-count={attendee.printCount}
      data-needs-reason={String(attendee.reprint.needsReason)}
    >
      <div className="section-head">
        <h2 className="section-title" data-testid="badge-attendee-name">
          {attendee.name !== null ? <SafeText text={attendee.name} /> : <span className="muted">{t('badgeDesk.match.noName')}</span>}
        </h2>
        <button type="button" className="button button--ghost" data-testid="badge-back" onClick={props.onBack}>
          {t('badgeDesk.attendee.back')} <kbd className="key">Esc</kbd>
        </button>
      </div>
      {attendee.source === 'cache' && (
        <p className="message message--warning" data-testid="badge-attendee-cache">
          {t('badgeDesk.attendee.cacheOnly')}
        </p>
      )}
      <div className="badge-attendee__body">
        <div className="badge-attendee__details">
          {editing ? (
            <form className="badge-correct" data-testid="badge-correct-form" onSubmit={(e) => void saveCorrection(e)}>
              {(['name', 'company', 'title'] as const).map((field, i) => (
                <label key={field} className="field">
                  <span className="field__label">{t(`badgeDesk.attendee.${field}`)}</span>
                  <input
                    className="input"
                    data-testid={`badge-correct-${field}`}
                    autoFocus={i === 0}
                    autoComplete="off"
                    maxLength={200}
                    value={draft[field]}
                    onChange={(e) => setDraft((d) => ({ ...d, [field]: e.target.value }))}
                    onKeyDown={(e) => {
                      if (e.key === 'Escape') {
                        e.preventDefault();
                        e.stopPropagation();
                        e.nativeEvent.stopImmediatePropagation();
                        setEditing(false);
                      }
                    }}
                  />
                </label>
              ))}
              <div className="picker-row">
                <button type="submit" className="button button--primary" data-testid="badge-correct-save" disabled={saving}>
                  {saving ? t('badgeDesk.correct.saving') : t('badgeDesk.correct.save')}
                </button>
                <button type="button" className="button button--ghost" data-testid="badge-correct-cancel" onClick={() => setEditing(false)}>
                  {t('badgeDesk.correct.cancel')}
                </button>
              </div>
            </form>
          ) : (
            <dl className="facts" data-testid="badge-attendee-facts">
              <dt>{t('badgeDesk.attendee.company')}</dt>
              <dd data-testid="badge-attendee-company">{attendee.company ? <SafeText text={attendee.company} /> : none}</dd>
              <dt>{t('badgeDesk.attendee.title')}</dt>
              <dd data-testid="badge-attendee-title">{attendee.title ? <SafeText text={attendee.title} /> : none}</dd>
              <dt>{t('badgeDesk.attendee.category')}</dt>
              <dd data-testid="badge-attendee-category">{attendee.category ? <SafeText text={attendee.category} /> : none}</dd>
              <dt>{t('badgeDesk.attendee.ticketType')}</dt>
              <dd>{pickLocalized(attendee.ticketTypeName, lang)}</dd>
              <dt>{t('badgeDesk.attendee.status')}</dt>
              <dd data-testid="badge-attendee-status" data-status={attendee.status} data-paid={String(attendee.paid)}>
                {statusText(t, attendee.status)}
                {attendee.status === 'valid' && !attendee.paid ? ` · ${t('badgeDesk.match.notPaid')}` : ''}
              </dd>
              <dt>{t('badgeDesk.attendee.phone')}</dt>
              <dd data-testid="badge-attendee-phone">{attendee.phoneMasked ? <SafeText text={attendee.phoneMasked} policy="code" /> : none}</dd>
              <dt>{t('badgeDesk.attendee.email')}</dt>
              <dd data-testid="badge-attendee-email">{attendee.emailMasked ? <SafeText text={attendee.emailMasked} policy="code" /> : none}</dd>
              <dt>{t('badgeDesk.attendee.code')}</dt>
              <dd>
                <SafeText text={attendee.code} policy="code" className="code" />
              </dd>
              <dt>{t('badgeDesk.attendee.order')}</dt>
              <dd>{attendee.orderCode ? <SafeText text={attendee.orderCode} policy="code" className="code" /> : none}</dd>
              <dt>{t('badgeDesk.attendee.checkIn')}</dt>
              <dd data-testid="badge-attendee-checkin" data-checked-in={String(attendee.checkedIn)}>
                {attendee.checkedIn ? t('badgeDesk.attendee.checkedInAt', { time: formatDateTime(attendee.checkedInAt, lang) }) : t('badgeDesk.attendee.notCheckedIn')}
              </dd>
              <dt>{t('badgeDesk.attendee.template')}</dt>
              <dd>{attendee.templateName ? <SafeText text={attendee.templateName} /> : t('badgeDesk.attendee.builtIn')}</dd>
            </dl>
          )}
          {!editing && (
            <button type="button" className="button" data-testid="badge-correct" onClick={startEdit}>
              {t('badgeDesk.correct.open')}
            </button>
          )}
          <ErrorMessage error={correctError} testId="badge-correct-error" />
          {correctNote && (
            <p className={`message ${correctNote === 'saved' ? 'message--ok' : 'message--warning'}`} data-testid="badge-correct-note" data-note={correctNote}>
              {t(`badgeDesk.correct.${correctNote}`)}
            </p>
          )}
        </div>
        <figure className="badge-preview" data-testid="badge-preview" data-sides={preview?.sides.length ?? 0}>
          <figcaption className="muted">{t('badgeDesk.preview.title')}</figcaption>
          {preview ? (
            preview.sides.map((side, i) => (
              <img
                key={i}
                className="badge-preview__side"
                data-testid="badge-preview-side"
                src={`data:image/png;base64,${side.png}`}
                width={side.width}
                height={side.height}
                alt={t('badgeDesk.preview.alt', { n: i + 1 })}
              />
            ))
          ) : previewError ? (
            <ErrorMessage error={previewError} testId="badge-preview-error" />
          ) : (
            <p className="muted">{t('badgeDesk.preview.loading')}</p>
          )}
        </figure>
      </div>

      <div className="badge-actions picker-row">
        <button
          ref={printButton}
          type="button"
          className="button button--primary button--large"
          data-testid="badge-print"
          data-checks-in={String(checksIn)}
          disabled={printing || !printable}
          onClick={mainAction}
        >
          {printing ? t('badgeDesk.action.printing') : checksIn ? t('badgeDesk.action.checkInPrint') : t('badgeDesk.action.print')}
        </button>
        {attendee.orderCode && (
          <button type="button" className="button" data-testid="badge-group-open" onClick={() => setGroupOpen((o) => !o)}>
            {t('badgeDesk.action.group')}
          </button>
        )}
      </div>
      {asking && (
        <ReprintDialog
          lastPrintedAt={asking.lastPrintedAt}
          needsPin={asking.needsPin}
          busy={printing}
          error={printError}
          onConfirm={(reason, approval) => void doPrint(asking.ticketIds, reason, approval)}
          onCancel={() => {
            setAsking(null);
            setPrintError(null);
            printButton.current?.focus();
          }}
        />
      )}
      {!asking && <ErrorMessage error={printError} testId="badge-print-error" />}
      {answer && <PrintResults answer={answer} names={names} />}
      {groupOpen && (
        <GroupPrint
          ticketId={attendee.ticketId}
          busy={printing}
          reload={reload}
          onLoaded={setGroup}
          onPrint={(ids) => {
            setAnswer(null);
            void doPrint(ids);
          }}
          onOpen={props.onOpen}
          onClose={() => setGroupOpen(false)}
        />
      )}

      <section className="badge-prints" data-testid="badge-prints" data-count={attendee.prints.length}>
        <h3 className="section-title">{t('badgeDesk.prints.title')}</h3>
        {attendee.prints.length === 0 ? (
          <p className="muted" data-testid="badge-prints-none">
            {t('badgeDesk.prints.none')}
          </p>
        ) : (
          <ul className="deliveries">
            {attendee.prints.map((p) => (
              <li key={p.id} data-testid="badge-print-row" data-reprint={String(p.reprint)} data-reason={p.reason ?? ''} data-terminal={p.terminal}>
                <span>{formatDateTime(p.printedAt, lang)}</span> · <SafeText text={p.terminal} /> · {p.operatorName ? <SafeText text={p.operatorName} /> : t('badgeDesk.prints.noOperator')} ·{' '}
                {p.reprint ? t('badgeDesk.prints.reprint') : t('badgeDesk.prints.first')}
                {p.reason && (
                  <>
                    {' · '}
                    {t('badgeDesk.prints.reason', { reason: p.reason })}
                  </>
                )}
                {p.approverName && <> · {t('badgeDesk.prints.approvedBy', { name: p.approverName })}</>}
              </li>
            ))}
          </ul>
        )}
      </section>
    </section>
  );
}
