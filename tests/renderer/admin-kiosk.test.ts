// Admin mode's Kiosk settings section and the Points section's "Redeems entitlement" field in the built
// renderer, in Debian's Chromium under the app's CSP, with the fake core (tests/renderer/fixtures/
// fake-core.js) answering admin mode's calls: the admin changes an event's kiosk settings and saves them
// (the call carries the values); numbers out of range are shown as errors and nothing is sent; a point
// created with an entitlement sends it, shows it in the list, and a bad kind is not sent; the section's
// name shows in Russian and Chinese. Screenshots: artifacts/renderer/admin-kiosk/.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { HAS_CHROMIUM, openPage, signInOnScreen, startBuiltRenderer, type BuiltRenderer, type OpenedPage } from '../helpers/built-renderer';

const SHOTS = resolve(__dirname, '../../artifacts/renderer/admin-kiosk');
const T = { timeout: 60_000 };
type Call = { name: string; input: Record<string, unknown> };
type Hooks = { __admin: { calls: Call[] } };

describe.skipIf(!HAS_CHROMIUM)('admin mode: kiosk settings and entitlement points (Chromium)', () => {
  let ui: BuiltRenderer;
  let opened: OpenedPage | null = null;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    ui = await startBuiltRenderer('admin-kiosk');
  }, 300_000);

  afterAll(async () => {
    await opened?.close();
    await ui?.close();
  });

  const script = (admin: Record<string, unknown>) => `(() => {
      const core = createFakeCore({ admin: ${JSON.stringify(admin)} });
      window.__admin = core.admin;
      window.admit = {
        shell: 'electron',
        call: async (name, input) => core.handle(name, input),
        on: () => () => undefined,
      };
    })();`;

  const calls = (page: Page, name: string) =>
    page.evaluate((n) => (window as unknown as Hooks).__admin.calls.filter((c) => c.name === n).map((c) => c.input), name);
  const section = (page: Page, id: string) => page.getByTestId('admin-nav-item').and(page.locator(`[data-section="${id}"]`));

  async function openAdmin(admin: Record<string, unknown> = {}): Promise<Page> {
    await opened?.close();
    opened = await openPage(ui.browser, script(admin));
    await opened.page.goto(`${ui.origin}/?mode=admin`);
    await signInOnScreen(opened.page, 'Ada Admin', '000000', 'admin');
    await opened.page.getByTestId('admin-nav').waitFor(T);
    return opened.page;
  }

  it('sets an event’s kiosk settings and saves them; the call carries the values', async () => {
    const page = await openAdmin();
    await section(page, 'kiosk').click();
    const form = page.getByTestId('kiosk-settings-form');
    await form.waitFor(T);
    expect(await page.getByTestId('kiosk-settings-event').inputValue()).toBe('00000000-0000-4000-8000-000000000001');
    expect(await page.getByTestId('kiosk-settings-idle').inputValue()).toBe('45');
    expect(await page.getByTestId('kiosk-settings-countdown').inputValue()).toBe('10');
    expect(await page.getByTestId('kiosk-settings-language').inputValue()).toBe('en');
    expect(await page.getByTestId('kiosk-settings-find-by-phone').isChecked()).toBe(true);
    expect(await page.getByTestId('kiosk-settings-print-badge').isChecked()).toBe(true);

    await page.getByTestId('kiosk-settings-idle').fill('120');
    await page.getByTestId('kiosk-settings-countdown').fill('20');
    await page.getByTestId('kiosk-settings-language').selectOption('zh-CN');
    await page.getByTestId('kiosk-settings-find-by-phone').uncheck();
    await page.getByTestId('kiosk-settings-help-desk-en').fill('  Desk B, by the stairs ');
    await page.getByTestId('kiosk-settings-help-desk-zh-CN').fill('楼梯旁的 B 服务台');
    await page.getByTestId('kiosk-settings-save').click();
    await page.getByTestId('kiosk-settings-done').waitFor(T);
    expect(await page.getByTestId('kiosk-settings-done').textContent()).toBe('The kiosk settings were saved.');
    await page.screenshot({ path: join(SHOTS, '1-saved.png'), fullPage: true });
    expect(await calls(page, 'admin.kiosk.saveSettings')).toEqual([
      {
        eventId: '00000000-0000-4000-8000-000000000001',
        idleResetS: 120,
        countdownS: 20,
        defaultLanguage: 'zh-CN',
        findByPhone: false,
        printBadge: true,
        helpDesk: { en: 'Desk B, by the stairs', 'zh-CN': '楼梯旁的 B 服务台' },
      },
    ]);

    // Back to the section: the saved values are read again.
    await section(page, 'points').click();
    await page.getByTestId('points').waitFor(T);
    await section(page, 'kiosk').click();
    await form.waitFor(T);
    expect(await page.getByTestId('kiosk-settings-idle').inputValue()).toBe('120');
    expect(await page.getByTestId('kiosk-settings-language').inputValue()).toBe('zh-CN');
    expect(await page.getByTestId('kiosk-settings-help-desk-ru').inputValue()).toBe('');
    expect(opened!.problems).toEqual([]);
  }, 300_000);

  it('shows numbers out of range as errors and sends nothing until they are right', async () => {
    const page = await openAdmin();
    await section(page, 'kiosk').click();
    await page.getByTestId('kiosk-settings-form').waitFor(T);

    const idleError = page.getByTestId('kiosk-settings-idle-error');
    const countdownError = page.getByTestId('kiosk-settings-countdown-error');
    await page.getByTestId('kiosk-settings-idle').fill('5');
    await page.getByTestId('kiosk-settings-countdown').fill('61');
    await page.getByTestId('kiosk-settings-save').click();
    await idleError.waitFor(T);
    expect(await idleError.textContent()).toBe('Enter a whole number of seconds from 10 to 600 for the time without a touch.');
    expect(await countdownError.textContent()).toBe('Enter a whole number of seconds from 3 to 60 for the countdown.');
    expect(await page.getByTestId('kiosk-settings-idle').getAttribute('aria-invalid')).toBe('true');

    await page.getByTestId('kiosk-settings-idle').fill('');
    await page.getByTestId('kiosk-settings-countdown').fill('8');
    await page.getByTestId('kiosk-settings-save').click();
    await expect.poll(() => countdownError.count(), T).toBe(0);
    expect(await idleError.textContent()).toBe('Enter a whole number of seconds from 10 to 600 for the time without a touch.');

    await page.getByTestId('kiosk-settings-idle').fill('20');
    await page.getByTestId('kiosk-settings-countdown').fill('30');
    await page.getByTestId('kiosk-settings-save').click();
    await countdownError.waitFor(T);
    expect(await countdownError.textContent()).toBe('The countdown cannot be longer than the time without a touch.');
    expect(await idleError.count()).toBe(0);
    expect(await calls(page, 'admin.kiosk.saveSettings')).toEqual([]);
    expect(await page.getByTestId('kiosk-settings-done').count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, '2-errors.png'), fullPage: true });

    // Put right: sent once, and the errors are gone.
    await page.getByTestId('kiosk-settings-countdown').fill('20');
    await page.getByTestId('kiosk-settings-save').click();
    await page.getByTestId('kiosk-settings-done').waitFor(T);
    expect(await countdownError.count()).toBe(0);
    expect(await calls(page, 'admin.kiosk.saveSettings')).toMatchObject([{ idleResetS: 20, countdownS: 20, helpDesk: null }]);
    expect(opened!.problems).toEqual([]);
  }, 300_000);

  it('the points form sends the entitlement and the list shows it; a bad kind is not sent', async () => {
    const page = await openAdmin();
    await section(page, 'points').click();
    await page.getByTestId('points-list').waitFor(T);
    expect(await page.getByTestId('point-create-entitlement-hint').textContent()).toBe(
      "meal: a meal voucher, once a day with re-entry 'Once per day'. Lower-case letters, digits, _ or -.",
    );

    await page.getByTestId('point-create-name-en').fill('Lunch');
    await page.getByTestId('point-create-reentry').selectOption('once_per_day');
    await page.getByTestId('point-create-entitlement').fill('Meal!');
    await page.getByTestId('point-create-save').click();
    await page.getByTestId('point-create-problem').waitFor(T);
    expect(await page.getByTestId('point-create-problem').textContent()).toContain('lower-case letter');
    expect(await calls(page, 'admin.points.create')).toEqual([]);

    await page.getByTestId('point-create-entitlement').fill(' meal ');
    await page.getByTestId('point-create-save').click();
    const lunch = page.getByTestId('point-row').filter({ hasText: 'Lunch' });
    await lunch.waitFor(T);
    expect(await calls(page, 'admin.points.create')).toMatchObject([{ name: { en: 'Lunch' }, reentry: 'once_per_day', entitlement: 'meal' }]);
    expect(await lunch.getByTestId('point-entitlement').getAttribute('data-kind')).toBe('meal');
    expect(await lunch.getByTestId('point-entitlement').textContent()).toBe('redeems meal');
    await page.screenshot({ path: join(SHOTS, '3-points.png'), fullPage: true });

    // A point without one shows none; editing shows the kind, and clearing it sends null.
    const main = page.getByTestId('point-row').filter({ hasText: 'Main door' });
    expect(await main.getByTestId('point-entitlement').count()).toBe(0);
    await lunch.getByTestId('point-edit').click();
    expect(await page.getByTestId('point-edit-entitlement').inputValue()).toBe('meal');
    await page.getByTestId('point-edit-entitlement').fill('');
    await page.getByTestId('point-edit-save').click();
    await expect.poll(() => lunch.getByTestId('point-entitlement').count(), T).toBe(0);
    expect((await calls(page, 'admin.points.update')).map((c) => c.entitlement)).toEqual([null]);
    expect(opened!.problems).toEqual([]);
  }, 300_000);

  it('names the section and its fields in Russian and Chinese', async () => {
    const page = await openAdmin();
    const nav = section(page, 'kiosk');
    await page.getByTestId('language-select').selectOption('ru');
    await expect.poll(() => nav.textContent(), T).toBe('Настройки киоска');
    await nav.click();
    await page.getByTestId('kiosk-settings-form').waitFor(T);
    await page.getByTestId('kiosk-settings-idle').fill('700');
    await page.getByTestId('kiosk-settings-save').click();
    await page.getByTestId('kiosk-settings-idle-error').waitFor(T);
    expect(await page.getByTestId('kiosk-settings-idle-error').textContent()).toBe('Введите целое число секунд от 10 до 600 для времени без касаний.');
    await page.getByTestId('language-select').selectOption('zh-CN');
    await expect.poll(() => nav.textContent(), T).toBe('自助机设置');
    expect(await page.getByTestId('kiosk-settings-save').textContent()).toBe('保存设置');
    expect(await calls(page, 'admin.kiosk.saveSettings')).toEqual([]);
    expect(opened!.problems).toEqual([]);
  }, 300_000);
});
