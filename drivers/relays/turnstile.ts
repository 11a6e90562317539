// Owns the turnstile / door as the core sees it, whatever relay board drives it: open() pulses the
// controller's dry contact (200–500 ms), openAll() is the emergency release (every channel closed
// and held until release()), and when the board also has a digital input wired to the controller's
// "passage done" contact, that input is polled (50–100 ms) into 'passage' events — a passage counts
// on the first active reading, and only the release is debounced (bounce cannot count twice); a
// board with a latched pulse counter is read instead of the level, so no contact can fall between
// two polls — and an opening with no passage within the timeout becomes 'no-passage', so the core can annul
// the check-in. Boards without an input (LCUS, USB HID) can be paired with any PassageInput.
import { startDeadline, type Deadline } from '../deadline';
import { TypedEmitter } from '../events';
import { DriverError, type ConnectionStatus } from '../errors';
import { openHidRelay, type HidRelayOptions } from './dcttech-relay';
import { openLcusRelay, type LcusRelayOptions } from './lcus-relay';
import { openModbusRelay, type ModbusRelayOptions } from './modbus-relay';
import { POLL_MAX_MS, POLL_MIN_MS, PULSE_MAX_MS, PULSE_MIN_MS } from './relay-settings';

/** The relay side every board driver (LcusRelay, HidRelay, ModbusRelay) provides. */
export interface RelayOutputs {
  readonly channels: number;
  readonly status: ConnectionStatus;
  set(channel: number, on: boolean): Promise<void>;
  setAll(on: boolean): Promise<void>;
  on(event: 'status', listener: (s: ConnectionStatus) => void): unknown;
  off(event: 'status', listener: (s: ConnectionStatus) => void): unknown;
  close(): Promise<void>;
}

/** Digital inputs (ModbusRelay provides them). */
export interface PassageInput {
  /** Input levels, input 1 first. */
  readInputs(): Promise<boolean[]>;
}

export type PassageDirection = 'in' | 'out';

/** A board's latched pulse counter on the passage contact: every closing counts, however short or however late it is read. */
export interface PassageCounter {
  read(): Promise<number>;
  /** The counter wraps to 0 after 2^bits - 1. Default 16. */
  bits?: 16 | 32;
}

/** A jump larger than this is a counter reset (the board rebooted), not passages: the count is re-based. */
export const COUNTER_MAX_STEP = 100;

export interface PassageSettings {
  input: PassageInput;
  /** Input number (1-based) of the passage contact, or one per direction. Default 1. */
  inputs?: number | { in: number; out?: number };
  /** false when the contact reads 0 while a passage is signalled. Default true. */
  activeHigh?: boolean;
  /** Poll period, 50–100 ms. Default 75. */
  pollMs?: number;
  /**
   * Release debounce: after a passage the contact must read inactive this long (in consecutive
   * polls, at least 1) before the next active reading counts again. The press is not debounced: the
   * first active reading is the passage, so a contact shorter than the poll period is still seen
   * whenever one poll lands in it. Default 150.
   */
  debounceMs?: number;
  /** How long after an opening a passage is expected. Default 10 s. */
  timeoutMs?: number;
  /** Counter mode: each increment of this counter is a passage (direction from the opening); the input levels are not read. */
  counter?: PassageCounter;
}

export interface TurnstileOptions {
  relay: RelayOutputs;
  /** Relay channel per direction. Default { in: 1 }; out uses in's channel unless given. */
  channels?: { in: number; out?: number };
  /** Contact closure of one opening, 200–500 ms. Default 300. */
  pulseMs?: number;
  /** Channels openAll() closes. Default: every channel of the board. */
  emergencyChannels?: number[];
  passage?: PassageSettings;
  /** close() also closes the relay driver. Default true. */
  ownsRelay?: boolean;
}

export interface PassageEvent {
  at: Date;
  /** From the input that fired (per-direction inputs) or the opening it completes. */
  direction: PassageDirection | null;
  /** The opening this passage completes; null when nobody was let through (forced, tailgating, emergency). */
  openedAt: Date | null;
}
export interface NoPassageEvent {
  openedAt: Date;
  direction: PassageDirection;
}
export interface TurnstileStatus {
  connection: ConnectionStatus;
  /** locked; opening (a pulse in progress); emergency (held open until release()). */
  mode: 'locked' | 'opening' | 'emergency';
  canDetectPassage: boolean;
  /** Openings still waiting for their passage. */
  awaitingPassage: number;
  /** The last relay or input fault, cleared by the next success. */
  fault: { code: string; detail: string } | null;
}

