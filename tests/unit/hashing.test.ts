// The hashes terminal and server compute alike: operator PINs (terminals verify offline against the
// server's peppered hashes) and ID numbers (kept only as slow, salted hashes).
import { createHmac, scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  ID_SCRYPT,
  MIN_SALT_BYTES,
  PIN_PEPPERED_SCRYPT,
  PIN_SCRYPT,
  hashPin,
  hashPinAsync,
  hashPinPeppered,
  idNumberHash,
  idNumberHashSync,
  isPepperedPinHash,
  newIdHashSalt,
  newPinKey,
  newPinSalt,
  normalizeIdNumber,
  pepperPinHash,
  verifyPinAsync,
} from '../../domain/hashing';

const maxmem = 256 * 1024 * 1024;

describe('PIN hashes', () => {
  it('inner layer: scrypt(pin, salt text) with N=16384, r=8, p=1, 32 bytes, as hex', async () => {
    expect(PIN_SCRYPT).toEqual({ N: 16384, r: 8, p: 1, keylen: 32 });
    const salt = '00112233445566778899aabbccddeeff';
    const expected = scryptSync('111111', salt, 32, { N: 16384, r: 8, p: 1 }).toString('hex');
    expect(hashPin('111111', salt)).toBe(expected);
    expect(await hashPinAsync('111111', salt)).toBe(expected);
  });

  it('stored form: "p2:" + scrypt(HMAC(pinKey, inner), salt) with N=65536, r=8', async () => {
    expect(PIN_PEPPERED_SCRYPT).toEqual({ N: 65536, r: 8, p: 1, keylen: 32 });
    const salt = newPinSalt();
    const pinKey = newPinKey();
    const inner = hashPin('123456', salt);
    const outer = scryptSync(createHmac('sha256', pinKey).update(inner).digest(), salt, 32, { N: 65536, r: 8, p: 1, maxmem }).toString('hex');
    const stored = await hashPinPeppered('123456', salt, pinKey);
    expect(stored).toBe(`p2:${outer}`);
    expect(isPepperedPinHash(stored)).toBe(true);
    // The server upgrades an old row from its inner hash alone, to the same value.
    expect(await pepperPinHash(inner, salt, pinKey)).toBe(stored);
    expect(stored).not.toContain(inner);
  });

  it('verifies with the right PIN and key only; without the key nothing matches', async () => {
    const salt = newPinSalt();
    const pinKey = newPinKey();
    const stored = await hashPinPeppered('999999', salt, pinKey);
    expect(await verifyPinAsync('999999', salt, stored, pinKey)).toBe(true);
    expect(await verifyPinAsync('999998', salt, stored, pinKey)).toBe(false);
    expect(await verifyPinAsync('999999', salt, stored, newPinKey())).toBe(false);
    expect(await verifyPinAsync('999999', salt, stored, null)).toBe(false);
    expect(await verifyPinAsync('999999', newPinSalt(), stored, pinKey)).toBe(false);
    await expect(hashPinPeppered('999999', salt, Buffer.alloc(16))).rejects.toThrow(RangeError);
  });

  it('still verifies an unpeppered row (not yet upgraded by the server)', async () => {
    const salt = newPinSalt();
    expect(await verifyPinAsync('111111', salt, hashPin('111111', salt), null)).toBe(true);
    expect(await verifyPinAsync('111112', salt, hashPin('111111', salt), null)).toBe(false);
    expect(await verifyPinAsync('111111', salt, 'abcd', null)).toBe(false);
    expect(await verifyPinAsync('111111', salt, '', null)).toBe(false);
  });
});

describe('idNumberHash', () => {
  const salt = 'event-2025-salt-0123456789abcdef';

  it('is scrypt(normalised ID number, salt text) with N=65536, r=8, p=1, 32 bytes, in hex', async () => {
    expect(ID_SCRYPT).toEqual({ N: 65536, r: 8, p: 1, keylen: 32 });
    const h = await idNumberHash('11010519491231002X', salt);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(h).toBe(scryptSync('11010519491231002X', salt, 32, { N: 65536, r: 8, p: 1, maxmem }).toString('hex'));
    expect(idNumberHashSync('11010519491231002X', salt)).toBe(h);
  });

  it('the same document hashes the same however it was typed', async () => {
    const h = await idNumberHash('11010519491231002X', salt);
    const typed = await Promise.all(['11010519491231002x', ' 110105 19491231 002X ', '１１０１０５１９４９１２３１００２Ｘ'].map((id) => idNumberHash(id, salt)));
    expect(typed).toEqual([h, h, h]);
    expect(normalizeIdNumber('c01x00t47<')).toBe('C01X00T47');
  });

  it('differs per event salt and per ID, and never contains the ID', async () => {
    const a = await idNumberHash('11010519491231002X', salt);
    expect(await idNumberHash('11010519491231002X', newIdHashSalt())).not.toBe(a);
    expect(await idNumberHash('110105194912310037', salt)).not.toBe(a);
    expect(a).not.toContain('19491231');
    expect(await idNumberHash('11010519491231002X', Buffer.from(salt))).toBe(a);
  });

  it('refuses short salts and empty IDs', async () => {
    await expect(idNumberHash('11010519491231002X', 'x'.repeat(MIN_SALT_BYTES - 1))).rejects.toThrow(RangeError);
    await expect(idNumberHash('  ', salt)).rejects.toThrow(RangeError);
    expect(() => idNumberHashSync('  ', salt)).toThrow(RangeError);
    expect(newIdHashSalt()).toMatch(/^[0-9a-f]{64}$/);
  });
});
