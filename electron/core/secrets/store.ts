// Owns the terminal's secrets at rest: the device token and the operators' PIN key (the pepper of their
// PIN hashes). They never go into SQLite. They live in one file, <data dir>/secrets/secrets.json, in a
// directory only the owner may enter (0700) and readable by the owner only (0600). Under Electron the
// file's content is sealed by the OS key store (safeStorage, asked for through the main process); in
// service mode, or where the OS has no key store, the owner-only file is the protection.
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/** The secrets a terminal keeps. */
export type SecretName = 'device_token' | 'pin_key';
const SECRET_NAMES = ['device_token', 'pin_key'] as const satisfies readonly SecretName[];

/** Seals and opens blobs with a key the OS keeps (Electron's safeStorage, through the main process). */
export interface Sealer {
  /** Rejects with SealerUnavailable when the OS has no key store. */
  seal(plain: Buffer): Promise<Buffer>;
  open(sealed: Buffer): Promise<Buffer>;
}

export class SealerUnavailable extends Error {
  constructor() {
    super('the OS key store is not available');
    this.name = 'SealerUnavailable';
  }
}

/** Read access for the features that use a secret; writes go through SecretStore.set. */
export interface SecretReader {
  get(name: SecretName): string | null;
}

export const SECRETS_DIR = 'secrets';
export const SECRETS_FILE = 'secrets.json';
export const OWNER_ONLY_DIR = 0o700;
export const OWNER_ONLY_FILE = 0o600;

const Values = z.partialRecord(z.enum(SECRET_NAMES), z.string());
type Values = z.infer<typeof Values>;
const FileShape = z.discriminatedUnion('sealed', [
  z.object({ v: z.literal(1), sealed: z.literal('none'), values: Values }),
  z.object({ v: z.literal(1), sealed: z.literal('os'), data: z.string() }),
]);

/** Creates `dir` (and parents) and makes it owner-only, whatever mode an older version left it in. */
export function ensureOwnerOnlyDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: OWNER_ONLY_DIR });
  if (process.platform !== 'win32') chmodSync(dir, OWNER_ONLY_DIR);
}

/** Writes `content` to `file` whole or not at all: an owner-only temporary file, synced, renamed over. */
function writeAtomically(file: string, content: string): void {
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(tmp, 'wx', OWNER_ONLY_FILE);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  if (process.platform !== 'win32') chmodSync(tmp, OWNER_ONLY_FILE);
  renameSync(tmp, file);
}

export class SecretStore implements SecretReader {
  #values: Values;
  #writing: Promise<void> = Promise.resolve();

  private constructor(
    readonly file: string,
    private readonly sealer: Sealer | null,
    values: Values,
    /** How the file's content is protected: sealed by the OS key store, or by its mode only. */
    readonly protection: 'os' | 'owner-only-file',
  ) {
    this.#values = values;
  }

  /** Opens (or creates) the store of the terminal whose data directory is `dataDir`. With a sealer the
   *  content is sealed by the OS (a file the owner-only mode alone protected is sealed now); a file
   *  the OS sealed cannot be opened without one, and that is an error, never an empty store. */
  static async open(dataDir: string, sealer: Sealer | null): Promise<SecretStore> {
    const dir = join(dataDir, SECRETS_DIR);
    ensureOwnerOnlyDir(dir);
    const file = join(dir, SECRETS_FILE);
    let text: string | null = null;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    let osSealing = false;
    if (sealer) {
      try {
        await sealer.seal(Buffer.from('probe'));
        osSealing = true;
      } catch (e) {
        if (!(e instanceof SealerUnavailable)) throw e;
      }
    }
    let values: Values = {};
    let rewrite = text === null;
    if (text !== null) {
      let parsed: z.infer<typeof FileShape>;
      try {
        parsed = FileShape.parse(JSON.parse(text));
      } catch {
        throw new Error(`the terminal's secrets file ${file} is unreadable; restore it from a backup or delete it and pair the terminal again`);
      }
      if (parsed.sealed === 'os') {
        if (!osSealing || !sealer) throw new Error(`the terminal's secrets file ${file} is sealed by the OS key store, which is not available here: start Admit in its desktop shell as the same user`);
        try {
          values = Values.parse(JSON.parse((await sealer.open(Buffer.from(parsed.data, 'base64'))).toString('utf8')));
        } catch {
          throw new Error(`the OS key store could not open the terminal's secrets file ${file}; delete it and pair the terminal again`);
        }
      } else {
        values = parsed.values;
        rewrite = osSealing;
      }
      if (process.platform !== 'win32') chmodSync(file, OWNER_ONLY_FILE);
    }
    const store = new SecretStore(file, osSealing ? sealer : null, values, osSealing ? 'os' : 'owner-only-file');
    if (rewrite) await store.#persist();
    return store;
  }

  get(name: SecretName): string | null {
    return this.#values[name] ?? null;
  }

  /** Sets (or, with null, removes) one secret; resolves once it is on disk. */
  set(name: SecretName, value: string | null): Promise<void> {
    if (value === null) delete this.#values[name];
    else this.#values[name] = value;
    return this.#persist();
  }

  #persist(): Promise<void> {
    const snapshot = JSON.stringify(this.#values);
    const next = this.#writing.then(async () => {
      const content = this.sealer
        ? { v: 1, sealed: 'os', data: (await this.sealer.seal(Buffer.from(snapshot, 'utf8'))).toString('base64') }
        : { v: 1, sealed: 'none', values: JSON.parse(snapshot) as Values };
      writeAtomically(this.file, JSON.stringify(content));
    });
    this.#writing = next.catch(() => undefined);
    return next;
  }
}

/** What older versions kept in the meta table moves into the store: copied, then deleted from SQLite,
 *  whose file is then checkpointed so the deleted bytes (zeroed by secure_delete) leave the WAL too. */
export async function moveSecretsOutOfMeta(
  meta: { getMeta(key: string): string | null; setMeta(key: string, value: string | null): void },
  store: SecretStore,
  checkpoint: () => void,
): Promise<boolean> {
  let moved = false;
  for (const name of SECRET_NAMES) {
    const plain = meta.getMeta(name);
    if (plain === null) continue;
    if (store.get(name) === null) await store.set(name, plain);
    meta.setMeta(name, null);
    moved = true;
  }
  if (moved) checkpoint();
  return moved;
}
