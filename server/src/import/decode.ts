// Owns turning an uploaded file's bytes into text: the encodings real attendee exports use (UTF-8 with
// or without BOM, UTF-16 LE/BE with BOM, GB18030 — which contains GBK and GB2312 — and Windows-1251),
// either the one the organizer names or one detected from the bytes. Bytes that are invalid in the
// encoding are an error naming the byte offset and line; the text never carries a silent U+FFFD.
//
// Detection, in order:
//   1. a byte order mark: EF BB BF → UTF-8, FF FE → UTF-16 LE, FE FF → UTF-16 BE;
//   2. bytes that are valid UTF-8 (pure ASCII included) → UTF-8;
//   3. otherwise each of UTF-8, GB18030 and Windows-1251 gets a plausibility score in [-3, 1]: the
//      mean, over the non-ASCII characters the bytes decode to, of
//        UTF-8         +1 a well-formed multi-byte sequence,                  -3 an invalid byte;
//        GB18030       +1 a GB2312 level-1 hanzi or CJK punctuation (the common characters),
//                      +0.75 a level-2 hanzi, +0.25 another GBK/GB18030 character,
//                      -1 a user-defined (private use) code, -3 an invalid sequence;
//        Windows-1251  +1 a Russian letter, -1 instead when an upper-case letter follows a
//                      lower-case one inside a word (as in Chinese bytes read as Cyrillic, rare in
//                      real names), 0 another Cyrillic letter or Russian punctuation (« » № – …),
//                      -0.5 any other symbol (° ± µ ¶ ©), -3 the undefined byte 0x98.
//      The best score wins; if it is below 0.5 the encoding is undetermined (the organizer must
//      name it); if the winner has invalid bytes the error names the first one.
import iconv from 'iconv-lite';
import { ImportFileError } from './table';

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030' | 'windows-1251';

export const TEXT_ENCODINGS: readonly TextEncodingName[] = ['utf-8', 'utf-16le', 'utf-16be', 'gb18030', 'windows-1251'];

const ALIASES: Record<string, TextEncodingName> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  'utf-16le': 'utf-16le',
  utf16le: 'utf-16le',
  'utf-16be': 'utf-16be',
  utf16be: 'utf-16be',
  gb18030: 'gb18030',
  gbk: 'gb18030',
  gb2312: 'gb18030',
  cp936: 'gb18030',
  'windows-1251': 'windows-1251',
  cp1251: 'windows-1251',
  win1251: 'windows-1251',
};

const LABEL: Record<TextEncodingName, string> = {
  'utf-8': 'UTF-8',
  'utf-16le': 'UTF-16 LE',
  'utf-16be': 'UTF-16 BE',
  gb18030: 'GB18030',
  'windows-1251': 'Windows-1251',
};

export interface DecodedText {
  text: string;
  encoding: TextEncodingName;
  /** The file started with a byte order mark (removed from `text`). */
  bom: boolean;
  /** The encoding was detected rather than named by the caller. */
  detected: boolean;
  /** Plausibility scores when detection had to choose between legacy encodings. */
  scores?: Partial<Record<TextEncodingName, number>>;
}

export interface DecodeOptions {
  /** The encoding the organizer chose; any alias of TEXT_ENCODINGS (gbk, cp1251, utf8 …). */
  encoding?: string;
  maxBytes?: number;
}

/** The canonical name for an encoding label, or an error listing the supported ones. */
export function encodingName(label: string): TextEncodingName {
  const name = ALIASES[label.trim().toLowerCase()];
  if (!name) {
    throw new ImportFileError('unknown_encoding', `Unknown encoding "${label}": choose one of ${TEXT_ENCODINGS.join(', ')}.`, {
      encoding: label,
    });
  }
  return name;
}

type Bom = { encoding: TextEncodingName; length: number };

function sniffBom(bytes: Uint8Array): Bom | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return null;
}

