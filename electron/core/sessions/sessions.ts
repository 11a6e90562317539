// Owns operator sessions: one per connected UI (an Electron window or a service-mode socket). An
// operator first says who they are (one of the operators this terminal serves), then types their PIN,
// which is checked against that operator's hash only — synced from the server, so sign-in works
// offline too — on the libuv thread pool, never on the core's event loop. Wrong PINs lock that operator
// out on this terminal for a growing time (lockout.ts), until the time is up, the operator signs in, or
// a manager clears the lockout here (the dispatcher records that in the audit trail). A session no call has used for `idleSignOutMs`
// is dropped: the UI's next call finds no operator (not_logged_in) — except a kiosk's (role kiosk): an
// unattended self-service kiosk stays signed in, its attendees' visits end at its own idle reset.
import { verifyPinAsync } from '../../../domain/hashing';
import { minPinLength, pinProblem } from '../../../domain/pins';
import { AdmitError, type Mode, type OperatorChoice, type OperatorLockout, type Role, type Session } from '../../contract';
import { DEFAULT_LOCKOUT, LoginLockouts, type LockoutEntry, type LockoutPolicy } from './lockout';
import type { AuditRecorder } from '../audit/module';
import type { OperatorReader, OperatorRow } from './operators';
import type Database from 'better-sqlite3';

/** Default idle time before an operator is signed out: 15 minutes. */
export const DEFAULT_IDLE_SIGN_OUT_MS = 15 * 60_000;

/** The roles that work in each mode; a terminal offers sign-in to the roles of its modes. */
export const ROLES_BY_MODE: Readonly<Record<Mode, readonly Role[]>> = {
  'box-office': ['cashier', 'manager'],
  gate: ['gate', 'manager'],
  'badge-desk': ['badge', 'manager'],
  kiosk: ['kiosk', 'manager'],
  manager: ['manager', 'admin'],
  admin: ['admin'],
};

/** Roles whose lockout only an admin may clear. */
const PROTECTED_ROLES: ReadonlySet<Role> = new Set<Role>(['manager', 'admin']);

/** How one sign-in attempt ended. */
export type LoginOutcome = 'ok' | 'bad_pin' | 'delayed' | 'locked' | 'pin_too_short' | 'unknown_operator';

export type SessionOptions = {
  /** Sign out after this long without a call; 0 (or less): never. Default DEFAULT_IDLE_SIGN_OUT_MS. */
  idleSignOutMs?: number;
  /** The clock (tests: a fake one). Default Date.now. */
  now?: () => number;
  /** Waits and locks after wrong PINs. Default DEFAULT_LOCKOUT. */
  lockout?: LockoutPolicy;
  /** Where every sign-in attempt (with its outcome and the wrong PINs in a row after it) and every
   *  sign-out is recorded. */
  audit?: AuditRecorder;
  /** The pepper of the operators' PIN hashes, from the terminal's secret store (null: not received). */
  pinKey?: () => Uint8Array | null;
  /** Told of every sign-in (with the PIN, to be used at once and never kept) and every sign-out, idle
   *  ones included: the admin module opens and closes the admin's server session with them. */
  listener?: SessionListener;
};

export type SessionListener = {
  signedIn(sessionId: string, session: Session, pin: string): void;
  signedOut(sessionId: string): void;
};

/** True when a session last used at `lastUsedAt` has been idle too long at `now`. `idleMs` <= 0 or not
 *  finite: idle sign-out is off. */
export function idleExpired(lastUsedAt: number, now: number, idleMs: number): boolean {
  if (!(idleMs > 0) || !Number.isFinite(idleMs)) return false;
  return now - lastUsedAt >= idleMs;
}

export class Sessions {
  private readonly bySession = new Map<string, { session: Session; lastUsedAt: number }>();
  private readonly idleMs: number;
  private readonly now: () => number;
  private readonly lockouts: LoginLockouts;
  private readonly roles: ReadonlySet<Role>;
  private readonly audit: AuditRecorder | undefined;
  /** Attempts for one operator run one after another, so each sees the lockout the previous one left. */
  private readonly turns = new Map<string, Promise<unknown>>();
  private readonly pinKey: () => Uint8Array | null;
  private readonly listener: SessionListener | undefined;

