// Owns the per-terminal device configuration: which scanners, ID readers, turnstile relays and
// printers this terminal drives, as one zod union keyed by `driver`, validated on every write and
// persisted in the terminal's database (meta key `devices`). Reading is forgiving per entry: one
// entry written by another version (or by hand) that no longer parses is reported and skipped, and
// the terminal's other devices still start.
import { z } from 'zod';
import type { Meta as Store } from '../db/meta';

/** Meta key of the JSON array of device configurations. */
export const DEVICES_META_KEY = 'devices';

/** Ids are short, stable, and safe in logs and on a command line. */
export const DeviceId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, ".", "_" or "-" (at most 64, starting with a letter or digit)');

/** A USB vendor or product id: a number, or hex text such as "0x0c2e" or "0c2e". */
export const UsbId = z.union([
  z.number().int().min(0).max(0xffff),
  z
    .string()
    .regex(/^(0x)?[0-9a-fA-F]{1,4}$/, 'a 16-bit hex id such as "0x0c2e"')
    .transform((s) => parseInt(s.replace(/^0x/i, ''), 16)),
]);

const SerialPath = z.string().min(1).max(260);
const Baud = z.number().int().min(300).max(4_000_000);
const Host = z.string().min(1).max(253);
const Port = z.number().int().min(1).max(65535);

const base = { id: DeviceId, name: z.string().min(1).max(80) };

/** What a turnstile relay does on an admission: pulse `channel` for `pulseMs` (200–500 ms). */
const turnstile = {
  /** Relay channel wired to the controller's entry contact. */
  channel: z.number().int().min(1).max(16).default(1),
  pulseMs: z.number().int().min(200).max(500).default(300),
  /** Channels on the board (default: what the driver assumes for that board). */
  channels: z.number().int().min(1).max(16).optional(),
};

/** The controller's "passage done" contact on one of the board's digital inputs. */
export const PassageConfig = z
  .object({
    /** Input number, 1-based. */
    input: z.number().int().min(1).max(64).default(1),
    /** false when the contact reads 0 while a passage is signalled. */
    activeHigh: z.boolean().default(true),
    pollMs: z.number().int().min(50).max(100).default(75),
    debounceMs: z.number().int().min(0).max(2000).default(150),
    /** An opening with no passage within this long is annulled (well inside the gate's annul window). */
    noPassageTimeoutMs: z.number().int().min(1000).max(55_000).default(10_000),
  })
  .strict();
export type PassageConfig = z.infer<typeof PassageConfig>;

/** How a printer is reached. */
export const PrinterTransportConfig = z.discriminatedUnion('type', [
  z.object({ type: z.literal('tcp'), host: Host, port: Port.default(9100) }).strict(),
  z.object({ type: z.literal('serial'), path: SerialPath, baudRate: Baud.default(9600), rtscts: z.boolean().default(false) }).strict(),
  z.object({ type: z.literal('usb'), vendorId: UsbId, productId: UsbId, serialNumber: z.string().min(1).max(126).optional() }).strict(),
]);
export type PrinterTransportConfig = z.infer<typeof PrinterTransportConfig>;

const printer = <D extends 'escpos' | 'star' | 'fgl' | 'tspl' | 'zpl'>(driver: D) =>
  z
    .object({
      ...base,
      kind: z.literal('printer'),
      driver: z.literal(driver),
      transport: PrinterTransportConfig,
      /** Reply / connect timeout. */
      timeoutMs: z.number().int().min(200).max(30_000).default(3000),
    })
    .strict();

const hidTarget = <T extends z.ZodRawShape>(shape: T) =>
  z
    .object({
      ...shape,
      /** A node-hid path (from `npm run devices -- list`); or vendorId + productId for the first match. */
      path: z.string().min(1).max(260).optional(),
      vendorId: UsbId.optional(),
      productId: UsbId.optional(),
    })
    .strict();

