// Owns the HTTP side of admin sessions and the staff list: a paired terminal opens an admin session for an
// admin operator with their PIN (POST /v1/admin-sessions, device token) and ends it (DELETE
// /v1/admin-sessions/current); the admin scope lists the operators (GET /admin/v1/operators). Creating
// and changing operators stays in routes/admin.ts.
import type { FastifyInstance } from 'fastify';
import { asc } from 'drizzle-orm';
import type { ServerContext } from '../context';
import { operators } from '../db/schema';
import { ApiFailure, parseOr400 } from '../errors';
import { closeAdminSession, openAdminSession } from '../admin/sessions';
import { ADMIN_SESSION_HEADER, OpenAdminSessionRequest, type StaffOperator } from '../admin/sessions-schemas';
import { adminAuth, deviceAuth, deviceOf, requestIdGuard } from './guards';

export function adminSessionRoutes(ctx: ServerContext) {
  return async (app: FastifyInstance): Promise<void> => {
    app.addHook('onRequest', deviceAuth(ctx));
    app.addHook('preHandler', requestIdGuard(ctx));

    app.post('/v1/admin-sessions', async (request) => {
      const body = parseOr400(OpenAdminSessionRequest, request.body);
      return openAdminSession(ctx, deviceOf(request), body);
    });

    app.delete('/v1/admin-sessions/current', async (request) => {
      const token = request.headers[ADMIN_SESSION_HEADER];
      if (typeof token !== 'string' || !token) throw new ApiFailure('bad_request', `${ADMIN_SESSION_HEADER} header missing`);
      return { closed: await closeAdminSession(ctx, deviceOf(request), token) };
    });
  };
}

export function adminStaffRoutes(ctx: ServerContext) {
  return async (app: FastifyInstance): Promise<void> => {
    app.addHook('onRequest', adminAuth(ctx));
    app.addHook('preHandler', requestIdGuard(ctx));

    app.get('/admin/v1/operators', async (): Promise<{ operators: StaffOperator[] }> => {
      const rows = await ctx.db
        .select({ id: operators.id, name: operators.name, role: operators.role, active: operators.active, createdAt: operators.createdAt })
        .from(operators)
        .orderBy(asc(operators.name), asc(operators.id));
      return { operators: rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })) };
    });
  };
}
