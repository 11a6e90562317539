// Owns showing a registration form (domain/forms.ts) for an attendee to be registered: one control per
// visible field of every kind, labels and help in the UI language (falling back to another the organizer
// wrote), conditional fields appearing and disappearing as answers change, and each field's problem from
// validateAnswers in words. Controlled: the caller holds the raw answers and the errors, and checks the
// answers with validateAnswers when it registers. Keyboard-first: Enter moves to the next field (and
// from the last one calls onSubmit).
import { useMemo, useRef, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { COUNTRY_CODES, textIn, visibleFields, type AnswerError, type Form, type FormField } from '../contract';
import { SafeText } from './SafeText';

export type RawAnswers = Record<string, unknown>;

export type RegistrationFormProps = {
  form: Form;
  answers: RawAnswers;
  onChange: (answers: RawAnswers) => void;
  /** Problems to show next to their fields (validateAnswers' errors); null or empty: none. */
  errors?: readonly AnswerError[] | null;
  /** Enter on the last field. */
  onSubmit?: () => void;
  /** Prefix of the data-testid of every field (several forms on one screen). */
  testId?: string;
};

/** Country codes sorted by their name in the UI language. */
function countryChoices(language: string): { code: string; name: string }[] {
  let names: Intl.DisplayNames | null = null;
  try {
    names = new Intl.DisplayNames([language], { type: 'region' });
  } catch {
    names = null;
  }
  return [...COUNTRY_CODES]
    .map((code) => ({ code, name: names?.of(code) ?? code }))
    .sort((a, b) => a.name.localeCompare(b.name, language));
}

const asText = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : '');

