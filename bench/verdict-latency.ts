// Verdict latency on a 1,000,000-ticket cache: the gate's whole offline decision (resolve the code,
// read the history, apply the point's rules, record scan + check-in + outbox in one transaction),
// p50/p99, against a bare indexed SQLite lookup of the same code measured in the same run.
// Target: p99 < 1 ms.   Run: npx tsx bench/verdict-latency.ts [tickets]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createCore } from '../electron/core/core';
import { openTerminalDb } from '../tests/helpers/terminal-db';
import { fillCache, fmt, summarize, ticketCode } from './lib';

const N = Number(process.argv[2] ?? 1_000_000);
const SAMPLES = 20_000;
const dir = mkdtempSync(join(tmpdir(), 'admit-bench-verdict-'));
const core = await createCore({ dataDir: dir, migrationsFolder: 'migrations/local', shell: 'service', demo: false, version: 'bench' });
const t0 = performance.now();
const prefix = fillCache(core.sync, N);
console.log(`cache: ${N.toLocaleString('en')} tickets loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

const codes = Array.from({ length: SAMPLES }, (_, i) => ticketCode(prefix, Math.floor((i * 7919) % N)));
const bareDb = openTerminalDb(dir, { readonly: true });
const lookup = bareDb.prepare('select * from tickets where code = ?');
// Warm both paths so neither pays first-use costs in the figures.
for (let i = 0; i < 1000; i++) lookup.get(codes[i]);
for (let i = 0; i < 200; i++) await core.gate.scan(codes[SAMPLES - 1 - i]!, null);

const bare: number[] = [];
for (const c of codes) {
  const s = performance.now();
  lookup.get(c);
  bare.push(performance.now() - s);
}
const verdict: number[] = [];
let admitted = 0;
for (const c of codes) {
  const s = performance.now();
  const v = await core.gate.scan(c, null);
  verdict.push(performance.now() - s);
  if (v.admitted) admitted++;
}
const b = summarize(bare);
const v = summarize(verdict);
console.log(`bare indexed lookup   p50 ${fmt(b.p50)}  p99 ${fmt(b.p99)}`);
console.log(`verdict (offline)     p50 ${fmt(v.p50)}  p99 ${fmt(v.p99)}  (${admitted} admitted of ${SAMPLES})`);
console.log(`ratio verdict/bare    p50 ${(v.p50 / b.p50).toFixed(1)}x  p99 ${(v.p99 / b.p99).toFixed(1)}x`);
console.log(`target p99 < 1 ms: ${v.p99 < 1 ? 'met' : 'NOT met'}`);
bareDb.close();
await core.close();
rmSync(dir, { recursive: true, force: true });
