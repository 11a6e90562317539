// Terminal memory with a 1,000,000-ticket cache: RSS of a core process after loading the cache and
// serving scans, against a bare Node process holding the same SQLite file open, in the same run.
// Target: < 250 MB RSS for the core.   Run: npx tsx bench/memory.ts [tickets]
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const N = Number(process.argv[2] ?? 1_000_000);
const dir = mkdtempSync(join(tmpdir(), 'admit-bench-mem-'));
const run = (mode: string) =>
  new Promise<{ rssMb: number; heapMb: number }>((resolve, reject) => {
    const c = fork('bench/memory-child.ts', [mode, dir, String(N)], { execArgv: ['--import', 'tsx'] });
    c.on('message', (m) => resolve(m as { rssMb: number; heapMb: number }));
    c.on('exit', (code) => code !== 0 && reject(new Error(`child exited ${code}`)));
  });
await run('fill');
const bare = await run('bare');
const core = await run('core');
console.log(`bare Node + SQLite file open:  RSS ${bare.rssMb.toFixed(0)} MB`);
console.log(`core with ${N.toLocaleString('en')}-ticket cache after 10,000 scans: RSS ${core.rssMb.toFixed(0)} MB (JS heap ${core.heapMb.toFixed(0)} MB)`);
console.log(`ratio core / bare: ${(core.rssMb / bare.rssMb).toFixed(2)}x`);
console.log(`target < 250 MB: ${core.rssMb < 250 ? 'met' : 'NOT met'}`);
rmSync(dir, { recursive: true, force: true });
