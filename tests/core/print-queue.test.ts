// The durable print queue against the real ESC/POS TCP printer simulator and a real SQLite file:
// paper running out mid-queue, the core restarting (queue and database closed and reopened from the
// same file), the printer power-cycled and unplugged — and every job printed exactly once, found by
// the job id printed in each ticket's text and QR code. Then the crash window (a job sent but not
// yet marked printed) and paper running out inside a job: reprinted once, marked REPRINT.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEscPosPrinter, DriverError, type EscPosPrinter, type PrintDocument, type PrinterStatus } from '../../drivers';
import { decodeQrFromPng, startEscPosSimulator, type EscPosSimulator, type PrintedJob } from '../../drivers/simulators';
import { openLocalDb, type LocalDb } from '../../electron/core/db/open';
import { createPrintQueue, type PrintJob, type PrintQueue, type PrinterQueueStatus, type QueuePrinter } from '../../electron/core/printing/queue';
import { artifactsDir } from '../drivers/helpers';
import { waitFor } from '../helpers/wait';

const MIGRATIONS = fileURLToPath(new URL('../../migrations/local', import.meta.url));

/** A ticket that carries its own job id, in text and in the QR code. */
const ticket = (jobId: string): PrintDocument => ({
  blocks: [
    { type: 'text', text: 'ADMIT ONE', align: 'center', bold: true },
    { type: 'text', text: `JOB ${jobId}` },
    { type: 'qr', data: jobId, moduleSize: 4 },
    { type: 'cut' },
  ],
});

const jobIdOf = (p: PrintedJob): string | undefined => /JOB (\S+)/.exec(p.text)?.[1];
const isReprint = (p: PrintedJob) => p.text.includes('*** REPRINT ***');

