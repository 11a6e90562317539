// The reconnect state machine every vanishing link runs: status announced once per outage, the
// first failure of an outage reported (not every retry), delays doubling up to the cap, a nudge
// trying at once, and close() winning over an open still in flight.
import { describe, expect, it } from 'vitest';
import { DriverError, type ConnectionStatus } from '../../drivers/errors';
import { Reconnector } from '../../drivers/reconnect';
import { sleep, waitFor } from './helpers';

class FakeLink {
  closed = false;
  lost: (() => void) | null = null;
}

function harness(options: { initialDelayMs?: number; maxDelayMs?: number; retry?: boolean } = {}) {
  const state = { failNext: 0, opens: [] as number[], disposed: 0, pendingOpen: null as null | ((l: FakeLink) => void), hold: false };
  const start = performance.now();
  const r = new Reconnector<FakeLink>(
    {
      name: 'fake',
      open: () => {
        state.opens.push(performance.now() - start);
        if (state.failNext > 0) {
          state.failNext--;
          return Promise.reject(new DriverError('not_found', 'no fake device'));
        }
        if (state.hold) return new Promise((resolve) => (state.pendingOpen = resolve));
        return Promise.resolve(new FakeLink());
      },
      attach: (link, lost) => {
        link.lost = lost;
      },
      dispose: async (link) => {
        link.closed = true;
        state.disposed++;
      },
    },
    options,
  );
  const statuses: ConnectionStatus[] = [];
  const errors: DriverError[] = [];
  r.on('status', (s) => statuses.push(s));
  r.on('error', (e) => errors.push(e));
  return { r, state, statuses, errors };
}

describe('Reconnector', () => {
  it('connects, and after a loss reconnects with doubling delays, reporting the outage once', async () => {
    const { r, state, statuses, errors } = harness({ initialDelayMs: 20, maxDelayMs: 80 });
    r.start();
    await waitFor(() => r.status === 'connected', 2000);
    expect(statuses).toEqual(['connecting', 'connected']);

    state.failNext = 4;
    r.link!.lost!();
    await waitFor(() => r.status === 'connected', 5000, 'reconnected');
    expect(state.opens).toHaveLength(6);
    const gaps = state.opens.slice(2).map((t, i) => t - state.opens[i + 1]!);
    // The first retry 20 ms after the loss, then 40, 80, 80 (capped): each wait at least its delay.
    [40, 80, 80, 80].forEach((d, i) => expect(gaps[i]).toBeGreaterThanOrEqual(d - 2));
    // 'connecting' once per outage: the failing retries stay 'disconnected' quietly.
    expect(statuses).toEqual(['connecting', 'connected', 'disconnected', 'connecting', 'disconnected', 'connected']);
    expect(errors.map((e) => [e.code, e.detail])).toEqual([['not_found', 'cannot open fake: no fake device; retrying']]);
    await r.close();
    expect(state.disposed).toBe(1);
    expect(r.status).toBe('disconnected');
  });

  it('tries at once when nudged, with the backoff reset', async () => {
    const { r, state } = harness({ initialDelayMs: 60_000, maxDelayMs: 60_000 });
    state.failNext = 1;
    r.start();
    await waitFor(() => state.opens.length === 1 && r.status === 'disconnected', 2000);
    await sleep(20);
    expect(state.opens).toHaveLength(1); // the next try would be a minute away
    r.nudge();
    await waitFor(() => r.status === 'connected', 2000, 'connected after the nudge');
    await r.close();
  });

  it('closes a link that finishes opening after close()', async () => {
    const { r, state } = harness();
    state.hold = true;
    r.start();
    await waitFor(() => state.pendingOpen !== null, 2000);
    const closing = r.close();
    const late = new FakeLink();
    state.pendingOpen!(late);
    await closing;
    await waitFor(() => late.closed, 2000, 'late link closed');
    expect(r.status).toBe('disconnected');
    expect(r.link).toBeNull();
  });

  it('with retry off, a lost link stays lost', async () => {
    const { r, state, statuses } = harness({ initialDelayMs: 5, retry: false });
    r.start();
    await waitFor(() => r.status === 'connected', 2000);
    r.link!.lost!();
    await sleep(50);
    expect(state.opens).toHaveLength(1);
    expect(statuses).toEqual(['connecting', 'connected', 'disconnected']);
    r.nudge();
    await sleep(20);
    expect(state.opens).toHaveLength(1);
    await r.close();
  });
});
