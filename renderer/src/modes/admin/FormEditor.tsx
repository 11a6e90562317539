// Owns editing a ticket type's registration form in the admin mode: adding, removing and reordering
// fields, each field's key, kind, labels and help in the three UI languages, whether it is required, its
// options or limits, and the condition on an earlier field that shows it — with the problems parseForm
// finds named per field and a live preview through RegistrationForm. Controlled: the caller holds the
// fields (a draft that may still have problems) and saves them when parseForm accepts them.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { RegistrationForm, type RawAnswers } from '../../components/RegistrationForm';
import {
  FIELD_KINDS,
  FORM_LOCALES,
  MAX_FORM_FIELDS,
  MAX_OPTIONS,
  parseForm,
  textIn,
  validateAnswers,
  type FieldKind,
  type FormFieldInput,
  type FormText,
  type ShowIf,
} from '../../contract';
import { languageNames } from '../../i18n';
import { SafeText } from '../../components/SafeText';

export type FormEditorProps = { fields: FormFieldInput[]; onChange: (fields: FormFieldInput[]) => void };

type Option = NonNullable<FormFieldInput['options']>[number];
const PARTS = ['key', 'kind', 'label', 'help', 'options', 'maxLength', 'min', 'max', 'showIf'] as const;
type Part = (typeof PARTS)[number];

/** A text with one language set (an empty one removed). */
function withText(text: FormText | undefined, locale: (typeof FORM_LOCALES)[number], value: string): FormText {
  const next: FormText = { ...text };
  if (value === '') delete next[locale];
  else next[locale] = value;
  return next;
}

const numberOrUndefined = (s: string): number | undefined => (s.trim() === '' || !Number.isFinite(Number(s)) ? undefined : Number(s));

/** A number typed as text: what is typed stays on screen ("-", "1.") while the value follows it. */
function DraftNumber(props: { value: number | undefined; onChange: (value: number | undefined) => void; testId: string; integer?: boolean }) {
  const [text, setText] = useState(props.value === undefined ? '' : String(props.value));
  // The typed text while it still means the value; the value itself once it was changed elsewhere.
  const shown = numberOrUndefined(text) === props.value ? text : props.value === undefined ? '' : String(props.value);
  return (
    <input
      className="input"
      inputMode={props.integer ? 'numeric' : 'decimal'}
      data-testid={props.testId}
      value={shown}
      onChange={(e) => {
        setText(e.target.value);
        props.onChange(numberOrUndefined(e.target.value));
      }}
    />
  );
}

function freshKey(fields: readonly FormFieldInput[]): string {
  for (let n = fields.length + 1; ; n++) if (!fields.some((f) => f.key === `field_${n}`)) return `field_${n}`;
}

/** The field as it must look for a new kind: what the kind cannot carry goes, what it needs comes. */
function ofKind(field: FormFieldInput, kind: FieldKind): FormFieldInput {
  const { options, maxLength, min, max, integer, ...rest } = field;
  const next: FormFieldInput = { ...rest, kind };
  if (kind === 'choice' || kind === 'multi') next.options = options ?? [{ value: 'option_1', label: {} }];
  if (kind === 'text' && maxLength !== undefined) next.maxLength = maxLength;
  if (kind === 'number') Object.assign(next, { min, max, integer });
  return next;
}

