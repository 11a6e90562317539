import { describe, expect, it } from 'vitest';
import {
  answersFromText,
  isRealDate,
  MAX_FORM_FIELDS,
  normalizeEmail,
  normalizePhone,
  parseForm,
  textIn,
  validateAnswers,
  visibleFields,
  type Form,
  type FormFieldInput,
} from '../../domain/forms';

const label = (en: string) => ({ en, 'zh-CN': `${en}（中）`, ru: `${en} (ру)` });

function form(fields: FormFieldInput[]): Form {
  const parsed = parseForm(fields);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.form;
}

const conference = form([
  { key: 'company', kind: 'text', label: label('Company'), maxLength: 20 },
  { key: 'age', kind: 'number', label: label('Age'), min: 0, max: 130, integer: true },
  {
    key: 'diet',
    kind: 'choice',
    label: label('Diet'),
    required: true,
    options: [
      { value: 'none', label: label('None') },
      { value: 'vegan', label: { en: 'Vegan', 'zh-CN': '纯素', ru: 'Веган' } },
      { value: 'other', label: label('Other') },
    ],
  },
  { key: 'diet_other', kind: 'text', label: label('Which diet?'), required: true, showIf: { key: 'diet', equals: 'other' } },
  {
    key: 'days',
    kind: 'multi',
    label: label('Days'),
    options: [
      { value: 'd1', label: { en: 'Day 1', 'zh-CN': '第一天', ru: 'День 1' } },
      { value: 'd2', label: { en: 'Day 2', 'zh-CN': '第二天', ru: 'День 2' } },
    ],
  },
  { key: 'agree', kind: 'checkbox', label: label('I agree'), required: true },
  { key: 'newsletter', kind: 'checkbox', label: label('Newsletter') },
  { key: 'born', kind: 'date', label: label('Born') },
  { key: 'phone', kind: 'phone', label: label('Phone') },
  { key: 'email', kind: 'email', label: label('Email') },
  { key: 'country', kind: 'country', label: label('Country') },
]);

const base = { diet: 'none', agree: true };

