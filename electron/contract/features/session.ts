// Owns the session slice of the contract: an operator signing in with a PIN and out again, per UI.
import { z } from 'zod';
import { Session } from '../domain';
import { call, Empty } from '../spec';

export const sessionCalls = {
  'session.login': call({
    input: z.object({ pin: z.string().regex(/^\d{4,8}$/) }).strict(),
    output: Session,
    roles: 'public',
  }),
  'session.logout': call({ input: Empty, output: z.object({}), roles: 'public' }),
  'session.current': call({ input: Empty, output: Session.nullable(), roles: 'public' }),
} as const;

export const sessionEvents = {} as const;
