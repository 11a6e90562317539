// Owns how an ID number may be kept: never in the clear, only as a keyed hash. HMAC-SHA256 with a
// secret salt per event lets the core recognise the same person again within one event (one ticket
// per ID, re-entry) while a leaked table cannot be reversed by hashing every possible ID number
// (there are only ~10^10 of them, so an unkeyed or public-salt hash would fall in minutes). The salt
// is a key: store it apart from the hashes and destroy it when the event's retention period ends.
// Screens and the installer CLI show a number masked to its last four characters.
import { createHmac, randomBytes } from 'node:crypto';

export const MIN_SALT_BYTES = 16;

/** A fresh per-event salt (32 random bytes, base64url). */
export function newIdHashSalt(): string {
  return randomBytes(32).toString('base64url');
}

/** Normalise an ID number (resident ID, passport number) so one document always hashes the same. */
export function normalizeIdNumber(idNumber: string): string {
  return idNumber.normalize('NFKC').replace(/[\s<-]/g, '').toUpperCase();
}

/** HMAC-SHA256(salt, normalised ID number) as 64 hex characters. */
export function idNumberHash(idNumber: string, salt: string | Uint8Array): string {
  const key = typeof salt === 'string' ? Buffer.from(salt, 'utf8') : Buffer.from(salt);
  if (key.length < MIN_SALT_BYTES) throw new RangeError(`the salt must be at least ${MIN_SALT_BYTES} bytes; use newIdHashSalt()`);
  const id = normalizeIdNumber(idNumber);
  if (id === '') throw new RangeError('empty ID number');
  return createHmac('sha256', key).update(id, 'utf8').digest('hex');
}

/** Mask an ID or document number for screens and the CLI: only the last four characters show. */
export function maskIdNumber(id: string): string {
  const clean = id.replace(/\s+/g, '');
  return clean.length <= 4 ? '*'.repeat(clean.length) : `${'*'.repeat(clean.length - 4)}${clean.slice(-4)}`;
}
