// Owns the running devices of a terminal: starts each from its configuration, keeps a failing driver
// (throwing while it starts, emitting errors, a listener that throws) from touching the others or the
// core, pushes each device's status, routes scans and ID reads out as events with their device, lane
// and the driver's timestamp, and each read that failed with its device, lane and fault kind, opens the turnstiles of the admission's lane and reports a check-in
// whose opening no turnstile saw used (no passage), holds every turnstile open in an emergency until
// released, and prints each job on the printer configured for its kind through the durable queue.
// Lanes: a scanner or ID reader and the relays of its lane; devices without a lane share the
// default lane, so a configuration without lanes opens every turnstile for every admission.
// Reconnecting is each driver's own (backoff after an unplug); USB hot-plug events only make a
// waiting device try again at once.
import type Database from 'better-sqlite3';
import type { DeviceStatus } from '../../contract';
import { DEFAULT_FAULT_POLICY, type FaultPolicy, type ReadFaultKind } from '../../../domain/device-faults';
import { DriverError, openContext, type DeviceTransports, type OpenContext, type PrintDocument, type PrintKind, type ReadFault, type ReconnectOptions } from '../../../drivers';
import type { Logger } from '../dispatcher';
import { createPrintQueue, type PrintJobKind, type PrintQueue, type PrinterQueueStatus } from '../printing/queue';
import { printerKinds, type DeviceConfig, type PrinterConfig } from './config';
import { discover, systemUsbEvents, watchUsb, type Discovered, type DiscoverSources, type UsbEventSource } from './discovery';
import { createUnit, PaymentTerminalUnit, PrinterUnit, reasonOf, RelayUnit, type Unit, type UnitHost } from './units';

export type SupervisorEvents = {
  status: [DeviceStatus];
  /** A scan, with the time its driver read it and the lane of its scanner (null: the default lane). */
  scan: [{ deviceId: string; code: string; at: Date; lane: string | null }];
  /**
   * A scan or ID read that failed (garbled, too long, parity, checksum, timeout, …). `presented`: a
   * holder's code or card could not be read, so the gate asks for it again; false: the reader itself
   * did not answer. `code` is the protocol's own; never log `detail` of an ID reader (it may hold
   * part of a card's text).
   */
  readFault: [
    {
      deviceId: string;
      deviceKind: 'scanner' | 'id-reader';
      deviceName: string;
      lane: string | null;
      kind: ReadFaultKind;
      code: string;
      presented: boolean;
      at: Date;
    },
  ];
  /** An ID document was read. The number is for the gate's hashed lookup only: never log or keep it. */
  idCard: [{ deviceId: string; source: 'sam' | 'mrz'; idNumber: string; at: Date; lane: string | null }];
  passage: [{ deviceId: string; checkinId: string | null; lane: string | null }];
  /** No turnstile of the check-in's lane that can tell saw a passage after its opening. */
  noPassage: [{ checkinId: string; lane: string | null }];
  /** Emergency open-all began (true) or ended (false). */
  emergency: [boolean];
  hotplug: [{ type: 'connect' | 'disconnect'; vendorId: number; productId: number }];
};

export interface SupervisorOptions {
  /** The terminal's database: enables the durable print queue. Without it, prints go straight to the printer. */
  db?: Database.Database;
  log?: Logger;
  /** HID / USB access (default node-hid and `usb`; tests pass simulated transports). */
  transports?: Partial<DeviceTransports>;
  /** Reconnect backoff handed to every driver that takes it. */
  reconnect?: ReconnectOptions;
  /** How often an idle printer's status is read (paper low / out shows without a job). Default 5000; 0: never. */
  printerPollMs?: number;
  /** Print queue retry backoff of a held job (default 1 s doubling to 30 s). */
  printRetryInitialMs?: number;
  printRetryMaxMs?: number;
  /** A SAM card left on the reader is not read again within this long. Default 3000. */
  idRepeatMs?: number;
  /** When a scanner or ID reader shows as faulty (default: 3 faults in a row, or 5 of the last 10 reads). */
  faultPolicy?: Partial<FaultPolicy>;
  /** USB hot-plug events: default the `usb` package where it can deliver them; false: none. */
  usbEvents?: UsbEventSource | false;
  /** Discovery sources (tests). */
  discoverSources?: DiscoverSources;
}

