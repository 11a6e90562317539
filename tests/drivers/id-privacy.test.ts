// ID numbers are kept only as salted (keyed) hashes.
import { describe, expect, it } from 'vitest';
import { MIN_SALT_BYTES, idNumberHash, newIdHashSalt, normalizeIdNumber } from '../../drivers/id-readers/privacy';
import { createHmac } from 'node:crypto';

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
    expect(Buffer.from(newIdHashSalt(), 'base64url')).toHaveLength(32);
  });
});
