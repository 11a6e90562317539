// Owns the core's side of admin mode's Forms section: the events with their ticket types, and reading and
// replacing a ticket type's registration form at the server, each one typed request through this UI's
// admin session (server-client.ts). The server judges every form; when it refuses one (400, nothing
// saved), the same rules (domain/forms.ts parseForm) name each problem with its field and part for the
// screen, rather than the server's one-line reason.
import { z } from 'zod';
import {
  AdminFormState,
  AdmitError,
  type AdminFormsCall,
  type FormProblem,
  type FormSaveOutcome,
  type FormsCatalogEvent,
} from '../../contract';
import { parseForm } from '../../../domain/forms';
import { AdminEventsResponse } from '../../../domain/wire';
import type { CoreModule } from '../dispatcher';
import type { AdminServerClient } from './server-client';

const AdminFormResponse = z.object({ form: AdminFormState });

/** The problems parseForm finds in a form the server refused; the server's reason when it finds none. */
export function problemsOf(fields: unknown, serverReason: string): FormProblem[] {
  const parsed = parseForm(fields);
  if (parsed.ok) return [{ path: '(form)', field: null, part: null, message: serverReason }];
  return parsed.issues.map((issue) => {
    const [at, part] = issue.path.split('.');
    const index = Number(at);
    const one = at !== undefined && /^\d+$/.test(at) && Number.isInteger(index);
    return { path: issue.path, field: one ? index : null, part: one ? (part ?? null) : null, message: issue.message };
  });
}

export function adminFormsHandlers(server: AdminServerClient): CoreModule<AdminFormsCall>['handlers'] {
  return {
    'admin.forms.catalog': async (_i, ctx): Promise<FormsCatalogEvent[]> => {
      const { events } = await server.request(ctx.sessionId, 'GET', '/admin/v1/events', undefined, AdminEventsResponse);
      return events.map((e) => ({
        id: e.id,
        name: e.name,
        startsAt: e.startsAt,
        ticketTypes: e.ticketTypes.map((t) => ({ id: t.id, name: t.name, sessionId: t.sessionId ?? null })),
      }));
    },
    'admin.forms.get': async ({ ticketTypeId }, ctx) =>
      (await server.request(ctx.sessionId, 'GET', `/admin/v1/ticket-types/${ticketTypeId}/form`, undefined, AdminFormResponse))
        .form,
    'admin.forms.save': async ({ ticketTypeId, fields }, ctx): Promise<FormSaveOutcome> => {
      try {
        const { form } = await server.request(
          ctx.sessionId,
          'PUT',
          `/admin/v1/ticket-types/${ticketTypeId}/form`,
          { fields },
          AdminFormResponse,
        );
        return { outcome: 'saved', form };
      } catch (e) {
        if (e instanceof AdmitError && e.code === 'invalid_input')
          return { outcome: 'refused', problems: problemsOf(fields, e.message) };
        throw e;
      }
    },
  };
}
