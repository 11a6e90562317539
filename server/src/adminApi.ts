// Owns the organizer's operations as one in-process API (used by main.ts, tests and the /admin/v1 routes):
// every mutation that touches replicated rows pokes the connected terminals, and every mutation is
// recorded in the server's own audit chain once it is done.
import type { z } from 'zod';
import {
  type AdminEvent,
  type CheckInPointRow,
  type DeviceInfo,
  type EventKeyRow,
  type OperatorRow,
} from '../../domain/wire';
import {
  type AdminOperator,
  type AdminCheckinListItem,
  AdminCheckinsQuery,
  type ConflictItem,
  ConflictsQuery,
  CreateEventInput,
  CreatePairingCodeRequest,
  CreatePointRequest,
  type FailedScanItem,
  FailedScansQuery,
  type ShiftReportItem,
  ShiftReportsQuery,
  RevokeTicketRequest,
  RotateKeysRequest,
  UpdateOperatorRequest,
  type ServerSettings,
  SetDeviceEventsRequest,
  UpdatePointRequest,
  UpdateSettingsRequest,
} from './adminSchemas';
import type { ServerContext } from './context';
import { parseOr400 } from './errors';
import {
  AuditBreaksQuery,
  AuditEntriesQuery,
  listAuditBreaks,
  listAuditChains,
  listAuditEntries,
  recordServerAction,
  verifyStoredChain,
  type AuditBreakItem,
  type AuditChainItem,
  type StoredAuditEntry,
} from './services/audit';
import { listCheckins, listConflicts, listFailedScans } from './services/checkins';
import { listShiftReports } from './services/shifts';
import { seedDemo, type SeedDemoOptions, type SeedDemoResult } from './services/demo';
import { setDeviceEvents } from './services/deviceEvents';
import { createPairingCode, listDevices, revokeDevice } from './services/devices';
import { createEvent, listEvents } from './services/events';
import { listKeys, rotateKeys } from './services/keys';
import { createOperators, updateOperator, type NewOperator } from './services/operators';
import { createPoint, listPoints, updatePoint } from './services/points';
import { operatorRow } from './services/rows';
import { purgePersonalData, type PurgeResult, readSettings, updateSettings } from './services/retention';
import { revokeTicket, type RevokedTicket } from './services/tickets';