describe('print queue on a real SQLite file and the ESC/POS TCP simulator', () => {
  let dir: string;
  let file: string;
  let db: LocalDb;
  let sim: EscPosSimulator;
  let printer: EscPosPrinter;
  let queue: PrintQueue;
  /** Every job that came out of any simulator instance, in order. */
  let out: PrintedJob[];
  let events: PrintJob[];
  let statuses: PrinterQueueStatus[];
  const sims: EscPosSimulator[] = [];

  const startSim = async (port = 0) => {
    const s = await startEscPosSimulator({ port, outDir: artifactsDir('print-queue') });
    s.on('job', (j) => out.push(j));
    sims.push(s);
    return s;
  };

  /** Boot the core's printing: open the database file, the printer driver and the queue. */
  const boot = (printers?: Map<string, QueuePrinter>) => {
    db = openLocalDb(file, MIGRATIONS);
    printer = createEscPosPrinter({ host: '127.0.0.1', port: sim.port, timeoutMs: 500 });
    queue = createPrintQueue({ db: db.$client, printers: printers ?? new Map([['box-1', printer]]), retryInitialMs: 20, retryMaxMs: 200 });
    queue.on('job', (j) => events.push(j));
    queue.on('status', (s) => statuses.push(s));
  };

  /** Shut the core down cleanly: workers finish the job in hand, then everything closes. */
  const shutdown = async () => {
    await queue.stop();
    await printer.close();
    db.$client.close();
  };

  const printedIds = () => queue.jobs({ states: ['printed'] }).map((j) => j.id);
  const heldFor = (reason: string | string[]) => {
    const s = queue.status('box-1');
    return s?.state === 'held' && [reason].flat().includes(s.reason ?? '');
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'admit-printq-'));
    file = join(dir, 'terminal.sqlite');
    out = [];
    events = [];
    statuses = [];
    sim = await startSim();
  });

  afterEach(async () => {
    await queue?.stop().catch(() => undefined);
    await printer?.close().catch(() => undefined);
    try {
      db?.$client.close();
    } catch {
      // already closed by the test
    }
    for (const s of sims.splice(0)) await s.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints every job exactly once through paper out, a core restart, a power cycle and an unplug', async () => {
    const N = 12;
    boot();
    const ids: string[] = [];
    for (let i = 0; i < N; i++) ids.push(queue.enqueue('box-1', 'ticket', ticket));
    expect(queue.jobs().map((j) => j.state)).toEqual(new Array(N).fill('queued'));

    // Faults land between two jobs, decided by the queue's own "printed" events, not by timing.
    let printedEvents = 0;
    const faults = (j: PrintJob) => {
      if (j.state !== 'printed') return;
      printedEvents++;
      if (printedEvents === 4) sim.setPaper('out');
      if (printedEvents === 7) sim.dropConnections(); // printer power-cycled
      if (printedEvents === 9) void sim.close(); // printer unplugged
    };
    queue.on('job', faults);
    queue.start();

    await waitFor(() => heldFor('paper_out'), 10_000, 'held for paper');
    expect(printedIds()).toEqual(ids.slice(0, 4));
    // Held jobs keep their place: none was sent to a printer that said it had no paper.
    expect(out.every((p) => p.errors.length === 0)).toBe(true);
    expect(queue.job(ids[4]!)).toMatchObject({ state: 'held', error: { code: 'paper_out' }, attempts: 0 });

    // Restart the core: close the queue and the database, reopen both from the same file.
    await shutdown();
    boot();
    queue.on('job', faults);
    expect(queue.jobs().map((j) => j.state)).toEqual([...new Array(4).fill('printed'), 'held', ...new Array(N - 5).fill('queued')]);
    queue.start();
    await waitFor(() => heldFor('paper_out'), 10_000, 'still held for paper after the restart');
    sim.setPaper('ok');

    // After the unplug the queue holds (no connection) until a printer answers on that port again.
    await waitFor(() => printedEvents === 9 && heldFor(['unreachable', 'io', 'timeout']), 10_000, 'held while unplugged');
    sim = await startSim(sim.port);
    await waitFor(() => printedIds().length === N, 15_000, 'every job printed');

    const jobs = queue.jobs();
    expect(jobs.map((j) => j.id)).toEqual(ids);
    for (const j of jobs) expect(j).toMatchObject({ state: 'printed', attempts: 1, reprints: 0, maybePrinted: false });
    // What came out of the printers: each id once, in queue order, nothing refused, no reprint mark.
    expect(out.map(jobIdOf)).toEqual(ids);
    expect(out.map((p) => p.qrData)).toEqual(ids.map((id) => [id]));
    expect(out.filter((p) => p.errors.length > 0 || isReprint(p))).toEqual([]);
    // And what a scanner at the gate would read off the paper.
    for (const p of out) expect(await decodeQrFromPng(p.png)).toEqual([jobIdOf(p)]);
    expect(sims).toHaveLength(2);
    expect(statuses.some((s) => s.reason === 'paper_out')).toBe(true);
    expect(queue.status('box-1')).toMatchObject({ state: 'idle', pending: 0 });
  });

  it('reprints, marked, a job the core crashed on after sending it, and nothing else twice', async () => {
    // A printer wrapper that sends the bytes (the real driver, confirmed by the simulator) and then
    // never returns: the process "dies" between the printer taking the job and the queue marking it.
    db = openLocalDb(file, MIGRATIONS);
    printer = createEscPosPrinter({ host: '127.0.0.1', port: sim.port, timeoutMs: 500 });
    let crashOn: string | null = null;
    let died = false;
    const dying: QueuePrinter = {
      status: () => printer.status(),
      print: async (doc) => {
        await printer.print(doc);
        if (crashOn && JSON.stringify(doc).includes(crashOn)) {
          died = true;
          await new Promise<never>(() => {});
        }
      },
    };
    queue = createPrintQueue({ db: db.$client, printers: new Map([['box-1', dying]]), retryInitialMs: 20 });
    const ids = [0, 1, 2, 3, 4].map(() => queue.enqueue('box-1', 'ticket', ticket));
    crashOn = ids[2]!;
    queue.start();
    await waitFor(() => died, 10_000, 'third job confirmed by the printer, not yet recorded');
    expect(out).toHaveLength(3);
    expect(queue.job(ids[2]!)?.state).toBe('printing');
    // The crash: nothing is stopped or flushed; the database handle just goes away with the process.
    db.$client.close();
    await printer.close();

    boot();
    expect(queue.job(ids[2]!)).toMatchObject({ state: 'printing', attempts: 1 });
    queue.start();
    expect(queue.job(ids[2]!)).toMatchObject({ state: 'queued', maybePrinted: true, error: { code: 'interrupted' } });
    await waitFor(() => printedIds().length === 5, 10_000, 'all printed after the restart');

    expect(out.map(jobIdOf)).toEqual([ids[0], ids[1], ids[2], ids[2], ids[3], ids[4]]);
    expect(out.map(isReprint)).toEqual([false, false, false, true, false, false]);
    expect(queue.job(ids[2]!)).toMatchObject({ state: 'printed', attempts: 2, reprints: 1, maybePrinted: false });
    for (const id of [ids[0], ids[1], ids[3], ids[4]]) expect(queue.job(id!)).toMatchObject({ attempts: 1, reprints: 0 });
    // The marked copy still carries the same, scannable code.
    expect(await decodeQrFromPng(out[3]!.png)).toEqual([ids[2]]);
  });

  it('holds a job when paper runs out inside it, and marks the copy printed after the refill', async () => {
    boot();
    const ids = [0, 1, 2].map(() => queue.enqueue('box-1', 'ticket', ticket));
    // Paper ends as the second ticket comes out: the driver's check after the job sees it.
    sim.on('job', () => {
      if (out.length === 2) sim.setPaper('out');
    });
    queue.start();
    await waitFor(() => heldFor('paper_out') && queue.job(ids[1]!)?.maybePrinted === true, 10_000, 'held after the partial ticket');
    expect(queue.job(ids[1]!)).toMatchObject({ state: 'held', attempts: 1 });
    sim.setPaper('ok');
    await waitFor(() => printedIds().length === 3, 10_000, 'all printed');
    expect(out.map(jobIdOf)).toEqual([ids[0], ids[1], ids[1], ids[2]]);
    expect(out.map(isReprint)).toEqual([false, false, true, false]);
    expect(queue.job(ids[1]!)).toMatchObject({ state: 'printed', attempts: 2, reprints: 1 });
  });

  it('fails a document the printer cannot take without blocking the line; retry, cancel and unknown printers', async () => {
    boot();
    expect(() => queue.enqueue('nowhere', 'ticket', ticket)).toThrow(expect.objectContaining({ code: 'unknown_printer' }));
    const bad = queue.enqueue('box-1', 'receipt', { blocks: [{ type: 'qr', data: '' }] });
    const cancelled = queue.enqueue('box-1', 'ticket', ticket);
    const good = queue.enqueue('box-1', 'ticket', ticket);
    queue.cancel(cancelled);
    queue.start();
    await waitFor(() => queue.job(good)?.state === 'printed', 10_000, 'good job printed');
    expect(queue.job(bad)).toMatchObject({ state: 'failed', error: { code: 'bad_document' } });
    expect(queue.job(cancelled)).toMatchObject({ state: 'cancelled' });
    expect(out.map(jobIdOf)).toEqual([good]);
    expect(() => queue.cancel(good)).toThrow(expect.objectContaining({ code: 'not_cancellable' }));
    expect(() => queue.retry(good)).toThrow(expect.objectContaining({ code: 'not_retryable' }));
    expect(() => queue.retry('no-such-job')).toThrow(expect.objectContaining({ code: 'not_found' }));
    queue.retry(bad);
    await waitFor(() => queue.job(bad)?.state === 'failed' && events.filter((e) => e.id === bad && e.state === 'failed').length === 2, 10_000);
    // print_jobs keeps the outcome in its own vocabulary.
    const rows = db.$client.prepare('select id, state, error from print_jobs order by created_at').all() as { id: string; state: string; error: string | null }[];
    expect(Object.fromEntries(rows.map((r) => [r.id, r.state]))).toEqual({ [bad]: 'failed', [cancelled]: 'failed', [good]: 'printed' });
  });
});

