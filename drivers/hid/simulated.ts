// Owns a simulated HID link for tests and the demo: the host end is a HidTransport like node-hid's,
// the device end lets a simulator send input reports, answer feature reports and be unplugged.
// Reports are delivered asynchronously and in order, as node-hid's read loop does.
import { DriverError } from '../errors';
import { TypedEmitter } from '../events';
import type { HidDeviceInfo, HidTransport, HidTransportErrorCode, HidTransportEvents } from './transport';

type DeviceEvents = {
  /** An output report the host wrote (report id in byte 0). */
  write: [Buffer];
  /** A feature report the host sent. */
  feature: [Buffer];
  unplug: [];
};

/** Answers a host's feature-report traffic; throw to make the host's call fail (e.g. unsupported). */
export interface FeatureReportHandler {
  set?(report: Buffer): void;
  get?(reportId: number, length: number): Buffer;
}

export class SimulatedHidHost extends TypedEmitter<HidTransportEvents> implements HidTransport {
  #closed = false;
  constructor(
    readonly info: HidDeviceInfo,
    private readonly device: SimulatedHidDevice,
  ) {
    super();
  }

  get closed(): boolean {
    return this.#closed;
  }

  async write(report: Uint8Array): Promise<number> {
    this.#check();
    const b = Buffer.from(report);
    this.device.deliverWrite(b);
    return b.length;
  }

  async sendFeatureReport(report: Uint8Array): Promise<number> {
    this.#check();
    const b = Buffer.from(report);
    try {
      this.device.deliverFeature(b);
    } catch (e) {
      throw new DriverError<HidTransportErrorCode>('io', `sendFeatureReport failed: ${(e as Error).message}`, { cause: e });
    }
    return b.length;
  }

  async getFeatureReport(reportId: number, length: number): Promise<Buffer> {
    this.#check();
    try {
      return this.device.answerFeature(reportId, length);
    } catch (e) {
      throw new DriverError<HidTransportErrorCode>('io', `getFeatureReport failed: ${(e as Error).message}`, { cause: e });
    }
  }

  async close(): Promise<void> {
    this.#end();
  }

  /** Device side: an input report arrives. */
  receive(report: Buffer): void {
    if (!this.#closed) this.emit('data', report);
  }

  /** Device side: the device vanished. */
  lost(): void {
    if (this.#closed) return;
    this.emit('error', new DriverError<HidTransportErrorCode>('io', 'device disconnected'));
    this.#end();
  }

  #end(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.emit('close');
  }

  #check(): void {
    if (this.#closed) throw new DriverError<HidTransportErrorCode>('closed', 'HID transport is closed');
  }
}

export class SimulatedHidDevice extends TypedEmitter<DeviceEvents> {
  readonly host: SimulatedHidHost;
  readonly written: Buffer[] = [];
  readonly features: Buffer[] = [];
  handler: FeatureReportHandler = {};
  #queue: Promise<void> = Promise.resolve();
  #unplugged = false;

  constructor(info: HidDeviceInfo) {
    super();
    this.host = new SimulatedHidHost(info, this);
  }

  get unplugged(): boolean {
    return this.#unplugged;
  }

  /** Send an input report to the host (byte 0 = report id). Resolves once the host has seen it. */
  sendReport(report: Uint8Array): Promise<void> {
    const b = Buffer.from(report);
    this.#queue = this.#queue.then(
      () =>
        new Promise<void>((resolve) =>
          setImmediate(() => {
            if (!this.#unplugged) this.host.receive(b);
            resolve();
          }),
        ),
    );
    return this.#queue;
  }

  /** The device disappears: the host gets an `io` error and `close`. */
  async unplug(): Promise<void> {
    await this.#queue;
    this.#unplugged = true;
    this.host.lost();
    this.emit('unplug');
  }

  deliverWrite(b: Buffer): void {
    if (this.#unplugged) throw new DriverError<HidTransportErrorCode>('io', 'device disconnected');
    this.written.push(b);
    this.emit('write', b);
  }

  deliverFeature(b: Buffer): void {
    if (this.#unplugged) throw new Error('device disconnected');
    this.handler.set?.(b);
    this.features.push(b);
    this.emit('feature', b);
  }

  answerFeature(reportId: number, length: number): Buffer {
    if (this.#unplugged) throw new Error('device disconnected');
    if (!this.handler.get) throw new Error(`feature report 0x${reportId.toString(16)} not supported`);
    const reply = Buffer.alloc(length);
    this.handler.get(reportId, length).copy(reply);
    return reply;
  }
}

export interface SimulatedHidPair {
  host: HidTransport;
  device: SimulatedHidDevice;
}

export function createSimulatedHidPair(info: Partial<HidDeviceInfo> = {}): SimulatedHidPair {
  const device = new SimulatedHidDevice({ vendorId: 0x0c2e, productId: 0x0b61, path: 'sim:hid', ...info });
  return { host: device.host, device };
}
