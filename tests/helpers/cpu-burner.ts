// Keeps the machine's CPUs busy for tests that must hold under load: one child process per core
// busy-looping until stopped. Each child is ended by its own pid, and dies with the test process.
import { spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';

export type CpuBurner = { readonly processes: number; stop(): Promise<void> };

export function startCpuBurner(processes = availableParallelism()): CpuBurner {
  const children: ChildProcess[] = [];
  for (let i = 0; i < processes; i++) {
    // The child also exits by itself should its parent vanish (its stdin closes).
    const child = spawn(process.execPath, ['-e', "process.stdin.on('end', () => process.exit(0)); process.stdin.resume(); setImmediate(function spin() { const until = Date.now() + 50; while (Date.now() < until); setImmediate(spin); });"], {
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    children.push(child);
  }
  const killAll = () => {
    for (const c of children) if (c.exitCode === null && c.pid !== undefined) c.kill('SIGKILL');
  };
  process.once('exit', killAll);
  return {
    processes,
    async stop() {
      process.removeListener('exit', killAll);
      await Promise.all(
        children.map(
          (c) =>
            new Promise<void>((resolve) => {
              if (c.exitCode !== null || c.signalCode !== null) return resolve();
              c.once('exit', () => resolve());
              c.kill('SIGKILL');
            }),
        ),
      );
    },
  };
}
