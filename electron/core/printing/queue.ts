// Owns durable printing: every ticket, receipt or badge goes through a queue persisted in the
// terminal's SQLite, and one worker per printer prints its jobs in order, one at a time. A printer
// that is out of paper, open, offline or unreachable holds the job at the head of its line and is
// retried with backoff (1 s doubling to 30 s by default) while its status is reported; a job counts
// as printed only once the driver confirmed it (for ESC/POS: the DLE EOT status read after the job).
//
// The crash window, and the trade-off chosen. A job is marked 'printing' (committed) before its
// first byte is sent, and 'printed' after the printer confirmed it. A crash between the two leaves
// it in 'printing', and ESC/POS gives no way to ask a printer afterwards whether it printed a given
// job. On the next start such a job is printed again, with a REPRINT mark on top and counted in
// `reprints`: the customer paid for that ticket and an unattended kiosk has no operator to ask, so
// a lost ticket is the worse outcome; a marked duplicate costs paper and cannot admit twice (a
// ticket code checks in once, whatever paper it is on). The same rule covers a print that failed
// after its bytes may have left (paper ran out mid-ticket, the connection dropped, no confirmation):
// the job is held, and its next copy is marked. A print the printer never got (the queue's own
// status check failed or said not ready, or no connection could be made) is retried unmarked, so
// outside a crash or a fault mid-job every job prints exactly once. A job sent unconfirmed
// `maxUnconfirmedSends` times fails with 'unconfirmed' for an operator to retry or cancel, rather
// than feeding the printer copies forever; a document the printer cannot take fails at once.
//
// Callers that must answer quickly (a sale) enqueue and then settle(): printed within a short wait, or
// the reason it has not (the jobs stay in line either way). The device supervisor wake()s a printer's
// held jobs as soon as its status poll sees it ready again, rather than waiting out the backoff.
import type Database from 'better-sqlite3';
import { DriverError, printerRefusal, TypedEmitter, type PrintBlock, type PrintDocument, type PrinterStatus } from '../../../drivers';
import { newId } from '../ids';
import { PrintJobStore, type PrintJob, type PrintJobKind, type PrintJobState } from './job-store';

export type { PrintJob, PrintJobKind, PrintJobState } from './job-store';

/** The slice of a printer driver the queue uses (every drivers/printers driver has it). */
export interface QueuePrinter {
  print(doc: PrintDocument): Promise<void>;
  status(): Promise<PrinterStatus>;
}

export type PrintQueueErrorCode = 'unknown_printer' | 'bad_document' | 'not_found' | 'not_retryable' | 'busy' | 'not_cancellable';
export type PrintQueueError = DriverError<PrintQueueErrorCode>;

export interface PrinterQueueStatus {
  printerId: string;
  /** idle: nothing to print; printing; held: waiting to retry the head job; stopped. */
  state: 'idle' | 'printing' | 'held' | 'stopped';
  /** Why the head job is held: paper_out, cover_open, offline, printer_error, unreachable, … */
  reason: string | null;
  /** Jobs still to print on this printer. */
  pending: number;
  nextAttemptAt: string | null;
}

export interface PrintQueueOptions {
  db: Database.Database;
  printers: Map<string, QueuePrinter>;
  /** First retry delay of a held job; doubles per failed try. Default 1000. */
  retryInitialMs?: number;
  /** Default 30 000. */
  retryMaxMs?: number;
  /** Unconfirmed sends of one job before it fails for an operator to decide. Default 3. */
  maxUnconfirmedSends?: number;
  /** Blocks put on top of a copy that may duplicate an earlier, unconfirmed one. */
  reprintMark?: (job: PrintJob) => PrintBlock[];
}

export type SettleResult = { printed: true; code: null } | { printed: false; code: string };

type QueueEvents = {
  /** A job was added or changed state (a snapshot after the change). */
  job: [PrintJob];
  status: [PrinterQueueStatus];
};