describe('parseForm', () => {
  it('accepts every kind and fills defaults', () => {
    expect(conference).toHaveLength(11);
    expect(conference[0]!.required).toBe(false);
    expect(parseForm([]).ok).toBe(true);
  });

  const refused = (fields: unknown, path: string, message: RegExp) => {
    const parsed = parseForm(fields);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.issues).toEqual(expect.arrayContaining([expect.objectContaining({ path, message: expect.stringMatching(message) })]));
  };

  it('refuses bad keys, duplicates and missing labels', () => {
    refused([{ key: 'Company', kind: 'text', label: label('x') }], '0.key', /a-z/);
    refused([{ key: '__proto__', kind: 'text', label: label('x') }], '0.key', /a-z/);
    refused([{ key: 'a'.repeat(41), kind: 'text', label: label('x') }], '0.key', /a-z/);
    refused(
      [
        { key: 'a', kind: 'text', label: label('x') },
        { key: 'a', kind: 'number', label: label('y') },
      ],
      '1.key',
      /used by field 1/,
    );
    refused([{ key: 'a', kind: 'text', label: {} }], '0.label', /at least one language/);
    refused([{ key: 'a', kind: 'text', label: { de: 'x' } }], '0.label', /Unrecognized key/);
    refused([{ key: 'a', kind: 'text', label: { en: '   ' } }], '0.label.en', /empty/);
    refused([{ key: 'a', kind: 'blob', label: label('x') }], '0.kind', /expected one of/);
    refused([{ key: 'a', kind: 'text', label: label('x'), extra: 1 }], '0', /Unrecognized key/);
  });

  it('refuses options where they do not belong, missing, duplicated or too many', () => {
    refused([{ key: 'a', kind: 'choice', label: label('x') }], '0.options', /needs options/);
    refused([{ key: 'a', kind: 'text', label: label('x'), options: [{ value: 'v', label: label('v') }] }], '0.options', /only choice/);
    refused(
      [{ key: 'a', kind: 'multi', label: label('x'), options: [{ value: 'v', label: label('v') }, { value: 'v', label: label('w') }] }],
      '0.options.1.value',
      /appears twice/,
    );
    const many = Array.from({ length: 101 }, (_, i) => ({ value: `v${i}`, label: label(`v${i}`) }));
    refused([{ key: 'a', kind: 'choice', label: label('x'), options: many }], '0.options', /at most 100/);
    refused([{ key: 'a', kind: 'choice', label: label('x'), options: [] }], '0.options', /at least one option/);
  });

  it('refuses limits of the wrong kind or out of bounds', () => {
    refused([{ key: 'a', kind: 'number', label: label('x'), maxLength: 5 }], '0.maxLength', /only text/);
    refused([{ key: 'a', kind: 'text', label: label('x'), min: 1 }], '0.min', /only number/);
    refused([{ key: 'a', kind: 'text', label: label('x'), maxLength: 1001 }], '0.maxLength', /1000/);
    refused([{ key: 'a', kind: 'number', label: label('x'), min: 5, max: 1 }], '0.min', /above max/);
    refused([{ key: 'a', kind: 'number', label: label('x'), min: Number.NaN }], '0.min', /.+/);
    refused([{ key: 'a', kind: 'number', label: label('x'), max: Infinity }], '0.max', /.+/);
  });

  it('refuses conditions on later, missing or own fields, and values that can never match', () => {
    refused(
      [
        { key: 'a', kind: 'text', label: label('a'), showIf: { key: 'b', equals: 'x' } },
        { key: 'b', kind: 'text', label: label('b') },
      ],
      '0.showIf.key',
      /comes after it/,
    );
    refused([{ key: 'a', kind: 'text', label: label('a'), showIf: { key: 'a', equals: 'x' } }], '0.showIf.key', /itself/);
    refused([{ key: 'a', kind: 'text', label: label('a'), showIf: { key: 'zz', equals: 'x' } }], '0.showIf.key', /no such field/);
    // a cycle a → b → a is a forward reference for whichever comes first
    refused(
      [
        { key: 'a', kind: 'text', label: label('a'), showIf: { key: 'b', equals: 'x' } },
        { key: 'b', kind: 'text', label: label('b'), showIf: { key: 'a', equals: 'x' } },
      ],
      '0.showIf.key',
      /comes after it/,
    );
    refused(
      [
        { key: 'a', kind: 'checkbox', label: label('a') },
        { key: 'b', kind: 'text', label: label('b'), showIf: { key: 'a', equals: 'yes' } },
      ],
      '1.showIf.equals',
      /true or false/,
    );
    refused(
      [
        { key: 'a', kind: 'choice', label: label('a'), options: [{ value: 'x', label: label('x') }] },
        { key: 'b', kind: 'text', label: label('b'), showIf: { key: 'a', equals: ['x', 'y'] } },
      ],
      '1.showIf.equals',
      /"y" is not an option/,
    );
    refused(
      [
        { key: 'a', kind: 'number', label: label('a') },
        { key: 'b', kind: 'text', label: label('b'), showIf: { key: 'a', equals: '3' } },
      ],
      '1.showIf.equals',
      /a number/,
    );
  });

  it('refuses a country condition that is not a code the answers can have', () => {
    refused(
      [
        { key: 'c', kind: 'country', label: label('c') },
        { key: 'd', kind: 'text', label: label('d'), showIf: { key: 'c', equals: ['CN', 'ru'] } },
      ],
      '1.showIf.equals',
      /"ru" is not an upper-case ISO 3166/,
    );
  });

  it('refuses more than 50 fields and anything that is not a list of fields', () => {
    const fields = Array.from({ length: MAX_FORM_FIELDS + 1 }, (_, i) => ({ key: `f${i}`, kind: 'text', label: label('x') }));
    expect(parseForm(fields.slice(0, MAX_FORM_FIELDS)).ok).toBe(true);
    refused(fields, '(form)', /at most 50/);
    for (const bad of [null, 'x', 42, { fields: [] }, [null], [[]], [{ __proto__: { key: 'a' } }]]) expect(parseForm(bad).ok).toBe(false);
    refused([{ key: 'a', kind: 'text', label: { en: 'x'.repeat(201) } }], '0.label.en', /longer than 200/);
  });
});

