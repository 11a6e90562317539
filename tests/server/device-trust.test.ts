// The server trusts a device no further than its job, through the real HTTP stack (Fastify inject) and
// real WebSockets, on PGlite and PostgreSQL: devices serve only their events (sales, claims, pushes and
// the change feed, including a change of events mid-way), annul only their own check-ins within the
// window, may not date records implausibly, hold a bounded number of sockets; failed authentication,
// pairing and admin-token attempts are slowed down (429); nothing in the logs gives away a pairing code
// or a statement's parameters.
import { Writable } from 'node:stream';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ANNUL_WINDOW_MS, RECORD_MAX_AGE_MS } from '../../domain/outbox';
import { type AdminEvent, type Change, ChangesResponse, PushResponse, WS_CLOSE_TOO_MANY_CONNECTIONS } from '../../domain/wire';
import type { AdmitServer } from '../../server/src/app';
import { annulments, checkins, devices, orders, tickets } from '../../server/src/db/schema';
import { MAX_SOCKETS_PER_DEVICE } from '../../server/src/pokes';
import { waitFor } from '../helpers/wait';
import {
  type Backend,
  backends,
  call,
  expectError,
  makeServer,
  openBackend,
  orderBody,
  pairTerminal,
  sell,
  TestClock,
  uuidv7,
} from './harness';

const ADMIN = 'test-admin-token';

/** An event running now (records dated now are inside it). */
async function liveEvent(server: AdmitServer, name: string): Promise<AdminEvent> {
  const now = Date.now();
  return server.admin.createEvent({
    name: { en: name },
    startsAt: new Date(now - 86_400_000).toISOString(),
    endsAt: new Date(now + 86_400_000).toISOString(),
    timezone: 'UTC',
    currency: 'EUR',
    ticketTypes: [{ name: { en: 'General' }, priceMinor: 1000, capacity: null }],
  });
}

async function pairFor(server: AdmitServer, name: string, eventIds: string[]) {
  const { code, eventIds: bound } = await server.admin.createPairingCode({ eventIds });
  expect(bound).toEqual([...eventIds].sort());
  const res = await call(server.app, 'POST', '/v1/pair', { body: { code, name } });
  expect(res.status).toBe(200);
  return { deviceId: res.json.deviceId as string, token: res.json.token as string };
}

/** Follows the feed from `since` like a terminal: a reset drops the cursor to 0. */
async function pullAll(server: AdmitServer, token: string, since = 0, limit = 1000) {
  const changes: Change[] = [];
  const resets: string[][] = [];
  let cursor = since;
  for (let pages = 0; pages < 10_000; pages++) {
    const res = await call(server.app, 'GET', `/v1/changes?since=${cursor}&limit=${limit}`, { token });
    expect(res.status).toBe(200);
    const page = ChangesResponse.parse(res.json);
    if (page.reset) resets.push(page.reset.eventIds);
    else expect(page.next).toBeGreaterThanOrEqual(cursor);
    changes.push(...page.changes);
    cursor = page.next;
    if (!page.more) return { changes, resets, next: cursor };
  }
  throw new Error('the feed never ended');
}

const eventsOf = (changes: Change[]) =>
  new Set(
    changes.map((c) => {
      if (c.kind === 'event') return c.row.id;
      if (c.kind === 'operator') return 'operator';
      if (c.kind === 'checkin') return `checkin:${c.row.ticketId}`;
      return c.row.eventId;
    }),
  );

