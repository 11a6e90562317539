// Owns registration forms: the custom fields an organizer adds to a ticket type (their zod schema and
// the rules a form must keep — unique keys, options, limits, conditions on earlier fields only), which
// fields a set of answers makes visible, and the one check of an attendee's answers that the server,
// the importer, the box office and the badge desk all use: raw answers in, normalized answers or
// stable reason codes out. Pure: no I/O.
//
// Normal forms: text trimmed; number a JS number; choice an option's value; multi the chosen option
// values in the form's order; checkbox a boolean (a required checkbox must be ticked); date YYYY-MM-DD
// of a real day; phone digits with an optional leading + (5 to 15 digits); email trimmed with the domain
// lower-cased; country an upper-case ISO 3166-1 alpha-2 code. Empty values ('' , null, [], absent) are
// "no answer". Answers to hidden fields are dropped; answers to keys the form does not have are errors.
import { z } from 'zod';
import { COUNTRY_CODES } from './countries';

export const FIELD_KINDS = ['text', 'number', 'choice', 'multi', 'checkbox', 'date', 'phone', 'email', 'country'] as const;
export type FieldKind = (typeof FIELD_KINDS)[number];
/** The UI languages a label is written in. */
export const FORM_LOCALES = ['en', 'zh-CN', 'ru'] as const;
export type FormLocale = (typeof FORM_LOCALES)[number];

export const MAX_FORM_FIELDS = 50;
export const MAX_OPTIONS = 100;
/** The longest text answer a form may allow (and the limit of a text field that sets none). */
export const MAX_TEXT_LENGTH = 1000;
export const MAX_LABEL_LENGTH = 200;
export const MAX_HELP_LENGTH = 500;
const MAX_OPTION_VALUE_LENGTH = 100;
const MAX_EMAIL_LENGTH = 254;
/** The largest magnitude a number field's limits and answers may have (stays exact in a double). */
export const MAX_NUMBER = 1e15;

/** Why an answer was refused; stable codes for every screen and report to translate. */
export const ANSWER_REASONS = [
  'required',
  'too_long',
  'not_a_number',
  'not_an_integer',
  'out_of_range',
  'not_an_option',
  'bad_date',
  'bad_phone',
  'bad_email',
  'bad_country',
  /** A value of the wrong shape: an object for a text, a word that is not yes or no for a checkbox … */
  'bad_value',
  'unknown_field',
] as const;
export type AnswerReason = (typeof ANSWER_REASONS)[number];

export const FieldKey = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, 'a key is a-z, then up to 39 of a-z, 0-9 and _');

const Line = (max: number) => z.string().trim().min(1, 'empty').max(max, `longer than ${max} characters`);
/** A text in the UI languages: at least one of them (all three recommended). */
export const FormText = (max: number) =>
  z
    .object({
      en: Line(max).optional(),
      'zh-CN': Line(max).optional(),
      ru: Line(max).optional(),
    })
    .strict()
    .refine((t) => FORM_LOCALES.some((l) => t[l] !== undefined), 'at least one language');
export type FormText = { en?: string | undefined; 'zh-CN'?: string | undefined; ru?: string | undefined };

export const FieldOption = z
  .object({ value: z.string().trim().min(1).max(MAX_OPTION_VALUE_LENGTH), label: FormText(MAX_LABEL_LENGTH) })
  .strict();
export type FieldOption = z.infer<typeof FieldOption>;

const Bound = z.number().finite().min(-MAX_NUMBER).max(MAX_NUMBER);
export const ShowIf = z
  .object({
    key: FieldKey,
    /** The earlier field's answer equals this (a multi field: includes it); a list: any of them. */
    equals: z.union([
      z.string().max(MAX_OPTION_VALUE_LENGTH),
      Bound,
      z.boolean(),
      z.array(z.string().max(MAX_OPTION_VALUE_LENGTH)).min(1).max(MAX_OPTIONS),
    ]),
  })
  .strict();
export type ShowIf = z.infer<typeof ShowIf>;

