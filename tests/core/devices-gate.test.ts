// Devices to the gate, end to end through a real core on a real SQLite file: a serial scanner on a
// socat PTY pulled out and plugged back in while in use, a SAM ID card read reaching the gate's
// ID-card search (and the number appearing nowhere: not in the database, not in a log line), an MRZ
// passport the same way, a Modbus TCP turnstile whose missing passage annuls the check-in in SQLite,
// and the emergency open-all / release through the contract, refused to a cashier.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceStatus } from '../../electron/contract';
import { mrz as mrzBytes } from '../../drivers';
import {
  createPtyPair,
  SAMPLE_ID_CARD,
  startLcusSimulator,
  startModbusTcpSimulator,
  startMrzSimulator,
  startSamSimulator,
  startScannerSimulator,
  type LcusSimulator,
  type ModbusTcpSimulator,
  type MrzSimulator,
  type PtyPair,
  type SamSimulator,
  type ScannerSimulator,
} from '../../drivers/simulators';
import { openTerminalDb } from '../helpers/terminal-db';
import { waitFor } from '../helpers/wait';
import { CASHIER_PIN, MANAGER_PIN, seedTerminal, startTerminal, type TestTerminal } from './devices-fixtures';
import { loginAs } from '../helpers/login';

const PASSPORT = { shape: 'TD3', documentCode: 'P', issuingState: 'D', surname: 'MUSTERMANN', givenNames: 'ERIKA', documentNumber: 'C01X00T47', nationality: 'D', birthDate: '830812', sex: 'F', expiryDate: '340415' } as const;

