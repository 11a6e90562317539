// Owns this terminal's idea of the server's time. Every answer from the server carries its clock (the
// WebSocket's hello, pongs and claim answers, an HTTP header on every reply); each one, with the local
// times the request left and the answer came back, is one NTP-style sample: offset = server time −
// midpoint of the round trip. The offset in force is that of the sample with the shortest round trip
// among the recent ones (NTP's clock filter: the least queued sample is the least wrong), so a slow
// answer on a busy machine does not move the clock. Ids, check-in times and validity windows use this
// clock, so a terminal whose own clock is off by hours keeps working.
import { EventEmitter } from 'node:events';

/** The terminal's own clock, in ms since the epoch (injectable: tests run a core whose clock is off). */
export type LocalClock = () => number;

/** An offset larger than this is shown to the operator as "the clock is off". */
export const CLOCK_OFF_THRESHOLD_MS = 2 * 60_000;
/** How many recent samples the filter chooses from. */
const WINDOW = 8;

type Sample = { offsetMs: number; rttMs: number };

export class ServerClock extends EventEmitter<{ change: [] }> {
  private samples: Sample[] = [];
  private offset: number | null = null;

  constructor(private readonly local: LocalClock = Date.now) {
    super();
  }

  /** The terminal's own clock. */
  localMs(): number {
    return this.local();
  }
  /** Server time as this terminal knows it (its own clock until the first sample). */
  nowMs(): number {
    return this.local() + (this.offset ?? 0);
  }
  now(): Date {
    return new Date(this.nowMs());
  }
  /** A moment a driver stamped on the process clock (`Date`), in server time: server time now minus
   *  the reading's age. */
  fromDriver(at: Date): Date {
    return new Date(this.nowMs() - Math.max(0, Date.now() - at.getTime()));
  }

  /** How far the server's clock is ahead of this terminal's, in ms; null until learned. */
  get offsetMs(): number | null {
    return this.offset;
  }
  /** The terminal's own clock is off by more than CLOCK_OFF_THRESHOLD_MS. */
  get isOff(): boolean {
    return this.offset !== null && Math.abs(this.offset) > CLOCK_OFF_THRESHOLD_MS;
  }

  /** One round trip: sent and received on the local clock, the server's clock from its answer. */
  sample(sentLocalMs: number, serverMs: number, receivedLocalMs: number): void {
    const rttMs = receivedLocalMs - sentLocalMs;
    if (!Number.isFinite(serverMs) || !(rttMs >= 0)) return;
    this.samples.push({ offsetMs: serverMs - (sentLocalMs + receivedLocalMs) / 2, rttMs });
    if (this.samples.length > WINDOW) this.samples.shift();
    let best = this.samples[0]!;
    for (const s of this.samples) if (s.rttMs < best.rttMs) best = s;
    const before = this.offset;
    const wasOff = this.isOff;
    this.offset = Math.round(best.offsetMs);
    // Listeners hear of a learned clock, a change of "off", or a move of a second or more.
    if (before === null || wasOff !== this.isOff || Math.abs(this.offset - before) >= 1000) this.emit('change');
  }
}
