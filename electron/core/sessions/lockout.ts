// Owns the wrong-PIN lockout of this terminal: per operator, kept in the login_lockouts table so a
// restart does not forget it. Only an operator's own successful sign-in here, or a manager clearing it
// on this terminal (session.clearLockout, audited), clears their count; nobody else's success, and no
// other terminal, touches it. The first few wrong PINs cost nothing (a
// cashier mistypes), then every further one makes the next attempt wait longer, up to a cap; after many,
// the operator is locked for a long time. While an operator is waiting or locked their PIN is not even
// checked, so guessing through the lock learns nothing.
import type Database from 'better-sqlite3';
import { DEFAULT_LOCKOUT, delayAfter, type LockoutPolicy } from '../../../domain/lockout';

export { DEFAULT_LOCKOUT, delayAfter, type LockoutPolicy };

/** One operator's lockout on this terminal at a moment: wrong PINs in a row, and how long until the
 *  next attempt is heard (0: now). */
export type LockoutState = { failures: number; waitMs: number; hard: boolean };

type Row = { failures: number; last_failure_at: number; locked_until: number };

/** One operator's counted wrong PINs on this terminal, with the state they leave at a moment. */
export type LockoutEntry = LockoutState & { operatorId: string; lastFailureAt: number };

export class LoginLockouts {
  readonly #get;
  readonly #put;
  readonly #clear;
  readonly #all;

  constructor(
    sql: Database.Database,
    private readonly policy: LockoutPolicy = DEFAULT_LOCKOUT,
  ) {
    this.#get = sql.prepare<[string], Row>('select failures, last_failure_at, locked_until from login_lockouts where operator_id = ?');
    this.#put = sql.prepare(`insert into login_lockouts(operator_id, failures, last_failure_at, locked_until)
        values (@operatorId, @failures, @at, @lockedUntil)
        on conflict(operator_id) do update set failures=excluded.failures, last_failure_at=excluded.last_failure_at,
          locked_until=excluded.locked_until`);
    this.#clear = sql.prepare('delete from login_lockouts where operator_id = ?');
    this.#all = sql.prepare<[], Row & { operator_id: string }>(
      'select operator_id, failures, last_failure_at, locked_until from login_lockouts where failures > 0 order by operator_id',
    );
  }

  state(operatorId: string, now: number): LockoutState {
    const row = this.#get.get(operatorId);
    return row ? this.#stateOf(row, now) : { failures: 0, waitMs: 0, hard: false };
  }

  /** The operator's counted wrong PINs here, or null: none. */
  entry(operatorId: string, now: number): LockoutEntry | null {
    const row = this.#get.get(operatorId);
    return row && row.failures > 0 ? { operatorId, lastFailureAt: row.last_failure_at, ...this.#stateOf(row, now) } : null;
  }

  /** Every operator with wrong PINs counted here, waiting or not. */
  all(now: number): LockoutEntry[] {
    return this.#all.all().map((row) => ({ operatorId: row.operator_id, lastFailureAt: row.last_failure_at, ...this.#stateOf(row, now) }));
  }

  /** Counts one more wrong PIN and returns the state it leaves. */
  recordFailure(operatorId: string, now: number): LockoutState {
    const failures = (this.#get.get(operatorId)?.failures ?? 0) + 1;
    const delay = delayAfter(failures, this.policy);
    this.#put.run({ operatorId, failures, at: now, lockedUntil: now + delay.ms });
    return { failures, waitMs: delay.ms, hard: delay.hard && delay.ms > 0 };
  }

  /** The operator signed in here: their count starts again from zero. */
  recordSuccess(operatorId: string): void {
    this.#clear.run(operatorId);
  }

  /** A manager cleared the operator's count: it starts again from zero. False: nothing was counted. */
  clear(operatorId: string): boolean {
    return this.#clear.run(operatorId).changes > 0;
  }

  #stateOf(row: Row, now: number): LockoutState {
    const delay = delayAfter(row.failures, this.policy);
    // A clock set back must not stretch a wait beyond what the count earns; one set forward ends it.
    const waitMs = Math.max(0, Math.min(delay.ms, row.locked_until - now));
    return { failures: row.failures, waitMs, hard: delay.hard && waitMs > 0 };
  }
}
