// Owns what the demo needs to know about OS processes: a process named by a record is the same
// process only if its pid *and* start time still match (a crashed run's pid may belong to anything by
// now), the children of a process, and ending processes a crashed run left behind. Linux reads /proc;
// elsewhere `ps`.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

export type ProcessRecord = { pid: number; start: string | null; args: string };

const hasProc = process.platform === 'linux' && existsSync('/proc/self/stat');

/** Fields of /proc/<pid>/stat after the command name (which may hold spaces and parentheses). */
function procStat(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

function ps(args: string[]): string | null {
  try {
    return execFileSync('ps', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return null;
  }
}

/** The process as it is now, or null when there is none with that pid. */
export function describeProcess(pid: number): ProcessRecord | null {
  if (!Number.isInteger(pid) || pid <= 0) return null;
  if (hasProc) {
    const stat = procStat(pid);
    // A zombie has exited already: its parent just has not collected it.
    if (!stat || stat[0] === 'Z') return null;
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
      return { pid, start: stat[19] ?? null, args };
    } catch {
      return null;
    }
  }
  const out = ps(['-o', 'stat=', '-o', 'lstart=', '-o', 'args=', '-p', String(pid)]);
  const m = out ? /^\s*(\S+)\s+(\S+\s+\S+\s+\S+\s+\S+\s+\S+)\s+(.*)$/.exec(out.trim()) : null;
  if (m) return m[1]!.startsWith('Z') ? null : { pid, start: m[2]!, args: m[3]! };
  try {
    // No `ps` (Windows, slim images): only that some process has this pid.
    process.kill(pid, 0);
    return { pid, start: null, args: '' };
  } catch {
    return null;
  }
}

/** Still the process the record was made of: same pid, same start time (same command line when the
 *  start time is unknown). */
export function isSameProcess(rec: ProcessRecord): boolean {
  const now = describeProcess(rec.pid);
  if (!now) return false;
  if (rec.start !== null && now.start !== null) return now.start === rec.start;
  return rec.args !== '' && now.args === rec.args;
}

/** Direct children of `ppid`. */
export function childProcesses(ppid: number): ProcessRecord[] {
  const pids: number[] = [];
  if (hasProc) {
    for (const name of readdirSafe('/proc')) {
      const pid = Number(name);
      if (Number.isInteger(pid) && pid > 0 && Number(procStat(pid)?.[1]) === ppid) pids.push(pid);
    }
  } else {
    for (const line of (ps(['-A', '-o', 'pid=', '-o', 'ppid=']) ?? '').split('\n')) {
      const [pid, parent] = line.trim().split(/\s+/).map(Number);
      if (parent === ppid && pid) pids.push(pid);
    }
  }
  return pids.map(describeProcess).filter((p): p is ProcessRecord => p !== null);
}

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Ends every recorded process that is still the same process: SIGTERM, then SIGKILL after graceMs. */
export async function endProcesses(recs: ReadonlyArray<ProcessRecord>, graceMs = 2000): Promise<number> {
  const live = recs.filter(isSameProcess);
  for (const p of live) signal(p.pid, 'SIGTERM');
  const until = Date.now() + graceMs;
  while (Date.now() < until && live.some(isSameProcess)) await wait(50);
  for (const p of live.filter(isSameProcess)) signal(p.pid, 'SIGKILL');
  return live.length;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // gone already
  }
}