export function decodeText(bytes: Uint8Array, options: DecodeOptions = {}): DecodedText {
  if (options.maxBytes !== undefined && bytes.length > options.maxBytes) {
    throw new ImportFileError('file_too_large', `The file is ${bytes.length} bytes; the limit is ${options.maxBytes} bytes.`, {
      limit: options.maxBytes,
    });
  }
  const bom = sniffBom(bytes);
  if (options.encoding !== undefined) {
    const encoding = encodingName(options.encoding);
    if (bom && bom.encoding !== encoding) {
      throw new ImportFileError(
        'invalid_bytes',
        `The file starts with a ${LABEL[bom.encoding]} byte order mark, so it is not ${LABEL[encoding]}: choose ${LABEL[bom.encoding]}.`,
        { offset: 0, line: 1, encoding },
      );
    }
    return { text: decodeStrict(bytes, bom ? bom.length : 0, encoding), encoding, bom: bom !== null, detected: false };
  }
  if (bom) return { text: decodeStrict(bytes, bom.length, bom.encoding), encoding: bom.encoding, bom: true, detected: true };
  const utf8 = tryUtf8(bytes, 0);
  if (utf8 !== null) return { text: utf8, encoding: 'utf-8', bom: false, detected: true };

  const candidates: { encoding: TextEncodingName; scan: Scan }[] = [
    { encoding: 'utf-8', scan: scanUtf8(bytes, 0) },
    { encoding: 'gb18030', scan: scanGb18030(bytes, 0) },
    { encoding: 'windows-1251', scan: scan1251(bytes, 0) },
  ];
  const scores = Object.fromEntries(candidates.map((c) => [c.encoding, round(c.scan.score)])) as DecodedText['scores'];
  const best = candidates.reduce((a, b) => (b.scan.score > a.scan.score ? b : a));
  if (best.scan.score < 0.5) {
    throw new ImportFileError(
      'encoding_undetermined',
      'The file is not UTF-8, and it does not read as GB18030/GBK or Windows-1251 text either: choose its encoding.',
    );
  }
  if (best.scan.invalidAt >= 0) throw invalidBytes(bytes, best.scan.invalidAt, best.encoding, true);
  return { text: iconv.decode(bytes, best.encoding), encoding: best.encoding, bom: false, detected: true, scores };
}

const round = (n: number) => Math.round(n * 1000) / 1000;

function decodeStrict(bytes: Uint8Array, start: number, encoding: TextEncodingName): string {
  switch (encoding) {
    case 'utf-8': {
      const text = tryUtf8(bytes, start);
      if (text !== null) return text;
      throw invalidBytes(bytes, scanUtf8(bytes, start).invalidAt, encoding, false);
    }
    case 'utf-16le':
    case 'utf-16be':
      return decodeUtf16(bytes, start, encoding);
    case 'gb18030': {
      const scan = scanGb18030(bytes, start);
      if (scan.invalidAt >= 0) throw invalidBytes(bytes, scan.invalidAt, encoding, false);
      return iconv.decode(bytes.subarray(start), 'gb18030');
    }
    case 'windows-1251': {
      const scan = scan1251(bytes, start);
      if (scan.invalidAt >= 0) throw invalidBytes(bytes, scan.invalidAt, encoding, false);
      return iconv.decode(bytes.subarray(start), 'windows-1251');
    }
  }
}

function invalidBytes(bytes: Uint8Array, offset: number, encoding: TextEncodingName, detected: boolean): ImportFileError {
  const line = lineAt(bytes, offset, encoding);
  const shown = Array.from(bytes.subarray(offset, offset + 4), (b) => b.toString(16).padStart(2, '0').toUpperCase()).join(' ');
  const how = detected ? `The file reads best as ${LABEL[encoding]}, but` : `The file is not valid ${LABEL[encoding]}:`;
  return new ImportFileError(
    'invalid_bytes',
    `${how} the bytes ${shown} at offset ${offset} (line ${line}) are invalid in ${LABEL[encoding]}. ` +
      'Choose the encoding the file was saved in, or fix the damaged bytes.',
    { offset, line, encoding },
  );
}

