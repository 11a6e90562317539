// The pure pieces of the server that other parts of Admit rely on byte for byte: code formats, UUIDv7
// handling and log redaction. (PIN and ID-number hashing are the domain's: tests/unit/hashing.test.ts.)
import { describe, expect, it } from 'vitest';
import { v7 as uuidv7, validate, version } from 'uuid';
import { Uuid } from '../../domain/wire';
import { redactUrl } from '../../server/src/app';
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
