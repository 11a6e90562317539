// Owns the single entry point for UI calls and the registry of the feature modules behind it. Each module
// brings the handlers of its contract slice; the registry merges them, and both the compiler and the
// start-up check refuse a contract call with no handler or with two. The dispatcher then checks, for
// every call: the name is in the contract, the input parses, the operator's role is allowed — here in
// the core, whatever the UI shows or hides.
import {
  AdmitError,
  calls,
  callNames,
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
export type Handler<K extends CallName> = (
  input: z.output<(typeof calls)[K]['input']>,
  ctx: CallContext,
) => Promise<CallOutput<K>> | CallOutput<K>;
/** One handler per contract call: the type the registry's result must have. */
export type Handlers = { [K in CallName]: Handler<K> };

/** A feature of the core: the handlers of its contract slice (`K`: the calls it answers), and what it
 *  does when the core stops. */
export type CoreModule<K extends CallName = never> = {
  readonly name: string;
  readonly handlers: { [P in K]: Handler<P> };
  close?(): Promise<void> | void;
};
type AnyModule = { readonly name: string; readonly handlers: Partial<Handlers>; close?(): Promise<void> | void };

type CallsOf<M> = M extends { handlers: infer H } ? keyof H & CallName : never;
type AllCalls<M extends readonly unknown[]> = CallsOf<M[number]>;
type Duplicates<M extends readonly unknown[], Seen = never> = M extends readonly [infer H, ...infer R]
  ? (CallsOf<H> & Seen) | Duplicates<R, Seen | CallsOf<H>>
  : never;
/** Refuses (at compile time) a module list that leaves a contract call unanswered or answers one twice. */
export type ExactlyOneHandlerEach<M extends readonly unknown[]> = [Exclude<CallName, AllCalls<M>>] extends [never]
  ? [Duplicates<M>] extends [never]
    ? unknown
    : { 'calls answered by two modules': Duplicates<M> }
  : { 'calls no module answers': Exclude<CallName, AllCalls<M>> };

export class ModuleRegistryError extends Error {
  override name = 'ModuleRegistryError';
}

/** Merges the modules' handlers into one table, one handler per contract call — checked again at start-up
 *  for what the types cannot see (a handler added at run time, a cast). */
export function registerModules<const M extends readonly AnyModule[]>(modules: M & ExactlyOneHandlerEach<M>): Handlers {
  const table: Partial<Record<CallName, Handler<CallName>>> = {};
  const owner = new Map<string, string>();
  for (const m of modules as readonly AnyModule[]) {
    for (const name of Object.keys(m.handlers)) {
      if (!isCallName(name)) throw new ModuleRegistryError(`module ${m.name} answers '${name}', which is not in the contract`);
      const first = owner.get(name);
      if (first) throw new ModuleRegistryError(`'${name}' is answered by both ${first} and ${m.name}`);
      owner.set(name, m.name);
      table[name] = m.handlers[name] as Handler<CallName>;
    }
  }
  const missing = callNames.filter((n) => !owner.has(n));
  if (missing.length > 0) throw new ModuleRegistryError(`no module answers ${missing.join(', ')}`);
  return table as Handlers;
}

export type Logger = { warn(msg: string, data?: object): void; error(msg: string, data?: object): void };

/** A call that ran (or was refused for the operator's role), as an observer sees it: the audit trail. */
export type CallOutcome = { name: CallName; input: unknown; session: Session | null; result: Result<unknown> };

export function createDispatcher(
  handlers: Handlers,
  getSession: (id: string) => Session | null,
  log: Logger,
  observe?: (outcome: CallOutcome) => void,
) {
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
    const observed = (result: Result<unknown>): Result<unknown> => {
      try {
        observe?.({ name, input: parsed.data, session, result });
      } catch (e) {
        log.error('call observer failed', { call: name, error: e instanceof Error ? e.message : String(e) });
      }
      return result;
    };
    if (spec.roles !== 'public') {
      if (!session) return fail('not_logged_in', name);
      if (!spec.roles.includes(session.role)) return observed(fail('forbidden', name));
    }
    try {
      const handler = handlers[name] as (i: unknown, c: CallContext) => Promise<unknown> | unknown;
      const value = await handler(parsed.data, { sessionId, session });
      return observed(ok(spec.output.parse(value)));
    } catch (e) {
      if (e instanceof AdmitError) return observed(fail(e.code, e.message === e.code ? undefined : e.message, e.issues, e.retryAfterMs));
      log.error('call failed', { call: name, error: e instanceof Error ? e.message : String(e) });
      return observed(fail('internal', name));
    }
  };
}
