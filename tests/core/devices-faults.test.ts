// Read faults reach the operator, end to end through a real core on a real SQLite file and real
// transports (socat PTYs): a garbled frame from a serial scanner becomes the gate's
// `device.readFault` for that scanner's lane and counts in the scanner's status, and the next good
// scan is admitted as ever; a scanner failing frame after frame shows as `faulty` until a good scan;
// a SAM ID reader whose reads keep failing their checksum shows as `faulty` (reason `checksum`) and
// recovers with the good read that admits the holder; an MRZ reader the same with misread check
// digits; a SAM reader that stops answering while nobody presents a card goes `faulty` (timeout)
// without asking anyone at the gate to try again. Every wait is on an event or a state, never a time.
import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceStatus, ReadFaultEvent } from '../../electron/contract';
import { mrz as mrzBytes } from '../../drivers';
import { createPtyPair, SAMPLE_ID_CARD, startMrzSimulator, startSamSimulator, startScannerSimulator, type PtyPair } from '../../drivers/simulators';
import { waitFor } from '../helpers/wait';
import { seedTerminal, startTerminal, type TestTerminal } from './devices-fixtures';

const PASSPORT = { shape: 'TD3', documentCode: 'P', issuingState: 'D', surname: 'MUSTERMANN', givenNames: 'ERIKA', documentNumber: 'C01X00T47', nationality: 'D', birthDate: '830812', sex: 'F', expiryDate: '340415' } as const;