export function RegistrationForm(props: RegistrationFormProps) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const root = useRef<HTMLDivElement>(null);
  const prefix = props.testId ?? 'reg';
  const shown = visibleFields(props.form, props.answers);
  const countries = useMemo(() => countryChoices(language), [language]);
  const errorOf = new Map((props.errors ?? []).map((e) => [e.key, e.reason] as const));

  const set = (key: string, value: unknown) => {
    const next: RawAnswers = {};
    for (const k of Object.keys(props.answers)) if (k !== key) next[k] = props.answers[k];
    if (value !== undefined) next[key] = value;
    props.onChange(next);
  };

  /** Enter moves to the first control of the next visible field; from the last, submits. */
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== 'Enter' || e.shiftKey || e.altKey || e.ctrlKey || e.metaKey) return;
    const target = e.target as HTMLElement;
    if (target.tagName === 'TEXTAREA' || target.tagName === 'BUTTON') return;
    const fieldEl = target.closest<HTMLElement>('[data-field-key]');
    if (!fieldEl || !root.current) return;
    e.preventDefault();
    const all = [...root.current.querySelectorAll<HTMLElement>('[data-field-key]')];
    const next = all[all.indexOf(fieldEl) + 1];
    if (next) next.querySelector<HTMLElement>('input, select, textarea')?.focus();
    else props.onSubmit?.();
  };

  const control = (field: FormField, invalid: boolean, describedBy: string | undefined) => {
    const id = `${prefix}-${field.key}`;
    const value = props.answers[field.key];
    const common = {
      id,
      'aria-invalid': invalid,
      'aria-required': field.required,
      'aria-describedby': describedBy,
      'data-testid': id,
    };
    switch (field.kind) {
      case 'checkbox':
        return (
          <input
            {...common}
            type="checkbox"
            className="registration__check"
            checked={value === true}
            onChange={(e) => set(field.key, e.target.checked)}
          />
        );
      case 'choice':
        return (
          <select {...common} className="input" value={asText(value)} onChange={(e) => set(field.key, e.target.value || undefined)}>
            <option value="">{t('forms.choose')}</option>
            {field.options?.map((o) => (
              <option key={o.value} value={o.value}>
                {textIn(o.label, language)}
              </option>
            ))}
          </select>
        );
      case 'multi': {
        const chosen = new Set(Array.isArray(value) ? (value as unknown[]).filter((v): v is string => typeof v === 'string') : []);
        return (
          <div className="registration__options" role="group" aria-labelledby={`${id}-label`} data-testid={id}>
            {field.options?.map((o) => (
              <label key={o.value} className="registration__option">
                <input
                  type="checkbox"
                  aria-invalid={invalid}
                  data-testid={`${id}-${o.value}`}
                  checked={chosen.has(o.value)}
                  onChange={(e) => {
                    const next = new Set(chosen);
                    if (e.target.checked) next.add(o.value);
                    else next.delete(o.value);
                    const list = field.options!.map((x) => x.value).filter((v) => next.has(v));
                    set(field.key, list.length > 0 ? list : undefined);
                  }}
                />{' '}
                <SafeText text={textIn(o.label, language)} />
              </label>
            ))}
          </div>
        );
      }
      case 'country':
        return (
          <select {...common} className="input" value={asText(value).toUpperCase()} onChange={(e) => set(field.key, e.target.value || undefined)}>
            <option value="">{t('forms.choose')}</option>
            {countries.map((c) => (
              <option key={c.code} value={c.code}>
                {c.name} ({c.code})
              </option>
            ))}
          </select>
        );
      default: {
        const input = {
          text: { type: 'text', inputMode: undefined, autoComplete: 'off' },
          number: { type: 'text', inputMode: 'decimal', autoComplete: 'off' },
          date: { type: 'date', inputMode: undefined, autoComplete: 'off' },
          phone: { type: 'tel', inputMode: 'tel', autoComplete: 'tel' },
          email: { type: 'email', inputMode: 'email', autoComplete: 'email' },
        }[field.kind];
        return (
          <input
            {...common}
            className="input"
            type={input.type}
            inputMode={input.inputMode as 'decimal' | 'tel' | 'email' | undefined}
            autoComplete={input.autoComplete}
            maxLength={field.kind === 'text' ? (field.maxLength ?? 1000) : 200}
            placeholder={field.kind === 'date' ? 'YYYY-MM-DD' : undefined}
            value={asText(value)}
            onChange={(e) => set(field.key, e.target.value === '' ? undefined : e.target.value)}
          />
        );
      }
    }
  };

  return (
    <div className="registration" ref={root} onKeyDown={onKeyDown} data-testid={prefix}>
      {shown.map((field) => {
        const reason = errorOf.get(field.key);
        const id = `${prefix}-${field.key}`;
        const help = textIn(field.help, language);
        const describedBy = [help ? `${id}-help` : '', reason ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
        const label = (
          <span className="field__label" id={`${id}-label`}>
            <SafeText text={textIn(field.label, language)} />
            {field.required ? (
              <span className="registration__required" aria-hidden="true">
                {' *'}
              </span>
            ) : (
              <span className="field__hint"> ({t('forms.optional')})</span>
            )}
          </span>
        );
        return (
          <div key={field.key} className={`field registration__field registration__field--${field.kind}`} data-field-key={field.key}>
            {field.kind === 'checkbox' ? (
              <label className="registration__checkbox" htmlFor={id}>
                {control(field, reason !== undefined, describedBy)} {label}
              </label>
            ) : field.kind === 'multi' ? (
              <>
                {label}
                {control(field, reason !== undefined, describedBy)}
              </>
            ) : (
              <>
                <label htmlFor={id}>{label}</label>
                {control(field, reason !== undefined, describedBy)}
              </>
            )}
            {help && (
              <span className="field__hint" id={`${id}-help`}>
                <SafeText text={help} />
              </span>
            )}
            {reason && (
              <span className="field__error" id={`${id}-error`} role="alert" data-testid={`${id}-error`}>
                {t(`forms.reasons.${reason}`)}
              </span>
            )}
          </div>
        );
      })}
    </div>
  );
}