export const DeviceConfig = z.discriminatedUnion('driver', [
  // ---- scanners: every kind's scans go to the gate --------------------------------------------
  /** Serial / virtual-COM scanner or gate scan box (RS-232/RS-485 ASCII + CR). */
  z
    .object({
      ...base,
      kind: z.literal('scanner'),
      driver: z.literal('serial-scanner'),
      path: SerialPath,
      baudRate: Baud.default(9600),
      terminator: z.enum(['CR', 'LF', 'CRLF', 'any']).default('any'),
    })
    .strict(),
  /** HID POS scanner (usage page 0x8C), by node-hid path or vendor/product id. */
  hidTarget({
    ...base,
    kind: z.literal('scanner'),
    driver: z.literal('hid-pos-scanner'),
    /** Send the Honeywell HID POS mode switch after opening. */
    enable: z.boolean().default(true),
  }).refine((c) => c.path !== undefined || (c.vendorId !== undefined && c.productId !== undefined), {
    message: 'a HID POS scanner needs a path or both vendorId and productId',
  }),
  /** Wiegand 26/34 reader behind a Wiegand-to-serial converter. */
  z.object({ ...base, kind: z.literal('scanner'), driver: z.literal('wiegand'), path: SerialPath, baudRate: Baud.default(9600) }).strict(),

  // ---- ID readers: reads go to the gate's ID-card search (hashed there, never stored) ---------
  /** Resident ID card reader (SAM protocol) on a serial line. */
  z
    .object({
      ...base,
      kind: z.literal('id-reader'),
      driver: z.literal('sam-serial'),
      path: SerialPath,
      baudRate: Baud.default(115200),
      /** How often the reader is asked for a card. */
      pollMs: z.number().int().min(100).max(10_000).default(500),
    })
    .strict(),
  /** Resident ID card reader (SAM protocol) on USB bulk endpoints. */
  z
    .object({
      ...base,
      kind: z.literal('id-reader'),
      driver: z.literal('sam-usb'),
      vendorId: UsbId,
      productId: UsbId,
      serialNumber: z.string().min(1).max(126).optional(),
      interfaceNumber: z.number().int().min(0).max(255).optional(),
      pollMs: z.number().int().min(100).max(10_000).default(500),
    })
    .strict(),
  /** MRZ (passport / travel document) reader on a serial line. */
  z.object({ ...base, kind: z.literal('id-reader'), driver: z.literal('mrz'), path: SerialPath, baudRate: Baud.default(9600) }).strict(),

  // ---- turnstile relays ------------------------------------------------------------------------
  /** LCUS serial relay board (CH340): no input, so no passage detection. */
  z.object({ ...base, kind: z.literal('relay'), driver: z.literal('lcus'), path: SerialPath, baudRate: Baud.default(9600), ...turnstile }).strict(),
  /** dcttech USBRelayN (or a CH551G clone) USB HID relay: no input either. */
  hidTarget({ ...base, kind: z.literal('relay'), driver: z.literal('dcttech'), variant: z.enum(['dcttech', 'ch551g']).default('dcttech'), ...turnstile }),
  /** Modbus RTU IO board: coils open the gate, a discrete input reports the passage. */
  z
    .object({
      ...base,
      kind: z.literal('relay'),
      driver: z.literal('modbus-rtu'),
      path: SerialPath,
      baudRate: Baud.default(9600),
      unit: z.number().int().min(1).max(247).default(1),
      ...turnstile,
      passage: PassageConfig.optional(),
    })
    .strict(),
  /** Modbus TCP IO board (or an RTU board behind a TCP gateway). */
  z
    .object({
      ...base,
      kind: z.literal('relay'),
      driver: z.literal('modbus-tcp'),
      host: Host,
      port: Port.default(502),
      unit: z.number().int().min(0).max(255).default(1),
      ...turnstile,
      passage: PassageConfig.optional(),
    })
    .strict(),
  /**
   * The first LCUS configuration shape, still accepted so terminals configured before the turnstile
   * model keep their relay. Its pulse is clamped to the turnstile's 200–500 ms when it starts.
   */
  z
    .object({
      ...base,
      kind: z.literal('relay'),
      driver: z.literal('lcus-relay'),
      path: SerialPath,
      baudRate: Baud.default(9600),
      channel: z.number().int().min(1).max(8).default(1),
      pulseMs: z.number().int().min(50).max(5000).default(300),
    })
    .strict(),

  // ---- printers --------------------------------------------------------------------------------
  printer('escpos').extend({ /** Characters per line in font A: 48 on 80 mm paper, 32 on 58 mm. */ width: z.number().int().min(24).max(64).default(48) }).strict(),
  printer('star'),
  printer('fgl'),
  printer('tspl'),
  printer('zpl'),
  /** The first ESC/POS shape (raw TCP only), still accepted. */
  z.object({ ...base, kind: z.literal('printer'), driver: z.literal('escpos-tcp'), host: Host, port: Port.default(9100) }).strict(),
]);
export type DeviceConfig = z.infer<typeof DeviceConfig>;
/** What a caller may write (ids as hex text, defaults left out). */
export type DeviceConfigInput = z.input<typeof DeviceConfig>;
export type DeviceKind = DeviceConfig['kind'];
export type DriverName = DeviceConfig['driver'];
export type ConfigOf<D extends DriverName> = Extract<DeviceConfig, { driver: D }>;
export type ScannerConfig = Extract<DeviceConfig, { kind: 'scanner' }>;
export type IdReaderConfig = Extract<DeviceConfig, { kind: 'id-reader' }>;
export type RelayConfig = Extract<DeviceConfig, { kind: 'relay' }>;
export type PrinterConfig = Extract<DeviceConfig, { kind: 'printer' }>;

