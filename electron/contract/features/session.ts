// Owns the session slice of the contract: an operator saying who they are (from the operators this
// terminal serves), signing in with their PIN and out again, per UI; and a manager seeing who is locked
// out here after wrong PINs and clearing one operator's lockout.
import { z } from 'zod';
import { Role, Session } from '../domain';
import { call, Empty } from '../spec';

/** One operator the sign-in screen offers: who, never anything about their PIN but its shortest length. */
export const OperatorChoice = z.object({
  id: z.string().uuid(),
  name: z.string(),
  role: Role,
  /** The fewest digits this operator's PIN may have (domain/pins.ts). */
  pinMinLength: z.number().int().min(1),
});
export type OperatorChoice = z.infer<typeof OperatorChoice>;

/** One operator's wrong PINs counted on this terminal, as a manager sees them. */
export const OperatorLockout = z.object({
  operatorId: z.string().uuid(),
  /** Null: an operator this terminal no longer knows. */
  operatorName: z.string().nullable(),
  role: Role.nullable(),
  /** Wrong PINs in a row. */
  failures: z.number().int().min(1),
  /** The long lock (many wrong PINs in a row) is on; otherwise any wait is a short, growing one. */
  locked: z.boolean(),
  /** Until when this operator's PIN is not even checked (null: they may try now). */
  until: z.string().nullable(),
  lastFailureAt: z.string(),
});
export type OperatorLockout = z.infer<typeof OperatorLockout>;

export const sessionCalls = {
  /** The active operators whose role works in one of this terminal's modes, by name. */
  'session.operators': call({ input: Empty, output: z.array(OperatorChoice), roles: 'public' }),
  'session.login': call({
    input: z.object({ operatorId: z.string().uuid(), pin: z.string().regex(/^\d{4,8}$/) }).strict(),
    output: Session,
    roles: 'public',
  }),
  'session.logout': call({ input: Empty, output: z.object({}), roles: 'public' }),
  'session.current': call({ input: Empty, output: Session.nullable(), roles: 'public' }),
  /** Every operator with wrong PINs counted on this terminal, by name. */
  'session.lockouts': call({ input: Empty, output: z.array(OperatorLockout), roles: ['manager', 'admin'] }),
  /** Clears one operator's count here, so they may sign in at once; answers the lockout as it was.
   *  not_found: no such operator; not_locked: nothing counted for them. */
  'session.clearLockout': call({
    input: z.object({ operatorId: z.string().uuid() }).strict(),
    output: OperatorLockout,
    roles: ['manager', 'admin'],
  }),
} as const;

export const sessionEvents = {} as const;
