/** Polls until the condition holds; fails with a clear message instead of hanging. The timeout only
 *  decides how long a failing test takes to say so: it is never below 30 s, so load slows a test down
 *  but never fails it. */
export async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const until = Date.now() + Math.max(timeoutMs, 30_000);
  for (;;) {
    if (await cond()) return;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
