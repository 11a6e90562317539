// Owns the demo world: an embedded central server (PGlite) with a seeded demo event, device simulators
// (a TCP receipt printer, a TCP Evolis card printer for badges, a serial scanner and a serial relay on
// PTY pairs), so one command shows every
// part of Admit working on one machine. Its own entry (dist/demo/demo-world.cjs), loaded by
// electron/core/demo-loader.ts only in demo mode: never part of the production bundles.
//
// It starts again on the same data directory however the last run ended. The server keeps the port it
// had (stored in demo.json), so the terminal paired to it finds it where it was. The socat processes
// behind the PTYs are recorded in demo-run.json, which also marks the data directory as in use: a live
// owner refuses a second demo on the same PGlite, while one that died is taken over and what it left
// running is ended. While the demo runs, a watchdog (a shell loop) ends the socat processes if this
// process dies without closing the world, e.g. on `kill -9`.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { basename, dirname, join } from 'node:path';
import { createServer } from '../../server/src/app';
import { openServerDb } from '../../server/src/db/client';
import { createPtyPair, startEscPosSimulator, startEvolisSimulator, startLcusSimulator, startQrPaySimulator, startScannerSimulator, startZvtSimulator, type PtyPair } from '../../drivers/simulators';
import type { DemoWorld, DemoWorldOptions } from '../core/demo-loader';
import type { DeviceConfig } from '../core/devices/config';
import { childProcesses, describeProcess, endProcesses, isSameProcess, type ProcessRecord } from './processes';

const SETTINGS_FILE = 'demo.json';
const RUN_FILE = 'demo-run.json';

type Settings = { serverPort?: number };
type RunRecord = { owner: ProcessRecord; children: ProcessRecord[]; ptyDirs: string[] };

function readJson<T>(file: string): T | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return null;
  }
}

export class DemoAlreadyRunningError extends Error {
  override name = 'DemoAlreadyRunningError';
}

/** Claims the data directory for this process; ends what a run that died left behind. */
async function takeOver(dataDir: string): Promise<RunRecord> {
  const file = join(dataDir, RUN_FILE);
  const last = readJson<RunRecord>(file);
  if (last) {
    if (isSameProcess(last.owner))
      throw new DemoAlreadyRunningError(
        `the demo is already running on ${dataDir} (process ${last.owner.pid}); stop it first or use another --data-dir`,
      );
    await endProcesses(last.children ?? []);
    for (const dir of last.ptyDirs ?? [])
      if (basename(dir).startsWith('admit-pty-')) rmSync(dir, { recursive: true, force: true });
  }
  const self = describeProcess(process.pid) ?? { pid: process.pid, start: null, args: '' };
  const record: RunRecord = { owner: self, children: [], ptyDirs: [] };
  writeFileSync(file, JSON.stringify(record, null, 2));
  return record;
}

/** The port this data directory's demo server had, if nothing else holds it now; else any free one. */
async function serverPort(dataDir: string, asked: number | undefined): Promise<number> {
  if (asked !== undefined) return asked;
  const last = readJson<Settings>(join(dataDir, SETTINGS_FILE))?.serverPort;
  if (!last) return 0;
  const free = await new Promise<boolean>((resolve) => {
    const probe = createNetServer();
    probe.once('error', () => resolve(false));
    probe.listen({ host: '127.0.0.1', port: last, exclusive: true }, () => probe.close(() => resolve(true)));
  });
  return free ? last : 0;
}

// Ends the listed processes once the process it watches ($1) is gone, then removes the PTY links and
// their folders. Plain sh: in a packaged Electron app there is no Node binary to run a script with.
const WATCHDOG = `
parent=$1; shift
pids=""; while [ "$1" != "--" ] && [ $# -gt 0 ]; do pids="$pids $1"; shift; done; [ $# -gt 0 ] && shift
while kill -0 "$parent" 2>/dev/null; do sleep 1; done
[ -n "$pids" ] && kill -TERM $pids 2>/dev/null
sleep 2
[ -n "$pids" ] && kill -KILL $pids 2>/dev/null
for d in "$@"; do rm -f "$d/host" "$d/dev"; rmdir "$d" 2>/dev/null; done
exit 0
`;

function startWatchdog(pids: number[], dirs: string[]): ChildProcess | null {
  if (process.platform === 'win32' || !existsSync('/bin/sh')) return null;
  const child = spawn(
    '/bin/sh',
    ['-c', WATCHDOG, 'admit-demo-watchdog', String(process.pid), ...pids.map(String), '--', ...dirs],
    { stdio: 'ignore' },
  );
  child.on('error', () => undefined);
  child.unref();
  return child;
}

const hasSocat = () =>
  existsSync('/usr/bin/socat') || (process.env['PATH'] ?? '').split(':').some((p) => p && existsSync(join(p, 'socat')));

