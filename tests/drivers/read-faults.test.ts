// Every scanner and ID-reader driver turns a failed read into one typed `fault` (a kind from the closed
// set, the protocol's own code beside it) besides its coded `error`, through its real transport: the
// serial scanner, Wiegand converter, MRZ reader and SAM reader on socat PTYs, the HID POS scanner on a
// simulated HID link. A SAM reader that does not answer while no card is on it is a fault nobody
// presented; link trouble is never a fault.
import { afterEach, describe, expect, it } from 'vitest';
import {
  mrz,
  openHidPosScanner,
  openMrzReader,
  openSerialSamReader,
  openSerialScanner,
  openWiegandReader,
  readFault,
  readFaultKind,
  wiegand,
  type ReadFault,
} from '../../drivers';
import {
  createHidPosSimulator,
  createPtyPair,
  SAMPLE_ID_CARD,
  startMrzSimulator,
  startSamSimulator,
  startScannerSimulator,
  startWiegandSimulator,
} from '../../drivers/simulators';
import { READ_FAULT_KINDS } from '../../domain/device-faults';
import { waitFor } from './helpers';

const PASSPORT = { shape: 'TD3', documentCode: 'P', issuingState: 'D', surname: 'MUSTERMANN', givenNames: 'ERIKA', documentNumber: 'C01X00T47', nationality: 'D', birthDate: '830812', sex: 'F', expiryDate: '340415' } as const;

