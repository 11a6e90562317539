// The registration-form components in Debian's Chromium under the app's CSP, mounted on a test page
// built with the renderer's configuration (tests/renderer/fixtures/forms-page): RegistrationForm shows
// every kind with labels in the UI language, a conditional field appears and disappears with the answer
// it depends on, Enter moves to the next field and registers from the last, and validateAnswers' reasons
// appear in words; FormEditor adds, orders and removes fields, names what is missing, sets a condition
// on an earlier field and previews the form live.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FormFieldInput } from '../../domain/forms';
import { HAS_CHROMIUM, startBuiltRenderer, type BuiltRenderer } from '../helpers/built-renderer';

const t3 = (en: string, zh: string, ru: string) => ({ en, 'zh-CN': zh, ru });
const DESK_FORM: FormFieldInput[] = [
  { key: 'company', kind: 'text', label: t3('Company', '公司', 'Компания'), required: true, maxLength: 40 },
  { key: 'vip', kind: 'checkbox', label: t3('VIP guest', '贵宾', 'VIP-гость') },
  {
    key: 'seat',
    kind: 'choice',
    label: t3('Seat', '座位', 'Место'),
    required: true,
    showIf: { key: 'vip', equals: true },
    options: [
      { value: 'front', label: t3('Front row', '前排', 'Первый ряд') },
      { value: 'box', label: t3('Box', '包厢', 'Ложа') },
    ],
  },
  {
    key: 'days',
    kind: 'multi',
    label: t3('Days', '日期', 'Дни'),
    options: [
      { value: 'd1', label: t3('Day 1', '第一天', 'День 1') },
      { value: 'd2', label: t3('Day 2', '第二天', 'День 2') },
    ],
  },
  { key: 'age', kind: 'number', label: { en: 'Age' }, min: 0, max: 130, integer: true },
  { key: 'born', kind: 'date', label: t3('Born', '出生日期', 'Дата рождения') },
  { key: 'phone', kind: 'phone', label: t3('Phone', '电话', 'Телефон') },
  { key: 'email', kind: 'email', label: t3('Email', '邮箱', 'Почта'), help: { en: 'For the receipt' } },
  { key: 'country', kind: 'country', label: t3('Country', '国家', 'Страна') },
];

