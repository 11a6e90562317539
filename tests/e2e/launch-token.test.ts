// The launch token (the secret in service mode's UI address) appears on the terminal's own console —
// the core's stdout — once, and nowhere else: not in what the core logs (stderr), not in any file of
// its data directory, whatever the bridge saw meanwhile (a wrong token, a right one, calls, sign-out).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

const dataDir = mkdtempSync(join(tmpdir(), 'admit-token-'));
let child: ChildProcess | null = null;
afterAll(() => {
  child?.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Opens a bridge socket, presents `token`, and makes the given calls; resolves with the close code. */
function useBridge(url: URL, token: string, calls: { name: string; input?: unknown }[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://${url.host}/bridge`, { headers: { origin: url.origin } });
    let next = 0;
    const send = () => {
      const c = calls[next];
      if (!c) return ws.close(1000);
      ws.send(JSON.stringify({ t: 'call', id: ++next, name: c.name, input: c.input ?? {} }));
    };
    ws.on('open', () => ws.send(JSON.stringify({ t: 'hello', token })));
    ws.on('message', (d) => {
      const msg = JSON.parse(String(d)) as { t: string };
      if (msg.t === 'ready' || msg.t === 'result') send();
    });
    ws.on('close', (code) => resolve(code));
    ws.on('error', reject);
  });
}

describe('the launch token', () => {
  it('is shown on the console only, never in the logs or the data directory', async () => {
    if (!existsSync('dist/service/admit-service.mjs') || !existsSync('dist/renderer/index.html')) {
      execFileSync('npm', ['run', 'build'], { stdio: 'inherit' });
    }
    child = spawn(process.execPath, ['dist/service/admit-service.mjs', '--no-demo', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += String(d)));
    const exited = new Promise<number | null>((resolve) => child!.on('exit', (code) => resolve(code)));
    const address = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`service mode did not start:\n${stdout}\n${stderr}`)), 60_000);
      child!.stdout!.on('data', (d) => {
        stdout += String(d);
        const m = /(http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+)/.exec(stdout);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      void exited.then((code) => reject(new Error(`service mode exited with ${code}:\n${stdout}\n${stderr}`)));
    });
    const url = new URL(address);
    const token = new URLSearchParams(url.hash.slice(1)).get('token')!;
    expect(token.length).toBeGreaterThanOrEqual(32);

    expect(await useBridge(url, 'not-the-token', [])).toBe(4401);
    const code = await useBridge(url, token, [
      { name: 'app.info' },
      { name: 'session.operators' },
      { name: 'session.login', input: { operatorId: '0190a000-0000-7000-8000-000000000001', pin: '123456' } },
      { name: 'gate.scan', input: { code: 'X' } },
      { name: 'no.such.call' },
      { name: 'session.logout' },
    ]);
    expect(code).toBe(1000);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    child = null;

    expect(stdout.split(token).length - 1).toBe(1);
    expect(stderr).not.toContain(token);
    const files = filesUnder(dataDir);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(readFileSync(file).includes(token), file).toBe(false);
  });
});
