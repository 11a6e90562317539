// The SAM ID card reader driver against its device simulator: real bytes through the real serialport
// binding on a socat PTY pair (115200), and through the simulated USB bulk transport (64-byte packets).
// Every fault gives a coded error, and a good read works right after it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSamReader, openSerialSamReader, type IdCardRead, type SamReader } from '../../drivers/id-readers/sam-reader';
import { SAMPLE_ID_CARD as ZHANG_SAN, createUsbSamSimulator, defaultPhoto, startSamSimulator, type SamFault, type SamSimulator } from '../../drivers/id-readers/sam-simulator';
import { SW3, encodeSamReply } from '../../drivers/id-readers/sam';
import { listUsbDevices, openUsbBulk } from '../../drivers/usb/bulk-transport';
import { createPtyPair, type PtyPair } from '../../drivers/testing/pty';
import { isDriverError } from '../../drivers/errors';
import { sleep, waitFor } from './helpers';

const codeOf = async (p: Promise<unknown>) => {
  try {
    await p;
    return 'resolved';
  } catch (e) {
    return isDriverError(e) ? e.code : `untyped: ${String(e)}`;
  }
};

interface Rig {
  reader: SamReader;
  sim: SamSimulator;
  close(): Promise<void>;
}

async function serialRig(timeoutMs: number): Promise<Rig> {
  const pair: PtyPair = await createPtyPair();
  const sim = await startSamSimulator(pair.devicePath, { card: ZHANG_SAN });
  const reader = openSerialSamReader({ path: pair.hostPath, timeoutMs });
  await waitFor(() => reader.status === 'connected', 5000, 'reader connected');
  return {
    reader,
    sim,
    async close() {
      await reader.close();
      await sim.close().catch(() => undefined);
      await pair.close();
    },
  };
}

async function usbRig(timeoutMs: number): Promise<Rig> {
  const { simulator, transport } = createUsbSamSimulator({ card: ZHANG_SAN });
  const reader = openSamReader({ transport, timeoutMs });
  return {
    reader,
    sim: simulator,
    async close() {
      await reader.close();
      await simulator.close();
    },
  };
}

function expectZhangSan(card: IdCardRead): void {
  expect(card).toMatchObject({
    name: '张三',
    sex: 'male',
    nation: '汉',
    birthDate: '1949-12-31',
    address: ZHANG_SAN.address,
    idNumber: '11010519491231002X',
    authority: '北京市公安局西城分局',
    validFrom: '2010-01-01',
    validTo: '2030-01-01',
    cardType: 'resident',
  });
  expect(card.photo.equals(defaultPhoto())).toBe(true);
  expect(card.fingerprint).toBeNull();
  expect(card.readAt).toBeInstanceOf(Date);
}