export const DRIVER_NAMES: readonly DriverName[] = DeviceConfig.options.map((o) => o.shape.driver.value);

/** The whole list, as written: ids must be unique. */
export const DeviceConfigs = z.array(DeviceConfig).superRefine((list, ctx) => {
  const seen = new Set<string>();
  list.forEach((c, i) => {
    if (seen.has(c.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate device id '${c.id}'` });
    seen.add(c.id);
  });
});

export type ConfigProblem = { index: number; id: string | null; issues: string[] };

/** Readable one-line issues of a failed parse ("transport.port: Too big…"). */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`);
}

/** Parse one configuration (e.g. from the installer CLI). */
export function parseDeviceConfig(raw: unknown): { ok: true; config: DeviceConfig } | { ok: false; issues: string[] } {
  const r = DeviceConfig.safeParse(raw);
  return r.success ? { ok: true, config: r.data } : { ok: false, issues: describeIssues(r.error) };
}

/**
 * Parse a stored list entry by entry: what parses is kept (first of a duplicated id wins), what does
 * not is returned as a problem, so one bad entry never takes the terminal's other devices with it.
 */
export function parseStoredConfigs(raw: unknown): { configs: DeviceConfig[]; problems: ConfigProblem[] } {
  if (!Array.isArray(raw)) return { configs: [], problems: [{ index: -1, id: null, issues: ['the device list is not an array'] }] };
  const configs: DeviceConfig[] = [];
  const problems: ConfigProblem[] = [];
  const seen = new Set<string>();
  raw.forEach((entry, index) => {
    const id = typeof (entry as { id?: unknown })?.id === 'string' ? ((entry as { id: string }).id) : null;
    const r = DeviceConfig.safeParse(entry);
    if (!r.success) problems.push({ index, id, issues: describeIssues(r.error) });
    else if (seen.has(r.data.id)) problems.push({ index, id, issues: [`duplicate device id '${r.data.id}'`] });
    else {
      seen.add(r.data.id);
      configs.push(r.data);
    }
  });
  return { configs, problems };
}

/** The terminal's configured devices (forgiving, see parseStoredConfigs). */
export function loadDeviceConfigs(store: Pick<Store, 'getMeta'>): { configs: DeviceConfig[]; problems: ConfigProblem[] } {
  const text = store.getMeta(DEVICES_META_KEY);
  if (!text) return { configs: [], problems: [] };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { configs: [], problems: [{ index: -1, id: null, issues: ['the stored device list is not JSON'] }] };
  }
  return parseStoredConfigs(raw);
}

/** Validate the whole list (strictly: a bad entry or a duplicate id refuses the write) and store it. */
export function saveDeviceConfigs(store: Pick<Store, 'setMeta'>, configs: readonly DeviceConfigInput[]): DeviceConfig[] {
  const parsed = DeviceConfigs.parse(configs);
  store.setMeta(DEVICES_META_KEY, JSON.stringify(parsed));
  return parsed;
}

/** Where a device is, for lists and logs ("serial /dev/ttyUSB0", "tcp 10.0.0.5:9100", "usb 0c2e:0b87"). */
export function describeTarget(c: DeviceConfig): string {
  const hex4 = (n: number) => n.toString(16).padStart(4, '0');
  switch (c.driver) {
    case 'serial-scanner':
    case 'wiegand':
    case 'sam-serial':
    case 'mrz':
    case 'lcus':
    case 'lcus-relay':
    case 'modbus-rtu':
      return `serial ${c.path} @${c.baudRate}`;
    case 'hid-pos-scanner':
    case 'dcttech':
      return `hid ${c.path ?? `${hex4(c.vendorId ?? 0)}:${hex4(c.productId ?? 0)}`}`;
    case 'sam-usb':
      return `usb ${hex4(c.vendorId)}:${hex4(c.productId)}${c.serialNumber ? ` #${c.serialNumber}` : ''}`;
    case 'modbus-tcp':
      return `modbus tcp ${c.host}:${c.port} unit ${c.unit}`;
    case 'escpos-tcp':
      return `tcp ${c.host}:${c.port}`;
    case 'escpos':
    case 'star':
    case 'fgl':
    case 'tspl':
    case 'zpl': {
      const t = c.transport;
      return t.type === 'tcp'
        ? `tcp ${t.host}:${t.port}`
        : t.type === 'serial'
          ? `serial ${t.path} @${t.baudRate}`
          : `usb ${hex4(t.vendorId)}:${hex4(t.productId)}${t.serialNumber ? ` #${t.serialNumber}` : ''}`;
    }
  }
}