export interface PrintQueue {
  /** Queue a document; a function receives the job id first (to print it on the ticket). */
  enqueue(printerId: string, kind: PrintJobKind, doc: PrintDocument | ((jobId: string) => PrintDocument)): string;
  jobs(filter?: { printerId?: string; states?: readonly PrintJobState[] }): PrintJob[];
  job(jobId: string): PrintJob | null;
  /** Try a failed or held job again now. */
  retry(jobId: string): void;
  /** Drop a job that has not printed (not one being printed right now). */
  cancel(jobId: string): void;
  /** Recover jobs cut off by a crash, then start a worker per printer. */
  start(): void;
  /** Let each worker finish the job in hand (and record its outcome), then stop. */
  stop(): Promise<void>;
  status(printerId: string): PrinterQueueStatus | null;
  /** The printers this queue has a worker for. */
  printerIds(): string[];
  /** The printer says it is ready again (paper refilled): try its held jobs now, backoff reset. */
  wake(printerId: string): void;
  /**
   * Wait for jobs to print: 'printed' once every one has, or — as soon as one of them fails or is
   * held for a reason `answerEarly` accepts (default: any), or after `timeoutMs` — the first reason
   * it has not ('paper_out', 'unreachable', …; 'print_timeout' when it is simply still in line).
   * The jobs stay queued either way.
   */
  settle(jobIds: readonly string[], timeoutMs: number, options?: { answerEarly?: (code: string) => boolean }): Promise<SettleResult>;
  on<K extends keyof QueueEvents>(event: K, listener: (...args: QueueEvents[K]) => void): unknown;
  off<K extends keyof QueueEvents>(event: K, listener: (...args: QueueEvents[K]) => void): unknown;
}

/** Codes after which the same document will never print: fail at once. */
const PERMANENT = new Set(['bad_document', 'rejected']);
/** Codes that say the printer was never reached, so nothing of the job can have printed. */
const NOT_SENT = new Set(['unreachable', 'closed', 'bad_document']);

const codeOf = (e: unknown): string => {
  const c = (e as { code?: unknown })?.code;
  return typeof c === 'string' && c ? c : 'io';
};
const detailOf = (e: unknown): string =>
  e instanceof DriverError ? e.detail : e instanceof Error ? e.message : String(e);

export const defaultReprintMark = (job: PrintJob): PrintBlock[] => [
  { type: 'text', text: '*** REPRINT ***', align: 'center', bold: true, size: 2 },
  { type: 'text', text: `May duplicate an earlier copy (job ${job.id})`, align: 'center' },
  { type: 'rule' },
];

const isDocument = (d: unknown): d is PrintDocument =>
  typeof d === 'object' && d !== null && Array.isArray((d as { blocks?: unknown }).blocks);

class PrinterWorker {
  #running = false;
  #loop: Promise<void> | null = null;
  #poked = false;
  #wake: (() => void) | null = null;
  #failures = 0;
  #status: PrinterQueueStatus;
  #lastStatus = '';

  constructor(
    readonly printerId: string,
    private readonly printer: QueuePrinter,
    private readonly queue: PrintQueueImpl,
  ) {
    this.#status = { printerId, state: 'stopped', reason: null, pending: 0, nextAttemptAt: null };
  }

  get status(): PrinterQueueStatus {
    let pending = this.#status.pending;
    try {
      pending = this.queue.store.pendingCount(this.printerId);
      this.#status.pending = pending;
    } catch {
      // database gone (shutting down): report the last count
    }
    return { ...this.#status, pending };
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run().catch((e: unknown) => {
      // A database failure (closed handle) ends this worker; the jobs stay on disk for the next start.
      this.#running = false;
      this.#status = { ...this.#status, state: 'stopped', reason: `worker_error: ${detailOf(e)}`, nextAttemptAt: null };
      this.queue.emitStatus({ ...this.#status });
    });
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.poke();
    await this.#loop;
    this.#loop = null;
  }

  /** Something changed (new job, retry, cancel): look again now. */
  poke(resetBackoff = false): void {
    if (resetBackoff) this.#failures = 0;
    this.#poked = true;
    this.#wake?.();
  }

  publish(): void {
    const s = this.status;
    const key = JSON.stringify(s);
    if (key === this.#lastStatus) return;
    this.#lastStatus = key;
    this.queue.emitStatus(s);
  }

  #setStatus(state: PrinterQueueStatus['state'], reason: string | null, nextAttemptAt: string | null): void {
    this.#status = { ...this.#status, state, reason, nextAttemptAt };
    this.publish();
  }

  /** Wait for `ms` (null: until poked). A poke that came while working is not lost. */
  #sleep(ms: number | null): Promise<void> {
    if (this.#poked || !this.#running) {
      this.#poked = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      let timer: NodeJS.Timeout | null = null;
      const done = () => {
        if (timer) clearTimeout(timer);
        this.#wake = null;
        this.#poked = false;
        resolve();
      };
      if (ms !== null) timer = setTimeout(done, ms);
      this.#wake = done;
    });
  }

  async #run(): Promise<void> {
    const store = this.queue.store;
    while (this.#running) {
      this.#poked = false;
      const job = store.next(this.printerId);
      if (!job) {
        this.#setStatus('idle', null, null);
        await this.#sleep(null);
        continue;
      }
      const wait = job.nextAttemptAt ? Date.parse(job.nextAttemptAt) - Date.now() : 0;
      if (wait > 0) {
        this.#setStatus('held', job.error?.code ?? null, job.nextAttemptAt);
        await this.#sleep(wait);
        continue;
      }
      await this.#attempt(job);
    }
    this.#setStatus('stopped', null, null);
  }

