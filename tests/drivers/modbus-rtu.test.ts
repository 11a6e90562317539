// The Modbus relay driver (modbus-serial client) against the RTU slave simulator, real bytes through
// the serialport binding on a socat PTY pair: coils, inputs, pulses, every injected fault as a coded
// error, recovery after each, and the wanted state restored after an unplug.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SerialPort } from 'serialport';
import { openModbusRelay, type ModbusRelay, type ModbusRelayError } from '../../drivers/relays/modbus-relay';
import { startModbusRtuSimulator, type ModbusRtuSimulator } from '../../drivers/relays/modbus-simulator';
import { rtuWriteCoil, withCrc } from '../../drivers/relays/modbus';
import { closeDevicePort, openDevicePort, writeAll } from '../../drivers/serial/device-port';
import { createPtyPair, type PtyPair } from '../../drivers/testing/pty';
import { hex, waitFor } from './helpers';

describe('Modbus RTU relay over a PTY', () => {
  let pair: PtyPair;
  let sim: ModbusRtuSimulator;
  let relay: ModbusRelay;
  let errors: ModbusRelayError[];

  beforeEach(async () => {
    pair = await createPtyPair();
    sim = await startModbusRtuSimulator(pair.devicePath, { unit: 1, coils: 4, inputs: 8 });
    relay = openModbusRelay({ transport: { kind: 'rtu', path: pair.hostPath }, unit: 1, channels: 4, timeoutMs: 300 });
    errors = [];
    relay.on('error', (e) => errors.push(e));
    await waitFor(() => relay.status === 'connected', 5000, 'relay connected');
  });

  afterEach(async () => {
    await relay.close();
    await sim.close().catch(() => undefined);
    await pair.close();
  });

  it('switches coils with the literal frames and reads them back', async () => {
    const frames: string[] = [];
    sim.on('request', (r) => frames.push(JSON.stringify(r.request)));
    await relay.set(1, true);
    expect(sim.coil(0)).toBe(true);
    await relay.set(3, true);
    await relay.set(1, false);
    expect(sim.coils).toEqual([false, false, true, false]);
    expect(await relay.readCoils()).toEqual([false, false, true, false]);
    expect(sim.changes.map((c) => `${c.coil}:${c.on}`)).toEqual(['0:true', '2:true', '0:false']);
    expect(frames[0]).toBe(JSON.stringify({ unit: 1, fc: 5, address: 0, on: true }));
    await relay.setAll(true);
    expect(sim.coils).toEqual([true, true, true, true]);
    await relay.setAll(false);
    expect(sim.coils).toEqual([false, false, false, false]);
  });

  it('reads the discrete inputs', async () => {
    sim.setInput(0, true);
    sim.setInput(7, true);
    expect(await relay.readInputs()).toEqual([true, false, false, false, false, false, false, true]);
  });

  it('pulses a coil for the requested time', async () => {
    await relay.pulse(2, 250);
    expect(sim.pulses).toHaveLength(1);
    expect(sim.pulses[0]).toMatchObject({ coil: 1, on: false });
    // Tolerance: timer jitter plus a request/reply round trip at 9600 baud on a loaded CI box.
    expect(sim.pulses[0]!.durationMs).toBeGreaterThanOrEqual(150);
    expect(sim.coil(1)).toBe(false);
  });

  it('reports a reply with a bad CRC as bad_crc, then works again', async () => {
    sim.inject({ kind: 'bad_crc' });
    await expect(relay.set(1, true)).rejects.toMatchObject({ code: 'bad_crc' });
    await relay.set(2, true);
    expect(sim.coil(1)).toBe(true);
    expect(errors.map((e) => e.code)).toEqual(['bad_crc']);
  });

  it('reports an exception reply with its code, and does not count the write as done', async () => {
    sim.inject({ kind: 'exception', code: 0x04 });
    const err = await relay.set(1, true).catch((e: unknown) => e as ModbusRelayError);
    expect(err).toMatchObject({ code: 'exception', exception: 4 });
    expect((err as ModbusRelayError).detail).toMatch(/Slave device failure|slave device failure/);
    expect(sim.coil(0)).toBe(false);
    // A read of an address the board lacks is an exception too (illegal data address).
    const wide = openModbusRelay({ transport: { kind: 'rtu', path: pair.hostPath }, unit: 1, channels: 8, timeoutMs: 300 });
    await relay.close();
    await waitFor(() => wide.status === 'connected');
    await expect(wide.set(8, true)).rejects.toMatchObject({ code: 'exception', exception: 2 });
    relay = wide;
  });

  it('times out on silence, answers noise with bad_reply, and discards a late reply', async () => {
    sim.inject({ kind: 'no_reply' });
    await expect(relay.set(1, true)).rejects.toMatchObject({ code: 'timeout' });
    sim.inject({ kind: 'garbage' });
    await expect(relay.readInputs()).rejects.toMatchObject({ code: 'bad_reply' });
    // The slow reply to "coil 1 on" lands while "coil 1 off" waits: it must not answer it.
    sim.inject({ kind: 'slow', delayMs: 450 });
    await expect(relay.set(1, true)).rejects.toMatchObject({ code: 'timeout' });
    await relay.set(1, false);
    await waitFor(() => sim.requests.length === 4, 2000, 'all requests at the slave');
    expect(sim.coil(0)).toBe(false);
    expect(errors.map((e) => e.code)).toEqual(['timeout', 'bad_reply', 'timeout']);
  });

  it('reports a reply from another unit as bad_reply', async () => {
    sim.inject({ kind: 'wrong_unit' });
    await expect(relay.readInputs()).rejects.toMatchObject({ code: 'bad_reply' });
    expect(await relay.readInputs()).toHaveLength(8);
  });

  it('rejects a channel the board does not have without sending anything', async () => {
    await expect(relay.set(5, true)).rejects.toMatchObject({ code: 'bad_channel' });
    await expect(relay.pulse(0, 10)).rejects.toMatchObject({ code: 'bad_channel' });
    expect(sim.requests).toHaveLength(0);
  });

  it('restores the wanted coils after the line is unplugged and plugged back in', async () => {
    await relay.set(3, true);
    await pair.unplug();
    // The first request finds the line dead (write EIO) if the binding has not noticed already.
    await expect(relay.set(1, true)).rejects.toMatchObject({ code: 'io' });
    await waitFor(() => relay.status === 'disconnected', 5000, 'disconnected');
    await sim.close().catch(() => undefined);
    await pair.replug();
    sim = await startModbusRtuSimulator(pair.devicePath, { unit: 1, coils: 4 });
    await waitFor(() => relay.status === 'connected', 8000, 'reconnected');
    // The new board powered up with every coil off; the driver re-sends both wanted states.
    await waitFor(() => sim.coil(2) && sim.coil(0), 3000, 'restored coils');
    expect(sim.coils).toEqual([true, false, true, false]);
  });
});

