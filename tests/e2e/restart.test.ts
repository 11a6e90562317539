// `npm start` works the first, second and third time on one data directory, however the last run ended:
// service mode in demo mode is started three times on the same directory — stopped with Ctrl+C (SIGINT),
// then killed outright (SIGKILL), then once more after something else took the demo server's port. Each
// time the UI is served, the bridge answers with the token, and the terminal is still paired with the
// demo server and online; after each stop no process of the run's tree (socat, the watchdog) is left.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { childProcesses, isSameProcess, type ProcessRecord } from '../../electron/demo/processes';
import { waitFor } from '../helpers/wait';

const START_TIMEOUT_MS = 180_000;
const hasSocat =
  existsSync('/usr/bin/socat') || (process.env['PATH'] ?? '').split(':').some((p) => p && existsSync(join(p, 'socat')));

type Run = {
  child: ChildProcess;
  url: string;
  serverUrl: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output: () => string;
};

let dataDir: string;
let current: Run | null = null;
let blocker: Server | null = null;

function startService(): Promise<Run> {
  const child = spawn(
    process.execPath,
    ['dist/service/admit-service.mjs', '--data-dir', dataDir, '--port', '0', '--tickets', '300'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  child.stderr!.on('data', (d) => (out += String(d)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`service mode did not start:\n${out}`)), START_TIMEOUT_MS);
    child.stdout!.on('data', (d) => {
      out += String(d);
      const url = /Open this address[^\n]*?(http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+)/.exec(out)?.[1];
      const serverUrl = /Demo central server: (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
      if (url && serverUrl) {
        clearTimeout(timer);
        resolve({ child, url, serverUrl, exited, output: () => out });
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`service mode exited (${code ?? signal}) before it was ready:\n${out}`));
    });
  });
}

/** Every process below `pid`, as it is now. */
function processTree(pid: number): ProcessRecord[] {
  const found: ProcessRecord[] = [];
  const walk = (p: number) => {
    for (const c of childProcesses(p)) {
      found.push(c);
      walk(c.pid);
    }
  };
  walk(pid);
  return found;
}

/** Calls over the bridge WebSocket the UI uses, after presenting the launch token. */
async function bridge(url: string) {
  const u = new URL(url);
  const token = new URLSearchParams(u.hash.slice(1)).get('token')!;
  const ws = new WebSocket(`ws://${u.host}/bridge`);
  const results = new Map<number, (r: unknown) => void>();
  let nextId = 1;
  await new Promise<void>((resolve, reject) => {
    ws.once('error', reject);
    ws.once('close', (code) => reject(new Error(`bridge closed: ${code}`)));
    ws.once('open', () => ws.send(JSON.stringify({ t: 'hello', token })));
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as { t: string; id?: number; result?: unknown };
      if (msg.t === 'ready') resolve();
      else if (msg.t === 'result' && msg.id !== undefined) results.get(msg.id)?.(msg.result);
    });
  });
  return {
    call<T>(name: string, input: unknown = {}): Promise<{ ok: true; value: T } | { ok: false; error: { code: string } }> {
      const id = nextId++;
      return new Promise((resolve) => {
        results.set(id, resolve as (r: unknown) => void);
        ws.send(JSON.stringify({ t: 'call', id, name, input }));
      });
    },
    close: () => ws.close(),
  };
}

type SyncStatus = { paired: boolean; online: boolean; serverUrl: string | null; terminalName: string | null; lastSeq: number };

