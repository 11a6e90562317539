// A gate's claims and clock through the real path (server on PGlite over TCP and WebSocket, terminals
// on SQLite): "checking…" is announced for the scan whose claim is out and followed by its verdict; a
// claim the server cannot answer in time leaves the local verdict standing, flagged, while the link
// stays up; a server error during a claim yields a local, flagged verdict (never `internal`). And a
// terminal whose own clock is six hours behind keeps working on the server's time: it pairs, sells,
// admits confirmed with check-ins stamped in server time, honours validity windows by server time,
// drains its outbox after a cut, and reports its clock as off.
import { bindEveryDevice } from '../server/harness';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/core';
import { CLOCK_OFF_THRESHOLD_MS } from '../../electron/core/sync/clock';
import { createServer, type AdmitServer } from '../../server/src/app';
import { openServerDb, type ServerDbHandle } from '../../server/src/db/client';
import { startLink, type Link } from '../helpers/link';
import { waitFor } from '../helpers/wait';

const quiet = { warn: () => undefined, error: () => undefined };
const SKEW_MS = -6 * 3600_000;
let work: string;
let db: ServerDbHandle;
let server: AdmitServer;
let url: string;
let gate: Core;
let skewed: Core;
let link: Link;
let eventId: string;
let typeId: string;
let pointId: string;

const sell = async (core: Core, ticketTypeId = typeId, ev = eventId) =>
  (await core.sync.createOrder({ orderId: core.sync.newId(), eventId: ev, lines: [{ ticketTypeId, quantity: 1 }], payment: { method: 'cash', amountMinor: 100_000 } }))
    .tickets[0]!;

function events(core: Core) {
  const seen: { name: string; payload: unknown }[] = [];
  core.events.on('event', (e) => seen.push(e));
  return seen;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'admit-claims-clock-'));
  db = await openServerDb({});
  server = createServer({ db, dataDir: join(work, 'server') });
  url = (await server.listen({ host: '127.0.0.1', port: 0 })).url;
  const event = await server.admin.createEvent({
    name: { en: 'Claims' },
    startsAt: new Date(Date.now() - 86_400_000).toISOString(),
    endsAt: new Date(Date.now() + 2 * 86_400_000).toISOString(),
    timezone: 'UTC',
    currency: 'EUR',
    ticketTypes: [{ name: { en: 'Day' }, priceMinor: 100 }],
  });
  eventId = event.id;
  typeId = event.ticketTypes[0]!.id;
  pointId = (await server.admin.createPoint(eventId, { name: { en: 'Main gate' } })).id;
  link = await startLink(Number(new URL(url).port));
  gate = await createCore({ dataDir: join(work, 'gate'), migrationsFolder: 'migrations/local', shell: 'service', demo: false, version: 't', logger: quiet });
  // This terminal's own clock is six hours behind.
  skewed = await createCore({ dataDir: join(work, 'skewed'), migrationsFolder: 'migrations/local', shell: 'service', demo: false, version: 't', logger: quiet, localClock: () => Date.now() + SKEW_MS });
  await gate.sync.pair(url, (await server.admin.createPairingCode()).code, 'Gate');
  gate.sync.start();
  await gate.sync.pull();
  await waitFor(() => gate.sync.isOnline, 30_000, 'gate online');
  gate.gate.setPoint(pointId);
}, 300_000);

