// Sign-in on a real core over real SQLite: the operator is named before the PIN, the PIN is checked
// against that operator only, wrong PINs lock out that operator on this terminal (kept across a
// restart, cleared only by their own success), the role decides the shortest PIN, and the hash runs on
// the libuv thread pool while the core keeps serving. The clock is injected; nothing waits on real time.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, open as openAsync, openSync, closeSync, close as closeAsync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hashPin } from '../../domain/hashing';
import { ROLES } from '../../domain/enums';
import { minPinLength, pinProblem } from '../../domain/pins';
import type { Mode } from '../../electron/contract';
import { createCore, type Core } from '../../electron/core/core';
import { DEFAULT_LOCKOUT, delayAfter } from '../../electron/core/sessions/lockout';
import Database from 'better-sqlite3';

const ids = {
  cashier: '0190a000-0000-7000-8000-0000000000c1',
  manager: '0190a000-0000-7000-8000-0000000000a1',
  legacyManager: '0190a000-0000-7000-8000-0000000000a2',
  badge: '0190a000-0000-7000-8000-0000000000b1',
  retired: '0190a000-0000-7000-8000-0000000000d1',
};
const CASHIER_PIN = '111111';
const MANAGER_PIN = '246810';

const cleanup: (() => void)[] = [];
afterAll(() => {
  for (const c of cleanup.reverse()) c();
});

function operatorChanges() {
  const op = (seq: number, id: string, name: string, role: 'cashier' | 'manager' | 'badge', pin: string, active = true) => {
    const salt = randomBytes(16).toString('hex');
    return { seq, kind: 'operator' as const, row: { id, name, role, pinHash: hashPin(pin, salt), pinSalt: salt, active } };
  };
  return [
    op(1, ids.cashier, 'Cass', 'cashier', CASHIER_PIN),
    op(2, ids.manager, 'Mona', 'manager', MANAGER_PIN),
    // A manager whose PIN was set before managers needed six digits.
    op(3, ids.legacyManager, 'Old Manager', 'manager', '1357'),
    op(4, ids.badge, 'Bea', 'badge', '333333'),
    op(5, ids.retired, 'Gone', 'cashier', '555555', false),
  ];
}

/** A terminal on `dir` with the clock `clock`; a second call on the same dir is the same terminal
 *  after a restart. */
async function terminal(dir: string, clock: { t: number }, opts: { modes?: Mode[] } = {}) {
  const core: Core = await createCore({
    dataDir: dir,
    migrationsFolder: 'migrations/local',
    shell: 'service',
    demo: false,
    version: 'test',
    ...(opts.modes ? { modes: opts.modes } : {}),
    sessions: { now: () => clock.t },
  });
  return core;
}

function newDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'admit-login-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const login = (core: Core, session: string, operatorId: string, pin: string) => core.dispatch(session, 'session.login', { operatorId, pin });

describe('PIN rules by role', () => {
  it('asks every role for at least six digits, eight at most', () => {
    for (const role of ROLES) {
      expect(minPinLength(role)).toBe(6);
      expect(pinProblem(role, '1234')).toBe('too_short');
      expect(pinProblem(role, '12345')).toBe('too_short');
      expect(pinProblem(role, '123456')).toBeNull();
      expect(pinProblem(role, '12345678')).toBeNull();
      expect(pinProblem(role, '123456789')).toBe('too_long');
    }
    expect(pinProblem('gate', '12a4')).toBe('not_digits');
  });

  it('waits nothing for the first three wrong PINs, then 1 s, 2 s, 4 s … 60 s, then locks for 30 min', () => {
    const waits = Array.from({ length: 12 }, (_, i) => delayAfter(i + 1).ms);
    expect(waits).toEqual([0, 0, 1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 1_800_000, 1_800_000, 1_800_000]);
    expect(delayAfter(10).hard).toBe(true);
    expect(delayAfter(9).hard).toBe(false);
    expect(DEFAULT_LOCKOUT.hardLockAfter).toBe(10);
  });
});

