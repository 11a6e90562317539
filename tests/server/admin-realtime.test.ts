// The organizer's admin API and the live side of the server over real HTTP and a real WebSocket (`ws`):
// pokes after changes, token handling on the socket, revocation, demo seeding, and the CLI entry point.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  AdminEventResponse,
  AdminEventsResponse,
  ChangesResponse,
  CheckinsResponse,
  DeviceResponse,
  DevicesResponse,
  OrderResponse,
  PairingCodeResponse,
  PairResponse,
  Poke,
  REQUEST_ID_HEADER,
  WS_CLOSE_TOKEN_REVOKED,
} from '../../domain/wire';
import { hashPin, verifyPinAsync } from '../../domain/hashing';
import type { AdmitServer } from '../../server/src/app';
import { operators, tickets } from '../../server/src/db/schema';
import { DEMO_EVENT_ID } from '../../server/src/services/demo';
import { main } from '../../server/src/main';
import { startPostgres } from '../helpers/postgres';
import { waitFor } from '../helpers/wait';
import { type Backend, backends, type Json, makeServer, openBackend, pairTerminal, orderBody, uuidv7 } from './harness';

const ADMIN = 'test-admin-token';

async function http<T = Json>(
  base: string,
  method: 'GET' | 'POST',
  path: string,
  opts: { token?: string; body?: unknown; requestId?: string } = {},
): Promise<{ status: number; json: T }> {
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (method === 'POST') headers[REQUEST_ID_HEADER] = opts.requestId ?? uuidv7();
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(base + path, {
    method,
    headers,
    ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: (text ? JSON.parse(text) : undefined) as T };
}

/** Opens a WebSocket and collects every poke it receives. */
function openSocket(url: string, headers: Record<string, string> = {}) {
  const ws = new WebSocket(url, { headers });
  const pokes: Poke[] = [];
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  // The socket also carries the server's hello, pongs and claim answers; only pokes are counted here.
  ws.on('message', (data) => {
    const poke = Poke.safeParse(JSON.parse(data.toString()));
    if (poke.success) pokes.push(poke.data);
  });
  return { ws, pokes, opened, closed };
}

describe.each(backends)('admin API and live updates over real HTTP on %s', (backendName) => {
  let backend: Backend;
  let server: AdmitServer;
  let base: string;

  beforeAll(async () => {
    backend = await openBackend(backendName);
  });
  afterAll(async () => {
    await backend?.close();
  });
  beforeEach(async () => {
    server = makeServer(backend);
    base = (await server.listen({ host: '127.0.0.1', port: 0 })).url;
  });
  afterEach(async () => {
    await server.close();
  });

  async function pairOverHttp(name: string) {
    const code = PairingCodeResponse.parse(
      (await http(base, 'POST', '/admin/v1/pairing-codes', { token: ADMIN })).json,
    ).code;
    const res = await http(base, 'POST', '/v1/pair', { body: { code, name } });
    expect(res.status).toBe(200);
    return PairResponse.parse(res.json);
  }

  async function createEventOverHttp(capacity: number | null = 100) {
    const res = await http(base, 'POST', '/admin/v1/events', {
      token: ADMIN,
      body: {
        name: { en: 'Live event', ru: 'Живое событие', 'zh-CN': '现场活动' },
        // Running now: the check-ins below are dated now, and the server refuses ones far outside their event.
        startsAt: new Date(Date.now() - 3_600_000).toISOString(),
        endsAt: new Date(Date.now() + 86_400_000).toISOString(),
        timezone: 'Europe/Berlin',
        currency: 'EUR',
        ticketTypes: [{ name: { en: 'Standard' }, priceMinor: 2500, capacity }],
      },
    });
    expect(res.status).toBe(200);
    const event = AdminEventResponse.parse(res.json).event;
    // Every terminal paired so far serves the new event too.
    const { devices } = DevicesResponse.parse((await http(base, 'GET', '/admin/v1/devices', { token: ADMIN })).json);
    for (const device of devices.filter((d) => !d.revokedAt)) {
      const bound = await http(base, 'POST', `/admin/v1/devices/${device.id}/events`, {
        token: ADMIN,
        body: { eventIds: [...device.eventIds, event.id] },
      });
      expect(DeviceResponse.parse(bound.json).device.eventIds).toContain(event.id);
    }
    return event;
  }

  it('pairs, lists devices, revokes one and lists its check-ins through /admin/v1', async () => {
    const gate = await pairOverHttp('North gate');
    const box = await pairOverHttp('Box office');
    const event = await createEventOverHttp();
    expect(event.ticketTypes[0]).toMatchObject({ priceMinor: 2500, currency: 'EUR', capacity: 100, sold: 0 });
    const events = AdminEventsResponse.parse(
      (await http(base, 'GET', '/admin/v1/events', { token: ADMIN })).json,
    ).events;
    expect(events.map((e) => e.id)).toContain(event.id);

    const sold = OrderResponse.parse(
      (
        await http(base, 'POST', '/v1/orders', {
          token: box.token,
          body: orderBody(event.id, [{ ticketTypeId: event.ticketTypes[0]!.id, quantity: 1 }]),
        })
      ).json,
    );
    const ticket = sold.tickets[0]!;
    const checkinId = uuidv7();
    const claim = await http(base, 'POST', '/v1/checkins/claim', {
      token: gate.token,
      body: { checkinId, ticketId: ticket.id, at: new Date().toISOString() },
    });
    expect(claim.json).toEqual({ status: 'accepted', firstAt: null });

    const listed = CheckinsResponse.parse(
      (await http(base, 'GET', `/admin/v1/checkins?ticketId=${ticket.id}`, { token: ADMIN })).json,
    ).checkins;
    expect(listed).toEqual([
      expect.objectContaining({
        id: checkinId,
        ticketId: ticket.id,
        ticketCode: ticket.code,
        deviceId: gate.deviceId,
        deviceName: 'North gate',
        status: 'accepted',
      }),
    ]);

    const devices = DevicesResponse.parse(
      (await http(base, 'GET', '/admin/v1/devices', { token: ADMIN })).json,
    ).devices;
    expect(devices.find((d) => d.id === gate.deviceId)).toMatchObject({ name: 'North gate', revokedAt: null });
    expect(devices.find((d) => d.id === gate.deviceId)!.lastSeenAt).not.toBeNull();

    const revoked = await http(base, 'POST', `/admin/v1/devices/${gate.deviceId}/revoke`, { token: ADMIN });
    expect(DeviceResponse.parse(revoked.json).device.revokedAt).not.toBeNull();
    const refused = await http(base, 'GET', '/v1/changes', { token: gate.token });
    expect(refused).toEqual({ status: 401, json: { error: expect.objectContaining({ code: 'token_revoked' }) } });
    expect((await http(base, 'GET', '/v1/changes', { token: box.token })).status).toBe(200);

    expect((await http(base, 'POST', `/admin/v1/devices/${uuidv7()}/revoke`, { token: ADMIN })).json.error.code).toBe(
      'not_found',
    );
    expect((await http(base, 'GET', '/admin/v1/checkins?limit=0', { token: ADMIN })).json.error.code).toBe(
      'bad_request',
    );
    expect((await http(base, 'POST', '/admin/v1/pairing-codes', { token: 'wrong' })).json.error.code).toBe(
      'unauthorized',
    );
  });

  it('pokes every connected terminal after an order, a claim and an admin change', async () => {
    const box = await pairOverHttp('Box office');
    const gate = await pairOverHttp('Gate');
    const wsBase = base.replace('http', 'ws');
    const a = openSocket(`${wsBase}/v1/ws`, { authorization: `Bearer ${box.token}` });
    const b = openSocket(`${wsBase}/v1/ws?token=${encodeURIComponent(gate.token)}`);
    await Promise.all([a.opened, b.opened]);
    // The greeting poke carries the current seq, so a reconnecting terminal knows to catch up.
    await waitFor(() => a.pokes.length >= 1 && b.pokes.length >= 1, 5_000, 'greeting pokes');

    const event = await createEventOverHttp();
    await waitFor(() => a.pokes.length >= 2 && b.pokes.length >= 2, 5_000, 'poke after event');

    const order = OrderResponse.parse(
      (
        await http(base, 'POST', '/v1/orders', {
          token: box.token,
          body: orderBody(event.id, [{ ticketTypeId: event.ticketTypes[0]!.id, quantity: 2 }]),
        })
      ).json,
    );
    await waitFor(() => b.pokes.length >= 3, 5_000, 'poke after order');
    const pokeSeq = b.pokes.at(-1)!.seq;

    // The poke is enough to find the sale in the change feed.
    const since = b.pokes[1]!.seq;
    const changes = ChangesResponse.parse(
      (await http(base, 'GET', `/v1/changes?since=${since}`, { token: gate.token })).json,
    );
    expect(
      changes.changes
        .filter((c) => c.kind === 'ticket')
        .map((c) => c.row.id)
        .sort(),
    ).toEqual(order.tickets.map((t) => t.id).sort());
    expect(changes.next).toBeGreaterThanOrEqual(pokeSeq);

    await http(base, 'POST', '/v1/checkins/claim', {
      token: gate.token,
      body: { checkinId: uuidv7(), ticketId: order.tickets[0]!.id, at: new Date().toISOString() },
    });
    await waitFor(() => a.pokes.some((p) => p.seq > pokeSeq), 5_000, 'poke after claim');

    a.ws.close();
    b.ws.close();
    await Promise.all([a.closed, b.closed]);
  });

  it('refuses a WebSocket without a valid token and closes it when the device is revoked', async () => {
    const wsBase = base.replace('http', 'ws');
    await expect(openSocket(`${wsBase}/v1/ws`).opened).rejects.toThrow(/401/);
    await expect(openSocket(`${wsBase}/v1/ws?token=nope`).opened).rejects.toThrow(/401/);

    const t = await pairOverHttp('Doomed');
    const live = openSocket(`${wsBase}/v1/ws`, { authorization: `Bearer ${t.token}` });
    await live.opened;
    await server.admin.revokeDevice(t.deviceId);
    expect((await live.closed).code).toBe(WS_CLOSE_TOKEN_REVOKED);
    await expect(openSocket(`${wsBase}/v1/ws?token=${encodeURIComponent(t.token)}`).opened).rejects.toThrow(/401/);
  });

  it('seeds the demo festival quickly, idempotently, with verifiable operator PINs', async () => {
    const started = performance.now();
    const seeded = await server.admin.seedDemo({ tickets: 5000 });
    const elapsed = performance.now() - started;
    expect(seeded.created).toBe(true);
    console.info(`[${backendName}] seedDemo(5000) took ${elapsed.toFixed(0)} ms`);

    const events = await server.admin.listEvents();
    const demo = events.find((e) => e.id === DEMO_EVENT_ID)!;
    expect(demo.name).toMatchObject({ en: 'Admit Demo Festival' });
    expect(Object.keys(demo.name).sort()).toEqual(['en', 'ru', 'zh-CN']);
    expect(demo.currency).toBe('EUR');
    expect(demo.ticketTypes.map((t) => t.priceMinor)).toEqual([4500, 8900, 1500]);
    expect(demo.ticketTypes.reduce((sum, t) => sum + t.sold, 0)).toBe(5000);
    for (const t of demo.ticketTypes) expect(t.capacity! - t.sold).toBeGreaterThanOrEqual(200);
    expect(await backend.handle.db.$count(tickets, eq(tickets.eventId, DEMO_EVENT_ID))).toBe(5000);
    const codes = await backend.handle.db
      .select({ code: tickets.code })
      .from(tickets)
      .where(eq(tickets.eventId, DEMO_EVENT_ID))
      .limit(50);
    for (const { code } of codes) expect(code).toMatch(/^A1[0-9A-HJKMNP-TV-Z]{20}$/);

    const pins: Record<string, string> = {
      cashier: '111111',
      gate: '222222',
      badge: '333333',
      manager: '999999',
      admin: '000000',
    };
    const ops = await backend.handle.db.select().from(operators);
    const { pinKey } = await server.app.inject({ method: 'GET', url: '/v1/terminal-secrets', headers: { authorization: `Bearer ${(await pairTerminal(server)).token}` } }).then((r) => r.json<{ pinKey: string }>());
    for (const [role, pin] of Object.entries(pins)) {
      const op = ops.find((o) => o.role === role)!;
      // Peppered: the hash alone reveals nothing, and the unpeppered inner hash is not stored.
      expect(op.pinHash).toMatch(/^p2:/);
      expect(op.pinHash).not.toContain(hashPin(pin, op.pinSalt));
      expect(await verifyPinAsync(pin, op.pinSalt, op.pinHash, Buffer.from(pinKey, 'base64'))).toBe(true);
      expect(await verifyPinAsync('123456', op.pinSalt, op.pinHash, Buffer.from(pinKey, 'base64'))).toBe(false);
    }
    expect(new Set(ops.map((o) => o.pinSalt)).size).toBe(ops.length);

    const again = await server.admin.seedDemo({ tickets: 5000 });
    expect(again.created).toBe(false);
    expect(await backend.handle.db.$count(tickets, eq(tickets.eventId, DEMO_EVENT_ID))).toBe(5000);

    // And the demo tickets sell on: the sold counter continues from the pre-sold figure.
    const t = await pairOverHttp('Demo box office');
    const day = demo.ticketTypes[0]!;
    const sale = await http(base, 'POST', '/v1/orders', {
      token: t.token,
      body: orderBody(DEMO_EVENT_ID, [{ ticketTypeId: day.id, quantity: 1 }]),
    });
    expect(sale.status).toBe(200);
    const after = (await server.admin.listEvents()).find((e) => e.id === DEMO_EVENT_ID)!;
    expect(after.ticketTypes[0]!.sold).toBe(day.sold + 1);
  });
});

describe('main (CLI entry point)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'admit-main-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts on PGlite in the data dir, seeds the demo, prints the URL and a pairing code, keeps the admin token 0600', async () => {
    const lines: string[] = [];
    const running = await main(
      ['--port', '0', '--data-dir', dir, '--demo', '--demo-tickets', '100', 'pairing-code'],
      { LOG_LEVEL: 'silent' },
      (l) => lines.push(l),
    );
    try {
      const urlLine = lines.find((l) => l.startsWith('Admit server listening on'))!;
      expect(urlLine).toContain(running.url);
      const code = /Pairing code: ([A-Z0-9]{4}-[A-Z0-9]{4})/.exec(lines.join('\n'))![1]!;
      const tokenFile = join(dir, 'admin-token');
      expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
      expect(lines.join('\n')).not.toContain(running.server.adminToken);

      const paired = await http(running.url, 'POST', '/v1/pair', { body: { code, name: 'CLI terminal' } });
      expect(paired.status).toBe(200);
      const changes = ChangesResponse.parse(
        (await http(running.url, 'GET', '/v1/changes?limit=20000', { token: paired.json.token })).json,
      );
      expect(changes.changes.filter((c) => c.kind === 'ticket')).toHaveLength(100);
    } finally {
      await running.stop();
    }
    // Restart on the same data dir: same admin token, demo not seeded twice.
    const lines2: string[] = [];
    const again = await main(['--port', '0', '--data-dir', dir, '--demo'], { LOG_LEVEL: 'silent' }, (l) =>
      lines2.push(l),
    );
    try {
      expect(lines2).toContain('Demo event already present.');
    } finally {
      await again.stop();
    }
  });

  it.skipIf(!backends.includes('PostgreSQL'))('uses PostgreSQL when DATABASE_URL is set', async () => {
    const pg = await startPostgres();
    const lines: string[] = [];
    try {
      const running = await main(
        ['--port', '0', '--data-dir', dir, '--demo', '--demo-tickets', '10'],
        { DATABASE_URL: pg.url, LOG_LEVEL: 'silent' },
        (l) => lines.push(l),
      );
      try {
        expect(running.db.driver).toBe('postgres');
        expect(lines.join('\n')).toMatch(/PostgreSQL/);
        expect((await running.server.admin.listEvents()).map((e) => e.id)).toContain(DEMO_EVENT_ID);
      } finally {
        await running.stop();
      }
    } finally {
      await pg.stop();
    }
  });
});
