// Owns what the box office says about a sale's printing: the core's answer to the sale, brought up to
// date by the `print.job` events of its jobs, so a ticket that prints after the sale stopped waiting
// still ends as printed (and one that fails later says why).
import type { PrintJobEvent, PrintOutcome, PrintReason } from '../../contract';

export type PrintStatus = { state: 'printed'; reason: null } | { state: 'queued' | 'failed'; reason: PrintReason };

/** The jobs' latest events, by job id; only the most recent `limit` jobs are kept. */
export function rememberJob(
  jobs: ReadonlyMap<string, PrintJobEvent>,
  event: PrintJobEvent,
  limit = 200,
): ReadonlyMap<string, PrintJobEvent> {
  const next = new Map(jobs);
  next.delete(event.jobId);
  next.set(event.jobId, event);
  while (next.size > limit) next.delete(next.keys().next().value!);
  return next;
}

export function printStatus(outcome: PrintOutcome, jobs: ReadonlyMap<string, PrintJobEvent>): PrintStatus {
  if (outcome.state === 'printed') return { state: 'printed', reason: null };
  const latest = outcome.jobIds.map((id) => jobs.get(id));
  if (latest.length > 0 && latest.every((j) => j?.state === 'printed')) return { state: 'printed', reason: null };
  const failed = latest.find((j) => j?.state === 'failed');
  if (failed) return { state: 'failed', reason: failed.reason ?? 'failed' };
  if (outcome.state === 'failed') return { state: 'failed', reason: outcome.reason };
  const held = latest.find((j) => j?.state === 'queued' && j.reason !== null);
  return { state: 'queued', reason: held?.reason ?? outcome.reason };
}
