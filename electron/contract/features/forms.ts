// Owns the forms slice of the contract: reading a ticket type's registration form as this terminal last
// received it, for the modes that register attendees (box office, badge desk, kiosk) to show and check
// with domain/forms.ts.
import { z } from 'zod';
import { FormFieldSchema } from '../../../domain/forms';
import { call } from '../spec';

export const TerminalForm = z.object({
  ticketTypeId: z.string(),
  eventId: z.string(),
  /** Empty: the ticket type asks nothing beyond its built-in attendee fields. */
  fields: z.array(FormFieldSchema),
  /** 0: no form was ever saved for this ticket type. */
  version: z.number().int().nonnegative(),
  /** false: the server sent a form this version cannot read (e.g. a field kind added later); `fields` is
   *  then empty and the screen should say so rather than register without it. */
  readable: z.boolean(),
});
export type TerminalForm = z.infer<typeof TerminalForm>;

export const formsCalls = {
  'forms.get': call({
    input: z.object({ ticketTypeId: z.string().uuid() }).strict(),
    output: TerminalForm,
    roles: ['cashier', 'badge', 'kiosk', 'manager', 'admin'],
  }),
} as const;

export const formsEvents = {} as const;
