// Owns the hashes the terminal and the server must compute byte for byte alike, and their costs:
//  - operator PINs, in two layers. The inner layer is the original scheme, kept so that every stored
//    hash can be upgraded without knowing the PIN: inner = hex(scrypt(pin as UTF-8, salt as UTF-8 text
//    exactly as stored in pin_salt, N=2^14, r=8, p=1, keylen=32)). The stored hash is peppered:
//    pin_hash = "p2:" + hex(scrypt(HMAC-SHA256(pinKey, inner), salt, N=2^16, r=8, p=1, keylen=32)).
//    pinKey is a 32-byte server secret: it never goes into a database row or the change feed, terminals
//    receive it over their authenticated link and keep it in their secret store. A stolen terminal
//    database alone therefore cannot be searched at all (the pepper is a 256-bit key); with the pepper
//    too, each guess costs both scrypt layers. A hash without the "p2:" prefix is the inner layer alone
//    (rows written before the pepper); the server upgrades those on start.
//  - ID numbers: never kept in the clear, only as hex(scrypt(normalized number, event salt, N=2^16,
//    r=8, p=1, keylen=32)). The salt is replicated to terminals (they hash what they read), so the hash
//    must be slow by itself: one guess costs about a third of a second of one core and 64 MiB, which
//    puts reversing one number out of years of computing (bench/id-hash.ts measures it). The salt is
//    destroyed when the event's retention period ends.
// Changing any parameter invalidates every stored hash on every terminal, so never change them in place.
// ID readers hand the core the raw number; only the core and the server hash it, here.
import { createHmac, randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';

type ScryptParams = { readonly N: number; readonly r: number; readonly p: number; readonly keylen: number };
const options = (s: ScryptParams) => ({ N: s.N, r: s.r, p: s.p, maxmem: 2 * 128 * s.N * s.r + 1024 * 1024 });

function scryptAsync(secret: string | Buffer, salt: string, params: ScryptParams): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, params.keylen, options(params), (err, key) => (err ? reject(err) : resolve(key)));
  });
}

// ---- operator PINs --------------------------------------------------------------------------------
/** The inner layer (the original PIN hash). */
export const PIN_SCRYPT = { N: 16384, r: 8, p: 1, keylen: 32 } as const;
/** The outer, peppered layer. */
export const PIN_PEPPERED_SCRYPT = { N: 65536, r: 8, p: 1, keylen: 32 } as const;
export const PEPPERED_PIN_PREFIX = 'p2:';
export const PIN_KEY_BYTES = 32;

/** hex(scrypt(pin, salt)) with the inner-layer parameters: the unpeppered hash of rows that predate
 *  the pepper, and the input of the peppered layer. */
export function hashPin(pin: string, salt: string): string {
  return scryptSync(pin, salt, PIN_SCRYPT.keylen, options(PIN_SCRYPT)).toString('hex');
}

/** Same result as hashPin, off the event loop. */
export async function hashPinAsync(pin: string, salt: string): Promise<string> {
  return (await scryptAsync(pin, salt, PIN_SCRYPT)).toString('hex');
}

/** A fresh per-operator salt: 16 random bytes as hex text (the hex text itself is the scrypt salt). */
export function newPinSalt(): string {
  return randomBytes(16).toString('hex');
}

/** A fresh pepper for PIN hashes (the server mints one per installation). */
export function newPinKey(): Buffer {
  return randomBytes(PIN_KEY_BYTES);
}

function checkPinKey(pinKey: Uint8Array): Buffer {
  if (pinKey.length !== PIN_KEY_BYTES) throw new RangeError(`the PIN key must be ${PIN_KEY_BYTES} bytes`);
  return Buffer.from(pinKey);
}