export interface AdminApi {
  /** A one-time code (XXXX-XXXX) a terminal pairs with within PAIRING_CODE_TTL_MS; the device serves
   *  `eventIds`, or every event that has not ended yet when none are named. */
  createPairingCode(options?: z.input<typeof CreatePairingCodeRequest>): Promise<{ code: string; expiresAt: string; eventIds: string[] }>;
  /** Replaces the events a device serves (its terminal rebuilds its cache on the next pull). */
  setDeviceEvents(deviceId: string, eventIds: string[]): Promise<z.infer<typeof DeviceInfo>>;
  settings(): Promise<ServerSettings>;
  updateSettings(patch: z.input<typeof UpdateSettingsRequest>): Promise<ServerSettings>;
  /** Erases attendees' personal data of events past the retention now (also run by the housekeeping timer). */
  purgePersonalData(): Promise<Omit<PurgeResult, 'seq'>>;
  seedDemo(options?: SeedDemoOptions): Promise<SeedDemoResult>;
  /** Also mints the event's short number, ID-hash salt and first signing key. */
  createEvent(input: z.input<typeof CreateEventInput>): Promise<AdminEvent>;
  listEvents(): Promise<AdminEvent[]>;
  /** A PIN shorter than its role needs (domain/pins.ts) refuses the whole batch with a 400. */
  createOperators(operators: NewOperator[]): Promise<z.infer<typeof OperatorRow>[]>;
  updateOperator(operatorId: string, patch: z.input<typeof UpdateOperatorRequest>): Promise<AdminOperator>;
  listDevices(): Promise<z.infer<typeof DeviceInfo>[]>;
  /** Revokes the device's token and closes its WebSocket. */
  revokeDevice(deviceId: string): Promise<z.infer<typeof DeviceInfo>>;
  /** Newest first; annulled check-ins are listed too (status 'annulled'). */
  listCheckins(query?: z.input<typeof AdminCheckinsQuery>): Promise<AdminCheckinListItem[]>;
  createPoint(eventId: string, input: z.input<typeof CreatePointRequest>): Promise<CheckInPointRow>;
  updatePoint(pointId: string, patch: z.input<typeof UpdatePointRequest>): Promise<CheckInPointRow>;
  listPoints(eventId: string): Promise<CheckInPointRow[]>;
  /** A new signing key for the event; returns all its keys (public halves). */
  rotateEventKey(eventId: string, options?: z.input<typeof RotateKeysRequest>): Promise<z.infer<typeof EventKeyRow>[]>;
  listEventKeys(eventId: string): Promise<z.infer<typeof EventKeyRow>[]>;
  /** Writes a revocation row and sets the ticket's status to revoked (idempotent). */
  revokeTicket(ticketId: string, options?: z.input<typeof RevokeTicketRequest>): Promise<Omit<RevokedTicket, 'seq'>>;
  /** The double-admission report, newest first. */
  listConflicts(query?: z.input<typeof ConflictsQuery>): Promise<ConflictItem[]>;
  listFailedScans(query?: z.input<typeof FailedScansQuery>): Promise<FailedScanItem[]>;
  /** The box offices' shift reports (X and Z), newest first. */
  listShiftReports(query?: z.input<typeof ShiftReportsQuery>): Promise<ShiftReportItem[]>;
  /** Audit entries: one chain's newest first (`chain`: a device id, or 'server'), or all by arrival. */
  listAuditEntries(query?: z.input<typeof AuditEntriesQuery>): Promise<StoredAuditEntry[]>;
  /** Breaks flagged in the chains (gaps, wrong hashes, rewritten entries), newest first. */
  listAuditBreaks(query?: z.input<typeof AuditBreaksQuery>): Promise<AuditBreakItem[]>;
  listAuditChains(): Promise<AuditChainItem[]>;
  /** Walks a stored chain again, as it is in the database now. */
  verifyAuditChain(chain: string): ReturnType<typeof verifyStoredChain>;
}

