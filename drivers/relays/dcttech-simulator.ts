// Owns a simulated USB HID relay board (dcttech USBRelayN or a CH551G clone) from the device side,
// on drivers/hid's simulated transport: decodes the feature/output reports the host sends as the
// firmware would, answers feature report 0 with the board id and relay bits, timestamps every
// change and pulse, and can be unplugged (power lost: relays drop), re-plugged, or made to ignore
// commands, fail reads or answer with a corrupt state report.
import { TypedEmitter } from '../events';
import { DriverError } from '../errors';
import { SimulatedHidDevice } from '../hid/simulated';
import type { HidTransport } from '../hid/transport';
import {
  DCTTECH_PRODUCT_ID,
  DCTTECH_VENDOR_ID,
  decodeHidRelay,
  encodeHidRelayState,
  type HidRelayCommand,
  type HidRelayRejection,
  type HidRelayVariant,
} from './dcttech';

export interface HidRelaySimChange {
  channel: number;
  on: boolean;
  at: Date;
}
export interface HidRelaySimPulse extends HidRelaySimChange {
  on: false;
  startedAt: Date;
  durationMs: number;
}
export interface HidRelaySimRejected extends HidRelayRejection {
  at: Date;
}

export interface HidRelaySimulatorOptions {
  variant?: HidRelayVariant;
  channels?: number;
  /** 5-character board id. */
  id?: string;
  /** State report without the report-id byte (the layout some OS/clone pairs produce). */
  unprefixedState?: boolean;
  vendorId?: number;
  productId?: number;
}

type SimEvents = {
  change: [HidRelaySimChange];
  pulse: [HidRelaySimPulse];
  command: [HidRelayCommand];
  rejected: [HidRelaySimRejected];
};

export class HidRelaySimulator extends TypedEmitter<SimEvents> {
  readonly variant: HidRelayVariant;
  readonly channels: number;
  readonly id: string;
  readonly changes: HidRelaySimChange[] = [];
  readonly pulses: HidRelaySimPulse[] = [];
  readonly commands: HidRelayCommand[] = [];
  readonly rejected: HidRelaySimRejected[] = [];
  /** How many times the host opened the board. */
  opens = 0;
  readonly #options: HidRelaySimulatorOptions;
  readonly #states: boolean[];
  readonly #onSince = new Map<number, { at: Date; t: number }>();
  readonly #devices = new Set<SimulatedHidDevice>();
  #plugged = true;
  #ignore = 0;
  #failReads = false;
  #corruptState = false;

  constructor(options: HidRelaySimulatorOptions = {}) {
    super();
    this.#options = options;
    this.variant = options.variant ?? 'dcttech';
    this.channels = options.channels ?? 2;
    this.id = options.id ?? 'SIMRL';
    this.#states = new Array<boolean>(this.channels).fill(false);
  }

  /** Relay state of a channel (1-based). */
  state(channel: number): boolean {
    return this.#states[channel - 1] ?? false;
  }
  get states(): boolean[] {
    return [...this.#states];
  }
  get plugged(): boolean {
    return this.#plugged;
  }

  /** What the driver's `open` option calls: a new host handle, or `not_found` while unplugged. */
  open = async (): Promise<HidTransport> => {
    if (!this.#plugged) throw new DriverError('not_found', `no HID device ${this.#vidPid}`);
    const device = new SimulatedHidDevice({
      vendorId: this.#options.vendorId ?? DCTTECH_VENDOR_ID,
      productId: this.#options.productId ?? DCTTECH_PRODUCT_ID,
      product: this.variant === 'dcttech' ? `USBRelay${this.channels}` : 'HID Relay',
      path: `sim:hidrelay:${this.id}`,
    });
    device.handler = {
      set: (report) => {
        if (this.variant === 'dcttech') this.#receive(report);
      },
      get: (reportId, length) => {
        if (this.variant !== 'dcttech') throw new Error('feature report not supported');
        if (this.#failReads) throw new Error('control transfer stalled');
        if (reportId !== 0) throw new Error(`no feature report ${reportId}`);
        if (this.#corruptState) return Buffer.alloc(length, 0xff);
        return encodeHidRelayState({ id: this.id, states: this.#states }, this.#options.unprefixedState ? 'unprefixed' : 'prefixed');
      },
    };
    device.on('write', (report) => {
      if (this.variant === 'ch551g') this.#receive(report);
    });
    this.#devices.add(device);
    this.opens++;
    return device.host;
  };

  /** The board is pulled out: every open handle closes with an io error, and the relays lose power. */
  async unplug(): Promise<void> {
    this.#plugged = false;
    for (const d of this.#devices) await d.unplug();
    this.#devices.clear();
    for (let ch = 1; ch <= this.channels; ch++) this.#set(ch, false);
  }

  replug(): void {
    this.#plugged = true;
  }

  /** Accept but do not carry out the next `n` commands (a board with a stuck relay driver). */
  ignoreNext(n = 1): void {
    this.#ignore += n;
  }
  /** Make every state read fail (a control-transfer stall). */
  failReads(on: boolean): void {
    this.#failReads = on;
  }
  /** Answer state reads with 0xff bytes. */
  corruptState(on: boolean): void {
    this.#corruptState = on;
  }

  get #vidPid(): string {
    const h = (n: number) => n.toString(16).padStart(4, '0');
    return `${h(this.#options.vendorId ?? DCTTECH_VENDOR_ID)}:${h(this.#options.productId ?? DCTTECH_PRODUCT_ID)}`;
  }

  #receive(report: Buffer): void {
    const r = decodeHidRelay(report, this.variant, this.channels);
    if (!r.ok) {
      // Real firmware silently ignores what it does not understand; tests need to see it.
      const rej: HidRelaySimRejected = { ...r.error, at: new Date() };
      this.rejected.push(rej);
      this.emit('rejected', rej);
      return;
    }
    this.commands.push(r.value);
    this.emit('command', r.value);
    if (this.#ignore > 0) {
      this.#ignore--;
      return;
    }
    if (r.value.op === 'set') this.#set(r.value.channel, r.value.on);
    else for (let ch = 1; ch <= this.channels; ch++) this.#set(ch, r.value.on);
  }

  #set(channel: number, on: boolean): void {
    const t = performance.now();
    const at = new Date();
    const was = this.#states[channel - 1] ?? false;
    this.#states[channel - 1] = on;
    if (was === on) return;
    const change: HidRelaySimChange = { channel, on, at };
    this.changes.push(change);
    this.emit('change', change);
    if (on) this.#onSince.set(channel, { at, t });
    else {
      const since = this.#onSince.get(channel);
      this.#onSince.delete(channel);
      if (since) {
        const pulse: HidRelaySimPulse = { channel, on: false, at, startedAt: since.at, durationMs: t - since.t };
        this.pulses.push(pulse);
        this.emit('pulse', pulse);
      }
    }
  }
}

export function createHidRelaySimulator(options: HidRelaySimulatorOptions = {}): HidRelaySimulator {
  return new HidRelaySimulator(options);
}