export interface EmergencyResult {
  emergency: boolean;
  /** Relays that could not be switched (each keeps trying on reconnect). */
  failed: { id: string; reason: string }[];
}

export interface PrintOutcome {
  printed: boolean;
  /**
   * Why not (paper_out, cover_open, unreachable, print_timeout, …); null when printed. `no_printer`:
   * this terminal has no printer; `no_printer_for_kind`: none is configured for a job's kind (those
   * jobs are not queued, the others print).
   */
  printError: string | null;
  jobIds: string[];
  /** The kinds of job no printer is configured for. */
  unrouted: PrintKind[];
}

/** Held-job reasons only a person can clear: a sale answers printed:false at once for these. */
const OPERATOR_REASONS = new Set(['paper_out', 'cover_open', 'printer_error', 'offline', 'jam', 'ribbon_out']);

/** How long a sale waits for its tickets to print before answering printed:false. */
export const SALE_PRINT_WAIT_MS = 5000;

const consoleLog: Logger = {
  warn: (msg, data) => console.warn(`[devices] ${msg}`, data ?? ''),
  error: (msg, data) => console.error(`[devices] ${msg}`, data ?? ''),
};

type Listener<A extends unknown[]> = (...args: A) => unknown;

/**
 * The check-ins whose openings wait for passage, across turnstiles: annulled only when every
 * turnstile that was opened for it and can tell reported no passage, and none saw one.
 */
class PassageTracker {
  readonly #open = new Map<string, { armed: Set<string>; reported: Set<string>; passed: boolean }>();

  /** `deviceId`: one of the turnstiles that reported no passage. */
  constructor(private readonly onNoPassage: (checkinId: string, deviceId: string) => void) {}

  armed(checkinId: string, deviceId: string): void {
    let e = this.#open.get(checkinId);
    if (!e) this.#open.set(checkinId, (e = { armed: new Set(), reported: new Set(), passed: false }));
    e.armed.add(deviceId);
  }

  passed(checkinId: string, deviceId: string): void {
    const e = this.#open.get(checkinId);
    if (!e) return;
    e.passed = true;
    e.reported.add(deviceId);
    this.#settle(checkinId, deviceId);
  }

  noPassage(checkinId: string, deviceId: string): void {
    const e = this.#open.get(checkinId);
    if (!e) return;
    e.reported.add(deviceId);
    this.#settle(checkinId, deviceId);
  }

  clear(): void {
    this.#open.clear();
  }

  #settle(checkinId: string, deviceId: string): void {
    const e = this.#open.get(checkinId)!;
    if ([...e.armed].some((d) => !e.reported.has(d))) return;
    this.#open.delete(checkinId);
    if (!e.passed) this.onNoPassage(checkinId, deviceId);
  }
}

export class DeviceSupervisor {
  readonly #listeners = new Map<keyof SupervisorEvents, Set<Listener<never[]>>>();
  readonly #units = new Map<string, Unit>();
  readonly #log: Logger;
  readonly #options: SupervisorOptions;
  readonly #ctx: OpenContext;
  readonly #tracker: PassageTracker;
  #configs: DeviceConfig[] = [];
  #queue: PrintQueue | null = null;
  #emergency = false;
  #stopHotplug: (() => void) | null = null;
  #generation = 0;

  constructor(options: SupervisorOptions = {}) {
    this.#options = options;
    this.#log = options.log ?? consoleLog;
    this.#ctx = openContext({ transports: options.transports, reconnect: options.reconnect });
    this.#tracker = new PassageTracker((checkinId, deviceId) => this.#emit('noPassage', { checkinId, lane: this.laneOf(deviceId) }));
  }

  // ---- events (every listener isolated: a throw or a rejection is logged, the others still run) ----

  on<K extends keyof SupervisorEvents>(event: K, listener: Listener<SupervisorEvents[K]>): this {
    let set = this.#listeners.get(event);
    if (!set) this.#listeners.set(event, (set = new Set()));
    set.add(listener as unknown as Listener<never[]>);
    return this;
  }

