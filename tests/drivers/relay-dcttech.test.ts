// USB HID relay boards: the report bytes (dcttech and CH551G dialects) as hex fixtures, then the
// driver against the board simulator through drivers/hid's simulated transport — feature reports
// out, state reports in, read-back verification, faults as coded errors, unplug and re-plug.
import { afterEach, describe, expect, it } from 'vitest';
import {
  channelsFromProduct,
  decodeHidRelay,
  decodeHidRelayState,
  encodeHidRelay,
  encodeHidRelayState,
} from '../../drivers/relays/dcttech';
import { openHidRelay, type HidRelay, type HidRelayDriverError } from '../../drivers/relays/dcttech-relay';
import { createHidRelaySimulator, type HidRelaySimulator } from '../../drivers/relays/dcttech-simulator';
import { hex, toHex, waitFor } from './helpers';

describe('dcttech report bytes', () => {
  it('encodes 9-byte feature reports with report id 0 first', () => {
    expect(toHex(encodeHidRelay({ op: 'set', channel: 1, on: true }, 'dcttech')[0]!)).toBe('00 ff 01 00 00 00 00 00 00');
    expect(toHex(encodeHidRelay({ op: 'set', channel: 2, on: false }, 'dcttech')[0]!)).toBe('00 fd 02 00 00 00 00 00 00');
    expect(toHex(encodeHidRelay({ op: 'all', on: true }, 'dcttech')[0]!)).toBe('00 fe 00 00 00 00 00 00 00');
    expect(toHex(encodeHidRelay({ op: 'all', on: false }, 'dcttech')[0]!)).toBe('00 fc 00 00 00 00 00 00 00');
  });

  it('encodes the CH551G dialect, with all-channels as one report per channel', () => {
    expect(toHex(encodeHidRelay({ op: 'set', channel: 1, on: true }, 'ch551g')[0]!)).toBe('00 f1');
    expect(toHex(encodeHidRelay({ op: 'set', channel: 1, on: false }, 'ch551g')[0]!)).toBe('00 01');
    expect(encodeHidRelay({ op: 'all', on: true }, 'ch551g', 2).map(toHex)).toEqual(['00 f1', '00 f2']);
  });

  it('refuses a channel outside the board', () => {
    expect(() => encodeHidRelay({ op: 'set', channel: 0, on: true }, 'dcttech')).toThrow(/bad_channel/);
    expect(() => encodeHidRelay({ op: 'set', channel: 3, on: true }, 'dcttech', 2)).toThrow(/outside 1..2/);
  });

  it('decodes state report 0 with and without the report-id byte', () => {
    // "QAAMZ", channels 1 and 3 on.
    const prefixed = hex('00 51 41 41 4d 5a 00 00 05');
    expect(decodeHidRelayState(prefixed, 4)).toEqual({ ok: true, value: { id: 'QAAMZ', states: [true, false, true, false] } });
    const unprefixed = hex('51 41 41 4d 5a 00 00 05');
    expect(decodeHidRelayState(unprefixed, 4)).toEqual({ ok: true, value: { id: 'QAAMZ', states: [true, false, true, false] } });
    expect(toHex(encodeHidRelayState({ id: 'QAAMZ', states: [true, false, true, false] }))).toBe('00 51 41 41 4d 5a 00 00 05');
    // A board whose id was never set still decodes (id shown in hex).
    expect(decodeHidRelayState(hex('00 00 00 00 00 00 00 00 02'), 2)).toEqual({ ok: true, value: { id: '0000000000', states: [false, true] } });
    // Bits beyond the board's channels are ignored.
    expect(decodeHidRelayState(hex('00 51 41 41 4d 5a 00 00 ff'), 2)).toMatchObject({ ok: true, value: { states: [true, true] } });
  });

  it('rejects state reports it cannot place, and malformed commands, with codes', () => {
    expect(decodeHidRelayState(hex('ff ff ff ff ff ff ff ff ff'), 2)).toMatchObject({ ok: false, error: { code: 'bad_state' } });
    expect(decodeHidRelayState(hex('00 51 41'), 2, 'prefixed')).toMatchObject({ ok: false, error: { code: 'bad_length' } });
    expect(decodeHidRelay(hex('00 ff 09 00 00 00 00 00 00'), 'dcttech', 8)).toMatchObject({ ok: false, error: { code: 'bad_channel' } });
    expect(decodeHidRelay(hex('00 ab 01 00 00 00 00 00 00'), 'dcttech')).toMatchObject({ ok: false, error: { code: 'bad_command' } });
    expect(decodeHidRelay(hex('01 ff 01 00 00 00 00 00 00'), 'dcttech')).toMatchObject({ ok: false, error: { code: 'bad_report_id' } });
    expect(decodeHidRelay(hex('00 ff 01'), 'dcttech')).toMatchObject({ ok: false, error: { code: 'bad_length' } });
    expect(decodeHidRelay(hex('00 f2'), 'ch551g', 2)).toEqual({ ok: true, value: { op: 'set', channel: 2, on: true } });
  });

  it('reads the channel count from the product string', () => {
    expect(channelsFromProduct('USBRelay2')).toBe(2);
    expect(channelsFromProduct('USBRelay8')).toBe(8);
    expect(channelsFromProduct('USBRelay9')).toBeNull();
    expect(channelsFromProduct(undefined)).toBeNull();
  });
});

