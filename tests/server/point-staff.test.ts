// Who may serve a check-in point: the organizer names operators and terminals (PUT
// /admin/v1/points/:id/staff); the server refuses a claim and, one by one, pushed check-ins from a
// terminal not named (forbidden_point); a real terminal core lists and accepts only the points its
// signed-in operator and itself may serve (point_not_allowed).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/core';
import type { AdminEvent } from '../../domain/wire';
import { type AdmitServer } from '../../server/src/app';
import { loginAs } from '../helpers/login';
import { waitFor } from '../helpers/wait';
import { type Backend, call, createTestEvent, expectError, makeServer, openBackend, pairTerminal, sell, uuidv7 } from './harness';

const quiet = { warn: () => undefined, error: () => undefined };
const ADMIN = 'test-admin-token';
let backend: Backend;
let server: AdmitServer;
let url: string;
let work: string;
let core: Core;
let event: AdminEvent;
let a: { deviceId: string; token: string };
let b: { deviceId: string; token: string };
let staffed: string;
let open: string;

const putStaff = (pointId: string, body: unknown) =>
  server.app.inject({
    method: 'PUT',
    url: `/admin/v1/points/${pointId}/staff`,
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json', 'x-admit-request-id': uuidv7() },
    payload: JSON.stringify(body),
  });

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'admit-staff-'));
  backend = await openBackend('PGlite');
  server = makeServer(backend);
  url = (await server.listen({ host: '127.0.0.1', port: 0 })).url;
  a = await pairTerminal(server, 'Gate A');
  b = await pairTerminal(server, 'Gate B');
  event = await createTestEvent(server, [{ priceMinor: 0, capacity: null }]);
  staffed = (await server.admin.createPoint(event.id, { name: { en: 'VIP door' }, direction: 'entry', reentry: 'single' })).id;
  open = (await server.admin.createPoint(event.id, { name: { en: 'Main door' }, direction: 'entry', reentry: 'single' })).id;
}, 300_000);

