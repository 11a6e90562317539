// Shared by the driver tests: polling waits, hex fixtures and a seeded PRNG for fuzzing.
import { mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Waits for a condition to hold. The timeout only decides how long a failing test takes to say so;
 *  it is never shorter than MIN_WAIT_MS, so a busy machine slows a test down but never fails it. */
export async function waitFor(cond: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  timeoutMs = Math.max(timeoutMs, MIN_WAIT_MS);
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

export const MIN_WAIT_MS = 30_000;

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Keep this process busy for `ms`, as a loaded machine or a long GC pause does to the event loop. */
export function stallEventLoop(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // busy
  }
}

/** "a0 01 01 a2" → bytes. */
export const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
export const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex').replace(/(..)(?!$)/g, '$1 ');

/** mulberry32: deterministic fuzz input, so a failure reproduces. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
export function randomBytes(rand: () => number, n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = Math.floor(rand() * 256);
  return b;
}

const cleaned = new Set<string>();
/**
 * artifacts/drivers/<name> under the repo (gitignored): where printed jobs' PNGs are kept for a look.
 * Emptied on first use in a run so it holds only the latest run's prints.
 */
export function artifactsDir(name: string): string {
  const dir = fileURLToPath(new URL(`../../artifacts/drivers/${name}`, import.meta.url));
  if (!cleaned.has(dir)) {
    rmSync(dir, { recursive: true, force: true });
    cleaned.add(dir);
  }
  mkdirSync(dir, { recursive: true });
  return dir;
}
