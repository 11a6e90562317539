// The box office's catalog after the organizer edits ticket types at the server, through real paths: a
// core on real SQLite (its own clock six hours behind) paired over HTTP with a server on PGlite. Types
// edited, added, switched off, limited to another channel or grouped under a quota at the server show at
// the terminal after sync: on sale now by SERVER time, "not yet on sale" and "sale ended" apart from
// them, available as the least of the type's and its quota's stock, "sold out" once the quota is, a type
// of a switched-off session off sale, and a cart the synced rules forbid is refused before any money is
// taken.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REQUEST_ID_HEADER } from '../../domain/wire';
import type { CallOutput } from '../../electron/contract';
import { createCore, type Core } from '../../electron/core/core';
import { createServer, type AdmitServer } from '../../server/src/app';
import { openServerDb, type ServerDbHandle } from '../../server/src/db/client';
import { loginAs } from '../helpers/login';
import { waitFor } from '../helpers/wait';

const quiet = { warn: () => undefined, error: () => undefined };
const ADMIN = 'catalog-admin';
const CASHIER = 'catalog-cashier';
const HOUR = 3_600_000;
const SKEW_MS = -6 * HOUR;
const DAY_PASS = '01900000-0000-7000-8000-00000000d101';
const WEEKEND = '01900000-0000-7000-8000-00000000d102';
const CHILD = '01900000-0000-7000-8000-00000000d103';

type Catalog = CallOutput<'boxOffice.catalog'>;

let work: string;
let db: ServerDbHandle;
let server: AdmitServer;
let serverUrl: string;
let core: Core;
let eventId: string;

async function admin(method: 'POST' | 'PATCH', path: string, body: unknown): Promise<{ id: string }> {
  const res = await fetch(`${serverUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}`, [REQUEST_ID_HEADER]: uuidv7() },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, { id: string }>;
  expect(res.status, JSON.stringify(json)).toBe(200);
  return Object.values(json)[0]!;
}

async function catalog(): Promise<Catalog> {
  const r = await core.dispatch(CASHIER, 'boxOffice.catalog', {});
  if (!r.ok) throw new Error(`boxOffice.catalog refused: ${JSON.stringify(r.error)}`);
  return r.value as Catalog;
}

/** Waits until the terminal's catalog satisfies `ok` (sync pulls on the server's poke). */
async function catalogWhen(ok: (c: Catalog) => boolean, what: string): Promise<Catalog> {
  let last: Catalog | undefined;
  await waitFor(
    async () => {
      last = await catalog();
      return ok(last);
    },
    60_000,
    what,
  );
  return last!;
}

const typeIn = (c: Catalog, id: string) => c.ticketTypes.find((t) => t.id === id) ?? c.offSale?.find((t) => t.id === id);
const sell = (ticketTypeId: string, quantity: number) =>
  core.dispatch(CASHIER, 'boxOffice.sell', { cartId: uuidv7(), lines: [{ ticketTypeId, quantity }], payment: { method: 'cash', tenderedMinor: 1_000_000 } });

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'admit-catalog-'));
  db = await openServerDb();
  server = createServer({ db, adminToken: ADMIN });
  serverUrl = (await server.listen({ host: '127.0.0.1', port: 0 })).url;
  eventId = (await server.admin.seedDemo({ tickets: 0 })).eventId;
  core = await createCore({
    dataDir: join(work, 'till'),
    migrationsFolder: 'migrations/local',
    shell: 'service',
    demo: false,
    version: 'test',
    logger: quiet,
    localClock: () => Date.now() + SKEW_MS,
  });
  const { code } = await server.admin.createPairingCode();
  expect(await core.dispatch('setup', 'terminal.pair', { serverUrl, code, terminalName: 'Till' })).toMatchObject({ ok: true });
  await waitFor(() => core.sync.isOnline, 60_000, 'the till to be online');
  await waitFor(
    async () => {
      const r = await core.dispatch('x', 'session.operators', {});
      return r.ok && (r.value as { role: string }[]).some((o) => o.role === 'cashier');
    },
    60_000,
    'the operators to sync',
  );
  expect(await loginAs(core, CASHIER, { role: 'cashier' }, '111111')).toMatchObject({ ok: true });
  await catalogWhen((c) => c.ticketTypes.length === 3, 'the demo catalog');
}, 300_000);

