// Owns a simulated USB bulk link for tests and the demo: the host end is a BulkTransport like the
// `usb` one; the device end receives what the host wrote and sends bytes back in USB-packet-sized
// chunks (so frames arrive split, as they do from real readers), and can be unplugged.
import { DriverError, type ConnectionStatus } from '../errors';
import { TypedEmitter } from '../events';
import type { BulkTransport, BulkTransportErrorCode, BulkTransportEvents, UsbDeviceInfo } from './bulk-transport';

class SimulatedBulkHost extends TypedEmitter<BulkTransportEvents> implements BulkTransport {
  #status: ConnectionStatus = 'connected';
  constructor(
    readonly info: UsbDeviceInfo,
    private readonly device: SimulatedBulkDevice,
  ) {
    super();
  }

  get status(): ConnectionStatus {
    return this.#status;
  }

  async write(data: Uint8Array): Promise<void> {
    if (this.#status !== 'connected') throw new DriverError<BulkTransportErrorCode>('closed', `simulated USB device is ${this.#status}`);
    this.device.deliver(Buffer.from(data));
  }

  async close(): Promise<void> {
    this.#setStatus('disconnected');
  }

  receive(chunk: Buffer): void {
    if (this.#status === 'connected') this.emit('data', chunk);
  }

  lost(): void {
    if (this.#status !== 'connected') return;
    this.emit('error', new DriverError<BulkTransportErrorCode>('io', 'simulated USB device disconnected'));
    this.#setStatus('disconnected');
  }

  #setStatus(s: ConnectionStatus): void {
    if (s === this.#status) return;
    this.#status = s;
    this.emit('status', s);
  }
}

type DeviceEvents = {
  /** Bytes the host wrote to the OUT endpoint. */
  data: [Buffer];
};

export interface SimulatedBulkPairOptions {
  info?: Partial<UsbDeviceInfo>;
  /** IN transfers carry at most this many bytes (64 for full-speed bulk). */
  packetSize?: number;
}

export class SimulatedBulkDevice extends TypedEmitter<DeviceEvents> {
  readonly host: SimulatedBulkHost;
  readonly packetSize: number;
  #queue: Promise<void> = Promise.resolve();
  #unplugged = false;

  constructor(options: SimulatedBulkPairOptions = {}) {
    super();
    this.packetSize = options.packetSize ?? 64;
    this.host = new SimulatedBulkHost({ vendorId: 0x0400, productId: 0xc35a, product: 'Simulated USB bulk device', ...options.info }, this);
  }

  get unplugged(): boolean {
    return this.#unplugged;
  }

  /** Send bytes to the host, split into packets, in order. Resolves when the host has them. */
  send(data: Uint8Array): Promise<void> {
    const b = Buffer.from(data);
    this.#queue = this.#queue.then(async () => {
      for (let at = 0; at < b.length; at += this.packetSize) {
        const packet = b.subarray(at, at + this.packetSize);
        await new Promise<void>((r) => setImmediate(r));
        if (this.#unplugged) return;
        this.host.receive(Buffer.from(packet));
      }
    });
    return this.#queue;
  }

  unplug(): void {
    this.#unplugged = true;
    this.host.lost();
  }

  deliver(b: Buffer): void {
    if (this.#unplugged) return;
    setImmediate(() => {
      if (!this.#unplugged) this.emit('data', b);
    });
  }
}

export interface SimulatedBulkPair {
  host: BulkTransport;
  device: SimulatedBulkDevice;
}

export function createSimulatedBulkPair(options: SimulatedBulkPairOptions = {}): SimulatedBulkPair {
  const device = new SimulatedBulkDevice(options);
  return { host: device.host, device };
}
