// The built renderer in Debian's Chromium, under its own CSP, with a fake `window.admit` (as
// Electron's preload installs it): a verdict for a code holding U+202E (RIGHT-TO-LEFT OVERRIDE) shows
// the code in its own order with the override as a visible mark — the character is nowhere in the
// page, and each character of the code lies right of the one before it; the same for an attendee's
// name, in the recent list too. A read fault pushed by the core shows "could not read — scan again"
// for its lane in each language and goes when that device's next verdict comes; a faulty reader
// shows its state, reason and fault counts in the device strip.
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

const RLO = '\u202e';
const CODE = `T-ABC${RLO}DEF-123`;
const NAME = `Eve ${RLO}Mallory`;

type Hooks = {
  __admitEmit(name: string, payload: unknown): void;
  __admitVerdictWith(code: string, patch: Record<string, unknown>): void;
};

describe.skipIf(!HAS_CHROMIUM)('untrusted text and read faults on screen (Chromium)', () => {
  let ui: BuiltRenderer;

  beforeAll(async () => {
    ui = await startBuiltRenderer('safety');
  }, 300_000);

  afterAll(async () => {
    await ui?.close();
  });

  async function openGate(): Promise<OpenedPage> {
    const opened = await openPage(
      ui.browser,
      `        (() => {
          const core = createFakeCore({});
          const listeners = new Map();
          window.__admitEmit = (name, payload) => (listeners.get(name) || new Set()).forEach((l) => l(payload));
          window.__admitVerdictWith = (code, patch) => window.__admitEmit('scan.verdict', { ...core.verdictFor(code), ...patch });
          window.admit = {
            shell: 'electron',
            call: async (name, input) => core.handle(name, input),
            on: (name, listener) => {
              if (!listeners.has(name)) listeners.set(name, new Set());
              listeners.get(name).add(listener);
              return () => listeners.get(name).delete(listener);
            },
          };
        })();`,
    );
    const { page } = opened;
    await page.goto(`${ui.origin}/?mode=gate`);
    await signInOnScreen(page, 'Li Wei', '567890', 'gate');
    return opened;
  }

  /** Left edge of each character of an element's text, in the order the characters are stored. */
  const charLefts = (page: Page, testId: string) =>
    page.evaluate((id) => {
      const root = document.querySelector(`[data-testid="${id}"]`)!;
      const lefts: { ch: string; left: number }[] = [];
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent ?? '';
        for (let i = 0; i < text.length; i++) {
          const range = document.createRange();
          range.setStart(node, i);
          range.setEnd(node, i + 1);
          lefts.push({ ch: text[i]!, left: range.getBoundingClientRect().left });
        }
      }
      return lefts;
    }, testId);

  it('shows a code and a name holding U+202E in their own order, the override marked', async () => {
    const { page, problems, close } = await openGate();
    await page.evaluate(
      ([code, name]) =>
        (window as unknown as Hooks).__admitVerdictWith(code!, { admitted: true, reason: 'ok', attendeeName: name }),
      [CODE, NAME],
    );
    await page.getByTestId('verdict').waitFor();

    expect(await page.getByTestId('verdict-code').textContent()).toBe('T-ABC[U+202E]DEF-123');
    expect(await page.getByTestId('verdict-code').getAttribute('title')).toBe('T-ABC[U+202E]DEF-123');
    expect(await page.getByTestId('verdict-attendee').textContent()).toBe('Eve [U+202E]Mallory');
    const mark = page.getByTestId('verdict-code').locator('[data-hidden-char]');
    expect(await mark.getAttribute('data-hidden-char')).toBe('U+202E');
    expect(await mark.getAttribute('title')).toBe('Invisible character U+202E');
    // The override itself is nowhere in the page: not in the text, not in an attribute.
    expect(await page.evaluate(() => document.documentElement.outerHTML.includes('\u202e'))).toBe(false);
    expect(await page.getByTestId('recent-verdict').first().textContent()).toContain('Eve [U+202E]Mallory');

    // Laid out as stored: every character right of the one before it (one line).
    for (const id of ['verdict-code', 'verdict-attendee']) {
      const lefts = await charLefts(page, id);
      expect(lefts.length).toBeGreaterThan(10);
      for (let i = 1; i < lefts.length; i++)
        expect(lefts[i]!.left, `${id}: '${lefts[i]!.ch}' after '${lefts[i - 1]!.ch}'`).toBeGreaterThan(lefts[i - 1]!.left);
    }

    // A code of right-to-left letters and digits is laid out as stored too: a code is never reordered.
    await page.evaluate(() => (window as unknown as Hooks).__admitVerdictWith('T-\u05d0\u05d1-12', {}));
    await expect.poll(() => page.getByTestId('verdict-code').textContent()).toBe('T-\u05d0\u05d1-12');
    const lefts = await charLefts(page, 'verdict-code');
    for (let i = 1; i < lefts.length; i++) expect(lefts[i]!.left).toBeGreaterThan(lefts[i - 1]!.left);

    expect(problems).toEqual([]);
    await close();
  });

  it('shows "could not read" for the lane in each language until the device reads again, and a faulty reader in the strip', async () => {
    const { page, problems, close } = await openGate();
    const fault = {
      deviceId: 'scanner-1',
      deviceKind: 'scanner',
      deviceName: 'Honeywell 1900',
      lane: 'north',
      fault: 'garbled',
      at: new Date().toISOString(),
    };
    await page.evaluate((f) => (window as unknown as Hooks).__admitEmit('device.readFault', f), fault);
    const notice = page.getByTestId('read-fault');
    await notice.waitFor();
    expect(await notice.getAttribute('data-device-id')).toBe('scanner-1');
    expect(await notice.getAttribute('data-lane')).toBe('north');
    expect(await notice.textContent()).toContain('Could not read — scan again');
    expect(await notice.textContent()).toContain('Lane: north · Honeywell 1900 · Unreadable code');

    await page.getByTestId('language-select').selectOption('zh-CN');
    expect(await notice.textContent()).toContain('无法读取 — 请重新扫描');
    await page.getByTestId('language-select').selectOption('ru');
    expect(await notice.textContent()).toContain('Не удалось прочитать — отсканируйте ещё раз');
    await page.getByTestId('language-select').selectOption('en');

    // An ID reader's own wording; two devices, two lines.
    await page.evaluate((f) => (window as unknown as Hooks).__admitEmit('device.readFault', f), {
      ...fault,
      deviceId: 'id-1',
      deviceKind: 'id-reader',
      deviceName: 'ID reader',
      lane: null,
      fault: 'checksum',
    });
    await expect.poll(() => notice.count()).toBe(2);
    expect(await page.locator('[data-testid="read-fault"][data-device-id="id-1"]').textContent()).toContain(
      'Could not read the ID — present it again',
    );

    // The scanner's next verdict: its notice goes, the ID reader's stays.
    await page.evaluate(() => (window as unknown as Hooks).__admitVerdictWith('GOOD', { deviceId: 'scanner-1', lane: 'north' }));
    await expect.poll(() => notice.count()).toBe(1);
    expect(await notice.getAttribute('data-device-id')).toBe('id-1');

    // The device strip: faulty, why, and the counts.
    await page.evaluate(() =>
      (window as unknown as Hooks).__admitEmit('device.status', {
        id: 'scanner-1',
        kind: 'scanner',
        name: 'Honeywell 1900',
        state: 'faulty',
        reason: 'garbled',
        detail: '3 in a row',
        faults: { recent: 4, streak: 3, total: 9, last: { kind: 'garbled', at: new Date().toISOString() } },
      }),
    );
    const device = page.locator('[data-testid="device"][data-device-id="scanner-1"]');
    await expect.poll(() => device.getAttribute('data-state')).toBe('faulty');
    expect(await device.getAttribute('data-reason')).toBe('garbled');
    expect(await device.getAttribute('data-faults-total')).toBe('9');
    expect(await device.textContent()).toContain('Faulty');
    expect(await device.getByTestId('device-reason').textContent()).toBe('Unreadable scans');
    expect(await device.getByTestId('device-faults').textContent()).toBe('Failed reads — recent: 4, total: 9');
    await page.getByTestId('language-select').selectOption('zh-CN');
    expect(await device.getByTestId('device-reason').textContent()).toBe('扫描无法识别');

    expect(problems).toEqual([]);
    await close();
  });
});
