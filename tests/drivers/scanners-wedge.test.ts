// Keyboard-wedge capture: bursts vs typing, terminators, idle-terminated scanners, and the layout
// tables that undo German, French and Russian layouts.
import { describe, expect, it } from 'vitest';
import { WedgeCapture, layoutRemap, remapToUs, type KeyEvent, type WedgeEvent, type WedgeOptions } from '../../drivers/scanners/wedge';

/** Key events for `text` typed `gap` ms apart from `t0`, then `end` (if any) `gap` ms later. */
function burst(text: string, gap: number, t0 = 1000, end: string | null = 'Enter'): KeyEvent[] {
  const keys = [...text].map((key, i) => ({ key, time: t0 + i * gap }));
  if (end) keys.push({ key: end, time: t0 + text.length * gap });
  return keys;
}
function feed(events: KeyEvent[], options?: WedgeOptions, w = new WedgeCapture(options)): WedgeEvent[] {
  return events.flatMap((e) => w.push(e));
}
const scans = (es: WedgeEvent[]) => es.filter((e) => e.kind === 'scan').map((e) => (e.kind === 'scan' ? e.code : ''));
const typed = (es: WedgeEvent[]) => es.filter((e) => e.kind === 'typed').map((e) => (e.kind === 'typed' ? e.keys.join('') : ''));

describe('keyboard wedge capture', () => {
  it('a fast burst ending in Enter is a scan', () => {
    const out = feed(burst('T-000123', 8));
    expect(out).toEqual([{ kind: 'scan', code: 'T-000123', startedAt: 1000, endedAt: 1064 }]);
  });

  it('Tab also ends a scan by default; a configured terminator only accepts its key', () => {
    expect(scans(feed(burst('T-000123', 8, 0, 'Tab')))).toEqual(['T-000123']);
    expect(scans(feed(burst('T-000123', 8, 0, 'Tab'), { terminator: 'Enter' }))).toEqual([]);
    expect(scans(feed(burst('T-000123', 8, 0, 'Enter'), { terminator: 'Tab' }))).toEqual([]);
  });

  it('slow human typing is not a scan, and is handed back as typed keys', () => {
    const out = feed(burst('hello', 120));
    expect(scans(out)).toEqual([]);
    expect(typed(out).join('')).toBe('helloEnter');
  });

  it('a burst shorter than minLength is typing', () => {
    expect(scans(feed(burst('ok', 5)))).toEqual([]);
    expect(scans(feed(burst('ok', 5), { minLength: 2 }))).toEqual(['ok']);
  });

  it('a gap inside a burst splits it: the part before is typing, the rest can still be a scan', () => {
    const events = [...burst('ab', 200, 0, null), ...burst('T-99999', 10, 1000)];
    const out = feed(events);
    expect(scans(out)).toEqual(['T-99999']);
    expect(typed(out)).toEqual(['a', 'b']);
  });

  it('a slow terminator after a fast burst is not a scan', () => {
    const events = [...burst('T-000123', 8, 0, null), { key: 'Enter', time: 500 }];
    expect(scans(feed(events))).toEqual([]);
  });

  it('ignores Shift (scanners press it for capitals) but a named key like Backspace means a person', () => {
    const withShift: KeyEvent[] = [
      { key: 'Shift', time: 0 },
      { key: 'T', time: 5 },
      { key: '-', time: 10 },
      { key: 'Shift', time: 12 },
      { key: 'A', time: 15 },
      { key: '1', time: 20 },
      { key: 'Enter', time: 25 },
    ];
    expect(scans(feed(withShift))).toEqual(['T-A1']);
    const withBackspace = [...burst('T-00', 5, 0, null), { key: 'Backspace', time: 25 }, ...burst('1', 5, 30)];
    const out = feed(withBackspace);
    expect(scans(out)).toEqual([]);
    expect(typed(out)).toContain('T-00Backspace');
  });

  it('scanners without a suffix: an idle gap ends the scan (terminator none)', () => {
    const w = new WedgeCapture({ terminator: 'none', idleTimeoutMs: 80 });
    expect(feed(burst('T-000123', 8, 0, null), undefined, w)).toEqual([]);
    expect(w.flushIdle(100)).toEqual([]); // last key at 56, only 44 ms quiet
    expect(w.flushIdle(140)).toEqual([{ kind: 'scan', code: 'T-000123', startedAt: 0, endedAt: 56 }]);
    // Slow typing in that mode is still typing.
    expect(scans(feed(burst('abcdef', 90, 1000, null), undefined, w))).toEqual([]);
    expect(typed(w.flushIdle(5000))).toEqual(['f']);
  });

  it('with a terminator configured, a fast burst that never gets one is typing once idle', () => {
    const w = new WedgeCapture();
    feed(burst('T-000123', 8, 0, null), undefined, w);
    expect(w.pending).toBe(8);
    expect(typed(w.flushIdle(1000))).toEqual(['T-000123']);
    expect(w.pending).toBe(0);
  });

  it('drops something absurdly long (a stuck key) as typing, up to the end of that burst', () => {
    const w = new WedgeCapture({ maxLength: 20 });
    const out = feed(burst('x'.repeat(30), 1), undefined, w);
    expect(scans(out)).toEqual([]);
    expect(typed(out).join('')).toBe('x'.repeat(30) + 'Enter');
    expect(scans(feed(burst('T-000123', 8, 5000), undefined, w))).toEqual(['T-000123']);
  });

  it('reset() hands back the burst in progress', () => {
    const w = new WedgeCapture();
    feed(burst('T-1', 5, 0, null), undefined, w);
    expect(typed(w.reset())).toEqual(['T-1']);
    expect(w.reset()).toEqual([]);
  });
});

