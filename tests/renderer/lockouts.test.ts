// The manager screen's "Locked operators" in the built renderer, in Debian's Chromium under its own CSP,
// with a fake `window.admit` (as Electron's preload installs it): a manager sees each operator with
// wrong PINs counted, how many and until when, in each language; "Clear lockout" asks the core to clear
// exactly that operator, says so and the operator leaves the list; a lockout someone else cleared
// meanwhile shows the core's not_locked refusal; an operator whose role the core refuses sees the
// refusal, not a list.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HAS_CHROMIUM,
  openPage,
  signInOnScreen,
  startBuiltRenderer,
  type BuiltRenderer,
  type OpenedPage,
} from '../helpers/built-renderer';

const CASHIER_ID = '00000000-0000-4000-8000-000000000009';
const GATE_ID = '00000000-0000-4000-8000-000000000008';

type Hooks = {
  /** Every call the screen made, in order. */
  __admitCalls: { name: string; input: unknown }[];
  /** Another manager clears an operator's lockout behind this screen's back. */
  __admitClearElsewhere(operatorId: string): void;
  __admitSetRole(role: string): void;
};

describe.skipIf(!HAS_CHROMIUM)('locked operators on the manager screen (Chromium)', () => {
  let ui: BuiltRenderer;

  beforeAll(async () => {
    ui = await startBuiltRenderer('lockouts');
  }, 300_000);

  afterAll(async () => {
    await ui?.close();
  });

  async function openManager(): Promise<OpenedPage> {
    const opened = await openPage(
      ui.browser,
      `        (() => {
          const core = createFakeCore({});
          window.__admitCalls = [];
          window.__admitClearElsewhere = (operatorId) => core.handle('session.clearLockout', { operatorId });
          window.__admitSetRole = (role) => core.setRole(role);
          window.admit = {
            shell: 'electron',
            call: async (name, input) => {
              window.__admitCalls.push({ name, input });
              return core.handle(name, input);
            },
            on: () => () => undefined,
          };
        })();`,
    );
    const { page } = opened;
    await page.goto(`${ui.origin}/?mode=manager`);
    await signInOnScreen(page, 'Maria Ivanova', '123456', 'manager');
    return opened;
  }

  const row = (page: Page, operatorId: string) => page.locator(`[data-testid="lockout"][data-operator-id="${operatorId}"]`);
  const clearCalls = (page: Page) =>
    page.evaluate(() =>
      (window as unknown as Hooks).__admitCalls.filter((c) => c.name === 'session.clearLockout').map((c) => c.input),
    );

  it('lists each locked operator with their wrong PINs and wait, and clears the one whose button is pressed', async () => {
    const { page, problems, close } = await openManager();
    const rows = page.getByTestId('lockout');
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(2);
    expect(await page.getByTestId('lockouts').getByRole('heading').textContent()).toBe('Locked operators');

    const cashier = row(page, CASHIER_ID);
    expect(await cashier.getByTestId('lockout-operator').textContent()).toBe('Chen Jing');
    expect(await cashier.getAttribute('data-locked')).toBe('true');
    expect(await cashier.getByTestId('lockout-failures').textContent()).toBe('10');
    expect(await cashier.getByTestId('lockout-state').textContent()).toMatch(/^Locked until \S/);
    const gate = row(page, GATE_ID);
    expect(await gate.getAttribute('data-locked')).toBe('false');
    expect(await gate.getByTestId('lockout-failures').textContent()).toBe('2');
    expect(await gate.getByTestId('lockout-state').textContent()).toBe('May try again now');

    // The same list in Russian and Chinese.
    await page.getByTestId('language-select').selectOption('ru');
    expect(await page.getByTestId('lockouts').getByRole('heading').textContent()).toBe('Заблокированные операторы');
    expect(await cashier.getByTestId('lockout-clear').textContent()).toBe('Снять блокировку');
    expect(await cashier.getByTestId('lockout-state').textContent()).toMatch(/^Заблокирован до \S/);
    await page.getByTestId('language-select').selectOption('zh-CN');
    expect(await page.getByTestId('lockouts').getByRole('heading').textContent()).toBe('已锁定的操作员');
    expect(await cashier.getByTestId('lockout-clear').textContent()).toBe('解除锁定');
    await page.getByTestId('language-select').selectOption('en');
    expect(await clearCalls(page)).toEqual([]);

    // "Clear lockout" on the cashier: the core is asked for that operator only, and the screen says so.
    expect(await cashier.getByTestId('lockout-clear').textContent()).toBe('Clear lockout');
    await cashier.getByTestId('lockout-clear').click();
    await expect
      .poll(() => page.getByTestId('lockout-cleared').textContent(), { timeout: 30_000 })
      .toBe('Lockout cleared: Chen Jing can sign in again now.');
    expect(await clearCalls(page)).toEqual([{ operatorId: CASHIER_ID }]);
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(1);
    expect(await cashier.count()).toBe(0);
    expect(await gate.count()).toBe(1);

    // Another manager clears Li Wei meanwhile: this screen's button meets the core's refusal, and the
    // list read again is empty.
    await page.evaluate((id) => (window as unknown as Hooks).__admitClearElsewhere(id), GATE_ID);
    await gate.getByTestId('lockout-clear').click();
    await expect
      .poll(() => page.getByTestId('lockout-clear-error').getAttribute('data-code'), { timeout: 30_000 })
      .toBe('not_locked');
    expect(await page.getByTestId('lockout-clear-error').textContent()).toBe(
      'This operator is not locked out on this terminal: there is nothing to clear.',
    );
    await expect
      .poll(() => page.getByTestId('lockouts-empty').textContent(), { timeout: 30_000 })
      .toBe('No operator has wrong PINs counted on this terminal.');
    expect(await page.getByTestId('lockout-cleared').count()).toBe(0);
    expect(await clearCalls(page)).toEqual([{ operatorId: CASHIER_ID }, { operatorId: GATE_ID }]);

    expect(problems).toEqual([]);
    await close();
  });

  it('shows the core’s refusal, not a list, to a role that may not clear lockouts', async () => {
    const { page, problems, close } = await openManager();
    await expect.poll(() => page.getByTestId('lockout').count(), { timeout: 30_000 }).toBe(2);
    await page.evaluate(() => (window as unknown as Hooks).__admitSetRole('gate'));
    await page.getByTestId('lockouts-refresh').click();
    await expect.poll(() => page.getByTestId('lockouts-error').getAttribute('data-code'), { timeout: 30_000 }).toBe('forbidden');
    expect(await page.getByTestId('lockout').count()).toBe(0);
    expect(await clearCalls(page)).toEqual([]);
    expect(problems).toEqual([]);
    await close();
  });
});
