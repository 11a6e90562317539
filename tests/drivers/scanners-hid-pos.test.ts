// HID POS scanners: hex fixtures for the report format and reassembly, then the driver against the
// scanner simulator through the simulated HID transport.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  HID_POS_ENABLE_FEATURE,
  HID_POS_MORE_OFFSET,
  HID_POS_REPORT_LENGTH,
  HidPosAssembler,
  aimFor,
  describeAim,
  encodeHidPosReports,
  parseHidPosReport,
  type HidPosEvent,
} from '../../drivers/scanners/hid-pos';
import { openHidPosScanner, type HidPosScanEvent, type HidPosScanner, type HidPosScannerError } from '../../drivers/scanners/hid-pos-scanner';
import { createHidPosSimulator, type HidPosSimulator } from '../../drivers/scanners/hid-pos-simulator';
import type { ConnectionStatus } from '../../drivers/errors';
import { hex, prng, randomBytes, sleep, stallEventLoop, toHex, waitFor } from './helpers';

/** A 64-byte report (report id first) from a hex prefix, zero-padded, with the "more" byte. */
const report = (prefix: string, more = 0) => {
  const r = Buffer.alloc(64);
  hex(prefix).copy(r);
  r[63] = more;
  return r;
};
const summary = (es: HidPosEvent[]) => es.map((e) => (e.kind === 'scan' ? `${e.symbology}:${e.code}` : e.code));

describe('HID POS reports', () => {
  it('decodes report 0x02: [id][len][AIM]data, "more" at byte 63 (62 + the report id)', () => {
    const r = report('02 05 5d 51 31 54 2d 30 30 31');
    const p = parseHidPosReport(r);
    expect(p).toEqual({ ok: true, value: { length: 5, aim: ']Q1', data: Buffer.from('T-001'), more: false } });
    expect(HID_POS_MORE_OFFSET).toBe(63);
    const m = parseHidPosReport(report('02 01 5d 51 31 41', 1));
    expect(m.ok === true && m.value.more).toBe(true);
  });

  it('ignores other report ids', () => {
    expect(parseHidPosReport(hex('04 01 02'))).toEqual({ ok: 'ignored' });
    expect(new HidPosAssembler().push(hex('01 00 00'))).toEqual([]);
  });

  it('encodes a scan the way a scanner sends it, splitting at 56 bytes', () => {
    const [one] = encodeHidPosReports('T-001', ']Q1');
    expect(one!.length).toBe(HID_POS_REPORT_LENGTH);
    expect(toHex(one!.subarray(0, 10))).toBe('02 05 5d 51 31 54 2d 30 30 31');
    expect(one![63]).toBe(0);
    const long = 'X'.repeat(56) + 'YZ';
    const rs = encodeHidPosReports(long, ']d1');
    expect(rs.map((r) => [r[1], r[63]])).toEqual([
      [56, 1],
      [2, 0],
    ]);
    expect(toHex(rs[1]!.subarray(0, 7))).toBe('02 02 5d 64 31 59 5a');
  });

  it('maps AIM ids to symbologies', () => {
    expect(describeAim(']Q1')).toEqual({ aim: ']Q1', symbology: 'QR', gs1: false });
    expect(describeAim(']E0').symbology).toBe('EAN/UPC');
    expect(describeAim(']C0').symbology).toBe('Code128');
    expect(describeAim(']C1')).toEqual({ aim: ']C1', symbology: 'Code128', gs1: true });
    expect(describeAim(']d2')).toEqual({ aim: ']d2', symbology: 'DataMatrix', gs1: true });
    expect(describeAim(']L0').symbology).toBe('PDF417');
    expect(describeAim(']A0').symbology).toBe('Code39');
    expect(describeAim(']I0').symbology).toBe('ITF');
    expect(describeAim(']z0').symbology).toBe('Aztec');
    expect(describeAim(']W0').symbology).toBe('Unknown');
    expect(describeAim('').symbology).toBe('Unknown');
    expect(aimFor('DataMatrix', '1')).toBe(']d1');
  });

  it('reassembles a multi-report code', () => {
    const payload = 'https://admit.example/t/' + 'A1B2C3D4'.repeat(20); // 184 bytes → 4 reports
    const a = new HidPosAssembler();
    const out = encodeHidPosReports(payload, ']Q1').flatMap((r, i) => a.push(r, i));
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ kind: 'scan', code: payload, symbology: 'QR', reports: 4 });
  });

  it('keeps GS (0x1D) in GS1 codes but rejects other control bytes', () => {
    const gs1 = Buffer.from('0109501101530003\x1d10ABC', 'latin1');
    expect(summary(new HidPosAssembler().push(encodeHidPosReports(gs1, ']d2')[0]!))).toEqual(['DataMatrix:0109501101530003\x1d10ABC']);
    expect(summary(new HidPosAssembler().push(report('02 03 5d 51 31 41 00 42')))).toEqual(['garbled']);
  });

  it.each([
    ['02 05 5d 51', 'truncated'], // shorter than the header
    ['02 09 5d 51 31 41 42', 'truncated'], // length says 9, report ends (short report, no padding)
    ['02 39 5d 51 31 41', 'bad_length'], // 57 > 56
    ['02 02 00 ff 31 41 42', 'garbled'], // no AIM id where one must be
    ['02 02 5d 51 31 c3 28', 'garbled'], // invalid UTF-8
    ['02 00 5d 51 31', 'bad_length'], // empty code
  ])('rejects %s as %s', (r, code) => {
    const b = hex(r);
    const events = new HidPosAssembler().push(b.length >= 5 && code !== 'truncated' ? report(r) : b);
    expect(summary(events)).toEqual([code]);
  });

  it('reports a code whose tail never came, and a broken report inside a code', () => {
    const a = new HidPosAssembler({ idleTimeoutMs: 100 });
    const [first] = encodeHidPosReports('Y'.repeat(60));
    expect(a.push(first!, 0)).toEqual([]);
    expect(a.pending).toBe(1);
    expect(a.flushIdle(50)).toEqual([]);
    expect(summary(a.flushIdle(100))).toEqual(['incomplete']);
    a.push(first!, 200);
    expect(summary(a.push(hex('02 05'), 210))).toEqual(['incomplete', 'truncated']);
    // A new code with another AIM id ends the old one as incomplete, and still decodes.
    a.push(first!, 300);
    expect(summary(a.push(encodeHidPosReports('OK', ']C0')[0]!, 310))).toEqual(['incomplete', 'Code128:OK']);
  });

  it('rejects an overlong code once and skips the rest of it', () => {
    const a = new HidPosAssembler({ maxLength: 100 });
    const rs = encodeHidPosReports('Z'.repeat(300));
    expect(summary(rs.flatMap((r) => a.push(r)))).toEqual(['too_long']);
    expect(summary(a.push(encodeHidPosReports('NEXT')[0]!))).toEqual(['QR:NEXT']);
  });

  it('never throws on random reports', () => {
    const rand = prng(0x8c02);
    const a = new HidPosAssembler({ maxLength: 500 });
    for (let i = 0; i < 3000; i++) {
      const r = randomBytes(rand, Math.floor(rand() * 70));
      if (r.length > 0 && rand() < 0.7) r[0] = 0x02;
      if (r.length > 2 && rand() < 0.5) r[1] = Math.floor(rand() * 57);
      for (const e of a.push(r, i)) {
        if (e.kind === 'error') expect(['truncated', 'bad_length', 'garbled', 'too_long', 'incomplete']).toContain(e.code);
      }
      a.flushIdle(i + 1000);
    }
  });
});

