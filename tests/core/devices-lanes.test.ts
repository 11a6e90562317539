// Lanes and print routing through a real core on SQLite, devices on socat PTYs: two scanners and two
// turnstile relays in two lanes — a scan opens only its own lane's turnstile, and its verdict keeps
// the scanner's id, lane and the driver's timestamp; a configuration without lanes keeps one lane
// that opens every turnstile; with passage contacts (Modbus RTU boards), a lane whose turnstile saw
// no passage annuls only its own check-in. Print routing by job kind is tested through a sale in
// print-queue-sale.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import { parseDeviceConfig, parseStoredConfigs, printerKinds, type DeviceConfigInput, type PrinterConfig } from '../../electron/core/devices/config';
import {
  createPtyPair,
  startLcusSimulator,
  startModbusRtuSimulator,
  startScannerSimulator,
  type LcusSimulator,
  type ModbusRtuSimulator,
  type ScannerSimulator,
} from '../../drivers/simulators';
import { waitFor } from '../helpers/wait';
import { seedTerminal, startTerminal, type TestTerminal } from './devices-fixtures';

describe('lanes', () => {
  const cleanups: Array<() => Promise<unknown> | unknown> = [];
  let t: TestTerminal;
  const later = (fn: () => Promise<unknown> | unknown) => cleanups.push(fn);
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await Promise.resolve(c()).catch(() => undefined);
  });

  const boot = async () => {
    t = await startTerminal({ printerPollMs: 0, reconnect: { initialDelayMs: 50, maxDelayMs: 400 } });
    later(() => t.close());
  };
  const line = async () => {
    const p = await createPtyPair();
    later(() => p.close());
    return p;
  };
  const scanner = async () => {
    const pty = await line();
    const sim: ScannerSimulator = await startScannerSimulator(pty.devicePath);
    later(() => sim.close());
    return { path: pty.hostPath, sim };
  };
  const lcus = async () => {
    const pty = await line();
    const sim: LcusSimulator = await startLcusSimulator(pty.devicePath);
    later(() => sim.close());
    return { path: pty.hostPath, sim };
  };
  const modbus = async () => {
    const pty = await line();
    const sim: ModbusRtuSimulator = await startModbusRtuSimulator(pty.devicePath);
    later(() => sim.close());
    return { path: pty.hostPath, sim };
  };
  const connected = (ids: string[]) =>
    waitFor(() => ids.every((id) => t.core.devices.list().find((d) => d.id === id)?.state === 'connected'), 8000, `${ids.join(', ')} connected`);

  it('a scan opens only its own lane’s turnstile, and its verdict keeps the scanner, the lane and the driver’s time', async () => {
    await boot();
    seedTerminal(t.core.sync, [{ code: 'T-LANE-A' }, { code: 'T-LANE-B' }, { code: 'T-LANE-A2' }]);
    const [scanA, scanB, relayA, relayB] = [await scanner(), await scanner(), await lcus(), await lcus()];
    t.core.configureDevices([
      { id: 'scanner-a', name: 'Lane A scanner', kind: 'scanner', driver: 'serial-scanner', path: scanA.path, lane: 'A' },
      { id: 'scanner-b', name: 'Lane B scanner', kind: 'scanner', driver: 'serial-scanner', path: scanB.path, lane: 'B' },
      { id: 'relay-a', name: 'Lane A turnstile', kind: 'relay', driver: 'lcus', path: relayA.path, channel: 1, pulseMs: 200, lane: 'A' },
      { id: 'relay-b', name: 'Lane B turnstile', kind: 'relay', driver: 'lcus', path: relayB.path, channel: 1, pulseMs: 200, lane: 'B' },
    ]);
    await t.core.restartDevices();
    await connected(['scanner-a', 'scanner-b', 'relay-a', 'relay-b']);
    const scans: { deviceId: string; at: Date; lane: string | null }[] = [];
    t.core.devices.on('scan', (s) => void scans.push(s));

    await scanA.sim.scan('T-LANE-A', 'CR');
    await waitFor(() => relayA.sim.pulses.length === 1, 5000, 'lane A pulse');
    expect(t.verdicts[0]).toMatchObject({ code: 'T-LANE-A', admitted: true, deviceId: 'scanner-a', lane: 'A' });
    // The verdict's time is the scanner driver's, not when the gate got round to it.
    expect(t.verdicts[0]!.at).toBe(scans[0]!.at.toISOString());

    await scanB.sim.scan('T-LANE-B', 'CR');
    await waitFor(() => relayB.sim.pulses.length === 1, 5000, 'lane B pulse');
    expect(t.verdicts[1]).toMatchObject({ code: 'T-LANE-B', admitted: true, deviceId: 'scanner-b', lane: 'B' });

    await scanA.sim.scan('T-LANE-A2', 'CR');
    await waitFor(() => relayA.sim.pulses.length === 2, 5000, 'second lane A pulse');
    // Give a wrongly opened turnstile time to show.
    await new Promise((r) => setTimeout(r, 400));
    expect([relayA.sim.pulses.length, relayB.sim.pulses.length]).toEqual([2, 1]);
    expect(relayA.sim.pulses.every((p) => p.channel === 1)).toBe(true);
  });

  it('without lanes every scanner and turnstile share one lane, as before', async () => {
    await boot();
    seedTerminal(t.core.sync, [{ code: 'T-ONE-LANE' }]);
    const [scanA, relayA, relayB] = [await scanner(), await lcus(), await lcus()];
    t.core.configureDevices([
      { id: 'scanner', name: 'Scanner', kind: 'scanner', driver: 'serial-scanner', path: scanA.path },
      { id: 'relay-1', name: 'Turnstile 1', kind: 'relay', driver: 'lcus', path: relayA.path, pulseMs: 200 },
      { id: 'relay-2', name: 'Turnstile 2', kind: 'relay', driver: 'lcus', path: relayB.path, pulseMs: 200 },
    ]);
    await t.core.restartDevices();
    await connected(['scanner', 'relay-1', 'relay-2']);
    await scanA.sim.scan('T-ONE-LANE', 'CR');
    await waitFor(() => relayA.sim.pulses.length === 1 && relayB.sim.pulses.length === 1, 5000, 'both turnstiles pulsed');
    expect(t.verdicts[0]).toMatchObject({ admitted: true, deviceId: 'scanner', lane: null });
  });

  it('a lane whose turnstile saw no passage annuls only its own check-in', async () => {
    await boot();
    seedTerminal(t.core.sync, [{ code: 'T-NOSHOW-A' }, { code: 'T-WALKS-B' }]);
    const [scanA, scanB, boardA, boardB] = [await scanner(), await scanner(), await modbus(), await modbus()];
    const passage = { input: 1, pollMs: 50, debounceMs: 100, noPassageTimeoutMs: 1500 };
    t.core.configureDevices([
      { id: 'scanner-a', name: 'Lane A scanner', kind: 'scanner', driver: 'serial-scanner', path: scanA.path, lane: 'A' },
      { id: 'scanner-b', name: 'Lane B scanner', kind: 'scanner', driver: 'serial-scanner', path: scanB.path, lane: 'B' },
      { id: 'board-a', name: 'Lane A turnstile', kind: 'relay', driver: 'modbus-rtu', path: boardA.path, pulseMs: 200, passage, lane: 'A' },
      { id: 'board-b', name: 'Lane B turnstile', kind: 'relay', driver: 'modbus-rtu', path: boardB.path, pulseMs: 200, passage, lane: 'B' },
    ]);
    await t.core.restartDevices();
    await connected(['scanner-a', 'scanner-b', 'board-a', 'board-b']);
    const noPassage: { checkinId: string; lane: string | null }[] = [];
    t.core.devices.on('noPassage', (e) => void noPassage.push(e));

    // Lane B's visitor walks through: its controller's contact closes for a few polls after the pulse.
    boardB.sim.once('pulse', () => boardB.sim.setInputForReads(0, true, 6));
    await scanA.sim.scan('T-NOSHOW-A', 'CR');
    await scanB.sim.scan('T-WALKS-B', 'CR');
    await waitFor(() => t.verdicts.length === 2, 5000, 'two verdicts');
    const a = t.verdicts.find((v) => v.code === 'T-NOSHOW-A')!;
    const b = t.verdicts.find((v) => v.code === 'T-WALKS-B')!;
    expect([a.admitted, b.admitted]).toEqual([true, true]);
    await waitFor(() => t.core.checkins.checkinById(a.checkinId!)?.state === 'annulled', 8000, 'lane A check-in annulled');
    expect(noPassage).toEqual([{ checkinId: a.checkinId, lane: 'A' }]);
    // Lane B's check-in stands; each board was opened once, for its own lane.
    await new Promise((r) => setTimeout(r, 300));
    expect(t.core.checkins.checkinById(b.checkinId!)?.state).toBe('local');
    expect([boardA.sim.pulses.length, boardB.sim.pulses.length]).toEqual([1, 1]);
  });
});

