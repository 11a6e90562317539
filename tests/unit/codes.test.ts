// Ticket code formats: signed, rotating, opaque — and what tampering, truncation and replay look like.
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  base32Decode,
  base32Encode,
  checkRotating,
  parseCode,
  rotatingCode,
  signCode,
  verifySignature,
  type SignedPayload,
} from '../../domain/codes';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const other = generateKeyPairSync('ed25519');
const payload: SignedPayload = {
  keyId: 3,
  eventNo: 42,
  typeNo: 7,
  ticketId: '0190a000-1111-7222-8333-444455556666',
  validFrom: 1_780_000_000,
  validTo: 1_780_300_000,
};

describe('base32', () => {
  it('round-trips any bytes', () => {
    for (const len of [0, 1, 5, 31, 96]) {
      const b = Buffer.from(Array.from({ length: len }, (_, i) => (i * 37 + 11) & 255));
      expect(base32Decode(base32Encode(b))).toEqual(b);
    }
  });
  it('refuses characters outside the alphabet and non-zero padding bits', () => {
    expect(base32Decode('ABC1')).toBeNull();
    expect(base32Decode('abc')).toBeNull();
    expect(base32Decode('AA')).toEqual(Buffer.from([0]));
    expect(base32Decode('AP')).toBeNull();
  });
});

describe('signed codes', () => {
  const code = signCode(payload, privateKey);
  it('are compact, QR-alphanumeric and carry their payload', () => {
    expect(code).toMatch(/^S1[A-Z2-7]+$/);
    expect(code.length).toBeLessThan(160);
    const parsed = parseCode(code);
    expect(parsed.kind).toBe('signed');
    if (parsed.kind !== 'signed') return;
    expect(parsed.payload).toEqual(payload);
    expect(verifySignature(parsed, publicKey)).toBe(true);
  });
  it('fail under another key', () => {
    const parsed = parseCode(code);
    if (parsed.kind !== 'signed') throw new Error('kind');
    expect(verifySignature(parsed, other.publicKey)).toBe(false);
  });
  it('fail when any byte is tampered with', () => {
    const raw = base32Decode(code.slice(2))!;
    for (const at of [2, 10, 30, 40, 90]) {
      const t = Buffer.from(raw);
      t[at]! ^= 0x01;
      const parsed = parseCode('S1' + base32Encode(t));
      expect(parsed.kind === 'signed' && verifySignature(parsed, publicKey)).toBe(false);
    }
  });
  it('are malformed when truncated or re-versioned', () => {
    expect(parseCode(code.slice(0, -8))).toMatchObject({ kind: 'malformed' });
    expect(parseCode(code + 'AAAA')).toMatchObject({ kind: 'malformed' });
    expect(parseCode('S1' + code.slice(2).replace(/^./, '0'))).toMatchObject({ kind: 'malformed', reason: 'bad_base32' });
    const raw = base32Decode(code.slice(2))!;
    raw[0] = 9;
    expect(parseCode('S1' + base32Encode(raw))).toMatchObject({ kind: 'malformed', reason: 'bad_version' });
  });
});

describe('rotating codes', () => {
  const secret = Buffer.from('0123456789abcdef0123');
  const t0 = Date.parse('2026-07-01T12:00:00Z');
  const code = rotatingCode(secret, payload.ticketId, t0, 15);
  it('are valid now and one period either side (clock drift)', () => {
    const parsed = parseCode(code);
    if (parsed.kind !== 'rotating') throw new Error('kind');
    expect(parsed.ticketId).toBe(payload.ticketId);
    expect(checkRotating(parsed, secret, t0, 15)).toBe('ok');
    expect(checkRotating(parsed, secret, t0 + 15_000, 15)).toBe('ok');
  });
  it('are stale when replayed later (a screenshot)', () => {
    const parsed = parseCode(code);
    if (parsed.kind !== 'rotating') throw new Error('kind');
    expect(checkRotating(parsed, secret, t0 + 60_000, 15)).toBe('stale');
  });
  it('fail under another secret or with a tampered step', () => {
    const parsed = parseCode(code);
    if (parsed.kind !== 'rotating') throw new Error('kind');
    expect(checkRotating(parsed, Buffer.from('another secret'), t0, 15)).toBe('bad_mac');
    const raw = base32Decode(code.slice(2))!;
    raw.writeUInt32BE(raw.readUInt32BE(16) + 1, 16);
    const moved = parseCode('R1' + base32Encode(raw));
    if (moved.kind !== 'rotating') throw new Error('kind');
    expect(checkRotating(moved, secret, t0, 15)).toBe('bad_mac');
  });
});

describe('opaque codes', () => {
  it('are anything without our prefixes', () => {
    expect(parseCode('A1B2C3D4')).toEqual({ kind: 'opaque', code: 'A1B2C3D4' });
  });
});
