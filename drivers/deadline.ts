// Owns the one way a driver gives up waiting on a device: a deadline that counts only the time this
// process was able to notice an answer. A plain timer fires late after the event loop was blocked
// (a busy machine, a long synchronous job) — and timers run before pending I/O is read, so a reply
// already sitting in the socket or the PTY would be declared missing. Here time advances in short
// ticks, and a tick that came late counts for no more than two ticks' worth: a stall never expires a
// deadline by itself, while a silent device still does after about the stated time.

export interface Deadline {
  /** Stops the deadline; its callback will not run. Safe to call more than once. */
  cancel(): void;
  /** Starts counting again from zero (e.g. a byte arrived, so the device is still talking). */
  restart(): void;
  readonly active: boolean;
}

/** A twentieth of the deadline, at most a quarter second: prompt for a reply deadline (40 ms ticks for
 *  800 ms), cheap for a turnstile's ten-second passage window (250 ms ticks, not 400 timer callbacks). */
const defaultTick = (ms: number) => Math.max(1, Math.min(250, Math.floor(ms / 20)));

export function startDeadline(ms: number, onExpire: () => void, tickMs = defaultTick(ms)): Deadline {
  let counted = 0;
  let last = performance.now();
  let timer: NodeJS.Timeout | null = null;
  let active = true;

  const tick = () => {
    timer = null;
    if (!active) return;
    const now = performance.now();
    counted += Math.min(now - last, 2 * tickMs);
    last = now;
    if (counted >= ms) {
      // One more turn of the loop first: I/O that became readable during this tick is read before
      // the device is declared silent.
      setImmediate(() => {
        if (!active) return;
        if (counted < ms) return; // restarted meanwhile
        active = false;
        onExpire();
      });
      return;
    }
    schedule();
  };
  const schedule = () => {
    timer = setTimeout(tick, Math.min(tickMs, Math.max(1, ms - counted)));
  };
  schedule();

  return {
    cancel() {
      active = false;
      if (timer) clearTimeout(timer);
      timer = null;
    },
    restart() {
      counted = 0;
      last = performance.now();
      if (!active) {
        active = true;
        schedule();
      } else if (!timer) schedule();
    },
    get active() {
      return active;
    },
  };
}

/** Resolves after about `ms` of responsive time (see startDeadline); for waits that must not be cut
 *  short by a stalled loop, such as the gap a device needs between two commands. */
export function waitResponsive(ms: number): Promise<void> {
  return new Promise((resolve) => startDeadline(ms, resolve));
}
