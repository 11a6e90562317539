// Owns the observable state of the renderer's link to the core. Electron's preload bridge is always
// "ready"; the service-mode WebSocket bridge moves through the other states. `generation` grows each
// time the link becomes ready, so screens can re-read what they may have missed while it was down.
export type ConnectionState = 'connecting' | 'ready' | 'disconnected' | 'unauthorized';

export interface ConnectionSnapshot {
  readonly state: ConnectionState;
  readonly generation: number;
}

export interface ConnectionStore {
  getSnapshot(): ConnectionSnapshot;
  subscribe(listener: () => void): () => void;
}

export interface MutableConnectionStore extends ConnectionStore {
  set(state: ConnectionState): void;
}

export function createConnectionStore(initial: ConnectionState): MutableConnectionStore {
  let snapshot: ConnectionSnapshot = { state: initial, generation: initial === 'ready' ? 1 : 0 };
  const listeners = new Set<() => void>();
  return {
    getSnapshot: () => snapshot,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set(state) {
      if (state === snapshot.state) return;
      snapshot = { state, generation: state === 'ready' ? snapshot.generation + 1 : snapshot.generation };
      for (const listener of [...listeners]) listener();
    },
  };
}