/** 1-based line of a byte offset: line feeds before it, as bytes (ASCII-compatible) or code units (UTF-16). */
function lineAt(bytes: Uint8Array, offset: number, encoding: TextEncodingName): number {
  let line = 1;
  if (encoding === 'utf-16le' || encoding === 'utf-16be') {
    const lf = encoding === 'utf-16le' ? 0 : 1;
    for (let i = 0; i + 1 < offset; i += 2) if (bytes[i + lf] === 0x0a && bytes[i + 1 - lf] === 0) line++;
    return line;
  }
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

const fatalUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function tryUtf8(bytes: Uint8Array, start: number): string | null {
  try {
    return fatalUtf8.decode(bytes.subarray(start));
  } catch {
    return null;
  }
}

function decodeUtf16(bytes: Uint8Array, start: number, encoding: 'utf-16le' | 'utf-16be'): string {
  const hi = encoding === 'utf-16le' ? 1 : 0;
  const end = bytes.length - ((bytes.length - start) % 2);
  // Code units are checked for unpaired surrogates here, so the decoded text has none.
  for (let i = start; i < end; i += 2) {
    const unit = (bytes[i + hi]! << 8) | bytes[i + 1 - hi]!;
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = i + 2 < end ? (bytes[i + 2 + hi]! << 8) | bytes[i + 3 - hi]! : -1;
      if (next < 0xdc00 || next > 0xdfff) throw invalidBytes(bytes, i, encoding, false);
      i += 2;
    } else if (unit >= 0xdc00 && unit <= 0xdfff) {
      throw invalidBytes(bytes, i, encoding, false);
    }
  }
  if (end !== bytes.length) throw invalidBytes(bytes, end, encoding, false);
  return iconv.decode(bytes.subarray(start), encoding);
}

interface Scan {
  /** Offset of the first invalid byte, -1 if none. */
  invalidAt: number;
  /** Mean plausibility per non-ASCII character, see the module comment. */
  score: number;
}

const finish = (sum: number, units: number, invalidAt: number): Scan => ({ invalidAt, score: units === 0 ? 0 : sum / units });

