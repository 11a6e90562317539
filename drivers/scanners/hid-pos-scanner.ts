// Owns a HID POS barcode scanner: opens it through a HidTransport (node-hid, or a simulated one),
// switches it into HID POS mode, turns its input reports into scans via hid-pos.ts, and re-opens it
// with backoff after an unplug when given an opener (../reconnect.ts). Nothing here throws into the
// event loop.
import { z } from 'zod';
import { hex4 } from '../bytes';
import { DriverError, type ConnectionStatus } from '../errors';
import { TypedEmitter } from '../events';
import { readFault, type ReadFault } from '../faults';
import { IdleTimer } from '../idle-timer';
import { openNodeHid, type HidTransport } from '../hid/transport';
import { defineProtocol } from '../protocol';
import { Reconnector } from '../reconnect';
import { hidTarget } from '../settings';
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
  /** Reports that make no usable code (garbled, truncated, too long, incomplete); also reported as `error`. */
  fault: [ReadFault];
  status: [ConnectionStatus];
};

const detailOf = (e: unknown) => (e instanceof DriverError ? e.detail : e instanceof Error ? e.message : String(e));

export class HidPosScanner extends TypedEmitter<HidPosScannerEvents> {
  readonly #enable: boolean;
  readonly #assembler: HidPosAssembler;
  readonly #link: Reconnector<HidTransport>;
  readonly #idle = new IdleTimer();

  constructor(options: HidPosScannerOptions) {
    super();
    if (!options.open && !options.transport) throw new TypeError('HidPosScanner needs `open` or `transport`');
    const given = options.transport;
    this.#enable = options.enable ?? true;
    this.#assembler = new HidPosAssembler({ maxLength: options.maxLength, idleTimeoutMs: options.idleTimeoutMs ?? HID_POS_DEFAULT_IDLE_MS });
    this.#link = new Reconnector<HidTransport>(
      {
        name: 'scanner',
        // A transport handed in is used once: when it goes, it stays gone.
        open: given ? async () => given : options.open!,
        attach: (t, lost) => this.#attach(t, lost),
        dispose: (t) => t.close(),
      },
      { initialDelayMs: options.initialDelayMs, maxDelayMs: options.maxDelayMs, retry: !given },
    );
    this.#link.on('status', (s) => this.emit('status', s));
    this.#link.on('error', (e) => {
      const code: HidPosScannerErrorCode = e.code === 'not_found' || e.code === 'unavailable' ? e.code : 'io';
      this.emit('error', { code, detail: e.detail });
    });
    this.#link.start();
  }

  get status(): ConnectionStatus {
    return this.#link.status;
  }

  /** Honeywell software trigger (output report 0xFD); the scanner must be in manual-trigger mode. */
  async trigger(): Promise<void> {
    const t = this.#link.link;
    if (!t || this.status !== 'connected') {
      const err = new DriverError<HidPosScannerErrorCode>('io', `scanner is ${this.status}`);
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

  /** Try to reopen now rather than after the backoff (the scanner was just plugged in). */
  nudge(): void {
    this.#link.nudge();
  }

  async close(): Promise<void> {
    this.#idle.cancel();
    await this.#link.close();
  }

  async #attach(t: HidTransport, lost: () => void): Promise<void> {
    const current = () => this.#link.link === t;
    t.on('data', (report) => {
      if (current()) this.#onReport(report);
    });
    t.on('error', (e) => {
      if (current()) this.emit('error', { code: 'io', detail: e.detail });
    });
    t.on('close', () => {
      if (current()) this.#deliver(this.#assembler.reset('scanner disconnected mid-code'));
      lost();
    });
    if (this.#enable) {
      try {
        await t.sendFeatureReport(HID_POS_ENABLE_FEATURE);
      } catch (e) {
        // Scanners already configured for HID POS (or without the Honeywell switch) refuse it; they still scan.
        this.emit('error', { code: 'enable_failed', detail: `HID POS mode switch refused: ${detailOf(e)}` });
      }
    }
    if (t.closed) lost();
  }

  #onReport(report: Buffer): void {
    this.#deliver(this.#assembler.push(report));
    this.#idle.arm(this.#assembler.pending > 0, this.#assembler.idleTimeoutMs, () => this.#deliver(this.#assembler.flushIdle()));
  }

  #deliver(events: HidPosEvent[]): void {
    for (const e of events) {
      if (e.kind === 'scan') {
        this.emit('scan', { code: e.code, at: new Date(), symbology: e.symbology, aim: e.aim, gs1: e.gs1 });
        continue;
      }
      this.emit('error', { code: e.code, detail: e.detail });
      const fault = readFault(e.code, e.detail);
      if (fault) this.emit('fault', fault);
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

/** HID POS scanner (usage page 0x8C), by node-hid path or vendor/product id. */
export const hidPosScannerProtocol = defineProtocol({
  class: 'scanner',
  settings: {
    ...hidTarget,
    /** Send the Honeywell HID POS mode switch after opening. */
    enable: z.boolean().default(true),
  },
  check: (s) => (s.path !== undefined || (s.vendorId !== undefined && s.productId !== undefined) ? null : 'a HID POS scanner needs a path or both vendorId and productId'),
  open: (s, ctx) =>
    openHidPosScanner({
      open: () => ctx.transports.openHid({ vendorId: s.vendorId, productId: s.productId, path: s.path, usagePage: HID_POS_USAGE_PAGE }),
      enable: s.enable,
      ...ctx.reconnect,
    }),
  describe: (s) => `hid ${s.path ?? `${hex4(s.vendorId ?? 0)}:${hex4(s.productId ?? 0)}`}`,
  usb: (s) => (s.vendorId !== undefined && s.productId !== undefined ? { vendorId: s.vendorId, productId: s.productId } : 'any'),
});
