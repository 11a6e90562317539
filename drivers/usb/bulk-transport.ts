// Owns byte streams over a USB device's bulk endpoints (ID card readers, vendor-class printers): a
// small transport interface, its implementation on the `usb` package's WebUSB API (imported lazily,
// so machines without libusb still load the drivers) and discovery; the simulated pair is
// usb/simulated.ts (tests and the demo only). `usb` 3.x only has the WebUSB-style API; its getDevices() rejects where there is no
// /sys/bus/usb (containers, CI), which here simply means "no USB devices".
import { hex4 } from '../bytes';
import { DriverError, type ConnectionStatus } from '../errors';
import { TypedEmitter, type Listener } from '../events';

export type BulkTransportErrorCode = 'io' | 'closed' | 'not_found' | 'unavailable';
export type BulkTransportError = DriverError<BulkTransportErrorCode>;

export type BulkTransportEvents = {
  /** Bytes from the IN endpoint, in transfer-sized chunks (frames may span several). */
  data: [Buffer];
  status: [ConnectionStatus];
  error: [BulkTransportError];
};

export interface UsbDeviceInfo {
  vendorId: number;
  productId: number;
  serialNumber?: string;
  manufacturer?: string;
  product?: string;
}

export interface BulkTransport {
  readonly status: ConnectionStatus;
  readonly info: UsbDeviceInfo | null;
  on<K extends keyof BulkTransportEvents>(event: K, listener: Listener<BulkTransportEvents[K]>): unknown;
  off<K extends keyof BulkTransportEvents>(event: K, listener: Listener<BulkTransportEvents[K]>): unknown;
  /** Send bytes to the OUT endpoint. */
  write(data: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

export interface UsbDeviceFilter {
  vendorId?: number;
  productId?: number;
  serialNumber?: string;
}

// The slice of the WebUSB device API used here (usb 3.x adds it to its native device class).
interface WebUsbEndpoint {
  endpointNumber: number;
  direction: 'in' | 'out';
  type: 'bulk' | 'interrupt' | 'isochronous';
  packetSize: number;
}
interface WebUsbInterface {
  interfaceNumber: number;
  alternate: { interfaceClass: number; endpoints: WebUsbEndpoint[] };
}
interface WebUsbDevice {
  vendorId: number;
  productId: number;
  serialNumber?: string | null;
  manufacturerName?: string | null;
  productName?: string | null;
  opened: boolean;
  configuration: { configurationValue: number; interfaces: WebUsbInterface[] } | null;
  open(): Promise<void>;
  close(): Promise<void>;
  selectConfiguration(value: number): Promise<void>;
  claimInterface(n: number): Promise<void>;
  releaseInterface(n: number): Promise<void>;
  detachKernelDriver?(n: number): Promise<void>;
  transferIn(endpoint: number, length: number, timeout?: number): Promise<{ data?: DataView; status: string }>;
  transferOut(endpoint: number, data: Uint8Array, timeout?: number): Promise<{ bytesWritten: number; status: string }>;
}
interface WebUsbLike {
  getDevices(): Promise<WebUsbDevice[]>;
}

let webusb: Promise<WebUsbLike> | null = null;
function loadWebUsb(): Promise<WebUsbLike> {
  webusb ??= import('usb').then((m) => {
    const mod = m as unknown as { WebUSB?: new (o: object) => WebUsbLike; default?: { WebUSB?: new (o: object) => WebUsbLike } };
    const WebUSB = mod.WebUSB ?? mod.default?.WebUSB;
    if (!WebUSB) throw new Error('the usb package has no WebUSB class');
    return new WebUSB({ allowAllDevices: true });
  });
  webusb.catch(() => {
    webusb = null;
  });
  return webusb;
}

async function getDevices(): Promise<WebUsbDevice[]> {
  const api = await loadWebUsb();
  try {
    return await api.getDevices();
  } catch {
    // "/sys/bus/usb/devices/ not found": no USB bus here, so no devices.
    return [];
  }
}

const toInfo = (d: WebUsbDevice): UsbDeviceInfo => ({
  vendorId: d.vendorId,
  productId: d.productId,
  serialNumber: d.serialNumber ?? undefined,
  manufacturer: d.manufacturerName ?? undefined,
  product: d.productName ?? undefined,
});

const matches = (d: UsbDeviceInfo, f: UsbDeviceFilter) =>
  (f.vendorId === undefined || d.vendorId === f.vendorId) &&
  (f.productId === undefined || d.productId === f.productId) &&
  (f.serialNumber === undefined || d.serialNumber === f.serialNumber);

/** USB devices matching `filter`; [] when the usb package cannot load or there is no USB bus. */
export async function listUsbDevices(filter: UsbDeviceFilter = {}): Promise<UsbDeviceInfo[]> {
  try {
    return (await getDevices()).map(toInfo).filter((d) => matches(d, filter));
  } catch {
    return [];
  }
}

export interface UsbBulkOptions extends UsbDeviceFilter {
  vendorId: number;
  productId: number;
  /** Interface to claim; default the first with a bulk IN and a bulk OUT endpoint. */
  interfaceNumber?: number;
  /** Bytes asked for per IN transfer. */
  readSize?: number;
  /** IN transfers time out after this and are re-issued (lets close() finish promptly). */
  pollTimeoutMs?: number;
  writeTimeoutMs?: number;
}

const isTimeout = (e: unknown) => /time[d_ ]?out/i.test(e instanceof Error ? e.message : String(e));

class UsbBulkTransport extends TypedEmitter<BulkTransportEvents> implements BulkTransport {
  #status: ConnectionStatus = 'connected';
  #closing = false;
  readonly #name: string;

  constructor(
    readonly info: UsbDeviceInfo,
    private readonly dev: WebUsbDevice,
    private readonly iface: number,
    private readonly inEp: number,
    private readonly outEp: number,
    private readonly options: { readSize: number; pollTimeoutMs: number; writeTimeoutMs: number },
  ) {
    super();
    this.#name = `USB ${hex4(info.vendorId)}:${hex4(info.productId)}`;
    void this.#readLoop();
  }

  get status(): ConnectionStatus {
    return this.#status;
  }

  async write(data: Uint8Array): Promise<void> {
    if (this.#status !== 'connected') throw new DriverError<BulkTransportErrorCode>('closed', `${this.#name} is ${this.#status}`);
    try {
      const r = await this.dev.transferOut(this.outEp, Uint8Array.from(data), this.options.writeTimeoutMs);
      if (r.status !== 'ok' || r.bytesWritten !== data.length) throw new Error(`status ${r.status}, ${r.bytesWritten} of ${data.length} bytes written`);
    } catch (e) {
      throw new DriverError<BulkTransportErrorCode>('io', `write to ${this.#name} failed: ${(e as Error).message}`, { cause: e });
    }
  }

  async close(): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    await this.dev.releaseInterface(this.iface).catch(() => undefined);
    await this.dev.close().catch(() => undefined);
    this.#setStatus('disconnected');
  }

  #setStatus(s: ConnectionStatus): void {
    if (s === this.#status) return;
    this.#status = s;
    this.emit('status', s);
  }

  async #readLoop(): Promise<void> {
    while (!this.#closing) {
      try {
        const r = await this.dev.transferIn(this.inEp, this.options.readSize, this.options.pollTimeoutMs);
        if (r.data && r.data.byteLength > 0) {
          this.emit('data', Buffer.from(r.data.buffer, r.data.byteOffset, r.data.byteLength));
        } else if (r.status === 'stall') {
          throw new Error('IN endpoint stalled');
        }
      } catch (e) {
        if (this.#closing) return;
        if (isTimeout(e)) continue;
        this.emit('error', new DriverError<BulkTransportErrorCode>('io', `${this.#name}: ${(e as Error).message}`, { cause: e }));
        // Unplugged or broken: this handle is done; the owner opens a new one.
        await this.close();
        return;
      }
    }
  }
}

/** Open a USB device's bulk endpoint pair. Rejects with `unavailable`, `not_found` or `io`. */
export async function openUsbBulk(options: UsbBulkOptions): Promise<BulkTransport> {
  const want = `${hex4(options.vendorId)}:${hex4(options.productId)}`;
  let devices: WebUsbDevice[];
  try {
    devices = await getDevices();
  } catch (e) {
    throw new DriverError<BulkTransportErrorCode>('unavailable', `the usb package cannot load: ${(e as Error).message}`, { cause: e });
  }
  const dev = devices.find((d) => matches(toInfo(d), options));
  if (!dev) throw new DriverError<BulkTransportErrorCode>('not_found', `no USB device ${want}`);
  try {
    if (!dev.opened) await dev.open();
    if (!dev.configuration) await dev.selectConfiguration(1);
    const ifaces = dev.configuration?.interfaces ?? [];
    const bulk = (i: WebUsbInterface, dir: 'in' | 'out') => i.alternate.endpoints.find((e) => e.type === 'bulk' && e.direction === dir);
    const iface = ifaces.find((i) => (options.interfaceNumber === undefined ? bulk(i, 'in') && bulk(i, 'out') : i.interfaceNumber === options.interfaceNumber));
    const inEp = iface && bulk(iface, 'in');
    const outEp = iface && bulk(iface, 'out');
    if (!iface || !inEp || !outEp) throw new Error('no interface with a bulk IN and a bulk OUT endpoint');
    // Linux: a kernel driver (usblp, cdc_acm) may hold the interface. Not having one is fine.
    await dev.detachKernelDriver?.(iface.interfaceNumber).catch(() => undefined);
    await dev.claimInterface(iface.interfaceNumber);
    return new UsbBulkTransport(toInfo(dev), dev, iface.interfaceNumber, inEp.endpointNumber, outEp.endpointNumber, {
      readSize: options.readSize ?? Math.max(inEp.packetSize, 512),
      pollTimeoutMs: options.pollTimeoutMs ?? 250,
      writeTimeoutMs: options.writeTimeoutMs ?? 2000,
    });
  } catch (e) {
    await dev.close().catch(() => undefined);
    throw new DriverError<BulkTransportErrorCode>('io', `cannot open ${want}: ${(e as Error).message}`, { cause: e });
  }
}
