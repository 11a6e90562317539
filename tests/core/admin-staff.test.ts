// Admin mode's staff management through a real core and a real server (PGlite, real HTTP): an admin who
// signs in at the terminal gets a server admin session opened with the same PIN; an operator they create
// reaches the terminal by sync and signs in there; a cashier's admin calls are refused in the core, and the
// server refuses the same request sent with the device's token and a forged session header; signing out
// ends the server session.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDetail } from '../../domain/audit';
import { ADMIN_SESSION_HEADER } from '../../domain/admin-session';
import { REQUEST_ID_HEADER } from '../../domain/wire';
import { createCore, type Core } from '../../electron/core/core';
import { createServer, type AdmitServer } from '../../server/src/app';
import { openServerDb, type ServerDbHandle } from '../../server/src/db/client';
import { loginAs } from '../helpers/login';
import { waitFor } from '../helpers/wait';
import { v7 as uuidv7 } from 'uuid';

const quiet = { warn: () => undefined, error: () => undefined };
const ADMIN_UI = 'admin-ui';
const CASHIER_UI = 'cashier-ui';

let work: string;
let db: ServerDbHandle;
let server: AdmitServer;
let serverUrl: string;
let core: Core;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'admit-admin-staff-'));
  db = await openServerDb();
  server = createServer({ db, adminToken: 'staff-admin-token' });
  serverUrl = (await server.listen({ host: '127.0.0.1', port: 0 })).url;
  await server.admin.seedDemo({ tickets: 5 });
  core = await createCore({ dataDir: join(work, 'desk'), migrationsFolder: 'migrations/local', shell: 'service', demo: false, version: 'test', logger: quiet });
  const { code } = await server.admin.createPairingCode();
  expect(await core.dispatch('setup', 'terminal.pair', { serverUrl, code, terminalName: 'Admin desk' })).toMatchObject({ ok: true });
  await waitFor(() => core.sync.isOnline, 60_000, 'the desk to be online');
  await waitFor(
    async () => {
      const r = await core.dispatch('x', 'session.operators', {});
      return r.ok && (r.value as { role: string }[]).some((o) => o.role === 'admin') && core.secrets.get('pin_key') !== null;
    },
    60_000,
    'the operators and the PIN key to sync',
  );
}, 300_000);

afterAll(async () => {
  await core?.close();
  await server?.close();
  await db?.close();
  rmSync(work, { recursive: true, force: true });
});

/** The value of a call that must have succeeded. */
function valueOf<T>(r: { ok: boolean; value?: unknown; error?: unknown }): T {
  if (!r.ok) throw new Error(`call failed: ${JSON.stringify(r.error)}`);
  return r.value as T;
}

const serverTrail = async () =>
  (await server.admin.listAuditEntries({ chain: 'server', limit: 1000 })).map((e) => ({ ...e, detailObj: parseDetail(e.detail) }));

