// Owns the single TCP connection to a raw-port (9100) printer: connects lazily, reconnects on the next
// use after a drop, serialises operations so status replies cannot be paired with the wrong request,
// and turns every socket failure into a coded DriverError instead of an unhandled 'error' event.
import net from 'node:net';
import { DriverError, type ConnectionStatus } from '../errors';

export type LinkErrorCode = 'unreachable' | 'timeout' | 'io' | 'closed';

interface PendingRead {
  count: number;
  resolve: (b: Buffer) => void;
  reject: (e: DriverError<LinkErrorCode>) => void;
  timer: NodeJS.Timeout;
}

export class TcpLink {
  #socket: net.Socket | null = null;
  #connecting: Promise<net.Socket> | null = null;
  #rx: Buffer = Buffer.alloc(0);
  #read: PendingRead | null = null;
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;

  constructor(
    readonly host: string,
    readonly port: number,
    readonly timeoutMs: number,
    private readonly onStatus: (s: ConnectionStatus) => void = () => {},
  ) {}

  get name(): string {
    return `${this.host}:${this.port}`;
  }

  get connected(): boolean {
    return this.#socket !== null && !this.#socket.destroyed;
  }

  /** Run `fn` after every earlier operation has finished (one conversation at a time). */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn, fn);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async write(data: Buffer): Promise<void> {
    const socket = await this.#ensure();
    await new Promise<void>((resolve, reject) => {
      socket.write(data, (err) => (err ? reject(this.#fail('io', `write to ${this.name} failed: ${err.message}`, err)) : resolve()));
    });
  }

  /** Write `data` and wait for exactly `count` reply bytes. */
  async request(data: Buffer, count: number, what: string): Promise<Buffer> {
    const socket = await this.#ensure();
    // Bytes that arrived unasked (a late reply after a timeout) must not answer this request.
    this.#rx = Buffer.alloc(0);
    const reply = new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#read = null;
        // The stream position is unknown now: start the next conversation on a fresh socket.
        this.#drop();
        reject(new DriverError('timeout', `${this.name} did not answer ${what} within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.#read = { count, resolve, reject, timer };
    });
    socket.write(data);
    this.#deliver();
    return reply;
  }

  async close(): Promise<void> {
    this.#closed = true;
    const s = this.#socket;
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

  #ensure(): Promise<net.Socket> {
    if (this.#closed) return Promise.reject(new DriverError('closed', `printer ${this.name} was closed`));
    if (this.#socket && !this.#socket.destroyed) return Promise.resolve(this.#socket);
    this.#connecting ??= this.#connect().finally(() => {
      this.#connecting = null;
    });
    return this.#connecting;
  }

  #connect(): Promise<net.Socket> {
    this.onStatus('connecting');
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: this.host, port: this.port });
      socket.setNoDelay(true);
      const timer = setTimeout(() => {
        socket.destroy();
        this.onStatus('disconnected');
        reject(new DriverError('unreachable', `no connection to ${this.name} within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.off('error', onConnectError);
        socket.on('error', (e) => this.#onSocketGone(socket, `socket error: ${e.message}`));
        socket.on('close', () => this.#onSocketGone(socket, 'connection closed by printer'));
        socket.on('data', (d) => {
          this.#rx = Buffer.concat([this.#rx, d]);
          this.#deliver();
        });
        this.#socket = socket;
        this.#rx = Buffer.alloc(0);
        this.onStatus('connected');
        resolve(socket);
      });
      const onConnectError = (e: Error) => {
        clearTimeout(timer);
        socket.destroy();
        this.onStatus('disconnected');
        reject(new DriverError('unreachable', `cannot connect to ${this.name}: ${e.message}`, { cause: e }));
      };
      socket.once('error', onConnectError);
    });
  }

  #deliver(): void {
    const r = this.#read;
    if (!r || this.#rx.length < r.count) return;
    const out = this.#rx.subarray(0, r.count);
    this.#rx = this.#rx.subarray(r.count);
    clearTimeout(r.timer);
    this.#read = null;
    r.resolve(Buffer.from(out));
  }

  #onSocketGone(socket: net.Socket, why: string): void {
    if (socket !== this.#socket) return;
    this.#socket = null;
    socket.destroy();
    const r = this.#read;
    if (r) {
      clearTimeout(r.timer);
      this.#read = null;
      r.reject(new DriverError('io', `${this.name}: ${why}`));
    }
    this.onStatus('disconnected');
  }

  #drop(): void {
    const s = this.#socket;
    if (s) this.#onSocketGone(s, 'dropped by driver');
  }

  #fail(code: LinkErrorCode, detail: string, cause?: unknown): DriverError<LinkErrorCode> {
    return new DriverError(code, detail, { cause });
  }
}
