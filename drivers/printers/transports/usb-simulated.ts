// Owns a simulated USB printer-class device for tests and demos (this machine has no USB bus): it
// offers the same WebUSB-shaped surface as a `usb` 3.x device — interface 0 of class 0x07, protocol 2
// (bidirectional), bulk OUT endpoint 1, bulk IN endpoint 2 — and hands job bytes to a device-side
// handler (a printer simulator) whose replies are queued for bulk IN. unplug() makes every transfer
// fail as a pulled cable does.
import type { UsbConfigurationLike, UsbPrinterDevice } from './usb';

export interface SimulatedUsbOptions {
  vendorId?: number;
  productId?: number;
  serialNumber?: string;
  productName?: string;
  /** false: protocol 1, no bulk IN endpoint (a unidirectional printer). */
  bidirectional?: boolean;
}

const NO_DEVICE = 'LIBUSB_ERROR_NO_DEVICE';

export class SimulatedUsbPrinter implements UsbPrinterDevice {
  readonly vendorId: number;
  readonly productId: number;
  readonly serialNumber: string | null;
  readonly productName: string | null;
  readonly #config: UsbConfigurationLike;
  #opened = false;
  #selected = false;
  #claimed = new Set<number>();
  #plugged = true;
  #inQueue: Buffer = Buffer.alloc(0);
  #waitingIn: { length: number; resolve: (r: { status: string; data: DataView }) => void; reject: (e: Error) => void } | null = null;
  #onHostData: (bytes: Buffer) => void = () => {};
  #onReset: () => void = () => {};

  constructor(options: SimulatedUsbOptions = {}) {
    this.vendorId = options.vendorId ?? 0x0519;
    this.productId = options.productId ?? 0x0001;
    this.serialNumber = options.serialNumber ?? 'SIM0001';
    this.productName = options.productName ?? 'Simulated printer';
    const bidi = options.bidirectional ?? true;
    this.#config = {
      configurationValue: 1,
      interfaces: [
        {
          interfaceNumber: 0,
          alternate: {
            interfaceClass: 0x07,
            interfaceSubclass: 0x01,
            interfaceProtocol: bidi ? 0x02 : 0x01,
            endpoints: [
              { endpointNumber: 1, direction: 'out', type: 'bulk', packetSize: 64 },
              ...(bidi ? [{ endpointNumber: 2, direction: 'in' as const, type: 'bulk' as const, packetSize: 64 }] : []),
            ],
          },
        },
      ],
    };
  }

  // ---- device side ----

  /** Where the host's bulk OUT bytes go (the printer simulator's parser). */
  onHostData(handler: (bytes: Buffer) => void): void {
    this.#onHostData = handler;
  }
  /** Called when the host closes the device or the cable is pulled (ends the simulator's session). */
  onReset(handler: () => void): void {
    this.#onReset = handler;
  }
  /** Queue bytes for the host's next bulk IN transfer. */
  deviceWrite(bytes: Uint8Array): void {
    if (!this.#plugged) return;
    this.#inQueue = Buffer.concat([this.#inQueue, bytes]);
    this.#serveIn();
  }
  unplug(): void {
    this.#plugged = false;
    this.#opened = false;
    this.#claimed.clear();
    this.#inQueue = Buffer.alloc(0);
    const w = this.#waitingIn;
    this.#waitingIn = null;
    w?.reject(new Error(NO_DEVICE));
    this.#onReset();
  }
  replug(): void {
    this.#plugged = true;
  }
  get plugged(): boolean {
    return this.#plugged;
  }

  // ---- host side (WebUSB shape) ----

  get opened(): boolean {
    return this.#opened;
  }
  get configuration(): UsbConfigurationLike | undefined {
    return this.#selected ? this.#config : undefined;
  }
  async open(): Promise<void> {
    this.#check();
    this.#opened = true;
  }
  async close(): Promise<void> {
    if (!this.#opened) return;
    this.#opened = false;
    this.#claimed.clear();
    const w = this.#waitingIn;
    this.#waitingIn = null;
    w?.reject(new Error('LIBUSB_TRANSFER_CANCELLED'));
    this.#onReset();
  }
  async selectConfiguration(value: number): Promise<void> {
    this.#check(true);
    if (value !== 1) throw new Error(`no configuration ${value}`);
    this.#selected = true;
  }
  async claimInterface(n: number): Promise<void> {
    this.#check(true);
    if (n !== 0) throw new Error(`no interface ${n}`);
    this.#claimed.add(n);
  }
  async releaseInterface(n: number): Promise<void> {
    this.#claimed.delete(n);
  }
  async detachKernelDriver(): Promise<void> {
    // No kernel driver on a simulated bus; real usb 3.x rejects here too when none is attached.
    throw new Error('LIBUSB_ERROR_NOT_FOUND');
  }
  async transferOut(endpointNumber: number, data: Uint8Array): Promise<{ status: string; bytesWritten: number }> {
    this.#check(true, true);
    if (endpointNumber !== 1) throw new Error(`no OUT endpoint ${endpointNumber}`);
    const bytes = Buffer.from(data);
    // Delivered after the transfer completes, as the device's firmware sees it.
    setImmediate(() => {
      if (this.#plugged) this.#onHostData(bytes);
    });
    return { status: 'ok', bytesWritten: bytes.length };
  }
  transferIn(endpointNumber: number, length: number): Promise<{ status: string; data: DataView }> {
    try {
      this.#check(true, true);
      if (endpointNumber !== 2 || this.#config.interfaces[0]!.alternate.endpoints.length < 2) throw new Error(`no IN endpoint ${endpointNumber}`);
      if (this.#waitingIn) throw new Error('LIBUSB_ERROR_BUSY: a bulk IN transfer is already pending');
    } catch (e) {
      return Promise.reject(e);
    }
    return new Promise((resolve, reject) => {
      this.#waitingIn = { length, resolve, reject };
      this.#serveIn();
    });
  }

  #serveIn(): void {
    const w = this.#waitingIn;
    if (!w || this.#inQueue.length === 0) return;
    const chunk = Buffer.from(this.#inQueue.subarray(0, w.length));
    this.#inQueue = this.#inQueue.subarray(chunk.length);
    this.#waitingIn = null;
    w.resolve({ status: 'ok', data: new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength) });
  }

  #check(needOpen = false, needClaim = false): void {
    if (!this.#plugged) throw new Error(NO_DEVICE);
    if (needOpen && !this.#opened) throw new Error('device is not open');
    if (needClaim && !this.#claimed.has(0)) throw new Error('interface 0 is not claimed');
  }
}
