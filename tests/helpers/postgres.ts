// Owns throwaway PostgreSQL clusters for integration tests: initdb into a temp dir, start on a free port on
// 127.0.0.1 with trust auth and its unix socket inside the temp dir, create a database, and tear it all
// down again. initdb refuses to run as root, so as root the cluster is run as the `postgres` system user.
import { spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import pg from 'pg';

export interface RunningPostgres {
  /** postgres://postgres@127.0.0.1:PORT/admit_test */
  url: string;
  /** Creates another empty database on the same cluster and returns its URL. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

function findBinDir(): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const initdb = join(dir, 'initdb');
    // Symlinks such as /usr/local/bin/initdb point into the real bin dir, next to pg_ctl and postgres.
    if (dir && existsSync(initdb)) return dirname(realpathSync(initdb));
  }
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(root, versions[0], 'bin');
  }
  throw new Error('PostgreSQL binaries not found: put initdb/pg_ctl on PATH or install postgresql (15+)');
}

function systemUser(name: string): { uid: number; gid: number } | null {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`));
  if (!line) return null;
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function run(
  cmd: string,
  args: string[],
  opts: { cwd: string; user: { uid: number; gid: number } | null },
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      env: { ...process.env, LC_ALL: 'C', LANG: 'C', HOME: opts.cwd },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(opts.user ? { uid: opts.user.uid, gid: opts.user.gid } : {}),
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}:\n${output}`)),
    );
  });
}

async function waitForConnections(url: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.query('select 1');
      await client.end();
      return;
    } catch (err) {
      await client.end().catch(() => undefined);
      if (Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export async function startPostgres(): Promise<RunningPostgres> {
  const bin = findBinDir();
  const user = process.getuid?.() === 0 ? systemUser('postgres') : null;
  if (process.getuid?.() === 0 && !user)
    throw new Error('running as root but there is no `postgres` system user for initdb');

  const dir = mkdtempSync(join(tmpdir(), 'admit-pg-'));
  if (user) chownSync(dir, user.uid, user.gid);
  const dataDir = join(dir, 'data');
  const logFile = join(dir, 'postgres.log');
  let port = await freePort();
  let started = false;

  const stopSync = () => {
    if (started)
      spawnSync(join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', 'stop'], { cwd: dir, ...(user ?? {}) });
    rmSync(dir, { recursive: true, force: true });
  };
  // A crashed test run must not leave a postmaster behind.
  process.once('exit', stopSync);

  try {
    await run(
      join(bin, 'initdb'),
      ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C'],
      {
        cwd: dir,
        user,
      },
    );
    const serverOptions = () =>
      [
        `-p ${port}`,
        `-k ${dir}`,
        '-c listen_addresses=127.0.0.1',
        '-c fsync=off',
        '-c synchronous_commit=off',
        '-c full_page_writes=off',
        '-c max_connections=200',
      ].join(' ');
    // Another test file may take the free port between freePort() and the postmaster's bind: try another.
    for (let attempt = 1; ; attempt++) {
      try {
        await run(join(bin, 'pg_ctl'), ['-D', dataDir, '-l', logFile, '-o', serverOptions(), '-w', '-t', '60', 'start'], {
          cwd: dir,
          user,
        });
        break;
      } catch (err) {
        const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
        if (attempt >= 5 || !/could not bind|already in use/i.test(log)) throw err;
        port = await freePort();
      }
    }
    started = true;
    const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
    await waitForConnections(adminUrl, 30_000);

    const createDatabase = async (name: string): Promise<string> => {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`invalid database name ${name}`);
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`create database ${name}`);
      } finally {
        await client.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    };
    const url = await createDatabase('admit_test');

    let stopped: Promise<void> | undefined;
    return {
      url,
      createDatabase,
      stop() {
        stopped ??= (async () => {
          process.removeListener('exit', stopSync);
          try {
            await run(join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'fast', '-w', 'stop'], { cwd: dir, user });
          } finally {
            started = false;
            rmSync(dir, { recursive: true, force: true });
          }
        })();
        return stopped;
      },
    };
  } catch (err) {
    const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
    process.removeListener('exit', stopSync);
    stopSync();
    throw new Error(`${(err as Error).message}${log ? `\n--- postgres.log ---\n${log}` : ''}`, { cause: err });
  }
}
