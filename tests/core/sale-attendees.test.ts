// A box-office sale with whom the tickets are for and a voucher, through real paths: a core on real
// SQLite paired over HTTP with a server on PGlite. The catalog offers the terminal's events with their
// sessions and says what each type asks of its holders; a real-name ticket without an ID number, or a
// form answer missing, is refused with issues pointing at each field before any money is taken; the
// voucher is previewed from the server without being redeemed; one over its per-order limit is refused
// with nothing redeemed; and a good sale sends both to the server, which stores the holder on the
// ticket and records the discount the order shows.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REQUEST_ID_HEADER } from '../../domain/wire';
import type { CallOutput } from '../../electron/contract';
import { createCore, type Core } from '../../electron/core/core';
import { createServer, type AdmitServer } from '../../server/src/app';
import { openServerDb, type ServerDbHandle } from '../../server/src/db/client';
import { tickets, vouchers } from '../../server/src/db/schema';
import { loginAs } from '../helpers/login';
import { waitFor } from '../helpers/wait';

const quiet = { warn: () => undefined, error: () => undefined };
const ADMIN = 'attendees-admin';
const CASHIER = 'attendees-cashier';
const en = (text: string) => ({ en: text, 'zh-CN': `${text}（中）`, ru: `${text} (ру)` });

type Catalog = CallOutput<'boxOffice.catalog'>;

let work: string;
let db: ServerDbHandle;
let server: AdmitServer;
let serverUrl: string;
let core: Core;
let eventId: string;
let realId: string;
let sessionId: string;
let nightId: string;

async function admin(method: 'POST' | 'PATCH' | 'PUT', path: string, body: unknown): Promise<Record<string, { id: string }>> {
  const res = await fetch(`${serverUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}`, [REQUEST_ID_HEADER]: uuidv7() },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, { id: string }>;
  expect(res.status, JSON.stringify(json)).toBe(200);
  return json;
}

async function catalog(input: { eventId?: string; sessionId?: string } = {}): Promise<Catalog> {
  const r = await core.dispatch(CASHIER, 'boxOffice.catalog', input);
  if (!r.ok) throw new Error(`boxOffice.catalog refused: ${JSON.stringify(r.error)}`);
  return r.value as Catalog;
}
const sell = (input: Record<string, unknown>) =>
  core.dispatch(CASHIER, 'boxOffice.sell', { cartId: uuidv7(), payment: { method: 'cash', tenderedMinor: 1_000_000 }, ...input });
const usedOf = async (code: string) => (await db.db.select().from(vouchers).where(eq(vouchers.code, code)))[0]!.used;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'admit-attendees-'));
  db = await openServerDb();
  server = createServer({ db: db.db, adminToken: ADMIN });
  serverUrl = (await server.listen({ host: '127.0.0.1', port: 0 })).url;
  eventId = (await server.admin.seedDemo({ tickets: 0 })).eventId;
  core = await createCore({ dataDir: join(work, 'till'), migrationsFolder: 'migrations/local', shell: 'service', demo: false, version: 'test', logger: quiet });
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

  realId = (await admin('POST', `/admin/v1/events/${eventId}/ticket-types`, { name: { en: 'Real-name' }, priceMinor: 5000, realName: true, requiredFields: ['phone'] })).ticketType!.id;
  await admin('PUT', `/admin/v1/ticket-types/${realId}/form`, {
    fields: [{ key: 'diet', kind: 'choice', label: en('Diet'), required: true, options: [{ value: 'none', label: en('None') }, { value: 'vegan', label: en('Vegan') }] }],
  });
  const now = Date.now();
  sessionId = (await admin('POST', `/admin/v1/events/${eventId}/sessions`, {
    name: { en: 'Night' },
    startsAt: new Date(now + 3_600_000).toISOString(),
    endsAt: new Date(now + 7_200_000).toISOString(),
  })).session!.id;
  nightId = (await admin('POST', `/admin/v1/events/${eventId}/ticket-types`, { name: { en: 'Night ticket' }, priceMinor: 1500, sessionId })).ticketType!.id;
  await admin('POST', `/admin/v1/events/${eventId}/vouchers`, { code: 'HALF', kind: 'percent', value: 50, ticketTypeIds: [realId], maxPerOrder: 1, maxUses: 5 });
  await waitFor(
    async () => {
      const c = await catalog();
      return c.ticketTypes.some((t) => t.id === realId && t.hasForm === true) && c.ticketTypes.some((t) => t.id === nightId);
    },
    60_000,
    'the real-name type with its form and the session type',
  );
}, 300_000);