  constructor(
    private readonly operators: OperatorReader,
    sql: Database.Database,
    modes: readonly Mode[],
    opts: SessionOptions = {},
  ) {
    this.idleMs = opts.idleSignOutMs ?? DEFAULT_IDLE_SIGN_OUT_MS;
    this.now = opts.now ?? Date.now;
    this.lockouts = new LoginLockouts(sql, opts.lockout ?? DEFAULT_LOCKOUT);
    this.roles = new Set(modes.flatMap((m) => ROLES_BY_MODE[m]));
    this.audit = opts.audit;
    this.pinKey = opts.pinKey ?? (() => null);
    this.listener = opts.listener;
  }

  /** The session a call runs under — and the touch that keeps it alive. A session idle too long is
   *  dropped here, so the call (and every later one) sees no operator. */
  get(sessionId: string): Session | null {
    const entry = this.bySession.get(sessionId);
    if (!entry) return null;
    const now = this.now();
    if (entry.session.role !== 'kiosk' && idleExpired(entry.lastUsedAt, now, this.idleMs)) {
      this.bySession.delete(sessionId);
      this.audit?.record({ action: 'idle_logout', operatorId: entry.session.operatorId });
      this.listener?.signedOut(sessionId);
      return null;
    }
    entry.lastUsedAt = now;
    return entry.session;
  }

  /** Whether an operator is signed in on this UI, without counting as a use of the session. */
  signedIn(sessionId: string): boolean {
    const entry = this.bySession.get(sessionId);
    return entry !== undefined && (entry.session.role === 'kiosk' || !idleExpired(entry.lastUsedAt, this.now(), this.idleMs));
  }

  /** The UIs an operator is signed in on now (the Electron shell sends core events only to these). */
  signedInSessions(): string[] {
    return [...this.bySession.keys()].filter((id) => this.signedIn(id));
  }

  /** The operators who may sign in here: active, and of a role one of this terminal's modes uses. */
  choices(): OperatorChoice[] {
    return this.operators
      .active()
      .filter((op) => this.roles.has(op.role))
      .map((op) => ({ id: op.id, name: op.name, role: op.role, pinMinLength: minPinLength(op.role) }))
      .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  }

  login(sessionId: string, operatorId: string, pin: string): Promise<Session> {
    const previous = this.turns.get(operatorId) ?? Promise.resolve();
    const attempt = previous.then(
      () => this.attempt(sessionId, operatorId, pin),
      () => this.attempt(sessionId, operatorId, pin),
    );
    const settled = attempt.catch(() => undefined);
    this.turns.set(operatorId, settled);
    void settled.then(() => {
      if (this.turns.get(operatorId) === settled) this.turns.delete(operatorId);
    });
    return attempt;
  }

  /** Every operator with wrong PINs counted on this terminal, by name (a manager's view). */
  lockedOperators(): OperatorLockout[] {
    const now = this.now();
    return this.lockouts
      .all(now)
      .map((e) => this.lockoutView(e, now))
      .sort((a, b) => (a.operatorName ?? '').localeCompare(b.operatorName ?? '') || a.operatorId.localeCompare(b.operatorId));
  }

  /** A manager clears one operator's count here: their next attempt is heard at once and the count
   *  starts from zero. Answers the lockout as it was. */
  clearLockout(operatorId: string, by: Session): OperatorLockout {
    const now = this.now();
    const target = this.operators.known(operatorId);
    if (!target) throw new AdmitError('not_found');
    // A manager's or an admin's PIN opens more than a desk's, so only an admin may restart the count
    // at one: otherwise a manager could keep guessing at a colleague's or an admin's PIN, clearing the
    // count after every few tries.
    if (PROTECTED_ROLES.has(target.role) && by.role !== 'admin') {
      throw new AdmitError('forbidden', 'only an admin clears the lockout of a manager or an admin');
    }
    const entry = this.lockouts.entry(operatorId, now);
    if (!entry) throw new AdmitError('not_locked');
    this.lockouts.clear(operatorId);
    return this.lockoutView(entry, now);
  }

  /**
   * A manager approving a step a cashier may not take alone (a refund by policy): the manager's PIN is
   * checked like a sign-in — against their synced hash, off the event loop, one attempt at a time per
   * operator, under the same lockout — but opens no session. Answers the approver; refuses with
   * forbidden (not an active manager or admin), bad_pin, login_delayed or operator_locked.
   */
  approve(managerId: string, pin: string): Promise<Session> {
    const previous = this.turns.get(managerId) ?? Promise.resolve();
    const attempt = previous.then(
      () => this.approval(managerId, pin),
      () => this.approval(managerId, pin),
    );
    const settled = attempt.catch(() => undefined);
    this.turns.set(managerId, settled);
    void settled.then(() => {
      if (this.turns.get(managerId) === settled) this.turns.delete(managerId);
    });
    return attempt;
  }