export type TurnstileEvents = {
  passage: [PassageEvent];
  'no-passage': [NoPassageEvent];
  status: [TurnstileStatus];
  error: [DriverError];
};

export interface Turnstile extends TypedEmitter<TurnstileEvents> {
  /** Pulse the direction's contact; resolves when the pulse ended. Passage (if detectable) follows as an event. */
  open(direction?: PassageDirection): Promise<void>;
  /** Emergency: close every (emergency) channel and hold it, across reconnects, until release(). */
  openAll(): Promise<void>;
  release(): Promise<void>;
  readonly status: TurnstileStatus;
  readonly canDetectPassage: boolean;
  close(): Promise<void>;
}

export { PULSE_MIN_MS, PULSE_MAX_MS, POLL_MIN_MS, POLL_MAX_MS };

interface Awaiting {
  direction: PassageDirection;
  openedAt: Date;
  timer: Deadline;
}

const asDriverError = (e: unknown): DriverError =>
  e instanceof DriverError ? e : new DriverError('io', e instanceof Error ? e.message : String(e), { cause: e });

class TurnstileImpl extends TypedEmitter<TurnstileEvents> implements Turnstile {
  readonly #relay: RelayOutputs;
  readonly #channels: { in: number; out: number };
  readonly #pulseMs: number;
  readonly #emergencyChannels: number[] | null;
  readonly #ownsRelay: boolean;
  readonly #passage: (Required<Omit<PassageSettings, 'inputs' | 'counter'>> & { inputs: { in: number; out: number | null }; counter: PassageCounter | null }) | null;
  /** Counter mode: the last count read (null until the first read sets the baseline). */
  #count: number | null = null;
  /** Consecutive inactive polls that re-arm an input after a passage. */
  readonly #releaseReads: number;
  readonly #awaiting: Awaiting[] = [];
  readonly #onRelayStatus = () => this.#publish();
  #pulses: Promise<unknown> = Promise.resolve();
  #pulsing = 0;
  #emergency = false;
  #fault: TurnstileStatus['fault'] = null;
  #closed = false;
  #pollTimer: NodeJS.Timeout | null = null;
  #polling: Promise<void> | null = null;
  #lastStatus = '';
  /** Per watched input: armed (released long enough for the next active reading to count), and the run of inactive reads. */
  readonly #levels = new Map<number, { armed: boolean; inactiveRun: number }>();

