// The faulty-reader rule: counted in reads, never in time. Three faults in a row, or five of the last
// ten reads, make a reader faulty; good reads clear it — at once for a streak, as the window moves on
// for a high rate.
import { describe, expect, it } from 'vitest';
import { DEFAULT_FAULT_POLICY, EMPTY_TALLY, isFaulty, READ_FAULT_KINDS, ReadFaultKind, recentFaults, recordFault, recordGoodRead, type FaultTally } from '../../domain/device-faults';
import { DEVICE_REASONS } from '../../electron/contract';

const at = new Date('2026-01-01T10:00:00Z');
const run = (reads: string, policy = DEFAULT_FAULT_POLICY): FaultTally =>
  [...reads].reduce((t, r) => (r === 'F' ? recordFault(t, 'garbled', at, policy) : recordGoodRead(t, policy)), EMPTY_TALLY);

describe('read faults', () => {
  it('are one closed set, each a device reason too', () => {
    expect(READ_FAULT_KINDS).toEqual(['garbled', 'too_long', 'incomplete', 'checksum', 'parity', 'unreadable', 'timeout']);
    expect(ReadFaultKind.safeParse('bad_checksum').success).toBe(false);
    for (const k of READ_FAULT_KINDS) expect(DEVICE_REASONS).toContain(k);
  });

  it('counts faults in total, in a row and among the recent reads', () => {
    const t = run('GFFGF');
    expect(t).toEqual({ total: 3, streak: 1, recent: [false, true, true, false, true], last: { kind: 'garbled', at: at.toISOString() } });
    expect(recentFaults(t)).toBe(3);
    // The window keeps the last ten reads only; the total keeps counting.
    const long = run('FFFFGGGGGGGGGG');
    expect(long.total).toBe(4);
    expect(recentFaults(long)).toBe(0);
    expect(long.recent).toHaveLength(10);
  });

  it('makes a reader faulty after three in a row, and one good read clears the streak', () => {
    expect(isFaulty(run('FF'))).toBe(false);
    expect(isFaulty(run('FFF'))).toBe(true);
    expect(isFaulty(run('GGGFFF'))).toBe(true);
    expect(isFaulty(run('FFFG'))).toBe(false);
  });

  it('makes a reader faulty at five faults among ten reads, never in a row, until the window moves on', () => {
    const flaky = run('FGFGFGFGF');
    expect(flaky.streak).toBe(1);
    expect(isFaulty(flaky)).toBe(true);
    expect(isFaulty(run('FGFGFGFG'))).toBe(false); // four of eight
    // Good reads push the faults out of the window one by one.
    expect(isFaulty(run('FGFGFGFGFG'))).toBe(true);
    expect(isFaulty(run('FGFGFGFGFGG'))).toBe(false);
  });

  it('takes another policy, and refuses one that cannot be met', () => {
    const strict = { streak: 1, inWindow: 2, window: 4 };
    expect(isFaulty(run('F', strict), strict)).toBe(true);
    expect(isFaulty(run('FG', strict), strict)).toBe(false);
    expect(isFaulty(run('FGFG', strict), strict)).toBe(true);
    expect(() => isFaulty(EMPTY_TALLY, { streak: 0, inWindow: 1, window: 1 })).toThrow(RangeError);
    expect(() => recordFault(EMPTY_TALLY, 'parity', at, { streak: 1, inWindow: 5, window: 4 })).toThrow(RangeError);
    expect(() => recordGoodRead(EMPTY_TALLY, { streak: 1.5, inWindow: 1, window: 1 })).toThrow(RangeError);
  });
});
