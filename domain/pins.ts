// Owns the rule for what an operator's PIN may look like: digits only, at most PIN_MAX_LENGTH of them,
// and at least as many as the operator's role requires. Roles that can open every turnstile, annul
// check-ins or change the terminal (manager, admin) need longer PINs than the staff at a desk, because
// a guessed manager PIN is worth more. The server applies this rule when it creates or changes an
// operator; the terminal applies it again when someone signs in, so an operator whose PIN predates the
// rule is sent to get a new one instead of being let in on a short PIN.
import type { Role } from './enums';

export const PIN_MAX_LENGTH = 8;

/** The fewest digits a PIN of each role may have. */
export const PIN_MIN_LENGTH: Readonly<Record<Role, number>> = {
  cashier: 4,
  gate: 4,
  badge: 4,
  kiosk: 4,
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
