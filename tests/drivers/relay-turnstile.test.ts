// The Turnstile over each relay board: LCUS on a PTY and a dcttech board on the simulated HID
// transport (no input: openings and emergency release only), and Modbus boards over TCP and RTU
// whose discrete input carries the passage contact — debounced passages, openings that time out
// into 'no-passage', passages nobody was let through for, and faults on the input.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nextEvent } from '../../drivers/events';
import { openLcusRelay } from '../../drivers/relays/lcus-relay';
import { startLcusSimulator, type LcusSimulator } from '../../drivers/relays/lcus-simulator';
import { openHidRelay } from '../../drivers/relays/dcttech-relay';
import { createHidRelaySimulator, type HidRelaySimulator } from '../../drivers/relays/dcttech-simulator';
import { startModbusRtuSimulator, startModbusTcpSimulator, type ModbusRtuSimulator, type ModbusTcpSimulator } from '../../drivers/relays/modbus-simulator';
import {
  createTurnstile,
  openModbusTurnstile,
  type NoPassageEvent,
  type PassageEvent,
  type Turnstile,
  type TurnstileEvents,
  type TurnstileStatus,
} from '../../drivers/relays/turnstile';
import { createPtyPair, type PtyPair } from '../../drivers/testing/pty';
import { counterOf, openModbusRelay } from '../../drivers/relays/modbus-relay';
import { waitFor } from './helpers';

const next = <K extends keyof TurnstileEvents>(gate: Turnstile, event: K, timeoutMs = 30_000) => nextEvent<TurnstileEvents, K>(gate, event, timeoutMs);

describe('turnstile over an LCUS relay (no passage input)', () => {
  let pair: PtyPair;
  let sim: LcusSimulator;
  let gate: Turnstile;

  beforeEach(async () => {
    pair = await createPtyPair();
    sim = await startLcusSimulator(pair.devicePath, { channels: 4 });
    const relay = openLcusRelay({ path: pair.hostPath, channels: 4 });
    gate = createTurnstile({ relay, channels: { in: 1, out: 2 }, pulseMs: 250 });
    await waitFor(() => gate.status.connection === 'connected', 5000, 'relay connected');
  });

  afterEach(async () => {
    await gate.close();
    await sim.close().catch(() => undefined);
    await pair.close();
  });

  it('opens with one pulse per direction, one after the other', async () => {
    expect(gate.canDetectPassage).toBe(false);
    await Promise.all([gate.open(), gate.open('out')]);
    await waitFor(() => sim.pulses.length === 2, 2000, 'two pulses');
    expect(sim.pulses.map((p) => p.channel)).toEqual([1, 2]);
    for (const p of sim.pulses) {
      expect(p.durationMs).toBeGreaterThanOrEqual(150);
    }
    // Serialised: the second contact closed only after the first opened.
    expect(sim.pulses[1]!.startedAt.getTime()).toBeGreaterThanOrEqual(sim.pulses[0]!.at.getTime());
    expect(gate.status.mode).toBe('locked');
  });

  it('holds every channel closed in an emergency, even over a pulse in progress, until release', async () => {
    const statuses: TurnstileStatus['mode'][] = [];
    gate.on('status', (s) => statuses.push(s.mode));
    const opening = gate.open();
    await waitFor(() => sim.state(1), 2000, 'pulse started');
    await gate.openAll();
    await opening;
    await waitFor(() => [1, 2, 3, 4].every((c) => sim.state(c)), 2000, 'all closed');
    // The pulse ended during the emergency: its "off" was not sent.
    expect(sim.changes.filter((c) => c.channel === 1).map((c) => c.on)).toEqual([true, true]);
    await gate.open(); // already open: nothing to do
    expect(gate.status.mode).toBe('emergency');
    await gate.release();
    await waitFor(() => [1, 2, 3, 4].every((c) => !sim.state(c)), 2000, 'all open');
    expect(statuses).toContain('emergency');
    expect(statuses.at(-1)).toBe('locked');
  });

  it('rejects a pulse outside 200–500 ms', () => {
    const relay = { channels: 1, status: 'connected' as const, set: async () => {}, setAll: async () => {}, on: () => relay, off: () => relay, close: async () => {} };
    expect(() => createTurnstile({ relay, pulseMs: 100 })).toThrow(/200..500/);
    expect(() => createTurnstile({ relay, pulseMs: 600 })).toThrow(RangeError);
    expect(() => createTurnstile({ relay, channels: { in: 2 } })).toThrow(/channel 2/);
  });
});

