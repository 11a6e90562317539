// Owns the bytes of ZVT, the German ECR-to-terminal protocol (over TCP, port 20007): APDUs of CLASS
// INSTR LEN DATA (LEN FF lo hi for 255 bytes and more), the commands the box office sends
// (Registration 06 00, Authorization 06 01, Reversal 06 30, Refund 06 31, Abort 06 B0, ACK 80 00 00),
// and what the terminal answers (Status Information 04 0F with its BMP fields, Intermediate Status
// 04 FF, Completion 06 0F, Abort 06 1E with a result code, ACK / NAK 84 xx 00). Pure: no I/O.

export type Apdu = { cls: number; ins: number; data: Buffer };

export const ACK = Buffer.from([0x80, 0x00, 0x00]);
export const COMMANDS = {
  registration: [0x06, 0x00],
  authorization: [0x06, 0x01],
  completion: [0x06, 0x0f],
  abortFromTerminal: [0x06, 0x1e],
  reversal: [0x06, 0x30],
  refund: [0x06, 0x31],
  abort: [0x06, 0xb0],
  statusInformation: [0x04, 0x0f],
  intermediateStatus: [0x04, 0xff],
} as const;
export type CommandName = keyof typeof COMMANDS;

/** The name of an APDU's command ('ack', 'nak', or one of COMMANDS), or null for one Admit does not use. */
export function commandOf(apdu: Apdu): CommandName | 'ack' | 'nak' | null {
  if (apdu.cls === 0x80 && apdu.ins === 0x00) return 'ack';
  if (apdu.cls === 0x84) return 'nak';
  for (const [name, [c, i]] of Object.entries(COMMANDS)) if (apdu.cls === c && apdu.ins === i) return name as CommandName;
  return null;
}

/** One APDU on the wire. */
export function encodeApdu(cls: number, ins: number, data: Uint8Array = Buffer.alloc(0)): Buffer {
  if (data.length > 0xffff) throw new RangeError(`APDU data of ${data.length} bytes`);
  const head = data.length < 0xff ? Buffer.from([cls, ins, data.length]) : Buffer.from([cls, ins, 0xff, data.length & 0xff, data.length >> 8]);
  return Buffer.concat([head, data]);
}

/**
 * Splits a byte stream into APDUs: push what arrived, take the whole APDUs it completes; a partial one
 * waits for its remaining bytes.
 */
export class ApduReader {
  #buf = Buffer.alloc(0);

