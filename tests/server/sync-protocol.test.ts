// Pairing, authentication, request-id replay protection, body limits and the change feed, run against
// in-memory PGlite and a real PostgreSQL cluster.
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ChangesResponse,
  MAX_BODY_BYTES,
  PAIRING_CODE_TTL_MS,
  PairResponse,
  REQUEST_MAX_AGE_MS,
} from '../../domain/wire';
import type { AdmitServer } from '../../server/src/app';
import { devices, seenRequests, tickets } from '../../server/src/db/schema';
import { readWatermark } from '../../server/src/db/writes';
import {
  type Backend,
  backends,
  call,
  createTestEvent,
  expectError,
  makeServer,
  openBackend,
  orderBody,
  pairTerminal,
  sell,
  TestClock,
  uuidv7,
} from './harness';

describe.each(backends)('sync protocol on %s', (backendName) => {
  let backend: Backend;
  let server: AdmitServer;
  let clock: TestClock;

  beforeAll(async () => {
    backend = await openBackend(backendName);
  });
  afterAll(async () => {
    await backend?.close();
  });
  beforeEach(() => {
    clock = new TestClock();
    server = makeServer(backend, { now: clock.now });
  });
  afterEach(async () => {
    await server.close();
  });

  describe('pairing', () => {
    it('pairs with a fresh code (with or without the dash, any case) and returns a working token', async () => {
      const { code, expiresAt } = await server.admin.createPairingCode();
      expect(code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
      expect(Date.parse(expiresAt) - clock.now().getTime()).toBeGreaterThan(PAIRING_CODE_TTL_MS - 5_000);

      const res = await call(server.app, 'POST', '/v1/pair', {
        body: { code: code.replace('-', '').toLowerCase(), name: 'Gate 1' },
      });
      expect(res.status).toBe(200);
      const paired = PairResponse.parse(res.json);
      expect(paired.deviceName).toBe('Gate 1');
      expect(paired.token.length).toBeGreaterThanOrEqual(40);

      const changes = await call(server.app, 'GET', '/v1/changes?since=0&limit=1', { token: paired.token });
      expect(changes.status).toBe(200);

      // Same server id for every pairing; the token is stored only as a hash.
      const again = await pairTerminal(server, 'Gate 2');
      const [row] = await backend.handle.db.select().from(devices).where(eq(devices.id, again.deviceId));
      expect(row!.tokenHash).not.toContain(again.token);
      expect(row!.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    });

    it('refuses a code that was already used', async () => {
      const { code } = await server.admin.createPairingCode();
      expect((await call(server.app, 'POST', '/v1/pair', { body: { code, name: 'A' } })).status).toBe(200);
      const second = await call(server.app, 'POST', '/v1/pair', { body: { code, name: 'B' } });
      expectError(second, 401, 'pairing_code_invalid');
      expect(second.json.error.detail).toMatch(/already used/);
    });

    it('refuses an expired code', async () => {
      const { code } = await server.admin.createPairingCode();
      clock.advance(PAIRING_CODE_TTL_MS + 1_000);
      // A fresh request id, made on the server's (moved) clock.
      const res = await call(server.app, 'POST', '/v1/pair', {
        body: { code, name: 'Late' },
        requestId: uuidv7({ msecs: clock.now().getTime() }),
      });
      expectError(res, 401, 'pairing_code_invalid');
      expect(res.json.error.detail).toMatch(/expired/);
    });

    it('refuses a wrong code and a malformed one', async () => {
      await server.admin.createPairingCode();
      expectError(
        await call(server.app, 'POST', '/v1/pair', { body: { code: 'ZZZZ-ZZZZ', name: 'X' } }),
        401,
        'pairing_code_invalid',
      );
      expectError(
        await call(server.app, 'POST', '/v1/pair', { body: { code: 'ab!d-efgh', name: 'X' } }),
        401,
        'pairing_code_invalid',
      );
      expectError(await call(server.app, 'POST', '/v1/pair', { body: { code: 'ABCD1234' } }), 400, 'bad_request');
    });

    it('lets only one of two racing terminals use a code', async () => {
      const { code } = await server.admin.createPairingCode();
      const results = await Promise.all(
        ['A', 'B', 'C'].map((name) => call(server.app, 'POST', '/v1/pair', { body: { code, name } })),
      );
      expect(results.map((r) => r.status).sort()).toEqual([200, 401, 401]);
    });
  });

  describe('authentication', () => {
    it('refuses a missing, malformed or unknown token as unauthorized', async () => {
      expectError(await call(server.app, 'GET', '/v1/changes'), 401, 'unauthorized');
      expectError(
        await call(server.app, 'GET', '/v1/changes', { headers: { authorization: 'Basic abc' } }),
        401,
        'unauthorized',
      );
      expectError(await call(server.app, 'GET', '/v1/changes', { token: 'not-a-real-token' }), 401, 'unauthorized');
      expectError(await call(server.app, 'POST', '/v1/push', { body: { records: [] } }), 401, 'unauthorized');
    });

    it('refuses a revoked token as token_revoked', async () => {
      const { deviceId, token } = await pairTerminal(server);
      expect((await call(server.app, 'GET', '/v1/changes', { token })).status).toBe(200);
      const revoked = await server.admin.revokeDevice(deviceId);
      expect(revoked.revokedAt).not.toBeNull();
      const res = await call(server.app, 'GET', '/v1/changes', { token });
      expectError(res, 401, 'token_revoked');
    });

    it('records when a device was last seen', async () => {
      const { deviceId, token } = await pairTerminal(server);
      await backend.handle.db.update(devices).set({ lastSeenAt: null }).where(eq(devices.id, deviceId));
      const other = makeServer(backend, { now: clock.now }); // fresh last-seen throttle
      try {
        await call(other.app, 'GET', '/v1/changes', { token });
        const [row] = await backend.handle.db.select().from(devices).where(eq(devices.id, deviceId));
        expect(row!.lastSeenAt).not.toBeNull();
      } finally {
        await other.close();
      }
    });

    it('keeps admin routes behind the admin token', async () => {
      const { token } = await pairTerminal(server);
      expectError(await call(server.app, 'GET', '/admin/v1/devices'), 401, 'unauthorized');
      expectError(await call(server.app, 'GET', '/admin/v1/devices', { token }), 401, 'unauthorized');
      expect((await call(server.app, 'GET', '/admin/v1/devices', { token: 'test-admin-token' })).status).toBe(200);
    });
  });

  describe('request ids and bodies', () => {
    let token: string;
    beforeEach(async () => {
      ({ token } = await pairTerminal(server));
    });

    it('requires a UUIDv7 request id on every POST', async () => {
      const body = { records: [{ id: uuidv7(), kind: 'checkin', ticketId: uuidv7(), at: new Date().toISOString() }] };
      expectError(await call(server.app, 'POST', '/v1/push', { token, body, requestId: null }), 400, 'bad_request');
      expectError(
        await call(server.app, 'POST', '/v1/push', { token, body, requestId: 'not-a-uuid' }),
        400,
        'bad_request',
      );
      // A UUIDv4 carries no time, so it cannot be judged fresh.
      expectError(
        await call(server.app, 'POST', '/v1/push', { token, body, requestId: crypto.randomUUID() }),
        400,
        'bad_request',
      );
    });

    it('refuses a replayed request id with 409 and changes nothing', async () => {
      const event = await createTestEvent(server, [{ priceMinor: 500, capacity: 10 }]);
      const typeId = event.ticketTypes[0]!.id;
      const requestId = uuidv7();
      const first = await call(server.app, 'POST', '/v1/orders', {
        token,
        requestId,
        body: orderBody(event.id, [{ ticketTypeId: typeId, quantity: 2 }]),
      });
      expect(first.status).toBe(200);
      // Same request id, even with a new order id: replayed, nothing sold.
      const replay = await call(server.app, 'POST', '/v1/orders', {
        token,
        requestId,
        body: orderBody(event.id, [{ ticketTypeId: typeId, quantity: 2 }]),
      });
      expectError(replay, 409, 'replayed_request');
      const [type] = (await server.admin.listEvents()).find((e) => e.id === event.id)!.ticketTypes;
      expect(type!.sold).toBe(2);
      expect(await backend.handle.db.$count(tickets, eq(tickets.ticketTypeId, typeId))).toBe(2);
    });

    it('refuses a request id older (or newer) than the window as stale', async () => {
      const body = { records: [{ id: uuidv7(), kind: 'checkin', ticketId: uuidv7(), at: new Date().toISOString() }] };
      const old = uuidv7({ msecs: Date.now() - REQUEST_MAX_AGE_MS - 60_000 });
      expectError(await call(server.app, 'POST', '/v1/push', { token, body, requestId: old }), 409, 'stale_request');
      const future = uuidv7({ msecs: Date.now() + REQUEST_MAX_AGE_MS + 60_000 });
      expectError(await call(server.app, 'POST', '/v1/push', { token, body, requestId: future }), 409, 'stale_request');
    });

    it('prunes remembered request ids once they are outside the window', async () => {
      const requestId = uuidv7();
      await call(server.app, 'POST', '/v1/push', { token, requestId, body: { records: [] } });
      expect(await backend.handle.db.$count(seenRequests, eq(seenRequests.requestId, requestId))).toBe(1);
      const { pruneSeenRequests } = await import('../../server/src/services/requestIds');
      await pruneSeenRequests(backend.handle.db, new Date(Date.now() + 2 * REQUEST_MAX_AGE_MS), REQUEST_MAX_AGE_MS);
      expect(await backend.handle.db.$count(seenRequests, eq(seenRequests.requestId, requestId))).toBe(0);
    });

    it('refuses an oversized body with 413 payload_too_large', async () => {
      const big = JSON.stringify({ records: [], padding: 'x'.repeat(MAX_BODY_BYTES) });
      expectError(await call(server.app, 'POST', '/v1/push', { token, payload: big }), 413, 'payload_too_large');
    });

    it('refuses malformed JSON and schema violations with 400 bad_request and a detail', async () => {
      const malformed = await call(server.app, 'POST', '/v1/push', { token, payload: '{"records": [' });
      expectError(malformed, 400, 'bad_request');
      const invalid = await call(server.app, 'POST', '/v1/push', { token, body: { records: 'nope' } });
      expectError(invalid, 400, 'bad_request');
      expect(invalid.json.error.detail).toMatch(/records/);
      expectError(await call(server.app, 'POST', '/v1/push', { token, body: { records: [] } }), 400, 'bad_request');
      // A malformed record inside a well-formed batch is answered on its own (rules-and-push.test.ts).
      const record = await call(server.app, 'POST', '/v1/push', {
        token,
        body: { records: [{ id: 'nope', kind: 'checkin' }] },
      });
      expect(record.status).toBe(200);
      expect(record.json.results).toEqual([{ id: 'nope', status: 'invalid', detail: expect.stringMatching(/^id: /) }]);
      const extra = await call(server.app, 'POST', '/v1/checkins/claim', {
        token,
        body: { checkinId: uuidv7(), ticketId: uuidv7(), at: new Date().toISOString(), sneaky: 1 },
      });
      expectError(extra, 400, 'bad_request');
      const notJson = await call(server.app, 'POST', '/v1/push', {
        token,
        payload: 'hello',
        headers: { 'content-type': 'text/plain' },
      });
      expectError(notJson, 400, 'bad_request');
      expectError(await call(server.app, 'GET', '/v1/changes?since=-1', { token }), 400, 'bad_request');
    });

    it('answers unknown routes with not_found in the ApiError shape', async () => {
      expectError(await call(server.app, 'GET', '/v1/nothing-here', { token }), 404, 'not_found');
      expectError(await call(server.app, 'GET', '/v1/ws', { token }), 400, 'bad_request');
    });
  });

  describe('changes', () => {
    it('pages rows of every kind in seq order with since/limit/next/more', async () => {
      const { token } = await pairTerminal(server);
      const since = await readWatermark(backend.handle.db);
      const event = await createTestEvent(server, [
        { priceMinor: 1000, capacity: 100 },
        { priceMinor: 2000, capacity: null },
      ]);
      const ops = await server.admin.createOperators([{ name: 'Paging cashier', role: 'cashier', pin: '432198' }]);
      const order = await sell(server, token, event.id, event.ticketTypes[0]!.id, 3);
      const claimed = await call(server.app, 'POST', '/v1/checkins/claim', {
        token,
        body: { checkinId: uuidv7(), ticketId: order.tickets[0]!.id, at: new Date().toISOString() },
      });
      expect(claimed.json.status).toBe('accepted');

      const pages: ChangesResponse[] = [];
      let cursor = since;
      for (let i = 0; i < 20; i++) {
        const res = await call(server.app, 'GET', `/v1/changes?since=${cursor}&limit=2`, { token });
        expect(res.status).toBe(200);
        const page = ChangesResponse.parse(res.json);
        pages.push(page);
        expect(page.changes.length).toBeLessThanOrEqual(2);
        expect(page.next).toBeGreaterThanOrEqual(cursor);
        cursor = page.next;
        if (!page.more) break;
      }
      const all = pages.flatMap((p) => p.changes);
      const seqs = all.map((c) => c.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(new Set(seqs).size).toBe(seqs.length);
      expect(seqs.every((s) => s > since)).toBe(true);
      expect(pages.slice(0, -1).every((p) => p.more && p.changes.length === 2)).toBe(true);
      expect(pages.at(-1)!.more).toBe(false);

      // Each row appears once, at its latest version (the ticket type's sold count was bumped by the sale).
      const kinds = all.map((c) => c.kind);
      expect(kinds.filter((k) => k === 'event')).toHaveLength(1);
      expect(kinds.filter((k) => k === 'ticket_type')).toHaveLength(2);
      expect(kinds.filter((k) => k === 'operator')).toHaveLength(1);
      expect(kinds.filter((k) => k === 'ticket')).toHaveLength(3);
      expect(kinds.filter((k) => k === 'checkin')).toHaveLength(1);
      const soldType = all.find((c) => c.kind === 'ticket_type' && c.row.id === event.ticketTypes[0]!.id);
      expect(soldType?.kind === 'ticket_type' && soldType.row.sold).toBe(3);
      const op = all.find((c) => c.kind === 'operator');
      expect(op?.kind === 'operator' && op.row.id).toBe(ops[0]!.id);
      expect(op?.kind === 'operator' && op.row).not.toHaveProperty('pin');

      // Nothing new: an empty page that stays at the cursor.
      const idle = ChangesResponse.parse(
        (await call(server.app, 'GET', `/v1/changes?since=${cursor}`, { token })).json,
      );
      // Every page also says what the organizer set for this terminal (name, assigned point).
      expect(idle).toEqual({ changes: [], next: cursor, more: false, terminal: { name: 'Terminal', pointId: null } });
    });

    it('moves an updated row to a new seq so it is pulled again', async () => {
      const { token } = await pairTerminal(server);
      const event = await createTestEvent(server, [{ priceMinor: 1000, capacity: 5 }]);
      const cursor = await readWatermark(backend.handle.db);
      await sell(server, token, event.id, event.ticketTypes[0]!.id, 1);
      const page = ChangesResponse.parse(
        (await call(server.app, 'GET', `/v1/changes?since=${cursor}`, { token })).json,
      );
      const type = page.changes.find((c) => c.kind === 'ticket_type');
      expect(type?.kind === 'ticket_type' && type.row.sold).toBe(1);
    });

    it('clamps the limit and defaults since to 0', async () => {
      const { token } = await pairTerminal(server);
      await createTestEvent(server);
      const res = await call(server.app, 'GET', '/v1/changes?limit=999999', { token });
      expect(res.status).toBe(200);
      expect(ChangesResponse.parse(res.json).changes.length).toBeGreaterThan(0);
    });
  });
});
