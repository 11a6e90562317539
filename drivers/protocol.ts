// Owns what one entry of the protocol registry is, and what each device class's driver offers the
// core whatever its protocol: a protocol declares its device class, its settings (a zod shape the
// terminal's device configuration embeds and validates), how to open a driver from those settings,
// how to say where the device is, and how USB hot-plug recognises it. A new protocol is its own files
// (bytes, driver, simulator) with one such definition, plus one line in registry.ts.
import type { z } from 'zod';
import type { ConnectionStatus, DriverError } from './errors';
import type { ReadFault } from './faults';
import type { IdCardRead, SamId } from './id-readers/sam-reader';
import type { MrzDocumentEvent } from './id-readers/mrz-reader';
import type { BadgeOutput } from './badges/badge-output';
import type { Printer } from './printers/printer';
import type { PassageSettings, RelayOutputs } from './relays/turnstile';
import type { OpenContext } from './transports';

export type DeviceClass = 'scanner' | 'id-reader' | 'relay' | 'printer' | 'payment-terminal';

/** What a printer is for: the stock it prints and so the jobs routed to it. */
export type PrintKind = 'receipt' | 'ticket' | 'badge' | 'label';
export const PRINT_KINDS = ['receipt', 'ticket', 'badge', 'label'] as const satisfies readonly PrintKind[];

/** A scanner of any protocol (serial, HID POS, Wiegand): scans with the driver's timestamp, and a
 *  typed `fault` for each scan that could not be read. */
export interface ScannerDriver {
  readonly status: ConnectionStatus;
  on(event: 'scan', listener: (e: { code: string; at: Date }) => void): unknown;
  on(event: 'fault', listener: (f: ReadFault) => void): unknown;
  on(event: 'error', listener: (e: { code: string; detail: string }) => void): unknown;
  on(event: 'status', listener: (s: ConnectionStatus) => void): unknown;
  /** Try to reconnect now (a matching USB device appeared). */
  nudge?(): void;
  close(): Promise<void>;
}

/** An ID card reader the core asks (read()) for the card on it, every pollMs (SAM readers). */
export interface CardReaderDriver {
  readonly mode: 'poll';
  readonly status: ConnectionStatus;
  read(): Promise<IdCardRead>;
  samId(): Promise<SamId>;
  on(event: 'fault', listener: (f: ReadFault) => void): unknown;
  on(event: 'status', listener: (s: ConnectionStatus) => void): unknown;
  on(event: 'error', listener: (e: DriverError) => void): unknown;
  nudge?(): void;
  close(): Promise<void>;
}

/** An ID document reader that sends each document presented to it (MRZ readers). */
export interface DocumentReaderDriver {
  readonly mode: 'push';
  readonly status: ConnectionStatus;
  on(event: 'document', listener: (e: MrzDocumentEvent) => void): unknown;
  on(event: 'fault', listener: (f: ReadFault) => void): unknown;
  on(event: 'error', listener: (e: { code: string; detail: string }) => void): unknown;
  on(event: 'status', listener: (s: ConnectionStatus) => void): unknown;
  nudge?(): void;
  close(): Promise<void>;
}

export type IdReaderDriver = CardReaderDriver | DocumentReaderDriver;

/** A relay board; boards with digital inputs (Modbus) also read them (the passage contact). */
export interface RelayBoard extends RelayOutputs {
  readInputs?(): Promise<boolean[]>;
  nudge?(): void;
}

/** Where a card terminal stands: finding it, registered and idle, running a command, or failed (with its cause). */
export type PaymentTerminalState = 'connecting' | 'registered' | 'busy' | 'fault';

/** A card terminal (ZVT): its state as it changes, and the payment commands. */
export interface PaymentTerminalDriver {
  readonly state: PaymentTerminalState;
  /** Why it is in fault (null otherwise). */
  readonly cause: DriverError | null;
  /** The currency it is registered in. */
  readonly currency: string;
  on(event: 'state', listener: (state: PaymentTerminalState, cause: DriverError | null) => void): unknown;
  authorize(amountMinor: number, currency: string): Promise<{ receiptNumber: number | null; traceNumber: number | null; approvalCode: string | null }>;
  reverse(receiptNumber: number): Promise<unknown>;
  refund(amountMinor: number): Promise<unknown>;
  describe(): string;
  close(): Promise<void>;
}

export interface DriverOf {
  scanner: ScannerDriver;
  'id-reader': IdReaderDriver;
  relay: RelayBoard;
  printer: Printer;
  'payment-terminal': PaymentTerminalDriver;
}

/** How hot-plug recognises a device: its USB ids, 'any' (configured by path only), or null (not USB). */
export type UsbIdentity = { vendorId: number; productId: number } | 'any' | null;

/** A protocol's settings as parsed (defaults applied). */
export type SettingsOf<S extends z.ZodRawShape> = z.output<z.ZodObject<S>>;
/** A protocol's settings as written (ids as hex text, defaults left out). */
export type SettingsInputOf<S extends z.ZodRawShape> = z.input<z.ZodObject<S>>;

export interface ProtocolDefinition<K extends DeviceClass = DeviceClass, S extends z.ZodRawShape = z.ZodRawShape> {
  readonly class: K;
  /** The protocol's settings: fields of the device's configuration entry beside id, name, kind, driver. */
  readonly settings: S;
  /** A printer's kinds when its configuration names none: what this protocol's printers are for. */
  readonly prints?: readonly PrintKind[];
  /** A rule across fields ("a path, or both ids"): the message, or null when the settings hold. */
  check?(settings: SettingsOf<S>): string | null;
  /** The running driver. May throw on settings no device can have (a channel the board lacks). */
  open(settings: SettingsOf<S>, ctx: OpenContext): DriverOf[K];
  /** Where the device is, for lists and logs ("serial /dev/ttyUSB0 @9600", "tcp 10.0.0.5:9100"). */
  describe(settings: SettingsOf<S>): string;
  usb?(settings: SettingsOf<S>): UsbIdentity;
  /** Relays with inputs: passage detection from the configured contact. */
  passage?(settings: SettingsOf<S>, board: RelayBoard): PassageSettings | undefined;
  /** Printers that print badge blocks: the image geometry a badge is sent in (badgeAsPrinted). */
  badge?(settings: SettingsOf<S>): BadgeOutput;
}

/** A registry entry, typed from its settings shape. */
export function defineProtocol<K extends DeviceClass, S extends z.ZodRawShape>(definition: ProtocolDefinition<K, S>): ProtocolDefinition<K, S> {
  return definition;
}
