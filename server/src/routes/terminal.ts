// Owns the terminal-facing HTTP API (/v1): pairing, the change feed, orders (with their refunds and
// exchanges), seat leases, claims, pushes and the
// WebSocket that carries pokes, claims and the heartbeat (terminal-socket.ts). Bodies are validated against the wire protocol (domain/wire.ts);
// services do the work.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AuditPushRequest } from '../../../domain/audit';
import {
  ChangesQuery,
  ClaimRequest,
  LeaseIdParams,
  LeaseRequest,
  type LeaseResponse,
  type LeaseReturnResponse,
  OrderRequest,
  PairRequest,
  type PairResponse,
  PushRequest,
  type StatusReportResponse,
  type TerminalSecretsResponse,
  TerminalStatusReport,
} from '../../../domain/wire';
import { ExchangeRequest, OrderLookupQuery, RefundRequest, type RefundRow } from '../../../domain/refund-wire';
import type { ServerContext } from '../context';
import { currentSeq } from '../db/writes';
import { ApiFailure, parseOr400 } from '../errors';
import { receiveDeviceChain, recordServerAction } from '../services/audit';
import { readChanges } from '../services/changes';
import { claimTicket, pushRecords, storableInstant } from '../services/checkins';
import { pairDevice } from '../services/devices';
import { activeLeases, grantLease, placeLeasedOrder, returnLease } from '../services/leases';
import { placeOrder } from '../services/orders';
import { exchangeTickets, lookupOrder, refundTickets } from '../services/refunds';
import { storeStatusReport, terminalSettings } from '../services/terminalStatus';
import { deviceAuth, deviceOf, limited, requestIdGuard } from './guards';
import { serveTerminalSocket } from './terminal-socket';

const OrderIdParams = z.object({ id: z.string().uuid() });

/** The server's own audit entry of a refund or exchange: the device, the operator and the approver, and
 *  where the money went back (or how the difference was paid), part by part. */
const recordRefund = (ctx: ServerContext, deviceId: string, r: RefundRow) =>
  recordServerAction(
    ctx.db,
    r.kind,
    r.orderId,
    { refundId: r.id, deviceId, operatorId: r.operatorId, approvedBy: r.approvedBy, tickets: r.ticketIds.length, amountMinor: r.amountMinor, feeMinor: r.feeMinor, chargedMinor: r.chargedMinor, currency: r.currency,
      payouts: r.payouts.map((p) => `${p.method}:${p.amountMinor}`).join(' '), payments: r.payments.map((p) => `${p.method}:${p.amountMinor}`).join(' ') },
    ctx.now(),
  );

