// Owns the audit slice of the contract: a manager reading this terminal's audit trail — the recent
// entries with who did what, and whether the chain behind them still verifies.
import { z } from 'zod';
import { AUDIT_ACTIONS, type AuditAction } from '../../../domain/audit';
import { call } from '../spec';

export { AUDIT_ACTIONS, type AuditAction };

export const AuditListEntry = z.object({
  seq: z.number().int(),
  id: z.string(),
  at: z.string(),
  operatorId: z.string().nullable(),
  /** The operator's name as this terminal knows it (null: no operator, or one it no longer knows). */
  operatorName: z.string().nullable(),
  /** One of AUDIT_ACTIONS, or a name a newer version recorded. */
  action: z.string(),
  subject: z.string().nullable(),
  /** 'ok', or the error code the action ended with. */
  result: z.string(),
  /** This entry's hash matches its content and the entry before it. */
  verified: z.boolean(),
  /** The server holds this entry. */
  pushed: z.boolean(),
});
export type AuditListEntry = z.infer<typeof AuditListEntry>;

export const AuditChainState = z.object({
  /** Every entry of this terminal's chain, from the first, verifies. */
  verified: z.boolean(),
  length: z.number().int(),
  /** The first entry that does not verify (null: none). */
  firstBreakSeq: z.number().int().nullable(),
  /** The server holds the chain up to this entry. */
  pushedSeq: z.number().int(),
  /** Breaks the server has flagged in this terminal's chain (null: not told yet). */
  serverBreaks: z.number().int().nullable(),
});
export type AuditChainState = z.infer<typeof AuditChainState>;

export const auditCalls = {
  'audit.list': call({
    input: z.object({ limit: z.number().int().min(1).max(500) }).strict(),
    output: z.object({ entries: z.array(AuditListEntry), chain: AuditChainState }),
    roles: ['manager', 'admin'],
  }),
} as const;

export const auditEvents = {} as const;
