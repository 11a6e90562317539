// Signing in the way the UI does it: pick the operator from session.operators (by role, or by name),
// then session.login with that operator's id and the PIN.
import type { Role } from '../../domain/enums';

type Dispatch = (sessionId: string, name: unknown, input: unknown) => Promise<{ ok: boolean; value?: unknown; error?: unknown }>;
type Choice = { id: string; name: string; role: Role };

export async function operatorId(core: { dispatch: Dispatch }, who: { role?: Role; name?: string }): Promise<string> {
  const list = await core.dispatch('operator-lookup', 'session.operators', {});
  if (!list.ok) throw new Error(`session.operators failed: ${JSON.stringify(list.error)}`);
  const found = (list.value as Choice[]).find((op) => (who.role === undefined || op.role === who.role) && (who.name === undefined || op.name === who.name));
  if (!found) throw new Error(`no operator ${JSON.stringify(who)} on this terminal`);
  return found.id;
}

export async function loginAs(core: { dispatch: Dispatch }, sessionId: string, who: { role?: Role; name?: string }, pin: string) {
  return core.dispatch(sessionId, 'session.login', { operatorId: await operatorId(core, who), pin });
}
