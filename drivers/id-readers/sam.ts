// Owns the bytes of Chinese second-generation resident ID card readers (the "SAM" protocol of
// GA 467, spoken over serial at 115200 or USB bulk): request and reply frames, stream reassembly,
// the status words, the read reply's layout, the 256-byte card text, and the ID number's check
// digit. Pure: no I/O, no timers. The photo (1,024 bytes of vendor "WLT" data) stays opaque: decoding
// it needs the vendor's library.
//
//   request  AA AA AA 96 69 | LenH LenL | CMD PARA [data]   | XOR
//   reply    AA AA AA 96 69 | LenH LenL | SW1 SW2 SW3 [data] | XOR
// Len (big-endian) counts every byte after the two length bytes, the XOR included; the XOR runs over
// LenH, LenL and every following byte up to the last data byte.
import { hex as hexOf } from '../bytes';
import { DriverError } from '../errors';
import { StreamParser, type Step, type StreamProtocol } from '../stream-parser';

export const SAM_PREAMBLE = Buffer.from([0xaa, 0xaa, 0xaa, 0x96, 0x69]);
/** Preamble + two length bytes: read these, then Len more. */
export const SAM_HEADER_LENGTH = 7;
/** Largest Len accepted; the biggest real reply (text + photo + fingerprint) has Len 2,314. */
export const SAM_MAX_LEN = 4096;

export const SAM_COMMANDS = {
  find: { cmd: 0x20, para: 0x01 },
  select: { cmd: 0x20, para: 0x02 },
  read: { cmd: 0x30, para: 0x01 },
  readWithFingerprint: { cmd: 0x30, para: 0x10 },
  samId: { cmd: 0x12, para: 0xff },
  status: { cmd: 0x11, para: 0xff },
  reset: { cmd: 0x10, para: 0xff },
} as const;
export type SamCommandName = keyof typeof SAM_COMMANDS;

/** SW3 status values (SW1 SW2 are 00 00 in every known reader). */
export const SW3 = {
  ok: 0x90,
  noContent: 0x91,
  findOk: 0x9f,
  badChecksum: 0x10,
  badLength: 0x11,
  badCommand: 0x21,
  unauthorized: 0x23,
  unknownError: 0x24,
  cardAuthFailed: 0x31,
  samAuthFailed: 0x32,
  infoCheckFailed: 0x33,
  unknownCardType: 0x40,
  readFailed: 0x41,
  randomFailed: 0x47,
  samSelfTestFailed: 0x60,
  samUnauthorized: 0x66,
  findFailed: 0x80,
  selectFailed: 0x81,
} as const;

export const SW3_MEANING: Readonly<Record<number, string>> = {
  0x90: 'success',
  0x91: 'no such content on the card',
  0x9f: 'card found',
  0x10: 'reader received a request with a bad checksum',
  0x11: 'reader received a request with a bad length',
  0x21: 'reader received an unknown command',
  0x23: 'operation not permitted',
  0x24: 'unrecognised error',
  0x31: 'card failed to authenticate the SAM',
  0x32: 'SAM failed to authenticate the card',
  0x33: 'information check failed',
  0x40: 'unrecognised card type',
  0x41: 'reading the card failed (card removed?)',
  0x47: 'getting a random number failed',
  0x60: 'SAM self-test failed',
  0x66: 'SAM not authorised',
  0x80: 'no card found',
  0x81: 'selecting the card failed',
};
export const sw3Meaning = (sw3: number) => SW3_MEANING[sw3] ?? `unknown status 0x${sw3.toString(16).padStart(2, '0')}`;

export type SamFrameErrorCode = 'garbled' | 'bad_length' | 'bad_checksum' | 'truncated';
export interface SamFrameError {
  code: SamFrameErrorCode;
  detail: string;
  bytes: Buffer;
}
/** body: the bytes between the length and the XOR (CMD PARA data, or SW1 SW2 SW3 data). */
export type SamFrameResult = { ok: true; body: Buffer; bytes: Buffer } | ({ ok: false } & SamFrameError);

export interface SamRequest {
  cmd: number;
  para: number;
  data: Buffer;
}
export interface SamReply {
  sw1: number;
  sw2: number;
  sw3: number;
  data: Buffer;
}

const hex = (b: Uint8Array) => hexOf(b, 24);

/** XOR of bytes[from, to). */
export function samXor(bytes: Uint8Array, from = 0, to = bytes.length): number {
  let x = 0;
  for (let i = from; i < to; i++) x ^= bytes[i]!;
  return x;
}