describe('read faults from the drivers', () => {
  const cleanups: Array<() => Promise<unknown> | unknown> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await Promise.resolve(c()).catch(() => undefined);
  });
  const pty = async () => {
    const p = await createPtyPair();
    cleanups.push(() => p.close());
    return p;
  };

  it('maps protocol codes onto the closed set, and link trouble onto nothing', () => {
    expect(readFaultKind('garbled')).toBe('garbled');
    expect(readFaultKind('truncated')).toBe('incomplete');
    expect(readFaultKind('bad_checksum')).toBe('checksum');
    expect(readFaultKind('bad_id_number')).toBe('checksum');
    expect(readFaultKind('parity')).toBe('parity');
    expect(readFaultKind('select_failed')).toBe('unreadable');
    for (const link of ['io', 'closed', 'not_found', 'unavailable', 'no_card', 'enable_failed', 'toString', '__proto__']) expect(readFaultKind(link)).toBeNull();
    const at = new Date();
    expect(readFault('too_long', 'd', true, at)).toEqual({ kind: 'too_long', code: 'too_long', detail: 'd', presented: true, at });
    expect(readFault('io', 'd')).toBeNull();
    for (const k of READ_FAULT_KINDS) expect(readFaultKind(k)).toBe(k);
  });

  it('a serial scanner: garbled, too long and incomplete frames, then a good scan', async () => {
    const line = await pty();
    const sim = await startScannerSimulator(line.devicePath);
    cleanups.push(() => sim.close());
    const scanner = openSerialScanner({ path: line.hostPath, maxLength: 64, idleTimeoutMs: 150 });
    cleanups.push(() => scanner.close());
    const faults: ReadFault[] = [];
    const errors: string[] = [];
    const scans: string[] = [];
    scanner.on('fault', (f) => faults.push(f));
    scanner.on('error', (e) => errors.push(e.code));
    scanner.on('scan', (s) => scans.push(s.code));
    await waitFor(() => scanner.status === 'connected', 5000, 'scanner connected');

    await sim.sendRaw([0x00, 0xff, 0xfe, 0x1b, 0x0d]);
    await waitFor(() => faults.length === 1, 5000, 'garbled');
    await sim.scan('X'.repeat(100), 'CR');
    await waitFor(() => faults.length === 2, 5000, 'too long');
    await sim.scan('PARTIAL', 'none');
    await waitFor(() => faults.length === 3, 5000, 'incomplete');
    await sim.scan('T-GOOD', 'CR');
    await waitFor(() => scans.length === 1, 5000, 'good scan');
    expect(faults.map((f) => [f.kind, f.code, f.presented])).toEqual([
      ['garbled', 'garbled', true],
      ['too_long', 'too_long', true],
      ['incomplete', 'incomplete', true],
    ]);
    expect(faults.every((f) => f.at instanceof Date && f.detail.length > 0)).toBe(true);
    // The coded errors are still there, one per fault.
    expect(errors).toEqual(['garbled', 'too_long', 'incomplete']);
    expect(scans).toEqual(['T-GOOD']);
  });

  it('a Wiegand converter: a flipped parity bit and a line that is not Wiegand', async () => {
    const line = await pty();
    const sim = await startWiegandSimulator(line.devicePath);
    cleanups.push(() => sim.close());
    const reader = openWiegandReader({ path: line.hostPath });
    cleanups.push(() => reader.close());
    const faults: ReadFault[] = [];
    const scans: string[] = [];
    reader.on('fault', (f) => faults.push(f));
    reader.on('scan', (s) => scans.push(s.code));
    await waitFor(() => reader.status === 'connected', 5000, 'reader connected');

    const bits = wiegand.encodeWiegand26(12, 345);
    bits[5] = bits[5] === 1 ? 0 : 1;
    await sim.sendBits(bits);
    await waitFor(() => faults.length === 1, 5000, 'parity fault');
    await sim.sendLine('HELLO');
    await waitFor(() => faults.length === 2, 5000, 'garbled line');
    await sim.present({ format: 'W26', facility: 12, number: 345 });
    await waitFor(() => scans.length === 1, 5000, 'good card');
    expect(faults.map((f) => [f.kind, f.code])).toEqual([
      ['parity', 'parity'],
      ['garbled', 'garbled'],
    ]);
  });

  it('a HID POS scanner: a report with a bad length byte', async () => {
    const sim = createHidPosSimulator();
    const scanner = openHidPosScanner({ open: sim.opener() });
    cleanups.push(() => scanner.close());
    const faults: ReadFault[] = [];
    const scans: string[] = [];
    scanner.on('fault', (f) => faults.push(f));
    scanner.on('scan', (s) => scans.push(s.code));
    await waitFor(() => scanner.status === 'connected', 5000, 'scanner connected');
    const report = Buffer.alloc(64);
    report[0] = 0x02;
    report[1] = 0xff; // more data than a report holds
    await sim.sendReports(report);
    await waitFor(() => faults.length === 1, 5000, 'bad report');
    expect(await sim.scan('H-GOOD')).toBe(true);
    await waitFor(() => scans.length === 1, 5000, 'good scan');
    expect(faults[0]).toMatchObject({ kind: 'garbled', code: 'bad_length', presented: true });
  });

  it('an MRZ reader: a document number failing its check digit, an incomplete document, then a good one', async () => {
    const line = await pty();
    const sim = await startMrzSimulator(line.devicePath);
    cleanups.push(() => sim.close());
    const reader = openMrzReader({ path: line.hostPath, documentTimeoutMs: 300 });
    cleanups.push(() => reader.close());
    const faults: ReadFault[] = [];
    const documents: string[] = [];
    reader.on('fault', (f) => faults.push(f));
    reader.on('document', (d) => documents.push(d.document.documentNumber ?? ''));
    await waitFor(() => reader.status === 'connected', 5000, 'reader connected');

    const lines = mrz.composeMrz(PASSPORT);
    await sim.present([lines[0]!, lines[1]!.replace('C01X00T47', 'C01X00T48')]);
    await waitFor(() => faults.length === 1, 5000, 'check digit fault');
    await sim.present([lines[0]!]);
    await waitFor(() => faults.length === 2, 5000, 'incomplete document');
    await sim.present(PASSPORT);
    await waitFor(() => documents.length === 2, 5000, 'good document');
    expect(faults.map((f) => [f.kind, f.code, f.presented])).toEqual([
      ['checksum', 'check_digit', true],
      ['incomplete', 'incomplete', true],
    ]);
    // The misread is still a document (with its failed checks), but not one to trust.
    expect(documents).toEqual(['C01X00T48', 'C01X00T47']);
    // Field names only: no part of the document in the detail.
    expect(faults[0]!.detail).not.toContain('C01X00T4');
  });

  it('a SAM reader: a corrupted reply with a card on it is presented; silence with none is not', async () => {
    const line = await pty();
    const sim = await startSamSimulator(line.devicePath, { card: SAMPLE_ID_CARD });
    cleanups.push(() => sim.close());
    const reader = openSerialSamReader({ path: line.hostPath, timeoutMs: 400 });
    cleanups.push(() => reader.close());
    const faults: ReadFault[] = [];
    reader.on('fault', (f) => faults.push(f));
    await waitFor(() => reader.status === 'connected', 5000, 'reader connected');

    sim.inject({ kind: 'bad_checksum' }, 'read');
    await expect(reader.read()).rejects.toMatchObject({ code: 'bad_checksum' });
    expect(faults).toEqual([expect.objectContaining({ kind: 'checksum', code: 'bad_checksum', presented: true })]);

    sim.inject({ kind: 'select_fail' }, 'select');
    await expect(reader.read()).rejects.toMatchObject({ code: 'select_failed' });
    expect(faults[1]).toMatchObject({ kind: 'unreadable', presented: true });

    sim.setCard(null);
    sim.inject({ kind: 'silent' }, 'find');
    await expect(reader.read()).rejects.toMatchObject({ code: 'timeout' });
    expect(faults[2]).toMatchObject({ kind: 'timeout', presented: false });

    // An empty reader answering clearly is no fault; nor is a good read.
    await expect(reader.read()).rejects.toMatchObject({ code: 'no_card' });
    sim.setCard(SAMPLE_ID_CARD);
    expect((await reader.read()).idNumber).toBe(SAMPLE_ID_CARD.idNumber);
    expect(faults).toHaveLength(3);
  });
});
