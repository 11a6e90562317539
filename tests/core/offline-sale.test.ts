// A box office selling on its seat lease while its link is cut: a real core on real SQLite, paired
// with the real server (PGlite) over a cuttable TCP link. Offline, a sale draws on the lease and its
// tickets are admitted at once by this terminal's own gate; a cart beyond the lease is refused with
// lease_exhausted and nothing is kept or drawn. When the link returns the sales are uploaded with the
// receipt's order code and the lease is topped up; closing the box office returns what is left.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Order } from '../../electron/contract';
import { createCore, type Core } from '../../electron/core/core';
import { type AdmitServer, createServer } from '../../server/src/app';
import { openServerDb, type ServerDbHandle } from '../../server/src/db/client';
import { leases, orders, ticketTypes } from '../../server/src/db/schema';
import { type Link, startLink } from '../helpers/link';
import { loginAs } from '../helpers/login';
import { openTerminalDb } from '../helpers/terminal-db';
import { waitFor } from '../helpers/wait';

const PRICE = 1800;
const quiet = { warn: () => undefined, error: () => undefined };

describe('offline sales on a seat lease', () => {
  let dir: string;
  let db: ServerDbHandle;
  let server: AdmitServer;
  let link: Link;
  let core: Core;
  let typeId: string;
  let url: string;
  let eventId: string;

  const sold = async () => (await db.db.select().from(ticketTypes).where(eq(ticketTypes.id, typeId)))[0]!.sold;
  const sell = (quantity: number) =>
    core.dispatch('cashier', 'boxOffice.sell', {
      lines: [{ ticketTypeId: typeId, quantity }],
      payment: { method: 'cash', tenderedMinor: quantity * PRICE + 200 },
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'admit-offline-sale-'));
    db = await openServerDb({});
    server = createServer({ db: db.db, adminToken: 'offline-admin', dataDir: join(dir, 'server') });
    url = (await server.listen({ host: '127.0.0.1', port: 0 })).url;
    const event = await server.admin.createEvent({
      name: { en: 'Club night' },
      startsAt: new Date(Date.now() - 3600_000).toISOString(),
      endsAt: new Date(Date.now() + 86_400_000).toISOString(),
      timezone: 'UTC',
      currency: 'EUR',
      ticketTypes: [{ name: { en: 'Entry' }, priceMinor: PRICE, capacity: 50 }],
    });
    typeId = event.ticketTypes[0]!.id;
    eventId = event.id;
    await server.admin.createOperators([{ name: 'Cass', role: 'cashier', pin: '111111' }]);
    link = await startLink(Number(new URL(url).port));
    core = await createCore({
      dataDir: join(dir, 'box'),
      migrationsFolder: 'migrations/local',
      shell: 'service',
      demo: false,
      version: 't',
      logger: quiet,
      leases: { size: 5, lowWater: 3 },
    });
    const { code } = await server.admin.createPairingCode({ eventIds: [event.id] });
    await core.sync.pair(link.url, code, 'Box office');
    core.sync.start();
    await waitFor(() => core.sync.isOnline && core.cache.catalog().types.length === 1, 30_000, 'online with the catalog');
    expect((await loginAs(core, 'cashier', { name: 'Cass' }, '111111')).ok).toBe(true);
  }, 300_000);

  afterAll(async () => {
    await core?.close();
    await link?.close();
    await server?.close();
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds a lease of 5 seats, counted in stock at the server', async () => {
    await waitFor(
      async () => {
        await core.leases.keep();
        return core.leases.free(typeId) === 5;
      },
      30_000,
      'a lease of 5',
    );
    expect(await sold()).toBe(5);
    expect(await core.leases.serverLeases()).toEqual([
      expect.objectContaining({ ticketTypeId: typeId, size: 5, state: 'active' }),
    ]);
  });

  const offline: Order[] = [];

  it('sells offline on the lease, admits the tickets at its own gate, and refuses a cart beyond it', async () => {
    link.cut(3_600_000);
    await waitFor(() => !core.sync.isOnline, 30_000, 'offline');
    const first = await sell(3);
    expect(first).toMatchObject({ ok: true, value: { order: { totalMinor: 3 * PRICE, changeMinor: 200 } } });
    offline.push((first as { value: { order: Order } }).value.order);
    expect(offline[0]!.tickets).toHaveLength(3);
    expect(offline[0]!.code).toMatch(/^[A-Z2-7]{8}$/);
    expect(core.leases.free(typeId)).toBe(2);

    // Beyond the lease: refused, nothing drawn, nothing kept.
    const beyond = await sell(3);
    expect(beyond).toMatchObject({ ok: false, error: { code: 'lease_exhausted' } });
    expect(core.leases.free(typeId)).toBe(2);
    expect(core.leases.sales()).toHaveLength(1);
    const local = openTerminalDb(join(dir, 'box'));
    try {
      expect(local.prepare('select count(*) as n from orders').get()).toEqual({ n: 1 });
    } finally {
      local.close();
    }

    const second = await sell(2);
    expect(second.ok).toBe(true);
    offline.push((second as { value: { order: Order } }).value.order);
    expect(core.leases.free(typeId)).toBe(0);
    expect(await sell(1)).toMatchObject({ ok: false, error: { code: 'lease_exhausted' } });

    // This terminal's gate admits a ticket sold offline at once (a local decision), and only once.
    const ticket = offline[0]!.tickets[0]!;
    expect(await core.gate.scan(ticket.code, null)).toMatchObject({
      admitted: true,
      reason: 'ok',
      ticketId: ticket.id,
      confirmation: 'local',
    });
    expect(await core.gate.scan(ticket.code, null)).toMatchObject({ admitted: false, reason: 'already_used' });
    // Nothing reached the server meanwhile.
    expect(await db.db.select().from(orders).where(eq(orders.id, offline[0]!.id))).toHaveLength(0);
  });

  it('uploads the offline sales with their receipt codes when the link returns, and tops the lease up', async () => {
    link.heal();
    await waitFor(() => core.sync.isOnline, 60_000, 'online again');
    await waitFor(() => core.leases.sales().every((s) => s.state === 'uploaded'), 60_000, 'uploaded');
    for (const order of offline) {
      const [row] = await db.db.select().from(orders).where(eq(orders.id, order.id));
      expect(row).toMatchObject({ code: order.code, totalMinor: order.totalMinor });
    }
    await waitFor(
      async () => {
        await core.leases.keep();
        return core.leases.free(typeId) === 5;
      },
      30_000,
      'topped up',
    );
    // 5 sold on the first lease, 5 held on the second.
    expect(await sold()).toBe(10);
  });

  it('returns what is left when the box office closes: stock gets it back', async () => {
    expect(await core.leases.returnAll()).toBe(true);
    expect(await sold()).toBe(5);
    expect(await db.db.select().from(leases).where(eq(leases.state, 'active'))).toHaveLength(0);
    expect(core.leases.free(typeId)).toBe(0);
    // Closed: a cut link now means no sale at all.
    link.cut(3_600_000);
    await waitFor(() => !core.sync.isOnline, 30_000, 'offline');
    expect(await sell(1)).toMatchObject({ ok: false, error: { code: 'lease_exhausted' } });
    link.heal();
  });

  it('returns a lease that is ending and takes a fresh one by itself', async () => {
    const other = await createCore({
      dataDir: join(dir, 'box2'),
      migrationsFolder: 'migrations/local',
      shell: 'service',
      demo: false,
      version: 't',
      logger: quiet,
      modes: ['box-office'],
      // A minute's lease, renewed in its last half: the keeper's own timer does it.
      leases: { size: 2, durationS: 60, renewBeforeS: 30, everyMs: 500 },
    });
    try {
      const { code } = await server.admin.createPairingCode({ eventIds: [eventId] });
      await other.sync.pair(url, code, 'Box office 2');
      other.sync.start();
      await waitFor(() => other.leases.list('active').length === 1, 30_000, 'a first lease');
      const first = other.leases.list('active')[0]!;
      await waitFor(
        () => other.leases.get(first.id)?.state === 'returned' && other.leases.list('active').length === 1,
        120_000,
        'renewed',
      );
      expect(other.leases.free(typeId)).toBe(2);
      const atServer = await db.db.select().from(leases).where(eq(leases.id, first.id));
      expect(atServer[0]).toMatchObject({ state: 'returned' });
      expect(await other.leases.returnAll()).toBe(true);
    } finally {
      await other.close();
    }
  });
});