describe('print queue policy (stub printers)', () => {
  let dir: string;
  let db: LocalDb;
  let queue: PrintQueue;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'admit-printq-'));
    db = openLocalDb(join(dir, 't.sqlite'), MIGRATIONS);
  });
  afterEach(async () => {
    await queue.stop();
    db.$client.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const READY: PrinterStatus = { online: true, coverOpen: false, paperOut: false, paperNearEnd: false, error: false };

  it('gives up on a job sent three times without confirmation, and moves on', async () => {
    let sends = 0;
    const flaky: QueuePrinter = {
      status: async () => READY,
      print: async (doc) => {
        if (JSON.stringify(doc).includes('FLAKY')) {
          sends++;
          throw new DriverError('timeout', 'no status reply after the job');
        }
      },
    };
    queue = createPrintQueue({ db: db.$client, printers: new Map([['p', flaky]]), retryInitialMs: 5, retryMaxMs: 20 });
    const a = queue.enqueue('p', 'receipt', { blocks: [{ type: 'text', text: 'FLAKY' }] });
    const b = queue.enqueue('p', 'receipt', { blocks: [{ type: 'text', text: 'fine' }] });
    queue.start();
    await waitFor(() => queue.job(b)?.state === 'printed', 5000);
    expect(sends).toBe(3);
    expect(queue.job(a)).toMatchObject({ state: 'failed', attempts: 3, maybePrinted: true, error: { code: 'unconfirmed' } });
  });

  it('keeps printers independent: one held for its cover does not stop another', async () => {
    let coverOpen = true;
    const printed: string[] = [];
    const mk = (name: string, status: () => PrinterStatus): QueuePrinter => ({
      status: async () => status(),
      print: async (doc) => {
        printed.push(`${name}:${(doc.blocks[0] as { text: string }).text}`);
      },
    });
    queue = createPrintQueue({
      db: db.$client,
      printers: new Map([
        ['a', mk('a', () => ({ ...READY, coverOpen }))],
        ['b', mk('b', () => READY)],
      ]),
      retryInitialMs: 5,
      retryMaxMs: 20,
    });
    queue.enqueue('a', 'ticket', { blocks: [{ type: 'text', text: '1' }] });
    queue.enqueue('b', 'ticket', { blocks: [{ type: 'text', text: '2' }] });
    queue.enqueue('a', 'ticket', { blocks: [{ type: 'text', text: '3' }] });
    queue.start();
    await waitFor(() => printed.includes('b:2') && queue.status('a')?.reason === 'cover_open', 5000);
    expect(printed).toEqual(['b:2']);
    expect(queue.status('a')).toMatchObject({ state: 'held', pending: 2 });
    coverOpen = false;
    await waitFor(() => printed.length === 3, 5000);
    expect(printed).toEqual(['b:2', 'a:1', 'a:3']);
  });
});
