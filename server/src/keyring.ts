// Owns the server's secrets at rest: the key-encryption key (kept outside the database: the environment,
// a key file, or <data dir>/signing.key), everything sealed under it (the events' Ed25519 private keys
// and the PIN key, the pepper of the operators' PIN hashes), and the data directory's modes. On start
// it checks the key against what the database already holds — a wrong key is an error that names its
// source, never a silent new key — seals private keys an older version stored in the clear, and peppers
// PIN hashes written before the pepper existed.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, closeSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { and, eq, like, not } from 'drizzle-orm';
import { isPepperedPinHash, newPinKey, PIN_KEY_BYTES, pepperPinHash } from '../../domain/hashing';
import type { ServerDb } from './db/client';
import { eventKeys, operators, serverMeta } from './db/schema';

export const KEY_BYTES = 32;
export const DEFAULT_KEY_FILE = 'signing.key';
export const KEY_ENV = 'ADMIT_KEY_ENCRYPTION_KEY';
export const KEY_FILE_ENV = 'ADMIT_KEY_FILE';
/** Sealed values: "k1:" + base64(12-byte IV | 16-byte GCM tag | ciphertext). Plain ones never contain ':'. */
const SEALED_PREFIX = 'k1:';
const PIN_KEY_META = 'pin_key';

/** The key-encryption key and where it came from (named in errors, never printed itself). */
export interface KeyEncryptionKey {
  key: Buffer;
  source: string;
}

export class KeyringError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyringError';
  }
}

/** 32 bytes as 64 hex digits or as base64 / base64url; anything else is refused. */
export function parseKey(text: string, source: string): Buffer {
  const t = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : /^[A-Za-z0-9+/_-]{43}=?$/.test(t) ? Buffer.from(t, 'base64') : null;
  if (!key || key.length !== KEY_BYTES)
    throw new KeyringError(`${source} must hold a ${KEY_BYTES}-byte key as 64 hex digits or base64 (for example: openssl rand -base64 32)`);
  return key;
}

/** Makes `dir` owner-only (0700) and every file under it 0600, every directory 0700. */
export function secureDataDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (process.platform === 'win32') return;
  const walk = (d: string) => {
    chmodSync(d, 0o700);
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.isFile()) chmodSync(p, 0o600);
    }
  };
  walk(dir);
}

function readKeyFile(path: string, source: string): Buffer {
  if (process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0)
    throw new KeyringError(`${source} is readable by other users; make it owner-only (chmod 600 ${path})`);
  return parseKey(readFileSync(path, 'utf8'), source);
}

/** The key-encryption key: ADMIT_KEY_ENCRYPTION_KEY, else the file ADMIT_KEY_FILE names (which must
 *  exist), else <dataDir>/signing.key, made (0600) on first start. */
export function resolveKeyEncryptionKey(env: NodeJS.ProcessEnv, dataDir: string): KeyEncryptionKey {
  const fromEnv = env[KEY_ENV];
  const file = env[KEY_FILE_ENV];
  if (fromEnv && file) throw new KeyringError(`set either ${KEY_ENV} or ${KEY_FILE_ENV}, not both`);
  if (fromEnv) return { key: parseKey(fromEnv, KEY_ENV), source: KEY_ENV };
  if (file) {
    const path = resolve(file);
    const source = `the key file ${path} (${KEY_FILE_ENV})`;
    try {
      return { key: readKeyFile(path, source), source };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new KeyringError(`${source} does not exist; create it with: openssl rand -base64 32 > ${path} && chmod 600 ${path}`);
      throw e;
    }
  }
  return loadOrCreateKeyFile(join(dataDir, DEFAULT_KEY_FILE));
}