/** Wrap a body (CMD PARA data, or SW1 SW2 SW3 data) into a frame. */
export function encodeSamFrame(body: Uint8Array): Buffer {
  const len = body.length + 1;
  if (len > 0xffff) throw new RangeError(`SAM frame body of ${body.length} bytes does not fit a 16-bit length`);
  const frame = Buffer.alloc(SAM_HEADER_LENGTH + len);
  SAM_PREAMBLE.copy(frame, 0);
  frame.writeUInt16BE(len, 5);
  Buffer.from(body).copy(frame, SAM_HEADER_LENGTH);
  frame[frame.length - 1] = samXor(frame, 5, frame.length - 1);
  return frame;
}

export function encodeSamRequest(cmd: number, para: number, data: Uint8Array = Buffer.alloc(0)): Buffer {
  return encodeSamFrame(Buffer.concat([Buffer.from([cmd, para]), Buffer.from(data)]));
}

export function samCommand(name: SamCommandName, data?: Uint8Array): Buffer {
  const c = SAM_COMMANDS[name];
  return encodeSamRequest(c.cmd, c.para, data);
}

export function encodeSamReply(sw3: number, data: Uint8Array = Buffer.alloc(0), sw1 = 0, sw2 = 0): Buffer {
  return encodeSamFrame(Buffer.concat([Buffer.from([sw1, sw2, sw3]), Buffer.from(data)]));
}

/** Check one complete frame: preamble, declared length, XOR. */
export function decodeSamFrame(frame: Uint8Array, maxLen = SAM_MAX_LEN): SamFrameResult {
  const bytes = Buffer.from(frame);
  const fail = (code: SamFrameErrorCode, detail: string): SamFrameResult => ({ ok: false, code, detail: `${detail}: ${hex(bytes)}`, bytes });
  if (bytes.length < SAM_HEADER_LENGTH) return fail('truncated', `${bytes.length} bytes, a frame has at least ${SAM_HEADER_LENGTH + 3}`);
  if (!bytes.subarray(0, 5).equals(SAM_PREAMBLE)) return fail('garbled', 'no AA AA AA 96 69 preamble');
  const len = bytes.readUInt16BE(5);
  if (len < 3 || len > maxLen) return fail('bad_length', `declared length ${len} is outside 3..${maxLen}`);
  if (bytes.length < SAM_HEADER_LENGTH + len) return fail('truncated', `got ${bytes.length} of ${SAM_HEADER_LENGTH + len} bytes`);
  if (bytes.length > SAM_HEADER_LENGTH + len) return fail('bad_length', `${bytes.length} bytes, declared length says ${SAM_HEADER_LENGTH + len}`);
  const want = samXor(bytes, 5, bytes.length - 1);
  const got = bytes[bytes.length - 1]!;
  if (want !== got) return fail('bad_checksum', `XOR 0x${got.toString(16).padStart(2, '0')}, expected 0x${want.toString(16).padStart(2, '0')}`);
  return { ok: true, body: Buffer.from(bytes.subarray(SAM_HEADER_LENGTH, bytes.length - 1)), bytes };
}

export function parseSamReply(body: Uint8Array): SamReply | null {
  if (body.length < 3) return null;
  const b = Buffer.from(body);
  return { sw1: b[0]!, sw2: b[1]!, sw3: b[2]!, data: Buffer.from(b.subarray(3)) };
}

export function parseSamRequest(body: Uint8Array): SamRequest | null {
  if (body.length < 2) return null;
  const b = Buffer.from(body);
  return { cmd: b[0]!, para: b[1]!, data: Buffer.from(b.subarray(2)) };
}

export function commandName(cmd: number, para: number): SamCommandName | null {
  for (const [name, c] of Object.entries(SAM_COMMANDS)) if (c.cmd === cmd && c.para === para) return name as SamCommandName;
  return null;
}

/** SAM frames on the shared streaming-parser skeleton. */
class SamProtocol implements StreamProtocol<SamFrameResult> {
  readonly maxFrame: number;

  constructor(readonly maxLen: number) {
    this.maxFrame = SAM_HEADER_LENGTH + maxLen;
  }