describe.each(backends)('devices serve only their events on %s', (backendName) => {
  let backend: Backend;
  let server: AdmitServer;
  let a: AdminEvent;
  let b: AdminEvent;

  beforeAll(async () => {
    backend = await openBackend(backendName);
  });
  afterAll(async () => {
    await backend?.close();
  });
  beforeEach(async () => {
    server = makeServer(backend);
    a = await liveEvent(server, 'A');
    b = await liveEvent(server, 'B');
  });
  afterEach(async () => {
    await server.close();
  });

  it('sells, claims and pushes only for its events: others are forbidden_event and change nothing', async () => {
    const boxA = await pairFor(server, 'Box A', [a.id]);
    const boxB = await pairFor(server, 'Box B', [b.id]);
    const ticketB = (await sell(server, boxB.token, b.id, b.ticketTypes[0]!.id)).tickets[0]!;

    const before = await backend.handle.db.$count(orders);
    const sale = await call(server.app, 'POST', '/v1/orders', {
      token: boxA.token,
      body: orderBody(b.id, [{ ticketTypeId: b.ticketTypes[0]!.id, quantity: 1 }]),
    });
    expectError(sale, 403, 'forbidden_event');
    expect(await backend.handle.db.$count(orders)).toBe(before);

    const claim = await call(server.app, 'POST', '/v1/checkins/claim', {
      token: boxA.token,
      body: { checkinId: uuidv7(), ticketId: ticketB.id, at: new Date().toISOString() },
    });
    expectError(claim, 403, 'forbidden_event');

    const ticketA = (await sell(server, boxA.token, a.id, a.ticketTypes[0]!.id)).tickets[0]!;
    const foreign = { id: uuidv7(), kind: 'checkin', ticketId: ticketB.id, at: new Date().toISOString() };
    const own = { id: uuidv7(), kind: 'checkin', ticketId: ticketA.id, at: new Date().toISOString() };
    const pushed = await call(server.app, 'POST', '/v1/push', { token: boxA.token, body: { records: [foreign, own] } });
    const results = PushResponse.parse(pushed.json).results;
    expect(results.map((r) => r.status)).toEqual(['invalid', 'accepted']);
    expect(results[0]!.detail).toMatch(/^forbidden_event/);
    expect(await backend.handle.db.$count(checkins, eq(checkins.ticketId, ticketB.id))).toBe(0);
    // B's own terminal still admits its ticket.
    const ok = await call(server.app, 'POST', '/v1/checkins/claim', {
      token: boxB.token,
      body: { checkinId: uuidv7(), ticketId: ticketB.id, at: new Date().toISOString() },
    });
    expect(ok.json.status).toBe('accepted');
  });

  it('a pairing code without events binds the events that have not ended; the device list shows them', async () => {
    const ended = await server.admin.createEvent({
      name: { en: 'Last year' },
      startsAt: '2020-01-01T10:00:00Z',
      endsAt: '2020-01-02T10:00:00Z',
      timezone: 'UTC',
      currency: 'EUR',
      ticketTypes: [{ name: { en: 'Old' }, priceMinor: 100 }],
    });
    const { deviceId } = await pairTerminal(server, 'Default');
    const listed = (await server.admin.listDevices()).find((d) => d.id === deviceId)!;
    expect(listed.eventIds).toContain(a.id);
    expect(listed.eventIds).toContain(b.id);
    expect(listed.eventIds).not.toContain(ended.id);
    // Unknown events are refused when making a code or binding.
    const missing = uuidv7();
    const res = await call(server.app, 'POST', '/admin/v1/pairing-codes', { token: ADMIN, body: { eventIds: [missing] } });
    expectError(res, 404, 'not_found');
    expectError(
      await call(server.app, 'POST', `/admin/v1/devices/${deviceId}/events`, { token: ADMIN, body: { eventIds: [a.id, missing] } }),
      404,
      'not_found',
    );
    expect((await server.admin.listDevices()).find((d) => d.id === deviceId)!.eventIds).toEqual(listed.eventIds);
  });

  it('the change feed carries only its events, page by page, and rebuilds when its events change', async () => {
    const gate = await pairFor(server, 'Gate A', [a.id]);
    const boxA = await pairFor(server, 'Box A', [a.id]);
    const boxB = await pairFor(server, 'Box B', [b.id]);
    // Interleave rows of both events in the global sequence.
    const soldA: string[] = [];
    const soldB: string[] = [];
    for (let i = 0; i < 4; i++) {
      soldA.push(...(await sell(server, boxA.token, a.id, a.ticketTypes[0]!.id, 2)).tickets.map((t) => t.id));
      soldB.push(...(await sell(server, boxB.token, b.id, b.ticketTypes[0]!.id, 2)).tickets.map((t) => t.id));
    }
    await call(server.app, 'POST', '/v1/checkins/claim', {
      token: boxB.token,
      body: { checkinId: uuidv7(), ticketId: soldB[0], at: new Date().toISOString() },
    });
    const claimedA = uuidv7();
    await call(server.app, 'POST', '/v1/checkins/claim', {
      token: gate.token,
      body: { checkinId: claimedA, ticketId: soldA[0], at: new Date().toISOString() },
    });

    // Small pages: paging over the global seq still returns every row of A exactly once, none of B.
    const first = await pullAll(server, gate.token, 0, 2);
    expect(first.resets).toEqual([]);
    const ticketIds = first.changes.filter((c) => c.kind === 'ticket').map((c) => c.row.id as string);
    expect(new Set(ticketIds)).toEqual(new Set(soldA));
    expect(first.changes.filter((c) => c.kind === 'checkin').map((c) => c.row.id)).toEqual([claimedA]);
    const seen = eventsOf(first.changes);
    expect(seen.has(b.id)).toBe(false);
    expect(seen.has(a.id)).toBe(true);
    expect(JSON.stringify(first.changes)).not.toContain(b.id);

    // Serving B too: B's rows lie below the gate's cursor, so the next pull rebuilds from 0.
    await server.admin.setDeviceEvents(gate.deviceId, [a.id, b.id]);
    const widened = await pullAll(server, gate.token, first.next);
    expect(widened.resets).toEqual([[a.id, b.id].sort()]);
    expect(new Set(widened.changes.filter((c) => c.kind === 'ticket').map((c) => c.row.id))).toEqual(
      new Set([...soldA, ...soldB]),
    );
    // Once rebuilt, it pulls on from where it got without another reset.
    expect((await pullAll(server, gate.token, widened.next)).resets).toEqual([]);

    // Dropping A: the terminal is told to keep only B.
    await server.admin.setDeviceEvents(gate.deviceId, [b.id]);
    const narrowed = await pullAll(server, gate.token, widened.next);
    expect(narrowed.resets).toEqual([[b.id]]);
    expect(JSON.stringify(narrowed.changes)).not.toContain(a.id);
    // And it may no longer sell or claim for A.
    expectError(
      await call(server.app, 'POST', '/v1/checkins/claim', {
        token: gate.token,
        body: { checkinId: uuidv7(), ticketId: soldA[1], at: new Date().toISOString() },
      }),
      403,
      'forbidden_event',
    );
  });

  it('binding a new event before the terminal passed any of its rows needs no rebuild', async () => {
    const gate = await pairFor(server, 'Gate', [a.id]);
    const { next } = await pullAll(server, gate.token);
    const c = await liveEvent(server, 'C');
    await server.admin.setDeviceEvents(gate.deviceId, [a.id, c.id]);
    const after = await pullAll(server, gate.token, next);
    expect(after.resets).toEqual([]);
    expect(after.changes.some((ch) => ch.kind === 'event' && ch.row.id === c.id)).toBe(true);
  });
});

