// Owns admin mode's Import section: an attendee file (CSV or XLSX) for an event, read in the browser and
// sent to the core in small pieces; what the server read (format, encoding, header, the first rows);
// the column mapping, starting from the server's suggestion, with a default ticket type; the dry run's
// counts and every problem with its line, column and translated reason, page by page; and the commit —
// of every row, or of the good rows only after a confirmation — with its result. Errors show their
// translated code; nothing the file holds is shown other than as text.
import { Fragment, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../components/ErrorMessage';
import { SafeText, safeString } from '../../components/SafeText';
import {
  ADMIN_FILE_MAX_BYTES,
  IMPORT_BUILT_IN_TARGETS,
  textIn,
  type AdminImportEvent,
  type CallError,
  type CallOutput,
  type Result,
  type ImportFileRefusal,
  type ImportFormField,
  type ImportJob,
  type ImportMappingProblem,
  type ImportReportPage,
  type ImportTarget,
  type ImportUpload,
} from '../../contract';
import { useCall } from '../../core';
import { pickLocalized } from '../../i18n/format';

/** Bytes per upload call: the service-mode bridge takes messages of at most 64 KiB, base64 included. */
const PIECE_BYTES = 32 * 1024;
const REPORT_PAGE = 50;
const ENCODINGS = ['', 'utf-8', 'gb18030', 'windows-1251'] as const;

/** The codes the server gives (server/src/import, server/src/admin/import.ts) that have a translation;
 *  any other shows as 'unknown' with its code. */
const FILE_ERRORS = [
  'file_too_large',
  'empty_file',
  'unknown_encoding',
  'invalid_bytes',
  'encoding_undetermined',
  'csv_syntax',
  'cell_too_long',
  'too_many_columns',
  'too_many_rows',
  'not_xlsx',
  'xlsx_corrupt',
  'xlsx_too_large',
  'sheet_not_found',
] as const;
const MAPPING_REASONS = [
  'required_field_unmapped',
  'unknown_column',
  'ambiguous_column',
  'unknown_field',
  'field_mapped_twice',
  'column_mapped_twice',
  'ticket_type_unmapped',
] as const;
const ROW_REASONS = [
  'required',
  'too_long',
  'not_a_number',
  'not_an_integer',
  'out_of_range',
  'not_an_option',
  'not_a_choice',
  'bad_date',
  'not_a_date',
  'not_a_checkbox',
  'must_be_checked',
  'bad_phone',
  'bad_email',
  'bad_country',
  'bad_value',
  'unknown_field',
  'extra_cells',
  'duplicate_external_id',
  'duplicate_external_code',
  'unknown_ticket_type',
  'ambiguous_ticket_type',
  'ticket_type_required',
  'bad_id_number',
  'bad_code',
  'bad_code_prefix',
  'import_not_allowed',
  'ticket_type_changed',
  'code_taken',
  'over_max_per_attendee',
  'over_capacity',
  'bad_info',
  'bad_entitlement',
  'too_many_entitlements',
] as const;
/** Every placeholder a row reason may have, empty unless the problem gives it. */
const NO_PARAMS = { code: '', allowed: '', value: '', prefix: '', max: '', capacity: '' } as Record<'code' | 'allowed' | 'value' | 'prefix' | 'max' | 'capacity', string | number>;
const known = <T extends string>(list: readonly T[], code: string): T | 'unknown' => ((list as readonly string[]).includes(code) ? (code as T) : 'unknown');

/** A file's bytes as base64, in slices small enough for String.fromCharCode. */
function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x2000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x2000));
  return btoa(binary);
}

