// Owns the one way drivers talk to a HID device: a small transport interface (input reports in,
// output and feature reports out), its node-hid implementation, and discovery. node-hid is imported
// lazily, so a machine without libusb/hidraw still loads every driver and simply finds no devices.
// Report convention (node-hid's): byte 0 of every report, in and out, is the report id (0 when the
// device does not number its reports).
import { hex4 } from '../bytes';
import { DriverError } from '../errors';
import { TypedEmitter, type Listener } from '../events';

export interface HidDeviceInfo {
  vendorId: number;
  productId: number;
  path?: string;
  serialNumber?: string;
  manufacturer?: string;
  product?: string;
  usagePage?: number;
  usage?: number;
  interface?: number;
}

export interface HidDeviceFilter {
  vendorId?: number;
  productId?: number;
  usagePage?: number;
  usage?: number;
}

export type HidTransportErrorCode = 'io' | 'closed' | 'not_found' | 'unavailable';
export type HidTransportError = DriverError<HidTransportErrorCode>;

export type HidTransportEvents = {
  /** One input report, report id in byte 0. */
  data: [Buffer];
  error: [HidTransportError];
  /** The device is gone (unplugged) or close() was called; no further events. */
  close: [];
};

export interface HidTransport {
  readonly info: HidDeviceInfo | null;
  readonly closed: boolean;
  on<K extends keyof HidTransportEvents>(event: K, listener: Listener<HidTransportEvents[K]>): unknown;
  off<K extends keyof HidTransportEvents>(event: K, listener: Listener<HidTransportEvents[K]>): unknown;
  /** Send an output report (byte 0 = report id); resolves with the bytes written. */
  write(report: Uint8Array): Promise<number>;
  /** Send a feature report (byte 0 = report id). */
  sendFeatureReport(report: Uint8Array): Promise<number>;
  /** Read a feature report; the reply starts with the report id. */
  getFeatureReport(reportId: number, length: number): Promise<Buffer>;
  close(): Promise<void>;
}

export function matchesHidFilter(d: HidDeviceInfo, f: HidDeviceFilter): boolean {
  return (
    (f.vendorId === undefined || d.vendorId === f.vendorId) &&
    (f.productId === undefined || d.productId === f.productId) &&
    (f.usagePage === undefined || d.usagePage === f.usagePage) &&
    (f.usage === undefined || d.usage === f.usage)
  );
}

// The slice of node-hid's API used here, so its (old, loose) typings do not leak into the drivers.
interface NodeHidDevice {
  vendorId: number;
  productId: number;
  path?: string;
  serialNumber?: string;
  manufacturer?: string;
  product?: string;
  usagePage?: number;
  usage?: number;
  interface?: number;
}
interface NodeHidAsync {
  on(event: 'data', l: (d: Buffer) => void): unknown;
  on(event: 'error', l: (e: Error) => void): unknown;
  removeAllListeners(): unknown;
  close(): Promise<void>;
  write(values: number[] | Buffer): Promise<number>;
  sendFeatureReport(data: number[] | Buffer): Promise<number>;
  getFeatureReport(reportId: number, length: number): Promise<Buffer>;
}
interface NodeHidModule {
  devicesAsync(): Promise<NodeHidDevice[]>;
  HIDAsync: { open(path: string, options?: { nonExclusive?: boolean }): Promise<NodeHidAsync> };
}

let nodeHid: Promise<NodeHidModule> | null = null;
function loadNodeHid(): Promise<NodeHidModule> {
  nodeHid ??= import('node-hid').then((m) => {
    const mod = ((m as { default?: unknown }).default ?? m) as NodeHidModule;
    if (typeof mod.devicesAsync !== 'function' || !mod.HIDAsync) throw new Error('node-hid has no async API');
    return mod;
  });
  // A failed load (no libusb, no prebuild for this platform) is retried on the next call.
  nodeHid.catch(() => {
    nodeHid = null;
  });
  return nodeHid;
}

const toInfo = (d: NodeHidDevice): HidDeviceInfo => ({
  vendorId: d.vendorId,
  productId: d.productId,
  path: d.path,
  serialNumber: d.serialNumber,
  manufacturer: d.manufacturer,
  product: d.product,
  usagePage: d.usagePage,
  usage: d.usage,
  interface: d.interface,
});

