// Owns a printer on a serial line (RS-232, a USB virtual COM port, or a socat PTY in tests): opens the
// path with the real `serialport` binding on first use, reopens it on the next use after the line
// dropped, and waits for each write to drain so a status request is answered after the job left.
import { SerialPort } from 'serialport';
import { BaseTransport } from './transport';

export interface SerialTransportOptions {
  path: string;
  baudRate?: number;
  timeoutMs?: number;
  /** RTS/CTS flow control (most serial ticket printers use it at higher speeds). */
  rtscts?: boolean;
}

export class SerialTransport extends BaseTransport {
  readonly kind = 'serial' as const;
  readonly path: string;
  readonly baudRate: number;
  readonly #rtscts: boolean;
  #port: SerialPort | null = null;

  constructor(options: SerialTransportOptions) {
    super(options.timeoutMs ?? 3000);
    this.path = options.path;
    this.baudRate = options.baudRate ?? 9600;
    this.#rtscts = options.rtscts ?? false;
  }

  get name(): string {
    return this.path;
  }

  protected get isOpen(): boolean {
    return this.#port?.isOpen ?? false;
  }

  protected open(): Promise<void> {
    return new Promise((resolve, reject) => {
      let port: SerialPort;
      try {
        port = new SerialPort({ path: this.path, baudRate: this.baudRate, rtscts: this.#rtscts, autoOpen: false });
      } catch (e) {
        reject(this.fail('unreachable', `cannot open ${this.path}: ${(e as Error).message}`, e));
        return;
      }
      // Without a listener a late error (the adapter pulled out) would be thrown by the stream.
      port.on('error', (e) => this.emit('error', this.fail('io', `${this.path}: ${e.message}`, e)));
      port.open((err) => {
        if (err) {
          reject(this.fail('unreachable', `cannot open ${this.path}: ${err.message}`, err));
          return;
        }
        this.#port = port;
        port.on('data', (d: Buffer) => this.received(d));
        port.on('close', () => {
          if (this.#port !== port) return;
          this.#port = null;
          this.lost('serial line closed');
        });
        resolve();
      });
    });
  }

  protected send(data: Buffer): Promise<void> {
    const port = this.#port;
    if (!port?.isOpen) return Promise.reject(this.fail('io', `${this.path} is not open`));
    return new Promise((resolve, reject) => {
      port.write(data, (err) => {
        if (err) return reject(this.fail('io', `write to ${this.path} failed: ${err.message}`, err));
        port.drain((e) => (e ? reject(this.fail('io', `drain on ${this.path} failed: ${e.message}`, e)) : resolve()));
      });
    });
  }

  protected async shutdown(): Promise<void> {
    const port = this.#port;
    this.#port = null;
    if (port?.isOpen) await new Promise<void>((r) => port.close(() => r()));
  }
}

export function createSerialTransport(options: SerialTransportOptions): SerialTransport {
  return new SerialTransport(options);
}
