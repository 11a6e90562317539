// Owns a printer on USB: the printer-class (0x07) interface's bulk OUT endpoint for job bytes and, on
// bidirectional printers (protocol 2), its bulk IN endpoint for status replies. Talks to the device
// through the slice of the WebUSB USBDevice API that `usb` 3.x devices implement (UsbPrinterDevice),
// so tests feed it a simulated device and the `usb` native module is imported only when a real
// device is looked up. On Linux the kernel's usblp driver owns the interface: it is detached first.
import { hex4 } from '../../bytes';
import { BaseTransport } from './transport';

export const USB_PRINTER_CLASS = 0x07;

export interface UsbEndpointLike {
  endpointNumber: number;
  direction: 'in' | 'out';
  type: 'bulk' | 'interrupt' | 'isochronous';
  packetSize: number;
}
export interface UsbInterfaceLike {
  interfaceNumber: number;
  alternate: { interfaceClass: number; interfaceSubclass: number; interfaceProtocol: number; endpoints: UsbEndpointLike[] };
}
export interface UsbConfigurationLike {
  configurationValue: number;
  interfaces: UsbInterfaceLike[];
}

/** The part of WebUSB's USBDevice this transport needs (`usb` 3.x devices and the simulator have it). */
export interface UsbPrinterDevice {
  readonly vendorId: number;
  readonly productId: number;
  readonly productName?: string | null;
  readonly serialNumber?: string | null;
  readonly opened: boolean;
  readonly configuration: UsbConfigurationLike | null | undefined;
  open(): Promise<void>;
  close(): Promise<void>;
  selectConfiguration(configurationValue: number): Promise<void>;
  claimInterface(interfaceNumber: number): Promise<void>;
  releaseInterface(interfaceNumber: number): Promise<void>;
  transferOut(endpointNumber: number, data: Uint8Array): Promise<{ status?: string; bytesWritten: number }>;
  transferIn(endpointNumber: number, length: number): Promise<{ status?: string; data?: DataView }>;
  /** Linux only in `usb` 3.x. */
  detachKernelDriver?(interfaceNumber: number): Promise<void>;
}

export interface UsbTransportOptions {
  /** The device, or a function that finds it (called again to reconnect after an unplug). */
  device: UsbPrinterDevice | (() => Promise<UsbPrinterDevice>);
  timeoutMs?: number;
  name?: string;
}

interface Endpoints {
  iface: number;
  out: number;
  in: number | null;
  inPacket: number;
}

/** The printer-class interface and its bulk endpoints, or null if the device has none. */
export function findPrinterInterface(config: UsbConfigurationLike | null | undefined): Endpoints | null {
  for (const i of config?.interfaces ?? []) {
    if (i.alternate.interfaceClass !== USB_PRINTER_CLASS) continue;
    const out = i.alternate.endpoints.find((e) => e.direction === 'out' && e.type === 'bulk');
    if (!out) continue;
    const inp = i.alternate.endpoints.find((e) => e.direction === 'in' && e.type === 'bulk');
    return { iface: i.interfaceNumber, out: out.endpointNumber, in: inp?.endpointNumber ?? null, inPacket: inp?.packetSize ?? 64 };
  }
  return null;
}

export class UsbTransport extends BaseTransport {
  readonly kind = 'usb' as const;
  readonly #source: UsbTransportOptions['device'];
  readonly #name: string | undefined;
  #device: UsbPrinterDevice | null = null;
  #eps: Endpoints | null = null;
  #pumping = false;

  constructor(options: UsbTransportOptions) {
    super(options.timeoutMs ?? 3000);
    this.#source = options.device;
    this.#name = options.name;
  }