export function createAdminApi(ctx: ServerContext, log: { info(obj: object, msg: string): void }): AdminApi {
  const audit = (action: Parameters<typeof recordServerAction>[1], subject: string | null, detail: Parameters<typeof recordServerAction>[3] = {}) =>
    recordServerAction(ctx.db, action, subject, detail, ctx.now());
  return {
    async createPairingCode(options = {}) {
      const { eventIds } = parseOr400(CreatePairingCodeRequest, options);
      const created = await createPairingCode(ctx.db, ctx.now(), eventIds);
      // Never the code itself, in the trail or the log: whoever reads either could pair with it.
      await audit('pairing_code_created', null, { expiresAt: created.expiresAt, events: created.eventIds.length });
      log.info({ expiresAt: created.expiresAt, events: created.eventIds.length }, 'pairing code created');
      return created;
    },
    async setDeviceEvents(deviceId, eventIds) {
      const { eventIds: ids } = parseOr400(SetDeviceEventsRequest, { eventIds });
      const { device, seq } = await setDeviceEvents(ctx.db, deviceId, ids);
      // The terminal learns it on its next pull; the poke makes that now.
      ctx.hub.poke(seq);
      return device;
    },
    settings: () => readSettings(ctx.db, ctx.personalDataRetentionDays),
    updateSettings: async (patch) =>
      updateSettings(ctx.db, parseOr400(UpdateSettingsRequest, patch), ctx.personalDataRetentionDays),
    async purgePersonalData() {
      const { personalDataRetentionDays } = await readSettings(ctx.db, ctx.personalDataRetentionDays);
      const { seq, ...purged } = await purgePersonalData(ctx.db, ctx.now(), personalDataRetentionDays);
      ctx.hub.poke(seq);
      return purged;
    },
    async seedDemo(options) {
      const result = await seedDemo(ctx.db, await ctx.keyring(), options, ctx.now());
      if (result.created) ctx.hub.poke(result.seq);
      await audit('demo_seeded', null, { created: result.created });
      return result;
    },
    async createEvent(input) {
      const created = await createEvent(ctx.db, parseOr400(CreateEventInput, input), await ctx.keyring());
      ctx.hub.poke(created.seq);
      await audit('event_created', created.event.id, {});
      return created.event;
    },
    listEvents: () => listEvents(ctx.db),
    async createOperators(operators) {
      const rows = await createOperators(ctx.db, operators, (await ctx.keyring()).pinKey);
      ctx.hub.poke(Math.max(0, ...rows.map((r) => r.seq)));
      await audit('operators_created', null, { count: rows.length, ids: rows.map((r) => r.id).join(',').slice(0, 200) });
      return rows.map(operatorRow);
    },
    async updateOperator(operatorId, patch) {
      const parsed = parseOr400(UpdateOperatorRequest, patch);
      const row = await updateOperator(ctx.db, operatorId, parsed, (await ctx.keyring()).pinKey, ctx.now());
      ctx.hub.poke(row.seq);
      await audit('operator_updated', row.id, { fields: Object.keys(parsed).sort().join(','), role: row.role, active: row.active });
      return { id: row.id, name: row.name, role: row.role, active: row.active };
    },
    listDevices: () => listDevices(ctx.db),
    async revokeDevice(deviceId) {
      const device = await revokeDevice(ctx.db, deviceId, ctx.now());
      ctx.lastSeenWrites.delete(deviceId);
      ctx.hub.disconnectDevice(deviceId);
      await audit('device_revoked', deviceId, { name: device.name.slice(0, 200) });
      return device;
    },
    listCheckins: (query = {}) => listCheckins(ctx.db, parseOr400(AdminCheckinsQuery, query)),
    async createPoint(eventId, input) {
      const written = await createPoint(ctx.db, eventId, parseOr400(CreatePointRequest, input));
      ctx.hub.poke(written.seq);
      await audit('point_created', written.point.id, { eventId });
      return written.point;
    },
    async updatePoint(pointId, patch) {
      const parsed = parseOr400(UpdatePointRequest, patch);
      const written = await updatePoint(ctx.db, pointId, parsed);
      ctx.hub.poke(written.seq);
      await audit('point_updated', pointId, { fields: Object.keys(parsed).sort().join(',') });
      return written.point;
    },
    listPoints: (eventId) => listPoints(ctx.db, eventId),
    async rotateEventKey(eventId, options = {}) {
      const rotated = await rotateKeys(ctx.db, eventId, parseOr400(RotateKeysRequest, options), await ctx.keyring());
      ctx.hub.poke(rotated.seq);
      await audit('keys_rotated', eventId, { keys: rotated.keys.length });
      return rotated.keys;
    },
    listEventKeys: (eventId) => listKeys(ctx.db, eventId),
    async revokeTicket(ticketId, options = {}) {
      const { reason } = parseOr400(RevokeTicketRequest, options);
      const { seq, ...revoked } = await revokeTicket(ctx.db, ticketId, reason, ctx.now());
      ctx.hub.poke(seq);
      await audit('ticket_revoked', ticketId, { reason: reason === undefined ? null : reason.slice(0, 200) });
      return revoked;
    },
    listConflicts: (query = {}) => listConflicts(ctx.db, parseOr400(ConflictsQuery, query)),
    listFailedScans: (query = {}) => listFailedScans(ctx.db, parseOr400(FailedScansQuery, query)),
    listShiftReports: (query = {}) => listShiftReports(ctx.db, parseOr400(ShiftReportsQuery, query)),
    listAuditEntries: (query = {}) => listAuditEntries(ctx.db, parseOr400(AuditEntriesQuery, query)),
    listAuditBreaks: (query = {}) => listAuditBreaks(ctx.db, parseOr400(AuditBreaksQuery, query)),
    listAuditChains: () => listAuditChains(ctx.db),
    verifyAuditChain: (chain) => verifyStoredChain(ctx.db, chain),
  };
}
