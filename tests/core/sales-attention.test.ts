// Sales left in flight, as the cashier is told of them, through real paths: a core on real SQLite paired
// over HTTP with a server on PGlite, through a proxy that loses order traffic on purpose. A sale whose
// reply is lost is completed by the recovery (no printer here: its printing failed) and a sale whose
// request never arrived, while the link is down, waits for the server; the ticket type is then sold
// out by another device, and when the link comes back the recovery gets it refused. The cashier's list
// says each state with its money, the bridge event announces what the recovery settled, a pending sale
// cannot be closed, acknowledging takes a settled sale off the list and is chained in the audit trail,
// and an unknown order id, a second acknowledgment and a gate operator are refused with nothing changed.
// A sale completed later whose cart the cashier sells again needs no acknowledgment: they see it then.
import { mkdtempSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REQUEST_ID_HEADER } from '../../domain/wire';
import type { AttentionSale, CallOutput, EventPayload } from '../../electron/contract';
import { createCore, type Core } from '../../electron/core/core';
import { createServer, type AdmitServer } from '../../server/src/app';
import { openServerDb, type ServerDbHandle } from '../../server/src/db/client';
import { loginAs } from '../helpers/login';
import { startOrderLink, type OrderLink } from '../helpers/order-link';
import { openTerminalDb } from '../helpers/terminal-db';
import { waitFor } from '../helpers/wait';

const quiet = { warn: () => undefined, error: () => undefined };
const CASHIER = 'attention-cashier';
const GATE = 'attention-gate';

let work: string;
let db: ServerDbHandle;
let server: AdmitServer;
let serverUrl: string;
let link: OrderLink;
let core: Core;
const settled: EventPayload<'boxOffice.salesSettled'>[] = [];

type Catalog = CallOutput<'boxOffice.catalog'>;
let catalog: Catalog;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'admit-attention-'));
  db = await openServerDb();
  server = createServer({ db, adminToken: 'attention-admin' });
  serverUrl = (await server.listen({ host: '127.0.0.1', port: 0 })).url;
  await server.admin.seedDemo({ tickets: 5 });
  link = await startOrderLink(Number(new URL(serverUrl).port));

  core = await createCore({
    dataDir: join(work, 'till'),
    migrationsFolder: 'migrations/local',
    shell: 'service',
    demo: false,
    version: 'test',
    logger: quiet,
    audit: { retryMs: 100 },
  });
  core.events.on('event', (e) => {
    if (e.name === 'boxOffice.salesSettled') settled.push(e.payload as EventPayload<'boxOffice.salesSettled'>);
  });
  const { code } = await server.admin.createPairingCode();
  expect(await core.dispatch('setup', 'terminal.pair', { serverUrl: link.url, code, terminalName: 'Till 1' })).toMatchObject({ ok: true });
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
  expect(await loginAs(core, GATE, { role: 'gate' }, '222222')).toMatchObject({ ok: true });
  await waitFor(
    async () => {
      const r = await core.dispatch(CASHIER, 'boxOffice.catalog', {});
      if (!r.ok) return false;
      catalog = r.value as Catalog;
      return catalog.ticketTypes.length > 0;
    },
    60_000,
    'the catalog to sync',
  );
}, 300_000);

