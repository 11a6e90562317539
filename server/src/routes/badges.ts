// Owns the badge desk's routes. Terminals (device token, request id on writes): an attendee's badge
// details (GET /v1/badges/attendees/:ticketId) and a correction of their name, company or title
// (POST …/correct; recorded in the server's audit chain with the old and new values, and poked to the
// terminals, which pull the ticket's new name). The organizer (admin guard, audited like the other admin
// writes): an event's templates, settings, samples and categories (GET /admin/v1/events/:id/badges),
// saving and deleting a template (PUT/DELETE /admin/v1/badge-templates/:id), and the settings
// (PUT /admin/v1/events/:id/badge-settings). Badge prints arrive through POST /v1/push.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AUDIT_TEXT_MAX } from '../../../domain/audit';
import { BadgeCorrection } from '../../../domain/badge-wire';
import { Uuid } from '../../../domain/wire';
import { deleteTemplate, listBadges, SaveBody, saveSettings, saveTemplate, SettingsBody } from '../admin/badges';
import type { ServerContext } from '../context';
import { ApiFailure, parseOr400 } from '../errors';
import { recordServerAction } from '../services/audit';
import { attendeeDetails, correctAttendee } from '../services/badges';
import { adminAuth, deviceAuth, deviceOf, requestIdGuard } from './guards';

const TicketParams = z.object({ ticketId: Uuid }).strict();
const IdParams = z.object({ id: Uuid }).strict();
const EventQuery = z.object({ eventId: Uuid }).strict();
/** Control characters have no place on a badge (and PostgreSQL cannot store NUL at all). */
const hasControl = (text: string): boolean => [...text].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f);

/** Refuses (400) a body with NUL in any string or key, which no text or JSON column can hold. Walks
 *  with a stack of its own: a hostile body may nest deeper than the call stack goes. */
function refuseNul(root: unknown): void {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value === 'string') {
      if (value.includes('\u0000')) throw new ApiFailure('bad_request', 'a text contains NUL');
    } else if (Array.isArray(value)) {
      for (const v of value) stack.push(v);
    } else if (typeof value === 'object' && value !== null) {
      for (const [k, v] of Object.entries(value)) {
        if (k.includes('\u0000')) throw new ApiFailure('bad_request', 'a key contains NUL');
        stack.push(v);
      }
    }
  }
}

/** A company or title cleared at the desk may come as an empty text: it means none (null). */
function blankToNull(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const out: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  for (const field of ['company', 'title']) {
    const value = out[field];
    if (typeof value === 'string' && value.trim() === '') out[field] = null;
  }
  return out;
}

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
      const body = parseOr400(BadgeCorrection, blankToNull(request.body));
      for (const field of ['name', 'company', 'title'] as const) {
        const text = body[field];
        if (typeof text === 'string' && hasControl(text)) throw new ApiFailure('bad_request', `${field}: contains a control character`);
      }
      const deviceId = deviceOf(request).id;
      const done = await correctAttendee(ctx.db, deviceId, ticketId.toLowerCase(), { ...body, operatorId: body.operatorId.toLowerCase() });
      if (done.seq !== null) {
        ctx.hub.poke(done.seq);
        const detail: Record<string, string | null> = { eventId: done.details.eventId, deviceId, operatorId: body.operatorId.toLowerCase() };
        for (const c of done.changed) {
          detail[`${c.field}Old`] = c.old?.slice(0, AUDIT_TEXT_MAX) ?? null;
          detail[`${c.field}New`] = c.new?.slice(0, AUDIT_TEXT_MAX) ?? null;
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
      refuseNul(body);
      if (hasControl(body.name) || body.categories.some(hasControl)) throw new ApiFailure('bad_request', 'name, categories: contain a control character');
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
