// Owns the reply shapes of the organizer's catalog API (/admin/v1/events…, sessions, ticket types,
// quotas): the rows of domain/wire.ts in the envelopes the server answers with, one definition for the
// server that writes them and the terminal's admin mode that reads them. The server's request shapes and checks stay in server/src/admin/catalog-schemas.ts.
import { z } from 'zod';
import { AdminEventResponse, AdminEventsResponse, EventRow, EventSessionRow, QuotaRow, TicketTypeRow } from './wire';

/** GET /admin/v1/events/:id — the event with its sessions, ticket types and quotas. */
export const CatalogEventRow = EventRow.extend({
  sessions: z.array(EventSessionRow),
  ticketTypes: z.array(TicketTypeRow),
  quotas: z.array(QuotaRow),
});
export type CatalogEventRow = z.infer<typeof CatalogEventRow>;
export const CatalogEventResponse = z.object({ event: CatalogEventRow });
/** POST /admin/v1/events, GET /admin/v1/events */
export const CreatedEventResponse = AdminEventResponse;
export const EventListResponse = AdminEventsResponse;
/** PATCH /admin/v1/events/:id */
export const UpdatedEventResponse = z.object({ event: EventRow });
/** POST /admin/v1/events/:id/sessions, PATCH /admin/v1/sessions/:id */
export const SessionResponse = z.object({ session: EventSessionRow });
/** POST /admin/v1/events/:id/ticket-types, PATCH /admin/v1/ticket-types/:id */
export const TicketTypeResponse = z.object({ ticketType: TicketTypeRow });
/** POST /admin/v1/events/:id/quotas, PATCH /admin/v1/quotas/:id */
export const QuotaResponse = z.object({ quota: QuotaRow });
