// The box office's print status: the sale's answer, kept current by the print.job events of its jobs.
import { describe, expect, it } from 'vitest';
import type { PrintJobEvent, PrintOutcome } from '../../electron/contract';
import { printStatus, rememberJob } from '../../renderer/src/modes/box-office/print-status';

const ev = (jobId: string, state: PrintJobEvent['state'], reason: PrintJobEvent['reason'] = null): PrintJobEvent => ({ jobId, kind: 'ticket', state, reason });
const seen = (...events: PrintJobEvent[]) => events.reduce<ReadonlyMap<string, PrintJobEvent>>((m, e) => rememberJob(m, e), new Map());

describe('print status of a sale', () => {
  const queued: PrintOutcome = { state: 'queued', reason: 'timeout', jobIds: ['a', 'b'] };

  it('is printed when the sale said so', () => {
    expect(printStatus({ state: 'printed', jobIds: ['a'] }, new Map())).toEqual({ state: 'printed', reason: null });
  });

  it('turns printed once every job of the sale has printed, even if the events came first', () => {
    expect(printStatus(queued, seen(ev('a', 'printed')))).toEqual({ state: 'queued', reason: 'timeout' });
    expect(printStatus(queued, seen(ev('a', 'printed'), ev('b', 'printed')))).toEqual({ state: 'printed', reason: null });
  });

  it('takes the latest reason of a held job, and a failure over anything else', () => {
    expect(printStatus(queued, seen(ev('b', 'queued', 'paper_out')))).toEqual({ state: 'queued', reason: 'paper_out' });
    expect(printStatus(queued, seen(ev('a', 'printed'), ev('b', 'failed', 'unconfirmed')))).toEqual({ state: 'failed', reason: 'unconfirmed' });
    expect(printStatus({ state: 'failed', reason: 'no_printer', jobIds: [] }, new Map())).toEqual({ state: 'failed', reason: 'no_printer' });
  });

  it('remembers a bounded number of jobs, the latest event of each', () => {
    let m: ReadonlyMap<string, PrintJobEvent> = new Map();
    for (let i = 0; i < 5; i++) m = rememberJob(m, ev(`j${i}`, 'queued', 'paper_out'), 3);
    m = rememberJob(m, ev('j3', 'printed'), 3);
    expect([...m.keys()]).toEqual(['j2', 'j4', 'j3']);
    expect(m.get('j3')?.state).toBe('printed');
  });
});