export async function startDemoWorld(opts: DemoWorldOptions) {
  mkdirSync(opts.dataDir, { recursive: true });
  const run = await takeOver(opts.dataDir);
  const runFile = join(opts.dataDir, RUN_FILE);
  const closers: Array<() => Promise<void>> = [];
  const closeAll = async () => {
    for (const c of closers.splice(0).reverse()) await c().catch(() => undefined);
  };
  closers.push(async () => rmSync(runFile, { force: true }));
  try {
    const serverDir = join(opts.dataDir, 'server');
    mkdirSync(serverDir, { recursive: true });
    const db = await openServerDb({
      ...(opts.databaseUrl ? { databaseUrl: opts.databaseUrl } : { dataDir: join(serverDir, 'pglite') }),
      migrationsFolder: opts.serverMigrationsFolder,
    });
    closers.push(() => db.close());
    const server = await createServer({ db, dataDir: serverDir });
    closers.push(() => server.close());
    const { url: serverUrl } = await server.listen({ host: '127.0.0.1', port: await serverPort(opts.dataDir, opts.serverPort) });
    writeFileSync(
      join(opts.dataDir, SETTINGS_FILE),
      JSON.stringify({ serverPort: Number(new URL(serverUrl).port) } satisfies Settings, null, 2),
    );
    const { eventId: demoEventId } = await server.admin.seedDemo({ tickets: opts.tickets ?? 3000 });

    const printsDir = join(opts.dataDir, 'prints');
    mkdirSync(printsDir, { recursive: true });
    const printer = await startEscPosSimulator({ port: 0, outDir: printsDir });
    closers.push(() => printer.close());
    const devices: DeviceConfig[] = [
      {
        id: 'printer-1',
        name: 'Receipt printer (simulated)',
        kind: 'printer',
        driver: 'escpos-tcp',
        host: '127.0.0.1',
        port: printer.port,
        // A Western table: the demo's euro amounts print as text, other scripts as images.
        codePage: 'WPC1252',
      },
    ];
    // The badge desk's card printer: an Evolis simulator taking the 'badge' jobs; its cards land as PNGs.
    const badgesDir = join(printsDir, 'badges');
    mkdirSync(badgesDir, { recursive: true });
    const badgePrinter = await startEvolisSimulator({ port: 0, outDir: badgesDir });
    closers.push(() => badgePrinter.close());
    devices.push({
      id: 'badge-printer-1',
      name: 'Badge printer (simulated)',
      kind: 'printer',
      driver: 'evolis',
      transport: { type: 'tcp', host: '127.0.0.1', port: badgePrinter.port },
      timeoutMs: 3000,
      kinds: ['badge'],
    });
    let scanner: Awaited<ReturnType<typeof startScannerSimulator>> | null = null;
    let relay: Awaited<ReturnType<typeof startLcusSimulator>> | null = null;
    if (hasSocat()) {
      const ptys: PtyPair[] = [];
      closers.push(async () => {
        for (const p of ptys) await p.close();
      });
      ptys.push(await createPtyPair());
      ptys.push(await createPtyPair());
      const [scanPty, relayPty] = ptys as [PtyPair, PtyPair];
      // Recorded before anything else can fail: the next start ends them if this process dies.
      run.children = childProcesses(process.pid).filter((c) => ptys.some((p) => c.args.includes(p.hostPath)));
      run.ptyDirs = ptys.map((p) => dirname(p.hostPath));
      const watchdog = startWatchdog(
        run.children.map((c) => c.pid),
        run.ptyDirs,
      );
      if (watchdog?.pid) {
        const rec = describeProcess(watchdog.pid);
        if (rec) run.children.push(rec);
        closers.push(async () => void watchdog.kill('SIGTERM'));
      }
      writeFileSync(runFile, JSON.stringify(run, null, 2));
      scanner = await startScannerSimulator(scanPty.devicePath);
      closers.push(async () => scanner?.close());
      relay = await startLcusSimulator(relayPty.devicePath);
      closers.push(async () => relay?.close());
      devices.push(
        {
          id: 'scanner-1',
          name: 'Gate scanner (simulated)',
          kind: 'scanner',
          driver: 'serial-scanner',
          path: scanPty.hostPath,
          baudRate: 9600,
          terminator: 'any',
        },
        {
          id: 'relay-1',
          name: 'Turnstile relay (simulated)',
          kind: 'relay',
          driver: 'lcus-relay',
          path: relayPty.hostPath,
          baudRate: 9600,
          channel: 1,
          pulseMs: 300,
        },
      );
    }
    // A simulated ZVT card terminal that approves (a device of the terminal, like the printer), and a
    // simulated QR provider whose customers pay.
    const cardTerminal = await startZvtSimulator();
    closers.push(() => cardTerminal.close());
    devices.push({ id: 'demo-card-terminal', name: 'Card terminal (simulated)', kind: 'payment-terminal', driver: 'zvt', host: '127.0.0.1', port: cardTerminal.port, password: '000000', ackMs: 5000, answerMs: 120_000, currency: 'EUR', checkMs: 15_000 });
    const qrProvider = await startQrPaySimulator();
    qrProvider.customer = 'pay';
    closers.push(() => qrProvider.close());
    const world = {
      serverUrl,
      cardTerminal,
      qrProvider,
      /** The demo terminal's payments beyond cash and the card terminal (a device): the simulated QR provider. */
      payments: {
        qr: { qr_alipay: qrProvider.url, qr_wechat: qrProvider.url, qr_sbp: qrProvider.url },
      },
      server,
      printer,
      badgePrinter,
      scanner,
      relay,
      devices,
      /** Processes this world runs besides itself (socat, the watchdog), for tests and diagnostics. */
      processes: () => run.children.map((c) => c.pid),
      /** The demo's terminals serve the demo event, and only it. */
      async createPairingCode() {
        return (await server.admin.createPairingCode({ eventIds: [demoEventId] })).code;
      },
      close: closeAll,
    };
    return world satisfies DemoWorld;
  } catch (err) {
    await closeAll();
    throw err;
  }
}