describe('lane and printer-kind configuration', () => {
  it('validates lanes and kinds, and a printer without kinds takes what its protocol prints', () => {
    const ok = parseStoredConfigs([
      { id: 's', name: 'Scanner', kind: 'scanner', driver: 'serial-scanner', path: '/dev/ttyACM0', lane: 'north-1' },
      { id: 'p', name: 'Printer', kind: 'printer', driver: 'escpos', transport: { type: 'tcp', host: '10.0.0.5' } },
      { id: 'l', name: 'Labels', kind: 'printer', driver: 'tspl', transport: { type: 'tcp', host: '10.0.0.6' } },
      { id: 'r', name: 'Receipts only', kind: 'printer', driver: 'star', kinds: ['receipt'], transport: { type: 'tcp', host: '10.0.0.7' } },
    ] satisfies DeviceConfigInput[]);
    expect(ok.problems).toEqual([]);
    const printers = ok.configs.filter((c): c is PrinterConfig => c.kind === 'printer');
    expect(printers.map((p) => [p.id, printerKinds(p)])).toEqual([
      ['p', ['receipt', 'ticket']],
      ['l', ['label']],
      ['r', ['receipt']],
    ]);
    const bad = (raw: unknown) => {
      const r = parseDeviceConfig(raw);
      return r.ok ? [] : r.issues;
    };
    expect(bad({ id: 's', name: 'S', kind: 'scanner', driver: 'serial-scanner', path: '/dev/x', lane: 'no spaces' }).join()).toMatch(/lane/);
    expect(bad({ id: 'p', name: 'P', kind: 'printer', driver: 'escpos', kinds: ['ticket', 'ticket'], transport: { type: 'tcp', host: 'h' } }).join()).toMatch(/kinds/);
    expect(bad({ id: 'p', name: 'P', kind: 'printer', driver: 'escpos', kinds: ['tickets'], transport: { type: 'tcp', host: 'h' } }).join()).toMatch(/kinds/);
    // Printers have no lane, relays no kinds.
    expect(bad({ id: 'p', name: 'P', kind: 'printer', driver: 'escpos', lane: 'A', transport: { type: 'tcp', host: 'h' } })).not.toEqual([]);
    expect(bad({ id: 'r', name: 'R', kind: 'relay', driver: 'lcus', path: '/dev/x', kinds: ['ticket'] })).not.toEqual([]);
  });
});
