// Owns who is acting in an admin request: the admin guard (routes/guards.ts) sets it for the rest of the
// request — the CLI's admin token, or an admin operator's session at one paired device — and the server's
// audit trail (services/audit.ts) adds it to every entry it records meanwhile.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';

export type AdminActor = { kind: 'admin_token' } | { kind: 'operator'; operatorId: string; deviceId: string; sessionId: string };

const store = new AsyncLocalStorage<AdminActor>();
const actorsByRequest = new WeakMap<FastifyRequest, AdminActor>();

/** The actor of the admin request this code runs in; undefined outside one (start-up, timers, terminals). */
export function currentActor(): AdminActor | undefined {
  return store.getStore();
}

/** What the audit trail adds to an entry's detail for the current actor. */
export function actorDetail(): Record<string, string> {
  const actor = currentActor();
  if (!actor) return {};
  if (actor.kind === 'admin_token') return { actor: 'admin_token' };
  return { actor: 'operator', operatorId: actor.operatorId, deviceId: actor.deviceId };
}

/** Called by the admin guard once a request is authenticated. */
export function setActor(request: FastifyRequest, actor: AdminActor): void {
  actorsByRequest.set(request, actor);
}

export function actorOf(request: FastifyRequest): AdminActor | undefined {
  return actorsByRequest.get(request);
}

/** A root preHandler hook: runs the rest of an authenticated admin request (the scope's own preHandlers
 *  and the handler) with its actor in scope. It runs after the body is parsed, whose stream events
 *  would lose a context entered earlier. */
export function actorScope(request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void {
  const actor = actorsByRequest.get(request);
  if (actor) store.run(actor, done);
  else done();
}

/** Runs `work` as `actor` (the in-process API, tests). */
export function runAs<T>(actor: AdminActor, work: () => T): T {
  return store.run(actor, work);
}
