// Owns a USB bulk byte stream that survives its device being unplugged. A BulkTransport handle ends
// with its device, so this opens a new one through the given opener with backoff (../reconnect.ts),
// and offers the same data / status / error stream and write() as a serial line (ReconnectingPort):
// a protocol driver on top (the SAM ID reader) runs on either, unchanged.
import { DriverError, type ConnectionStatus } from '../errors';
import { TypedEmitter } from '../events';
import { Reconnector, type ReconnectOptions } from '../reconnect';
import type { BulkTransport } from './bulk-transport';

type LinkEvents = {
  data: [Buffer];
  status: [ConnectionStatus];
  /** A failed open (first of an outage, with the opener's code: not_found, unavailable…) or a drop. */
  error: [DriverError];
};

export interface ReconnectingBulkOptions extends ReconnectOptions {
  /** What the device is called in error details. */
  name?: string;
}

export class ReconnectingBulkLink extends TypedEmitter<LinkEvents> {
  readonly #link: Reconnector<BulkTransport>;

  constructor(open: () => Promise<BulkTransport>, options: ReconnectingBulkOptions = {}) {
    super();
    this.#link = new Reconnector<BulkTransport>(
      {
        name: options.name ?? 'the USB device',
        open,
        attach: (t, lost) => {
          const current = () => this.#link.link === t;
          t.on('data', (d) => {
            if (current()) this.emit('data', d);
          });
          t.on('error', (e) => {
            if (current()) this.emit('error', e);
          });
          t.on('status', (s) => {
            if (s !== 'connected') lost();
          });
          if (t.status !== 'connected') lost();
        },
        dispose: (t) => t.close(),
      },
      options,
    );
    this.#link.on('status', (s) => this.emit('status', s));
    this.#link.on('error', (e) => this.emit('error', e));
  }

  get status(): ConnectionStatus {
    return this.#link.status;
  }

  /** Start connecting. Call after attaching listeners so the first status is not missed. */
  start(): this {
    this.#link.start();
    return this;
  }

  /** Try to reopen now rather than after the backoff (the device was just plugged in). */
  nudge(): void {
    this.#link.nudge();
  }

  write(data: Uint8Array): Promise<void> {
    const t = this.#link.link;
    if (!t || this.#link.status !== 'connected') return Promise.reject(new DriverError('io', `USB link is ${this.#link.status}`));
    return t.write(data);
  }

  close(): Promise<void> {
    return this.#link.close();
  }
}
