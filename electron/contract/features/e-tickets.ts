// Owns the e-tickets slice of the contract: the box office asks the server to send an order's tickets by
// email or SMS in the attendee's language, and reads where the order's deliveries stand (addresses
// masked). Both need the server: offline they are refused with `offline`. Refused also: invalid_email,
// invalid_phone, delivery_not_configured, not_found (no such order), forbidden (an order of an event
// this terminal does not serve).
import { z } from 'zod';
import { Delivery, DeliveryChannel, DeliveryLanguage, MAX_ADDRESS_LENGTH } from '../../../domain/delivery';
import { call } from '../spec';

export { Delivery, DELIVERY_ERRORS, DELIVERY_STATES, DeliveryChannel, DeliveryError, DeliveryLanguage, DeliveryState } from '../../../domain/delivery';

export const eTicketsCalls = {
  'boxOffice.sendTickets': call({
    input: z
      .object({
        orderId: z.string().uuid(),
        channel: DeliveryChannel,
        /** An email address, or a phone number with its country code (+…). */
        address: z.string().min(1).max(MAX_ADDRESS_LENGTH),
        /** The attendee's language: the email's or the message's text is in it. */
        language: DeliveryLanguage,
        /** Made once per send by the screen and sent again with a retry: the server then answers with the
         *  delivery it already has and sends nothing twice. Without it the core makes one. */
        requestId: z.string().uuid().optional(),
      })
      .strict(),
    /** The delivery as queued (it goes out in the background: read boxOffice.deliveries for its state). */
    output: z.object({ delivery: Delivery }),
    roles: ['cashier', 'manager'],
  }),
  'boxOffice.deliveries': call({
    input: z.object({ orderId: z.string().uuid() }).strict(),
    output: z.object({ deliveries: z.array(Delivery) }),
    roles: ['cashier', 'manager'],
  }),
} as const;

export const eTicketsEvents = {} as const;
