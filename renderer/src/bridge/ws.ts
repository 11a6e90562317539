// Owns the service-mode transport: the AdmitBridge spoken over a WebSocket to the core on 127.0.0.1.
//
// Handshake: open → send {t:'hello', token} → the core answers {t:'ready'} (or closes with 4401 when the
// per-launch token is wrong, or 4403 for a foreign origin; both are final: retrying cannot help). After 'ready' the
// envelopes of contract/bridge.ts flow: {t:'call'} out, {t:'result'} and {t:'event'} in.
//
// Calls made while the link is down wait in a queue for a bounded time, then resolve `offline`.
// A call already sent when the link drops is NOT re-sent — the core may have executed it (a sale!) —
// it resolves `offline` with a detail saying the outcome is unknown.
import {
  CallError,
  calls,
  events,
  isCallName,
  type AdmitBridge,
  type CallInput,
  type CallName,
  type CallOutput,
  type EventName,
  type EventPayload,
  type Result,
} from '../contract';
import { createConnectionStore, type ConnectionStore } from './connection';

export interface WsBridgeOptions {
  url: string;
  /** Per-launch token; null means we have none, so we do not even try. */
  token: string | null;
  /** How long a call may wait for the link before it resolves `offline`. */
  queueTimeoutMs?: number;
  /** How long a sent call may wait for its result. Generous: a sale waits for the receipt printer. */
  replyTimeoutMs?: number;
  handshakeTimeoutMs?: number;
  backoffInitialMs?: number;
  backoffMaxMs?: number;
  /** Injected in tests; the browser's WebSocket otherwise. */
  WebSocketImpl?: typeof WebSocket;
}

export interface WsBridge {
  bridge: AdmitBridge;
  connection: ConnectionStore;
  /** Stops reconnecting and fails whatever is waiting. */
  close(): void;
}

