// A gate whose link to the server stalls without closing (a half-open link: a TCP proxy between them
// stops passing bytes both ways but keeps both sockets open), through the real path (server on PGlite
// over TCP and WebSocket, terminal core on SQLite). The terminal notices by its heartbeat and goes
// offline; a scan meanwhile is decided locally and flagged, within the claim bound (never waiting on a
// socket that will not answer); when the link flows again — or when only a fresh connection gets
// through and the stalled one stays dead — it reconnects by itself and drains its outbox. No scan is
// lost and the server holds exactly one check-in per admitted ticket.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../electron/contract';
import { createCore, type Core } from '../../electron/core/core';
import { createServer, type AdmitServer } from '../../server/src/app';
import { openServerDb, type ServerDbHandle } from '../../server/src/db/client';
import { startStallLink, type StallLink } from '../helpers/stall-link';
import { waitFor } from '../helpers/wait';

const quiet = { warn: () => undefined, error: () => undefined };
let work: string;
let db: ServerDbHandle;
let server: AdmitServer;
let link: StallLink;
let gate: Core;
let eventId: string;
let typeId: string;
/** Every SyncStatus the terminal reported, in order. */
const statuses: SyncStatus[] = [];
/** Tickets the gate admitted, with the check-in id of their admission. */
const admitted = new Map<string, string>();

async function sellTickets(n: number) {
  const res = await gate.sync.createOrder({ orderId: v7(), eventId, lines: [{ ticketTypeId: typeId, quantity: n }], payment: { method: 'cash', amountMinor: 100_000 } });
  await waitFor(() => res.tickets.every((t) => gate.cache.ticketById(t.id) !== undefined), 30_000, 'sold tickets to sync');
  return res.tickets;
}

/** Scans a code; fails (instead of hanging the test) if no verdict comes within a generous time. */
async function scan(code: string) {
  let timer!: NodeJS.Timeout;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('the scan got no verdict: the gate hung on the stalled link')), 30_000);
  });
  try {
    const v = await Promise.race([gate.gate.scan(code, null), hung]);
    if (v.admitted && v.checkinId) admitted.set(v.ticketId!, v.checkinId);
    return v;
  } finally {
    clearTimeout(timer);
  }
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'admit-half-open-'));
  db = await openServerDb({});
  server = createServer({ db, dataDir: join(work, 'server') });
  const url = (await server.listen({ host: '127.0.0.1', port: 0 })).url;
  const event = await server.admin.createEvent({
    name: { en: 'Half-open' },
    startsAt: new Date(Date.now() - 86_400_000).toISOString(),
    endsAt: new Date(Date.now() + 2 * 86_400_000).toISOString(),
    timezone: 'UTC',
    currency: 'EUR',
    ticketTypes: [{ name: { en: 'Day' }, priceMinor: 100 }],
  });
  eventId = event.id;
  typeId = event.ticketTypes[0]!.id;
  const pointId = (await server.admin.createPoint(eventId, { name: { en: 'Main gate' } })).id;
  link = await startStallLink(Number(new URL(url).port));
  gate = await createCore({ dataDir: join(work, 'gate'), migrationsFolder: 'migrations/local', shell: 'service', demo: false, version: 't', logger: quiet });
  gate.sync.on('status', (s) => statuses.push(s));
  await gate.sync.pair(link.url, (await server.admin.createPairingCode()).code, 'Gate');
  gate.sync.start();
  await gate.sync.pull();
  await waitFor(() => gate.sync.isOnline, 30_000, 'gate online');
  await waitFor(() => gate.cache.point(pointId) !== undefined, 30_000, 'point to sync');
  gate.gate.setPoint(pointId);
}, 300_000);

afterAll(async () => {
  await gate?.close();
  await link?.close();
  await server?.close();
  await db?.close();
  rmSync(work, { recursive: true, force: true });
});

/** Stalls the link, scans while the terminal may still believe it is online, waits for it to notice,
 *  and scans again offline. Returns the two verdicts. */
async function stallAndScan() {
  const [during, offline] = await sellTickets(2);
  expect(gate.sync.isOnline).toBe(true);
  const seen = statuses.length;
  link.stall();
  // The claim goes out on a socket that will never answer: the gate decides locally, flagged.
  const v1 = await scan(during!.code);
  expect(v1).toMatchObject({ admitted: true, reason: 'ok', confirmation: 'local' });
  // The heartbeat finds the link down although no socket closed.
  await waitFor(() => !gate.sync.isOnline, 60_000, 'the terminal to notice the stalled link');
  expect(statuses.slice(seen).some((s) => !s.online)).toBe(true);
  // Offline, the verdict is local at once: there is no claim to wait for.
  const v2 = await scan(offline!.code);
  expect(v2).toMatchObject({ admitted: true, reason: 'ok', confirmation: 'local' });
  // A second scan of an admitted ticket is refused locally.
  expect((await scan(offline!.code)).reason).toBe('already_used');
  expect(gate.outbox.count()).toBeGreaterThanOrEqual(1);
  return [v1, v2];
}

async function expectOneCheckinPerAdmission() {
  await waitFor(() => gate.sync.isOnline && gate.outbox.count() === 0, 120_000, 'the terminal to reconnect and drain its outbox');
  for (const [ticketId, checkinId] of admitted) {
    const list = await server.admin.listCheckins({ ticketId, limit: 10 });
    expect(list.map((c) => [c.id, c.status])).toEqual([[checkinId, 'accepted']]);
  }
}

describe('a half-open link to the server', () => {
  it('admits confirmed while the link flows', async () => {
    const [t] = await sellTickets(1);
    expect(await scan(t!.code)).toMatchObject({ admitted: true, confirmation: 'confirmed' });
  });

  it('goes offline by its heartbeat, decides locally, and recovers when the link flows again', { timeout: 300_000 }, async () => {
    await stallAndScan();
    link.resume();
    await expectOneCheckinPerAdmission();
    // Online again: a new scan is confirmed by the server.
    const [t] = await sellTickets(1);
    expect(await scan(t!.code)).toMatchObject({ admitted: true, confirmation: 'confirmed' });
  });

  it('recovers when the stalled connection stays dead and only a fresh connection gets through', { timeout: 300_000 }, async () => {
    await stallAndScan();
    const before = link.accepted;
    link.blackhole();
    await expectOneCheckinPerAdmission();
    expect(link.accepted).toBeGreaterThan(before);
    const [t] = await sellTickets(1);
    expect(await scan(t!.code)).toMatchObject({ admitted: true, confirmation: 'confirmed' });
    await expectOneCheckinPerAdmission();
    expect(admitted.size).toBe(7);
  });
});
