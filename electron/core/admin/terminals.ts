// Owns admin mode's terminals calls in the core: each one typed request to the server's admin API
// (/admin/v1/terminals, /admin/v1/devices/:id/…, /admin/v1/pairing-codes) through this UI's admin
// session, its reply parsed with the contract's own shapes.
import { z } from 'zod';
import type { AdminTerminalsCall } from '../../contract';
import { AdminTerminal, PairingCode, TerminalChange } from '../../contract/features/admin-terminals';
import type { CoreModule } from '../dispatcher';
import type { AdminServerClient } from './server-client';

const TerminalsResponse = z.object({ terminals: z.array(AdminTerminal) });
const TerminalResponse = z.object({ terminal: AdminTerminal });
const DeviceResponse = z.object({ device: TerminalChange });

export function terminalsHandlers(server: AdminServerClient): CoreModule<AdminTerminalsCall>['handlers'] {
  return {
    'admin.terminals.list': async (_i, ctx) => (await server.request(ctx.sessionId, 'GET', '/admin/v1/terminals', undefined, TerminalsResponse)).terminals,
    'admin.terminals.update': async ({ deviceId, ...patch }, ctx) =>
      (await server.request(ctx.sessionId, 'PATCH', `/admin/v1/terminals/${deviceId}`, patch, TerminalResponse)).terminal,
    'admin.terminals.setEvents': async ({ deviceId, eventIds }, ctx) =>
      (await server.request(ctx.sessionId, 'POST', `/admin/v1/devices/${deviceId}/events`, { eventIds }, DeviceResponse)).device,
    'admin.terminals.revoke': async ({ deviceId }, ctx) =>
      (await server.request(ctx.sessionId, 'POST', `/admin/v1/devices/${deviceId}/revoke`, {}, DeviceResponse)).device,
    'admin.terminals.pairingCode': (input, ctx) => server.request(ctx.sessionId, 'POST', '/admin/v1/pairing-codes', input, PairingCode),
  };
}
