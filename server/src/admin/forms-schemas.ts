// Owns the request and answer shapes of the registration-form admin API (/admin/v1/ticket-types/:id/form).
// The fields themselves are checked by domain/forms.ts parseForm, whose messages name each problem.
import { z } from 'zod';
import { FormFieldSchema } from '../../../domain/forms';
import { Uuid } from '../../../domain/wire';

export const TicketTypeParams = z.object({ id: Uuid }).strict();

/** PUT: the whole form, replacing the one stored (an empty list removes every field). */
export const PutFormRequest = z.object({ fields: z.unknown() }).strict();

export const AdminForm = z.object({
  ticketTypeId: Uuid,
  eventId: Uuid,
  fields: z.array(FormFieldSchema),
  /** 0: no form was ever saved for this ticket type. */
  version: z.number().int().nonnegative(),
  updatedAt: z.string().nullable(),
});
export type AdminForm = z.infer<typeof AdminForm>;
export const AdminFormResponse = z.object({ form: AdminForm });