  push(chunk: Uint8Array): Apdu[] {
    this.#buf = Buffer.concat([this.#buf, chunk]);
    const out: Apdu[] = [];
    for (;;) {
      if (this.#buf.length < 3) break;
      let len = this.#buf[2]!;
      let head = 3;
      if (len === 0xff) {
        if (this.#buf.length < 5) break;
        len = this.#buf.readUInt16LE(3);
        head = 5;
      }
      if (this.#buf.length < head + len) break;
      out.push({ cls: this.#buf[0]!, ins: this.#buf[1]!, data: Buffer.from(this.#buf.subarray(head, head + len)) });
      this.#buf = this.#buf.subarray(head + len);
    }
    return out;
  }

  get pending(): number {
    return this.#buf.length;
  }
}

/** An unsigned number as `bytes` bytes of BCD (two digits a byte, most significant first). */
export function toBcd(value: number, bytes: number): Buffer {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`not a BCD number: ${value}`);
  const digits = String(value);
  if (digits.length > bytes * 2) throw new RangeError(`${value} needs more than ${bytes} BCD bytes`);
  return Buffer.from(digits.padStart(bytes * 2, '0'), 'hex');
}

/** BCD bytes as a number; null when a nibble is not a decimal digit. */
export function fromBcd(bytes: Uint8Array): number | null {
  const text = Buffer.from(bytes).toString('hex');
  return /^\d+$/.test(text) ? Number(text) : null;
}

/** The largest amount field 04 holds: 12 BCD digits of minor units. */
export const MAX_ZVT_AMOUNT = 999_999_999_999;
/** ISO 4217 numeric codes of the currencies a terminal is registered with. */
const NUMERIC_CURRENCY: Record<string, number> = { EUR: 978, CHF: 756, GBP: 826, USD: 840, CNY: 156, RUB: 643, PLN: 985, CZK: 203, DKK: 208, SEK: 752 };
export function currencyNumber(currency: string): number | null {
  return NUMERIC_CURRENCY[currency.toUpperCase()] ?? null;
}

const password = (pw: string): Buffer => {
  if (!/^\d{6}$/.test(pw)) throw new RangeError('a ZVT password is 6 digits');
  return Buffer.from(pw, 'hex');
};

/** Registration 06 00: password, config byte, currency (the terminal then answers with Completion). */
export function registration(pw: string, currency: string, configByte = 0x86): Buffer {
  const cc = currencyNumber(currency);
  return encodeApdu(0x06, 0x00, Buffer.concat([password(pw), Buffer.from([configByte]), ...(cc === null ? [] : [toBcd(cc, 2)])]));
}

/** Authorization 06 01 of `amountMinor` (BMP 04, 6 bytes BCD), with the currency (BMP 49) when known. */
export function authorization(amountMinor: number, currency: string): Buffer {
  if (amountMinor <= 0 || amountMinor > MAX_ZVT_AMOUNT) throw new RangeError(`amount ${amountMinor}`);
  const cc = currencyNumber(currency);
  return encodeApdu(0x06, 0x01, Buffer.concat([Buffer.from([0x04]), toBcd(amountMinor, 6), ...(cc === null ? [] : [Buffer.from([0x49]), toBcd(cc, 2)])]));
}

/** Reversal 06 30 of the payment with this receipt number (BMP 87, 2 bytes BCD). */
export function reversal(pw: string, receiptNumber: number): Buffer {
  return encodeApdu(0x06, 0x30, Buffer.concat([password(pw), Buffer.from([0x87]), toBcd(receiptNumber, 2)]));
}

/** Refund 06 31 of `amountMinor`. */
export function refund(pw: string, amountMinor: number): Buffer {
  if (amountMinor <= 0 || amountMinor > MAX_ZVT_AMOUNT) throw new RangeError(`amount ${amountMinor}`);
  return encodeApdu(0x06, 0x31, Buffer.concat([password(pw), Buffer.from([0x04]), toBcd(amountMinor, 6)]));
}

/** Abort 06 B0: the ECR gives up the command in progress. */
export const abort = (): Buffer => encodeApdu(0x06, 0xb0);
/** Completion 06 0F (a terminal's end of a command that went through). */
export const completion = (): Buffer => encodeApdu(0x06, 0x0f);
/** Abort 06 1E from the terminal, with the result code that says why. */
export const abortWith = (resultCode: number): Buffer => encodeApdu(0x06, 0x1e, Buffer.from([resultCode]));
/** NAK 84 xx 00. */
export const nak = (code = 0x83): Buffer => Buffer.from([0x84, code, 0x00]);

/** What a Status Information says about a payment. Numbers from BCD fields; text fields as read. */
export type StatusInfo = {
  resultCode: number | null;
  amountMinor: number | null;
  traceNumber: number | null;
  receiptNumber: number | null;
  terminalId: number | null;
  currency: number | null;
  time: string | null;
  date: string | null;
  /** BMP 3B, the AID / authorisation attribute (8 bytes of text), the card's approval code. */
  aid: string | null;
  cardName: string | null;
  /** A field Admit cannot walk past stopped the reading here (its tag), else null. */
  unread: number | null;
};

type Field = { fixed: number } | { llvar: 2 | 3 } | { tlv: true };
/** BMP fields by tag: fixed lengths, LL / LLL variables (length as F0–F9 nibbles), the TLV container. */
const FIELDS: Record<number, Field> = {
  0x01: { fixed: 1 },
  0x02: { fixed: 1 },
  0x03: { fixed: 1 },
  0x04: { fixed: 6 },
  0x05: { fixed: 1 },
  0x06: { tlv: true },
  0x0b: { fixed: 3 },
  0x0c: { fixed: 3 },
  0x0d: { fixed: 2 },
  0x0e: { fixed: 2 },
  0x17: { fixed: 2 },
  0x19: { fixed: 1 },
  0x22: { llvar: 2 },
  0x23: { llvar: 2 },
  0x24: { llvar: 3 },
  0x27: { fixed: 1 },
  0x29: { fixed: 4 },
  0x2a: { fixed: 15 },
  0x2d: { llvar: 2 },
  0x2e: { llvar: 3 },
  0x37: { fixed: 3 },
  0x3a: { fixed: 2 },
  0x3b: { fixed: 8 },
  0x3c: { llvar: 3 },
  0x49: { fixed: 2 },
  0x87: { fixed: 2 },
  0x88: { fixed: 3 },
  0x8a: { fixed: 1 },
  0x8b: { llvar: 2 },
  0x8c: { fixed: 1 },
  0x9a: { llvar: 3 },
  0xa0: { fixed: 1 },
  0xa7: { llvar: 2 },
  0xaf: { llvar: 3 },
  0xba: { fixed: 5 },
};

function llLength(bytes: Uint8Array): number | null {
  let n = 0;
  for (const b of bytes) {
    if (b >> 4 !== 0xf || (b & 0x0f) > 9) return null;
    n = n * 10 + (b & 0x0f);
  }
  return n;
}

/** Reads the BMP fields of a Status Information (or any BMP list): tag → raw value. */
export function readFields(data: Uint8Array): { fields: Map<number, Buffer>; unread: number | null } {
  const fields = new Map<number, Buffer>();
  let at = 0;
  const buf = Buffer.from(data);
  while (at < buf.length) {
    const tag = buf[at]!;
    const field = FIELDS[tag];
    if (!field) return { fields, unread: tag };
    at += 1;
    let len: number | null;
    if ('fixed' in field) len = field.fixed;
    else if ('llvar' in field) {
      len = llLength(buf.subarray(at, at + field.llvar));
      at += field.llvar;
    } else {
      // BER length: one byte below 0x80, or 0x81 / 0x82 followed by one or two bytes.
      const first = buf[at];
      if (first === undefined) return { fields, unread: tag };
      if (first < 0x80) [len, at] = [first, at + 1];
      else if (first === 0x81) [len, at] = [buf[at + 1] ?? null, at + 2];
      else if (first === 0x82) [len, at] = [at + 2 < buf.length ? buf.readUInt16BE(at + 1) : null, at + 3];
      else len = null;
    }
    if (len === null || at + len > buf.length) return { fields, unread: tag };
    fields.set(tag, buf.subarray(at, at + len));
    at += len;
  }
  return { fields, unread: null };
}

export function parseStatusInfo(data: Uint8Array): StatusInfo {
  const { fields, unread } = readFields(data);
  const bcd = (tag: number) => (fields.has(tag) ? fromBcd(fields.get(tag)!) : null);
  const hexOf = (tag: number) => (fields.has(tag) ? fields.get(tag)!.toString('hex') : null);
  const text = (tag: number) => (fields.has(tag) ? fields.get(tag)!.toString('latin1').replace(/\0+$/, '').trim() : null);
  return {
    resultCode: fields.get(0x27)?.[0] ?? null,
    amountMinor: bcd(0x04),
    traceNumber: bcd(0x0b),
    receiptNumber: bcd(0x87),
    terminalId: bcd(0x29),
    currency: bcd(0x49),
    time: hexOf(0x0c),
    date: hexOf(0x0d),
    aid: text(0x3b),
    cardName: text(0x8b),
    unread,
  };
}

/** A Status Information (the simulator's; fixtures), fields in the order given. */
export function statusInformation(info: { resultCode: number; amountMinor?: number; traceNumber?: number; receiptNumber?: number; aid?: string; currency?: number }): Buffer {
  const parts: Buffer[] = [Buffer.from([0x27, info.resultCode])];
  if (info.amountMinor !== undefined) parts.push(Buffer.from([0x04]), toBcd(info.amountMinor, 6));
  if (info.traceNumber !== undefined) parts.push(Buffer.from([0x0b]), toBcd(info.traceNumber, 3));
  if (info.receiptNumber !== undefined) parts.push(Buffer.from([0x87]), toBcd(info.receiptNumber, 2));
  if (info.currency !== undefined) parts.push(Buffer.from([0x49]), toBcd(info.currency, 2));
  if (info.aid !== undefined) parts.push(Buffer.from([0x3b]), Buffer.from(info.aid.padEnd(8, '\0').slice(0, 8), 'latin1'));
  return encodeApdu(0x04, 0x0f, Buffer.concat(parts));
}

/** Result codes the box office tells apart (BMP 27 / Abort 06 1E). */
export const RESULT = {
  approved: 0x00,
  declined: 0x05,
  cardExpired: 0x33,
  abortedByUser: 0x6c,
  timeout: 0x9c,
  systemError: 0xff,
} as const;
/** Whether a terminal's result code says the card or its bank refused (as opposed to the terminal). */
export const isDecline = (code: number): boolean => code === 0x05 || code === 0x33 || code === 0x62 || code === 0x63 || (code >= 0x64 && code <= 0x6b);
