// Owns operator sessions: one per connected UI (an Electron window or a service-mode socket). A PIN is
// checked against the operator hashes synced from the server, so login works offline too.
import { verifyPin } from '../../../domain/hashing';
import { AdmitError, type Session } from '../../contract';
import type { OperatorReader } from './operators';

export class Sessions {
  private readonly bySession = new Map<string, Session>();
  private failures = 0;
  private lockedUntil = 0;

  constructor(private readonly operators: OperatorReader) {}

  get(sessionId: string): Session | null {
    return this.bySession.get(sessionId) ?? null;
  }

  login(sessionId: string, pin: string, now = Date.now()): Session {
    // Slow down PIN guessing: after 5 wrong PINs in a row, refuse for a growing pause.
    if (now < this.lockedUntil) throw new AdmitError('bad_pin', 'locked');
    const candidates = this.operators.active();
    const match = candidates.find((op) => verifyPin(pin, op.pin_salt, op.pin_hash));
    if (!match) {
      this.failures += 1;
      if (this.failures >= 5) this.lockedUntil = now + Math.min(60_000, 1000 * 2 ** (this.failures - 5));
      throw new AdmitError('bad_pin');
    }
    this.failures = 0;
    const session: Session = { operatorId: match.id, operatorName: match.name, role: match.role };
    this.bySession.set(sessionId, session);
    return session;
  }

  logout(sessionId: string): void {
    this.bySession.delete(sessionId);
  }
}
