// The server's secrets at rest, through PGlite on disk and the real start-up path (main()): the data
// directory owner-only, the events' private keys sealed under a key kept outside the database (env var,
// key file, or the default <data dir>/signing.key), old plain keys sealed on start, a wrong key refused
// with a clear error and nothing changed, and PIN hashes peppered with a key only paired terminals get.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCode, publicKeyFromRaw, verifySignature } from '../../domain/codes';
import { hashPin, newPinSalt, verifyPinAsync } from '../../domain/hashing';
import { createServer, type AdmitServer } from '../../server/src/app';
import { openServerDb, type ServerDbHandle } from '../../server/src/db/client';
import { eventKeys, operators, serverMeta } from '../../server/src/db/schema';
import { KeyringError, parseKey } from '../../server/src/keyring';
import { main, type RunningMain } from '../../server/src/main';
import { newEd25519KeyPair } from '../../server/src/services/keys';
import { call, createTestEvent, expectError, pairTerminal, sell, uuidv7 } from './harness';

const posix = process.platform !== 'win32';
const mode = (p: string) => statSync(p).mode & 0o777;

/** Every file and directory under `dir` with a mode other than owner-only. */
function notOwnerOnly(dir: string): string[] {
  const bad: string[] = [];
  const walk = (d: string) => {
    if (mode(d) !== 0o700) bad.push(`${d} ${mode(d).toString(8)}`);
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && mode(p) !== 0o600) bad.push(`${p} ${mode(p).toString(8)}`);
    }
  };
  walk(dir);
  return bad;
}

async function expectSignedCodesVerify(server: AdmitServer, eventId: string, ticketTypeId: string) {
  const { token } = await pairTerminal(server);
  const order = await sell(server, token, eventId, ticketTypeId);
  const keys = await server.admin.listEventKeys(eventId);
  for (const t of order.tickets) {
    const parsed = parseCode(t.code);
    expect(parsed.kind).toBe('signed');
    if (parsed.kind !== 'signed') continue;
    const key = keys.find((k) => k.keyId === parsed.payload.keyId)!;
    expect(verifySignature(parsed, publicKeyFromRaw(key.publicKey))).toBe(true);
  }
}