describe('validateAnswers', () => {
  it('normalizes every kind', () => {
    const result = validateAnswers(conference, {
      company: '  Acme  ',
      age: '42',
      diet: 'vegan',
      days: ['d2', 'd1', 'd2'],
      agree: true,
      newsletter: false,
      born: '2000-02-29',
      phone: '+86 (138) 0013-8000',
      email: ' Li.Lei@Example.COM ',
      country: 'cn',
    });
    expect(result).toEqual({
      ok: true,
      answers: {
        company: 'Acme',
        age: 42,
        diet: 'vegan',
        days: ['d1', 'd2'],
        agree: true,
        newsletter: false,
        born: '2000-02-29',
        phone: '+8613800138000',
        email: 'Li.Lei@example.com',
        country: 'CN',
      },
    });
  });

  it('leaves out empty optional answers and asks for required ones', () => {
    expect(validateAnswers(conference, { ...base, company: '  ', days: [], born: null })).toEqual({ ok: true, answers: base });
    const r = validateAnswers(conference, {}, { locale: 'ru' });
    expect(r).toEqual({
      ok: false,
      errors: [
        { key: 'diet', reason: 'required', label: 'Diet (ру)' },
        { key: 'agree', reason: 'required', label: 'I agree (ру)' },
      ],
    });
    // A required checkbox must be ticked.
    expect(validateAnswers(conference, { ...base, agree: false })).toMatchObject({ ok: false, errors: [{ key: 'agree', reason: 'required' }] });
  });

  const reason = (answers: Record<string, unknown>) => {
    const r = validateAnswers(conference, { ...base, ...answers });
    return r.ok ? 'ok' : r.errors.map((e) => `${e.key}:${e.reason}`).join(',');
  };

  it('gives each kind its reason', () => {
    expect(reason({ company: 'x'.repeat(21) })).toBe('company:too_long');
    expect(reason({ company: 'x'.repeat(20) })).toBe('ok');
    expect(reason({ company: { toString: () => 'x' } })).toBe('company:bad_value');
    expect(reason({ age: 'forty' })).toBe('age:not_a_number');
    expect(reason({ age: Number.NaN })).toBe('age:not_a_number');
    expect(reason({ age: Infinity })).toBe('age:not_a_number');
    expect(reason({ age: '1e3' })).toBe('age:not_a_number');
    expect(reason({ age: '0x10' })).toBe('age:not_a_number');
    expect(reason({ age: 42.5 })).toBe('age:not_an_integer');
    expect(reason({ age: 131 })).toBe('age:out_of_range');
    expect(reason({ age: -1 })).toBe('age:out_of_range');
    expect(reason({ age: [42] })).toBe('age:not_a_number');
    expect(reason({ diet: 'Vegan' })).toBe('diet:not_an_option');
    expect(reason({ diet: ['vegan'] })).toBe('diet:not_an_option');
    expect(reason({ days: ['d3'] })).toBe('days:not_an_option');
    expect(reason({ days: 'd1' })).toBe('ok');
    expect(reason({ days: [1] })).toBe('days:not_an_option');
    expect(reason({ newsletter: 'yes' })).toBe('newsletter:bad_value');
    expect(reason({ born: '2001-02-29' })).toBe('born:bad_date');
    expect(reason({ born: '2000-13-01' })).toBe('born:bad_date');
    expect(reason({ born: '29.02.2000' })).toBe('born:bad_date');
    expect(reason({ born: 20000229 })).toBe('born:bad_date');
    expect(reason({ phone: '12' })).toBe('phone:bad_phone');
    expect(reason({ phone: '1'.repeat(16) })).toBe('phone:bad_phone');
    expect(reason({ phone: '138-0013+8000' })).toBe('phone:bad_phone');
    expect(reason({ phone: 'call me' })).toBe('phone:bad_phone');
    expect(reason({ email: 'no at sign' })).toBe('email:bad_email');
    expect(reason({ email: 'a@b' })).toBe('email:bad_email');
    expect(reason({ email: 'a..b@example.com' })).toBe('email:bad_email');
    expect(reason({ email: 'a b@example.com' })).toBe('email:bad_email');
    expect(reason({ country: 'XX' })).toBe('country:bad_country');
    expect(reason({ country: 'CHN' })).toBe('country:bad_country');
  });

  it('reports unknown keys, own prototype keys included, and never reads inherited ones', () => {
    expect(reason({ shoe: '42' })).toBe('shoe:unknown_field');
    const hostile = JSON.parse('{"diet":"none","agree":true,"__proto__":{"company":"evil"},"constructor":"x"}') as Record<string, unknown>;
    const r = validateAnswers(conference, hostile);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.key).sort()).toEqual(['__proto__', 'constructor']);
    // Inherited properties are no answers: a form with a field named like one of Object.prototype's.
    const f = form([{ key: 'constructor', kind: 'text', label: label('x'), required: true }]);
    expect(validateAnswers(f, {})).toMatchObject({ ok: false, errors: [{ key: 'constructor', reason: 'required' }] });
    expect(validateAnswers(f, { constructor: 'Acme' })).toEqual({ ok: true, answers: { constructor: 'Acme' } });
    expect(({} as Record<string, unknown>)['company']).toBeUndefined();
  });

  it('refuses answers that are not an object, huge strings and huge objects without blowing up', () => {
    for (const bad of [null, undefined, 'x', 42, [], [base]]) expect(validateAnswers(conference, bad)).toEqual({ ok: false, errors: [{ key: '', reason: 'bad_value' }] });
    expect(reason({ company: 'x'.repeat(10_000_000) })).toBe('company:too_long');
    expect(reason({ email: 'a'.repeat(5_000_000) + '@example.com' })).toBe('email:bad_email');
    expect(reason({ phone: '1'.repeat(5_000_000) })).toBe('phone:bad_phone');
    expect(reason({ age: '9'.repeat(400) })).toBe('age:out_of_range');
    const wide: Record<string, unknown> = { ...base };
    for (let i = 0; i < 100_000; i++) wide[`k${i}`] = i;
    const r = validateAnswers(conference, wide);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.length).toBeLessThanOrEqual(20);
    expect(reason({ company: { nested: { deeper: ['x'] } } })).toBe('company:bad_value');
  });
});

