// The core's single entry point: contract names only, inputs validated, roles checked in the core.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/core';
import { hashPin } from '../../domain/hashing';
import { openTerminalDb } from '../helpers/terminal-db';

let core: Core;
let dir: string;
const ids = {
  cashier: '0190a000-0000-7000-8000-000000000001',
  gate: '0190a000-0000-7000-8000-000000000002',
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'admit-core-'));
  core = await createCore({ dataDir: dir, migrationsFolder: 'migrations/local', shell: 'service', demo: false, version: 'test' });
  const op = (id: string, name: string, role: 'cashier' | 'gate', pin: string) => {
    const salt = randomBytes(16).toString('hex');
    return { seq: 1, kind: 'operator' as const, row: { id, name, role, pinHash: hashPin(pin, salt), pinSalt: salt, active: true } };
  };
  core.sync.applyChanges([op(ids.cashier, 'Cass', 'cashier', '111111'), op(ids.gate, 'Gabe', 'gate', '222222')], 1);
});
afterAll(async () => {
  await core.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('core dispatcher', () => {
  it('refuses a name that is not in the contract', async () => {
    expect(await core.dispatch('s', 'fs.readFile', { path: '/etc/passwd' })).toMatchObject({ ok: false, error: { code: 'unknown_call' } });
    expect(await core.dispatch('s', 42, {})).toMatchObject({ ok: false, error: { code: 'unknown_call' } });
    expect(await core.dispatch('s', '__proto__', {})).toMatchObject({ ok: false, error: { code: 'unknown_call' } });
  });

  it('refuses wrong types and extra fields with the path of each problem', async () => {
    const r = await core.dispatch('s', 'session.login', { operatorId: ids.cashier, pin: 123456 });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    if (!r.ok) expect(r.error.issues?.[0]?.path).toBe('pin');
    expect(await core.dispatch('s', 'session.login', { operatorId: ids.cashier, pin: '111111', admin: true })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await core.dispatch('s', 'app.info', 'x')).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('requires a logged-in operator with an allowed role, checked in the core', async () => {
    expect(await core.dispatch('a', 'gate.scan', { code: 'X' })).toMatchObject({ ok: false, error: { code: 'not_logged_in' } });
    expect(await core.dispatch('a', 'session.login', { operatorId: ids.cashier, pin: '000000' })).toMatchObject({ ok: false, error: { code: 'bad_pin' } });
    expect(await core.dispatch('a', 'session.login', { operatorId: ids.cashier, pin: '111111' })).toMatchObject({ ok: true, value: { role: 'cashier', operatorName: 'Cass' } });
    expect(await core.dispatch('a', 'gate.scan', { code: 'X' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // Sessions are per UI: another window is not logged in by this one.
    expect(await core.dispatch('b', 'boxOffice.catalog', {})).toMatchObject({ ok: false, error: { code: 'not_logged_in' } });
    expect(await core.dispatch('a', 'boxOffice.catalog', {})).toMatchObject({ ok: true, value: { event: null, ticketTypes: [] } });
    await core.dispatch('a', 'session.logout', {});
    expect(await core.dispatch('a', 'boxOffice.catalog', {})).toMatchObject({ ok: false, error: { code: 'not_logged_in' } });
  });

  it('records a malformed scan as refused and changes no ticket', async () => {
    await core.dispatch('g', 'session.login', { operatorId: ids.gate, pin: '222222' });
    const r = await core.dispatch('g', 'gate.scan', { code: 'bad\u0007code' });
    expect(r).toMatchObject({ ok: true, value: { admitted: false, reason: 'malformed' } });
    const unknown = await core.dispatch('g', 'gate.scan', { code: 'NOSUCHCODE' });
    expect(unknown).toMatchObject({ ok: true, value: { admitted: false, reason: 'unknown' } });
    const db = openTerminalDb(dir, { readonly: true });
    expect(db.prepare('select count(*) n from checkins').get()).toEqual({ n: 0 });
    // Refusals are reported to the server as failed scans, nothing else.
    expect(db.prepare('select distinct kind from outbox').all()).toEqual([{ kind: 'failed_scan' }]);
    db.close();
  });

  it('refuses selling while unpaired or offline', async () => {
    await core.dispatch('c', 'session.login', { operatorId: ids.cashier, pin: '111111' });
    const r = await core.dispatch('c', 'boxOffice.sell', {
      lines: [{ ticketTypeId: '0190a000-0000-7000-8000-0000000000ff', quantity: 1 }],
      payment: { method: 'cash', tenderedMinor: 100 },
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'not_paired' } });
  });
});