  private async approval(managerId: string, pin: string): Promise<Session> {
    const op = this.operators.activeById(managerId);
    if (!op || !PROTECTED_ROLES.has(op.role)) {
      this.audit?.record({ action: 'manager_approval', operatorId: null, subject: managerId, detail: { result: 'not_a_manager' } });
      throw new AdmitError('forbidden', 'the approver is not an active manager');
    }
    const before = this.lockouts.state(op.id, this.now());
    if (before.waitMs > 0) {
      this.audit?.record({ action: 'manager_approval', operatorId: op.id, detail: { result: before.hard ? 'locked' : 'delayed', failures: before.failures } });
      throw new AdmitError(before.hard ? 'operator_locked' : 'login_delayed', undefined, before.waitMs);
    }
    const matches = pinProblem(op.role, pin) === null && (await verifyPinAsync(pin, op.pin_salt, op.pin_hash, this.pinKey()));
    if (!matches) {
      const after = this.lockouts.recordFailure(op.id, this.now());
      this.audit?.record({ action: 'manager_approval', operatorId: op.id, detail: { result: 'bad_pin', failures: after.failures } });
      throw new AdmitError('bad_pin', undefined, after.waitMs > 0 ? after.waitMs : undefined);
    }
    this.lockouts.recordSuccess(op.id);
    return { operatorId: op.id, operatorName: op.name, role: op.role };
  }

  logout(sessionId: string): void {
    const entry = this.bySession.get(sessionId);
    if (entry) this.audit?.record({ action: 'logout', operatorId: entry.session.operatorId });
    this.bySession.delete(sessionId);
    this.listener?.signedOut(sessionId);
  }

  private async attempt(sessionId: string, operatorId: string, pin: string): Promise<Session> {
    const op = this.operators.activeById(operatorId);
    if (!op || !this.roles.has(op.role)) {
      this.record(operatorId, null, 'unknown_operator', 0);
      throw new AdmitError('bad_pin', 'unknown operator');
    }
    const before = this.lockouts.state(op.id, this.now());
    if (before.waitMs > 0) {
      this.record(op.id, op, before.hard ? 'locked' : 'delayed', before.failures);
      throw new AdmitError(before.hard ? 'operator_locked' : 'login_delayed', undefined, before.waitMs);
    }
    // A PIN shorter than the role needs can never be right: the operator needs a new PIN, not a guess.
    if (pinProblem(op.role, pin) === 'too_short') {
      this.record(op.id, op, 'pin_too_short', before.failures);
      throw new AdmitError('pin_too_short');
    }
    const matches = await verifyPinAsync(pin, op.pin_salt, op.pin_hash, this.pinKey());
    const now = this.now();
    if (!matches) {
      const after = this.lockouts.recordFailure(op.id, now);
      this.record(op.id, op, 'bad_pin', after.failures);
      throw new AdmitError('bad_pin', undefined, after.waitMs > 0 ? after.waitMs : undefined);
    }
    this.lockouts.recordSuccess(op.id);
    const session: Session = { operatorId: op.id, operatorName: op.name, role: op.role };
    this.bySession.set(sessionId, { session, lastUsedAt: now });
    this.record(op.id, op, 'ok', 0);
    this.listener?.signedIn(sessionId, session, pin);
    return session;
  }

  private lockoutView(e: LockoutEntry, now: number): OperatorLockout {
    const op = this.operators.known(e.operatorId);
    return {
      operatorId: e.operatorId,
      operatorName: op?.name ?? null,
      role: op?.role ?? null,
      failures: e.failures,
      locked: e.hard,
      until: e.waitMs > 0 ? new Date(now + e.waitMs).toISOString() : null,
      lastFailureAt: new Date(e.lastFailureAt).toISOString(),
    };
  }

  /** Every attempt ends here, success or failure: the one place a sign-in is recorded. */
  private record(operatorId: string, op: OperatorRow | null, outcome: LoginOutcome, failures: number): void {
    if (outcome === 'ok') this.audit?.record({ action: 'login', operatorId, detail: { role: op?.role ?? null, result: 'ok' } });
    else this.audit?.record({ action: 'login_failed', operatorId: op ? operatorId : null, detail: { result: outcome, failures } });
  }
}
