// The print queue's answers to a caller that cannot wait long (a sale): settle() says printed, or why
// not as soon as a job is held, or 'print_timeout' when the printer simply has not got to it; and
// wake() prints held jobs at once when the printer is ready again, instead of after the backoff.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PrintDocument, PrinterStatus } from '../../drivers';
import { openLocalDb, type LocalDb } from '../../electron/core/db/open';
import { createPrintQueue, type PrintQueue, type QueuePrinter } from '../../electron/core/printing/queue';
import { waitFor } from '../helpers/wait';

const READY: PrinterStatus = { online: true, coverOpen: false, paperOut: false, paperNearEnd: false, error: false };
const doc = (text: string): PrintDocument => ({ blocks: [{ type: 'text', text }, { type: 'cut' }] });

describe('print queue settle and wake', () => {
  let dir: string;
  let db: LocalDb;
  let queue: PrintQueue;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'admit-settle-'));
    db = openLocalDb(join(dir, 'terminal.sqlite'), 'migrations/local');
  });
  afterEach(async () => {
    await queue?.stop();
    db.$client.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('settles printed, held with the reason, or print_timeout', async () => {
    let status: PrinterStatus | null = READY;
    const printed: string[] = [];
    const unanswered: Array<(s: PrinterStatus) => void> = [];
    const printer: QueuePrinter = {
      // null: a printer that does not answer yet (the job stays in line, not held).
      status: () => (status ? Promise.resolve(status) : new Promise((resolve) => unanswered.push(resolve))),
      print: async (d) => void printed.push((d.blocks[0] as { text: string }).text),
    };
    queue = createPrintQueue({ db: db.$client, printers: new Map([['p', printer]]), retryInitialMs: 60_000, retryMaxMs: 60_000 });
    queue.start();
    expect(queue.printerIds()).toEqual(['p']);

    const ok = [queue.enqueue('p', 'ticket', doc('A')), queue.enqueue('p', 'receipt', doc('B'))];
    expect(await queue.settle(ok, 5000)).toEqual({ printed: true, code: null });
    expect(printed).toEqual(['A', 'B']);

    status = { ...READY, paperOut: true };
    const out = [queue.enqueue('p', 'ticket', doc('C'))];
    expect(await queue.settle(out, 5000)).toEqual({ printed: false, code: 'paper_out' });
    expect(queue.job(out[0]!)?.state).toBe('held');

    // Ready again: the backoff (a minute) is not waited out.
    status = READY;
    queue.wake('p');
    expect(await queue.settle(out, 5000)).toEqual({ printed: true, code: null });
    expect(printed).toEqual(['A', 'B', 'C']);

    status = null;
    const stuck = [queue.enqueue('p', 'ticket', doc('D'))];
    expect(await queue.settle(stuck, 200)).toEqual({ printed: false, code: 'print_timeout' });
    expect(queue.job(stuck[0]!)?.state).toBe('queued');
    queue.cancel(stuck[0]!);
    await waitFor(() => queue.job(stuck[0]!)?.state === 'cancelled');
    expect(await queue.settle(stuck, 200)).toEqual({ printed: false, code: 'cancelled' });
    // The printer finally answers: the cancelled job is not printed.
    status = READY;
    for (const answer of unanswered.splice(0)) answer(READY);
    await waitFor(() => queue.status('p')?.state === 'idle', 5000, 'idle');
    expect(printed).toEqual(['A', 'B', 'C']);
  });
});
