// Owns the box office's e-tickets: asking the server — which holds the mail and SMS settings and the
// order's tickets — to send an order's tickets to the attendee by email or SMS in their language, and
// reading back where the order's deliveries stand. Online only: offline both are refused with
// `offline` and nothing is asked. A retry of the same request id is answered with the same delivery
// (the server sends once). The audit trail records each request (audit/calls.ts).
import { DeliveriesResponse, DeliveryResponse } from '../../../domain/delivery';
import { AdmitError, type CallInput, type CallOutput, type ETicketsCall } from '../../contract';
import type { CoreModule } from '../dispatcher';
import { newId } from '../ids';
import { LinkDownError, ServerError, type SyncClient } from '../sync/client';

export type ETicketsServer = Pick<SyncClient, 'isOnline' | 'send'>;

/** A server refusal as the error the screen shows. */
function refusal(e: unknown): AdmitError {
  if (e instanceof AdmitError) return e;
  if (e instanceof LinkDownError || !(e instanceof ServerError)) return new AdmitError('offline', 'server unreachable');
  switch (e.code) {
    case 'invalid_email':
    case 'invalid_phone':
    case 'delivery_not_configured':
    case 'not_found':
    case 'forbidden':
      return new AdmitError(e.code, e.message);
    case 'forbidden_event':
      return new AdmitError('forbidden', 'an order of an event this terminal does not serve');
    case 'bad_request':
      return new AdmitError('invalid_input', e.message);
    default:
      return e.status >= 500 ? new AdmitError('offline', e.code) : new AdmitError('server_rejected', e.code);
  }
}

export async function sendTickets(server: ETicketsServer, input: CallInput<'boxOffice.sendTickets'>, operatorId: string): Promise<CallOutput<'boxOffice.sendTickets'>> {
  if (!server.isOnline) throw new AdmitError('offline');
  const body = { deliveryId: input.requestId ?? newId(), channel: input.channel, address: input.address, language: input.language, operatorId };
  try {
    return await server.send('POST', `/v1/orders/${input.orderId}/deliveries`, body, DeliveryResponse, {});
  } catch (e) {
    throw refusal(e);
  }
}

export async function orderDeliveries(server: ETicketsServer, orderId: string): Promise<CallOutput<'boxOffice.deliveries'>> {
  if (!server.isOnline) throw new AdmitError('offline');
  try {
    return await server.send('GET', `/v1/orders/${orderId}/deliveries`, undefined, DeliveriesResponse, {});
  } catch (e) {
    throw refusal(e);
  }
}

export function eTicketsModule(deps: { server: ETicketsServer }): CoreModule<ETicketsCall> {
  return {
    name: 'e-tickets',
    handlers: {
      'boxOffice.sendTickets': (input, ctx) => sendTickets(deps.server, input, ctx.session!.operatorId),
      'boxOffice.deliveries': (input) => orderDeliveries(deps.server, input.orderId),
    },
  };
}