export const FormFieldSchema = z
  .object({
    key: FieldKey,
    kind: z.enum(FIELD_KINDS),
    label: FormText(MAX_LABEL_LENGTH),
    help: FormText(MAX_HELP_LENGTH).optional(),
    required: z.boolean().default(false),
    /** choice and multi only. */
    options: z.array(FieldOption).min(1, 'at least one option').max(MAX_OPTIONS, `at most ${MAX_OPTIONS} options`).optional(),
    /** text only; MAX_TEXT_LENGTH when absent. */
    maxLength: z.number().int().min(1).max(MAX_TEXT_LENGTH, `at most ${MAX_TEXT_LENGTH}`).optional(),
    /** number only. */
    min: Bound.optional(),
    max: Bound.optional(),
    integer: z.boolean().optional(),
    showIf: ShowIf.optional(),
  })
  .strict();
export type FormField = z.infer<typeof FormFieldSchema>;
export type FormFieldInput = z.input<typeof FormFieldSchema>;
export type Form = FormField[];

/** Rules across fields: what each kind may carry, unique keys, conditions on earlier fields only. */
function checkForm(fields: FormField[], ctx: z.RefinementCtx): void {
  const seen = new Map<string, number>();
  fields.forEach((field, index) => {
    const issue = (path: (string | number)[], message: string) =>
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: [index, ...path], message: `${field.key}: ${message}` });
    if (seen.has(field.key)) issue(['key'], `the key is used by field ${seen.get(field.key)! + 1} already`);
    seen.set(field.key, index);

    const listed = field.kind === 'choice' || field.kind === 'multi';
    if (listed && !field.options) issue(['options'], `a ${field.kind} field needs options`);
    if (!listed && field.options) issue(['options'], `only choice and multi fields have options`);
    if (field.options) {
      const values = new Set<string>();
      field.options.forEach((o, i) => {
        if (values.has(o.value)) issue(['options', i, 'value'], `option value "${o.value}" appears twice`);
        values.add(o.value);
      });
    }
    if (field.maxLength !== undefined && field.kind !== 'text') issue(['maxLength'], 'only text fields have a maximum length');
    if (field.kind !== 'number') {
      for (const limit of ['min', 'max', 'integer'] as const)
        if (field[limit] !== undefined) issue([limit], `only number fields have ${limit}`);
    } else if (field.min !== undefined && field.max !== undefined && field.min > field.max) {
      issue(['min'], 'min is above max');
    }

    if (!field.showIf) return;
    const target = field.showIf.key;
    const at = fields.findIndex((f) => f.key === target);
    if (at < 0) return issue(['showIf', 'key'], `shown only if "${target}", but the form has no such field`);
    if (at === index) return issue(['showIf', 'key'], 'a field cannot depend on itself');
    if (at > index)
      return issue(['showIf', 'key'], `depends on "${target}", which comes after it (a field may depend only on fields above it)`);
    const mismatch = conditionMismatch(fields[at]!, field.showIf.equals);
    if (mismatch) issue(['showIf', 'equals'], mismatch);
  });
}

/** Why a condition's value can never match the field it looks at (null: it can). */
function conditionMismatch(target: FormField, equals: ShowIf['equals']): string | null {
  const list = Array.isArray(equals) ? equals : [equals];
  switch (target.kind) {
    case 'checkbox':
      return typeof equals === 'boolean' ? null : `"${target.key}" is a checkbox: the condition is true or false`;
    case 'number':
      return typeof equals === 'number' ? null : `"${target.key}" is a number: the condition is a number`;
    case 'choice':
    case 'multi': {
      const values = new Set(target.options?.map((o) => o.value));
      const bad = list.find((v) => typeof v !== 'string' || !values.has(v));
      return bad === undefined ? null : `"${String(bad)}" is not an option of "${target.key}"`;
    }
    case 'country': {
      const bad = list.find((v) => typeof v !== 'string' || !COUNTRY_CODES.has(v));
      return bad === undefined ? null : `"${String(bad)}" is not an upper-case ISO 3166 country code`;
    }
    default:
      return list.every((v) => typeof v === 'string') ? null : `"${target.key}" holds text: the condition is text`;
  }
}

