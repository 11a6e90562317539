// The organizer's terminals, end to end: a real terminal core (SQLite, HTTP, WebSocket) paired with a
// pairing code that carries a QR payload reports its modes, point, backlogs, version and devices to a
// real server (PGlite); the list shows them, including an outbox backlog queued while offline (its push
// held back at a proxy once the link is up again, so the number can be read while it is true); renaming
// and assigning a point reach the terminal, whose gate then serves the assigned point; revoking ends it.
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/core';
import { type AdminEvent, pairingUri } from '../../domain/wire';
import { type AdmitServer } from '../../server/src/app';
import type { TerminalItem } from '../../server/src/admin/terminals-schemas';
import { startHoldProxy, type HoldProxy } from '../helpers/hold-proxy';
import { startLink, type Link } from '../helpers/link';
import { waitFor } from '../helpers/wait';
import { type Backend, call, createTestEvent, expectError, makeServer, openBackend, pairTerminal, sell } from './harness';

const quiet = { warn: () => undefined, error: () => undefined };
const ADMIN = 'test-admin-token';
let backend: Backend;
let server: AdmitServer;
let work: string;
let proxy: HoldProxy;
let link: Link;
let core: Core;
let box: { deviceId: string; token: string };
let event: AdminEvent;
let north: string;
let south: string;
let otherEventPoint: string;

const terminals = async (): Promise<TerminalItem[]> => (await call(server.app, 'GET', '/admin/v1/terminals', { token: ADMIN })).json.terminals;
const gateTerminal = async () => (await terminals()).find((t) => t.id === core.sync.deviceId)!;

/** A local port nothing listens on (the printer the terminal keeps trying to reach). */
async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'admit-terminals-'));
  backend = await openBackend('PGlite');
  server = makeServer(backend);
  const url = (await server.listen({ host: '127.0.0.1', port: 0 })).url;
  proxy = await startHoldProxy(Number(new URL(url).port));
  link = await startLink(proxy.port);
  box = await pairTerminal(server, 'Box office');
  event = await createTestEvent(server);
  north = (await server.admin.createPoint(event.id, { name: { en: 'North', 'zh-CN': '北门' }, direction: 'entry', reentry: 'single' })).id;
  south = (await server.admin.createPoint(event.id, { name: { en: 'South' }, direction: 'entry', reentry: 'single' })).id;
  const other = await server.admin.createEvent({
    name: { en: 'Other' },
    startsAt: event.startsAt,
    endsAt: event.endsAt,
    timezone: 'UTC',
    currency: 'EUR',
    ticketTypes: [{ name: { en: 'T' }, priceMinor: 0, capacity: null }],
  });
  otherEventPoint = (await server.admin.createPoint(other.id, { name: { en: 'Elsewhere' }, direction: 'entry', reentry: 'single' })).id;
}, 300_000);