afterAll(async () => {
  await core?.close().catch(() => undefined);
  await link?.close();
  await server?.close();
  await db?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

const attention = async (session = CASHIER) => core.dispatch(session, 'boxOffice.attention', {});
const list = async (): Promise<AttentionSale[]> => {
  const r = await attention();
  if (!r.ok) throw new Error(`boxOffice.attention refused: ${JSON.stringify(r.error)}`);
  return (r.value as { sales: AttentionSale[] }).sales;
};
const acknowledge = (orderId: string, session = CASHIER) => core.dispatch(session, 'boxOffice.acknowledge', { orderId });
const sell = (cartId: string, ticketTypeId: string, quantity: number, tenderedMinor: number) =>
  core.dispatch(CASHIER, 'boxOffice.sell', { cartId, lines: [{ ticketTypeId, quantity }], payment: { method: 'cash', tenderedMinor } });
const row = (orderId: string) => {
  const t = openTerminalDb(join(work, 'till'));
  try {
    return t.prepare('select state, recovered_at as recoveredAt, acknowledged_at as acknowledgedAt, acknowledged_by as acknowledgedBy from pending_sales where order_id = ?').get(orderId) as
      | { state: string; recoveredAt: string | null; acknowledgedAt: string | null; acknowledgedBy: string | null }
      | undefined;
  } finally {
    t.close();
  }
};
const auditRows = (action: string) => {
  const t = openTerminalDb(join(work, 'till'));
  try {
    return t.prepare('select operator_id as operatorId, subject, detail from audit_log where action = ? order by seq').all(action) as {
      operatorId: string | null;
      subject: string | null;
      detail: string;
    }[];
  } finally {
    t.close();
  }
};

/** Another device sells every seat of a ticket type left at the server, over its own HTTP link. */
async function sellOut(ticketTypeId: string, priceMinor: number): Promise<number> {
  const { code } = await server.admin.createPairingCode();
  const paired = await fetch(`${serverUrl}/v1/pair`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [REQUEST_ID_HEADER]: uuidv7() },
    body: JSON.stringify({ code, name: 'Other till' }),
  });
  expect(paired.status).toBe(200);
  const { token } = (await paired.json()) as { token: string };
  let sold = 0;
  for (let quantity = 50; quantity >= 1; ) {
    const res = await fetch(`${serverUrl}/v1/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, [REQUEST_ID_HEADER]: uuidv7() },
      body: JSON.stringify({
        orderId: randomUUID(),
        eventId: catalog.event!.id,
        lines: [{ ticketTypeId, quantity }],
        payment: { method: 'cash', amountMinor: priceMinor * quantity },
      }),
    });
    if (res.ok) sold += quantity;
    else {
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('sold_out');
      quantity = Math.floor(quantity / 2);
    }
  }
  return sold;
}

describe('sales that need the cashier', () => {
  const completed = randomUUID();
  const refused = randomUUID();

  it('lists a sale whose reply was lost as completed later by the recovery, its printing failed, and announces it', async () => {
    expect(await list()).toEqual([]);
    const type = catalog.ticketTypes[0]!;
    link.dropNextOrderReply();
    const first = await sell(completed, type.id, 2, type.priceMinor * 2 + 500);
    expect(first).toMatchObject({ ok: false, error: { code: 'offline', detail: 'outcome_unknown' } });
    expect(link.dropped).toBe(1);

    await waitFor(() => settled.some((e) => e.sales.some((s) => s.orderId === completed)), 60_000, 'the recovery to settle the sale');
    expect(settled.flatMap((e) => e.sales)).toEqual([{ orderId: completed, state: 'done_on_recovery' }]);
    const [sale] = await list();
    expect(sale).toMatchObject({
      orderId: completed,
      state: 'done_on_recovery',
      operatorName: 'Cashier',
      lines: [{ ticketTypeId: type.id, quantity: 2, ticketTypeName: type.name }],
      totalMinor: type.priceMinor * 2,
      currency: type.currency,
      paymentMethod: 'cash',
      tenderedMinor: type.priceMinor * 2 + 500,
      changeMinor: 500,
      print: { state: 'failed', reason: 'no_printer' },
      error: null,
    });
    expect(sale!.orderCode).toMatch(/\S/);
    expect(sale!.settledAt).not.toBeNull();
    expect(auditRows('sale_recovered').map((r) => [r.subject, JSON.parse(r.detail).outcome])).toEqual([[completed, 'done_on_recovery']]);
  }, 300_000);

  it('lists a sale whose request never arrived as waiting for the server, which cannot be closed yet', async () => {
    const type = catalog.ticketTypes[1] ?? catalog.ticketTypes[0]!;
    link.dropNextOrderRequestAndGoDown();
    const first = await sell(refused, type.id, 2, type.priceMinor * 2);
    expect(first).toMatchObject({ ok: false, error: { code: 'offline', detail: 'outcome_unknown' } });
    expect(link.isDown).toBe(true);
    await waitFor(() => !core.sync.isOnline, 60_000, 'the till to notice the link is down');

    const sales = await list();
    expect(sales.map((s) => [s.orderId, s.state])).toEqual([
      [completed, 'done_on_recovery'],
      [refused, 'pending'],
    ]);
    expect(sales[1]).toMatchObject({ totalMinor: type.priceMinor * 2, tenderedMinor: type.priceMinor * 2, print: null, error: null, settledAt: null, orderCode: null });

    const before = row(refused);
    expect(await acknowledge(refused)).toMatchObject({ ok: false, error: { code: 'sale_pending' } });
    expect(row(refused)).toEqual(before);
  }, 300_000);

  it('lists it as refused, with the money to hand back, once the server refuses it on recovery', async () => {
    const type = catalog.ticketTypes[1] ?? catalog.ticketTypes[0]!;
    expect(await sellOut(type.id, type.priceMinor)).toBeGreaterThan(0);
    link.up();
    await waitFor(() => settled.some((e) => e.sales.some((s) => s.orderId === refused)), 60_000, 'the recovery to settle the refused sale');
    expect(settled.flatMap((e) => e.sales)).toEqual([
      { orderId: completed, state: 'done_on_recovery' },
      { orderId: refused, state: 'failed' },
    ]);
    const sale = (await list()).find((s) => s.orderId === refused);
    expect(sale).toMatchObject({ state: 'failed', totalMinor: type.priceMinor * 2, error: { code: 'sold_out', serverCode: null }, print: null, orderCode: null });
    expect(auditRows('sale_recovered').map((r) => [r.subject, JSON.parse(r.detail).outcome, JSON.parse(r.detail).error])).toEqual([
      [completed, 'done_on_recovery', null],
      [refused, 'failed', 'sold_out'],
    ]);
  }, 300_000);

  it('refuses a gate operator, with nothing changed', async () => {
    expect(await attention(GATE)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const before = row(refused);
    expect(await acknowledge(refused, GATE)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(row(refused)).toEqual(before);
    expect(before!.acknowledgedAt).toBeNull();
  });

  it('takes an acknowledged sale off the list, records who did it in the audit trail, and refuses a second acknowledgment', async () => {
    const cashierId = (await core.dispatch(CASHIER, 'session.current', {})) as { ok: true; value: { operatorId: string } };
    const ack = await acknowledge(refused);
    expect(ack).toMatchObject({ ok: true, value: { orderId: refused, state: 'failed', currency: catalog.ticketTypes[0]!.currency } });
    expect((await list()).map((s) => s.orderId)).toEqual([completed]);
    const stored = row(refused)!;
    expect(stored).toMatchObject({ state: 'failed', acknowledgedBy: cashierId.value.operatorId });
    expect(stored.acknowledgedAt).not.toBeNull();

    expect(await acknowledge(refused)).toMatchObject({ ok: false, error: { code: 'already_acknowledged' } });
    expect(row(refused)).toEqual(stored);

    // Every attempt is in the trail with who made it and how it ended: the refusals above too.
    const gateId = ((await core.dispatch(GATE, 'session.current', {})) as { ok: true; value: { operatorId: string } }).value.operatorId;
    const entries = auditRows('sale_acknowledged');
    expect(entries.map((e) => [e.subject, e.operatorId, JSON.parse(e.detail).result])).toEqual([
      [refused, cashierId.value.operatorId, 'sale_pending'],
      [refused, gateId, 'forbidden'],
      [refused, cashierId.value.operatorId, 'ok'],
      [refused, cashierId.value.operatorId, 'already_acknowledged'],
    ]);
    const type = catalog.ticketTypes[1] ?? catalog.ticketTypes[0]!;
    expect(JSON.parse(entries[2]!.detail)).toMatchObject({ state: 'failed', totalMinor: type.priceMinor * 2, currency: type.currency });

    expect(await acknowledge(completed)).toMatchObject({ ok: true, value: { state: 'done_on_recovery' } });
    expect(await list()).toEqual([]);
  });

  it('needs no acknowledgment for a sale completed later whose cart the cashier sells again: they see the order then', async () => {
    const cart = randomUUID();
    const type = catalog.ticketTypes[0]!;
    link.dropNextOrderReply();
    expect(await sell(cart, type.id, 1, type.priceMinor)).toMatchObject({ ok: false, error: { detail: 'outcome_unknown' } });
    await waitFor(() => settled.some((e) => e.sales.some((s) => s.orderId === cart)), 60_000, 'the recovery to settle the sale');
    expect((await list()).map((s) => [s.orderId, s.state])).toEqual([[cart, 'done_on_recovery']]);
    expect(await sell(cart, type.id, 1, type.priceMinor)).toMatchObject({ ok: true, value: { order: { id: cart } } });
    expect(await list()).toEqual([]);
    expect(row(cart)).toMatchObject({ state: 'done', acknowledgedBy: expect.any(String) });
  }, 300_000);

  it('refuses an unknown order id and a malformed one, with nothing changed', async () => {
    const unknown = randomUUID();
    expect(await acknowledge(unknown)).toMatchObject({ ok: false, error: { code: 'unknown_sale' } });
    expect(row(unknown)).toBeUndefined();
    expect(await core.dispatch(CASHIER, 'boxOffice.acknowledge', { orderId: 'not-an-id' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await list()).toEqual([]);
  });
});
