// Owns the terminal-facing HTTP API (/v1): pairing, the change feed, orders, claims, pushes and the
// WebSocket that carries pokes, claims and the heartbeat (terminal-socket.ts). Bodies are validated against the wire protocol (domain/wire.ts);
// services do the work.
import type { FastifyInstance } from 'fastify';
import { ChangesQuery, ClaimRequest, OrderRequest, PairRequest, type PairResponse, PushRequest } from '../../../domain/wire';
import type { ServerContext } from '../context';
import { currentSeq } from '../db/writes';
import { ApiFailure, parseOr400 } from '../errors';
import { readChanges } from '../services/changes';
import { claimTicket, pushRecords, storableInstant } from '../services/checkins';
import { pairDevice } from '../services/devices';
import { placeOrder } from '../services/orders';
import { deviceAuth, deviceOf, requestIdGuard } from './guards';
import { serveTerminalSocket } from './terminal-socket';

export function terminalRoutes(ctx: ServerContext) {
  return async (app: FastifyInstance): Promise<void> => {
    app.post('/v1/pair', { preHandler: requestIdGuard(ctx) }, async (request): Promise<PairResponse> => {
      const body = parseOr400(PairRequest, request.body);
      const paired = await pairDevice(ctx.db, body, ctx.now());
      request.log.info({ deviceId: paired.deviceId, deviceName: paired.deviceName }, 'device paired');
      return { ...paired, serverId: await ctx.serverId() };
    });

    await app.register(async (authed) => {
      authed.addHook('onRequest', deviceAuth(ctx));
      authed.addHook('preHandler', requestIdGuard(ctx));

      authed.get('/v1/changes', async (request) => {
        const query = parseOr400(ChangesQuery, request.query);
        return readChanges(ctx.db, query.since, query.limit);
      });

      authed.post('/v1/orders', async (request) => {
        const body = parseOr400(OrderRequest, request.body);
        const placed = await placeOrder(ctx.db, deviceOf(request).id, body, ctx.now());
        ctx.hub.poke(placed.seq);
        return placed.response;
      });

      authed.post('/v1/checkins/claim', async (request) => {
        const body = parseOr400(ClaimRequest, request.body);
        if (!storableInstant(body.at)) throw new ApiFailure('bad_request', 'at: out of range');
        const outcome = await claimTicket(ctx.db, deviceOf(request).id, body, ctx.now());
        ctx.hub.poke(outcome.seq);
        return outcome.response;
      });

      authed.post('/v1/push', async (request) => {
        const body = parseOr400(PushRequest, request.body);
        const outcome = await pushRecords(ctx.db, deviceOf(request).id, body.records, ctx.now());
        ctx.hub.poke(outcome.seq);
        return outcome.response;
      });

      authed.route({
        method: 'GET',
        url: '/v1/ws',
        handler: async () => {
          throw new ApiFailure('bad_request', 'this endpoint only speaks WebSocket');
        },
        wsHandler: (socket, request) => {
          const deviceId = deviceOf(request).id;
          ctx.hub.add(socket, deviceId, currentSeq(ctx.db));
          serveTerminalSocket(ctx, socket, deviceId, request.log);
        },
      });
    });
  };
}
