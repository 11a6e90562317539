// The hashes terminal and server compute alike: operator PINs (terminals verify offline against the
// server's hashes) and ID numbers (kept only as salted, keyed hashes).
import { createHmac, scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  MIN_SALT_BYTES,
  PIN_SCRYPT,
  hashPin,
  hashPinAsync,
  idNumberHash,
  newIdHashSalt,
  newPinSalt,
  normalizeIdNumber,
  verifyPin,
} from '../../domain/hashing';

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
    expect(verifyPin('9999', salt, 'abcd')).toBe(false);
  });
});

describe('idNumberHash', () => {
  const salt = 'event-2025-salt-0123456789abcdef';

  it('is HMAC-SHA256(salt, normalised ID number) in hex', () => {
    const h = idNumberHash('11010519491231002X', salt);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(h).toBe(createHmac('sha256', salt).update('11010519491231002X').digest('hex'));
  });

  it('the same document hashes the same however it was typed', () => {
    const h = idNumberHash('11010519491231002X', salt);
    expect(idNumberHash('11010519491231002x', salt)).toBe(h);
    expect(idNumberHash(' 110105 19491231 002X ', salt)).toBe(h);
    expect(idNumberHash('１１０１０５１９４９１２３１００２Ｘ', salt)).toBe(h); // full-width digits (NFKC)
    expect(normalizeIdNumber('c01x00t47<')).toBe('C01X00T47');
  });

  it('differs per event salt and per ID, and never contains the ID', () => {
    const a = idNumberHash('11010519491231002X', salt);
    expect(idNumberHash('11010519491231002X', newIdHashSalt())).not.toBe(a);
    expect(idNumberHash('110105194912310037', salt)).not.toBe(a);
    expect(a).not.toContain('19491231');
    expect(idNumberHash('11010519491231002X', Buffer.from(salt))).toBe(a);
  });

  it('refuses short salts and empty IDs', () => {
    expect(() => idNumberHash('11010519491231002X', 'x'.repeat(MIN_SALT_BYTES - 1))).toThrow(RangeError);
    expect(() => idNumberHash('  ', salt)).toThrow(RangeError);
    expect(newIdHashSalt()).toMatch(/^[0-9a-f]{64}$/);
  });
});
