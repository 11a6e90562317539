// Owns a HID POS barcode scanner: opens it through a HidTransport (node-hid, or a simulated one),
// switches it into HID POS mode, turns its input reports into scans via hid-pos.ts, and re-opens it
// with backoff after an unplug when given an opener. Nothing here throws into the event loop.
import { DriverError, isDriverError, type ConnectionStatus } from '../errors';
import { TypedEmitter } from '../events';
import { IdleTimer } from '../idle-timer';
import { openNodeHid, type HidTransport } from '../hid/transport';
import {
  HID_POS_DEFAULT_IDLE_MS,
  HID_POS_ENABLE_FEATURE,
  HID_POS_TRIGGER_REPORT,
  HID_POS_USAGE_PAGE,
  HidPosAssembler,
  type HidPosErrorCode,
  type HidPosEvent,
  type Symbology,
} from './hid-pos';

export type HidPosScannerErrorCode = HidPosErrorCode | 'io' | 'enable_failed' | 'not_found' | 'unavailable';
export interface HidPosScanEvent {
  code: string;
  at: Date;
  symbology: Symbology;
  /** The AIM symbology id as sent ("]Q1"), '' if the scanner sends none. */
  aim: string;
  gs1: boolean;
}
export interface HidPosScannerError {
  code: HidPosScannerErrorCode;
  detail: string;
}

export interface HidPosScannerOptions {
  /** Opens the device; called again (with backoff) after it disappears. */
  open?: () => Promise<HidTransport>;
  /** An already open transport (no reconnect when it closes). One of `open` / `transport` is required. */
  transport?: HidTransport;
  /** Send the HID POS mode switch (feature report 0xFE 01) after opening. Default true. */
  enable?: boolean;
  idleTimeoutMs?: number;
  maxLength?: number;
  initialDelayMs?: number;
  maxDelayMs?: number;
}

type HidPosScannerEvents = {
  scan: [HidPosScanEvent];
  error: [HidPosScannerError];
  status: [ConnectionStatus];
};

const detailOf = (e: unknown) => (e instanceof DriverError ? e.detail : e instanceof Error ? e.message : String(e));

export class HidPosScanner extends TypedEmitter<HidPosScannerEvents> {
  readonly #open: (() => Promise<HidTransport>) | null;
  readonly #enable: boolean;
  readonly #assembler: HidPosAssembler;
  readonly #initialDelay: number;
  readonly #maxDelay: number;
  #transport: HidTransport | null = null;
  #status: ConnectionStatus = 'disconnected';
  #closed = false;
  #failures = 0;
  #delay: number;
  #retry: NodeJS.Timeout | null = null;
  readonly #idle = new IdleTimer();

  constructor(options: HidPosScannerOptions) {
    super();
    if (!options.open && !options.transport) throw new TypeError('HidPosScanner needs `open` or `transport`');
    const given = options.transport;
    this.#open = options.open ?? null;
    this.#enable = options.enable ?? true;
    this.#assembler = new HidPosAssembler({ maxLength: options.maxLength, idleTimeoutMs: options.idleTimeoutMs ?? HID_POS_DEFAULT_IDLE_MS });
    this.#initialDelay = options.initialDelayMs ?? 100;
    this.#maxDelay = options.maxDelayMs ?? 5000;
    this.#delay = this.#initialDelay;
    // Deferred so listeners attached right after construction see the first status.
    queueMicrotask(() => {
      if (given) {
        this.#setStatus('connecting');
        void this.#attach(given);
      } else void this.#attempt();
    });
  }

  get status(): ConnectionStatus {
    return this.#status;
  }

