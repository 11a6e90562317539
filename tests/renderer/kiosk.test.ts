// The self-service kiosk in the built renderer, in Debian's Chromium under the app's CSP, with the fake
// core (tests/renderer/fixtures/fake-core.js) answering the kiosk's contract: the attendee flow in each
// language (scanner read, ID card, find by phone digits and name with masked candidates, check-in, badge,
// what is next), the refusal and failure screens sending people to the help desk, the idle countdown and
// reset that leaves nothing personal on screen, the staff corner with a manager's PIN, the managers'
// alerts, portrait and landscape layouts with large targets and labels, and the camera reading a QR code
// from Chromium's fake video capture (a y4m file this test writes). Screenshots: artifacts/renderer/kiosk/.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CHROMIUM,
  HAS_CHROMIUM,
  openPage,
  signInOnScreen,
  startBuiltRenderer,
  type BuiltRenderer,
  type OpenedPage,
} from '../helpers/built-renderer';

const SHOTS = resolve(__dirname, '../../artifacts/renderer/kiosk');
const T = { timeout: 60_000 };

type KioskOptions = {
  settings?: Record<string, unknown>;
  scanner?: { present?: boolean; ready?: boolean };
  idCardReader?: { present?: boolean; ready?: boolean };
  alerts?: { kind: string; code: string }[];
};
type Hooks = {
  __kiosk: {
    calls: { name: string; input: Record<string, unknown> }[];
    read(by: string, code: string): unknown;
    raise(kind: string, code: string): unknown;
  };
  __emit(name: string, payload: unknown): void;
};

/** A y4m video (I420 frames) of a QR code on white: what Chromium's fake camera plays in a loop. */
function qrVideo(text: string, file: string): void {
  const W = 640;
  const H = 480;
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const scale = Math.floor(260 / (n + 8));
  const size = (n + 8) * scale;
  const x0 = Math.floor((W - size) / 2);
  const y0 = Math.floor((H - size) / 2);
  const y = Buffer.alloc(W * H, 60);
  for (let r = 0; r < size; r += 1) {
    for (let c = 0; c < size; c += 1) {
      const mr = Math.floor(r / scale) - 4;
      const mc = Math.floor(c / scale) - 4;
      const dark = mr >= 0 && mc >= 0 && mr < n && mc < n && qr.modules.get(mr, mc);
      y[(y0 + r) * W + x0 + c] = dark ? 16 : 235;
    }
  }
  const uv = Buffer.alloc((W / 2) * (H / 2), 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), y, uv, uv]);
  // Two seconds of an empty picture first (the code is brought to the camera), then the code.
  const empty = Buffer.concat([Buffer.from('FRAME\n'), Buffer.alloc(W * H, 60), uv, uv]);
  const frames = [...Array.from({ length: 20 }, () => empty), ...Array.from({ length: 10 }, () => frame)];
  writeFileSync(file, Buffer.concat([Buffer.from(`YUV4MPEG2 W${W} H${H} F10:1 Ip A1:1 C420jpeg\n`), ...frames]));
}

