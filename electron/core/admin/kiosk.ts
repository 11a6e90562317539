// Owns admin mode's kiosk-settings calls in the core: reading and saving one event's self-service kiosk
// settings — each one typed request to the server's admin API through this UI's admin session, its reply
// parsed with the contract's own shape. The server refuses what its own schema refuses and audits a save.
import type { AdminKioskCall } from '../../contract';
import { KioskSettings } from '../../contract/features/admin-kiosk';
import type { CoreModule } from '../dispatcher';
import type { AdminServerClient } from './server-client';

export function adminKioskHandlers(server: AdminServerClient): CoreModule<AdminKioskCall>['handlers'] {
  return {
    'admin.kiosk.settings': ({ eventId }, ctx) =>
      server.request(ctx.sessionId, 'GET', `/admin/v1/events/${eventId}/kiosk-settings`, undefined, KioskSettings),
    'admin.kiosk.saveSettings': ({ eventId, ...settings }, ctx) =>
      server.request(ctx.sessionId, 'PUT', `/admin/v1/events/${eventId}/kiosk-settings`, settings, KioskSettings),
  };
}
