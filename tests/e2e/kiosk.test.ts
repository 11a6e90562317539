// The self-service kiosk in Debian's Chromium, every part real (tests/helpers/kiosk-stage.ts): the built
// renderer served by service mode's bridge from a kiosk core on real SQLite, paired with a server on
// PGlite; a serial scanner and an ID-card reader simulator on PTYs, an Evolis card-printer simulator over
// TCP, and a fake camera playing a phone held up with a QR code on its screen. Attendees check themselves
// in: in English, Chinese and Russian (the choice changes the screen's words) by scanning their code —
// confirm, checked in, the badge at the printer carries a QR code of their ticket; by holding their phone
// up to the camera; by their phone's last digits and their name's first letters; by tapping their ID
// card; and look up what is next (seat, room, hotel, agenda, meal voucher). An unpaid ticket is sent to
// the help desk and managers see an alert; so is the printer running out of cards. Left alone, the
// kiosk counts down and returns to its welcome screen with nothing of the attendee left. Portrait
// (1080×1920) and landscape (1920×1080) screens; screenshots go to artifacts/e2e/kiosk/.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { and, eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskName, type KioskLanguage } from '../../domain/kiosk-wire';
import { decodeQrFromPng, SAMPLE_ID_CARD } from '../../drivers/simulators';
import { checkins, kioskAlerts } from '../../server/src/db/schema';
import { en } from '../../renderer/src/i18n/locales/en';
import { ru } from '../../renderer/src/i18n/locales/ru';
import { zhCN } from '../../renderer/src/i18n/locales/zh-CN';
import { CAST, CHROMIUM, KIOSK_OPERATOR, MANAGER, startKioskStage, type KioskStage, type Who } from '../helpers/kiosk-stage';
import { openTerminalDb } from '../helpers/terminal-db';
import { waitFor } from '../helpers/wait';

const ROOT = resolve(__dirname, '../..');
const SHOTS = join(ROOT, 'artifacts', 'e2e', 'kiosk');
const POLL = { timeout: 120_000 };
const LONG = 120_000;
const CASE = 240_000;
const PORTRAIT = { width: 1080, height: 1920 };
const LANDSCAPE = { width: 1920, height: 1080 };
const WORDS = { en: en.kiosk, 'zh-CN': zhCN.kiosk, ru: ru.kiosk } as const;
const LANGUAGES: KioskLanguage[] = ['en', 'zh-CN', 'ru'];

