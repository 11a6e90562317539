// Owns the sessions feature as the UI sees it: the operators this terminal offers, signing one in and
// out of one UI, and a manager's view and clearing of wrong-PIN lockouts (the session slice of the
// contract).
import type { SessionCall } from '../../contract';
import type { CoreModule } from '../dispatcher';
import type { Sessions } from './sessions';

export function sessionsModule(sessions: Sessions): CoreModule<SessionCall> {
  return {
    name: 'sessions',
    handlers: {
      'session.operators': () => sessions.choices(),
      'session.login': ({ operatorId, pin }, ctx) => sessions.login(ctx.sessionId, operatorId, pin),
      'session.logout': (_i, ctx) => {
        sessions.logout(ctx.sessionId);
        return {};
      },
      'session.current': (_i, ctx) => ctx.session,
      'session.lockouts': () => sessions.lockedOperators(),
      'session.clearLockout': ({ operatorId }, ctx) => sessions.clearLockout(operatorId, ctx.session!),
    },
  };
}
