// A cashier's shift, for real: the central server on PGlite, the terminal's core on SQLite paired over
// HTTP, the ESC/POS TCP printer simulator. A shift opens with a float; cash sales (one with change),
// cash put in and taken out and refunds (cash and card, recorded by the refund flow's entry point)
// make its totals; the X report prints them and leaves the shift open; the Z report closes it with the
// counted cash and its variance. Both reports come out of the printer (decoded from its bytes) and
// reach the server once each. After the Z report no sale is made until a new shift opens.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallOutput } from '../../electron/contract';
import { recordRefund, SHIFT_REQUIRED_KEY } from '../../electron/core/box-office/shifts';
import { createCore, type Core } from '../../electron/core/core';
import { startEscPosSimulator, type EscPosSimulator } from '../../drivers/simulators';
import { createServer, type AdmitServer } from '../../server/src/app';
import { openServerDb, type ServerDbHandle } from '../../server/src/db/client';
import { waitFor } from '../helpers/wait';
import { loginAs } from '../helpers/login';

const quiet = { warn: () => undefined, error: () => undefined };

let work: string;
let db: ServerDbHandle;
let server: AdmitServer;
let core: Core;
let printer: EscPosSimulator;
let dayPass: { id: string; priceMinor: number };
let child: { id: string; priceMinor: number };
let cashierId: string;

type Sale = CallOutput<'boxOffice.sell'>;
type Report = CallOutput<'boxOffice.shift.x'>;

async function call<T>(name: string, input: unknown): Promise<T> {
  const r = await core.dispatch('till', name, input);
  if (!r.ok) throw new Error(`${name} failed: ${r.error.code} ${r.error.detail ?? ''}`);
  return r.value as T;
}
async function refusal(name: string, input: unknown): Promise<string> {
  const r = await core.dispatch('till', name, input);
  if (r.ok) throw new Error(`${name} was not refused`);
  return r.error.code;
}
const sell = (quantity: number, tenderedMinor: number) =>
  call<Sale>('boxOffice.sell', { lines: [{ ticketTypeId: dayPass.id, quantity }], payment: { method: 'cash', tenderedMinor } });
const printerState = () => core.devices.list().find((d) => d.id === 'till-printer')?.state;

async function serverReports(): Promise<{ id: string; shift_id: string; report: string; counted_minor: unknown; variance_minor: unknown; expected_cash_minor: unknown; totals: unknown }[]> {
  const res = await db.db.execute(sql`select id, shift_id, report, counted_minor, variance_minor, expected_cash_minor, totals from shift_reports order by at, report`);
  return (res as unknown as { rows: never[] }).rows;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'admit-shifts-'));
  db = await openServerDb({});
  server = createServer({ db, dataDir: join(work, 'server') });
  const url = (await server.listen({ host: '127.0.0.1', port: 0 })).url;
  await server.admin.seedDemo({ tickets: 20 });
  printer = await startEscPosSimulator({ port: 0 });
  core = await createCore({
    dataDir: join(work, 'box'),
    migrationsFolder: 'migrations/local',
    shell: 'service',
    demo: false,
    version: 't',
    logger: quiet,
    devices: { usbEvents: false, printerPollMs: 100, printRetryInitialMs: 50, printRetryMaxMs: 200 },
  });
  core.configureDevices([{ id: 'till-printer', name: 'Till printer', kind: 'printer', driver: 'escpos', transport: { type: 'tcp', host: '127.0.0.1', port: printer.port }, codePage: 'WPC1252' }]);
  await core.restartDevices();
  await core.sync.pair(url, (await server.admin.createPairingCode()).code, 'Box office');
  core.sync.start();
  await core.sync.pull();
  await waitFor(() => core.sync.isOnline);
  expect(await loginAs(core, 'till', { role: 'cashier' }, '111111')).toMatchObject({ ok: true });
  cashierId = (await call<{ operatorId: string }>('session.current', {})).operatorId;
  expect(cashierId).toEqual(expect.any(String));
  const catalog = await call<{ ticketTypes: { id: string; name: Record<string, string>; priceMinor: number }[] }>('boxOffice.catalog', {});
  dayPass = catalog.ticketTypes.find((t) => t.name['en'] === 'Day pass')!;
  child = catalog.ticketTypes.find((t) => t.name['en'] === 'Child')!;
  await waitFor(() => printerState() === 'connected', 5000, 'printer connected');
}, 300_000);

