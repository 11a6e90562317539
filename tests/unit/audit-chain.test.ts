// The audit chain's rules, shared by terminal and server: a detail is one canonical text whatever its key
// order; a detail that would carry a secret (PIN, token, code, ID number) or too much is refused; every
// field is covered by the hash; and followChain names what is wrong with the next entry.
import { describe, expect, it } from 'vitest';
import { AuditDetail, AuditEntry, canonicalDetail, GENESIS_HASH } from '../../domain/audit';
import { auditHash, followChain, GENESIS } from '../../domain/audit-chain';

const base: Omit<AuditEntry, 'hash'> = {
  id: '0190a000-0000-7000-8000-000000000001',
  seq: 1,
  at: '2030-06-01T12:00:00.000Z',
  deviceId: '0190a000-0000-7000-8000-0000000000d1',
  operatorId: null,
  action: 'open_all',
  subject: null,
  detail: canonicalDetail({ result: 'ok', failed: 0 }),
  prevHash: GENESIS_HASH,
};
const entry = (fields: Partial<typeof base> = {}): AuditEntry => {
  const unhashed = { ...base, ...fields };
  return { ...unhashed, hash: auditHash(unhashed) };
};

describe('audit chain', () => {
  it('encodes a detail one way whatever the key order', () => {
    expect(canonicalDetail({ b: 1, a: 'x', c: null })).toBe('{"a":"x","b":1,"c":null}');
    expect(canonicalDetail({ c: null, a: 'x', b: 1 })).toBe('{"a":"x","b":1,"c":null}');
  });

  it('refuses details that would carry a secret, a nested value or too much', () => {
    for (const key of ['pin', 'newPin', 'token', 'deviceToken', 'secret', 'password', 'code', 'idNumber', 'id_number']) {
      expect(AuditDetail.safeParse({ [key]: 'x' }).success, key).toBe(false);
    }
    expect(AuditDetail.safeParse({ orderCode: 'K7Q2', tickets: 2 }).success).toBe(true);
    expect(AuditDetail.safeParse({ nested: { a: 1 } }).success).toBe(false);
    expect(AuditDetail.safeParse({ amount: 1.5 }).success).toBe(false);
    expect(AuditDetail.safeParse({ note: 'x'.repeat(201) }).success).toBe(false);
    expect(AuditDetail.safeParse(Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, i]))).success).toBe(false);
    expect(AuditDetail.safeParse(Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`k${i}`, '"'.repeat(200)]))).success).toBe(false);
  });

  it('covers every field with the hash', () => {
    const e = entry();
    expect(AuditEntry.parse(e)).toEqual(e);
    const changed: Partial<typeof base>[] = [
      { id: '0190a000-0000-7000-8000-000000000002' },
      { seq: 2 },
      { at: '2030-06-01T12:00:00.001Z' },
      { deviceId: null },
      { operatorId: '0190a000-0000-7000-8000-0000000000a1' },
      { action: 'release' },
      { subject: 'x' },
      { detail: canonicalDetail({ result: 'ok', failed: 1 }) },
      { prevHash: '1'.repeat(64) },
    ];
    for (const c of changed) expect(auditHash({ ...base, ...c }), JSON.stringify(c)).not.toBe(e.hash);
  });

  it('names what is wrong with the next entry and moves on from its claimed hash', () => {
    const first = entry();
    expect(followChain(GENESIS, first)).toEqual({ breaks: [], head: { seq: 1, hash: first.hash } });
    const second = entry({ seq: 2, prevHash: first.hash });
    expect(followChain({ seq: 1, hash: first.hash }, second).breaks).toEqual([]);
    expect(followChain({ seq: 1, hash: first.hash }, { ...second, detail: '{}' }).breaks.map((b) => b.kind)).toEqual(['hash']);
    expect(followChain({ seq: 1, hash: 'f'.repeat(64) }, second).breaks.map((b) => b.kind)).toEqual(['prev_hash']);
    expect(followChain(GENESIS, entry({ seq: 3 })).breaks.map((b) => b.kind)).toEqual(['gap']);
    expect(followChain(GENESIS, { ...second, detail: '{}' }).head).toEqual({ seq: 2, hash: second.hash });
  });
});
