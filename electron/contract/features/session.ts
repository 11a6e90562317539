// Owns the session slice of the contract: an operator saying who they are (from the operators this
// terminal serves), signing in with their PIN and out again, per UI.
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
} as const;

export const sessionEvents = {} as const;
