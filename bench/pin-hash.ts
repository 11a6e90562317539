// What an offline search for one operator's PIN costs on this machine, for each allowed PIN length (and
// four digits, refused since, for comparison): with the terminal's database alone (the hashes are
// peppered: the search space is the 256-bit PIN key) and with the PIN key stolen too (each guess costs
// both scrypt layers of domain/hashing.ts), next to the unpeppered inner layer alone (what terminals
// held before). Run: npx tsx bench/pin-hash.ts
import { createHmac, scryptSync } from 'node:crypto';
import { hashPin, newPinKey, newPinSalt, PIN_PEPPERED_SCRYPT, PIN_SCRYPT } from '../domain/hashing';
import { PIN_MAX_LENGTH, PIN_MIN_LENGTH } from '../domain/pins';

const salt = newPinSalt();
const pinKey = newPinKey();
const outer = (inner: string) =>
  scryptSync(createHmac('sha256', pinKey).update(inner).digest(), salt, 32, { N: PIN_PEPPERED_SCRYPT.N, r: PIN_PEPPERED_SCRYPT.r, p: 1, maxmem: 256 * 2 ** 20 });

function perGuessMs(fn: (i: number) => void, minMs: number): number {
  fn(0);
  const t0 = performance.now();
  let n = 0;
  while (performance.now() - t0 < minMs) fn(++n);
  return (performance.now() - t0) / n;
}
const innerMs = perGuessMs((i) => hashPin(String(i).padStart(6, '0'), salt), 3000);
const peppered = perGuessMs((i) => outer(hashPin(String(i).padStart(6, '0'), salt).toString()), 5000);

const year = 365.25 * 24 * 3600 * 1000;
const human = (ms: number) =>
  ms >= year ? `${(ms / year).toPrecision(3)} years` : ms >= 86_400_000 ? `${(ms / 86_400_000).toPrecision(3)} days` : ms >= 3_600_000 ? `${(ms / 3_600_000).toPrecision(3)} hours` : ms >= 60_000 ? `${(ms / 60_000).toPrecision(3)} min` : `${(ms / 1000).toPrecision(3)} s`;

console.log(`PIN hash per guess, one core: inner scrypt N=${PIN_SCRYPT.N} ${innerMs.toFixed(1)} ms; peppered (inner + HMAC + scrypt N=${PIN_PEPPERED_SCRYPT.N}) ${peppered.toFixed(1)} ms`);
console.log('Full search of one operator\'s PIN on one core (expected: half):');
const shortest = Math.min(...Object.values(PIN_MIN_LENGTH));
const lengths = [...new Set([4, ...Array.from({ length: PIN_MAX_LENGTH - shortest + 1 }, (_, i) => shortest + i)])];
for (const digits of lengths) {
  const space = 10 ** digits;
  console.log(
    `  ${digits} digits${digits < shortest ? ' (refused: shorter than any role allows)' : ''}: unpeppered (old) ${human(space * innerMs)}; peppered, PIN key stolen too ${human(space * peppered)}; ` +
      `peppered, terminal database alone: 2^256 keys, no search`,
  );
}
