// Owns the bits of Wiegand card readers (gate scan boxes and proximity readers) as they reach the host
// through a Wiegand-to-serial converter. Pure: no I/O.
//
// Wiegand 26: bit 1 = even parity over bits 1–13 (i.e. it makes bits 2–13 plus itself even),
//   bits 2–9 facility (8 bits), bits 10–25 card number (16 bits), bit 26 = odd parity over bits 14–26.
// Wiegand 34: bit 1 = even parity over bits 1–17, bits 2–33 data (32 bits: facility = high 16,
//   number = low 16), bit 34 = odd parity over bits 18–34.
// Bits are numbered from 1 in transmission order (bit 1 first = most significant).
//
// Converter frame (what our serial Wiegand converters are configured to send, 9600 8N1): one ASCII
// line per card, `W<bit count>:<hex>` then CR (or CRLF), where <hex> is the whole raw frame, parity
// bits included, as an unsigned number (bit 1 most significant), in exactly ceil(bits/4) hex digits:
//   W26 → 7 digits (top two bits zero), W34 → 9 digits (top two bits zero). Case-insensitive.
// Example: facility 1, number 1 → bits 1 00000001 0000000000000001 0 → `W26:2020002`.
// Raw bits (not a decoded number) reach the host so it can check parity itself.

export type WiegandFormat = 'W26' | 'W34';
export type WiegandErrorCode = 'parity' | 'bad_length' | 'garbled';
export type Bit = 0 | 1;

export interface WiegandCard {
  format: WiegandFormat;
  facility: number;
  number: number;
  /** All data bits (parity excluded) as one number: facility·65536 + number. */
  cardNumber: number;
  /** The code handed to check-in: cardNumber in decimal, zero-padded to 10 digits as printed on cards. */
  code: string;
  bits: string;
}

export type WiegandResult = { ok: true; value: WiegandCard } | { ok: false; code: WiegandErrorCode; detail: string };

export const WIEGAND_LINE_MAX = 16;
const SUPPORTED = new Set([26, 34]);

const ones = (bits: readonly Bit[], from: number, to: number) => {
  // from/to: 1-based, inclusive.
  let n = 0;
  for (let i = from; i <= to; i++) n += bits[i - 1]!;
  return n;
};

function toBits(value: bigint, count: number): Bit[] {
  const out: Bit[] = [];
  for (let i = count - 1; i >= 0; i--) out.push(((value >> BigInt(i)) & 1n) === 1n ? 1 : 0);
  return out;
}

function bitsValue(bits: readonly Bit[], from: number, to: number): number {
  let v = 0;
  for (let i = from; i <= to; i++) v = v * 2 + bits[i - 1]!;
  return v;
}

/** Parity layout of a format: [even-parity range, odd-parity range], 1-based inclusive. */
function parityRanges(count: number): [[number, number], [number, number]] {
  const half = count / 2; // 13 for W26, 17 for W34
  return [
    [1, half],
    [half + 1, count],
  ];
}

/** Decode a raw Wiegand frame (bit 1 first). */
export function decodeWiegandBits(bits: readonly Bit[]): WiegandResult {
  const n = bits.length;
  if (!SUPPORTED.has(n)) return { ok: false, code: 'bad_length', detail: `${n} bits; only Wiegand 26 and 34 are supported` };
  const [[e1, e2], [o1, o2]] = parityRanges(n);
  const bitString = bits.join('');
  if (ones(bits, e1, e2) % 2 !== 0) return { ok: false, code: 'parity', detail: `even parity over bits ${e1}–${e2} fails: ${bitString}` };
  if (ones(bits, o1, o2) % 2 !== 1) return { ok: false, code: 'parity', detail: `odd parity over bits ${o1}–${o2} fails: ${bitString}` };
  const format: WiegandFormat = n === 26 ? 'W26' : 'W34';
  const facility = n === 26 ? bitsValue(bits, 2, 9) : bitsValue(bits, 2, 17);
  const number = n === 26 ? bitsValue(bits, 10, 25) : bitsValue(bits, 18, 33);
  const cardNumber = facility * 65536 + number;
  return { ok: true, value: { format, facility, number, cardNumber, code: String(cardNumber).padStart(10, '0'), bits: bitString } };
}

function withParity(data: Bit[]): Bit[] {
  const half = data.length / 2;
  const firstHalfOnes = data.slice(0, half).reduce<number>((a, b) => a + b, 0);
  const secondHalfOnes = data.slice(half).reduce<number>((a, b) => a + b, 0);
  return [(firstHalfOnes % 2) as Bit, ...data, ((secondHalfOnes + 1) % 2) as Bit];
}

export function encodeWiegand26(facility: number, number: number): Bit[] {
  if (!Number.isInteger(facility) || facility < 0 || facility > 0xff) throw new RangeError(`Wiegand 26 facility ${facility} is outside 0..255`);
  if (!Number.isInteger(number) || number < 0 || number > 0xffff) throw new RangeError(`Wiegand 26 number ${number} is outside 0..65535`);
  return withParity(toBits(BigInt(facility * 65536 + number), 24));
}

/** Wiegand 34 from a 32-bit card number (or facility·65536 + number). */
export function encodeWiegand34(cardNumber: number): Bit[] {
  if (!Number.isInteger(cardNumber) || cardNumber < 0 || cardNumber > 0xffffffff) throw new RangeError(`Wiegand 34 card number ${cardNumber} is outside 32 bits`);
  return withParity(toBits(BigInt(cardNumber), 32));
}

/** The converter line for a raw frame, without the line terminator. */
export function formatWiegandLine(bits: readonly Bit[]): string {
  const value = bits.reduce((v, b) => v * 2n + BigInt(b), 0n);
  return `W${bits.length}:${value.toString(16).toUpperCase().padStart(Math.ceil(bits.length / 4), '0')}`;
}

const LINE = /^W(\d{1,3}):([0-9A-Fa-f]+)$/;

/** Parse one converter line (terminator already removed) and decode its frame. */
export function parseWiegandLine(line: string): WiegandResult {
  const m = LINE.exec(line.trim());
  if (!m) return { ok: false, code: 'garbled', detail: `not a W<bits>:<hex> line: ${JSON.stringify(line.slice(0, 40))}` };
  const count = Number(m[1]);
  const digits = m[2]!;
  if (!SUPPORTED.has(count)) return { ok: false, code: 'bad_length', detail: `${count} bits; only Wiegand 26 and 34 are supported` };
  const want = Math.ceil(count / 4);
  if (digits.length !== want) return { ok: false, code: 'bad_length', detail: `W${count} needs ${want} hex digits, got ${digits.length}` };
  const value = BigInt(`0x${digits}`);
  if (value >> BigInt(count) !== 0n) return { ok: false, code: 'bad_length', detail: `W${count}:${digits} has bits above bit ${count}` };
  return decodeWiegandBits(toBits(value, count));
}
