// Owns how a device protocol reaches hardware that is not a plain path or address: HID devices, USB
// bulk endpoints and USB printers, behind one DeviceTransports object. The system one uses node-hid
// and `usb` (each imported lazily); tests, the demo and the installer's dry runs hand in simulated
// transports instead, so the protocol code above them is the same. OpenContext carries it, with the
// reconnect backoff, into every protocol's open().
import { DriverError } from './errors';
import { listHidDevices, openNodeHid, type HidTransport } from './hid/transport';
import { findUsbPrinters, type UsbPrinterDevice } from './printers/transports/usb';
import type { ReconnectOptions } from './reconnect';
import { openUsbBulk, type BulkTransport, type UsbBulkOptions } from './usb/bulk-transport';

export interface HidTarget {
  vendorId?: number;
  productId?: number;
  path?: string;
  /** Pick this interface when vendor/product match several (a HID POS scanner also has a keyboard). */
  usagePage?: number;
}

/** How HID and USB devices are reached; the defaults use node-hid and `usb`, tests pass simulators. */
export interface DeviceTransports {
  openHid(target: HidTarget): Promise<HidTransport>;
  openUsbBulk(options: UsbBulkOptions): Promise<BulkTransport>;
  /** The printer-class USB device matching the filter, or null when it is not plugged in. */
  findUsbPrinter(filter: { vendorId: number; productId: number; serialNumber?: string }): Promise<UsbPrinterDevice | null>;
}

export const systemTransports: DeviceTransports = {
  async openHid(t) {
    let { vendorId, productId } = t;
    if ((vendorId === undefined || productId === undefined) && t.path) {
      // Configured by path only: its ids come from the system's list.
      const found = (await listHidDevices()).find((d) => d.path === t.path);
      if (!found) throw new DriverError('not_found', `no HID device at ${t.path}`);
      vendorId = found.vendorId;
      productId = found.productId;
    }
    if (vendorId === undefined || productId === undefined) throw new DriverError('not_found', 'no HID path or vendor/product id given');
    return openNodeHid({ vendorId, productId, path: t.path, usagePage: t.path ? undefined : t.usagePage });
  },
  openUsbBulk: (o) => openUsbBulk(o),
  async findUsbPrinter(filter) {
    return (await findUsbPrinters(filter))[0] ?? null;
  },
};

/** What every protocol's open() gets besides its settings. */
export interface OpenContext {
  transports: DeviceTransports;
  reconnect: ReconnectOptions;
}

/** The system's transports, completed where `transports` leaves a gap, and the reconnect backoff. */
export function openContext(options: { transports?: Partial<DeviceTransports>; reconnect?: ReconnectOptions } = {}): OpenContext {
  return { transports: { ...systemTransports, ...options.transports }, reconnect: options.reconnect ?? {} };
}
