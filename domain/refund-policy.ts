// Owns the refund and exchange policy of a ticket type: whether a ticket of it may be refunded or
// exchanged at all, until how many hours before its session (or its event) starts, the fee kept, and who
// may do it (any cashier, or only with a manager's approval). Pure: the server decides with it under its
// locks, the terminal shows with it what the policy allows now. A type without a policy allows neither.
import { z } from 'zod';
import { MAX_AMOUNT_MINOR } from './money';

/** Who may refund or exchange: any box-office operator, or only with a manager's approval (PIN). */
export const POLICY_ACTORS = ['cashier', 'manager'] as const;
export const PolicyActor = z.enum(POLICY_ACTORS);
export type PolicyActor = z.infer<typeof PolicyActor>;

/** The fee kept from each ticket's price: a fixed amount (minor units) or a share in basis points
 *  (1/100 of a percent, so 1250 = 12.5 %). */
export const PolicyFee = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('fixed'), amountMinor: z.number().int().nonnegative().max(MAX_AMOUNT_MINOR) }).strict(),
  z.object({ kind: z.literal('percent'), basisPoints: z.number().int().min(0).max(10_000) }).strict(),
]);
export type PolicyFee = z.infer<typeof PolicyFee>;

/** One permission (refund or exchange): open until `hoursBefore` hours before the start (0: until the
 *  start itself), with a fee per ticket, for whom. */
export const PolicyRule = z
  .object({
    hoursBefore: z.number().int().min(0).max(8760),
    fee: PolicyFee,
    who: PolicyActor,
  })
  .strict();
export type PolicyRule = z.infer<typeof PolicyRule>;

/** A ticket type's policy; null rule: not allowed. */
export const RefundPolicy = z.object({ refund: PolicyRule.nullable(), exchange: PolicyRule.nullable() }).strict();
export type RefundPolicy = z.infer<typeof RefundPolicy>;

export const NO_REFUNDS: RefundPolicy = { refund: null, exchange: null };

export type PolicyAction = 'refund' | 'exchange';

/** Why a refund or an exchange is refused by policy. */
export type PolicyRefusal = 'refund_not_allowed' | 'refund_window_closed' | 'exchange_not_allowed';

export type PolicyVerdict =
  | { ok: true; rule: PolicyRule; feeMinor: number; needsManager: boolean; until: Date }
  | { ok: false; reason: PolicyRefusal; until: Date | null };

/** The fee kept from a ticket paid `priceMinor`: never more than the price. */
export function feeFor(fee: PolicyFee, priceMinor: number): number {
  const raw = fee.kind === 'fixed' ? fee.amountMinor : Math.round((priceMinor * fee.basisPoints) / 10_000);
  return Math.max(0, Math.min(priceMinor, raw));
}

/** The last instant the rule allows, for a ticket whose session or event starts at `startsAt`. */
export function windowEnd(rule: PolicyRule, startsAt: Date): Date {
  return new Date(startsAt.getTime() - rule.hoursBefore * 3_600_000);
}

/**
 * Whether `action` is allowed now on one ticket of a type with `policy`, paid `priceMinor`, whose
 * session (or event) starts at `startsAt`: the fee it costs and whether a manager must approve.
 */
export function policyVerdict(policy: RefundPolicy | null, action: PolicyAction, priceMinor: number, startsAt: Date, now: Date): PolicyVerdict {
  const rule = (policy ?? NO_REFUNDS)[action];
  if (!rule) return { ok: false, reason: action === 'refund' ? 'refund_not_allowed' : 'exchange_not_allowed', until: null };
  const until = windowEnd(rule, startsAt);
  if (now.getTime() > until.getTime())
    return { ok: false, reason: action === 'refund' ? 'refund_window_closed' : 'exchange_not_allowed', until };
  return { ok: true, rule, feeMinor: feeFor(rule.fee, priceMinor), needsManager: rule.who === 'manager', until };
}

/** Roles that approve what a policy keeps for managers. */
export const APPROVER_ROLES = ['manager', 'admin'] as const;
export const isApproverRole = (role: string): boolean => (APPROVER_ROLES as readonly string[]).includes(role);
