// The LCUS relay driver and simulator through the real serialport binding on a socat PTY pair.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type SerialPort } from 'serialport';
import { openLcusRelay, type LcusRelay } from '../../drivers/relays/lcus-relay';
import { startLcusSimulator, type LcusSimulator, type RelaySimPulse } from '../../drivers/relays/lcus-simulator';
import { createPtyPair, type PtyPair } from '../../drivers/testing/pty';
import { closeDevicePort, openDevicePort, writeAll } from '../../drivers/serial/device-port';
import { hex, sleep, waitFor } from './helpers';

describe('LCUS relay over a PTY', () => {
  let pair: PtyPair;
  let sim: LcusSimulator;
  let relay: LcusRelay;

  beforeEach(async () => {
    pair = await createPtyPair();
    sim = await startLcusSimulator(pair.devicePath, { channels: 4 });
    relay = openLcusRelay({ path: pair.hostPath, channels: 4 });
    await waitFor(() => relay.status === 'connected', 5000, 'relay connected');
  });

  afterEach(async () => {
    await relay.close();
    await sim.close().catch(() => undefined);
    await pair.close();
  });

  it('pulses a channel for the requested time', async () => {
    const pulses: RelaySimPulse[] = [];
    sim.on('pulse', (p) => pulses.push(p));
    const started = performance.now();
    await relay.pulse(1, 300);
    const elapsed = performance.now() - started;
    await waitFor(() => pulses.length === 1, 2000, 'pulse at the simulator');
    expect(pulses[0]).toMatchObject({ channel: 1, on: false });
    // A pulse is never shorter than asked (minus the PTY's jitter on when the simulator stamps the
    // "on"); how much longer it lasts depends on the machine's load and is not asserted.
    expect(pulses[0]!.durationMs).toBeGreaterThanOrEqual(180);
    expect(elapsed).toBeGreaterThanOrEqual(295);
    expect(sim.changes.map((c) => `${c.channel}:${c.on}`)).toEqual(['1:true', '1:false']);
    expect(sim.state(1)).toBe(false);
    expect(sim.rejected).toEqual([]);
  });

  it('sets channels independently', async () => {
    await relay.set(2, true);
    await relay.set(4, true);
    await relay.set(2, false);
    await waitFor(() => sim.changes.length === 3);
    expect([1, 2, 3, 4].map((c) => sim.state(c))).toEqual([false, false, false, true]);
  });

  it('rejects a channel the board does not have, without sending anything', async () => {
    await expect(relay.set(5, true)).rejects.toMatchObject({ code: 'bad_channel' });
    await expect(relay.pulse(0, 10)).rejects.toMatchObject({ code: 'bad_channel' });
    await relay.set(1, true); // still usable
    await waitFor(() => sim.state(1));
    expect(sim.changes).toHaveLength(1);
  });

  it('restores the wanted state after the line is unplugged and plugged back in', async () => {
    await relay.set(3, true);
    await waitFor(() => sim.state(3));
    await pair.unplug();
    await waitFor(() => relay.status === 'disconnected', 5000, 'disconnected');
    await expect(relay.pulse(1, 50)).rejects.toMatchObject({ code: 'io' });
    await sim.close().catch(() => undefined);

    await pair.replug();
    sim = await startLcusSimulator(pair.devicePath, { channels: 4 });
    await waitFor(() => relay.status === 'connected', 8000, 'reconnected');
    // The new board powered up with every contact open; the driver re-sends what it last wanted,
    // including "channel 1 off" from the failed pulse, so the turnstile cannot be left open.
    await waitFor(() => sim.changes.length === 2, 3000, 'restored states');
    expect(sim.state(3)).toBe(true);
    expect(sim.state(1)).toBe(false);
  });
});

describe('LCUS simulator', () => {
  let pair: PtyPair;
  let sim: LcusSimulator;
  let host: SerialPort;

  beforeEach(async () => {
    pair = await createPtyPair();
    sim = await startLcusSimulator(pair.devicePath, { channels: 4, frameTimeoutMs: 100 });
    host = await openDevicePort(pair.hostPath);
  });

  afterEach(async () => {
    await closeDevicePort(host);
    await sim.close();
    await pair.close();
  });

  it('rejects malformed frames and still obeys valid ones', async () => {
    await writeAll(host, hex('ff 00')); // noise
    await writeAll(host, hex('a0 01 01 a3')); // bad checksum
    await writeAll(host, hex('a0 07 01 a8')); // channel 7 on a 4-channel board
    await writeAll(host, hex('a0 01 02 a3')); // op 2
    await writeAll(host, hex('a0 02 01 a3')); // valid: channel 2 on
    await writeAll(host, hex('a0 01')); // truncated, times out
    await waitFor(() => sim.rejected.length === 5, 3000, 'five rejections');
    expect(sim.rejected.map((r) => r.code)).toEqual(['bad_header', 'bad_checksum', 'bad_channel', 'bad_op', 'bad_length']);
    expect(sim.state(2)).toBe(true);
    expect(sim.state(1)).toBe(false);
    expect(sim.changes).toHaveLength(1);
    await sleep(50);
  });
});
