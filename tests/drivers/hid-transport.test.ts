// The HID transport layer: the simulated pair behaves like node-hid's handle (async in-order reports,
// feature reports, unplug), and node-hid discovery degrades to "no devices" on a machine without HID.
import { describe, expect, it } from 'vitest';
import { listHidDevices, matchesHidFilter, openNodeHid } from '../../drivers/hid/transport';
import { createSimulatedHidPair } from '../../drivers/hid/simulated';
import { isDriverError } from '../../drivers/errors';
import { hex, toHex } from './helpers';

describe('simulated HID pair', () => {
  it('delivers input reports asynchronously and in order', async () => {
    const { host, device } = createSimulatedHidPair();
    const got: string[] = [];
    host.on('data', (r) => got.push(toHex(r)));
    const sent = [device.sendReport(hex('02 01')), device.sendReport(hex('02 02')), device.sendReport(hex('02 03'))];
    expect(got).toEqual([]); // not synchronous, like a real read loop
    await Promise.all(sent);
    expect(got).toEqual(['02 01', '02 02', '02 03']);
  });

  it('carries output and feature reports to the device, and answers feature reads', async () => {
    const { host, device } = createSimulatedHidPair();
    device.handler = { get: (id, len) => Buffer.from([id, len, 0xaa]) };
    expect(await host.write(hex('fd 03 16 54 0d'))).toBe(5);
    expect(await host.sendFeatureReport(hex('fe 01'))).toBe(2);
    expect(device.written.map(toHex)).toEqual(['fd 03 16 54 0d']);
    expect(device.features.map(toHex)).toEqual(['fe 01']);
    expect(toHex(await host.getFeatureReport(0, 4))).toBe('00 04 aa 00');
  });

  it('a refused feature report rejects with io', async () => {
    const { host, device } = createSimulatedHidPair();
    device.handler = {
      set: () => {
        throw new Error('not supported');
      },
    };
    await expect(host.sendFeatureReport(hex('fe 01'))).rejects.toMatchObject({ code: 'io' });
    await expect(host.getFeatureReport(1, 8)).rejects.toMatchObject({ code: 'io' });
  });

  it('unplug: error then close on the host; later calls reject with closed', async () => {
    const { host, device } = createSimulatedHidPair();
    const events: string[] = [];
    host.on('error', (e) => events.push(`error:${e.code}`));
    host.on('close', () => events.push('close'));
    await device.unplug();
    expect(events).toEqual(['error:io', 'close']);
    expect(host.closed).toBe(true);
    await expect(host.write(hex('00'))).rejects.toMatchObject({ code: 'closed' });
    // Reports after an unplug go nowhere.
    await device.sendReport(hex('02 00'));
  });
});

describe('node-hid transport on a machine without HID devices', () => {
  it('lists no devices instead of throwing', async () => {
    expect(await listHidDevices({ usagePage: 0x8c })).toEqual([]);
  });

  it('open rejects with a coded error', async () => {
    let code = '';
    try {
      await openNodeHid({ vendorId: 0x0c2e, productId: 0x0b61 });
    } catch (e) {
      code = isDriverError(e) ? e.code : 'untyped';
    }
    expect(['not_found', 'unavailable']).toContain(code);
  });

  it('filters by vendor, product and usage page', () => {
    const d = { vendorId: 1, productId: 2, usagePage: 0x8c, usage: 2 };
    expect(matchesHidFilter(d, {})).toBe(true);
    expect(matchesHidFilter(d, { vendorId: 1, usagePage: 0x8c })).toBe(true);
    expect(matchesHidFilter(d, { usagePage: 0x01 })).toBe(false);
  });
});
