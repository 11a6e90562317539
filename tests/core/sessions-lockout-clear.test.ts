// A manager clears a wrong-PIN lockout, on a real core over real SQLite: a cashier locked after ten
// wrong PINs stays locked across a restart; a cashier's session may neither list nor clear lockouts
// (forbidden, in the core); a manager (or an admin) lists who is locked and for how long, and clears
// that one operator, who then signs in at once; the audit trail holds who cleared whom; an unknown
// operator (not_found) or one with nothing counted (not_locked) changes nothing. The clock is injected;
// nothing waits on real time.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hashPin } from '../../domain/hashing';
import type { CallOutput, OperatorLockout } from '../../electron/contract';
import { createCore, type Core } from '../../electron/core/core';
import { DEFAULT_LOCKOUT } from '../../electron/core/sessions/lockout';
import { loginAs, operatorId } from '../helpers/login';
import { openTerminalDb } from '../helpers/terminal-db';

const ids = {
  cashier: '0190a000-0000-7000-8000-0000000001c1',
  otherCashier: '0190a000-0000-7000-8000-0000000001c2',
  manager: '0190a000-0000-7000-8000-0000000001a1',
  admin: '0190a000-0000-7000-8000-0000000001ad',
};
const PINS = { cashier: '111111', otherCashier: '222222', manager: '999999', admin: '000000' };
const UNKNOWN = '0190a000-0000-7000-8000-00000000dead';

type AuditRow = { seq: number; operator_id: string | null; action: string; subject: string | null; detail: string };

const cleanup: (() => void)[] = [];
afterAll(() => {
  for (const c of cleanup.reverse()) c();
});

function operatorChanges() {
  const op = (seq: number, id: string, name: string, role: 'cashier' | 'manager' | 'admin', pin: string) => {
    const salt = randomBytes(16).toString('hex');
    return { seq, kind: 'operator' as const, row: { id, name, role, pinHash: hashPin(pin, salt), pinSalt: salt, active: true } };
  };
  return [
    op(1, ids.cashier, 'Cass', 'cashier', PINS.cashier),
    op(2, ids.otherCashier, 'Dana', 'cashier', PINS.otherCashier),
    op(3, ids.manager, 'Mona', 'manager', PINS.manager),
    op(4, ids.admin, 'Ada', 'admin', PINS.admin),
  ];
}

/** The terminal on `dir` with the clock `clock`; opened again on the same dir, it is the same terminal
 *  after a restart. */
function terminal(dir: string, clock: { t: number }): Promise<Core> {
  return createCore({
    dataDir: dir,
    migrationsFolder: 'migrations/local',
    shell: 'service',
    demo: false,
    version: 'test',
    sessions: { now: () => clock.t },
  });
}

function auditRows(dir: string): AuditRow[] {
  const db = openTerminalDb(dir, { readonly: true });
  try {
    return db.prepare('select seq, operator_id, action, subject, detail from audit_log order by seq').all() as AuditRow[];
  } finally {
    db.close();
  }
}

function lockoutRows(dir: string): unknown[] {
  const db = openTerminalDb(dir, { readonly: true });
  try {
    return db.prepare('select * from login_lockouts order by operator_id').all();
  } finally {
    db.close();
  }
}

const signIn = (core: Core, session: string, name: string, pin: string) => loginAs(core, session, { name }, pin);