  next(buf: Buffer): Step<SamFrameResult> {
    if (!startsWithPreamble(buf)) {
      const at = buf.indexOf(SAM_PREAMBLE);
      if (at >= 0) return { noise: at };
      // Keep a tail that could be the start of a preamble; the rest is noise.
      const noise = buf.length - preamblePrefixAtEnd(buf);
      return noise > 0 ? { noise } : { need: true };
    }
    if (buf.length < SAM_HEADER_LENGTH) return { need: true };
    const len = buf.readUInt16BE(5);
    if (len < 3 || len > this.maxLen) {
      // The bytes up to the next preamble belong to this impossible frame: dropped quietly.
      const bytes = Buffer.from(buf.subarray(0, SAM_HEADER_LENGTH));
      return { discard: SAM_PREAMBLE.length, out: { ok: false, code: 'bad_length', detail: `declared length ${len} is outside 3..${this.maxLen}: ${hex(bytes)}`, bytes } };
    }
    const need = SAM_HEADER_LENGTH + len;
    if (buf.length < need) return { need: true };
    return { frame: need, out: decodeSamFrame(buf.subarray(0, need), this.maxLen) };
  }

  overlong(buf: Buffer): SamFrameResult {
    const bytes = Buffer.from(buf);
    return { ok: false, code: 'bad_length', detail: `${bytes.length} bytes without a complete frame: ${hex(bytes)}`, bytes };
  }

  resync(buf: Buffer): { drop: number; resumed: boolean } {
    const at = buf.indexOf(SAM_PREAMBLE);
    return at >= 0 ? { drop: at, resumed: true } : { drop: buf.length - preamblePrefixAtEnd(buf), resumed: false };
  }

  noise(bytes: Buffer): SamFrameResult {
    return { ok: false, code: 'garbled', detail: `${bytes.length} bytes outside any frame: ${hex(bytes)}`, bytes };
  }

  partial(b: Buffer, reason: string): SamFrameResult {
    const total = b.length >= SAM_HEADER_LENGTH ? `${SAM_HEADER_LENGTH + b.readUInt16BE(5)}` : 'at least 10';
    return { ok: false, code: 'truncated', detail: `${reason}: got ${b.length} of ${total} bytes: ${hex(b)}`, bytes: b };
  }
}

/**
 * Splits a byte stream into SAM frames: read 7 bytes, then Len more. Bytes outside a frame are
 * reported once per run as `garbled`; an impossible Len as `bad_length` (the stream resynchronises
 * at the next preamble, dropping what lies between quietly); a wrong XOR as `bad_checksum`.
 */
export class SamFrameReader {
  readonly maxLen: number;
  readonly #parser: StreamParser<SamFrameResult>;

  constructor(options: { maxLen?: number } = {}) {
    this.maxLen = options.maxLen ?? SAM_MAX_LEN;
    this.#parser = new StreamParser(new SamProtocol(this.maxLen));
  }

  /** Bytes of a frame (or preamble) still waiting for the rest. */
  get pending(): number {
    return this.#parser.pending;
  }

  push(chunk: Uint8Array): SamFrameResult[] {
    return this.#parser.push(chunk);
  }

  /** Report and drop a partial frame (the reply stopped coming). */
  flush(reason = 'stream stopped'): SamFrameResult[] {
    return this.#parser.flush(reason);
  }

  /** Drop everything buffered without reporting (before a new request). */
  clear(): void {
    this.#parser.clear();
  }
}

const startsWithPreamble = (b: Buffer) => b.length >= SAM_PREAMBLE.length && b.subarray(0, SAM_PREAMBLE.length).equals(SAM_PREAMBLE);

function preamblePrefixAtEnd(b: Buffer): number {
  for (let k = Math.min(SAM_PREAMBLE.length - 1, b.length); k > 0; k--) {
    if (b.subarray(b.length - k).equals(SAM_PREAMBLE.subarray(0, k))) return k;
  }
  return 0;
}

// ---- The read reply ------------------------------------------------------------------------------

export const ID_TEXT_LENGTH = 256;
export const ID_PHOTO_LENGTH = 1024;

export interface ReadReplyParts {
  text: Buffer;
  photo: Buffer;
  fingerprint: Buffer | null;
}

/**
 * Split a successful read reply's data: text length (2 B, BE), photo length (2 B, BE)[, fingerprint
 * length (2 B, BE) for 30 10], then text, photo[, fingerprint].
 */
