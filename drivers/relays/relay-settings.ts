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
    /** Release debounce: after a passage the contact must read open this long before the next closing counts (the first closed reading is the passage). */
    debounceMs: z.number().int().min(0).max(2000).default(150),
    /** An opening with no passage within this long is annulled (well inside the gate's annul window). */
    noPassageTimeoutMs: z.number().int().min(1000).max(55_000).default(10_000),
    /**
     * Boards that count the input's closings (latched): read that counter instead of the level, so a
     * contact shorter than a poll, or one during a stalled poll, is never missed. Each increment is a
     * passage; the count wraps after 2^bits - 1; a 32-bit counter is two registers, high word first.
     */
    counter: z
      .object({
        table: z.enum(['input', 'holding']).default('input'),
        address: z.number().int().min(0).max(65534),
        bits: z.union([z.literal(16), z.literal(32)]).default(16),
      })
      .strict()
      .optional(),
  })
  .strict();
export type PassageContact = z.infer<typeof PassageContact>;

/** The relay channel an admission pulses, and for how long (older shapes' pulses clamped to 200–500 ms). */
export function entryPulse(c: { channel: number; pulseMs: number }): { channel: number; pulseMs: number } {
  return { channel: c.channel, pulseMs: Math.min(PULSE_MAX_MS, Math.max(PULSE_MIN_MS, c.pulseMs)) };
}