describe('turnstile over a dcttech USB HID relay', () => {
  let sim: HidRelaySimulator;
  let gate: Turnstile;

  beforeEach(async () => {
    sim = createHidRelaySimulator({ channels: 2 });
    gate = createTurnstile({ relay: openHidRelay({ open: sim.open }), pulseMs: 200 });
    await waitFor(() => gate.status.connection === 'connected', 3000, 'relay connected');
  });
  afterEach(async () => {
    await gate.close();
  });

  it('pulses, then holds all relays with one all-on report until release', async () => {
    await gate.open();
    expect(sim.pulses).toHaveLength(1);
    expect(sim.pulses[0]!.durationMs).toBeGreaterThanOrEqual(120);
    await gate.openAll();
    expect(sim.states).toEqual([true, true]);
    expect(sim.commands.at(-1)).toEqual({ op: 'all', on: true });
    await gate.release();
    expect(sim.states).toEqual([false, false]);
  });

  it('keeps the emergency across an unplug: the re-plugged board is opened again', async () => {
    await gate.openAll();
    await sim.unplug();
    expect(sim.states).toEqual([false, false]);
    sim.replug();
    await waitFor(() => sim.states.every(Boolean), 3000, 'emergency restored');
    expect(gate.status.mode).toBe('emergency');
  });
});

describe('turnstile over a Modbus TCP board with a passage input', () => {
  let sim: ModbusTcpSimulator;
  let gate: Turnstile;
  let passages: PassageEvent[];
  let missed: NoPassageEvent[];

  const start = async (passage: { timeoutMs?: number; inputs?: number | { in: number; out?: number }; activeHigh?: boolean } = {}) => {
    gate = openModbusTurnstile(
      { transport: { kind: 'tcp', host: '127.0.0.1', port: sim.port }, channels: 4, timeoutMs: 300 },
      { pulseMs: 200, channels: { in: 1, out: 2 }, passage: { pollMs: 50, debounceMs: 100, timeoutMs: 5000, ...passage } },
    );
    passages = [];
    missed = [];
    gate.on('passage', (p) => passages.push(p));
    gate.on('no-passage', (p) => missed.push(p));
    // The first poll sets the input's resting level.
    await waitFor(() => sim.inputReads >= 2, 3000, 'polling');
  };

  beforeEach(async () => {
    sim = await startModbusTcpSimulator({ unit: 1, coils: 4, inputs: 8 });
  });
  afterEach(async () => {
    await gate.close();
    await sim.close();
  });

  it('reports the passage on its first closed reading, and a bouncing contact once', async () => {
    await start();
    expect(gate.canDetectPassage).toBe(true);
    await gate.open();
    expect(sim.pulses.map((p) => p.coil)).toEqual([0]);
    expect(gate.status.awaitingPassage).toBe(1);
    // The contact closed for a single poll, then bounced open and closed within the release debounce
    // (100 ms = 2 polls): one passage.
    const reads = sim.inputReads;
    sim.setInputForReads(0, true, 1);
    sim.setInputForReads(0, false, 1);
    sim.setInputForReads(0, true, 2);
    const [p] = await next(gate, 'passage');
    await waitFor(() => sim.inputReads >= reads + 8, 3000, 'polls after the bounce');
    expect(passages).toHaveLength(1);
    expect(p.direction).toBe('in');
    expect(p.openedAt).toBeInstanceOf(Date);
    expect(p.at.getTime()).toBeGreaterThanOrEqual(p.openedAt!.getTime());
    expect(gate.status.awaitingPassage).toBe(0);
    expect(missed).toEqual([]);
  });

  it('reports no-passage when nobody goes through in time, so the check-in can be annulled', async () => {
    await start({ timeoutMs: 400 });
    await gate.open('out');
    const [m] = await next(gate, 'no-passage');
    expect(m.direction).toBe('out');
    expect(sim.pulses.map((p) => p.coil)).toEqual([1]);
    expect(passages).toEqual([]);
    // A late passage after that is one nobody was let through for.
    sim.setInputForReads(0, true, 3);
    const [late] = await next(gate, 'passage');
    expect(late.openedAt).toBeNull();
  });

  it('completes openings in order and tells directions apart with one input per direction', async () => {
    await start({ inputs: { in: 1, out: 2 } });
    await gate.open('in');
    await gate.open('out');
    await gate.open('in');
    sim.setInputForReads(1, true, 3); // out
    const [out] = await next(gate, 'passage');
    expect(out.direction).toBe('out');
    sim.setInputForReads(0, true, 3);
    await next(gate, 'passage');
    // The contact must open again (debounced too) before the next passage can close it.
    sim.setInputForReads(0, false, 3);
    sim.setInputForReads(0, true, 3);
    await next(gate, 'passage');
    expect(passages.map((p) => p.direction)).toEqual(['out', 'in', 'in']);
    // Each "in" passage completed the oldest "in" opening first.
    expect(passages[1]!.openedAt!.getTime()).toBeLessThanOrEqual(passages[2]!.openedAt!.getTime());
    expect(gate.status.awaitingPassage).toBe(0);
  });

  it('reads an active-low contact', async () => {
    for (let i = 0; i < 8; i++) sim.setInput(i, true);
    await start({ activeHigh: false });
    await gate.open();
    sim.setInputForReads(0, false, 3);
    const [p] = await next(gate, 'passage');
    expect(p.openedAt).not.toBeNull();
  });

  it('reports input faults in its status and recovers', async () => {
    await start();
    const faults: (string | null)[] = [];
    gate.on('status', (s) => faults.push(s.fault?.code ?? null));
    sim.inject({ kind: 'exception', code: 4 }, 2);
    await waitFor(() => faults.includes('exception'), 3000, 'fault reported');
    await waitFor(() => gate.status.fault === null, 3000, 'fault cleared');
    sim.inject({ kind: 'garbage' });
    await waitFor(() => faults.includes('bad_reply'), 3000, 'garbage reported');
    await waitFor(() => gate.status.fault === null, 3000, 'recovered');
    await gate.open();
    sim.setInputForReads(0, true, 3);
    await next(gate, 'passage');
  });

  it('holds all coils in an emergency and drops pending openings without no-passage', async () => {
    await start({ timeoutMs: 300 });
    await gate.open();
    await gate.openAll();
    expect(sim.coils).toEqual([true, true, true, true]);
    expect(gate.status.awaitingPassage).toBe(0);
    await gate.release();
    expect(sim.coils).toEqual([false, false, false, false]);
    const reads = sim.inputReads;
    await waitFor(() => sim.inputReads >= reads + 8, 3000, 'past the passage timeout');
    expect(missed).toEqual([]);
  });
});

