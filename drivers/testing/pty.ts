// Owns linked pseudo-terminal pairs for serial tests: socat joins two PTYs so the real serialport
// binding opens one end (the host) while a device simulator drives the other (the device).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, access, lstat, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PtyPair {
  /** Symlink the driver under test opens. */
  hostPath: string;
  /** Symlink the device simulator opens. */
  devicePath: string;
  /** Kill socat: both ends see the line drop, like a USB adapter pulled out. The links disappear. */
  unplug(): Promise<void>;
  /** Start a fresh socat at the same link paths (new /dev/pts numbers, as after a re-plug). */
  replug(): Promise<void>;
  /** Unplug and remove the temp dir. */
  close(): Promise<void>;
}

export interface PtyPairOptions {
  /** Reuse these link paths instead of a fresh temp dir (e.g. to replug from another pair). */
  hostPath?: string;
  devicePath?: string;
  /** How long to wait for socat to create both links. */
  timeoutMs?: number;
}

const exists = (p: string) => access(p).then(() => true, () => false);

// socat outlives a Node process that exits without close(); end ours on the way out.
const live = new Set<ChildProcess>();
let exitHook = false;
function track(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
  if (!exitHook) {
    exitHook = true;
    process.once('exit', () => {
      for (const c of live) c.kill('SIGTERM');
    });
  }
}

/** A link left by a socat that was SIGKILLed would look like a ready PTY: remove it first. */
async function removeStaleLink(path: string): Promise<void> {
  const st = await lstat(path).catch(() => null);
  if (st?.isSymbolicLink()) await unlink(path).catch(() => undefined);
}

async function startSocat(hostPath: string, devicePath: string, timeoutMs: number): Promise<ChildProcess> {
  await removeStaleLink(hostPath);
  await removeStaleLink(devicePath);
  // Debian puts socat in /usr/bin; elsewhere rely on PATH.
  const child = spawn(
    existsSync('/usr/bin/socat') ? '/usr/bin/socat' : 'socat',
    ['-d', '-d', `pty,raw,echo=0,link=${hostPath}`, `pty,raw,echo=0,link=${devicePath}`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  track(child);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4096);
  });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  // Without this listener a missing socat binary would be an uncaught 'error' event.
  child.once('error', (e) => {
    exited = true;
    stderr += e.message;
  });
  const deadline = Date.now() + timeoutMs;
  // socat logs "starting data transfer loop" only after both PTYs exist; polling the links is simpler
  // and does not depend on the log wording of a given socat version.
  while (!((await exists(hostPath)) && (await exists(devicePath)))) {
    if (exited) throw new Error(`socat exited before creating PTYs: ${stderr.trim()}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`socat did not create PTY links within ${timeoutMs} ms: ${stderr.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  return child;
}

async function stopSocat(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 2000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    // SIGTERM lets socat unlink its symlinks; a stale link would make a replug race.
    child.kill('SIGTERM');
  });
}

export async function createPtyPair(options: PtyPairOptions = {}): Promise<PtyPair> {
  const timeoutMs = options.timeoutMs ?? 5000;
  let dir: string | undefined;
  let hostPath = options.hostPath;
  let devicePath = options.devicePath;
  if (!hostPath || !devicePath) {
    dir = await mkdtemp(join(tmpdir(), 'admit-pty-'));
    hostPath ??= join(dir, 'host');
    devicePath ??= join(dir, 'dev');
  }
  const host = hostPath;
  const dev = devicePath;
  let child: ChildProcess | undefined = await startSocat(host, dev, timeoutMs);

  return {
    hostPath: host,
    devicePath: dev,
    async unplug() {
      await stopSocat(child);
      child = undefined;
    },
    async replug() {
      await stopSocat(child);
      child = await startSocat(host, dev, timeoutMs);
    },
    async close() {
      await stopSocat(child);
      child = undefined;
      if (dir) await rm(dir, { recursive: true, force: true });
    },
  };
}
