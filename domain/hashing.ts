// Owns the two hashes the terminal and the server must compute byte for byte alike:
//  - operator PINs: key = scrypt(pin as UTF-8, salt as UTF-8 text exactly as stored in pin_salt,
//    N=16384, r=8, p=1, keylen=32), pin_hash = hex(key). The server hashes when it creates an operator;
//    terminals verify offline against the replicated rows. Changing any parameter invalidates every
//    stored PIN on every terminal, so never change them in place.
//  - ID numbers: never kept in the clear, only as hex HMAC-SHA256(event salt, normalized number). A
//    keyed hash with a secret salt per event lets a gate recognise the same document within one event
//    while a leaked table cannot be reversed by hashing every possible number (there are only ~10^10 of
//    them, so an unkeyed or public-salt hash would fall in minutes). The salt is a key: it is destroyed
//    when the event's retention period ends.
// ID readers hand the core the raw number; only the core and the server hash it, here.
import { createHmac, randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';

// ---- operator PINs --------------------------------------------------------------------------------
export const PIN_SCRYPT = { N: 16384, r: 8, p: 1, keylen: 32 } as const;
const scryptOptions = { N: PIN_SCRYPT.N, r: PIN_SCRYPT.r, p: PIN_SCRYPT.p, maxmem: 64 * 1024 * 1024 };

/** hex(scrypt(pin, salt)) with the fixed parameters above. */
export function hashPin(pin: string, salt: string): string {
  return scryptSync(pin, salt, PIN_SCRYPT.keylen, scryptOptions).toString('hex');
}

/** Same result as hashPin, off the event loop (scrypt costs tens of milliseconds). */
export function hashPinAsync(pin: string, salt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    scrypt(pin, salt, PIN_SCRYPT.keylen, scryptOptions, (err, key) => (err ? reject(err) : resolve(key.toString('hex'))));
  });
}

/** A fresh per-operator salt: 16 random bytes as hex text (the hex text itself is the scrypt salt). */
export function newPinSalt(): string {
  return randomBytes(16).toString('hex');
}

/** Does `pin` hash to `expectedHashHex` under `salt`? Constant time in the hash comparison. */
export function verifyPin(pin: string, salt: string, expectedHashHex: string): boolean {
  const actual = Buffer.from(hashPin(pin, salt), 'hex');
  const expected = Buffer.from(expectedHashHex, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Same answer as verifyPin, with the hash computed on the libuv thread pool: the one call a terminal
 *  signs an operator in with, so the core's event loop keeps serving scans while a PIN is checked. */
export async function verifyPinAsync(pin: string, salt: string, expectedHashHex: string): Promise<boolean> {
  const actual = Buffer.from(await hashPinAsync(pin, salt), 'hex');
  const expected = Buffer.from(expectedHashHex, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

// ---- ID numbers -----------------------------------------------------------------------------------
/** Shorter salts would make the hash guessable; events without one cannot be searched by ID number. */
export const MIN_SALT_BYTES = 16;

/** A fresh per-event salt: 32 random bytes as hex text (the text, as UTF-8, is the HMAC key). */
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

/** HMAC-SHA256(salt, normalized ID number) as 64 hex characters — tickets.id_hash. A string salt is
 *  the key as UTF-8 text. */
export function idNumberHash(idNumber: string, salt: string | Uint8Array): string {
  const key = typeof salt === 'string' ? Buffer.from(salt, 'utf8') : Buffer.from(salt);
  if (key.length < MIN_SALT_BYTES) throw new RangeError(`the salt must be at least ${MIN_SALT_BYTES} bytes; use newIdHashSalt()`);
  const id = normalizeIdNumber(idNumber);
  if (id === '') throw new RangeError('empty ID number');
  return createHmac('sha256', key).update(id, 'utf8').digest('hex');
}
