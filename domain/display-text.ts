// Owns how untrusted text is made safe to show: a scanned code, an order or ticket code, an
// attendee's name. Characters a reader cannot see but that change what is shown — bidirectional
// controls (U+202E turns "T-ABC" around), other format characters (Cf: zero-width spaces, the BOM,
// soft hyphens, tag characters), control characters (Cc), line and paragraph separators, lone
// surrogates and the remaining default-ignorable code points (Hangul fillers, Mongolian vowel
// separators) — are cut out and stand as a visible mark of their code point instead. Names keep the
// joiners (ZWJ, ZWNJ) and variation selectors that scripts and emoji need; a code keeps nothing
// invisible and shows any space but U+0020 as a mark too. Pure: the screens render the parts.
export type DisplayPolicy = 'code' | 'text';

export type DisplayPart = { kind: 'text'; text: string } | { kind: 'hidden'; codePoint: number; label: string };

const INVISIBLE = /^[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]$/u;
const SPACE = /^\p{Zs}$/u;

/** Kept in names: joiners shape Arabic, Persian and Indic script and emoji; selectors pick glyph variants. */
const isNameShaping = (cp: number) =>
  cp === 0x200c || cp === 0x200d || (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef);

/** "U+202E": how a hidden code point is named on screen. */
export const codePointLabel = (cp: number): string => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;

/** The visible stand-in of a hidden code point in plain text (titles, labels, logs). */
export const hiddenMark = (cp: number): string => `[${codePointLabel(cp)}]`;

function isHidden(ch: string, cp: number, policy: DisplayPolicy): boolean {
  if (cp >= 0xd800 && cp <= 0xdfff) return true; // a lone surrogate (for…of yields pairs whole)
  if (policy === 'code' && cp !== 0x20 && SPACE.test(ch)) return true;
  if (!INVISIBLE.test(ch)) return false;
  return policy === 'code' || !isNameShaping(cp);
}

/** The text cut into what may be shown as is and the hidden code points between. */
export function displayParts(value: string, policy: DisplayPolicy = 'text'): DisplayPart[] {
  const parts: DisplayPart[] = [];
  let run = '';
  for (const ch of value) {
    const cp = ch.codePointAt(0)!;
    if (!isHidden(ch, cp, policy)) {
      run += ch;
      continue;
    }
    if (run) parts.push({ kind: 'text', text: run });
    run = '';
    parts.push({ kind: 'hidden', codePoint: cp, label: codePointLabel(cp) });
  }
  if (run) parts.push({ kind: 'text', text: run });
  return parts;
}

/** The text with every hidden code point replaced by its visible mark ("T-ABC[U+202E]DEF"). */
export function displayText(value: string, policy: DisplayPolicy = 'text'): string {
  return displayParts(value, policy)
    .map((p) => (p.kind === 'text' ? p.text : hiddenMark(p.codePoint)))
    .join('');
}

/** The text with every hidden code point removed (where a mark would not fit, e.g. a file name). */
export function stripHidden(value: string, policy: DisplayPolicy = 'text'): string {
  return displayParts(value, policy)
    .map((p) => (p.kind === 'text' ? p.text : ''))
    .join('');
}

export function hasHidden(value: string, policy: DisplayPolicy = 'text'): boolean {
  return displayParts(value, policy).some((p) => p.kind === 'hidden');
}
