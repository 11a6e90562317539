// Verdict latency on a 1,000,000-ticket cache: the gate's whole offline decision (resolve the code,
// read the history, apply the point's rules, record scan + check-in + outbox in one transaction),
// p50/p99, against a bare indexed SQLite lookup of the same code measured in the same run — and the
// cost of durability: the same verdicts on a terminal whose commits are synchronous (the default: an
// fsync per commit, so an admission survives a power cut) and on one whose commits are not, with the
// ratio. Target: p99 < 1 ms without fsync; with it, what the disk's fsync costs.
// Run: npx tsx bench/verdict-latency.ts [tickets]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createCore } from '../electron/core/core';
import { openTerminalDb } from '../tests/helpers/terminal-db';
import { fillCache, fmt, summarize, ticketCode } from './lib';

const N = Number(process.argv[2] ?? 1_000_000);
const SAMPLES = 20_000;

async function terminal(durableWrites: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'admit-bench-verdict-'));
  const core = await createCore({ dataDir: dir, migrationsFolder: 'migrations/local', shell: 'service', demo: false, version: 'bench', durableWrites });
  const t0 = performance.now();
  const prefix = fillCache(core.sync, N);
  console.log(`cache (${durableWrites ? 'durable' : 'no fsync'}): ${N.toLocaleString('en')} tickets loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const codes = Array.from({ length: SAMPLES }, (_, i) => ticketCode(prefix, Math.floor((i * 7919) % N)));
  // Warm up on codes outside the measured set so neither path pays first-use costs in the figures.
  for (let i = 0; i < 200; i++) await core.gate.scan(ticketCode(prefix, (i * 104_729 + 13) % N), null);
  return {
    dir,
    core,
    codes,
    async verdicts() {
      const times: number[] = [];
      let admitted = 0;
      for (const c of codes) {
        const s = performance.now();
        const v = await core.gate.scan(c, null);
        times.push(performance.now() - s);
        if (v.admitted) admitted++;
      }
      return { ...summarize(times), admitted };
    },
    async close() {
      await core.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const durable = await terminal(true);
const bareDb = openTerminalDb(durable.dir, { readonly: true });
const lookup = bareDb.prepare('select * from tickets where code = ?');
for (let i = 0; i < 1000; i++) lookup.get(durable.codes[i]);
const bare: number[] = [];
for (const c of durable.codes) {
  const s = performance.now();
  lookup.get(c);
  bare.push(performance.now() - s);
}
bareDb.close();
const d = await durable.verdicts();
await durable.close();

const relaxed = await terminal(false);
const r = await relaxed.verdicts();
await relaxed.close();

const b = summarize(bare);
console.log(`bare indexed lookup              p50 ${fmt(b.p50)}  p99 ${fmt(b.p99)}`);
console.log(`verdict, no fsync (NORMAL)       p50 ${fmt(r.p50)}  p99 ${fmt(r.p99)}  (${r.admitted} admitted of ${SAMPLES})`);
console.log(`verdict, durable (FULL, fsync)   p50 ${fmt(d.p50)}  p99 ${fmt(d.p99)}  (${d.admitted} admitted of ${SAMPLES})`);
console.log(`ratio no-fsync/bare              p50 ${(r.p50 / b.p50).toFixed(1)}x  p99 ${(r.p99 / b.p99).toFixed(1)}x`);
console.log(`ratio durable/no-fsync           p50 ${(d.p50 / r.p50).toFixed(1)}x  p99 ${(d.p99 / r.p99).toFixed(1)}x`);
console.log(`target p99 < 1 ms without fsync: ${r.p99 < 1 ? 'met' : 'NOT met'}`);