export const FormSchema = z.array(FormFieldSchema).max(MAX_FORM_FIELDS, `at most ${MAX_FORM_FIELDS} fields`).superRefine(checkForm);

export type FormIssue = { path: string; message: string };
export type ParseFormResult = { ok: true; form: Form } | { ok: false; issues: FormIssue[] };

/** Checks an organizer's form; every problem comes with where it is (e.g. "2.showIf.key") and why. */
export function parseForm(input: unknown): ParseFormResult {
  const parsed = FormSchema.safeParse(input);
  if (parsed.success) return { ok: true, form: parsed.data };
  return {
    ok: false,
    issues: parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(form)', message: i.message })),
  };
}

/** A label in the wanted language, else English, else any. */
export function textIn(text: FormText | undefined, locale: string | undefined): string {
  if (!text) return '';
  const exact = locale && (FORM_LOCALES as readonly string[]).includes(locale) ? text[locale as FormLocale] : undefined;
  return exact ?? text.en ?? text['zh-CN'] ?? text.ru ?? '';
}

// ---- answers -------------------------------------------------------------------------------------

export type AnswerValue = string | number | boolean | string[];
export type Answers = Record<string, AnswerValue>;
export type AnswerError = { key: string; reason: AnswerReason; /** The field's label in the asked language. */ label?: string };
export type ValidateResult = { ok: true; answers: Answers } | { ok: false; errors: AnswerError[] };

type Checked = { value: AnswerValue } | { reason: AnswerReason } | null;

const own = (o: object, key: string) => Object.prototype.hasOwnProperty.call(o, key);
const isEmpty = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);

function checkNumber(field: FormField, raw: unknown): Checked {
  let n: number;
  if (typeof raw === 'number') n = raw;
  else if (typeof raw === 'string') {
    const s = raw.trim().replace(/[\s\u00a0]/g, '').replace(',', '.');
    if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(s)) return { reason: 'not_a_number' };
    n = Number(s);
  } else return { reason: 'not_a_number' };
  if (Number.isNaN(n) || (typeof raw === 'number' && !Number.isFinite(n))) return { reason: 'not_a_number' };
  if (!Number.isFinite(n) || Math.abs(n) > MAX_NUMBER) return { reason: 'out_of_range' };
  if (field.integer && !Number.isInteger(n)) return { reason: 'not_an_integer' };
  if ((field.min !== undefined && n < field.min) || (field.max !== undefined && n > field.max)) return { reason: 'out_of_range' };
  return { value: n === 0 ? 0 : n };
}

/** YYYY-MM-DD of a day that exists (1000-01-01 … 9999-12-31). */
export function isRealDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1000 || mo < 1 || mo > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

/** Digits with an optional leading +, from what people type (spaces, dashes, dots, brackets). */
export function normalizePhone(raw: string): string | null {
  const s = raw.trim();
  if (s.length > 40 || !/^\+?[\d\s().-]+$/.test(s)) return null;
  const digits = s.replace(/\D/g, '');
  if (digits.length < 5 || digits.length > 15) return null;
  return (s.startsWith('+') ? '+' : '') + digits;
}

