// The badge desk through the core's call path against a real server (PGlite) on real SQLite: attendees
// found by any part of their name in Latin, Chinese and Cyrillic script (case-insensitive), by a phone's
// last four digits, by order code and by ticket code (the kind guessed from the text); their details;
// the order's group; the ticket types a walk-in may register for.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BadgeDeskAttendee, BadgeDeskMatch } from '../../electron/contract';
import { createCore, type Core } from '../../electron/core/core';
import { createServer } from '../../server/src/app';
import { openServerDb } from '../../server/src/db/client';
import { waitFor } from '../helpers/wait';
import { loginAs } from '../helpers/login';

type Sold = { order: { id: string; code: string; tickets: { id: string; code: string }[] } };

describe('badge desk: finding attendees', () => {
  const cleanups: Array<() => Promise<unknown> | unknown> = [];
  let serverUrl: string;
  let adminToken: string;
  let desk: Core;
  let typeId = '';
  const sold: Sold[] = [];

  const admin = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${serverUrl}/admin/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${adminToken}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        'x-admit-request-id': uuidv7(),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    expect(res.ok).toBe(true);
    return res.json() as Promise<Record<string, unknown>>;
  };
  const call = async <T>(name: string, input: unknown, session = 'badge'): Promise<T> => {
    const r = await desk.dispatch(session, name, input);
    if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.error)}`);
    return r.value as T;
  };

  beforeAll(async () => {
    const work = mkdtempSync(join(tmpdir(), 'admit-badge-find-'));
    cleanups.push(() => rmSync(work, { recursive: true, force: true }));
    const db = await openServerDb();
    cleanups.push(() => db.close());
    const server = await createServer({ db, dataDir: join(work, 'server') });
    cleanups.push(() => server.close());
    serverUrl = (await server.listen({ host: '127.0.0.1', port: 0 })).url;
    adminToken = server.adminToken;
    await server.admin.seedDemo({ tickets: 5 });
    desk = await createCore({
      dataDir: join(work, 'desk'),
      migrationsFolder: 'migrations/local',
      shell: 'service',
      demo: false,
      version: 'test',
      modes: ['box-office', 'gate', 'badge-desk', 'manager'],
    });
    cleanups.push(() => desk.close());
    const { code } = (await admin('POST', '/pairing-codes', {})) as { code: string };
    expect(await desk.dispatch('setup', 'terminal.pair', { serverUrl, code, terminalName: 'Badge desk 1' })).toMatchObject({ ok: true });
    await waitFor(async () => {
      const ops = await desk.dispatch('x', 'session.operators', {});
      return ops.ok && (ops.value as { role: string }[]).some((o) => o.role === 'badge');
    });
    expect(await loginAs(desk, 'cashier', { role: 'cashier' }, '111111')).toMatchObject({ ok: true });
    expect(await loginAs(desk, 'badge', { role: 'badge' }, '333333')).toMatchObject({ ok: true });
    const catalog = await call<{ ticketTypes: { id: string; priceMinor: number }[] }>('boxOffice.catalog', {}, 'cashier');
    typeId = catalog.ticketTypes.find((t) => t.priceMinor > 0)!.id;
    const people = [
      [{ name: 'Alexandra Smith-Jones', phone: '+49 170 1234567' }],
      [{ name: '张三丰', phone: '+86 138 0013 8000' }],
      [{ name: 'Иванов Пётр Сергеевич', phone: '+7 912 345 6789' }, { name: 'Иванова Мария' }],
    ];
    for (const group of people) {
      const price = catalog.ticketTypes.find((t) => t.id === typeId)!.priceMinor;
      sold.push(
        await call<Sold>(
          'boxOffice.sell',
          {
            lines: [{ ticketTypeId: typeId, quantity: group.length }],
            attendees: group.map((a, index) => ({ ...a, ticketTypeId: typeId, index })),
            payment: { method: 'cash', tenderedMinor: price * group.length },
          },
          'cashier',
        ),
      );
    }
  }, 120_000);

  afterAll(async () => {
    for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => undefined);
  });

  const names = (m: { matches: BadgeDeskMatch[] }) => m.matches.map((x) => x.name);

  it('finds by any part of a name in Latin, Chinese and Cyrillic, case-insensitively, and guesses that it is a name', async () => {
    expect(names(await call('badgeDesk.find', { query: 'smith' }))).toEqual(['Alexandra Smith-Jones']);
    expect(await call('badgeDesk.find', { query: 'ALEX' })).toMatchObject({ by: 'name', matches: [{ name: 'Alexandra Smith-Jones' }] });
    expect(names(await call('badgeDesk.find', { query: '三丰', by: 'name' }))).toEqual(['张三丰']);
    expect(names(await call('badgeDesk.find', { query: 'ИВАНОВ' })).sort()).toEqual(['Иванов Пётр Сергеевич', 'Иванова Мария']);
    // Any part, any case; ё and е match each other.
    expect(names(await call('badgeDesk.find', { query: 'петр' }))).toEqual(['Иванов Пётр Сергеевич']);
    expect(names(await call('badgeDesk.find', { query: 'мАрИя' }))).toEqual(['Иванова Мария']);
  });

  it('finds by the last four digits of a phone, an order code and a ticket code', async () => {
    expect(await call('badgeDesk.find', { query: '4567' })).toMatchObject({ by: 'phone', matches: [{ name: 'Alexandra Smith-Jones' }] });
    const group = sold[2]!.order;
    const byOrder = await call<{ by: string; matches: BadgeDeskMatch[] }>('badgeDesk.find', { query: group.code.toLowerCase() });
    expect(byOrder.by).toBe('order');
    expect(byOrder.matches.map((m) => m.ticketId).sort()).toEqual(group.tickets.map((t) => t.id).sort());
    const one = group.tickets[1]!;
    expect(await call('badgeDesk.find', { query: one.code })).toMatchObject({ by: 'code', matches: [{ ticketId: one.id, name: 'Иванова Мария', paid: true, status: 'valid', printCount: 0 }] });
  });

  it("shows an attendee's details and their order's group", async () => {
    const t = sold[2]!.order.tickets[0]!;
    const a = await call<BadgeDeskAttendee>('badgeDesk.attendee', { ticketId: t.id });
    expect(a).toMatchObject({ ticketId: t.id, code: t.code, name: 'Иванов Пётр Сергеевич', printCount: 0, prints: [], reprint: { needsReason: false, needsPin: false } });
    const group = await call<{ orderCode: string; matches: BadgeDeskMatch[] }>('badgeDesk.group', { ticketId: t.id });
    expect(group.orderCode).toBe(sold[2]!.order.code);
    expect(group.matches.map((m) => m.ticketId)).toEqual([t.id, sold[2]!.order.tickets[1]!.id]);
    expect(await desk.dispatch('badge', 'badgeDesk.attendee', { ticketId: uuidv7() })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('lists the types a walk-in may register for, and the state of the desk', async () => {
    const types = await call<{ ticketTypes: { id: string }[] }>('badgeDesk.walkInTypes', {});
    expect(types.ticketTypes.map((t) => t.id)).toContain(typeId);
    expect(await call('badgeDesk.state', {})).toMatchObject({ online: true, printer: null, settings: { reprintWindowS: 86_400, reprintNeedsPin: false, printChecksIn: true } });
    expect(await desk.dispatch('badge', 'badgeDesk.print', { ticketIds: [sold[0]!.order.tickets[0]!.id], requestId: uuidv7() })).toMatchObject({
      ok: false,
      error: { code: 'no_badge_printer' },
    });
  });
});
