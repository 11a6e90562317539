// Owns a throw-away CUPS scheduler for tests and demos: its own cupsd with config, spool, logs and a
// Unix socket in a temp dir (nothing touches the machine's CUPS), queues created with lpadmin on
// file:/ device URIs (FileDevice Yes) so a printed job lands in a file, and a pass-through filter so
// that file holds exactly the bytes submitted. lp/lpstat reach it through `env` (CUPS_SERVER).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CupsSandbox {
  dir: string;
  /** Environment for lp / lpstat / lpadmin (CUPS_SERVER = the sandbox's socket). */
  env: NodeJS.ProcessEnv;
  /** Create an enabled queue printing to a file; resolves with the file's path. */
  addFileQueue(name: string): Promise<string>;
  disable(name: string): Promise<void>;
  close(): Promise<void>;
}

const CUPSD = ['/usr/sbin/cupsd', '/usr/local/sbin/cupsd'].find((p) => existsSync(p));
const SERVER_BIN = ['/usr/lib/cups', '/usr/libexec/cups'].find((p) => existsSync(join(p, 'backend')));

/** Why a sandbox cannot run here (cupsd or lp missing), or null when it can. */
export function cupsUnavailable(): string | null {
  if (!CUPSD || !SERVER_BIN) return 'cupsd is not installed (apt-get install -y cups cups-client cups-bsd)';
  for (const tool of ['lp', 'lpstat', 'lpadmin']) {
    if (spawnSync(tool, ['-h'], { stdio: 'ignore' }).error) return `${tool} is not installed (apt-get install -y cups-client)`;
  }
  return null;
}

// A PPD whose filter passes PNG and PDF through untouched, with CR80, A6 and A4 media sizes so the
// badge stocks' media keywords are valid.
const PPD = `*PPD-Adobe: "4.3"
*FormatVersion: "4.3"
*FileVersion: "1.0"
*LanguageVersion: English
*LanguageEncoding: ISOLatin1
*PCFileName: "ADMITBDG.PPD"
*Manufacturer: "Admit"
*Product: "(Admit test card printer)"
*ModelName: "Admit test card printer"
*ShortNickName: "Admit test card printer"
*NickName: "Admit test card printer"
*PSVersion: "(3010.000) 0"
*LanguageLevel: "3"
*ColorDevice: False
*DefaultColorSpace: Gray
*FileSystem: False
*Throughput: "1"
*cupsFilter: "image/png 0 admit-passthrough"
*cupsFilter: "application/pdf 0 admit-passthrough"
*OpenUI *PageSize/Media Size: PickOne
*OrderDependency: 10 AnySetup *PageSize
*DefaultPageSize: CR80
*PageSize CR80/CR80 card: "<</PageSize[243 153]>>setpagedevice"
*PageSize A6/A6: "<</PageSize[298 420]>>setpagedevice"
*PageSize A4/A4: "<</PageSize[595 842]>>setpagedevice"
*CloseUI: *PageSize
*OpenUI *PageRegion: PickOne
*OrderDependency: 10 AnySetup *PageRegion
*DefaultPageRegion: CR80
*PageRegion CR80/CR80 card: "<</PageSize[243 153]>>setpagedevice"
*PageRegion A6/A6: "<</PageSize[298 420]>>setpagedevice"
*PageRegion A4/A4: "<</PageSize[595 842]>>setpagedevice"
*CloseUI: *PageRegion
*DefaultImageableArea: CR80
*ImageableArea CR80/CR80 card: "0 0 243 153"
*ImageableArea A6/A6: "0 0 298 420"
*ImageableArea A4/A4: "0 0 595 842"
*DefaultPaperDimension: CR80
*PaperDimension CR80/CR80 card: "243 153"
*PaperDimension A6/A6: "298 420"
*PaperDimension A4/A4: "595 842"
`;

