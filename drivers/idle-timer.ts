// Owns the one idle decision a framed stream needs: "the partial frame has sat quiet too long, report
// it" — a timer re-armed on every chunk — made so that its outcome does not depend on how busy the
// machine is. Node runs due timers before it polls for I/O, so after the event loop was stalled (a
// loaded machine, a long GC) the timer fires while the frame's tail already waits unread. Hence:
//   - when it fires it first lets the I/O already queued in (setImmediate), and gives up if a new
//     chunk re-armed it meanwhile;
//   - when it fires late (the loop was stalled), it waits one more period instead of deciding, so
//     bytes that arrived during the stall (a read takes a few loop turns) are read first.
// A second late firing decides: a loop stalled for ever must not hold a frame for ever. And it never
// fires before `ms` have passed by the wall clock the framers stamp their bytes with (a timer may
// fire a millisecond early by it), so the framer always agrees that the frame has gone quiet.
export class IdleTimer {
  #timer: NodeJS.Timeout | null = null;
  #immediate: NodeJS.Immediate | null = null;
  /** Bumped by every arm() and cancel(): a callback of an older arming does nothing. */
  #generation = 0;

  /** Cancels the running timer and, if something is pending, starts it again. */
  arm(pending: boolean, ms: number, onIdle: () => void): void {
    this.cancel();
    if (!pending) return;
    this.#start(this.#generation, ms, onIdle, false);
  }

  cancel(): void {
    this.#generation++;
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#immediate) clearImmediate(this.#immediate);
    this.#timer = null;
    this.#immediate = null;
  }

  #start(generation: number, ms: number, onIdle: () => void, rearmed: boolean, wait = ms): void {
    const due = performance.now() + wait;
    const quietFrom = Date.now() - (ms - wait);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      if (generation !== this.#generation) return;
      if (!rearmed && performance.now() - due > lateness(ms)) {
        this.#start(generation, ms, onIdle, true);
        return;
      }
      const short = ms - (Date.now() - quietFrom);
      if (short > 0) {
        this.#start(generation, ms, onIdle, rearmed, short);
        return;
      }
      this.#immediate = setImmediate(() => {
        this.#immediate = null;
        if (generation === this.#generation) onIdle();
      });
    }, ms);
  }
}

/** How late a timer may fire before the loop counts as stalled: a quarter of its period, 10–100 ms. */
const lateness = (ms: number) => Math.min(100, Math.max(10, ms / 4));
