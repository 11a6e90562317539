// Owns the badge desk's routes. Terminals (device token, request id on writes): an attendee's badge
// details (GET /v1/badges/attendees/:ticketId) and a correction of their name, company or title
// (POST …/correct; recorded in the server's audit chain with the old and new values, and poked to the
// terminals, which pull the ticket's new name). The organizer (admin guard, audited like the other admin
// writes): an event's templates, settings, samples and categories (GET /admin/v1/events/:id/badges),
// saving and deleting a template (PUT/DELETE /admin/v1/badge-templates/:id), and the settings
// (PUT /admin/v1/events/:id/badge-settings). Badge prints arrive through POST /v1/push.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { BadgeCorrection } from '../../../domain/badge-wire';
import { Uuid } from '../../../domain/wire';
import { deleteTemplate, listBadges, SaveBody, saveSettings, saveTemplate, SettingsBody } from '../admin/badges';
import type { ServerContext } from '../context';
import { parseOr400 } from '../errors';
import { recordServerAction } from '../services/audit';
import { attendeeDetails, correctAttendee } from '../services/badges';
import { adminAuth, deviceAuth, deviceOf, requestIdGuard } from './guards';

const TicketParams = z.object({ ticketId: Uuid }).strict();
const IdParams = z.object({ id: Uuid }).strict();
const EventQuery = z.object({ eventId: Uuid }).strict();

export function badgeTerminalRoutes(ctx: ServerContext) {
  return async (app: FastifyInstance): Promise<void> => {
    app.addHook('onRequest', deviceAuth(ctx));
    app.addHook('preHandler', requestIdGuard(ctx));

    app.get('/v1/badges/attendees/:ticketId', async (request) => {
      const { ticketId } = parseOr400(TicketParams, request.params);
      return attendeeDetails(ctx.db, deviceOf(request).id, ticketId.toLowerCase());
    });

    app.post('/v1/badges/attendees/:ticketId/correct', async (request) => {
      const { ticketId } = parseOr400(TicketParams, request.params);
      const body = parseOr400(BadgeCorrection, request.body);
      const deviceId = deviceOf(request).id;
      const done = await correctAttendee(ctx.db, deviceId, ticketId.toLowerCase(), { ...body, operatorId: body.operatorId.toLowerCase() });
      if (done.seq !== null) {
        ctx.hub.poke(done.seq);
        const detail: Record<string, string | null> = { eventId: done.details.eventId, deviceId, operatorId: body.operatorId.toLowerCase() };
        for (const c of done.changed) {
          detail[`${c.field}Old`] = c.old;
          detail[`${c.field}New`] = c.new;
        }
        await recordServerAction(ctx.db, 'badge_corrected', done.details.ticketId, detail, ctx.now());
      }
      return done.details;
    });
  };
}

export function badgeAdminRoutes(ctx: ServerContext) {
  return async (app: FastifyInstance): Promise<void> => {
    app.addHook('onRequest', adminAuth(ctx));
    app.addHook('preHandler', requestIdGuard(ctx));

    app.get('/admin/v1/events/:id/badges', async (request) => listBadges(ctx.db, parseOr400(IdParams, request.params).id.toLowerCase()));

    app.put('/admin/v1/badge-templates/:id', async (request) => {
      const id = parseOr400(IdParams, request.params).id.toLowerCase();
      const body = parseOr400(SaveBody, request.body);
      const saved = await saveTemplate(ctx.db, id, { ...body, eventId: body.eventId.toLowerCase() }, ctx.now());
      ctx.hub.poke(saved.seq);
      const t = saved.template;
      await recordServerAction(
        ctx.db,
        'badge_template_saved',
        id,
        { eventId: t.eventId, name: t.name.slice(0, 200), version: t.version, created: saved.created, isDefault: t.isDefault, ticketTypes: t.ticketTypeIds.length, categories: t.categories.length },
        ctx.now(),
      );
      return { template: t };
    });

    app.delete('/admin/v1/badge-templates/:id', async (request) => {
      const id = parseOr400(IdParams, request.params).id.toLowerCase();
      const eventId = parseOr400(EventQuery, request.query).eventId.toLowerCase();
      const deleted = await deleteTemplate(ctx.db, id, eventId, ctx.now());
      if (deleted.seq !== null) {
        ctx.hub.poke(deleted.seq);
        await recordServerAction(ctx.db, 'badge_template_deleted', id, { eventId, name: deleted.name.slice(0, 200) }, ctx.now());
      }
      return { id: deleted.id };
    });

    app.put('/admin/v1/events/:id/badge-settings', async (request) => {
      const eventId = parseOr400(IdParams, request.params).id.toLowerCase();
      const body = parseOr400(SettingsBody, request.body);
      const saved = await saveSettings(ctx.db, eventId, body, ctx.now());
      ctx.hub.poke(saved.seq);
      // (No key naming a PIN: the audit trail refuses those.)
      const s = saved.settings;
      await recordServerAction(ctx.db, 'badge_settings_saved', eventId, { reprintWindowS: s.reprintWindowS, reprintNeedsManager: s.reprintNeedsPin, printChecksIn: s.printChecksIn }, ctx.now());
      return saved.settings;
    });
  };
}