type Resolve = (result: Result<unknown>) => void;
interface PendingCall {
  id: number;
  name: CallName;
  input: unknown;
  resolve: Resolve;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/** Detail of an `offline` result for a call that reached the core but whose answer never came back. */
export const OUTCOME_UNKNOWN = 'outcome_unknown';

const offline = (detail: string): Result<never> => ({ ok: false, error: { code: 'offline', detail } });

export function createWsBridge(options: WsBridgeOptions): WsBridge {
  const {
    url,
    token,
    queueTimeoutMs = 10_000,
    replyTimeoutMs = 60_000,
    handshakeTimeoutMs = 5_000,
    backoffInitialMs = 250,
    backoffMaxMs = 10_000,
    WebSocketImpl = WebSocket,
  } = options;

  const connection = createConnectionStore(token ? 'connecting' : 'unauthorized');
  const queued: PendingCall[] = [];
  const inflight = new Map<number, PendingCall>();
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  let socket: WebSocket | null = null;
  let ready = false;
  let stopped = token === null;
  let attempt = 0;
  let nextId = 1;
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;

  function settle(call: PendingCall, result: Result<unknown>): void {
    if (call.timer !== undefined) clearTimeout(call.timer);
    call.timer = undefined;
    call.resolve(result);
  }

  function send(call: PendingCall): void {
    const sock = socket;
    if (!sock || !ready || sock.readyState !== WebSocketImpl.OPEN) {
      enqueue(call);
      return;
    }
    inflight.set(call.id, call);
    call.timer = setTimeout(() => {
      inflight.delete(call.id);
      call.timer = undefined;
      call.resolve(offline(OUTCOME_UNKNOWN));
    }, replyTimeoutMs);
    try {
      sock.send(JSON.stringify({ t: 'call', id: call.id, name: call.name, input: call.input }));
    } catch {
      inflight.delete(call.id);
      settle(call, offline('send failed'));
    }
  }

  function enqueue(call: PendingCall): void {
    if (stopped) {
      settle(call, offline(connection.getSnapshot().state === 'unauthorized' ? 'unauthorized' : 'closed'));
      return;
    }
    queued.push(call);
    call.timer = setTimeout(() => {
      const at = queued.indexOf(call);
      if (at >= 0) queued.splice(at, 1);
      call.timer = undefined;
      call.resolve(offline('not connected to the core'));
    }, queueTimeoutMs);
  }

  function flushQueue(): void {
    const waiting = queued.splice(0, queued.length);
    for (const call of waiting) {
      if (call.timer !== undefined) clearTimeout(call.timer);
      call.timer = undefined;
      send(call);
    }
  }

  function failInflight(detail: string): void {
    const calls = [...inflight.values()];
    inflight.clear();
    for (const call of calls) settle(call, offline(detail));
  }

  function failQueued(detail: string): void {
    const waiting = queued.splice(0, queued.length);
    for (const call of waiting) settle(call, offline(detail));
  }

  function onResult(id: unknown, raw: unknown): void {
    if (typeof id !== 'number') return void console.warn('[bridge] result without a numeric id');
    const call = inflight.get(id);
    if (!call) return void console.warn('[bridge] result for an unknown call id', id);
    inflight.delete(id);
    if (typeof raw !== 'object' || raw === null || !('ok' in raw)) {
      console.warn('[bridge] malformed result for', call.name);
      return settle(call, { ok: false, error: { code: 'internal', detail: 'malformed result' } });
    }
    if (raw.ok === true) {
      const parsed = calls[call.name].output.safeParse((raw as { value?: unknown }).value);
      if (!parsed.success) {
        console.warn('[bridge] result of', call.name, 'does not match the contract', parsed.error.issues);
        return settle(call, { ok: false, error: { code: 'internal', detail: 'result outside the contract' } });
      }
      return settle(call, { ok: true, value: parsed.data });
    }
    const error = CallError.safeParse((raw as { error?: unknown }).error);
    settle(call, {
      ok: false,
      error: error.success ? error.data : { code: 'internal', detail: 'error outside the contract' },
    });
  }

  function onEvent(name: unknown, payload: unknown): void {
    if (typeof name !== 'string' || !Object.prototype.hasOwnProperty.call(events, name)) {
      return void console.warn('[bridge] dropped an event outside the contract:', name);
    }
    const eventName = name as EventName;
    const parsed = events[eventName].safeParse(payload);
    if (!parsed.success) {
      return void console.warn('[bridge] dropped an invalid', eventName, 'payload', parsed.error.issues);
    }
    for (const listener of [...(listeners.get(eventName) ?? [])]) {
      try {
        listener(parsed.data);
      } catch (err) {
        console.error('[bridge] listener for', eventName, 'threw', err);
      }
    }
  }

  function scheduleReconnect(): void {
    if (stopped || reconnectTimer !== undefined) return;
    const base = Math.min(backoffMaxMs, backoffInitialMs * 2 ** attempt);
    attempt = Math.min(attempt + 1, 16);
    const delay = Math.round(base * (0.5 + Math.random() * 0.5));
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined;
      connect();
    }, delay);
  }

  function connect(): void {
    if (stopped || !token) return;
    connection.set('connecting');
    let sock: WebSocket;
    try {
      sock = new WebSocketImpl(url);
    } catch (err) {
      console.warn('[bridge] cannot open', url, err);
      connection.set('disconnected');
      scheduleReconnect();
      return;
    }
    socket = sock;
    ready = false;
    const handshakeTimer = setTimeout(() => {
      if (!ready) sock.close(4000, 'handshake timeout');
    }, handshakeTimeoutMs);

    sock.onopen = () => {
      sock.send(JSON.stringify({ t: 'hello', token }));
    };
    sock.onmessage = (ev: MessageEvent) => {
      if (socket !== sock) return;
      if (typeof ev.data !== 'string') return void console.warn('[bridge] ignored a binary frame');
      let msg: unknown;
      try {
        msg = JSON.parse(ev.data);
      } catch {
        return void console.warn('[bridge] ignored a frame that is not JSON');
      }
      if (typeof msg !== 'object' || msg === null || !('t' in msg)) {
        return void console.warn('[bridge] ignored a frame without an envelope type');
      }
      const envelope = msg as { t: unknown; id?: unknown; result?: unknown; name?: unknown; payload?: unknown };
      if (!ready) {
        if (envelope.t === 'ready') {
          clearTimeout(handshakeTimer);
          ready = true;
          attempt = 0;
          connection.set('ready');
          flushQueue();
        } else {
          console.warn('[bridge] frame before ready ignored:', envelope.t);
        }
        return;
      }
      if (envelope.t === 'result') onResult(envelope.id, envelope.result);
      else if (envelope.t === 'event') onEvent(envelope.name, envelope.payload);
      else console.warn('[bridge] ignored an unknown envelope:', envelope.t);
    };
    sock.onerror = () => {
      // A close event always follows; reconnecting is decided there.
    };
    sock.onclose = (ev: CloseEvent) => {
      clearTimeout(handshakeTimer);
      if (socket !== sock) return;
      socket = null;
      ready = false;
      failInflight(OUTCOME_UNKNOWN);
      // 4401: wrong token; 4403: wrong origin. Neither gets better by retrying.
      if (ev.code === 4401 || ev.code === 4403) {
        stopped = true;
        connection.set('unauthorized');
        failQueued('unauthorized');
        return;
      }
      connection.set('disconnected');
      scheduleReconnect();
    };
  }

  const bridge: AdmitBridge = {
    shell: 'service',
    call<K extends CallName>(name: K, input: CallInput<K>): Promise<Result<CallOutput<K>>> {
      if (!isCallName(name)) {
        return Promise.resolve({ ok: false, error: { code: 'unknown_call' } });
      }
      return new Promise<Result<CallOutput<K>>>((resolve) => {
        const call: PendingCall = {
          id: nextId++,
          name,
          input,
          resolve: resolve as Resolve,
          timer: undefined,
        };
        send(call);
      });
    },
    on<K extends EventName>(event: K, listener: (payload: EventPayload<K>) => void): () => void {
      let set = listeners.get(event);
      if (!set) {
        set = new Set();
        listeners.set(event, set);
      }
      const wrapped = listener as (payload: unknown) => void;
      set.add(wrapped);
      return () => {
        set.delete(wrapped);
      };
    },
  };

  connect();

  return {
    bridge,
    connection,
    close() {
      stopped = true;
      if (reconnectTimer !== undefined) clearTimeout(reconnectTimer);
      reconnectTimer = undefined;
      const sock = socket;
      socket = null;
      ready = false;
      failInflight(OUTCOME_UNKNOWN);
      failQueued('bridge closed');
      sock?.close(1000, 'bye');
      connection.set('disconnected');
    },
  };
}