/** The stored form from an inner-layer hash: upgrades a row without knowing its PIN. Off the event loop. */
export async function pepperPinHash(innerHex: string, salt: string, pinKey: Uint8Array): Promise<string> {
  const peppered = createHmac('sha256', checkPinKey(pinKey)).update(innerHex, 'utf8').digest();
  return PEPPERED_PIN_PREFIX + (await scryptAsync(peppered, salt, PIN_PEPPERED_SCRYPT)).toString('hex');
}

/** The stored form of a new PIN: "p2:" + hex(scrypt(HMAC(pinKey, hashPin(pin, salt)), salt)). */
export async function hashPinPeppered(pin: string, salt: string, pinKey: Uint8Array): Promise<string> {
  return pepperPinHash(await hashPinAsync(pin, salt), salt, pinKey);
}

export const isPepperedPinHash = (stored: string): boolean => stored.startsWith(PEPPERED_PIN_PREFIX);

function sameHex(actualHex: string, expectedHex: string): boolean {
  const actual = Buffer.from(actualHex, 'hex');
  const expected = Buffer.from(expectedHex, 'hex');
  return actual.length === expected.length && expected.length > 0 && timingSafeEqual(actual, expected);
}

/** Does `pin` match the stored hash? Off the event loop; constant time in the comparison. A peppered
 *  hash needs the PIN key (without it nothing matches); an unpeppered one (a row the server has not
 *  upgraded yet) is checked against the inner layer alone. */
export async function verifyPinAsync(pin: string, salt: string, stored: string, pinKey: Uint8Array | null): Promise<boolean> {
  if (!isPepperedPinHash(stored)) return sameHex(await hashPinAsync(pin, salt), stored);
  if (!pinKey || pinKey.length !== PIN_KEY_BYTES) return false;
  const actual = await hashPinPeppered(pin, salt, pinKey);
  return sameHex(actual.slice(PEPPERED_PIN_PREFIX.length), stored.slice(PEPPERED_PIN_PREFIX.length));
}

// ---- ID numbers -----------------------------------------------------------------------------------
export const ID_SCRYPT = { N: 65536, r: 8, p: 1, keylen: 32 } as const;
/** Shorter salts would make the hash guessable; events without one cannot be searched by ID number. */
export const MIN_SALT_BYTES = 16;

/** A fresh per-event salt: 32 random bytes as hex text (the text, as UTF-8, is the scrypt salt). */
export function newIdHashSalt(): string {
  return randomBytes(32).toString('hex');
}

/** Normalizes an ID number (resident ID, passport number) so one document always hashes the same. */
export function normalizeIdNumber(idNumber: string): string {
  return idNumber
    .normalize('NFKC')
    .replace(/[\s<-]/g, '')
    .toUpperCase();
}

function idHashInput(idNumber: string, salt: string | Uint8Array): { id: string; salt: string } {
  const text = typeof salt === 'string' ? salt : Buffer.from(salt).toString('utf8');
  if (Buffer.byteLength(text, 'utf8') < MIN_SALT_BYTES) throw new RangeError(`the salt must be at least ${MIN_SALT_BYTES} bytes; use newIdHashSalt()`);
  const id = normalizeIdNumber(idNumber);
  if (id === '') throw new RangeError('empty ID number');
  return { id, salt: text };
}

/** hex(scrypt(normalized ID number, salt)) — tickets.id_hash — off the event loop (a third of a second
 *  of one core by design). A salt given as bytes is read as UTF-8 text. */
export async function idNumberHash(idNumber: string, salt: string | Uint8Array): Promise<string> {
  const input = idHashInput(idNumber, salt);
  return (await scryptAsync(input.id, input.salt, ID_SCRYPT)).toString('hex');
}

/** Same as idNumberHash, blocking the calling thread for the whole cost: for tools and fixtures only. */
export function idNumberHashSync(idNumber: string, salt: string | Uint8Array): string {
  const input = idHashInput(idNumber, salt);
  return scryptSync(input.id, input.salt, ID_SCRYPT.keylen, options(ID_SCRYPT)).toString('hex');
}
