// The self-service kiosk through the core's call path, on real SQLite, against the real server (PGlite)
// in process, with an Evolis card printer simulator as the kiosk's badge printer: an attendee identified
// by their ticket code and by the last four phone digits with the first letters of any word of their
// name (any script, any case), shown masked (never the full phone); too many or nobody refused; the find
// rate limited; confirming checks them in (the server hears of it) and prints their badge once, a retry
// printing nothing more; a second badge refused (the desk's); someone checked in at the gate still gets
// their badge; a revoked ticket refused with an alert for staff that reaches the server; a printer out of
// cards holding the badge with one printer alert; the attendee's information from the server online and
// from the cache offline; visits that end on their own, by a reset or by a newer identification; and the
// kiosk left only with a manager's PIN (a wrong one refused and audited, never the PIN).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KioskAlertView, KioskCheckIn, KioskFound, KioskInfo, KioskState } from '../../electron/contract';
import { createCore, type Core } from '../../electron/core/core';
import { startEvolisSimulator, type EvolisSimulator } from '../../drivers/badges/evolis-simulator';
import { createServer, type AdmitServer } from '../../server/src/app';
import { call as http, pairTerminal } from '../server/harness';
import { openServerDb } from '../../server/src/db/client';
import { startLink, type Link } from '../helpers/link';
import { waitFor } from '../helpers/wait';
import { loginAs, operatorId } from '../helpers/login';
import { openTerminalDb } from '../helpers/terminal-db';

type Sold = { order: { id: string; code: string; tickets: { id: string; code: string }[] } };
type Found = Extract<KioskFound, { ok: true }>;
const KIOSK_PIN = '444444';
const MANAGER_PIN = '999999';

