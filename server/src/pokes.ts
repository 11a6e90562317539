// Owns the live connections of terminals (WebSocket /v1/ws) and the "poke": after any change the server
// tells every terminal the newest seq so it pulls /v1/changes now instead of on its next timer. Pokes are
// hints, coalesced per tick: a burst of 100 check-ins sends one poke per terminal, not 100.
import type { WebSocket } from 'ws';
import { type Poke, WS_CLOSE_TOKEN_REVOKED } from '../../domain/wire';

const HEARTBEAT_MS = 30_000;

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

  constructor() {
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

  /** Registers a terminal's socket; `greeting` is the current seq, so a reconnecting terminal catches up. */
  add(socket: WebSocket, deviceId: string, greeting: Promise<number>): void {
    const peer: Peer = { socket, deviceId, alive: true };
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
