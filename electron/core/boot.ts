// Owns bringing a terminal up, shared by both shells: data directory, demo world (when asked), core,
// devices and pairing. Electron's utility process and service mode call this and only add a transport.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createCore, type PaymentOptions } from './core';
import { loadDemoWorld } from './demo-loader';
import { resolveResources } from './resources';
import type { Sealer } from './secrets/store';

export function defaultDataDir(): string {
  if (process.env['ADMIT_DATA_DIR']) return resolve(process.env['ADMIT_DATA_DIR']);
  if (process.platform === 'win32') return join(process.env['APPDATA'] ?? homedir(), 'Admit');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Admit');
  return join(process.env['XDG_DATA_HOME'] ?? join(homedir(), '.local', 'share'), 'admit');
}

export type BootOptions = {
  shell: 'electron' | 'service';
  /** Electron: the OS key store seals the terminal's secrets file (through the main process). */
  sealer?: Sealer;
  dataDir?: string;
  demo: boolean;
  tickets?: number;
  claimBoundMs?: number;
  /** Staff sign-out after this long without a call; 0: never; absent: the sessions default (15 min). */
  idleSignOutMs?: number;
};

export function parseBootArgs(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    strict: false,
    options: {
      'data-dir': { type: 'string' },
      port: { type: 'string' },
      demo: { type: 'boolean' },
      'no-demo': { type: 'boolean' },
      tickets: { type: 'string' },
      'idle-sign-out-min': { type: 'string' },
    },
  });
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return {
    dataDir: str(values['data-dir']),
    port: Number(str(values.port) ?? 0),
    demo: values['no-demo'] === true ? false : true,
    tickets: Number(str(values.tickets) ?? 3000),
    idleSignOutMs: parseIdleMinutes(str(values['idle-sign-out-min'])),
  };
}

/** `--idle-sign-out-min=N` as milliseconds: N >= 0 minutes (0: off); absent or not a number: undefined
 *  (the default applies). */
export function parseIdleMinutes(v: string | undefined): number | undefined {
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 ? Math.round(n * 60_000) : undefined;
}

/** The payments beyond cash: the demo's simulated ones, or a ZVT card terminal named as host:port
 *  (ADMIT_CARD_TERMINAL; port 20007 when left out). */
export function paymentsOf(demo: PaymentOptions | undefined, cardTerminal: string | undefined): { payments?: PaymentOptions } {
  if (demo) return { payments: demo };
  const m = cardTerminal?.trim().match(/^([^:\s]+)(?::(\d{1,5}))?$/);
  if (!m) return {};
  return { payments: { cardTerminal: { host: m[1]!, port: m[2] ? Number(m[2]) : 20007 } } };
}

/** Seats per ticket type this box office keeps on lease to sell offline (ADMIT_LEASE_SIZE, 0–500).
 *  Absent or bad: the size set on the terminal (meta lease_size), else none. */
export function leasesOf(size: string | undefined): { leases?: { size: number } } {
  const n = size === undefined || size.trim() === '' ? NaN : Number(size);
  return Number.isInteger(n) && n >= 0 && n <= 500 ? { leases: { size: n } } : {};
}

export async function bootTerminal(opts: BootOptions) {
  const res = resolveResources();
  const dataDir = resolve(opts.dataDir ?? join(defaultDataDir(), opts.demo ? 'demo' : 'terminal'));
  const world = opts.demo
    ? await (await loadDemoWorld()).startDemoWorld({
        dataDir,
        serverMigrationsFolder: res.serverMigrations,
        tickets: opts.tickets ?? 3000,
        ...(process.env['DATABASE_URL'] ? { databaseUrl: process.env['DATABASE_URL'] } : {}),
      })
    : null;
  const core = await createCore({
    dataDir,
    migrationsFolder: res.localMigrations,
    shell: opts.shell,
    ...(opts.sealer ? { sealer: opts.sealer } : {}),
    demo: opts.demo,
    version: res.version,
    ...(opts.claimBoundMs !== undefined ? { claimBoundMs: opts.claimBoundMs } : {}),
    ...(opts.idleSignOutMs !== undefined ? { sessions: { idleSignOutMs: opts.idleSignOutMs } } : {}),
    ...paymentsOf(world?.payments, process.env['ADMIT_CARD_TERMINAL']),
    ...leasesOf(process.env['ADMIT_LEASE_SIZE']),
  }).catch(async (e: unknown) => {
    await world?.close();
    throw e;
  });
  if (world) {
    try {
      core.configureDevices(world.devices);
      await core.restartDevices();
      if (!core.sync.paired) {
        await core.sync.pair(world.serverUrl, await world.createPairingCode(), 'Demo terminal');
      } else if (core.sync.serverUrl !== world.serverUrl) {
        // Same demo server and database, but its old port was taken: follow it to the new one.
        await core.sync.moveServer(world.serverUrl);
      }
      core.sync.start();
      await core.sync.pull();
    } catch (e) {
      await core.close().catch(() => undefined);
      await world.close().catch(() => undefined);
      throw e;
    }
  }
  return {
    core,
    world,
    dataDir,
    resources: res,
    async shutdown() {
      await core.close();
      await world?.close();
    },
  };
}
