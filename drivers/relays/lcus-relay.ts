// Owns an LCUS serial relay board as a turnstile / door opener: set a channel, or pulse it (on, wait,
// off). Commands are serialised so a pulse's off frame cannot interleave with another command, and
// after a reconnect the last wanted state of every channel is sent again, so a line that dropped
// between "on" and "off" cannot leave a turnstile unlocked.
import { z } from 'zod';
import { TypedEmitter } from '../events';
import { DriverError, type ConnectionStatus } from '../errors';
import { defineProtocol } from '../protocol';
import { ReconnectingPort } from '../serial/reconnecting-port';
import { Baud, describeSerial, SerialPath } from '../settings';
import { turnstileSettings } from './relay-settings';
import { encodeLcus, LcusError, LCUS_MAX_CHANNELS } from './lcus';

export type RelayErrorCode = 'io' | 'bad_channel';
export interface RelayError {
  code: RelayErrorCode;
  detail: string;
}
export interface RelayChange {
  channel: number;
  on: boolean;
  at: Date;
}

export interface LcusRelayOptions {
  path: string;
  baudRate?: number;
  channels?: number;
  initialDelayMs?: number;
  maxDelayMs?: number;
}

type RelayEvents = {
  status: [ConnectionStatus];
  /** A command the board was sent (not a read-back: LCUS boards do not answer). */
  change: [RelayChange];
  error: [RelayError];
};

export class LcusRelay extends TypedEmitter<RelayEvents> {
  readonly #port: ReconnectingPort;
  readonly #channels: number;
  readonly #wanted = new Map<number, boolean>();
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: LcusRelayOptions) {
    super();
    this.#channels = options.channels ?? LCUS_MAX_CHANNELS;
    this.#port = new ReconnectingPort({
      path: options.path,
      baudRate: options.baudRate ?? 9600,
      initialDelayMs: options.initialDelayMs,
      maxDelayMs: options.maxDelayMs,
    });
    this.#port.on('status', (s) => {
      this.emit('status', s);
      if (s === 'connected') void this.#restore();
    });
    this.#port.on('error', (e) => this.emit('error', { code: 'io', detail: e.detail }));
    this.#port.start();
  }

  get status(): ConnectionStatus {
    return this.#port.status;
  }

  get channels(): number {
    return this.#channels;
  }

  /** The state last commanded for a channel (undefined if never set). */
  wanted(channel: number): boolean | undefined {
    return this.#wanted.get(channel);
  }

  set(channel: number, on: boolean): Promise<void> {
    return this.#exclusive(() => this.#send(channel, on));
  }

  /** Every channel on or off. LCUS boards have no all-channels frame: one frame per channel, in one turn. */
  setAll(on: boolean): Promise<void> {
    return this.#exclusive(async () => {
      let failure: unknown = null;
      // Keep going after a failed channel: an emergency open must open every gate it can.
      for (let ch = 1; ch <= this.#channels; ch++) {
        try {
          await this.#send(ch, on);
        } catch (e) {
          failure ??= e;
        }
      }
      if (failure) throw failure;
    });
  }

  /** Close the contact for `ms`, then open it; resolves after the off frame was sent. */
  pulse(channel: number, ms: number): Promise<void> {
    return this.#exclusive(async () => {
      let failure: unknown = null;
      try {
        await this.#send(channel, true);
        await new Promise((r) => setTimeout(r, ms));
      } catch (e) {
        failure = e;
      }
      // Always end a pulse by commanding "off", even when "on" failed: it records off as the wanted
      // state, so a reconnect can never restore a half-done pulse as an open turnstile.
      try {
        await this.#send(channel, false);
      } catch (e) {
        failure ??= e;
      }
      if (failure) throw failure;
    });
  }

  async close(): Promise<void> {
    await this.#queue.catch(() => undefined);
    await this.#port.close();
  }

  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn, fn);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #send(channel: number, on: boolean): Promise<void> {
    let frame: Buffer;
    try {
      frame = encodeLcus(channel, on, this.#channels);
    } catch (e) {
      const err = e instanceof LcusError ? new DriverError<RelayErrorCode>('bad_channel', e.detail) : (e as Error);
      throw err;
    }
    // Remember the intent before writing: if the write fails, the reconnect restores it.
    this.#wanted.set(channel, on);
    try {
      await this.#port.write(frame);
    } catch (e) {
      const detail = e instanceof DriverError ? e.detail : String(e);
      this.emit('error', { code: 'io', detail: `channel ${channel} ${on ? 'on' : 'off'}: ${detail}` });
      throw e instanceof DriverError ? e : new DriverError<RelayErrorCode>('io', detail, { cause: e });
    }
    this.emit('change', { channel, on, at: new Date() });
  }

  async #restore(): Promise<void> {
    for (const [channel, on] of this.#wanted) {
      await this.#exclusive(() => this.#send(channel, on)).catch(() => undefined);
    }
  }
}

export function openLcusRelay(options: LcusRelayOptions): LcusRelay {
  return new LcusRelay(options);
}

/** LCUS serial relay board (CH340) as a turnstile relay: no input, so no passage detection. */
export const lcusProtocol = defineProtocol({
  class: 'relay',
  settings: { path: SerialPath, baudRate: Baud.default(9600), ...turnstileSettings },
  open: (s, ctx) => openLcusRelay({ path: s.path, baudRate: s.baudRate, channels: s.channels, ...ctx.reconnect }),
  describe: describeSerial,
});

/**
 * The first LCUS configuration shape, still accepted so terminals configured before the turnstile
 * model keep their relay. Its pulse is clamped to the turnstile's 200–500 ms when it starts.
 */
export const lcusLegacyProtocol = defineProtocol({
  class: 'relay',
  settings: {
    path: SerialPath,
    baudRate: Baud.default(9600),
    channel: z.number().int().min(1).max(8).default(1),
    pulseMs: z.number().int().min(50).max(5000).default(300),
  },
  open: (s, ctx) => openLcusRelay({ path: s.path, baudRate: s.baudRate, ...ctx.reconnect }),
  describe: describeSerial,
});
