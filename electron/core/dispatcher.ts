// Owns the single entry point for UI calls: the name must be in the contract, the input must parse,
// the operator's role must be allowed — checked here in the core, whatever the UI shows or hides.
import {
  AdmitError,
  calls,
  fail,
  isCallName,
  ok,
  type CallName,
  type CallOutput,
  type Result,
  type Session,
} from '../contract';
import type { z } from 'zod';

export type CallContext = { sessionId: string; session: Session | null };
export type Handlers = {
  [K in CallName]: (input: z.output<(typeof calls)[K]['input']>, ctx: CallContext) => Promise<CallOutput<K>> | CallOutput<K>;
};

export type Logger = { warn(msg: string, data?: object): void; error(msg: string, data?: object): void };

export function createDispatcher(handlers: Handlers, getSession: (id: string) => Session | null, log: Logger) {
  return async function dispatch(sessionId: string, name: unknown, input: unknown): Promise<Result<unknown>> {
    if (!isCallName(name)) return fail('unknown_call', typeof name === 'string' ? name.slice(0, 64) : typeof name);
    const spec = calls[name];
    const parsed = spec.input.safeParse(input ?? {});
    if (!parsed.success) {
      return fail(
        'invalid_input',
        name,
        parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      );
    }
    const session = getSession(sessionId);
    if (spec.roles !== 'public') {
      if (!session) return fail('not_logged_in', name);
      if (!spec.roles.includes(session.role)) return fail('forbidden', name);
    }
    try {
      const handler = handlers[name] as (i: unknown, c: CallContext) => Promise<unknown> | unknown;
      const value = await handler(parsed.data, { sessionId, session });
      return ok(spec.output.parse(value));
    } catch (e) {
      if (e instanceof AdmitError) return fail(e.code, e.message === e.code ? undefined : e.message);
      log.error('call failed', { call: name, error: e instanceof Error ? e.message : String(e) });
      return fail('internal', name);
    }
  };
}