describe.each(backends)('annulments, record times, sockets and failed attempts on %s', (backendName) => {
  let backend: Backend;
  let server: AdmitServer;
  let clock: TestClock;
  let event: AdminEvent;
  let gate1: { deviceId: string; token: string };
  let gate2: { deviceId: string; token: string };

  beforeAll(async () => {
    backend = await openBackend(backendName);
  });
  afterAll(async () => {
    await backend?.close();
  });
  beforeEach(async () => {
    clock = new TestClock();
    server = makeServer(backend, { now: clock.now });
    event = await liveEvent(server, 'Gates');
    gate1 = await pairFor(server, 'Gate 1', [event.id]);
    gate2 = await pairFor(server, 'Gate 2', [event.id]);
  });
  afterEach(async () => {
    await server.close();
  });

  const push = async (token: string, records: unknown[]) => {
    const res = await call(server.app, 'POST', '/v1/push', { token, body: { records } });
    expect(res.status).toBe(200);
    return PushResponse.parse(res.json).results;
  };
  const statusOf = async (id: string) =>
    (await backend.handle.db.select({ status: checkins.status }).from(checkins).where(eq(checkins.id, id)))[0]?.status;

  it('a device annuls only its own check-ins, within the window; not_acted of its own at any age', async () => {
    const [t1, t2, t3] = (await sell(server, gate1.token, event.id, event.ticketTypes[0]!.id, 3)).tickets;
    const t0 = Date.now() - 10 * 60_000;
    const at = (ms: number) => new Date(t0 + ms).toISOString();
    const c1 = { id: uuidv7(), kind: 'checkin', ticketId: t1!.id, at: at(0) };
    const c2 = { id: uuidv7(), kind: 'checkin', ticketId: t2!.id, at: at(0) };
    const c3 = { id: uuidv7(), kind: 'checkin', ticketId: t3!.id, at: at(0) };
    expect((await push(gate1.token, [c1, c2, c3])).map((r) => r.status)).toEqual(['accepted', 'accepted', 'accepted']);

    // Another device cannot re-admit gate 1's ticket by annulling its check-in.
    const theirs = await push(gate2.token, [{ id: uuidv7(), kind: 'annul', checkinId: c1.id, at: at(1000), reason: 'no_passage' }]);
    expect(theirs[0]).toMatchObject({ status: 'invalid', detail: expect.stringMatching(/^forbidden/) });
    expect(await statusOf(c1.id)).toBe('accepted');
    // Its own, past the window: refused.
    const late = await push(gate1.token, [
      { id: uuidv7(), kind: 'annul', checkinId: c2.id, at: at(ANNUL_WINDOW_MS + 1000), reason: 'no_passage' },
    ]);
    expect(late[0]).toMatchObject({ status: 'invalid', detail: expect.stringMatching(/^annul_window_passed/) });
    expect(await statusOf(c2.id)).toBe('accepted');
    // Within the window: annulled.
    expect((await push(gate1.token, [{ id: uuidv7(), kind: 'annul', checkinId: c1.id, at: at(5000), reason: 'no_passage' }]))[0]!.status).toBe('accepted');
    expect(await statusOf(c1.id)).toBe('annulled');
    // Crash recovery: a check-in the terminal never acted on, annulled long after — its own only.
    expect((await push(gate2.token, [{ id: uuidv7(), kind: 'annul', checkinId: c3.id, at: at(5 * 60_000), reason: 'not_acted' }]))[0]!.status).toBe('invalid');
    expect((await push(gate1.token, [{ id: uuidv7(), kind: 'annul', checkinId: c3.id, at: at(5 * 60_000), reason: 'not_acted' }]))[0]!.status).toBe('accepted');
    expect(await statusOf(c3.id)).toBe('annulled');
  });

  it("a pending annulment applies only to the same device's check-in within the window", async () => {
    const [t1, t2] = (await sell(server, gate1.token, event.id, event.ticketTypes[0]!.id, 2)).tickets;
    const now = Date.now();
    const c1 = { id: uuidv7(), kind: 'checkin', ticketId: t1!.id, at: new Date(now - 60_000).toISOString() };
    const c2 = { id: uuidv7(), kind: 'checkin', ticketId: t2!.id, at: new Date(now - 10 * 60_000).toISOString() };
    // Gate 2 annuls a check-in the server has not seen yet (kept pending) …
    const early = await push(gate2.token, [{ id: uuidv7(), kind: 'annul', checkinId: c1.id, at: new Date(now).toISOString(), reason: 'no_passage' }]);
    expect(early[0]!.status).toBe('conflict');
    // … and gate 1 annuls its own coming check-in, but far past the window.
    await push(gate1.token, [{ id: uuidv7(), kind: 'annul', checkinId: c2.id, at: new Date(now).toISOString(), reason: 'operator' }]);
    expect((await push(gate1.token, [c1, c2])).map((r) => r.status)).toEqual(['accepted', 'accepted']);
    expect(await statusOf(c1.id)).toBe('accepted');
    expect(await statusOf(c2.id)).toBe('accepted');
    await server.close();
    // The housekeeping sweep does not apply them either.
    const { sweepPendingAnnulments } = await import('../../server/src/services/checkins');
    expect(await sweepPendingAnnulments(backend.handle.db, new Date())).toBeNull();
    expect(await backend.handle.db.$count(annulments, and(eq(annulments.checkinId, c1.id), sql`applied_at is not null`))).toBe(0);
  });

  it('refuses implausibly dated claims (400) and pushed records (per record)', async () => {
    const [t1, t2] = (await sell(server, gate1.token, event.id, event.ticketTypes[0]!.id, 2)).tickets;
    for (const at of ['2001-01-01T00:00:00Z', new Date(Date.now() - RECORD_MAX_AGE_MS - 60_000).toISOString(), new Date(Date.now() + 3_600_000).toISOString()]) {
      const res = await call(server.app, 'POST', '/v1/checkins/claim', {
        token: gate1.token,
        body: { checkinId: uuidv7(), ticketId: t1!.id, at },
      });
      expectError(res, 400, 'implausible_time');
    }
    expect(await backend.handle.db.$count(checkins, eq(checkins.ticketId, t1!.id))).toBe(0);

    const good = { id: uuidv7(), kind: 'checkin', ticketId: t2!.id, at: new Date().toISOString() };
    const old = { id: uuidv7(), kind: 'checkin', ticketId: t1!.id, at: '2001-01-01T00:00:00Z' };
    const ahead = { id: uuidv7(), kind: 'annul', checkinId: good.id, at: new Date(Date.now() + 86_400_000).toISOString(), reason: 'no_passage' };
    const scan = { id: uuidv7(), kind: 'failed_scan', code: 'X', ticketId: null, reason: 'unknown', at: '2001-01-01T00:00:00Z', pointId: null };
    const results = await push(gate1.token, [old, good, ahead, scan]);
    expect(results.map((r) => r.status)).toEqual(['invalid', 'accepted', 'invalid', 'invalid']);
    for (const i of [0, 2, 3]) expect(results[i]!.detail).toMatch(/^implausible_time/);
    expect(await statusOf(good.id)).toBe('accepted');
    expect(await backend.handle.db.$count(checkins, eq(checkins.ticketId, t1!.id))).toBe(0);
  });

  it('caps the sockets of one device: the oldest is closed with a clear code', async () => {
    const base = (await server.listen({ host: '127.0.0.1', port: 0 })).url.replace('http', 'ws');
    const open = () => {
      const ws = new WebSocket(`${base}/v1/ws`, { headers: { authorization: `Bearer ${gate1.token}` } });
      const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
      const opened = new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve());
        ws.once('error', reject);
      });
      return { ws, opened, closed };
    };
    const sockets: ReturnType<typeof open>[] = [];
    for (let i = 0; i < MAX_SOCKETS_PER_DEVICE + 2; i++) {
      const s = open();
      await s.opened;
      sockets.push(s);
    }
    expect(await sockets[0]!.closed).toBe(WS_CLOSE_TOO_MANY_CONNECTIONS);
    expect(await sockets[1]!.closed).toBe(WS_CLOSE_TOO_MANY_CONNECTIONS);
    await waitFor(() => sockets.slice(2).every((s) => s.ws.readyState === WebSocket.OPEN), 5000, 'newest sockets open');
    // Another device is not affected by this one's sockets.
    const other = new WebSocket(`${base}/v1/ws`, { headers: { authorization: `Bearer ${gate2.token}` } });
    await new Promise<void>((resolve, reject) => {
      other.once('open', () => resolve());
      other.once('error', reject);
    });
    for (const s of [...sockets.slice(2).map((x) => x.ws), other]) s.close();
  });

  it('slows down failed device authentication per address and per token prefix (429, growing delays)', async () => {
    const attempt = (token: string, remoteAddress = '10.0.0.1') =>
      server.app.inject({ method: 'GET', url: '/v1/changes', headers: { authorization: `Bearer ${token}` }, remoteAddress });
    for (let i = 0; i < 10; i++) expect((await attempt(`guess${i}-${uuidv7()}`)).statusCode).toBe(401);
    const limited = await attempt(`guess-more-${uuidv7()}`);
    expect(limited.statusCode).toBe(429);
    expect(JSON.parse(limited.body).error.code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // Even the right token waits out the delay from that address; other addresses are not affected.
    expect((await attempt(gate1.token)).statusCode).toBe(429);
    expect((await attempt(gate1.token, '10.0.0.2')).statusCode).toBe(200);
    clock.advance(2_000);
    expect((await attempt(gate1.token)).statusCode).toBe(200);
    // The next failure doubles the delay.
    expect((await attempt(`again-${uuidv7()}`)).statusCode).toBe(401);
    clock.advance(1_500);
    expect((await attempt(gate1.token)).statusCode).toBe(429);
    clock.advance(1_000);
    expect((await attempt(gate1.token)).statusCode).toBe(200);

    // One token prefix guessed from many addresses is slowed down too.
    const prefix = 'AAAAAA';
    for (let i = 0; i < 10; i++) expect((await attempt(`${prefix}${i}`, `10.1.0.${i}`)).statusCode).toBe(401);
    expect((await attempt(`${prefix}x`, '10.1.1.1')).statusCode).toBe(429);
  });

  it('slows down pairing attempts and admin-token guesses', async () => {
    const pair = (code: string) =>
      server.app.inject({
        method: 'POST',
        url: '/v1/pair',
        headers: { 'content-type': 'application/json', 'x-admit-request-id': uuidv7() },
        payload: JSON.stringify({ code, name: 'Guess' }),
        remoteAddress: '10.2.0.1',
      });
    for (let i = 0; i < 10; i++) expect((await pair(`ZZZZ-ZZ${String(i).padStart(2, '0')}`)).statusCode).toBe(401);
    const { code } = await server.admin.createPairingCode({ eventIds: [event.id] });
    const refused = await pair(code);
    expect(refused.statusCode).toBe(429);
    clock.advance(2_000);
    expect((await pair(code)).statusCode).toBe(200);

    const admin = (token: string) =>
      server.app.inject({ method: 'GET', url: '/admin/v1/devices', headers: { authorization: `Bearer ${token}` }, remoteAddress: '10.3.0.1' });
    for (let i = 0; i < 10; i++) expect((await admin(`wrong-${i}`)).statusCode).toBe(401);
    expect((await admin(ADMIN)).statusCode).toBe(429);
    clock.advance(2_000);
    expect((await admin(ADMIN)).statusCode).toBe(200);
  });
});