/** Trimmed, the domain lower-cased; null when it is not an address. */
export function normalizeEmail(raw: string): string | null {
  const s = raw.trim();
  if (s.length > MAX_EMAIL_LENGTH) return null;
  const m = /^([^\s@"(),:;<>[\\\]]{1,64})@([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+)$/.exec(s);
  if (!m) return null;
  const local = m[1]!;
  if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) return null;
  return `${local}@${m[2]!.toLowerCase()}`;
}

function checkValue(field: FormField, raw: unknown): Checked {
  if (isEmpty(raw)) return null;
  switch (field.kind) {
    case 'text': {
      if (typeof raw !== 'string') return { reason: 'bad_value' };
      const s = raw.trim();
      return s.length > (field.maxLength ?? MAX_TEXT_LENGTH) ? { reason: 'too_long' } : { value: s };
    }
    case 'number':
      return checkNumber(field, raw);
    case 'choice':
      if (typeof raw !== 'string') return { reason: 'not_an_option' };
      return field.options!.some((o) => o.value === raw) ? { value: raw } : { reason: 'not_an_option' };
    case 'multi': {
      const list = typeof raw === 'string' ? [raw] : raw;
      if (!Array.isArray(list) || list.length > MAX_OPTIONS) return { reason: 'not_an_option' };
      if (!list.every((v) => typeof v === 'string' && field.options!.some((o) => o.value === v))) return { reason: 'not_an_option' };
      const chosen = new Set(list as string[]);
      return { value: field.options!.filter((o) => chosen.has(o.value)).map((o) => o.value) };
    }
    case 'checkbox':
      if (typeof raw !== 'boolean') return { reason: 'bad_value' };
      // A required checkbox ("I agree …") must be ticked; an unticked optional one is still an answer.
      return !raw && field.required ? { reason: 'required' } : { value: raw };
    case 'date':
      if (typeof raw !== 'string') return { reason: 'bad_date' };
      return isRealDate(raw.trim()) ? { value: raw.trim() } : { reason: 'bad_date' };
    case 'phone': {
      if (typeof raw !== 'string') return { reason: 'bad_phone' };
      const phone = normalizePhone(raw);
      return phone ? { value: phone } : { reason: 'bad_phone' };
    }
    case 'email': {
      if (typeof raw !== 'string') return { reason: 'bad_email' };
      const email = normalizeEmail(raw);
      return email ? { value: email } : { reason: 'bad_email' };
    }
    case 'country': {
      if (typeof raw !== 'string') return { reason: 'bad_country' };
      const code = raw.trim().toUpperCase();
      return COUNTRY_CODES.has(code) ? { value: code } : { reason: 'bad_country' };
    }
  }
}

function matches(value: AnswerValue | undefined, equals: ShowIf['equals']): boolean {
  if (value === undefined) return false;
  const wanted: readonly (string | number | boolean)[] = Array.isArray(equals) ? equals : [equals];
  const have: readonly (string | number | boolean)[] = Array.isArray(value) ? value : [value];
  return have.some((v) => wanted.includes(v));
}

type Walked = { field: FormField; visible: boolean; checked: Checked };

/** Goes through the form in order: a field is visible when it has no condition, or when the field it
 *  looks at is visible and that field's valid answer matches. */
function walk(form: Form, raw: Record<string, unknown>): Walked[] {
  const values = new Map<string, AnswerValue>();
  return form.map((field) => {
    const visible = !field.showIf || matches(values.get(field.showIf.key), field.showIf.equals);
    const checked = visible ? checkValue(field, own(raw, field.key) ? raw[field.key] : undefined) : null;
    if (checked && 'value' in checked) values.set(field.key, checked.value);
    return { field, visible, checked };
  });
}

const asRecord = (raw: unknown): Record<string, unknown> | null =>
  typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : null;

/** The fields shown for these answers, in form order. */
export function visibleFields(form: Form, answers: unknown): FormField[] {
  return walk(form, asRecord(answers) ?? {})
    .filter((w) => w.visible)
    .map((w) => w.field);
}

/** Unknown keys reported at most this many times (a hostile object of a million keys stays cheap). */
const MAX_UNKNOWN_REPORTED = 20;

/** Checks an attendee's answers against the form: normalized answers of the visible fields, or every
 *  problem with its field's key and a stable reason. `locale` picks the language of each error's label. */
export function validateAnswers(form: Form, rawAnswers: unknown, options: { locale?: string } = {}): ValidateResult {
  const raw = asRecord(rawAnswers);
  if (!raw) return { ok: false, errors: [{ key: '', reason: 'bad_value' }] };
  const errors: AnswerError[] = [];
  const known = new Set(form.map((f) => f.key));
  for (const key in raw) {
    if (!own(raw, key) || known.has(key)) continue;
    errors.push({ key: key.slice(0, 60), reason: 'unknown_field' });
    if (errors.length >= MAX_UNKNOWN_REPORTED) break;
  }
  if (own(raw, '__proto__') && !errors.some((e) => e.key === '__proto__')) errors.push({ key: '__proto__', reason: 'unknown_field' });
  const answers: Answers = {};
  for (const { field, visible, checked } of walk(form, raw)) {
    if (!visible) continue;
    const label = textIn(field.label, options.locale);
    if (checked === null) {
      if (field.required) errors.push({ key: field.key, reason: 'required', label });
    } else if ('reason' in checked) errors.push({ key: field.key, reason: checked.reason, label });
    else answers[field.key] = checked.value;
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, answers };
}

// ---- answers written as text (importers) ---------------------------------------------------------

const YES = new Set(['yes', 'y', 'true', '1', 'x', '✓', '✔', 'on', '是', '对', '有', 'да', 'д']);
const NO = new Set(['no', 'n', 'false', '0', 'off', '否', '不', '无', 'нет', 'н']);
const MULTI_SEPARATORS = /[;|，；、]/;

function optionFromText(field: FormField, text: string): string | null {
  const options = field.options ?? [];
  const exact = options.find((o) => o.value === text);
  if (exact) return exact.value;
  const folded = text.toLocaleLowerCase();
  const found = options.find(
    (o) => o.value.toLocaleLowerCase() === folded || FORM_LOCALES.some((l) => o.label[l]?.toLocaleLowerCase() === folded),
  );
  return found ? found.value : null;
}

function dateFromText(s: string): string {
  const pad = (n: string) => n.padStart(2, '0');
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T\s].*)?$/.exec(s);
  if (m) return `${m[1]}-${pad(m[2]!)}-${pad(m[3]!)}`;
  m = /^(\d{4})年(\d{1,2})月(\d{1,2})日?$/.exec(s);
  if (m) return `${m[1]}-${pad(m[2]!)}-${pad(m[3]!)}`;
  m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(s);
  if (m) return `${m[3]}-${pad(m[2]!)}-${pad(m[1]!)}`;
  return s;
}

