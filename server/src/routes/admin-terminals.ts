// Owns the organizer's HTTP calls for terminals and point staff (/admin/v1/terminals,
// /admin/v1/points/:id/staff), guarded like every admin route (admin token, request ids). Revoking a
// terminal and binding it to events stay POST /admin/v1/devices/:id/revoke and /events (routes/admin.ts).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Uuid } from '../../../domain/wire';
import { listTerminals, pointStaff, updatePointStaff, updateTerminal } from '../admin/terminals';
import { PointStaffRequest, UpdateTerminalRequest } from '../admin/terminals-schemas';
import type { ServerContext } from '../context';
import { parseOr400 } from '../errors';
import { adminAuth, requestIdGuard } from './guards';

const IdParams = z.object({ id: Uuid });

/** The address this request reached the server at (what a QR code names when the organizer named none). */
export function requestOrigin(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

export function adminTerminalRoutes(ctx: ServerContext) {
  return async (app: FastifyInstance): Promise<void> => {
    app.addHook('onRequest', adminAuth(ctx));
    app.addHook('preHandler', requestIdGuard(ctx));
    const idOf = (params: unknown) => parseOr400(IdParams, params).id.toLowerCase();

    app.get('/admin/v1/terminals', async () => ({ terminals: await listTerminals(ctx) }));

    app.patch('/admin/v1/terminals/:id', async (request) => {
      const body = parseOr400(UpdateTerminalRequest, request.body);
      return { terminal: await updateTerminal(ctx, idOf(request.params), body) };
    });

    app.get('/admin/v1/points/:id/staff', async (request) => pointStaff(ctx, idOf(request.params)));

    app.put('/admin/v1/points/:id/staff', async (request) => {
      const body = parseOr400(PointStaffRequest, request.body);
      return updatePointStaff(ctx, idOf(request.params), body);
    });
  };
}
