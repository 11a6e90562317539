// Owns one serial line that survives its device being unplugged: opens by path with the real
// `serialport` binding, and when the port closes without being asked to (USB adapter pulled, PTY
// gone) retries the same path with exponential backoff until it opens again. Drivers on top only
// see `data`, `status` and coded `error` events; nothing here ever throws into the event loop.
import { SerialPort } from 'serialport';
import { TypedEmitter } from '../events';
import { DriverError, type ConnectionStatus } from '../errors';

export interface ReconnectingPortOptions {
  path: string;
  baudRate?: number;
  /** First retry delay; doubles per failed attempt up to maxDelayMs. */
  initialDelayMs?: number;
  maxDelayMs?: number;
}

type PortEvents = {
  data: [Buffer];
  status: [ConnectionStatus];
  /** Transport trouble (drop, failed open). Retries go on regardless. */
  error: [DriverError<'io'>];
};

export class ReconnectingPort extends TypedEmitter<PortEvents> {
  readonly path: string;
  readonly baudRate: number;
  readonly #initialDelay: number;
  readonly #maxDelay: number;
  #port: SerialPort | null = null;
  #status: ConnectionStatus = 'disconnected';
  #delay: number;
  #timer: NodeJS.Timeout | null = null;
  #closed = false;
  #failures = 0;

  constructor(options: ReconnectingPortOptions) {
    super();
    this.path = options.path;
    this.baudRate = options.baudRate ?? 9600;
    this.#initialDelay = options.initialDelayMs ?? 100;
    this.#maxDelay = options.maxDelayMs ?? 5000;
    this.#delay = this.#initialDelay;
  }

  get status(): ConnectionStatus {
    return this.#status;
  }

  /** Start connecting. Call after attaching listeners so the first status is not missed. */
  start(): this {
    // Deferred a tick so that `openX(...).on('status', …)` written in one expression sees 'connecting'.
    queueMicrotask(() => this.#attempt());
    return this;
  }

  write(data: Buffer): Promise<void> {
    const port = this.#port;
    if (!port || !port.isOpen || this.#status !== 'connected') {
      return Promise.reject(new DriverError('io', `${this.path} is ${this.#status}`));
    }
    return new Promise((resolve, reject) => {
      port.write(data, (err) => {
        if (err) return reject(new DriverError('io', `write to ${this.path} failed: ${err.message}`, { cause: err }));
        // drain() waits until the bytes left the OS buffer, so timing (relay pulses) is measured on the wire.
        port.drain((e) => (e ? reject(new DriverError('io', `drain on ${this.path} failed: ${e.message}`, { cause: e })) : resolve()));
      });
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const port = this.#port;
    this.#port = null;
    if (port?.isOpen) await new Promise<void>((r) => port.close(() => r()));
    this.#setStatus('disconnected');
  }

  #setStatus(s: ConnectionStatus): void {
    if (s === this.#status) return;
    this.#status = s;
    this.emit('status', s);
  }

  #attempt(): void {
    this.#timer = null;
    if (this.#closed) return;
    // Announce 'connecting' once per outage; repeated failing retries stay 'disconnected' quietly.
    if (this.#failures === 0) this.#setStatus('connecting');
    let port: SerialPort;
    try {
      port = new SerialPort({ path: this.path, baudRate: this.baudRate, autoOpen: false });
    } catch (e) {
      // Only invalid options throw synchronously; retrying will not fix them, but neither will crashing.
      this.#failed(e as Error);
      return;
    }
    port.on('error', (e) => {
      // Errors after open arrive here; the close handler does the reconnecting.
      this.emit('error', new DriverError('io', `${this.path}: ${e.message}`, { cause: e }));
    });
    port.open((err) => {
      if (err) {
        this.#failed(err);
        return;
      }
      if (this.#closed) {
        port.close();
        return;
      }
      this.#port = port;
      this.#failures = 0;
      this.#delay = this.#initialDelay;
      port.on('data', (d: Buffer) => this.emit('data', d));
      port.on('close', (e?: Error & { disconnected?: boolean }) => this.#lost(port, e));
      this.#setStatus('connected');
    });
  }

  #failed(err: Error): void {
    if (this.#closed) return;
    this.#failures++;
    // Report the first failure of an outage; later attempts only show as status, not a flood of errors.
    if (this.#failures === 1) {
      this.emit('error', new DriverError('io', `cannot open ${this.path}: ${err.message}; retrying`, { cause: err }));
    }
    this.#setStatus('disconnected');
    this.#schedule();
  }

  #lost(port: SerialPort, e?: Error & { disconnected?: boolean }): void {
    if (port !== this.#port) return;
    this.#port = null;
    if (this.#closed) return;
    this.emit('error', new DriverError('io', `${this.path} closed unexpectedly${e ? `: ${e.message}` : ''}`, { cause: e }));
    this.#setStatus('disconnected');
    this.#schedule();
  }

  #schedule(): void {
    if (this.#closed || this.#timer) return;
    const delay = this.#delay;
    this.#delay = Math.min(this.#delay * 2, this.#maxDelay);
    this.#timer = setTimeout(() => this.#attempt(), delay);
  }
}
