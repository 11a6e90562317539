// Owns the admin-forms slice of the contract: admin mode's Forms section, for admin operators only,
// online only. The events with their ticket types (to pick the type whose form is edited), reading a
// ticket type's registration form at the server, and replacing it. The server is the one that checks a
// form (domain/forms.ts parseForm); a form it refuses comes back as an outcome naming every problem.
import { z } from 'zod';
import { FormFieldSchema, MAX_FORM_FIELDS } from '../../../domain/forms';
import { Localized } from '../../../domain/wire';
import { call, Empty } from '../spec';

/** A ticket type as the Forms section lists it. */
export const FormsCatalogType = z.object({ id: z.string().uuid(), name: Localized, sessionId: z.string().uuid().nullable() });
export type FormsCatalogType = z.infer<typeof FormsCatalogType>;

/** An event with its ticket types, in the server's order. */
export const FormsCatalogEvent = z.object({
  id: z.string().uuid(),
  name: Localized,
  startsAt: z.string(),
  ticketTypes: z.array(FormsCatalogType),
});
export type FormsCatalogEvent = z.infer<typeof FormsCatalogEvent>;

/** A ticket type's registration form as the server stores it now. */
export const AdminFormState = z.object({
  ticketTypeId: z.string().uuid(),
  eventId: z.string().uuid(),
  fields: z.array(FormFieldSchema),
  /** 0: no form was ever saved for this ticket type; each save adds one. */
  version: z.number().int().nonnegative(),
  updatedAt: z.string().nullable(),
});
export type AdminFormState = z.infer<typeof AdminFormState>;

/** One reason the server refused a form: where (e.g. "2.showIf.key"; "(form)" for the whole form), the
 *  field's index when it is one field's problem, and the part of that field (key, label, options …). */
export const FormProblem = z.object({
  path: z.string(),
  field: z.number().int().nonnegative().nullable(),
  part: z.string().nullable(),
  message: z.string(),
});
export type FormProblem = z.infer<typeof FormProblem>;

export const FormSaveOutcome = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('saved'), form: AdminFormState }),
  /** Nothing was saved: the stored form is unchanged. */
  z.object({ outcome: z.literal('refused'), problems: z.array(FormProblem).min(1) }),
]);
export type FormSaveOutcome = z.infer<typeof FormSaveOutcome>;

export const adminFormsCalls = {
  'admin.forms.catalog': call({ input: Empty, output: z.array(FormsCatalogEvent), roles: ['admin'] }),
  'admin.forms.get': call({
    input: z.object({ ticketTypeId: z.string().uuid() }).strict(),
    output: AdminFormState,
    roles: ['admin'],
  }),
  /** The whole form, replacing the stored one (an empty list removes every field). The fields travel as
   *  typed so the server judges them; only their number is bounded here. */
  'admin.forms.save': call({
    input: z.object({ ticketTypeId: z.string().uuid(), fields: z.array(z.unknown()).max(MAX_FORM_FIELDS * 4) }).strict(),
    output: FormSaveOutcome,
    roles: ['admin'],
  }),
} as const;

export const adminFormsEvents = {} as const;