afterAll(async () => {
  await core?.close().catch(() => undefined);
  await server?.close();
  await db?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the box-office catalog follows the server', () => {
  let floorA: string;
  let floorB: string;
  let switchedOff: string;
  let kioskOnly: string;

  it('shows what is on sale now by server time, with windows, channels and quota availability', async () => {
    const now = Date.now();
    await admin('PATCH', `/admin/v1/ticket-types/${DAY_PASS}`, { saleStartsAt: new Date(now + 24 * HOUR).toISOString() });
    await admin('PATCH', `/admin/v1/ticket-types/${CHILD}`, { saleEndsAt: new Date(now - HOUR).toISOString() });
    // Open now by the server's clock; by this terminal's own clock (six hours behind) not yet.
    await admin('PATCH', `/admin/v1/ticket-types/${WEEKEND}`, { saleStartsAt: new Date(now - HOUR).toISOString(), saleEndsAt: new Date(now + 2 * HOUR).toISOString() });
    switchedOff = (await admin('POST', `/admin/v1/events/${eventId}/ticket-types`, { name: { en: 'Off' }, priceMinor: 100, active: false })).id;
    kioskOnly = (await admin('POST', `/admin/v1/events/${eventId}/ticket-types`, { name: { en: 'Kiosk' }, priceMinor: 200, channels: ['kiosk'] })).id;
    floorA = (await admin('POST', `/admin/v1/events/${eventId}/ticket-types`, { name: { en: 'Floor A' }, priceMinor: 3000, capacity: 10, maxPerOrder: 2 })).id;
    floorB = (await admin('POST', `/admin/v1/events/${eventId}/ticket-types`, { name: { en: 'Floor B' }, priceMinor: 2000 })).id;
    await admin('POST', `/admin/v1/events/${eventId}/quotas`, { name: { en: 'Floor' }, capacity: 3, ticketTypeIds: [floorA, floorB] });

    const c = await catalogWhen((cat) => typeIn(cat, floorB)?.available === 3, 'the edited catalog');
    expect(c.ticketTypes.map((t) => [t.id, t.saleState, t.available])).toEqual([
      [WEEKEND, 'on_sale', 200],
      [floorA, 'on_sale', 3],
      [floorB, 'on_sale', 3],
    ]);
    expect(typeIn(c, floorA)).toMatchObject({ maxPerOrder: 2, saleStartsAt: null, saleEndsAt: null, sessionId: null });
    expect(typeIn(c, WEEKEND)).toMatchObject({ saleStartsAt: new Date(now - HOUR).toISOString(), saleEndsAt: new Date(now + 2 * HOUR).toISOString() });
    expect((c.offSale ?? []).map((t) => [t.id, t.saleState])).toEqual([
      [DAY_PASS, 'not_yet_on_sale'],
      [CHILD, 'sale_ended'],
    ]);
    // Switched off, or not for the box office: not offered at all.
    expect(typeIn(c, switchedOff)).toBeUndefined();
    expect(typeIn(c, kioskOnly)).toBeUndefined();
  });

  it('counts a sale against the shared quota and shows the quota sold out', async () => {
    const sold = await sell(floorA, 2);
    expect(sold).toMatchObject({ ok: true });
    let c = await catalogWhen((cat) => typeIn(cat, floorB)?.available === 1, 'the quota to count the sale');
    expect([typeIn(c, floorA)?.available, typeIn(c, floorB)?.available]).toEqual([1, 1]);

    expect(await sell(floorB, 1)).toMatchObject({ ok: true });
    c = await catalogWhen((cat) => typeIn(cat, floorA)?.available === 0, 'the quota to sell out');
    expect([typeIn(c, floorA), typeIn(c, floorB)].map((t) => [t?.saleState, t?.available])).toEqual([
      ['sold_out', 0],
      ['sold_out', 0],
    ]);

    // The organizer raises the quota: the types are on sale again, each bounded by its own stock too.
    await admin('PATCH', `/admin/v1/quotas/${(await quotaId())}`, { capacity: 100 });
    c = await catalogWhen((cat) => typeIn(cat, floorA)?.available === 8, 'the raised quota');
    expect([typeIn(c, floorA)?.available, typeIn(c, floorB)?.available]).toEqual([8, 97]);
  });

  it('refuses, before taking any money, a cart the synced rules forbid', async () => {
    const refused = await sell(DAY_PASS, 1);
    expect(refused).toMatchObject({ ok: false, error: { code: 'not_on_sale' } });
    expect(JSON.stringify(refused)).toContain('not_on_sale');
    const tooMany = await sell(floorA, 3);
    expect(tooMany).toMatchObject({ ok: false, error: { code: 'over_order_limit' } });
    const switched = await sell(switchedOff, 1);
    expect(switched).toMatchObject({ ok: false, error: { code: 'not_on_sale' } });
    // Nothing was sent: no sale waits for the server or for the cashier.
    const attention = await core.dispatch(CASHIER, 'boxOffice.attention', {});
    expect(attention).toMatchObject({ ok: true, value: { sales: [] } });
    const c = await catalog();
    expect(typeIn(c, DAY_PASS)?.available).toBe(200);
    expect(typeIn(c, floorA)?.available).toBe(8);
  });

  it('shows the types of a session switched off at the server off sale, and refuses their cart before taking money', async () => {
    const now = Date.now();
    const session = await admin('POST', `/admin/v1/events/${eventId}/sessions`, {
      name: { en: 'Late show' },
      startsAt: new Date(now + HOUR).toISOString(),
      endsAt: new Date(now + 3 * HOUR).toISOString(),
    });
    const lateShow = (await admin('POST', `/admin/v1/events/${eventId}/ticket-types`, { name: { en: 'Late show' }, priceMinor: 700, sessionId: session.id })).id;
    let c = await catalogWhen((cat) => cat.ticketTypes.some((t) => t.id === lateShow), 'the session type on sale');
    expect(typeIn(c, lateShow)).toMatchObject({ saleState: 'on_sale', sessionId: session.id });

    await admin('PATCH', `/admin/v1/sessions/${session.id}`, { active: false });
    c = await catalogWhen((cat) => typeIn(cat, lateShow)?.saleState === 'session_inactive', 'the switched-off session to sync');
    expect(c.ticketTypes.map((t) => t.id)).not.toContain(lateShow);
    expect(c.offSale?.map((t) => t.id)).toContain(lateShow);
    const refused = await sell(lateShow, 1);
    expect(refused).toMatchObject({ ok: false, error: { code: 'not_on_sale' } });
    // The terminal's own refusal names the type (the server's would name only the code).
    expect(JSON.stringify(refused)).toContain(`session_inactive: ${lateShow}`);
    // Refused at the terminal: nothing was sent, so nothing waits for the server or the cashier.
    expect(await core.dispatch(CASHIER, 'boxOffice.attention', {})).toMatchObject({ ok: true, value: { sales: [] } });

    await admin('PATCH', `/admin/v1/sessions/${session.id}`, { active: true });
    await catalogWhen((cat) => typeIn(cat, lateShow)?.saleState === 'on_sale', 'the session on again');
    expect(await sell(lateShow, 1)).toMatchObject({ ok: true });
  });
});

async function quotaId(): Promise<string> {
  const res = await fetch(`${serverUrl}/admin/v1/events/${eventId}`, { headers: { authorization: `Bearer ${ADMIN}` } });
  const json = (await res.json()) as { event: { quotas: { id: string }[] } };
  return json.event.quotas[0]!.id;
}
