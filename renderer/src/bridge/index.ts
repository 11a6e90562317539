// Owns the choice of transport. In Electron the preload has already installed `window.admit`; in service
// mode (a plain browser on 127.0.0.1) we build the WebSocket bridge and install it under the same name,
// so nothing else in the renderer knows which shell it runs in.
import type { AdmitBridge } from '../contract';
import { createConnectionStore, type ConnectionStore } from './connection';
import { createWsBridge } from './ws';

export { OUTCOME_UNKNOWN } from './ws';

export type { ConnectionState, ConnectionSnapshot, ConnectionStore } from './connection';

const TOKEN_KEY = 'admit.bridgeToken';

/**
 * Reads the per-launch token from `#token=…` and removes it from the address bar at once, so it is not
 * left visible or copied along with the URL. It is kept in sessionStorage (this tab, this origin only)
 * so a reload of the tab still connects; a new tab needs a fresh link from the terminal.
 */
export function takeBridgeToken(loc: Location = window.location, hist: History = window.history): string | null {
  const hash = loc.hash.startsWith('#') ? loc.hash.slice(1) : loc.hash;
  const params = new URLSearchParams(hash);
  const fromHash = params.get('token');
  if (fromHash !== null) {
    params.delete('token');
    const rest = params.toString();
    hist.replaceState(hist.state, '', `${loc.pathname}${loc.search}${rest ? `#${rest}` : ''}`);
    try {
      window.sessionStorage.setItem(TOKEN_KEY, fromHash);
    } catch {
      // Storage may be disabled; the token then lives in memory only.
    }
    return fromHash || null;
  }
  try {
    return window.sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function bridgeUrl(loc: Location = window.location): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/bridge`;
}

export interface InstalledBridge {
  bridge: AdmitBridge;
  connection: ConnectionStore;
}

export function installBridge(): InstalledBridge {
  const existing = window.admit;
  if (existing) return { bridge: existing, connection: createConnectionStore('ready') };

  const { bridge, connection } = createWsBridge({ url: bridgeUrl(), token: takeBridgeToken() });
  Object.defineProperty(window, 'admit', { value: bridge, writable: false, configurable: false, enumerable: true });
  return { bridge, connection };
}
