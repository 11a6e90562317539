// The display sanitizer: bidirectional controls, other format characters, control characters,
// separators, lone surrogates and default-ignorable fillers never reach the screen as themselves; they
// stand as a visible mark of their code point. Names keep what their scripts need (joiners, variation
// selectors); codes keep nothing invisible.
import { describe, expect, it } from 'vitest';
import { codePointLabel, displayParts, displayText, hasHidden, hiddenMark, stripHidden } from '../../domain/display-text';

const RLO = '\u202e';

describe('display text', () => {
  it('marks a right-to-left override in a scanned code instead of passing it on', () => {
    const code = `T-ABC${RLO}DEF-123`;
    expect(displayText(code, 'code')).toBe('T-ABC[U+202E]DEF-123');
    expect(displayParts(code, 'code')).toEqual([
      { kind: 'text', text: 'T-ABC' },
      { kind: 'hidden', codePoint: 0x202e, label: 'U+202E' },
      { kind: 'text', text: 'DEF-123' },
    ]);
    expect(stripHidden(code, 'code')).toBe('T-ABCDEF-123');
    expect(hasHidden(code, 'code')).toBe(true);
  });

  it('marks every bidirectional control, in names and codes alike', () => {
    const bidi = [0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069];
    for (const cp of bidi) {
      const s = `a${String.fromCodePoint(cp)}b`;
      for (const policy of ['code', 'text'] as const) {
        expect(displayText(s, policy)).toBe(`a${hiddenMark(cp)}b`);
        // Nothing of the Bidi_Control class is left in what is shown.
        expect(/\p{Bidi_Control}/u.test(displayText(s, policy))).toBe(false);
      }
    }
  });

  it('marks other format characters, control characters, separators and fillers', () => {
    const hidden = [
      0x00, 0x07, 0x09, 0x0a, 0x0d, 0x1b, 0x7f, 0x85, 0x9b, // C0, DEL, C1 (NEL, CSI)
      0x00ad, 0x200b, 0x2060, 0x2061, 0x2064, 0xfeff, 0xfff9, 0x0600, 0x180e, // Cf: soft hyphen, zero-width, BOM, annotations
      0xe0001, 0xe0041, 0xe007f, // tag characters
      0x2028, 0x2029, // line and paragraph separators
      0x115f, 0x1160, 0x3164, 0xffa0, 0x180b, 0x034f, // default-ignorable fillers and selectors
    ];
    for (const cp of hidden) {
      expect(displayText(`x${String.fromCodePoint(cp)}y`, 'text'), codePointLabel(cp)).toBe(`x${hiddenMark(cp)}y`);
      expect(displayText(`x${String.fromCodePoint(cp)}y`, 'code'), codePointLabel(cp)).toBe(`x${hiddenMark(cp)}y`);
    }
  });

  it('marks a lone surrogate but keeps a whole astral character', () => {
    expect(displayText('a\ud800b')).toBe('a[U+D800]b');
    expect(displayText('a\udfffb')).toBe('a[U+DFFF]b');
    expect(displayText('a😀b')).toBe('a😀b');
    expect(displayParts('a😀b')).toEqual([{ kind: 'text', text: 'a😀b' }]);
  });

  it('keeps in names what scripts and emoji need, and shows it in a code', () => {
    const persian = 'می\u200cخواهم'; // zero-width non-joiner
    const family = '👩\u200d👩\u200d👧'; // zero-width joiners
    const heart = '❤\ufe0f'; // variation selector 16
    const ivs = '葛\u{e0100}'; // ideographic variation selector
    for (const name of [persian, family, heart, ivs]) expect(displayText(name, 'text')).toBe(name);
    expect(displayText(persian, 'code')).toBe('می[U+200C]خواهم');
    expect(displayText(heart, 'code')).toBe('❤[U+FE0F]');
    expect(displayText(ivs, 'code')).toBe('葛[U+E0100]');
  });

  it('shows spaces other than U+0020 as marks in a code, and leaves them in names', () => {
    expect(displayText('T-1\u00a0A', 'code')).toBe('T-1[U+00A0]A');
    expect(displayText('T-1\u3000A', 'code')).toBe('T-1[U+3000]A');
    expect(displayText('T-1 A', 'code')).toBe('T-1 A');
    expect(displayText('Anna\u00a0Maria', 'text')).toBe('Anna\u00a0Maria');
  });

  it('passes ordinary text through unchanged, right-to-left letters included', () => {
    for (const s of ['', 'T-000123', 'Ada Lovelace', '张三', 'Иван Петров', 'שלום', 'مرحبا', 'e\u0301']) {
      expect(displayText(s, 'text')).toBe(s);
      expect(hasHidden(s, 'text')).toBe(false);
    }
    expect(displayParts('')).toEqual([]);
  });

  it('names code points in four hex digits at least', () => {
    expect(codePointLabel(0x9)).toBe('U+0009');
    expect(codePointLabel(0x202e)).toBe('U+202E');
    expect(codePointLabel(0xe0041)).toBe('U+E0041');
  });

  it('leaves no invisible or format character in anything it shows, whatever the input', () => {
    // Every code point of the planes that matter, in runs, each through both policies.
    const invisible = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Bidi_Control}]/u;
    for (let start = 0; start < 0x30000; start += 0x400) {
      let s = '';
      for (let cp = start; cp < start + 0x400; cp++) s += String.fromCodePoint(cp);
      for (const policy of ['code', 'text'] as const) {
        const shown = displayParts(s, policy).filter((p) => p.kind === 'text').map((p) => (p as { text: string }).text).join('');
        // Names keep only the joiners (ZWNJ, ZWJ) of all these.
        expect(invisible.test(policy === 'text' ? shown.replace(/[\u200c\u200d]/g, '') : shown)).toBe(false);
        expect(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(shown)).toBe(false);
      }
    }
  });
});