describe('HID POS scanner driver over the simulated HID transport', () => {
  let sim: HidPosSimulator;
  let scanner: HidPosScanner;
  let scans: HidPosScanEvent[];
  let errors: HidPosScannerError[];
  let statuses: ConnectionStatus[];

  beforeEach(async () => {
    sim = createHidPosSimulator({ requireEnable: true, onTrigger: () => 'ON-TRIGGER' });
    scans = [];
    errors = [];
    statuses = [];
    scanner = openHidPosScanner({ open: sim.opener(), idleTimeoutMs: 150, maxLength: 1000, initialDelayMs: 20 });
    scanner.on('scan', (s) => scans.push(s));
    scanner.on('error', (e) => errors.push(e));
    scanner.on('status', (s) => statuses.push(s));
    await waitFor(() => scanner.status === 'connected', 3000, 'scanner connected');
  });

  afterEach(async () => {
    await scanner.close();
  });

  it('switches the scanner into HID POS mode and decodes scans of several symbologies', async () => {
    expect(statuses).toEqual(['connecting', 'connected']);
    expect(sim.enabled).toBe(true);
    expect(sim.device?.features.map(toHex)).toEqual([toHex(HID_POS_ENABLE_FEATURE)]);
    const long = 'https://admit.example/t/' + 'Q'.repeat(200);
    expect(await sim.scan('T-000123', 'QR')).toBe(true);
    await sim.scan('4006381333931', 'EAN/UPC');
    await sim.scan('票-42 ✓', 'Code128');
    await sim.scan(long, 'DataMatrix');
    await waitFor(() => scans.length === 4, 3000, 'four scans');
    expect(scans.map((s) => [s.code, s.symbology, s.aim])).toEqual([
      ['T-000123', 'QR', ']Q1'],
      ['4006381333931', 'EAN/UPC', ']E0'],
      ['票-42 ✓', 'Code128', ']C0'],
      [long, 'DataMatrix', ']d0'],
    ]);
    expect(scans[0]!.at).toBeInstanceOf(Date);
    expect(errors).toEqual([]);
  });

  it('reports malformed reports as coded errors and keeps scanning', async () => {
    const cases: Array<{ send: () => Promise<unknown>; code: string }> = [
      { send: () => sim.sendReports([0x02, 0x05, 0x5d]), code: 'truncated' }, // truncated header
      { send: () => sim.sendReports(report('02 40 5d 51 31 41')), code: 'bad_length' }, // length 64 > 56
      { send: () => sim.sendReports(report('02 04 de ad be ef 00 01 02 03')), code: 'garbled' }, // garbage
      { send: () => sim.sendReports(report('02 02 5d 51 31 ff fe')), code: 'garbled' }, // invalid UTF-8
      { send: () => sim.sendReports(...encodeHidPosReports('W'.repeat(1200))), code: 'too_long' }, // overlong
      { send: () => sim.sendReports(encodeHidPosReports('V'.repeat(80))[0]!), code: 'incomplete' }, // tail never comes
    ];
    for (const [i, c] of cases.entries()) {
      await c.send();
      await waitFor(() => errors.length === i + 1, 3000, `error for case ${i}`);
      expect(errors[i]!.code).toBe(c.code);
      await sim.scan(`GOOD-${i}`);
      await waitFor(() => scans.length === i + 1, 3000, `good scan ${i}`);
      expect(scans[i]!.code).toBe(`GOOD-${i}`);
    }
    await sleep(200);
    expect(errors.map((e) => e.code)).toEqual(cases.map((c) => c.code));
  });

  it('keeps a multi-report code whole when the event loop stalls between its reports', async () => {
    const [first, second] = encodeHidPosReports('S'.repeat(60));
    await sim.device!.sendReport(first!); // seen: the idle timer (150 ms) runs from here
    const tail = sim.device!.sendReport(second!); // delivered on the loop's next turn…
    stallEventLoop(400); // …which begins with the overdue idle timer
    await tail;
    await waitFor(() => scans.length === 1, 3000, 'the whole code');
    expect(scans.map((s) => s.code)).toEqual(['S'.repeat(60)]);
    expect(errors).toEqual([]);
  });

  it('drops the rest of an overlong code even when its reports pause', async () => {
    const reports = encodeHidPosReports('W'.repeat(1200)); // maxLength 1000: too long after 18 reports
    await sim.sendReports(...reports.slice(0, 19));
    await waitFor(() => errors.length === 1, 3000, 'too_long');
    expect(errors[0]!.code).toBe('too_long');
    await sleep(300); // twice the idle timeout, far less than the discard window
    await sim.sendReports(...reports.slice(19));
    await sim.scan('NEXT');
    await waitFor(() => scans.length === 1, 3000, 'the next scan');
    await sleep(200);
    expect(scans.map((s) => s.code)).toEqual(['NEXT']);
    expect(errors.map((e) => e.code)).toEqual(['too_long']);
  });

  it('sends the software trigger', async () => {
    await scanner.trigger();
    await waitFor(() => scans.length === 1, 3000, 'scan after trigger');
    expect(sim.triggers).toBe(1);
    expect(scans[0]!.code).toBe('ON-TRIGGER');
  });

  it('reopens and re-enables the scanner after it is unplugged and plugged back in', async () => {
    await sim.scan('BEFORE');
    await waitFor(() => scans.length === 1);
    await sim.unplug();
    await waitFor(() => scanner.status === 'disconnected', 3000, 'disconnected');
    expect(errors.some((e) => e.code === 'io')).toBe(true);
    await expect(scanner.trigger()).rejects.toMatchObject({ code: 'io' });
    await sleep(100); // a few failed re-opens while unplugged
    expect(errors.filter((e) => e.code === 'not_found')).toHaveLength(1); // reported once per outage
    sim.replug();
    await waitFor(() => scanner.status === 'connected', 8000, 'reconnected');
    expect(sim.enabled).toBe(true);
    await sim.scan('AFTER');
    await waitFor(() => scans.length === 2, 3000, 'scan after replug');
    expect(scans.map((s) => s.code)).toEqual(['BEFORE', 'AFTER']);
    expect(statuses.at(-1)).toBe('connected');
  });
});

describe('HID POS scanner that refuses the mode switch', () => {
  it('reports enable_failed and still scans', async () => {
    const sim = createHidPosSimulator({ refuseEnable: true });
    const scanner = openHidPosScanner({ transport: sim.connect() });
    const errors: HidPosScannerError[] = [];
    const scans: string[] = [];
    scanner.on('error', (e) => errors.push(e));
    scanner.on('scan', (s) => scans.push(s.code));
    await waitFor(() => scanner.status === 'connected', 3000);
    expect(errors.map((e) => e.code)).toEqual(['enable_failed']);
    await sim.scan('STILL-WORKS');
    await waitFor(() => scans.length === 1);
    expect(scans).toEqual(['STILL-WORKS']);
    // A fixed transport is not reopened when it goes away.
    await sim.unplug();
    await waitFor(() => scanner.status === 'disconnected');
    await scanner.close();
  });
});
