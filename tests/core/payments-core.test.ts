// Payments wired into the terminal's core, for real: the central server on PGlite, the core on SQLite
// paired over HTTP, a simulated ZVT card terminal and a simulated QR provider on 127.0.0.1. A split of
// card on the terminal and cash sells, and the server keeps its parts; a QR sale shows its QR in a
// boxOffice.paymentPrompt event; a card terminal that never answers is payment_timeout with no order
// made and the cash part voided; a sale by a method this terminal lacks is refused.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startQrPaySimulator, startZvtSimulator, type QrPaySimulator, type ZvtSimulator } from '../../drivers/simulators';
import type { CallOutput, PaymentPromptEvent } from '../../electron/contract';
import { leasesOf, paymentsOf } from '../../electron/core/boot';
import { createCore, type Core } from '../../electron/core/core';
import { authorizeTenders, PaymentJournal } from '../../electron/core/box-office/payment-journal';
import { CardTerminalPayment } from '../../electron/core/box-office/card-terminal';
import { CashPayment } from '../../electron/core/box-office/payment';
import { openLocalDb } from '../../electron/core/db/open';
import { ZvtTerminal } from '../../drivers';
import { createServer, type AdmitServer } from '../../server/src/app';
import { openServerDb, type ServerDbHandle } from '../../server/src/db/client';
import { orders } from '../../server/src/db/schema';
import { loginAs } from '../helpers/login';
import { waitFor } from '../helpers/wait';

const quiet = { warn: () => undefined, error: () => undefined };
let work: string;
let db: ServerDbHandle;
let server: AdmitServer;
let core: Core;
let zvt: ZvtSimulator;
let qr: QrPaySimulator;
let dayPass: { id: string; priceMinor: number };
const prompts: PaymentPromptEvent[] = [];

type Sale = CallOutput<'boxOffice.sell'>;
const sell = (payments: unknown[], quantity = 2) => core.dispatch('till', 'boxOffice.sell', { lines: [{ ticketTypeId: dayPass.id, quantity }], payments });

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'admit-pay-core-'));
  db = await openServerDb({});
  server = createServer({ db, dataDir: join(work, 'server') });
  const url = (await server.listen({ host: '127.0.0.1', port: 0 })).url;
  await server.admin.seedDemo({ tickets: 20 });
  zvt = await startZvtSimulator();
  qr = await startQrPaySimulator();
  core = await createCore({
    dataDir: join(work, 'box'),
    migrationsFolder: 'migrations/local',
    shell: 'service',
    demo: false,
    version: 't',
    logger: quiet,
    devices: { usbEvents: false },
    payments: { cardTerminal: { host: '127.0.0.1', port: zvt.port, ackMs: 500 }, qr: { qr_alipay: qr.url }, qrPollMs: 10 },
  });
  core.events.on('event', (e) => e.name === 'boxOffice.paymentPrompt' && prompts.push(e.payload as PaymentPromptEvent));
  await core.sync.pair(url, (await server.admin.createPairingCode()).code, 'Box office');
  core.sync.start();
  await core.sync.pull();
  await waitFor(() => core.sync.isOnline);
  expect(await loginAs(core, 'till', { role: 'cashier' }, '111111')).toMatchObject({ ok: true });
  const catalog = await core.dispatch('till', 'boxOffice.catalog', {});
  if (!catalog.ok) throw new Error('catalog');
  dayPass = (catalog.value as { ticketTypes: { id: string; name: Record<string, string>; priceMinor: number }[] }).ticketTypes.find((t) => t.name['en'] === 'Day pass')!;
}, 300_000);

