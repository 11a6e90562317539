// A real event set up from nothing, the way an organizer does it, every part a real process: a fresh
// PostgreSQL cluster, the server started without the demo (`server/src/main.ts`, which prints the first
// admin's one-time PIN and a pairing code), and two terminals in service mode (`dist/service`) driven in
// Debian's Chromium. The admin desk is paired on its pairing screen; the Administrator signs in with the
// printed PIN and, in admin mode only, creates three operators, an event on Shanghai's clock with a
// session, two ticket types sharing a quota (one with an early-bird sale window), a registration form
// with a conditional field, two check-in points, and a pairing code; then imports a GBK CSV and an XLSX.
// A second terminal, paired with the code read off the admin's screen and assigned to a point, admits
// imported attendees by their external code, by phone digits and by their ID card on a SAM reader
// (simulator on a PTY), and refuses the attendee whose session is another day. The server's database
// holds exactly those check-ins. Screenshots go to artifacts/e2e/admin-setup/.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import pg from 'pg';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instantToZoned } from '../../domain/zoned-time';
import { createPtyPair, SAMPLE_ID_CARD, startSamSimulator, type PtyPair } from '../../drivers/simulators';
import type { SamSimulator } from '../../drivers/id-readers/sam-simulator';
import { startPostgres, type RunningPostgres } from '../helpers/postgres';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = resolve(__dirname, '../..');
const SHOTS = join(ROOT, 'artifacts', 'e2e', 'admin-setup');
const ZONE = 'Asia/Shanghai';
const DAY = 86_400_000;
const POLL = { timeout: 120_000 };
const KNOWN_NOISE = [/frame-ancestors.*ignored when delivered via a <meta> element/i, /Failed to load resource/];

const GATE_PIN = '24681357';
const csv = (rows: string[][]) => rows.map((r) => r.join(',')).join('\r\n') + '\r\n';

/** Waits until `child` prints a line matching `re` and returns its first group. */
function waitForLine(child: ChildProcess, re: RegExp, what: string, timeoutMs = 180_000): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${what} did not appear:\n${out}`)), timeoutMs);
    const onData = (d: Buffer) => {
      out += String(d);
      const m = re.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        resolvePromise(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => (out += String(d)));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited (${code}) before ${what}:\n${out}`));
    });
  });
}

async function stopChild(child: ChildProcess | undefined) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}

