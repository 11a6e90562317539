// The server holds every new or changed operator PIN to its role's length (domain/pins.ts): 6 to 8
// digits for every role. A PIN that does not fit is a 400 that names the rule and writes nothing; what
// the admin API shows of an operator never includes the PIN's hash.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { verifyPinAsync } from '../../domain/hashing';
import type { AdmitServer } from '../../server/src/app';
import { operators } from '../../server/src/db/schema';
import { seedDemo } from '../../server/src/services/demo';
import { pinColumns } from '../../server/src/services/operators';
import { type Backend, call, expectError, makeServer, openBackend } from './harness';

const ADMIN = 'test-admin-token';
let backend: Backend;
let server: AdmitServer;

beforeAll(async () => {
  backend = await openBackend('PGlite');
  server = makeServer(backend);
  await server.app.ready();
});
afterAll(async () => {
  await server.close();
  await backend.close();
});

const count = () => backend.handle.db.$count(operators);

describe('operator PINs at the server', () => {
  it('creates operators whose PINs fit their roles, and shows no hash', async () => {
    const res = await call(server.app, 'POST', '/admin/v1/operators', {
      token: ADMIN,
      body: {
        operators: [
          { name: 'Cass', role: 'cashier', pin: '482135' },
          { name: 'Mona', role: 'manager', pin: '482193' },
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(res.json.operators).toEqual([
      { id: expect.any(String), name: 'Cass', role: 'cashier', active: true },
      { id: expect.any(String), name: 'Mona', role: 'manager', active: true },
    ]);
    expect(JSON.stringify(res.json)).not.toMatch(/pin/i);
  });

  it('refuses a PIN under six digits for every role with a 400 that names the rule, writing nothing', async () => {
    const before = await count();
    for (const [role, pin] of [
      ['cashier', '4821'],
      ['cashier', '48213'],
      ['gate', '4821'],
      ['gate', '48213'],
      ['badge', '4821'],
      ['badge', '48213'],
      ['kiosk', '4821'],
      ['kiosk', '48213'],
      ['manager', '4821'],
      ['admin', '48219'],
      ['cashier', '482'],
      ['gate', '123456789'],
    ] as const) {
      const res = await call(server.app, 'POST', '/admin/v1/operators', {
        token: ADMIN,
        body: { operators: [{ name: 'Fine', role: 'cashier', pin: '123456' }, { name: 'X', role, pin }] },
      });
      expectError(res, 400, 'bad_request');
      expect(res.json.error.detail).toMatch(new RegExp(`a ${role} PIN is 6 to 8 digits`));
    }
    expectError(
      await call(server.app, 'POST', '/admin/v1/operators', { token: ADMIN, body: { operators: [{ name: 'X', role: 'cashier', pin: '1234ab' }] } }),
      400,
      'bad_request',
    );
    await expect(server.admin.createOperators([{ name: 'In-process', role: 'admin', pin: '0000' }])).rejects.toMatchObject({ status: 400 });
    await expect(server.admin.createOperators([{ name: 'In-process', role: 'gate', pin: '56789' }])).rejects.toMatchObject({ status: 400 });
    expect(await count()).toBe(before);
  });

  it('creates cashier, gate, badge and kiosk operators with six-digit PINs', async () => {
    const before = await count();
    const staff = (['cashier', 'gate', 'badge', 'kiosk'] as const).map((role, i) => ({ name: `Six ${role}`, role, pin: `${i}48213` }));
    const res = await call(server.app, 'POST', '/admin/v1/operators', { token: ADMIN, body: { operators: staff } });
    expect(res.status).toBe(200);
    expect(res.json.operators).toEqual(staff.map(({ name, role }) => ({ id: expect.any(String), name, role, active: true })));
    expect(await count()).toBe(before + staff.length);
    const pinKey = (await server.keyring()).pinKey;
    for (const [i, created] of (res.json.operators as { id: string }[]).entries()) {
      const [row] = await backend.handle.db.select().from(operators).where(eq(operators.id, created.id));
      expect(await verifyPinAsync(staff[i]!.pin, row!.pinSalt, row!.pinHash, pinKey)).toBe(true);
    }
  });

  it('changes an operator: a new PIN fits the role it will have; a promotion keeps a PIN that fits', async () => {
    const [cass] = await server.admin.createOperators([{ name: 'Promoted', role: 'cashier', pin: '123456' }]);
    const url = `/admin/v1/operators/${cass!.id}`;
    expectError(await call(server.app, 'PATCH', url, { token: ADMIN, body: { role: 'manager', pin: '5678' } }), 400, 'bad_request');
    expectError(await call(server.app, 'PATCH', url, { token: ADMIN, body: { pin: '56789' } }), 400, 'bad_request');
    let [row] = await backend.handle.db.select().from(operators).where(eq(operators.id, cass!.id));
    expect(row!.role).toBe('cashier');
    expect(await verifyPinAsync('123456', row!.pinSalt, row!.pinHash, (await server.keyring()).pinKey)).toBe(true);

    // Every role needs six digits, so the cashier's PIN already fits a manager.
    const promoted = await call(server.app, 'PATCH', url, { token: ADMIN, body: { role: 'manager' } });
    expect(promoted.status).toBe(200);
    [row] = await backend.handle.db.select().from(operators).where(eq(operators.id, cass!.id));
    expect(row!.role).toBe('manager');
    expect(await verifyPinAsync('123456', row!.pinSalt, row!.pinHash, (await server.keyring()).pinKey)).toBe(true);

    const ok = await call(server.app, 'PATCH', url, { token: ADMIN, body: { role: 'manager', pin: '567890' } });
    expect(ok.status).toBe(200);
    expect(ok.json.operator).toEqual({ id: cass!.id, name: 'Promoted', role: 'manager', active: true });
    [row] = await backend.handle.db.select().from(operators).where(eq(operators.id, cass!.id));
    expect(await verifyPinAsync('567890', row!.pinSalt, row!.pinHash, (await server.keyring()).pinKey)).toBe(true);
    // A change that brings the role down, or touches no PIN at all, needs none.
    expect((await call(server.app, 'PATCH', url, { token: ADMIN, body: { role: 'gate' } })).status).toBe(200);
    expect((await call(server.app, 'PATCH', url, { token: ADMIN, body: { active: false } })).status).toBe(200);
    expectError(await call(server.app, 'PATCH', url, { token: ADMIN, body: {} }), 400, 'bad_request');
    expectError(
      await call(server.app, 'PATCH', '/admin/v1/operators/0190a000-0000-7000-8000-00000000ffff', { token: ADMIN, body: { active: false } }),
      404,
      'not_found',
    );
  });
});

describe('demo operators seeded before PINs needed six digits', () => {
  it('get today’s demo PINs when the demo starts again; a PIN someone changed is kept', async () => {
    const keyring = await server.keyring();
    await seedDemo(backend.handle.db, keyring, { tickets: 10 });
    const row = async (name: string) => (await backend.handle.db.select().from(operators).where(eq(operators.name, name)))[0]!;
    // As a demo seeded then holds them: the cashier on the old 4-digit PIN, the gate on a PIN its admin chose.
    const cashier = await row('Cashier');
    const gate = await row('Gate');
    await backend.handle.db.update(operators).set(await pinColumns('1111', keyring.pinKey)).where(eq(operators.id, cashier.id));
    await backend.handle.db.update(operators).set(await pinColumns('24681357', keyring.pinKey)).where(eq(operators.id, gate.id));

    const again = await seedDemo(backend.handle.db, keyring, { tickets: 10 });
    expect(again.created).toBe(false);
    const renewed = await row('Cashier');
    expect(await verifyPinAsync('111111', renewed.pinSalt, renewed.pinHash, keyring.pinKey)).toBe(true);
    expect(await verifyPinAsync('1111', renewed.pinSalt, renewed.pinHash, keyring.pinKey)).toBe(false);
    const kept = await row('Gate');
    expect(await verifyPinAsync('24681357', kept.pinSalt, kept.pinHash, keyring.pinKey)).toBe(true);
  });
});
