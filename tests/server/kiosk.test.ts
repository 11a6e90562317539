// The kiosk at the server (PGlite in process, and PostgreSQL), through its HTTP API: an organizer saves an
// attendee's information and entitlements (audited by kind, never the texts) and an event's kiosk
// settings; the change feed carries information, entitlements, settings and alerts only to terminals that
// ask for them and serve their event (an alert naming no event to every terminal), and points carry the
// entitlement they redeem; kiosks push alerts, kept once by id with the pushing device; a manager resolves
// one (the first resolution stands, audited); a kiosk fetches an attendee's information for its own
// events only; a meal point admits a ticket holding a meal voucher once per day, by claim and by push,
// and refuses one without; bad bodies are refused with nothing changed.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KioskAlertRow, KioskAttendeeInfo } from '../../domain/kiosk-wire';
import type { AdminEvent } from '../../domain/wire';
import type { AdmitServer } from '../../server/src/app';
import { attendeeInfo, checkins, entitlements, kioskAlerts } from '../../server/src/db/schema';
import { type Backend, backends, call, createTestEvent as createEventAt, expectError, type Json, makeServer, openBackend, pairTerminal, sell, uuidv7 } from './harness';

const ADMIN = 'test-admin-token';
const T0 = Date.parse('2030-06-01T10:00:00Z');
/** An instant `s` seconds after T0 (inside the test events, which run in 2030). */
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
const HOUR = 3600;
const createTestEvent = (server: AdmitServer) => createEventAt(server, undefined, { startsAt: '2030-06-01T06:00:00Z', endsAt: '2030-06-03T20:00:00Z' });
const KINDS = 'attendee_info,entitlement,kiosk_settings,kiosk_alert';