describe.skipIf(!existsSync(CHROMIUM))('running a real event from an empty server (PostgreSQL, two terminals, Chromium)', () => {
  let work: string;
  let postgres: RunningPostgres;
  let serverProc: ChildProcess;
  let serverUrl: string;
  let firstAdminPin: string;
  let firstPairingCode: string;
  const terminals: ChildProcess[] = [];
  let browser: Browser;
  let idLine: PtyPair;
  let sam: SamSimulator;
  const problems: string[] = [];

  const startTerminal = async (name: string): Promise<string> => {
    const child = spawn(process.execPath, ['dist/service/admit-service.mjs', '--no-demo', '--data-dir', join(work, name), '--port', '0'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    terminals.push(child);
    return waitForLine(child, /Open this address[^:]*: (http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+)/, `${name}'s address`);
  };

  const openPage = async (address: string, mode: string): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    const page = await context.newPage();
    page.on('console', (m) => {
      if ((m.type() === 'error' || m.type() === 'warning') && !KNOWN_NOISE.some((re) => re.test(m.text()))) problems.push(`console.${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    const url = new URL(address);
    url.searchParams.set('mode', mode);
    await page.goto(url.toString());
    return page;
  };

  const pairOnScreen = async (page: Page, code: string, name: string) => {
    await page.getByTestId('pairing-screen').waitFor(POLL);
    await page.getByTestId('pairing-server-url').fill(serverUrl);
    await page.getByTestId('pairing-code').fill(code);
    await page.getByTestId('pairing-terminal-name').fill(name);
    await page.getByTestId('pairing-submit').click();
  };

  const signIn = async (page: Page, who: string, pin: string) => {
    const tile = page.getByTestId('operator-option').filter({ hasText: who });
    await tile.waitFor(POLL);
    await tile.click();
    for (const d of pin) await page.getByTestId(`pin-digit-${d}`).click();
    await page.getByTestId('pin-enter').click();
  };

  /** Chooses the option of a select whose text contains `text` (event options also show their date). */
  const chooseByText = async (page: Page, testId: string, text: string) => {
    const option = page.getByTestId(testId).locator('option', { hasText: text });
    await option.first().waitFor({ state: 'attached', ...POLL });
    await page.getByTestId(testId).selectOption((await option.first().getAttribute('value'))!);
  };

  const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    work = mkdtempSync(join(tmpdir(), 'admit-admin-setup-'));
    if (!existsSync(join(ROOT, 'dist/service/admit-service.mjs')) || !existsSync(join(ROOT, 'dist/renderer/index.html'))) {
      execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
    }
    postgres = await startPostgres();
    // The server as an organizer starts it: no demo, a real PostgreSQL, a pairing code for the first desk.
    serverProc = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts', '--port', '0', '--data-dir', join(work, 'server'), 'pairing-code'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: postgres.url, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const printed = Promise.all([
      waitForLine(serverProc, /Admit server listening on (http:\/\/[\d.]+:\d+)/, 'the server address'),
      waitForLine(serverProc, /PIN \(shown only now\): (\d{8})/, 'the first admin PIN'),
      waitForLine(serverProc, /Pairing code: ([A-Z0-9-]+)/, 'the pairing code'),
    ]);
    [serverUrl, firstAdminPin, firstPairingCode] = await printed;
    idLine = await createPtyPair();
    // The reader starts with no card on it: the card is laid on when the gate is ready.
    sam = await startSamSimulator(idLine.devicePath, { card: null });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    for (const t of terminals) await stopChild(t);
    await stopChild(serverProc);
    await sam?.close();
    await idLine?.close();
    await postgres?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('sets up the event in admin mode, imports attendees, and a second terminal admits them', async () => {
    const now = Date.now();
    const wall = (ms: number) => instantToZoned(new Date(ms).toISOString(), ZONE);
    const hour = (ms: number) => Math.floor(ms / 3_600_000) * 3_600_000;

    // ---- The admin desk: paired on its own screen, the Administrator signs in with the printed PIN.
    const desk = await openPage(await startTerminal('desk'), 'admin');
    await pairOnScreen(desk, firstPairingCode, 'Admin desk');
    await signIn(desk, 'Administrator', firstAdminPin);
    await desk.getByTestId('admin').waitFor(POLL);
    await desk.getByTestId('staff-list').waitFor(POLL);

    // ---- Staff: three operators.
    const staff: [string, string, string][] = [
      ['Anna Gate', 'gate', GATE_PIN],
      ['Boris Cashier', 'cashier', '13572468'],
      ['陈经理', 'manager', '97531864'],
    ];
    for (const [name, role, pin] of staff) {
      await desk.getByTestId('staff-create-name').fill(name);
      await desk.getByTestId('staff-create-role').selectOption(role);
      await desk.getByTestId('staff-create-pin').fill(pin);
      await desk.getByTestId('staff-create-pin2').fill(pin);
      await desk.getByTestId('staff-create-submit').click();
      await desk.getByTestId('staff-row').filter({ hasText: name }).waitFor(POLL);
    }
    expect(await desk.getByTestId('staff-row').count()).toBe(4);
    await shot(desk, '1-staff');

    // ---- The event, on Shanghai's clock: from yesterday to three days on.
    await desk.getByTestId('admin-nav-item').and(desk.locator('[data-section="events"]')).click();
    await desk.getByTestId('events').waitFor(POLL);
    await desk.getByTestId('event-create-name-en').fill('Tech Summit');
    await desk.getByTestId('event-create-name-zh-CN').fill('技术峰会');
    await desk.getByTestId('event-create-name-ru').fill('Технический саммит');
    await desk.getByTestId('event-create-timezone').fill(ZONE);
    await desk.getByTestId('event-create-currency').fill('CNY');
    await desk.getByTestId('event-create-starts').fill(wall(hour(now - DAY)));
    await desk.getByTestId('event-create-ends').fill(wall(hour(now + 4 * DAY)));
    await desk.getByTestId('event-create-type-name-en').fill('Full pass');
    await desk.getByTestId('event-create-type-name-zh-CN').fill('全程票');
    await desk.getByTestId('event-create-type-price').fill('800');
    await desk.getByTestId('event-create-type-capacity').fill('500');
    await desk.getByTestId('event-create-submit').click();
    await desk.getByTestId('event-page').waitFor(POLL);
    await expect.poll(() => desk.getByTestId('event-title').textContent(), POLL).toBe('Tech Summit');

    // A session two days on: day three of the summit.
    const dayThree = hour(now + 2 * DAY);
    await desk.getByTestId('session-add').click();
    await desk.getByTestId('session-name-en').fill('Day 3');
    await desk.getByTestId('session-name-zh-CN').fill('第三天');
    await desk.getByTestId('session-starts-input').fill(wall(dayThree));
    await desk.getByTestId('session-ends-input').fill(wall(dayThree + 8 * 3_600_000));
    await desk.getByTestId('session-save').click();
    const sessionRow = desk.getByTestId('session-row');
    await sessionRow.waitFor(POLL);
    const sessionId = (await sessionRow.getAttribute('data-session-id'))!;

    // A second type for that session, on sale in an early-bird window (from yesterday to tomorrow).
    await desk.getByTestId('type-add').click();
    await desk.getByTestId('type-name-en').fill('Day 3 pass');
    await desk.getByTestId('type-name-zh-CN').fill('第三天票');
    await desk.getByTestId('type-price-input').fill('300');
    await desk.getByTestId('type-capacity-input').fill('200');
    await desk.getByTestId('type-session').selectOption(sessionId);
    await desk.getByTestId('type-sale-starts').fill(wall(hour(now - DAY)));
    await desk.getByTestId('type-sale-ends').fill(wall(hour(now + DAY)));
    await desk.getByTestId('type-save').click();
    await expect.poll(() => desk.getByTestId('type-row').count(), POLL).toBe(2);
    const typeRow = (name: string) => desk.getByTestId('type-row').filter({ hasText: name });
    const fullPassId = (await typeRow('Full pass').getAttribute('data-type-id'))!;
    const dayThreeId = (await typeRow('Day 3 pass').getAttribute('data-type-id'))!;

    // One hall for both: a quota shared by the two types.
    await desk.getByTestId('quota-add').click();
    await desk.getByTestId('quota-name-en').fill('Main hall');
    await desk.getByTestId('quota-capacity-input').fill('600');
    for (const box of await desk.getByTestId('quota-type').all()) await box.check();
    await desk.getByTestId('quota-save').click();
    await desk.getByTestId('quota-row').waitFor(POLL);
    expect(await desk.getByTestId('quota-row').getAttribute('data-members')).toBe('2');
    await shot(desk, '2-event');

    // ---- A registration form for the full pass: a diet choice, and a detail shown only for "other".
    await desk.getByTestId('admin-nav-item').and(desk.locator('[data-section="forms"]')).click();
    await desk.getByTestId('admin-forms').waitFor(POLL);
    await chooseByText(desk, 'admin-forms-event', 'Tech Summit');
    await desk.getByTestId('admin-forms-type').selectOption(fullPassId);
    await desk.getByTestId('admin-forms-version').waitFor(POLL);
    await desk.getByTestId('editor-add').click();
    await desk.getByTestId('editor-0-kind').selectOption('choice');
    await desk.getByTestId('editor-0-key').fill('diet');
    await desk.getByTestId('editor-0-label-en').fill('Diet');
    await desk.getByTestId('editor-0-label-zh-CN').fill('饮食');
    const options: [string, string, string][] = [
      ['none', 'None', '无'],
      ['vegetarian', 'Vegetarian', '素食'],
      ['other', 'Other', '其他'],
    ];
    for (const [i, [value, en, zh]] of options.entries()) {
      if (i > 0) await desk.getByTestId('editor-0-add-option').click();
      await desk.getByTestId(`editor-0-option-${i}-value`).fill(value);
      await desk.getByTestId(`editor-0-option-${i}-label-en`).fill(en);
      await desk.getByTestId(`editor-0-option-${i}-label-zh-CN`).fill(zh);
    }
    await desk.getByTestId('editor-add').click();
    await desk.getByTestId('editor-1-key').fill('diet_detail');
    await desk.getByTestId('editor-1-label-en').fill('Which diet?');
    await desk.getByTestId('editor-1-showif').selectOption('diet');
    for (const [value] of options) {
      const box = desk.getByTestId(`editor-1-showif-${value}`);
      if (value === 'other') await box.check();
      else await box.uncheck();
    }
    await desk.getByTestId('preview-diet').selectOption('other');
    await desk.getByTestId('preview-diet_detail').waitFor();
    await desk.getByTestId('admin-forms-save').click();
    await desk.getByTestId('admin-forms-saved').waitFor(POLL);
    expect(await desk.getByTestId('admin-forms-version').getAttribute('data-version')).toBe('1');
    await shot(desk, '3-form');

    // ---- Two check-in points: the north gate for everyone, the VIP lounge for full passes.
    await desk.getByTestId('admin-nav-item').and(desk.locator('[data-section="points"]')).click();
    await desk.getByTestId('points').waitFor(POLL);
    await chooseByText(desk, 'points-event', 'Tech Summit');
    const createPoint = async (en: string, zh: string, onlyType: string | null) => {
      await desk.getByTestId('point-create-name-en').fill(en);
      await desk.getByTestId('point-create-name-zh-CN').fill(zh);
      if (onlyType) await desk.locator(`[data-testid="point-create-type"][value="${onlyType}"]`).check();
      await desk.getByTestId('point-create-save').click();
      const row = desk.getByTestId('point-row').filter({ hasText: en });
      await row.waitFor(POLL);
      return (await row.getAttribute('data-point-id'))!;
    };
    const northGate = await createPoint('North gate', '北门', null);
    await createPoint('VIP lounge', '贵宾室', fullPassId);
    expect(await desk.getByTestId('point-row').count()).toBe(2);
    await shot(desk, '4-points');

    // ---- A pairing code for the gate terminal, for this event.
    await desk.getByTestId('admin-nav-item').and(desk.locator('[data-section="terminals"]')).click();
    await desk.getByTestId('terminals-list').waitFor(POLL);
    await desk.locator('label', { hasText: 'Tech Summit' }).getByTestId('pairing-event').check();
    await desk.getByTestId('pairing-create').click();
    await desk.getByTestId('pairing-code').waitFor(POLL);
    const gateCode = (await desk.getByTestId('pairing-code').textContent())!.trim();
    expect(gateCode).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    await expect.poll(() => desk.getByTestId('pairing-qr').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), POLL).toBeGreaterThan(100);
    await shot(desk, '5-pairing-code');

    // ---- Import: a GBK CSV from a Chinese registration system, then an XLSX with external codes.
    await desk.getByTestId('admin-nav-item').and(desk.locator('[data-section="import"]')).click();
    await desk.getByTestId('import').waitFor(POLL);
    await chooseByText(desk, 'import-event', 'Tech Summit');
    const gbk = iconv.encode(
      csv([
        ['报名编号', '姓名', '手机', '身份证号', '票种', '饮食', '饮食说明'],
        ['S-001', SAMPLE_ID_CARD.name, '13900009876', SAMPLE_ID_CARD.idNumber, '全程票', '素食', ''],
        ['S-002', '王小明', '13812345678', '', '全程票', '其他', '不吃坚果'],
        ['S-003', '李雷', '13700002222', '', '第三天票', '', ''],
      ]),
      'gbk',
    );
    await desk.getByTestId('import-file').setInputFiles({ name: '报名表.csv', mimeType: 'text/csv', buffer: gbk });
    await desk.getByTestId('import-upload').click();
    await desk.getByTestId('import-mapping').waitFor(POLL);
    expect(await desk.getByTestId('import-detected-encoding').textContent()).toBe('gb18030 (detected)');
    const target = (column: number) => desk.getByTestId('import-target').and(desk.locator(`[data-column="${column}"]`));
    const csvTargets = ['externalId', 'name', 'phone', 'idNumber', 'ticketType', 'answers.diet', 'answers.diet_detail'];
    for (const [column, t] of csvTargets.entries()) await target(column).selectOption(t);
    await desk.getByTestId('import-check').click();
    await desk.getByTestId('import-report').waitFor(POLL);
    expect(await desk.getByTestId('import-count-bad').textContent()).toBe('0');
    expect(await desk.getByTestId('import-count-new').textContent()).toBe('3');
    await shot(desk, '6-import-csv-dry-run');
    await desk.getByTestId('import-commit').click();
    await desk.getByTestId('import-result').waitFor(POLL);
    await expect.poll(() => desk.getByTestId('import-result').getAttribute('data-status'), POLL).toBe('done');
    expect(await desk.getByTestId('import-result-committed').textContent()).toBe('3');

    await desk.getByTestId('import-restart').click();
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Attendees');
    sheet.addRow(['Registration', 'Name', 'Phone', 'Ticket', 'Ticket code']);
    sheet.addRow(['X-100', 'Ольга Петрова', '+7 903 111 2233', 'Full pass', 'SUMMIT-0001']);
    sheet.addRow(['X-101', 'Иван Сидоров', '+7 916 555 0101', 'Day 3 pass', 'SUMMIT-0003']);
    const xlsx = Buffer.from(await book.xlsx.writeBuffer());
    await desk.getByTestId('import-file').setInputFiles({ name: 'partners.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: xlsx });
    await desk.getByTestId('import-upload').click();
    await desk.getByTestId('import-mapping').waitFor(POLL);
    expect(await desk.getByTestId('import-format').textContent()).toBe('XLSX');
    for (const [column, t] of ['externalId', 'name', 'phone', 'ticketType', 'externalCode'].entries()) await target(column).selectOption(t);
    await desk.getByTestId('import-check').click();
    await desk.getByTestId('import-report').waitFor(POLL);
    expect(await desk.getByTestId('import-count-bad').textContent()).toBe('0');
    await desk.getByTestId('import-commit').click();
    await expect.poll(() => desk.getByTestId('import-result').getAttribute('data-status'), POLL).toBe('done');
    expect(await desk.getByTestId('import-result-committed').textContent()).toBe('2');
    await shot(desk, '7-import-xlsx-done');

    // ---- The gate terminal: its ID reader configured by the installer, paired with the code on screen.
    execFileSync(
      process.execPath,
      ['--import', 'tsx', 'scripts/devices.ts', 'add', JSON.stringify({ id: 'id-reader', name: 'ID reader', kind: 'id-reader', driver: 'sam-serial', path: idLine.hostPath, pollMs: 200 }), '--data-dir', join(work, 'gate')],
      { cwd: ROOT, stdio: 'pipe' },
    );
    const gate = await openPage(await startTerminal('gate'), 'gate');
    await pairOnScreen(gate, gateCode, 'North gate 1');
    await gate.getByTestId('login-screen').waitFor(POLL);

    // The admin puts it at the north gate and lets only Anna serve there.
    await desk.getByTestId('admin-nav-item').and(desk.locator('[data-section="terminals"]')).click();
    await desk.getByTestId('terminals-list').waitFor(POLL);
    const gateRow = desk.getByTestId('terminal-row').filter({ hasText: 'North gate 1' });
    await expect
      .poll(async () => {
        if ((await gateRow.count()) === 0) await desk.getByTestId('terminals-refresh').click();
        return gateRow.count();
      }, POLL)
      .toBe(1);
    await gateRow.getByTestId('terminal-edit').click();
    await desk.getByTestId('terminal-edit-point').selectOption(northGate);
    await desk.getByTestId('terminal-edit-save').click();
    await expect.poll(() => gateRow.getByTestId('terminal-point').textContent(), POLL).toContain('North gate');
    await desk.getByTestId('admin-nav-item').and(desk.locator('[data-section="points"]')).click();
    await chooseByText(desk, 'points-event', 'Tech Summit');
    const northRow = desk.getByTestId('point-row').filter({ hasText: 'North gate' });
    await northRow.getByTestId('point-staff-edit').click();
    const anna = desk.locator('label', { hasText: 'Anna Gate' }).getByTestId('point-staff-operator');
    await anna.waitFor(POLL);
    await anna.check();
    await desk.getByTestId('point-staff-save').click();
    await expect.poll(() => northRow.getByTestId('point-staff').getAttribute('data-operators'), POLL).toBe('1');

    // ---- Anna signs in at the gate.
    await signIn(gate, 'Anna Gate', GATE_PIN);
    await gate.getByTestId('gate').waitFor(POLL);
    const verdict = gate.getByTestId('verdict');

    // By phone digits: once the imported attendees have reached the terminal, the last four find 王小明.
    await expect
      .poll(async () => {
        await gate.getByTestId('search-input').fill('5678');
        await gate.getByTestId('search-submit').click();
        await gate.getByTestId('search-count').or(gate.getByTestId('search-empty')).first().waitFor(POLL);
        return gate.getByTestId('search-result').count();
      }, POLL)
      .toBe(1);
    expect(await gate.getByTestId('search-result-name').textContent()).toContain('王小明');
    await gate.getByTestId('search-admit').click();
    await expect.poll(() => verdict.getAttribute('data-reason'), POLL).toBe('ok');
    expect(await gate.getByTestId('verdict-attendee').textContent()).toContain('王小明');
    await shot(gate, '8-gate-by-phone');

    // By the external code from the XLSX, as a scanner types it.
    await gate.getByTestId('scan-input').fill('SUMMIT-0001');
    await gate.getByTestId('scan-input').press('Enter');
    await expect.poll(() => gate.getByTestId('verdict-code').textContent(), POLL).toContain('SUMMIT-0001');
    await expect.poll(() => verdict.getAttribute('data-reason'), POLL).toBe('ok');
    expect(await verdict.getAttribute('data-admitted')).toBe('true');
    await shot(gate, '9-gate-by-code');

    // By ID card: 张三 lays the card on the reader.
    sam.setCard(SAMPLE_ID_CARD);
    await expect.poll(() => gate.getByTestId('verdict-attendee').textContent(), POLL).toContain(SAMPLE_ID_CARD.name);
    expect(await verdict.getAttribute('data-reason')).toBe('ok');
    await shot(gate, '10-gate-by-id-card');
    sam.setCard(null);

    // The day-three attendee today: refused, not yet valid, and nothing admitted.
    await gate.getByTestId('scan-input').fill('SUMMIT-0003');
    await gate.getByTestId('scan-input').press('Enter');
    await expect.poll(() => gate.getByTestId('verdict-code').textContent(), POLL).toContain('SUMMIT-0003');
    await expect.poll(() => verdict.getAttribute('data-reason'), POLL).toBe('not_yet_valid');
    expect(await verdict.getAttribute('data-admitted')).toBe('false');
    await shot(gate, '11-gate-refused-day-three');

    // ---- At the server: exactly the three admitted attendees, each once, at the north gate.
    const client = new pg.Client({ connectionString: postgres.url });
    await client.connect();
    try {
      const accepted = async () =>
        (
          await client.query<{ external_id: string; point_id: string; status: string }>(
            `select t.external_id, c.point_id, c.status from checkins c join tickets t on t.id = c.ticket_id
              where t.event_id = (select event_id from ticket_types where id = $1) order by t.external_id`,
            [fullPassId],
          )
        ).rows;
      await expect.poll(async () => (await accepted()).length, POLL).toBe(3);
      expect(await accepted()).toEqual([
        { external_id: 'S-001', point_id: northGate, status: 'accepted' },
        { external_id: 'S-002', point_id: northGate, status: 'accepted' },
        { external_id: 'X-100', point_id: northGate, status: 'accepted' },
      ]);
      // The imported day-three tickets are there, never checked in; the quota counts all five.
      const quota = await client.query<{ sold: number }>(`select sold from quotas where name->>'en' = 'Main hall'`);
      expect(quota.rows[0]!.sold).toBe(5);
      const dayThreeTickets = await client.query<{ n: string }>(`select count(*) as n from tickets where ticket_type_id = $1`, [dayThreeId]);
      expect(Number(dayThreeTickets.rows[0]!.n)).toBe(2);
    } finally {
      await client.end();
    }
    expect(problems).toEqual([]);
  }, 900_000);
});
