// Printing in contract terms (devices/module.ts): a print request's outcome and every print job's
// settling as a `print.job` event, each with a coded PrintReason — never a driver's raw code — over a
// real print queue on SQLite, followed across a device restart.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PrinterStatus } from '../../drivers/printers/document';
import { PrintReason, type EventName, type PrintJobEvent } from '../../electron/contract';
import { Meta } from '../../electron/core/db/meta';
import { openLocalDb, type LocalDb } from '../../electron/core/db/open';
import { devicesModule, printJobEvent, printReason, type PrintItem, type Supervisor } from '../../electron/core/devices/module';
import { createPrintQueue, type PrintQueue } from '../../electron/core/printing/queue';
import { waitFor } from '../helpers/wait';

const READY: PrinterStatus = { online: true, coverOpen: false, paperOut: false, paperNearEnd: false, error: false };
const item = (text: string, kind: PrintItem['kind'] = 'ticket'): PrintItem => ({ kind, doc: { blocks: [{ type: 'text', text }] } });
const quiet = { warn: () => undefined, error: () => undefined };

describe('print reasons', () => {
  it('maps supervisor, queue and driver codes onto the contract vocabulary', () => {
    expect(printReason('paper_out')).toBe('paper_out');
    expect(printReason('print_timeout')).toBe('timeout');
    expect(printReason('closed')).toBe('unreachable');
    expect(printReason('bad_document')).toBe('rejected');
    expect(printReason('no_printer')).toBe('no_printer');
    expect(printReason('something new')).toBe('failed');
    expect(printReason(null)).toBe('failed');
    // Every value it gives is one the UI has a translation key for.
    for (const code of ['paper_out', 'cover_open', 'jam', 'ribbon_out', 'printer_error', 'offline', 'unreachable', 'io', 'timeout', 'held', 'unconfirmed', 'rejected', 'cancelled', 'x'])
      expect(PrintReason.options).toContain(printReason(code));
  });

  it('turns a queue job change into a print.job event only when it settles or is held', () => {
    const job = (state: string, code: string | null = null) => ({ id: 'j', kind: 'ticket' as const, state: state as never, error: code ? { code, detail: null } : null });
    expect(printJobEvent(job('printed'))).toEqual({ jobId: 'j', kind: 'ticket', state: 'printed', reason: null });
    expect(printJobEvent(job('held', 'cover_open'))).toEqual({ jobId: 'j', kind: 'ticket', state: 'queued', reason: 'cover_open' });
    expect(printJobEvent(job('failed', 'unconfirmed'))).toEqual({ jobId: 'j', kind: 'ticket', state: 'failed', reason: 'unconfirmed' });
    expect(printJobEvent(job('cancelled'))).toEqual({ jobId: 'j', kind: 'ticket', state: 'failed', reason: 'cancelled' });
    expect(printJobEvent(job('queued'))).toBeNull();
    expect(printJobEvent(job('printing'))).toBeNull();
  });
});

describe('the devices module over a print queue', () => {
  let dir: string;
  let db: LocalDb;
  let status: PrinterStatus;
  let queue: PrintQueue | null;
  let starts: number;
  const events: PrintJobEvent[] = [];
  /** The supervisor's printing, by shape: one printer behind a real queue, a new queue per start. */
  const supervisor: Supervisor = {
    apply: async () => undefined,
    start: () => {
      starts++;
      queue = createPrintQueue({
        db: db.$client,
        printers: new Map([['p', { status: async () => status, print: async () => undefined }]]),
        retryInitialMs: 60_000,
        retryMaxMs: 60_000,
      });
      queue.start();
    },
    close: async () => {
      await queue?.stop();
      queue = null;
    },
    list: () => [],
    openAll: async () => ({ emergency: true, failed: [] }),
    release: async () => ({ emergency: false, failed: [] }),
    print: async (items) => {
      const jobIds = items.map((i) => queue!.enqueue('p', i.kind, i.doc));
      const r = await queue!.settle(jobIds, 2000);
      return { printed: r.printed, printError: r.code, jobIds };
    },
    get queue() {
      return queue;
    },
  };
  const module = () =>
    devicesModule({
      supervisor,
      meta: new Meta(db.$client),
      log: quiet,
      publish: (name: EventName, payload: unknown) => void (name === 'print.job' && events.push(payload as PrintJobEvent)),
    });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'admit-print-outcome-'));
    db = openLocalDb(join(dir, 'terminal.sqlite'), 'migrations/local');
    status = READY;
    queue = null;
    starts = 0;
    events.length = 0;
  });
  afterEach(async () => {
    await queue?.stop();
    db.$client.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers printed, or queued with the reason, and publishes print.job when a held job prints later', async () => {
    const devices = module();
    devices.start();
    const ok = await devices.print([item('A'), item('R', 'receipt')]);
    expect(ok).toMatchObject({ state: 'printed' });
    await waitFor(() => events.filter((e) => e.state === 'printed').length === 2, 2000, 'printed events');
    expect(events.filter((e) => e.state === 'printed').map((e) => [e.jobId, e.kind])).toEqual([
      [ok.jobIds[0], 'ticket'],
      [ok.jobIds[1], 'receipt'],
    ]);

    status = { ...READY, paperOut: true };
    const held = await devices.print([item('B')]);
    expect(held).toEqual({ state: 'queued', reason: 'paper_out', jobIds: [expect.any(String)] });
    expect(events.at(-1)).toEqual({ jobId: held.jobIds[0], kind: 'ticket', state: 'queued', reason: 'paper_out' });

    // Paper refilled after the sale stopped waiting: the job prints and says so.
    status = READY;
    queue!.wake('p');
    await waitFor(() => events.some((e) => e.jobId === held.jobIds[0] && e.state === 'printed'), 2000, 'late print');
    expect(events.at(-1)).toEqual({ jobId: held.jobIds[0], kind: 'ticket', state: 'printed', reason: null });
  });

  it('answers failed for a job that will not print by itself, and for no printer at all', async () => {
    const devices = module();
    devices.start();
    status = { ...READY, coverOpen: true };
    const held = await devices.print([item('C')]);
    expect(held).toMatchObject({ state: 'queued', reason: 'cover_open' });
    queue!.cancel(held.jobIds[0]!);
    expect(events.at(-1)).toEqual({ jobId: held.jobIds[0], kind: 'ticket', state: 'failed', reason: 'cancelled' });

    const none = devicesModule({
      supervisor: { ...supervisor, print: async () => ({ printed: false, printError: 'no_printer', jobIds: [] }) },
      meta: new Meta(db.$client),
      log: quiet,
      publish: () => undefined,
    });
    expect(await none.print([item('D')])).toEqual({ state: 'failed', reason: 'no_printer', jobIds: [] });
  });

  it('follows the new print queue after a restart', async () => {
    const devices = module();
    devices.start();
    await devices.restart();
    expect(starts).toBe(2);
    const r = await devices.print([item('E')]);
    expect(r).toMatchObject({ state: 'printed' });
    await waitFor(() => events.some((e) => e.jobId === r.jobIds[0] && e.state === 'printed'), 2000, 'event from the new queue');
    await devices.close();
  });
});