describe.skipIf(!HAS_CHROMIUM)('registration form components (Chromium)', () => {
  let ui: BuiltRenderer;

  beforeAll(async () => {
    ui = await startBuiltRenderer('forms', { root: 'tests/renderer/fixtures/forms-page' });
  }, 300_000);
  afterAll(async () => {
    await ui?.close();
  });

  async function open(): Promise<{ page: Page; problems: string[]; close: () => Promise<void> }> {
    const context = await ui.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if ((m.type() === 'error' || m.type() === 'warning') && !/frame-ancestors/.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.addInitScript({ content: `window.__deskForm = ${JSON.stringify(DESK_FORM)}; localStorage.clear();` });
    await page.goto(`${ui.origin}/`);
    await page.getByTestId('desk').waitFor();
    return { page, problems, close: () => context.close() };
  }
  const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');

  it('registers an attendee from the keyboard, with conditional fields and reasons in words', async () => {
    const { page, problems, close } = await open();
    try {
      await expect(page.getByTestId('reg-seat').count()).resolves.toBe(0);
      await expect(page.locator('label[for="reg-company"]').innerText()).resolves.toContain('Company');
      await expect(page.getByTestId('reg').innerText()).resolves.toContain('For the receipt');

      // Nothing given: the required field says so.
      await page.getByTestId('register').click();
      await expect(page.getByTestId('reg-company-error').innerText()).resolves.toBe('Required');

      // Enter moves on, field by field.
      await page.getByTestId('reg-company').fill('  Acme  ');
      await page.getByTestId('reg-company').press('Enter');
      expect(await focusedId(page)).toBe('reg-vip');
      await page.keyboard.press('Space');
      await page.getByTestId('reg-seat').waitFor();
      await page.keyboard.press('Enter');
      expect(await focusedId(page)).toBe('reg-seat');
      await page.getByTestId('reg-seat').selectOption('box');
      await page.getByTestId('reg-days-d2').check();
      await page.getByTestId('reg-age').fill('41.5');
      await page.getByTestId('reg-born').fill('1990-03-04');
      await page.getByTestId('reg-phone').fill('+86 138-0013-8000');
      await page.getByTestId('reg-email').fill('not an address');
      await page.getByTestId('reg-country').selectOption('CN');
      await page.getByTestId('register').click();
      await expect(page.getByTestId('reg-age-error').innerText()).resolves.toBe('Enter a whole number');
      await expect(page.getByTestId('reg-email-error').innerText()).resolves.toBe('Enter an email address');
      expect(await page.getByTestId('result').innerText()).toBe('');

      await page.getByTestId('reg-age').fill('41');
      await page.getByTestId('reg-email').fill('Li@Example.COM');
      // Enter on the last field registers.
      await page.getByTestId('reg-country').press('Enter');
      await expect(page.getByTestId('reg-email-error').count()).resolves.toBe(0);
      expect(JSON.parse(await page.getByTestId('result').innerText())).toEqual({
        company: 'Acme',
        vip: true,
        seat: 'box',
        days: ['d2'],
        age: 41,
        born: '1990-03-04',
        phone: '+8613800138000',
        email: 'Li@example.com',
        country: 'CN',
      });

      // Unticking hides the seat again and drops its answer from what is registered.
      await page.getByTestId('reg-vip').uncheck();
      await expect(page.getByTestId('reg-seat').count()).resolves.toBe(0);
      await page.getByTestId('register').click();
      expect(JSON.parse(await page.getByTestId('result').innerText())).not.toHaveProperty('seat');

      // Labels follow the UI language, falling back to English where the organizer wrote only that.
      await page.getByTestId('lang-zh').click();
      await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
      await expect(page.locator('label[for="reg-company"]').innerText()).resolves.toContain('公司');
      await expect(page.locator('label[for="reg-age"]').innerText()).resolves.toContain('Age');
      await expect(page.locator('label[for="reg-age"]').innerText()).resolves.toContain('选填');
      await page.getByTestId('reg-company').fill('');
      await page.getByTestId('register').click();
      await expect(page.getByTestId('reg-company-error').innerText()).resolves.toBe('必填');
      await page.getByTestId('lang-ru').click();
      await expect(page.getByTestId('reg-company-error').innerText()).resolves.toBe('Обязательное поле');
      await expect(page.getByTestId('reg-days').innerText()).resolves.toContain('День 2');
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  }, 300_000);

  it('edits a form: fields added, checked, conditioned on an earlier one, reordered and removed, with a live preview', async () => {
    const { page, problems, close } = await open();
    const fields = async () => JSON.parse(await page.getByTestId('editor-fields').innerText()) as FormFieldInput[];
    try {
      await page.getByTestId('editor-add').click();
      // A new field has no label yet: the editor says what to complete and holds the preview back.
      await expect(page.getByTestId('editor-0-problems').innerText()).resolves.toBe('Check: label');
      await page.getByTestId('editor-preview-blocked').waitFor();
      await page.getByTestId('editor-0-kind').selectOption('checkbox');
      await page.getByTestId('editor-0-key').fill('attending');
      await page.getByTestId('editor-0-label-en').fill('Attending dinner');
      await page.getByTestId('editor-0-label-zh-CN').fill('参加晚宴');
      await page.getByTestId('editor-0-label-ru').fill('Буду на ужине');
      await expect(page.getByTestId('editor-0-problems').count()).resolves.toBe(0);
      await page.getByTestId('preview-attending').waitFor();

      await page.getByTestId('editor-add').click();
      await page.getByTestId('editor-1-kind').selectOption('choice');
      await page.getByTestId('editor-1-key').fill('meal');
      await page.getByTestId('editor-1-label-en').fill('Meal');
      await page.getByTestId('editor-1-option-0-label-en').fill('Fish');
      await page.getByTestId('editor-1-option-0-value').fill('fish');
      await page.getByTestId('editor-1-add-option').click();
      await page.getByTestId('editor-1-option-1-value').fill('fish');
      await expect(page.getByTestId('editor-1-problems').innerText()).resolves.toContain('options');
      await page.getByTestId('editor-1-option-1-value').fill('veg');
      await page.getByTestId('editor-1-option-1-label-en').fill('Vegetarian');
      await page.getByTestId('editor-1-required').check();
      await page.getByTestId('editor-1-showif').selectOption('attending');
      await expect(page.getByTestId('editor-1-problems').count()).resolves.toBe(0);

      // The preview shows the meal only once "attending" is ticked.
      await expect(page.getByTestId('preview-meal').count()).resolves.toBe(0);
      await page.getByTestId('preview-attending').check();
      await page.getByTestId('preview-meal').waitFor();
      await page.getByTestId('preview-attending').uncheck();
      await expect(page.getByTestId('preview-meal').count()).resolves.toBe(0);

      expect(await fields()).toEqual([
        { key: 'attending', kind: 'checkbox', label: { en: 'Attending dinner', 'zh-CN': '参加晚宴', ru: 'Буду на ужине' }, required: false },
        {
          key: 'meal',
          kind: 'choice',
          label: { en: 'Meal' },
          required: true,
          options: [
            { value: 'fish', label: { en: 'Fish' } },
            { value: 'veg', label: { en: 'Vegetarian' } },
          ],
          showIf: { key: 'attending', equals: true },
        },
      ]);

      // Moving the dependent field above the one it depends on is named as a problem of its condition.
      await page.getByTestId('editor-1-up').click();
      expect((await fields()).map((f) => f.key)).toEqual(['meal', 'attending']);
      await expect(page.getByTestId('editor-0-problems').innerText()).resolves.toBe('Check: condition');
      await page.getByTestId('editor-0-down').click();
      await expect(page.getByTestId('editor-1-problems').count()).resolves.toBe(0);
      await page.getByTestId('editor-0-remove').click();
      // The condition now points at nothing: the editor says so.
      expect((await fields()).map((f) => f.key)).toEqual(['meal']);
      await expect(page.getByTestId('editor-0-problems').innerText()).resolves.toBe('Check: condition');
      await page.getByTestId('editor-0-showif').selectOption('');
      expect((await fields())[0]).not.toHaveProperty('showIf');
      await page.getByTestId('preview-meal').waitFor();

      // Limits are typed as people type them: a minus sign or a decimal point on its way stays on screen.
      await page.getByTestId('editor-add').click();
      await page.getByTestId('editor-1-kind').selectOption('number');
      await page.getByTestId('editor-1-label-en').fill('Temperature');
      await page.getByTestId('editor-1-min').pressSequentially('-5');
      await page.getByTestId('editor-1-max').pressSequentially('1.5');
      await expect(page.getByTestId('editor-1-min').inputValue()).resolves.toBe('-5');
      await expect(page.getByTestId('editor-1-max').inputValue()).resolves.toBe('1.5');
      expect((await fields())[1]).toMatchObject({ kind: 'number', min: -5, max: 1.5 });
      await page.getByTestId('preview-field_2').fill('3');
      await expect(page.getByTestId('preview-field_2-error').innerText()).resolves.toBe('Outside the allowed range');
      // Emptied help in every language is no help at all (not a problem to fix).
      await page.getByTestId('editor-1-help-ru').fill('Градусы');
      await page.getByTestId('editor-1-help-ru').fill('');
      expect((await fields())[1]).not.toHaveProperty('help');
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  }, 300_000);
});