/** Reads the key file at `path`, or creates it with a fresh key (owner-only) when there is none. */
export function loadOrCreateKeyFile(path: string): KeyEncryptionKey {
  const source = `the key file ${path}`;
  try {
    return { key: readKeyFile(path, source), source };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  mkdirSync(resolve(path, '..'), { recursive: true, mode: 0o700 });
  let fd: number;
  try {
    // 'wx': two servers starting at once cannot overwrite each other's key.
    fd = openSync(path, 'wx', 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return { key: readKeyFile(path, source), source };
    throw e;
  }
  const key = randomBytes(KEY_BYTES);
  try {
    writeSync(fd, key.toString('base64') + '\n');
  } finally {
    closeSync(fd);
  }
  if (process.platform !== 'win32') chmodSync(path, 0o600);
  return { key, source };
}

export const isSealed = (value: string): boolean => value.startsWith(SEALED_PREFIX);

/** AES-256-GCM under `key`, bound to `context` (additional data): a sealed value moved to another row
 *  does not open. */
export function seal(key: Buffer, plain: Buffer, context: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return SEALED_PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

/** Opens a sealed value; null when the key (or the context) is not the one it was sealed with. */
export function unseal(key: Buffer, sealed: string, context: string): Buffer | null {
  if (!isSealed(sealed)) return null;
  const raw = Buffer.from(sealed.slice(SEALED_PREFIX.length), 'base64');
  if (raw.length < 28) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
  } catch {
    return null;
  }
}

const eventKeyContext = (eventId: string, keyId: number, publicKey: string) => `admit/event-key/${eventId}/${keyId}/${publicKey}`;

/** What the rest of the server needs of the secrets: sealing and opening private keys, and the PIN key. */
export interface Keyring {
  /** The pepper of the operators' PIN hashes (32 bytes). */
  pinKey: Buffer;
  /** The stored form of an event's private key (base64 of the raw 32 bytes). */
  sealPrivateKey(row: { eventId: string; keyId: number; publicKey: string }, privateKey: string): string;
  /** The raw private key (base64) of a stored row; throws when it does not open. */
  openPrivateKey(row: { eventId: string; keyId: number; publicKey: string; privateKey: string }): string;
  /** Another secret the server keeps (the SMTP password, an SMS API key), sealed for `purpose`. */
  sealSecret(purpose: string, plain: string): string;
  /** A secret sealed by sealSecret for the same purpose; null when it does not open. */
  openSecret(purpose: string, sealed: string): string | null;
}

export function keyringOf(kek: KeyEncryptionKey, pinKey: Buffer): Keyring {
  return {
    pinKey,
    sealPrivateKey: (row, privateKey) => seal(kek.key, Buffer.from(privateKey, 'utf8'), eventKeyContext(row.eventId, row.keyId, row.publicKey)),
    openPrivateKey(row) {
      const plain = unseal(kek.key, row.privateKey, eventKeyContext(row.eventId, row.keyId, row.publicKey));
      if (!plain) throw new KeyringError(`the signing key ${row.keyId} of event ${row.eventId} does not open with ${kek.source}`);
      return plain.toString('utf8');
    },
    sealSecret: (purpose, plain) => seal(kek.key, Buffer.from(plain, 'utf8'), `admit/secret/${purpose}`),
    openSecret: (purpose, sealed) => unseal(kek.key, sealed, `admit/secret/${purpose}`)?.toString('utf8') ?? null,
  };
}

function wrongKey(kek: KeyEncryptionKey, what: string): KeyringError {
  return new KeyringError(
    `${kek.source} does not open ${what} in this database: start the server with the key this database was sealed with ` +
      `(${KEY_ENV}, ${KEY_FILE_ENV} or the data directory's ${DEFAULT_KEY_FILE}); a new key is never made in its place`,
  );
}

/** Checks the key against the database and brings the database's secrets up to date (see above). */
export async function openKeyring(db: ServerDb, kek: KeyEncryptionKey): Promise<Keyring> {
  // The PIN key: made once per installation, sealed in server_meta. It is the first check of the key.
  await db
    .insert(serverMeta)
    .values({ key: PIN_KEY_META, value: seal(kek.key, newPinKey(), 'admit/pin-key') })
    .onConflictDoNothing();
  const [stored] = await db.select().from(serverMeta).where(eq(serverMeta.key, PIN_KEY_META));
  const pinKey = stored ? unseal(kek.key, stored.value, 'admit/pin-key') : null;
  if (!pinKey || pinKey.length !== PIN_KEY_BYTES) throw wrongKey(kek, 'the PIN key');
  const keyring = keyringOf(kek, pinKey);

  // Every private key opens (a database sealed under two keys is an error, not half a server), and
  // one an older version stored in the clear is sealed now.
  const rows = await db.select().from(eventKeys);
  for (const row of rows) {
    if (isSealed(row.privateKey)) {
      if (!unseal(kek.key, row.privateKey, eventKeyContext(row.eventId, row.keyId, row.publicKey))) throw wrongKey(kek, `the signing key ${row.keyId} of event ${row.eventId}`);
      continue;
    }
    await db
      .update(eventKeys)
      .set({ privateKey: keyring.sealPrivateKey(row, row.privateKey) })
      .where(and(eq(eventKeys.eventId, row.eventId), eq(eventKeys.keyId, row.keyId), eq(eventKeys.privateKey, row.privateKey)));
  }

  // PIN hashes from before the pepper: peppered from the stored hash itself (no PIN needed).
  const plainPins = await db
    .select({ id: operators.id, pinHash: operators.pinHash, pinSalt: operators.pinSalt })
    .from(operators)
    .where(not(like(operators.pinHash, 'p2:%')));
  for (const op of plainPins) {
    if (isPepperedPinHash(op.pinHash)) continue;
    const peppered = await pepperPinHash(op.pinHash, op.pinSalt, pinKey);
    await db
      .update(operators)
      .set({ pinHash: peppered })
      .where(and(eq(operators.id, op.id), eq(operators.pinHash, op.pinHash)));
  }
  return keyring;
}
