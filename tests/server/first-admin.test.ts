// The first start without the demo, as an organizer runs it (`npm run server`, a spawned process over a
// fresh PGlite data directory): one admin operator is created and its PIN printed once on the console,
// in no log line; it opens an admin session; a second start creates no other and prints no PIN.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const START_TIMEOUT_MS = 90_000;
const dirs: string[] = [];

type Started = { url: string; out: string; stop: () => Promise<string> };

function start(dataDir: string): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts', '--data-dir', dataDir, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LOG_LEVEL: 'info', ADMIT_ADMIN_TOKEN: 'first-admin-test-token' },
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => (out += String(d)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    child.kill('SIGTERM');
    await exited;
    return out;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), START_TIMEOUT_MS);
    const check = () => {
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
      if (url) {
        clearTimeout(timer);
        child.stdout!.off('data', check);
        resolve({ url, get out() { return out; }, stop });
      }
    };
    child.stdout!.on('data', check);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`server exited before it was ready:\n${out}`));
    });
  });
}

describe('first start without the demo', () => {
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('creates one admin operator, prints its PIN once and never logs it; a second start creates none', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'admit-first-admin-'));
    dirs.push(dataDir);
    const first = await start(dataDir);
    const headers = { authorization: 'Bearer first-admin-test-token' };
    const listed = (await (await fetch(`${first.url}/admin/v1/operators`, { headers })).json()) as { operators: Array<{ id: string; name: string; role: string }> };
    const out1 = await first.stop();
    const pin = /PIN \(shown only now\): (\d{8})\b/.exec(out1)?.[1];
    expect(pin, out1).toMatch(/^\d{8}$/);
    expect(out1.split(pin!).length - 1).toBe(1);
    // The log (pino's JSON lines) never holds it; the line that does is the plain console one.
    const logLines = out1.split('\n').filter((l) => l.startsWith('{'));
    expect(logLines.length).toBeGreaterThan(0);
    for (const line of logLines) expect(line).not.toContain(pin!);
    expect(listed.operators).toEqual([expect.objectContaining({ name: 'Administrator', role: 'admin', active: true })]);

    const second = await start(dataDir);
    const again = (await (await fetch(`${second.url}/admin/v1/operators`, { headers })).json()) as { operators: unknown[] };
    const out2 = await second.stop();
    expect(again.operators).toHaveLength(1);
    expect(out2).not.toContain('PIN (shown only now)');
    expect(out2).not.toContain(pin!);
  }, 300_000);
});