describe('keyboard layout remap', () => {
  it('German QWERTZ: Y/Z swapped, punctuation moved', () => {
    // A scanner sending "ZY-2024/09?" on a German layout produces:
    const onGerman = 'YZß2024-09_';
    expect(remapToUs(onGerman, 'de')).toBe('ZY-2024/09?');
    expect(remapToUs('Tß000123', 'de')).toBe('T-000123');
    expect(remapToUs('httpsÖ--admit.example-t-abc', 'de')).toBe('https://admit.example/t/abc');
  });

  it('French AZERTY: the digit row types symbols unless shifted; A/Q and Z/W swapped; M moved', () => {
    // "T-000123" from a US scanner (digits unshifted) on AZERTY:
    expect(remapToUs('T)ààà&é"', 'fr')).toBe('T-000123');
    expect(remapToUs('&é"\'(-è_çà', 'fr')).toBe('1234567890');
    expect(remapToUs('qzerty', 'fr')).toBe('awerty');
    expect(remapToUs('AZ,', 'fr')).toBe('QWm');
  });

  it('Russian ЙЦУКЕН: letters come back as Latin', () => {
    expect(remapToUs('Е-7А2Л', 'ru')).toBe('T-7F2K');
    expect(remapToUs('реезыЖ..фвьшею', 'ru')).toBe('https://admit.');
  });

  it('US layout and unmapped characters pass through', () => {
    expect(remapToUs('T-000123', 'us')).toBe('T-000123');
    expect(remapToUs('T1 €', 'de')).toBe('T1 €');
  });

  it('the tables are consistent: every layout character maps to one US character', () => {
    for (const layout of ['de', 'fr', 'ru'] as const) {
      const m = layoutRemap(layout);
      expect(m.size).toBeGreaterThan(10);
      for (const [from, to] of m) {
        expect([...from]).toHaveLength(1);
        expect([...to]).toHaveLength(1);
        expect(from).not.toBe(to);
      }
    }
  });

  it('the capture applies the remap to scans only', () => {
    const out = feed(burst('Tß000123', 8), { layout: 'de' });
    expect(scans(out)).toEqual(['T-000123']);
    const slow = feed(burst('ßß', 200), { layout: 'de' });
    expect(typed(slow).join('')).toBe('ßßEnter');
  });
});
