// Owns the portable badge path: a rendered card handed to the operating system's print queue, where
// the card printer vendor's driver is installed. Linux/macOS: CUPS via `lp -d <queue> -o media=CR80`
// (spawned with an argument list, never a shell string; the PNG goes through stdin) and `lpstat -p`
// for status. Windows: the spooler via PowerShell's Start-Process -Verb PrintTo, which prints the PNG
// with the application registered for it — UNTESTED HERE (no Windows on this machine or in CI); only
// its command line is checked.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TypedEmitter } from '../events';
import { DriverError } from '../errors';
import type { PrinterStatus } from '../printers/document';
import { perr, type PrinterError, type PrinterErrorCode, type PrinterEvents } from '../printers/printer';
import { CR80_GENERIC, defaultBadgeTemplate, renderBadge, type BadgeData, type BadgeTemplate, type RenderedBadge } from './badge';
import { isRendered, type BadgePrinter } from './badge-printer';

export interface OsQueueOptions {
  /** CUPS queue name, or the Windows printer name. */
  queue: string;
  /** Media keyword for the driver (default CR80). */
  media?: string;
  /** 'grey' (default) lets the driver dither; 'mono' sends the 1-bit rendering. */
  image?: 'grey' | 'mono';
  /** Environment for lp/lpstat (e.g. CUPS_SERVER pointing at a test cupsd). */
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** Defaults to process.platform. */
  platform?: NodeJS.Platform;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run a program with arguments (no shell), feeding `input` on stdin. */
export function run(cmd: string, args: string[], options: { input?: Uint8Array; env?: NodeJS.ProcessEnv; timeoutMs: number }): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'], shell: false, windowsHide: true });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new DriverError<PrinterErrorCode>('timeout', `${cmd} did not finish within ${options.timeoutMs} ms`));
    }, options.timeoutMs);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        e.code === 'ENOENT'
          ? new DriverError<PrinterErrorCode>('unreachable', `${cmd} is not installed (CUPS client tools: apt-get install cups-client)`, { cause: e })
          : new DriverError<PrinterErrorCode>('io', `${cmd}: ${e.message}`, { cause: e }),
      );
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    // A program that exits before reading stdin (bad option) makes the write fail: its exit code says why.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ? Buffer.from(options.input) : undefined);
  });
}

