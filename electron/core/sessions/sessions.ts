// Owns operator sessions: one per connected UI (an Electron window or a service-mode socket). A PIN is
// checked against the operator hashes synced from the server, so login works offline too. A session no
// call has used for `idleSignOutMs` is dropped: the UI's next call finds no operator (not_logged_in).
import { verifyPinAsync } from '../../../domain/hashing';
import { AdmitError, type Session } from '../../contract';
import type { OperatorReader } from './operators';

/** Default idle time before an operator is signed out: 15 minutes. */
export const DEFAULT_IDLE_SIGN_OUT_MS = 15 * 60_000;

export type SessionOptions = {
  /** Sign out after this long without a call; 0 (or less): never. Default DEFAULT_IDLE_SIGN_OUT_MS. */
  idleSignOutMs?: number;
  /** The clock (tests: a fake one). Default Date.now. */
  now?: () => number;
  /** The pepper of the operators' PIN hashes, from the terminal's secret store (null: not received). */
  pinKey?: () => Uint8Array | null;
};

/** True when a session last used at `lastUsedAt` has been idle too long at `now`. `idleMs` <= 0 or not
 *  finite: idle sign-out is off. */
export function idleExpired(lastUsedAt: number, now: number, idleMs: number): boolean {
  if (!(idleMs > 0) || !Number.isFinite(idleMs)) return false;
  return now - lastUsedAt >= idleMs;
}

export class Sessions {
  private readonly bySession = new Map<string, { session: Session; lastUsedAt: number }>();
  private failures = 0;
  private lockedUntil = 0;
  private readonly idleMs: number;
  private readonly now: () => number;
  private readonly pinKey: () => Uint8Array | null;

  constructor(
    private readonly operators: OperatorReader,
    opts: SessionOptions = {},
  ) {
    this.idleMs = opts.idleSignOutMs ?? DEFAULT_IDLE_SIGN_OUT_MS;
    this.now = opts.now ?? Date.now;
    this.pinKey = opts.pinKey ?? (() => null);
  }

  /** The session a call runs under — and the touch that keeps it alive. A session idle too long is
   *  dropped here, so the call (and every later one) sees no operator. */
  get(sessionId: string): Session | null {
    const entry = this.bySession.get(sessionId);
    if (!entry) return null;
    const now = this.now();
    if (idleExpired(entry.lastUsedAt, now, this.idleMs)) {
      this.bySession.delete(sessionId);
      return null;
    }
    entry.lastUsedAt = now;
    return entry.session;
  }

  async login(sessionId: string, pin: string, now = this.now()): Promise<Session> {
    // Slow down PIN guessing: after 5 wrong PINs in a row, refuse for a growing pause.
    if (now < this.lockedUntil) throw new AdmitError('bad_pin', 'locked');
    const candidates = this.operators.active();
    const pinKey = this.pinKey();
    const matches = await Promise.all(candidates.map((op) => verifyPinAsync(pin, op.pin_salt, op.pin_hash, pinKey)));
    const match = candidates.find((_op, i) => matches[i]);
    if (!match) {
      this.failures += 1;
      if (this.failures >= 5) this.lockedUntil = now + Math.min(60_000, 1000 * 2 ** (this.failures - 5));
      throw new AdmitError('bad_pin');
    }
    this.failures = 0;
    const session: Session = { operatorId: match.id, operatorName: match.name, role: match.role };
    this.bySession.set(sessionId, { session, lastUsedAt: now });
    return session;
  }

  logout(sessionId: string): void {
    this.bySession.delete(sessionId);
  }
}
