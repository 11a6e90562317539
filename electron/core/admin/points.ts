// Owns admin mode's check-in point calls in the core: the events (with their ticket types), the points
// of an event, creating and changing one (the kind of entitlement it redeems included), and who may serve
// it — each one typed request to the server's admin API through this UI's admin session, its reply parsed
// with the contract's own shapes.
import { z } from 'zod';
import type { AdminPointsCall } from '../../contract';
import { AdminPoint, AdminPointsEvent, PointStaff } from '../../contract/features/admin-points';
import type { CoreModule } from '../dispatcher';
import type { AdminServerClient } from './server-client';

const EventsResponse = z.object({ events: z.array(AdminPointsEvent) });
const PointsResponse = z.object({ points: z.array(AdminPoint) });
const PointResponse = z.object({ point: AdminPoint });

export function pointsHandlers(server: AdminServerClient): CoreModule<AdminPointsCall>['handlers'] {
  return {
    'admin.points.events': async (_i, ctx) => (await server.request(ctx.sessionId, 'GET', '/admin/v1/events', undefined, EventsResponse)).events,
    'admin.points.list': async ({ eventId }, ctx) =>
      (await server.request(ctx.sessionId, 'GET', `/admin/v1/events/${eventId}/points`, undefined, PointsResponse)).points,
    'admin.points.create': async ({ eventId, ...point }, ctx) =>
      (await server.request(ctx.sessionId, 'POST', `/admin/v1/events/${eventId}/points`, point, PointResponse)).point,
    'admin.points.update': async ({ pointId, ...patch }, ctx) =>
      (await server.request(ctx.sessionId, 'PATCH', `/admin/v1/points/${pointId}`, patch, PointResponse)).point,
    'admin.points.staff': ({ pointId }, ctx) => server.request(ctx.sessionId, 'GET', `/admin/v1/points/${pointId}/staff`, undefined, PointStaff),
    'admin.points.setStaff': ({ pointId, ...staff }, ctx) => server.request(ctx.sessionId, 'PUT', `/admin/v1/points/${pointId}/staff`, staff, PointStaff),
  };
}
