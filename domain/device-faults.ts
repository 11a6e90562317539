// Owns the vocabulary of a failed read and the rule that calls a reader faulty: the closed set of
// read-fault kinds every scanner and ID-reader driver reports (whatever its protocol's own error
// codes), and the tally of a device's recent reads that decides when it is shown as faulty and when
// it has recovered. Counted in reads, never in time, so the verdict does not depend on how fast the
// machine is.
import { z } from 'zod';

/**
 * garbled: bytes that are not a code (bad encoding, noise, a malformed report or line);
 * too_long: longer than the device may send; incomplete: stopped partway (truncated, a missing line);
 * checksum: a checksum or check digit failed; parity: a Wiegand parity bit failed;
 * unreadable: the card or document was found but could not be read; timeout: no answer in time.
 */
export const READ_FAULT_KINDS = ['garbled', 'too_long', 'incomplete', 'checksum', 'parity', 'unreadable', 'timeout'] as const;
export const ReadFaultKind = z.enum(READ_FAULT_KINDS);
export type ReadFaultKind = z.infer<typeof ReadFaultKind>;

/** When a reader counts as faulty. */
export interface FaultPolicy {
  /** This many faults in a row, with no good read between them. */
  streak: number;
  /** Or this many faults among the last `window` reads. */
  inWindow: number;
  window: number;
}

export const DEFAULT_FAULT_POLICY: Readonly<FaultPolicy> = Object.freeze({ streak: 3, inWindow: 5, window: 10 });

/** A reader's read history as its status shows it. */
export interface FaultTally {
  /** Faults since the device started. */
  total: number;
  /** Faults since the last good read. */
  streak: number;
  /** The last `window` reads, oldest first: true for a fault. */
  recent: readonly boolean[];
  last: { kind: ReadFaultKind; at: string } | null;
}

export const EMPTY_TALLY: FaultTally = Object.freeze({ total: 0, streak: 0, recent: Object.freeze([]) as readonly boolean[], last: null });

const checkPolicy = (p: FaultPolicy): void => {
  for (const [k, v] of Object.entries(p)) if (!Number.isInteger(v) || v < 1) throw new RangeError(`fault policy ${k} must be a positive integer, got ${v}`);
  if (p.inWindow > p.window) throw new RangeError(`fault policy inWindow (${p.inWindow}) exceeds window (${p.window})`);
};

const push = (recent: readonly boolean[], fault: boolean, window: number) => [...recent, fault].slice(-window);

/** The tally after a read that failed. */
export function recordFault(t: FaultTally, kind: ReadFaultKind, at: Date, policy: FaultPolicy = DEFAULT_FAULT_POLICY): FaultTally {
  checkPolicy(policy);
  return { total: t.total + 1, streak: t.streak + 1, recent: push(t.recent, true, policy.window), last: { kind, at: at.toISOString() } };
}

/** The tally after a good read (a code, a card, a document, or a reader's clear "nothing here"). */
export function recordGoodRead(t: FaultTally, policy: FaultPolicy = DEFAULT_FAULT_POLICY): FaultTally {
  checkPolicy(policy);
  return { ...t, streak: 0, recent: push(t.recent, false, policy.window) };
}

export const recentFaults = (t: FaultTally): number => t.recent.filter(Boolean).length;

/** Faulty: too many faults in a row, or too many among the recent reads. Good reads clear it. */
export function isFaulty(t: FaultTally, policy: FaultPolicy = DEFAULT_FAULT_POLICY): boolean {
  checkPolicy(policy);
  return t.streak >= policy.streak || recentFaults(t) >= policy.inWindow;
}