/** The UI page is served, the bridge answers, and the terminal is paired with this run's demo server and online. */
async function expectWorking(run: Run): Promise<SyncStatus> {
  const page = await fetch(new URL('/', run.url));
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('<div id="root">');

  const ui = await bridge(run.url);
  try {
    const info = await ui.call<{ shell: string; demo: boolean }>('app.info');
    expect(info).toMatchObject({ ok: true, value: { shell: 'service', demo: true } });
    let status: SyncStatus | null = null;
    await waitFor(
      async () => {
        const r = await ui.call<SyncStatus>('sync.status');
        status = r.ok ? r.value : null;
        return status?.online === true;
      },
      60_000,
      'the terminal to be online with the demo server',
    );
    expect(status).toMatchObject({ paired: true, online: true, serverUrl: run.serverUrl, terminalName: 'Demo terminal' });
    expect(status!.lastSeq).toBeGreaterThan(0);
    const operators = await ui.call<{ id: string; role: string }[]>('session.operators');
    const gateOperator = operators.ok ? operators.value.find((op) => op.role === 'gate') : undefined;
    expect(gateOperator).toBeDefined();
    const login = await ui.call<{ role: string }>('session.login', { operatorId: gateOperator!.id, pin: '222222' });
    expect(login).toMatchObject({ ok: true, value: { role: 'gate' } });
    return status!;
  } finally {
    ui.close();
  }
}

/** Stops the run with `signal` and waits until every process its tree had is gone. */
async function stopAndExpectNoOrphans(run: Run, signal: NodeJS.Signals) {
  const tree = processTree(run.child.pid!);
  if (hasSocat) expect(tree.filter((p) => /\bsocat\b/.test(p.args)).length).toBeGreaterThanOrEqual(2);
  run.child.kill(signal);
  const exit = await run.exited;
  current = null;
  await waitFor(() => tree.every((p) => !isSameProcess(p)), 60_000, 'the processes of the stopped run to end').catch(
    () => undefined,
  );
  expect(tree.filter(isSameProcess).map((p) => `${p.pid} ${p.args}`)).toEqual([]);
  return exit;
}

beforeAll(() => {
  if (!existsSync('dist/renderer/index.html')) execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  dataDir = mkdtempSync(join(tmpdir(), 'admit-restart-'));
}, 300_000);

afterAll(async () => {
  if (current && current.child.exitCode === null && current.child.signalCode === null) {
    current.child.kill('SIGKILL');
    await current.exited;
  }
  await new Promise<void>((r) => (blocker ? blocker.close(() => r()) : r()));
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}, 300_000);

describe('demo mode started again on the same data directory', () => {
  let firstServerUrl = '';

  it(
    'starts, serves the UI paired and online, and stops cleanly on SIGINT',
    async () => {
      current = await startService();
      firstServerUrl = current.serverUrl;
      await expectWorking(current);
      // A second demo on the same data directory (and PGlite) while this one runs is refused.
      const second = await startService().then(
        (r) => {
          r.child.kill('SIGKILL');
          return 'a second demo started';
        },
        (e: Error) => e.message,
      );
      expect(second).toMatch(/exited \(1\)[\s\S]*already running/);
      const exit = await stopAndExpectNoOrphans(current, 'SIGINT');
      expect(exit).toEqual({ code: 0, signal: null });
    },
    START_TIMEOUT_MS + 180_000,
  );

  it(
    'starts again on the same server address, and leaves nothing behind when killed',
    async () => {
      current = await startService();
      // The demo server took its old port back: the terminal's stored address is still right.
      expect(current.serverUrl).toBe(firstServerUrl);
      await expectWorking(current);
      const exit = await stopAndExpectNoOrphans(current, 'SIGKILL');
      expect(exit.signal).toBe('SIGKILL');
    },
    START_TIMEOUT_MS + 180_000,
  );

  it(
    'starts a third time after the crash, following the demo server to a new port when its old one is taken',
    async () => {
      // Holds the port and drops whatever connects (the terminal still knows the old address at first).
      blocker = createServer((socket) => socket.destroy());
      await new Promise<void>((resolve, reject) => {
        blocker!.once('error', reject);
        blocker!.listen({ host: '127.0.0.1', port: Number(new URL(firstServerUrl).port), exclusive: true }, resolve);
      });
      current = await startService();
      expect(current.serverUrl).not.toBe(firstServerUrl);
      await expectWorking(current);
      const exit = await stopAndExpectNoOrphans(current, 'SIGTERM');
      expect(exit).toEqual({ code: 0, signal: null });
    },
    START_TIMEOUT_MS + 180_000,
  );
});