describe('devices to the gate', () => {
  const cleanups: Array<() => Promise<unknown> | unknown> = [];
  let t: TestTerminal;

  const boot = async (options: Parameters<typeof startTerminal>[0] = {}) => {
    t = await startTerminal({ printerPollMs: 0, reconnect: { initialDelayMs: 50, maxDelayMs: 400 }, ...options });
    cleanups.push(() => t.close());
    return t;
  };
  const pty = async () => {
    const p = await createPtyPair();
    cleanups.push(() => p.close());
    return p;
  };
  const statusOf = (id: string) => t.core.devices.list().find((d) => d.id === id);

  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await Promise.resolve(c()).catch(() => undefined);
  });

  it('a serial scanner unplugged and plugged back in while in use recovers by itself, and its scans reach the gate', async () => {
    await boot();
    seedTerminal(t.core.sync, [{ code: 'T-BEFORE' }, { code: 'T-AFTER' }]);
    const line: PtyPair = await pty();
    let sim: ScannerSimulator = await startScannerSimulator(line.devicePath);
    cleanups.push(() => sim.close());
    const states: DeviceStatus['state'][] = [];
    t.core.events.on('event', (e) => e.name === 'device.status' && (e.payload as DeviceStatus).id === 'gate-scanner' && states.push((e.payload as DeviceStatus).state));
    t.core.configureDevices([{ id: 'gate-scanner', name: 'Gate scanner', kind: 'scanner', driver: 'serial-scanner', path: line.hostPath }]);
    await t.core.restartDevices();
    await waitFor(() => statusOf('gate-scanner')?.state === 'connected', 5000, 'scanner connected');

    await sim.scan('T-BEFORE', 'CR');
    await waitFor(() => t.verdicts.length === 1, 5000, 'first verdict');
    expect(t.verdicts[0]).toMatchObject({ code: 'T-BEFORE', admitted: true, reason: 'ok' });

    await line.unplug();
    await waitFor(() => statusOf('gate-scanner')?.state === 'disconnected', 5000, 'scanner disconnected');
    await sim.close().catch(() => undefined);
    await line.replug();
    sim = await startScannerSimulator(line.devicePath);
    await waitFor(() => statusOf('gate-scanner')?.state === 'connected', 8000, 'scanner reconnected');

    await sim.scan('T-AFTER', 'CRLF');
    await waitFor(() => t.verdicts.length === 2, 5000, 'verdict after replug');
    expect(t.verdicts[1]).toMatchObject({ code: 'T-AFTER', admitted: true, reason: 'ok' });
    expect(states).toEqual(expect.arrayContaining(['connecting', 'connected', 'disconnected']));
    expect(states.at(-1)).toBe('connected');
  });

  it('a SAM ID card read reaches gate.scanIdCard once per card, and the ID number is stored and logged nowhere', async () => {
    await boot({ idRepeatMs: 0 });
    const { ticketIds } = seedTerminal(t.core.sync, [{ code: 'T-ID', idNumber: SAMPLE_ID_CARD.idNumber, name: 'Zhang San' }]);
    const line = await pty();
    const sam: SamSimulator = await startSamSimulator(line.devicePath, { card: null });
    cleanups.push(() => sam.close());
    t.core.configureDevices([{ id: 'id-1', name: 'ID reader', kind: 'id-reader', driver: 'sam-serial', path: line.hostPath, pollMs: 100 }]);
    await t.core.restartDevices();
    await waitFor(() => statusOf('id-1')?.state === 'connected', 5000, 'reader connected');
    // No card yet: the reader is asked, nothing reaches the gate.
    await waitFor(() => sam.requests.filter((r) => r === 'find').length >= 2, 5000, 'polled without a card');
    expect(t.verdicts).toHaveLength(0);

    sam.setCard(SAMPLE_ID_CARD);
    await waitFor(() => t.verdicts.length === 1, 5000, 'ID card verdict');
    expect(t.verdicts[0]).toMatchObject({ admitted: true, reason: 'ok', ticketId: ticketIds.get('T-ID'), attendeeName: 'Zhang San' });
    expect(t.verdicts[0]!.code).not.toContain(SAMPLE_ID_CARD.idNumber);

    // The card stays on the reader: read again and again, admitted once.
    const reads = sam.requests.filter((r) => r === 'read').length;
    await waitFor(() => sam.requests.filter((r) => r === 'read').length >= reads + 3, 5000, 'more reads of the same card');
    expect(t.verdicts).toHaveLength(1);

    // Taken away and presented again: a second attempt, refused as used.
    sam.setCard(null);
    const finds = sam.requests.filter((r) => r === 'find').length;
    await waitFor(() => sam.requests.filter((r) => r === 'find').length >= finds + 2, 5000, 'card noticed gone');
    sam.setCard(SAMPLE_ID_CARD);
    await waitFor(() => t.verdicts.length === 2, 5000, 'second presentation');
    expect(t.verdicts[1]).toMatchObject({ admitted: false, reason: 'already_used' });

    // Nowhere in SQLite (every table, every text column) nor in the WAL file, nor in a log line.
    const db = openTerminalDb(t.dir);
    const tables = (db.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[]).map((r) => r.name);
    for (const table of tables) {
      const rows = db.prepare(`select * from "${table}"`).all();
      expect(JSON.stringify(rows)).not.toContain(SAMPLE_ID_CARD.idNumber);
    }
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    expect(readFileSync(join(t.dir, 'terminal.sqlite')).includes(Buffer.from(SAMPLE_ID_CARD.idNumber))).toBe(false);
    expect(JSON.stringify(t.logs)).not.toContain(SAMPLE_ID_CARD.idNumber);
  });

  it('an MRZ passport read reaches the gate by its document number', async () => {
    await boot();
    const { ticketIds } = seedTerminal(t.core.sync, [{ code: 'T-PASS', idNumber: PASSPORT.documentNumber }]);
    const line = await pty();
    const mrz: MrzSimulator = await startMrzSimulator(line.devicePath);
    cleanups.push(() => mrz.close());
    t.core.configureDevices([{ id: 'mrz-1', name: 'Passport reader', kind: 'id-reader', driver: 'mrz', path: line.hostPath }]);
    await t.core.restartDevices();
    await waitFor(() => statusOf('mrz-1')?.state === 'connected', 5000, 'MRZ reader connected');

    // A misread (broken check digit) is not looked up.
    const lines = mrzBytes.composeMrz(PASSPORT);
    await mrz.present([lines[0]!, lines[1]!.replace('C01X00T47', 'C01X00T48')]);
    await mrz.present(PASSPORT);
    await waitFor(() => t.verdicts.length === 1, 5000, 'passport verdict');
    expect(t.verdicts[0]).toMatchObject({ admitted: true, reason: 'ok', ticketId: ticketIds.get('T-PASS') });
    expect(JSON.stringify(t.logs)).not.toContain(PASSPORT.documentNumber);
  });

  it('a turnstile that reports no passage has the check-in annulled in SQLite; one that saw the passage keeps it', async () => {
    await boot();
    seedTerminal(t.core.sync, [{ code: 'T-NOSHOW' }, { code: 'T-WALKS' }, { code: 'T-LATER' }]);
    const board: ModbusTcpSimulator = await startModbusTcpSimulator();
    cleanups.push(() => board.close());
    t.core.configureDevices([
      {
        id: 'turnstile-1',
        name: 'North turnstile',
        kind: 'relay',
        driver: 'modbus-tcp',
        host: '127.0.0.1',
        port: board.port,
        channel: 1,
        pulseMs: 200,
        passage: { input: 1, pollMs: 50, debounceMs: 100, noPassageTimeoutMs: 1000 },
      },
    ]);
    await t.core.restartDevices();
    await waitFor(() => statusOf('turnstile-1')?.state === 'connected', 5000, 'turnstile connected');
    const passages: (string | null)[] = [];
    t.core.devices.on('passage', (p) => void passages.push(p.checkinId));

    const noShow = await t.core.gate.scan('T-NOSHOW', null);
    expect(noShow).toMatchObject({ admitted: true });
    await waitFor(() => board.pulses.length === 1, 5000, 'opening pulse');
    expect(board.pulses[0]).toMatchObject({ coil: 0 });
    await waitFor(() => t.core.checkins.checkinById(noShow.checkinId!)?.state === 'annulled', 5000, 'annulled for no passage');
    const annul = t.core.outbox.batch(100).find((o) => o.record?.kind === 'annul');
    expect(annul?.record).toMatchObject({ kind: 'annul', checkinId: noShow.checkinId, reason: 'no_passage' });

    // The next one walks through: the controller's contact closes for a few polls after the pulse.
    board.once('pulse', () => board.setInputForReads(0, true, 6));
    const walks = await t.core.gate.scan('T-WALKS', null);
    await waitFor(() => passages.includes(walks.checkinId), 5000, 'passage seen');
    // A later no-show times out after the walker's window would have: the walker is still checked in.
    const later = await t.core.gate.scan('T-LATER', null);
    await waitFor(() => t.core.checkins.checkinById(later.checkinId!)?.state === 'annulled', 5000, 'later no-show annulled');
    expect(t.core.checkins.checkinById(walks.checkinId!)?.state).toBe('local');
  });

  it('opens every turnstile for an emergency and holds them until released, for managers only', async () => {
    await boot();
    seedTerminal(t.core.sync, [{ code: 'T-EMERGENCY' }]);
    const board = await startModbusTcpSimulator({ coils: 4 });
    cleanups.push(() => board.close());
    const line = await pty();
    const lcus: LcusSimulator = await startLcusSimulator(line.devicePath, { channels: 2 });
    cleanups.push(() => lcus.close());
    t.core.configureDevices([
      { id: 'modbus', name: 'Main gate', kind: 'relay', driver: 'modbus-tcp', host: '127.0.0.1', port: board.port, channels: 4 },
      { id: 'lcus', name: 'Side door', kind: 'relay', driver: 'lcus', path: line.hostPath, channels: 2 },
    ]);
    await t.core.restartDevices();
    await waitFor(() => statusOf('modbus')?.state === 'connected' && statusOf('lcus')?.state === 'connected', 5000, 'relays connected');

    await loginAs(t.core, 'cashier', { role: 'cashier' }, CASHIER_PIN);
    expect(await t.core.dispatch('cashier', 'devices.openAll', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await loginAs(t.core, 'manager', { role: 'manager' }, MANAGER_PIN);
    expect(await t.core.dispatch('manager', 'devices.openAll', {})).toEqual({ ok: true, value: { emergency: true, failed: [] } });
    expect(board.coils).toEqual([true, true, true, true]);
    await waitFor(() => lcus.state(1) && lcus.state(2), 3000, 'LCUS channels closed');
    expect(t.core.devices.list().map((d) => [d.id, d.state, d.reason])).toEqual([
      ['modbus', 'busy', 'emergency_open'],
      ['lcus', 'busy', 'emergency_open'],
    ]);
    // An admission during the emergency does not end it.
    expect(await t.core.gate.scan('T-EMERGENCY', null)).toMatchObject({ admitted: true });
    expect(board.coils).toEqual([true, true, true, true]);

    expect(await t.core.dispatch('manager', 'devices.release', {})).toEqual({ ok: true, value: { emergency: false, failed: [] } });
    expect(board.coils).toEqual([false, false, false, false]);
    await waitFor(() => !lcus.state(1) && !lcus.state(2), 3000, 'LCUS channels open');
    await waitFor(() => statusOf('modbus')?.state === 'connected' && statusOf('lcus')?.state === 'connected', 3000, 'relays back to normal');
  });
});