describe('a manager clears a wrong-PIN lockout', () => {
  it('lists and clears a locked cashier; cashiers cannot; errors change nothing; the clear is audited', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'admit-unlock-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const clock = { t: 1_700_000_000_000 };
    let core = await terminal(dir, clock);
    core.sync.applyChanges(operatorChanges(), 4);
    expect(await operatorId(core, { name: 'Cass' })).toBe(ids.cashier);

    // Ten wrong PINs in a row, each wait sat out on the injected clock: the tenth is the long lock.
    for (let i = 1; i <= DEFAULT_LOCKOUT.hardLockAfter; i++) {
      const r = await signIn(core, 'till-1', 'Cass', `9000${String(i).padStart(2, '0')}`);
      expect(r).toMatchObject({ ok: false, error: { code: 'bad_pin' } });
      clock.t += 60_001;
    }
    const lockedAt = clock.t - 60_001;
    expect(await signIn(core, 'till-1', 'Cass', PINS.cashier)).toMatchObject({ ok: false, error: { code: 'operator_locked' } });

    // A restart keeps the lock.
    await core.close();
    clock.t += 60_000;
    core = await terminal(dir, clock);
    expect(await signIn(core, 'till-1', 'Cass', PINS.cashier)).toMatchObject({ ok: false, error: { code: 'operator_locked' } });
    const lockedRows = lockoutRows(dir);
    expect(lockedRows).toHaveLength(1);

    // Nobody signed in, or a cashier signed in: refused in the core, and the lock stays.
    expect(await core.dispatch('nobody', 'session.lockouts', {})).toMatchObject({ ok: false, error: { code: 'not_logged_in' } });
    expect(await core.dispatch('nobody', 'session.clearLockout', { operatorId: ids.cashier })).toMatchObject({ ok: false, error: { code: 'not_logged_in' } });
    expect(await signIn(core, 'till-2', 'Dana', PINS.otherCashier)).toMatchObject({ ok: true, value: { role: 'cashier' } });
    expect(await core.dispatch('till-2', 'session.lockouts', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await core.dispatch('till-2', 'session.clearLockout', { operatorId: ids.cashier })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(lockoutRows(dir)).toEqual(lockedRows);
    expect(await signIn(core, 'till-1', 'Cass', PINS.cashier)).toMatchObject({ ok: false, error: { code: 'operator_locked' } });

    // A manager lists who is locked here, with the wrong PINs in a row and until when.
    expect(await signIn(core, 'office', 'Mona', PINS.manager)).toMatchObject({ ok: true, value: { role: 'manager' } });
    const expected: OperatorLockout = {
      operatorId: ids.cashier,
      operatorName: 'Cass',
      role: 'cashier',
      failures: DEFAULT_LOCKOUT.hardLockAfter,
      locked: true,
      until: new Date(lockedAt + DEFAULT_LOCKOUT.hardLockMs).toISOString(),
      lastFailureAt: new Date(lockedAt).toISOString(),
    };
    expect(await core.dispatch('office', 'session.lockouts', {})).toEqual({ ok: true, value: [expected] });
    // An admin may read it too.
    expect(await signIn(core, 'admin', 'Ada', PINS.admin)).toMatchObject({ ok: true, value: { role: 'admin' } });
    expect(await core.dispatch('admin', 'session.lockouts', {})).toEqual({ ok: true, value: [expected] });

    // An unknown operator, and operators with nothing counted (another cashier, the manager herself):
    // clear errors, and nothing changes.
    expect(await core.dispatch('office', 'session.clearLockout', { operatorId: UNKNOWN })).toEqual({ ok: false, error: { code: 'not_found' } });
    expect(await core.dispatch('office', 'session.clearLockout', { operatorId: ids.otherCashier })).toEqual({ ok: false, error: { code: 'not_locked' } });
    // The manager's own count is not hers to clear: managers' and admins' lockouts are an admin's.
    expect(await core.dispatch('office', 'session.clearLockout', { operatorId: ids.manager })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await core.dispatch('office', 'session.clearLockout', { operatorId: 'not-a-uuid' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(lockoutRows(dir)).toEqual(lockedRows);
    expect(await core.dispatch('office', 'session.lockouts', {})).toEqual({ ok: true, value: [expected] });

    // The manager clears the cashier: answered with the lockout as it was; the list is empty; the
    // cashier signs in at once, on the same clock that still had 28 minutes of lock to run.
    expect(await core.dispatch('office', 'session.clearLockout', { operatorId: ids.cashier })).toEqual({ ok: true, value: expected });
    expect(await core.dispatch('office', 'session.lockouts', {})).toEqual({ ok: true, value: [] });
    expect(lockoutRows(dir)).toEqual([]);
    expect(await signIn(core, 'till-1', 'Cass', PINS.cashier)).toMatchObject({ ok: true, value: { operatorId: ids.cashier, role: 'cashier' } });
    // Clearing again: nothing left to clear.
    expect(await core.dispatch('office', 'session.clearLockout', { operatorId: ids.cashier })).toEqual({ ok: false, error: { code: 'not_locked' } });

    // The count started again from zero: the next wrong PIN is a free one, and it is listed as such.
    expect(await signIn(core, 'till-1', 'Cass', '999998')).toEqual({ ok: false, error: { code: 'bad_pin' } });
    const listed = (await core.dispatch('office', 'session.lockouts', {})) as { ok: true; value: CallOutput<'session.lockouts'> };
    expect(listed.value).toEqual([{ ...expected, failures: 1, locked: false, until: null, lastFailureAt: new Date(clock.t).toISOString() }]);

    // The trail: who cleared whom, and each refused attempt with its code — never a PIN.
    const trail = auditRows(dir).filter((r) => r.action === 'lockout_cleared');
    expect(trail.map((r) => [r.operator_id, r.subject, JSON.parse(r.detail).result])).toEqual([
      [ids.otherCashier, ids.cashier, 'forbidden'],
      [ids.manager, UNKNOWN, 'not_found'],
      [ids.manager, ids.otherCashier, 'not_locked'],
      [ids.manager, ids.manager, 'forbidden'],
      [ids.manager, ids.cashier, 'ok'],
      [ids.manager, ids.cashier, 'not_locked'],
    ]);
    expect(JSON.parse(trail[4]!.detail)).toEqual({ failures: DEFAULT_LOCKOUT.hardLockAfter, locked: true, role: 'cashier', result: 'ok' });
    // Reading the list is not recorded; every entry is in the one chain a manager reads.
    const audit = (await core.dispatch('office', 'audit.list', { limit: 100 })) as { ok: true; value: CallOutput<'audit.list'> };
    expect(audit.value.chain.verified).toBe(true);
    const cleared = audit.value.entries.find((e) => e.action === 'lockout_cleared' && e.result === 'ok');
    expect(cleared).toMatchObject({ operatorId: ids.manager, operatorName: 'Mona', subject: ids.cashier, verified: true });
    const details = auditRows(dir).map((r) => r.detail).join('\n');
    for (const pin of Object.values(PINS)) expect(details).not.toContain(pin);

    // The clear is durable: after another restart the cashier's old lock does not come back.
    await core.close();
    core = await terminal(dir, clock);
    expect(await signIn(core, 'till-1', 'Cass', PINS.cashier)).toMatchObject({ ok: true });
    await core.close();
  });

  it('leaves a manager’s lockout to an admin: a manager cannot restart the count at a manager’s PIN', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'admit-unlock-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const clock = { t: 1_700_000_000_000 };
    const core = await terminal(dir, clock);
    core.sync.applyChanges(operatorChanges(), 4);
    // Mona is signed in at the office; someone guesses at her PIN at another till until she is locked.
    expect(await signIn(core, 'office', 'Mona', PINS.manager)).toMatchObject({ ok: true, value: { role: 'manager' } });
    for (let i = 1; i <= DEFAULT_LOCKOUT.hardLockAfter; i++) {
      expect(await signIn(core, 'till-9', 'Mona', `8000${String(i).padStart(2, '0')}`)).toMatchObject({ ok: false, error: { code: 'bad_pin' } });
      clock.t += 60_001;
    }
    expect(await signIn(core, 'till-9', 'Mona', PINS.manager)).toMatchObject({ ok: false, error: { code: 'operator_locked' } });
    const locked = lockoutRows(dir);

    // A manager (Mona herself, still signed in) may see the lock but not clear it.
    expect(await core.dispatch('office', 'session.lockouts', {})).toMatchObject({ ok: true, value: [{ operatorId: ids.manager, locked: true }] });
    expect(await core.dispatch('office', 'session.clearLockout', { operatorId: ids.manager })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(lockoutRows(dir)).toEqual(locked);
    expect(await signIn(core, 'till-9', 'Mona', PINS.manager)).toMatchObject({ ok: false, error: { code: 'operator_locked' } });

    // An admin clears it; Mona signs in at once.
    expect(await signIn(core, 'admin', 'Ada', PINS.admin)).toMatchObject({ ok: true, value: { role: 'admin' } });
    expect(await core.dispatch('admin', 'session.clearLockout', { operatorId: ids.manager })).toMatchObject({ ok: true, value: { operatorId: ids.manager, locked: true } });
    expect(lockoutRows(dir)).toEqual([]);
    expect(await signIn(core, 'till-9', 'Mona', PINS.manager)).toMatchObject({ ok: true, value: { role: 'manager' } });
    await core.close();
  });
});
