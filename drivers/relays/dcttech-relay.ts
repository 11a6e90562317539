// Owns a USB HID relay board (dcttech USBRelayN, or a CH551G clone) as a turnstile / door opener,
// through the HidTransport of drivers/hid: sets, pulses and switches all channels, and on a dcttech
// board reads the states back after every command so a board that ignored one is reported, not
// assumed. The device is re-opened with backoff after an unplug (../reconnect.ts), and the last
// wanted state of every channel is sent again, so a board that lost power mid-pulse cannot leave a
// gate unlocked.
import { z } from 'zod';
import { hex4 } from '../bytes';
import { TypedEmitter } from '../events';
import { DriverError, type ConnectionStatus } from '../errors';
import { openNodeHid, type HidTransport } from '../hid/transport';
import { defineProtocol } from '../protocol';
import { Reconnector } from '../reconnect';
import { hidTarget } from '../settings';
import { turnstileSettings } from './relay-settings';
import {
  DCTTECH_MAX_CHANNELS,
  DCTTECH_PRODUCT_ID,
  DCTTECH_REPORT_LENGTH,
  DCTTECH_VENDOR_ID,
  HidRelayError,
  channelsFromProduct,
  decodeHidRelayState,
  encodeHidRelay,
  variantTransfer,
  type HidRelayCommand,
  type HidRelayStateLayout,
  type HidRelayTransfer,
  type HidRelayVariant,
} from './dcttech';

export type HidRelayDriverErrorCode =
  | 'io'
  | 'closed'
  | 'bad_channel'
  /** The state report could not be decoded. */
  | 'bad_reply'
  /** The board's read-back state differs from what was commanded. */
  | 'mismatch'
  /** This variant cannot read its states back. */
  | 'unsupported';
export type HidRelayDriverError = DriverError<HidRelayDriverErrorCode>;

export interface HidRelayOptions {
  /** Opens the device; called again after an unplug until it succeeds. */
  open: () => Promise<HidTransport>;
  variant?: HidRelayVariant;
  /** Default: from the product string ("USBRelay4" → 4), else 8. */
  channels?: number;
  /** Override the variant's transfer (dcttech: feature reports; CH551G: output reports). */
  transfer?: HidRelayTransfer;
  /** Where the id and state byte sit in feature report 0. Default auto. */
  layout?: HidRelayStateLayout;
  /** Read the states back after each command (feature-report boards only). Default true. */
  verify?: boolean;
  initialDelayMs?: number;
  maxDelayMs?: number;
}

export interface HidRelayChange {
  channel: number;
  on: boolean;
  at: Date;
}

type HidRelayEvents = {
  status: [ConnectionStatus];
  /** A command the board accepted (and, when verifying, read back). */
  change: [HidRelayChange];
  error: [HidRelayDriverError];
};

