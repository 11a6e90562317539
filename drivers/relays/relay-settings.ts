// Owns the turnstile's limits and the settings every turnstile relay protocol shares: which channel
// opens the gate and for how long (the controller wants a 200–500 ms dry-contact pulse), and, on
// boards with digital inputs, where the controller's "passage done" contact is read. Pure: no I/O.
import { z } from 'zod';

export const PULSE_MIN_MS = 200;
export const PULSE_MAX_MS = 500;
export const POLL_MIN_MS = 50;
export const POLL_MAX_MS = 100;

/** What a turnstile relay does on an admission: pulse `channel` for `pulseMs`. */
export const turnstileSettings = {
  /** Relay channel wired to the controller's entry contact. */
  channel: z.number().int().min(1).max(16).default(1),
  pulseMs: z.number().int().min(PULSE_MIN_MS).max(PULSE_MAX_MS).default(300),
  /** Channels on the board (default: what the driver assumes for that board). */
  channels: z.number().int().min(1).max(16).optional(),
};

/** The controller's "passage done" contact on one of the board's digital inputs. */
export const PassageContact = z
  .object({
    /** Input number, 1-based. */
    input: z.number().int().min(1).max(64).default(1),
    /** false when the contact reads 0 while a passage is signalled. */
    activeHigh: z.boolean().default(true),
    pollMs: z.number().int().min(POLL_MIN_MS).max(POLL_MAX_MS).default(75),
    debounceMs: z.number().int().min(0).max(2000).default(150),
    /** An opening with no passage within this long is annulled (well inside the gate's annul window). */
    noPassageTimeoutMs: z.number().int().min(1000).max(55_000).default(10_000),
  })
  .strict();
export type PassageContact = z.infer<typeof PassageContact>;

/** The relay channel an admission pulses, and for how long (older shapes' pulses clamped to 200–500 ms). */
export function entryPulse(c: { channel: number; pulseMs: number }): { channel: number; pulseMs: number } {
  return { channel: c.channel, pulseMs: Math.min(PULSE_MAX_MS, Math.max(PULSE_MIN_MS, c.pulseMs)) };
}
