// Owns id generation: UUIDv7 everywhere a terminal creates a record, so ids sort by creation time.
// Ids that travel to the server carry the server's time as this terminal knows it (idGenerator over
// the sync clock): the server refuses request ids far from its own clock.
import { randomInt } from 'node:crypto';
import { v7 } from 'uuid';

export const newId = (): string => v7();

/** UUIDv7s whose time is `nowMs()`; monotonic even when that clock steps back (an offset corrected):
 *  the time then stays where it was and the sequence counts up. */
export function idGenerator(nowMs: () => number): () => string {
  let lastMs = -Infinity;
  let seq = 0;
  return () => {
    const ms = Math.floor(nowMs());
    if (ms > lastMs) {
      lastMs = ms;
      seq = randomInt(0, 0x40000000);
    } else seq = (seq + 1) >>> 0;
    return v7({ msecs: lastMs, seq });
  };
}
