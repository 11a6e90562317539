// Idle sign-out: a staff session no call has used for idleSignOutMs is dropped; the next call answers
// not_logged_in. A call before that keeps it alive; 0 turns it off. The clock is injected.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseIdleMinutes } from '../../electron/core/boot';
import { createCore, type Core } from '../../electron/core/core';
import { DEFAULT_IDLE_SIGN_OUT_MS, idleExpired } from '../../electron/core/sessions/sessions';
import { hashPin } from '../../domain/hashing';

const cleanup: (() => Promise<void>)[] = [];
const CASS = '0190a000-0000-7000-8000-000000000001';
afterAll(async () => {
  for (const c of cleanup) await c();
});

async function coreWithClock(idleSignOutMs: number | undefined) {
  const dir = mkdtempSync(join(tmpdir(), 'admit-idle-'));
  const clock = { t: 1_000_000 };
  const core: Core = await createCore({
    dataDir: dir,
    migrationsFolder: 'migrations/local',
    shell: 'service',
    demo: false,
    version: 'test',
    sessions: { ...(idleSignOutMs !== undefined ? { idleSignOutMs } : {}), now: () => clock.t },
  });
  cleanup.push(async () => {
    await core.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const salt = randomBytes(16).toString('hex');
  core.sync.applyChanges(
    [{ seq: 1, kind: 'operator', row: { id: CASS, name: 'Cass', role: 'cashier', pinHash: hashPin('111111', salt), pinSalt: salt, active: true } }],
    1,
  );
  return { core, clock };
}

describe('idle sign-out', () => {
  it('decides expiry from the last use, the clock and the setting', () => {
    expect(idleExpired(0, 999, 1000)).toBe(false);
    expect(idleExpired(0, 1000, 1000)).toBe(true);
    expect(idleExpired(0, 10 ** 12, 0)).toBe(false);
    expect(idleExpired(0, 10 ** 12, -5)).toBe(false);
    expect(idleExpired(0, 10 ** 12, Number.NaN)).toBe(false);
    expect(DEFAULT_IDLE_SIGN_OUT_MS).toBe(15 * 60_000);
  });

  it('signs out a session left idle; a call before the limit keeps it alive', async () => {
    const { core, clock } = await coreWithClock(60_000);
    expect(await core.dispatch('w', 'session.login', { operatorId: CASS, pin: '111111' })).toMatchObject({ ok: true });
    clock.t += 59_000;
    expect(await core.dispatch('w', 'boxOffice.catalog', {})).toMatchObject({ ok: true });
    clock.t += 59_000; // 118 s after login, but only 59 s after the last call
    expect(await core.dispatch('w', 'boxOffice.catalog', {})).toMatchObject({ ok: true });
    clock.t += 60_000;
    expect(await core.dispatch('w', 'boxOffice.catalog', {})).toMatchObject({ ok: false, error: { code: 'not_logged_in' } });
    // Dropped, not just refused once: the UI sees no operator and can sign in again.
    clock.t += 1;
    expect(await core.dispatch('w', 'session.current', {})).toMatchObject({ ok: true, value: null });
    expect(await core.dispatch('w', 'session.login', { operatorId: CASS, pin: '111111' })).toMatchObject({ ok: true });
    expect(await core.dispatch('w', 'boxOffice.catalog', {})).toMatchObject({ ok: true });
  });

  it('idles each window separately', async () => {
    const { core, clock } = await coreWithClock(60_000);
    await core.dispatch('a', 'session.login', { operatorId: CASS, pin: '111111' });
    await core.dispatch('b', 'session.login', { operatorId: CASS, pin: '111111' });
    clock.t += 40_000;
    await core.dispatch('a', 'boxOffice.catalog', {});
    clock.t += 40_000;
    expect(await core.dispatch('a', 'boxOffice.catalog', {})).toMatchObject({ ok: true });
    expect(await core.dispatch('b', 'boxOffice.catalog', {})).toMatchObject({ ok: false, error: { code: 'not_logged_in' } });
  });

  it('never signs out when the setting is 0', async () => {
    const { core, clock } = await coreWithClock(0);
    await core.dispatch('w', 'session.login', { operatorId: CASS, pin: '111111' });
    clock.t += 24 * 3600_000;
    expect(await core.dispatch('w', 'boxOffice.catalog', {})).toMatchObject({ ok: true });
  });

  it('uses 15 minutes when nothing is set', async () => {
    const { core, clock } = await coreWithClock(undefined);
    await core.dispatch('w', 'session.login', { operatorId: CASS, pin: '111111' });
    clock.t += 15 * 60_000 - 1;
    expect(await core.dispatch('w', 'boxOffice.catalog', {})).toMatchObject({ ok: true });
    clock.t += 15 * 60_000;
    expect(await core.dispatch('w', 'boxOffice.catalog', {})).toMatchObject({ ok: false, error: { code: 'not_logged_in' } });
  });

  it('reads --idle-sign-out-min as milliseconds, 0 = off, junk = default', () => {
    expect(parseIdleMinutes('5')).toBe(300_000);
    expect(parseIdleMinutes('0')).toBe(0);
    expect(parseIdleMinutes(undefined)).toBeUndefined();
    expect(parseIdleMinutes('')).toBeUndefined();
    expect(parseIdleMinutes('-3')).toBeUndefined();
    expect(parseIdleMinutes('soon')).toBeUndefined();
  });
});
