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
  // 32 symbols = 5 bits; one random byte per character keeps it unbiased (byte & 31). The code is built
  // as ASCII bytes and sliced out as strings, which is ~10x faster than concatenating characters.
  const width = TICKET_CODE_PREFIX.length + TICKET_CODE_RANDOM_CHARS;
  const random = randomBytes(count * TICKET_CODE_RANDOM_CHARS);
  const ascii = Buffer.allocUnsafe(count * width);
  const symbols = Buffer.from(TICKET_ALPHABET, 'latin1');
  const prefix = Buffer.from(TICKET_CODE_PREFIX, 'latin1');
  const codes = new Array<string>(count);
  for (let i = 0, r = 0; i < count; i++) {
    const start = i * width;
    prefix.copy(ascii, start);
    for (let j = start + prefix.length; j < start + width; j++) ascii[j] = symbols[random[r++]! & 31]!;
    codes[i] = ascii.toString('latin1', start, start + width);
  }
  return codes;
}

/** UUIDv7s in bulk (RFC 9562: 48-bit ms time, version 7, variant 10, 74 random bits), written as ASCII
 *  into one buffer like newTicketCodes. Time-ordered ids keep bulk inserts local in the primary key. */
export function newUuidV7Batch(count: number, nowMs = Date.now()): string[] {
  const hex = Buffer.from('0123456789abcdef', 'latin1');
  const random = randomBytes(count * 10);
  const template = Buffer.from(
    `${nowMs
      .toString(16)
      .padStart(12, '0')
      .replace(/^(.{8})(.{4})$/, '$1-$2')}-7000-8000-000000000000`,
    'latin1',
  );
  const ascii = Buffer.allocUnsafe(count * 36);
  const ids = new Array<string>(count);
  // 18 random hex digits (9 bytes) around the fixed time, version and variant digits…
  const slots = [15, 16, 17, 20, 21, 22, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35];
  for (let i = 0, r = 0; i < count; i++, r += 10) {
    const at = i * 36;
    template.copy(ascii, at);
    for (let byte = 0; byte < 9; byte++) {
      const v = random[r + byte]!;
      ascii[at + slots[2 * byte]!] = hex[v >> 4]!;
      ascii[at + slots[2 * byte + 1]!] = hex[v & 15]!;
    }
    // …and the variant digit (10xx) carrying the last 2 random bits: 74 in all, as RFC 9562 has it.
    ascii[at + 19] = hex[8 | (random[r + 9]! & 3)]!;
    ids[i] = ascii.toString('latin1', at, at + 36);
  }
  return ids;
}