afterAll(async () => {
  await gate?.close();
  await skewed?.close();
  await link?.close();
  await server?.close();
  await db?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('claims at the gate', () => {
  it('announces "checking" for the scan whose claim is out, then its confirmed verdict', async () => {
    const t = await sell(gate);
    await waitFor(() => gate.cache.ticketById(t.id) !== undefined, 30_000, 'ticket to sync');
    const seen = events(gate);
    const v = await gate.gate.scan(t.code, null);
    expect(v).toMatchObject({ admitted: true, confirmation: 'confirmed' });
    const names = seen.map((e) => e.name).filter((n) => n === 'gate.checking' || n === 'scan.verdict');
    expect(names).toEqual(['gate.checking', 'scan.verdict']);
    expect(seen.find((e) => e.name === 'gate.checking')!.payload).toEqual({ scanId: v.scanId, at: v.at });
  });

  it('past the bound with the link up, the local verdict stands, flagged; the late answer changes nothing on the gate', async () => {
    const t = await sell(gate);
    await waitFor(() => gate.cache.ticketById(t.id) !== undefined, 30_000, 'ticket to sync');
    // The server's database is held: the claim is received but not answered; pings still are.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let holding!: () => void;
    const isHolding = new Promise<void>((r) => (holding = r));
    const hold = db.db.transaction(async () => {
      holding();
      await held;
    });
    await isHolding;
    const seen = events(gate);
    const v = await gate.gate.scan(t.code, null);
    expect(gate.sync.isOnline).toBe(true);
    release();
    await hold;
    expect(v).toMatchObject({ admitted: true, confirmation: 'local' });
    expect(seen.some((e) => e.name === 'gate.checking')).toBe(true);
    // The late claim and the pushed check-in are one and the same at the server.
    await waitFor(() => gate.outbox.count() === 0, 30_000, 'outbox to drain');
    const list = await server.admin.listCheckins({ ticketId: t.id, limit: 10 });
    expect(list.map((c) => [c.id, c.status])).toEqual([[v.checkinId, 'accepted']]);
  });

  it('a server error during a claim yields a local, flagged verdict', async () => {
    // A ticket this gate knows but the server does not: the server answers the claim with an error.
    const ticketId = '01900000-0000-7000-8000-0000000fa11e';
    gate.sync.applyChanges(
      [
        {
          seq: 0,
          kind: 'ticket',
          row: {
            id: ticketId,
            eventId,
            ticketTypeId: typeId,
            orderId: null,
            code: 'ONLY-AT-THIS-GATE',
            status: 'valid',
            paid: true,
            attendeeName: null,
            orderCode: null,
            phoneLast4: null,
            idHash: null,
            rotatingSecret: null,
            validFrom: null,
            validTo: null,
          },
        },
      ],
      0,
    );
    const v = await gate.gate.scan('ONLY-AT-THIS-GATE', null);
    expect(v).toMatchObject({ admitted: true, reason: 'ok', confirmation: 'local', ticketId });
    expect(gate.sync.isOnline).toBe(true);
  });
});

describe('a terminal whose clock is six hours behind', () => {
  it('pairs and learns the offset, and says its clock is off', async () => {
    await skewed.sync.pair(link.url, (await server.admin.createPairingCode()).code, 'Skewed gate');
    skewed.sync.start();
    await skewed.sync.pull();
    await waitFor(() => skewed.sync.isOnline, 30_000, 'skewed gate online');
    skewed.gate.setPoint(pointId);
    const status = skewed.sync.status();
    expect(status.clockOff).toBe(true);
    // Six hours, give or take what a round trip on a busy machine can hide.
    expect(Math.abs(status.clockOffsetMs! + SKEW_MS)).toBeLessThan(CLOCK_OFF_THRESHOLD_MS);
    expect(gate.sync.status().clockOff).toBe(false);
    expect(Math.abs(skewed.sync.clock.nowMs() - Date.now())).toBeLessThan(CLOCK_OFF_THRESHOLD_MS);
  });

  it('sells, and admits confirmed with check-ins in server time', async () => {
    const t = await sell(skewed);
    await waitFor(() => skewed.cache.ticketById(t.id) !== undefined, 30_000, 'ticket to sync');
    const seen = events(skewed);
    const v = await skewed.gate.scan(t.code, null);
    expect(v).toMatchObject({ admitted: true, confirmation: 'confirmed' });
    expect(Math.abs(Date.parse(v.at) - Date.now())).toBeLessThan(CLOCK_OFF_THRESHOLD_MS);
    expect(seen.some((e) => e.name === 'gate.checking')).toBe(true);
    expect((await skewed.gate.scan(t.code, null)).reason).toBe('already_used');
    const [checkin] = await server.admin.listCheckins({ ticketId: t.id, limit: 10 });
    expect(Math.abs(Date.parse(checkin!.at) - Date.now())).toBeLessThan(CLOCK_OFF_THRESHOLD_MS);
  });

  it('judges validity windows by server time', async () => {
    const ev = await server.admin.createEvent({
      name: { en: 'Now' },
      startsAt: new Date(Date.now() - 3600_000).toISOString(),
      endsAt: new Date(Date.now() + 3600_000).toISOString(),
      timezone: 'UTC',
      currency: 'EUR',
      ticketTypes: [{ name: { en: 'Now' }, priceMinor: 100 }],
    });
    const point = await server.admin.createPoint(ev.id, { name: { en: 'Now gate' } });
    await bindEveryDevice(server, ev.id);
    const t = await sell(skewed, ev.ticketTypes[0]!.id, ev.id);
    await waitFor(() => skewed.cache.point(point.id) !== undefined && skewed.cache.ticketById(t.id) !== undefined, 30_000, 'event to sync');
    skewed.gate.setPoint(point.id);
    // By the terminal's own clock the event has not begun; by the server's it is on.
    expect((await skewed.gate.scan(t.code, null, new Date(Date.now() + SKEW_MS))).reason).toBe('not_yet_valid');
    expect(await skewed.gate.scan(t.code, null)).toMatchObject({ admitted: true, reason: 'ok', confirmation: 'confirmed' });
    skewed.gate.setPoint(pointId);
  });

  it('admits locally while cut off and drains its outbox on recovery', async () => {
    const t = await sell(skewed);
    await waitFor(() => skewed.cache.ticketById(t.id) !== undefined, 30_000, 'ticket to sync');
    link.cut(60_000);
    await waitFor(() => !skewed.sync.isOnline, 30_000, 'skewed gate to notice the cut');
    const v = await skewed.gate.scan(t.code, null);
    expect(v).toMatchObject({ admitted: true, confirmation: 'local' });
    expect(skewed.outbox.count()).toBeGreaterThan(0);
    link.cut(0);
    await waitFor(() => skewed.sync.isOnline && skewed.outbox.count() === 0, 60_000, 'outbox to drain');
    const list = await server.admin.listCheckins({ ticketId: t.id, limit: 10 });
    expect(list.map((c) => [c.id, c.status])).toEqual([[v.checkinId, 'accepted']]);
    expect(Math.abs(Date.parse(list[0]!.at) - Date.now())).toBeLessThan(CLOCK_OFF_THRESHOLD_MS);
  });
});