describe('choosing the operator', () => {
  it('offers the active operators of this terminal’s roles by name, never their hashes', async () => {
    const dir = newDir();
    const core = await terminal(dir, { t: 1_000_000 });
    core.sync.applyChanges(operatorChanges(), 5);
    const r = await core.dispatch('s', 'session.operators', {});
    expect(r.ok).toBe(true);
    // Default modes: box office, gate, manager — the badge desk operator has nothing to do here.
    expect(r.ok && r.value).toEqual([
      { id: ids.cashier, name: 'Cass', role: 'cashier', pinMinLength: 6 },
      { id: ids.manager, name: 'Mona', role: 'manager', pinMinLength: 6 },
      { id: ids.legacyManager, name: 'Old Manager', role: 'manager', pinMinLength: 6 },
    ]);
    expect(JSON.stringify(r)).not.toMatch(/pinHash|pin_hash|pinSalt|pin_salt/);
    // An operator this terminal does not offer cannot sign in here, even with the right PIN.
    expect(await login(core, 'b', ids.badge, '333333')).toMatchObject({ ok: false, error: { code: 'bad_pin' } });
    expect(await login(core, 'b', ids.retired, '555555')).toMatchObject({ ok: false, error: { code: 'bad_pin' } });
    // The PIN is checked against the named operator only: the cashier's PIN does not sign in the manager.
    expect(await login(core, 'c', ids.manager, '111111')).toMatchObject({ ok: false, error: { code: 'bad_pin' } });
    expect(await login(core, 'c', ids.cashier, CASHIER_PIN)).toMatchObject({ ok: true, value: { operatorId: ids.cashier, role: 'cashier' } });
    await core.close();

    const badgeDesk = await terminal(newDir(), { t: 1_000_000 }, { modes: ['badge-desk'] });
    badgeDesk.sync.applyChanges(operatorChanges(), 5);
    const choices = await badgeDesk.dispatch('s', 'session.operators', {});
    expect(choices.ok && (choices.value as { name: string }[]).map((c) => c.name)).toEqual(['Bea', 'Mona', 'Old Manager']);
    await badgeDesk.close();
  });

  it('refuses a manager PIN shorter than the role needs without counting it as a guess', async () => {
    const core = await terminal(newDir(), { t: 1_000_000 });
    core.sync.applyChanges(operatorChanges(), 5);
    for (let i = 0; i < 5; i++) {
      expect(await login(core, 'm', ids.legacyManager, '1357')).toMatchObject({ ok: false, error: { code: 'pin_too_short' } });
    }
    // Had those counted, this wrong six-digit PIN would now have to wait.
    expect(await login(core, 'm', ids.legacyManager, '135799')).toEqual({ ok: false, error: { code: 'bad_pin' } });
    await core.close();
  });

  it('sends cashier, gate, badge and kiosk operators with a four- or five-digit PIN to get a new one; six digits sign in', async () => {
    const core = await terminal(newDir(), { t: 1_000_000 }, { modes: ['box-office', 'gate', 'badge-desk', 'kiosk'] });
    // Operators whose PINs were set before every role needed six digits, and one per role set since.
    const staff = (['cashier', 'gate', 'badge', 'kiosk'] as const).flatMap((role, i) =>
      ['4821', '48213', '482135'].map((pin, j) => ({ id: `0190a000-0000-7000-8000-0000000010${i}${j}`, name: `${role} ${pin.length}`, role, pin })),
    );
    core.sync.applyChanges(
      staff.map(({ id, name, role, pin }, seq) => {
        const salt = randomBytes(16).toString('hex');
        return { seq: seq + 1, kind: 'operator' as const, row: { id, name, role, pinHash: hashPin(pin, salt), pinSalt: salt, active: true } };
      }),
      staff.length,
    );
    const offered = await core.dispatch('s', 'session.operators', {});
    expect(offered.ok && (offered.value as { id: string; pinMinLength: number }[]).map((c) => c.pinMinLength)).toEqual(staff.map(() => 6));
    for (const op of staff) {
      const r = await login(core, `ui-${op.id}`, op.id, op.pin);
      if (op.pin.length < 6) expect(r, op.name).toEqual({ ok: false, error: { code: 'pin_too_short' } });
      else expect(r, op.name).toMatchObject({ ok: true, value: { operatorId: op.id, role: op.role } });
    }
    await core.close();
  });
});

