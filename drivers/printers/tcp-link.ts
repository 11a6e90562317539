// Owns the single TCP connection to a raw-port (9100) printer: connects lazily, reconnects on the next
// use after a drop, serialises operations so status replies cannot be paired with the wrong request,
// and turns every socket failure into a coded DriverError instead of an unhandled 'error' event.
// The request/read machinery is shared with the serial and USB links (transports/transport.ts).
import net from 'node:net';
import type { ConnectionStatus } from '../errors';
import { BaseTransport, type LinkErrorCode as TransportLinkErrorCode } from './transports/transport';

export type LinkErrorCode = TransportLinkErrorCode;

export class TcpLink extends BaseTransport {
  readonly kind = 'tcp' as const;
  #socket: net.Socket | null = null;

  constructor(
    readonly host: string,
    readonly port: number,
    timeoutMs: number,
    onStatus: (s: ConnectionStatus) => void = () => {},
  ) {
    super(timeoutMs);
    this.on('status', onStatus);
  }

  get name(): string {
    return `${this.host}:${this.port}`;
  }

  protected get isOpen(): boolean {
    return this.#socket !== null && !this.#socket.destroyed;
  }

  protected open(): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: this.host, port: this.port });
      socket.setNoDelay(true);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(this.fail('unreachable', `no connection to ${this.name} within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      const onConnectError = (e: Error) => {
        clearTimeout(timer);
        socket.destroy();
        reject(this.fail('unreachable', `cannot connect to ${this.name}: ${e.message}`, e));
      };
      socket.once('error', onConnectError);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.off('error', onConnectError);
        socket.on('error', (e) => this.#gone(socket, `socket error: ${e.message}`));
        socket.on('close', () => this.#gone(socket, 'connection closed by printer'));
        socket.on('data', (d: Buffer) => this.received(d));
        this.#socket = socket;
        resolve();
      });
    });
  }

  protected send(data: Buffer): Promise<void> {
    const socket = this.#socket;
    if (!socket || socket.destroyed) return Promise.reject(this.fail('io', `${this.name} is not connected`));
    return new Promise((resolve, reject) => {
      socket.write(data, (err) => (err ? reject(this.fail('io', `write to ${this.name} failed: ${err.message}`, err)) : resolve()));
    });
  }

  protected async shutdown(): Promise<void> {
    const s = this.#socket;
    this.#socket = null;
    if (!s || s.destroyed) return;
    // end() lets queued job bytes reach the printer; destroy() is the fallback if it never says bye.
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => s.destroy(), this.timeoutMs);
      s.once('close', () => {
        clearTimeout(force);
        resolve();
      });
      s.end();
    });
  }

  protected override afterTimeout(): void {
    // The stream position is unknown now: start the next conversation on a fresh socket.
    const s = this.#socket;
    if (s) this.#gone(s, 'dropped by driver after a timeout', true);
  }

  #gone(socket: net.Socket, why: string, quiet = false): void {
    if (socket !== this.#socket) return;
    this.#socket = null;
    socket.destroy();
    if (quiet) this.setStatus('disconnected');
    else this.lost(why);
  }
}

/** A raw-TCP printer link (port 9100 by default). */
export function createTcpTransport(options: { host: string; port?: number; timeoutMs?: number }): TcpLink {
  return new TcpLink(options.host, options.port ?? 9100, options.timeoutMs ?? 3000);
}
