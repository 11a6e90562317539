// Offline-first check-in at the server, against PGlite and a real PostgreSQL cluster: the new replicated
// kinds (event keys without their private half, check-in points, revocations), signed codes that verify
// with the replicated public key across key rotation, claims decided by the shared rules (re-entry
// policies, zones, concurrency), and pushes validated record by record (check-ins, annulments, failed
// scans, replays, the double-admission report).
import { asc, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { idNumberHash } from '../../domain/hashing';
import { type Change, ChangesResponse, PushResponse } from '../../domain/wire';
import { parseCode, publicKeyFromRaw, verifySignature } from '../../domain/codes';
import {
  ConflictsResponse,
  FailedScansResponse,
  KeysResponse,
  PointResponse,
  PointsResponse,
  RevokeTicketResponse,
} from '../../server/src/adminSchemas';
import type { AdmitServer } from '../../server/src/app';
import { annulments, checkins, eventKeys, failedScans, tickets } from '../../server/src/db/schema';
import { currentSeq } from '../../server/src/db/writes';
import { pendingAnnulments, sweepPendingAnnulments } from '../../server/src/services/checkins';
import { DEMO_EVENT_ID, DEMO_ID_CARD_TICKETS, DEMO_POINT_IDS, demoIdNumber, demoPhoneLast4 } from '../../server/src/services/demo';
import { DEMO_LUNCH_POINT_ID } from '../../server/src/services/demo-kiosk';
import {
  type Backend,
  backends,
  bindEveryDevice,
  call,
  createTestEvent as createEventAt,
  expectError,
  makeServer,
  openBackend,
  pairTerminal,
  sell,
  uuidv7,
} from './harness';

const ADMIN = 'test-admin-token';
const T0 = Date.parse('2030-06-01T12:00:00Z');
/** An instant `s` seconds after T0 (inside the test event). */
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
/** This file's test event runs in 2030, around T0. */
const createTestEvent = (server: AdmitServer, types?: { priceMinor: number; capacity: number | null }[]) =>
  createEventAt(server, types, { startsAt: '2030-06-01T10:00:00Z', endsAt: '2030-06-02T22:00:00Z' });

describe.each(backends)('offline-first check-in on %s', (backendName) => {
  let backend: Backend;
  let server: AdmitServer;
  let token: string;

  beforeAll(async () => {
    backend = await openBackend(backendName);
  });
  afterAll(async () => {
    await backend?.close();
  });
  beforeEach(async () => {
    // This file's events run in 2030: the records it pushes and claims are dated then.
    server = makeServer(backend, { recordTimes: { maxAheadMs: 10 * 365 * 86_400_000 } });
    ({ token } = await pairTerminal(server, 'Box office'));
  });
  afterEach(async () => {
    await server.close();
  });

  /** Every change after `since`, and the raw JSON text of the pages (to look for what must not be there). */
  async function pull(since: number, as = token): Promise<{ changes: Change[]; text: string; next: number }> {
    const changes: Change[] = [];
    let text = '';
    let cursor = since;
    for (;;) {
      const res = await server.app.inject({
        method: 'GET',
        url: `/v1/changes?since=${cursor}`,
        headers: { authorization: `Bearer ${as}` },
      });
      expect(res.statusCode).toBe(200);
      text += res.body;
      const page = ChangesResponse.parse(JSON.parse(res.body));
      changes.push(...page.changes);
      cursor = page.next;
      if (!page.more) return { changes, text, next: cursor };
    }
  }
  const seqNow = () => currentSeq(backend.handle.db);

  const claim = (
    ticketId: string,
    opts: { at?: string; pointId?: string | null; direction?: 'entry' | 'exit'; checkinId?: string; as?: string } = {},
  ) =>
    call(server.app, 'POST', '/v1/checkins/claim', {
      token: opts.as ?? token,
      body: {
        checkinId: opts.checkinId ?? uuidv7(),
        ticketId,
        at: opts.at ?? at(3600),
        ...(opts.pointId !== undefined ? { pointId: opts.pointId } : {}),
        ...(opts.direction ? { direction: opts.direction } : {}),
      },
    });
  const push = async (records: unknown[], as = token) => {
    const res = await call(server.app, 'POST', '/v1/push', { token: as, body: { records } });
    expect(res.status).toBe(200);
    return PushResponse.parse(res.json).results;
  };
  const checkin = (ticketId: string, s: number, extra: Record<string, unknown> = {}) => ({
    id: uuidv7(),
    kind: 'checkin',
    ticketId,
    at: at(s),
    ...extra,
  });

  describe('replicated catalogue', () => {
    it('replicates events, types, keys and points with their new fields, never a private key', async () => {
      const since = await seqNow();
      const event = await server.admin.createEvent({
        name: { en: 'Zoned' },
        startsAt: '2030-06-01T10:00:00Z',
        endsAt: '2030-06-02T22:00:00Z',
        timezone: 'Europe/Berlin',
        currency: 'EUR',
        rotationPeriodS: 30,
        ticketTypes: [
          { name: { en: 'General' }, priceMinor: 1000 },
          { name: { en: 'VIP' }, priceMinor: 5000, zones: ['vip'] },
        ],
      });
      await bindEveryDevice(server, event.id);
      expect(event.no).toBeGreaterThan(0);
      expect(event.idSalt).toMatch(/^[0-9a-f]{64}$/);
      expect(event.rotationPeriodS).toBe(30);
      expect(event.ticketTypes.map((t) => [t.no, t.zones])).toEqual([
        [1, []],
        [2, ['vip']],
      ]);
      const other = await createTestEvent(server);
      expect(other.no).toBeGreaterThan(event.no);

      const point = await server.admin.createPoint(event.id, {
        name: { en: 'VIP door' },
        zone: 'vip',
        reentry: 'after_exit',
        autoCheckoutAt: '04:00',
        windows: [{ from: '2030-06-01T12:00:00+02:00', to: '2030-06-01T23:00:00+02:00' }],
      });
      expect(point).toMatchObject({
        eventId: event.id,
        direction: 'entry',
        ticketTypeIds: [],
        active: true,
        windows: [{ from: '2030-06-01T10:00:00.000Z', to: '2030-06-01T21:00:00.000Z' }],
      });

      const { changes, text } = await pull(since);
      const kinds = (kind: Change['kind']) => changes.filter((c) => c.kind === kind);
      const ev = kinds('event').find((c) => c.kind === 'event' && c.row.id === event.id);
      expect(ev?.row).toMatchObject({ no: event.no, rotationPeriodS: 30, idSalt: event.idSalt });
      expect(kinds('ticket_type').map((c) => c.kind === 'ticket_type' && c.row.zones)).toContainEqual(['vip']);
      const keys = kinds('event_key').filter((c) => c.kind === 'event_key' && c.row.eventId === event.id);
      expect(keys.map((c) => c.row)).toEqual([
        { eventId: event.id, keyId: 0, publicKey: expect.any(String), signing: true, retired: false },
      ]);
      expect(kinds('check_in_point').map((c) => c.row)).toEqual([point]);

      // The private keys are nowhere in what terminals receive.
      const stored = await backend.handle.db.select().from(eventKeys);
      expect(stored.length).toBeGreaterThanOrEqual(2);
      for (const key of stored) {
        // Stored sealed under the key-encryption key (tests/server/keyring.test.ts opens them).
        expect(key.privateKey).toMatch(/^k1:[A-Za-z0-9+/]+=*$/);
        expect(text).not.toContain(key.privateKey);
      }
      expect(text).not.toMatch(/private/i);

      // A point edit moves the row to a new seq: terminals see it on their next pull.
      const cursor = await seqNow();
      const patched = await call(server.app, 'PATCH', `/admin/v1/points/${point.id}`, {
        token: ADMIN,
        body: { active: false, zone: null },
      });
      expect(PointResponse.parse(patched.json).point).toMatchObject({ id: point.id, active: false, zone: null });
      const after = await pull(cursor);
      expect(after.changes.map((c) => [c.kind, c.row])).toEqual([['check_in_point', patched.json.point]]);
      const listed = PointsResponse.parse(
        (await call(server.app, 'GET', `/admin/v1/events/${event.id}/points`, { token: ADMIN })).json,
      );
      expect(listed.points).toEqual([patched.json.point]);
    });

    it('validates point input and answers unknown events and points with not_found', async () => {
      const event = await createTestEvent(server);
      const otherType = (await createTestEvent(server)).ticketTypes[0]!.id;
      const post = (eventId: string, body: unknown) =>
        call(server.app, 'POST', `/admin/v1/events/${eventId}/points`, { token: ADMIN, body });
      expectError(await post(uuidv7(), { name: { en: 'X' } }), 404, 'not_found');
      expectError(await post(event.id, { name: {} }), 400, 'bad_request');
      expectError(await post(event.id, { name: { en: 'X' }, autoCheckoutAt: '24:00' }), 400, 'bad_request');
      expectError(await post(event.id, { name: { en: 'X' }, reentry: 'twice' }), 400, 'bad_request');
      expectError(
        await post(event.id, { name: { en: 'X' }, windows: [{ from: '2030-06-02T00:00:00Z', to: '2030-06-01T00:00:00Z' }] }),
        400,
        'bad_request',
      );
      expectError(await post(event.id, { name: { en: 'X' }, ticketTypeIds: [otherType] }), 404, 'unknown_ticket_type');
      const ok = await post(event.id, { name: { en: 'Door' }, ticketTypeIds: [event.ticketTypes[0]!.id] });
      expect(ok.status).toBe(200);
      expectError(await call(server.app, 'PATCH', `/admin/v1/points/${uuidv7()}`, { token: ADMIN, body: { active: false } }), 404, 'not_found');
      expectError(await call(server.app, 'PATCH', `/admin/v1/points/${ok.json.point.id}`, { token: ADMIN, body: {} }), 400, 'bad_request');
      // PATCH is a mutation: it needs a fresh request id like every POST.
      expectError(
        await call(server.app, 'PATCH', `/admin/v1/points/${ok.json.point.id}`, { token: ADMIN, body: { active: false }, requestId: null }),
        400,
        'bad_request',
      );
    });
  });

  describe('signed codes and keys', () => {
    /** The replicated public key of `keyId` — what a terminal verifies with. */
    async function replicatedKey(eventId: string, keyId: number) {
      const { changes } = await pull(0);
      const key = changes
        .filter((c) => c.kind === 'event_key')
        .map((c) => c.row as { eventId: string; keyId: number; publicKey: string; retired: boolean })
        .find((r) => r.eventId === eventId && r.keyId === keyId);
      expect(key).toBeDefined();
      return key!;
    }
    const verifies = async (code: string, eventId: string) => {
      const parsed = parseCode(code);
      if (parsed.kind !== 'signed') throw new Error(`not a signed code: ${code}`);
      const key = await replicatedKey(eventId, parsed.payload.keyId);
      return { ok: verifySignature(parsed, publicKeyFromRaw(key.publicKey)), retired: key.retired, payload: parsed.payload };
    };

    it('signs sold tickets so they verify with the replicated public key', async () => {
      const event = await createTestEvent(server, [
        { priceMinor: 100, capacity: null },
        { priceMinor: 200, capacity: null },
      ]);
      const type = event.ticketTypes[1]!;
      const order = await sell(server, token, event.id, type.id, 2);
      for (const ticket of order.tickets) {
        const { ok, payload } = await verifies(ticket.code, event.id);
        expect(ok).toBe(true);
        expect(payload).toEqual({
          keyId: 0,
          eventNo: event.no,
          typeNo: type.no,
          ticketId: ticket.id,
          validFrom: Date.parse(event.startsAt) / 1000,
          validTo: Date.parse(event.endsAt) / 1000,
        });
      }
      // One flipped bit in the payload and the signature no longer holds.
      const parsed = parseCode(order.tickets[0]!.code);
      if (parsed.kind !== 'signed') throw new Error('not signed');
      parsed.signed[9]! ^= 1;
      const key = await replicatedKey(event.id, 0);
      expect(verifySignature(parsed, publicKeyFromRaw(key.publicKey))).toBe(false);
    });

    it('mints key 0 on the first sale of an event that predates signed codes', async () => {
      const event = await createTestEvent(server);
      await backend.handle.db.delete(eventKeys).where(eq(eventKeys.eventId, event.id)); // as after the migration
      const ticket = (await sell(server, token, event.id, event.ticketTypes[0]!.id)).tickets[0]!;
      expect(await verifies(ticket.code, event.id)).toMatchObject({ ok: true, payload: { keyId: 0 } });
    });

    it('gives tickets of events with rotating codes a secret', async () => {
      const event = await server.admin.createEvent({
        name: { en: 'Rotating' },
        startsAt: '2030-06-01T10:00:00Z',
        endsAt: '2030-06-02T22:00:00Z',
        timezone: 'UTC',
        currency: 'EUR',
        rotationPeriodS: 15,
        ticketTypes: [{ name: { en: 'Phone' }, priceMinor: 100 }],
      });
      await bindEveryDevice(server, event.id);
      const { tickets: sold } = await sell(server, token, event.id, event.ticketTypes[0]!.id, 2);
      for (const t of sold) expect(Buffer.from(t.rotatingSecret!, 'base64')).toHaveLength(20);
      expect(sold[0]!.rotatingSecret).not.toBe(sold[1]!.rotatingSecret);
    });

    it('rotates keys: old codes keep verifying until their key is retired', async () => {
      const event = await createTestEvent(server);
      const typeId = event.ticketTypes[0]!.id;
      const before = (await sell(server, token, event.id, typeId)).tickets[0]!;

      const cursor = await seqNow();
      const rotated = await call(server.app, 'POST', `/admin/v1/events/${event.id}/keys/rotate`, { token: ADMIN });
      expect(rotated.status).toBe(200);
      expect(KeysResponse.parse(rotated.json).keys.map((k) => [k.keyId, k.signing, k.retired])).toEqual([
        [0, false, false],
        [1, true, false],
      ]);
      expect(JSON.stringify(rotated.json)).not.toMatch(/private/i);
      const pulled = await pull(cursor);
      expect(pulled.changes.map((c) => c.kind)).toEqual(['event_key', 'event_key']);

      const after = (await sell(server, token, event.id, typeId)).tickets[0]!;
      expect(await verifies(after.code, event.id)).toMatchObject({ ok: true, retired: false, payload: { keyId: 1 } });
      expect(await verifies(before.code, event.id)).toMatchObject({ ok: true, retired: false, payload: { keyId: 0 } });

      const keys = await server.admin.rotateEventKey(event.id, { retire: true });
      expect(keys.map((k) => [k.keyId, k.signing, k.retired])).toEqual([
        [0, false, true],
        [1, false, true],
        [2, true, false],
      ]);
      // Retired: the signature still checks out mathematically, but terminals refuse retired keys.
      expect(await verifies(before.code, event.id)).toMatchObject({ ok: true, retired: true });
      expect(await verifies(after.code, event.id)).toMatchObject({ ok: true, retired: true });
      const newest = (await sell(server, token, event.id, typeId)).tickets[0]!;
      expect(await verifies(newest.code, event.id)).toMatchObject({ ok: true, retired: false, payload: { keyId: 2 } });
      expect(await server.admin.listEventKeys(event.id)).toEqual(keys);
      expectError(
        await call(server.app, 'POST', `/admin/v1/events/${uuidv7()}/keys/rotate`, { token: ADMIN, body: {} }),
        404,
        'not_found',
      );
    });
  });

  describe('revocation', () => {
    it('revokes a ticket as a revocation change plus its status, idempotently, and refuses it at the gate', async () => {
      const event = await createTestEvent(server);
      const [ticket, other] = (await sell(server, token, event.id, event.ticketTypes[0]!.id, 2)).tickets;
      const cursor = await seqNow();
      const res = await call(server.app, 'POST', `/admin/v1/tickets/${ticket!.id}/revoke`, {
        token: ADMIN,
        body: { reason: 'chargeback' },
      });
      expect(res.status).toBe(200);
      const revoked = RevokeTicketResponse.parse(res.json);
      expect(revoked.ticket).toMatchObject({ id: ticket!.id, status: 'revoked' });
      expect(revoked.revocation).toMatchObject({ ticketId: ticket!.id, eventId: event.id });

      const { changes } = await pull(cursor);
      expect(changes.map((c) => c.kind).sort()).toEqual(['revocation', 'ticket']);
      expect(changes.find((c) => c.kind === 'revocation')!.row).toEqual(revoked.revocation);
      expect(changes.find((c) => c.kind === 'ticket')!.row).toMatchObject({ id: ticket!.id, status: 'revoked' });

      // Again: same answer, nothing new to pull.
      const seq = await seqNow();
      expect(await server.admin.revokeTicket(ticket!.id)).toEqual(revoked);
      expect(await seqNow()).toBe(seq);
      expectError(await call(server.app, 'POST', `/admin/v1/tickets/${uuidv7()}/revoke`, { token: ADMIN }), 404, 'not_found');

      expect((await claim(ticket!.id)).json).toEqual({ status: 'conflict', firstAt: null, reason: 'revoked' });
      const results = await push([checkin(ticket!.id, 0), checkin(other!.id, 0)]);
      expect(results.map((r) => [r.status, r.detail])).toEqual([
        ['conflict', 'revoked'],
        ['accepted', undefined],
      ]);
    });
  });

  describe('claims by the rules', () => {
    async function ticketAt(reentry: 'single' | 'unlimited' | 'after_exit' | 'once_per_day', extra: Record<string, unknown> = {}) {
      const event = await createTestEvent(server);
      const point = await server.admin.createPoint(event.id, { name: { en: reentry }, reentry, ...extra });
      const ticket = (await sell(server, token, event.id, event.ticketTypes[0]!.id)).tickets[0]!;
      return { event, point, ticket };
    }
    const statusOf = async (p: Promise<{ json: { status: string } }>) => (await p).json.status;

    it('single: the second entry is a conflict naming the first', async () => {
      const { point, ticket } = await ticketAt('single');
      expect((await claim(ticket.id, { pointId: point.id, at: at(0) })).json).toEqual({ status: 'accepted', firstAt: null });
      expect((await claim(ticket.id, { pointId: point.id, at: at(60) })).json).toEqual({ status: 'conflict', firstAt: at(0), reason: 'already_used' });
    });

    it('unlimited: every entry is accepted and recorded', async () => {
      const { point, ticket } = await ticketAt('unlimited');
      expect(await statusOf(claim(ticket.id, { pointId: point.id, at: at(0) }))).toBe('accepted');
      expect(await statusOf(claim(ticket.id, { pointId: point.id, at: at(60) }))).toBe('accepted');
      expect(await backend.handle.db.$count(checkins, eq(checkins.ticketId, ticket.id))).toBe(2);
    });

    it('after_exit: entry, entry → conflict, exit, entry → accepted; auto checkout lets the next day in', async () => {
      const { point, ticket } = await ticketAt('after_exit', { autoCheckoutAt: '04:00' });
      const p = { pointId: point.id };
      expect(await statusOf(claim(ticket.id, { ...p, at: at(0) }))).toBe('accepted');
      expect((await claim(ticket.id, { ...p, at: at(60) })).json).toEqual({ status: 'conflict', firstAt: at(0), reason: 'already_used' });
      expect(await statusOf(claim(ticket.id, { ...p, at: at(120), direction: 'exit' }))).toBe('accepted');
      expect(await statusOf(claim(ticket.id, { ...p, at: at(180) }))).toBe('accepted');
      // Still inside at 03:59 Berlin time, out after 04:00 (02:00Z in summer).
      expect(await statusOf(claim(ticket.id, { ...p, at: '2030-06-02T01:59:00Z' }))).toBe('conflict');
      expect(await statusOf(claim(ticket.id, { ...p, at: '2030-06-02T02:01:00Z' }))).toBe('accepted');
    });

    it('once_per_day: one entry per local day', async () => {
      const { point, ticket } = await ticketAt('once_per_day');
      expect(await statusOf(claim(ticket.id, { pointId: point.id, at: '2030-06-01T10:00:00Z' }))).toBe('accepted');
      expect(await statusOf(claim(ticket.id, { pointId: point.id, at: '2030-06-01T20:00:00Z' }))).toBe('conflict');
      expect(await statusOf(claim(ticket.id, { pointId: point.id, at: '2030-06-02T10:00:00Z' }))).toBe('accepted');
    });

    it('checks ticket types, zones and windows, and keeps zones apart', async () => {
      const event = await server.admin.createEvent({
        name: { en: 'Zones' },
        startsAt: '2030-06-01T10:00:00Z',
        endsAt: '2030-06-02T22:00:00Z',
        timezone: 'Europe/Berlin',
        currency: 'EUR',
        ticketTypes: [
          { name: { en: 'Day' }, priceMinor: 100, zones: ['main'] },
          { name: { en: 'VIP' }, priceMinor: 500, zones: ['main', 'vip'] },
        ],
      });
      await bindEveryDevice(server, event.id);
      const [dayType, vipType] = event.ticketTypes;
      const main = await server.admin.createPoint(event.id, { name: { en: 'Main' }, reentry: 'single' });
      const vip = await server.admin.createPoint(event.id, { name: { en: 'VIP' }, zone: 'vip', reentry: 'after_exit' });
      const kids = await server.admin.createPoint(event.id, {
        name: { en: 'Kids' },
        ticketTypeIds: [vipType!.id],
        windows: [{ from: at(0), to: at(3600) }],
      });
      const day = (await sell(server, token, event.id, dayType!.id)).tickets[0]!;
      const guest = (await sell(server, token, event.id, vipType!.id)).tickets[0]!;

      expect(await statusOf(claim(day.id, { pointId: vip.id, at: at(0) }))).toBe('conflict'); // wrong_zone
      expect(await statusOf(claim(day.id, { pointId: kids.id, at: at(0) }))).toBe('conflict'); // wrong_type
      expect(await statusOf(claim(guest.id, { pointId: kids.id, at: at(-60) }))).toBe('conflict'); // not yet open
      // Entering the festival does not count as having entered the VIP lounge.
      expect(await statusOf(claim(guest.id, { pointId: main.id, at: at(10) }))).toBe('accepted');
      expect(await statusOf(claim(guest.id, { pointId: vip.id, at: at(20) }))).toBe('accepted');
      expect(await statusOf(claim(guest.id, { pointId: vip.id, at: at(30) }))).toBe('conflict');
      // A point of another event admits nothing of this one.
      const elsewhere = await createTestEvent(server);
      const foreign = await server.admin.createPoint(elsewhere.id, { name: { en: 'Other' }, reentry: 'unlimited' });
      expect(await statusOf(claim(guest.id, { pointId: foreign.id, at: at(40) }))).toBe('conflict');
      // Refused claims are not recorded.
      expect(await backend.handle.db.$count(checkins, eq(checkins.ticketId, day.id))).toBe(0);
    });

    it('lets exactly one of many concurrent claims at a single-entry point win', async () => {
      const { point, ticket } = await ticketAt('single');
      const other = await pairTerminal(server, 'Second gate');
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => claim(ticket.id, { pointId: point.id, as: i % 2 ? other.token : token })),
      );
      const statuses = results.map((r) => r.json.status).sort();
      expect(statuses.filter((s) => s === 'accepted')).toHaveLength(1);
      expect(statuses.filter((s) => s === 'conflict')).toHaveLength(9);
      expect(await backend.handle.db.$count(checkins, eq(checkins.ticketId, ticket.id))).toBe(1);
    });
  });

  describe('push', () => {
    it('validates record by record: one bad record does not block the others', async () => {
      const event = await createTestEvent(server);
      const [a, b] = (await sell(server, token, event.id, event.ticketTypes[0]!.id, 2)).tickets;
      const good1 = checkin(a!.id, 0);
      const good2 = checkin(b!.id, 0);
      const results = await push([
        good1,
        { id: uuidv7(), kind: 'checkin', ticketId: 'not-a-uuid', at: at(0) },
        { kind: 'teleport' },
        'text',
        { ...checkin(b!.id, 1), extra: true },
        good2,
        { ...checkin(b!.id, 2), at: '0000-01-01T00:00:00Z' }, // ISO, but no instant PostgreSQL can store
      ]);
      expect(results.map((r) => r.status)).toEqual(['accepted', 'invalid', 'invalid', 'invalid', 'invalid', 'accepted', 'invalid']);
      expect(results[6]!.detail).toMatch(/^at: /);
      expect(results[1]!.detail).toMatch(/ticketId/);
      expect(results[2]).toMatchObject({ id: '#2', status: 'invalid' });
      expect(results[3]).toMatchObject({ id: '#3', status: 'invalid' });
      expect(results[4]!.detail).toMatch(/extra/);
      expect(results[0]!.id).toBe(good1.id);
      expect(await backend.handle.db.$count(checkins, eq(checkins.ticketId, b!.id))).toBe(1);
    });

    it('treats upper-case UUIDs like lower-case ones and echoes ids as sent', async () => {
      const event = await createTestEvent(server);
      const ticket = (await sell(server, token, event.id, event.ticketTypes[0]!.id)).tickets[0]!;
      const record = checkin(ticket.id.toUpperCase(), 0);
      const upper = { ...record, id: record.id.toUpperCase() };
      expect(await push([upper])).toEqual([{ id: upper.id, status: 'accepted' }]);
      expect(await push([upper, { ...record, id: record.id.toLowerCase() }])).toEqual([
        { id: upper.id, status: 'duplicate' },
        { id: record.id.toLowerCase(), status: 'duplicate' },
      ]);
      expect((await claim(ticket.id.toUpperCase())).json.status).toBe('conflict');
    });

    it('decides a batch in time order at its points, and keeps every refusal as a conflict', async () => {
      const event = await createTestEvent(server);
      const door = await server.admin.createPoint(event.id, { name: { en: 'Door' }, reentry: 'after_exit' });
      const ticket = (await sell(server, token, event.id, event.ticketTypes[0]!.id)).tickets[0]!;
      const p = { pointId: door.id };
      // Sent out of order; decided by `at`.
      const records = [
        checkin(ticket.id, 30, p), // entry after the exit: accepted
        checkin(ticket.id, 0, p), // first entry: accepted
        checkin(ticket.id, 20, { ...p, direction: 'exit' }),
        checkin(ticket.id, 10, p), // still inside: conflict
      ];
      const results = await push(records);
      expect(results.map((r) => r.status)).toEqual(['accepted', 'accepted', 'accepted', 'conflict']);
      expect(results[3]!.detail).toBe('already_used');
      const rows = await backend.handle.db.select().from(checkins).where(eq(checkins.ticketId, ticket.id)).orderBy(asc(checkins.at));
      expect(rows.map((r) => [r.status, r.direction, r.pointId])).toEqual([
        ['accepted', 'entry', door.id],
        ['conflict', 'entry', door.id],
        ['accepted', 'exit', door.id],
        ['accepted', 'entry', door.id],
      ]);
      expect(rows[1]!.conflictsWith).toBe(rows[0]!.id);
      // Check-in rows replicate with their point and direction.
      const { changes } = await pull(0);
      const replicated = changes.filter((c) => c.kind === 'checkin' && c.row.ticketId === ticket.id).map((c) => c.row);
      expect(replicated).toContainEqual(expect.objectContaining({ id: records[2]!.id, direction: 'exit', pointId: door.id, status: 'accepted' }));
    });

    it('reports an offline double admission by two gates as accepted + conflict, listed with both devices', async () => {
      const event = await createTestEvent(server);
      const ticket = (await sell(server, token, event.id, event.ticketTypes[0]!.id)).tickets[0]!;
      const north = await pairTerminal(server, 'North gate');
      const south = await pairTerminal(server, 'South gate');
      // Both gates admitted the same ticket while offline; they come back one after the other.
      const first = checkin(ticket.id, 5);
      const second = checkin(ticket.id, 0);
      expect(await push([first], north.token)).toEqual([{ id: first.id, status: 'accepted' }]);
      expect(await push([second], south.token)).toEqual([{ id: second.id, status: 'conflict', detail: 'already_used' }]);

      const res = await call(server.app, 'GET', `/admin/v1/conflicts?eventId=${event.id}`, { token: ADMIN });
      expect(res.status).toBe(200);
      const { conflicts } = ConflictsResponse.parse(res.json);
      expect(conflicts).toEqual([
        {
          id: second.id,
          ticketId: ticket.id,
          ticketCode: ticket.code,
          eventId: event.id,
          deviceId: south.deviceId,
          deviceName: 'South gate',
          at: second.at,
          receivedAt: expect.any(String),
          direction: 'entry',
          point: null,
          reason: 'already_used',
          accepted: {
            id: first.id,
            deviceId: north.deviceId,
            deviceName: 'North gate',
            at: first.at,
            status: 'accepted',
            point: null,
          },
        },
      ]);
      expect(await server.admin.listConflicts({ eventId: event.id })).toEqual(conflicts);
      // The report is complete by default; a limit is optional.
      expect((await server.admin.listConflicts()).map((c) => c.id)).toContain(second.id);
      expect(await server.admin.listConflicts({ limit: 1 })).toHaveLength(1);
    });

    it('admits exactly one of the same ticket pushed by several gates at once', async () => {
      const event = await createTestEvent(server);
      const single = await server.admin.createPoint(event.id, { name: { en: 'Door' } });
      const ticket = (await sell(server, token, event.id, event.ticketTypes[0]!.id)).tickets[0]!;
      const gates = await Promise.all(['G1', 'G2', 'G3', 'G4'].map((name) => pairTerminal(server, name)));
      const results = await Promise.all(
        gates.map((g, i) => push([checkin(ticket.id, i, { pointId: single.id })], g.token)),
      );
      expect(results.map((r) => r[0]!.status).sort()).toEqual(['accepted', 'conflict', 'conflict', 'conflict']);
      expect((await server.admin.listConflicts({ eventId: event.id })).every((c) => c.accepted !== null)).toBe(true);
    });

    it('annuls a check-in: it stops being a use, and a repeat is a duplicate', async () => {
      const event = await createTestEvent(server);
      const ticket = (await sell(server, token, event.id, event.ticketTypes[0]!.id)).tickets[0]!;
      const entry = checkin(ticket.id, 0);
      const annul = { id: uuidv7(), kind: 'annul', checkinId: entry.id, at: at(2), reason: 'no_passage' };
      const retry = checkin(ticket.id, 10);
      // In one batch: the entry, its annulment, and the attendee trying again.
      expect((await push([entry, annul, retry])).map((r) => r.status)).toEqual(['accepted', 'accepted', 'accepted']);
      const rows = await backend.handle.db.select().from(checkins).where(eq(checkins.ticketId, ticket.id)).orderBy(asc(checkins.at));
      expect(rows.map((r) => r.status)).toEqual(['annulled', 'accepted']);

      const cursor = await seqNow();
      // Annulling a stored check-in in a later push; annulling it twice is a duplicate.
      const again = { id: uuidv7(), kind: 'annul', checkinId: retry.id, at: at(12), reason: 'operator' };
      expect((await push([again]))[0]!.status).toBe('accepted');
      expect((await push([{ ...again, id: uuidv7() }]))[0]).toMatchObject({ status: 'duplicate', detail: 'already annulled' });
      expect((await push([again]))[0]!.status).toBe('duplicate');
      const { changes } = await pull(cursor);
      expect(changes.map((c) => [c.kind, c.row])).toEqual([['checkin', expect.objectContaining({ id: retry.id, status: 'annulled' })]]);
      expect(await server.admin.listCheckins({ ticketId: ticket.id, status: 'annulled' })).toHaveLength(2);
      // Both annulled: the ticket is unused, a claim admits it.
      expect((await claim(ticket.id)).json.status).toBe('accepted');
    });

    it('keeps an annulment that arrives before its check-in and applies it when the check-in comes', async () => {
      const event = await createTestEvent(server);
      const ticket = (await sell(server, token, event.id, event.ticketTypes[0]!.id)).tickets[0]!;
      const entry = checkin(ticket.id, 0);
      const annul = { id: uuidv7(), kind: 'annul', checkinId: entry.id, at: at(3), reason: 'no_passage' };
      const [early] = await push([annul]);
      expect(early).toMatchObject({ id: annul.id, status: 'conflict', detail: expect.stringMatching(/^checkin_not_found/) });
      expect(await pendingAnnulments(backend.handle.db)).toContainEqual({ id: annul.id, checkinId: entry.id });

      const [late] = await push([entry]);
      expect(late).toEqual({ id: entry.id, status: 'accepted', detail: 'annulled' });
      const [row] = await backend.handle.db.select().from(checkins).where(eq(checkins.id, entry.id));
      expect(row!.status).toBe('annulled');
      expect(await pendingAnnulments(backend.handle.db)).not.toContainEqual({ id: annul.id, checkinId: entry.id });
      expect((await claim(ticket.id)).json.status).toBe('accepted');
    });

    it('applies a pending annulment whose check-in slipped in concurrently on the next sweep', async () => {
      const event = await createTestEvent(server);
      const ticket = (await sell(server, token, event.id, event.ticketTypes[0]!.id)).tickets[0]!;
      const { deviceId } = await pairTerminal(server, 'Racer');
      const checkinId = uuidv7();
      // As if the check-in committed after the annulment had looked for it, and vice versa.
      await backend.handle.db.insert(annulments).values({ id: uuidv7(), checkinId, deviceId, at: new Date(T0), reason: 'no_passage' });
      await backend.handle.db
        .insert(checkins)
        .values({ id: checkinId, ticketId: ticket.id, deviceId, at: new Date(T0), status: 'accepted' });
      const seq = await sweepPendingAnnulments(backend.handle.db, new Date());
      expect(seq).toBeGreaterThan(0);
      const [row] = await backend.handle.db.select().from(checkins).where(eq(checkins.id, checkinId));
      expect(row!.status).toBe('annulled');
      expect(await sweepPendingAnnulments(backend.handle.db, new Date())).toBeNull();
    });

    it('stores failed scans for the organizer', async () => {
      const gate = await pairTerminal(server, 'Scanner');
      const event = await createTestEvent(server);
      const point = await server.admin.createPoint(event.id, { name: { en: 'Gate 7' } });
      const scan = {
        id: uuidv7(),
        kind: 'failed_scan',
        code: 'S1GARBAGE',
        ticketId: null,
        reason: 'invalid_signature',
        at: at(0),
        pointId: point.id,
      };
      expect(await push([scan], gate.token)).toEqual([{ id: scan.id, status: 'accepted' }]);
      expect(await push([scan], gate.token)).toEqual([{ id: scan.id, status: 'duplicate' }]);
      // PostgreSQL text cannot hold NUL; such a reason is stored with a replacement character, not a 500.
      const odd = { ...scan, id: uuidv7(), code: 'X', reason: 'bad\u0000read', pointId: null };
      expect(await push([odd], gate.token)).toEqual([{ id: odd.id, status: 'accepted' }]);
      expect((await server.admin.listFailedScans({ deviceId: gate.deviceId })).map((f) => f.reason)).toContain('bad\uFFFDread');
      const res = await call(server.app, 'GET', `/admin/v1/failed-scans?deviceId=${gate.deviceId}`, { token: ADMIN });
      const { failedScans: listed } = FailedScansResponse.parse(res.json);
      expect(listed.filter((f) => f.id === scan.id)).toEqual([
        {
          id: scan.id,
          deviceId: gate.deviceId,
          deviceName: 'Scanner',
          code: 'S1GARBAGE',
          ticketId: null,
          reason: 'invalid_signature',
          at: scan.at,
          point: { id: point.id, name: { en: 'Gate 7' } },
          receivedAt: expect.any(String),
        },
      ]);
      // Not replicated.
      const { changes } = await pull(0, gate.token);
      expect(JSON.stringify(changes)).not.toContain('S1GARBAGE');
    });

    it('answers a replayed batch with duplicates and changes nothing', async () => {
      const event = await createTestEvent(server);
      const [a, b] = (await sell(server, token, event.id, event.ticketTypes[0]!.id, 2)).tickets;
      const first = checkin(a!.id, 0);
      const records = [
        first,
        checkin(a!.id, 5), // conflict
        checkin(b!.id, 0),
        checkin(uuidv7(), 0), // unknown ticket: conflict, kept
        { id: uuidv7(), kind: 'annul', checkinId: first.id, at: at(1), reason: 'no_passage' },
        { id: uuidv7(), kind: 'annul', checkinId: uuidv7(), at: at(1), reason: 'operator' }, // pending
        { id: uuidv7(), kind: 'failed_scan', code: 'XYZ', ticketId: null, reason: 'unknown', at: at(2), pointId: null },
        { id: 'broken' },
      ];
      const results = await push(records);
      expect(results.map((r) => r.status)).toEqual([
        'accepted',
        'accepted', // the first entry was annulled (its annulment sorts before this one by time)
        'accepted',
        'conflict',
        'accepted',
        'conflict',
        'accepted',
        'invalid',
      ]);
      const snapshot = async () => ({
        checkins: await backend.handle.db.select().from(checkins).orderBy(asc(checkins.id)),
        annulments: await backend.handle.db.select().from(annulments).orderBy(asc(annulments.id)),
        failedScans: await backend.handle.db.select().from(failedScans).orderBy(asc(failedScans.id)),
        tickets: await backend.handle.db.select().from(tickets).orderBy(asc(tickets.id)),
        seq: await seqNow(),
      });
      const before = await snapshot();
      const replay = await push(records);
      expect(replay.map((r) => r.status)).toEqual([...Array<string>(7).fill('duplicate'), 'invalid']);
      expect(await snapshot()).toEqual(before);
    });
  });

  describe('demo data', () => {
    it('seeds points, a signing key and searchable tickets', async () => {
      const seeded = await server.admin.seedDemo({ tickets: 2000 });
      if (!seeded.created) return; // another test file seeded this backend first
      const points = await server.admin.listPoints(DEMO_EVENT_ID);
      expect(points.map((p) => [p.id, p.name.en, p.direction, p.reentry, p.zone, p.autoCheckoutAt])).toEqual([
        [DEMO_POINT_IDS.mainEntrance, 'Main entrance', 'entry', 'single', null, null],
        [DEMO_POINT_IDS.mainExit, 'Main exit', 'exit', 'unlimited', null, null],
        [DEMO_POINT_IDS.vipLounge, 'VIP lounge', 'entry', 'after_exit', 'vip', '04:00'],
        [DEMO_LUNCH_POINT_ID, 'Lunch', 'entry', 'once_per_day', 'meal', null],
      ]);
      expect((await server.admin.listEventKeys(DEMO_EVENT_ID)).map((k) => [k.keyId, k.signing])).toEqual([[0, true]]);
      const demo = (await server.admin.listEvents()).find((e) => e.id === DEMO_EVENT_ID)!;
      const rows = await backend.handle.db.select().from(tickets).where(eq(tickets.eventId, DEMO_EVENT_ID));
      expect(rows).toHaveLength(2000);
      expect(new Set(rows.map((r) => r.id)).size).toBe(2000);
      for (const r of rows) expect(r.code).toMatch(/^A1[0-9A-HJKMNP-TV-Z]{20}$/);
      const named = rows.filter((r) => r.attendeeName !== null);
      expect(named).toHaveLength(200);
      expect(rows.filter((r) => r.phoneLast4 !== null)).toHaveLength(200);
      const hashed = rows.filter((r) => r.idHash !== null);
      expect(hashed).toHaveLength(DEMO_ID_CARD_TICKETS / 100);
      // Ticket number k is recognizable: its ID hash is what a terminal computes from the ID card.
      const hashes = new Set(hashed.map((r) => r.idHash));
      for (let k = 100; k <= DEMO_ID_CARD_TICKETS; k += 100) expect(hashes.has(await idNumberHash(demoIdNumber(k), demo.idSalt))).toBe(true);
      expect(new Set(named.map((r) => r.phoneLast4))).toContain(demoPhoneLast4(10));
      // Types: 10/7/3 per 20, with their zones.
      expect(demo.ticketTypes.map((t) => [t.no, t.sold, t.zones])).toEqual([
        [1, 1000, ['main']],
        [2, 700, ['main', 'vip']],
        [3, 300, ['main']],
      ]);
    });
  });
});