describe.each(backends)('the kiosk at the server on %s', (backendName) => {
  let backend: Backend;
  let server: AdmitServer;
  let kiosk: { deviceId: string; token: string };
  let stranger: { deviceId: string; token: string };
  let gateOp: string;
  let managerId: string;
  let adminOp: string;

  beforeAll(async () => {
    backend = await openBackend(backendName);
    // The events run in 2030: the records pushed and claimed are dated then.
    server = makeServer(backend, { recordTimes: { maxAheadMs: 10 * 365 * 86_400_000 } });
    await server.app.ready();
    kiosk = await pairTerminal(server, 'Kiosk');
    stranger = await pairTerminal(server, 'Other event kiosk');
    const ops = await server.admin.createOperators([
      { name: 'Gus Gate', role: 'gate', pin: '223344' },
      { name: 'Mo Manager', role: 'manager', pin: '99887766' },
      { name: 'Ada Admin', role: 'admin', pin: '11223344' },
    ]);
    [gateOp, managerId, adminOp] = ops.map((o) => o.id) as [string, string, string];
  }, 300_000);
  afterAll(async () => {
    await server?.close();
    await backend?.close();
  });

  const admin = (method: 'GET' | 'PUT' | 'POST' | 'PATCH', url: string, body?: unknown) => call(server.app, method, url, { token: ADMIN, body });
  const entries = async (action: string, subject?: string) =>
    (await server.admin.listAuditEntries({ chain: 'server', limit: 1000 })).filter((e) => e.action === action && (subject === undefined || e.subject === subject));
  const pullAll = async (token: string, withKinds: string) => {
    const seen: { seq: number; kind: string; row: Json }[] = [];
    let since = 0;
    for (;;) {
      const page = await call(server.app, 'GET', `/v1/changes?since=${since}${withKinds ? `&with=${withKinds}` : ''}`, { token });
      expect(page.status).toBe(200);
      seen.push(...page.json.changes);
      since = page.json.next;
      if (!page.json.more) return seen;
    }
  };
  const push = async (token: string, records: unknown[]) => {
    const res = await call(server.app, 'POST', '/v1/push', { token, body: { records } });
    expect(res.status).toBe(200);
    return res.json.results as Json[];
  };
  const alert = (over: Json = {}) => ({ kind: 'kiosk_alert', id: uuidv7(), eventId: null, alertKind: 'printer', code: 'paper_out', ticketId: null, at: at(0), ...over });
  const saveInfo = (ticketId: string, body: unknown) => admin('PUT', `/admin/v1/attendees/${ticketId}/info`, body);
  const readInfo = (ticketId: string) => admin('GET', `/admin/v1/attendees/${ticketId}/info`);

  /** An event the kiosk serves (and the stranger does not), one the stranger serves only, and a ticket of each. */
  async function setUp(): Promise<{ event: AdminEvent; other: AdminEvent; ticketId: string; otherTicketId: string }> {
    const event = await createTestEvent(server);
    const other = await createTestEvent(server);
    await server.admin.setDeviceEvents(kiosk.deviceId, [...(await server.admin.listDevices()).find((d) => d.id === kiosk.deviceId)!.eventIds.filter((e) => e !== other.id)]);
    await server.admin.setDeviceEvents(stranger.deviceId, [other.id]);
    const ticketId = (await sell(server, kiosk.token, event.id, event.ticketTypes[0]!.id)).tickets[0]!.id;
    const otherTicketId = (await sell(server, stranger.token, other.id, other.ticketTypes[0]!.id)).tickets[0]!.id;
    return { event, other, ticketId, otherTicketId };
  }

  const INFO = {
    items: [
      { kind: 'seat', value: 'Hall B, row 7, seat 12' },
      { kind: 'hotel', value: 'Hilton, room 1204', label: { en: 'Your hotel', ru: 'Ваш отель' } },
      { kind: 'agenda', value: 'Opening keynote', at: at(0), to: at(HOUR), place: 'Main stage' },
    ],
    entitlements: [{ kind: 'meal', label: { en: 'Lunch voucher' }, from: at(-4 * HOUR), to: at(48 * HOUR) }],
  };

  it('saves and reads an attendee\'s information and entitlements, audited by kind without the texts', async () => {
    const { ticketId } = await setUp();
    expect((await readInfo(ticketId)).json).toEqual({ items: [], entitlements: [] });
    const saved = await saveInfo(ticketId, INFO);
    expect(saved.status).toBe(200);
    expect(saved.json.items).toEqual([
      { kind: 'seat', value: 'Hall B, row 7, seat 12', label: null, at: null, to: null, place: null },
      { kind: 'hotel', value: 'Hilton, room 1204', label: { en: 'Your hotel', ru: 'Ваш отель' }, at: null, to: null, place: null },
      { kind: 'agenda', value: 'Opening keynote', label: null, at: at(0), to: at(HOUR), place: 'Main stage' },
    ]);
    expect(saved.json.entitlements).toEqual([
      { id: expect.any(String), ticketId, eventId: expect.any(String), kind: 'meal', label: { en: 'Lunch voucher' }, from: at(-4 * HOUR), to: at(48 * HOUR), active: true },
    ]);
    expect((await readInfo(ticketId)).json).toEqual(saved.json);
    const [entry] = await entries('attendee_info_saved', ticketId);
    expect(JSON.parse(entry!.detail)).toMatchObject({ itemsChanged: true, items: 3, added: 'meal', updated: null, withdrawn: null });
    expect(entry!.detail).not.toMatch(/Hilton|Hall B|keynote/);

    // The same save again changes nothing and records nothing.
    expect((await saveInfo(ticketId, INFO)).json).toEqual(saved.json);
    expect(await entries('attendee_info_saved', ticketId)).toHaveLength(1);

    // A voucher no longer named is withdrawn (kept inactive, so the withdrawal replicates); a new one added.
    const next = await saveInfo(ticketId, { items: INFO.items.slice(0, 1), entitlements: [{ kind: 'drink' }] });
    expect(next.json.items).toHaveLength(1);
    expect(next.json.entitlements.map((e: Json) => e.kind)).toEqual(['drink']);
    const rows = await backend.handle.db.select().from(entitlements).where(eq(entitlements.ticketId, ticketId));
    expect(rows.map((r) => [r.kind, r.active]).sort()).toEqual([
      ['drink', true],
      ['meal', false],
    ]);
    expect(JSON.parse((await entries('attendee_info_saved', ticketId))[0]!.detail)).toMatchObject({ items: 1, added: 'drink', withdrawn: 'meal' });
    expectError(await readInfo(uuidv7()), 404, 'not_found');
    expectError(await saveInfo(uuidv7(), INFO), 404, 'not_found');
  });

  it('refuses bad bodies with a clear code, nothing changed', async () => {
    const { event, ticketId } = await setUp();
    expect((await saveInfo(ticketId, INFO)).status).toBe(200);
    const before = (await readInfo(ticketId)).json;
    const item = INFO.items[0]!;
    const bad: unknown[] = [
      { ...INFO, items: Array(51).fill(item) },
      { ...INFO, items: [{ ...item, value: 'x'.repeat(501) }] },
      { ...INFO, items: [{ ...item, value: 'seat\u0000 12' }] },
      { ...INFO, items: [{ kind: 'agenda', value: 'No start' }] },
      { ...INFO, items: [{ kind: 'agenda', value: 'Backwards', at: at(HOUR), to: at(0) }] },
      { ...INFO, items: [{ ...item, kind: 'phone' }] },
      { ...INFO, items: [{ ...item, extra: true }] },
      { ...INFO, entitlements: [{ kind: 'Meal!' }] },
      { ...INFO, entitlements: [{ kind: 'meal' }, { kind: 'meal' }] },
      { ...INFO, entitlements: [{ kind: 'meal', from: at(HOUR), to: at(0) }] },
      { ...INFO, entitlements: Array.from({ length: 21 }, (_, i) => ({ kind: `k${i}` })) },
      { items: 'none' },
      [],
    ];
    for (const body of bad) expectError(await saveInfo(ticketId, body), 400, 'bad_request');
    expect((await readInfo(ticketId)).json).toEqual(before);
    expect(await entries('attendee_info_saved', ticketId)).toHaveLength(1);

    expect((await admin('GET', `/admin/v1/events/${event.id}/kiosk-settings`)).json).toEqual({
      idleResetS: 45,
      countdownS: 10,
      defaultLanguage: 'en',
      findByPhone: true,
      printBadge: true,
      helpDesk: null,
    });
    for (const body of [{ idleResetS: 5 }, { idleResetS: 20, countdownS: 30 }, { defaultLanguage: 'de' }, { unknown: 1 }, { helpDesk: {} }, { helpDesk: { en: 'Desk\u0000' } }]) {
      expectError(await admin('PUT', `/admin/v1/events/${event.id}/kiosk-settings`, body), 400, 'bad_request');
    }
    expect((await admin('GET', `/admin/v1/events/${event.id}/kiosk-settings`)).json.idleResetS).toBe(45);
    expect(await entries('kiosk_settings_saved', event.id)).toHaveLength(0);
    expectError(await admin('GET', `/admin/v1/events/${uuidv7()}/kiosk-settings`), 404, 'not_found');

    expectError(await admin('POST', `/admin/v1/events/${event.id}/points`, { name: { en: 'Bad' }, entitlement: 'Not a kind' }), 400, 'bad_request');
    expect((await admin('GET', `/admin/v1/events/${event.id}/points`)).json.points).toEqual([]);
  });

  it('keeps an event\'s kiosk settings, audited; points take and return their entitlement', async () => {
    const { event } = await setUp();
    const settings = { idleResetS: 20, countdownS: 5, defaultLanguage: 'zh-CN', findByPhone: false, printBadge: true, helpDesk: { en: 'Desk B, by the stairs' } };
    const saved = await admin('PUT', `/admin/v1/events/${event.id}/kiosk-settings`, settings);
    expect(saved.status).toBe(200);
    expect(saved.json).toEqual(settings);
    expect((await admin('GET', `/admin/v1/events/${event.id}/kiosk-settings`)).json).toEqual(settings);
    expect(JSON.parse((await entries('kiosk_settings_saved', event.id))[0]!.detail)).toMatchObject({ idleResetS: 20, countdownS: 5, helpDesk: true });

    const created = await admin('POST', `/admin/v1/events/${event.id}/points`, { name: { en: 'Lunch' }, zone: 'meal', reentry: 'once_per_day', entitlement: 'meal' });
    expect(created.status).toBe(200);
    expect(created.json.point).toMatchObject({ entitlement: 'meal', reentry: 'once_per_day', zone: 'meal' });
    const patched = await admin('PATCH', `/admin/v1/points/${created.json.point.id}`, { entitlement: null });
    expect(patched.json.point.entitlement).toBeNull();
    expect((await admin('GET', `/admin/v1/events/${event.id}/points`)).json.points.map((p: Json) => p.entitlement)).toEqual([null]);
  });

  it('feeds information, entitlements, settings and alerts only to terminals that ask and serve their event', async () => {
    const { event, other, ticketId, otherTicketId } = await setUp();
    expect((await saveInfo(ticketId, INFO)).status).toBe(200);
    expect((await saveInfo(otherTicketId, INFO)).status).toBe(200);
    expect((await admin('PUT', `/admin/v1/events/${event.id}/kiosk-settings`, { idleResetS: 30 })).status).toBe(200);
    const point = await server.admin.createPoint(event.id, { name: { en: 'Lunch' }, zone: 'meal', reentry: 'once_per_day', entitlement: 'meal' });
    const mine = alert({ eventId: event.id, alertKind: 'refused', code: 'unpaid', ticketId });
    const everyone = alert({ alertKind: 'camera', code: 'camera_failed' });
    expect((await push(kiosk.token, [mine, everyone])).map((r) => r.status)).toEqual(['accepted', 'accepted']);

    const fed = await pullAll(kiosk.token, KINDS);
    expect(fed.filter((c) => c.kind === 'attendee_info').map((c) => c.row.ticketId)).toContain(ticketId);
    expect(fed.some((c) => c.kind === 'attendee_info' && c.row.ticketId === otherTicketId)).toBe(false);
    expect(fed.find((c) => c.kind === 'attendee_info' && c.row.ticketId === ticketId)!.row).toMatchObject({ eventId: event.id, items: expect.any(Array), updatedAt: expect.any(String) });
    expect(fed.filter((c) => c.kind === 'entitlement' && c.row.ticketId === ticketId).map((c) => c.row)).toEqual([
      { id: expect.any(String), ticketId, eventId: event.id, kind: 'meal', label: { en: 'Lunch voucher' }, from: at(-4 * HOUR), to: at(48 * HOUR), active: true },
    ]);
    expect(fed.filter((c) => c.kind === 'kiosk_settings' && c.row.eventId === event.id).map((c) => c.row)).toEqual([
      { eventId: event.id, idleResetS: 30, countdownS: 10, defaultLanguage: 'en', findByPhone: true, printBadge: true, helpDesk: null },
    ]);
    const alerts = fed.filter((c) => c.kind === 'kiosk_alert').map((c) => KioskAlertRow.parse(c.row));
    expect(alerts.find((a) => a.id === mine.id)).toEqual({ id: mine.id, deviceId: kiosk.deviceId, eventId: event.id, kind: 'refused', code: 'unpaid', ticketId, raisedAt: at(0), resolvedAt: null, resolvedBy: null, terminal: 'Kiosk' });
    expect(alerts.some((a) => a.id === everyone.id)).toBe(true);
    expect(fed.find((c) => c.kind === 'check_in_point' && c.row.id === point.id)!.row.entitlement).toBe('meal');

    // A terminal of an earlier version (asking for none of them) gets none, but points carry the entitlement.
    const old = await pullAll(kiosk.token, '');
    expect(old.some((c) => KINDS.split(',').includes(c.kind))).toBe(false);
    expect(old.find((c) => c.kind === 'check_in_point' && c.row.id === point.id)!.row.entitlement).toBe('meal');
    expect((await pullAll(kiosk.token, 'kiosk_alert')).some((c) => c.kind === 'entitlement' || c.kind === 'attendee_info')).toBe(false);
    // The stranger gets its own event's rows and the alert naming no event, never this event's.
    const strangers = await pullAll(stranger.token, KINDS);
    expect(strangers.filter((c) => c.kind === 'attendee_info').map((c) => c.row.ticketId)).toEqual([otherTicketId]);
    expect(strangers.some((c) => c.row.eventId === event.id)).toBe(false);
    const theirAlerts = strangers.filter((c) => c.kind === 'kiosk_alert').map((c) => c.row.id);
    expect(theirAlerts).toContain(everyone.id);
    expect(theirAlerts).not.toContain(mine.id);
    expect(strangers.some((c) => c.kind === 'kiosk_settings')).toBe(false);
    void other;
  });

  it('keeps a pushed alert once by id with the pushing device, refusing another event\'s', async () => {
    const { event, other, ticketId, otherTicketId } = await setUp();
    const first = alert({ eventId: event.id });
    const res = await push(kiosk.token, [first, first]);
    expect(res).toEqual([
      { id: first.id, status: 'accepted' },
      { id: first.id, status: 'duplicate' },
    ]);
    expect(await push(kiosk.token, [first])).toEqual([{ id: first.id, status: 'duplicate' }]);
    const [row] = await backend.handle.db.select().from(kioskAlerts).where(eq(kioskAlerts.id, first.id));
    expect(row).toMatchObject({ deviceId: kiosk.deviceId, eventId: event.id, kind: 'printer', code: 'paper_out', ticketId: null, resolvedAt: null });
    expect(row!.raisedAt.toISOString()).toBe(at(0));

    const refused = [
      alert({ eventId: other.id }),
      alert({ eventId: event.id, ticketId: otherTicketId }),
      alert({ alertKind: 'fire' }),
      alert({ code: 'Paper Out!' }),
      alert({ deviceId: stranger.deviceId }),
      alert({ at: '2001-01-01T00:00:00.000Z' }),
    ];
    const answers = await push(kiosk.token, refused);
    expect(answers.map((r) => r.status)).toEqual(Array(refused.length).fill('invalid'));
    expect(answers[0].detail).toMatch(/^forbidden_event/);
    expect(answers[1].detail).toMatch(/^bad_request/);
    for (const r of refused) expect(await backend.handle.db.select().from(kioskAlerts).where(eq(kioskAlerts.id, r.id))).toEqual([]);
    // An alert about a ticket of the kiosk's event is fine; the stranger may not raise one for this event.
    expect((await push(kiosk.token, [alert({ eventId: event.id, alertKind: 'refused', code: 'already_used', ticketId })]))[0].status).toBe('accepted');
    expect((await push(stranger.token, [alert({ eventId: event.id })]))[0].detail).toMatch(/^forbidden_event/);
  });

  it('lets an active manager resolve an alert once, audited and replicated', async () => {
    const { event } = await setUp();
    const raised = alert({ eventId: event.id });
    await push(kiosk.token, [raised]);
    const resolve = (id: string, operatorId: string, token = kiosk.token) => call(server.app, 'POST', `/v1/kiosk/alerts/${id}/resolve`, { token, body: { operatorId } });

    expectError(await resolve(raised.id, gateOp), 403, 'forbidden');
    expectError(await resolve(raised.id, uuidv7()), 403, 'forbidden');
    expectError(await resolve(uuidv7(), managerId), 404, 'not_found');
    expectError(await resolve(raised.id, managerId, stranger.token), 403, 'forbidden_event');
    expectError(await call(server.app, 'POST', `/v1/kiosk/alerts/${raised.id}/resolve`, { token: kiosk.token, body: { operatorId: managerId, note: 'x' } }), 400, 'bad_request');
    expectError(await call(server.app, 'POST', `/v1/kiosk/alerts/${raised.id}/resolve`, { token: null, body: { operatorId: managerId } }), 401, 'unauthorized');
    expect((await backend.handle.db.select().from(kioskAlerts).where(eq(kioskAlerts.id, raised.id)))[0]!.resolvedAt).toBeNull();

    const before = (await pullAll(kiosk.token, 'kiosk_alert')).filter((c) => c.row.id === raised.id);
    const done = await resolve(raised.id, managerId);
    expect(done.status).toBe(200);
    const row = KioskAlertRow.parse(done.json);
    expect(row).toMatchObject({ id: raised.id, resolvedBy: managerId, resolvedAt: expect.any(String), deviceId: kiosk.deviceId });
    // Resolving again (another admin, or a retry) keeps and answers the first resolution.
    const again = await resolve(raised.id, adminOp);
    expect(again.json).toEqual(done.json);
    const audited = await entries('kiosk_alert_resolved', raised.id);
    expect(audited).toHaveLength(1);
    expect(JSON.parse(audited[0]!.detail)).toMatchObject({ eventId: event.id, operatorId: managerId, kind: 'printer', reason: 'paper_out' });
    const after = (await pullAll(kiosk.token, 'kiosk_alert')).filter((c) => c.row.id === raised.id);
    expect(after[after.length - 1]!.seq).toBeGreaterThan(before[before.length - 1]!.seq);
    expect(after[after.length - 1]!.row.resolvedBy).toBe(managerId);
  });

  it('answers a kiosk with an attendee\'s information, for its own events only', async () => {
    const { ticketId, otherTicketId } = await setUp();
    expect((await saveInfo(ticketId, INFO)).status).toBe(200);
    const res = await call(server.app, 'GET', `/v1/kiosk/attendees/${ticketId}/info`, { token: kiosk.token });
    expect(res.status).toBe(200);
    const info = KioskAttendeeInfo.parse(res.json);
    expect(info.ticketId).toBe(ticketId);
    expect(info.items.map((i) => i.kind)).toEqual(['seat', 'hotel', 'agenda']);
    expect(info.entitlements.map((e) => e.kind)).toEqual(['meal']);
    expect((await call(server.app, 'GET', `/v1/kiosk/attendees/${ticketId.toUpperCase()}/info`, { token: kiosk.token })).json).toEqual(res.json);
    expectError(await call(server.app, 'GET', `/v1/kiosk/attendees/${ticketId}/info`, { token: stranger.token }), 403, 'forbidden_event');
    expectError(await call(server.app, 'GET', `/v1/kiosk/attendees/${otherTicketId}/info`, { token: kiosk.token }), 403, 'forbidden_event');
    expectError(await call(server.app, 'GET', `/v1/kiosk/attendees/${uuidv7()}/info`, { token: kiosk.token }), 404, 'not_found');
    expectError(await call(server.app, 'GET', `/v1/kiosk/attendees/not-a-uuid/info`, { token: kiosk.token }), 400, 'bad_request');
    // A ticket without any: empty lists.
    const { ticketId: bare } = await setUp();
    expect((await call(server.app, 'GET', `/v1/kiosk/attendees/${bare}/info`, { token: kiosk.token })).json).toEqual({ ticketId: bare, items: [], entitlements: [] });
    expect(await backend.handle.db.select().from(attendeeInfo).where(eq(attendeeInfo.ticketId, bare))).toEqual([]);
  });

  describe('a meal point', () => {
    async function mealSetUp() {
      const { event, ticketId } = await setUp();
      const hungry = (await sell(server, kiosk.token, event.id, event.ticketTypes[0]!.id)).tickets[0]!.id;
      const point = await server.admin.createPoint(event.id, { name: { en: 'Lunch' }, zone: 'meal', reentry: 'once_per_day', entitlement: 'meal' });
      expect((await saveInfo(ticketId, { items: [], entitlements: [{ kind: 'meal', from: '2030-06-01T00:00:00Z', to: '2030-06-02T22:00:00Z' }] })).status).toBe(200);
      return { event, point, holder: ticketId, hungry };
    }
    const claim = (ticketId: string, pointId: string, when: string) =>
      call(server.app, 'POST', '/v1/checkins/claim', { token: kiosk.token, body: { checkinId: uuidv7(), ticketId, pointId, at: when } });

    it('admits a voucher holder once per day by claim, and refuses a ticket without one', async () => {
      const { point, holder, hungry } = await mealSetUp();
      expect((await claim(holder, point.id, '2030-06-01T10:00:00Z')).json).toEqual({ status: 'accepted', firstAt: null });
      expect((await claim(holder, point.id, '2030-06-01T11:30:00Z')).json).toEqual({ status: 'conflict', firstAt: '2030-06-01T10:00:00.000Z', reason: 'already_used' });
      expect((await claim(holder, point.id, '2030-06-02T10:00:00Z')).json.status).toBe('accepted');
      // After the voucher's end: refused.
      expect((await claim(holder, point.id, '2030-06-03T10:00:00Z')).json).toMatchObject({ status: 'conflict', reason: 'no_entitlement' });
      expect((await claim(hungry, point.id, '2030-06-01T10:00:00Z')).json).toEqual({ status: 'conflict', firstAt: null, reason: 'no_entitlement' });
      expect(await backend.handle.db.$count(checkins, eq(checkins.ticketId, hungry))).toBe(0);
      // A withdrawn voucher no longer admits.
      expect((await saveInfo(holder, { items: [], entitlements: [] })).status).toBe(200);
      expect((await claim(holder, point.id, '2030-06-02T12:00:00Z')).json).toMatchObject({ status: 'conflict', reason: 'no_entitlement' });
    });

    it('makes a second pushed offline check-in the same day a conflict, and one without a voucher too', async () => {
      const { point, holder, hungry } = await mealSetUp();
      const checkin = (ticketId: string, when: string) => ({ kind: 'checkin', id: uuidv7(), ticketId, at: when, pointId: point.id, direction: 'entry' });
      const lunch = checkin(holder, '2030-06-01T10:00:00Z');
      const seconds = checkin(holder, '2030-06-01T11:00:00Z');
      const nextDay = checkin(holder, '2030-06-02T10:30:00Z');
      const none = checkin(hungry, '2030-06-01T10:00:00Z');
      const results = await push(kiosk.token, [lunch, seconds, nextDay, none]);
      expect(results.map((r) => [r.status, r.detail])).toEqual([
        ['accepted', undefined],
        ['conflict', 'already_used'],
        ['accepted', undefined],
        ['conflict', 'no_entitlement'],
      ]);
      // Pushed later (another kiosk was offline): still a conflict.
      const late = checkin(holder, '2030-06-01T12:00:00Z');
      expect((await push(kiosk.token, [late])).map((r) => [r.status, r.detail])).toEqual([['conflict', 'already_used']]);
    });
  });
});
