// Owns a simulated LCUS relay board on the device end of a PTY: decodes frames as the board's
// firmware would, tracks each channel's contact, timestamps every change and pulse, and keeps the
// frames it rejected (the real board silently ignores them; tests need to see them).
import type { SerialPort } from 'serialport';
import { TypedEmitter } from '../events';
import { closeDevicePort, openDevicePort } from '../serial/device-port';
import { LcusFrameReader, LCUS_MAX_CHANNELS, type LcusRejection } from './lcus';

export interface RelaySimChange {
  channel: number;
  on: boolean;
  at: Date;
}
export interface RelaySimPulse extends RelaySimChange {
  on: false;
  /** When the contact closed. */
  startedAt: Date;
  durationMs: number;
}
export interface RejectedFrame extends LcusRejection {
  at: Date;
}

export interface LcusSimulatorOptions {
  baudRate?: number;
  channels?: number;
  /** A partial frame with no further byte for this long is rejected (bad_length). */
  frameTimeoutMs?: number;
}

type LcusSimEvents = {
  change: [RelaySimChange];
  pulse: [RelaySimPulse];
  rejected: [RejectedFrame];
};

export class LcusSimulator extends TypedEmitter<LcusSimEvents> {
  readonly changes: RelaySimChange[] = [];
  readonly pulses: RelaySimPulse[] = [];
  readonly rejected: RejectedFrame[] = [];
  readonly #states: boolean[];
  readonly #onSince = new Map<number, { at: Date; t: number }>();
  readonly #reader: LcusFrameReader;
  readonly #frameTimeoutMs: number;
  #frameTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly port: SerialPort,
    options: LcusSimulatorOptions = {},
  ) {
    super();
    const channels = options.channels ?? LCUS_MAX_CHANNELS;
    this.#states = new Array<boolean>(channels + 1).fill(false);
    this.#reader = new LcusFrameReader(channels);
    this.#frameTimeoutMs = options.frameTimeoutMs ?? 200;
    port.on('data', (d: Buffer) => this.#onData(d));
  }

  get path(): string {
    return this.port.path;
  }

  /** Contact state of a channel (1-based). */
  state(channel: number): boolean {
    return this.#states[channel] ?? false;
  }

  close(): Promise<void> {
    if (this.#frameTimer) clearTimeout(this.#frameTimer);
    return closeDevicePort(this.port);
  }

  #onData(d: Buffer): void {
    // performance.now() for durations: Date can step (NTP) and has only millisecond resolution.
    const t = performance.now();
    const at = new Date();
    for (const r of this.#reader.push(d)) {
      if (!r.ok) {
        this.#reject(r.error, at);
        continue;
      }
      const { channel, on } = r.value;
      const was = this.#states[channel] ?? false;
      this.#states[channel] = on;
      const change: RelaySimChange = { channel, on, at };
      this.changes.push(change);
      this.emit('change', change);
      if (on && !was) this.#onSince.set(channel, { at, t });
      if (!on && was) {
        const since = this.#onSince.get(channel);
        this.#onSince.delete(channel);
        if (since) {
          const pulse: RelaySimPulse = { channel, on: false, at, startedAt: since.at, durationMs: t - since.t };
          this.pulses.push(pulse);
          this.emit('pulse', pulse);
        }
      }
    }
    if (this.#frameTimer) clearTimeout(this.#frameTimer);
    this.#frameTimer = null;
    if (this.#reader.pending > 0) {
      this.#frameTimer = setTimeout(() => {
        this.#frameTimer = null;
        for (const r of this.#reader.flush()) if (!r.ok) this.#reject(r.error, new Date());
      }, this.#frameTimeoutMs);
    }
  }

  #reject(e: LcusRejection, at: Date): void {
    const rej: RejectedFrame = { ...e, at };
    this.rejected.push(rej);
    this.emit('rejected', rej);
  }
}

export async function startLcusSimulator(devicePath: string, options: LcusSimulatorOptions = {}): Promise<LcusSimulator> {
  return new LcusSimulator(await openDevicePort(devicePath, options.baudRate ?? 9600), options);
}
