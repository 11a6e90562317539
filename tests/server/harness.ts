// Owns the shared scaffolding of the server tests: the two database backends (in-memory PGlite and a
// throwaway PostgreSQL cluster), a movable clock, and small helpers that speak the protocol via app.inject.
import type { FastifyInstance } from 'fastify';
import { v7 as uuidv7 } from 'uuid';
import { expect } from 'vitest';
import { type AdminEvent, type OrderResponse, REQUEST_ID_HEADER } from '../../domain/wire';
import { type AdmitServer, createServer, type CreateServerOptions } from '../../server/src/app';
import { openServerDb, type ServerDbHandle } from '../../server/src/db/client';
import { startPostgres } from '../helpers/postgres';

export type BackendName = 'PGlite' | 'PostgreSQL';
/** Set ADMIT_SKIP_POSTGRES_TESTS=1 on a machine without PostgreSQL binaries. */
export const backends: BackendName[] = process.env.ADMIT_SKIP_POSTGRES_TESTS ? ['PGlite'] : ['PGlite', 'PostgreSQL'];

export interface Backend {
  handle: ServerDbHandle;
  close(): Promise<void>;
}

export async function openBackend(name: BackendName): Promise<Backend> {
  if (name === 'PGlite') {
    const handle = await openServerDb();
    return { handle, close: () => handle.close() };
  }
  const pg = await startPostgres();
  const handle = await openServerDb({ databaseUrl: pg.url, maxConnections: 20 });
  return {
    handle,
    close: async () => {
      await handle.close();
      await pg.stop();
    },
  };
}

/** Wall clock plus an offset the test can move. */
export class TestClock {
  offsetMs = 0;
  readonly now = () => new Date(Date.now() + this.offsetMs);
  advance(ms: number) {
    this.offsetMs += ms;
  }
}

export function makeServer(backend: Backend, extra: Partial<CreateServerOptions> = {}): AdmitServer {
  return createServer({ db: backend.handle.db, adminToken: 'test-admin-token', ...extra });
}

export interface CallOptions {
  token?: string | null;
  body?: unknown;
  /** Raw payload (string or Buffer) instead of JSON.stringify(body). */
  payload?: string | Buffer;
  requestId?: string | null;
  headers?: Record<string, string>;
}

/** Replies are read loosely in tests; each test asserts the fields it cares about (or parses with zod). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface CallResult<T = Json> {
  status: number;
  json: T;
}

export async function call<T = Json>(
  app: FastifyInstance,
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  url: string,
  opts: CallOptions = {},
): Promise<CallResult<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (method !== 'GET' && opts.requestId !== null) headers[REQUEST_ID_HEADER] = opts.requestId ?? uuidv7();
  let payload: string | Buffer | undefined;
  if (opts.payload !== undefined) payload = opts.payload;
  else if (opts.body !== undefined) payload = JSON.stringify(opts.body);
  if (payload !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
  const res = await app.inject({ method, url, headers, ...(payload !== undefined ? { payload } : {}) });
  return { status: res.statusCode, json: res.body ? (JSON.parse(res.body) as T) : (undefined as T) };
}

export function expectError(res: CallResult, status: number, code: string) {
  expect({ status: res.status, code: res.json?.error?.code }).toEqual({ status, code });
}

export async function pairTerminal(
  server: AdmitServer,
  name = 'Terminal',
): Promise<{ deviceId: string; token: string }> {
  const { code } = await server.admin.createPairingCode();
  const res = await call(server.app, 'POST', '/v1/pair', { body: { code, name } });
  expect(res.status).toBe(200);
  return { deviceId: res.json.deviceId, token: res.json.token };
}

/** Adds the event to every paired device's events (tests pair their terminals before making events). */
export async function bindEveryDevice(server: AdmitServer, eventId: string): Promise<void> {
  for (const device of await server.admin.listDevices()) {
    if (device.revokedAt || device.eventIds.includes(eventId)) continue;
    await server.admin.setDeviceEvents(device.id, [...device.eventIds, eventId]);
  }
}

/** A test event, served by every device paired so far. By default it runs from yesterday to the day
 *  after tomorrow, so records dated now are inside it (the server refuses check-ins dated well outside
 *  their event); `run` sets other dates. */
export async function createTestEvent(
  server: AdmitServer,
  types: { priceMinor: number; capacity: number | null }[] = [{ priceMinor: 1000, capacity: null }],
  run: { startsAt: string; endsAt: string } = {
    startsAt: new Date(Date.now() - 86_400_000).toISOString(),
    endsAt: new Date(Date.now() + 2 * 86_400_000).toISOString(),
  },
): Promise<AdminEvent> {
  const event = await server.admin.createEvent({
    name: { en: 'Test event' },
    ...run,
    timezone: 'Europe/Berlin',
    currency: 'EUR',
    ticketTypes: types.map((t, i) => ({ name: { en: `Type ${i}` }, ...t })),
  });
  await bindEveryDevice(server, event.id);
  return event;
}

export function orderBody(
  eventId: string,
  lines: { ticketTypeId: string; quantity: number }[],
  amountMinor = 1_000_000,
) {
  return { orderId: uuidv7(), eventId, lines, payment: { method: 'cash' as const, amountMinor } };
}

export async function sell(
  server: AdmitServer,
  token: string,
  eventId: string,
  ticketTypeId: string,
  quantity = 1,
): Promise<OrderResponse> {
  const res = await call<OrderResponse>(server.app, 'POST', '/v1/orders', {
    token,
    body: orderBody(eventId, [{ ticketTypeId, quantity }]),
  });
  expect(res.status).toBe(200);
  return res.json;
}

export { uuidv7 };