export class HidRelay extends TypedEmitter<HidRelayEvents> {
  readonly variant: HidRelayVariant;
  readonly #options: HidRelayOptions;
  readonly #transfer: HidRelayTransfer;
  readonly #verify: boolean;
  readonly #wanted = new Map<number, boolean>();
  readonly #link: Reconnector<HidTransport>;
  #channels: number;
  #boardId: string | null = null;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: HidRelayOptions) {
    super();
    this.#options = options;
    this.variant = options.variant ?? 'dcttech';
    this.#transfer = options.transfer ?? variantTransfer(this.variant);
    this.#verify = (options.verify ?? true) && this.#transfer === 'feature' && this.variant === 'dcttech';
    this.#channels = options.channels ?? DCTTECH_MAX_CHANNELS;
    this.#link = new Reconnector<HidTransport>(
      { name: 'HID relay', open: () => options.open(), attach: (dev, lost) => this.#attach(dev, lost), dispose: (dev) => dev.close() },
      { initialDelayMs: options.initialDelayMs, maxDelayMs: options.maxDelayMs },
    );
    this.#link.on('status', (s) => this.emit('status', s));
    this.#link.on('error', (e) => this.emit('error', new DriverError<HidRelayDriverErrorCode>('io', e.detail, { cause: e })));
    this.#link.start();
  }

  get status(): ConnectionStatus {
    return this.#link.status;
  }
  get channels(): number {
    return this.#channels;
  }
  /** The board id from its last state report (dcttech only). */
  get boardId(): string | null {
    return this.#boardId;
  }
  /** Whether readStates() asks the board (true) or can only repeat what was commanded. */
  get readsBack(): boolean {
    return this.variant === 'dcttech' && this.#transfer === 'feature';
  }

  wanted(channel: number): boolean | undefined {
    return this.#wanted.get(channel);
  }

  set(channel: number, on: boolean): Promise<void> {
    return this.#exclusive(() => this.#command({ op: 'set', channel, on }));
  }

  setAll(on: boolean): Promise<void> {
    return this.#exclusive(() => this.#command({ op: 'all', on }));
  }

  /** Close the contact for `ms`, then open it; the off command is sent even when on failed. */
  pulse(channel: number, ms: number): Promise<void> {
    return this.#exclusive(async () => {
      let failure: unknown = null;
      try {
        await this.#command({ op: 'set', channel, on: true });
        await new Promise((r) => setTimeout(r, ms));
      } catch (e) {
        failure = e;
      }
      try {
        await this.#command({ op: 'set', channel, on: false });
      } catch (e) {
        failure ??= e;
      }
      if (failure) throw failure;
    });
  }

  /** The relay states, channel 1 first, as the board reports them. */
  readStates(): Promise<boolean[]> {
    return this.#exclusive(() => this.#readStates());
  }

  /** Try to reopen now rather than after the backoff (the board was just plugged in). */
  nudge(): void {
    this.#link.nudge();
  }

  async close(): Promise<void> {
    await this.#queue.catch(() => undefined);
    await this.#link.close();
  }

  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn, fn);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  #attach(dev: HidTransport, lost: () => void): void {
    if (this.#options.channels === undefined) this.#channels = channelsFromProduct(dev.info?.product) ?? this.#channels;
    dev.on('error', (e) => this.emit('error', new DriverError<HidRelayDriverErrorCode>('io', e.detail, { cause: e })));
    dev.on('close', lost);
    // A board that was re-plugged powered up with every relay off: restore what was wanted.
    if (this.#wanted.size > 0) queueMicrotask(() => void this.#exclusive(() => this.#restore()).catch(() => undefined));
  }

  #fail(code: HidRelayDriverErrorCode, detail: string, cause?: unknown): HidRelayDriverError {
    const err = new DriverError<HidRelayDriverErrorCode>(code, detail, { cause });
    this.emit('error', err);
    return err;
  }

  async #command(cmd: HidRelayCommand): Promise<void> {
    let reports: Buffer[];
    try {
      reports = encodeHidRelay(cmd, this.variant, this.#channels);
    } catch (e) {
      if (e instanceof HidRelayError) throw new DriverError<HidRelayDriverErrorCode>('bad_channel', e.detail);
      throw e;
    }
    // Remember the intent before sending: a failed send is restored on reconnect.
    if (cmd.op === 'set') this.#wanted.set(cmd.channel, cmd.on);
    else for (let ch = 1; ch <= this.#channels; ch++) this.#wanted.set(ch, cmd.on);
    await this.#send(reports, cmd);
    if (this.#verify) {
      const states = await this.#readStates();
      const wrong = cmd.op === 'set' ? (states[cmd.channel - 1] !== cmd.on ? [cmd.channel] : []) : states.flatMap((s, i) => (s !== cmd.on ? [i + 1] : []));
      if (wrong.length > 0) {
        throw this.#fail('mismatch', `board reads channel${wrong.length > 1 ? 's' : ''} ${wrong.join(', ')} ${cmd.on ? 'off' : 'on'} after commanding ${cmd.on ? 'on' : 'off'}`);
      }
    }
    const at = new Date();
    if (cmd.op === 'set') this.emit('change', { channel: cmd.channel, on: cmd.on, at });
    else for (let ch = 1; ch <= this.#channels; ch++) this.emit('change', { channel: ch, on: cmd.on, at });
  }

  async #send(reports: Buffer[], cmd: HidRelayCommand | null): Promise<void> {
    const dev = this.#link.link;
    const what = cmd ? (cmd.op === 'set' ? `channel ${cmd.channel} ${cmd.on ? 'on' : 'off'}` : `all ${cmd.on ? 'on' : 'off'}`) : 'restore';
    if (!dev || dev.closed) throw this.#fail('io', `HID relay is ${this.status}: cannot send ${what}`);
    try {
      for (const r of reports) {
        if (this.#transfer === 'feature') await dev.sendFeatureReport(r);
        else await dev.write(r);
      }
    } catch (e) {
      throw this.#fail('io', `${what}: ${e instanceof DriverError ? e.detail : String(e)}`, e);
    }
  }

  async #readStates(): Promise<boolean[]> {
    if (!this.readsBack) {
      throw this.#fail('unsupported', `${this.variant} boards over ${this.#transfer} reports cannot read their states back`);
    }
    const dev = this.#link.link;
    if (!dev || dev.closed) throw this.#fail('io', `HID relay is ${this.status}: cannot read states`);
    let report: Buffer;
    try {
      report = await dev.getFeatureReport(0, DCTTECH_REPORT_LENGTH);
    } catch (e) {
      throw this.#fail('io', `reading states: ${e instanceof DriverError ? e.detail : String(e)}`, e);
    }
    const decoded = decodeHidRelayState(report, this.#channels, this.#options.layout ?? 'auto');
    if (!decoded.ok) throw this.#fail('bad_reply', decoded.error.detail);
    this.#boardId = decoded.value.id;
    return decoded.value.states;
  }

  async #restore(): Promise<void> {
    const wanted = [...this.#wanted];
    // All channels the same (an emergency open, or all released): one all-on/off command.
    const uniform = wanted.length === this.#channels && wanted.every(([, on]) => on === wanted[0]![1]);
    if (uniform && this.variant === 'dcttech') {
      await this.#command({ op: 'all', on: wanted[0]![1] }).catch(() => undefined);
      return;
    }
    for (const [channel, on] of wanted) await this.#command({ op: 'set', channel, on }).catch(() => undefined);
  }
}

export function openHidRelay(options: HidRelayOptions): HidRelay {
  return new HidRelay(options);
}

export interface DcttechUsbOptions extends Omit<HidRelayOptions, 'open'> {
  /** A specific board (from listHidDevices); otherwise the first match. */
  path?: string;
  vendorId?: number;
  productId?: number;
}

/** A real board through node-hid (16C0:05DF unless told otherwise). */
export function openDcttechUsbRelay(options: DcttechUsbOptions = {}): HidRelay {
  const { path, vendorId, productId, ...rest } = options;
  return new HidRelay({
    ...rest,
    open: () => openNodeHid({ vendorId: vendorId ?? DCTTECH_VENDOR_ID, productId: productId ?? DCTTECH_PRODUCT_ID, path }),
  });
}

/** dcttech USBRelayN (or a CH551G clone) USB HID relay as a turnstile relay: no input either. */
export const dcttechProtocol = defineProtocol({
  class: 'relay',
  settings: { ...hidTarget, variant: z.enum(['dcttech', 'ch551g']).default('dcttech'), ...turnstileSettings },
  open: (s, ctx) =>
    openHidRelay({
      // By path alone, the ids come from the system's list; otherwise 16C0:05DF unless told.
      open: () => ctx.transports.openHid({ vendorId: s.vendorId ?? (s.path ? undefined : DCTTECH_VENDOR_ID), productId: s.productId ?? (s.path ? undefined : DCTTECH_PRODUCT_ID), path: s.path }),
      variant: s.variant,
      channels: s.channels,
      ...ctx.reconnect,
    }),
  describe: (s) => `hid ${s.path ?? `${hex4(s.vendorId ?? 0)}:${hex4(s.productId ?? 0)}`}`,
  usb: (s) =>
    s.path && (s.vendorId === undefined || s.productId === undefined) ? 'any' : { vendorId: s.vendorId ?? DCTTECH_VENDOR_ID, productId: s.productId ?? DCTTECH_PRODUCT_ID },
});
