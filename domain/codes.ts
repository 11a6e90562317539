// Owns the ticket code formats and their bytes, shared by the server (which issues codes) and the
// terminals (which check them offline):
//  - signed:   "S1" + base32(payload ‖ Ed25519 signature). The payload names the ticket, its event and
//              type and its validity window, so a ticket sold after a terminal's last sync still
//              validates offline; keys are per event, several valid at once for rotation.
//  - rotating: "R1" + base32(ticket id ‖ time step ‖ truncated HMAC-SHA256 under the ticket's secret):
//              what an attendee's phone shows, changing every period, so a screenshot stops working.
//  - opaque:   anything else (imported from other systems), looked up in the cache.
// base32 (RFC 4648, no padding) keeps codes in the QR alphanumeric set and free of lookalike-prone
// lower case.
import { createHmac, createPrivateKey, createPublicKey, sign, timingSafeEqual, verify, type KeyObject } from 'node:crypto';

export const SIGNED_PREFIX = 'S1';
export const ROTATING_PREFIX = 'R1';
const SIGNED_PAYLOAD_BYTES = 1 + 1 + 4 + 2 + 16 + 4 + 4; // version, key, event no, type no, ticket, from, to
const SIG_BYTES = 64;
const ROTATING_BYTES = 16 + 4 + 10;

export type SignedPayload = {
  keyId: number; // 0–255, per event
  eventNo: number; // uint32, the event's short number
  typeNo: number; // uint16, the ticket type's short number within the event
  ticketId: string; // UUID
  validFrom: number; // unix seconds
  validTo: number; // unix seconds
};

export type ParsedCode =
  | { kind: 'signed'; payload: SignedPayload; signed: Buffer; signature: Buffer }
  | { kind: 'rotating'; ticketId: string; step: number; mac: Buffer }
  | { kind: 'opaque'; code: string }
  | { kind: 'malformed'; reason: 'bad_base32' | 'bad_length' | 'bad_version' };

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const LOOKUP = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

export function base32Encode(buf: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of buf) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

export function base32Decode(text: string): Buffer | null {
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? LOOKUP[c]! : -1;
    if (v < 0) return null;
    value = ((value << 5) | v) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  // Leftover bits must be zero padding, or the text was not produced by base32Encode.
  if (bits >= 5 || (value & ((1 << bits) - 1)) !== 0) return null;
  return Buffer.from(out);
}

const uuidToBytes = (id: string): Buffer => Buffer.from(id.replace(/-/g, ''), 'hex');
const bytesToUuid = (b: Buffer): string => {
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

export function encodeSignedPayload(p: SignedPayload): Buffer {
  const b = Buffer.alloc(SIGNED_PAYLOAD_BYTES);
  b.writeUInt8(1, 0);
  b.writeUInt8(p.keyId, 1);
  b.writeUInt32BE(p.eventNo, 2);
  b.writeUInt16BE(p.typeNo, 6);
  uuidToBytes(p.ticketId).copy(b, 8);
  b.writeUInt32BE(p.validFrom, 24);
  b.writeUInt32BE(p.validTo, 28);
  return b;
}

/** Raw 32-byte Ed25519 keys travel as base64; these wrap them for node:crypto. */
export function publicKeyFromRaw(raw: string): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(raw, 'base64').toString('base64url') }, format: 'jwk' });
}
export function privateKeyFromRaw(rawPrivate: string, rawPublic: string): KeyObject {
  return createPrivateKey({
    key: {
      kty: 'OKP',
      crv: 'Ed25519',
      d: Buffer.from(rawPrivate, 'base64').toString('base64url'),
      x: Buffer.from(rawPublic, 'base64').toString('base64url'),
    },
    format: 'jwk',
  });
}

export function signCode(p: SignedPayload, privateKey: KeyObject): string {
  const payload = encodeSignedPayload(p);
  return SIGNED_PREFIX + base32Encode(Buffer.concat([payload, sign(null, payload, privateKey)]));
}

export function rotatingStep(nowMs: number, periodS: number): number {
  return Math.floor(nowMs / 1000 / periodS);
}

export function rotatingMac(secret: Buffer, ticketId: string, step: number): Buffer {
  const msg = Buffer.alloc(20);
  uuidToBytes(ticketId).copy(msg, 0);
  msg.writeUInt32BE(step >>> 0, 16);
  return createHmac('sha256', secret).update(msg).digest().subarray(0, 10);
}

/** What the attendee's phone shows at `nowMs`. */
export function rotatingCode(secret: Buffer, ticketId: string, nowMs: number, periodS: number): string {
  const step = rotatingStep(nowMs, periodS);
  const b = Buffer.alloc(ROTATING_BYTES);
  uuidToBytes(ticketId).copy(b, 0);
  b.writeUInt32BE(step >>> 0, 16);
  rotatingMac(secret, ticketId, step).copy(b, 20);
  return ROTATING_PREFIX + base32Encode(b);
}

export function parseCode(code: string): ParsedCode {
  if (code.startsWith(SIGNED_PREFIX)) {
    const raw = base32Decode(code.slice(2));
    if (!raw) return { kind: 'malformed', reason: 'bad_base32' };
    if (raw.length !== SIGNED_PAYLOAD_BYTES + SIG_BYTES) return { kind: 'malformed', reason: 'bad_length' };
    if (raw[0] !== 1) return { kind: 'malformed', reason: 'bad_version' };
    const signed = raw.subarray(0, SIGNED_PAYLOAD_BYTES);
    return {
      kind: 'signed',
      signed,
      signature: raw.subarray(SIGNED_PAYLOAD_BYTES),
      payload: {
        keyId: raw.readUInt8(1),
        eventNo: raw.readUInt32BE(2),
        typeNo: raw.readUInt16BE(6),
        ticketId: bytesToUuid(raw.subarray(8, 24)),
        validFrom: raw.readUInt32BE(24),
        validTo: raw.readUInt32BE(28),
      },
    };
  }
  if (code.startsWith(ROTATING_PREFIX)) {
    const raw = base32Decode(code.slice(2));
    if (!raw) return { kind: 'malformed', reason: 'bad_base32' };
    if (raw.length !== ROTATING_BYTES) return { kind: 'malformed', reason: 'bad_length' };
    return { kind: 'rotating', ticketId: bytesToUuid(raw.subarray(0, 16)), step: raw.readUInt32BE(16), mac: raw.subarray(20) };
  }
  return { kind: 'opaque', code };
}

export function verifySignature(parsed: Extract<ParsedCode, { kind: 'signed' }>, publicKey: KeyObject): boolean {
  try {
    return verify(null, parsed.signed, publicKey, parsed.signature);
  } catch {
    return false;
  }
}

/** Checks a rotating code: the MAC must match and its step be the current one or one either side
 *  (clock drift between phone and gate). Returns 'ok', 'bad_mac' or 'stale'. */
export function checkRotating(
  parsed: Extract<ParsedCode, { kind: 'rotating' }>,
  secret: Buffer,
  nowMs: number,
  periodS: number,
): 'ok' | 'bad_mac' | 'stale' {
  const expected = rotatingMac(secret, parsed.ticketId, parsed.step);
  if (expected.length !== parsed.mac.length || !timingSafeEqual(expected, parsed.mac)) return 'bad_mac';
  return Math.abs(parsed.step - rotatingStep(nowMs, periodS)) <= 1 ? 'ok' : 'stale';
}