  off<K extends keyof SupervisorEvents>(event: K, listener: Listener<SupervisorEvents[K]>): this {
    this.#listeners.get(event)?.delete(listener as unknown as Listener<never[]>);
    return this;
  }

  #emit<K extends keyof SupervisorEvents>(event: K, ...args: SupervisorEvents[K]): void {
    for (const l of [...(this.#listeners.get(event) ?? [])]) {
      const failed = (e: unknown) => this.#log.error('device event listener failed', { event, error: e instanceof Error ? e.message : String(e) });
      try {
        const r = (l as unknown as Listener<SupervisorEvents[K]>)(...args);
        if (r && typeof (r as Promise<unknown>).then === 'function') (r as Promise<unknown>).then(undefined, failed);
      } catch (e) {
        failed(e);
      }
    }
  }

  // ---- lifecycle -------------------------------------------------------------------------------

  /** Start every configured device. Never throws: a device that cannot start shows as its error. */
  start(configs: readonly DeviceConfig[]): void {
    if (this.#units.size > 0) throw new Error('devices already started: close() first');
    this.#generation++;
    this.#configs = [...configs];
    for (const config of configs) this.#startUnit(config);
    this.#startQueue();
    this.#startHotplug();
  }

  /** Stop printing (the job in hand finishes), then close every driver. */
  async close(): Promise<void> {
    this.#generation++;
    this.#stopHotplug?.();
    this.#stopHotplug = null;
    const queue = this.#queue;
    this.#queue = null;
    await queue?.stop().catch((e: unknown) => this.#log.error('print queue did not stop cleanly', { error: String(e) }));
    const units = [...this.#units.values()];
    this.#units.clear();
    this.#tracker.clear();
    await Promise.allSettled(units.map((u) => u.close()));
  }

  /** Restart one device from its configuration (reconnect at once, or pick up a fixed setting). */
  async restartDevice(id: string): Promise<void> {
    const config = this.#configs.find((c) => c.id === id);
    const unit = this.#units.get(id);
    if (!config || !unit) throw new DriverError('not_found', `no device '${id}'`);
    const generation = this.#generation;
    this.#units.delete(id);
    await unit.close().catch(() => undefined);
    // Unless the whole set was closed or restarted meanwhile.
    if (generation === this.#generation && !this.#units.has(id)) this.#startUnit(config);
  }

  /**
   * Bring the running set to this configuration without touching what did not change: devices no
   * longer listed are closed, new ones started, changed ones restarted. The print queue is made anew
   * only when the printers changed. Never throws for a device: one that cannot start shows as its error.
   */
  async apply(configs: readonly DeviceConfig[]): Promise<void> {
    const same = (a: DeviceConfig, b: DeviceConfig) => JSON.stringify(a) === JSON.stringify(b);
    const before = new Map(this.#configs.map((c) => [c.id, c]));
    const after = new Map(configs.map((c) => [c.id, c]));
    const gone = [...before.values()].filter((c) => !after.has(c.id) || !same(c, after.get(c.id)!));
    const fresh = configs.filter((c) => !before.has(c.id) || !same(before.get(c.id)!, c));
    const printersChanged = [...gone, ...fresh].some((c) => c.kind === 'printer');
    this.#configs = [...configs];
    if (printersChanged) {
      const queue = this.#queue;
      this.#queue = null;
      await queue?.stop().catch((e: unknown) => this.#log.error('print queue did not stop cleanly', { error: String(e) }));
    }
    await Promise.allSettled(
      gone.map(async (c) => {
        const unit = this.#units.get(c.id);
        this.#units.delete(c.id);
        await unit?.close();
      }),
    );
    for (const c of fresh) this.#startUnit(c);
    if (printersChanged) this.#startQueue();
    if (!this.#stopHotplug && fresh.length > 0) this.#startHotplug();
  }

  /** The card terminal payments go through: the first configured one that is running, and whether it
   *  takes payments now (registered or busy). Null when none is configured. */
  paymentTerminal(): { id: string; ready: boolean; terminal: NonNullable<PaymentTerminalUnit['terminal']> } | null {
    for (const c of this.#configs) {
      const u = this.#units.get(c.id);
      if (u instanceof PaymentTerminalUnit && u.terminal) return { id: u.id, ready: u.ready, terminal: u.terminal };
    }
    return null;
  }

  list(): DeviceStatus[] {
    return this.#configs.map((c) => this.#units.get(c.id)?.status).filter((s): s is DeviceStatus => s !== undefined);
  }

  get configs(): readonly DeviceConfig[] {
    return this.#configs;
  }

  get queue(): PrintQueue | null {
    return this.#queue;
  }

  get emergency(): boolean {
    return this.#emergency;
  }

  /** Serial ports, HID and USB devices present now ([] for what cannot be listed here). */
  discover(): Promise<Discovered> {
    return discover(this.#options.discoverSources);
  }

  #startUnit(config: DeviceConfig): void {
    const unit = createUnit(config, this.#host());
    this.#units.set(config.id, unit);
    this.#report(unit);
    try {
      unit.start();
    } catch (e) {
      this.#log.error('device failed to start', { deviceId: config.id, error: reasonOf(e) });
      unit.fail(e);
    }
  }

  #host(): UnitHost {
    const opts = this.#options;
    const isEmergency = () => this.#emergency;
    return {
      ctx: this.#ctx,
      log: this.#log,
      get emergency() {
        return isEmergency();
      },
      printerPollMs: opts.printerPollMs ?? 5000,
      idRepeatMs: opts.idRepeatMs ?? 3000,
      faultPolicy: { ...DEFAULT_FAULT_POLICY, ...opts.faultPolicy },
      guard: (deviceId, what, fn) => this.#guard(deviceId, what, fn),
      report: (unit) => this.#report(unit),
      scan: (deviceId, code, at) => this.#emit('scan', { deviceId, code, at, lane: this.laneOf(deviceId) }),
      readFault: (deviceId, f) => this.#readFault(deviceId, f),
      idCard: (deviceId, source, idNumber, at) => this.#emit('idCard', { deviceId, source, idNumber, at, lane: this.laneOf(deviceId) }),
      armed: (checkinId, deviceId) => this.#tracker.armed(checkinId, deviceId),
      passage: (deviceId, checkinId) => {
        if (checkinId) this.#tracker.passed(checkinId, deviceId);
        this.#emit('passage', { deviceId, checkinId, lane: this.laneOf(deviceId) });
      },
      noPassage: (checkinId, deviceId) => this.#tracker.noPassage(checkinId, deviceId),
      printerReady: (deviceId) => this.#queue?.wake(deviceId),
    };
  }

  #readFault(deviceId: string, f: ReadFault): void {
    const c = this.#configs.find((x) => x.id === deviceId);
    if (!c || (c.kind !== 'scanner' && c.kind !== 'id-reader')) return;
    this.#emit('readFault', { deviceId, deviceKind: c.kind, deviceName: c.name, lane: this.laneOf(deviceId), kind: f.kind, code: f.code, presented: f.presented, at: f.at });
  }

  #guard<A extends unknown[]>(deviceId: string, what: string, fn: (...args: A) => unknown): (...args: A) => void {
    const failed = (e: unknown) => this.#log.error('device callback failed', { deviceId, callback: what, error: e instanceof Error ? e.message : String(e) });
    return (...args: A) => {
      try {
        const r = fn(...args);
        if (r && typeof (r as Promise<unknown>).then === 'function') (r as Promise<unknown>).then(undefined, failed);
      } catch (e) {
        failed(e);
      }
    };
  }

  #report(unit: Unit): void {
    // A closed unit's late events must not overwrite its replacement's status.
    if (this.#units.get(unit.id) !== unit) return;
    this.#emit('status', unit.status);
  }

  // ---- gate ------------------------------------------------------------------------------------

  /** The lane a configured scanner, ID reader or relay belongs to; null: the default lane. */
  laneOf(deviceId: string): string | null {
    const c = this.#configs.find((x) => x.id === deviceId);
    return c && 'lane' in c ? (c.lane ?? null) : null;
  }

  /**
   * Pulse the turnstiles (entry direction) of the admission's lane — for an admission not made at a
   * device (the screen, a search), the default lane. Never throws: faults show as status.
   */
  openGate(checkinId: string | null = null, lane: string | null = null): void {
    for (const u of this.#units.values()) {
      if (u instanceof RelayUnit && u.lane === lane) {
        try {
          u.open(checkinId);
        } catch (e) {
          this.#log.error('turnstile open failed', { deviceId: u.id, error: reasonOf(e) });
        }
      }
    }
  }

  /** Emergency: hold every turnstile open, across reconnects and device restarts, until release(). */
  async openAll(): Promise<EmergencyResult> {
    this.#emergency = true;
    this.#tracker.clear();
    this.#emit('emergency', true);
    return { emergency: true, failed: await this.#eachRelay((u) => u.openAll()) };
  }

  async release(): Promise<EmergencyResult> {
    this.#emergency = false;
    this.#emit('emergency', false);
    return { emergency: false, failed: await this.#eachRelay((u) => u.release()) };
  }

  async #eachRelay(fn: (u: RelayUnit) => Promise<void>): Promise<EmergencyResult['failed']> {
    const relays = [...this.#units.values()].filter((u): u is RelayUnit => u instanceof RelayUnit);
    const results = await Promise.allSettled(relays.map((u) => fn(u)));
    const failed: EmergencyResult['failed'] = [];
    results.forEach((r, i) => {
      if (r.status === 'rejected') failed.push({ id: relays[i]!.id, reason: reasonOf(r.reason) });
    });
    return failed;
  }

  // ---- printing --------------------------------------------------------------------------------

  hasPrinter(): boolean {
    return this.#configs.some((c) => c.kind === 'printer');
  }

  /** The printer a kind of job goes to: the first configured printer that takes that kind, or null. */
  printerFor(kind: PrintKind): string | null {
    return this.#configs.find((c): c is PrinterConfig => c.kind === 'printer' && printerKinds(c).includes(kind))?.id ?? null;
  }

  #startQueue(): void {
    const db = this.#options.db;
    if (!db) return;
    const printers = new Map(
      [...this.#units.values()].filter((u): u is PrinterUnit => u instanceof PrinterUnit).map((u) => [u.id, this.#queuePrinter(u.id)] as const),
    );
    if (printers.size === 0) return;
    const queue = createPrintQueue({
      db,
      printers,
      ...(this.#options.printRetryInitialMs !== undefined ? { retryInitialMs: this.#options.printRetryInitialMs } : {}),
      ...(this.#options.printRetryMaxMs !== undefined ? { retryMaxMs: this.#options.printRetryMaxMs } : {}),
    });
    queue.on(
      'status',
      this.#guard('print-queue', 'status', (s: PrinterQueueStatus) => {
        const u = this.#units.get(s.printerId);
        if (u instanceof PrinterUnit) u.onQueueStatus(s);
      }),
    );
    this.#queue = queue;
    try {
      queue.start();
    } catch (e) {
      this.#log.error('print queue failed to start', { error: reasonOf(e) });
    }
  }

  /** The queue prints through whichever unit runs under that id now (restarts replace units). */
  #queuePrinter(id: string) {
    const unit = () => {
      const u = this.#units.get(id);
      if (!(u instanceof PrinterUnit)) throw new DriverError('unreachable', `printer ${id} is not running`);
      return u.queuePrinter;
    };
    return {
      print: async (doc: PrintDocument) => unit().print(doc),
      status: async () => unit().status(),
    };
  }

  /**
   * Print documents through the durable queue, each on the printer configured for its kind (or on
   * `printerId`), and wait up to `waitMs` for the queue to confirm them. printed:false (with the
   * reason) leaves them queued: they print when the printer recovers. A kind no printer takes is
   * not queued at all: `no_printer_for_kind`, never some other printer. Never throws.
   */
  async print(items: readonly { kind: PrintJobKind; doc: PrintDocument }[], options: { waitMs?: number; printerId?: string } = {}): Promise<PrintOutcome> {
    const routed = items.map((i) => ({ ...i, printerId: options.printerId ?? this.printerFor(i.kind) }));
    const unrouted = [...new Set(routed.filter((i) => i.printerId === null).map((i) => i.kind))];
    const jobs = routed.filter((i): i is (typeof routed)[number] & { printerId: string } => i.printerId !== null);
    const unroutedError = unrouted.length > 0 ? (this.hasPrinter() ? 'no_printer_for_kind' : 'no_printer') : null;
    if (jobs.length === 0) return { printed: false, printError: unroutedError ?? 'no_printer', jobIds: [], unrouted };
    const waitMs = options.waitMs ?? SALE_PRINT_WAIT_MS;
    const queue = this.#queue;
    if (!queue) {
      const direct = await this.#printDirect(jobs, waitMs);
      return { ...direct, printed: direct.printed && !unroutedError, printError: unroutedError ?? direct.printError, unrouted };
    }
    let jobIds: string[] = [];
    try {
      jobIds = jobs.map((i) => queue.enqueue(i.printerId, i.kind, i.doc));
      // Nothing makes an unrouted kind print: say so at once (the routed jobs print regardless).
      if (unroutedError) return { printed: false, printError: unroutedError, jobIds, unrouted };
      // A printer that needs a person (paper, cover) is said at once; a link hiccup gets the whole wait.
      const r = await queue.settle(jobIds, waitMs, { answerEarly: (code) => OPERATOR_REASONS.has(code) });
      return { printed: r.printed, printError: r.code, jobIds, unrouted };
    } catch (e) {
      this.#log.error('printing failed', { printers: [...new Set(jobs.map((j) => j.printerId))], error: reasonOf(e) });
      return { printed: false, printError: e instanceof DriverError ? e.code : 'print_failed', jobIds, unrouted };
    }
  }

  /** Without a database (no queue): straight to each job's printer, in order, within the wait. */
  async #printDirect(jobs: readonly { printerId: string; doc: PrintDocument }[], waitMs: number): Promise<Omit<PrintOutcome, 'unrouted'>> {
    const units = jobs.map((j) => this.#units.get(j.printerId));
    if (!units.every((u): u is PrinterUnit => u instanceof PrinterUnit)) return { printed: false, printError: 'no_printer', jobIds: [] };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new DriverError('print_timeout', `not printed within ${waitMs} ms`)), waitMs);
    });
    const run = (async () => {
      for (const [i, j] of jobs.entries()) await (units[i] as PrinterUnit).queuePrinter.print(j.doc);
    })();
    run.catch(() => undefined);
    try {
      await Promise.race([run, timeout]);
      return { printed: true, printError: null, jobIds: [] };
    } catch (e) {
      return { printed: false, printError: e instanceof DriverError ? e.code : 'print_failed', jobIds: [] };
    } finally {
      clearTimeout(timer);
    }
  }

  // ---- hot-plug --------------------------------------------------------------------------------

  #startHotplug(): void {
    if (this.#options.usbEvents === false) return;
    const wantsUsb = [...this.#units.values()].some((u) => u.usb() !== null);
    if (!wantsUsb && !this.#options.usbEvents) return;
    const generation = this.#generation;
    const attach = (source: UsbEventSource) => {
      if (generation !== this.#generation) return;
      this.#stopHotplug = watchUsb(source, {
        connect: (d) => this.#onUsb('connect', d),
        disconnect: (d) => this.#onUsb('disconnect', d),
        error: (e) => this.#log.warn('USB hot-plug listener failed', { error: e instanceof Error ? e.message : String(e) }),
      });
    };
    if (this.#options.usbEvents) attach(this.#options.usbEvents);
    else
      void systemUsbEvents((e) => this.#log.warn('USB hot-plug unavailable', { error: e instanceof Error ? e.message : String(e) }))
        .then((source) => source && attach(source))
        .catch(() => undefined);
  }

  #onUsb(type: 'connect' | 'disconnect', d: { vendorId: number; productId: number }): void {
    this.#emit('hotplug', { type, ...d });
    if (type !== 'connect') return; // the drivers see their device go by themselves
    for (const u of [...this.#units.values()]) {
      const id = u.usb();
      if (id === null || (id !== 'any' && (id.vendorId !== d.vendorId || id.productId !== d.productId))) continue;
      if (u.status.state === 'connected') continue;
      if (!u.nudge()) void this.restartDevice(u.id).catch((e: unknown) => this.#log.warn('device restart failed', { deviceId: u.id, error: reasonOf(e) }));
    }
  }
}
