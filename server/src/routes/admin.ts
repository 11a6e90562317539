// Owns the organizer's HTTP API (/admin/v1), guarded by the admin token. Each route is a thin shell over
// the same AdminApi the in-process caller (main.ts, tests) uses.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { CheckinsQuery, CreateEventRequest, Uuid } from '../../protocol';
import type { AdminApi } from '../adminApi';
import type { ServerContext } from '../context';
import { parseOr400 } from '../errors';
import { adminAuth, requestIdGuard } from './guards';

const DeviceParams = z.object({ id: Uuid });

export function adminRoutes(ctx: ServerContext, admin: AdminApi) {
  return async (app: FastifyInstance): Promise<void> => {
    app.addHook('onRequest', adminAuth(ctx));
    app.addHook('preHandler', requestIdGuard(ctx));

    app.post('/admin/v1/pairing-codes', async () => admin.createPairingCode());

    app.get('/admin/v1/devices', async () => ({ devices: await admin.listDevices() }));

    app.post('/admin/v1/devices/:id/revoke', async (request) => {
      const { id } = parseOr400(DeviceParams, request.params);
      return { device: await admin.revokeDevice(id) };
    });

    app.get('/admin/v1/checkins', async (request) => {
      const query = parseOr400(CheckinsQuery, request.query);
      return { checkins: await admin.listCheckins(query) };
    });

    app.post('/admin/v1/events', async (request) => {
      const body = parseOr400(CreateEventRequest, request.body);
      return { event: await admin.createEvent(body) };
    });

    app.get('/admin/v1/events', async () => ({ events: await admin.listEvents() }));
  };
}