/** Spreadsheet column letters for a 1-based column: 1 → A, 27 → AA. */
export function columnLetter(column: number): string {
  let n = column;
  let out = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    out = String.fromCharCode(65 + r) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

/** The suggested target of each column (by index or by header title); 'ignore' for the rest. */
function initialTargets(upload: ImportUpload): ImportTarget[] {
  const targets: ImportTarget[] = upload.job.header.map(() => 'ignore');
  for (const s of upload.suggestedMapping) {
    const index = typeof s.column === 'number' ? s.column : upload.job.header.indexOf(s.column);
    if (index >= 0 && index < targets.length) targets[index] = s.target;
  }
  return targets;
}

type Step =
  | { kind: 'choose' }
  | { kind: 'sending'; sent: number; total: number }
  | { kind: 'refused'; refusal: ImportFileRefusal }
  | { kind: 'map'; upload: ImportUpload }
  | { kind: 'checked'; upload: ImportUpload; job: ImportJob }
  | { kind: 'done'; job: ImportJob };

export function Import() {
  const { t, i18n } = useTranslation();
  const call = useCall();
  const lang = i18n.language;
  const [events, setEvents] = useState<AdminImportEvent[] | null>(null);
  const [eventId, setEventId] = useState('');
  const [fields, setFields] = useState<ImportFormField[]>([]);
  const [file, setFile] = useState<File | null>(null);
  const [encoding, setEncoding] = useState<(typeof ENCODINGS)[number]>('');
  const [step, setStep] = useState<Step>({ kind: 'choose' });
  const [error, setError] = useState<CallError | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    void call('admin.import.events', {}).then((r) => {
      if (!live) return;
      if (r.ok) {
        setEvents(r.value);
        setEventId((current) => current || (r.value[0]?.id ?? ''));
      } else setError(r.error);
    });
    return () => {
      live = false;
    };
  }, [call]);

  useEffect(() => {
    if (!eventId) return;
    let live = true;
    void call('admin.import.formFields', { eventId }).then((r) => {
      if (live && r.ok) setFields(r.value);
    });
    return () => {
      live = false;
    };
  }, [call, eventId]);

  const event = events?.find((e) => e.id === eventId) ?? null;

  async function send() {
    setError(null);
    setProblem(null);
    if (!file || !eventId) {
      setProblem(t('adminImport.chooseFile'));
      return;
    }
    if (file.size > ADMIN_FILE_MAX_BYTES) {
      setProblem(t('adminImport.tooLarge'));
      return;
    }
    const bytes = new Uint8Array(await file.arrayBuffer());
    const format = /\.xlsx$/i.test(file.name) ? ('xlsx' as const) : undefined;
    let uploadId: string | null = null;
    let offset = 0;
    setStep({ kind: 'sending', sent: 0, total: bytes.length });
    for (;;) {
      const piece = bytes.subarray(offset, offset + PIECE_BYTES);
      const last = offset + piece.length >= bytes.length;
      const r: Result<CallOutput<'admin.import.upload'>> = await call('admin.import.upload', {
        uploadId,
        offset,
        data: toBase64(piece),
        last,
        ...(uploadId === null ? { file: { eventId, name: file.name, ...(format ? { format } : {}), ...(encoding ? { encoding } : {}) } } : {}),
      });
      if (!r.ok) {
        setError(r.error);
        setStep({ kind: 'choose' });
        return;
      }
      uploadId = r.value.uploadId;
      offset = r.value.received;
      setStep({ kind: 'sending', sent: offset, total: bytes.length });
      if (last) {
        if (r.value.refused) setStep({ kind: 'refused', refusal: r.value.refused });
        else if (r.value.upload) setStep({ kind: 'map', upload: r.value.upload });
        return;
      }
    }
  }

  const restart = () => {
    setStep({ kind: 'choose' });
    setError(null);
    setProblem(null);
  };

  return (
    <div className="admin-import" data-testid="import">
      <section className="card">
        <h2 className="section-title">{t('adminImport.title')}</h2>
        <ErrorMessage error={error} testId="import-error" />
        {events !== null && events.length === 0 && <p data-testid="import-no-events">{t('adminImport.noEvents')}</p>}
        {step.kind === 'choose' || step.kind === 'sending' ? (
          <div className="admin-import__form">
            <label className="field">
              <span className="field__label">{t('adminImport.event')}</span>
              <select className="input" data-testid="import-event" value={eventId} onChange={(e) => setEventId(e.target.value)}>
                {(events ?? []).map((e) => (
                  <option key={e.id} value={e.id}>
                    {safeString(pickLocalized(e.name, lang))}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span className="field__label">{t('adminImport.file')}</span>
              <input
                className="input"
                type="file"
                accept=".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                data-testid="import-file"
                onChange={(e) => setFile(e.target.files?.[0] ?? null)}
              />
            </label>
            <label className="field">
              <span className="field__label">{t('adminImport.encoding')}</span>
              <select className="input" data-testid="import-encoding" value={encoding} onChange={(e) => setEncoding(e.target.value as (typeof ENCODINGS)[number])}>
                {ENCODINGS.map((enc) => (
                  <option key={enc} value={enc}>
                    {enc === '' ? t('adminImport.encodingAuto') : enc}
                  </option>
                ))}
              </select>
            </label>
            <p className="muted">{t('adminImport.fileHint')}</p>
            {problem !== null && (
              <p className="message message--error" role="alert" data-testid="import-problem">
                {problem}
              </p>
            )}
            <button type="button" className="button button--primary" data-testid="import-upload" disabled={step.kind === 'sending' || !eventId} onClick={() => void send()}>
              {t('adminImport.upload')}
            </button>
            {step.kind === 'sending' && (
              <p role="status" data-testid="import-sending">
                {t('adminImport.sending', { percent: step.total === 0 ? 100 : Math.floor((step.sent / step.total) * 100) })}
              </p>
            )}
          </div>
        ) : (
          <button type="button" className="button" data-testid="import-restart" onClick={restart}>
            {t('adminImport.restart')}
          </button>
        )}
      </section>
      {step.kind === 'refused' && <FileRefused refusal={step.refusal} />}
      {(step.kind === 'map' || step.kind === 'checked') && event && (
        <>
          <FileSummary upload={step.upload} />
          <Mapping
            key={step.upload.job.id}
            upload={step.upload}
            event={event}
            fields={fields}
            onChecked={(job) => setStep({ kind: 'checked', upload: step.upload, job })}
          />
        </>
      )}
      {step.kind === 'checked' && (
        <Report key={`${step.job.id}-${step.job.checkedAt ?? ''}`} job={step.job} onDone={(job) => setStep({ kind: 'done', job })} onRechecked={(job) => setStep({ ...step, job })} />
      )}
      {step.kind === 'done' && <Result job={step.job} />}
    </div>
  );
}

function FileRefused(props: { refusal: ImportFileRefusal }) {
  const { t } = useTranslation();
  const { refusal } = props;
  return (
    <section className="card">
      <p className="message message--error" role="alert" data-testid="import-refused" data-code={refusal.code}>
        {t(`adminImport.fileErrors.${known(FILE_ERRORS, refusal.code)}`)}
        {refusal.line !== undefined && ` ${t('adminImport.atLine', { line: refusal.line })}`}
        {refusal.column !== undefined && ` ${t('adminImport.atColumn', { column: columnLetter(refusal.column) })}`}
      </p>
    </section>
  );
}

function FileSummary(props: { upload: ImportUpload }) {
  const { t } = useTranslation();
  const { job, preview } = props.upload;
  const encoding = job.format === 'xlsx' ? '—' : `${job.encoding ?? '—'}${job.encodingDetected ? ` (${t('adminImport.detected')})` : ''}`;
  return (
    <section className="card" data-testid="import-file-summary">
      <h3 className="section-title">{t('adminImport.fileRead')}</h3>
      <dl className="facts">
        <dt>{t('adminImport.fileName')}</dt>
        <dd>
          <SafeText text={job.fileName} />
        </dd>
        <dt>{t('adminImport.format')}</dt>
        <dd data-testid="import-format">{job.format.toUpperCase()}</dd>
        <dt>{t('adminImport.encoding')}</dt>
        <dd data-testid="import-detected-encoding">{encoding}</dd>
        <dt>{t('adminImport.rows')}</dt>
        <dd data-testid="import-rows">{job.counts.rows}</dd>
      </dl>
      <div className="admin-import__scroll">
        <table className="table" data-testid="import-preview">
          <thead>
            <tr>
              <th>{t('adminImport.line')}</th>
              {job.header.map((h, i) => (
                <th key={i}>
                  {columnLetter(i + 1)} <SafeText text={h} />
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {preview.map((row) => (
              <tr key={row.line} data-testid="import-preview-row">
                <td>{row.line}</td>
                {row.cells.map((c, i) => (
                  <td key={i}>{c === null ? '' : <SafeText text={String(c)} />}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Mapping(props: { upload: ImportUpload; event: AdminImportEvent; fields: ImportFormField[]; onChecked: (job: ImportJob) => void }) {
  const { t, i18n } = useTranslation();
  const call = useCall();
  const { upload, event, fields } = props;
  const [targets, setTargets] = useState<ImportTarget[]>(() => initialTargets(upload));
  const [defaultType, setDefaultType] = useState('');
  const [problems, setProblems] = useState<ImportMappingProblem[]>([]);
  const [error, setError] = useState<CallError | null>(null);
  const [busy, setBusy] = useState(false);
  const options: ImportTarget[] = ['ignore', ...IMPORT_BUILT_IN_TARGETS, ...fields.map((f) => `answers.${f.key}` as ImportTarget)];
  const labelOf = (target: ImportTarget): string => {
    if (target.startsWith('answers.')) {
      const field = fields.find((f) => `answers.${f.key}` === target);
      return t('adminImport.answerTarget', { label: safeString(field ? textIn(field.label, i18n.language) || field.key : target.slice(8)) });
    }
    return t(`adminImport.targets.${target as (typeof IMPORT_BUILT_IN_TARGETS)[number] | 'ignore'}`);
  };

  async function check() {
    setBusy(true);
    setError(null);
    setProblems([]);
    const columns = targets.map((target, column) => ({ column, target })).filter((c) => c.target !== 'ignore');
    const mapped = await call('admin.import.mapping', { importId: upload.job.id, columns, defaultTicketTypeId: defaultType || null });
    if (!mapped.ok || mapped.value.job === null) {
      setBusy(false);
      if (mapped.ok) setProblems(mapped.value.problems);
      else setError(mapped.error);
      return;
    }
    const checked = await call('admin.import.check', { importId: upload.job.id });
    setBusy(false);
    if (checked.ok) props.onChecked(checked.value);
    else setError(checked.error);
  }

  return (
    <section className="card" data-testid="import-mapping">
      <h3 className="section-title">{t('adminImport.mapping')}</h3>
      <p className="muted">{t('adminImport.mappingHint')}</p>
      <table className="table">
        <thead>
          <tr>
            <th>{t('adminImport.column')}</th>
            <th>{t('adminImport.target')}</th>
          </tr>
        </thead>
        <tbody>
          {upload.job.header.map((title, i) => (
            <tr key={i}>
              <td>
                {columnLetter(i + 1)} <SafeText text={title} />
              </td>
              <td>
                <select
                  className="input"
                  data-testid="import-target"
                  data-column={i}
                  value={targets[i]}
                  onChange={(e) => setTargets((ts) => ts.map((x, j) => (j === i ? (e.target.value as ImportTarget) : x)))}
                >
                  {options.map((o) => (
                    <option key={o} value={o}>
                      {labelOf(o)}
                    </option>
                  ))}
                </select>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <label className="field">
        <span className="field__label">{t('adminImport.defaultType')}</span>
        <select className="input" data-testid="import-default-type" value={defaultType} onChange={(e) => setDefaultType(e.target.value)}>
          <option value="">{t('adminImport.noDefaultType')}</option>
          {event.ticketTypes.map((type) => (
            <option key={type.id} value={type.id}>
              {safeString(pickLocalized(type.name, i18n.language))}
            </option>
          ))}
        </select>
      </label>
      {problems.length > 0 && (
        <ul className="message message--error" role="alert" data-testid="import-mapping-problems">
          {problems.map((p, i) => (
            <li key={i} data-reason={p.reason}>
              {t(`adminImport.mappingProblems.${known(MAPPING_REASONS, p.reason)}`, {
                field: p.field ? labelOf(p.field === 'attendeeName' ? 'name' : (p.field as ImportTarget)) : '',
                column: typeof p.column === 'number' ? columnLetter(p.column + 1) : safeString(String(p.column ?? '')),
              })}
            </li>
          ))}
        </ul>
      )}
      <ErrorMessage error={error} testId="import-mapping-error" />
      <button type="button" className="button button--primary" data-testid="import-check" disabled={busy} onClick={() => void check()}>
        {t('adminImport.check')}
      </button>
      {busy && <p role="status">{t('adminImport.checking')}</p>}
    </section>
  );
}

function Report(props: { job: ImportJob; onDone: (job: ImportJob) => void; onRechecked: (job: ImportJob) => void }) {
  const { t } = useTranslation();
  const call = useCall();
  const { job } = props;
  const [page, setPage] = useState<ImportReportPage | null>(null);
  const [offset, setOffset] = useState(0);
  const [error, setError] = useState<CallError | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [refused, setRefused] = useState(false);

  useEffect(() => {
    let live = true;
    void call('admin.import.report', { importId: job.id, offset, limit: REPORT_PAGE }).then((r) => {
      if (!live) return;
      if (r.ok) setPage(r.value);
      else setError(r.error);
    });
    return () => {
      live = false;
    };
  }, [call, job.id, offset]);

  const good = job.counts.new + job.counts.updated + job.counts.unchanged;

  async function commit(skipBad: boolean) {
    setBusy(true);
    setError(null);
    setRefused(false);
    const r = await call('admin.import.commit', { importId: job.id, skipBad });
    setBusy(false);
    setConfirming(false);
    if (r.ok) {
      props.onDone(r.value);
      return;
    }
    if (r.error.code === 'server_rejected' && r.error.detail === 'import_refused') {
      setRefused(true);
      // The event may have changed since the dry run: the report now says how.
      const again = await call('admin.import.report', { importId: job.id, offset: 0, limit: 1 });
      if (again.ok) props.onRechecked(again.value.job);
    } else setError(r.error);
  }

  const total = page?.total ?? job.counts.problems;
  const paramsOf = (params: Record<string, string | number> | null) =>
    Object.fromEntries(Object.entries(params ?? {}).map(([k, v]) => [k, typeof v === 'number' ? v : safeString(v)]));

  return (
    <section className="card" data-testid="import-report">
      <h3 className="section-title">{t('adminImport.report')}</h3>
      <dl className="facts" data-testid="import-counts">
        {(['rows', 'new', 'updated', 'unchanged', 'bad', 'problems'] as const).map((k) => (
          <Fragment key={k}>
            <dt>{t(`adminImport.counts.${k}`)}</dt>
            <dd data-testid={`import-count-${k}`}>{job.counts[k]}</dd>
          </Fragment>
        ))}
      </dl>
      {job.report.changedSinceCheck && (
        <p className="message message--warning" role="alert" data-testid="import-changed">
          {t('adminImport.changedSinceCheck')}
        </p>
      )}
      {total === 0 ? (
        <p className="message message--ok" data-testid="import-no-problems">
          {t('adminImport.noProblems')}
        </p>
      ) : (
        <>
          <table className="table" data-testid="import-problems">
            <thead>
              <tr>
                <th>{t('adminImport.line')}</th>
                <th>{t('adminImport.column')}</th>
                <th>{t('adminImport.reason')}</th>
              </tr>
            </thead>
            <tbody>
              {(page?.problems ?? []).map((p, i) => (
                <tr key={`${offset}-${i}`} data-testid="import-problem-row" data-line={p.line} data-reason={p.reason}>
                  <td>{p.line}</td>
                  <td>
                    {p.column !== null ? columnLetter(p.column) : '—'} {p.columnTitle ? <SafeText text={p.columnTitle} /> : null}
                  </td>
                  <td data-testid="import-problem-reason">{t(`adminImport.reasons.${known(ROW_REASONS, p.reason)}`, { ...NO_PARAMS, code: safeString(p.reason), ...paramsOf(p.params) })}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="admin-import__pager">
            <button type="button" className="button" data-testid="import-page-prev" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - REPORT_PAGE))}>
              {t('adminImport.previous')}
            </button>
            <span data-testid="import-page">{t('adminImport.page', { from: Math.min(total, offset + 1), to: Math.min(total, offset + REPORT_PAGE), total })}</span>
            <button type="button" className="button" data-testid="import-page-next" disabled={offset + REPORT_PAGE >= total} onClick={() => setOffset(offset + REPORT_PAGE)}>
              {t('adminImport.next')}
            </button>
          </div>
        </>
      )}
      <ErrorMessage error={error} testId="import-commit-error" />
      {refused && (
        <p className="message message--error" role="alert" data-testid="import-commit-refused">
          {t('adminImport.commitRefused')}
        </p>
      )}
      {job.counts.bad === 0 ? (
        <button type="button" className="button button--primary" data-testid="import-commit" disabled={busy || good === 0} onClick={() => void commit(false)}>
          {t('adminImport.commit', { rows: good })}
        </button>
      ) : confirming ? (
        <div className="message message--warning" role="alertdialog" data-testid="import-confirm">
          <p>{t('adminImport.confirmGoodOnly', { good, bad: job.counts.bad })}</p>
          <button type="button" className="button button--primary" data-testid="import-confirm-yes" disabled={busy} onClick={() => void commit(true)}>
            {t('adminImport.confirmYes')}
          </button>
          <button type="button" className="button" data-testid="import-confirm-no" disabled={busy} onClick={() => setConfirming(false)}>
            {t('adminImport.confirmNo')}
          </button>
        </div>
      ) : (
        <button type="button" className="button button--primary" data-testid="import-commit-good" disabled={busy || good === 0} onClick={() => setConfirming(true)}>
          {t('adminImport.commitGood', { rows: good })}
        </button>
      )}
      {busy && <p role="status">{t('adminImport.committing')}</p>}
    </section>
  );
}

/** The committed import; while the server is still writing its rows ('committing'), followed every
 *  second with the written count; a commit that stopped ('failed') can be resumed from here. */
function Result(props: { job: ImportJob }) {
  const { t } = useTranslation();
  const call = useCall();
  const [job, setJob] = useState(props.job);
  const [error, setError] = useState<CallError | null>(null);
  const [resuming, setResuming] = useState(false);

  useEffect(() => {
    if (job.status !== 'committing') return;
    let live = true;
    const timer = setTimeout(() => {
      void call('admin.import.report', { importId: job.id, offset: 0, limit: 1 }).then((r) => {
        if (!live) return;
        if (r.ok) {
          setError(null);
          setJob(r.value.job);
        } else {
          setError(r.error);
          // The link may come back: ask again (a new object runs this effect again).
          if (r.error.code === 'offline') setJob((j) => ({ ...j }));
        }
      });
    }, 1000);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [call, job]);

  async function resume() {
    setResuming(true);
    setError(null);
    const r = await call('admin.import.commit', { importId: job.id, skipBad: true });
    setResuming(false);
    if (r.ok) setJob(r.value);
    else setError(r.error);
  }

  const toWrite = job.counts.new + job.counts.updated;
  return (
    <section className="card" data-testid="import-result" data-status={job.status}>
      <h3 className="section-title">{t(job.status === 'done' ? 'adminImport.result' : 'adminImport.committing')}</h3>
      {job.status === 'committing' && (
        <p className="message" role="status" data-testid="import-result-progress" data-committed={job.counts.committed}>
          {t('adminImport.progress', { committed: job.counts.committed, total: toWrite })}
        </p>
      )}
      {job.status === 'failed' && (
        <div className="message message--error" role="alert" data-testid="import-result-failed">
          <p>{t('adminImport.stopped', { committed: job.counts.committed, total: toWrite })}</p>
          <button type="button" className="button button--primary" data-testid="import-resume" disabled={resuming} onClick={() => void resume()}>
            {t('adminImport.resume')}
          </button>
        </div>
      )}
      <ErrorMessage error={error} testId="import-result-error" />
      {job.status === 'done' && (
        <p className="message message--ok" role="status" data-testid="import-result-text">
          {t('adminImport.resultText', { committed: job.counts.committed, new: job.counts.new, updated: job.counts.updated, unchanged: job.counts.unchanged, skipped: job.counts.skipped })}
        </p>
      )}
      <dl className="facts">
        {(['committed', 'new', 'updated', 'unchanged', 'skipped'] as const).map((k) => (
          <Fragment key={k}>
            <dt>{t(`adminImport.counts.${k}`)}</dt>
            <dd data-testid={`import-result-${k}`}>{job.counts[k]}</dd>
          </Fragment>
        ))}
      </dl>
    </section>
  );
}