for (const [transport, makeRig] of [
  ['serial PTY', serialRig],
  ['USB bulk', usbRig],
] as const) {
  describe(`SAM reader over ${transport}`, () => {
    let rig: Rig;
    beforeEach(async () => {
      rig = await makeRig(500);
    });
    afterEach(async () => {
      await rig.close();
    });

    it('reads a card: find → select → read', async () => {
      const card = await rig.reader.read();
      expectZhangSan(card);
      expect(rig.sim.requests).toEqual(['find', 'select', 'read']);
    });

    it('reads the SAM id and status, and the fingerprint variant', async () => {
      const id = await rig.reader.samId();
      expect(id.raw.length).toBe(16);
      expect(id.id).toMatch(/^\d{2}\.\d{2}-\d{8}-\d{10}-\d{10}$/);
      expect(await rig.reader.samStatus()).toEqual({ ok: true, sw3: 0x90, meaning: 'success' });
      rig.sim.setCard({ ...ZHANG_SAN, fingerprint: Buffer.alloc(1024, 0xf1) });
      const card = await rig.reader.read({ fingerprint: true });
      expect(card.fingerprint?.length).toBe(1024);
      expect(await rig.reader.findCard()).toBe(true);
    });

    it('reports each fault with a clear code, and the next read works', async () => {
      const cases: Array<{ fault?: SamFault; on?: 'find' | 'select' | 'read'; setup?: () => void; code: string }> = [
        { setup: () => rig.sim.setCard(null), code: 'no_card' },
        { fault: { kind: 'no_card' }, on: 'read', code: 'no_card' }, // card pulled between select and read
        { fault: { kind: 'select_fail' }, on: 'select', code: 'select_failed' },
        { fault: { kind: 'bad_checksum' }, on: 'read', code: 'bad_checksum' },
        { fault: { kind: 'bad_checksum' }, on: 'find', code: 'bad_checksum' },
        { fault: { kind: 'truncate' }, on: 'read', code: 'truncated' },
        { fault: { kind: 'truncate', keepBytes: 5 }, on: 'find', code: 'truncated' },
        { fault: { kind: 'overlong' }, on: 'read', code: 'bad_length' },
        { fault: { kind: 'garbage', bytes: 40 }, on: 'select', code: 'garbled' },
        { fault: { kind: 'silent' }, on: 'find', code: 'timeout' },
        // Answered 200 ms after the reader gave up: the late reply reaches the next read, which must drop it.
        { fault: { kind: 'slow', delayMs: 700 }, on: 'find', code: 'timeout' },
        { setup: () => rig.sim.setCard({ ...ZHANG_SAN, idNumber: '110105194912310021' }), code: 'bad_id_number' },
      ];
      for (const c of cases) {
        c.setup?.();
        if (c.fault) rig.sim.inject(c.fault, c.on);
        const code = await codeOf(rig.reader.read());
        expect(`${JSON.stringify(c.fault ?? 'setup')}: ${code}`).toBe(`${JSON.stringify(c.fault ?? 'setup')}: ${c.code}`);
        expect(rig.sim.armedFaults).toBe(0);
        rig.sim.setCard(ZHANG_SAN);
        // The late reply of a slow fault must not be taken for the next answer.
        expectZhangSan(await rig.reader.read());
      }
    });

    it('survives noise between requests and a stray reply while idle', async () => {
      const errors: string[] = [];
      rig.reader.on('error', (e) => errors.push(e.code));
      await rig.sim.sendRaw([0x01, 0x02, 0x03]);
      await rig.sim.sendRaw(encodeSamReply(SW3.findOk, Buffer.alloc(4)));
      await waitFor(() => errors.length >= 1, 2000, 'noise reported');
      expect(errors[0]).toBe('garbled');
      expectZhangSan(await rig.reader.read());
    });

    it('serialises concurrent reads', async () => {
      const [a, b, c] = await Promise.all([rig.reader.read(), rig.reader.samId(), rig.reader.read()]);
      expectZhangSan(a);
      expect(b.raw.length).toBe(16);
      expectZhangSan(c);
      expect(rig.sim.requests).toEqual(['find', 'select', 'read', 'samId', 'find', 'select', 'read']);
    });
  });
}

describe('SAM simulator', () => {
  it('answers malformed requests with the reader status words (bad XOR 0x10, unknown command 0x21)', async () => {
    const { simulator, device } = createUsbSamSimulator({ card: ZHANG_SAN });
    const replies: Buffer[] = [];
    device.host.on('data', (d) => replies.push(d));
    const rejected: number[] = [];
    simulator.on('rejected', (r) => rejected.push(r.sw3));
    await device.host.write(Buffer.from('aaaaaa96690003200123', 'hex')); // XOR 23, should be 22
    await device.host.write(Buffer.from('aaaaaa96690003999903', 'hex')); // unknown 99 99 (XOR 03 is right)
    await waitFor(() => rejected.length === 2, 2000);
    await sleep(20);
    expect(rejected).toEqual([0x10, 0x21]);
    expect(Buffer.concat(replies).toString('hex')).toBe(encodeSamReply(0x10).toString('hex') + encodeSamReply(0x21).toString('hex'));
    await simulator.close();
  });
});

describe('SAM reader edge cases', () => {
  it('rejects with io when the USB device is unplugged mid-request, and closed after close()', async () => {
    const { simulator, transport, device } = createUsbSamSimulator({ card: ZHANG_SAN });
    const reader = openSamReader({ transport, timeoutMs: 2000 });
    simulator.inject({ kind: 'silent' }, 'find');
    const pending = reader.read();
    await sleep(20);
    device.unplug();
    expect(await codeOf(pending)).toBe('io');
    expect(await codeOf(reader.read())).toBe('io');
    await reader.close();
    expect(await codeOf(reader.read())).toBe('closed');
  });

  it('finds no USB devices on a machine without a USB bus, without throwing', async () => {
    expect(await listUsbDevices({ vendorId: 0x0400 })).toEqual([]);
    expect(await codeOf(openUsbBulk({ vendorId: 0x0400, productId: 0xc35a }))).toBe('not_found');
  });
});