describe('dcttech relay through the simulated HID transport', () => {
  let sim: HidRelaySimulator;
  let relay: HidRelay;
  let errors: HidRelayDriverError[];

  const start = async (simOptions: Parameters<typeof createHidRelaySimulator>[0] = {}, relayOptions: Partial<Parameters<typeof openHidRelay>[0]> = {}) => {
    sim = createHidRelaySimulator({ channels: 2, id: 'QAAMZ', ...simOptions });
    relay = openHidRelay({ open: sim.open, variant: sim.variant, initialDelayMs: 20, maxDelayMs: 100, ...relayOptions });
    errors = [];
    relay.on('error', (e) => errors.push(e));
    await waitFor(() => relay.status === 'connected', 3000, 'relay connected');
  };

  afterEach(async () => {
    await relay?.close();
  });

  it('takes its channel count from the product string and switches relays with read-back', async () => {
    await start();
    expect(relay.channels).toBe(2);
    await relay.set(2, true);
    expect(sim.states).toEqual([false, true]);
    expect(relay.boardId).toBe('QAAMZ');
    await relay.setAll(true);
    expect(sim.states).toEqual([true, true]);
    expect(sim.commands.at(-1)).toEqual({ op: 'all', on: true });
    await relay.setAll(false);
    expect(await relay.readStates()).toEqual([false, false]);
    expect(sim.rejected).toEqual([]);
  });

  it('pulses a relay for the requested time', async () => {
    await start();
    await relay.pulse(1, 250);
    expect(sim.pulses).toHaveLength(1);
    expect(sim.pulses[0]!.durationMs).toBeGreaterThanOrEqual(240);
    expect(sim.state(1)).toBe(false);
  });

  it('reports a board that ignored a command as mismatch', async () => {
    await start();
    sim.ignoreNext();
    await expect(relay.set(1, true)).rejects.toMatchObject({ code: 'mismatch' });
    expect(sim.state(1)).toBe(false);
    await relay.set(1, true);
    expect(sim.state(1)).toBe(true);
  });

  it('maps a stalled state read to io and a corrupt one to bad_reply, and keeps working', async () => {
    await start();
    sim.failReads(true);
    await expect(relay.set(1, true)).rejects.toMatchObject({ code: 'io' });
    sim.failReads(false);
    sim.corruptState(true);
    await expect(relay.readStates()).rejects.toMatchObject({ code: 'bad_reply' });
    sim.corruptState(false);
    expect(await relay.readStates()).toEqual([true, false]);
    await expect(relay.set(3, true)).rejects.toMatchObject({ code: 'bad_channel' });
    expect(errors.map((e) => e.code)).toEqual(['io', 'bad_reply']);
  });

  it('reads a state report without the report-id byte', async () => {
    await start({ unprefixedState: true });
    await relay.set(1, true);
    expect(await relay.readStates()).toEqual([true, false]);
  });

  it('re-opens after an unplug and restores the wanted states', async () => {
    await start();
    await relay.set(2, true);
    await sim.unplug();
    await waitFor(() => relay.status === 'disconnected', 2000, 'disconnected');
    expect(sim.states).toEqual([false, false]); // the board lost power
    await expect(relay.set(1, true)).rejects.toMatchObject({ code: 'io' });
    sim.replug();
    await waitFor(() => relay.status === 'connected', 3000, 'reconnected');
    await waitFor(() => sim.state(1) && sim.state(2), 2000, 'restored');
    expect(sim.opens).toBe(2);
  });

  it('drives a CH551G clone with output reports and no read-back', async () => {
    await start({ variant: 'ch551g' }, { channels: 2 });
    await relay.set(1, true);
    await relay.setAll(true);
    expect(sim.states).toEqual([true, true]);
    await relay.pulse(2, 200);
    expect(sim.state(2)).toBe(false);
    expect(relay.readsBack).toBe(false);
    await expect(relay.readStates()).rejects.toMatchObject({ code: 'unsupported' });
  });
});
