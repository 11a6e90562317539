// Owns the per-terminal device configuration: which scanners, ID readers, turnstile relays, printers
// and card terminals this terminal drives, validated on every write and persisted in the terminal's database
// (meta key `devices`). Each entry is an id and a name, a device class (`kind`) and a protocol
// (`driver`) from the drivers' registry with that protocol's own settings, plus how this terminal
// routes it: the lane a scanner, ID reader or relay belongs to (a scan opens only its own lane's
// turnstile) and the kinds of job a printer takes. The schema is built from the registry, so a new
// protocol needs no change here. Reading is forgiving per entry: one entry written by another
// version (or by hand) that no longer parses is reported and skipped, and the terminal's other
// devices still start.
import { z } from 'zod';
import {
  checkSettings,
  listProtocols,
  PRINT_KINDS,
  protocolPrints,
  type DeviceClass,
  type PrintKind,
  type ProtocolConfig,
  type ProtocolConfigInput,
} from '../../../drivers';
import type { Meta as Store } from '../db/meta';

/** Meta key of the JSON array of device configurations. */
export const DEVICES_META_KEY = 'devices';

/** Ids are short, stable, and safe in logs and on a command line. */
export const DeviceId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, ".", "_" or "-" (at most 64, starting with a letter or digit)');

/**
 * A lane: a scanner (or ID reader) and the turnstile relay it opens. Devices without one share the
 * terminal's default lane, so a configuration without lanes keeps one lane for everything.
 */
export const LaneName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/, 'letters, digits, ".", "_" or "-" (at most 32, starting with a letter or digit)');

/** The kinds of job a printer takes; without it, what its protocol is for (ESC/POS: receipts and tickets). */
export const PrinterKinds = z
  .array(z.enum(PRINT_KINDS))
  .min(1)
  .refine((kinds) => new Set(kinds).size === kinds.length, 'each kind once');

const base = { id: DeviceId, name: z.string().min(1).max(80) };

/** What this terminal adds to every protocol's settings, by device class. */
const routing: Record<DeviceClass, z.ZodRawShape> = {
  scanner: { lane: LaneName.optional() },
  'id-reader': { lane: LaneName.optional() },
  relay: { lane: LaneName.optional() },
  printer: { kinds: PrinterKinds.optional() },
  'payment-terminal': {},
};
type Routing = {
  scanner: { lane?: string };
  'id-reader': { lane?: string };
  relay: { lane?: string };
  printer: { kinds?: PrintKind[] };
  'payment-terminal': Record<never, never>;
};

export type DeviceKind = DeviceClass;
export type DeviceConfig = { [K in DeviceClass]: ProtocolConfig<K> & { id: string; name: string } & Routing[K] }[DeviceClass];
/** What a caller may write (ids as hex text, defaults left out). */
export type DeviceConfigInput = { [K in DeviceClass]: ProtocolConfigInput<K> & { id: string; name: string } & Routing[K] }[DeviceClass];
export type DriverName = DeviceConfig['driver'];
export type ConfigOf<D extends DriverName> = Extract<DeviceConfig, { driver: D }>;
export type ScannerConfig = Extract<DeviceConfig, { kind: 'scanner' }>;
export type IdReaderConfig = Extract<DeviceConfig, { kind: 'id-reader' }>;
export type RelayConfig = Extract<DeviceConfig, { kind: 'relay' }>;
export type PrinterConfig = Extract<DeviceConfig, { kind: 'printer' }>;
export type PaymentTerminalConfig = Extract<DeviceConfig, { kind: 'payment-terminal' }>;

function entrySchemas() {
  const seen = new Set<string>();
  return listProtocols().map(({ kind, driver, definition }) => {
    // Entries are told apart by `driver` alone: a name used by two classes would be ambiguous.
    if (seen.has(driver)) throw new Error(`protocol name '${driver}' is registered twice`);
    seen.add(driver);
    const entry = z.object({ ...base, kind: z.literal(kind), driver: z.literal(driver), ...routing[kind], ...definition.settings }).strict();
    if (!definition.check) return entry;
    return entry.superRefine((c, ctx) => {
      const issue = checkSettings(c as { kind: DeviceClass; driver: string });
      if (issue) ctx.addIssue({ code: 'custom', message: issue });
    });
  });
}

const ENTRIES = entrySchemas();

/** One device's configuration: a union keyed by `driver`, one member per registered protocol. */
export const DeviceConfig = z.discriminatedUnion('driver', ENTRIES as unknown as [z.ZodObject, ...z.ZodObject[]]) as unknown as z.ZodType<
  DeviceConfig,
  DeviceConfigInput
>;

export const DRIVER_NAMES: readonly DriverName[] = listProtocols().map((p) => p.driver as DriverName);

/** The kinds of job a printer takes: as configured, else what its protocol is for. */
export function printerKinds(c: PrinterConfig): readonly PrintKind[] {
  return c.kinds ?? protocolPrints(c);
}

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