/** Length of the well-formed UTF-8 sequence at i, or 0 when the byte there starts none. */
function utf8SequenceLength(bytes: Uint8Array, i: number): number {
  const b = bytes[i]!;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => {
    const c = bytes[i + k];
    return c !== undefined && c >= lo && c <= hi;
  };
  if (b < 0x80) return 1;
  if (b >= 0xc2 && b <= 0xdf) return cont(1) ? 2 : 0;
  if (b === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if ((b >= 0xe1 && b <= 0xec) || b === 0xee || b === 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (b === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (b === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (b >= 0xf1 && b <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (b === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

function scanUtf8(bytes: Uint8Array, start: number): Scan {
  let invalidAt = -1;
  let sum = 0;
  let units = 0;
  for (let i = start; i < bytes.length;) {
    if (bytes[i]! < 0x80) {
      i++;
      continue;
    }
    units++;
    const length = utf8SequenceLength(bytes, i);
    if (length === 0) {
      if (invalidAt < 0) invalidAt = i;
      sum -= 3;
      i++;
    } else {
      sum += 1;
      i += length;
    }
  }
  return finish(sum, units, invalidAt);
}

/** Linear index of a four-byte GB18030 sequence; valid ones map to U+0080..U+FFFF or U+10000..U+10FFFF. */
const gb4Linear = (b1: number, b2: number, b3: number, b4: number) =>
  (((b1 - 0x81) * 10 + (b2 - 0x30)) * 126 + (b3 - 0x81)) * 10 + (b4 - 0x30);
const GB4_BMP_LAST = gb4Linear(0x84, 0x31, 0xa4, 0x39);
const GB4_SUPPLEMENTARY_FIRST = gb4Linear(0x90, 0x30, 0x81, 0x30);
const GB4_SUPPLEMENTARY_LAST = GB4_SUPPLEMENTARY_FIRST + 0xfffff;

function scanGb18030(bytes: Uint8Array, start: number): Scan {
  let invalidAt = -1;
  let sum = 0;
  let units = 0;
  const invalid = (i: number) => {
    if (invalidAt < 0) invalidAt = i;
    sum -= 3;
  };
  for (let i = start; i < bytes.length;) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    units++;
    if (b === 0x80) {
      // CP936's euro sign, which decoders of GBK files accept.
      sum += 0.25;
      i++;
      continue;
    }
    if (b === 0xff) {
      invalid(i);
      i++;
      continue;
    }
    const b2 = bytes[i + 1];
    if (b2 !== undefined && ((b2 >= 0x40 && b2 <= 0x7e) || (b2 >= 0x80 && b2 <= 0xfe))) {
      const gb2312 = b2 >= 0xa1;
      if (gb2312 && b >= 0xb0 && b <= 0xd7) sum += 1;
      else if (gb2312 && b >= 0xa1 && b <= 0xa9) sum += 1;
      else if (gb2312 && b >= 0xd8 && b <= 0xf7) sum += 0.75;
      else if ((gb2312 && ((b >= 0xaa && b <= 0xaf) || b >= 0xf8)) || (!gb2312 && b >= 0xa1 && b <= 0xa7)) sum -= 1;
      else sum += 0.25;
      i += 2;
      continue;
    }
    if (b2 !== undefined && b2 >= 0x30 && b2 <= 0x39) {
      const b3 = bytes[i + 2];
      const b4 = bytes[i + 3];
      if (b3 !== undefined && b4 !== undefined && b3 >= 0x81 && b3 <= 0xfe && b4 >= 0x30 && b4 <= 0x39) {
        const linear = gb4Linear(b, b2, b3, b4);
        if (linear <= GB4_BMP_LAST || (linear >= GB4_SUPPLEMENTARY_FIRST && linear <= GB4_SUPPLEMENTARY_LAST)) {
          i += 4;
          continue;
        }
      }
    }
    invalid(i);
    i++;
  }
  return finish(sum, units, invalidAt);
}

/** Windows-1251 bytes ≥ 0x80 by what they are in Russian text: letters, usual punctuation, the rest. */
const RUSSIAN_UPPER = (b: number) => (b >= 0xc0 && b <= 0xdf) || b === 0xa8;
const RUSSIAN_LOWER = (b: number) => b >= 0xe0 || b === 0xb8;
/** Other Cyrillic letters (Ukrainian, Belarusian, Serbian, Macedonian): plausible, not evidence. */
const OTHER_CYRILLIC = new Set([
  0x80, 0x81, 0x83, 0x8a, 0x8c, 0x8d, 0x8e, 0x8f, 0x90, 0x9a, 0x9c, 0x9d, 0x9e, 0x9f, 0xa1, 0xa2, 0xa3, 0xa5, 0xaa, 0xaf, 0xb2,
  0xb3, 0xb4, 0xba, 0xbc, 0xbd, 0xbe, 0xbf,
]);
/** Punctuation of Russian text: … „ ‘ ’ “ ” • – — no-break space « » №. */
const RUSSIAN_PUNCTUATION = new Set([0x84, 0x85, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0xa0, 0xab, 0xb9, 0xbb]);

function scan1251(bytes: Uint8Array, start: number): Scan {
  let invalidAt = -1;
  let sum = 0;
  let units = 0;
  let previousLower = false;
  for (let i = start; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b < 0x80) {
      previousLower = false;
      continue;
    }
    units++;
    if (b === 0x98) {
      if (invalidAt < 0) invalidAt = i;
      sum -= 3;
      previousLower = false;
    } else if (RUSSIAN_UPPER(b)) {
      sum += previousLower ? -1 : 1;
      previousLower = false;
    } else if (RUSSIAN_LOWER(b)) {
      sum += 1;
      previousLower = true;
    } else {
      if (!OTHER_CYRILLIC.has(b) && !RUSSIAN_PUNCTUATION.has(b)) sum -= 0.5;
      previousLower = false;
    }
  }
  return finish(sum, units, invalidAt);
}
