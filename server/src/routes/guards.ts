// Owns the request guards the route scopes install as hooks: device bearer auth (with last-seen
// bookkeeping), admin auth (the admin token, or a device with an admin operator's session), and
// request-id replay protection on every mutating request (POST, PATCH, PUT,
// DELETE).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { REQUEST_ID_HEADER } from '../../../domain/wire';
import { setActor } from '../admin/actor';
import { authenticateAdminSession } from '../admin/sessions';
import { ADMIN_SESSION_HEADER } from '../admin/sessions-schemas';
import type { ServerContext } from '../context';
import { ApiFailure } from '../errors';
import { secretEquals } from '../secrets';
import { authenticateDevice, touchDevice } from '../services/devices';
import type { DeviceRecord } from '../services/rows';
import { admitRequestId } from '../services/requestIds';

const LAST_SEEN_WRITE_MS = 15_000;
const devicesByRequest = new WeakMap<FastifyRequest, DeviceRecord>();

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/** The authenticated device of a request that passed deviceAuth. */
export function deviceOf(request: FastifyRequest): DeviceRecord {
  const device = devicesByRequest.get(request);
  if (!device) throw new ApiFailure('unauthorized', 'no authenticated device');
  return device;
}

/** How many leading characters of a presented device token key its failure count (never the whole token). */
const TOKEN_PREFIX_CHARS = 6;

/** The failure-count keys of a device authentication: the address, and the token's prefix when one came. */
export function deviceAuthKeys(request: FastifyRequest, token: string | undefined): string[] {
  const keys = [`device-ip:${request.ip}`];
  if (token) keys.push(`device-token:${token.slice(0, TOKEN_PREFIX_CHARS)}`);
  return keys;
}

/** Runs `attempt`; an ApiFailure of one of `counted` codes counts against `keys`, and keys already
 *  waiting out a delay are refused (429) before the attempt runs. */
export async function limited<T>(
  ctx: ServerContext,
  keys: readonly string[],
  counted: readonly string[],
  attempt: () => Promise<T> | T,
): Promise<T> {
  ctx.failures.check(keys);
  try {
    return await attempt();
  } catch (err) {
    if (err instanceof ApiFailure && counted.includes(err.code)) ctx.failures.fail(keys);
    throw err;
  }
}

export function deviceAuth(ctx: ServerContext) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    let token = bearerToken(request);
    // Browsers cannot set headers on a WebSocket, so the upgrade may carry ?token= instead (header wins).
    if (!token && request.ws) {
      const fromQuery = (request.query as Record<string, unknown> | undefined)?.token;
      if (typeof fromQuery === 'string' && fromQuery) token = fromQuery;
    }
    const device = await limited(ctx, deviceAuthKeys(request, token), ['unauthorized', 'token_revoked'], () =>
      authenticateDevice(ctx.db, token),
    );
    devicesByRequest.set(request, device);
    const now = ctx.now();
    const last = ctx.lastSeenWrites.get(device.id) ?? 0;
    if (now.getTime() - last >= LAST_SEEN_WRITE_MS) {
      ctx.lastSeenWrites.set(device.id, now.getTime());
      await touchDevice(ctx.db, device.id, now);
    }
  };
}

/** The admin guard: the admin bearer token (the CLI, scripts), or a paired device's bearer token with an
 *  open admin session of that same device in ADMIN_SESSION_HEADER (an admin operator at a terminal).
 *  Either way the request's actor is set for the audit trail (admin/actor.ts). */
export function adminAuth(ctx: ServerContext) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const token = bearerToken(request);
    const sessionHeader = request.headers[ADMIN_SESSION_HEADER];
    const sessionToken = typeof sessionHeader === 'string' && sessionHeader ? sessionHeader : undefined;
    if (sessionToken && token && !secretEquals(token, ctx.adminToken)) {
      const device = await limited(ctx, deviceAuthKeys(request, token), ['unauthorized', 'token_revoked'], () =>
        authenticateDevice(ctx.db, token),
      );
      devicesByRequest.set(request, device);
      setActor(request, await authenticateAdminSession(ctx, device, sessionToken));
      return;
    }
    await limited(ctx, [`admin-ip:${request.ip}`], ['unauthorized'], () => {
      if (!token) throw new ApiFailure('unauthorized', 'missing admin token');
      if (!secretEquals(token, ctx.adminToken)) throw new ApiFailure('unauthorized', 'wrong admin token');
    });
    setActor(request, { kind: 'admin_token' });
  };
}

const MUTATING_METHODS = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

/** preHandler: runs after the body is parsed (so a 413/400 body does not burn the id). */
export function requestIdGuard(ctx: ServerContext) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    if (!MUTATING_METHODS.has(request.method)) return;
    const deviceId = devicesByRequest.get(request)?.id ?? null;
    await admitRequestId(ctx.db, request.headers[REQUEST_ID_HEADER], deviceId, ctx.now(), ctx.requestMaxAgeMs);
  };
}