  constructor(options: TurnstileOptions) {
    super();
    this.#relay = options.relay;
    const chIn = options.channels?.in ?? 1;
    this.#channels = { in: chIn, out: options.channels?.out ?? chIn };
    for (const ch of [this.#channels.in, this.#channels.out]) {
      if (!Number.isInteger(ch) || ch < 1 || ch > this.#relay.channels) throw new RangeError(`turnstile channel ${ch} is outside 1..${this.#relay.channels}`);
    }
    this.#pulseMs = options.pulseMs ?? 300;
    if (!(this.#pulseMs >= PULSE_MIN_MS && this.#pulseMs <= PULSE_MAX_MS)) {
      throw new RangeError(`pulse of ${this.#pulseMs} ms is outside ${PULSE_MIN_MS}..${PULSE_MAX_MS} ms`);
    }
    this.#emergencyChannels = options.emergencyChannels ?? null;
    this.#ownsRelay = options.ownsRelay ?? true;
    const p = options.passage;
    if (p) {
      const pollMs = p.pollMs ?? 75;
      if (!(pollMs >= POLL_MIN_MS && pollMs <= POLL_MAX_MS)) throw new RangeError(`poll period ${pollMs} ms is outside ${POLL_MIN_MS}..${POLL_MAX_MS} ms`);
      const inputs = typeof p.inputs === 'number' || p.inputs === undefined ? { in: p.inputs ?? 1, out: null } : { in: p.inputs.in, out: p.inputs.out ?? null };
      this.#passage = {
        input: p.input,
        inputs,
        activeHigh: p.activeHigh ?? true,
        pollMs,
        debounceMs: p.debounceMs ?? 150,
        timeoutMs: p.timeoutMs ?? 10_000,
        counter: p.counter ?? null,
      };
      this.#releaseReads = Math.max(1, Math.ceil(this.#passage.debounceMs / pollMs));
      this.#schedulePoll(0);
    } else {
      this.#passage = null;
      this.#releaseReads = 0;
    }
    this.#relay.on('status', this.#onRelayStatus);
  }

  get canDetectPassage(): boolean {
    return this.#passage !== null;
  }

  get status(): TurnstileStatus {
    return {
      connection: this.#relay.status,
      mode: this.#emergency ? 'emergency' : this.#pulsing > 0 ? 'opening' : 'locked',
      canDetectPassage: this.canDetectPassage,
      awaitingPassage: this.#awaiting.length,
      fault: this.#fault,
    };
  }

  open(direction: PassageDirection = 'in'): Promise<void> {
    if (this.#closed) return Promise.reject(new DriverError('closed', 'turnstile is closed'));
    // Held open already: nothing to pulse, and a passage cannot be told apart from the crowd.
    if (this.#emergency) return Promise.resolve();
    const channel = this.#channels[direction];
    // Openings are serialised: two overlapping pulses on one contact would end at the first "off".
    const run = this.#pulses.then(() => this.#pulse(channel, direction));
    this.#pulses = run.catch(() => undefined);
    return run;
  }

  async openAll(): Promise<void> {
    if (this.#closed) throw new DriverError('closed', 'turnstile is closed');
    this.#emergency = true;
    // Earlier openings are no longer tracked: nobody's check-in is annulled over an evacuation.
    for (const a of this.#awaiting.splice(0)) a.timer.cancel();
    this.#publish();
    await this.#drive(() =>
      this.#emergencyChannels ? this.#each(this.#emergencyChannels, true) : this.#relay.setAll(true),
    );
  }

  async release(): Promise<void> {
    if (this.#closed) throw new DriverError('closed', 'turnstile is closed');
    this.#emergency = false;
    this.#publish();
    await this.#drive(() =>
      this.#emergencyChannels ? this.#each(this.#emergencyChannels, false) : this.#relay.setAll(false),
    );
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#pollTimer) clearTimeout(this.#pollTimer);
    this.#pollTimer = null;
    for (const a of this.#awaiting.splice(0)) a.timer.cancel();
    await this.#pulses.catch(() => undefined);
    await this.#polling?.catch(() => undefined);
    this.#relay.off('status', this.#onRelayStatus);
    if (this.#ownsRelay) await this.#relay.close();
  }

  async #each(channels: number[], on: boolean): Promise<void> {
    let failure: unknown = null;
    for (const ch of channels) {
      try {
        await this.#relay.set(ch, on);
      } catch (e) {
        failure ??= e;
      }
    }
    if (failure) throw failure;
  }

  /** Run a relay command, keeping `fault` and the status in step with how it went. */
  async #drive(fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
      this.#setFault(null);
    } catch (e) {
      const err = asDriverError(e);
      this.#setFault(err);
      throw err;
    }
  }

  async #pulse(channel: number, direction: PassageDirection): Promise<void> {
    if (this.#closed) throw new DriverError('closed', 'turnstile is closed');
    if (this.#emergency) return;
    const openedAt = new Date();
    this.#pulsing++;
    this.#publish();
    let failure: unknown = null;
    try {
      await this.#drive(() => this.#relay.set(channel, true));
      // Only an opening that reached the board can be followed by a passage.
      if (this.#passage) this.#expectPassage(direction, openedAt);
      await new Promise((r) => setTimeout(r, this.#pulseMs));
    } catch (e) {
      failure = e;
    }
    // End the pulse even if "on" failed (the board may have seen it) — unless an emergency release
    // began meanwhile: then the contact must stay closed.
    if (!this.#emergency) {
      try {
        await this.#drive(() => this.#relay.set(channel, false));
      } catch (e) {
        failure ??= e;
      }
    }
    this.#pulsing--;
    this.#publish();
    if (failure) throw asDriverError(failure);
  }

  #expectPassage(direction: PassageDirection, openedAt: Date): void {
    const passage = this.#passage!;
    const entry: Awaiting = {
      direction,
      openedAt,
      // Only time in which the input could be read counts: a stalled event loop never turns into a
      // "no passage" (which would annul an entry someone walked through).
      timer: startDeadline(passage.timeoutMs, () => {
        const i = this.#awaiting.indexOf(entry);
        if (i < 0) return;
        this.#awaiting.splice(i, 1);
        this.emit('no-passage', { openedAt, direction });
        this.#publish();
      }),
    };
    this.#awaiting.push(entry);
    this.#publish();
  }

  #schedulePoll(delay: number): void {
    if (this.#closed || !this.#passage) return;
    this.#pollTimer = setTimeout(() => {
      this.#pollTimer = null;
      this.#polling = this.#poll().finally(() => {
        this.#polling = null;
        this.#schedulePoll(this.#passage!.pollMs);
      });
    }, delay);
  }

  async #poll(): Promise<void> {
    const p = this.#passage!;
    if (p.counter) return this.#pollCounter(p.counter);
    let levels: boolean[];
    try {
      levels = await p.input.readInputs();
    } catch (e) {
      this.#setFault(asDriverError(e));
      return;
    }
    if (this.#closed) return;
    this.#setFault(null);
    const watched: [number, PassageDirection | null][] = p.inputs.out === null ? [[p.inputs.in, null]] : [[p.inputs.in, 'in'], [p.inputs.out, 'out']];
    for (const [input, direction] of watched) {
      const raw = levels[input - 1];
      if (raw === undefined) continue;
      const active = raw === p.activeHigh;
      const state = this.#levels.get(input);
      // The first sample only arms the input: a contact already closed at start-up is not a passage.
      if (!state) {
        this.#levels.set(input, { armed: !active, inactiveRun: active ? 0 : this.#releaseReads });
        continue;
      }
      if (!active) {
        state.inactiveRun++;
        if (state.inactiveRun >= this.#releaseReads) state.armed = true;
        continue;
      }
      // Active: the first such reading after a debounced release is the passage; the rest of the
      // contact (and any bounce before it has been released long enough) is not.
      state.inactiveRun = 0;
      if (!state.armed) continue;
      state.armed = false;
      this.#passageSeen(direction);
    }
  }

  async #pollCounter(counter: PassageCounter): Promise<void> {
    let value: number;
    try {
      value = await counter.read();
    } catch (e) {
      this.#setFault(asDriverError(e));
      return;
    }
    if (this.#closed) return;
    this.#setFault(null);
    const last = this.#count;
    this.#count = value;
    // The first read is the baseline: closings counted before start-up are nobody's passage.
    if (last === null) return;
    const modulus = 2 ** (counter.bits ?? 16);
    const delta = (((value - last) % modulus) + modulus) % modulus; // wrap-around: 65535 -> 1 is 2 passages
    if (delta > COUNTER_MAX_STEP) return; // a reset, re-based above
    for (let i = 0; i < delta; i++) this.#passageSeen(null);
  }

  #passageSeen(direction: PassageDirection | null): void {
    const at = new Date();
    // The oldest opening of that direction (or any, when the input does not tell) is the one completed.
    const i = this.#awaiting.findIndex((a) => direction === null || a.direction === direction);
    const entry = i >= 0 ? this.#awaiting.splice(i, 1)[0]! : null;
    if (entry) entry.timer.cancel();
    this.emit('passage', { at, direction: direction ?? entry?.direction ?? null, openedAt: entry?.openedAt ?? null });
    this.#publish();
  }

  #setFault(e: DriverError | null): void {
    // Announce a fault once when it starts (or changes kind), not on every failing poll.
    if (e && e.code !== this.#fault?.code) this.emit('error', e);
    this.#fault = e ? { code: e.code, detail: e.detail } : null;
    this.#publish();
  }

  #publish(): void {
    if (this.#closed) return;
    const s = this.status;
    const key = JSON.stringify(s);
    if (key === this.#lastStatus) return;
    this.#lastStatus = key;
    this.emit('status', s);
  }
}

export function createTurnstile(options: TurnstileOptions): Turnstile {
  return new TurnstileImpl(options);
}

export type TurnstileSettings = Omit<TurnstileOptions, 'relay' | 'passage' | 'ownsRelay'>;

/** LCUS serial relay: no input, so no passage events unless `passage` brings its own input. */
export function openLcusTurnstile(relay: LcusRelayOptions, settings: TurnstileSettings & { passage?: PassageSettings } = {}): Turnstile {
  return createTurnstile({ ...settings, relay: openLcusRelay(relay) });
}

/** USB HID relay (dcttech / CH551G): no input either. */
export function openHidTurnstile(relay: HidRelayOptions, settings: TurnstileSettings & { passage?: PassageSettings } = {}): Turnstile {
  return createTurnstile({ ...settings, relay: openHidRelay(relay) });
}

/** Modbus IO board: coils open the gate, a discrete input reports the passage. */
export function openModbusTurnstile(
  relay: ModbusRelayOptions,
  settings: TurnstileSettings & { passage?: Omit<PassageSettings, 'input'> | false } = {},
): Turnstile {
  const board = openModbusRelay(relay);
  const { passage, ...rest } = settings;
  return createTurnstile({ ...rest, relay: board, passage: passage === false ? undefined : { ...passage, input: board } });
}
