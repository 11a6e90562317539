// The Modbus relay driver (modbus-serial client over our socket) against the Modbus TCP simulator on
// 127.0.0.1: coils, inputs, injected faults as coded errors with recovery, a board reboot
// (connections dropped), and a board that goes away and comes back on the same port.
import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openModbusRelay, type ModbusRelay, type ModbusRelayError } from '../../drivers/relays/modbus-relay';
import { startModbusTcpSimulator, type ModbusTcpSimulator } from '../../drivers/relays/modbus-simulator';
import { encodeTcpFrame } from '../../drivers/relays/modbus';
import { hex, toHex, waitFor } from './helpers';

describe('Modbus TCP relay on 127.0.0.1', () => {
  let sim: ModbusTcpSimulator;
  let relay: ModbusRelay;
  let errors: ModbusRelayError[];

  beforeEach(async () => {
    sim = await startModbusTcpSimulator({ unit: 1, coils: 4, inputs: 8 });
    relay = openModbusRelay({ transport: { kind: 'tcp', host: '127.0.0.1', port: sim.port }, unit: 1, channels: 4, timeoutMs: 300 });
    errors = [];
    relay.on('error', (e) => errors.push(e));
  });

  afterEach(async () => {
    await relay.close();
    await sim.close();
  });

  it('connects on first use, switches coils, reads inputs, over one connection', async () => {
    expect(relay.status).toBe('disconnected');
    await relay.set(1, true);
    expect(relay.status).toBe('connected');
    await relay.set(4, true);
    expect(sim.coils).toEqual([true, false, false, true]);
    sim.setInput(2, true);
    expect(await relay.readInputs()).toEqual([false, false, true, false, false, false, false, false]);
    await relay.setAll(false);
    expect(sim.coils).toEqual([false, false, false, false]);
    expect(sim.connections).toBe(1);
  });

  it('pulses a coil for the requested time', async () => {
    await relay.set(1, false); // connect first, so the pulse measures only itself
    await relay.pulse(1, 200);
    expect(sim.pulses).toHaveLength(1);
    expect(sim.pulses[0]!.durationMs).toBeGreaterThanOrEqual(120);
  });

  it('maps exception, silence, noise, a broken header and another unit to codes, and recovers', async () => {
    await relay.readInputs();
    sim.inject({ kind: 'exception', code: 0x02 });
    await expect(relay.set(1, true)).rejects.toMatchObject({ code: 'exception', exception: 2 });
    expect(sim.coil(0)).toBe(false);
    sim.inject({ kind: 'no_reply' });
    await expect(relay.set(1, true)).rejects.toMatchObject({ code: 'timeout' });
    sim.inject({ kind: 'garbage' });
    await expect(relay.readInputs()).rejects.toMatchObject({ code: 'bad_reply' });
    sim.inject({ kind: 'bad_crc' }); // over TCP: a reply whose MBAP protocol id is not 0
    await expect(relay.readInputs()).rejects.toMatchObject({ code: 'bad_reply' });
    sim.inject({ kind: 'wrong_unit' });
    await expect(relay.readInputs()).rejects.toMatchObject({ code: 'bad_reply' });
    await relay.set(2, true);
    expect(sim.coil(1)).toBe(true);
    expect(errors.map((e) => e.code)).toEqual(['exception', 'timeout', 'bad_reply', 'bad_reply', 'bad_reply']);
    // Each stream fault cost the connection (its position was unknown); the exception did not.
    expect(sim.connections).toBe(5);
  });

  it('falls back to one coil write per channel on a board without write-multiple-coils', async () => {
    await relay.close();
    await sim.close();
    sim = await startModbusTcpSimulator({ unit: 1, coils: 4, unsupported: [0x0f] });
    relay = openModbusRelay({ transport: { kind: 'tcp', host: '127.0.0.1', port: sim.port }, unit: 1, channels: 4, timeoutMs: 300 });
    await relay.setAll(true);
    expect(sim.coils).toEqual([true, true, true, true]);
    expect(sim.requests.map((r) => r.request.fc)).toEqual([0x0f, 5, 5, 5, 5]);
    await relay.close();
    await expect(relay.set(1, false)).rejects.toMatchObject({ code: 'closed' });
  });

  it('ignores a slow reply that arrives after its timeout', async () => {
    sim.inject({ kind: 'slow', delayMs: 450 });
    await expect(relay.set(3, true)).rejects.toMatchObject({ code: 'timeout' });
    await relay.set(3, false);
    expect(sim.coil(2)).toBe(false);
  });

  it('reports a connection cut mid-request as io, and restores wanted coils after a board reboot', async () => {
    await relay.set(2, true);
    sim.failAlways({ kind: 'no_reply' });
    const pending = relay.set(3, true);
    await waitFor(() => sim.requests.length === 2, 2000, 'request at the board');
    sim.clearFaults();
    sim.dropConnections();
    await expect(pending).rejects.toMatchObject({ code: 'io' });
    // The board rebooted: its coils dropped; the next request reconnects and restores both wanted coils.
    for (let c = 0; c < 4; c++) sim.setInput(c, false);
    const port = sim.port;
    await sim.close();
    await expect(relay.readInputs()).rejects.toMatchObject({ code: 'unreachable' });
    sim = await startModbusTcpSimulator({ unit: 1, coils: 4, port });
    await relay.readInputs();
    expect(sim.coils).toEqual([false, true, true, false]);
  });
});

describe('Modbus TCP simulator', () => {
  let sim: ModbusTcpSimulator;
  beforeEach(async () => {
    sim = await startModbusTcpSimulator({ unit: 1, coils: 2 });
  });
  afterEach(async () => {
    await sim.close();
  });

  const exchange = (bytes: Buffer, want: number) =>
    new Promise<Buffer>((resolve, reject) => {
      const s = net.connect({ host: '127.0.0.1', port: sim.port }, () => s.write(bytes));
      let got = Buffer.alloc(0);
      s.on('data', (d) => {
        got = Buffer.concat([got, d]);
        if (got.length >= want) {
          s.destroy();
          resolve(got);
        }
      });
      s.on('close', () => resolve(got));
      s.on('error', reject);
    });

  it('echoes a coil write with the same transaction id', async () => {
    const reply = await exchange(encodeTcpFrame({ transactionId: 0x1234, unit: 1, pdu: hex('05 00 01 ff 00') }), 12);
    expect(toHex(reply)).toBe('12 34 00 00 00 06 01 05 00 01 ff 00');
    expect(sim.coil(1)).toBe(true);
  });

  it('answers a bad coil value with illegal data value and closes on a broken header', async () => {
    const reply = await exchange(encodeTcpFrame({ transactionId: 1, unit: 1, pdu: hex('05 00 00 12 34') }), 9);
    expect(toHex(reply)).toBe('00 01 00 00 00 03 01 85 03');
    const none = await exchange(hex('00 01 77 77 00 06 01 05 00 00 ff 00'), 1);
    expect(none.length).toBe(0);
    expect(sim.rejected.map((r) => r.code)).toEqual(['bad_value', 'bad_protocol']);
  });
});