describe('the self-service kiosk', () => {
  const cleanups: Array<() => Promise<unknown> | unknown> = [];
  let serverUrl: string;
  let adminToken: string;
  let link: Link;
  let kiosk: Core;
  let kioskDir = '';
  let evolis: EvolisSimulator;
  let typeId = '';
  let priceMinor = 0;
  let managerId = '';
  let server: AdmitServer;
  /** The kiosk's own clock (visits and the find rate): moved on by the tests, never waited for. */
  let clockMs = Date.now();
  const byName = new Map<string, { id: string; code: string }>();

  const admin = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${serverUrl}/admin/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${adminToken}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        'x-admit-request-id': uuidv7(),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    expect(res.ok, `${method} ${path}: ${res.status}`).toBe(true);
    return res.json() as Promise<Record<string, unknown>>;
  };
  const call = async <T>(name: string, input: unknown, session = 'kiosk'): Promise<T> => {
    const r = await kiosk.dispatch(session, name, input);
    if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.error)}`);
    return r.value as T;
  };
  const found = async (name: string, input: unknown): Promise<Found> => {
    const f = await call<KioskFound>(name, input);
    if (!f.ok) throw new Error(`${name}: refused ${f.refusal.reason}`);
    return f;
  };
  const audited = (action: string) => {
    const db = openTerminalDb(kioskDir, { readonly: true });
    try {
      return (db.prepare('select subject, operator_id as operatorId, detail from audit_log where action = ? order by seq desc').all(action) as { subject: string | null; operatorId: string | null; detail: string }[]).map(
        (e) => ({ ...e, detail: JSON.parse(e.detail) as Record<string, unknown> }),
      );
    } finally {
      db.close();
    }
  };
  const alerts = () => call<KioskAlertView[]>('kiosk.alerts', { includeResolved: true }, 'manager');
  const sell = async (people: { name: string; phone?: string }[]) => {
    const sold = await call<Sold>(
      'boxOffice.sell',
      {
        lines: [{ ticketTypeId: typeId, quantity: people.length }],
        attendees: people.map((a, index) => ({ ...a, ticketTypeId: typeId, index })),
        payment: { method: 'cash', tenderedMinor: priceMinor * people.length },
      },
      'cashier',
    );
    people.forEach((p, i) => byName.set(p.name, sold.order.tickets[i]!));
    return sold;
  };
  const ticket = (name: string) => byName.get(name)!;
  /** Moves the kiosk's clock past a minute: the find rate starts afresh. */
  const nextMinute = () => {
    clockMs += 61_000;
  };

  beforeAll(async () => {
    const work = mkdtempSync(join(tmpdir(), 'admit-kiosk-'));
    cleanups.push(() => rmSync(work, { recursive: true, force: true }));
    const db = await openServerDb();
    cleanups.push(() => db.close());
    server = await createServer({ db, dataDir: join(work, 'server') });
    cleanups.push(() => server.close());
    serverUrl = (await server.listen({ host: '127.0.0.1', port: 0 })).url;
    adminToken = server.adminToken;
    await server.admin.seedDemo({ tickets: 5 });
    const ops = (await fetch(`${serverUrl}/admin/v1/operators`, { headers: { authorization: `Bearer ${adminToken}` } }).then((r) => r.json())) as { operators: { name: string; role: string }[] };
    if (!ops.operators.some((o) => o.role === 'kiosk')) await admin('POST', '/operators', { operators: [{ name: 'Kiosk', role: 'kiosk', pin: KIOSK_PIN }] });
    link = await startLink(Number(new URL(serverUrl).port));
    cleanups.push(() => link.close());

    evolis = await startEvolisSimulator({ port: 0, outDir: join('artifacts', 'kiosk-core') });
    cleanups.push(() => evolis.close());
    kioskDir = join(work, 'kiosk');
    kiosk = await createCore({
      dataDir: kioskDir,
      migrationsFolder: 'migrations/local',
      shell: 'service',
      demo: false,
      version: 'test',
      modes: ['box-office', 'kiosk', 'manager'],
      devices: { usbEvents: false },
      kiosk: { now: () => clockMs },
    });
    cleanups.push(() => kiosk.close());
    kiosk.configureDevices([
      { id: 'badges', name: 'Badge printer', kind: 'printer', driver: 'evolis', transport: { type: 'tcp', host: '127.0.0.1', port: evolis.port }, kinds: ['badge'] },
    ]);
    await kiosk.restartDevices();
    const { code } = (await admin('POST', '/pairing-codes', {})) as { code: string };
    expect(await kiosk.dispatch('setup', 'terminal.pair', { serverUrl: link.url, code, terminalName: 'Kiosk 1' })).toMatchObject({ ok: true });
    await waitFor(async () => {
      const list = await kiosk.dispatch('x', 'session.operators', {});
      return list.ok && (list.value as { role: string }[]).some((o) => o.role === 'kiosk');
    }, 60_000, 'the operators');
    expect(await loginAs(kiosk, 'cashier', { role: 'cashier' }, '111111')).toMatchObject({ ok: true });
    expect(await loginAs(kiosk, 'kiosk', { role: 'kiosk' }, KIOSK_PIN)).toMatchObject({ ok: true });
    expect(await loginAs(kiosk, 'manager', { role: 'manager' }, MANAGER_PIN)).toMatchObject({ ok: true });
    managerId = await operatorId(kiosk, { role: 'manager' });

    const catalog = await call<{ ticketTypes: { id: string; priceMinor: number }[] }>('boxOffice.catalog', {}, 'cashier');
    const type = catalog.ticketTypes.find((t) => t.priceMinor > 0)!;
    typeId = type.id;
    priceMinor = type.priceMinor;
    await sell([{ name: 'Alexandra Smith-Jones', phone: '+49 170 1234567' }, { name: 'Ann Lee', phone: '+44 20 7946 4567' }]);
    await sell([{ name: '张三丰', phone: '+86 138 0013 8000' }]);
    await sell([{ name: 'Иванов Пётр Сергеевич', phone: '+7 912 345 6789' }]);
    await sell(Array.from({ length: 6 }, (_, i) => ({ name: `Crowd Member${i}`, phone: `+49 160 000${i} 9999` })));
    await sell([{ name: 'Gate Goer' }, { name: 'Paper Out' }, { name: 'Paper Out Too' }, { name: 'Revoked Person' }, { name: 'Info Seeker' }]);
    expect(await call<KioskState>('kiosk.state', {})).toMatchObject({ online: true, printer: { present: true }, settings: { idleResetS: 45, countdownS: 10, printBadge: true } });
  }, 180_000);

  afterAll(async () => {
    for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => undefined);
  });

  it('identifies by a ticket code: one candidate, masked', async () => {
    const f = await found('kiosk.code', { code: ticket('Alexandra Smith-Jones').code });
    expect(f).toMatchObject({ by: 'camera', candidates: [{ nameMasked: 'Alexandra S.', phoneMasked: '••• •• 4567' }] });
    expect(f.candidates[0]!.candidateId).not.toBe(ticket('Alexandra Smith-Jones').id);
    expect(JSON.stringify(f)).not.toMatch(/1234567|Smith|Jones/);
    expect(await call('kiosk.code', { code: 'NO-SUCH-CODE', by: 'scanner' })).toEqual({ ok: false, by: 'scanner', refusal: { reason: 'unknown' } });
    // The trail says how and what was found, never the code.
    const [refused, ok] = audited('kiosk_find');
    expect(ok).toMatchObject({ subject: f.visitId, detail: { by: 'camera', found: 1, result: 'ok' } });
    expect(refused).toMatchObject({ detail: { by: 'scanner', refused: 'unknown' } });
    expect(JSON.stringify(audited('kiosk_find'))).not.toContain(ticket('Alexandra Smith-Jones').code);
  });

  it('finds by the last four phone digits and the first letters of any word of the name, in any script and case', async () => {
    nextMinute();
    expect(await found('kiosk.findByPhone', { phoneLast4: '4567', namePrefix: 'ALEX' })).toMatchObject({ by: 'phone_name', candidates: [{ nameMasked: 'Alexandra S.' }] });
    expect((await found('kiosk.findByPhone', { phoneLast4: '4567', namePrefix: 'lee' })).candidates.map((c) => c.nameMasked)).toEqual(['Ann L.']);
    expect((await found('kiosk.findByPhone', { phoneLast4: '4567', namePrefix: 'a' })).candidates.map((c) => c.nameMasked).sort()).toEqual(['Alexandra S.', 'Ann L.']);
    expect((await found('kiosk.findByPhone', { phoneLast4: '4567', namePrefix: 'jon' })).candidates.map((c) => c.nameMasked)).toEqual(['Alexandra S.']);
    expect(await found('kiosk.findByPhone', { phoneLast4: '8000', namePrefix: '张' })).toMatchObject({ candidates: [{ nameMasked: '张*丰', phoneMasked: '••• •• 8000' }] });
    expect(await found('kiosk.findByPhone', { phoneLast4: '6789', namePrefix: 'петр' })).toMatchObject({ candidates: [{ nameMasked: 'Иванов П. С.' }] });
    expect(await call('kiosk.findByPhone', { phoneLast4: '9999', namePrefix: 'crowd' })).toEqual({ ok: false, by: 'phone_name', refusal: { reason: 'too_many' } });
    expect(await call('kiosk.findByPhone', { phoneLast4: '4567', namePrefix: 'zed' })).toEqual({ ok: false, by: 'phone_name', refusal: { reason: 'not_found' } });
    // Audited without the digits or the letters.
    const entries = audited('kiosk_find').filter((e) => e.detail['by'] === 'phone_name');
    expect(entries.length).toBeGreaterThanOrEqual(8);
    expect(JSON.stringify(entries)).not.toMatch(/4567|8000|6789|9999|ALEX|crowd/);
  });

  it('refuses more than ten finds by phone a minute', async () => {
    nextMinute();
    for (let i = 0; i < 10; i++) expect(await kiosk.dispatch('kiosk', 'kiosk.findByPhone', { phoneLast4: '0000', namePrefix: 'x' })).toMatchObject({ ok: true });
    expect(await kiosk.dispatch('kiosk', 'kiosk.findByPhone', { phoneLast4: '4567', namePrefix: 'alex' })).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    nextMinute();
    expect(await kiosk.dispatch('kiosk', 'kiosk.findByPhone', { phoneLast4: '4567', namePrefix: 'alex' })).toMatchObject({ ok: true, value: { ok: true } });
  });

  it('checks the attendee in and prints their badge once; a retry prints nothing more; the server hears of both', async () => {
    const t = ticket('Alexandra Smith-Jones');
    await call('kiosk.language', { language: 'ru' });
    const f = await found('kiosk.code', { code: t.code, by: 'scanner' });
    const before = evolis.jobs.length;
    const requestId = uuidv7();
    const done = await call<KioskCheckIn>('kiosk.confirm', { visitId: f.visitId, candidateId: f.candidates[0]!.candidateId, requestId });
    expect(done).toMatchObject({ visitId: f.visitId, checkIn: 'admitted', refusal: null, print: { state: 'printed' }, greeting: 'Alexandra Smith-Jones' });
    await waitFor(() => evolis.jobs.length === before + 1, 60_000, 'the card');
    const again = await call<KioskCheckIn>('kiosk.confirm', { visitId: f.visitId, candidateId: f.candidates[0]!.candidateId, requestId });
    expect(again).toEqual(done);
    await waitFor(() => kiosk.outbox.count() === 0, 60_000, 'pushed');
    expect(evolis.jobs.length).toBe(before + 1);
    expect(kiosk.checkins.history(t.id).filter((c) => c.state !== 'annulled')).toHaveLength(1);
    expect(audited('kiosk_check_in')[0]).toMatchObject({ subject: f.visitId, detail: { requestId, checkIn: 'admitted', print: 'printed', result: 'ok' } });
    // A badge printed before: the desk's; nothing prints.
    expect(await call('kiosk.code', { code: t.code })).toEqual({ ok: false, by: 'camera', refusal: { reason: 'badge_printed' } });
    expect(evolis.jobs.length).toBe(before + 1);
  });

  it('prints the badge of someone already checked in at the gate', async () => {
    const t = ticket('Gate Goer');
    expect(await kiosk.gate.admitTicket(t.id, null, undefined, { open: false })).toMatchObject({ admitted: true });
    const f = await found('kiosk.code', { code: t.code });
    const before = evolis.jobs.length;
    const done = await call<KioskCheckIn>('kiosk.confirm', { visitId: f.visitId, candidateId: f.candidates[0]!.candidateId, requestId: uuidv7() });
    expect(done).toMatchObject({ checkIn: 'already', print: { state: 'printed' } });
    await waitFor(() => evolis.jobs.length === before + 1, 60_000, 'the card');
  });

  it('refuses a revoked ticket and raises an alert for staff that reaches the server, naming the ticket only', async () => {
    const t = ticket('Revoked Person');
    await admin('POST', `/tickets/${t.id}/revoke`, {});
    await waitFor(() => kiosk.cache.revokedAt(t.id) !== null || kiosk.cache.ticketById(t.id)?.status !== 'valid', 60_000, 'the revocation');
    const f = await call<KioskFound>('kiosk.code', { code: t.code });
    expect(f).toMatchObject({ ok: false, refusal: { reason: expect.stringMatching(/^(revoked|cancelled|refunded)$/) } });
    const raised = (await alerts()).find((a) => a.kind === 'refused' && a.ticketId === t.id)!;
    expect(raised).toMatchObject({ resolvedAt: null, terminal: 'Kiosk 1', code: (f as Extract<KioskFound, { ok: false }>).refusal.reason });
    expect(JSON.stringify(raised)).not.toContain('Revoked Person');
    await waitFor(() => kiosk.outbox.count() === 0, 60_000, 'the alert pushed');
    // Replicated back from the server (its row has the server's seq).
    await waitFor(() => {
      const db = openTerminalDb(kioskDir, { readonly: true });
      try {
        return (db.prepare('select seq from kiosk_alerts where id = ?').get(raised.id) as { seq: number | null } | undefined)?.seq != null;
      } finally {
        db.close();
      }
    }, 60_000, 'the alert replicated back');
    // A manager resolves it at the server; the kiosk's list follows.
    const resolved = await call<KioskAlertView>('kiosk.resolveAlert', { alertId: raised.id }, 'manager');
    expect(resolved).toMatchObject({ id: raised.id, resolvedBy: managerId });
    expect(resolved.resolvedAt).not.toBeNull();
    expect((await call<KioskAlertView[]>('kiosk.alerts', { includeResolved: false }, 'manager')).some((a) => a.id === raised.id)).toBe(false);
    expect(await kiosk.dispatch('kiosk', 'kiosk.alerts', { includeResolved: false })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('raises one camera alert until staff resolve it, and every call for help; managers see them by the terminal', async () => {
    const first = await call<{ alertId: string }>('kiosk.report', { kind: 'camera', code: 'camera_failed' });
    const again = await call<{ alertId: string }>('kiosk.report', { kind: 'camera', code: 'camera_failed' });
    expect(again.alertId).toBe(first.alertId);
    const help1 = await call<{ alertId: string }>('kiosk.report', { kind: 'help', code: 'help_requested' });
    const help2 = await call<{ alertId: string }>('kiosk.report', { kind: 'help', code: 'help_requested' });
    expect(help2.alertId).not.toBe(help1.alertId);
    const open = await call<KioskAlertView[]>('kiosk.alerts', { includeResolved: false }, 'manager');
    for (const id of [first.alertId, help1.alertId, help2.alertId]) {
      expect(open.find((a) => a.id === id)).toMatchObject({ terminal: 'Kiosk 1', resolvedAt: null });
    }
    // A code the screen may not send is refused, nothing raised.
    expect(await kiosk.dispatch('kiosk', 'kiosk.report', { kind: 'camera', code: 'paper_out' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    await waitFor(() => kiosk.outbox.count() === 0, 60_000, 'the alerts pushed');
    await waitFor(() => {
      const db = openTerminalDb(kioskDir, { readonly: true });
      try {
        return (db.prepare('select seq from kiosk_alerts where id = ?').get(first.alertId) as { seq: number | null } | undefined)?.seq != null;
      } finally {
        db.close();
      }
    }, 60_000, 'the camera alert replicated back');
    await call<KioskAlertView>('kiosk.resolveAlert', { alertId: first.alertId }, 'manager');
    // Resolved: the next camera failure is a new alert.
    const later = await call<{ alertId: string }>('kiosk.report', { kind: 'camera', code: 'camera_failed' });
    expect(later.alertId).not.toBe(first.alertId);
    expect(JSON.stringify(audited('kiosk_alert'))).not.toMatch(/Kiosk 1|PIN/);

    // Another kiosk's alert reaches this terminal's managers under that kiosk's name.
    const other = await pairTerminal(server, 'Kiosk 2 (hall B)');
    const theirs = uuidv7();
    const record = { kind: 'kiosk_alert', id: theirs, eventId: null, alertKind: 'help', code: 'help_requested', ticketId: null, at: new Date().toISOString() };
    const pushed = await http(server.app, 'POST', '/v1/push', { token: other.token, body: { records: [record] } });
    expect(pushed.status).toBe(200);
    await waitFor(async () => (await alerts()).some((a) => a.id === theirs), 60_000, "the other kiosk's alert");
    expect((await alerts()).find((a) => a.id === theirs)).toMatchObject({ terminal: 'Kiosk 2 (hall B)', kind: 'help', code: 'help_requested', deviceId: other.deviceId });
  });

  it('holds the badge while the printer is out of cards, with one printer alert however many wait', async () => {
    evolis.set({ feederEmpty: true });
    const before = evolis.jobs.length;
    for (const name of ['Paper Out', 'Paper Out Too']) {
      const f = await found('kiosk.code', { code: ticket(name).code });
      const held = await call<KioskCheckIn>('kiosk.confirm', { visitId: f.visitId, candidateId: f.candidates[0]!.candidateId, requestId: uuidv7() });
      expect(held).toMatchObject({ checkIn: 'admitted', print: { state: 'queued', reason: 'paper_out' } });
    }
    const printerAlerts = (await alerts()).filter((a) => a.kind === 'printer' && a.resolvedAt === null);
    expect(printerAlerts.map((a) => a.code)).toEqual(['paper_out']);
    expect((await call<KioskState>('kiosk.state', {})).openAlerts).toBeGreaterThanOrEqual(1);
    evolis.set({ feederEmpty: false });
    await waitFor(() => evolis.jobs.length === before + 2, 60_000, 'the held cards');
  });

  it("shows the attendee's information from the server online and from the cache offline", async () => {
    const t = ticket('Info Seeker');
    const soon = new Date(Date.now() + 3_600_000).toISOString();
    const past = new Date(Date.now() - 7_200_000).toISOString();
    await admin('PUT', `/attendees/${t.id}/info`, {
      items: [
        { kind: 'seat', value: 'Hall B, row 7, seat 12' },
        { kind: 'agenda', value: 'Keynote', at: soon, place: 'Hall B' },
        { kind: 'agenda', value: 'Breakfast', at: past, to: past },
      ],
      entitlements: [{ kind: 'meal', label: { en: 'Lunch' } }],
    });
    await waitFor(() => kiosk.cache.attendeeInfo(t.id).length === 3 && kiosk.cache.entitlements(t.id).length === 1, 60_000, 'the information replicated');
    const f = await found('kiosk.code', { code: t.code });
    await call<KioskCheckIn>('kiosk.confirm', { visitId: f.visitId, candidateId: f.candidates[0]!.candidateId, requestId: uuidv7() });
    const online = await call<KioskInfo>('kiosk.info', { visitId: f.visitId });
    expect(online).toMatchObject({ source: 'server', entitlements: [{ kind: 'meal', label: { en: 'Lunch' }, availableToday: true, usedToday: false }] });
    expect(online.items.map((i) => i.value)).toEqual(['Hall B, row 7, seat 12', 'Keynote', 'Breakfast']);
    expect(online.next.map((i) => i.value)).toEqual(['Keynote']);
    link.cut(3_600_000);
    await waitFor(() => !kiosk.sync.isOnline, 60_000, 'offline');
    const offline = await call<KioskInfo>('kiosk.info', { visitId: f.visitId });
    expect(offline).toEqual({ ...online, source: 'cache' });
    link.heal();
    await waitFor(() => kiosk.sync.isOnline, 60_000, 'online again');
  });

  it('ends a visit on its own after the idle time and twice the countdown, by a reset, and by a newer identification', async () => {
    const t = ticket('Ann Lee');
    const first = await found('kiosk.code', { code: t.code });
    clockMs += (45 + 2 * 10) * 1000;
    expect(await kiosk.dispatch('kiosk', 'kiosk.confirm', { visitId: first.visitId, candidateId: first.candidates[0]!.candidateId, requestId: uuidv7() })).toMatchObject({
      ok: false,
      error: { code: 'visit_expired' },
    });
    const second = await found('kiosk.code', { code: t.code });
    expect(await call('kiosk.reset', { visitId: second.visitId })).toEqual({ ended: true });
    expect(await kiosk.dispatch('kiosk', 'kiosk.info', { visitId: second.visitId })).toMatchObject({ ok: false, error: { code: 'visit_expired' } });
    const third = await found('kiosk.code', { code: t.code });
    const fourth = await found('kiosk.code', { code: t.code });
    expect(await kiosk.dispatch('kiosk', 'kiosk.confirm', { visitId: third.visitId, candidateId: third.candidates[0]!.candidateId, requestId: uuidv7() })).toMatchObject({
      ok: false,
      error: { code: 'visit_expired' },
    });
    // A candidate of another visit is no one in this one.
    expect(await kiosk.dispatch('kiosk', 'kiosk.confirm', { visitId: fourth.visitId, candidateId: third.candidates[0]!.candidateId, requestId: uuidv7() })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await call('kiosk.reset', { visitId: null })).toEqual({ ended: true });
    expect(await call('kiosk.reset', { visitId: null })).toEqual({ ended: false });
  });

  it("opens maintenance and leaves the kiosk only with a manager's PIN: a wrong one refused and audited, never the PIN", async () => {
    expect(await kiosk.dispatch('kiosk', 'kiosk.exit', { managerId, pin: '123456' })).toMatchObject({ ok: false, error: { code: 'bad_pin' } });
    const kioskId = await operatorId(kiosk, { role: 'kiosk' });
    expect(await kiosk.dispatch('kiosk', 'kiosk.exit', { managerId: kioskId, pin: KIOSK_PIN })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const m = await call<{ managerName: string; devices: { id: string }[] }>('kiosk.maintenance', { managerId, pin: MANAGER_PIN });
    expect(m.managerName).toBe('Manager');
    expect(m.devices.map((d) => d.id)).toContain('badges');
    expect(await call('kiosk.exit', { managerId, pin: MANAGER_PIN })).toEqual({ exited: true });
    const [ok, forbidden, bad] = audited('kiosk_exit');
    expect(ok).toMatchObject({ detail: { approvedBy: managerId, result: 'ok' } });
    expect(forbidden).toMatchObject({ detail: { result: 'forbidden' } });
    expect(bad).toMatchObject({ detail: { approvedBy: managerId, result: 'bad_pin' } });
    expect(audited('kiosk_maintenance')[0]).toMatchObject({ detail: { result: 'ok' } });
    for (const action of ['kiosk_exit', 'kiosk_maintenance', 'manager_approval']) expect(JSON.stringify(audited(action))).not.toMatch(/999999|123456|444444/);
  });
});