describe.skipIf(!HAS_CHROMIUM)('self-service kiosk (Chromium)', () => {
  let ui: BuiltRenderer;
  let cameraBrowser: Browser | null = null;
  let videoDir = '';
  let shot = 0;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    ui = await startBuiltRenderer('kiosk');
  }, 300_000);

  afterAll(async () => {
    await cameraBrowser?.close();
    await ui?.close();
    if (videoDir) rmSync(videoDir, { recursive: true, force: true });
  });

  const script = (options: KioskOptions) => `(() => {
      const core = createFakeCore({ kiosk: ${JSON.stringify(options)} });
      for (const a of ${JSON.stringify(options.alerts ?? [])}) core.kiosk.raise(a.kind, a.code);
      core.kiosk.emitted.length = 0;
      const listeners = new Map();
      const emit = (name, payload) => { for (const fn of listeners.get(name) ?? []) fn(payload); };
      window.__kiosk = core.kiosk;
      window.__emit = emit;
      window.admit = {
        shell: 'electron',
        call: async (name, input) => {
          const result = core.handle(name, input);
          const events = core.kiosk.emitted.splice(0);
          setTimeout(() => events.forEach((e) => emit(e.name, e.payload)), 0);
          return result;
        },
        on: (name, fn) => {
          if (!listeners.has(name)) listeners.set(name, new Set());
          listeners.get(name).add(fn);
          return () => listeners.get(name).delete(fn);
        },
      };
    })();`;

  async function openKiosk(options: KioskOptions = {}, browser?: Browser): Promise<OpenedPage> {
    const opened = await openPage(browser ?? ui.browser, script(options));
    await opened.page.goto(`${ui.origin}/?mode=kiosk`);
    await signInOnScreen(opened.page, 'Kiosk 1', '246810', 'kiosk');
    await welcome(opened.page);
    return opened;
  }

  const screen = (page: Page, name: string) => page.locator(`[data-testid="kiosk"][data-screen="${name}"]`).waitFor(T);
  const welcome = (page: Page) => screen(page, 'welcome');
  const text = async (page: Page, testId: string) => ((await page.getByTestId(testId).first().textContent()) ?? '').trim();
  const calls = (page: Page, name: string) =>
    page.evaluate((n) => (window as unknown as Hooks).__kiosk.calls.filter((c) => c.name === n).map((c) => c.input), name);
  /** A scanner or ID reader read, as the core pushes it while the kiosk screen is open. */
  const read = (page: Page, by: string, code: string) =>
    page.evaluate(
      ([b, c]) => {
        const w = window as unknown as Hooks;
        w.__emit('kiosk.found', w.__kiosk.read(b as string, c as string));
      },
      [by, code],
    );
  async function screenshot(page: Page, name: string) {
    shot += 1;
    await page.screenshot({ path: join(SHOTS, `${String(shot).padStart(2, '0')}-${name}.png`) });
  }
  async function typeDigits(page: Page, digits: string) {
    for (const d of digits) await page.getByTestId(`kiosk-digit-${d}`).click();
  }

  const WORDS = {
    en: {
      welcome: 'Welcome! Let’s check you in',
      confirm: 'Is this you?',
      greeting: 'Welcome, Anna!',
      badge: 'Please take your badge from the printer.',
      info: 'What’s next',
      seat: 'Your seat',
      lunch: 'Lunch: available today',
    },
    'zh-CN': {
      welcome: '欢迎！我们来办理签到',
      confirm: '这是您吗？',
      greeting: '欢迎您，Anna！',
      badge: '请从打印机取走您的胸牌。',
      info: '接下来的安排',
      seat: '您的座位',
      lunch: '午餐: 今天可用',
    },
    ru: {
      welcome: 'Добро пожаловать! Давайте зарегистрируемся',
      confirm: 'Это вы?',
      greeting: 'Добро пожаловать, Anna!',
      badge: 'Пожалуйста, возьмите бейдж из принтера.',
      info: 'Что дальше',
      seat: 'Ваше место',
      lunch: 'Обед: доступен сегодня',
    },
  } as const;

  it('checks an attendee in from a scanner read in each language: confirm, badge, what is next, back to the start', async () => {
    const { page, problems, close } = await openKiosk();
    // The event's default language comes first; each language names itself.
    expect(await page.getByTestId('kiosk-language').allTextContents()).toEqual(['English', '简体中文', 'Русский']);
    for (const lang of ['en', 'zh-CN', 'ru'] as const) {
      const w = WORDS[lang];
      await page.locator(`[data-testid="kiosk-language"][data-language="${lang}"]`).click();
      await page.locator(`[data-testid="kiosk"][data-language="${lang}"]`).waitFor(T);
      expect(await page.locator('#kiosk-welcome-title').textContent()).toBe(w.welcome);
      await screenshot(page, `welcome-${lang}`);
      await read(page, 'scanner', 'QR-ANNA');
      await screen(page, 'confirm');
      expect(await page.locator('#kiosk-confirm-title').textContent()).toBe(w.confirm);
      expect(await text(page, 'kiosk-confirm-name')).toBe('Anna L.');
      expect(await text(page, 'kiosk-confirm-phone')).toBe('••• •• 4567');
      await screenshot(page, `confirm-${lang}`);
      await page.getByTestId('kiosk-confirm-yes').click();
      await screen(page, 'done');
      expect(await page.getByTestId('kiosk-done').getAttribute('data-print-state')).toBe('printed');
      expect(await text(page, 'kiosk-greeting')).toBe(w.greeting);
      expect(await text(page, 'kiosk-take-badge')).toBe(w.badge);
      await screenshot(page, `done-${lang}`);
      await page.getByTestId('kiosk-info-open').click();
      await page.locator('[data-testid="kiosk-info"][data-source="server"]').waitFor(T);
      expect(await page.locator('#kiosk-info-title').textContent()).toBe(w.info);
      expect(await page.locator('[data-testid="kiosk-info-item"][data-kind="seat"] dt').textContent()).toBe(w.seat);
      expect(await page.locator('[data-testid="kiosk-info-item"][data-kind="seat"] dd').textContent()).toBe(
        'Hall B, row 7, seat 12',
      );
      expect(await page.getByTestId('kiosk-next-item').count()).toBe(1);
      expect(
        ((await page.locator('[data-testid="kiosk-entitlement"][data-kind="meal"]').textContent()) ?? '').replace(/\s+/g, ' '),
      ).toBe(w.lunch.replace(/\s+/g, ' '));
      await screenshot(page, `info-${lang}`);
      await page.getByTestId('kiosk-finish').click();
      // Back at the start in the event's default language, the visit ended.
      await page.locator('[data-testid="kiosk"][data-screen="welcome"][data-language="en"]').waitFor(T);
    }
    const confirms = await calls(page, 'kiosk.confirm');
    expect(confirms).toHaveLength(3);
    expect(new Set(confirms.map((c) => c.requestId)).size).toBe(3);
    expect((await calls(page, 'kiosk.language')).map((c) => c.language)).toEqual(['en', 'zh-CN', 'en', 'ru', 'en']);
    expect((await calls(page, 'kiosk.reset')).filter((c) => c.visitId !== null)).toHaveLength(3);
    expect(problems.filter((p) => !/camera|getUserMedia|NotFound|NotAllowed/i.test(p))).toEqual([]);
    await close();
  }, 180_000);

  it('finds attendees by phone digits and the first letters of their name, in Latin, Cyrillic and Chinese, masked', async () => {
    const { page, problems, close } = await openKiosk();
    // Latin: two people share the digits and the letter A; the list shows no full phone or name.
    await page.getByTestId('kiosk-find-start').click();
    await screen(page, 'find');
    await typeDigits(page, '4568');
    await page.getByTestId('kiosk-digit-backspace').click();
    await page.getByTestId('kiosk-digit-7').click();
    expect(await page.getByTestId('kiosk-digits').getAttribute('data-count')).toBe('4');
    await screenshot(page, 'find-digits');
    await page.getByTestId('kiosk-find-next').click();
    expect(await page.getByTestId('kiosk-keyboard').getAttribute('data-layout')).toBe('latin');
    await page.locator('[data-testid="kiosk-key"][data-key="A"]').click();
    expect(await text(page, 'kiosk-name-value')).toBe('A');
    await screenshot(page, 'find-name-latin');
    await page.getByTestId('kiosk-find-submit').click();
    await screen(page, 'candidates');
    expect(await page.getByTestId('kiosk-candidate-name').allTextContents()).toEqual(['Anna L.', 'Anton L.']);
    const body = (await page.getByTestId('kiosk').textContent()) ?? '';
    expect(body).not.toContain('1234567');
    expect(body).not.toContain('Anna Lee');
    await screenshot(page, 'candidates');
    await page.getByTestId('kiosk-candidate').nth(1).click();
    await screen(page, 'confirm');
    expect(await text(page, 'kiosk-confirm-name')).toBe('Anton L.');
    // "No": back to the list; the other one is me.
    await page.getByTestId('kiosk-confirm-no').click();
    await screen(page, 'candidates');
    await page.getByTestId('kiosk-candidate').nth(0).click();
    await page.getByTestId('kiosk-confirm-yes').click();
    await screen(page, 'done');
    await page.getByTestId('kiosk-finish').click();
    await welcome(page);

    // Cyrillic, in Russian: the keyboard starts in ЙЦУКЕН.
    await page.locator('[data-testid="kiosk-language"][data-language="ru"]').click();
    await page.getByTestId('kiosk-find-start').click();
    await typeDigits(page, '2233');
    await page.getByTestId('kiosk-find-next').click();
    expect(await page.getByTestId('kiosk-keyboard').getAttribute('data-layout')).toBe('cyrillic');
    await page.locator('[data-testid="kiosk-key"][data-key="И"]').click();
    await page.locator('[data-testid="kiosk-key"][data-key="В"]').click();
    await screenshot(page, 'find-name-cyrillic');
    await page.getByTestId('kiosk-find-submit').click();
    await screen(page, 'confirm');
    expect(await text(page, 'kiosk-confirm-name')).toBe('Иванов П.');
    await page.getByTestId('kiosk-back').count();
    await page.getByTestId('kiosk-confirm-no').click();
    await page.locator('[data-testid="kiosk"][data-screen="welcome"][data-language="en"]').waitFor(T);

    // Chinese: a common family name as a key, or the first character through the system's input.
    await page.locator('[data-testid="kiosk-language"][data-language="zh-CN"]').click();
    await page.getByTestId('kiosk-find-start').click();
    await typeDigits(page, '8888');
    await page.getByTestId('kiosk-find-next').click();
    expect(await page.getByTestId('kiosk-keyboard').getAttribute('data-layout')).toBe('chinese');
    await page.locator('[data-testid="kiosk-key"][data-key="张"]').click();
    expect(await page.getByTestId('kiosk-name-input').inputValue()).toBe('张');
    await screenshot(page, 'find-name-chinese');
    await page.getByTestId('kiosk-key-clear').click();
    await page.getByTestId('kiosk-name-input').fill('张三');
    await page.getByTestId('kiosk-find-submit').click();
    await screen(page, 'confirm');
    expect(await text(page, 'kiosk-confirm-name')).toBe('张*丰');
    expect((await calls(page, 'kiosk.findByPhone')).map((c) => [c.phoneLast4, c.namePrefix])).toEqual([
      ['4567', 'A'],
      ['2233', 'ИВ'],
      ['8888', '张三'],
    ]);
    expect(problems.filter((p) => !/camera|getUserMedia|NotFound|NotAllowed/i.test(p))).toEqual([]);
    await close();
  }, 180_000);

  it('takes an ID card tap from the reader into the same flow', async () => {
    const { page, close } = await openKiosk();
    await page.getByTestId('kiosk-idcard-start').click();
    await screen(page, 'idcard');
    await screenshot(page, 'idcard');
    await read(page, 'id_card', 'QR-IVAN');
    await screen(page, 'confirm');
    expect(await text(page, 'kiosk-confirm-name')).toBe('Иванов П.');
    await page.getByTestId('kiosk-confirm-yes').click();
    await screen(page, 'done');
    expect(await text(page, 'kiosk-greeting')).toBe('Welcome, Иванов!');
    await close();
  }, 120_000);

  it('refuses kindly, per reason, and sends the attendee to the help desk', async () => {
    const helpDesk = { en: 'the Info Point in Hall A', ru: 'стойку информации в зале A', 'zh-CN': 'A厅的问讯处' };
    const { page, problems, close } = await openKiosk({ settings: { helpDesk } });
    const cases = [
      ['QR-UNPAID', 'unpaid', 'This ticket is not paid yet'],
      ['QR-USED', 'already_used', 'This ticket has already been used'],
      ['QR-BADGE', 'badge_printed', 'This ticket has already been used'],
      ['QR-EARLY', 'not_yet_valid', 'This ticket is not valid yet'],
      ['QR-LATE', 'expired', 'This ticket is no longer valid'],
      ['NO-SUCH-CODE', 'unknown', 'We could not recognise this code'],
    ] as const;
    for (const [code, reason, title] of cases) {
      await read(page, 'scanner', code);
      await page.locator(`[data-testid="kiosk-refused"][data-reason="${reason}"]`).waitFor(T);
      expect(await page.locator('#kiosk-refused-title').textContent()).toBe(title);
      expect(await text(page, 'kiosk-help-desk')).toBe(
        'Please go to the Info Point in Hall A: our staff will be happy to help you.',
      );
      await screenshot(page, `refused-${reason}`);
      await page.getByTestId('kiosk-back').click();
      await welcome(page);
    }
    // In Russian, with the event's own words for the desk.
    await page.locator('[data-testid="kiosk-language"][data-language="ru"]').click();
    await read(page, 'scanner', 'QR-UNPAID');
    await page.locator('[data-testid="kiosk-refused"][data-reason="unpaid"]').waitFor(T);
    expect(await page.locator('#kiosk-refused-title').textContent()).toBe('Этот билет ещё не оплачен');
    expect(await text(page, 'kiosk-help-desk')).toBe(
      'Пожалуйста, подойдите на стойку информации в зале A: наши сотрудники с радостью помогут.',
    );
    // "Call staff" raises a help alert.
    await page.getByTestId('kiosk-call-help').click();
    expect(await text(page, 'kiosk-help-called')).toBe('Сотрудники оповещены: к вам подойдут.');
    expect(await calls(page, 'kiosk.report')).toContainEqual({ kind: 'help', code: 'help_requested' });
    await page.getByTestId('kiosk-back').click();
    await welcome(page);
    // Nobody found, and too many found.
    await page.getByTestId('kiosk-find-start').click();
    await typeDigits(page, '1111');
    await page.getByTestId('kiosk-find-next').click();
    await page.locator('[data-testid="kiosk-key"][data-key="Q"]').click();
    await page.getByTestId('kiosk-find-submit').click();
    await page.locator('[data-testid="kiosk-refused"][data-reason="not_found"]').waitFor(T);
    expect(await page.locator('#kiosk-refused-title').textContent()).toBe('We could not find you');
    await screenshot(page, 'refused-not_found');
    await page.getByTestId('kiosk-back').click();
    await page.getByTestId('kiosk-find-start').click();
    await typeDigits(page, '0000');
    await page.getByTestId('kiosk-find-next').click();
    for (const k of 'SAM') await page.locator(`[data-testid="kiosk-key"][data-key="${k}"]`).click();
    await page.getByTestId('kiosk-find-submit').click();
    await page.locator('[data-testid="kiosk-refused"][data-reason="too_many"]').waitFor(T);
    expect(await page.locator('#kiosk-refused-title').textContent()).toBe('Too many people match');
    expect(problems.filter((p) => !/camera|getUserMedia|NotFound|NotAllowed/i.test(p))).toEqual([]);
    await close();
  }, 180_000);

  it('says the badge will be printed at the help desk when the printer is out of paper', async () => {
    const { page, close } = await openKiosk();
    await read(page, 'scanner', 'QR-PAPER');
    await screen(page, 'confirm');
    await page.getByTestId('kiosk-confirm-yes').click();
    await page.locator('[data-testid="kiosk-failure"][data-kind="printer"][data-code="paper_out"]').waitFor(T);
    expect(await page.locator('#kiosk-failure-title').textContent()).toBe('You are checked in');
    expect(await page.getByTestId('kiosk-failure').textContent()).toContain('Your badge will be printed at the help desk.');
    expect(await text(page, 'kiosk-help-desk')).toBe('Please go to the help desk: our staff will be happy to help you.');
    await screenshot(page, 'failure-printer');
    // The information is still there for them.
    await page.getByTestId('kiosk-info-open').click();
    await page.getByTestId('kiosk-info-empty').waitFor(T);
    await close();
  }, 120_000);

  it('says when the camera cannot be used, reports it once, and offers the other ways', async () => {
    const { page, close } = await openKiosk({ scanner: { present: true, ready: false } });
    await page.getByTestId('kiosk-camera-failed').waitFor(T);
    const code = await page.getByTestId('kiosk-camera-failed').getAttribute('data-code');
    expect(['camera_denied', 'camera_failed', 'no_camera']).toContain(code);
    expect(await page.getByTestId('kiosk-camera-failed').textContent()).toContain('The camera is not working.');
    expect(await page.getByTestId('kiosk-scanner-failed').textContent()).toBe(
      'The scanner is not working. Please use the camera, or find yourself by phone and name.',
    );
    await expect.poll(() => calls(page, 'kiosk.report'), T).toEqual([{ kind: 'camera', code }]);
    expect(await page.getByTestId('kiosk-find-start').isVisible()).toBe(true);
    expect(await page.getByTestId('kiosk-idcard-start').isVisible()).toBe(true);
    await screenshot(page, 'failure-camera-scanner');
    await close();
  }, 120_000);

  it('counts down when idle and resets to the welcome screen with nothing personal left', async () => {
    const { page, problems, close } = await openKiosk({ settings: { idleResetS: 10, countdownS: 5 } });
    await page.locator('[data-testid="kiosk-language"][data-language="ru"]').click();
    await read(page, 'scanner', 'QR-ANNA');
    await screen(page, 'confirm');
    expect(await text(page, 'kiosk-confirm-name')).toBe('Anna L.');
    // The countdown shows; "I'm still here" keeps the screen.
    await page.getByTestId('kiosk-countdown').waitFor(T);
    expect(await page.getByTestId('kiosk-countdown').getAttribute('role')).toBe('alert');
    expect(await text(page, 'kiosk-countdown')).toMatch(/^Вы здесь\? Возврат в начало через [1-5] с\.$/);
    await screenshot(page, 'countdown');
    await page.getByTestId('kiosk-stay').click();
    await page.getByTestId('kiosk-countdown').waitFor({ state: 'detached', timeout: 60_000 });
    expect(await page.getByTestId('kiosk').getAttribute('data-screen')).toBe('confirm');
    // Left alone: the countdown again, then the welcome screen in the default language.
    await page.getByTestId('kiosk-countdown').waitFor(T);
    await page.locator('[data-testid="kiosk"][data-screen="welcome"][data-language="en"]').waitFor(T);
    expect(await page.getByTestId('kiosk-countdown').count()).toBe(0);
    const all = (await page.locator('body').textContent()) ?? '';
    expect(all).not.toContain('Anna');
    expect(all).not.toContain('4567');
    const resets = await calls(page, 'kiosk.reset');
    expect(resets.at(-1)?.visitId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await page.evaluate(() => (window as unknown as { __kiosk: { visit(): unknown } }).__kiosk.visit())).toBeNull();
    // A pristine welcome screen stays as it is (no countdown there).
    expect(await page.getByTestId('kiosk').getAttribute('data-visit')).toBe('false');
    expect(problems.filter((p) => !/camera|getUserMedia|NotFound|NotAllowed/i.test(p))).toEqual([]);
    await close();
  }, 180_000);

  it('opens maintenance from the staff corner with a manager PIN, shows devices and alerts, and exits the kiosk', async () => {
    const { page, close } = await openKiosk({ alerts: [{ kind: 'printer', code: 'paper_out' }] });
    for (let i = 0; i < 5; i += 1) await page.getByTestId('kiosk-logo').click();
    await screen(page, 'staff');
    await page.locator('[data-testid="kiosk-staff-manager"]').filter({ hasText: 'Maria Ivanova' }).click();
    for (const d of '999999') await page.getByTestId(`kiosk-pin-digit-${d}`).click();
    expect(await page.getByTestId('kiosk-pin-value').getAttribute('data-count')).toBe('6');
    expect(await text(page, 'kiosk-pin-value')).toBe('●●●●●●');
    await page.getByTestId('kiosk-pin-enter').click();
    await page.locator('[data-testid="kiosk-staff-error"][data-code="bad_pin"]').waitFor(T);
    await screenshot(page, 'staff-pin');
    for (const d of '123456') await page.getByTestId(`kiosk-pin-digit-${d}`).click();
    await page.getByTestId('kiosk-pin-enter').click();
    await screen(page, 'maintenance');
    expect(await page.getByTestId('kiosk-maint-device').count()).toBe(2);
    expect(
      await page.locator('[data-testid="kiosk-maint-alert"][data-kind="printer"][data-code="paper_out"]').textContent(),
    ).toContain('Printer: Out of paper');
    await screenshot(page, 'maintenance');
    // Back to the kiosk, then in again and out of the kiosk.
    await page.getByTestId('kiosk-maint-close').click();
    await welcome(page);
    await page.getByTestId('kiosk-logo').dispatchEvent('pointerdown');
    await screen(page, 'staff');
    await page.locator('[data-testid="kiosk-staff-manager"]').filter({ hasText: 'Maria Ivanova' }).click();
    for (const d of '123456') await page.getByTestId(`kiosk-pin-digit-${d}`).click();
    await page.getByTestId('kiosk-pin-enter').click();
    await screen(page, 'maintenance');
    await page.getByTestId('kiosk-exit').click();
    await screen(page, 'exited');
    expect(await calls(page, 'kiosk.exit')).toEqual([{ managerId: '00000000-0000-4000-8000-000000000007' }]);
    await close();
  }, 120_000);

  it('shows managers the open kiosk alerts with a count, translated, and resolves them', async () => {
    const opened = await openPage(
      ui.browser,
      script({
        alerts: [
          { kind: 'printer', code: 'paper_out' },
          { kind: 'camera', code: 'camera_denied' },
        ],
      }),
    );
    const { page, problems, close } = opened;
    await page.goto(`${ui.origin}/?mode=manager`);
    await signInOnScreen(page, 'Maria Ivanova', '123456', 'manager');
    const rows = page.getByTestId('kiosk-alert');
    await expect.poll(() => rows.count(), T).toBe(2);
    expect(await page.getByTestId('kiosk-alerts-count').getAttribute('data-count')).toBe('2');
    expect(
      await page.locator('[data-testid="kiosk-alert"][data-code="paper_out"] [data-testid="kiosk-alert-code"]').textContent(),
    ).toBe('Out of paper');
    expect(
      await page
        .locator('[data-testid="kiosk-alert"][data-code="camera_denied"] [data-testid="kiosk-alert-terminal"]')
        .textContent(),
    ).toBe('Kiosk Hall A');
    await page.getByTestId('language-select').selectOption('zh-CN');
    expect(
      await page.locator('[data-testid="kiosk-alert"][data-code="camera_denied"] [data-testid="kiosk-alert-code"]').textContent(),
    ).toBe('摄像头权限被拒绝');
    await page.getByTestId('language-select').selectOption('ru');
    expect(
      await page.locator('[data-testid="kiosk-alert"][data-code="paper_out"] [data-testid="kiosk-alert-kind"]').textContent(),
    ).toBe('Принтер');
    await page.getByTestId('language-select').selectOption('en');
    await page.getByTestId('kiosk-alerts').screenshot({ path: join(SHOTS, 'manager-alerts.png') });
    await page.locator('[data-testid="kiosk-alert"][data-code="paper_out"] [data-testid="kiosk-alert-resolve"]').click();
    await expect.poll(() => rows.count(), T).toBe(1);
    expect(await page.getByTestId('kiosk-alerts-count').getAttribute('data-count')).toBe('1');
    // A new alert arrives (kiosk.alertsChanged): the list refreshes by itself.
    await page.evaluate(() => {
      const w = window as unknown as Hooks & { __kiosk: { emitted: { name: string; payload: unknown }[] } };
      w.__kiosk.raise('scanner', 'scanner_offline');
      for (const e of w.__kiosk.emitted.splice(0)) w.__emit(e.name, e.payload);
    });
    await expect.poll(() => rows.count(), T).toBe(2);
    expect(problems).toEqual([]);
    await close();
  }, 120_000);

  it('fits portrait and landscape kiosk screens with large, labelled targets', async () => {
    const { page, problems, close } = await openKiosk();
    const sizes = [
      { width: 1080, height: 1920, name: 'portrait' },
      { width: 1920, height: 1080, name: 'landscape' },
      { width: 1280, height: 800, name: 'small' },
    ];
    /** Layout faults on the screen now: overflow, small or unlabelled targets. */
    const faults = (live: boolean) =>
      page.evaluate((live) => {
        const out: string[] = [];
        const doc = document.documentElement;
        if (doc.scrollWidth > window.innerWidth + 1 || doc.scrollHeight > window.innerHeight + 1)
          out.push(`page overflows ${doc.scrollWidth}×${doc.scrollHeight}`);
        for (const el of document.querySelectorAll<HTMLElement>('.kiosk-body, .kiosk-body > *')) {
          if (el.scrollHeight > el.clientHeight + 2 && getComputedStyle(el).overflowY !== 'auto')
            out.push(`${el.className} overflows ${el.scrollHeight}>${el.clientHeight}`);
          if (el.scrollWidth > el.clientWidth + 2) out.push(`${el.className} overflows wide ${el.scrollWidth}>${el.clientWidth}`);
        }
        for (const b of document.querySelectorAll<HTMLElement>('.kiosk button, .kiosk input')) {
          const r = b.getBoundingClientRect();
          if (r.width === 0) continue;
          if (r.width < 63.5 || r.height < 63.5)
            out.push(`small target ${b.dataset.testid ?? b.textContent} ${r.width}×${r.height}`);
          if (r.bottom > window.innerHeight + 1 || r.right > window.innerWidth + 1)
            out.push(`off screen ${b.dataset.testid ?? b.textContent}`);
          const name = b.getAttribute('aria-label') ?? (b as HTMLInputElement).labels?.[0]?.textContent ?? b.textContent;
          if (!name?.trim()) out.push(`unlabelled ${b.dataset.testid}`);
        }
        if (live && !document.querySelector('.kiosk [role="status"], .kiosk [role="alert"]')) out.push('no live region');
        return out;
      }, live);
    for (const size of sizes) {
      await page.setViewportSize({ width: size.width, height: size.height });
      const check = async (label: string) => {
        // Screens whose content changes as the attendee acts (or that refuse) announce it.
        const live = !['candidates', 'confirm', 'info'].includes(label);
        expect({ label, size: size.name, faults: await faults(live) }).toEqual({ label, size: size.name, faults: [] });
        await screenshot(page, `${size.name}-${label}`);
      };
      await welcome(page);
      await check('welcome');
      await page.getByTestId('kiosk-find-start').click();
      await typeDigits(page, '4567');
      await check('find-digits');
      await page.getByTestId('kiosk-find-next').click();
      for (const layout of ['latin', 'cyrillic', 'chinese']) {
        await page.getByTestId(`kiosk-layout-${layout}`).click();
        await check(`find-${layout}`);
      }
      await page.getByTestId('kiosk-layout-latin').click();
      await page.locator('[data-testid="kiosk-key"][data-key="A"]').click();
      await page.getByTestId('kiosk-find-submit').click();
      await screen(page, 'candidates');
      await check('candidates');
      await page.getByTestId('kiosk-candidate').first().click();
      await check('confirm');
      await page.getByTestId('kiosk-confirm-yes').click();
      await screen(page, 'done');
      await check('done');
      await page.getByTestId('kiosk-info-open').click();
      await page.locator('[data-testid="kiosk-info"][data-source="server"]').waitFor(T);
      await check('info');
      await page.getByTestId('kiosk-finish').click();
      await welcome(page);
      await read(page, 'scanner', 'QR-UNPAID');
      await screen(page, 'refused');
      await check('refused');
      await page.getByTestId('kiosk-back').click();
      await welcome(page);
      for (let i = 0; i < 5; i += 1) await page.getByTestId('kiosk-logo').click();
      await screen(page, 'staff');
      await page.locator('[data-testid="kiosk-staff-manager"]').first().click();
      await check('staff-pin');
      await page.getByTestId('kiosk-staff-cancel').click();
    }
    // Every button has a name; the camera's status and the digits are live regions.
    expect(
      await page
        .locator('[data-testid="kiosk-camera-status"][role="status"], [data-testid="kiosk-camera-failed"][role="alert"]')
        .count(),
    ).toBe(1);
    expect(problems.filter((p) => !/camera|getUserMedia|NotFound|NotAllowed/i.test(p))).toEqual([]);
    await close();
  }, 300_000);

  it("reads a ticket's QR code from the camera (Chromium's fake video capture) and finds the attendee", async () => {
    videoDir = mkdtempSync(join(tmpdir(), 'admit-kiosk-video-'));
    const video = join(videoDir, 'qr.y4m');
    qrVideo('QR-ANNA', video);
    cameraBrowser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--use-fake-device-for-media-stream',
        '--use-fake-ui-for-media-stream',
        `--use-file-for-fake-video-capture=${video}`,
      ],
    });
    const opened = await openPage(cameraBrowser, script({}));
    const { page, problems, close } = opened;
    await page.context().grantPermissions(['camera'], { origin: ui.origin });
    await page.goto(`${ui.origin}/?mode=kiosk`);
    await signInOnScreen(page, 'Kiosk 1', '246810', 'kiosk');
    // The picture is live, then the code is read and the attendee asked "Is this you?".
    const camera = page.locator('[data-testid="kiosk-camera"]');
    await camera.and(page.locator('[data-state="live"]')).waitFor(T);
    expect(await text(page, 'kiosk-camera-status')).toBe('Hold your code inside the frame');
    await screenshot(page, 'camera-live');
    await screen(page, 'confirm');
    expect(await text(page, 'kiosk-confirm-name')).toBe('Anna L.');
    expect(await calls(page, 'kiosk.code')).toEqual([{ code: 'QR-ANNA', by: 'camera' }]);
    expect(await calls(page, 'kiosk.report')).toEqual([]);
    await screenshot(page, 'camera-read-confirm');
    expect(problems).toEqual([]);
    await close();
  }, 180_000);
});
