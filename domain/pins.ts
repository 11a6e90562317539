// Owns the rule for what an operator's PIN may look like: digits only, at least six and at most
// PIN_MAX_LENGTH of them, for every role. Six is set by a stolen disk: a terminal in service mode keeps
// its PIN key on the same disk as the operators' peppered PIN hashes, so whoever takes the disk can
// search one operator's PIN offline at the cost of both scrypt layers per guess (domain/hashing.ts).
// 10^4 four-digit PINs fall in about two hours of one core; 10^6 six-digit PINs take about a week of
// one core (docs/secrets.md, bench/pin-hash.ts). Online, the per-operator lockout (30 minutes per
// attempt from the tenth wrong PIN in a row) puts 10^6 candidates decades away. The map keeps a length
// per role so a role worth more (manager, admin: every turnstile, annulments, the terminal's settings)
// can be held to more than the staff at a desk. The server applies this rule when it creates or
// changes an operator; the terminal applies it again when someone signs in, so an operator whose PIN
// predates the rule is sent to get a new one instead of being let in on a short PIN.
import type { Role } from './enums';

export const PIN_MAX_LENGTH = 8;

/** The fewest digits a PIN of each role may have. */
export const PIN_MIN_LENGTH: Readonly<Record<Role, number>> = {
  cashier: 6,
  gate: 6,
  badge: 6,
  kiosk: 6,
  manager: 6,
  admin: 6,
};

export function minPinLength(role: Role): number {
  return PIN_MIN_LENGTH[role];
}

/** What is wrong with `pin` for an operator of `role`, or null when it is acceptable. */
export type PinProblem = 'not_digits' | 'too_short' | 'too_long';

export function pinProblem(role: Role, pin: string): PinProblem | null {
  if (!/^\d*$/.test(pin)) return 'not_digits';
  if (pin.length < minPinLength(role)) return 'too_short';
  if (pin.length > PIN_MAX_LENGTH) return 'too_long';
  return null;
}

/** The same rule as one sentence, for an API's 400 answer. */
export function describePinRule(role: Role): string {
  return `a ${role} PIN is ${minPinLength(role)} to ${PIN_MAX_LENGTH} digits`;
}
