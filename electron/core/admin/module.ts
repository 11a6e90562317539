// Owns admin mode in the core: the admin slice of the contract. Each call is one typed request to the
// server's admin API through this UI's admin session (server-client.ts); the dispatcher has already
// refused every operator who is not an admin, and the server checks the session's operator again.
import type {
  AdminBadgesCall,
  AdminBoxOfficeCall,
  AdminCall,
  AdminEventsCall,
  AdminFormsCall,
  AdminImportCall,
  AdminKioskCall,
  AdminPointsCall,
  AdminTerminalsCall,
  StaffChange,
} from '../../contract';
import { CreatedOperatorsResponse, StaffListResponse, UpdatedOperatorResponse } from '../../../domain/admin-session';
import type { CoreModule } from '../dispatcher';
import { adminBadgesHandlers, type AdminBadgePrinting } from './badges';
import { adminBoxOfficeHandlers } from './box-office';
import { adminEventsHandlers } from './events';
import { adminFormsHandlers } from './forms';
import { adminImportHandlers } from './import';
import { adminKioskHandlers } from './kiosk';
import { pointsHandlers } from './points';
import type { AdminServerClient } from './server-client';
import { terminalsHandlers } from './terminals';

/** `badges`: the terminal's printing, for the badge designer's printer preview and test print (without
 *  it they answer no_badge_printer). */
export function adminModule(
  server: AdminServerClient,
  badges?: AdminBadgePrinting,
): CoreModule<AdminCall | AdminEventsCall | AdminBoxOfficeCall | AdminFormsCall | AdminImportCall | AdminTerminalsCall | AdminPointsCall | AdminBadgesCall | AdminKioskCall> {
  return {
    name: 'admin',
    handlers: {
      'admin.status': (_i, ctx) => server.status(ctx.sessionId),
      'admin.operators.list': async (_i, ctx) => (await server.request(ctx.sessionId, 'GET', '/admin/v1/operators', undefined, StaffListResponse)).operators,
      'admin.operators.create': async (input, ctx): Promise<StaffChange> => {
        const reply = await server.request(ctx.sessionId, 'POST', '/admin/v1/operators', { operators: [input] }, CreatedOperatorsResponse);
        return reply.operators[0]!;
      },
      'admin.operators.update': async ({ operatorId, ...patch }, ctx): Promise<StaffChange> =>
        (await server.request(ctx.sessionId, 'PATCH', `/admin/v1/operators/${operatorId}`, patch, UpdatedOperatorResponse)).operator,
      ...adminEventsHandlers(server),
      ...terminalsHandlers(server),
      ...pointsHandlers(server),
      ...adminImportHandlers(server),
      ...adminFormsHandlers(server),
      ...adminBoxOfficeHandlers(server),
      ...adminBadgesHandlers(server, badges),
      ...adminKioskHandlers(server),
    },
    close: () => server.close(),
  };
}