/** lp's arguments for a badge (exported for tests and logs). */
export function lpArgs(queue: string, options: { media?: string; title?: string; copies?: number } = {}): string[] {
  if (!/^[^\s/#]+$/.test(queue)) throw new DriverError<PrinterErrorCode>('bad_document', `queue name ${JSON.stringify(queue)} is not a CUPS queue name`);
  return ['-d', queue, '-o', `media=${options.media ?? 'CR80'}`, '-n', String(options.copies ?? 1), '-t', options.title ?? 'Admit badge'];
}

/** Submit PNG bytes to a CUPS queue; resolves with the job id lp reports (e.g. "badge-12"). */
export async function submitToCups(png: Uint8Array, options: OsQueueOptions & { title?: string; copies?: number }): Promise<string> {
  const r = await run('lp', lpArgs(options.queue, options), { input: png, env: options.env, timeoutMs: options.timeoutMs ?? 15_000 });
  if (r.code !== 0) {
    const why = (r.stderr || r.stdout).trim();
    const code: PrinterErrorCode = /does not exist|not exist|Unknown destination/i.test(why) ? 'unreachable' : /not accepting|disabled/i.test(why) ? 'offline' : 'rejected';
    throw new DriverError<PrinterErrorCode>(code, `lp -d ${options.queue} failed (${r.code}): ${why}`);
  }
  const m = /request id is (\S+)/.exec(r.stdout);
  if (!m) throw new DriverError<PrinterErrorCode>('bad_reply', `lp said ${JSON.stringify(r.stdout.trim())}`);
  return m[1]!;
}

/** `lpstat -p <queue>` as a PrinterStatus: an enabled queue is online; a disabled one is in error. */
export function parseLpstat(out: string, queue: string): PrinterStatus {
  const line = out.split('\n').find((l) => l.startsWith(`printer ${queue} `));
  if (!line) throw new DriverError<PrinterErrorCode>('bad_reply', `lpstat did not describe ${queue}: ${JSON.stringify(out.trim().slice(0, 200))}`);
  const disabled = /\bdisabled\b/.test(line);
  return { online: !disabled, coverOpen: false, paperOut: false, paperNearEnd: false, error: disabled };
}

export async function cupsQueueStatus(options: OsQueueOptions): Promise<PrinterStatus> {
  const r = await run('lpstat', ['-p', options.queue], { env: options.env, timeoutMs: options.timeoutMs ?? 15_000 });
  if (r.code !== 0) {
    const why = (r.stderr || r.stdout).trim();
    throw new DriverError<PrinterErrorCode>(/Invalid destination|does not exist|Unknown destination/i.test(why) ? 'unreachable' : 'io', `lpstat -p ${options.queue}: ${why}`);
  }
  return parseLpstat(r.stdout, options.queue);
}

/**
 * The Windows command: PowerShell prints the file through the app registered for PNG to the named
 * printer. UNTESTED on a real spooler; the printer driver decides card size and orientation.
 */
export function windowsPrintCommand(file: string, printer: string): { command: string; args: string[] } {
  const q = (s: string) => `'${s.replace(/'/g, "''")}'`;
  return {
    command: 'powershell.exe',
    args: ['-NoProfile', '-NonInteractive', '-Command', `Start-Process -FilePath ${q(file)} -Verb PrintTo -ArgumentList ${q(`"${printer}"`)} -Wait -WindowStyle Hidden`],
  };
}

/** UNTESTED (Windows only): write the PNG to a temp file and hand it to the spooler. */
export async function submitToWindowsSpooler(png: Uint8Array, options: OsQueueOptions): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'admit-badge-'));
  const file = join(dir, 'badge.png');
  try {
    await writeFile(file, png);
    const { command, args } = windowsPrintCommand(file, options.queue);
    const r = await run(command, args, { env: options.env, timeoutMs: options.timeoutMs ?? 60_000 });
    if (r.code !== 0) throw new DriverError<PrinterErrorCode>('rejected', `PrintTo ${options.queue} failed (${r.code}): ${(r.stderr || r.stdout).trim()}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A badge printer behind the OS print queue. */
export class OsQueueBadgePrinter extends TypedEmitter<PrinterEvents> implements BadgePrinter {
  readonly kind = 'os-queue' as const;
  readonly #options: OsQueueOptions;
  /** Job ids CUPS assigned, newest last. */
  readonly jobs: string[] = [];

  constructor(options: OsQueueOptions) {
    super();
    this.#options = options;
  }

  get #windows(): boolean {
    return (this.#options.platform ?? process.platform) === 'win32';
  }

  async printBadge(badge: BadgeData | RenderedBadge, template: BadgeTemplate = defaultBadgeTemplate()): Promise<void> {
    try {
      const rendered = isRendered(badge) ? badge : renderBadge(badge, template, CR80_GENERIC);
      const png = this.#options.image === 'mono' ? rendered.monoPng() : rendered.greyPng();
      if (this.#windows) await submitToWindowsSpooler(png, this.#options);
      else this.jobs.push(await submitToCups(png, this.#options));
    } catch (e) {
      throw this.#report(e);
    }
  }

  async status(): Promise<PrinterStatus> {
    try {
      // The Windows spooler has no portable status query here: report what is known (nothing wrong).
      const s = this.#windows ? { online: true, coverOpen: false, paperOut: false, paperNearEnd: false, error: false } : await cupsQueueStatus(this.#options);
      this.emit('printer-status', s);
      return s;
    } catch (e) {
      throw this.#report(e);
    }
  }

  async close(): Promise<void> {}

  #report(e: unknown): PrinterError {
    const err = e instanceof DriverError ? (e as PrinterError) : perr('io', e instanceof Error ? e.message : String(e), e);
    this.emit('error', err);
    return err;
  }
}

export function createOsQueueBadgePrinter(options: OsQueueOptions): OsQueueBadgePrinter {
  return new OsQueueBadgePrinter(options);
}
