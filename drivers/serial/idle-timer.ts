// Owns the one timer a line-framed device needs: re-armed on every chunk, it fires when a partial
// frame has sat idle too long, so a scanner that never sends its terminator still gets an answer.
export class IdleTimer {
  #timer: NodeJS.Timeout | null = null;

  /** Cancels the running timer and, if something is pending, starts it again. */
  arm(pending: boolean, ms: number, onIdle: () => void): void {
    this.cancel();
    if (!pending) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      onIdle();
    }, ms);
  }

  cancel(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