afterAll(async () => {
  await core?.close();
  await link?.close();
  await proxy?.close();
  await server?.close();
  await backend?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('terminals admin', () => {
  it('gives a pairing code with the QR payload and image, and pairs a terminal with it', async () => {
    const res = await call(server.app, 'POST', '/admin/v1/pairing-codes', { token: ADMIN, body: { eventIds: [event.id], serverUrl: link.url } });
    expect(res.status).toBe(200);
    expect(res.json.qrPayload).toBe(pairingUri(link.url, res.json.code));
    expect(res.json.qrPayload).toBe(`admit://pair?server=${encodeURIComponent(link.url)}&code=${encodeURIComponent(res.json.code)}`);
    const png = Buffer.from(String(res.json.qrDataUrl).replace(/^data:image\/png;base64,/, ''), 'base64');
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    // Without an address, the one the request came to.
    const plain = await call(server.app, 'POST', '/admin/v1/pairing-codes', { token: ADMIN, body: {} });
    expect(plain.json.qrPayload).toMatch(/^admit:\/\/pair\?server=http%3A%2F%2F[^&]+&code=/);
    expectError(await call(server.app, 'POST', '/admin/v1/pairing-codes', { token: ADMIN, body: { serverUrl: 'javascript:alert(1)' } }), 400, 'bad_request');

    core = await createCore({
      dataDir: join(work, 'gate'),
      migrationsFolder: 'migrations/local',
      shell: 'service',
      demo: false,
      version: '9.9.9-test',
      logger: quiet,
      modes: ['gate'],
      statusReport: { checkMs: 100, everyMs: 1000 },
    });
    core.configureDevices([{ id: 'p1', name: 'Receipt printer', kind: 'printer', driver: 'escpos-tcp', host: '127.0.0.1', port: await closedPort() }]);
    await core.restartDevices();
    const paired = await core.dispatch('pairing', 'terminal.pair', { serverUrl: link.url, code: res.json.code, terminalName: 'Gate 1' });
    expect(paired.ok).toBe(true);
  });

  it('shows the status each terminal reports: modes, point, backlogs, version and devices', async () => {
    await waitFor(async () => ((await gateTerminal())?.status?.devices.length ?? 0) === 1, 30_000, 'the first status report').catch(async (e) => {
      throw new Error(`${String(e)}: ${JSON.stringify({ status: (await gateTerminal())?.status, devices: core.devices.list() })}`);
    });
    const t = await gateTerminal();
    expect(t).toMatchObject({ name: 'Gate 1', eventIds: [event.id], revokedAt: null, assignedPointId: null });
    expect(t.lastSeenAt).not.toBeNull();
    expect(t.status).toMatchObject({ version: '9.9.9-test', modes: ['gate'], pointId: north, pointName: { en: 'North', 'zh-CN': '北门' }, outbox: 0 });
    expect(t.status!.audit).toBeGreaterThanOrEqual(0);
    expect(t.status!.devices[0]).toMatchObject({ id: 'p1', kind: 'printer', model: 'escpos-tcp', name: 'Receipt printer' });
    // A terminal that never reported lists without a status.
    expect((await terminals()).find((x) => x.id === box.deviceId)!.status).toBeNull();
  });

  it('shows the outbox backlog a terminal queued offline, until it is pushed', async () => {
    const sold = (await sell(server, box.token, event.id, event.ticketTypes[0]!.id, 2)).tickets;
    await waitFor(() => sold.every((t) => core.cache.ticketById(t.id) !== undefined), 20_000, 'tickets at the terminal');
    link.cut(120_000);
    await waitFor(() => !core.sync.isOnline, 20_000, 'the terminal to notice the link is down');
    for (const t of sold) expect(await core.gate.scan(t.code, null)).toMatchObject({ admitted: true, confirmation: 'local' });
    expect(core.outbox.count()).toBe(2);
    // Back online, with its pushes held back: the report says 2 while 2 are waiting.
    proxy.hold((method, path) => method === 'POST' && path === '/v1/push');
    link.cut(0);
    await waitFor(async () => (await gateTerminal()).status?.outbox === 2, 30_000, 'the backlog in the report');
    expect(core.outbox.count()).toBe(2);
    await waitFor(() => proxy.held > 0, 20_000, 'the push held at the proxy');
    proxy.release();
    await waitFor(async () => (await gateTerminal()).status?.outbox === 0, 30_000, 'the backlog to drain');
    expect(core.outbox.count()).toBe(0);
  });

  it('renames a terminal and assigns it a point; the terminal takes both and its gate serves that point', async () => {
    const id = core.sync.deviceId!;
    core.gate.setPoint(north);
    const res = await call(server.app, 'PATCH', `/admin/v1/terminals/${id}`, { token: ADMIN, body: { name: 'Gate South 1', pointId: south } });
    expect(res.status).toBe(200);
    expect(res.json.terminal).toMatchObject({ id, name: 'Gate South 1', assignedPointId: south, assignedPointName: { en: 'South' } });
    await waitFor(() => core.sync.status().terminalName === 'Gate South 1' && core.gate.currentPoint().row?.id === south, 20_000, 'the assignment at the terminal');
    await waitFor(async () => (await gateTerminal()).status?.pointId === south, 20_000, 'the report of the assigned point');
    expect((await gateTerminal()).status?.pointName).toEqual({ en: 'South' });
    // Bad input changes nothing.
    expectError(await call(server.app, 'PATCH', `/admin/v1/terminals/${id}`, { token: ADMIN, body: { pointId: otherEventPoint } }), 400, 'bad_request');
    expectError(await call(server.app, 'PATCH', `/admin/v1/terminals/${id}`, { token: ADMIN, body: {} }), 400, 'bad_request');
    expectError(await call(server.app, 'PATCH', `/admin/v1/terminals/${id}`, { token: ADMIN, body: { name: '' } }), 400, 'bad_request');
    expectError(await call(server.app, 'PATCH', `/admin/v1/terminals/${box.deviceId}`, { token: ADMIN, body: { pointId: '0190a000-0000-7000-8000-000000000000' } }), 404, 'not_found');
    expectError(await call(server.app, 'PATCH', `/admin/v1/terminals/${id}`, { token: box.token, body: { name: 'x' } }), 401, 'unauthorized');
    expect(await gateTerminal()).toMatchObject({ name: 'Gate South 1', assignedPointId: south });
    const audit = await server.admin.listAuditEntries({ chain: 'server', limit: 20 });
    expect(JSON.parse(audit.find((e) => e.action === 'terminal_updated' && e.subject === id)!.detail)).toEqual({ actor: 'admin_token', name: 'Gate South 1', pointId: south });
  });

  it('validates status reports: bounded, unknown fields of newer terminals ignored', async () => {
    const report = { version: '1', modes: ['box-office'], pointId: null, outbox: 3, audit: 1, devices: [] };
    expect((await call(server.app, 'POST', '/v1/status', { token: box.token, body: { ...report, battery: 80 } })).status).toBe(200);
    expect((await terminals()).find((t) => t.id === box.deviceId)!.status).toMatchObject({ modes: ['box-office'], outbox: 3 });
    const device = { id: 'd', kind: 'scanner', model: 'hid', name: 'Scanner', state: 'connected', reason: null };
    const tooMany = { ...report, devices: Array.from({ length: 33 }, (_, i) => ({ ...device, id: `d${i}` })) };
    expectError(await call(server.app, 'POST', '/v1/status', { token: box.token, body: tooMany }), 400, 'bad_request');
    expectError(await call(server.app, 'POST', '/v1/status', { token: box.token, body: { ...report, outbox: -1 } }), 400, 'bad_request');
    expectError(await call(server.app, 'POST', '/v1/status', { token: box.token, body: { ...report, modes: ['<script>'] } }), 400, 'bad_request');
    expectError(await call(server.app, 'POST', '/v1/status', { token: null, body: report }), 401, 'unauthorized');
    expect((await terminals()).find((t) => t.id === box.deviceId)!.status).toMatchObject({ modes: ['box-office'], outbox: 3 });
  });

  it('revokes a terminal: the list shows it, the terminal is cut off and can no longer report', async () => {
    const id = core.sync.deviceId!;
    const token = core.secrets.get('device_token')!;
    const res = await call(server.app, 'POST', `/admin/v1/devices/${id}/revoke`, { token: ADMIN });
    expect(res.status).toBe(200);
    expect((await gateTerminal()).revokedAt).not.toBeNull();
    await waitFor(() => !core.sync.isOnline, 20_000, 'the revoked terminal to go offline');
    expectError(
      await call(server.app, 'POST', '/v1/status', { token, body: { version: '1', modes: [], pointId: null, outbox: 0, audit: 0, devices: [] } }),
      401,
      'token_revoked',
    );
  });
});