describe('device read faults', () => {
  const cleanups: Array<() => Promise<unknown> | unknown> = [];
  let t: TestTerminal;
  let faults: ReadFaultEvent[];
  let statuses: DeviceStatus[];

  const boot = async (options: Parameters<typeof startTerminal>[0] = {}) => {
    t = await startTerminal({ printerPollMs: 0, reconnect: { initialDelayMs: 50, maxDelayMs: 400 }, ...options });
    cleanups.push(() => t.close());
    faults = [];
    statuses = [];
    t.core.events.on('event', (e) => {
      if (e.name === 'device.readFault') faults.push(e.payload as ReadFaultEvent);
      if (e.name === 'device.status') statuses.push(e.payload as DeviceStatus);
    });
    return t;
  };
  const pty = async (): Promise<PtyPair> => {
    const p = await createPtyPair();
    cleanups.push(() => p.close());
    return p;
  };
  const statusOf = (id: string) => t.core.devices.list().find((d) => d.id === id);
  const statesOf = (id: string) => statuses.filter((s) => s.id === id).map((s) => [s.state, s.reason]);

  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await Promise.resolve(c()).catch(() => undefined);
  });

  it('a garbled frame from a serial scanner: "scan again" on its lane, counted in its status; the next scan is admitted', async () => {
    await boot();
    seedTerminal(t.core.sync, [{ code: 'T-ONE' }, { code: 'T-TWO' }]);
    const line = await pty();
    const sim = await startScannerSimulator(line.devicePath);
    cleanups.push(() => sim.close());
    t.core.configureDevices([{ id: 'north-scanner', name: 'North scanner', kind: 'scanner', driver: 'serial-scanner', path: line.hostPath, lane: 'north' }]);
    await t.core.restartDevices();
    await waitFor(() => statusOf('north-scanner')?.state === 'connected', 5000, 'scanner connected');
    expect(statusOf('north-scanner')!.faults).toEqual({ recent: 0, streak: 0, total: 0, last: null });

    await sim.sendRaw([0x00, 0xff, 0xfe, 0x1b, 0x0d]);
    await waitFor(() => faults.length === 1, 5000, 'read fault event');
    expect(faults[0]).toEqual({ deviceId: 'north-scanner', deviceKind: 'scanner', deviceName: 'North scanner', lane: 'north', fault: 'garbled', at: expect.any(String) });
    await waitFor(() => statusOf('north-scanner')?.faults?.total === 1, 5000, 'fault counted');
    expect(statusOf('north-scanner')).toMatchObject({ state: 'connected', reason: null, faults: { recent: 1, streak: 1, total: 1, last: { kind: 'garbled' } } });
    // The screen learned it from the status event too.
    expect(statuses.filter((s) => s.id === 'north-scanner').at(-1)!.faults).toMatchObject({ total: 1 });
    expect(t.verdicts).toHaveLength(0);

    await sim.scan('T-ONE', 'CR');
    await waitFor(() => t.verdicts.length === 1, 5000, 'verdict after the fault');
    expect(t.verdicts[0]).toMatchObject({ code: 'T-ONE', admitted: true, reason: 'ok', deviceId: 'north-scanner', lane: 'north' });
    await waitFor(() => statusOf('north-scanner')?.faults?.streak === 0, 5000, 'streak cleared');
    expect(statusOf('north-scanner')).toMatchObject({ state: 'connected', faults: { recent: 1, streak: 0, total: 1 } });

    // Failing frame after frame: faulty, with the kind as the reason; a good scan brings it back.
    await sim.scan('X'.repeat(5000), 'CR');
    await sim.scan('PARTIAL', 'none');
    await waitFor(() => faults.length >= 3, 5000, 'two more faults');
    await sim.sendRaw([0xc3, 0x28, 0x41, 0x0d]);
    await waitFor(() => statusOf('north-scanner')?.state === 'faulty', 5000, 'scanner faulty');
    expect(statusOf('north-scanner')).toMatchObject({ state: 'faulty', reason: 'garbled', faults: { streak: 3, total: 4 } });
    expect(faults.map((f) => f.fault)).toEqual(['garbled', 'too_long', 'incomplete', 'garbled']);
    expect(t.verdicts).toHaveLength(1);

    await sim.scan('T-TWO', 'CRLF');
    await waitFor(() => t.verdicts.length === 2 && statusOf('north-scanner')?.state === 'connected', 5000, 'recovered by a good scan');
    expect(t.verdicts[1]).toMatchObject({ code: 'T-TWO', admitted: true });
    expect(statusOf('north-scanner')).toMatchObject({ state: 'connected', reason: null, faults: { streak: 0, total: 4 } });
    expect(statesOf('north-scanner')).toEqual(expect.arrayContaining([['faulty', 'garbled']]));
    expect(t.logs.filter((l) => l.msg === 'read failed')).toHaveLength(4);
  });

  it('a SAM ID reader failing its checksum read after read shows faulty, and recovers with the good read that admits', async () => {
    await boot({ idRepeatMs: 0 });
    const { ticketIds } = seedTerminal(t.core.sync, [{ code: 'T-ID', idNumber: SAMPLE_ID_CARD.idNumber, name: 'Zhang San' }]);
    const line = await pty();
    const sam = await startSamSimulator(line.devicePath, { card: null });
    cleanups.push(() => sam.close());
    t.core.configureDevices([{ id: 'id-1', name: 'ID reader', kind: 'id-reader', driver: 'sam-serial', path: line.hostPath, pollMs: 100, lane: 'south' }]);
    await t.core.restartDevices();
    await waitFor(() => statusOf('id-1')?.state === 'connected', 5000, 'reader connected');

    // Each of the next three reads of the card comes back with a broken checksum; the fourth is good.
    for (let i = 0; i < 3; i++) sam.inject({ kind: 'bad_checksum' }, 'read');
    sam.setCard(SAMPLE_ID_CARD);
    await waitFor(() => t.verdicts.length === 1, 10_000, 'the good read');
    expect(t.verdicts[0]).toMatchObject({ admitted: true, reason: 'ok', ticketId: ticketIds.get('T-ID'), lane: 'south' });

    // Faulty came (with its reason) after the third fault and before the good read; then connected.
    const seen = statesOf('id-1');
    const faultyAt = seen.findIndex(([s]) => s === 'faulty');
    expect(seen[faultyAt]).toEqual(['faulty', 'checksum']);
    expect(seen.slice(faultyAt).some(([s]) => s === 'connected')).toBe(true);
    await waitFor(() => statusOf('id-1')?.state === 'connected', 5000, 'recovered');
    expect(statusOf('id-1')).toMatchObject({ state: 'connected', reason: null, faults: { streak: 0, total: 3, last: { kind: 'checksum' } } });
    const faultyStatus = statuses.find((s) => s.id === 'id-1' && s.state === 'faulty')!;
    expect(faultyStatus.faults).toMatchObject({ streak: 3, total: 3 });

    // The gate was asked three times to have the card presented again, on the reader's lane.
    expect(faults).toHaveLength(3);
    expect(faults.every((f) => f.deviceId === 'id-1' && f.deviceKind === 'id-reader' && f.lane === 'south' && f.fault === 'checksum')).toBe(true);
    // Nothing of the card in a log line or a status.
    expect(JSON.stringify(t.logs)).not.toContain(SAMPLE_ID_CARD.idNumber);
    expect(JSON.stringify(t.logs)).not.toContain(SAMPLE_ID_CARD.idNumber.slice(-4));
    expect(JSON.stringify(statuses)).not.toContain(SAMPLE_ID_CARD.idNumber.slice(-4));
  });

  it('an MRZ reader misreading check digits again and again shows faulty, and a good read brings it back', async () => {
    await boot();
    const { ticketIds } = seedTerminal(t.core.sync, [{ code: 'T-PASS', idNumber: PASSPORT.documentNumber }]);
    const line = await pty();
    const mrz = await startMrzSimulator(line.devicePath);
    cleanups.push(() => mrz.close());
    t.core.configureDevices([{ id: 'mrz-1', name: 'Passport reader', kind: 'id-reader', driver: 'mrz', path: line.hostPath }]);
    await t.core.restartDevices();
    await waitFor(() => statusOf('mrz-1')?.state === 'connected', 5000, 'MRZ reader connected');

    const lines = mrzBytes.composeMrz(PASSPORT);
    const misread = [lines[0]!, lines[1]!.replace('C01X00T47', 'C01X00T48')];
    for (let i = 1; i <= 3; i++) {
      await mrz.present(misread);
      await waitFor(() => faults.length === i, 5000, `misread ${i}`);
    }
    await waitFor(() => statusOf('mrz-1')?.state === 'faulty', 5000, 'reader faulty');
    expect(statusOf('mrz-1')).toMatchObject({ reason: 'checksum', faults: { streak: 3, total: 3 } });
    expect(faults.map((f) => [f.deviceKind, f.fault, f.lane])).toEqual(Array(3).fill(['id-reader', 'checksum', null]));
    expect(t.verdicts).toHaveLength(0);

    await mrz.present(PASSPORT);
    await waitFor(() => t.verdicts.length === 1 && statusOf('mrz-1')?.state === 'connected', 5000, 'good read');
    expect(t.verdicts[0]).toMatchObject({ admitted: true, ticketId: ticketIds.get('T-PASS') });
    expect(JSON.stringify(t.logs)).not.toContain('C01X00T4');
  });

  it('a SAM reader that stops answering with no card on it goes faulty (timeout), asking nobody at the gate to try again', async () => {
    await boot();
    const line = await pty();
    const sam = await startSamSimulator(line.devicePath, { card: null });
    cleanups.push(() => sam.close());
    t.core.configureDevices([{ id: 'id-quiet', name: 'ID reader', kind: 'id-reader', driver: 'sam-serial', path: line.hostPath, pollMs: 100 }]);
    await t.core.restartDevices();
    await waitFor(() => statusOf('id-quiet')?.state === 'connected', 5000, 'reader connected');

    for (let i = 0; i < 3; i++) sam.inject({ kind: 'silent' }, 'find');
    await waitFor(() => statusOf('id-quiet')?.state === 'faulty', 30_000, 'reader faulty');
    expect(statusOf('id-quiet')).toMatchObject({ reason: 'timeout', faults: { streak: 3, last: { kind: 'timeout' } } });
    expect(faults).toEqual([]);

    // Answering again (an empty reader, clearly): back to connected.
    await waitFor(() => statusOf('id-quiet')?.state === 'connected', 10_000, 'answering again');
    expect(statusOf('id-quiet')).toMatchObject({ reason: null, faults: { streak: 0, total: 3 } });
  });
});
