// The badge desk when things go wrong, through the core's call path on real SQLite against the real
// server (PGlite) over a cuttable link, with an Evolis card printer simulator: offline, a badge still
// prints from the cache with a local check-in, both recorded and pushed once the link is back (the
// server then holds the print and the check-in); a printer out of cards holds the badge (queued, a
// retry of the request queues nothing more) and prints it exactly once when cards are back.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BadgeDeskAttendee, BadgePrintResult, PrintOutcome } from '../../electron/contract';
import { createCore, type Core } from '../../electron/core/core';
import { startEvolisSimulator, type EvolisSimulator } from '../../drivers/badges/evolis-simulator';
import { createServer } from '../../server/src/app';
import { openServerDb } from '../../server/src/db/client';
import { startLink, type Link } from '../helpers/link';
import { loginAs } from '../helpers/login';
import { waitFor } from '../helpers/wait';

type Sold = { order: { id: string; code: string; tickets: { id: string; code: string }[] } };
type Printed = { results: BadgePrintResult[]; print: PrintOutcome };

describe('the badge desk offline and out of cards', () => {
  const cleanups: Array<() => Promise<unknown> | unknown> = [];
  let link: Link;
  let desk: Core;
  let evolis: EvolisSimulator;
  const tickets: { id: string; code: string }[] = [];

  const call = async <T>(name: string, input: unknown, session = 'badge'): Promise<T> => {
    const r = await desk.dispatch(session, name, input);
    if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.error)}`);
    return r.value as T;
  };

  beforeAll(async () => {
    const work = mkdtempSync(join(tmpdir(), 'admit-badge-offline-'));
    cleanups.push(() => rmSync(work, { recursive: true, force: true }));
    const db = await openServerDb();
    cleanups.push(() => db.close());
    const server = await createServer({ db, dataDir: join(work, 'server') });
    cleanups.push(() => server.close());
    const url = (await server.listen({ host: '127.0.0.1', port: 0 })).url;
    await server.admin.seedDemo({ tickets: 5 });
    link = await startLink(Number(new URL(url).port));
    cleanups.push(() => link.close());
    evolis = await startEvolisSimulator({ port: 0, outDir: join('artifacts', 'badge-desk-offline') });
    cleanups.push(() => evolis.close());
    desk = await createCore({
      dataDir: join(work, 'desk'),
      migrationsFolder: 'migrations/local',
      shell: 'service',
      demo: false,
      version: 'test',
      modes: ['box-office', 'badge-desk', 'manager'],
      devices: { usbEvents: false, printerPollMs: 200, printRetryInitialMs: 100, printRetryMaxMs: 400 },
    });
    cleanups.push(() => desk.close());
    desk.configureDevices([
      { id: 'badges', name: 'Badge printer', kind: 'printer', driver: 'evolis', transport: { type: 'tcp', host: '127.0.0.1', port: evolis.port }, kinds: ['badge'] },
    ]);
    await desk.restartDevices();
    const res = await fetch(`${url}/admin/v1/pairing-codes`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/json', 'x-admit-request-id': uuidv7() },
      body: '{}',
    });
    const { code } = (await res.json()) as { code: string };
    expect(await desk.dispatch('setup', 'terminal.pair', { serverUrl: link.url, code, terminalName: 'Badge desk' })).toMatchObject({ ok: true });
    await waitFor(async () => {
      const ops = await desk.dispatch('x', 'session.operators', {});
      return ops.ok && (ops.value as { role: string }[]).some((o) => o.role === 'badge');
    }, 60_000, 'operators');
    expect(await loginAs(desk, 'cashier', { role: 'cashier' }, '111111')).toMatchObject({ ok: true });
    expect(await loginAs(desk, 'badge', { role: 'badge' }, '333333')).toMatchObject({ ok: true });
    const catalog = await call<{ ticketTypes: { id: string; priceMinor: number }[] }>('boxOffice.catalog', {}, 'cashier');
    const type = catalog.ticketTypes.find((t) => t.priceMinor > 0)!;
    const sold = await call<Sold>(
      'boxOffice.sell',
      {
        lines: [{ ticketTypeId: type.id, quantity: 2 }],
        attendees: [
          { ticketTypeId: type.id, index: 0, name: 'Offline Olga' },
          { ticketTypeId: type.id, index: 1, name: 'Cardless Carl' },
        ],
        payment: { method: 'cash', tenderedMinor: 2 * type.priceMinor },
      },
      'cashier',
    );
    tickets.push(...sold.order.tickets);
  }, 180_000);

  afterAll(async () => {
    for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => undefined);
  });

  it('prints offline from the cache with a local check-in, and pushes both once the link is back', async () => {
    const t = tickets[0]!;
    link.cut(3_600_000);
    await waitFor(() => !desk.sync.isOnline, 60_000, 'offline');
    const before = evolis.jobs.length;
    const printed = await call<Printed>('badgeDesk.print', { ticketIds: [t.id], requestId: uuidv7() });
    expect(printed.results).toEqual([{ ticketId: t.id, outcome: 'printed', code: null, checkIn: 'admitted' }]);
    await waitFor(() => evolis.jobs.length === before + 1, 60_000, 'the card');
    const kinds = desk.outbox.batch(50).map((e) => e.record?.kind);
    expect(kinds).toEqual(expect.arrayContaining(['badge_print', 'checkin']));
    const offline = await call<BadgeDeskAttendee>('badgeDesk.attendee', { ticketId: t.id });
    expect(offline).toMatchObject({ source: 'cache', checkedIn: true, printCount: 1, prints: [{ reprint: false, operatorName: 'Badge desk' }], reprint: { needsReason: true } });

    link.heal();
    await waitFor(() => desk.sync.isOnline && desk.outbox.count() === 0, 60_000, 'pushed');
    const online = await call<BadgeDeskAttendee>('badgeDesk.attendee', { ticketId: t.id });
    expect(online).toMatchObject({ source: 'server', checkedIn: true, printCount: 1, prints: [{ reprint: false, terminal: 'Badge desk' }] });
    expect(online.checkedInAt).not.toBeNull();
  });

  it('holds a badge while the printer is out of cards, and prints it exactly once when cards are back', async () => {
    const t = tickets[1]!;
    evolis.set({ feederEmpty: true });
    const before = evolis.jobs.length;
    const requestId = uuidv7();
    const held = await call<Printed>('badgeDesk.print', { ticketIds: [t.id], requestId, checkIn: false });
    expect(held.results).toEqual([{ ticketId: t.id, outcome: 'queued', code: null, checkIn: 'none' }]);
    expect(held.print).toMatchObject({ state: 'queued', reason: 'paper_out' });
    // A retry of the request while it waits queues nothing more.
    const retried = await call<Printed>('badgeDesk.print', { ticketIds: [t.id], requestId, checkIn: false });
    expect(retried.results).toEqual(held.results);
    expect(retried.print.jobIds).toEqual(held.print.jobIds);
    expect(evolis.jobs.length).toBe(before);

    evolis.set({ feederEmpty: false });
    await waitFor(() => evolis.jobs.length === before + 1, 60_000, 'the held card');
    await waitFor(async () => (await call<Printed>('badgeDesk.print', { ticketIds: [t.id], requestId, checkIn: false })).print.state === 'printed', 60_000, 'printed');
    expect((await call<Printed>('badgeDesk.print', { ticketIds: [t.id], requestId, checkIn: false })).results[0]).toMatchObject({ outcome: 'printed' });
    await waitFor(() => desk.devices.queue?.status('badges')?.pending === 0, 60_000, 'the queue idle');
    expect(evolis.jobs.length).toBe(before + 1);
    expect(evolis.jobs.at(-1)!.errors).toEqual([]);
    await waitFor(() => desk.outbox.count() === 0, 60_000, 'pushed');
    expect(await call<BadgeDeskAttendee>('badgeDesk.attendee', { ticketId: t.id })).toMatchObject({ printCount: 1, checkedIn: false });
  });
});
