// Every integer, amount and string of every endpoint is bounded by its schema: out-of-range values
// (2^31, 2^53, 2^64, -1, fractions, 1e308, numbers as text, huge strings, oversized arrays) answer a
// clear 400 — never a 500 — and leave the database exactly as it was.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminEvent } from '../../domain/wire';
import type { AdmitServer } from '../../server/src/app';
import { rowsOf } from '../../server/src/db/writes';
import { type Backend, backends, call, makeServer, openBackend, orderBody, pairTerminal, uuidv7 } from './harness';

const ADMIN = 'test-admin-token';
/** For JSON bodies: each out of range, or not a whole number at all. */
const NUMBERS: unknown[] = [2 ** 31, 2 ** 53, 2 ** 64, -1, -(2 ** 31) - 1, 1.5, 1e308, '7', null, true];
/** For query strings (always text): each out of range or not a whole number. */
const QUERY_NUMBERS = ['-1', '1.5', '1e400', 'abc', '9007199254740993', '18446744073709551616'];
const LONG = 'x'.repeat(100_000);

/** Everything a request could have changed, in one comparable value. */
async function snapshot(backend: Backend): Promise<unknown> {
  const tables = ['events', 'ticket_types', 'tickets', 'orders', 'checkins', 'annulments', 'failed_scans', 'devices',
    'device_events', 'pairing_codes', 'check_in_points', 'event_keys', 'revocations', 'server_meta', 'operators'];
  const counts: Record<string, unknown> = {};
  for (const t of tables) counts[t] = (await rowsOf<{ n: unknown }>(backend.handle.db, sql`select count(*)::int as n from ${sql.identifier(t)}`))[0]!.n;
  const [sold] = await rowsOf<{ sold: unknown; cap: unknown }>(
    backend.handle.db,
    sql`select coalesce(sum(sold), 0)::bigint as sold, coalesce(sum(capacity), 0)::bigint as cap from ticket_types`,
  );
  const [points] = await rowsOf<{ h: unknown }>(backend.handle.db, sql`select md5(coalesce(string_agg(p::text, ',' order by id), '')) as h from check_in_points p`);
  return { counts, sold, points };
}

type Case = { name: string; method: 'GET' | 'POST' | 'PATCH'; url: string; token: 'admin' | 'device' | null; body?: unknown };

