// Owns finding what is plugged into a terminal: serial ports, HID devices and USB devices, each list
// [] rather than an error where the machine cannot tell (no udevadm, no hidraw, no USB bus in a
// container) — and USB hot-plug events from the `usb` package where it can deliver them safely.
import { SerialPort } from 'serialport';
import { listHidDevices, listUsbDevices, type HidDeviceInfo, type UsbDeviceInfo } from '../../../drivers';

export interface SerialPortInfo {
  path: string;
  manufacturer?: string;
  serialNumber?: string;
  /** Lower-case hex, as udev reports it ("1a86"). */
  vendorId?: string;
  productId?: string;
  pnpId?: string;
}

export interface Discovered {
  serial: SerialPortInfo[];
  hid: HidDeviceInfo[];
  usb: UsbDeviceInfo[];
}

const defined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/** Serial ports; [] where listing fails (SerialPort.list needs udevadm on Linux; opening by path does not). */
export async function listSerialPorts(): Promise<SerialPortInfo[]> {
  try {
    const ports = await SerialPort.list();
    return ports.map((p) =>
      defined({
        path: p.path,
        manufacturer: p.manufacturer,
        serialNumber: p.serialNumber,
        vendorId: p.vendorId?.toLowerCase(),
        productId: p.productId?.toLowerCase(),
        pnpId: p.pnpId,
      }),
    );
  } catch {
    return [];
  }
}

export interface DiscoverSources {
  serial?: () => Promise<SerialPortInfo[]>;
  hid?: () => Promise<HidDeviceInfo[]>;
  usb?: () => Promise<UsbDeviceInfo[]>;
}

/** Everything plugged in; each part [] on failure, never a rejection. */
export async function discover(sources: DiscoverSources = {}): Promise<Discovered> {
  const safe = async <T>(fn: () => Promise<T[]>): Promise<T[]> => {
    try {
      return await fn();
    } catch {
      return [];
    }
  };
  const [serial, hid, usb] = await Promise.all([
    safe(sources.serial ?? listSerialPorts),
    safe(sources.hid ?? (() => listHidDevices())),
    safe(sources.usb ?? (() => listUsbDevices())),
  ]);
  return { serial, hid, usb };
}

// ---- hot-plug ----------------------------------------------------------------------------------

export interface UsbConnectionEventLike {
  device: { vendorId: number; productId: number; serialNumber?: string | null };
}
type UsbListener = (ev: UsbConnectionEventLike) => void;

/** The slice of WebUSB's event target used here (`usb` 3.x's WebUSB, or a test double). */
export interface UsbEventSource {
  addEventListener(type: 'connect' | 'disconnect', listener: UsbListener): void;
  removeEventListener(type: 'connect' | 'disconnect', listener: UsbListener): void;
}

export interface UsbHotplugHandlers {
  connect(device: { vendorId: number; productId: number }): void;
  disconnect(device: { vendorId: number; productId: number }): void;
  /** The native hot-plug machinery failed after it started (reported, never thrown). */
  error?(e: unknown): void;
}

/**
 * The system's USB events, or null where they cannot be had safely. `usb` 3.x starts its native
 * hot-plug thread on the first listener and rethrows any failure of it from a timer (an uncaught
 * exception), and enumerates devices without a catch (an unhandled rejection where there is no
 * /sys/bus/usb). So: only where enumeration works, and with that queue made to report instead.
 */
export async function systemUsbEvents(onError: (e: unknown) => void = () => undefined): Promise<UsbEventSource | null> {
  try {
    const mod = (await import('usb')) as unknown as { WebUSB?: new (o: object) => unknown; default?: { WebUSB?: new (o: object) => unknown } };
    const WebUSB = mod.WebUSB ?? mod.default?.WebUSB;
    if (!WebUSB) return null;
    const api = new WebUSB({ allowAllDevices: true }) as UsbEventSource & {
      getDevices(): Promise<unknown[]>;
      queueNativeEmitterOperation?: unknown;
      nativeEmitterQueue?: unknown;
    };
    // Rejects without a USB bus: no bus, no hot-plug (and no listener that would crash on it).
    await api.getDevices();
    if (typeof api.queueNativeEmitterOperation !== 'function' || !(api.nativeEmitterQueue instanceof Promise)) return null;
    const internals = api as unknown as { queueNativeEmitterOperation: (op: () => Promise<void>) => void; nativeEmitterQueue: Promise<void> };
    internals.queueNativeEmitterOperation = (op) => {
      internals.nativeEmitterQueue = internals.nativeEmitterQueue.then(op).catch((e: unknown) => onError(e));
    };
    return api;
  } catch {
    return null;
  }
}

/** Listen for USB devices arriving and leaving; returns the function that stops listening. */
export function watchUsb(source: UsbEventSource, handlers: UsbHotplugHandlers): () => void {
  const ids = (ev: UsbConnectionEventLike) => ({ vendorId: ev.device.vendorId, productId: ev.device.productId });
  const onConnect: UsbListener = (ev) => {
    try {
      handlers.connect(ids(ev));
    } catch (e) {
      handlers.error?.(e);
    }
  };
  const onDisconnect: UsbListener = (ev) => {
    try {
      handlers.disconnect(ids(ev));
    } catch (e) {
      handlers.error?.(e);
    }
  };
  source.addEventListener('connect', onConnect);
  source.addEventListener('disconnect', onDisconnect);
  return () => {
    try {
      source.removeEventListener('connect', onConnect);
      source.removeEventListener('disconnect', onDisconnect);
    } catch (e) {
      handlers.error?.(e);
    }
  };
}