describe('turnstile over a Modbus RTU board on a PTY', () => {
  let pair: PtyPair;
  let sim: ModbusRtuSimulator;
  let gate: Turnstile;

  beforeEach(async () => {
    pair = await createPtyPair();
    sim = await startModbusRtuSimulator(pair.devicePath, { unit: 3, coils: 2, inputs: 4 });
    gate = openModbusTurnstile(
      { transport: { kind: 'rtu', path: pair.hostPath }, unit: 3, channels: 2, inputs: 4, timeoutMs: 300 },
      { pulseMs: 300, passage: { pollMs: 100, debounceMs: 200, timeoutMs: 5000 } },
    );
    await waitFor(() => sim.inputReads >= 2, 5000, 'polling');
  });
  afterEach(async () => {
    await gate.close();
    await sim.close().catch(() => undefined);
    await pair.close();
  });

  it('pulses the coil and sees the passage on the serial line', async () => {
    await gate.open();
    expect(sim.pulses).toHaveLength(1);
    expect(sim.pulses[0]!.durationMs).toBeGreaterThanOrEqual(180);
    sim.setInputForReads(0, true, 1); // one poll: bounce
    sim.setInputForReads(0, false, 1);
    sim.setInputForReads(0, true, 3); // then held
    const [p] = await next(gate, 'passage');
    expect(p.openedAt).not.toBeNull();
  });
});

/**
 * Passage contacts of 80 and 150 ms at the default poll (75 ms) and release debounce (150 ms), 30
 * of each, every one after an opening. The counts are the assertions; the durations are inputs.
 */
const DURATIONS = [80, 150];
const ROUNDS = 30;

async function runContacts(
  gate: Turnstile,
  sim: ModbusTcpSimulator | ModbusRtuSimulator,
  contact: (ms: number) => Promise<void>,
  reads: () => number,
): Promise<{ passages: PassageEvent[]; missed: NoPassageEvent[] }> {
  const passages: PassageEvent[] = [];
  const missed: NoPassageEvent[] = [];
  gate.on('passage', (p) => passages.push(p));
  gate.on('no-passage', (m) => missed.push(m));
  let expected = 0;
  for (const ms of DURATIONS) {
    for (let i = 0; i < ROUNDS; i++) {
      const opening = gate.open();
      await waitFor(() => gate.status.awaitingPassage === 1, 5000, 'opening sent');
      await contact(ms);
      expected++;
      await waitFor(() => passages.length >= expected, 5000, `passage ${expected} (${ms} ms contact)`);
      await opening;
      // Released contact: enough reads for the release debounce to re-arm the input.
      const r = reads();
      await waitFor(() => reads() >= r + 3, 5000, 'release polls');
    }
  }
  expect(sim.pulses).toHaveLength(DURATIONS.length * ROUNDS);
  return { passages, missed };
}