describe.each(backends)('bounded input on %s', (backendName) => {
  let backend: Backend;
  let server: AdmitServer;
  let token: string;
  let event: AdminEvent;
  let pointId: string;

  beforeAll(async () => {
    backend = await openBackend(backendName);
    server = makeServer(backend, { failureLimits: { freeFailures: 1_000_000 } });
    event = await server.admin.createEvent({
      name: { en: 'Fuzzed' },
      startsAt: new Date(Date.now() - 86_400_000).toISOString(),
      endsAt: new Date(Date.now() + 86_400_000).toISOString(),
      timezone: 'UTC',
      currency: 'EUR',
      ticketTypes: [{ name: { en: 'General' }, priceMinor: 1000, capacity: 100 }],
    });
    pointId = (await server.admin.createPoint(event.id, { name: { en: 'Door' } })).id;
    ({ token } = await pairTerminal(server, 'Fuzz'));
  }, 300_000);
  afterAll(async () => {
    await server?.close();
    await backend?.close();
  });

  function cases(): Case[] {
    const type = event.ticketTypes[0]!.id;
    const order = (patch: (o: ReturnType<typeof orderBody>) => void) => {
      const o = orderBody(event.id, [{ ticketTypeId: type, quantity: 1 }], 1000);
      patch(o);
      return o;
    };
    const eventInput = (patch: (e: Record<string, unknown> & { ticketTypes: Record<string, unknown>[] }) => void) => {
      const e = {
        name: { en: 'New' },
        startsAt: '2031-01-01T10:00:00Z',
        endsAt: '2031-01-02T10:00:00Z',
        timezone: 'UTC',
        currency: 'EUR',
        ticketTypes: [{ name: { en: 'T' }, priceMinor: 100, capacity: 10 } as Record<string, unknown>],
      };
      patch(e);
      return e;
    };
    const out: Case[] = [];
    for (const v of NUMBERS) {
      const shown = JSON.stringify(v);
      out.push(
        { name: `order amountMinor ${shown}`, method: 'POST', url: '/v1/orders', token: 'device', body: order((o) => ((o.payment as { amountMinor: unknown }).amountMinor = v)) },
        { name: `order quantity ${shown}`, method: 'POST', url: '/v1/orders', token: 'device', body: order((o) => ((o.lines[0] as { quantity: unknown }).quantity = v)) },
        { name: `event priceMinor ${shown}`, method: 'POST', url: '/admin/v1/events', token: 'admin', body: eventInput((e) => (e.ticketTypes[0]!.priceMinor = v)) },
        { name: `settings retention ${shown}`, method: 'PATCH', url: '/admin/v1/settings', token: 'admin', body: { personalDataRetentionDays: v } },
      );
      // A capacity and a rotation period may be left open (null); every other value out of range is refused.
      if (v !== null)
        out.push(
          { name: `event capacity ${shown}`, method: 'POST', url: '/admin/v1/events', token: 'admin', body: eventInput((e) => (e.ticketTypes[0]!.capacity = v)) },
          { name: `event rotationPeriodS ${shown}`, method: 'POST', url: '/admin/v1/events', token: 'admin', body: eventInput((e) => (e.rotationPeriodS = v)) },
        );
    }
    for (const q of QUERY_NUMBERS) {
      const v = encodeURIComponent(q);
      out.push(
        { name: `changes since ${q}`, method: 'GET', url: `/v1/changes?since=${v}`, token: 'device' },
        { name: `checkins limit ${q}`, method: 'GET', url: `/admin/v1/checkins?limit=${v}`, token: 'admin' },
        { name: `failed-scans limit ${q}`, method: 'GET', url: `/admin/v1/failed-scans?limit=${v}`, token: 'admin' },
        { name: `conflicts limit ${q}`, method: 'GET', url: `/admin/v1/conflicts?limit=${v}`, token: 'admin' },
      );
      // A larger page than the server gives is clamped, by design; anything not a whole number is refused.
      if (!/^\d+$/.test(q)) out.push({ name: `changes limit ${q}`, method: 'GET', url: `/v1/changes?limit=${v}`, token: 'device' });
    }
    out.push(
      { name: 'event name too long', method: 'POST', url: '/admin/v1/events', token: 'admin', body: eventInput((e) => (e.name = { en: LONG })) },
      { name: 'event with 5000 languages', method: 'POST', url: '/admin/v1/events', token: 'admin', body: eventInput((e) => (e.name = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`l${i}`, 'x'])))) },
      { name: 'event type name too long', method: 'POST', url: '/admin/v1/events', token: 'admin', body: eventInput((e) => (e.ticketTypes[0]!.name = { en: LONG })) },
      { name: 'event timezone too long', method: 'POST', url: '/admin/v1/events', token: 'admin', body: eventInput((e) => (e.timezone = LONG)) },
      { name: 'event with 101 types', method: 'POST', url: '/admin/v1/events', token: 'admin', body: eventInput((e) => (e.ticketTypes = Array.from({ length: 101 }, () => ({ name: { en: 'T' }, priceMinor: 1 })))) },
      { name: 'point name too long', method: 'POST', url: `/admin/v1/events/${event.id}/points`, token: 'admin', body: { name: { en: LONG } } },
      { name: 'point zone too long', method: 'POST', url: `/admin/v1/events/${event.id}/points`, token: 'admin', body: { name: { en: 'Z' }, zone: LONG } },
      { name: 'point patch name too long', method: 'PATCH', url: `/admin/v1/points/${pointId}`, token: 'admin', body: { name: { en: LONG } } },
      { name: 'point with 101 ticket types', method: 'POST', url: `/admin/v1/events/${event.id}/points`, token: 'admin', body: { name: { en: 'P' }, ticketTypeIds: Array.from({ length: 101 }, () => uuidv7()) } },
      { name: 'revoke reason too long', method: 'POST', url: `/admin/v1/tickets/${uuidv7()}/revoke`, token: 'admin', body: { reason: LONG } },
      { name: 'pairing code for 101 events', method: 'POST', url: '/admin/v1/pairing-codes', token: 'admin', body: { eventIds: Array.from({ length: 101 }, () => uuidv7()) } },
      { name: 'device events 101', method: 'POST', url: `/admin/v1/devices/${uuidv7()}/events`, token: 'admin', body: { eventIds: Array.from({ length: 101 }, () => uuidv7()) } },
      { name: 'pair name too long', method: 'POST', url: '/v1/pair', token: null, body: { code: 'ABCD-EFGH', name: LONG } },
      { name: 'order with 21 lines', method: 'POST', url: '/v1/orders', token: 'device', body: order((o) => (o.lines = Array.from({ length: 21 }, () => ({ ticketTypeId: type, quantity: 1 })))) },
      { name: 'claim with a huge time', method: 'POST', url: '/v1/checkins/claim', token: 'device', body: { checkinId: uuidv7(), ticketId: uuidv7(), at: LONG } },
      { name: 'push of 1001 records', method: 'POST', url: '/v1/push', token: 'device', body: { records: Array.from({ length: 1001 }, () => ({})) } },
    );
    return out;
  }

  it('answers every out-of-range value with 400 and changes nothing', async () => {
    const before = await snapshot(backend);
    const failures: string[] = [];
    for (const c of cases()) {
      const res = await call(server.app, c.method, c.url, {
        token: c.token === 'admin' ? ADMIN : c.token === 'device' ? token : null,
        ...(c.body !== undefined ? { body: c.body } : {}),
      });
      if (res.status !== 400 || res.json?.error?.code !== 'bad_request')
        failures.push(`${c.name}: ${res.status} ${JSON.stringify(res.json).slice(0, 200)}`);
    }
    expect(failures).toEqual([]);
    expect(await snapshot(backend)).toEqual(before);
  }, 300_000);

  it('still takes the largest values in range', async () => {
    const big = await server.admin.createEvent({
      name: { en: 'Big' },
      startsAt: new Date(Date.now() - 86_400_000).toISOString(),
      endsAt: new Date(Date.now() + 86_400_000).toISOString(),
      timezone: 'UTC',
      currency: 'EUR',
      ticketTypes: [{ name: { en: 'Dear' }, priceMinor: 2 ** 31 - 1, capacity: 10_000_000 }],
    });
    await server.admin.setDeviceEvents((await server.admin.listDevices())[0]!.id, [event.id, big.id]);
    const ok = await call(server.app, 'POST', '/v1/orders', {
      token,
      body: orderBody(big.id, [{ ticketTypeId: big.ticketTypes[0]!.id, quantity: 1 }], 2 ** 31 - 1),
    });
    expect(ok.status).toBe(200);
    // Two of them would be more than any order may total: refused, never a database overflow.
    const over = await call(server.app, 'POST', '/v1/orders', {
      token,
      body: orderBody(big.id, [{ ticketTypeId: big.ticketTypes[0]!.id, quantity: 2 }], 2 ** 31 - 1),
    });
    expect(over.status).toBe(400);
  });
});
