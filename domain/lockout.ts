// Owns the wrong-PIN lockout rule shared by the terminal (its per-terminal sign-in count) and the server
// (its count for admin sessions): how many wrong PINs in a row are free, how long each further one makes
// the next attempt wait, and from when each one locks the operator for a long time.

export type LockoutPolicy = {
  /** Wrong PINs in a row that are let through without a wait. */
  freeFailures: number;
  /** The wait after the first failure past the free ones; it doubles with each further one … */
  firstDelayMs: number;
  /** … up to this. */
  maxDelayMs: number;
  /** From this many failures in a row on, each one locks the operator for hardLockMs. */
  hardLockAfter: number;
  hardLockMs: number;
};

/** 3 free; then 1 s, 2 s, 4 s … 60 s; from the 10th wrong PIN in a row, 30 minutes each. That leaves
 *  about 50 guesses a day at one operator's PIN on one terminal. */
export const DEFAULT_LOCKOUT: LockoutPolicy = {
  freeFailures: 3,
  firstDelayMs: 1000,
  maxDelayMs: 60_000,
  hardLockAfter: 10,
  hardLockMs: 30 * 60_000,
};

/** How long the next attempt must wait after `failures` wrong PINs in a row, and whether that is the
 *  long lock. */
export function delayAfter(failures: number, policy: LockoutPolicy = DEFAULT_LOCKOUT): { ms: number; hard: boolean } {
  if (failures >= policy.hardLockAfter) return { ms: policy.hardLockMs, hard: true };
  if (failures < policy.freeFailures) return { ms: 0, hard: false };
  const doubled = policy.firstDelayMs * 2 ** (failures - policy.freeFailures);
  return { ms: Math.min(policy.maxDelayMs, doubled), hard: false };
}
