// Owns `npm test`'s run of the suite: the two lanes of vitest.config.ts (system: browsers, whole-system
// runs, devices; core: server, core, units) as two vitest processes side by side, each one file at a
// time. Every line is tagged with its lane; the run fails if either lane fails. Arguments after `--`
// go to both lanes (e.g. a file filter).
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const lanes = ['system', 'core'];
const extra = process.argv.slice(2);
const children = [];

const run = (lane) =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--project', lane, '--passWithNoTests', ...extra], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? '1' },
    });
    children.push(child);
    const tag = `[${lane}] `;
    for (const [stream, out] of [
      [child.stdout, process.stdout],
      [child.stderr, process.stderr],
    ]) {
      createInterface({ input: stream }).on('line', (line) => out.write(tag + line + '\n'));
    }
    child.once('exit', (code, signal) => resolve({ lane, code: code ?? (signal ? 1 : 0), signal }));
  });

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    for (const c of children) c.kill(sig);
  });
}

const results = await Promise.all(lanes.map(run));
for (const r of results) {
  process.stdout.write(`lane ${r.lane}: ${r.code === 0 ? 'passed' : `FAILED (exit ${r.code}${r.signal ? `, ${r.signal}` : ''})`}\n`);
}
process.exit(results.every((r) => r.code === 0) ? 0 : 1);