describe('passage contacts at the default settings', () => {
  it('Modbus TCP, latched input (edge mode): 30 × 80 ms and 30 × 150 ms contacts, each counted once', async () => {
    const sim = await startModbusTcpSimulator({ unit: 1, coils: 4, inputs: 8 });
    const gate = openModbusTurnstile({ transport: { kind: 'tcp', host: '127.0.0.1', port: sim.port }, channels: 4, timeoutMs: 300 }, { pulseMs: 200, passage: {} });
    try {
      await waitFor(() => sim.inputReads >= 2, 3000, 'polling');
      const { passages, missed } = await runContacts(gate, sim, (ms) => sim.pulseInput(0, ms, { latch: true }), () => sim.inputReads);
      expect(passages).toHaveLength(60);
      expect(passages.every((p) => p.openedAt !== null)).toBe(true);
      expect(missed).toEqual([]);
      expect(gate.status.awaitingPassage).toBe(0);
    } finally {
      await gate.close();
      await sim.close();
    }
  }, 300_000);

  it('Modbus RTU on a PTY, counter mode (FC 04): 30 × 80 ms and 30 × 150 ms unlatched contacts, each counted once', async () => {
    const pair = await createPtyPair();
    const sim = await startModbusRtuSimulator(pair.devicePath, { unit: 2, coils: 2, inputs: 4, inputCounters: 'input' });
    const board = openModbusRelay({ transport: { kind: 'rtu', path: pair.hostPath }, unit: 2, channels: 2, inputs: 4, timeoutMs: 300 });
    const gate = createTurnstile({ relay: board, pulseMs: 200, passage: { input: board, counter: counterOf(board, { table: 'input', address: 0, bits: 16 }) } });
    try {
      await waitFor(() => sim.registerReads >= 2, 5000, 'polling');
      const { passages, missed } = await runContacts(gate, sim, (ms) => sim.pulseInput(0, ms), () => sim.registerReads);
      expect(passages).toHaveLength(60);
      expect(passages.every((p) => p.openedAt !== null)).toBe(true);
      expect(missed).toEqual([]);
    } finally {
      await gate.close();
      await sim.close().catch(() => undefined);
      await pair.close();
    }
  }, 300_000);

  it('Modbus TCP, counter mode: unlatched 80 and 150 ms contacts all counted, across the 16-bit wrap', async () => {
    const sim = await startModbusTcpSimulator({ unit: 1, coils: 4, inputs: 8, inputCounters: 'input' });
    sim.setRegister('input', 0, 0xffff - 20);
    const board = openModbusRelay({ transport: { kind: 'tcp', host: '127.0.0.1', port: sim.port }, channels: 4, timeoutMs: 300 });
    const gate = createTurnstile({ relay: board, pulseMs: 200, passage: { input: board, counter: counterOf(board, { table: 'input', address: 0, bits: 16 }) } });
    try {
      await waitFor(() => sim.registerReads >= 2, 3000, 'polling');
      // No latch: the counter on the board holds every closing, whenever the poll comes.
      const { passages, missed } = await runContacts(gate, sim, (ms) => sim.pulseInput(0, ms), () => sim.registerReads);
      expect(passages).toHaveLength(60);
      expect(passages.every((p) => p.openedAt !== null && p.direction === 'in')).toBe(true);
      expect(missed).toEqual([]);
      expect(sim.register('input', 0)).toBe((0xffff - 20 + 60) & 0xffff);
      expect(sim.inputReads).toBe(0); // the level is not read in counter mode
    } finally {
      await gate.close();
      await sim.close();
    }
  }, 300_000);

  it('counter mode: several closings between two polls are several passages; a counter reset is not', async () => {
    const sim = await startModbusTcpSimulator({ unit: 1, coils: 4, inputs: 8, registers: 4 });
    const board = openModbusRelay({ transport: { kind: 'tcp', host: '127.0.0.1', port: sim.port }, channels: 4, timeoutMs: 300 });
    const gate = createTurnstile({ relay: board, passage: { input: board, counter: counterOf(board, { table: 'holding', address: 2, bits: 32 }) } });
    const passages: PassageEvent[] = [];
    gate.on('passage', (p) => passages.push(p));
    try {
      sim.setRegister('holding', 2, 0x0001);
      sim.setRegister('holding', 3, 0xfffe); // 0x1fffe
      await waitFor(() => sim.registerReads >= 2, 3000, 'polling');
      sim.setRegister('holding', 2, 0x0002);
      sim.setRegister('holding', 3, 0x0001); // 0x20001: three more
      await waitFor(() => passages.length === 3, 3000, 'three passages');
      expect(passages.map((p) => p.openedAt)).toEqual([null, null, null]);
      sim.setRegister('holding', 2, 0);
      sim.setRegister('holding', 3, 0); // the board rebooted
      let r = sim.registerReads;
      await waitFor(() => sim.registerReads >= r + 3, 3000, 'polls after the reset');
      sim.setRegister('holding', 3, 1);
      r = sim.registerReads;
      await waitFor(() => passages.length === 4, 3000, 'passage after the reset');
      expect(sim.registerReads).toBeGreaterThan(r);
    } finally {
      await gate.close();
      await sim.close();
    }
  });
});
