// Owns the organizer's HTTP API (/admin/v1), guarded by the admin token. Each route is a thin shell over
// the same AdminApi the in-process caller (main.ts, tests) uses.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { Uuid } from '../../../domain/wire';
import {
  AdminCheckinsQuery,
  ConflictsQuery,
  CreateEventInput,
  CreateOperatorsRequest,
  CreatePointRequest,
  FailedScansQuery,
  ShiftReportsQuery,
  RevokeTicketRequest,
  RotateKeysRequest,
  UpdateOperatorRequest,
  SetDeviceEventsRequest,
  UpdatePointRequest,
  UpdateSettingsRequest,
} from '../adminSchemas';
import type { AdminApi } from '../adminApi';
import { pairingQr } from '../admin/terminals';
import { PairingCodeQrRequest } from '../admin/terminals-schemas';
import { requestOrigin } from './admin-terminals';
import { AuditBreaksQuery, AuditEntriesQuery, AuditVerifyQuery } from '../services/audit';
import type { ServerContext } from '../context';
import { parseOr400 } from '../errors';
import { adminAuth, requestIdGuard } from './guards';

const IdParams = z.object({ id: Uuid });

export function adminRoutes(ctx: ServerContext, admin: AdminApi) {
  return async (app: FastifyInstance): Promise<void> => {
    app.addHook('onRequest', adminAuth(ctx));
    app.addHook('preHandler', requestIdGuard(ctx));
    const idOf = (params: unknown) => parseOr400(IdParams, params).id;
    // Bodies of actions with only optional options may be left out entirely.
    const bodyOf = (body: unknown) => body ?? {};

    // With the QR code of the pairing (admin/terminals.ts): its URI names this server's address.
    app.post('/admin/v1/pairing-codes', async (request) => {
      const { serverUrl, ...options } = parseOr400(PairingCodeQrRequest, bodyOf(request.body));
      const created = await admin.createPairingCode(options);
      return { ...created, ...(await pairingQr(serverUrl ?? requestOrigin(request), created.code)) };
    });

    app.get('/admin/v1/devices', async () => ({ devices: await admin.listDevices() }));

    app.post('/admin/v1/devices/:id/revoke', async (request) => ({ device: await admin.revokeDevice(idOf(request.params)) }));

    app.post('/admin/v1/operators', async (request) => {
      const body = parseOr400(CreateOperatorsRequest, request.body);
      const rows = await admin.createOperators(body.operators);
      return { operators: rows.map(({ id, name, role, active }) => ({ id, name, role, active })) };
    });

    app.patch('/admin/v1/operators/:id', async (request) => {
      const body = parseOr400(UpdateOperatorRequest, request.body);
      return { operator: await admin.updateOperator(idOf(request.params), body) };
    });

    app.post('/admin/v1/devices/:id/events', async (request) => {
      const body = parseOr400(SetDeviceEventsRequest, request.body);
      return { device: await admin.setDeviceEvents(idOf(request.params), body.eventIds) };
    });

    app.get('/admin/v1/settings', async () => ({ settings: await admin.settings() }));

    app.patch('/admin/v1/settings', async (request) => {
      const body = parseOr400(UpdateSettingsRequest, request.body);
      return { settings: await admin.updateSettings(body) };
    });

    app.get('/admin/v1/checkins', async (request) => {
      const query = parseOr400(AdminCheckinsQuery, request.query);
      return { checkins: await admin.listCheckins(query) };
    });

    app.post('/admin/v1/events', async (request) => {
      const body = parseOr400(CreateEventInput, request.body);
      return { event: await admin.createEvent(body) };
    });

    app.get('/admin/v1/events', async () => ({ events: await admin.listEvents() }));

    app.post('/admin/v1/events/:id/points', async (request) => {
      const body = parseOr400(CreatePointRequest, request.body);
      return { point: await admin.createPoint(idOf(request.params), body) };
    });

    app.get('/admin/v1/events/:id/points', async (request) => ({ points: await admin.listPoints(idOf(request.params)) }));

    app.patch('/admin/v1/points/:id', async (request) => {
      const body = parseOr400(UpdatePointRequest, request.body);
      return { point: await admin.updatePoint(idOf(request.params), body) };
    });

    app.post('/admin/v1/events/:id/keys/rotate', async (request) => {
      const body = parseOr400(RotateKeysRequest, bodyOf(request.body));
      return { keys: await admin.rotateEventKey(idOf(request.params), body) };
    });

    app.get('/admin/v1/events/:id/keys', async (request) => ({ keys: await admin.listEventKeys(idOf(request.params)) }));

    app.post('/admin/v1/tickets/:id/revoke', async (request) => {
      const body = parseOr400(RevokeTicketRequest, bodyOf(request.body));
      return admin.revokeTicket(idOf(request.params), body);
    });

    app.get('/admin/v1/conflicts', async (request) => {
      const query = parseOr400(ConflictsQuery, request.query);
      return { conflicts: await admin.listConflicts(query) };
    });

    app.get('/admin/v1/failed-scans', async (request) => {
      const query = parseOr400(FailedScansQuery, request.query);
      return { failedScans: await admin.listFailedScans(query) };
    });

    app.get('/admin/v1/shift-reports', async (request) => ({ shiftReports: await admin.listShiftReports(parseOr400(ShiftReportsQuery, request.query)) }));

    app.get('/admin/v1/audit', async (request) => ({ entries: await admin.listAuditEntries(parseOr400(AuditEntriesQuery, request.query)) }));

    app.get('/admin/v1/audit/breaks', async (request) => ({ breaks: await admin.listAuditBreaks(parseOr400(AuditBreaksQuery, request.query)) }));

    app.get('/admin/v1/audit/chains', async () => ({ chains: await admin.listAuditChains() }));

    app.get('/admin/v1/audit/verify', async (request) => admin.verifyAuditChain(parseOr400(AuditVerifyQuery, request.query).chain));
  };
}