describe('showIf', () => {
  const chain = form([
    { key: 'attending', kind: 'checkbox', label: label('Attending') },
    {
      key: 'meal',
      kind: 'multi',
      label: label('Meals'),
      required: true,
      showIf: { key: 'attending', equals: true },
      options: [
        { value: 'lunch', label: label('Lunch') },
        { value: 'dinner', label: label('Dinner') },
      ],
    },
    { key: 'guests', kind: 'number', label: label('Guests at dinner'), required: true, showIf: { key: 'meal', equals: 'dinner' } },
    { key: 'guest_names', kind: 'text', label: label('Guest names'), required: true, showIf: { key: 'guests', equals: 2 } },
    { key: 'role', kind: 'text', label: label('Role'), showIf: { key: 'meal', equals: ['lunch', 'dinner'] } },
  ]);
  const keys = (answers: unknown) => visibleFields(chain, answers).map((f) => f.key);

  it('shows a field when the earlier one matches, along a chain', () => {
    expect(keys({})).toEqual(['attending']);
    expect(keys({ attending: false })).toEqual(['attending']);
    expect(keys({ attending: true })).toEqual(['attending', 'meal']);
    expect(keys({ attending: true, meal: ['lunch'] })).toEqual(['attending', 'meal', 'role']);
    expect(keys({ attending: true, meal: ['dinner'] })).toEqual(['attending', 'meal', 'guests', 'role']);
    expect(keys({ attending: true, meal: ['dinner'], guests: '2' })).toEqual(['attending', 'meal', 'guests', 'guest_names', 'role']);
    // An invalid answer does not open what depends on it.
    expect(keys({ attending: true, meal: ['dinner'], guests: 'two' })).toEqual(['attending', 'meal', 'guests', 'role']);
    // Hiding the head hides the whole chain, whatever the later answers say.
    expect(keys({ attending: false, meal: ['dinner'], guests: 2 })).toEqual(['attending']);
    expect(keys(null)).toEqual(['attending']);
  });

  it('requires visible fields only and drops answers to hidden ones', () => {
    expect(validateAnswers(chain, { attending: false, meal: ['dinner'], guests: 2, guest_names: 'A, B', role: 'x' })).toEqual({
      ok: true,
      answers: { attending: false },
    });
    expect(validateAnswers(chain, { attending: true, meal: ['dinner'], guests: 2 })).toMatchObject({
      ok: false,
      errors: [{ key: 'guest_names', reason: 'required' }],
    });
    expect(validateAnswers(chain, { attending: true, meal: 'dinner', guests: 3, role: 'speaker' })).toEqual({
      ok: true,
      answers: { attending: true, meal: ['dinner'], guests: 3, role: 'speaker' },
    });
  });
});

