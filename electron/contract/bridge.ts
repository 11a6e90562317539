// Owns the shape of the bridge the renderer sees as `window.admit`, the same object in Electron
// (built by the preload) and in service mode (built over the WebSocket). Nothing generic is exposed:
// `call` only accepts names from the contract and each transport re-checks them.
import type { CallInput, CallName, CallOutput, EventName, EventPayload } from './calls';
import type { Result } from './errors';

export interface AdmitBridge {
  call<K extends CallName>(name: K, input: CallInput<K>): Promise<Result<CallOutput<K>>>;
  on<K extends EventName>(event: K, listener: (payload: EventPayload<K>) => void): () => void;
  readonly shell: 'electron' | 'service';
}

/** Envelopes used by both transports between a UI and the core. */
export type CallEnvelope = { t: 'call'; id: number; name: string; input: unknown };
export type ResultEnvelope = { t: 'result'; id: number; result: Result<unknown> };
export type EventEnvelope = { t: 'event'; name: EventName; payload: unknown };

declare global {
  interface Window {
    admit?: AdmitBridge;
  }
}