export function FormEditor({ fields, onChange }: FormEditorProps) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const [previewAnswers, setPreviewAnswers] = useState<RawAnswers>({});
  const parsed = parseForm(fields);

  const update = (index: number, patch: Partial<FormFieldInput> | ((f: FormFieldInput) => FormFieldInput)) =>
    onChange(fields.map((f, i) => (i !== index ? f : typeof patch === 'function' ? patch(f) : { ...f, ...patch })));
  const move = (index: number, by: -1 | 1) => {
    const next = [...fields];
    const [taken] = next.splice(index, 1);
    next.splice(index + by, 0, taken!);
    onChange(next);
  };
  const remove = (index: number) => onChange(fields.filter((_, i) => i !== index));
  const add = () => onChange([...fields, { key: freshKey(fields), kind: 'text', label: {}, required: false }]);

  /** Problems per field index, each as the part of the field it is in. */
  const problems = new Map<number, Set<Part | 'other'>>();
  if (!parsed.ok) {
    for (const issue of parsed.issues) {
      const [at, part] = issue.path.split('.');
      const index = Number(at);
      if (!Number.isInteger(index)) continue;
      const set = problems.get(index) ?? new Set();
      set.add((PARTS as readonly string[]).includes(part ?? '') ? (part as Part) : 'other');
      problems.set(index, set);
    }
  }
  const formProblem = !parsed.ok && parsed.issues.some((i) => !Number.isInteger(Number(i.path.split('.')[0])));

  const textInputs = (field: FormFieldInput, index: number, which: 'label' | 'help') =>
    FORM_LOCALES.map((locale) => (
      <label key={locale} className="field">
        <span className="field__hint">{t(`forms.editor.${which}In`, { language: languageNames[locale] })}</span>
        <input
          className="input"
          data-testid={`editor-${index}-${which}-${locale}`}
          value={field[which]?.[locale] ?? ''}
          maxLength={which === 'label' ? 200 : 500}
          onChange={(e) => {
            const next = withText(field[which], locale, e.target.value);
            // Help is optional: with every language emptied it goes, rather than stay an empty text.
            update(index, { [which]: which === 'help' && Object.keys(next).length === 0 ? undefined : next });
          }}
        />
      </label>
    ));

  const conditionValue = (field: FormFieldInput, index: number, target: FormFieldInput) => {
    const showIf = field.showIf!;
    const setEquals = (equals: ShowIf['equals']) => update(index, { showIf: { key: showIf.key, equals } });
    if (target.kind === 'checkbox')
      return (
        <select className="input" data-testid={`editor-${index}-showif-value`} value={String(showIf.equals === true)} onChange={(e) => setEquals(e.target.value === 'true')}>
          <option value="true">{t('forms.editor.ticked')}</option>
          <option value="false">{t('forms.editor.notTicked')}</option>
        </select>
      );
    if (target.kind === 'choice' || target.kind === 'multi') {
      const chosen = new Set(Array.isArray(showIf.equals) ? showIf.equals : [String(showIf.equals)]);
      return (
        <div className="registration__options" data-testid={`editor-${index}-showif-value`}>
          {(target.options ?? []).map((o) => (
            <label key={o.value} className="registration__option">
              <input
                type="checkbox"
                data-testid={`editor-${index}-showif-${o.value}`}
                checked={chosen.has(o.value)}
                onChange={(e) => {
                  const next = (target.options ?? []).map((x) => x.value).filter((v) => (v === o.value ? e.target.checked : chosen.has(v)));
                  setEquals(next.length === 1 ? next[0]! : next);
                }}
              />{' '}
              <SafeText text={textIn(o.label, language) || o.value} />
            </label>
          ))}
        </div>
      );
    }
    if (target.kind === 'number')
      return (
        <DraftNumber
          testId={`editor-${index}-showif-value`}
          value={typeof showIf.equals === 'number' ? showIf.equals : undefined}
          onChange={(n) => setEquals(n ?? '')}
        />
      );
    return (
      <input
        className="input"
        data-testid={`editor-${index}-showif-value`}
        value={typeof showIf.equals === 'string' ? showIf.equals : ''}
        onChange={(e) => setEquals(e.target.value)}
      />
    );
  };

  const defaultEquals = (target: FormFieldInput): ShowIf['equals'] =>
    target.kind === 'checkbox' ? true : target.kind === 'number' ? 0 : target.options?.[0]?.value ?? '';

  return (
    <div className="form-editor" data-testid="form-editor">
      <div className="form-editor__fields">
        {fields.length === 0 && <p className="field__hint">{t('forms.editor.empty')}</p>}
        {fields.map((field, index) => {
          const earlier = fields.slice(0, index).filter((f) => f.key !== field.key);
          const target = field.showIf ? fields.slice(0, index).find((f) => f.key === field.showIf!.key) : undefined;
          const fieldProblems = problems.get(index);
          return (
            <fieldset key={index} className="card form-editor__field" data-testid={`editor-field-${index}`}>
              <legend className="section-title">{t('forms.editor.field', { n: index + 1 })}</legend>
              <div className="form-editor__actions">
                <button type="button" className="button" data-testid={`editor-${index}-up`} disabled={index === 0} onClick={() => move(index, -1)}>
                  {t('forms.editor.moveUp')}
                </button>
                <button type="button" className="button" data-testid={`editor-${index}-down`} disabled={index === fields.length - 1} onClick={() => move(index, 1)}>
                  {t('forms.editor.moveDown')}
                </button>
                <button type="button" className="button" data-testid={`editor-${index}-remove`} onClick={() => remove(index)}>
                  {t('forms.editor.remove')}
                </button>
              </div>
              <label className="field">
                <span className="field__label">{t('forms.editor.key')}</span>
                <input className="input" data-testid={`editor-${index}-key`} value={field.key} maxLength={40} onChange={(e) => update(index, { key: e.target.value })} />
                <span className="field__hint">{t('forms.editor.keyHint')}</span>
              </label>
              <label className="field">
                <span className="field__label">{t('forms.editor.kind')}</span>
                <select className="input" data-testid={`editor-${index}-kind`} value={field.kind} onChange={(e) => update(index, (f) => ofKind(f, e.target.value as FieldKind))}>
                  {FIELD_KINDS.map((kind) => (
                    <option key={kind} value={kind}>
                      {t(`forms.kinds.${kind}`)}
                    </option>
                  ))}
                </select>
              </label>
              {textInputs(field, index, 'label')}
              {textInputs(field, index, 'help')}
              <label className="registration__checkbox">
                <input type="checkbox" data-testid={`editor-${index}-required`} checked={field.required === true} onChange={(e) => update(index, { required: e.target.checked })} />{' '}
                {t('forms.editor.required')}
              </label>

              {(field.kind === 'choice' || field.kind === 'multi') && (
                <div className="form-editor__options">
                  <span className="field__label">{t('forms.editor.options')}</span>
                  {(field.options ?? []).map((option, o) => {
                    const setOption = (patch: Partial<Option>) =>
                      update(index, (f) => ({ ...f, options: (f.options ?? []).map((x, i) => (i === o ? { ...x, ...patch } : x)) }));
                    return (
                      <div key={o} className="form-editor__option" data-testid={`editor-${index}-option-${o}`}>
                        <label className="field">
                          <span className="field__hint">{t('forms.editor.optionValue')}</span>
                          <input className="input" data-testid={`editor-${index}-option-${o}-value`} value={option.value} maxLength={100} onChange={(e) => setOption({ value: e.target.value })} />
                        </label>
                        {FORM_LOCALES.map((locale) => (
                          <label key={locale} className="field">
                            <span className="field__hint">{t('forms.editor.labelIn', { language: languageNames[locale] })}</span>
                            <input
                              className="input"
                              data-testid={`editor-${index}-option-${o}-label-${locale}`}
                              value={option.label[locale] ?? ''}
                              maxLength={200}
                              onChange={(e) => setOption({ label: withText(option.label, locale, e.target.value) })}
                            />
                          </label>
                        ))}
                        <button
                          type="button"
                          className="button"
                          data-testid={`editor-${index}-option-${o}-remove`}
                          disabled={(field.options ?? []).length <= 1}
                          onClick={() => update(index, (f) => ({ ...f, options: (f.options ?? []).filter((_, i) => i !== o) }))}
                        >
                          {t('forms.editor.removeOption')}
                        </button>
                      </div>
                    );
                  })}
                  <button
                    type="button"
                    className="button"
                    data-testid={`editor-${index}-add-option`}
                    disabled={(field.options ?? []).length >= MAX_OPTIONS}
                    onClick={() => update(index, (f) => ({ ...f, options: [...(f.options ?? []), { value: `option_${(f.options ?? []).length + 1}`, label: {} }] }))}
                  >
                    {t('forms.editor.addOption')}
                  </button>
                </div>
              )}

              {field.kind === 'text' && (
                <label className="field">
                  <span className="field__label">{t('forms.editor.maxLength')}</span>
                  <DraftNumber integer testId={`editor-${index}-maxlength`} value={field.maxLength} onChange={(maxLength) => update(index, { maxLength })} />
                </label>
              )}
              {field.kind === 'number' && (
                <div className="form-editor__limits">
                  <label className="field">
                    <span className="field__label">{t('forms.editor.min')}</span>
                    <DraftNumber testId={`editor-${index}-min`} value={field.min} onChange={(min) => update(index, { min })} />
                  </label>
                  <label className="field">
                    <span className="field__label">{t('forms.editor.max')}</span>
                    <DraftNumber testId={`editor-${index}-max`} value={field.max} onChange={(max) => update(index, { max })} />
                  </label>
                  <label className="registration__checkbox">
                    <input type="checkbox" data-testid={`editor-${index}-integer`} checked={field.integer === true} onChange={(e) => update(index, { integer: e.target.checked || undefined })} />{' '}
                    {t('forms.editor.integer')}
                  </label>
                </div>
              )}

              <label className="field">
                <span className="field__label">{t('forms.editor.showIf')}</span>
                <select
                  className="input"
                  data-testid={`editor-${index}-showif`}
                  value={field.showIf?.key ?? ''}
                  onChange={(e) => {
                    const chosen = earlier.find((f) => f.key === e.target.value);
                    update(index, (f) => {
                      const { showIf: _dropped, ...rest } = f;
                      return chosen ? { ...rest, showIf: { key: chosen.key, equals: defaultEquals(chosen) } } : rest;
                    });
                  }}
                >
                  <option value="">{t('forms.editor.always')}</option>
                  {earlier.map((f) => (
                    <option key={f.key} value={f.key}>
                      {t('forms.editor.whenField', { field: textIn(f.label, language) || f.key })}
                    </option>
                  ))}
                </select>
              </label>
              {field.showIf && target && (
                <div className="field">
                  <span className="field__hint">{t('forms.editor.equals')}</span>
                  {conditionValue(field, index, target)}
                </div>
              )}

              {fieldProblems && (
                <p className="message message--error" role="alert" data-testid={`editor-${index}-problems`}>
                  {t('forms.editor.problems', {
                    parts: [...fieldProblems].map((p) => t(`forms.editor.parts.${p}`)).join(', '),
                  })}
                </p>
              )}
            </fieldset>
          );
        })}
        <button type="button" className="button button--primary" data-testid="editor-add" disabled={fields.length >= MAX_FORM_FIELDS} onClick={add}>
          {t('forms.editor.addField')}
        </button>
        {formProblem && (
          <p className="message message--error" role="alert" data-testid="editor-form-problem">
            {t('forms.editor.tooMany', { max: MAX_FORM_FIELDS })}
          </p>
        )}
      </div>
      <section className="card form-editor__preview" data-testid="editor-preview">
        <h3 className="section-title">{t('forms.editor.preview')}</h3>
        {parsed.ok ? (
          <RegistrationForm
            form={parsed.form}
            answers={previewAnswers}
            onChange={setPreviewAnswers}
            errors={(() => {
              const checked = validateAnswers(parsed.form, previewAnswers);
              // Only answered fields show a problem in the preview; an empty required one is not an error yet.
              return checked.ok ? null : checked.errors.filter((e) => e.reason !== 'required' || e.key in previewAnswers);
            })()}
            testId="preview"
          />
        ) : (
          <p className="field__hint" data-testid="editor-preview-blocked">
            {t('forms.editor.fixFirst')}
          </p>
        )}
      </section>
    </div>
  );
}