  async #attempt(job: PrintJob): Promise<void> {
    const q = this.queue;
    // Our own status read first: a printer that is not ready never gets the bytes, so a retry after
    // it is not a possible duplicate (the driver's print() checks again, but then we cannot tell
    // "refused before sending" from "failed after").
    let status: PrinterStatus;
    try {
      status = await this.printer.status();
    } catch (e) {
      this.#hold(job, codeOf(e), detailOf(e), false);
      return;
    }
    const reason = printerRefusal(status);
    if (reason) {
      this.#hold(job, reason, `printer reports ${reason.replace('_', ' ')}`, false);
      return;
    }
    // stop() was called while we asked: do not start a job we would not see through.
    if (!this.#running) return;
    const current = q.store.get(job.id);
    if (!current || (current.state !== 'queued' && current.state !== 'held')) return; // cancelled meanwhile
    if (!isDocument(current.document)) {
      q.store.markFailed(job.id, 'bad_document', 'stored document is not a PrintDocument', false, q.now());
      q.emitJob(job.id);
      return;
    }
    const reprint = current.maybePrinted;
    // A badge is a card of its own layout: it cannot carry a mark (its copy is counted all the same).
    const doc: PrintDocument = reprint && current.kind !== 'badge' ? { blocks: [...q.reprintMark(current), ...current.document.blocks] } : current.document;

    q.store.markPrinting(job.id, q.now());
    this.#setStatus('printing', null, null);
    q.emitJob(job.id);
    try {
      await this.printer.print(doc);
    } catch (e) {
      const code = codeOf(e);
      const detail = detailOf(e);
      const maybeSent = !NOT_SENT.has(code);
      if (PERMANENT.has(code)) {
        q.store.markFailed(job.id, code, detail, maybeSent, q.now());
        q.emitJob(job.id);
        return;
      }
      if (maybeSent && current.attempts + 1 >= q.maxUnconfirmedSends) {
        q.store.markFailed(job.id, 'unconfirmed', `sent ${current.attempts + 1} times without confirmation; last: ${code}: ${detail}`, true, q.now());
        q.emitJob(job.id);
        return;
      }
      this.#hold(job, code, detail, maybeSent);
      return;
    }
    q.store.markPrinted(job.id, reprint, q.now());
    this.#failures = 0;
    q.emitJob(job.id);
  }

  #hold(job: PrintJob, code: string, detail: string, maybePrinted: boolean): void {
    const q = this.queue;
    this.#failures++;
    const delay = Math.min(q.retryInitialMs * 2 ** (this.#failures - 1), q.retryMaxMs);
    const next = new Date(Date.now() + delay).toISOString();
    // A job cancelled while its status was read stays cancelled.
    const current = q.store.get(job.id);
    if (!current || current.state === 'cancelled' || current.state === 'failed') return;
    q.store.markHeld(job.id, code, detail, next, maybePrinted, q.now());
    q.emitJob(job.id);
    this.#setStatus('held', code, next);
  }
}

class PrintQueueImpl extends TypedEmitter<QueueEvents> implements PrintQueue {
  readonly store: PrintJobStore;
  readonly retryInitialMs: number;
  readonly retryMaxMs: number;
  readonly maxUnconfirmedSends: number;
  readonly reprintMark: (job: PrintJob) => PrintBlock[];
  readonly #workers = new Map<string, PrinterWorker>();
  #started = false;

  constructor(options: PrintQueueOptions) {
    super();
    this.store = new PrintJobStore(options.db);
    this.retryInitialMs = options.retryInitialMs ?? 1000;
    this.retryMaxMs = options.retryMaxMs ?? 30_000;
    this.maxUnconfirmedSends = options.maxUnconfirmedSends ?? 3;
    this.reprintMark = options.reprintMark ?? defaultReprintMark;
    for (const [id, printer] of options.printers) this.#workers.set(id, new PrinterWorker(id, printer, this));
  }

  now(): string {
    return new Date().toISOString();
  }

  emitJob(id: string): void {
    const job = this.store.get(id);
    if (job) this.emit('job', job);
    this.#workers.get(job?.printerId ?? '')?.publish();
  }

  emitStatus(s: PrinterQueueStatus): void {
    this.emit('status', s);
  }

