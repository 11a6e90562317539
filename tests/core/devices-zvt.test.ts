// A ZVT card terminal as a device of the terminal, for real: the central server on PGlite, the core on
// SQLite paired over HTTP, a simulated ZVT terminal on 127.0.0.1 over TCP, and the devices CLI as a
// real process on the same data directory. The CLI adds the terminal and probes it (it takes the
// registration); the running core picks it up on devices.reload, shows it registered, offers
// card_terminal in the catalog and sells through it; the terminal switched off shows as an error and
// card_terminal is no longer offered, switched on again it is registered and offered again; removed at
// runtime it is gone. devices.add validates like the CLI. Everything waits on events, never on time.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startZvtSimulator, type ZvtSimulator } from '../../drivers/simulators';
import type { CallOutput, DeviceStatus } from '../../electron/contract';
import { createCore, type Core } from '../../electron/core/core';
import { createServer, type AdmitServer } from '../../server/src/app';
import { openServerDb, type ServerDbHandle } from '../../server/src/db/client';
import { loginAs } from '../helpers/login';
import { waitFor } from '../helpers/wait';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const quiet = { warn: () => undefined, error: () => undefined };

let work: string;
let db: ServerDbHandle;
let server: AdmitServer;
let core: Core;
let zvt: ZvtSimulator;
let zvtPort: number;
let dayPass: { id: string; priceMinor: number };
const statuses: DeviceStatus[] = [];

type Run = { code: number | null; stdout: string; stderr: string };
function cli(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, ['scripts/devices.ts', ...args, '--data-dir', join(work, 'box'), '--json'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The next device.status of the card terminal in this state (or one already seen since `from`). */
function terminalIn(state: DeviceStatus['state'], from: number): Promise<DeviceStatus> {
  return waitFor(() => statuses.slice(from).some((s) => s.id === 'zvt-1' && s.state === state), 60_000, `card terminal ${state}`).then(
    () => statuses.slice(from).find((s) => s.id === 'zvt-1' && s.state === state)!,
  );
}

const catalogPayments = async () => {
  const r = await core.dispatch('till', 'boxOffice.catalog', {});
  if (!r.ok) throw new Error('catalog');
  return (r.value as CallOutput<'boxOffice.catalog'>).payments;
};

const zvtDevice = (port: number) => ({ id: 'zvt-1', name: 'Card terminal', kind: 'payment-terminal', driver: 'zvt', host: '127.0.0.1', port, ackMs: 2000, checkMs: 200 });

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'admit-zvt-dev-'));
  db = await openServerDb({});
  server = createServer({ db, dataDir: join(work, 'server') });
  const url = (await server.listen({ host: '127.0.0.1', port: 0 })).url;
  await server.admin.seedDemo({ tickets: 20 });
  zvt = await startZvtSimulator();
  zvtPort = zvt.port;
  core = await createCore({
    dataDir: join(work, 'box'),
    migrationsFolder: 'migrations/local',
    shell: 'service',
    demo: false,
    version: 't',
    logger: quiet,
    devices: { usbEvents: false },
  });
  core.events.on('event', (e) => e.name === 'device.status' && statuses.push(e.payload as DeviceStatus));
  await core.sync.pair(url, (await server.admin.createPairingCode()).code, 'Box office');
  core.sync.start();
  await core.sync.pull();
  await waitFor(() => core.sync.isOnline);
  expect(await loginAs(core, 'till', { role: 'cashier' }, '111111')).toMatchObject({ ok: true });
  expect(await loginAs(core, 'mgr', { role: 'manager' }, '999999')).toMatchObject({ ok: true });
  const catalog = await core.dispatch('till', 'boxOffice.catalog', {});
  if (!catalog.ok) throw new Error('catalog');
  dayPass = (catalog.value as { ticketTypes: { id: string; name: Record<string, string>; priceMinor: number }[] }).ticketTypes.find((t) => t.name['en'] === 'Day pass')!;
}, 300_000);

