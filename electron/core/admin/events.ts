// Owns admin mode's events calls in the core: each one typed request to the server's catalog API
// (/admin/v1/events…, sessions, ticket types, quotas) through this UI's admin session, its reply parsed
// with the catalog's reply shapes (domain/admin-catalog.ts). The dispatcher has already refused every
// operator who is not an admin, and the server checks the session's operator again.
import type { AdminEventsCall } from '../../contract';
import {
  CatalogEventResponse,
  CreatedEventResponse,
  EventListResponse,
  QuotaResponse,
  SessionResponse,
  TicketTypeResponse,
  UpdatedEventResponse,
} from '../../../domain/admin-catalog';
import type { CoreModule } from '../dispatcher';
import type { AdminServerClient } from './server-client';

export function adminEventsHandlers(server: AdminServerClient): CoreModule<AdminEventsCall>['handlers'] {
  return {
    'admin.events.list': async (_i, ctx) => (await server.request(ctx.sessionId, 'GET', '/admin/v1/events', undefined, EventListResponse)).events,
    'admin.events.get': async ({ eventId }, ctx) =>
      (await server.request(ctx.sessionId, 'GET', `/admin/v1/events/${eventId}`, undefined, CatalogEventResponse)).event,
    'admin.events.create': async (input, ctx) => (await server.request(ctx.sessionId, 'POST', '/admin/v1/events', input, CreatedEventResponse)).event,
    'admin.events.update': async ({ eventId, ...patch }, ctx) =>
      (await server.request(ctx.sessionId, 'PATCH', `/admin/v1/events/${eventId}`, patch, UpdatedEventResponse)).event,
    'admin.sessions.create': async ({ eventId, ...session }, ctx) =>
      (await server.request(ctx.sessionId, 'POST', `/admin/v1/events/${eventId}/sessions`, session, SessionResponse)).session,
    'admin.sessions.update': async ({ sessionId, ...patch }, ctx) =>
      (await server.request(ctx.sessionId, 'PATCH', `/admin/v1/sessions/${sessionId}`, patch, SessionResponse)).session,
    'admin.ticketTypes.create': async ({ eventId, ...type }, ctx) =>
      (await server.request(ctx.sessionId, 'POST', `/admin/v1/events/${eventId}/ticket-types`, type, TicketTypeResponse)).ticketType,
    'admin.ticketTypes.update': async ({ ticketTypeId, ...patch }, ctx) =>
      (await server.request(ctx.sessionId, 'PATCH', `/admin/v1/ticket-types/${ticketTypeId}`, patch, TicketTypeResponse)).ticketType,
    'admin.quotas.create': async ({ eventId, ...quota }, ctx) =>
      (await server.request(ctx.sessionId, 'POST', `/admin/v1/events/${eventId}/quotas`, quota, QuotaResponse)).quota,
    'admin.quotas.update': async ({ quotaId, ...patch }, ctx) =>
      (await server.request(ctx.sessionId, 'PATCH', `/admin/v1/quotas/${quotaId}`, patch, QuotaResponse)).quota,
  };
}