  get name(): string {
    if (this.#name) return this.#name;
    const d = this.#device ?? (typeof this.#source === 'function' ? null : this.#source);
    return d ? `usb:${hex4(d.vendorId)}:${hex4(d.productId)}${d.serialNumber ? `:${d.serialNumber}` : ''}` : 'usb printer';
  }

  protected get isOpen(): boolean {
    return this.#device !== null && this.#eps !== null && this.#device.opened;
  }

  protected async open(): Promise<void> {
    let device: UsbPrinterDevice;
    try {
      device = typeof this.#source === 'function' ? await this.#source() : this.#source;
    } catch (e) {
      throw this.fail('unreachable', `no USB printer: ${(e as Error).message}`, e);
    }
    try {
      if (!device.opened) await device.open();
      if (!device.configuration) await device.selectConfiguration(1);
      const eps = findPrinterInterface(device.configuration);
      if (!eps) throw new Error(`${hex4(device.vendorId)}:${hex4(device.productId)} has no printer-class interface with a bulk OUT endpoint`);
      // usblp holds the interface on Linux; elsewhere (or without the kernel driver) this fails harmlessly.
      await device.detachKernelDriver?.(eps.iface).catch(() => undefined);
      await device.claimInterface(eps.iface);
      this.#device = device;
      this.#eps = eps;
    } catch (e) {
      await device.close().catch(() => undefined);
      throw this.fail('unreachable', `cannot open USB printer ${this.name}: ${(e as Error).message}`, e);
    }
  }

  protected async send(data: Buffer): Promise<void> {
    const d = this.#device;
    const eps = this.#eps;
    if (!d || !eps) throw this.fail('io', `${this.name} is not open`);
    let r: { status?: string; bytesWritten: number };
    try {
      r = await d.transferOut(eps.out, data);
    } catch (e) {
      this.#drop(`bulk OUT failed: ${(e as Error).message}`);
      throw this.fail('io', `${this.name}: bulk OUT failed: ${(e as Error).message}`, e);
    }
    if ((r.status && r.status !== 'ok') || r.bytesWritten !== data.length) {
      throw this.fail('io', `${this.name}: bulk OUT ${r.status ?? ''} wrote ${r.bytesWritten} of ${data.length} bytes`);
    }
  }

  protected async shutdown(): Promise<void> {
    const d = this.#device;
    const eps = this.#eps;
    this.#device = null;
    this.#eps = null;
    if (!d) return;
    if (eps) await d.releaseInterface(eps.iface).catch(() => undefined);
    await d.close().catch(() => undefined);
  }

  protected override readWanted(): void {
    if (this.#pumping) return;
    const eps = this.#eps;
    if (eps && eps.in === null) {
      // A unidirectional printer (protocol 1) cannot answer: say so instead of timing out.
      queueMicrotask(() => this.lost('printer has no bulk IN endpoint (unidirectional): no status replies'));
      return;
    }
    void this.#pump();
  }

  /** Poll bulk IN while a read waits; USB has no unsolicited delivery without an outstanding transfer. */
  async #pump(): Promise<void> {
    this.#pumping = true;
    try {
      while (this.readPending && this.#device && this.#eps?.in != null) {
        const d = this.#device;
        let r: { status?: string; data?: DataView };
        try {
          r = await d.transferIn(this.#eps.in, this.#eps.inPacket);
        } catch (e) {
          if (d === this.#device) this.#drop(`bulk IN failed: ${(e as Error).message}`);
          return;
        }
        if (d !== this.#device) return;
        if (r.data && r.data.byteLength > 0) this.received(Buffer.from(r.data.buffer, r.data.byteOffset, r.data.byteLength));
        else if (r.status === 'stall' || r.status === 'babble') {
          this.#drop(`bulk IN ${r.status}`);
          return;
        }
      }
    } finally {
      this.#pumping = false;
    }
  }

  #drop(why: string): void {
    if (!this.#device) return;
    void this.shutdown();
    this.lost(why);
  }
}

export function createUsbTransport(options: UsbTransportOptions): UsbTransport {
  return new UsbTransport(options);
}


/**
 * Printer-class devices on the bus, via `usb` 3.x's WebUSB API (imported only here). Where there is
 * no USB bus (containers, CI: no /sys/bus/usb) getDevices() rejects: that is "no printers", not a crash.
 */
export async function findUsbPrinters(filter: { vendorId?: number; productId?: number; serialNumber?: string } = {}): Promise<UsbPrinterDevice[]> {
  let devices: UsbPrinterDevice[];
  try {
    const { usb } = await import('usb');
    devices = (await usb.getDevices()) as unknown as UsbPrinterDevice[];
  } catch {
    return [];
  }
  return devices.filter(
    (d) =>
      (filter.vendorId === undefined || d.vendorId === filter.vendorId) &&
      (filter.productId === undefined || d.productId === filter.productId) &&
      (filter.serialNumber === undefined || d.serialNumber === filter.serialNumber) &&
      (d.configuration?.interfaces ?? []).some((i) => i.alternate.interfaceClass === USB_PRINTER_CLASS),
  );
}

/** A transport that finds the printer by ids on every (re)connect; 'unreachable' while it is absent. */
export function openUsbPrinter(filter: { vendorId: number; productId: number; serialNumber?: string }, timeoutMs?: number): UsbTransport {
  return new UsbTransport({
    timeoutMs,
    name: `usb:${hex4(filter.vendorId)}:${hex4(filter.productId)}${filter.serialNumber ? `:${filter.serialNumber}` : ''}`,
    device: async () => {
      const [d] = await findUsbPrinters(filter);
      if (!d) throw new Error('device not connected');
      return d;
    },
  });
}
