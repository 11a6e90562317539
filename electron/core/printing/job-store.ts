// Owns the print spooler's SQL: print_jobs (the job and its outcome) and print_queue (its place in
// line and the spooler's working state), always changed together in one transaction, so a job is
// never half-queued or half-printed on disk. Raw prepared statements, like the core's Store.
import type Database from 'better-sqlite3';
import type { PrintDocument } from '../../../drivers';
import type { printJobs, printQueue } from '../db/schema';

export type PrintJobKind = (typeof printJobs.$inferSelect)['kind'];
export type PrintJobState = (typeof printQueue.$inferSelect)['state'];

export interface PrintJob {
  id: string;
  printerId: string;
  kind: PrintJobKind;
  state: PrintJobState;
  /** Place in line (lower prints first). */
  seq: number;
  document: PrintDocument;
  /** Times the job was handed to the printer. */
  attempts: number;
  /** Copies printed with a reprint mark. */
  reprints: number;
  /** An earlier send may have printed without confirmation: the next copy is marked as a reprint. */
  maybePrinted: boolean;
  error: { code: string; detail: string | null } | null;
  createdAt: string;
  printedAt: string | null;
  nextAttemptAt: string | null;
  updatedAt: string;
}

interface Row {
  id: string;
  printerId: string;
  kind: PrintJobKind;
  document: string;
  error: string | null;
  createdAt: string;
  printedAt: string | null;
  seq: number;
  state: PrintJobState;
  attempts: number;
  nextAttemptAt: string | null;
  errorCode: string | null;
  maybePrinted: number;
  reprints: number;
  updatedAt: string;
}

const SELECT = `select j.id, j.printer_id as printerId, j.kind, j.document, j.error, j.created_at as createdAt,
    j.printed_at as printedAt, q.seq, q.state, q.attempts, q.next_attempt_at as nextAttemptAt,
    q.error_code as errorCode, q.maybe_printed as maybePrinted, q.reprints, q.updated_at as updatedAt
  from print_queue q join print_jobs j on j.id = q.job_id`;

function toJob(r: Row): PrintJob {
  let document: PrintDocument;
  try {
    document = JSON.parse(r.document) as PrintDocument;
  } catch {
    document = { blocks: [] };
  }
  return {
    id: r.id,
    printerId: r.printerId,
    kind: r.kind,
    state: r.state,
    seq: r.seq,
    document,
    attempts: r.attempts,
    reprints: r.reprints,
    maybePrinted: r.maybePrinted === 1,
    error: r.errorCode ? { code: r.errorCode, detail: r.error } : null,
    createdAt: r.createdAt,
    printedAt: r.printedAt,
    nextAttemptAt: r.nextAttemptAt,
    updatedAt: r.updatedAt,
  };
}

/** States in which a job still has to print. */
export const PENDING_STATES: readonly PrintJobState[] = ['queued', 'held', 'printing'];