afterAll(async () => {
  await core?.close();
  await zvt?.close();
  await qr?.close();
  await server?.close();
  await db?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('payments in the core', () => {
  it('sells on a split of card on the terminal and cash, and the server keeps the parts', async () => {
    const total = dayPass.priceMinor * 2;
    const card = Math.floor(total / 2);
    const r = await sell([{ method: 'card_terminal', amountMinor: card }, { method: 'cash', tenderedMinor: total }]);
    if (!r.ok) throw new Error(`sale failed: ${r.error.code}`);
    const { order } = r.value as Sale;
    expect(order).toMatchObject({ paymentMethod: 'split', changeMinor: card, payments: [{ method: 'card_terminal', amountMinor: card }, { method: 'cash', amountMinor: total - card }] });
    expect(zvt.payments).toMatchObject([{ amountMinor: card, reversed: false }]);
    const [kept] = await db.db.select().from(orders).where(eq(orders.id, order.id));
    expect(kept).toMatchObject({ paymentMethod: 'split', amountMinor: total, payments: [{ method: 'card_terminal', amountMinor: card }, { method: 'cash', amountMinor: total - card }] });
  });

  it('shows a QR payment to the customer and sells once it is paid', async () => {
    qr.customer = 'pay';
    const r = await sell([{ method: 'qr_alipay' }], 1);
    expect(r).toMatchObject({ ok: true, value: { order: { paymentMethod: 'qr_alipay' } } });
    expect(prompts).toMatchObject([{ method: 'qr_alipay', amountMinor: dayPass.priceMinor, qrPayload: expect.stringMatching(/^https:\/\/qr\.alipay\.com\//) }]);
    expect([...qr.payments.values()].map((p) => p.state)).toEqual(['captured']);
  });

  it('answers payment_timeout when the card terminal never answers, with no order and nothing left authorized', async () => {
    const before = await db.db.$count(orders);
    zvt.behaviour = 'hang';
    const r = await sell([{ method: 'cash', tenderedMinor: dayPass.priceMinor }, { method: 'card_terminal', amountMinor: dayPass.priceMinor }]);
    zvt.behaviour = 'approve';
    expect(r).toMatchObject({ ok: false, error: { code: 'payment_timeout' } });
    expect(await db.db.$count(orders)).toBe(before);
    // The terminal's journal (read beside the core): the cash part was authorized, then voided.
    const local = new Database(join(work, 'box', 'terminal.sqlite'), { readonly: true });
    const last = local
      .prepare<[string], { method: string; action: string }>('select method, action from payment_journal where seq > (select max(seq) from payment_journal where action = ?) order by seq')
      .all('captured');
    local.close();
    expect(last).toEqual([
      { method: 'cash', action: 'authorized' },
      { method: 'cash', action: 'voided' },
    ]);
    await waitFor(() => zvt.commands.some((c) => c.name === 'abort'), 10_000, 'the terminal told to abort');
  });

  it('refuses a method this terminal has no payment for', async () => {
    const r = await sell([{ method: 'qr_sbp' }], 1);
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });
});

describe('a terminal restarted after a crash right after an authorization', () => {
  it('voids the card payment whose order was never sent as it starts, and audits it', async () => {
    const dataDir = join(work, 'crashed');
    const options = { dataDir, migrationsFolder: 'migrations/local', shell: 'service' as const, demo: false, version: 't', logger: quiet, devices: { usbEvents: false as const } };
    await (await createCore(options)).close();
    // The crash: the card was charged and journaled, and nothing else happened.
    const file = join(dataDir, 'terminal.sqlite');
    const sqlite = openLocalDb(file, 'migrations/local').$client;
    const ports = { cash: new CashPayment(), card_terminal: new CardTerminalPayment(new ZvtTerminal({ host: '127.0.0.1', port: zvt.port })) };
    const orderId = '0190a000-0000-7000-8000-0000000cb001';
    const { auths } = await authorizeTenders(ports, new PaymentJournal(sqlite), orderId, [{ method: 'card_terminal' }], 1234, 'EUR');
    sqlite.close();
    const receipt = Number(auths[0]!.reference);
    expect(zvt.payments.find((p) => p.receiptNumber === receipt)).toMatchObject({ amountMinor: 1234, reversed: false });

    const restarted = await createCore({ ...options, payments: { cardTerminal: { host: '127.0.0.1', port: zvt.port } } });
    try {
      await waitFor(() => zvt.payments.find((p) => p.receiptNumber === receipt)?.reversed === true, 10_000, 'the card payment reversed');
      const local = new Database(file, { readonly: true });
      const actions = () => local.prepare<[string], { action: string }>('select action from payment_journal where order_id = ? order by seq').all(orderId).map((r) => r.action);
      await waitFor(() => actions().length === 2, 10_000, 'the void journaled');
      expect(actions()).toEqual(['authorized', 'voided']);
      local.close();
      expect(restarted.audit.list(50).entries.filter((e) => e.action === 'payment_recovered')).toMatchObject([{ subject: auths[0]!.id }]);
    } finally {
      await restarted.close();
    }
  });
});

describe('the card terminal a terminal is configured with', () => {
  it('is read from host:port, port 20007 when left out; the demo world brings its own', () => {
    expect(leasesOf('25')).toEqual({ leases: { size: 25 } });
    for (const bad of [undefined, '', 'ten', '-1', '2.5', '501']) expect(leasesOf(bad)).toEqual({});
    expect(paymentsOf(undefined, '10.0.0.5')).toEqual({ payments: { cardTerminal: { host: '10.0.0.5', port: 20007 } } });
    expect(paymentsOf(undefined, 'ecr-1.local:20008')).toEqual({ payments: { cardTerminal: { host: 'ecr-1.local', port: 20008 } } });
    expect(paymentsOf(undefined, undefined)).toEqual({});
    expect(paymentsOf(undefined, 'a b')).toEqual({});
    expect(paymentsOf({ qr: { qr_sbp: 'http://127.0.0.1:1' } }, '10.0.0.5')).toEqual({ payments: { qr: { qr_sbp: 'http://127.0.0.1:1' } } });
  });
});