describe('lockout per operator on this terminal', () => {
  it('locks the manager a cashier guesses at; the cashier’s own sign-ins do not unlock it; a restart keeps it', async () => {
    const dir = newDir();
    const clock = { t: 1_700_000_000_000 };
    let core = await terminal(dir, clock);
    core.sync.applyChanges(operatorChanges(), 5);
    let guess = 100000;
    const guessManager = () => login(core, 'cashier-ui', ids.manager, String(guess++));

    // Three free wrong PINs; the third makes the next attempt wait a second.
    expect(await guessManager()).toEqual({ ok: false, error: { code: 'bad_pin' } });
    expect(await guessManager()).toEqual({ ok: false, error: { code: 'bad_pin' } });
    expect(await guessManager()).toEqual({ ok: false, error: { code: 'bad_pin', retryAfterMs: 1000 } });
    // Within the wait the PIN is not even checked — the right one is refused too.
    clock.t += 999;
    expect(await login(core, 'manager-ui', ids.manager, MANAGER_PIN)).toEqual({ ok: false, error: { code: 'login_delayed', retryAfterMs: 1 } });

    // The cashier signs in with their own PIN in between: that resets nothing of the manager's.
    expect(await login(core, 'cashier-ui', ids.cashier, CASHIER_PIN)).toMatchObject({ ok: true });
    expect(await guessManager()).toMatchObject({ ok: false, error: { code: 'login_delayed' } });

    // Growing waits: each is sat out on the injected clock, and each wrong PIN doubles the next.
    const seen: number[] = [];
    for (let i = 0; i < 6; i++) {
      clock.t += 60_000;
      const r = await guessManager();
      expect(r).toMatchObject({ ok: false, error: { code: 'bad_pin' } });
      seen.push(!r.ok ? (r.error.retryAfterMs ?? 0) : -1);
      expect(await login(core, 'cashier-ui', ids.cashier, CASHIER_PIN)).toMatchObject({ ok: true });
    }
    expect(seen).toEqual([2000, 4000, 8000, 16_000, 32_000, 60_000]);
    clock.t += 60_000;
    // The tenth wrong PIN in a row: the long lock.
    expect(await guessManager()).toEqual({ ok: false, error: { code: 'bad_pin', retryAfterMs: 30 * 60_000 } });
    clock.t += 60_000;
    expect(await login(core, 'manager-ui', ids.manager, MANAGER_PIN)).toEqual({
      ok: false,
      error: { code: 'operator_locked', retryAfterMs: 29 * 60_000 },
    });

    // The terminal restarts: the lock is still there, the cashier still signs in.
    await core.close();
    clock.t += 10 * 60_000;
    core = await terminal(dir, clock);
    expect(await login(core, 'manager-ui', ids.manager, MANAGER_PIN)).toEqual({
      ok: false,
      error: { code: 'operator_locked', retryAfterMs: 19 * 60_000 },
    });
    expect(await login(core, 'cashier-ui', ids.cashier, CASHIER_PIN)).toMatchObject({ ok: true });

    // A clock set back an hour does not stretch the lock beyond what the count earned.
    clock.t -= 60 * 60_000;
    const back = await login(core, 'manager-ui', ids.manager, MANAGER_PIN);
    expect(back).toMatchObject({ ok: false, error: { code: 'operator_locked' } });
    expect(!back.ok && back.error.retryAfterMs).toBeLessThanOrEqual(30 * 60_000);
    clock.t += 60 * 60_000;

    // Past the lock the manager signs in — and only that clears the manager's count.
    clock.t += 19 * 60_000;
    expect(await login(core, 'manager-ui', ids.manager, MANAGER_PIN)).toMatchObject({ ok: true, value: { role: 'manager' } });
    expect(await login(core, 'x', ids.manager, '000001')).toEqual({ ok: false, error: { code: 'bad_pin' } });

    await core.close();
    // Every attempt is in the audit trail once, with its outcome, across the restart.
    const trail = new Database(join(dir, 'terminal.sqlite'), { readonly: true });
    const rows = trail
      .prepare<[], { operator_id: string | null; action: string; detail: string }>(
        "select operator_id, action, detail from audit_log where action in ('login', 'login_failed') order by seq",
      )
      .all();
    trail.close();
    const outcomesOf = (id: string) => rows.filter((r) => r.operator_id === id).map((r) => (JSON.parse(r.detail) as { result: string }).result);
    const outcomes = outcomesOf(ids.manager);
    expect(outcomes.filter((o) => o === 'bad_pin')).toHaveLength(11);
    expect(outcomes).toContain('delayed');
    expect(outcomes).toContain('locked');
    expect(outcomes.at(-2)).toBe('ok');
    expect(outcomesOf(ids.cashier).length).toBeGreaterThan(0);
    expect(outcomesOf(ids.cashier).every((o) => o === 'ok')).toBe(true);
  });

  it('checks attempts at one operator one after another, so parallel guesses meet the wait', async () => {
    const clock = { t: 2_000_000 };
    const core = await terminal(newDir(), clock);
    core.sync.applyChanges(operatorChanges(), 5);
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => login(core, `ui-${i}`, ids.manager, `90000${i}`)));
    expect(results.map((r) => (!r.ok ? r.error.code : 'ok'))).toEqual(['bad_pin', 'bad_pin', 'bad_pin', 'login_delayed', 'login_delayed', 'login_delayed']);
    await core.close();
  });
});