describe('Modbus RTU simulator', () => {
  let pair: PtyPair;
  let sim: ModbusRtuSimulator;
  let host: SerialPort;

  beforeEach(async () => {
    pair = await createPtyPair();
    sim = await startModbusRtuSimulator(pair.devicePath, { unit: 1, coils: 4, idleMs: 40 });
    host = await openDevicePort(pair.hostPath);
  });

  afterEach(async () => {
    await closeDevicePort(host);
    await sim.close();
    await pair.close();
  });

  it('drops malformed requests silently, answers valid ones, ignores other units', async () => {
    const replies: Buffer[] = [];
    host.on('data', (d: Buffer) => replies.push(d));
    await writeAll(host, hex('01 05 00 00 ff 00 8c 3b')); // bad CRC
    await writeAll(host, withCrc(hex('01 05 00 00 12 34'))); // bad coil value
    await writeAll(host, rtuWriteCoil(2, 0, true)); // another slave on the bus
    await writeAll(host, rtuWriteCoil(1, 1, true)); // valid
    await waitFor(() => Buffer.concat(replies).length >= 8, 2000, 'echo');
    expect(Buffer.concat(replies)).toEqual(rtuWriteCoil(1, 1, true));
    await writeAll(host, hex('01 05 00')); // truncated: dropped at idle
    await waitFor(() => sim.rejected.length === 3, 2000, 'three rejections');
    expect(sim.rejected.map((r) => r.code)).toEqual(['bad_crc', 'bad_value', 'bad_length']);
    expect(sim.coils).toEqual([false, true, false, false]);
  });

  it('answers an unsupported function with illegal function', async () => {
    const replies: Buffer[] = [];
    host.on('data', (d: Buffer) => replies.push(d));
    await writeAll(host, withCrc(hex('01 2b 0e 01 00')));
    await waitFor(() => Buffer.concat(replies).length >= 5, 2000, 'exception reply');
    expect(Buffer.concat(replies)).toEqual(withCrc(hex('01 ab 01')));
  });
});
