// The terminal's secrets at rest, for real: the core on SQLite in a temp data directory, paired over HTTP
// with a server on PGlite. The data directory, terminal.sqlite and the secrets file are owner-only; the
// device token and the PIN key live in the secret store, never in the SQLite file's bytes; a token an
// older version left in the meta table moves out on start and sync goes on with it; with an OS sealer
// the secrets file holds no secret in the clear and cannot be opened without it.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/core';
import { osSealer, type HostPort } from '../../electron/core/secrets/os-sealer';
import { SealerUnavailable, SecretStore, type Sealer } from '../../electron/core/secrets/store';
import { isSecretRequest, type SecretReply } from '../../electron/contract/secret-channel';
import { createServer, type AdmitServer } from '../../server/src/app';
import { openServerDb, type ServerDbHandle } from '../../server/src/db/client';
import { waitFor } from '../helpers/wait';
import { loginAs } from '../helpers/login';

const quiet = { warn: () => undefined, error: () => undefined };
const posix = process.platform !== 'win32';
const mode = (p: string) => statSync(p).mode & 0o777;

let work: string;
let db: ServerDbHandle;
let server: AdmitServer;
let url: string;

const openCore = (dataDir: string, sealer?: Sealer) =>
  createCore({ dataDir, migrationsFolder: 'migrations/local', shell: 'service', demo: false, version: 't', logger: quiet, devices: { usbEvents: false }, ...(sealer ? { sealer } : {}) });

/** The bytes SQLite keeps on disk for this terminal: the database, its WAL and shared memory. */
function sqliteBytes(dataDir: string): Buffer {
  const base = join(dataDir, 'terminal.sqlite');
  return Buffer.concat([base, `${base}-wal`, `${base}-shm`].filter((f) => existsSync(f)).map((f) => readFileSync(f)));
}

/** A stand-in for the OS key store: AES-GCM under a key only this test holds. */
function testSealer(key = randomBytes(32)): Sealer & { key: Buffer } {
  return {
    key,
    seal: async (plain) => {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(plain), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    open: async (sealed) => {
      const d = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
      d.setAuthTag(sealed.subarray(12, 28));
      return Buffer.concat([d.update(sealed.subarray(28)), d.final()]);
    },
  };
}

async function pairAndSync(core: Core, name: string) {
  await core.sync.pair(url, (await server.admin.createPairingCode()).code, name);
  core.sync.start();
  await core.sync.pull();
  await waitFor(() => core.sync.isOnline, 20_000, 'online');
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'admit-secrets-'));
  db = await openServerDb({});
  server = createServer({ db, dataDir: join(work, 'server') });
  url = (await server.listen({ host: '127.0.0.1', port: 0 })).url;
  await server.admin.seedDemo({ tickets: 20 });
}, 300_000);

