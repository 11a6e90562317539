// Owns operator PIN hashing. Shared with the terminal, which verifies PINs offline against the replicated
// operator rows, so it depends on node:crypto only and its parameters are part of the contract:
//   key = scrypt(pin as UTF-8, salt as UTF-8 text exactly as stored in pin_salt, N=16384, r=8, p=1, keylen=32)
//   pin_hash = hex(key)
// Changing any parameter invalidates every stored PIN on every terminal, so never change them in place.
import { randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';

export const PIN_SCRYPT = { N: 16384, r: 8, p: 1, keylen: 32 } as const;
const scryptOptions = { N: PIN_SCRYPT.N, r: PIN_SCRYPT.r, p: PIN_SCRYPT.p, maxmem: 64 * 1024 * 1024 };

/** hex(scrypt(pin, salt)) with the fixed parameters above. */
export function hashPin(pin: string, salt: string): string {
  return scryptSync(pin, salt, PIN_SCRYPT.keylen, scryptOptions).toString('hex');
}

/** Same result as hashPin, off the event loop (scrypt costs tens of milliseconds). */
export function hashPinAsync(pin: string, salt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    scrypt(pin, salt, PIN_SCRYPT.keylen, scryptOptions, (err, key) =>
      err ? reject(err) : resolve(key.toString('hex')),
    );
  });
}

/** A fresh per-operator salt: 16 random bytes as hex text (the hex text itself is the scrypt salt). */
export function newPinSalt(): string {
  return randomBytes(16).toString('hex');
}

export function verifyPin(pin: string, salt: string, expectedHashHex: string): boolean {
  const actual = Buffer.from(hashPin(pin, salt), 'hex');
  const expected = Buffer.from(expectedHashHex, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