/** A raw request to the server as the terminal would send it (its device token), with `headers`. */
async function raw(method: string, path: string, headers: Record<string, string>, body?: unknown) {
  const token = core.secrets.get('device_token')!;
  const res = await fetch(serverUrl + path, {
    method,
    headers: { authorization: `Bearer ${token}`, [REQUEST_ID_HEADER]: uuidv7(), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, json: (await res.json()) as { error?: { code: string } } };
}

describe('admin mode: staff', () => {
  it('an admin signs in, creates an operator, who then signs in at the terminal after sync', async () => {
    expect(await loginAs(core, ADMIN_UI, { role: 'admin' }, '000000')).toMatchObject({ ok: true });
    const status = await core.dispatch(ADMIN_UI, 'admin.status', {});
    expect(status).toMatchObject({ ok: true, value: { state: 'open', problem: null, online: true } });

    const created = await core.dispatch(ADMIN_UI, 'admin.operators.create', { name: 'Nia New', role: 'gate', pin: '246810' });
    expect(created).toMatchObject({ ok: true, value: { name: 'Nia New', role: 'gate', active: true } });
    const niaId = valueOf<{ id: string }>(created).id;

    const list = await core.dispatch(ADMIN_UI, 'admin.operators.list', {});
    expect(valueOf<{ id: string; name: string }[]>(list).find((o) => o.id === niaId)).toMatchObject({ name: 'Nia New', role: 'gate', active: true });
    expect(JSON.stringify(valueOf(list))).not.toMatch(/pinHash|pinSalt|pin_hash/);

    await waitFor(
      async () => {
        const r = await core.dispatch('x', 'session.operators', {});
        return r.ok && (r.value as { id: string }[]).some((o) => o.id === niaId);
      },
      60_000,
      'the new operator to reach the terminal',
    );
    expect(await loginAs(core, 'nia-ui', { name: 'Nia New' }, '246810')).toMatchObject({ ok: true, value: { operatorId: niaId, role: 'gate' } });

    // Bad input is refused with a clear code and creates nothing: a PIN too short (in the core), a name
    // the server takes but a role change to a role with nothing else (no-op) is refused too.
    expect(await core.dispatch(ADMIN_UI, 'admin.operators.create', { name: 'Short', role: 'cashier', pin: '12' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await core.dispatch(ADMIN_UI, 'admin.operators.update', { operatorId: niaId })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });

    // Disable: the operator leaves the terminal's sign-in list after sync. The server names the actor.
    expect(await core.dispatch(ADMIN_UI, 'admin.operators.update', { operatorId: niaId, active: false })).toMatchObject({ ok: true, value: { active: false } });
    await waitFor(
      async () => {
        const r = await core.dispatch('x', 'session.operators', {});
        return r.ok && !(r.value as { id: string }[]).some((o) => o.id === niaId);
      },
      60_000,
      'the disabled operator to leave the terminal',
    );
    const adminId = valueOf<{ operatorId: string }>(await core.dispatch(ADMIN_UI, 'session.current', {}));
    const entry = (await serverTrail()).find((e) => e.action === 'operator_updated' && e.subject === niaId);
    expect(entry?.detailObj).toMatchObject({ actor: 'operator', operatorId: adminId.operatorId, active: false });

    // The last active admin cannot demote themself.
    expect(await core.dispatch(ADMIN_UI, 'admin.operators.update', { operatorId: adminId.operatorId, role: 'manager' })).toMatchObject({
      ok: false,
      error: { code: 'last_admin' },
    });
  }, 300_000);

  it("a cashier's admin calls are refused in the core, and the server refuses a forged session header", async () => {
    expect(await loginAs(core, CASHIER_UI, { role: 'cashier' }, '111111')).toMatchObject({ ok: true });
    const before = (await server.admin.listDevices()).length;
    const operatorsBefore = (await raw('GET', '/admin/v1/operators', {}, undefined)).status;
    expect(operatorsBefore).toBe(401); // the device token alone is not an admin

    for (const [name, input] of [
      ['admin.status', {}],
      ['admin.operators.list', {}],
      ['admin.operators.create', { name: 'Sneaky', role: 'admin', pin: '13579135' }],
    ] as const) {
      expect(await core.dispatch(CASHIER_UI, name, input)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    // The same request at the server, with the device's own token and a made-up session: refused, nothing made.
    const forged = await raw('POST', '/admin/v1/operators', { [ADMIN_SESSION_HEADER]: 'forged-session-token-forged-session-token-xx' }, {
      operators: [{ name: 'Sneaky', role: 'admin', pin: '13579135' }],
    });
    expect(forged).toMatchObject({ status: 401, json: { error: { code: 'admin_session_ended' } } });
    // A cashier's PIN opens no admin session either.
    const cashierId = valueOf<{ operatorId: string }>(await core.dispatch(CASHIER_UI, 'session.current', {})).operatorId;
    expect(await raw('POST', '/v1/admin-sessions', {}, { operatorId: cashierId, pin: '111111' })).toMatchObject({ status: 403, json: { error: { code: 'forbidden' } } });
    const all = (await raw('GET', '/admin/v1/operators', { authorization: 'Bearer staff-admin-token' })).json as unknown as { operators: { name: string }[] };
    expect(all.operators.some((o) => o.name === 'Sneaky')).toBe(false);
    expect((await server.admin.listDevices()).length).toBe(before);
  }, 300_000);

  it('signing out ends the server session; admin calls then need a new sign-in', async () => {
    const opened = (await serverTrail()).filter((e) => e.action === 'admin_session_opened');
    expect(opened.length).toBeGreaterThan(0);
    expect(await core.dispatch(ADMIN_UI, 'session.logout', {})).toMatchObject({ ok: true });
    await waitFor(async () => (await serverTrail()).some((e) => e.action === 'admin_session_closed'), 60_000, 'the server session to close');
    expect(await core.dispatch(ADMIN_UI, 'admin.operators.list', {})).toMatchObject({ ok: false, error: { code: 'not_logged_in' } });
    // A new sign-in opens a new one.
    expect(await loginAs(core, ADMIN_UI, { role: 'admin' }, '000000')).toMatchObject({ ok: true });
    expect(await core.dispatch(ADMIN_UI, 'admin.operators.list', {})).toMatchObject({ ok: true });
  }, 300_000);
});