afterAll(async () => {
  await core?.close().catch(() => undefined);
  await server?.close();
  await db?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the catalog by event and session', () => {
  it('lists the events with their sessions, filters by session and says what each type asks of its holders', async () => {
    const all = await catalog();
    expect(all.events?.map((e) => e.id)).toEqual([eventId]);
    expect(all.events?.[0]?.sessions).toEqual([expect.objectContaining({ id: sessionId, name: { en: 'Night' }, active: true })]);
    expect(all.ticketTypes.find((t) => t.id === realId)).toMatchObject({ realName: true, requiredFields: ['phone'], hasForm: true, saleState: 'on_sale' });
    const night = await catalog({ eventId, sessionId });
    expect(night.sessionId).toBe(sessionId);
    // The session's own types and the whole-event ones.
    expect(night.ticketTypes.map((t) => t.id)).toContain(nightId);
    expect(night.ticketTypes.every((t) => t.sessionId === null || t.sessionId === sessionId)).toBe(true);
    const unknown = await core.dispatch(CASHIER, 'boxOffice.catalog', { sessionId: uuidv7() });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});

describe('a sale with attendee details and a voucher', () => {
  it('refuses a real-name ticket without its details, each field pointed at, before any money is taken', async () => {
    const r = await sell({ lines: [{ ticketTypeId: realId, quantity: 1 }] });
    expect(r).toMatchObject({ ok: false, error: { code: 'attendee_field_required' } });
    const paths = (r.ok ? [] : (r.error.issues ?? [])).map((i) => i.path).sort();
    expect(paths).toEqual([`${realId}/0/answers.diet`, `${realId}/0/idNumber`, `${realId}/0/name`, `${realId}/0/phone`]);
    const bad = await sell({
      lines: [{ ticketTypeId: realId, quantity: 1 }],
      attendees: [{ ticketTypeId: realId, index: 0, name: 'Anna', phone: 'nope', idNumber: 'X1234567', answers: { diet: 'none' } }],
    });
    expect(bad).toMatchObject({ ok: false, error: { code: 'attendee_field_invalid', issues: [{ path: `${realId}/0/phone`, message: 'bad_phone' }] } });
    const attention = await core.dispatch(CASHIER, 'boxOffice.attention', {});
    expect(attention).toMatchObject({ ok: true, value: { sales: [] } });
  });

  it('previews a voucher from the server without redeeming it', async () => {
    const over = await core.dispatch(CASHIER, 'boxOffice.voucher', { code: ' half ', lines: [{ ticketTypeId: realId, quantity: 2 }] });
    expect(over).toMatchObject({ ok: true, value: { code: 'HALF', problem: 'voucher_over_order_limit', pricing: null, maxPerOrder: 1, usesLeft: 5 } });
    const one = await core.dispatch(CASHIER, 'boxOffice.voucher', { code: 'HALF', lines: [{ ticketTypeId: realId, quantity: 1 }] });
    expect(one).toMatchObject({ ok: true, value: { problem: null, kind: 'percent', value: 50, pricing: { subtotalMinor: 5000, discountMinor: 2500, totalMinor: 2500 } } });
    const none = await core.dispatch(CASHIER, 'boxOffice.voucher', { code: 'NOSUCH' });
    expect(none).toMatchObject({ ok: true, value: { problem: 'voucher_unknown', kind: null } });
    expect(await usedOf('HALF')).toBe(0);
  });

  const holder = (index: number, name: string) => ({ ticketTypeId: realId, index, name, phone: '+49 151 1234 5678', idNumber: `L01X00T4${index}`, answers: { diet: 'vegan' } });

  it('refuses a voucher over its per-order limit with a clear code, nothing redeemed or sold', async () => {
    const r = await sell({ lines: [{ ticketTypeId: realId, quantity: 2 }], voucherCode: 'half', attendees: [holder(0, 'Anna'), holder(1, 'Boris')] });
    expect(r).toMatchObject({ ok: false, error: { code: 'voucher_over_order_limit' } });
    expect(await usedOf('HALF')).toBe(0);
    expect(await db.db.$count(tickets, eq(tickets.ticketTypeId, realId))).toBe(0);
  });

  it('sells with both: the server stores the holder on the ticket and the order records the discount', async () => {
    const r = await sell({
      lines: [{ ticketTypeId: realId, quantity: 1 }, { ticketTypeId: nightId, quantity: 1 }],
      voucherCode: ' Half',
      attendees: [holder(0, 'Анна Иванова')],
      payment: { method: 'cash', tenderedMinor: 5000 },
    });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    const { order } = (r as { value: CallOutput<'boxOffice.sell'> }).value;
    expect(order).toMatchObject({ subtotalMinor: 6500, discountMinor: 2500, totalMinor: 4000, voucherCode: 'HALF', tenderedMinor: 5000, changeMinor: 1000 });
    expect(order.tickets.map((t) => [t.ticketTypeId, t.priceMinor]).sort()).toEqual([[nightId, 1500], [realId, 2500]].sort());
    expect(await usedOf('HALF')).toBe(1);
    const [stored] = await db.db.select().from(tickets).where(eq(tickets.ticketTypeId, realId));
    expect(stored).toMatchObject({ attendeeName: 'Анна Иванова', phoneLast4: '5678', answers: { diet: 'vegan' } });
    expect(stored!.idHash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('attendee details on the terminal', () => {
  it('are not kept with a settled sale', async () => {
    const { PendingSaleStore } = await import('../../electron/core/box-office/pending-sales');
    const { openLocalDb } = await import('../../electron/core/db/open');
    const store = new PendingSaleStore(openLocalDb(':memory:', 'migrations/local').$client);
    const orderId = uuidv7();
    const attendees = [{ ticketTypeId: realId, index: 0, name: 'Anna', idNumber: 'L01X00T47' }];
    const request = { orderId, eventId, lines: [{ ticketTypeId: realId, quantity: 1 }], payment: { method: 'cash' as const, amountMinor: 5000 }, attendees };
    store.begin({ request, tenderedMinor: 5000, changeMinor: 0, operatorId: 'op' }, new Date().toISOString());
    expect(store.get(orderId)!.request.attendees).toEqual(attendees);
    store.recorded(
      { id: orderId, code: 'O1', eventId, totalMinor: 5000, currency: 'EUR', paymentMethod: 'cash', tenderedMinor: 5000, changeMinor: 0, createdAt: new Date().toISOString(), tickets: [] },
      new Date().toISOString(),
    );
    expect(store.get(orderId)!.request.attendees).toBeUndefined();
    const failedId = uuidv7();
    store.begin({ request: { ...request, orderId: failedId }, tenderedMinor: 5000, changeMinor: 0, operatorId: 'op' }, new Date().toISOString());
    store.failed(failedId, 'sold_out', new Date().toISOString());
    expect(store.get(failedId)!.request.attendees).toBeUndefined();
  });
});