  /** Honeywell software trigger (output report 0xFD); the scanner must be in manual-trigger mode. */
  async trigger(): Promise<void> {
    const t = this.#transport;
    if (!t || this.#status !== 'connected') {
      const err = new DriverError<HidPosScannerErrorCode>('io', `scanner is ${this.#status}`);
      this.emit('error', { code: 'io', detail: `trigger: ${err.detail}` });
      throw err;
    }
    try {
      await t.write(HID_POS_TRIGGER_REPORT);
    } catch (e) {
      this.emit('error', { code: 'io', detail: `trigger: ${detailOf(e)}` });
      throw new DriverError<HidPosScannerErrorCode>('io', `trigger: ${detailOf(e)}`, { cause: e });
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#retry) clearTimeout(this.#retry);
    this.#retry = null;
    this.#idle.cancel();
    const t = this.#transport;
    this.#transport = null;
    await t?.close().catch(() => undefined);
    this.#setStatus('disconnected');
  }

  #setStatus(s: ConnectionStatus): void {
    if (s === this.#status) return;
    this.#status = s;
    this.emit('status', s);
  }

  async #attempt(): Promise<void> {
    this.#retry = null;
    if (this.#closed || !this.#open) return;
    if (this.#failures === 0) this.#setStatus('connecting');
    let t: HidTransport;
    try {
      t = await this.#open();
    } catch (e) {
      this.#failures++;
      if (this.#failures === 1) {
        const code: HidPosScannerErrorCode = isDriverError(e, 'not_found') ? 'not_found' : isDriverError(e, 'unavailable') ? 'unavailable' : 'io';
        this.emit('error', { code, detail: `cannot open scanner: ${detailOf(e)}; retrying` });
      }
      this.#setStatus('disconnected');
      this.#schedule();
      return;
    }
    if (this.#closed) {
      await t.close().catch(() => undefined);
      return;
    }
    await this.#attach(t);
  }

  async #attach(t: HidTransport): Promise<void> {
    this.#transport = t;
    t.on('data', (report) => {
      if (this.#transport === t) this.#onReport(report);
    });
    t.on('error', (e) => {
      if (this.#transport === t) this.emit('error', { code: 'io', detail: e.detail });
    });
    t.on('close', () => this.#lost(t));
    if (this.#enable) {
      try {
        await t.sendFeatureReport(HID_POS_ENABLE_FEATURE);
      } catch (e) {
        // Scanners already configured for HID POS (or without the Honeywell switch) refuse it; they still scan.
        this.emit('error', { code: 'enable_failed', detail: `HID POS mode switch refused: ${detailOf(e)}` });
      }
    }
    if (this.#transport !== t || t.closed) return;
    this.#failures = 0;
    this.#delay = this.#initialDelay;
    this.#setStatus('connected');
  }

  #lost(t: HidTransport): void {
    if (this.#transport !== t) return;
    this.#transport = null;
    this.#deliver(this.#assembler.reset('scanner disconnected mid-code'));
    if (this.#closed) return;
    this.#setStatus('disconnected');
    if (this.#open) this.#schedule();
  }

  #schedule(): void {
    if (this.#closed || this.#retry) return;
    const delay = this.#delay;
    this.#delay = Math.min(this.#delay * 2, this.#maxDelay);
    this.#retry = setTimeout(() => void this.#attempt(), delay);
  }

  #onReport(report: Buffer): void {
    this.#deliver(this.#assembler.push(report));
    this.#idle.arm(this.#assembler.pending > 0, this.#assembler.idleTimeoutMs, () => this.#deliver(this.#assembler.flushIdle()));
  }

  #deliver(events: HidPosEvent[]): void {
    for (const e of events) {
      if (e.kind === 'scan') this.emit('scan', { code: e.code, at: new Date(), symbology: e.symbology, aim: e.aim, gs1: e.gs1 });
      else this.emit('error', { code: e.code, detail: e.detail });
    }
  }
}

export function openHidPosScanner(options: HidPosScannerOptions): HidPosScanner {
  return new HidPosScanner(options);
}

/** An opener for a real scanner through node-hid, picking its HID POS (0x8C) interface. */
export function nodeHidPosOpener(device: { vendorId: number; productId: number; path?: string }): () => Promise<HidTransport> {
  return () => openNodeHid({ ...device, usagePage: device.path ? undefined : HID_POS_USAGE_PAGE });
}