export function splitReadData(data: Uint8Array, withFingerprint = false): ReadReplyParts {
  const d = Buffer.from(data);
  const head = withFingerprint ? 6 : 4;
  if (d.length < head) throw new DriverError('bad_length', `read reply data is ${d.length} bytes, shorter than its ${head}-byte length header`);
  const textLen = d.readUInt16BE(0);
  const photoLen = d.readUInt16BE(2);
  const fpLen = withFingerprint ? d.readUInt16BE(4) : 0;
  const total = head + textLen + photoLen + fpLen;
  if (d.length !== total) {
    throw new DriverError('bad_length', `read reply data is ${d.length} bytes; its lengths (text ${textLen}, photo ${photoLen}${withFingerprint ? `, fingerprint ${fpLen}` : ''}) say ${total}`);
  }
  if (textLen !== ID_TEXT_LENGTH) throw new DriverError('bad_length', `text is ${textLen} bytes, not ${ID_TEXT_LENGTH}`);
  const text = Buffer.from(d.subarray(head, head + textLen));
  const photo = Buffer.from(d.subarray(head + textLen, head + textLen + photoLen));
  const fingerprint = withFingerprint ? Buffer.from(d.subarray(head + textLen + photoLen)) : null;
  return { text, photo, fingerprint };
}

export function buildReadData(text: Uint8Array, photo: Uint8Array, fingerprint?: Uint8Array): Buffer {
  const lens = Buffer.alloc(fingerprint ? 6 : 4);
  lens.writeUInt16BE(text.length, 0);
  lens.writeUInt16BE(photo.length, 2);
  if (fingerprint) lens.writeUInt16BE(fingerprint.length, 4);
  return Buffer.concat([lens, Buffer.from(text), Buffer.from(photo), ...(fingerprint ? [Buffer.from(fingerprint)] : [])]);
}

// ---- The card text -------------------------------------------------------------------------------

/** Byte ranges [start, end) of the UTF-16LE text fields. */
const FIELDS = {
  name: [0, 30],
  sex: [30, 32],
  nation: [32, 36],
  birth: [36, 52],
  address: [52, 122],
  idNumber: [122, 158],
  authority: [158, 188],
  validFrom: [188, 204],
  validTo: [204, 220],
  cardType: [248, 250],
} as const satisfies Record<string, readonly [number, number]>;
type FieldName = keyof typeof FIELDS;

/** GB 3304 ethnic group codes. */
export const NATIONS: Readonly<Record<string, string>> = Object.fromEntries(
  (
    '汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡 纳西 景颇 柯尔克孜 土 ' +
    '达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺'
  )
    .split(' ')
    .map((n, i) => [String(i + 1).padStart(2, '0'), n] as const)
    .concat([
      ['97', '其他'],
      ['98', '外国血统中国籍人士'],
    ]),
);

export const LONG_TERM = '长期';

export type IdCardType = 'resident' | 'hmt_residence_permit';

export interface IdCardText {
  name: string;
  sex: 'male' | 'female' | 'unknown';
  /** GB/T 2261.1: 1 male, 2 female, 0 unknown, 9 unspecified. */
  sexCode: string;
  nationCode: string;
  /** Ethnic group name ('' for residence permits, which have none). */
  nation: string;
  /** YYYY-MM-DD */
  birthDate: string;
  address: string;
  idNumber: string;
  /** ISO 7064 MOD 11-2 check digit and birth date agree. */
  idNumberValid: boolean;
  authority: string;
  /** YYYY-MM-DD */
  validFrom: string;
  /** YYYY-MM-DD, or 'long_term' (长期). */
  validTo: string;
  cardType: IdCardType;
}

export type IdCardTextInput = Omit<IdCardText, 'sexCode' | 'nation' | 'idNumberValid' | 'cardType' | 'sex'> & {
  sex: 'male' | 'female';
  cardType?: IdCardType;
};

const utf16 = new TextDecoder('utf-16le', { fatal: true });
// Padding is spaces; some readers leave NULs in unused fields.
const trimField = (s: string) => s.replace(/^[\s\0]+|[\s\0]+$/g, '');
const isoDate = (s: string) => (/^\d{8}$/.test(s) ? `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}` : null);

