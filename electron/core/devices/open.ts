// Owns turning one DeviceConfig into its running driver objects, shared by the supervisor (the
// running terminal) and the installer CLI (scripts/devices.ts): which driver, which transport, which
// options. HID and USB are reached through DeviceTransports, so tests and the demo hand in simulated
// transports while a terminal uses node-hid and `usb`. Every driver here reconnects by itself with
// backoff; the one link that has no reconnect of its own (a SAM reader on USB bulk) gets it here.
import { DriverError, type ConnectionStatus } from '../../../drivers/errors';
import { listHidDevices, openNodeHid, type HidTransport } from '../../../drivers/hid/transport';
import { openMrzReader, type MrzReader } from '../../../drivers/id-readers/mrz-reader';
import { openSerialSamReader, openUsbSamReader, type IdCardRead, type SamId } from '../../../drivers/id-readers/sam-reader';
import { createEscPosPrinter } from '../../../drivers/printers/escpos-printer';
import { createFglPrinter } from '../../../drivers/printers/fgl-printer';
import type { Printer } from '../../../drivers/printers/printer';
import { createStarPrinter } from '../../../drivers/printers/star-printer';
import { createTcpTransport } from '../../../drivers/printers/tcp-link';
import { createSerialTransport } from '../../../drivers/printers/transports/serial';
import type { PrinterTransport } from '../../../drivers/printers/transports/transport';
import { createUsbTransport, findUsbPrinters, type UsbPrinterDevice } from '../../../drivers/printers/transports/usb';
import { createTsplPrinter } from '../../../drivers/printers/tspl-printer';
import { createZplPrinter } from '../../../drivers/printers/zpl-printer';
import { openHidRelay } from '../../../drivers/relays/dcttech-relay';
import { DCTTECH_PRODUCT_ID, DCTTECH_VENDOR_ID } from '../../../drivers/relays/dcttech';
import { openLcusRelay } from '../../../drivers/relays/lcus-relay';
import { openModbusRelay } from '../../../drivers/relays/modbus-relay';
import { PULSE_MAX_MS, PULSE_MIN_MS, type PassageSettings, type RelayOutputs } from '../../../drivers/relays/turnstile';
import { HID_POS_USAGE_PAGE } from '../../../drivers/scanners/hid-pos';
import { openHidPosScanner } from '../../../drivers/scanners/hid-pos-scanner';
import { openSerialScanner } from '../../../drivers/scanners/serial-scanner';
import { openWiegandReader } from '../../../drivers/scanners/wiegand-reader';
import { openUsbBulk, type BulkTransport, type UsbBulkOptions } from '../../../drivers/usb/bulk-transport';
import type { IdReaderConfig, PrinterConfig, PrinterTransportConfig, RelayConfig, ScannerConfig } from './config';

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

export interface ReconnectOptions {
  initialDelayMs?: number;
  maxDelayMs?: number;
}

export interface OpenContext {
  transports: DeviceTransports;
  reconnect: ReconnectOptions;
}

export const defaultOpenContext = (): OpenContext => ({ transports: systemTransports, reconnect: {} });

// ---- scanners ----------------------------------------------------------------------------------

/** What every scanner driver (serial, HID POS, Wiegand) offers the core. */
export interface ScannerDriver {
  readonly status: ConnectionStatus;
  on(event: 'scan', listener: (e: { code: string }) => void): unknown;
  on(event: 'error', listener: (e: { code: string; detail: string }) => void): unknown;
  on(event: 'status', listener: (s: ConnectionStatus) => void): unknown;
  close(): Promise<void>;
}

export function openScanner(c: ScannerConfig, ctx: OpenContext): ScannerDriver {
  const { initialDelayMs, maxDelayMs } = ctx.reconnect;
  switch (c.driver) {
    case 'serial-scanner':
      return openSerialScanner({ path: c.path, baudRate: c.baudRate, terminator: c.terminator, initialDelayMs, maxDelayMs });
    case 'hid-pos-scanner':
      return openHidPosScanner({
        open: () => ctx.transports.openHid({ vendorId: c.vendorId, productId: c.productId, path: c.path, usagePage: HID_POS_USAGE_PAGE }),
        enable: c.enable,
        initialDelayMs,
        maxDelayMs,
      });
    case 'wiegand':
      return openWiegandReader({ path: c.path, baudRate: c.baudRate, initialDelayMs, maxDelayMs });
  }
}

// ---- relays ------------------------------------------------------------------------------------

/** A relay board; Modbus boards also read their digital inputs (the passage contact). */
export interface RelayBoard extends RelayOutputs {
  readInputs?(): Promise<boolean[]>;
}

export function openRelayBoard(c: RelayConfig, ctx: OpenContext): RelayBoard {
  const { initialDelayMs, maxDelayMs } = ctx.reconnect;
  switch (c.driver) {
    case 'lcus':
      return openLcusRelay({ path: c.path, baudRate: c.baudRate, channels: c.channels, initialDelayMs, maxDelayMs });
    case 'lcus-relay':
      return openLcusRelay({ path: c.path, baudRate: c.baudRate, initialDelayMs, maxDelayMs });
    case 'dcttech':
      return openHidRelay({
        open: () => ctx.transports.openHid({ vendorId: c.vendorId ?? (c.path ? undefined : DCTTECH_VENDOR_ID), productId: c.productId ?? (c.path ? undefined : DCTTECH_PRODUCT_ID), path: c.path }),
        variant: c.variant,
        channels: c.channels,
        initialDelayMs,
        maxDelayMs,
      });
    case 'modbus-rtu':
      return openModbusRelay({ transport: { kind: 'rtu', path: c.path, baudRate: c.baudRate, initialDelayMs, maxDelayMs }, unit: c.unit, channels: c.channels });
    case 'modbus-tcp':
      return openModbusRelay({ transport: { kind: 'tcp', host: c.host, port: c.port }, unit: c.unit, channels: c.channels });
  }
}