describe('answersFromText', () => {
  const row = (r: Record<string, string>) => answersFromText(conference, { diet: 'none', agree: 'yes', ...r });

  it('reads checkbox words in three languages', () => {
    for (const yes of ['yes', 'YES', 'true', '1', '是', 'да', 'Да', 'x'])
      expect(row({ newsletter: yes })).toMatchObject({ ok: true, answers: { newsletter: true } });
    for (const no of ['no', 'False', '0', '否', 'нет'])
      expect(row({ newsletter: no })).toMatchObject({ ok: true, answers: { newsletter: false } });
    expect(row({ newsletter: 'maybe' })).toMatchObject({ ok: false, errors: [{ key: 'newsletter', reason: 'bad_value' }] });
    expect(row({ agree: '否' })).toMatchObject({ ok: false, errors: [{ key: 'agree', reason: 'required' }] });
  });

  it('matches choices by value or any label ignoring case, and splits multi', () => {
    expect(row({ diet: 'VEGAN' })).toMatchObject({ ok: true, answers: { diet: 'vegan' } });
    expect(row({ diet: '纯素' })).toMatchObject({ ok: true, answers: { diet: 'vegan' } });
    expect(row({ diet: 'веган' })).toMatchObject({ ok: true, answers: { diet: 'vegan' } });
    expect(row({ diet: 'carnivore' })).toMatchObject({ ok: false, errors: [{ key: 'diet', reason: 'not_an_option' }] });
    expect(row({ days: 'Day 2; d1' })).toMatchObject({ ok: true, answers: { days: ['d1', 'd2'] } });
    expect(row({ days: '第一天|第二天' })).toMatchObject({ ok: true, answers: { days: ['d1', 'd2'] } });
    expect(row({ days: 'день 2，d1' })).toMatchObject({ ok: true, answers: { days: ['d1', 'd2'] } });
    expect(row({ days: 'd1;;' })).toMatchObject({ ok: true, answers: { days: ['d1'] } });
    expect(row({ days: 'd1;d9' })).toMatchObject({ ok: false, errors: [{ key: 'days', reason: 'not_an_option' }] });
  });

  it('reads numbers, dates, phones, emails and countries', () => {
    expect(row({ age: ' 42 ', born: '2000/2/29', phone: '138 0013 8000', email: 'A@B.CN', country: 'ru' })).toEqual({
      ok: true,
      answers: { diet: 'none', agree: true, age: 42, born: '2000-02-29', phone: '13800138000', email: 'A@b.cn', country: 'RU' },
    });
    expect(row({ born: '29.02.2000' })).toMatchObject({ ok: true, answers: { born: '2000-02-29' } });
    expect(row({ born: '2000年2月29日' })).toMatchObject({ ok: true, answers: { born: '2000-02-29' } });
    expect(row({ born: '2001年2月29日' })).toMatchObject({ ok: false, errors: [{ key: 'born', reason: 'bad_date' }] });
    expect(row({ born: '2000-02-29T10:00:00Z' })).toMatchObject({ ok: true, answers: { born: '2000-02-29' } });
    const decimal = form([{ key: 'height', kind: 'number', label: label('Height') }]);
    expect(answersFromText(decimal, { height: '1,85' })).toEqual({ ok: true, answers: { height: 1.85 } });
    expect(answersFromText(decimal, { height: '1 850' })).toEqual({ ok: true, answers: { height: 1850 } });
  });

  it('treats empty cells as no answer and names unknown columns', () => {
    expect(row({ company: '', days: '  ' })).toEqual({ ok: true, answers: { diet: 'none', agree: true } });
    expect(row({ shoe_size: '42' })).toMatchObject({ ok: false, errors: [{ key: 'shoe_size', reason: 'unknown_field' }] });
    const hostile = JSON.parse('{"diet":"none","agree":"1","__proto__":"x"}') as Record<string, string>;
    expect(answersFromText(conference, hostile)).toMatchObject({ ok: false, errors: [{ key: '__proto__', reason: 'unknown_field' }] });
  });
});

describe('helpers', () => {
  it('checks dates, phones and emails', () => {
    expect(isRealDate('2024-02-29')).toBe(true);
    expect(isRealDate('2023-02-29')).toBe(false);
    expect(isRealDate('2024-04-31')).toBe(false);
    expect(isRealDate('0999-01-01')).toBe(false);
    expect(normalizePhone('+7 (912) 345-67-89')).toBe('+79123456789');
    expect(normalizePhone('++7912')).toBeNull();
    expect(normalizeEmail('Ivan@Mail.RU')).toBe('Ivan@mail.ru');
  });

  it('picks a label in the UI language with fallbacks', () => {
    expect(textIn({ en: 'A', 'zh-CN': '甲' }, 'zh-CN')).toBe('甲');
    expect(textIn({ en: 'A', 'zh-CN': '甲' }, 'ru')).toBe('A');
    expect(textIn({ ru: 'Б' }, 'en')).toBe('Б');
    expect(textIn(undefined, 'en')).toBe('');
    expect(textIn({ en: 'A' }, '__proto__')).toBe('A');
  });
});
