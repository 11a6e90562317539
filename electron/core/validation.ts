// Owns the check-in decision: a pure function of the ticket's state and its check-in history that
// returns one reason code. Screens, sounds, logs and reports speak this same vocabulary.
import type { VerdictReason } from '../contract';

export type TicketState = {
  id: string;
  status: 'valid' | 'cancelled' | 'refunded' | 'revoked';
  paid: boolean;
};
export type CheckinState = { at: string; state: 'local' | 'accepted' | 'conflict' };

export type Decision = { reason: VerdictReason; admitted: boolean; firstUsedAt: string | null };

/** Codes printed by Admit and imported codes are printable ASCII; anything else is a misread. */
const CODE_PATTERN = /^[\x21-\x7e]{1,512}$/;
export const isWellFormedCode = (code: string): boolean => CODE_PATTERN.test(code);

export function decide(ticket: TicketState | undefined, history: readonly CheckinState[]): Decision {
  const refuse = (reason: VerdictReason, firstUsedAt: string | null = null): Decision => ({
    reason,
    admitted: false,
    firstUsedAt,
  });
  if (!ticket) return refuse('unknown');
  if (ticket.status !== 'valid') return refuse(ticket.status);
  if (!ticket.paid) return refuse('unpaid');
  // A conflict row is a refused duplicate kept for the report; it does not count as a use.
  const uses = history.filter((c) => c.state !== 'conflict').map((c) => c.at).sort();
  if (uses.length > 0) return refuse('already_used', uses[0] ?? null);
  return { reason: 'ok', admitted: true, firstUsedAt: null };
}
