// Owns the command line of the central server:
//   tsx server/src/main.ts [--port 8787] [--host 127.0.0.1] [--data-dir .data/server] [--demo] [--demo-tickets N] [pairing-code]
// DATABASE_URL selects a real PostgreSQL; otherwise PGlite lives in <data-dir>/pglite. `pairing-code` also
// prints a fresh one-time pairing code once the server is up (PGlite allows one process per data dir, so
// the code is minted by the running server rather than by a second process). ADMIT_ADMIN_TOKEN overrides
// the admin token file. The events' private keys and the PIN key are sealed under a key kept outside the
// database: ADMIT_KEY_ENCRYPTION_KEY, or the file ADMIT_KEY_FILE names, or <data-dir>/signing.key (made
// on first start). The data directory is owner-only (0700, files 0600).
// A paired device serves every event that has not ended yet. ADMIT_PERSONAL_DATA_RETENTION_DAYS sets how
// long after an event its attendees' personal data is kept when the organizer has not set it
// (PATCH /admin/v1/settings).
// Started without --demo on a database with no admin operator, the server creates one ("Administrator")
// and prints its PIN once to the console — never to the log: it signs in at a paired terminal with it and
// manages the staff in admin mode.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureFirstAdmin } from './admin/first-admin';
import { adminTokenPath } from './adminToken';
import { type AdmitServer, createServer } from './app';
import { openServerDb, type ServerDbHandle } from './db/client';
import { resolveKeyEncryptionKey, secureDataDir } from './keyring';
import { retentionDaysFromEnv } from './services/retention';

export interface MainOptions {
  host: string;
  port: number;
  dataDir: string;
  demo: boolean;
  demoTickets: number;
  pairingCode: boolean;
}

export function parseMainArgs(argv: string[]): MainOptions {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string', default: '8787' },
      host: { type: 'string', default: '127.0.0.1' },
      'data-dir': { type: 'string', default: '.data/server' },
      demo: { type: 'boolean', default: false },
      'demo-tickets': { type: 'string', default: '5000' },
    },
  });
  const port = Number(values.port);
  const demoTickets = Number(values['demo-tickets']);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid --port ${values.port}`);
  if (!Number.isInteger(demoTickets) || demoTickets < 0)
    throw new Error(`invalid --demo-tickets ${values['demo-tickets']}`);
  const unknown = positionals.filter((p) => p !== 'pairing-code');
  if (unknown.length > 0) throw new Error(`unknown command ${unknown.join(' ')}`);
  return {
    host: values.host,
    port,
    dataDir: resolve(values['data-dir']),
    demo: values.demo,
    demoTickets,
    pairingCode: positionals.includes('pairing-code'),
  };
}

export interface RunningMain {
  url: string;
  server: AdmitServer;
  db: ServerDbHandle;
  stop(): Promise<void>;
}

export async function main(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  print: (line: string) => void = (line) => console.log(line),
): Promise<RunningMain> {
  const options = parseMainArgs(argv);
  const retentionDays = retentionDaysFromEnv(env.ADMIT_PERSONAL_DATA_RETENTION_DAYS);
  const databaseUrl = env.DATABASE_URL || undefined;
  secureDataDir(options.dataDir);
  const keyEncryptionKey = resolveKeyEncryptionKey(env, options.dataDir);
  const db = await openServerDb(databaseUrl ? { databaseUrl } : { dataDir: resolve(options.dataDir, 'pglite') });
  // What the database just created: owner-only too.
  secureDataDir(options.dataDir);
  const server = createServer({
    db,
    dataDir: options.dataDir,
    keyEncryptionKey,
    ...(env.ADMIT_ADMIN_TOKEN ? { adminToken: env.ADMIT_ADMIN_TOKEN } : {}),
    logger: { level: env.LOG_LEVEL ?? 'info' },
    ...(retentionDays !== undefined ? { personalDataRetentionDays: retentionDays } : {}),
  });
  try {
    // A wrong key stops the start here, before anything is written.
    await server.ready();
    if (options.demo) {
      const seeded = await server.admin.seedDemo({ tickets: options.demoTickets });
      print(seeded.created ? `Demo event seeded with ${seeded.ticketCount} tickets.` : 'Demo event already present.');
    }
    const firstAdmin = options.demo ? null : await ensureFirstAdmin(db.db, await server.keyring(), new Date());
    const { url } = await server.listen({ host: options.host, port: options.port });
    print(
      `Admit server listening on ${url} (${db.driver === 'postgres' ? 'PostgreSQL' : `PGlite in ${options.dataDir}`})`,
    );
    if (!env.ADMIT_ADMIN_TOKEN) print(`Admin token file: ${adminTokenPath(options.dataDir)}`);
    if (firstAdmin) {
      print(`First admin operator "${firstAdmin.name}" created. PIN (shown only now): ${firstAdmin.pin}`);
      print('Sign in with it at a paired terminal and change it in admin mode (Staff).');
    }
    if (options.pairingCode) {
      const { code, expiresAt } = await server.admin.createPairingCode();
      print(`Pairing code: ${code} (valid until ${expiresAt}, single use)`);
    }
    let stopping: Promise<void> | undefined;
    const stop = () => (stopping ??= server.close().finally(() => db.close()));
    return { url, server, db, stop };
  } catch (err) {
    await server.close().catch(() => undefined);
    await db.close().catch(() => undefined);
    throw err;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  // Whatever the server writes later (database files, logs) is the owner's alone.
  process.umask(0o077);
  main(process.argv.slice(2)).then(
    (running) => {
      const shutdown = () =>
        void running.stop().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
    },
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