describe('server secrets at rest (PGlite on disk)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'admit-keyring-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a malformed key, both sources at once, and a named key file that is missing or readable by others', () => {
    expect(() => parseKey('short', 'X')).toThrow(/32-byte key/);
    expect(parseKey(randomBytes(32).toString('hex'), 'X')).toHaveLength(32);
    expect(parseKey(randomBytes(32).toString('base64'), 'X')).toHaveLength(32);
    const env = (e: Record<string, string>) => main(['--data-dir', join(dir, 'never'), '--port', '0'], { ...e }, () => undefined);
    return Promise.all([
      expect(env({ ADMIT_KEY_ENCRYPTION_KEY: 'not-a-key' })).rejects.toThrow(/ADMIT_KEY_ENCRYPTION_KEY must hold a 32-byte key/),
      expect(env({ ADMIT_KEY_ENCRYPTION_KEY: randomBytes(32).toString('hex'), ADMIT_KEY_FILE: join(dir, 'k') })).rejects.toThrow(/not both/),
      expect(env({ ADMIT_KEY_FILE: join(dir, 'missing.key') })).rejects.toThrow(/does not exist; create it with: openssl rand/),
      ...(posix
        ? [
            (() => {
              const loose = join(dir, 'loose.key');
              writeFileSync(loose, randomBytes(32).toString('base64'), { mode: 0o644 });
              return expect(env({ ADMIT_KEY_FILE: loose })).rejects.toThrow(/readable by other users/);
            })(),
          ]
        : []),
    ]);
  });

  it('makes the data directory owner-only, seals private keys under the default key file, and a wrong key stops the start', async () => {
    const dataDir = join(dir, 'server');
    let running: RunningMain | null = await main(['--data-dir', dataDir, '--port', '0'], { LOG_LEVEL: 'warn' }, () => undefined);
    try {
      if (posix) {
        expect(mode(join(dataDir, 'signing.key'))).toBe(0o600);
        expect(notOwnerOnly(dataDir)).toEqual([]);
      }
      const event = await createTestEvent(running.server);
      const [row] = await running.db.db.select().from(eventKeys).where(eq(eventKeys.eventId, event.id));
      expect(row!.privateKey).toMatch(/^k1:/);
      await expectSignedCodesVerify(running.server, event.id, event.ticketTypes[0]!.id);
      await running.stop();
      running = null;

      // Another key for the same database: a clear error naming the key's source; nothing rewritten.
      const before = await snapshot(dataDir);
      await expect(main(['--data-dir', dataDir, '--port', '0'], { LOG_LEVEL: 'warn', ADMIT_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64') }, () => undefined)).rejects.toThrow(
        /ADMIT_KEY_ENCRYPTION_KEY does not open the PIN key in this database: start the server with the key this database was sealed with/,
      );
      expect(await snapshot(dataDir)).toEqual(before);

      // The right key again (from the default file): the same keys still sign.
      running = await main(['--data-dir', dataDir, '--port', '0'], { LOG_LEVEL: 'warn' }, () => undefined);
      await expectSignedCodesVerify(running.server, event.id, event.ticketTypes[0]!.id);
    } finally {
      await running?.stop();
    }
  });

  it('seals an old plain private key and peppers an old PIN hash on start, keeping both usable', async () => {
    const pgDir = join(dir, 'plain');
    const kek = { key: randomBytes(32), source: 'the test key' };
    let handle: ServerDbHandle = await openServerDb({ dataDir: pgDir });
    let server = createServer({ db: handle, keyEncryptionKey: kek, adminToken: 'admin' });
    const event = await createTestEvent(server);
    await server.close();
    // What an older version wrote: the private key in the clear, an unpeppered PIN hash.
    const plain = newEd25519KeyPair();
    await handle.db.update(eventKeys).set(plain).where(eq(eventKeys.eventId, event.id));
    const salt = newPinSalt();
    const opId = uuidv7();
    await handle.db.insert(operators).values({ id: opId, name: 'Old', role: 'manager', pinSalt: salt, pinHash: hashPin('246810', salt) });
    await handle.close();

    handle = await openServerDb({ dataDir: pgDir });
    try {
      server = createServer({ db: handle, keyEncryptionKey: kek, adminToken: 'admin' });
      await server.ready();
      const [row] = await handle.db.select().from(eventKeys).where(eq(eventKeys.eventId, event.id));
      expect(row!.publicKey).toBe(plain.publicKey);
      expect(row!.privateKey).toMatch(/^k1:/);
      expect(row!.privateKey).not.toContain(plain.privateKey);
      await expectSignedCodesVerify(server, event.id, event.ticketTypes[0]!.id);

      const [op] = await handle.db.select().from(operators).where(eq(operators.id, opId));
      expect(op!.pinHash).toMatch(/^p2:[0-9a-f]{64}$/);
      // The feed carries the peppered hash only; the key comes from /v1/terminal-secrets, to paired devices.
      const { token } = await pairTerminal(server);
      const feed = await call(server.app, 'GET', '/v1/changes?since=0&limit=10000', { token });
      const fed = feed.json.changes.find((c: { kind: string; row: { id: string } }) => c.kind === 'operator' && c.row.id === opId);
      expect(fed.row.pinHash).toBe(op!.pinHash);
      expectError(await call(server.app, 'GET', '/v1/terminal-secrets'), 401, 'unauthorized');
      const secrets = await call(server.app, 'GET', '/v1/terminal-secrets', { token });
      expect(secrets.status).toBe(200);
      const pinKey = Buffer.from(secrets.json.pinKey, 'base64');
      expect(pinKey).toHaveLength(32);
      expect(JSON.stringify(feed.json)).not.toContain(secrets.json.pinKey);
      expect(await verifyPinAsync('246810', salt, op!.pinHash, pinKey)).toBe(true);
      expect(await verifyPinAsync('246811', salt, op!.pinHash, pinKey)).toBe(false);
      expect(await verifyPinAsync('246810', salt, op!.pinHash, null)).toBe(false);
      // The PIN key sits sealed in the database, never in the clear.
      const [meta] = await handle.db.select().from(serverMeta).where(eq(serverMeta.key, 'pin_key'));
      expect(meta!.value).toMatch(/^k1:/);
      expect(meta!.value).not.toContain(secrets.json.pinKey);
      // New operators are peppered from the start.
      const [created] = await server.admin.createOperators([{ name: 'New', role: 'cashier', pin: '135790' }]);
      const [newRow] = await handle.db.select().from(operators).where(eq(operators.id, created!.id));
      expect(newRow!.pinHash).toMatch(/^p2:/);
      expect(await verifyPinAsync('135790', newRow!.pinSalt, newRow!.pinHash, pinKey)).toBe(true);
      await server.close();

      // A wrong key: a KeyringError, and every use of a secret fails with it.
      server = createServer({ db: handle, keyEncryptionKey: { key: randomBytes(32), source: 'another key' }, adminToken: 'admin' });
      await expect(server.ready()).rejects.toBeInstanceOf(KeyringError);
      await expect(server.ready()).rejects.toThrow(/another key does not open the PIN key/);
      await expect(createTestEvent(server)).rejects.toBeInstanceOf(KeyringError);
      await expect(server.listen({ port: 0 })).rejects.toBeInstanceOf(KeyringError);
      await server.close();
    } finally {
      await handle.close();
    }
  });
});

/** Every file's size and mtime under `dir` (the key file and the database files). */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && e.name === 'signing.key') out[p] = `${statSync(p).size}/${statSync(p).mtimeMs}`;
    }
  };
  walk(dir);
  return out;
}