afterAll(async () => {
  await core?.close();
  await printer?.close();
  await server?.close();
  await db?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('a shift at the box office', () => {
  it('refuses reports and cash before a shift opens, and amounts that are negative, fractional or too large', async () => {
    expect(await refusal('boxOffice.shift.x', {})).toBe('no_open_shift');
    expect(await refusal('boxOffice.shift.close', { countedMinor: 0 })).toBe('no_open_shift');
    expect(await refusal('boxOffice.shift.cash', { kind: 'in', amountMinor: 100, reason: 'change' })).toBe('no_open_shift');
    expect(await call('boxOffice.shift.current', {})).toEqual({ shift: null });
    expect(await refusal('boxOffice.shift.open', { floatMinor: -1 })).toBe('invalid_input');
    expect(await refusal('boxOffice.shift.open', { floatMinor: 10.5 })).toBe('invalid_input');
    expect(await refusal('boxOffice.shift.open', { floatMinor: Number.MAX_SAFE_INTEGER + 2 })).toBe('invalid_input');
    expect(await refusal('boxOffice.shift.open', { floatMinor: 1e12 })).toBe('invalid_input');
    expect(await call('boxOffice.shift.current', {})).toEqual({ shift: null });
    // A terminal set to sell only within a shift refuses a sale before its first shift.
    core.meta.setMeta(SHIFT_REQUIRED_KEY, '1');
    expect(await refusal('boxOffice.sell', { lines: [{ ticketTypeId: dayPass.id, quantity: 1 }], payment: { method: 'cash', tenderedMinor: dayPass.priceMinor } })).toBe('no_open_shift');
    core.meta.setMeta(SHIFT_REQUIRED_KEY, '0');
  });

  it('opens with a float, takes sales, cash in and out and refunds, and prints an X report that leaves it open', async () => {
    const shift = await call<{ id: string; floatMinor: number; currency: string; openedBy: string; closedAt: string | null }>('boxOffice.shift.open', { floatMinor: 10_000 });
    expect(shift).toMatchObject({ floatMinor: 10_000, currency: 'EUR', openedBy: cashierId, closedAt: null });
    expect(await refusal('boxOffice.shift.open', { floatMinor: 5 })).toBe('shift_already_open');
    expect((await call<{ shift: { id: string } }>('boxOffice.shift.current', {})).shift.id).toBe(shift.id);

    const price = dayPass.priceMinor;
    const exact = await sell(1, price);
    const withChange = await sell(2, 2 * price + 1_000);
    expect(withChange.order.changeMinor).toBe(1_000);

    const cashIn = await call<{ expectedCashMinor: number }>('boxOffice.shift.cash', { kind: 'in', amountMinor: 5_000, reason: 'Change from the safe' });
    expect(cashIn.expectedCashMinor).toBe(10_000 + 3 * price + 5_000);
    const cashOut = await call<{ expectedCashMinor: number }>('boxOffice.shift.cash', { kind: 'out', amountMinor: 2_000, reason: 'To the safe' });
    expect(cashOut.expectedCashMinor).toBe(10_000 + 3 * price + 3_000);
    // More out than the drawer should hold, a negative or an empty reason: refused, nothing recorded.
    expect(await refusal('boxOffice.shift.cash', { kind: 'out', amountMinor: 10_000 + 3 * price + 3_001, reason: 'Too much' })).toBe('cash_out_exceeds_drawer');
    expect(await refusal('boxOffice.shift.cash', { kind: 'in', amountMinor: -5, reason: 'x' })).toBe('invalid_input');
    expect(await refusal('boxOffice.shift.cash', { kind: 'in', amountMinor: 5, reason: '  ' })).toBe('invalid_input');

    // More than the server has left: refused after the cash was taken, so the payment is voided and
    // the money handed back — a void of the shift, outside the drawer's cash.
    const lines = Array.from({ length: 20 }, () => ({ ticketTypeId: child.id, quantity: 50 }));
    const bulk = 1000 * child.priceMinor;
    expect(await refusal('boxOffice.sell', { lines, payment: { method: 'cash', tenderedMinor: bulk } })).toBe('sold_out');

    // The refund flow records its refunds against the open shift: cash back from the drawer, card to the card.
    expect(recordRefund(core.shifts, 'current', { method: 'cash', amountMinor: price, orderId: exact.order.id, operatorId: cashierId })).toEqual(expect.any(String));
    expect(recordRefund(core.shifts, 'current', { method: 'card', amountMinor: 700, orderId: withChange.order.id, operatorId: cashierId })).toEqual(expect.any(String));
    expect(() => recordRefund(core.shifts, 'current', { method: 'cash', amountMinor: -1 })).toThrow(/amountMinor/);
    expect(() => recordRefund(core.shifts, 'current', { method: 'cash', amountMinor: 2 ** 53 })).toThrow(/amountMinor/);

    const before = printer.jobs.length;
    const x = await call<Report>('boxOffice.shift.x', {});
    const expected = 10_000 + 3 * price + 1_000 - 1_000 - price + 5_000 - 2_000;
    expect(x).toMatchObject({ kind: 'x', countedMinor: null, varianceMinor: null, print: { state: 'printed' } });
    expect(x.shift.closedAt).toBeNull();
    expect(x.totals).toMatchObject({
      currency: 'EUR',
      floatMinor: 10_000,
      sales: { count: 2, amountMinor: 3 * price },
      refunds: { count: 2, amountMinor: price + 700 },
      voids: { count: 1, amountMinor: 1000 * child.priceMinor },
      cashIn: { count: 1, amountMinor: 5_000 },
      cashOut: { count: 1, amountMinor: 2_000 },
      cashTenderedMinor: 3 * price + 1_000,
      cashChangeMinor: 1_000,
      cashRefundsMinor: price,
      expectedCashMinor: expected,
    });
    expect(x.totals.byMethod).toEqual([
      { method: 'cash', sales: { count: 2, amountMinor: 3 * price }, refunds: { count: 1, amountMinor: price } },
      { method: 'card', sales: { count: 0, amountMinor: 0 }, refunds: { count: 1, amountMinor: 700 } },
    ]);
    expect(x.totals.byOperator).toEqual([
      { operatorId: cashierId, sales: { count: 2, amountMinor: 3 * price }, refunds: { count: 2, amountMinor: price + 700 }, voids: { count: 1, amountMinor: 1000 * child.priceMinor } },
    ]);
    // Out of the printer: the X report, decoded from the bytes it received.
    expect(printer.jobs.length).toBe(before + 1);
    const printed = printer.jobs.at(-1)!;
    expect(printed.errors).toEqual([]);
    expect(printed.text).toContain('X REPORT');
    expect(printed.text).toMatch(/Sales: 2 \//);
    expect(printed.text).toMatch(/Voids: 1 \//);
    expect(printed.text).toContain('Expected cash:');
    expect(printed.text).not.toContain('Variance');

    // Still open: a sale goes on.
    await sell(1, price);
  });

  it('closes with a Z report: counted cash, variance, printed, and then no sale until a new shift opens', async () => {
    const price = dayPass.priceMinor;
    const expected = 10_000 + 4 * price + 1_000 - 1_000 - price + 5_000 - 2_000;
    const before = printer.jobs.length;
    const z = await call<Report>('boxOffice.shift.close', { countedMinor: expected - 300 });
    expect(z).toMatchObject({ kind: 'z', countedMinor: expected - 300, varianceMinor: -300, print: { state: 'printed' } });
    expect(z.totals.expectedCashMinor).toBe(expected);
    expect(z.totals.sales).toEqual({ count: 3, amountMinor: 4 * price });
    expect(z.shift.closedAt).not.toBeNull();
    expect(z.shift.closedBy).toBe(cashierId);
    const printed = printer.jobs.slice(before);
    expect(printed).toHaveLength(1);
    expect(printed[0]!.text).toContain('Z REPORT');
    expect(printed[0]!.text).toContain('Variance:');
    expect(printed[0]!.text).toContain('Counted cash:');

    // Closed: no sale, no report, no cash, until a new shift opens.
    expect(await refusal('boxOffice.sell', { lines: [{ ticketTypeId: dayPass.id, quantity: 1 }], payment: { method: 'cash', tenderedMinor: price } })).toBe('shift_closed');
    expect(await refusal('boxOffice.shift.x', {})).toBe('shift_closed');
    expect(await refusal('boxOffice.shift.close', { countedMinor: 0 })).toBe('shift_closed');
    expect(await refusal('boxOffice.shift.cash', { kind: 'in', amountMinor: 1, reason: 'x' })).toBe('shift_closed');
    expect(printer.jobs.length).toBe(before + 1);
    expect(recordRefund(core.shifts, 'current', { method: 'cash', amountMinor: 1 })).toBeNull();

    // Both reports reach the server, once each.
    await waitFor(async () => (await serverReports()).length === 2, 10_000, 'shift reports at the server');
    await waitFor(() => core.outbox.count() === 0, 10_000, 'outbox drained');
    const rows = await serverReports();
    expect(rows.map((r) => [r.shift_id, r.report])).toEqual([
      [z.shift.id, 'x'],
      [z.shift.id, 'z'],
    ]);
    expect(rows[1]).toMatchObject({ id: z.reportId });
    expect(Number(rows[1]!.counted_minor)).toBe(expected - 300);
    expect(Number(rows[1]!.variance_minor)).toBe(-300);
    expect(Number(rows[1]!.expected_cash_minor)).toBe(expected);
    expect(rows[1]!.totals).toEqual(z.totals);

    // A new shift: sales again, counted in it alone.
    const next = await call<{ id: string }>('boxOffice.shift.open', { floatMinor: 0 });
    expect(next.id).not.toBe(z.shift.id);
    await sell(1, price);
    const x = await call<Report>('boxOffice.shift.x', {});
    expect(x.totals.sales).toEqual({ count: 1, amountMinor: price });
    expect(x.totals.expectedCashMinor).toBe(price);

    // Every shift action is in the audit trail with its operator and result.
    const actions = core.audit
      .list(200)
      .entries.filter((e) => e.action.startsWith('shift_'))
      .map((e) => [e.action, e.operatorId, e.result]);
    expect(actions).toEqual(
      expect.arrayContaining([
        ['shift_opened', cashierId, 'ok'],
        ['shift_opened', cashierId, 'shift_already_open'],
        ['shift_cash', cashierId, 'ok'],
        ['shift_cash', cashierId, 'cash_out_exceeds_drawer'],
        ['shift_x_report', cashierId, 'ok'],
        ['shift_closed', cashierId, 'ok'],
        ['shift_closed', cashierId, 'shift_closed'],
      ]),
    );
  });
});