/** One cell's text as the value validateAnswers takes (left as text when it cannot be read, so the check
 *  reports the field's own reason). */
function fromText(field: FormField, text: string): unknown {
  const s = text.trim();
  if (s === '') return undefined;
  switch (field.kind) {
    case 'checkbox': {
      const word = s.toLocaleLowerCase();
      return YES.has(word) ? true : NO.has(word) ? false : s;
    }
    case 'choice':
      return optionFromText(field, s) ?? s;
    case 'multi': {
      const parts = s.split(MULTI_SEPARATORS).map((p) => p.trim()).filter((p) => p !== '');
      return parts.map((p) => optionFromText(field, p) ?? p);
    }
    case 'date':
      return dateFromText(s);
    default:
      return s;
  }
}

/** Answers written as text (a spreadsheet row, keyed by field key) read into typed answers and checked:
 *  checkbox yes/no words in the three languages, multi split on ; | ， ； 、, choice by value or by any
 *  label ignoring case, dates also as YYYY/MM/DD, DD.MM.YYYY or YYYY年M月D日, numbers with a decimal comma. */
export function answersFromText(form: Form, record: Record<string, string>, options: { locale?: string } = {}): ValidateResult {
  const rec = asRecord(record);
  if (!rec) return { ok: false, errors: [{ key: '', reason: 'bad_value' }] };
  const typed: Record<string, unknown> = {};
  const byKey = new Map(form.map((f) => [f.key, f]));
  for (const key of Object.keys(rec)) {
    const value = rec[key];
    const field = byKey.get(key);
    // Unknown keys pass through unchanged so the check names them.
    Object.defineProperty(typed, key, {
      value: field && typeof value === 'string' ? fromText(field, value) : value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return validateAnswers(form, typed, options);
}