afterAll(async () => {
  await core?.close();
  await zvt?.close();
  await server?.close();
  await db?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('a ZVT card terminal as a device', () => {
  it('is not offered before one is configured', async () => {
    expect(await catalogPayments()).toEqual(['cash', 'card_manual']);
    const r = await core.dispatch('till', 'boxOffice.sell', { lines: [{ ticketTypeId: dayPass.id, quantity: 1 }], payments: [{ method: 'card_terminal' }] });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('is added by the devices CLI, which sees it take the registration over TCP', async () => {
    const bad = await cli(['add', JSON.stringify({ ...zvtDevice(zvtPort), password: '12' })]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/password/);

    const added = await cli(['add', JSON.stringify(zvtDevice(zvtPort))]);
    expect(added.code, added.stderr).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({ ok: true, added: { id: 'zvt-1', kind: 'payment-terminal', driver: 'zvt', port: zvtPort, currency: 'EUR', password: '000000' } });

    const registrations = zvt.commands.filter((c) => c.name === 'registration').length;
    const probed = await cli(['probe', 'zvt-1', '--timeout', '60000']);
    expect(probed.code, probed.stderr).toBe(0);
    expect(JSON.parse(probed.stdout)).toMatchObject({ ok: true, id: 'zvt-1', state: 'registered', target: `zvt tcp 127.0.0.1:${zvtPort}` });
    expect(zvt.commands.filter((c) => c.name === 'registration').length).toBeGreaterThan(registrations);

    const listed = await cli(['list']);
    expect(JSON.parse(listed.stdout)).toMatchObject({ configured: [{ id: 'zvt-1', kind: 'payment-terminal' }] });
  }, 600_000);

  it('is picked up by the running core at runtime, registered, offered and sold through', async () => {
    const from = statuses.length;
    const reloaded = await core.dispatch('mgr', 'devices.reload', {});
    expect(reloaded).toMatchObject({ ok: true });
    await terminalIn('registered', from);
    expect(await core.dispatch('till', 'devices.list', {})).toMatchObject({ ok: true, value: [{ id: 'zvt-1', kind: 'payment-terminal', state: 'registered', reason: null }] });
    expect(await catalogPayments()).toContain('card_terminal');

    const paid = zvt.payments.length;
    const busyFrom = statuses.length;
    const r = await core.dispatch('till', 'boxOffice.sell', { lines: [{ ticketTypeId: dayPass.id, quantity: 1 }], payments: [{ method: 'card_terminal' }] });
    expect(r, JSON.stringify(r)).toMatchObject({ ok: true, value: { order: { paymentMethod: 'card_terminal', totalMinor: dayPass.priceMinor } } });
    expect(zvt.payments.slice(paid)).toEqual([expect.objectContaining({ amountMinor: dayPass.priceMinor, reversed: false })]);
    // Busy while the customer paid, registered again after.
    const seen = statuses.slice(busyFrom).filter((s) => s.id === 'zvt-1').map((s) => s.state);
    expect(seen).toContain('busy');
    await waitFor(() => core.devices.list().find((d) => d.id === 'zvt-1')?.state === 'registered', 60_000, 'registered after the sale');
  });

  it('shows an error when the terminal is switched off, and is registered again once it is back', async () => {
    const from = statuses.length;
    await zvt.close();
    const fault = await terminalIn('error', from);
    expect(fault.reason).toBe('unreachable');
    await waitFor(async () => !(await catalogPayments())?.includes('card_terminal'), 60_000, 'card_terminal no longer offered');

    const back = statuses.length;
    const registrations = () => zvt.commands.filter((c) => c.name === 'registration').length;
    zvt = await startZvtSimulator(zvtPort);
    await terminalIn('registered', back);
    // It registered with the terminal again: a terminal switched on has forgotten this till.
    expect(registrations()).toBeGreaterThan(0);
    expect(await catalogPayments()).toContain('card_terminal');
    const r = await core.dispatch('till', 'boxOffice.sell', { lines: [{ ticketTypeId: dayPass.id, quantity: 1 }], payments: [{ method: 'card_terminal' }] });
    expect(r).toMatchObject({ ok: true });
  });

  it('is changed and removed at runtime by the devices calls, each validated and refused to a cashier', async () => {
    expect(await core.dispatch('till', 'devices.remove', { id: 'zvt-1' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await core.dispatch('mgr', 'devices.add', { device: { ...zvtDevice(zvtPort), port: 0 } })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await core.dispatch('mgr', 'devices.add', { device: zvtDevice(zvtPort) })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });

    const removed = await core.dispatch('mgr', 'devices.remove', { id: 'zvt-1' });
    expect(removed).toMatchObject({ ok: true, value: [] });
    expect(await catalogPayments()).not.toContain('card_terminal');
    expect(await core.dispatch('mgr', 'devices.remove', { id: 'zvt-1' })).toMatchObject({ ok: false, error: { code: 'not_found' } });

    const from = statuses.length;
    const added = await core.dispatch('mgr', 'devices.add', { device: zvtDevice(zvtPort) });
    expect(added).toMatchObject({ ok: true, value: [{ id: 'zvt-1', kind: 'payment-terminal' }] });
    await terminalIn('registered', from);
    expect(await catalogPayments()).toContain('card_terminal');
  });
});
