// Owns the box-office slice of the contract: the catalog on sale and a sale, which answers with the
// order and what became of its printing (printed, or queued/failed with a coded reason).
import { z } from 'zod';
import { CashTender } from '../../../domain/tender';
import { EventInfo, Order, TicketType } from '../domain';
import { call, Empty } from '../spec';
import { PrintOutcome } from './devices';

export const boxOfficeCalls = {
  'boxOffice.catalog': call({
    input: Empty,
    output: z.object({ event: EventInfo.nullable(), ticketTypes: z.array(TicketType) }),
    roles: ['cashier', 'manager'],
  }),
  'boxOffice.sell': call({
    input: z
      .object({
        lines: z
          .array(
            z.object({ ticketTypeId: z.string().uuid(), quantity: z.number().int().min(1).max(50) }).strict(),
          )
          .min(1)
          .max(20),
        /** Cash only: the box office has no card terminal behind it yet. */
        payment: CashTender,
        /** Made once per cart by the screen and sent with every attempt to sell it: it becomes the
         *  order id, so a retry after a lost answer, a crash or a restart completes the same order
         *  (or answers with it) and never sells the cart twice. Without it the core makes one. */
        cartId: z.string().uuid().optional(),
      })
      .strict(),
    output: z.object({ order: Order, print: PrintOutcome }),
    roles: ['cashier', 'manager'],
  }),
} as const;

export const boxOfficeEvents = {} as const;