describe.skipIf(!existsSync(CHROMIUM))('the self-service kiosk (Chromium, scanner, ID-card reader, camera, Evolis printer)', () => {
  let stage: KioskStage;
  let page: Page;
  let shot = 0;
  /** The codes each printed card's QR decodes to, by the simulator's job id. */
  const decoded = new Map<number, string[]>();

  const screenshot = async (name: string, on: Page = page) => {
    shot += 1;
    await on.screenshot({ path: join(SHOTS, `${String(shot).padStart(2, '0')}-${name}.png`) });
  };
  const kiosk = () => page.getByTestId('kiosk');
  const onScreen = async (name: string) => page.locator(`[data-testid="kiosk"][data-screen="${name}"]`).waitFor(POLL);
  /** Back to the welcome screen, whatever a failed case left (each case starts there). */
  async function home() {
    const screen = await kiosk().getAttribute('data-screen');
    if (screen !== 'welcome') {
      const back = page.getByTestId('kiosk-back').or(page.getByTestId('kiosk-finish')).or(page.getByTestId('kiosk-confirm-no')).or(page.getByTestId('kiosk-maint-close')).or(page.getByTestId('kiosk-staff-cancel'));
      if ((await back.count()) > 0) await back.first().click();
    }
    await onScreen('welcome');
  }
  /** The alert the kiosk pushed to the server, once there. */
  async function serverAlert(kind: string, code: string) {
    const find = async () => (await stage.db.db.select().from(kioskAlerts).where(and(eq(kioskAlerts.kind, kind), eq(kioskAlerts.code, code))))[0];
    await waitFor(async () => (await find()) !== undefined, LONG, `the ${kind} ${code} alert at the server`);
    return (await find())!;
  }
  /** The event's kiosk settings as the kiosk's own database holds them (replicated from the server). */
  function kioskSettingsAtKiosk(): { idleResetS: number } | null {
    const local = openTerminalDb(join(stage.work, 'kiosk'), { readonly: true });
    try {
      const row = local.prepare('select settings from kiosk_settings where event_id = ?').get(stage.eventId) as { settings: string } | undefined;
      return row ? (JSON.parse(row.settings) as { idleResetS: number }) : null;
    } finally {
      local.close();
    }
  }
  const title = () => page.locator('[data-testid="kiosk"] h1').first().textContent();
  /** The cards printed so far whose QR code decodes to `code`. */
  async function cardsFor(code: string): Promise<number> {
    let n = 0;
    for (const job of stage.printer.jobs) {
      if (!decoded.has(job.id)) decoded.set(job.id, await decodeQrFromPng(job.png));
      if (decoded.get(job.id)!.includes(code)) n += 1;
    }
    return n;
  }
  async function chooseLanguage(lang: KioskLanguage) {
    await page.locator(`[data-testid="kiosk-language"][data-language="${lang}"]`).click();
    await expect.poll(() => kiosk().getAttribute('data-language'), POLL).toBe(lang);
    await expect.poll(title, POLL).toBe(WORDS[lang].welcome.title);
  }
  async function signInKiosk(on: Page) {
    await on.getByTestId('login-screen').waitFor(POLL);
    await on.getByTestId('operator-option').filter({ hasText: KIOSK_OPERATOR.name }).click();
    for (const d of KIOSK_OPERATOR.pin) await on.getByTestId(`pin-digit-${d}`).click();
    await on.getByTestId('pin-enter').click();
    await on.locator('[data-testid="kiosk"][data-screen="welcome"]').waitFor(POLL);
  }
  /** What the screen shows that it must not: the attendee's full name, phone or ID number. */
  async function expectMasked(who: Who) {
    const text = (await page.locator('body').innerText()).replace(/\s+/g, ' ');
    const a = CAST[who];
    if (a.name.includes(' ')) expect(text).not.toContain(a.name);
    expect(text.replace(/\D/g, '')).not.toContain(a.phone.replace(/\D/g, ''));
    if ('idNumber' in a) expect(text).not.toContain(a.idNumber);
  }
  /** From the confirm screen: "yes", checked in, the badge printed with the ticket's code in its QR. */
  async function confirmAndPrint(who: Who, lang: KioskLanguage, tag: string) {
    const before = await cardsFor(stage.tickets[who].code);
    await page.getByTestId('kiosk-confirm-yes').click();
    await onScreen('done');
    const done = page.getByTestId('kiosk-done');
    expect(await done.getAttribute('data-check-in')).toBe('admitted');
    expect(await done.getAttribute('data-print-state')).toBe('printed');
    expect(await page.getByTestId('kiosk-take-badge').textContent()).toBe(WORDS[lang].done.takeBadge);
    await waitFor(async () => (await cardsFor(stage.tickets[who].code)) === before + 1, LONG, `${who}'s badge at the printer`);
    await screenshot(`${tag}-done-${lang}`);
  }

  beforeAll(async () => {
    stage = await startKioskStage({ shots: SHOTS });
    ({ page } = await stage.openPage(PORTRAIT));
    await signInKiosk(page);
  }, 480_000);

  afterAll(async () => {
    await stage?.close();
  });

  it("speaks each language: the choice changes the screen's words, and the camera is live in each", async () => {
    // The event's default language first.
    expect(await kiosk().getAttribute('data-language')).toBe('en');
    const order = await page.getByTestId('kiosk-language').evaluateAll((els) => els.map((e) => e.getAttribute('data-language')));
    expect(order[0]).toBe('en');
    expect([...order].sort()).toEqual([...LANGUAGES].sort());
    for (const lang of LANGUAGES) {
      await chooseLanguage(lang);
      expect(await page.locator('[data-testid="kiosk"]').getAttribute('lang')).toBe(lang);
      expect(await page.locator(`[data-testid="kiosk-language"][data-language="${lang}"]`).getAttribute('aria-pressed')).toBe('true');
      expect(await page.getByTestId('kiosk-find-start').innerText()).toContain(WORDS[lang].welcome.find);
      await expect.poll(() => page.getByTestId('kiosk-camera').getAttribute('data-state'), POLL).toBe('live');
      await expect.poll(async () => Number(await page.getByTestId('kiosk-camera').getAttribute('data-frames')), POLL).toBeGreaterThan(2);
      expect(await page.getByTestId('kiosk-camera-status').textContent()).toBe(WORDS[lang].camera.hold);
      await screenshot(`welcome-${lang}-portrait`);
    }
    // The three screens say different things.
    expect(new Set(LANGUAGES.map((l) => WORDS[l].welcome.title)).size).toBe(3);
    await page.setViewportSize(LANDSCAPE);
    await chooseLanguage('en');
    await screenshot('welcome-en-landscape');
    await page.setViewportSize(PORTRAIT);
  }, CASE);

  for (const [lang, who] of [
    ['en', 'alexandra'],
    ['zh-CN', 'wang'],
    ['ru', 'ivanov'],
  ] as const) {
    it(`checks in and prints the badge of a code from the scanner (${lang})`, async () => {
      await home();
      await chooseLanguage(lang);
      await stage.scanner.scan(stage.tickets[who].code, 'CR');
      await onScreen('confirm');
      expect(await title()).toBe(WORDS[lang].confirm.title);
      expect(await page.getByTestId('kiosk-confirm-name').textContent()).toBe(maskName(CAST[who].name));
      expect(await page.getByTestId('kiosk-confirm-phone').textContent()).toMatch(new RegExp(`${CAST[who].phone.slice(-4)}$`));
      await expectMasked(who);
      await screenshot(`scanner-confirm-${lang}`);
      await confirmAndPrint(who, lang, 'scanner');
      if (who === 'alexandra') {
        // What is next for her: the organizer's seat, room, hotel and agenda, and today's meal voucher.
        await page.getByTestId('kiosk-info-open').click();
        await onScreen('info');
        await expect.poll(() => page.getByTestId('kiosk-info').getAttribute('data-source'), POLL).not.toBe('');
        const kinds = await page.getByTestId('kiosk-info-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
        expect(kinds).toEqual(['seat', 'room', 'hotel']);
        const info = await page.getByTestId('kiosk-info').innerText();
        for (const text of ['Hall B, row 7, seat 12', '1204', 'Hotel Adlon', 'Keynote', 'Plenary hall']) expect(info).toContain(text);
        expect(await page.getByTestId('kiosk-next-item').count()).toBe(1);
        const meal = page.locator('[data-testid="kiosk-entitlement"][data-kind="meal"]');
        expect(await meal.getAttribute('data-available')).toBe('true');
        expect(await meal.getAttribute('data-used')).toBe('false');
        expect(info).toContain(WORDS.en.info.title);
        await screenshot('info-en');
        // Her check-in reaches the server.
        await waitFor(async () => (await stage.db.db.select().from(checkins).where(eq(checkins.ticketId, stage.tickets.alexandra.id))).length === 1, LONG, "Alexandra's check-in at the server");
      }
      await page.getByTestId('kiosk-finish').click();
      await onScreen('welcome');
      expect(await kiosk().getAttribute('data-visit')).toBe('false');
    }, CASE);
  }

  it("reads the code on a phone held up to the camera (landscape)", async () => {
    await page.setViewportSize(LANDSCAPE);
    await home();
    await expect.poll(() => page.getByTestId('kiosk-camera').getAttribute('data-state'), POLL).toBe('live');
    stage.holdUp(stage.tickets.bruno.code);
    await onScreen('confirm');
    stage.holdUp(null);
    expect(await page.getByTestId('kiosk-confirm-name').textContent()).toBe(maskName(CAST.bruno.name));
    await expectMasked('bruno');
    await screenshot('camera-confirm-en-landscape');
    await confirmAndPrint('bruno', 'en', 'camera');
    await page.getByTestId('kiosk-finish').click();
    await onScreen('welcome');
    await page.setViewportSize(PORTRAIT);
  }, CASE);

  it('finds an attendee by the last 4 phone digits and the first letters of the name', async () => {
    await home();
    await page.getByTestId('kiosk-find-start').click();
    await page.locator('[data-testid="kiosk-find"][data-step="phone"]').waitFor(POLL);
    for (const d of CAST.maria.phone.slice(-4)) await page.getByTestId(`kiosk-digit-${d}`).click();
    await expect.poll(() => page.getByTestId('kiosk-digits').getAttribute('data-count'), POLL).toBe('4');
    await screenshot('find-digits-en');
    await page.getByTestId('kiosk-find-next').click();
    await page.locator('[data-testid="kiosk-find"][data-step="name"]').waitFor(POLL);
    expect(await page.getByTestId('kiosk-keyboard').getAttribute('data-layout')).toBe('latin');
    for (const k of ['L', 'O']) await page.locator(`[data-testid="kiosk-key"][data-key="${k}"]`).click();
    await expect.poll(() => page.getByTestId('kiosk-name-value').textContent(), POLL).toMatch(/^lo$/i);
    await screenshot('find-name-en');
    await page.getByTestId('kiosk-find-submit').click();
    await onScreen('confirm');
    expect(await page.getByTestId('kiosk-confirm-name').textContent()).toBe(maskName(CAST.maria.name));
    await expectMasked('maria');
    await screenshot('find-confirm-en');
    await confirmAndPrint('maria', 'en', 'find');
    await page.getByTestId('kiosk-finish').click();
    await onScreen('welcome');
  }, CASE);

  it('checks in an attendee who taps their ID card (zh-CN), never showing the ID number', async () => {
    await home();
    await chooseLanguage('zh-CN');
    await page.getByTestId('kiosk-idcard-start').click();
    await onScreen('idcard');
    expect(await title()).toBe(WORDS['zh-CN'].idcard.title);
    await screenshot('idcard-zh-CN');
    stage.sam.setCard(SAMPLE_ID_CARD);
    await onScreen('confirm');
    stage.sam.setCard(null);
    expect(await page.getByTestId('kiosk-confirm-name').textContent()).toBe(maskName(CAST.zhang.name));
    await expectMasked('zhang');
    await screenshot('idcard-confirm-zh-CN');
    await confirmAndPrint('zhang', 'zh-CN', 'idcard');
    await page.getByTestId('kiosk-finish').click();
    await onScreen('welcome');
  }, CASE);

  it('sends an unpaid ticket to the help desk and alerts managers', async () => {
    // The server's change has reached the kiosk's cache.
    const local = openTerminalDb(join(stage.work, 'kiosk'), { readonly: true });
    try {
      await waitFor(() => (local.prepare('select paid from tickets where id = ?').get(stage.tickets.olga.id) as { paid: number } | undefined)?.paid === 0, LONG, "Olga's ticket unpaid at the kiosk");
    } finally {
      local.close();
    }
    for (const lang of LANGUAGES) {
      await home();
      await chooseLanguage(lang);
      await stage.scanner.scan(stage.tickets.olga.code, 'CR');
      await onScreen('refused');
      expect(await page.getByTestId('kiosk-refused').getAttribute('data-reason')).toBe('unpaid');
      expect(await title()).toBe(WORDS[lang].refusal.unpaid.title);
      await page.getByTestId('kiosk-help-desk').waitFor(POLL);
      await expectMasked('olga');
      await screenshot(`refused-unpaid-${lang}`);
      await page.getByTestId('kiosk-back').click();
    }
    await onScreen('welcome');
    expect(await cardsFor(stage.tickets.olga.code)).toBe(0);

    // The alert reaches the server (and from there every terminal of the event), with nothing personal in it.
    const alert = await serverAlert('refused', 'unpaid');
    expect(alert.ticketId).toBe(stage.tickets.olga.id);
    expect(alert.deviceId).toBe(stage.kiosk.sync.deviceId);
    expect(JSON.stringify(alert)).not.toMatch(/Olga|Petrova|4455/);
  }, CASE);

  it('sends the attendee to the help desk when the printer is out of cards, and alerts managers', async () => {
    await home();
    stage.printer.set({ feederEmpty: true });
    try {
      await printerOut();
    } finally {
      stage.printer.set({ feederEmpty: false });
    }
  }, CASE);

  async function printerOut() {
    await stage.scanner.scan(stage.tickets.peter.code, 'CR');
    await onScreen('confirm');
    await page.getByTestId('kiosk-confirm-yes').click();
    await onScreen('failure');
    const failure = page.getByTestId('kiosk-failure');
    expect(await failure.getAttribute('data-kind'), `failure ${await failure.getAttribute('data-code')}`).toBe('printer');
    expect(await failure.getAttribute('data-code')).toBe('paper_out');
    expect(await title()).toBe(WORDS.en.failure.printer.title);
    await page.getByTestId('kiosk-help-desk').waitFor(POLL);
    await expectMasked('peter');
    await screenshot('printer-out-en');
    expect(await cardsFor(stage.tickets.peter.code)).toBe(0);
    await page.getByTestId('kiosk-back').click();
    await onScreen('welcome');

    const alert = await serverAlert('printer', 'paper_out');
    expect(alert.ticketId).toBeNull();
    // The manager's screen lists both alerts.
    const { page: manager, context } = await stage.openPage(LANDSCAPE, 'manager');
    try {
      await manager.getByTestId('login-screen').waitFor(POLL);
      await manager.getByTestId('operator-option').filter({ hasText: MANAGER.name }).click();
      for (const d of MANAGER.pin) await manager.getByTestId(`pin-digit-${d}`).click();
      await manager.getByTestId('pin-enter').click();
      await manager.getByTestId('kiosk-alerts').waitFor(POLL);
      await manager.locator('[data-testid="kiosk-alert"][data-kind="printer"][data-code="paper_out"]').first().waitFor(POLL);
      await manager.locator('[data-testid="kiosk-alert"][data-kind="refused"][data-code="unpaid"]').first().waitFor(POLL);
      await manager.getByTestId('kiosk-alerts').scrollIntoViewIfNeeded();
      await screenshot('manager-alerts', manager);
    } finally {
      await context.close();
    }
  }

  it("opens the maintenance screen for staff with a manager's PIN: devices and the kiosk's alerts", async () => {
    await home();
    // The screen shows the devices as they are when it opens: the printer, refilled, back first.
    await waitFor(() => stage.kiosk.devices.list().find((d) => d.id === 'badge-printer')?.state === 'connected', LONG, 'the badge printer refilled');
    for (let i = 0; i < 5; i++) await page.getByTestId('kiosk-logo').click();
    await onScreen('staff');
    await page.getByTestId('kiosk-staff-manager').filter({ hasText: MANAGER.name }).first().click();
    for (const d of MANAGER.pin) await page.getByTestId(`kiosk-pin-digit-${d}`).click();
    await page.getByTestId('kiosk-pin-enter').click();
    await onScreen('maintenance');
    for (const kind of ['printer', 'scanner', 'id-reader']) await page.locator(`[data-testid="kiosk-maint-device"][data-kind="${kind}"][data-state="connected"]`).waitFor(POLL);
    await expect.poll(() => page.getByTestId('kiosk-maint-printer').getAttribute('data-ready'), POLL).toBe('true');
    await page.locator('[data-testid="kiosk-maint-alert"][data-kind="printer"][data-code="paper_out"]').first().waitFor(POLL);
    await page.locator('[data-testid="kiosk-maint-alert"][data-kind="refused"][data-code="unpaid"]').first().waitFor(POLL);
    await screenshot('maintenance-en');
    await page.getByTestId('kiosk-maint-close').click();
    await onScreen('welcome');
  }, CASE);

  it('counts down when left alone and returns to the welcome screen with nothing of the attendee left', async () => {
    // The event's idle time at its minimum; the kiosk takes it on at its next reset.
    await stage.admin('PUT', `/admin/v1/events/${stage.eventId}/kiosk-settings`, { idleResetS: 10, countdownS: 5, defaultLanguage: 'en', findByPhone: true, printBadge: true, helpDesk: null });
    await waitFor(() => kioskSettingsAtKiosk()?.idleResetS === 10, LONG, 'the short idle time at the kiosk');
    await home();
    await page.getByTestId('kiosk-find-start').click();
    await onScreen('find');
    await page.getByTestId('kiosk-back').click();
    await onScreen('welcome');

    await chooseLanguage('ru');
    await stage.scanner.scan(stage.tickets.ida.code, 'CR');
    await onScreen('confirm');
    const shown = [await page.getByTestId('kiosk-confirm-name').textContent(), await page.getByTestId('kiosk-confirm-phone').textContent()];
    expect(shown[0]).toBe(maskName(CAST.ida.name));
    await screenshot('idle-confirm-ru');
    // Nobody touches it: the countdown shows, then the welcome screen in the default language.
    await page.getByTestId('kiosk-countdown').waitFor(POLL);
    await screenshot('idle-countdown-ru');
    await page.locator('[data-testid="kiosk"][data-screen="welcome"][data-visit="false"]').waitFor(POLL);
    await expect.poll(() => kiosk().getAttribute('data-language'), POLL).toBe('en');
    expect(await page.getByTestId('kiosk-countdown').count()).toBe(0);
    const html = await page.content();
    for (const text of [...shown, CAST.ida.name, 'Ida']) expect(html).not.toContain(text!);
    await screenshot('idle-reset-en');
    await stage.admin('PUT', `/admin/v1/events/${stage.eventId}/kiosk-settings`, { idleResetS: 600, countdownS: 10, defaultLanguage: 'en', findByPhone: true, printBadge: true, helpDesk: null });
  }, CASE);

  it('said nothing on the console', () => {
    expect(stage.problems).toEqual([]);
  });
});