export function terminalRoutes(ctx: ServerContext) {
  return async (app: FastifyInstance): Promise<void> => {
    app.post('/v1/pair', { preHandler: requestIdGuard(ctx) }, async (request): Promise<PairResponse> => {
      const body = parseOr400(PairRequest, request.body);
      const paired = await limited(ctx, [`pair-ip:${request.ip}`], ['pairing_code_invalid'], () =>
        pairDevice(ctx.db, body, ctx.now()),
      );
      request.log.info({ deviceId: paired.deviceId, deviceName: paired.deviceName }, 'device paired');
      await recordServerAction(ctx.db, 'device_paired', paired.deviceId, { name: paired.deviceName.slice(0, 200) }, ctx.now());
      return { ...paired, serverId: await ctx.serverId() };
    });

    await app.register(async (authed) => {
      authed.addHook('onRequest', deviceAuth(ctx));
      authed.addHook('preHandler', requestIdGuard(ctx));

      authed.get('/v1/changes', async (request) => {
        const query = parseOr400(ChangesQuery, request.query);
        const deviceId = deviceOf(request).id;
        const page = await readChanges(ctx.db, deviceId, query.since, query.limit, query.with);
        return { ...page, terminal: await terminalSettings(ctx.db, deviceId) };
      });

      // The terminal's status for the organizer's list of terminals (services/terminalStatus.ts).
      authed.post('/v1/status', async (request): Promise<StatusReportResponse> => {
        const report = parseOr400(TerminalStatusReport, request.body);
        const now = ctx.now();
        await storeStatusReport(ctx.db, deviceOf(request).id, report, now);
        return { receivedAt: now.toISOString() };
      });

      // The PIN key goes to a paired terminal over its authenticated link only, into its secret store:
      // never in a replicated row, so the change feed alone cannot be searched for PINs.
      authed.get('/v1/terminal-secrets', async (): Promise<TerminalSecretsResponse> => ({
        pinKey: (await ctx.keyring()).pinKey.toString('base64'),
      }));

      authed.post('/v1/orders', async (request) => {
        const body = parseOr400(OrderRequest, request.body);
        // A sale made on a lease names its pre-minted tickets; its seats were counted at the grant.
        const placed = body.lease
          ? await placeLeasedOrder(ctx.db, deviceOf(request).id, body, ctx.now())
          : await placeOrder(ctx.db, deviceOf(request).id, body, ctx.now(), await ctx.keyring());
        ctx.hub.poke(placed.seq);
        return placed.response;
      });

      // Seats for a box office to sell offline (services/leases.ts): grant or top-up, and return.
      authed.post('/v1/leases', async (request): Promise<LeaseResponse> => {
        const body = parseOr400(LeaseRequest, request.body);
        const granted = await grantLease(ctx.db, deviceOf(request).id, body, ctx.now(), await ctx.keyring(), { graceS: ctx.leaseGraceS });
        if (granted.seq > 0) ctx.hub.poke(granted.seq);
        return granted.response;
      });

      authed.get('/v1/leases', async (request) => ({ leases: await activeLeases(ctx.db, deviceOf(request).id) }));

      authed.post('/v1/leases/:id/return', async (request): Promise<LeaseReturnResponse> => {
        const { id } = parseOr400(LeaseIdParams, request.params);
        const closed = await returnLease(ctx.db, deviceOf(request).id, id, ctx.now());
        if (closed.seq > 0) ctx.hub.poke(closed.seq);
        return closed.response;
      });

      // Refunds and exchanges by policy (services/refunds.ts); the order by its code or a ticket's.
      authed.get('/v1/orders/lookup', async (request) => {
        const query = parseOr400(OrderLookupQuery, request.query);
        return lookupOrder(ctx.db, deviceOf(request).id, query.code, ctx.now());
      });

      authed.post('/v1/orders/:id/refunds', async (request) => {
        const orderId = parseOr400(OrderIdParams, request.params).id;
        const body = parseOr400(RefundRequest, request.body);
        const deviceId = deviceOf(request).id;
        const done = await refundTickets(ctx, deviceId, orderId, body);
        if (done.seq > 0) {
          ctx.hub.poke(done.seq);
          await recordRefund(ctx, deviceId, done.response.refund);
        }
        return done.response;
      });

      authed.post('/v1/orders/:id/exchanges', async (request) => {
        const orderId = parseOr400(OrderIdParams, request.params).id;
        const body = parseOr400(ExchangeRequest, request.body);
        const deviceId = deviceOf(request).id;
        const done = await exchangeTickets(ctx, deviceId, orderId, body);
        if (done.seq > 0) {
          ctx.hub.poke(done.seq);
          await recordRefund(ctx, deviceId, done.response.refund);
        }
        return done.response;
      });

      authed.post('/v1/checkins/claim', async (request) => {
        const body = parseOr400(ClaimRequest, request.body);
        if (!storableInstant(body.at)) throw new ApiFailure('bad_request', 'at: out of range');
        const outcome = await claimTicket(ctx.db, deviceOf(request).id, body, ctx.now(), ctx.recordTimes);
        ctx.hub.poke(outcome.seq);
        return outcome.response;
      });

      authed.post('/v1/push', async (request) => {
        const body = parseOr400(PushRequest, request.body);
        const outcome = await pushRecords(ctx.db, deviceOf(request).id, body.records, ctx.now(), ctx.recordTimes);
        ctx.hub.poke(outcome.seq);
        return outcome.response;
      });

      // The next entries of this device's audit chain: verified, stored, breaks flagged (services/audit).
      authed.post('/v1/audit', async (request) => {
        const body = parseOr400(AuditPushRequest, request.body);
        return receiveDeviceChain(ctx.db, deviceOf(request).id, body.entries, ctx.now());
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
