// Owns the organizer's catalog routes (/admin/v1): edit an event, its sessions, ticket types and shared
// quotas, and read an event with all of them. Guarded like routes/admin.ts (admin token, fresh request
// id on every mutation); every mutation is audited in the server's chain and pokes the terminals, whose
// caches take the changed rows on their next pull.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AuditAction } from '../../../domain/audit';
import { Uuid } from '../../../domain/wire';
import {
  createQuota,
  createSession,
  createTicketType,
  readCatalogEvent,
  updateEvent,
  updateQuota,
  updateSession,
  updateTicketType,
  type Written,
} from '../admin/catalog';
import {
  CreateQuotaRequest,
  CreateSessionRequest,
  CreateTicketTypeRequest,
  UpdateEventRequest,
  UpdateQuotaRequest,
  UpdateSessionRequest,
  UpdateTicketTypeRequest,
} from '../admin/catalog-schemas';
import type { ServerContext } from '../context';
import { parseOr400 } from '../errors';
import { recordServerAction } from '../services/audit';
import { adminAuth, requestIdGuard } from './guards';

const IdParams = z.object({ id: Uuid });

export function adminCatalogRoutes(ctx: ServerContext) {
  return async (app: FastifyInstance): Promise<void> => {
    app.addHook('onRequest', adminAuth(ctx));
    app.addHook('preHandler', requestIdGuard(ctx));
    const idOf = (params: unknown) => parseOr400(IdParams, params).id;
    /** Pokes the terminals and records the action once the write is committed; answers the row. */
    const done = async <T>(written: Written<T>, action: AuditAction, subject: string, detail: Record<string, string | number | null>) => {
      ctx.hub.poke(written.seq);
      await recordServerAction(ctx.db, action, subject, detail, ctx.now());
      return written.row;
    };
    const fieldsOf = (body: object) => Object.keys(body).sort().join(',').slice(0, 200);

    app.get('/admin/v1/events/:id', async (request) => ({ event: await readCatalogEvent(ctx.db, idOf(request.params)) }));

    app.patch('/admin/v1/events/:id', async (request) => {
      const id = idOf(request.params);
      const body = parseOr400(UpdateEventRequest, request.body);
      return { event: await done(await updateEvent(ctx.db, id, body), 'event_updated', id, { fields: fieldsOf(body) }) };
    });

    app.post('/admin/v1/events/:id/sessions', async (request) => {
      const eventId = idOf(request.params);
      const body = parseOr400(CreateSessionRequest, request.body);
      const written = await createSession(ctx.db, eventId, body);
      return { session: await done(written, 'session_created', written.row.id, { eventId }) };
    });

    app.patch('/admin/v1/sessions/:id', async (request) => {
      const id = idOf(request.params);
      const body = parseOr400(UpdateSessionRequest, request.body);
      const written = await updateSession(ctx.db, id, body);
      return { session: await done(written, 'session_updated', id, { eventId: written.row.eventId, fields: fieldsOf(body) }) };
    });

    app.post('/admin/v1/events/:id/ticket-types', async (request) => {
      const eventId = idOf(request.params);
      const body = parseOr400(CreateTicketTypeRequest, request.body);
      const written = await createTicketType(ctx.db, eventId, body);
      return { ticketType: await done(written, 'ticket_type_created', written.row.id, { eventId, priceMinor: written.row.priceMinor, capacity: written.row.capacity }) };
    });

    app.patch('/admin/v1/ticket-types/:id', async (request) => {
      const id = idOf(request.params);
      const body = parseOr400(UpdateTicketTypeRequest, request.body);
      const written = await updateTicketType(ctx.db, id, body);
      return { ticketType: await done(written, 'ticket_type_updated', id, { eventId: written.row.eventId, fields: fieldsOf(body) }) };
    });

    app.post('/admin/v1/events/:id/quotas', async (request) => {
      const eventId = idOf(request.params);
      const body = parseOr400(CreateQuotaRequest, request.body);
      const written = await createQuota(ctx.db, eventId, body);
      return { quota: await done(written, 'quota_created', written.row.id, { eventId, capacity: written.row.capacity, types: written.row.ticketTypeIds.length }) };
    });

    app.patch('/admin/v1/quotas/:id', async (request) => {
      const id = idOf(request.params);
      const body = parseOr400(UpdateQuotaRequest, request.body);
      const written = await updateQuota(ctx.db, id, body);
      return { quota: await done(written, 'quota_updated', id, { eventId: written.row.eventId, fields: fieldsOf(body), capacity: written.row.capacity }) };
    });
  };
}
