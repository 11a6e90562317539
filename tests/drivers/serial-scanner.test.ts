// Real bytes through the real serialport binding: the driver on one end of a socat PTY pair, the
// scanner simulator on the other.
import { readlink, symlink, unlink } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSerialScanner, type SerialScanner, type ScanEvent, type ScannerError } from '../../drivers/scanners/serial-scanner';
import { startScannerSimulator, type ScannerSimulator } from '../../drivers/scanners/serial-scanner-simulator';
import { createPtyPair, type PtyPair } from '../../drivers/testing/pty';
import type { ConnectionStatus } from '../../drivers/errors';
import { sleep, stallEventLoop, waitFor } from './helpers';

describe('serial scanner over a PTY', () => {
  let pair: PtyPair;
  let sim: ScannerSimulator;
  let scanner: SerialScanner;
  let scans: ScanEvent[];
  let errors: ScannerError[];
  let statuses: ConnectionStatus[];

  beforeEach(async () => {
    pair = await createPtyPair();
    sim = await startScannerSimulator(pair.devicePath);
    scans = [];
    errors = [];
    statuses = [];
    scanner = openSerialScanner({ path: pair.hostPath, terminator: 'any', maxLength: 64, idleTimeoutMs: 150 });
    scanner.on('scan', (s) => scans.push(s));
    scanner.on('error', (e) => errors.push(e));
    scanner.on('status', (s) => statuses.push(s));
    await waitFor(() => scanner.status === 'connected', 5000, 'scanner connected');
  });

  afterEach(async () => {
    await scanner.close();
    await sim.close().catch(() => undefined);
    await pair.close();
  });

  it('decodes scans with each terminator, including UTF-8', async () => {
    expect(statuses).toEqual(['connecting', 'connected']);
    await sim.scan('T-000123', 'CR');
    await sim.scan('T-000124', 'CRLF');
    await sim.scan('Билет-42', 'LF');
    await waitFor(() => scans.length === 3, 3000, 'three scans');
    expect(scans.map((s) => s.code)).toEqual(['T-000123', 'T-000124', 'Билет-42']);
    expect(scans[0]!.at).toBeInstanceOf(Date);
    expect(errors).toEqual([]);
  });

  it('reports malformed input as coded errors and keeps scanning', async () => {
    const cases: Array<{ send: () => Promise<void>; code: ScannerError['code'] }> = [
      { send: () => sim.sendRaw([0x00, 0xff, 0xfe, 0x1b, 0x0d]), code: 'garbled' }, // garbage bytes
      { send: () => sim.scan('X'.repeat(100), 'CR'), code: 'too_long' }, // overlong line (max 64)
      { send: () => sim.sendRaw([0xc3, 0x28, 0x41, 0x0d]), code: 'garbled' }, // invalid UTF-8
      { send: () => sim.scan('PARTIAL', 'none'), code: 'incomplete' }, // bare partial frame, idle
    ];
    for (const [i, c] of cases.entries()) {
      await c.send();
      await waitFor(() => errors.length === i + 1, 3000, `error for case ${i}`);
      expect(errors[i]!.code).toBe(c.code);
      expect(errors[i]!.detail.length).toBeGreaterThan(0);
      // The next good scan still comes through, whole.
      await sim.scan(`GOOD-${i}`, 'CR');
      await waitFor(() => scans.length === i + 1, 3000, `good scan ${i}`);
      expect(scans[i]!.code).toBe(`GOOD-${i}`);
    }
    await sleep(200);
    expect(errors.map((e) => e.code)).toEqual(['garbled', 'too_long', 'garbled', 'incomplete']);
    expect(scans.map((s) => s.code)).toEqual(['GOOD-0', 'GOOD-1', 'GOOD-2', 'GOOD-3']);
  });

  it('keeps a frame whole when the event loop stalls while its tail waits unread', async () => {
    await sim.sendRaw(Buffer.from('SPLIT-')); // read on its own: the idle timer (150 ms) runs from here
    await sleep(50);
    await sim.sendRaw(Buffer.from('TAIL\r'));
    // The tail reaches the host's tty while this process is busy; when it is free again the idle
    // timer is long overdue and fires before the poll that reads the tail.
    stallEventLoop(400);
    await waitFor(() => scans.length === 1, 3000, 'the whole scan');
    expect(scans.map((s) => s.code)).toEqual(['SPLIT-TAIL']);
    expect(errors).toEqual([]);
  });

  it('drops the tail of an overlong frame even when the line goes quiet before it comes', async () => {
    await sim.sendRaw(Buffer.from('Y'.repeat(80))); // maxLength 64
    await waitFor(() => errors.length === 1, 3000, 'too_long');
    expect(errors[0]!.code).toBe('too_long');
    await sleep(300); // twice the idle timeout, far less than the discard window
    await sim.sendRaw(Buffer.from(`${'Y'.repeat(20)}\r`));
    await sim.scan('NEXT', 'CR');
    await waitFor(() => scans.length === 1, 3000, 'the next scan');
    await sleep(200);
    expect(scans.map((s) => s.code)).toEqual(['NEXT']);
    expect(errors.map((e) => e.code)).toEqual(['too_long']);
  });

  it('sends the software trigger', async () => {
    const scanner2Sim = sim;
    let triggered = 0;
    scanner2Sim.on('trigger', (kind) => {
      expect(kind).toBe('honeywell');
      triggered++;
      void scanner2Sim.scan('ON-TRIGGER');
    });
    await scanner.trigger();
    await waitFor(() => scans.length === 1, 3000, 'scan after trigger');
    expect(triggered).toBe(1);
    expect(scans[0]!.code).toBe('ON-TRIGGER');
  });

  it('recovers by itself after the line is unplugged and plugged back in', async () => {
    await sim.scan('BEFORE', 'CR');
    await waitFor(() => scans.length === 1);

    await pair.unplug(); // kill socat: the host end gets EIO/close, like a pulled USB adapter
    await waitFor(() => scanner.status === 'disconnected', 5000, 'disconnected');
    expect(errors.some((e) => e.code === 'io')).toBe(true);
    await sim.close().catch(() => undefined);
    await sleep(300); // a few failed reopen attempts while the links are gone

    await pair.replug(); // new socat, same link paths
    sim = await startScannerSimulator(pair.devicePath);
    await waitFor(() => scanner.status === 'connected', 8000, 'reconnected');
    await sim.scan('AFTER', 'CR');
    await waitFor(() => scans.length === 2, 3000, 'scan after replug');
    expect(scans.map((s) => s.code)).toEqual(['BEFORE', 'AFTER']);
    expect(statuses[0]).toBe('connecting');
    expect(statuses.slice(1)).toEqual(expect.arrayContaining(['connected', 'disconnected']));
    expect(statuses.at(-1)).toBe('connected');
  });

  it('counts a vanished device node as a pulled line, even when no hang-up reaches the port', async () => {
    const target = await readlink(pair.hostPath);
    await unlink(pair.hostPath); // the node is gone, the PTY itself stays up: no hang-up is delivered
    await waitFor(() => scanner.status === 'disconnected', 5000, 'disconnected');
    expect(errors.some((e) => e.code === 'io')).toBe(true);
    await symlink(target, pair.hostPath); // plugged back in: the same device shows up again
    await waitFor(() => scanner.status === 'connected', 8000, 'reconnected');
    await sim.scan('AFTER-NODE', 'CR');
    await waitFor(() => scans.length === 1, 3000, 'scan after the node came back');
    expect(scans[0]!.code).toBe('AFTER-NODE');
  });

  it('rejects trigger() while the line is down instead of throwing into the event loop', async () => {
    await pair.unplug();
    await waitFor(() => scanner.status !== 'connected', 5000);
    await expect(scanner.trigger()).rejects.toMatchObject({ code: 'io' });
  });
});
