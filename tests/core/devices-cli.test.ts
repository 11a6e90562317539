// The installer CLI (`npm run devices -- …`, scripts/devices.ts) run as a real process against real
// simulators: an ESC/POS printer on TCP, an LCUS relay, a SAM ID reader, an MRZ reader and a scanner
// on socat PTYs. Editing the terminal's configuration in its SQLite database, with clear errors for
// bad input; probing, a test page whose QR decodes, a relay pulse, and ID reads that show the name
// and a masked number only.
//
// Each command is a fresh `tsx` process, which takes seconds on a busy machine: the tests wait on the
// processes' output and exit, with room to spare, and give the devices long timeouts where they are
// expected to answer (a short one only where the point is that nothing answers).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPtyPair,
  decodeQrFromPng,
  SAMPLE_ID_CARD,
  startEscPosSimulator,
  startLcusSimulator,
  startMrzSimulator,
  startSamSimulator,
  startScannerSimulator,
  type EscPosSimulator,
  type LcusSimulator,
  type MrzSimulator,
  type PtyPair,
  type SamSimulator,
} from '../../drivers/simulators';
import { openLocalDb } from '../../electron/core/db/open';
import { loadDeviceConfigs } from '../../electron/core/devices/config';
import { Meta } from '../../electron/core/db/meta';
import { waitFor } from '../helpers/wait';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

type Run = { code: number | null; stdout: string; stderr: string };

/** A command that has not finished by then is stuck, not slow. */
const RUN_LIMIT_MS = 180_000;
/** How long a device that is there may take to answer. */
const DEVICE_TIMEOUT = ['--timeout', '60000'];
const TEST_TIMEOUT_MS = 600_000;

let dir: string;
const cleanups: Array<() => Promise<unknown> | unknown> = [];
let printer: EscPosSimulator;
let relayLine: PtyPair;
let relay: LcusSimulator;
let samLine: PtyPair;
let sam: SamSimulator;
let mrzLine: PtyPair;
let mrz: MrzSimulator;

function run(args: string[], via: 'tsx' | 'npm' = 'tsx'): Promise<Run> {
  const [cmd, argv] = via === 'npm' ? ['npm', ['run', '--silent', 'devices', '--', ...args, '--data-dir', dir]] : [TSX, ['scripts/devices.ts', ...args, '--data-dir', dir]];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd as string, argv as string[], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const limit = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`devices ${args.join(' ')} did not finish in ${RUN_LIMIT_MS} ms\n${stdout}\n${stderr}`));
    }, RUN_LIMIT_MS);
    child.on('error', (e) => {
      clearTimeout(limit);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(limit);
      resolve({ code, stdout, stderr });
    });
  });
}
const json = (r: Run) => JSON.parse(r.stdout) as Record<string, unknown>;
const configured = () => {
  const db = openLocalDb(join(dir, 'terminal.sqlite'), 'migrations/local');
  try {
    return loadDeviceConfigs(new Meta(db.$client)).configs;
  } finally {
    db.$client.close();
  }
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'admit-cli-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  printer = await startEscPosSimulator({ port: 0 });
  cleanups.push(() => printer.close());
  relayLine = await createPtyPair({ timeoutMs: 30_000 });
  samLine = await createPtyPair({ timeoutMs: 30_000 });
  mrzLine = await createPtyPair({ timeoutMs: 30_000 });
  cleanups.push(() => relayLine.close(), () => samLine.close(), () => mrzLine.close());
  relay = await startLcusSimulator(relayLine.devicePath);
  sam = await startSamSimulator(samLine.devicePath, { card: SAMPLE_ID_CARD });
  mrz = await startMrzSimulator(mrzLine.devicePath);
  cleanups.push(() => relay.close(), () => sam.close(), () => mrz.close());
}, 300_000);

afterAll(async () => {
  for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => undefined);
});

