// Owns slowing down guessing: failed device authentications, pairing attempts and admin-token checks are
// counted per key (the client's address, and for device tokens also the token's first characters). Past
// a few free failures a key is refused outright (429 rate_limited, with Retry-After) for a delay that
// doubles with every further failure, up to a ceiling; a key with no failure for FORGET_AFTER_MS is
// forgotten. A refused attempt is answered before any database lookup. Successes reset nothing: one valid
// secret must not buy more guesses at the others.
import { ApiFailure } from './errors';

export interface FailureLimiterOptions {
  /** Failures per key before delays start: the one that reaches it waits baseDelayMs, each further one twice the last. */
  freeFailures?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  forgetAfterMs?: number;
  /** Keys remembered at most (oldest forgotten first), so a flood of addresses cannot exhaust memory. */
  maxKeys?: number;
  now: () => Date;
}

interface Entry {
  failures: number;
  lastFailureMs: number;
  blockedUntilMs: number;
}

/** The 429 a limited key gets; the error handler turns retryAfterS into a Retry-After header. */
export class RateLimited extends ApiFailure {
  constructor(readonly retryAfterS: number) {
    super('rate_limited', `too many failed attempts; retry in ${retryAfterS} s`);
  }
}

export class FailureLimiter {
  private readonly entries = new Map<string, Entry>();
  private readonly freeFailures: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly forgetAfterMs: number;
  private readonly maxKeys: number;
  private readonly now: () => Date;

  constructor(options: FailureLimiterOptions) {
    this.freeFailures = options.freeFailures ?? 10;
    this.baseDelayMs = options.baseDelayMs ?? 1000;
    this.maxDelayMs = options.maxDelayMs ?? 15 * 60_000;
    this.forgetAfterMs = options.forgetAfterMs ?? 60 * 60_000;
    this.maxKeys = options.maxKeys ?? 100_000;
    this.now = options.now;
  }

  /** Throws RateLimited when any of the keys is waiting out a delay. */
  check(keys: readonly string[]): void {
    const now = this.now().getTime();
    let waitMs = 0;
    for (const key of keys) {
      const entry = this.live(key, now);
      if (entry && entry.blockedUntilMs > now) waitMs = Math.max(waitMs, entry.blockedUntilMs - now);
    }
    if (waitMs > 0) throw new RateLimited(Math.ceil(waitMs / 1000));
  }

  /** Counts one failure against every key. */
  fail(keys: readonly string[]): void {
    const now = this.now().getTime();
    for (const key of keys) {
      const entry = this.live(key, now) ?? { failures: 0, lastFailureMs: now, blockedUntilMs: 0 };
      entry.failures += 1;
      entry.lastFailureMs = now;
      const over = entry.failures - this.freeFailures;
      if (over >= 0) entry.blockedUntilMs = now + Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** Math.min(over, 30));
      this.entries.delete(key); // re-inserted last: the map's order is the age order eviction uses
      this.entries.set(key, entry);
      if (this.entries.size > this.maxKeys) this.entries.delete(this.entries.keys().next().value!);
    }
  }

  /** Drops forgotten keys (housekeeping). */
  prune(): void {
    const now = this.now().getTime();
    for (const [key, entry] of this.entries) if (this.expired(entry, now)) this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }

  private live(key: string, now: number): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && this.expired(entry, now)) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private expired(entry: Entry, now: number): boolean {
    return now - entry.lastFailureMs > this.forgetAfterMs && now >= entry.blockedUntilMs;
  }
}
