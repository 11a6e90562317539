// The pure pieces of the server that other parts of Admit rely on byte for byte: PIN hashing (the terminal
// verifies PINs offline with the same function), code formats, UUIDv7 handling and log redaction.
import { scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { v7 as uuidv7, validate, version } from 'uuid';
import { Uuid } from '../../domain/wire';
import { redactUrl } from '../../server/src/app';
import { hashPin, hashPinAsync, newPinSalt, PIN_SCRYPT, verifyPin } from '../../server/src/auth';
import {
  newOrderCode,
  newPairingCode,
  newTicketCode,
  newTicketCodes,
  newUuidV7Batch,
  normalizePairingCode,
  randomChars,
} from '../../server/src/secrets';
import { uuidV7Millis } from '../../server/src/services/requestIds';

describe('hashPin', () => {
  it('is scrypt(pin, salt text) with N=16384, r=8, p=1, 32 bytes, as hex', () => {
    expect(PIN_SCRYPT).toEqual({ N: 16384, r: 8, p: 1, keylen: 32 });
    const salt = '00112233445566778899aabbccddeeff';
    const expected = scryptSync('1111', salt, 32, { N: 16384, r: 8, p: 1 }).toString('hex');
    expect(hashPin('1111', salt)).toBe(expected);
    expect(hashPin('1111', salt)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('agrees with its async twin, differs per salt, and verifies', async () => {
    const salt = newPinSalt();
    expect(salt).toMatch(/^[0-9a-f]{32}$/);
    expect(await hashPinAsync('9999', salt)).toBe(hashPin('9999', salt));
    expect(hashPin('9999', newPinSalt())).not.toBe(hashPin('9999', salt));
    expect(verifyPin('9999', salt, hashPin('9999', salt))).toBe(true);
    expect(verifyPin('9998', salt, hashPin('9999', salt))).toBe(false);
  });
});

describe('codes', () => {
  it('makes pairing codes of 8 A-Z0-9 shown as XXXX-XXXX and normalizes what people type', () => {
    const { code, display } = newPairingCode();
    expect(code).toMatch(/^[A-Z0-9]{8}$/);
    expect(display).toBe(`${code.slice(0, 4)}-${code.slice(4)}`);
    expect(normalizePairingCode(` ${display.toLowerCase()} `)).toBe(code);
    expect(normalizePairingCode('ABC-1234')).toBeNull();
    expect(normalizePairingCode('ABCD_1234')).toBeNull();
  });

  it('makes order codes without ambiguous characters and ticket codes with 100 random bits', () => {
    for (let i = 0; i < 200; i++) expect(newOrderCode()).toMatch(/^[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{6}$/);
    expect(newTicketCode()).toMatch(/^A1[0-9A-HJKMNP-TV-Z]{20}$/);
    const many = newTicketCodes(20_000);
    expect(new Set(many).size).toBe(20_000);
    // Every symbol of the alphabet shows up roughly equally often (no bias from the byte mapping).
    const counts = new Map<string, number>();
    for (const c of many) for (const ch of c.slice(2)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    expect(counts.size).toBe(32);
    const expected = (20_000 * 20) / 32;
    for (const n of counts.values()) expect(Math.abs(n - expected) / expected).toBeLessThan(0.05);
  });

  it('draws uniformly from alphabets that do not divide 256', () => {
    const counts = new Map<string, number>();
    for (const ch of randomChars('ABC', 30_000)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    for (const n of counts.values()) expect(Math.abs(n - 10_000)).toBeLessThan(500);
  });
});

describe('UUIDv7', () => {
  it('reads the time out of a UUIDv7 and rejects other versions', () => {
    const ms = Date.UTC(2030, 0, 1);
    expect(uuidV7Millis(uuidv7({ msecs: ms }))).toBe(ms);
    expect(uuidV7Millis(crypto.randomUUID())).toBeNull();
    expect(uuidV7Millis('nope')).toBeNull();
  });

  it('makes valid time-stamped UUIDv7s in bulk', () => {
    const ms = Date.now();
    const ids = newUuidV7Batch(5000, ms);
    expect(new Set(ids).size).toBe(5000);
    for (const id of ids.slice(0, 500)) {
      expect(validate(id) && version(id)).toBe(7);
      expect(Uuid.safeParse(id).success).toBe(true);
      expect(uuidV7Millis(id)).toBe(ms);
    }
  });
});

describe('log redaction', () => {
  it('never lets a ?token= reach a log line', () => {
    expect(redactUrl('/v1/ws?token=abc.DEF-123')).toBe('/v1/ws?token=[redacted]');
    expect(redactUrl('/v1/ws?x=1&token=abc&y=2')).toBe('/v1/ws?x=1&token=[redacted]&y=2');
    expect(redactUrl('/v1/changes?since=5')).toBe('/v1/changes?since=5');
  });
});
