// The idle decision framed streams share: it fires after its period, lets I/O already queued in
// first, waits one more period when it fired late (the event loop was stalled), and an older arming
// never fires once re-armed or cancelled.
import { describe, expect, it } from 'vitest';
import { IdleTimer } from '../../drivers/idle-timer';
import { sleep, stallEventLoop, waitFor } from './helpers';

describe('IdleTimer', () => {
  it('fires once after its period', async () => {
    const t = new IdleTimer();
    const fired: number[] = [];
    const start = performance.now();
    t.arm(true, 50, () => fired.push(performance.now() - start));
    await waitFor(() => fired.length === 1, 2000);
    expect(fired[0]).toBeGreaterThanOrEqual(49);
    await sleep(120);
    expect(fired).toHaveLength(1);
  });

  it('does not fire when nothing is pending, for an arming replaced by a newer one, or once cancelled', async () => {
    const t = new IdleTimer();
    const fired: string[] = [];
    t.arm(false, 20, () => fired.push('nothing pending'));
    t.arm(true, 20, () => fired.push('replaced'));
    t.arm(true, 20, () => fired.push('newest'));
    const c = new IdleTimer();
    c.arm(true, 20, () => fired.push('cancelled'));
    c.cancel();
    await waitFor(() => fired.length > 0, 2000);
    await sleep(100);
    expect(fired).toEqual(['newest']);
  });

  it('lets a chunk queued before the overdue timer runs decide: it re-arms, nothing is flushed', async () => {
    const t = new IdleTimer();
    const events: string[] = [];
    const onIdle = () => events.push('idle');
    t.arm(true, 30, onIdle);
    // A chunk delivered on the loop's next turn, queued before the overdue timer runs.
    setImmediate(() => {
      events.push('chunk');
      t.arm(false, 30, onIdle);
    });
    stallEventLoop(60);
    await sleep(150);
    expect(events).toEqual(['chunk']);
  });

  it('waits one more period when it fired late, then decides even if late again', async () => {
    const t = new IdleTimer();
    const fired: number[] = [];
    const start = performance.now();
    t.arm(true, 40, () => fired.push(performance.now() - start));
    stallEventLoop(200); // the timer is 160 ms overdue when the loop gets to it
    await waitFor(() => fired.length === 1, 2000);
    expect(fired[0]).toBeGreaterThanOrEqual(240); // 200 stalled + one more period

    const late: number[] = [];
    const t2 = new IdleTimer();
    const start2 = performance.now();
    t2.arm(true, 40, () => late.push(performance.now() - start2));
    stallEventLoop(200);
    setTimeout(() => stallEventLoop(200), 20); // stalled again across the second period
    await waitFor(() => late.length === 1, 2000);
    expect(late[0]).toBeGreaterThanOrEqual(400);
  });
});
