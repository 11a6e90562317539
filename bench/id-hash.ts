// How long reversing one synced ID-number hash takes on this machine: the per-hash cost of the slow hash
// (domain/hashing.ts idNumberHash) on one core next to a bare sha256, and the time to search the
// candidate spaces of common documents with each. Run: npx tsx bench/id-hash.ts
import { createHash } from 'node:crypto';
import { ID_SCRYPT, idNumberHashSync, newIdHashSalt } from '../domain/hashing';

const salt = newIdHashSalt();
function perHashMs(fn: (i: number) => void, minMs: number): number {
  fn(0); // warm up
  const t0 = performance.now();
  let n = 0;
  while (performance.now() - t0 < minMs) fn(++n);
  return (performance.now() - t0) / n;
}

const slowMs = perHashMs((i) => idNumberHashSync(`1101051949123${String(i).padStart(4, '0')}X`, salt), 5000);
const shaMs = perHashMs((i) => createHash('sha256').update(salt).update(`1101051949123${i}`).digest(), 1000);

// Candidate spaces (a document number drawn uniformly; the search ends, on average, halfway).
const spaces: [string, number][] = [
  // 18-digit PRC resident ID: ~3,200 county codes x 36,500 birth dates (100 years) x 1,000 sequence numbers;
  // the check digit follows from the rest.
  ['PRC resident ID, anyone (100 years of birth dates)', 3200 * 36_500 * 1000],
  // An attacker who knows the event draws a region (~100 county codes of one province) and adults 18-60.
  ['PRC resident ID, one province, ages 18-60', 100 * 15_700 * 1000],
  // PRC ordinary passport: "E" + 8 digits, or "E" + letter + 7 digits.
  ['PRC passport (E + 8 digits / E + letter + 7 digits)', 1e8 + 24 * 1e7],
  // A 9-character alphanumeric passport number (many countries).
  ['9-character alphanumeric passport number', 36 ** 9],
];

const year = 365.25 * 24 * 3600 * 1000;
const human = (ms: number) =>
  ms >= year ? `${(ms / year).toPrecision(3)} years` : ms >= 86_400_000 ? `${(ms / 86_400_000).toPrecision(3)} days` : ms >= 3_600_000 ? `${(ms / 3_600_000).toPrecision(3)} hours` : `${(ms / 1000).toPrecision(3)} s`;

console.log(`ID-number hash: scrypt N=${ID_SCRYPT.N}, r=${ID_SCRYPT.r}, p=${ID_SCRYPT.p} (${(128 * ID_SCRYPT.N * ID_SCRYPT.r) / 2 ** 20} MiB per guess)`);
console.log(`  per hash, one core: ${slowMs.toFixed(1)} ms   (bare sha256: ${(shaMs * 1000).toFixed(2)} µs; ratio ${Math.round(slowMs / shaMs).toLocaleString('en')}x)`);
console.log('Expected time to reverse one hash on one core of this machine (half the space):');
for (const [name, size] of spaces) {
  console.log(`  ${name}: 10^${Math.log10(size).toFixed(1)} candidates -> ${human((size / 2) * slowMs)} (sha256: ${human((size / 2) * shaMs)})`);
}