  enqueue(printerId: string, kind: PrintJobKind, doc: PrintDocument | ((jobId: string) => PrintDocument)): string {
    const worker = this.#workers.get(printerId);
    if (!worker) throw new DriverError<PrintQueueErrorCode>('unknown_printer', `no printer '${printerId}' in this queue`);
    const id = newId();
    const document = typeof doc === 'function' ? doc(id) : doc;
    if (!isDocument(document)) throw new DriverError<PrintQueueErrorCode>('bad_document', 'a print document needs a blocks array');
    this.store.insert({ id, printerId, kind, document }, this.now());
    this.emitJob(id);
    worker.poke();
    return id;
  }

  jobs(filter: { printerId?: string; states?: readonly PrintJobState[] } = {}): PrintJob[] {
    const all = this.store.list(filter.printerId);
    return filter.states ? all.filter((j) => filter.states!.includes(j.state)) : all;
  }

  job(jobId: string): PrintJob | null {
    return this.store.get(jobId);
  }

  retry(jobId: string): void {
    const job = this.#existing(jobId);
    if (job.state !== 'failed' && job.state !== 'held' && job.state !== 'queued') {
      throw new DriverError<PrintQueueErrorCode>('not_retryable', `job ${jobId} is ${job.state}`);
    }
    this.store.markQueued(jobId, this.now());
    this.emitJob(jobId);
    this.#workers.get(job.printerId)?.poke(true);
  }

  cancel(jobId: string): void {
    const job = this.#existing(jobId);
    if (job.state === 'cancelled') return;
    if (job.state === 'printing') throw new DriverError<PrintQueueErrorCode>('busy', `job ${jobId} is being printed`);
    if (job.state === 'printed') throw new DriverError<PrintQueueErrorCode>('not_cancellable', `job ${jobId} has printed`);
    this.store.markCancelled(jobId, this.now());
    this.emitJob(jobId);
    this.#workers.get(job.printerId)?.poke(true);
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    for (const id of this.store.recover(this.now())) this.emitJob(id);
    for (const w of this.#workers.values()) w.start();
  }

  async stop(): Promise<void> {
    this.#started = false;
    await Promise.all([...this.#workers.values()].map((w) => w.stop()));
  }

  status(printerId: string): PrinterQueueStatus | null {
    return this.#workers.get(printerId)?.status ?? null;
  }

  printerIds(): string[] {
    return [...this.#workers.keys()];
  }

  wake(printerId: string): void {
    const worker = this.#workers.get(printerId);
    if (!worker) return;
    this.store.makeDue(printerId);
    worker.poke(true);
  }

  settle(jobIds: readonly string[], timeoutMs: number, options: { answerEarly?: (code: string) => boolean } = {}): Promise<SettleResult> {
    const early = options.answerEarly ?? (() => true);
    const verdict = (): SettleResult | null => {
      let printed = 0;
      for (const id of jobIds) {
        const j = this.store.get(id);
        if (!j) return { printed: false, code: 'not_found' };
        if (j.state === 'printed') printed++;
        else if (j.state === 'failed') return { printed: false, code: j.error?.code ?? j.state };
        // Held until later; a held job that is due (woken) is about to be tried again.
        else if (j.state === 'held' && j.nextAttemptAt !== null && Date.parse(j.nextAttemptAt) > Date.now() && early(j.error?.code ?? 'held')) {
          return { printed: false, code: j.error?.code ?? 'held' };
        }
        else if (j.state === 'cancelled') return { printed: false, code: 'cancelled' };
      }
      return printed === jobIds.length ? { printed: true, code: null } : null;
    };
    const now = verdict();
    if (now) return Promise.resolve(now);
    return new Promise((resolve) => {
      const wanted = new Set(jobIds);
      const done = (r: SettleResult) => {
        clearTimeout(timer);
        this.off('job', onJob);
        resolve(r);
      };
      const onJob = (j: PrintJob) => {
        if (!wanted.has(j.id)) return;
        try {
          const r = verdict();
          if (r) done(r);
        } catch {
          done({ printed: false, code: 'print_failed' });
        }
      };
      const timer = setTimeout(() => {
        let code = 'print_timeout';
        try {
          const pending = jobIds.map((id) => this.store.get(id)).find((j) => j && j.state !== 'printed');
          code = pending?.error?.code ?? code;
        } catch {
          // database closed meanwhile
        }
        done({ printed: false, code });
      }, timeoutMs);
      this.on('job', onJob);
    });
  }

  #existing(jobId: string): PrintJob {
    const job = this.store.get(jobId);
    if (!job) throw new DriverError<PrintQueueErrorCode>('not_found', `no print job ${jobId}`);
    return job;
  }
}

export function createPrintQueue(options: PrintQueueOptions): PrintQueue {
  return new PrintQueueImpl(options);
}
