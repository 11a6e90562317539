// Owns one running device each: a scanner, an ID reader, a turnstile relay, a printer or a card
// terminal, started from its configuration, its driver's events turned into DeviceStatus (a typed reason, and for scanners
// and ID readers their read faults, `faulty` while they keep failing) and into what the core cares
// about (a scan, an ID read, a read that failed, an opening armed for passage detection, a printer
// ready again). Every driver callback runs through the host's guard, so nothing a driver or a listener
// throws leaves the unit.
import { createHmac, randomBytes } from 'node:crypto';
import { DEVICE_REASONS, type DeviceFaults, type DeviceReason, type DeviceStatus } from '../../contract';
import {
  createTurnstile,
  deviceUsbIdentity,
  documentNumberTrusted,
  DriverError,
  entryPulse,
  openDevice,
  printerRefusal,
  relayPassage,
  type CardReaderDriver,
  type ConnectionStatus,
  type DocumentReaderDriver,
  type PaymentTerminalDriver,
  type PaymentTerminalState,
  type MrzDocumentEvent,
  type OpenContext,
  type Printer,
  type PrinterStatus,
  readFaultKind,
  type ReadFault,
  type RelayBoard,
  type ScannerDriver,
  type Turnstile,
  type TurnstileStatus,
  type UsbIdentity,
} from '../../../drivers';
import { EMPTY_TALLY, isFaulty, recentFaults, recordFault, recordGoodRead, type FaultPolicy, type FaultTally } from '../../../domain/device-faults';
import { normalizeIdNumber } from '../../../domain/hashing';
import type { Logger } from '../dispatcher';
import type { PrinterQueueStatus, QueuePrinter } from '../printing/queue';
import type { DeviceConfig, IdReaderConfig, PaymentTerminalConfig, PrinterConfig, RelayConfig, ScannerConfig } from './config';

export type DeviceState = DeviceStatus['state'];

/** What a unit needs from the supervisor that runs it. */
export interface UnitHost {
  readonly ctx: OpenContext;
  readonly log: Logger;
  readonly emergency: boolean;
  readonly printerPollMs: number;
  /** A SAM card left on the reader is not read again for this long after it was read. */
  readonly idRepeatMs: number;
  /** When a scanner or ID reader counts as faulty. */
  readonly faultPolicy: FaultPolicy;
  /** Wrap a driver callback: whatever it throws (or rejects with) is logged, never propagated. */
  guard<A extends unknown[]>(deviceId: string, what: string, fn: (...args: A) => unknown): (...args: A) => void;
  report(unit: Unit): void;
  /** A scan, with the time its driver read it. */
  scan(deviceId: string, code: string, at: Date): void;
  /** A read failed at this scanner or ID reader (the device's status counts it too). */
  readFault(deviceId: string, fault: ReadFault): void;
  /** An ID document's number, for the gate's hashed lookup only, with the time it was read. */
  idCard(deviceId: string, source: 'sam' | 'mrz', idNumber: string, at: Date): void;
  /** An opening for this check-in reached the turnstile, which will report passage or no passage. */
  armed(checkinId: string, deviceId: string): void;
  passage(deviceId: string, checkinId: string | null): void;
  noPassage(checkinId: string, deviceId: string): void;
  /** The printer is ready again: the queue should try its held jobs now. */
  printerReady(deviceId: string): void;
}

/** Link-level failure codes: the device is not reachable, rather than refusing something. */
const LINK_CODES = new Set(['io', 'unreachable', 'closed', 'timeout', 'not_found', 'unavailable', 'disconnected']);

export function reasonOf(e: unknown): string {
  if (e instanceof DriverError) return (LINK_CODES.has(e.code) ? `${e.code}: ${e.detail}` : e.code).slice(0, 200);
  if (e instanceof RangeError || e instanceof TypeError) return `bad_config: ${e.message}`.slice(0, 200);
  return (e instanceof Error ? e.message : String(e)).slice(0, 200);
}

/** What a status says about its state: a driver's or the unit's code, and developer-facing detail. */
export type Cause = { code: string; detail?: string | null };

/** Codes that name a DeviceReason under another name. */
const REASON_ALIASES: Readonly<Record<string, DeviceReason>> = {
  io: 'unreachable',
  closed: 'unreachable',
  disconnected: 'unreachable',
  print_timeout: 'timeout',
  bad_document: 'rejected',
  protocol: 'bad_reply',
};