export class PrintJobStore {
  readonly #db: Database.Database;
  readonly #s;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#s = {
      insJob: db.prepare(`insert into print_jobs(id, printer_id, kind, document, state, created_at) values (?, ?, ?, ?, 'queued', ?)`),
      insQueue: db.prepare(`insert into print_queue(job_id, seq, state, updated_at)
        values (?, (select coalesce(max(seq), 0) + 1 from print_queue), 'queued', ?)`),
      get: db.prepare<[string], Row>(`${SELECT} where j.id = ?`),
      all: db.prepare<[], Row>(`${SELECT} order by q.seq`),
      byPrinter: db.prepare<[string], Row>(`${SELECT} where j.printer_id = ? order by q.seq`),
      next: db.prepare<[string], Row>(`${SELECT} where j.printer_id = ? and q.state in ('queued', 'held') order by q.seq limit 1`),
      pending: db.prepare<[string], { n: number }>(
        `select count(*) as n from print_queue q join print_jobs j on j.id = q.job_id where j.printer_id = ? and q.state in ('queued', 'held', 'printing')`,
      ),
      printing: db.prepare(`update print_queue set state = 'printing', attempts = attempts + 1, started_at = ?, updated_at = ? where job_id = ?`),
      printedQ: db.prepare(`update print_queue set state = 'printed', maybe_printed = 0, reprints = reprints + ?, error_code = null,
        next_attempt_at = null, updated_at = ? where job_id = ?`),
      printedJ: db.prepare(`update print_jobs set state = 'printed', printed_at = ?, error = null where id = ?`),
      heldQ: db.prepare(`update print_queue set state = 'held', error_code = ?, next_attempt_at = ?,
        maybe_printed = max(maybe_printed, ?), updated_at = ? where job_id = ?`),
      failedQ: db.prepare(`update print_queue set state = 'failed', error_code = ?, next_attempt_at = null,
        maybe_printed = max(maybe_printed, ?), updated_at = ? where job_id = ?`),
      queuedQ: db.prepare(`update print_queue set state = 'queued', error_code = null, next_attempt_at = null, updated_at = ? where job_id = ?`),
      cancelledQ: db.prepare(`update print_queue set state = 'cancelled', next_attempt_at = null, updated_at = ? where job_id = ?`),
      jobState: db.prepare(`update print_jobs set state = ?, error = ? where id = ?`),
      jobError: db.prepare(`update print_jobs set error = ? where id = ?`),
      interrupted: db.prepare<[string], { jobId: string }>(
        `update print_queue set state = 'queued', maybe_printed = 1, error_code = 'interrupted', updated_at = ?
         where state = 'printing' returning job_id as jobId`,
      ),
      dueNow: db.prepare(`update print_queue set next_attempt_at = null where state = 'held'`),
      dueNowFor: db.prepare(`update print_queue set next_attempt_at = null
        where state = 'held' and job_id in (select id from print_jobs where printer_id = ?)`),
    };
  }

  insert(job: { id: string; printerId: string; kind: PrintJobKind; document: PrintDocument }, now: string): PrintJob {
    this.#db.transaction(() => {
      this.#s.insJob.run(job.id, job.printerId, job.kind, JSON.stringify(job.document), now);
      this.#s.insQueue.run(job.id, now);
    })();
    return this.get(job.id)!;
  }

  get(id: string): PrintJob | null {
    const r = this.#s.get.get(id);
    return r ? toJob(r) : null;
  }

  list(printerId?: string): PrintJob[] {
    return (printerId === undefined ? this.#s.all.all() : this.#s.byPrinter.all(printerId)).map(toJob);
  }

  /** The job a printer's worker should look at next: the first one still to print, in order. */
  next(printerId: string): PrintJob | null {
    const r = this.#s.next.get(printerId);
    return r ? toJob(r) : null;
  }

  pendingCount(printerId: string): number {
    return this.#s.pending.get(printerId)?.n ?? 0;
  }

  /** Committed before the first byte is sent: a crash from here on leaves the job in 'printing'. */
  markPrinting(id: string, now: string): void {
    this.#s.printing.run(now, now, id);
  }

  markPrinted(id: string, reprinted: boolean, now: string): void {
    this.#db.transaction(() => {
      this.#s.printedQ.run(reprinted ? 1 : 0, now, id);
      this.#s.printedJ.run(now, id);
    })();
  }

  markHeld(id: string, code: string, detail: string, nextAttemptAt: string, maybePrinted: boolean, now: string): void {
    this.#db.transaction(() => {
      this.#s.heldQ.run(code, nextAttemptAt, maybePrinted ? 1 : 0, now, id);
      this.#s.jobError.run(detail, id);
    })();
  }

  markFailed(id: string, code: string, detail: string, maybePrinted: boolean, now: string): void {
    this.#db.transaction(() => {
      this.#s.failedQ.run(code, maybePrinted ? 1 : 0, now, id);
      this.#s.jobState.run('failed', detail, id);
    })();
  }

  markQueued(id: string, now: string): void {
    this.#db.transaction(() => {
      this.#s.queuedQ.run(now, id);
      this.#s.jobState.run('queued', null, id);
    })();
  }

  markCancelled(id: string, now: string): void {
    this.#db.transaction(() => {
      this.#s.cancelledQ.run(now, id);
      this.#s.jobState.run('failed', 'cancelled', id);
    })();
  }

  /** A printer reported it is ready again (paper refilled, cover closed): its held jobs are due now. */
  makeDue(printerId: string): void {
    this.#s.dueNowFor.run(printerId);
  }

  /**
   * At start-up: every job left in 'printing' was cut off between "sending" and "confirmed" by a
   * crash. It goes back in line, flagged so its next copy is marked as a possible duplicate.
   * Held jobs become due now: a restart is a natural moment to try again.
   */
  recover(now: string): string[] {
    return this.#db.transaction(() => {
      const ids = this.#s.interrupted.all(now).map((r) => r.jobId);
      this.#s.dueNow.run();
      return ids;
    })();
  }
}
