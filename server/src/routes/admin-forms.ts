// Owns the registration-form routes of the organizer's API: read and replace the form of one ticket
// type. Guarded like every admin route (admin token, request id on writes); every replacement is
// recorded in the server's audit chain and pokes the terminals, which pull it with their next changes.
import type { FastifyInstance } from 'fastify';
import { PutFormRequest, TicketTypeParams } from '../admin/forms-schemas';
import { readForm, replaceForm } from '../admin/forms';
import type { ServerContext } from '../context';
import { parseOr400 } from '../errors';
import { recordServerAction } from '../services/audit';
import { adminAuth, requestIdGuard } from './guards';

export function adminFormRoutes(ctx: ServerContext) {
  return async (app: FastifyInstance): Promise<void> => {
    app.addHook('onRequest', adminAuth(ctx));
    app.addHook('preHandler', requestIdGuard(ctx));
    const idOf = (params: unknown) => parseOr400(TicketTypeParams, params).id;

    app.get('/admin/v1/ticket-types/:id/form', async (request) => ({ form: await readForm(ctx.db, idOf(request.params)) }));

    app.put('/admin/v1/ticket-types/:id/form', async (request) => {
      const ticketTypeId = idOf(request.params);
      const body = parseOr400(PutFormRequest, request.body);
      const { form, seq } = await replaceForm(ctx.db, ticketTypeId, body.fields, ctx.now());
      ctx.hub.poke(seq);
      await recordServerAction(ctx.db, 'form_saved', ticketTypeId, { eventId: form.eventId, version: form.version, fields: form.fields.length }, ctx.now());
      return { form };
    });
  };
}
