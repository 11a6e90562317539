// Owns one serial line that survives its device being unplugged: opens by path with the real
// `serialport` binding, and when the port closes without being asked to (USB adapter pulled, PTY
// gone) the shared reconnect state machine (../reconnect.ts) opens the same path again with backoff.
// Drivers on top only see `data`, `status` and coded `error` events; nothing here ever throws into
// the event loop. A device node that vanishes (POSIX paths only) also counts as a pulled line: the
// kernel's hang-up is not always reported to the port's reader, the vanished node always is.
import { access } from 'node:fs';
import { SerialPort } from 'serialport';
import { DriverError, type ConnectionStatus } from '../errors';
import { TypedEmitter } from '../events';
import { Reconnector, type ReconnectOptions } from '../reconnect';

export interface ReconnectingPortOptions extends ReconnectOptions {
  path: string;
  baudRate?: number;
}

/** How often an open line's device node is checked for being gone. */
const NODE_WATCH_MS = 500;

type PortEvents = {
  data: [Buffer];
  status: [ConnectionStatus];
  /** Transport trouble (drop, failed open). Retries go on regardless. */
  error: [DriverError<'io'>];
};

export class ReconnectingPort extends TypedEmitter<PortEvents> {
  readonly path: string;
  readonly baudRate: number;
  readonly #link: Reconnector<SerialPort>;

  constructor(options: ReconnectingPortOptions) {
    super();
    this.path = options.path;
    this.baudRate = options.baudRate ?? 9600;
    this.#link = new Reconnector<SerialPort>(
      {
        name: this.path,
        open: () => this.#open(),
        attach: (port, lost) => {
          port.on('data', (d: Buffer) => this.emit('data', d));
          const watch = this.#watchNode(port, lost);
          port.on('close', (e?: Error) => {
            if (watch) clearInterval(watch);
            if (this.#link.link === port && !this.#link.closed) {
              this.emit('error', new DriverError('io', `${this.path} closed unexpectedly${e ? `: ${e.message}` : ''}`, { cause: e }));
            }
            lost();
          });
        },
        dispose: (port) => (port.isOpen ? new Promise<void>((r) => port.close(() => r())) : Promise.resolve()),
      },
      options,
    );
    this.#link.on('status', (s) => this.emit('status', s));
    this.#link.on('error', (e) => this.emit('error', new DriverError('io', e.detail, { cause: e })));
  }

  get status(): ConnectionStatus {
    return this.#link.status;
  }

  /** Start connecting. Call after attaching listeners so the first status is not missed. */
  start(): this {
    this.#link.start();
    return this;
  }

  /** Try to reopen now rather than after the backoff. */
  nudge(): void {
    this.#link.nudge();
  }

  write(data: Buffer): Promise<void> {
    const port = this.#link.link;
    if (!port || !port.isOpen || this.#link.status !== 'connected') {
      return Promise.reject(new DriverError('io', `${this.path} is ${this.#link.status}`));
    }
    return new Promise((resolve, reject) => {
      port.write(data, (err) => {
        if (err) return reject(new DriverError('io', `write to ${this.path} failed: ${err.message}`, { cause: err }));
        // drain() waits until the bytes left the OS buffer, so timing (relay pulses) is measured on the wire.
        port.drain((e) => (e ? reject(new DriverError('io', `drain on ${this.path} failed: ${e.message}`, { cause: e })) : resolve()));
      });
    });
  }

  close(): Promise<void> {
    return this.#link.close();
  }

  /** Polls the device node while the port is open; when it is gone the port is closed, which runs the
   *  usual close path (error, 'disconnected', reopen with backoff). */
  #watchNode(port: SerialPort, lost: () => void): NodeJS.Timeout | null {
    if (!this.path.startsWith('/')) return null; // COM3 and the like have no node to watch
    const timer = setInterval(() => {
      access(this.path, (err) => {
        if (!err || !port.isOpen) return;
        clearInterval(timer);
        port.close((e) => {
          // A close that fails leaves no 'close' event behind: report the drop here instead.
          if (!e) return;
          this.emit('error', new DriverError('io', `${this.path} is gone: ${e.message}`, { cause: e }));
          lost();
        });
      });
    }, NODE_WATCH_MS);
    timer.unref();
    return timer;
  }

  #open(): Promise<SerialPort> {
    // Only invalid options throw here; retrying will not fix them, but neither will crashing.
    const port = new SerialPort({ path: this.path, baudRate: this.baudRate, autoOpen: false });
    // Errors after open arrive here; the close handler does the reconnecting.
    port.on('error', (e) => this.emit('error', new DriverError('io', `${this.path}: ${e.message}`, { cause: e })));
    return new Promise((resolve, reject) => port.open((err) => (err ? reject(err) : resolve(port))));
  }
}