describe('npm run devices', () => {
  it('edits the terminal configuration, refusing bad input with a clear message', async () => {
    const empty = await run(['list', '--json']);
    expect(empty.code).toBe(0);
    expect(json(empty)).toMatchObject({ configured: [], discovered: { serial: expect.any(Array), hid: expect.any(Array), usb: expect.any(Array) } });

    const notJson = await run(['add', '{"id": "p1",']);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toMatch(/not valid JSON/);

    const badPulse = await run(['add', JSON.stringify({ id: 'relay', name: 'Turnstile', kind: 'relay', driver: 'lcus', path: relayLine.hostPath, pulseMs: 2000 })]);
    expect(badPulse.code).toBe(2);
    expect(badPulse.stderr).toMatch(/pulseMs: Too big/);

    const unknownDriver = await run(['add', JSON.stringify({ id: 'x', name: 'X', kind: 'scanner', driver: 'telepathy' })]);
    expect(unknownDriver.code).toBe(2);
    expect(unknownDriver.stderr).toMatch(/driver.*Drivers: serial-scanner/s);

    const devices = [
      { id: 'printer', name: 'Till printer', kind: 'printer', driver: 'escpos', transport: { type: 'tcp', host: '127.0.0.1', port: printer.port } },
      { id: 'relay', name: 'Turnstile', kind: 'relay', driver: 'lcus', path: relayLine.hostPath, pulseMs: 250 },
      { id: 'id-card', name: 'ID reader', kind: 'id-reader', driver: 'sam-serial', path: samLine.hostPath },
      { id: 'passport', name: 'Passport reader', kind: 'id-reader', driver: 'mrz', path: mrzLine.hostPath },
      { id: 'scratch', name: 'To be removed', kind: 'scanner', driver: 'hid-pos-scanner', vendorId: '0x0c2e', productId: '0x0b87' },
    ];
    for (const d of devices) {
      const r = await run(['add', JSON.stringify(d)]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`Added ${d.id}`));
    }
    const dup = await run(['add', JSON.stringify(devices[0])]);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toMatch(/already configured.*--replace/);
    const replaced = await run(['add', JSON.stringify({ ...devices[0], name: 'Box office printer' }), '--replace', '--json']);
    expect(replaced.code).toBe(0);
    expect(json(replaced)).toMatchObject({ ok: true, replaced: { id: 'printer', name: 'Box office printer' } });

    // Hex ids were stored as numbers; defaults filled in.
    expect(configured().find((c) => c.id === 'scratch')).toMatchObject({ vendorId: 0x0c2e, productId: 0x0b87, enable: true });
    expect((await run(['remove', 'nope'])).code).toBe(1);
    const removed = await run(['remove', 'scratch']);
    expect(removed.code).toBe(0);
    expect(configured().map((c) => c.id)).toEqual(['printer', 'relay', 'id-card', 'passport']);

    const list = await run(['list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/Configured devices/);
    expect(list.stdout).toMatch(/relay\s+relay\s+lcus/);
    expect(list.stdout).toMatch(new RegExp(`printer\\s+printer\\s+escpos\\s+tcp 127\\.0\\.0\\.1:${printer.port}`));

    const usage = await run(['pulse']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/pulse needs a relay id/);
    expect((await run(['frobnicate'])).stderr).toMatch(/unknown command 'frobnicate'/);
    expect((await run(['list', '--bogus'])).code).toBe(2);
    const wrongKind = await run(['test-print', 'relay']);
    expect(wrongKind.code).toBe(2);
    expect(wrongKind.stderr).toMatch(/not a printer/);
  }, TEST_TIMEOUT_MS);

  it('probes a printer and a relay by id, and a serial port by path', async () => {
    const p = await run(['probe', 'printer', '--json', ...DEVICE_TIMEOUT]);
    expect(p.code, p.stderr).toBe(0);
    expect(json(p)).toMatchObject({ ok: true, status: { online: true, paperOut: false }, refusal: null });

    printer.setPaper('out');
    const out = await run(['probe', 'printer']);
    printer.setPaper('ok');
    expect(out.code).toBe(1);
    expect(out.stdout).toMatch(/cannot print \(paper_out\)/);

    const r = await run(['probe', 'relay', ...DEVICE_TIMEOUT]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Turnstile .* is connected: 8 channels, entry on channel 1/);

    const samProbe = await run(['probe', 'id-card', '--json', ...DEVICE_TIMEOUT]);
    expect(samProbe.code, samProbe.stderr).toBe(0);
    expect(json(samProbe)).toMatchObject({ ok: true, samId: expect.any(String) });

    // A raw serial port: whatever the device sends while we listen is shown.
    const line = await createPtyPair({ timeoutMs: 30_000 });
    cleanups.push(() => line.close());
    const scanner = await startScannerSimulator(line.devicePath);
    cleanups.push(() => scanner.close());
    const probing = run(['probe', line.hostPath, '--listen', '1500', '--json']);
    let done = false;
    void probing.then(() => (done = true));
    while (!done) {
      await scanner.scan('HELLO', 'CR').catch(() => undefined);
      await new Promise((res) => setTimeout(res, 100));
    }
    const byPath = await probing;
    expect(byPath.code, byPath.stderr).toBe(0);
    expect(json(byPath)).toMatchObject({ ok: true, opened: true, receivedText: expect.stringContaining('HELLO') });

    const missing = await run(['probe', '/dev/does-not-exist']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot open \/dev\/does-not-exist/);
    expect((await run(['probe', 'unknown-id'])).stderr).toMatch(/no device 'unknown-id'/);
  }, TEST_TIMEOUT_MS);

  it('prints a test page whose QR code decodes, and reports a printer out of paper', async () => {
    const n = printer.jobs.length;
    const r = await run(['test-print', 'printer', ...DEVICE_TIMEOUT]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Test page printed on Box office printer/);
    const job = await printer.waitForJob(n, 60_000);
    expect(job.text).toMatch(/Printer test page/);
    expect(await decodeQrFromPng(job.png)).toEqual(['ADMIT-TEST-printer']);

    printer.setPaper('out');
    const failed = await run(['test-print', 'printer']);
    printer.setPaper('ok');
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/test page not printed on Box office printer: paper_out/);
  }, TEST_TIMEOUT_MS);

  it('pulses a relay channel', async () => {
    const before = relay.pulses.length;
    const r = await run(['pulse', 'relay', '300', ...DEVICE_TIMEOUT]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Pulsed channel 1 of Turnstile for 300 ms/);
    await waitFor(() => relay.pulses.length === before + 1, 60_000, 'pulse seen by the board');
    expect(relay.pulses.at(-1)).toMatchObject({ channel: 1 });
    expect(relay.state(1)).toBe(false);
    expect((await run(['pulse', 'relay', '99999'])).code).toBe(2);
  }, TEST_TIMEOUT_MS);

  it('reads an ID card and a passport showing the name and a masked number only', async () => {
    const r = await run(['read-id', 'id-card', ...DEVICE_TIMEOUT]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Name: ${SAMPLE_ID_CARD.name}`);
    expect(r.stdout).toContain('ID number: **************002X');
    expect(r.stdout + r.stderr).not.toContain(SAMPLE_ID_CARD.idNumber);
    expect(r.stdout + r.stderr).not.toContain(SAMPLE_ID_CARD.address);

    const reading = run(['read-id', 'passport', '--json', ...DEVICE_TIMEOUT]);
    // The reader is opened by the child; keep presenting until it has read one.
    let done = false;
    void reading.then(() => (done = true));
    while (!done) {
      await mrz.present({ shape: 'TD3', documentCode: 'P', issuingState: 'D', surname: 'MUSTERMANN', givenNames: 'ERIKA', documentNumber: 'C01X00T47', nationality: 'D', birthDate: '830812', sex: 'F', expiryDate: '340415' });
      await new Promise((res) => setTimeout(res, 200));
    }
    const p = await reading;
    expect(p.code, p.stderr).toBe(0);
    expect(json(p)).toMatchObject({ ok: true, name: 'MUSTERMANN, ERIKA', documentType: 'passport', number: '*****0T47' });
    expect(p.stdout).not.toContain('C01X00T47');

    sam.setCard(null);
    const none = await run(['read-id', 'id-card', '--timeout', '1500']);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/no card on ID reader/);
    sam.setCard(SAMPLE_ID_CARD);
  }, TEST_TIMEOUT_MS);

  it('runs as the package script', async () => {
    const r = await run(['list', '--json'], 'npm');
    expect(r.code, r.stderr).toBe(0);
    expect((json(r)['configured'] as unknown[]).length).toBe(4);
  }, TEST_TIMEOUT_MS);
});
