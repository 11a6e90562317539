// Rotating (time-based) codes at a gate whose own clock is five minutes behind, through the real path
// (server on PGlite over TCP and WebSocket, terminal core on SQLite): the terminal learns the server's
// clock and judges a code by it, so a code the attendee's phone made just now (on true time) is admitted
// and one made five minutes ago — which the terminal's own clock would take for fresh — is refused as
// expired. Online and offline alike, once the offset is learned.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rotatingCode } from '../../domain/codes';
import { createCore, type Core } from '../../electron/core/core';
import { resolveCode } from '../../electron/core/gate/validation';
import { CLOCK_OFF_THRESHOLD_MS } from '../../electron/core/sync/clock';
import { createServer, type AdmitServer } from '../../server/src/app';
import { openServerDb, type ServerDbHandle } from '../../server/src/db/client';
import { waitFor } from '../helpers/wait';

const quiet = { warn: () => undefined, error: () => undefined };
/** The gate's own clock is this far off (behind). Far more than the one step either side a code may be. */
const SKEW_MS = -5 * 60_000;
const PERIOD_S = 15;
let work: string;
let db: ServerDbHandle;
let server: AdmitServer;
let gate: Core;
let eventId: string;
let typeId: string;

async function sellOne() {
  const res = await gate.sync.createOrder({ orderId: v7(), eventId, lines: [{ ticketTypeId: typeId, quantity: 1 }], payment: { method: 'cash', amountMinor: 100_000 } });
  const t = res.tickets[0]!;
  await waitFor(() => gate.cache.ticketById(t.id)?.rotatingSecret != null, 30_000, 'rotating secret to sync');
  return { id: t.id, secret: Buffer.from(gate.cache.ticketById(t.id)!.rotatingSecret!, 'base64') };
}

/** What the attendee's phone shows, on true time, `agoMs` ago. */
const shown = (t: { id: string; secret: Buffer }, agoMs = 0) => rotatingCode(t.secret, t.id, Date.now() - agoMs, PERIOD_S);

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'admit-rotating-skew-'));
  db = await openServerDb({});
  server = createServer({ db, dataDir: join(work, 'server') });
  const url = (await server.listen({ host: '127.0.0.1', port: 0 })).url;
  const event = await server.admin.createEvent({
    name: { en: 'Rotating' },
    startsAt: new Date(Date.now() - 86_400_000).toISOString(),
    endsAt: new Date(Date.now() + 2 * 86_400_000).toISOString(),
    timezone: 'UTC',
    currency: 'EUR',
    rotationPeriodS: PERIOD_S,
    ticketTypes: [{ name: { en: 'Phone' }, priceMinor: 100 }],
  });
  eventId = event.id;
  typeId = event.ticketTypes[0]!.id;
  const pointId = (await server.admin.createPoint(eventId, { name: { en: 'Phone gate' } })).id;
  gate = await createCore({
    dataDir: join(work, 'gate'),
    migrationsFolder: 'migrations/local',
    shell: 'service',
    demo: false,
    version: 't',
    logger: quiet,
    localClock: () => Date.now() + SKEW_MS,
  });
  await gate.sync.pair(url, (await server.admin.createPairingCode()).code, 'Skewed gate');
  gate.sync.start();
  await gate.sync.pull();
  await waitFor(() => gate.sync.isOnline, 30_000, 'gate online');
  await waitFor(() => gate.cache.point(pointId) !== undefined, 30_000, 'point to sync');
  gate.gate.setPoint(pointId);
}, 300_000);

afterAll(async () => {
  await gate?.close();
  await server?.close();
  await db?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('rotating codes at a gate whose clock is five minutes behind', () => {
  it('has learned the server clock', () => {
    expect(gate.sync.status().clockOff).toBe(true);
    expect(Math.abs(gate.sync.clock.nowMs() - Date.now())).toBeLessThan(CLOCK_OFF_THRESHOLD_MS);
  });

  it('admits a code made just now on true time, which its own clock would call expired', async () => {
    const t = await sellOne();
    const code = shown(t);
    // By the terminal's raw clock this code is from five minutes in the future: the test means something.
    expect(resolveCode(gate.cache, code, gate.sync.clock.localMs())).toMatchObject({ ok: false, reason: 'expired' });
    expect(await gate.gate.scan(code, null)).toMatchObject({ admitted: true, reason: 'ok', confirmation: 'confirmed', ticketId: t.id });
  });

  it('refuses as expired a code made five minutes ago, which its own clock would call fresh', async () => {
    const t = await sellOne();
    const stale = shown(t, -SKEW_MS);
    expect(resolveCode(gate.cache, stale, gate.sync.clock.localMs())).toMatchObject({ ok: true });
    expect(await gate.gate.scan(stale, null)).toMatchObject({ admitted: false, reason: 'expired' });
    // The same ticket's current code still admits.
    expect(await gate.gate.scan(shown(t), null)).toMatchObject({ admitted: true, reason: 'ok' });
  });

  it('judges by the learned server time while offline too', async () => {
    const fresh = await sellOne();
    const old = await sellOne();
    await gate.sync.stop();
    expect(gate.sync.isOnline).toBe(false);
    expect(await gate.gate.scan(shown(old, -SKEW_MS), null)).toMatchObject({ admitted: false, reason: 'expired' });
    expect(await gate.gate.scan(shown(fresh), null)).toMatchObject({ admitted: true, reason: 'ok', confirmation: 'local' });
    // Back online, the local admission reaches the server, stamped in server time.
    gate.sync.start();
    await waitFor(() => gate.sync.isOnline && gate.outbox.count() === 0, 60_000, 'outbox to drain');
    const [checkin] = await server.admin.listCheckins({ ticketId: fresh.id, limit: 10 });
    expect(checkin).toMatchObject({ status: 'accepted' });
    expect(Math.abs(Date.parse(checkin!.at) - Date.now())).toBeLessThan(CLOCK_OFF_THRESHOLD_MS);
  });
});