/** The contract's reason for a driver's, queue's or unit's code (anything else: device_error). */
export function deviceReason(code: string): DeviceReason {
  return (DEVICE_REASONS as readonly string[]).includes(code) ? (code as DeviceReason) : (REASON_ALIASES[code] ?? 'device_error');
}

/** Why a device could not start or failed, as a status cause. */
export function causeOf(e: unknown): Cause {
  if (e instanceof DriverError) return { code: e.code, detail: e.detail };
  if (e instanceof RangeError || e instanceof TypeError) return { code: 'bad_config', detail: e.message };
  return { code: 'start_failed', detail: e instanceof Error ? e.message : String(e) };
}

const detailOf = (c: Cause): string => (c.detail ? `${c.code}: ${c.detail}` : c.code).slice(0, 200);

const sameFaults = (a: DeviceFaults | null, b: DeviceFaults | null): boolean =>
  a === b ||
  (a !== null && b !== null && a.recent === b.recent && a.streak === b.streak && a.total === b.total && a.last?.kind === b.last?.kind && a.last?.at === b.last?.at);

const codeOf = (e: unknown): string => (e instanceof DriverError ? e.code : typeof (e as { code?: unknown })?.code === 'string' ? (e as { code: string }).code : 'io');

export abstract class Unit<C extends DeviceConfig = DeviceConfig> {
  #status: DeviceStatus;
  protected closed = false;

  constructor(
    readonly config: C,
    protected readonly host: UnitHost,
  ) {
    const reads = config.kind === 'scanner' || config.kind === 'id-reader';
    this.#status = { id: config.id, kind: config.kind, name: config.name, state: 'connecting', reason: null, detail: null, faults: reads ? faultsOf(EMPTY_TALLY) : null };
  }

  get id(): string {
    return this.config.id;
  }

  get status(): DeviceStatus {
    return this.#status;
  }

  /** Start the driver. May throw (bad settings): the supervisor shows that as this unit's error. */
  abstract start(): void;
  abstract close(): Promise<void>;

  /** A matching USB device appeared: reconnect now if waiting. Returns false to have the unit restarted. */
  nudge(): boolean {
    const d = this.driver;
    if (!d?.nudge) return false;
    d.nudge();
    return true;
  }

  /** The running driver, for nudging (null before start or when it has none). */
  protected get driver(): { nudge?(): void } | null {
    return null;
  }

  usb(): UsbIdentity {
    return deviceUsbIdentity(this.config);
  }

  fail(e: unknown): void {
    this.set('error', causeOf(e));
  }

  /** A new state (and cause); `faults` replaces the read-fault counts when given. Published only on change. */
  protected set(state: DeviceState, cause: Cause | null = null, faults?: DeviceFaults | null): void {
    if (this.closed) return;
    const reason = cause ? deviceReason(cause.code) : null;
    const detail = cause ? detailOf(cause) : null;
    const nextFaults = faults === undefined ? this.#status.faults : faults;
    const s = this.#status;
    if (s.state === state && s.reason === reason && s.detail === detail && sameFaults(s.faults, nextFaults)) return;
    this.#status = { ...s, state, reason, detail, faults: nextFaults };
    this.host.report(this);
  }

  protected g<A extends unknown[]>(what: string, fn: (...args: A) => unknown): (...args: A) => void {
    return this.host.guard(this.id, what, fn);
  }
}

const fromConnection = (s: ConnectionStatus): DeviceState => s;

function faultsOf(t: FaultTally): DeviceFaults {
  return { recent: recentFaults(t), streak: t.streak, total: t.total, last: t.last };
}

// ---- scanners and ID readers: reads, and the faults among them ----------------------------------

/**
 * A device that reads (a scanner, an ID reader): its link's state, and its reads' faults counted
 * (domain/device-faults.ts). Connected but failing read after read, it shows as `faulty`, with the
 * last fault's kind as the reason; good reads bring it back.
 */
abstract class ReaderUnit<C extends ScannerConfig | IdReaderConfig> extends Unit<C> {
  #connection: ConnectionStatus = 'connecting';
  #linkCause: Cause | null = null;
  #tally: FaultTally = EMPTY_TALLY;

  /** The link's state changed. */
  protected link(s: ConnectionStatus): void {
    this.#connection = s;
    this.#show();
  }

