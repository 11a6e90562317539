// Admin sessions at the server (PGlite in process): an admin operator opens one at a paired device with
// their PIN, which the server checks and counts; the admin API then takes the device's token plus the
// session, and nothing else — another device's session, a revoked device, an expired or idle session, a
// non-admin, a disabled operator are each refused with a clear code. Every admin action names its actor
// in the server's trail; the admin token keeps working as before; the last active admin stays.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDetail } from '../../domain/audit';
import { ADMIN_SESSION_HEADER } from '../../server/src/admin/sessions-schemas';
import { ADMIN_SESSION_ABSOLUTE_MS, ADMIN_SESSION_IDLE_MS } from '../../server/src/admin/sessions';
import type { AdmitServer } from '../../server/src/app';
import { REQUEST_ID_HEADER } from '../../domain/wire';
import { type Backend, call, expectError, makeServer, openBackend, pairTerminal, TestClock, uuidv7 } from './harness';

const ADMIN = 'test-admin-token';

describe('admin sessions bound to a paired device', () => {
  let backend: Backend;
  let server: AdmitServer;
  const clock = new TestClock();
  let adminId: string;
  let otherAdminId: string;
  let cashierId: string;
  const devices: Record<string, { deviceId: string; token: string }> = {};

  beforeAll(async () => {
    backend = await openBackend('PGlite');
    server = makeServer(backend, { now: clock.now });
    await server.app.ready();
    const ops = await server.admin.createOperators([
      { name: 'Ada Admin', role: 'admin', pin: '24681357' },
      { name: 'Bo Admin', role: 'admin', pin: '13572468' },
      { name: 'Cy Cashier', role: 'cashier', pin: '112233' },
    ]);
    [adminId, otherAdminId, cashierId] = ops.map((o) => o.id) as [string, string, string];
    // Paired before the tests move the clock (pairing codes and request ids follow it).
    for (const name of ['Admin desk', 'Lockout desk', 'Desk A', 'Desk B', 'Staff desk']) devices[name] = await pairTerminal(server, name);
  }, 300_000);

  afterAll(async () => {
    await server?.close();
    await backend?.close();
  });

  // Request ids on the server's (moved) clock, as a terminal makes them.
  const rid = () => uuidv7({ msecs: clock.now().getTime() });
  const open = (deviceToken: string, operatorId: string, pin: string) =>
    call(server.app, 'POST', '/v1/admin-sessions', { token: deviceToken, body: { operatorId, pin }, requestId: rid() });
  const asOperator = (deviceToken: string, session: string, method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown) =>
    call(server.app, method, url, { token: deviceToken, headers: { [ADMIN_SESSION_HEADER]: session }, requestId: rid(), ...(body !== undefined ? { body } : {}) });
  const serverTrail = async () =>
    (await call(server.app, 'GET', '/admin/v1/audit?chain=server&limit=1000', { token: ADMIN })).json.entries as Array<{
      action: string;
      subject: string | null;
      detail: string;
      operatorId: string | null;
      deviceId: string | null;
    }>;

  it('opens a session with the right PIN; the admin API then answers the device plus the session', async () => {
    const dev = devices['Admin desk']!;
    const opened = await open(dev.token, adminId, '24681357');
    expect(opened.status).toBe(200);
    expect(opened.json.token).toMatch(/^[\w-]{43}$/);
    expect(Date.parse(opened.json.expiresAt)).toBeGreaterThan(clock.now().getTime());

    const list = await asOperator(dev.token, opened.json.token, 'GET', '/admin/v1/operators');
    expect(list.status).toBe(200);
    const names = list.json.operators.map((o: { name: string }) => o.name);
    expect(names).toEqual(expect.arrayContaining(['Ada Admin', 'Bo Admin', 'Cy Cashier']));
    for (const o of list.json.operators) expect(Object.keys(o).sort()).toEqual(['active', 'createdAt', 'id', 'name', 'role']);

    // A write through the session is recorded with its actor.
    const created = await asOperator(dev.token, opened.json.token, 'POST', '/admin/v1/operators', {
      operators: [{ name: 'Dee Gate', role: 'gate', pin: '445566' }],
    });
    expect(created.status).toBe(200);
    const trail = await serverTrail();
    const entry = trail.find((e) => e.action === 'operators_created' && parseDetail(e.detail).ids === created.json.operators[0].id);
    expect(entry).toBeDefined();
    expect(parseDetail(entry!.detail)).toMatchObject({ actor: 'operator', operatorId: adminId, deviceId: dev.deviceId });
    expect(entry).toMatchObject({ operatorId: adminId, deviceId: dev.deviceId });
    expect(trail.find((e) => e.action === 'admin_session_opened')).toMatchObject({ operatorId: adminId, deviceId: dev.deviceId });
    expect(JSON.stringify(trail)).not.toContain('24681357');
    expect(JSON.stringify(trail)).not.toContain(opened.json.token);

    // The admin token still works, and is named as the actor.
    const byToken = await call(server.app, 'POST', '/admin/v1/operators', { token: ADMIN, body: { operators: [{ name: 'Eve Badge', role: 'badge', pin: '778899' }] } });
    expect(byToken.status).toBe(200);
    const tokenEntry = (await serverTrail()).find((e) => e.action === 'operators_created' && parseDetail(e.detail).ids === byToken.json.operators[0].id);
    expect(parseDetail(tokenEntry!.detail)).toMatchObject({ actor: 'admin_token' });
    expect(tokenEntry).toMatchObject({ operatorId: null, deviceId: null });

    // Closing ends it.
    const closed = await server.app.inject({ method: 'DELETE', url: '/v1/admin-sessions/current', headers: { authorization: `Bearer ${dev.token}`, [ADMIN_SESSION_HEADER]: opened.json.token, [REQUEST_ID_HEADER]: rid() } });
    expect(closed.statusCode).toBe(200);
    expect(JSON.parse(closed.body)).toEqual({ closed: true });
    expectError(await asOperator(dev.token, opened.json.token, 'GET', '/admin/v1/operators'), 401, 'admin_session_ended');
    expect((await serverTrail()).some((e) => e.action === 'admin_session_closed' && e.operatorId === adminId)).toBe(true);
  }, 300_000);

  it('refuses a non-admin, a wrong PIN (counted) and locks the operator with the terminal rule', async () => {
    const dev = devices['Lockout desk']!;
    expectError(await open(dev.token, cashierId, '112233'), 403, 'forbidden');
    // The cashier's own device token with a made-up session header gets nothing either.
    expectError(await asOperator(dev.token, 'x'.repeat(43), 'POST', '/admin/v1/operators', { operators: [{ name: 'Nope', role: 'admin', pin: '999999' }] }), 401, 'admin_session_ended');
    expectError(await call(server.app, 'POST', '/v1/admin-sessions', { body: { operatorId: adminId, pin: '24681357' } }), 401, 'unauthorized');

    for (let i = 1; i <= 3; i++) expectError(await open(dev.token, otherAdminId, '00000000'), 401, 'bad_pin');
    // The third wrong PIN in a row makes the next attempt wait: even the right PIN is not heard.
    expectError(await open(dev.token, otherAdminId, '13572468'), 429, 'operator_locked');
    clock.advance(2_000);
    expect((await open(dev.token, otherAdminId, '13572468')).status).toBe(200);

    // Ten in a row: locked for 30 minutes.
    for (let i = 1; i <= 10; i++) {
      expectError(await open(dev.token, otherAdminId, '00000000'), 401, 'bad_pin');
      clock.advance(61_000);
    }
    expectError(await open(dev.token, otherAdminId, '13572468'), 429, 'operator_locked');
    clock.advance(27 * 60_000);
    expectError(await open(dev.token, otherAdminId, '13572468'), 429, 'operator_locked');
    clock.advance(3 * 60_000);
    expect((await open(dev.token, otherAdminId, '13572468')).status).toBe(200);

    const trail = await serverTrail();
    const refused = trail.filter((e) => e.action === 'admin_session_refused' && e.subject === otherAdminId);
    expect(refused.length).toBe(13);
    expect(Math.max(...refused.map((e) => Number(parseDetail(e.detail).failures)))).toBe(10);
    expect(trail.filter((e) => e.action === 'admin_session_locked' && e.subject === otherAdminId).length).toBe(3);
    expect(trail.some((e) => e.action === 'admin_session_refused' && parseDetail(e.detail).reason === 'not_admin')).toBe(true);
  }, 300_000);

  it("refuses another device's session, a revoked device, an idle or expired session", async () => {
    const a = devices['Desk A']!;
    const b = devices['Desk B']!;
    const s = (await open(a.token, adminId, '24681357')).json.token as string;
    expect((await asOperator(a.token, s, 'GET', '/admin/v1/operators')).status).toBe(200);
    expectError(await asOperator(b.token, s, 'GET', '/admin/v1/operators'), 401, 'admin_session_ended');
    // Without the device token the session is nothing; with the admin token's place taken by a session: nothing.
    expectError(await call(server.app, 'GET', '/admin/v1/operators', { headers: { [ADMIN_SESSION_HEADER]: s } }), 401, 'unauthorized');

    // Used within the idle time it slides; unused for longer it ends.
    clock.advance(ADMIN_SESSION_IDLE_MS - 60_000);
    expect((await asOperator(a.token, s, 'GET', '/admin/v1/operators')).status).toBe(200);
    clock.advance(ADMIN_SESSION_IDLE_MS - 60_000);
    expect((await asOperator(a.token, s, 'GET', '/admin/v1/operators')).status).toBe(200);
    clock.advance(ADMIN_SESSION_IDLE_MS + 1000);
    expectError(await asOperator(a.token, s, 'GET', '/admin/v1/operators'), 401, 'admin_session_ended');

    // The absolute end holds however often it is used.
    const long = (await open(a.token, adminId, '24681357')).json.token as string;
    for (let t = 0; t < ADMIN_SESSION_ABSOLUTE_MS; t += ADMIN_SESSION_IDLE_MS - 60_000) {
      clock.advance(ADMIN_SESSION_IDLE_MS - 60_000);
      if (t + ADMIN_SESSION_IDLE_MS - 60_000 >= ADMIN_SESSION_ABSOLUTE_MS) break;
      expect((await asOperator(a.token, long, 'GET', '/admin/v1/operators')).status).toBe(200);
    }
    expectError(await asOperator(a.token, long, 'GET', '/admin/v1/operators'), 401, 'admin_session_ended');

    const live = (await open(a.token, adminId, '24681357')).json.token as string;
    expect((await call(server.app, 'POST', `/admin/v1/devices/${a.deviceId}/revoke`, { token: ADMIN, requestId: rid() })).status).toBe(200);
    expectError(await asOperator(a.token, live, 'GET', '/admin/v1/operators'), 401, 'token_revoked');
  }, 300_000);

  it('disabling an admin ends their sessions; the last active admin cannot be disabled or demoted', async () => {
    const dev = devices['Staff desk']!;
    const ada = (await open(dev.token, adminId, '24681357')).json.token as string;
    const bo = (await open(dev.token, otherAdminId, '13572468')).json.token as string;
    // Bo disables Ada: Ada's session ends at once.
    const disabled = await asOperator(dev.token, bo, 'PATCH', `/admin/v1/operators/${adminId}`, { active: false });
    expect(disabled.status).toBe(200);
    expectError(await asOperator(dev.token, ada, 'GET', '/admin/v1/operators'), 401, 'admin_session_ended');
    expectError(await open(dev.token, adminId, '24681357'), 403, 'forbidden');
    const updated = (await serverTrail()).find((e) => e.action === 'operator_updated' && e.subject === adminId);
    expect(parseDetail(updated!.detail)).toMatchObject({ actor: 'operator', operatorId: otherAdminId, active: false, fields: 'active' });

    // Bo is now the last active admin: neither disabling nor demoting himself goes through, and nothing changes.
    expectError(await asOperator(dev.token, bo, 'PATCH', `/admin/v1/operators/${otherAdminId}`, { active: false }), 409, 'last_admin');
    expectError(await asOperator(dev.token, bo, 'PATCH', `/admin/v1/operators/${otherAdminId}`, { role: 'manager' }), 409, 'last_admin');
    expectError(await call(server.app, 'PATCH', `/admin/v1/operators/${otherAdminId}`, { token: ADMIN, body: { active: false }, requestId: rid() }), 409, 'last_admin');
    const list = (await asOperator(dev.token, bo, 'GET', '/admin/v1/operators')).json.operators as Array<{ id: string; role: string; active: boolean }>;
    expect(list.find((o) => o.id === otherAdminId)).toMatchObject({ role: 'admin', active: true });

    // Re-enabled, Ada can sign in again; a demoted admin's session ends.
    expect((await asOperator(dev.token, bo, 'PATCH', `/admin/v1/operators/${adminId}`, { active: true })).status).toBe(200);
    const ada2 = (await open(dev.token, adminId, '24681357')).json.token as string;
    expect((await asOperator(dev.token, bo, 'PATCH', `/admin/v1/operators/${adminId}`, { role: 'manager' })).status).toBe(200);
    expectError(await asOperator(dev.token, ada2, 'GET', '/admin/v1/operators'), 401, 'admin_session_ended');
  }, 300_000);
});
