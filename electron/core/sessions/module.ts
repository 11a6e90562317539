// Owns the sessions feature as the UI sees it: signing an operator in and out of one UI (the session
// slice of the contract).
import type { SessionCall } from '../../contract';
import type { CoreModule } from '../dispatcher';
import type { Sessions } from './sessions';

export function sessionsModule(sessions: Sessions): CoreModule<SessionCall> {
  return {
    name: 'sessions',
    handlers: {
      'session.login': ({ pin }, ctx) => sessions.login(ctx.sessionId, pin),
      'session.logout': (_i, ctx) => {
        sessions.logout(ctx.sessionId);
        return {};
      },
      'session.current': (_i, ctx) => ctx.session,
    },
  };
}
