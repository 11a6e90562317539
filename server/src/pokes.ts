// Owns the live connections of terminals (WebSocket /v1/ws) and the "poke": after any change the server
// tells every terminal the newest seq so it pulls /v1/changes now instead of on its next timer. Pokes are
// hints, coalesced per tick: a burst of 100 check-ins sends one poke per terminal, not 100.
import type { WebSocket } from 'ws';
import { type Poke, WS_CLOSE_TOKEN_REVOKED, WS_CLOSE_TOO_MANY_CONNECTIONS } from '../../domain/wire';

const HEARTBEAT_MS = 30_000;
/** Sockets one device token may hold open at once; a terminal needs one (plus one while reconnecting). */
export const MAX_SOCKETS_PER_DEVICE = 4;

interface Peer {
  socket: WebSocket;
  deviceId: string;
  alive: boolean;
}

export class PokeHub {
  private readonly peers = new Set<Peer>();
  private pendingSeq = 0;
  private scheduled = false;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(private readonly maxPerDevice = MAX_SOCKETS_PER_DEVICE) {
    // A terminal that vanished without a close frame (cable pulled) is dropped after one missed pong.
    this.heartbeat = setInterval(() => {
      for (const peer of this.peers) {
        if (!peer.alive) {
          peer.socket.terminate();
          continue;
        }
        peer.alive = false;
        peer.socket.ping();
      }
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  get size(): number {
    return this.peers.size;
  }

  /** Open sockets of one device. */
  socketsOf(deviceId: string): number {
    let n = 0;
    for (const peer of this.peers) if (peer.deviceId === deviceId) n++;
    return n;
  }

  /** Registers a terminal's socket; `greeting` is the current seq, so a reconnecting terminal catches up.
   *  Past maxPerDevice sockets of one device, its oldest are closed (WS_CLOSE_TOO_MANY_CONNECTIONS): a
   *  terminal reconnecting over a half-dead link keeps working, a copied token cannot pile up sockets. */
  add(socket: WebSocket, deviceId: string, greeting: Promise<number>): void {
    const peer: Peer = { socket, deviceId, alive: true };
    const own = [...this.peers].filter((p) => p.deviceId === deviceId);
    for (const old of own.slice(0, Math.max(0, own.length + 1 - this.maxPerDevice))) {
      this.peers.delete(old);
      old.socket.close(WS_CLOSE_TOO_MANY_CONNECTIONS, 'too_many_connections');
    }
    this.peers.add(peer);
    socket.on('pong', () => (peer.alive = true));
    socket.on('close', () => this.peers.delete(peer));
    socket.on('error', () => socket.terminate());
    // What terminals send over this socket (claims, pings) is answered by routes/terminal-socket.ts.
    greeting.then(
      (seq) => this.send(peer, { type: 'poke', seq }),
      () => socket.close(1011, 'internal'),
    );
  }

  poke(seq: number | null | undefined): void {
    if (seq === null || seq === undefined) return;
    this.pendingSeq = Math.max(this.pendingSeq, seq);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const message: Poke = { type: 'poke', seq: this.pendingSeq };
      for (const peer of this.peers) this.send(peer, message);
    });
  }

  disconnectDevice(deviceId: string): void {
    for (const peer of this.peers) {
      if (peer.deviceId === deviceId) peer.socket.close(WS_CLOSE_TOKEN_REVOKED, 'token_revoked');
    }
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const peer of this.peers) peer.socket.terminate();
    this.peers.clear();
  }

  private send(peer: Peer, message: Poke): void {
    if (peer.socket.readyState === peer.socket.OPEN) peer.socket.send(JSON.stringify(message));
  }
}
