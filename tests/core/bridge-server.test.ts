// Service mode's bridge: a socket must present this launch's token from our own origin; after that
// only contract envelopes are understood, and events (verdicts name attendees) reach only a socket
// with an operator signed in.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createCore, type Core } from '../../electron/core/core';
import { startBridgeServer, type BridgeServer } from '../../electron/core/service/bridge-server';
import { hashPin } from '../../domain/hashing';

const GATE_OPERATOR = '0190a000-0000-7000-8000-0000000000e1';

let core: Core;
let bridge: BridgeServer;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'admit-bridge-'));
  mkdirSync(join(dir, 'ui'));
  writeFileSync(join(dir, 'ui', 'index.html'), '<!doctype html><title>Admit</title>');
  core = await createCore({ dataDir: dir, migrationsFolder: 'migrations/local', shell: 'service', demo: false, version: 'test' });
  bridge = await startBridgeServer(core, { rendererDir: join(dir, 'ui') });
  const salt = randomBytes(16).toString('hex');
  core.sync.applyChanges(
    [{ seq: 1, kind: 'operator', row: { id: GATE_OPERATOR, name: 'Gabe', role: 'gate', pinHash: hashPin('222222', salt), pinSalt: salt, active: true } }],
    1,
  );
});
afterAll(async () => {
  await bridge.close();
  await core.close();
  rmSync(dir, { recursive: true, force: true });
});

const origin = () => `http://127.0.0.1:${bridge.port}`;
function open(headers: Record<string, string> = { origin: origin() }) {
  const ws = new WebSocket(`ws://127.0.0.1:${bridge.port}/bridge`, { headers });
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  const messages: unknown[] = [];
  ws.on('message', (d) => messages.push(JSON.parse(String(d))));
  const opened = new Promise<void>((resolve, reject) => {
    ws.on('open', () => resolve());
    ws.on('error', reject);
  });
  const next = async () => {
    for (let i = 0; i < 200 && messages.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    return messages.shift();
  };
  return { ws, closed, opened, next };
}

describe('service-mode bridge', () => {
  it('serves the UI on 127.0.0.1 with a strict CSP', async () => {
    const res = await fetch(`${origin()}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(bridge.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=/);
  });

  it('closes a socket that presents a wrong token', async () => {
    const c = open();
    await c.opened;
    c.ws.send(JSON.stringify({ t: 'hello', token: 'guess' }));
    expect(await c.closed).toBe(4401);
  });

  it('closes a socket that skips the handshake and calls directly', async () => {
    const c = open();
    await c.opened;
    c.ws.send(JSON.stringify({ t: 'call', id: 1, name: 'app.info', input: {} }));
    expect(await c.closed).toBe(4401);
  });

  it('refuses a socket from another origin', async () => {
    const c = open({ origin: 'https://evil.example' });
    await c.opened.catch(() => undefined);
    expect(await c.closed).toBe(4403);
  });

  it('answers contract calls after the handshake and refuses unknown ones', async () => {
    const c = open();
    await c.opened;
    c.ws.send(JSON.stringify({ t: 'hello', token: bridge.token }));
    expect(await c.next()).toEqual({ t: 'ready' });
    c.ws.send(JSON.stringify({ t: 'call', id: 1, name: 'app.info', input: {} }));
    expect(await c.next()).toMatchObject({ t: 'result', id: 1, result: { ok: true, value: { shell: 'service' } } });
    c.ws.send(JSON.stringify({ t: 'call', id: 2, name: 'shell.exec', input: { cmd: 'rm -rf /' } }));
    expect(await c.next()).toMatchObject({ t: 'result', id: 2, result: { ok: false, error: { code: 'unknown_call' } } });
    c.ws.send(JSON.stringify({ t: 'call', id: 3, name: 'gate.scan', input: { code: 7 } }));
    expect(await c.next()).toMatchObject({ t: 'result', id: 3, result: { ok: false, error: { code: 'invalid_input' } } });
    c.ws.send('{not json');
    expect(await c.closed).toBe(4400);
  });

  it('refuses an oversized message', async () => {
    const c = open();
    await c.opened;
    c.ws.send(JSON.stringify({ t: 'hello', token: bridge.token }));
    await c.next();
    c.ws.send(JSON.stringify({ t: 'call', id: 1, name: 'gate.scan', input: { code: 'x'.repeat(200_000) } }));
    expect(await c.closed).toBe(1009);
  });

  it('sends events only to a socket with an operator signed in, and stops at sign-out', async () => {
    const handshake = async () => {
      const c = open();
      await c.opened;
      c.ws.send(JSON.stringify({ t: 'hello', token: bridge.token }));
      expect(await c.next()).toEqual({ t: 'ready' });
      return c;
    };
    let nextId = 1;
    const call = async (c: Awaited<ReturnType<typeof handshake>>, name: string, input: unknown = {}) => {
      const id = nextId++;
      c.ws.send(JSON.stringify({ t: 'call', id, name, input }));
      // Everything the socket received before this answer stays queued, in order, for the checks below.
      for (;;) {
        const msg = (await c.next()) as { t: string; id?: number } | undefined;
        if (msg === undefined) throw new Error(`no answer to ${name}`);
        if (msg.t === 'result' && msg.id === id) return msg;
        seen.get(c)!.push(msg);
      }
    };
    const seen = new Map<Awaited<ReturnType<typeof handshake>>, unknown[]>();
    const anonymous = await handshake();
    const staff = await handshake();
    seen.set(anonymous, []);
    seen.set(staff, []);

    expect(await call(staff, 'session.login', { operatorId: GATE_OPERATOR, pin: '222222' })).toMatchObject({ result: { ok: true } });
    await core.gate.scan('NOSUCHTICKET-1', null);
    // A call answered after the verdict: whatever the verdict sent to a socket arrived before it.
    await call(anonymous, 'session.current');
    await call(staff, 'session.current');
    expect(seen.get(staff)).toEqual([expect.objectContaining({ t: 'event', name: 'scan.verdict' })]);
    expect(seen.get(anonymous)).toEqual([]);

    await call(staff, 'session.logout');
    await core.gate.scan('NOSUCHTICKET-2', null);
    await call(anonymous, 'session.current');
    await call(staff, 'session.current');
    expect(seen.get(staff)).toHaveLength(1);
    expect(seen.get(anonymous)).toEqual([]);
    anonymous.ws.close();
    staff.ws.close();
  });
});
