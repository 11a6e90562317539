// The drivers' deadline: a device that stays silent is given up on, a stalled event loop is not taken
// for a silent device, and a restart or cancel is honoured. No assertion depends on how fast this
// machine is: the stall is made on purpose and the checks count ticks, not milliseconds.
import { describe, expect, it } from 'vitest';
import { startDeadline, waitResponsive } from '../../drivers/deadline';
import { waitFor } from './helpers';

const block = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    /* a long synchronous job */
  }
};
const turn = () => new Promise<void>((r) => setImmediate(r));

describe('startDeadline', () => {
  it('expires for a silent device', async () => {
    let expired = 0;
    startDeadline(50, () => expired++);
    await waitFor(() => expired === 1, 10_000, 'deadline expired');
    await new Promise((r) => setTimeout(r, 100));
    expect(expired).toBe(1);
  });

  it('does not expire because the event loop was blocked for longer than the deadline', async () => {
    let expired = false;
    const d = startDeadline(200, () => (expired = true), 20);
    block(600);
    // The stall counts as at most two ticks: the deadline is still waiting after the loop resumes.
    await turn();
    await turn();
    expect(expired).toBe(false);
    expect(d.active).toBe(true);
    await waitFor(() => expired, 10_000, 'deadline expired after responsive time');
  });

  it('lets I/O that arrived during a stall in before it gives up', async () => {
    let answered = false;
    let timedOut = false;
    const d = startDeadline(5, () => (timedOut = true), 1);
    setImmediate(() => {
      answered = true;
      d.cancel();
    });
    block(50);
    await waitFor(() => answered, 10_000, 'answer');
    expect(timedOut).toBe(false);
  });

  it('restarts from zero and stays quiet once cancelled', async () => {
    let expired = 0;
    const d = startDeadline(40, () => expired++, 5);
    d.restart();
    d.cancel();
    d.cancel();
    await new Promise((r) => setTimeout(r, 150));
    expect(expired).toBe(0);
    expect(d.active).toBe(false);
    d.restart();
    await waitFor(() => expired === 1, 10_000, 'restarted deadline expired');
  });

  it('waitResponsive resolves', async () => {
    await expect(waitResponsive(10)).resolves.toBeUndefined();
  });
});
