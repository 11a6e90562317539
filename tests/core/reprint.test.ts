// Reprinting a sold order's receipt or tickets, for real: the server on PGlite, the terminal's core on
// SQLite, the ESC/POS TCP printer simulator. A reprint needs a reason (other: with a note), prints
// through the same queue as the sale, carries "REPRINT n" on top — n counted per receipt and per
// ticket — with the same QR code as the original, and is in the audit trail with its operator.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallOutput } from '../../electron/contract';
import { createCore, type Core } from '../../electron/core/core';
import { decodeQrFromPng, startEscPosSimulator, type EscPosSimulator } from '../../drivers/simulators';
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
let sale: CallOutput<'boxOffice.sell'>;
let other: CallOutput<'boxOffice.sell'>;
let cashierId: string;

type Reprint = CallOutput<'boxOffice.reprint'>;

async function reprint(input: Record<string, unknown>): Promise<Reprint> {
  const r = await core.dispatch('till', 'boxOffice.reprint', input);
  if (!r.ok) throw new Error(`reprint failed: ${r.error.code} ${r.error.detail ?? ''}`);
  return r.value as Reprint;
}
async function refusal(input: Record<string, unknown>): Promise<string> {
  const r = await core.dispatch('till', 'boxOffice.reprint', input);
  if (r.ok) throw new Error('the reprint was not refused');
  return r.error.code;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'admit-reprint-'));
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
  core.configureDevices([{ id: 'till-printer', name: 'Till printer', kind: 'printer', driver: 'escpos', transport: { type: 'tcp', host: '127.0.0.1', port: printer.port } }]);
  await core.restartDevices();
  await core.sync.pair(url, (await server.admin.createPairingCode()).code, 'Box office');
  core.sync.start();
  await core.sync.pull();
  await waitFor(() => core.sync.isOnline);
  expect(await loginAs(core, 'till', { role: 'cashier' }, '111111')).toMatchObject({ ok: true });
  const session = await core.dispatch('till', 'session.current', {});
  cashierId = (session as { ok: true; value: { operatorId: string } }).value.operatorId;
  await waitFor(() => core.devices.list().find((d) => d.id === 'till-printer')?.state === 'connected', 5000, 'printer connected');
  const catalog = await core.dispatch('till', 'boxOffice.catalog', {});
  const dayPass = (catalog as { ok: true; value: { ticketTypes: { id: string; name: Record<string, string>; priceMinor: number }[] } }).value.ticketTypes.find((t) => t.name['en'] === 'Day pass')!;
  const sell = async (quantity: number) => {
    const r = await core.dispatch('till', 'boxOffice.sell', { lines: [{ ticketTypeId: dayPass.id, quantity }], payment: { method: 'cash', tenderedMinor: dayPass.priceMinor * quantity } });
    if (!r.ok) throw new Error(`sale failed: ${r.error.code}`);
    return r.value as CallOutput<'boxOffice.sell'>;
  };
  sale = await sell(2);
  other = await sell(1);
}, 300_000);

afterAll(async () => {
  await core?.close();
  await printer?.close();
  await server?.close();
  await db?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('reprint', () => {
  it('prints the receipt again, marked and counted, with the order code', async () => {
    const before = printer.jobs.length;
    const first = await reprint({ orderId: sale.order.id, what: 'receipt', reason: 'paper_jam' });
    expect(first).toMatchObject({ copies: [{ what: 'receipt', ticketId: null, copy: 1 }], print: { state: 'printed' } });
    const second = await reprint({ orderId: sale.order.id, what: 'receipt', reason: 'other', note: 'Customer asked for a copy' });
    expect(second.copies).toEqual([{ what: 'receipt', ticketId: null, copy: 2 }]);
    const jobs = printer.jobs.slice(before);
    expect(jobs).toHaveLength(2);
    expect(jobs[0]!.text).toContain('REPRINT 1');
    expect(jobs[1]!.text).toContain('REPRINT 2');
    for (const j of jobs) {
      expect(j.errors).toEqual([]);
      expect(await decodeQrFromPng(j.png)).toEqual([sale.order.code]);
    }
    // The queue's own reprint mark (a copy that may have printed before) is not this one.
    expect(jobs[0]!.text).not.toContain('*** REPRINT ***');
  });

  it('prints one ticket again, or all of an order, each counted on its own', async () => {
    const [t1, t2] = sale.order.tickets;
    const before = printer.jobs.length;
    const one = await reprint({ orderId: sale.order.id, what: 'ticket', ticketId: t1!.id, reason: 'damaged' });
    expect(one.copies).toEqual([{ what: 'ticket', ticketId: t1!.id, copy: 1 }]);
    const all = await reprint({ orderId: sale.order.id, what: 'ticket', reason: 'lost_by_customer' });
    expect(all.copies).toEqual(
      expect.arrayContaining([
        { what: 'ticket', ticketId: t1!.id, copy: 2 },
        { what: 'ticket', ticketId: t2!.id, copy: 1 },
      ]),
    );
    expect(all.copies).toHaveLength(2);
    const jobs = printer.jobs.slice(before);
    expect(jobs).toHaveLength(3);
    expect(jobs[0]!.text).toContain('REPRINT 1');
    expect(await decodeQrFromPng(jobs[0]!.png)).toEqual([t1!.code]);
    const byCode = new Map<string, string>();
    for (const j of jobs.slice(1)) byCode.set((await decodeQrFromPng(j.png))[0]!, j.text);
    expect(byCode.get(t1!.code)).toContain('REPRINT 2');
    expect(byCode.get(t2!.code)).toContain('REPRINT 1');
    // The receipt's count is its own.
    expect((await reprint({ orderId: sale.order.id, what: 'receipt', reason: 'printer_fault' })).copies[0]!.copy).toBe(3);
  });

  it('refuses without a reason, other without a note, an unknown order or a ticket of another order, printing nothing', async () => {
    const before = printer.jobs.length;
    expect(await refusal({ orderId: sale.order.id, what: 'receipt' })).toBe('invalid_input');
    expect(await refusal({ orderId: sale.order.id, what: 'receipt', reason: 'because' })).toBe('invalid_input');
    expect(await refusal({ orderId: sale.order.id, what: 'receipt', reason: 'other' })).toBe('invalid_input');
    expect(await refusal({ orderId: sale.order.id, what: 'receipt', reason: 'other', note: '   ' })).toBe('invalid_input');
    expect(await refusal({ orderId: sale.order.id, what: 'receipt', ticketId: sale.order.tickets[0]!.id, reason: 'damaged' })).toBe('invalid_input');
    expect(await refusal({ orderId: '018f0000-0000-7000-8000-000000000000', what: 'receipt', reason: 'damaged' })).toBe('not_found');
    expect(await refusal({ orderId: sale.order.id, what: 'ticket', ticketId: other.order.tickets[0]!.id, reason: 'damaged' })).toBe('not_found');
    expect(printer.jobs.length).toBe(before);
    // Refusals did not count: the next copy of the other order's ticket is its first.
    expect((await reprint({ orderId: other.order.id, what: 'ticket', reason: 'damaged' })).copies).toEqual([{ what: 'ticket', ticketId: other.order.tickets[0]!.id, copy: 1 }]);
  });

  it('is in the audit trail with the operator, the reason and the copies', () => {
    const entries = core.audit.list(200).entries.filter((e) => e.action === 'reprint');
    expect(entries.filter((e) => e.result === 'ok')).toHaveLength(6);
    expect(entries.every((e) => e.operatorId === cashierId)).toBe(true);
    expect(entries.some((e) => e.result === 'not_found')).toBe(true);
  });
});