function runTool(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${out.trim()}`))));
  });
}

export async function startCupsSandbox(timeoutMs = 15_000): Promise<CupsSandbox> {
  const why = cupsUnavailable();
  if (why) throw new Error(why);
  const dir = await mkdtemp(join(tmpdir(), 'admit-cups-'));
  for (const d of ['spool', 'tmp', 'state', 'cache', 'log', 'out', 'bin', 'bin/filter']) await mkdir(join(dir, d), { recursive: true });
  await chmod(join(dir, 'tmp'), 0o1777);
  await chmod(join(dir, 'out'), 0o1777);
  await chmod(join(dir, 'bin'), 0o755);
  await chmod(join(dir, 'bin/filter'), 0o755);
  for (const sub of ['backend', 'daemon', 'cgi-bin', 'notifier', 'monitor']) {
    if (existsSync(join(SERVER_BIN!, sub))) await symlink(join(SERVER_BIN!, sub), join(dir, 'bin', sub));
  }
  const filter = join(dir, 'bin/filter/admit-passthrough');
  await writeFile(filter, '#!/bin/sh\n# Pass the job through unchanged: argv[6] is the file, else stdin.\nif [ -n "$6" ]; then exec cat "$6"; else exec cat; fi\n');
  await chmod(filter, 0o755);
  const socket = join(dir, 'cups.sock');
  await writeFile(
    join(dir, 'cupsd.conf'),
    [
      `Listen ${socket}`,
      'LogLevel info',
      'WebInterface No',
      'Browsing No',
      '<Location />',
      '  Order allow,deny',
      '  Allow all',
      '</Location>',
      '<Policy default>',
      '  <Limit All>',
      '    Order allow,deny',
      '    Allow all',
      '  </Limit>',
      '</Policy>',
      '',
    ].join('\n'),
  );
  await writeFile(
    join(dir, 'cups-files.conf'),
    [
      'FileDevice Yes',
      `ServerRoot ${dir}`,
      `RequestRoot ${join(dir, 'spool')}`,
      `TempDir ${join(dir, 'tmp')}`,
      `StateDir ${join(dir, 'state')}`,
      `CacheDir ${join(dir, 'cache')}`,
      `ServerBin ${join(dir, 'bin')}`,
      'DataDir /usr/share/cups',
      `ErrorLog ${join(dir, 'log/error_log')}`,
      `AccessLog ${join(dir, 'log/access_log')}`,
      `PageLog ${join(dir, 'log/page_log')}`,
      '',
    ].join('\n'),
  );
  await writeFile(join(dir, 'badge.ppd'), PPD);

  const env = { ...process.env, CUPS_SERVER: socket };
  const child: ChildProcess = spawn(CUPSD!, ['-f', '-c', join(dir, 'cupsd.conf'), '-s', join(dir, 'cups-files.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4096)));
  let exited = false;
  child.once('exit', () => (exited = true));
  child.once('error', (e) => {
    exited = true;
    stderr += e.message;
  });
  const stop = async () => {
    if (!exited) {
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => child.kill('SIGKILL'), 3000);
        child.once('exit', () => {
          clearTimeout(force);
          resolve();
        });
        child.kill('SIGTERM');
      });
    }
    await rm(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) {
      await stop();
      throw new Error(`cupsd exited at start: ${stderr.trim()}`);
    }
    if (existsSync(socket) && (await runTool('lpstat', ['-r'], env).then((o) => /is running/.test(o), () => false))) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`cupsd did not start within ${timeoutMs} ms: ${stderr.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }

  return {
    dir,
    env,
    async addFileQueue(name) {
      const out = join(dir, 'out', `${name}.out`);
      // The scheduler writes file: devices into an existing file only (it opens without O_CREAT).
      await writeFile(out, '');
      await chmod(out, 0o666);
      await runTool('lpadmin', ['-p', name, '-E', '-v', `file://${out}`, '-P', join(dir, 'badge.ppd')], env);
      return out;
    },
    async disable(name) {
      await runTool('cupsdisable', [name], env).catch(() => runTool('lpadmin', ['-p', name, '-o', 'printer-state=5'], env));
    },
    close: stop,
  };
}