afterAll(async () => {
  await server?.close();
  await db?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('terminal secrets at rest', () => {
  it('keeps the device token and PIN key out of SQLite, in owner-only files, and pairing, sync and sign-in work', async () => {
    const dataDir = join(work, 'gate');
    const core = await openCore(dataDir);
    try {
      await pairAndSync(core, 'Gate');
      const storeFile = join(dataDir, 'secrets', 'secrets.json');
      const stored = JSON.parse(readFileSync(storeFile, 'utf8')) as { sealed: string; values: Record<string, string> };
      expect(stored.sealed).toBe('none');
      const token = stored.values['device_token']!;
      const pinKey = stored.values['pin_key']!;
      expect(token.length).toBeGreaterThan(20);
      expect(Buffer.from(pinKey, 'base64')).toHaveLength(32);
      expect(core.meta.getMeta('device_token')).toBeNull();
      const bytes = sqliteBytes(dataDir);
      expect(bytes.includes(Buffer.from(token))).toBe(false);
      expect(bytes.includes(Buffer.from(pinKey))).toBe(false);
      // Operators' hashes are peppered: signing in needs the PIN key the store holds.
      expect(await loginAs(core, 'w1', { role: 'cashier' }, '111111')).toMatchObject({ ok: true });
      expect(await loginAs(core, 'w2', { role: 'cashier' }, '111112')).toMatchObject({ ok: false, error: { code: 'bad_pin' } });
      if (posix) {
        expect(mode(dataDir)).toBe(0o700);
        expect(mode(join(dataDir, 'secrets'))).toBe(0o700);
        expect(mode(storeFile)).toBe(0o600);
        for (const f of ['terminal.sqlite', 'terminal.sqlite-wal', 'terminal.sqlite-shm']) if (existsSync(join(dataDir, f))) expect(mode(join(dataDir, f)), f).toBe(0o600);
      }
    } finally {
      await core.close();
    }
  }, 300_000);

  it('moves a token an older version kept in the meta table into the store, erases it from the SQLite file, and syncs with it', async () => {
    const dataDir = join(work, 'old');
    let core = await openCore(dataDir);
    await pairAndSync(core, 'Old terminal');
    const token = core.secrets.get('device_token')!;
    await core.close();
    // What an older version left behind: the token in meta, no secrets file.
    rmSync(join(dataDir, 'secrets'), { recursive: true });
    const sql = new Database(join(dataDir, 'terminal.sqlite'));
    sql.prepare("insert into meta(key, value) values ('device_token', ?)").run(token);
    sql.close();
    expect(sqliteBytes(dataDir).includes(Buffer.from(token))).toBe(true);

    core = await openCore(dataDir);
    try {
      expect(core.secrets.get('device_token')).toBe(token);
      expect(core.meta.getMeta('device_token')).toBeNull();
      expect(sqliteBytes(dataDir).includes(Buffer.from(token))).toBe(false);
      expect(core.sync.paired).toBe(true);
      core.sync.start();
      await waitFor(() => core.sync.isOnline, 20_000, 'online with the moved token');
      // A new change on the server reaches this terminal over the moved token.
      const before = core.sync.lastSeq();
      await server.admin.createOperators([{ name: 'Late', role: 'cashier', pin: '432198' }]);
      await waitFor(() => core.sync.lastSeq() > before, 20_000, 'pulled');
      await waitFor(() => core.secrets.get('pin_key') !== null, 20_000, 'PIN key fetched');
      expect(await loginAs(core, 'w', { name: 'Late' }, '432198')).toMatchObject({ ok: true });
    } finally {
      await core.close();
    }
  }, 300_000);

  it('with an OS sealer the secrets file holds no secret in the clear, and does not open without the sealer', async () => {
    const dataDir = join(work, 'sealed');
    const sealer = testSealer();
    let core = await openCore(dataDir, sealer);
    try {
      await pairAndSync(core, 'Sealed');
      const token = core.secrets.get('device_token')!;
      const file = readFileSync(join(dataDir, 'secrets', 'secrets.json'), 'utf8');
      expect(JSON.parse(file)).toMatchObject({ v: 1, sealed: 'os' });
      expect(file).not.toContain(token);
      expect(file).not.toContain(core.secrets.get('pin_key')!);
    } finally {
      await core.close();
    }
    await expect(openCore(dataDir)).rejects.toThrow(/sealed by the OS key store, which is not available here/);
    await expect(openCore(dataDir, testSealer())).rejects.toThrow(/could not open/);
    core = await openCore(dataDir, sealer);
    expect(core.sync.paired).toBe(true);
    await core.close();
  }, 300_000);

  it('falls back to the owner-only file when the OS has no key store, and seals that file once it has one', async () => {
    const dataDir = join(work, 'no-keyring');
    const unavailable: Sealer = { seal: () => Promise.reject(new SealerUnavailable()), open: () => Promise.reject(new SealerUnavailable()) };
    let store = await SecretStore.open(dataDir, unavailable);
    expect(store.protection).toBe('owner-only-file');
    await store.set('device_token', 'tok-123456');
    expect(readFileSync(store.file, 'utf8')).toContain('tok-123456');
    store = await SecretStore.open(dataDir, testSealer());
    expect(store.protection).toBe('os');
    expect(store.get('device_token')).toBe('tok-123456');
    expect(readFileSync(store.file, 'utf8')).not.toContain('tok-123456');
  });

  it('asks the main process over the narrow secret channel, and nothing else goes over it', async () => {
    const key = randomBytes(32);
    const main = testSealer(key);
    const listeners: ((e: { data: unknown }) => void)[] = [];
    const seen: unknown[] = [];
    // The main process's side as electron/main answers it: only well-formed seal/open requests.
    const port: HostPort = {
      on: (_e, l) => void listeners.push(l),
      postMessage: (m) => {
        seen.push(m);
        if (!isSecretRequest(m)) return;
        void (m.op === 'seal' ? main.seal : main.open)(Buffer.from(m.data, 'base64')).then(
          (out) => listeners.forEach((l) => l({ data: { t: 'secret', id: m.id, ok: true, data: out.toString('base64') } satisfies SecretReply })),
          () => listeners.forEach((l) => l({ data: { t: 'secret', id: m.id, ok: false, error: 'failed' } satisfies SecretReply })),
        );
      },
    };
    const sealer = osSealer(port);
    const sealed = await sealer.seal(Buffer.from('secret-value'));
    expect(sealed.includes(Buffer.from('secret-value'))).toBe(false);
    expect((await sealer.open(sealed)).toString()).toBe('secret-value');
    await expect(sealer.open(Buffer.from('garbage-garbage-garbage-garbage'))).rejects.toThrow(/could not open/);
    expect(seen.every(isSecretRequest)).toBe(true);
    const unavailablePort: HostPort = {
      on: (_e, l) => void listeners.splice(0, listeners.length, l),
      postMessage: (m) => isSecretRequest(m) && listeners.forEach((l) => l({ data: { t: 'secret', id: m.id, ok: false, error: 'unavailable' } satisfies SecretReply })),
    };
    await expect(osSealer(unavailablePort).seal(Buffer.from('x'))).rejects.toBeInstanceOf(SealerUnavailable);
  });
});
