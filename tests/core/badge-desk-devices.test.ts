// A scanner and an ID card reader at the badge desk, through a real core on a real SQLite file with its
// cache seeded directly: while the signed-in session is on the badge desk, a serial scanner's scan (on a
// socat PTY) finds the attendee by code and a SAM ID card read finds them by the ID number's hash, each
// told as badgeDesk.found and admitting no one; once the session is back on the gate (or signed out),
// the same devices admit at the gate as before.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BadgeDeskMatch, Verdict } from '../../electron/contract';
import { createPtyPair, SAMPLE_ID_CARD, startSamSimulator, startScannerSimulator, type PtyPair, type SamSimulator, type ScannerSimulator } from '../../drivers/simulators';
import { loginAs } from '../helpers/login';
import { waitFor } from '../helpers/wait';
import { MANAGER_PIN, seedTerminal, startTerminal, type TestTerminal } from './devices-fixtures';

type Found = { by: string; matches: BadgeDeskMatch[] };

describe('scans and ID cards at the badge desk', () => {
  const cleanups: Array<() => Promise<unknown> | unknown> = [];
  let t: TestTerminal;
  let scanner: ScannerSimulator;
  let sam: SamSimulator;
  let ticketIds: Map<string, string>;
  const found: Found[] = [];
  const statusOf = (id: string) => t.core.devices.list().find((d) => d.id === id);

  beforeAll(async () => {
    t = await startTerminal({ printerPollMs: 0, idRepeatMs: 0, reconnect: { initialDelayMs: 50, maxDelayMs: 400 } });
    cleanups.push(() => t.close());
    ({ ticketIds } = seedTerminal(t.core.sync, [{ code: 'T-DESK', name: 'Zhang San', idNumber: SAMPLE_ID_CARD.idNumber }, { code: 'T-GATE', name: 'Gate Goer' }]));
    const lines: PtyPair[] = [await createPtyPair(), await createPtyPair()];
    for (const l of lines) cleanups.push(() => l.close());
    scanner = await startScannerSimulator(lines[0]!.devicePath);
    cleanups.push(() => scanner.close());
    sam = await startSamSimulator(lines[1]!.devicePath, { card: null });
    cleanups.push(() => sam.close());
    t.core.configureDevices([
      { id: 'scanner', name: 'Desk scanner', kind: 'scanner', driver: 'serial-scanner', path: lines[0]!.hostPath },
      { id: 'id-1', name: 'ID reader', kind: 'id-reader', driver: 'sam-serial', path: lines[1]!.hostPath, pollMs: 100 },
    ]);
    await t.core.restartDevices();
    await waitFor(() => statusOf('scanner')?.state === 'connected' && statusOf('id-1')?.state === 'connected', 30_000, 'devices connected');
    t.core.events.on('event', (e) => {
      if (e.name === 'badgeDesk.found') found.push(e.payload as Found);
    });
    expect(await loginAs(t.core, 'm', { role: 'manager' }, MANAGER_PIN)).toMatchObject({ ok: true });
  }, 60_000);

  afterAll(async () => {
    for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => undefined);
  });

  it('finds by a scanned code and by an ID card while the desk is open, admitting no one', async () => {
    expect(await t.core.dispatch('m', 'badgeDesk.state', {})).toMatchObject({ ok: true });
    await scanner.scan('T-DESK', 'CR');
    await waitFor(() => found.length === 1, 30_000, 'found by the scan');
    expect(found[0]).toMatchObject({ by: 'code', matches: [{ ticketId: ticketIds.get('T-DESK'), name: 'Zhang San', checkedIn: false }] });
    sam.setCard(SAMPLE_ID_CARD);
    await waitFor(() => found.length === 2, 30_000, 'found by the ID card');
    expect(found[1]).toMatchObject({ by: 'id_card', matches: [{ ticketId: ticketIds.get('T-DESK') }] });
    sam.setCard(null);
    expect(t.verdicts).toEqual([]);
    expect(t.core.checkins.history(ticketIds.get('T-DESK')!)).toEqual([]);
    // The ID number goes nowhere but the hash: not into the event.
    expect(JSON.stringify(found)).not.toContain(SAMPLE_ID_CARD.idNumber);
  });

  it('admits at the gate as before once the session is back on the gate', async () => {
    expect(await t.core.dispatch('m', 'gate.recent', { limit: 5 })).toMatchObject({ ok: true });
    await scanner.scan('T-GATE', 'CR');
    await waitFor(() => t.verdicts.length === 1, 30_000, 'the gate verdict');
    expect(t.verdicts[0]).toMatchObject({ code: 'T-GATE', admitted: true } satisfies Partial<Verdict>);
    expect(found).toHaveLength(2);
  });

  it('and once the desk session signs out', async () => {
    expect(await t.core.dispatch('m', 'badgeDesk.find', { query: 'zhang' })).toMatchObject({ ok: true, value: { by: 'name', matches: [{ name: 'Zhang San' }] } });
    await scanner.scan('T-DESK', 'CR');
    await waitFor(() => found.length === 3, 30_000, 'found again while open');
    expect(await t.core.dispatch('m', 'session.logout', {})).toMatchObject({ ok: true });
    await scanner.scan('T-DESK', 'CR');
    await waitFor(() => t.verdicts.length === 2, 30_000, 'admitted at the gate');
    expect(t.verdicts[1]).toMatchObject({ code: 'T-DESK', admitted: true });
  });
});
