// Owns every random secret and human code the server mints (device tokens, pairing codes, order and
// ticket codes) and how secrets are stored (sha256, so a database leak does not leak credentials).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const PAIRING_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
/** No 0/O or 1/I: order codes are read aloud and typed from receipts. */
const ORDER_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
/** Crockford base32: typable at a gate when a scanner fails, 5 bits per character. */
const TICKET_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const TICKET_CODE_PREFIX = 'A1';
export const TICKET_CODE_RANDOM_CHARS = 20; // 100 bits
export const PAIRING_CODE_LENGTH = 8;

/** Uniform random characters from `alphabet` (rejection sampling, so no modulo bias). */
export function randomChars(alphabet: string, count: number): string {
  const n = alphabet.length;
  const limit = 256 - (256 % n);
  let out = '';
  while (out.length < count) {
    for (const byte of randomBytes(count * 2)) {
      if (byte < limit) out += alphabet[byte % n];
      if (out.length === count) break;
    }
  }
  return out;
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** Constant-time string equality via digests (equal length, no early exit). */
export function secretEquals(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

export function newDeviceToken(): string {
  return randomBytes(32).toString('base64url');
}

export function newAdminToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Returns the canonical code (8 chars) and how it is shown to the organizer (XXXX-XXXX). */
export function newPairingCode(): { code: string; display: string } {
  const code = randomChars(PAIRING_ALPHABET, PAIRING_CODE_LENGTH);
  return { code, display: `${code.slice(0, 4)}-${code.slice(4)}` };
}

/** Accepts "ABCD-1234", "abcd1234", " abcd-1234 "; null when it cannot be a pairing code. */
export function normalizePairingCode(input: string): string | null {
  const code = input.trim().toUpperCase().replace(/-/g, '');
  return /^[A-Z0-9]{8}$/.test(code) ? code : null;
}

export function newOrderCode(): string {
  return randomChars(ORDER_ALPHABET, 6);
}

export function newTicketCode(): string {
  return newTicketCodes(1)[0]!;
}

/** Many ticket codes at once from one random buffer (bulk seeding of up to millions of tickets). */
export function newTicketCodes(count: number): string[] {
  // 32 symbols = 5 bits; one byte per character keeps it simple and unbiased (byte & 31).
  const bytes = randomBytes(count * TICKET_CODE_RANDOM_CHARS);
  const codes = new Array<string>(count);
  for (let i = 0; i < count; i++) {
    let code = TICKET_CODE_PREFIX;
    const base = i * TICKET_CODE_RANDOM_CHARS;
    for (let j = 0; j < TICKET_CODE_RANDOM_CHARS; j++) code += TICKET_ALPHABET[bytes[base + j]! & 31];
    codes[i] = code;
  }
  return codes;
}
