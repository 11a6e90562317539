// Owns the protocol registry: per device class, every protocol a terminal can be configured with, by
// the name its configuration uses (`driver`), and opening a device from its configuration. Adding a
// printer, scanner, ID reader, relay or card terminal protocol means its own files (bytes, driver with its
// definition, simulator) and one line here; the terminal's configuration schema, the supervisor and
// the installer CLI pick it up from this table.
import { cupsProtocol } from './badges/cups-printer';
import { evolisProtocol } from './badges/evolis-printer';
import { zvtProtocol } from './payments/zvt-device';
import { mrzProtocol } from './id-readers/mrz-reader';
import { samSerialProtocol, samUsbProtocol } from './id-readers/sam-reader';
import { escposProtocol, escposTcpProtocol } from './printers/escpos-printer';
import { fglProtocol } from './printers/fgl-printer';
import { starProtocol } from './printers/star-printer';
import { tsplProtocol } from './printers/tspl-printer';
import { zplProtocol } from './printers/zpl-printer';
import { dcttechProtocol } from './relays/dcttech-relay';
import { lcusLegacyProtocol, lcusProtocol } from './relays/lcus-relay';
import { modbusRtuProtocol, modbusTcpProtocol } from './relays/modbus-relay';
import type { PassageSettings } from './relays/turnstile';
import { hidPosScannerProtocol } from './scanners/hid-pos-scanner';
import { serialScannerProtocol } from './scanners/serial-scanner';
import { wiegandProtocol } from './scanners/wiegand-reader';
import { DriverError } from './errors';
import type { DeviceClass, DriverOf, PrintKind, ProtocolDefinition, RelayBoard, SettingsInputOf, SettingsOf, UsbIdentity } from './protocol';
import type { OpenContext } from './transports';

export const PROTOCOLS = {
  scanner: {
    'serial-scanner': serialScannerProtocol,
    'hid-pos-scanner': hidPosScannerProtocol,
    wiegand: wiegandProtocol,
  },
  'id-reader': {
    'sam-serial': samSerialProtocol,
    'sam-usb': samUsbProtocol,
    mrz: mrzProtocol,
  },
  relay: {
    lcus: lcusProtocol,
    dcttech: dcttechProtocol,
    'modbus-rtu': modbusRtuProtocol,
    'modbus-tcp': modbusTcpProtocol,
    'lcus-relay': lcusLegacyProtocol,
  },
  printer: {
    escpos: escposProtocol,
    star: starProtocol,
    fgl: fglProtocol,
    tspl: tsplProtocol,
    zpl: zplProtocol,
    'escpos-tcp': escposTcpProtocol,
    evolis: evolisProtocol,
    cups: cupsProtocol,
  },
  'payment-terminal': {
    zvt: zvtProtocol,
  },
} as const;

type Protocols = typeof PROTOCOLS;
export type ProtocolName<K extends DeviceClass = DeviceClass> = { [C in K]: keyof Protocols[C] & string }[K];

/** The settings of one class's protocols, each tagged with its class and name, as parsed. */
export type ProtocolConfig<K extends DeviceClass = DeviceClass> = {
  [C in K]: {
    [N in keyof Protocols[C] & string]: { kind: C; driver: N } & (Protocols[C][N] extends ProtocolDefinition<C, infer S> ? SettingsOf<S> : never);
  }[keyof Protocols[C] & string];
}[K];

/** The same, as written. */
export type ProtocolConfigInput<K extends DeviceClass = DeviceClass> = {
  [C in K]: {
    [N in keyof Protocols[C] & string]: { kind: C; driver: N } & (Protocols[C][N] extends ProtocolDefinition<C, infer S> ? SettingsInputOf<S> : never);
  }[keyof Protocols[C] & string];
}[K];

/** Every protocol, class by class, in registry order. */
export function listProtocols(): { kind: DeviceClass; driver: string; definition: ProtocolDefinition }[] {
  return (Object.keys(PROTOCOLS) as DeviceClass[]).flatMap((kind) =>
    Object.entries(PROTOCOLS[kind]).map(([driver, definition]) => ({ kind, driver, definition: definition as unknown as ProtocolDefinition })),
  );
}

/** The definition of a class's protocol, or null for a name the registry does not know. */
export function protocolFor(kind: DeviceClass, driver: string): ProtocolDefinition | null {
  const table = PROTOCOLS[kind] as Record<string, ProtocolDefinition | undefined>;
  return Object.hasOwn(table, driver) ? (table[driver] ?? null) : null;
}

function definitionOf(config: { kind: DeviceClass; driver: string }): ProtocolDefinition {
  const d = protocolFor(config.kind, config.driver);
  if (!d) throw new DriverError('bad_config', `no ${config.kind} protocol '${config.driver}'`);
  return d;
}

/** Open the driver a device's configuration names. May throw on settings no device can have. */
export function openDevice<K extends DeviceClass>(config: { kind: K; driver: string }, ctx: OpenContext): DriverOf[K] {
  return definitionOf(config).open(config as never, ctx) as DriverOf[K];
}

/** Where a configured device is ("serial /dev/ttyUSB0 @9600", "tcp 10.0.0.5:9100", "usb 0c2e:0b87"). */
export function describeDevice(config: { kind: DeviceClass; driver: string }): string {
  return definitionOf(config).describe(config as never);
}

/** USB ids hot-plug matches a configured device by; 'any' when by path only; null when not USB. */
export function deviceUsbIdentity(config: { kind: DeviceClass; driver: string }): UsbIdentity {
  return definitionOf(config).usb?.(config as never) ?? null;
}

/** Passage detection of a turnstile relay whose board has inputs, from its configured contact. */
export function relayPassage(config: { kind: 'relay'; driver: string }, board: RelayBoard): PassageSettings | undefined {
  return definitionOf(config).passage?.(config as never, board);
}

/** What a printer protocol's printers are for when their configuration does not say. */
export function protocolPrints(config: { kind: 'printer'; driver: string }): readonly PrintKind[] {
  return definitionOf(config).prints ?? [];
}

/** A configuration's cross-field rule, as an issue message; null when it holds. */
export function checkSettings(config: { kind: DeviceClass; driver: string }): string | null {
  return definitionOf(config).check?.(config as never) ?? null;
}
