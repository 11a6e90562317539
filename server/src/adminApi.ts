// Owns the organizer's operations as one in-process API (used by main.ts, tests and the /admin/v1 routes):
// every mutation that touches replicated rows pokes the connected terminals.
import type { z } from 'zod';
import {
  type CheckinListItem,
  CheckinsQuery,
  CreateEventRequest,
  type AdminEvent,
  type DeviceInfo,
  type OperatorRow,
} from '../protocol';
import type { ServerContext } from './context';
import { parseOr400 } from './errors';
import { listCheckins } from './services/checkins';
import { seedDemo, type SeedDemoOptions, type SeedDemoResult } from './services/demo';
import { createPairingCode, listDevices, revokeDevice } from './services/devices';
import { createEvent, listEvents } from './services/events';
import { createOperators, type NewOperator } from './services/operators';
import { operatorRow } from './services/rows';

export interface AdminApi {
  /** A one-time code (XXXX-XXXX) a terminal pairs with within PAIRING_CODE_TTL_MS. */
  createPairingCode(): Promise<{ code: string; expiresAt: string }>;
  seedDemo(options?: SeedDemoOptions): Promise<SeedDemoResult>;
  createEvent(input: z.input<typeof CreateEventRequest>): Promise<AdminEvent>;
  listEvents(): Promise<AdminEvent[]>;
  createOperators(operators: NewOperator[]): Promise<z.infer<typeof OperatorRow>[]>;
  listDevices(): Promise<z.infer<typeof DeviceInfo>[]>;
  /** Revokes the device's token and closes its WebSocket. */
  revokeDevice(deviceId: string): Promise<z.infer<typeof DeviceInfo>>;
  listCheckins(query?: z.input<typeof CheckinsQuery>): Promise<CheckinListItem[]>;
}

export function createAdminApi(ctx: ServerContext, log: { info(obj: object, msg: string): void }): AdminApi {
  return {
    async createPairingCode() {
      const created = await createPairingCode(ctx.db, ctx.now());
      // The one moment a pairing code may appear in a log: the organizer has to read it off somewhere.
      log.info({ pairingCode: created.code, expiresAt: created.expiresAt }, 'pairing code created');
      return created;
    },
    async seedDemo(options) {
      const result = await seedDemo(ctx.db, options, ctx.now());
      if (result.created) ctx.hub.poke(result.seq);
      return result;
    },
    async createEvent(input) {
      const created = await createEvent(ctx.db, parseOr400(CreateEventRequest, input));
      ctx.hub.poke(created.seq);
      return created.event;
    },
    listEvents: () => listEvents(ctx.db),
    async createOperators(operators) {
      const rows = await createOperators(ctx.db, operators);
      ctx.hub.poke(Math.max(0, ...rows.map((r) => r.seq)));
      return rows.map(operatorRow);
    },
    listDevices: () => listDevices(ctx.db),
    async revokeDevice(deviceId) {
      const device = await revokeDevice(ctx.db, deviceId, ctx.now());
      ctx.lastSeenWrites.delete(deviceId);
      ctx.hub.disconnectDevice(deviceId);
      return device;
    },
    listCheckins: (query = {}) => listCheckins(ctx.db, parseOr400(CheckinsQuery, query)),
  };
}