afterAll(async () => {
  await core?.close();
  await server?.close();
  await backend?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('point staff', () => {
  it('stores and lists who may serve a point, refusing unknown operators or terminals and changing nothing', async () => {
    const res = await putStaff(staffed, { operatorIds: [], deviceIds: [a.deviceId] });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ pointId: staffed, operatorIds: [], deviceIds: [a.deviceId] });
    const bad = await putStaff(staffed, { operatorIds: [], deviceIds: [a.deviceId, uuidv7()] });
    expect(bad.statusCode).toBe(404);
    expect((await call(server.app, 'GET', `/admin/v1/points/${staffed}/staff`, { token: ADMIN })).json.deviceIds).toEqual([a.deviceId]);
    const points = await server.admin.listPoints(event.id);
    expect(points.find((p) => p.id === staffed)).toMatchObject({ deviceIds: [a.deviceId], operatorIds: [] });
    expect(points.find((p) => p.id === open)).toMatchObject({ deviceIds: [], operatorIds: [] });
    // Without a request id (a mutating call) it is refused like every other admin write.
    const noId = await server.app.inject({
      method: 'PUT',
      url: `/admin/v1/points/${staffed}/staff`,
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ operatorIds: [], deviceIds: [] }),
    });
    expect(noId.statusCode).toBe(400);
    expect((await call(server.app, 'GET', `/admin/v1/points/${staffed}/staff`, { token: ADMIN })).json.deviceIds).toEqual([a.deviceId]);
  });

  it('refuses a claim at the point from a terminal not named there, and accepts it from the named one', async () => {
    const [t1, t2] = (await sell(server, a.token, event.id, event.ticketTypes[0]!.id, 2)).tickets;
    const at = new Date().toISOString();
    const claim = (token: string, ticketId: string, pointId: string) =>
      call(server.app, 'POST', '/v1/checkins/claim', { token, body: { checkinId: uuidv7(), ticketId, at, pointId, direction: 'entry' } });
    expectError(await claim(b.token, t1!.id, staffed), 403, 'forbidden_point');
    expect((await claim(b.token, t1!.id, open)).json.status).toBe('accepted');
    expect((await claim(a.token, t2!.id, staffed)).json.status).toBe('accepted');
    // Nothing was written for the refused claim.
    expect((await server.admin.listCheckins({ ticketId: t1!.id })).map((c) => c.pointId)).toEqual([open]);
  });

  it('refuses pushed check-ins at the point one by one, keeping the rest of the batch', async () => {
    const [t1, t2] = (await sell(server, a.token, event.id, event.ticketTypes[0]!.id, 2)).tickets;
    const at = new Date().toISOString();
    const refused = { id: uuidv7(), kind: 'checkin', ticketId: t1!.id, at, pointId: staffed, direction: 'entry' };
    const kept = { id: uuidv7(), kind: 'checkin', ticketId: t2!.id, at, pointId: open, direction: 'entry' };
    const res = await call(server.app, 'POST', '/v1/push', { token: b.token, body: { records: [refused, kept] } });
    expect(res.status).toBe(200);
    expect(res.json.results[0]).toMatchObject({ id: refused.id, status: 'invalid' });
    expect(res.json.results[0].detail).toMatch(/^forbidden_point/);
    expect(res.json.results[1]).toMatchObject({ id: kept.id, status: 'accepted' });
    expect(await server.admin.listCheckins({ ticketId: t1!.id })).toEqual([]);
  });

  it('a terminal lists and accepts only the points its operator and itself may serve', async () => {
    const [alice, bob] = await server.admin.createOperators([
      { name: 'Alice', role: 'gate', pin: '246810' },
      { name: 'Bob', role: 'gate', pin: '135791' },
    ]);
    core = await createCore({ dataDir: join(work, 'gate'), migrationsFolder: 'migrations/local', shell: 'service', demo: false, version: 't', logger: quiet, modes: ['gate'] });
    await core.sync.pair(url, (await server.admin.createPairingCode({ eventIds: [event.id] })).code, 'Gate C');
    core.sync.start();
    await waitFor(() => core.sync.isOnline, 20_000, 'terminal online');
    // The VIP door: only Alice, and only on this terminal.
    const res = await putStaff(staffed, { operatorIds: [alice!.id], deviceIds: [core.sync.deviceId!] });
    expect(res.statusCode).toBe(200);
    await waitFor(() => core.cache.point(staffed)?.operatorIds.length === 1, 20_000, 'staff lists to reach the terminal');
    expect(core.cache.point(staffed)).toMatchObject({ operatorIds: [alice!.id], deviceIds: [core.sync.deviceId] });

    expect((await loginAs(core, 'bob', { name: 'Bob' }, '135791')).ok).toBe(true);
    const pointIds = async (session: string) => {
      const listed = await core.dispatch(session, 'gate.points', {});
      if (!listed.ok) throw new Error(`gate.points failed: ${JSON.stringify(listed.error)}`);
      return (listed.value as { points: { id: string }[] }).points.map((p) => p.id).sort();
    };
    expect(await pointIds('bob')).toEqual([open]);

    expect((await loginAs(core, 'alice', { name: 'Alice' }, '246810')).ok).toBe(true);
    expect(await pointIds('alice')).toEqual([staffed, open].sort());

    // Choosing the point (a manager's call) is refused for an operator not allowed there.
    const refused = (() => {
      try {
        core.gate.setPoint(staffed, bob!.id);
        return null;
      } catch (e) {
        return (e as { code?: string }).code;
      }
    })();
    expect(refused).toBe('point_not_allowed');
    expect(core.gate.setPoint(staffed, alice!.id).id).toBe(staffed);
    // With the VIP door chosen, Bob's scans go to a point he may serve, never to the VIP door.
    expect(core.gate.currentPoint(bob!.id).row?.id).toBe(open);
    expect(core.gate.currentPoint(alice!.id).row?.id).toBe(staffed);
    // The organizer closes the main door to this terminal: Bob has no point left and his scans are refused.
    expect((await putStaff(open, { operatorIds: [], deviceIds: [a.deviceId] })).statusCode).toBe(200);
    await waitFor(() => core.cache.point(open)?.deviceIds.length === 1, 20_000, 'main door closed to this terminal');
    const [t] = (await sell(server, a.token, event.id, event.ticketTypes[0]!.id, 1)).tickets;
    const scan = await core.dispatch('bob', 'gate.scan', { code: t!.code });
    expect(scan).toMatchObject({ ok: false, error: { code: 'point_not_allowed' } });
    const admitted = await core.dispatch('alice', 'gate.scan', { code: t!.code });
    expect(admitted).toMatchObject({ ok: true, value: { admitted: true, pointId: staffed } });
  });
});
