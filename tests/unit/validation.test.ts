import { describe, expect, it } from 'vitest';
import { decide, isWellFormedCode } from '../../electron/core/validation';

const valid = { id: 't1', status: 'valid' as const, paid: true };

describe('check-in decision', () => {
  it('admits a paid, valid, unused ticket', () => {
    expect(decide(valid, [])).toEqual({ reason: 'ok', admitted: true, firstUsedAt: null });
  });
  it('refuses an unknown code', () => expect(decide(undefined, []).reason).toBe('unknown'));
  it.each(['cancelled', 'refunded', 'revoked'] as const)('refuses a %s ticket', (status) => {
    expect(decide({ ...valid, status }, [])).toMatchObject({ reason: status, admitted: false });
  });
  it('refuses an unpaid ticket', () => expect(decide({ ...valid, paid: false }, []).reason).toBe('unpaid'));
  it('refuses a used ticket and tells when it was first used', () => {
    const d = decide(valid, [
      { at: '2026-01-01T10:05:00Z', state: 'accepted' },
      { at: '2026-01-01T10:00:00Z', state: 'local' },
    ]);
    expect(d).toEqual({ reason: 'already_used', admitted: false, firstUsedAt: '2026-01-01T10:00:00Z' });
  });
  it('does not count a refused duplicate (conflict) as a use', () => {
    expect(decide(valid, [{ at: '2026-01-01T10:00:00Z', state: 'conflict' }]).reason).toBe('ok');
  });
  it('tells a misread from a code', () => {
    expect(isWellFormedCode('A1B2C3')).toBe(true);
    for (const bad of ['', 'has space', 'ctl\x07', 'x'.repeat(513), 'Бил']) expect(isWellFormedCode(bad)).toBe(false);
  });
});
