// A badge printer's faults through the core's real print queue (a real SQLite file, the Evolis
// simulator over TCP, the driver opened from its configuration): a feeder out of cards and a spent
// ribbon hold the badge job with paper_out / ribbon_out and send the printer nothing; once cards (or a
// ribbon) are loaded the job prints, once, and nothing prints twice.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultBadgeTemplate } from '../../domain/badge-template';
import { openContext, openDevice, type PrintDocument, type Printer, type PrinterConfig } from '../../drivers';
import { decodeQrFromPng, startEvolisSimulator, type EvolisSimulator } from '../../drivers/simulators';
import { openLocalDb, type LocalDb } from '../../electron/core/db/open';
import { createPrintQueue, type PrintQueue } from '../../electron/core/printing/queue';
import { waitFor } from '../helpers/wait';

const MIGRATIONS = fileURLToPath(new URL('../../migrations/local', import.meta.url));

const badge = (code: string): PrintDocument => ({
  blocks: [
    {
      type: 'badge',
      template: defaultBadgeTemplate(),
      attendee: { name: 'Иванов Пётр', company: 'Admit Expo', ticketType: 'Speaker', ticketCode: code },
    },
  ],
});

describe('badge jobs on an Evolis through the print queue', () => {
  let dir: string;
  let db: LocalDb;
  let sim: EvolisSimulator;
  let printer: Printer;
  let queue: PrintQueue;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'admit-badgeq-'));
    db = openLocalDb(join(dir, 'terminal.sqlite'), MIGRATIONS);
    sim = await startEvolisSimulator();
    const config: PrinterConfig = { kind: 'printer', driver: 'evolis', transport: { type: 'tcp', host: '127.0.0.1', port: sim.port }, timeoutMs: 5000 };
    printer = openDevice(config, openContext());
    queue = createPrintQueue({ db: db.$client, printers: new Map([['badge-1', printer]]), retryInitialMs: 50, retryMaxMs: 500 });
  });

  afterEach(async () => {
    await queue?.stop().catch(() => undefined);
    await printer?.close().catch(() => undefined);
    db?.$client.close();
    await sim?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const [fault, state, code] of [
    ['out of cards', { feederEmpty: true }, 'paper_out'],
    ['ribbon out', { ribbonError: true }, 'ribbon_out'],
  ] as const) {
    it(`${fault}: the job is held (${code}) with nothing sent; loaded again, it prints once`, async () => {
      sim.set(state);
      expect(await printer.status()).toMatchObject(
        code === 'paper_out' ? { paperOut: true, online: false } : { ribbonOut: true, online: false },
      );
      let held = 0;
      queue.on('job', (j) => (held += j.state === 'held' ? 1 : 0));
      queue.start();
      const id = queue.enqueue('badge-1', 'badge' as never, badge(`Q-${code}`));
      await waitFor(
        () => queue.status('badge-1')?.state === 'held' && queue.status('badge-1')?.reason === code,
        30_000,
        `held for ${code}`,
      );
      expect(queue.job(id)).toMatchObject({ state: 'held', error: { code }, attempts: 0, maybePrinted: false });
      // Retries while the fault lasts ask the printer's status and never start a card.
      await waitFor(() => held >= 3, 30_000, 'two retries');
      expect(sim.jobs).toHaveLength(0);

      sim.set({ feederEmpty: false, ribbonError: false });
      queue.wake('badge-1');
      await waitFor(() => queue.job(id)?.state === 'printed', 60_000, 'printed');
      expect(await queue.settle([id], 1000)).toEqual({ printed: true, code: null });
      const job = await sim.waitForJob(0);
      expect(job.errors).toEqual([]);
      expect(await decodeQrFromPng(job.png)).toEqual([`Q-${code}`]);
      // Once: the queue goes idle with one card printed, not a reprint.
      await waitFor(() => queue.status('badge-1')?.state === 'idle', 30_000, 'idle');
      expect(sim.jobs).toHaveLength(1);
      expect(queue.job(id)).toMatchObject({ state: 'printed', attempts: 1 });
    }, 120_000);
  }
});
