// Owns the organizer's kiosk routes (admin guard, audited like the other admin writes): an attendee's
// information and entitlements (GET|PUT /admin/v1/attendees/:ticketId/info; the audit names which kinds
// changed, never the texts) and an event's kiosk settings (GET|PUT /admin/v1/events/:id/kiosk-settings).
// Bad bodies are refused with 400 and a clear code before anything is written.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AttendeeInfoSave } from '../../../domain/kiosk-wire';
import { Uuid } from '../../../domain/wire';
import { KioskSettingsBody, readAttendeeInfo, readEventKioskSettings, saveAttendeeInfo, saveKioskSettings } from '../admin/kiosk';
import type { ServerContext } from '../context';
import { ApiFailure, parseOr400 } from '../errors';
import { recordServerAction } from '../services/audit';
import { adminAuth, requestIdGuard } from './guards';

const TicketParams = z.object({ ticketId: Uuid }).strict();
const IdParams = z.object({ id: Uuid }).strict();

/** Control characters other than line breaks and tabs have no place in what a kiosk shows (and
 *  PostgreSQL cannot store NUL at all). Walks with a stack of its own: a hostile body may nest deeply. */
function refuseControl(root: unknown): void {
  const stack: unknown[] = [root];
  const bad = (text: string) => [...text].some((ch) => {
    const c = ch.charCodeAt(0);
    return (c < 0x20 && c !== 0x0a && c !== 0x09) || c === 0x7f;
  });
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value === 'string') {
      if (bad(value)) throw new ApiFailure('bad_request', 'a text contains a control character');
    } else if (Array.isArray(value)) {
      for (const v of value) stack.push(v);
    } else if (typeof value === 'object' && value !== null) {
      for (const [k, v] of Object.entries(value)) {
        if (bad(k)) throw new ApiFailure('bad_request', 'a key contains a control character');
        stack.push(v);
      }
    }
  }
}

const list = (kinds: readonly string[]) => (kinds.length ? kinds.join(',').slice(0, 200) : null);

export function kioskAdminRoutes(ctx: ServerContext) {
  return async (app: FastifyInstance): Promise<void> => {
    app.addHook('onRequest', adminAuth(ctx));
    app.addHook('preHandler', requestIdGuard(ctx));

    app.get('/admin/v1/attendees/:ticketId/info', async (request) =>
      readAttendeeInfo(ctx.db, parseOr400(TicketParams, request.params).ticketId.toLowerCase()),
    );

    app.put('/admin/v1/attendees/:ticketId/info', async (request) => {
      const ticketId = parseOr400(TicketParams, request.params).ticketId.toLowerCase();
      refuseControl(request.body);
      const body = parseOr400(AttendeeInfoSave, request.body);
      const saved = await saveAttendeeInfo(ctx.db, ticketId, body, ctx.now());
      if (saved.seq !== null) {
        ctx.hub.poke(saved.seq);
        const c = saved.changed;
        await recordServerAction(
          ctx.db,
          'attendee_info_saved',
          ticketId,
          { eventId: saved.eventId, itemsChanged: c.items, items: c.itemCount, added: list(c.added), updated: list(c.updated), withdrawn: list(c.withdrawn) },
          ctx.now(),
        );
      }
      return saved.answer;
    });

    app.get('/admin/v1/events/:id/kiosk-settings', async (request) =>
      readEventKioskSettings(ctx.db, parseOr400(IdParams, request.params).id.toLowerCase()),
    );

    app.put('/admin/v1/events/:id/kiosk-settings', async (request) => {
      const eventId = parseOr400(IdParams, request.params).id.toLowerCase();
      refuseControl(request.body);
      const body = parseOr400(KioskSettingsBody, request.body);
      const saved = await saveKioskSettings(ctx.db, eventId, body, ctx.now());
      ctx.hub.poke(saved.seq);
      const s = saved.settings;
      await recordServerAction(
        ctx.db,
        'kiosk_settings_saved',
        eventId,
        { idleResetS: s.idleResetS, countdownS: s.countdownS, defaultLanguage: s.defaultLanguage, findByPhone: s.findByPhone, printBadge: s.printBadge, helpDesk: s.helpDesk !== null },
        ctx.now(),
      );
      return saved.settings;
    });
  };
}
