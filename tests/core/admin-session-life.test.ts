// Admin mode's server session over the life of a terminal, through a real core and a real server
// (PGlite, real HTTP through a cuttable TCP link): offline, admin calls are refused as `offline` and
// nothing is sent; when the link returns, the session opened before goes on; an admin who signed in
// while offline has no server session and must sign in again online; an admin signed out for being
// idle has their server session closed too.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDetail } from '../../domain/audit';
import { createCore, type Core } from '../../electron/core/core';
import { createServer, type AdmitServer } from '../../server/src/app';
import { openServerDb, type ServerDbHandle } from '../../server/src/db/client';
import { startLink, type Link } from '../helpers/link';
import { loginAs } from '../helpers/login';
import { waitFor } from '../helpers/wait';

const quiet = { warn: () => undefined, error: () => undefined };
const UI = 'admin-ui';

let work: string;
let db: ServerDbHandle;
let server: AdmitServer;
let serverUrl: string;
let link: Link;
const cores: Core[] = [];

async function pairedCore(name: string, serverAddress: string, extra: Partial<Parameters<typeof createCore>[0]> = {}): Promise<Core> {
  const core = await createCore({ dataDir: join(work, name), migrationsFolder: 'migrations/local', shell: 'service', demo: false, version: 'test', logger: quiet, ...extra });
  cores.push(core);
  const { code } = await server.admin.createPairingCode();
  expect(await core.dispatch('setup', 'terminal.pair', { serverUrl: serverAddress, code, terminalName: name })).toMatchObject({ ok: true });
  await waitFor(() => core.sync.isOnline, 60_000, `${name} to be online`);
  await waitFor(
    async () => {
      const r = await core.dispatch('x', 'session.operators', {});
      return r.ok && (r.value as { role: string }[]).some((o) => o.role === 'admin') && core.secrets.get('pin_key') !== null;
    },
    60_000,
    'the operators and the PIN key to sync',
  );
  return core;
}

/** The server's audit entries about admin sessions of one terminal, oldest first. */
const sessionTrail = async (deviceId: string) =>
  (await server.admin.listAuditEntries({ chain: 'server', limit: 1000 }))
    .reverse()
    .map((e) => ({ action: e.action, detail: parseDetail(e.detail) as { deviceId?: string; reason?: string } }))
    .filter((e) => e.action.startsWith('admin_session_') && e.detail.deviceId === deviceId);

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'admit-admin-life-'));
  db = await openServerDb();
  server = createServer({ db, adminToken: 'admin-life-token' });
  serverUrl = (await server.listen({ host: '127.0.0.1', port: 0 })).url;
  await server.admin.seedDemo({ tickets: 3 });
  link = await startLink(Number(new URL(serverUrl).port));
}, 300_000);

afterAll(async () => {
  for (const core of cores) await core.close().catch(() => undefined);
  await link?.close();
  await server?.close();
  await db?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('admin mode: the server session over a terminal life', () => {
  it('offline: refused as offline with nothing sent; back online the session goes on; signed in offline: sign in again', async () => {
    const core = await pairedCore('desk', link.url);
    const deviceId = core.sync.deviceId!;
    expect(await loginAs(core, UI, { role: 'admin' }, '000000')).toMatchObject({ ok: true });
    expect(await core.dispatch(UI, 'admin.status', {})).toMatchObject({ ok: true, value: { state: 'open', online: true } });
    expect(await core.dispatch(UI, 'admin.operators.list', {})).toMatchObject({ ok: true });

    // The cable is pulled: the terminal notices, and admin calls say offline without trying.
    link.cut(10 * 60_000);
    await waitFor(() => !core.sync.isOnline, 120_000, 'the desk to go offline');
    expect(await core.dispatch(UI, 'admin.operators.list', {})).toMatchObject({ ok: false, error: { code: 'offline' } });
    expect(await core.dispatch(UI, 'admin.operators.create', { name: 'Never made', role: 'gate', pin: '55667788' })).toMatchObject({ ok: false, error: { code: 'offline' } });
    expect(await core.dispatch(UI, 'admin.status', {})).toMatchObject({ ok: true, value: { state: 'open', online: false } });

    // Back online: the session opened before goes on.
    link.heal();
    await waitFor(() => core.sync.isOnline, 120_000, 'the desk to be back online');
    const listed = await core.dispatch(UI, 'admin.operators.list', {});
    if (!listed.ok) throw new Error(`admin.operators.list failed: ${JSON.stringify(listed.error)}`);
    expect((listed.value as { name: string }[]).some((o) => o.name === 'Never made')).toBe(false);

    // Signed in while offline: no server session (the PIN is not kept to open one later) — sign in again.
    link.cut(10 * 60_000);
    await waitFor(() => !core.sync.isOnline, 120_000, 'the desk to go offline again');
    expect(await loginAs(core, UI, { role: 'admin' }, '000000')).toMatchObject({ ok: true });
    expect(await core.dispatch(UI, 'admin.status', {})).toMatchObject({ ok: true, value: { state: 'closed', problem: 'offline', online: false } });
    link.heal();
    await waitFor(() => core.sync.isOnline, 120_000, 'the desk to be back online again');
    expect(await core.dispatch(UI, 'admin.operators.list', {})).toMatchObject({ ok: false, error: { code: 'admin_session_ended' } });
    expect(await loginAs(core, UI, { role: 'admin' }, '000000')).toMatchObject({ ok: true });
    expect(await core.dispatch(UI, 'admin.operators.list', {})).toMatchObject({ ok: true });
    expect((await sessionTrail(deviceId)).filter((e) => e.action === 'admin_session_opened')).toHaveLength(2);
  }, 300_000);

  it('an admin signed out for being idle has their server session closed', async () => {
    let clock = Date.now();
    const core = await pairedCore('idle-desk', serverUrl, { sessions: { idleSignOutMs: 60_000, now: () => clock } });
    const deviceId = core.sync.deviceId!;
    expect(await loginAs(core, UI, { role: 'admin' }, '000000')).toMatchObject({ ok: true });
    expect(await core.dispatch(UI, 'admin.operators.list', {})).toMatchObject({ ok: true });
    expect((await sessionTrail(deviceId)).map((e) => e.action)).toEqual(['admin_session_opened']);

    clock += 61_000;
    expect(await core.dispatch(UI, 'admin.operators.list', {})).toMatchObject({ ok: false, error: { code: 'not_logged_in' } });
    await waitFor(async () => (await sessionTrail(deviceId)).some((e) => e.action === 'admin_session_closed'), 60_000, 'the server session to close');
    expect((await sessionTrail(deviceId)).map((e) => e.action)).toEqual(['admin_session_opened', 'admin_session_closed']);
  }, 300_000);
});
