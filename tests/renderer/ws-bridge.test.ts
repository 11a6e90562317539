// The service-mode bridge over a fake WebSocket: handshake, queueing while down, reconnect with backoff,
// the final 4401, and validation of everything that comes in.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CallName, SyncStatus } from '../../electron/contract';
import { createWsBridge, OUTCOME_UNKNOWN } from '../../renderer/src/bridge/ws';

type Listener<T> = ((ev: T) => void) | null;

class FakeSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  static instances: FakeSocket[] = [];
  readyState = 0;
  sent: Array<Record<string, unknown>> = [];
  onopen: Listener<unknown> = null;
  onmessage: Listener<{ data: unknown }> = null;
  onclose: Listener<{ code: number; reason: string }> = null;
  onerror: Listener<unknown> = null;
  constructor(readonly url: string) {
    FakeSocket.instances.push(this);
  }
  send(data: string) {
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }
  close(code = 1000, reason = '') {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }
  // Server side of the fake.
  accept() {
    this.readyState = 1;
    this.onopen?.({});
  }
  receive(msg: unknown) {
    this.onmessage?.({ data: typeof msg === 'string' ? msg : JSON.stringify(msg) });
  }
  get lastCall() {
    return this.sent.filter((m) => m.t === 'call').at(-1) as { id: number; name: CallName; input: unknown } | undefined;
  }
}

const sync: SyncStatus = {
  paired: true,
  online: false,
  serverUrl: 'https://tickets.example.org',
  terminalName: 'Gate 1',
  lastSeq: 7,
  pendingOutbox: 2,
  lastSyncAt: null,
  clockOffsetMs: null,
  clockOff: false,
};

function setup(token: string | null = 'secret') {
  const ws = createWsBridge({
    url: 'ws://127.0.0.1:1234/bridge',
    token,
    queueTimeoutMs: 1000,
    replyTimeoutMs: 5000,
    handshakeTimeoutMs: 500,
    backoffInitialMs: 100,
    backoffMaxMs: 1000,
    WebSocketImpl: FakeSocket as unknown as typeof WebSocket,
  });
  return ws;
}
const socket = (i = -1) => FakeSocket.instances.at(i)!;

beforeEach(() => {
  FakeSocket.instances = [];
  vi.useFakeTimers();
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('service-mode bridge', () => {
  it('says hello with the token first and sends queued calls once ready', async () => {
    const { bridge, connection } = setup();
    expect(connection.getSnapshot().state).toBe('connecting');
    const pending = bridge.call('sync.status', {});
    socket().accept();
    expect(socket().sent).toEqual([{ t: 'hello', token: 'secret' }]);
    socket().receive({ t: 'ready' });
    expect(connection.getSnapshot()).toEqual({ state: 'ready', generation: 1 });
    const call = socket().lastCall!;
    expect(call).toMatchObject({ t: 'call', name: 'sync.status', input: {} });
    socket().receive({ t: 'result', id: call.id, result: { ok: true, value: sync } });
    await expect(pending).resolves.toEqual({ ok: true, value: sync });
  });

  it('turns a result outside the contract into internal, and passes coded errors through', async () => {
    const { bridge } = setup();
    socket().accept();
    socket().receive({ t: 'ready' });
    const bad = bridge.call('sync.status', {});
    socket().receive({ t: 'result', id: socket().lastCall!.id, result: { ok: true, value: { paired: 'yes' } } });
    await expect(bad).resolves.toMatchObject({ ok: false, error: { code: 'internal' } });
    const refused = bridge.call('session.login', { operatorId: '00000000-0000-4000-8000-000000000007', pin: '000000' });
    socket().receive({ t: 'result', id: socket().lastCall!.id, result: { ok: false, error: { code: 'bad_pin' } } });
    await expect(refused).resolves.toEqual({ ok: false, error: { code: 'bad_pin' } });
  });

  it('resolves offline when the link stays down past the queue bound', async () => {
    const { bridge } = setup();
    const pending = bridge.call('sync.status', {});
    await vi.advanceTimersByTimeAsync(1000);
    await expect(pending).resolves.toMatchObject({ ok: false, error: { code: 'offline' } });
  });

  it('does not resend a call in flight when the link drops, and reconnects with backoff', async () => {
    const { bridge, connection } = setup();
    socket().accept();
    socket().receive({ t: 'ready' });
    const sale = bridge.call('session.logout', {});
    socket().close(1006);
    await expect(sale).resolves.toEqual({ ok: false, error: { code: 'offline', detail: OUTCOME_UNKNOWN } });
    expect(connection.getSnapshot().state).toBe('disconnected');
    expect(FakeSocket.instances).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(FakeSocket.instances).toHaveLength(2);
    socket().accept();
    socket().receive({ t: 'ready' });
    expect(connection.getSnapshot()).toEqual({ state: 'ready', generation: 2 });
    expect(socket().sent.filter((m) => m.t === 'call')).toEqual([]);
  });

  it('closes a socket that never becomes ready and tries again', async () => {
    setup();
    socket().accept();
    await vi.advanceTimersByTimeAsync(500);
    expect(socket(0).readyState).toBe(3);
    await vi.advanceTimersByTimeAsync(100);
    expect(FakeSocket.instances).toHaveLength(2);
  });

  it('stops for good on 4401 and answers later calls at once', async () => {
    const { bridge, connection } = setup();
    socket().accept();
    socket().close(4401, 'token');
    expect(connection.getSnapshot().state).toBe('unauthorized');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeSocket.instances).toHaveLength(1);
    await expect(bridge.call('sync.status', {})).resolves.toMatchObject({ ok: false, error: { code: 'offline' } });
  });

  it('does not even connect without a token', () => {
    const { connection } = setup(null);
    expect(connection.getSnapshot().state).toBe('unauthorized');
    expect(FakeSocket.instances).toHaveLength(0);
  });

  it('delivers valid events and drops invalid or unknown ones', () => {
    const { bridge } = setup();
    socket().accept();
    socket().receive({ t: 'ready' });
    const seen: SyncStatus[] = [];
    const off = bridge.on('sync.status', (s) => seen.push(s));
    socket().receive({ t: 'event', name: 'sync.status', payload: sync });
    socket().receive({ t: 'event', name: 'sync.status', payload: { ...sync, pendingOutbox: 'many' } });
    socket().receive({ t: 'event', name: 'shell.exec', payload: {} });
    socket().receive('not json');
    expect(seen).toEqual([sync]);
    expect(console.warn).toHaveBeenCalledTimes(3);
    off();
    socket().receive({ t: 'event', name: 'sync.status', payload: sync });
    expect(seen).toHaveLength(1);
  });

  it('refuses names outside the contract without sending them', async () => {
    const { bridge } = setup();
    socket().accept();
    socket().receive({ t: 'ready' });
    const result = await bridge.call('fs.readFile' as CallName, {} as never);
    expect(result).toEqual({ ok: false, error: { code: 'unknown_call' } });
    expect(socket().sent.filter((m) => m.t === 'call')).toEqual([]);
  });
});