/** HID devices matching `filter`; [] when node-hid cannot load or enumerate (no hidraw, no libusb). */
export async function listHidDevices(filter: HidDeviceFilter = {}): Promise<HidDeviceInfo[]> {
  try {
    const hid = await loadNodeHid();
    return (await hid.devicesAsync()).map(toInfo).filter((d) => matchesHidFilter(d, filter));
  } catch {
    return [];
  }
}

export interface NodeHidOpenOptions {
  vendorId: number;
  productId: number;
  /** A specific device (from listHidDevices); otherwise the first match of vid/pid (and usage page). */
  path?: string;
  /** Pick the interface with this usage page when a device has several (a HID POS scanner also has a keyboard). */
  usagePage?: number;
  nonExclusive?: boolean;
}

class NodeHidTransport extends TypedEmitter<HidTransportEvents> implements HidTransport {
  #closed = false;
  constructor(
    readonly info: HidDeviceInfo,
    private readonly dev: NodeHidAsync,
  ) {
    super();
    dev.on('data', (d: Buffer) => {
      if (!this.#closed) this.emit('data', Buffer.from(d));
    });
    dev.on('error', (e: Error) => {
      // node-hid reports an unplug as a read error and stops reading: the handle is dead.
      if (this.#closed) return;
      this.emit('error', new DriverError('io', `${this.#name}: ${e.message}`, { cause: e }));
      void this.close();
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  get #name(): string {
    return this.info.path ?? `${hex4(this.info.vendorId)}:${hex4(this.info.productId)}`;
  }

  write(report: Uint8Array): Promise<number> {
    return this.#call('write', () => this.dev.write(Buffer.from(report)));
  }

  sendFeatureReport(report: Uint8Array): Promise<number> {
    return this.#call('sendFeatureReport', () => this.dev.sendFeatureReport(Buffer.from(report)));
  }

  getFeatureReport(reportId: number, length: number): Promise<Buffer> {
    return this.#call('getFeatureReport', async () => Buffer.from(await this.dev.getFeatureReport(reportId, length)));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.dev.close().catch(() => undefined);
    this.dev.removeAllListeners();
    this.emit('close');
  }

  async #call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    if (this.#closed) throw new DriverError('closed', `${this.#name} is closed`);
    try {
      return await fn();
    } catch (e) {
      throw new DriverError('io', `${what} on ${this.#name} failed: ${(e as Error).message}`, { cause: e });
    }
  }
}


/** Open a HID device with node-hid. Rejects with `unavailable` (node-hid cannot load) or `not_found`. */
export async function openNodeHid(options: NodeHidOpenOptions): Promise<HidTransport> {
  let hid: NodeHidModule;
  try {
    hid = await loadNodeHid();
  } catch (e) {
    throw new DriverError<HidTransportErrorCode>('unavailable', `node-hid cannot load: ${(e as Error).message}`, { cause: e });
  }
  const want = `${hex4(options.vendorId)}:${hex4(options.productId)}`;
  let devices: HidDeviceInfo[];
  try {
    devices = (await hid.devicesAsync()).map(toInfo);
  } catch (e) {
    throw new DriverError<HidTransportErrorCode>('unavailable', `cannot enumerate HID devices: ${(e as Error).message}`, { cause: e });
  }
  const info = devices.find(
    (d) =>
      matchesHidFilter(d, { vendorId: options.vendorId, productId: options.productId, usagePage: options.usagePage }) &&
      (options.path === undefined || d.path === options.path),
  );
  if (!info?.path) throw new DriverError<HidTransportErrorCode>('not_found', `no HID device ${want}${options.path ? ` at ${options.path}` : ''}`);
  try {
    const dev = await hid.HIDAsync.open(info.path, { nonExclusive: options.nonExclusive });
    return new NodeHidTransport(info, dev);
  } catch (e) {
    throw new DriverError<HidTransportErrorCode>('io', `cannot open ${info.path} (${want}): ${(e as Error).message}`, { cause: e });
  }
}
