// Gate scan boxes on RS232/RS485: ASCII + CR through the existing serial scanner driver, with the box
// in command-trigger mode (the gate's presence sensor asks the driver to trigger a read).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSerialScanner, type SerialScanner, type ScanEvent, type ScannerError } from '../../drivers/scanners/serial-scanner';
import { startScannerSimulator, type ScannerSimulator } from '../../drivers/scanners/serial-scanner-simulator';
import type { TriggerKind } from '../../drivers/scanners/serial-framing';
import { createPtyPair, type PtyPair } from '../../drivers/testing/pty';
import { waitFor } from './helpers';

for (const kind of ['honeywell', 'gm65'] as const) {
  describe(`gate scan box on a serial line, ${kind} trigger`, () => {
    let pair: PtyPair;
    let box: ScannerSimulator;
    let scanner: SerialScanner;
    let scans: ScanEvent[];
    let errors: ScannerError[];
    let queue: string[];
    const seen: TriggerKind[] = [];

    beforeEach(async () => {
      pair = await createPtyPair();
      queue = [];
      // The box reads whatever ticket is held under it when triggered; with none, it stays silent.
      const onTrigger = (k: TriggerKind) => {
        seen.push(k);
        return queue.shift();
      };
      box = await startScannerSimulator(pair.devicePath, { terminator: 'CR', onTrigger });
      scans = [];
      errors = [];
      scanner = openSerialScanner({ path: pair.hostPath, terminator: 'CR', trigger: kind, idleTimeoutMs: 150 });
      scanner.on('scan', (s) => scans.push(s));
      scanner.on('error', (e) => errors.push(e));
      await waitFor(() => scanner.status === 'connected', 5000, 'scan box connected');
    });

    afterEach(async () => {
      await scanner.close();
      await box.close().catch(() => undefined);
      await pair.close();
    });

    it('reads a ticket on each software trigger, and nothing when no ticket is there', async () => {
      queue.push('T-000123', 'T-000124');
      await scanner.trigger();
      await waitFor(() => scans.length === 1, 3000, 'first read');
      await scanner.trigger();
      await waitFor(() => scans.length === 2, 3000, 'second read');
      await scanner.trigger(); // no ticket under the box
      await waitFor(() => box.triggers === 3, 3000, 'third trigger seen');
      expect(scans.map((s) => s.code)).toEqual(['T-000123', 'T-000124']);
      expect(seen.slice(-3)).toEqual([kind, kind, kind]);
      expect(errors).toEqual([]);
    });

    it('a spontaneous read (the box in presentation mode) still arrives as a scan', async () => {
      await box.scan('GATE-A:T-000777', 'CR');
      await waitFor(() => scans.length === 1, 3000);
      expect(scans[0]!.code).toBe('GATE-A:T-000777');
    });
  });
}