  /** Why the link is (or may soon be) down; shown while it is not connected. */
  protected linkCause(c: Cause): void {
    this.#linkCause = c;
    this.#show();
  }

  /** A read failed: counted, and handed on (the gate asks for the code again). */
  protected readFailed(f: ReadFault): void {
    this.#tally = recordFault(this.#tally, f.kind, f.at, this.host.faultPolicy);
    this.host.readFault(this.id, f);
    this.#show();
  }

  /** A read succeeded (or the reader clearly answered that nothing is there). */
  protected readOk(): void {
    this.#tally = recordGoodRead(this.#tally, this.host.faultPolicy);
    this.#show();
  }

  #show(): void {
    const faults = faultsOf(this.#tally);
    if (this.#connection !== 'connected') return this.set(fromConnection(this.#connection), this.#linkCause, faults);
    if (!isFaulty(this.#tally, this.host.faultPolicy) || !this.#tally.last) return this.set('connected', null, faults);
    // Codes and counts only: a fault's detail may hold part of what was read.
    const { faultPolicy: p } = this.host;
    this.set('faulty', { code: this.#tally.last.kind, detail: `${faults.streak} in a row, ${faults.recent} of the last ${p.window} reads` }, faults);
  }
}

export class ScannerUnit extends ReaderUnit<ScannerConfig> {
  #driver: ScannerDriver | null = null;

  protected override get driver(): ScannerDriver | null {
    return this.#driver;
  }

  start(): void {
    const d = openDevice(this.config, this.host.ctx);
    this.#driver = d;
    d.on('status', this.g('status', (s: ConnectionStatus) => this.link(s)));
    d.on(
      'scan',
      this.g('scan', (e: { code: string; at: Date }) => {
        this.readOk();
        this.host.scan(this.id, e.code, e.at);
      }),
    );
    d.on('fault', this.g('fault', (f: ReadFault) => this.readFailed(f)));
    d.on(
      'error',
      this.g('error', (e: { code: string; detail: string }) => {
        if (LINK_CODES.has(e.code)) this.linkCause({ code: e.code, detail: e.detail });
        // Read faults come as `fault` too; anything else (a refused mode switch) is only worth a log line.
        else if (readFaultKind(e.code) === null) this.host.log.warn('scanner reported an error', { deviceId: this.id, code: e.code, detail: e.detail.slice(0, 200) });
      }),
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.#driver?.close();
  }
}

// ---- ID readers --------------------------------------------------------------------------------

/**
 * An ID reader of either reading mode: one the core asks for the card on it every pollMs (SAM), or
 * one that sends each document presented (MRZ). Either way one presentation is one check-in attempt.
 */
export class IdReaderUnit extends ReaderUnit<IdReaderConfig> {
  #driver: CardReaderDriver | DocumentReaderDriver | null = null;
  #wake: (() => void) | null = null;
  #timer: NodeJS.Timeout | null = null;
  #loop: Promise<void> | null = null;
  /** Recognises the card just read without keeping its number: HMAC under a key that dies with the unit. */
  readonly #key = randomBytes(32);
  #lastCard: string | null = null;
  #lastAt = 0;
  #present = false;

  protected override get driver(): CardReaderDriver | DocumentReaderDriver | null {
    return this.#driver;
  }

  start(): void {
    const d = openDevice(this.config, this.host.ctx);
    this.#driver = d;
    if (d.mode === 'poll') this.#startPolling(d);
    else this.#startListening(d);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.#poke();
    await this.#driver?.close();
    await this.#loop;
  }

  // ---- readers that send their documents (MRZ) ----

  #startListening(r: DocumentReaderDriver): void {
    r.on('status', this.g('status', (s: ConnectionStatus) => this.link(s)));
    r.on(
      'document',
      this.g('document', (e: MrzDocumentEvent) => {
        const doc = e.document;
        // A number failing its check digits is a misread: the driver's `fault` says so.
        if (!documentNumberTrusted(doc) || !doc.documentNumber) return;
        this.readOk();
        this.host.idCard(this.id, 'mrz', doc.documentNumber, e.at);
      }),
    );
    r.on('fault', this.g('fault', (f: ReadFault) => this.readFailed(f)));
    // Only codes leave the reader: a detail could carry part of a document's text.
    r.on('error', this.g('error', (e: { code: string }) => (LINK_CODES.has(e.code) ? this.linkCause({ code: e.code }) : undefined)));
  }

  // ---- readers the core asks (SAM) ----

  #startPolling(link: CardReaderDriver): void {
    link.on(
      'status',
      this.g('status', (s: ConnectionStatus) => {
        this.link(s);
        if (s === 'connected') this.#poke();
        // Whatever lay on the reader before the link dropped, a read after it is a new presentation.
        else this.#present = false;
      }),
    );
    // Only codes leave the reader: a detail could carry part of a card's text.
    link.on('error', this.g('error', (e: DriverError) => (LINK_CODES.has(e.code) ? this.linkCause({ code: e.code }) : undefined)));
    link.on('fault', this.g('fault', (f: ReadFault) => this.readFailed(f)));
    this.#loop = this.#run(link).catch((e: unknown) => this.host.log.error('ID reader loop stopped', { deviceId: this.id, error: codeOf(e) }));
  }

  get #pollMs(): number {
    return 'pollMs' in this.config ? this.config.pollMs : 500;
  }

  #poke(): void {
    this.#wake?.();
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.#timer = setTimeout(() => {
        this.#wake = null;
        resolve();
      }, ms);
      this.#wake = () => {
        if (this.#timer) clearTimeout(this.#timer);
        this.#wake = null;
        resolve();
      };
    });
  }

  async #run(link: CardReaderDriver): Promise<void> {
    while (!this.closed) {
      if (link.status === 'connected') await this.#readOnce(link);
      if (this.closed) break;
      await this.#sleep(link.status === 'connected' ? this.#pollMs : 1000);
    }
  }

  async #readOnce(link: CardReaderDriver): Promise<void> {
    let idNumber: string;
    let readAt: Date;
    try {
      ({ idNumber, readAt } = await link.read());
    } catch (e) {
      if (codeOf(e) === 'no_card') {
        // The reader answered clearly: a good exchange.
        this.#present = false;
        this.readOk();
      }
      // A link failure shows in the link's status; a misread (select failed, bad check digit,
      // corrupted reply, no answer) came as the driver's `fault`: counted, tried again next poll.
      return;
    }
    this.readOk();
    const card = createHmac('sha256', this.#key).update(normalizeIdNumber(idNumber)).digest('hex');
    const now = Date.now();
    const same = card === this.#lastCard;
    // Still on the reader (or put straight back): one read, one check-in attempt.
    if (same && (this.#present || now - this.#lastAt < this.host.idRepeatMs)) {
      this.#present = true;
      return;
    }
    this.#lastCard = card;
    this.#lastAt = now;
    this.#present = true;
    this.host.idCard(this.id, 'sam', idNumber, readAt);
  }
}