describe.each(backends)('logs on %s', (backendName) => {
  let backend: Backend;
  beforeAll(async () => {
    backend = await openBackend(backendName);
  });
  afterAll(async () => {
    await backend?.close();
  });

  it("never log a pairing code, nor a failed statement's parameters", async () => {
    let logged = '';
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logged += chunk.toString();
        done();
      },
    });
    const server = makeServer(backend, { logger: { level: 'debug', stream } });
    try {
      const event = await liveEvent(server, 'Logged');
      const { code } = await server.admin.createPairingCode({ eventIds: [event.id] });
      const paired = await call(server.app, 'POST', '/v1/pair', { body: { code, name: 'Logged gate' } });
      expect(paired.status).toBe(200);
      expect(logged).toContain('pairing code created');
      expect(logged).toContain('device paired');
      expect(logged).not.toContain(code);
      expect(logged).not.toContain(code.replace('-', ''));

      // A database failure whose message and detail quote values, as PostgreSQL's do.
      await backend.handle.db.execute(sql`
        create or replace function refuse_test_order() returns trigger language plpgsql as $$
        begin
          raise exception 'value "%" is out of range for type integer', new.amount_minor
            using detail = 'Key (id)=(' || new.id || ') is refused.';
        end $$`);
      await backend.handle.db.execute(sql`create trigger refuse_test_order before insert on orders
        for each row execute function refuse_test_order()`);
      try {
        const body = orderBody(event.id, [{ ticketTypeId: event.ticketTypes[0]!.id, quantity: 1 }], 987_654_321);
        const res = await call(server.app, 'POST', '/v1/orders', { token: paired.json.token, body });
        expectError(res, 500, 'internal');
        expect(logged).toContain('request failed');
        expect(logged).toContain('insert into \\"orders\\"');
        expect(logged).not.toContain('987654321');
        expect(logged).not.toContain(body.orderId);
        expect(logged).not.toContain(paired.json.deviceId + '"]'); // not in a params list
        expect(logged).not.toMatch(/params:/);
      } finally {
        await backend.handle.db.execute(sql`drop trigger refuse_test_order on orders`);
        await backend.handle.db.execute(sql`drop function refuse_test_order()`);
      }
      // The token of a paired device never appears either.
      expect(logged).not.toContain(paired.json.token);
      expect(await backend.handle.db.$count(devices)).toBeGreaterThan(0);
      expect(await backend.handle.db.$count(tickets, eq(tickets.eventId, event.id))).toBe(0);
    } finally {
      await server.close();
    }
  });
});
