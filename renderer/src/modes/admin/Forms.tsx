// Owns admin mode's Forms section: choosing an event and one of its ticket types, editing that type's
// registration form with FormEditor (its live preview included), and saving it at the server. It shows the
// version the server holds, names each problem of a form the server refused (nothing is saved then), and
// asks before unsaved changes would be dropped by choosing another event or type or reloading.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../components/ErrorMessage';
import { SafeText } from '../../components/SafeText';
import type { AdminFormState, CallError, FormFieldInput, FormProblem, FormsCatalogEvent } from '../../contract';
import { useCall } from '../../core';
import { formatDateTime, pickLocalized } from '../../i18n/format';
import { FormEditor } from './FormEditor';

/** What the admin asked for while the form had unsaved changes. */
type Switch = { eventId: string; typeId: string; reload: boolean };

const same = (a: readonly unknown[], b: readonly unknown[]) => JSON.stringify(a) === JSON.stringify(b);
const EDITOR_PARTS = ['key', 'kind', 'label', 'help', 'options', 'maxLength', 'min', 'max', 'showIf'] as const;
type EditorPart = (typeof EDITOR_PARTS)[number] | 'other';

export function Forms() {
  const { t, i18n } = useTranslation();
  const call = useCall();
  const lang = i18n.language;
  const [catalog, setCatalog] = useState<FormsCatalogEvent[] | null>(null);
  const [catalogError, setCatalogError] = useState<CallError | null>(null);
  const [eventId, setEventId] = useState('');
  const [typeId, setTypeId] = useState('');
  /** Bumped to read the chosen type's form again from the server. */
  const [generation, setGeneration] = useState(0);
  const [saved, setSaved] = useState<AdminFormState | null>(null);
  const [draft, setDraft] = useState<FormFieldInput[]>([]);
  const [loadError, setLoadError] = useState<CallError | null>(null);
  const [saveError, setSaveError] = useState<CallError | null>(null);
  const [problems, setProblems] = useState<FormProblem[] | null>(null);
  const [justSaved, setJustSaved] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [pending, setPending] = useState<Switch | null>(null);
  const keepButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    let live = true;
    void call('admin.forms.catalog', {}).then((r) => {
      if (!live) return;
      if (r.ok) {
        setCatalog(r.value);
        setCatalogError(null);
      } else setCatalogError(r.error);
    });
    return () => {
      live = false;
    };
  }, [call]);

  useEffect(() => {
    if (!typeId) return;
    let live = true;
    void call('admin.forms.get', { ticketTypeId: typeId }).then((r) => {
      if (!live) return;
      if (r.ok) {
        setSaved(r.value);
        setDraft(r.value.fields);
      } else setLoadError(r.error);
    });
    return () => {
      live = false;
    };
  }, [call, typeId, generation]);

  useEffect(() => {
    if (pending) keepButton.current?.focus();
  }, [pending]);

  const dirty = saved !== null && !same(draft, saved.fields);
  const event = catalog?.find((e) => e.id === eventId) ?? null;

  const apply = (next: Switch) => {
    setPending(null);
    setSaved(null);
    setDraft([]);
    setLoadError(null);
    setSaveError(null);
    setProblems(null);
    setJustSaved(null);
    setEventId(next.eventId);
    setTypeId(next.typeId);
    if (next.reload) setGeneration((g) => g + 1);
  };
  /** Goes to another event, type or a fresh read; with unsaved changes, asks first. */
  const go = (next: Switch) => {
    if (dirty) setPending(next);
    else apply(next);
  };
  const edit = (fields: FormFieldInput[]) => {
    setDraft(fields);
    setProblems(null);
  };

  async function save() {
    if (!saved) return;
    setBusy(true);
    setSaveError(null);
    setProblems(null);
    setJustSaved(null);
    const r = await call('admin.forms.save', { ticketTypeId: saved.ticketTypeId, fields: draft });
    setBusy(false);
    if (!r.ok) return setSaveError(r.error);
    if (r.value.outcome === 'refused') return setProblems(r.value.problems);
    setSaved(r.value.form);
    setDraft(r.value.form.fields);
    setJustSaved(r.value.form.version);
  }

  const problemText = (p: FormProblem) => {
    if (p.field === null) return t('adminForms.problemForm');
    const field = draft[p.field];
    const part: EditorPart = (EDITOR_PARTS as readonly string[]).includes(p.part ?? '') ? (p.part as EditorPart) : 'other';
    return t('adminForms.problemField', { n: p.field + 1, key: field?.key ?? '', part: t(`forms.editor.parts.${part}`) });
  };

  return (
    <div className="admin-forms" data-testid="admin-forms">
      <section className="card">
        <h2 className="section-title">{t('adminForms.title')}</h2>
        <ErrorMessage error={catalogError} testId="admin-forms-catalog-error" />
        {catalog !== null && catalog.length === 0 && <p data-testid="admin-forms-no-events">{t('adminForms.noEvents')}</p>}
        {catalog !== null && catalog.length > 0 && (
          <div className="admin-forms__pick">
            <label className="field">
              <span className="field__label">{t('adminForms.event')}</span>
              <select
                className="input"
                data-testid="admin-forms-event"
                value={eventId}
                disabled={pending !== null}
                onChange={(e) => go({ eventId: e.target.value, typeId: '', reload: false })}
              >
                <option value="">{t('forms.choose')}</option>
                {catalog.map((e) => (
                  <option key={e.id} value={e.id}>
                    {pickLocalized(e.name, lang)} — {formatDateTime(e.startsAt, lang)}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span className="field__label">{t('adminForms.ticketType')}</span>
              <select
                className="input"
                data-testid="admin-forms-type"
                value={typeId}
                disabled={!event || pending !== null}
                onChange={(e) => go({ eventId, typeId: e.target.value, reload: false })}
              >
                <option value="">{t('forms.choose')}</option>
                {event?.ticketTypes.map((tt) => (
                  <option key={tt.id} value={tt.id}>
                    {pickLocalized(tt.name, lang)}
                  </option>
                ))}
              </select>
            </label>
            {event && event.ticketTypes.length === 0 && <p data-testid="admin-forms-no-types">{t('adminForms.noTypes')}</p>}
          </div>
        )}
        {pending && (
          <div
            className="message message--warning admin-forms__ask"
            role="alertdialog"
            aria-labelledby="admin-forms-ask-text"
            data-testid="admin-forms-unsaved"
            onKeyDown={(e) => {
              if (e.key === 'Escape') {
                e.preventDefault();
                setPending(null);
              }
            }}
          >
            <p id="admin-forms-ask-text">{t('adminForms.unsavedAsk')}</p>
            <div className="admin-forms__actions">
              <button
                ref={keepButton}
                type="button"
                className="button button--primary"
                data-testid="admin-forms-keep"
                onClick={() => setPending(null)}
              >
                {t('adminForms.keepEditing')}
              </button>
              <button type="button" className="button" data-testid="admin-forms-discard" onClick={() => apply(pending)}>
                {t('adminForms.discard')}
              </button>
            </div>
          </div>
        )}
      </section>

      {typeId && (
        <section className="card admin-forms__form" data-testid="admin-forms-form" data-ticket-type-id={typeId}>
          <ErrorMessage error={loadError} testId="admin-forms-load-error" />
          {saved === null && loadError === null && <p className="splash">{t('app.loading')}</p>}
          {saved !== null && (
            <>
              <div className="admin-forms__head">
                <p data-testid="admin-forms-version" data-version={saved.version}>
                  {saved.version === 0 || saved.updatedAt === null
                    ? t('adminForms.neverSaved')
                    : t('adminForms.version', { version: saved.version, when: formatDateTime(saved.updatedAt, lang) })}
                </p>
                {dirty && (
                  <p className="field__hint" data-testid="admin-forms-dirty">
                    {t('adminForms.unsaved')}
                  </p>
                )}
              </div>
              <FormEditor fields={draft} onChange={edit} />
              <div className="admin-forms__bar" data-testid="admin-forms-bar">
                {problems && (
                  <div className="message message--error" role="alert" data-testid="admin-forms-problems">
                    <p>{t('adminForms.refused')}</p>
                    <ul>
                      {problems.map((p, i) => (
                        <li
                          key={i}
                          data-testid="admin-forms-problem"
                          data-path={p.path}
                          data-field={p.field ?? ''}
                          data-part={p.part ?? ''}
                        >
                          <SafeText text={problemText(p)} />
                        </li>
                      ))}
                    </ul>
                  </div>
                )}
                <ErrorMessage error={saveError} testId="admin-forms-save-error" />
                {justSaved !== null && !dirty && (
                  <p className="message message--ok" role="status" data-testid="admin-forms-saved">
                    {t('adminForms.saved', { version: justSaved })}
                  </p>
                )}
                <div className="admin-forms__actions">
                  <button
                    type="button"
                    className="button button--primary"
                    data-testid="admin-forms-save"
                    disabled={busy || !dirty}
                    onClick={() => void save()}
                  >
                    {t('adminForms.save')}
                  </button>
                  <button
                    type="button"
                    className="button"
                    data-testid="admin-forms-revert"
                    disabled={busy || !dirty}
                    onClick={() => edit(saved.fields)}
                  >
                    {t('adminForms.revert')}
                  </button>
                  <button
                    type="button"
                    className="button"
                    data-testid="admin-forms-reload"
                    disabled={busy}
                    onClick={() => go({ eventId, typeId, reload: true })}
                  >
                    {t('adminForms.reload')}
                  </button>
                </div>
              </div>
            </>
          )}
        </section>
      )}
    </div>
  );
}