// ---- turnstile relays --------------------------------------------------------------------------

interface Opening {
  checkinId: string | null;
  armed: boolean;
}

export class RelayUnit extends Unit<RelayConfig> {
  /** The lane whose scans this turnstile opens for (null: the terminal's default lane). */
  get lane(): string | null {
    return this.config.lane ?? null;
  }

  #board: RelayBoard | null = null;
  #turnstile: Turnstile | null = null;
  /** Openings are pulsed one at a time, so the one in flight is the one a closed contact belongs to. */
  #chain: Promise<void> = Promise.resolve();
  #current: Opening | null = null;
  /** Check-ins whose opening reached the board and still wait for passage / no passage, oldest first. */
  #awaiting: (string | null)[] = [];

  get canDetectPassage(): boolean {
    return this.#turnstile?.canDetectPassage ?? false;
  }

  protected override get driver(): RelayBoard | null {
    return this.#board;
  }

  start(): void {
    const board = openDevice(this.config, this.host.ctx);
    this.#board = board;
    const { channel, pulseMs } = entryPulse(this.config);
    // The turnstile sees the board through this wrapper, which notices the entry contact closing for
    // the opening in flight: that is when the turnstile starts waiting for its passage.
    const watched: RelayBoard = {
      get channels() {
        return board.channels;
      },
      get status() {
        return board.status;
      },
      set: async (ch, on) => {
        await board.set(ch, on);
        if (on && ch === channel) this.#contactClosed();
      },
      setAll: (on) => board.setAll(on),
      on: (event, l) => board.on(event, l),
      off: (event, l) => board.off(event, l),
      close: () => board.close(),
    };
    let turnstile: Turnstile;
    try {
      turnstile = createTurnstile({ relay: watched, channels: { in: channel }, pulseMs, passage: relayPassage(this.config, board) });
    } catch (e) {
      void board.close().catch(() => undefined);
      throw e;
    }
    this.#turnstile = turnstile;
    turnstile.on('status', this.g('status', (s: TurnstileStatus) => this.#publish(s)));
    turnstile.on('error', this.g('error', () => this.#publish(turnstile.status)));
    turnstile.on(
      'passage',
      this.g('passage', (e: { openedAt: Date | null }) => {
        // A passage nobody was let through for (forced, emergency) completes no opening.
        if (e.openedAt === null) return this.host.passage(this.id, null);
        const checkinId = this.#awaiting.shift() ?? null;
        this.host.passage(this.id, checkinId);
      }),
    );
    turnstile.on(
      'no-passage',
      this.g('no-passage', () => {
        const checkinId = this.#awaiting.shift();
        if (checkinId) this.host.noPassage(checkinId, this.id);
      }),
    );
    this.#publish(turnstile.status);
    // Boards that connect lazily (Modbus TCP) and have no input to poll: connect now to show status.
    if (!turnstile.canDetectPassage && 'readCoils' in board && typeof board.readCoils === 'function') {
      void (board.readCoils as () => Promise<unknown>).call(board).catch(() => undefined);
    }
    if (this.host.emergency) void this.openAll().catch(() => undefined);
  }

  /** Pulse the entry contact for this admission; failures show as the relay's status. */
  open(checkinId: string | null): void {
    const t = this.#turnstile;
    if (!t || this.closed) return;
    const opening: Opening = { checkinId, armed: false };
    this.#chain = this.#chain.then(async () => {
      if (this.closed) return;
      this.#current = opening;
      try {
        await t.open('in');
      } catch (e) {
        this.host.log.warn('turnstile did not open', { deviceId: this.id, error: reasonOf(e) });
      } finally {
        this.#current = null;
      }
    });
  }

  async openAll(): Promise<void> {
    const t = this.#turnstile;
    if (!t) throw new DriverError('closed', 'relay is not running');
    // The turnstile forgets its openings over an evacuation: so do we (nobody's check-in is annulled).
    this.#awaiting = [];
    await t.openAll();
  }

  async release(): Promise<void> {
    const t = this.#turnstile;
    if (!t) throw new DriverError('closed', 'relay is not running');
    await t.release();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.#chain.catch(() => undefined);
    if (this.#turnstile) await this.#turnstile.close();
    else await this.#board?.close();
  }

  #contactClosed(): void {
    const o = this.#current;
    if (!o || o.armed) return;
    o.armed = true;
    if (!this.#turnstile?.canDetectPassage) return;
    this.#awaiting.push(o.checkinId);
    if (o.checkinId) this.host.armed(o.checkinId, this.id);
  }

  #publish(s: TurnstileStatus): void {
    if (s.connection !== 'connected') this.set(fromConnection(s.connection), s.fault);
    else if (s.mode === 'emergency') this.set('busy', { code: 'emergency_open' });
    else if (s.fault) this.set('error', s.fault);
    else if (s.mode === 'opening') this.set('busy', { code: 'opening' });
    else this.set('connected');
  }
}

// ---- printers ----------------------------------------------------------------------------------

type Probe = { ok: true; status: PrinterStatus } | { ok: false; cause: Cause };

export class PrinterUnit extends Unit<PrinterConfig> {
  #printer: Printer | null = null;
  #probe: Probe | null = null;
  #queue: PrinterQueueStatus | null = null;
  #timer: NodeJS.Timeout | null = null;
  #polling = false;

  /** What the print queue prints through: this unit's driver, whichever is running. */
  readonly queuePrinter: QueuePrinter = {
    print: (doc) => (this.#printer && !this.closed ? this.#printer.print(doc) : Promise.reject(new DriverError('unreachable', `printer ${this.id} is not running`))),
    status: () => (this.#printer && !this.closed ? this.#printer.status() : Promise.reject(new DriverError('unreachable', `printer ${this.id} is not running`))),
  };

  get printer(): Printer | null {
    return this.#printer;
  }

  start(): void {
    const p = openDevice(this.config, this.host.ctx);
    this.#printer = p;
    p.on(
      'printer-status',
      this.g('printer-status', (s: PrinterStatus) => {
        const wasReady = this.#probe?.ok === true && printerRefusal(this.#probe.status) === null;
        this.#probe = { ok: true, status: s };
        this.#derive();
        if (printerRefusal(s) === null && (!wasReady || this.#queue?.state === 'held')) this.host.printerReady(this.id);
      }),
    );
    p.on(
      'error',
      this.g('error', (e: DriverError) => {
        if (!LINK_CODES.has(e.code) && e.code !== 'bad_reply') return; // refusals show through the queue
        this.#probe = { ok: false, cause: causeOf(e) };
        this.#derive();
      }),
    );
    this.#poll();
  }

  override nudge(): boolean {
    this.#poll();
    this.host.printerReady(this.id);
    return true;
  }

  onQueueStatus(s: PrinterQueueStatus): void {
    this.#queue = s;
    this.#derive();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#printer?.close();
  }

  /** Ask the printer how it is (now, then every printerPollMs), so paper and cover show without a job. */
  #poll(): void {
    if (this.closed) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const next = () => {
      this.#polling = false;
      if (!this.closed && this.host.printerPollMs > 0) {
        this.#timer = setTimeout(() => this.#poll(), this.host.printerPollMs);
        this.#timer.unref?.();
      }
    };
    if (this.#polling || !this.#printer) return;
    this.#polling = true;
    // Not while printing: the job's own status reads tell, and a poll would only wait its turn.
    if (this.#queue?.state === 'printing') return next();
    this.#printer.status().then(
      () => next(),
      (e: unknown) => {
        const err = e instanceof DriverError ? e : new DriverError(codeOf(e), e instanceof Error ? e.message : String(e));
        if (LINK_CODES.has(err.code) || err.code === 'bad_reply') this.#probe = { ok: false, cause: causeOf(err) };
        this.#derive();
        next();
      },
    );
  }

  #derive(): void {
    const q = this.#queue;
    if (q?.state === 'printing') return this.set('busy', null);
    if (q?.state === 'held' && q.reason) {
      const r = q.reason;
      if (r === 'paper_out' || r === 'cover_open') return this.set(r, null);
      if (LINK_CODES.has(r)) return this.set('disconnected', this.#probe && !this.#probe.ok ? this.#probe.cause : { code: r });
      return this.set('error', { code: r });
    }
    const p = this.#probe;
    if (!p) return this.set('connecting');
    if (!p.ok) return this.set(p.cause.code === 'timeout' || p.cause.code === 'bad_reply' ? 'error' : 'disconnected', p.cause);
    const refusal = printerRefusal(p.status);
    if (refusal === 'paper_out' || refusal === 'cover_open') return this.set(refusal, null);
    if (refusal) return this.set('error', { code: refusal });
    return this.set(p.status.paperNearEnd ? 'paper_low' : 'connected', null);
  }
}

// ---- card terminals ----------------------------------------------------------------------------

/** A card terminal: registered (ready for cards), busy while a payment runs, an error with its cause
 *  when it cannot be reached or refuses this till; its driver is what the card payment charges through. */
export class PaymentTerminalUnit extends Unit<PaymentTerminalConfig> {
  #driver: PaymentTerminalDriver | null = null;

  /** The running driver (null before start or after close). */
  get terminal(): PaymentTerminalDriver | null {
    return this.closed ? null : this.#driver;
  }

  /** Takes payments now: registered, or busy with one. */
  get ready(): boolean {
    return this.status.state === 'registered' || this.status.state === 'busy';
  }

  start(): void {
    const d = openDevice(this.config, this.host.ctx);
    this.#driver = d;
    d.on('state', this.g('state', (s: PaymentTerminalState, cause: DriverError | null) => this.#show(s, cause)));
    this.#show(d.state, d.cause);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.#driver?.close();
  }

  #show(s: PaymentTerminalState, cause: DriverError | null): void {
    if (s === 'fault') return this.set('error', cause ? { code: cause.code, detail: cause.detail } : { code: 'device_error' });
    this.set(s, null);
  }
}

export function createUnit(config: DeviceConfig, host: UnitHost): Unit {
  switch (config.kind) {
    case 'scanner':
      return new ScannerUnit(config, host);
    case 'id-reader':
      return new IdReaderUnit(config, host);
    case 'relay':
      return new RelayUnit(config, host);
    case 'printer':
      return new PrinterUnit(config, host);
    case 'payment-terminal':
      return new PaymentTerminalUnit(config, host);
  }
}