/** Decode the 256-byte card text. Throws DriverError bad_length / bad_text / unsupported_card. */
export function decodeIdCardText(text: Uint8Array): IdCardText {
  const t = Buffer.from(text);
  if (t.length !== ID_TEXT_LENGTH) throw new DriverError('bad_length', `card text is ${t.length} bytes, not ${ID_TEXT_LENGTH}`);
  const field = (f: FieldName) => {
    const raw = t.subarray(FIELDS[f][0], FIELDS[f][1]);
    try {
      return trimField(utf16.decode(raw));
    } catch {
      throw new DriverError('bad_text', `${f} is not valid UTF-16LE: ${hex(raw)}`);
    }
  };
  const typeChar = field('cardType');
  let cardType: IdCardType;
  if (typeChar === '') cardType = 'resident';
  else if (typeChar === 'J') cardType = 'hmt_residence_permit';
  else throw new DriverError('unsupported_card', `card type '${typeChar}' (foreign permanent resident cards have another text layout)`);

  const bad = (what: string, v: string) => new DriverError('bad_text', `${what} ${JSON.stringify(v)} is malformed`);
  const name = field('name');
  if (name === '') throw bad('name', name);
  const sexCode = field('sex');
  const nationCode = field('nation');
  if (cardType === 'resident' && !/^\d{2}$/.test(nationCode)) throw bad('nation code', nationCode);
  const birthRaw = field('birth');
  const birthDate = isoDate(birthRaw);
  if (!birthDate) throw bad('birth date', birthRaw);
  const fromRaw = field('validFrom');
  const validFrom = isoDate(fromRaw);
  if (!validFrom) throw bad('valid-from date', fromRaw);
  const toRaw = field('validTo');
  const validTo = toRaw === LONG_TERM ? 'long_term' : isoDate(toRaw);
  if (!validTo) throw bad('valid-to date', toRaw);
  const idNumber = field('idNumber').toUpperCase();
  return {
    name,
    sex: sexCode === '1' ? 'male' : sexCode === '2' ? 'female' : 'unknown',
    sexCode,
    nationCode,
    nation: NATIONS[nationCode] ?? '',
    birthDate,
    address: field('address'),
    idNumber,
    idNumberValid: isValidIdNumber(idNumber) && idNumber.slice(6, 14) === birthRaw,
    authority: field('authority'),
    validFrom,
    validTo,
    cardType,
  };
}

/** Build the 256-byte card text (simulators and tests). Throws RangeError when a field does not fit. */
export function encodeIdCardText(card: IdCardTextInput): Buffer {
  const out = Buffer.alloc(ID_TEXT_LENGTH);
  out.fill(Buffer.from(' ', 'utf16le'));
  const put = (f: FieldName, value: string) => {
    const [start, end] = FIELDS[f];
    const b = Buffer.from(value, 'utf16le');
    if (b.length > end - start) throw new RangeError(`${f} ${JSON.stringify(value)} needs ${b.length} bytes, the field has ${end - start}`);
    b.copy(out, start);
  };
  const compact = (iso: string) => iso.replaceAll('-', '');
  put('name', card.name);
  put('sex', card.sex === 'male' ? '1' : '2');
  put('nation', card.nationCode);
  put('birth', compact(card.birthDate));
  put('address', card.address);
  put('idNumber', card.idNumber);
  put('authority', card.authority);
  put('validFrom', compact(card.validFrom));
  put('validTo', card.validTo === 'long_term' ? LONG_TERM : compact(card.validTo));
  if (card.cardType === 'hmt_residence_permit') put('cardType', 'J');
  return out;
}

// ---- ID numbers ----------------------------------------------------------------------------------

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

/** ISO 7064 MOD 11-2 check character for the first 17 digits. */
export function idNumberCheckDigit(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError(`need 17 digits, got ${JSON.stringify(first17)}`);
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

/** 18 characters, 17 digits and a correct check character (digit or X). */
export function isValidIdNumber(id: string): boolean {
  const s = id.toUpperCase();
  return /^\d{17}[\dX]$/.test(s) && idNumberCheckDigit(s.slice(0, 17)) === s[17];
}

// ---- SAM id --------------------------------------------------------------------------------------

/** The 16-byte SAM id in the dotted form vendor tools print: u16.u16-u32-u32-u32, little-endian. */
export function formatSamId(data: Uint8Array): string {
  const d = Buffer.from(data);
  if (d.length < 16) throw new DriverError('bad_length', `SAM id is ${d.length} bytes, not 16`);
  const p = (n: number, w: number) => String(n).padStart(w, '0');
  return `${p(d.readUInt16LE(0), 2)}.${p(d.readUInt16LE(2), 2)}-${p(d.readUInt32LE(4), 8)}-${p(d.readUInt32LE(8), 10)}-${p(d.readUInt32LE(12), 10)}`;
}
