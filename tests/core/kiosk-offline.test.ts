// The kiosk on a terminal that never reached a server, through a real core on a real SQLite file with its
// cache seeded through the sync appliers: a scanner's read and an ID card's read identify the attendee
// for the open kiosk screen (kiosk.found, admitting no one), the scanner going away raises one alert per
// outage; a meal point admits a ticket holding a meal entitlement once per day and refuses one without
// (no_entitlement), offline; the kiosk's information screen counts the meal used today from the cache;
// and with no badge printer a confirmed check-in raises a printer alert once.
import { v7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KioskAlertView, KioskCheckIn, KioskFound, KioskInfo } from '../../electron/contract';
import { hashPin } from '../../domain/hashing';
import type { Change } from '../../domain/wire';
import { createPtyPair, SAMPLE_ID_CARD, startSamSimulator, startScannerSimulator, type PtyPair, type SamSimulator, type ScannerSimulator } from '../../drivers/simulators';
import { loginAs } from '../helpers/login';
import { waitFor } from '../helpers/wait';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Verdict } from '../../electron/contract';
import { createCore, type Core } from '../../electron/core/core';
import { MANAGER_PIN, MIGRATIONS, seedTerminal } from './devices-fixtures';

const KIOSK_PIN = '444444';

describe('the kiosk offline, with its scanner and ID reader', () => {
  const cleanups: Array<() => Promise<unknown> | unknown> = [];
  let t: { core: Core; verdicts: Verdict[] };
  let scanner: ScannerSimulator;
  let sam: SamSimulator;
  let lines: PtyPair[];
  let ticketIds: Map<string, string>;
  let eventId = '';
  const mealPointId = v7();
  const mainPointId = v7();
  const found: KioskFound[] = [];
  const statusOf = (id: string) => t.core.devices.list().find((d) => d.id === id);
  const call = async <T>(name: string, input: unknown, session = 'kiosk'): Promise<T> => {
    const r = await t.core.dispatch(session, name, input);
    if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.error)}`);
    return r.value as T;
  };

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'admit-kiosk-offline-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const core = await createCore({
      dataDir: dir,
      migrationsFolder: MIGRATIONS,
      shell: 'service',
      demo: false,
      version: 'test',
      modes: ['gate', 'kiosk', 'manager'],
      devices: { usbEvents: false, printerPollMs: 0, idRepeatMs: 0, reconnect: { initialDelayMs: 50, maxDelayMs: 400 } },
    });
    cleanups.push(() => core.close());
    t = { core, verdicts: [] };
    core.events.on('event', (e) => {
      if (e.name === 'scan.verdict') t.verdicts.push(e.payload as Verdict);
    });
    ({ eventId, ticketIds } = seedTerminal(t.core.sync, [
      { code: 'T-KIOSK', name: 'Zhang San', idNumber: SAMPLE_ID_CARD.idNumber },
      { code: 'T-MEAL', name: 'Hungry Guest' },
      { code: 'T-NOMEAL', name: 'Not Hungry' },
    ]));
    const salt = v7();
    const changes: Change[] = [
      { seq: 0, kind: 'operator', row: { id: v7(), name: 'Kiosk', role: 'kiosk', pinHash: hashPin(KIOSK_PIN, salt), pinSalt: salt, active: true } },
      {
        seq: 0,
        kind: 'check_in_point',
        row: { id: mainPointId, eventId, name: { en: 'Main entrance' }, ticketTypeIds: [], zone: null, direction: 'entry', reentry: 'single', windows: [], autoCheckoutAt: null, active: true, operatorIds: [], deviceIds: [], entitlement: null },
      },
      {
        seq: 0,
        kind: 'check_in_point',
        row: {
          id: mealPointId,
          eventId,
          name: { en: 'Lunch' },
          ticketTypeIds: [],
          zone: 'meal',
          direction: 'entry',
          reentry: 'once_per_day',
          windows: [],
          autoCheckoutAt: null,
          active: true,
          operatorIds: [],
          deviceIds: [],
          entitlement: 'meal',
        },
      },
      { seq: 0, kind: 'entitlement', row: { id: v7(), ticketId: ticketIds.get('T-MEAL')!, eventId, kind: 'meal', label: { en: 'Lunch' }, from: null, to: null, active: true } },
      { seq: 0, kind: 'entitlement', row: { id: v7(), ticketId: ticketIds.get('T-NOMEAL')!, eventId, kind: 'meal', label: null, from: null, to: null, active: false } },
      { seq: 0, kind: 'attendee_info', row: { ticketId: ticketIds.get('T-MEAL')!, eventId, items: [{ kind: 'table', value: 'Table 4', label: null, at: null, to: null, place: null }], updatedAt: new Date().toISOString() } },
    ];
    t.core.sync.applyChanges(changes, 0);
    t.core.gate.setPoint(mainPointId);
    lines = [await createPtyPair(), await createPtyPair()];
    for (const l of lines) cleanups.push(() => l.close());
    scanner = await startScannerSimulator(lines[0]!.devicePath);
    cleanups.push(() => scanner.close());
    sam = await startSamSimulator(lines[1]!.devicePath, { card: null });
    cleanups.push(() => sam.close());
    t.core.configureDevices([
      { id: 'scanner', name: 'Kiosk scanner', kind: 'scanner', driver: 'serial-scanner', path: lines[0]!.hostPath },
      { id: 'id-1', name: 'ID reader', kind: 'id-reader', driver: 'sam-serial', path: lines[1]!.hostPath, pollMs: 100 },
    ]);
    await t.core.restartDevices();
    await waitFor(() => statusOf('scanner')?.state === 'connected' && statusOf('id-1')?.state === 'connected', 30_000, 'devices connected');
    t.core.events.on('event', (e) => {
      if (e.name === 'kiosk.found') found.push(e.payload as KioskFound);
    });
    expect(await loginAs(t.core, 'kiosk', { role: 'kiosk' }, KIOSK_PIN)).toMatchObject({ ok: true });
    expect(await loginAs(t.core, 'manager', { role: 'manager' }, MANAGER_PIN)).toMatchObject({ ok: true });
  }, 60_000);

  afterAll(async () => {
    for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => undefined);
  });

  it('identifies by a scanned code and by an ID card while the kiosk screen is open, admitting no one', async () => {
    expect(await call('kiosk.state', {})).toMatchObject({ online: false, scanner: { present: true, ready: true }, idCardReader: { present: true, ready: true }, printer: { present: false } });
    await scanner.scan('T-KIOSK', 'CR');
    await waitFor(() => found.length === 1, 30_000, 'found by the scan');
    expect(found[0]).toMatchObject({ ok: true, by: 'scanner', candidates: [{ nameMasked: 'Zhang S.' }] });
    sam.setCard(SAMPLE_ID_CARD);
    await waitFor(() => found.length === 2, 30_000, 'found by the ID card');
    sam.setCard(null);
    expect(found[1]).toMatchObject({ ok: true, by: 'id_card', candidates: [{ nameMasked: 'Zhang S.' }] });
    expect(JSON.stringify(found)).not.toContain(SAMPLE_ID_CARD.idNumber);
    expect(t.verdicts).toEqual([]);
    expect(t.core.checkins.history(ticketIds.get('T-KIOSK')!)).toEqual([]);
    // The visit the ID card opened is the session's now.
    const f = found[1] as Extract<KioskFound, { ok: true }>;
    expect(await call('kiosk.reset', { visitId: f.visitId })).toEqual({ ended: true });
  });

  it('checks in without a badge printer, raising one printer alert', async () => {
    await scanner.scan('T-KIOSK', 'CR');
    await waitFor(() => found.length === 3, 30_000, 'found again');
    const f = found[2] as Extract<KioskFound, { ok: true }>;
    const done = await call<KioskCheckIn>('kiosk.confirm', { visitId: f.visitId, candidateId: f.candidates[0]!.candidateId, requestId: v7() });
    expect(done).toMatchObject({ checkIn: 'admitted', print: { state: 'failed', reason: 'no_printer' }, greeting: 'Zhang San' });
    expect((await call<KioskAlertView[]>('kiosk.alerts', { includeResolved: false }, 'manager')).filter((a) => a.kind === 'printer')).toHaveLength(1);
    // The check-in waits in the outbox with the alert's record.
    const kinds = t.core.outbox.batch(50).map((e) => e.record?.kind);
    expect(kinds).toEqual(expect.arrayContaining(['checkin', 'kiosk_alert']));
  });

  it('raises one scanner alert per outage while the kiosk is open', async () => {
    await scanner.close();
    lines[0]!.close();
    await waitFor(() => statusOf('scanner')?.state !== 'connected', 30_000, 'the scanner gone');
    await waitFor(async () => (await call<KioskAlertView[]>('kiosk.alerts', { includeResolved: false }, 'manager')).some((a) => a.kind === 'scanner'), 30_000, 'the scanner alert');
    expect((await call<KioskAlertView[]>('kiosk.alerts', { includeResolved: false }, 'manager')).filter((a) => a.kind === 'scanner')).toEqual([
      expect.objectContaining({ code: 'scanner_offline', ticketId: null }),
    ]);
  });

  it('admits at a meal point once per day, only with a meal entitlement, offline; the kiosk shows it used', async () => {
    const meal = ticketIds.get('T-MEAL')!;
    t.core.gate.setPoint(mealPointId);
    expect(await t.core.gate.admitTicket(ticketIds.get('T-NOMEAL')!, null, undefined, { open: false })).toMatchObject({ admitted: false, reason: 'no_entitlement' });
    const info = async () => {
      const g = await call<Extract<KioskFound, { ok: true }>>('kiosk.code', { code: 'T-MEAL' });
      await call<KioskCheckIn>('kiosk.confirm', { visitId: g.visitId, candidateId: g.candidates[0]!.candidateId, requestId: v7() });
      return call<KioskInfo>('kiosk.info', { visitId: g.visitId });
    };
    expect(await t.core.gate.admitTicket(meal, null, undefined, { open: false })).toMatchObject({ admitted: true, confirmation: 'local' });
    expect(await t.core.gate.admitTicket(meal, null, undefined, { open: false })).toMatchObject({ admitted: false, reason: 'already_used' });
    // The kiosk (serving the meal point now) says so: the ticket was checked in there today.
    const after = await info();
    expect(after).toMatchObject({ source: 'cache', items: [{ kind: 'table', value: 'Table 4' }], entitlements: [{ kind: 'meal', label: { en: 'Lunch' }, usedToday: true, availableToday: false }] });
  });
});
