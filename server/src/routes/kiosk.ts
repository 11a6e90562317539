// Owns the kiosk's terminal routes (device token, request id on writes): an attendee's information and
// entitlements as a kiosk fetches them online (GET /v1/kiosk/attendees/:ticketId/info) and a manager
// resolving a kiosk's alert (POST /v1/kiosk/alerts/:id/resolve; recorded in the server's audit chain and
// poked to the terminals, which pull the resolution). Kiosk alerts arrive through POST /v1/push.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { KioskAlertResolve } from '../../../domain/kiosk-wire';
import { Uuid } from '../../../domain/wire';
import type { ServerContext } from '../context';
import { parseOr400 } from '../errors';
import { recordServerAction } from '../services/audit';
import { kioskAttendeeInfo, resolveKioskAlert } from '../services/kiosk';
import { deviceAuth, deviceOf, requestIdGuard } from './guards';

const TicketParams = z.object({ ticketId: Uuid }).strict();
const IdParams = z.object({ id: Uuid }).strict();

export function kioskTerminalRoutes(ctx: ServerContext) {
  return async (app: FastifyInstance): Promise<void> => {
    app.addHook('onRequest', deviceAuth(ctx));
    app.addHook('preHandler', requestIdGuard(ctx));

    app.get('/v1/kiosk/attendees/:ticketId/info', async (request) => {
      const { ticketId } = parseOr400(TicketParams, request.params);
      return kioskAttendeeInfo(ctx.db, deviceOf(request).id, ticketId.toLowerCase());
    });

    app.post('/v1/kiosk/alerts/:id/resolve', async (request) => {
      const id = parseOr400(IdParams, request.params).id.toLowerCase();
      const operatorId = parseOr400(KioskAlertResolve, request.body).operatorId.toLowerCase();
      const deviceId = deviceOf(request).id;
      const done = await resolveKioskAlert(ctx.db, deviceId, id, operatorId, ctx.now());
      if (done.seq !== null) {
        ctx.hub.poke(done.seq);
        const a = done.alert;
        await recordServerAction(ctx.db, 'kiosk_alert_resolved', id, { eventId: a.eventId, deviceId, operatorId, kind: a.kind, reason: a.code, kioskId: a.deviceId }, ctx.now());
      }
      return done.alert;
    });
  };
}