/** The relay channel an admission pulses, and for how long (the first LCUS shape is clamped to 200–500 ms). */
export function entryPulse(c: RelayConfig): { channel: number; pulseMs: number } {
  return { channel: c.channel, pulseMs: Math.min(PULSE_MAX_MS, Math.max(PULSE_MIN_MS, c.pulseMs)) };
}

/** Passage detection for boards with inputs (Modbus), from the configured contact. */
export function passageSettings(c: RelayConfig, board: RelayBoard): PassageSettings | undefined {
  if ((c.driver !== 'modbus-rtu' && c.driver !== 'modbus-tcp') || !c.passage || !board.readInputs) return undefined;
  const p = c.passage;
  const input = { readInputs: () => board.readInputs!() };
  return { input, inputs: p.input, activeHigh: p.activeHigh, pollMs: p.pollMs, debounceMs: p.debounceMs, timeoutMs: p.noPassageTimeoutMs };
}

// ---- printers ----------------------------------------------------------------------------------

const hex4 = (n: number) => n.toString(16).padStart(4, '0');

export function openPrinterTransport(t: PrinterTransportConfig, timeoutMs: number, ctx: OpenContext): PrinterTransport {
  switch (t.type) {
    case 'tcp':
      return createTcpTransport({ host: t.host, port: t.port, timeoutMs });
    case 'serial':
      return createSerialTransport({ path: t.path, baudRate: t.baudRate, rtscts: t.rtscts, timeoutMs });
    case 'usb':
      return createUsbTransport({
        timeoutMs,
        name: `usb:${hex4(t.vendorId)}:${hex4(t.productId)}${t.serialNumber ? `:${t.serialNumber}` : ''}`,
        // Looked up on every (re)connect: 'unreachable' while it is unplugged.
        device: async () => {
          const d = await ctx.transports.findUsbPrinter({ vendorId: t.vendorId, productId: t.productId, serialNumber: t.serialNumber });
          if (!d) throw new Error('device not connected');
          return d;
        },
      });
  }
}

export function openPrinter(c: PrinterConfig, ctx: OpenContext): Printer {
  if (c.driver === 'escpos-tcp') return createEscPosPrinter({ host: c.host, port: c.port, timeoutMs: 3000 });
  const transport = openPrinterTransport(c.transport, c.timeoutMs, ctx);
  switch (c.driver) {
    case 'escpos':
      return createEscPosPrinter({ transport, width: c.width });
    case 'star':
      return createStarPrinter({ transport });
    case 'fgl':
      return createFglPrinter({ transport });
    case 'tspl':
      return createTsplPrinter({ transport });
    case 'zpl':
      return createZplPrinter({ transport });
  }
}

export { printerRefusal } from '../../../drivers/printers/printer';

// ---- ID readers --------------------------------------------------------------------------------

/** A SAM reader as the core uses it, whatever carries it. */
export interface SamLink {
  readonly status: ConnectionStatus;
  read(): Promise<IdCardRead>;
  samId(): Promise<SamId>;
  on(event: 'status', listener: (s: ConnectionStatus) => void): unknown;
  on(event: 'error', listener: (e: DriverError) => void): unknown;
  close(): Promise<void>;
  /** Try to reconnect now (a USB device just appeared). */
  nudge?(): void;
}

export function openSamLink(c: Extract<IdReaderConfig, { driver: 'sam-serial' | 'sam-usb' }>, ctx: OpenContext): SamLink {
  const { initialDelayMs, maxDelayMs } = ctx.reconnect;
  if (c.driver === 'sam-serial') return openSerialSamReader({ path: c.path, baudRate: c.baudRate, initialDelayMs, maxDelayMs });
  return openUsbSamReader({
    open: () => ctx.transports.openUsbBulk({ vendorId: c.vendorId, productId: c.productId, serialNumber: c.serialNumber, interfaceNumber: c.interfaceNumber }),
    initialDelayMs,
    maxDelayMs,
  });
}

export function openMrz(c: Extract<IdReaderConfig, { driver: 'mrz' }>, ctx: OpenContext): MrzReader {
  return openMrzReader({ path: c.path, baudRate: c.baudRate, ...ctx.reconnect });
}

/** USB vendor/product a configured device is found by (hot-plug matching); 'any' when by path only. */
export function usbIdentity(c: ScannerConfig | IdReaderConfig | RelayConfig | PrinterConfig): { vendorId: number; productId: number } | 'any' | null {
  switch (c.driver) {
    case 'hid-pos-scanner':
      return c.vendorId !== undefined && c.productId !== undefined ? { vendorId: c.vendorId, productId: c.productId } : 'any';
    case 'dcttech':
      return c.path && (c.vendorId === undefined || c.productId === undefined)
        ? 'any'
        : { vendorId: c.vendorId ?? DCTTECH_VENDOR_ID, productId: c.productId ?? DCTTECH_PRODUCT_ID };
    case 'sam-usb':
      return { vendorId: c.vendorId, productId: c.productId };
    case 'escpos':
    case 'star':
    case 'fgl':
    case 'tspl':
    case 'zpl':
      return c.transport.type === 'usb' ? { vendorId: c.transport.vendorId, productId: c.transport.productId } : null;
    default:
      return null;
  }
}

/** Mask an ID or document number for screens and the CLI: only the last four characters show. */
export function maskIdNumber(id: string): string {
  const clean = id.replace(/\s+/g, '');
  return clean.length <= 4 ? '*'.repeat(clean.length) : `${'*'.repeat(clean.length - 4)}${clean.slice(-4)}`;
}