describe('the PIN hash runs off the event loop', () => {
  it('serves a timer, setImmediate and a gate scan while a sign-in waits for its hash', async () => {
    const core = await terminal(newDir(), { t: 3_000_000 });
    core.sync.applyChanges(operatorChanges(), 5);

    // Occupy every libuv pool thread with an open() of a FIFO nobody writes to yet: work queued on the
    // pool (the scrypt of the sign-in) cannot start until we release them. Work on the event loop can.
    const fifoDir = newDir();
    const poolSize = Number(process.env['UV_THREADPOOL_SIZE']) || 4;
    const fifos = Array.from({ length: poolSize }, (_, i) => join(fifoDir, `pool-${i}`));
    for (const f of fifos) execFileSync('mkfifo', [f]);
    const readers = fifos.map(
      (f) => new Promise<number>((resolve, reject) => openAsync(f, 'r', (err, fd) => (err ? reject(err) : resolve(fd)))),
    );

    const order: string[] = [];
    const signIn = login(core, 'till', ids.cashier, CASHIER_PIN).then((r) => {
      order.push('login');
      return r;
    });
    await new Promise<void>((resolve) => setImmediate(() => (order.push('immediate'), resolve())));
    await new Promise<void>((resolve) => setTimeout(() => (order.push('timer'), resolve()), 5));
    const verdict = await core.gate.scan('NOSUCHTICKET', null);
    order.push('scan');
    expect(verdict).toMatchObject({ admitted: false, reason: 'unknown' });
    expect(order).toEqual(['immediate', 'timer', 'scan']);

    // Release the pool: the hash runs and the sign-in completes.
    const writers = fifos.map((f) => openSync(f, 'w'));
    for (const fd of await Promise.all(readers)) closeAsync(fd, () => undefined);
    for (const fd of writers) closeSync(fd);
    expect(await signIn).toMatchObject({ ok: true, value: { operatorId: ids.cashier } });
    expect(order).toEqual(['immediate', 'timer', 'scan', 'login']);
    await core.close();
  });
});
