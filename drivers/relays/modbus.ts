// Owns the bytes of Modbus relay/IO boards: CRC-16/MODBUS, the PDUs a turnstile board needs (read
// coils 01, read discrete inputs 02, read holding / input registers 03 / 04 (a latched input's pulse
// counter), write single coil 05, write multiple coils 0F), exception
// replies, RTU framing (unit + PDU + CRC low byte first) and Modbus TCP framing (MBAP header).
// Both ends use it: the simulators decode requests and encode replies, tests check literal frames.
// Pure: no I/O. The driver itself talks through the `modbus-serial` client (modbus-relay.ts).
import { hex } from '../bytes';
import { StreamParser } from '../stream-parser';

export const FC = {
  readCoils: 0x01,
  readDiscreteInputs: 0x02,
  readHoldingRegisters: 0x03,
  readInputRegisters: 0x04,
  writeSingleCoil: 0x05,
  writeMultipleCoils: 0x0f,
} as const;
export type FunctionCode = (typeof FC)[keyof typeof FC];

/** Exception codes a slave answers with (function code | 0x80, then this byte). */
export const EXCEPTION = {
  illegalFunction: 0x01,
  illegalDataAddress: 0x02,
  illegalDataValue: 0x03,
  slaveDeviceFailure: 0x04,
  acknowledge: 0x05,
  slaveDeviceBusy: 0x06,
  gatewayPathUnavailable: 0x0a,
  gatewayTargetFailed: 0x0b,
} as const;

const EXCEPTION_NAMES: Record<number, string> = {
  0x01: 'illegal function',
  0x02: 'illegal data address',
  0x03: 'illegal data value',
  0x04: 'slave device failure',
  0x05: 'acknowledge',
  0x06: 'slave device busy',
  0x08: 'memory parity error',
  0x0a: 'gateway path unavailable',
  0x0b: 'gateway target device failed to respond',
};
export const exceptionName = (code: number): string => EXCEPTION_NAMES[code] ?? `exception 0x${code.toString(16)}`;

/** Largest RTU frame (address + 253-byte PDU + CRC). */
export const RTU_MAX_FRAME = 256;
export const MBAP_LENGTH = 7;
/** Coil value words of FC 05. Anything else is illegal data value. */
export const COIL_ON = 0xff00;
export const COIL_OFF = 0x0000;

export type ModbusFrameErrorCode =
  | 'bad_length'
  | 'bad_crc'
  | 'bad_function'
  | 'bad_value'
  | 'bad_unit'
  | 'bad_protocol'
  | 'exception'
  | 'unexpected';
export interface ModbusFrameError {
  code: ModbusFrameErrorCode;
  detail: string;
  bytes: Buffer;
}
export type Decoded<T> = { ok: true; value: T } | { ok: false; error: ModbusFrameError };

export type ModbusRequest =
  | { unit: number; fc: typeof FC.readCoils | typeof FC.readDiscreteInputs; address: number; count: number }
  | { unit: number; fc: typeof FC.readHoldingRegisters | typeof FC.readInputRegisters; address: number; count: number }
  | { unit: number; fc: typeof FC.writeSingleCoil; address: number; on: boolean }
  | { unit: number; fc: typeof FC.writeMultipleCoils; address: number; states: boolean[] }
  /** A function this module does not implement; a slave answers it with illegal function. */
  | { unit: number; fc: number; unsupported: true; data: Buffer };

export type ModbusResponse =
  | { unit: number; fc: typeof FC.readCoils | typeof FC.readDiscreteInputs; bits: boolean[] }
  | { unit: number; fc: typeof FC.readHoldingRegisters | typeof FC.readInputRegisters; words: number[] }
  | { unit: number; fc: typeof FC.writeSingleCoil; address: number; on: boolean }
  | { unit: number; fc: typeof FC.writeMultipleCoils; address: number; count: number }
  | { unit: number; fc: number; exception: number };

// ---------------------------------------------------------------------------------------------
// CRC-16/MODBUS: reflected poly 0xA001, init 0xFFFF, no final xor, sent low byte first.

const CRC_TABLE = (() => {
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xa001 : c >>> 1;
    t[i] = c;
  }
  return t;
})();

export function crc16Modbus(bytes: Uint8Array): number {
  let crc = 0xffff;
  for (const b of bytes) crc = (crc >>> 8) ^ CRC_TABLE[(crc ^ b) & 0xff]!;
  return crc;
}

/** `frame` followed by its CRC, low byte first. */
export function withCrc(frame: Uint8Array): Buffer {
  const crc = crc16Modbus(frame);
  return Buffer.concat([Buffer.from(frame), Buffer.from([crc & 0xff, crc >>> 8])]);
}

/** True when the last two bytes are the CRC of the rest. */
export function crcOk(frame: Uint8Array): boolean {
  if (frame.length < 3) return false;
  const body = frame.subarray(0, frame.length - 2);
  const crc = crc16Modbus(body);
  return frame[frame.length - 2] === (crc & 0xff) && frame[frame.length - 1] === crc >>> 8;
}

// ---------------------------------------------------------------------------------------------
// PDUs (function code + data), shared by RTU and TCP.

function u16(n: number, what: string): number {
  if (!Number.isInteger(n) || n < 0 || n > 0xffff) throw new RangeError(`${what} ${n} is outside 0..65535`);
  return n;
}

function packBits(bits: readonly boolean[]): Buffer {
  const out = Buffer.alloc(Math.ceil(bits.length / 8));
  bits.forEach((b, i) => {
    if (b) out[i >> 3]! |= 1 << (i & 7);
  });
  return out;
}

function unpackBits(bytes: Uint8Array, count = bytes.length * 8): boolean[] {
  const out: boolean[] = [];
  for (let i = 0; i < count; i++) out.push(((bytes[i >> 3] ?? 0) >> (i & 7)) & 1 ? true : false);
  return out;
}

export function encodeRequestPdu(req: ModbusRequest): Buffer {
  if ('unsupported' in req) return Buffer.concat([Buffer.from([req.fc]), req.data]);
  const b = Buffer.alloc(5);
  b[0] = req.fc;
  b.writeUInt16BE(u16(req.address, 'address'), 1);
  switch (req.fc) {
    case FC.readCoils:
    case FC.readDiscreteInputs:
      if (req.count < 1 || req.count > 2000) throw new RangeError(`count ${req.count} is outside 1..2000`);
      b.writeUInt16BE(req.count, 3);
      return b;
    case FC.readHoldingRegisters:
    case FC.readInputRegisters:
      if (req.count < 1 || req.count > 125) throw new RangeError(`count ${req.count} is outside 1..125`);
      b.writeUInt16BE(req.count, 3);
      return b;
    case FC.writeSingleCoil:
      b.writeUInt16BE(req.on ? COIL_ON : COIL_OFF, 3);
      return b;
    case FC.writeMultipleCoils: {
      if (req.states.length < 1 || req.states.length > 1968) throw new RangeError(`${req.states.length} coils is outside 1..1968`);
      b.writeUInt16BE(req.states.length, 3);
      const packed = packBits(req.states);
      return Buffer.concat([b, Buffer.from([packed.length]), packed]);
    }
  }
}

export function encodeResponsePdu(res: ModbusResponse): Buffer {
  if ('exception' in res) return Buffer.from([(res.fc | 0x80) & 0xff, res.exception]);
  switch (res.fc) {
    case FC.readCoils:
    case FC.readDiscreteInputs: {
      const packed = packBits(res.bits);
      return Buffer.concat([Buffer.from([res.fc, packed.length]), packed]);
    }
    case FC.readHoldingRegisters:
    case FC.readInputRegisters: {
      const b = Buffer.alloc(2 + 2 * res.words.length);
      b[0] = res.fc;
      b[1] = 2 * res.words.length;
      res.words.forEach((w, i) => b.writeUInt16BE(w & 0xffff, 2 + 2 * i));
      return b;
    }
    case FC.writeSingleCoil: {
      const b = Buffer.alloc(5);
      b[0] = res.fc;
      b.writeUInt16BE(res.address, 1);
      b.writeUInt16BE(res.on ? COIL_ON : COIL_OFF, 3);
      return b;
    }
    case FC.writeMultipleCoils: {
      const b = Buffer.alloc(5);
      b[0] = res.fc;
      b.writeUInt16BE(res.address, 1);
      b.writeUInt16BE(res.count, 3);
      return b;
    }
    default:
      throw new RangeError(`cannot encode a reply to function 0x${(res as { fc: number }).fc.toString(16)}`);
  }
}

function fail<T>(code: ModbusFrameErrorCode, detail: string, bytes: Uint8Array): Decoded<T> {
  const b = Buffer.from(bytes);
  return { ok: false, error: { code, detail: `${detail} (${hex(b)})`, bytes: b } };
}

/** Decode a request PDU (slave side). */
export function decodeRequestPdu(unit: number, pdu: Uint8Array): Decoded<ModbusRequest> {
  const fc = pdu[0];
  if (fc === undefined) return fail('bad_length', 'empty PDU', pdu);
  const b = Buffer.from(pdu);
  if (fc === FC.readHoldingRegisters || fc === FC.readInputRegisters) {
    if (b.length !== 5) return fail('bad_length', `function 0x${fc.toString(16)} PDU is ${b.length} bytes, not 5`, pdu);
    const count = b.readUInt16BE(3);
    if (count < 1 || count > 125) return fail('bad_value', `count ${count} is outside 1..125`, pdu);
    return { ok: true, value: { unit, fc, address: b.readUInt16BE(1), count } };
  }
  if (fc === FC.readCoils || fc === FC.readDiscreteInputs || fc === FC.writeSingleCoil) {
    if (b.length !== 5) return fail('bad_length', `function 0x${fc.toString(16)} PDU is ${b.length} bytes, not 5`, pdu);
    const address = b.readUInt16BE(1);
    const v = b.readUInt16BE(3);
    if (fc === FC.writeSingleCoil) {
      if (v !== COIL_ON && v !== COIL_OFF) return fail('bad_value', `coil value 0x${v.toString(16)} is neither ff00 nor 0000`, pdu);
      return { ok: true, value: { unit, fc, address, on: v === COIL_ON } };
    }
    if (v < 1 || v > 2000) return fail('bad_value', `count ${v} is outside 1..2000`, pdu);
    return { ok: true, value: { unit, fc, address, count: v } };
  }
  if (fc === FC.writeMultipleCoils) {
    if (b.length < 6 || b.length !== 6 + b[5]!) return fail('bad_length', `write multiple coils PDU is ${b.length} bytes`, pdu);
    const count = b.readUInt16BE(3);
    if (count < 1 || count > 1968 || b[5] !== Math.ceil(count / 8)) return fail('bad_value', `${count} coils in ${b[5]} bytes`, pdu);
    return { ok: true, value: { unit, fc, address: b.readUInt16BE(1), states: unpackBits(b.subarray(6), count) } };
  }
  return { ok: true, value: { unit, fc, unsupported: true, data: Buffer.from(b.subarray(1)) } };
}

/**
 * Decode a reply PDU (master side) and check it answers `req`: a reply to another function or a
 * short/long body is `unexpected`/`bad_length`, an exception reply is `exception`.
 */
export function decodeResponsePdu(unit: number, pdu: Uint8Array, req: ModbusRequest): Decoded<ModbusResponse> {
  const fc = pdu[0];
  if (fc === undefined) return fail('bad_length', 'empty PDU', pdu);
  const b = Buffer.from(pdu);
  if (fc === ((req.fc | 0x80) & 0xff)) {
    if (b.length !== 2) return fail('bad_length', `exception PDU is ${b.length} bytes, not 2`, pdu);
    return fail('exception', `slave ${unit} answered function 0x${req.fc.toString(16)} with ${exceptionName(b[1]!)} (0x${b[1]!.toString(16).padStart(2, '0')})`, pdu);
  }
  if (fc !== req.fc) return fail('unexpected', `reply is function 0x${fc.toString(16)}, request was 0x${req.fc.toString(16)}`, pdu);
  if (unit !== req.unit) return fail('bad_unit', `reply from unit ${unit}, request was to ${req.unit}`, pdu);
  if ('unsupported' in req) return fail('bad_function', `function 0x${fc.toString(16)} is not implemented here`, pdu);
  switch (req.fc) {
    case FC.readCoils:
    case FC.readDiscreteInputs: {
      const n = Math.ceil(req.count / 8);
      if (b.length !== 2 + n || b[1] !== n) return fail('bad_length', `expected ${n} data bytes for ${req.count} bits`, pdu);
      return { ok: true, value: { unit, fc: req.fc, bits: unpackBits(b.subarray(2), req.count) } };
    }
    case FC.readHoldingRegisters:
    case FC.readInputRegisters: {
      const n = 2 * req.count;
      if (b.length !== 2 + n || b[1] !== n) return fail('bad_length', `expected ${n} data bytes for ${req.count} registers`, pdu);
      const words: number[] = [];
      for (let i = 0; i < req.count; i++) words.push(b.readUInt16BE(2 + 2 * i));
      return { ok: true, value: { unit, fc: req.fc, words } };
    }
    case FC.writeSingleCoil: {
      if (b.length !== 5) return fail('bad_length', `write coil echo is ${b.length} bytes, not 5`, pdu);
      const address = b.readUInt16BE(1);
      const v = b.readUInt16BE(3);
      if (address !== req.address || v !== (req.on ? COIL_ON : COIL_OFF)) return fail('unexpected', 'write coil echo differs from the request', pdu);
      return { ok: true, value: { unit, fc: req.fc, address, on: req.on } };
    }
    case FC.writeMultipleCoils: {
      if (b.length !== 5) return fail('bad_length', `write coils reply is ${b.length} bytes, not 5`, pdu);
      return { ok: true, value: { unit, fc: req.fc, address: b.readUInt16BE(1), count: b.readUInt16BE(3) } };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// RTU: unit + PDU + CRC.

export function encodeRtuRequest(req: ModbusRequest): Buffer {
  return withCrc(Buffer.concat([Buffer.from([req.unit]), encodeRequestPdu(req)]));
}
export function encodeRtuResponse(res: ModbusResponse): Buffer {
  return withCrc(Buffer.concat([Buffer.from([res.unit]), encodeResponsePdu(res)]));
}

/** `01 05 00 00 FF 00 8C 3A`: coil 0 of unit 1 on. */
export const rtuWriteCoil = (unit: number, address: number, on: boolean): Buffer =>
  encodeRtuRequest({ unit, fc: FC.writeSingleCoil, address, on });
/** `01 02 00 00 00 08 79 CC`: 8 discrete inputs of unit 1 from 0. */
export const rtuReadInputs = (unit: number, address: number, count: number): Buffer =>
  encodeRtuRequest({ unit, fc: FC.readDiscreteInputs, address, count });

function checkRtu(frame: Uint8Array): ModbusFrameError | null {
  if (frame.length < 4) return { code: 'bad_length', detail: `RTU frame of ${frame.length} bytes (${hex(frame)})`, bytes: Buffer.from(frame) };
  if (!crcOk(frame)) {
    const got = frame[frame.length - 2]! | (frame[frame.length - 1]! << 8);
    const want = crc16Modbus(frame.subarray(0, frame.length - 2));
    return {
      code: 'bad_crc',
      detail: `CRC 0x${got.toString(16).padStart(4, '0')}, expected 0x${want.toString(16).padStart(4, '0')} (${hex(frame)})`,
      bytes: Buffer.from(frame),
    };
  }
  return null;
}

export function decodeRtuRequest(frame: Uint8Array): Decoded<ModbusRequest> {
  const bad = checkRtu(frame);
  if (bad) return { ok: false, error: bad };
  return decodeRequestPdu(frame[0]!, frame.subarray(1, frame.length - 2));
}

export function decodeRtuResponse(frame: Uint8Array, req: ModbusRequest): Decoded<ModbusResponse> {
  const bad = checkRtu(frame);
  if (bad) return { ok: false, error: bad };
  return decodeResponsePdu(frame[0]!, frame.subarray(1, frame.length - 2), req);
}

/**
 * Length of the RTU request starting at `buf[0]`, once enough of it is there to tell: a number,
 * `null` (need more bytes) or `'unknown'` (a function whose length only the line's silence can tell).
 */
export function rtuRequestLength(buf: Uint8Array): number | null | 'unknown' {
  if (buf.length < 2) return null;
  const fc = buf[1]!;
  if (fc === FC.readCoils || fc === FC.readDiscreteInputs || fc === FC.readHoldingRegisters || fc === FC.readInputRegisters || fc === FC.writeSingleCoil) return 8;
  if (fc === FC.writeMultipleCoils) return buf.length < 7 ? null : 9 + buf[6]!;
  return 'unknown';
}

/** Length of the RTU reply to `req` (exception replies are 5 bytes whatever the function). */
export function rtuResponseLength(req: ModbusRequest, fcByte: number): number | 'unknown' {
  if (fcByte === ((req.fc | 0x80) & 0xff)) return 5;
  switch (req.fc) {
    case FC.readCoils:
    case FC.readDiscreteInputs:
      return 5 + Math.ceil((req as { count: number }).count / 8);
    case FC.readHoldingRegisters:
    case FC.readInputRegisters:
      return 5 + 2 * (req as { count: number }).count;
    case FC.writeSingleCoil:
    case FC.writeMultipleCoils:
      return 8;
    default:
      return 'unknown';
  }
}

/**
 * Splits the byte stream a slave receives into RTU requests. A real slave frames by 3.5 characters
 * of silence; this reader frames by function-code length and lets its owner call `idle()` when the
 * line has been quiet, which ends a frame of unknown length (answered as illegal function if its
 * CRC holds) and drops a truncated one. A complete frame with a bad CRC is dropped whole, as the
 * silence-framed slave would.
 */
export class RtuRequestReader {
  readonly #parser = new StreamParser<Decoded<ModbusRequest>>({
    maxFrame: RTU_MAX_FRAME,
    next: (buf) => {
      const len = rtuRequestLength(buf);
      if (len === null || len === 'unknown' || buf.length < len) return { need: true };
      return { frame: len, out: decodeRtuRequest(buf.subarray(0, len)) };
    },
    overlong: (buf) => idleFrame(buf),
    partial: (buf) => idleFrame(buf),
  });

  push(chunk: Uint8Array): Decoded<ModbusRequest>[] {
    return this.#parser.push(chunk);
  }

  get pending(): number {
    return this.#parser.pending;
  }

  /** The line went quiet: whatever is buffered is one frame, complete or not. */
  idle(): Decoded<ModbusRequest>[] {
    return this.#parser.flush('idle');
  }
}

/** Bytes framed by the line's silence: a request of a function whose length only that can tell, or a truncated one. */
function idleFrame(frame: Buffer): Decoded<ModbusRequest> {
  if (rtuRequestLength(frame) === 'unknown' && frame.length >= 4) return decodeRtuRequest(frame);
  return fail('bad_length', `${frame.length} bytes without a complete request`, frame);
}

// ---------------------------------------------------------------------------------------------
// Modbus TCP: MBAP header (transaction id, protocol 0, length = unit + PDU) + unit + PDU, no CRC.

export interface TcpFrame {
  transactionId: number;
  unit: number;
  pdu: Buffer;
}

export function encodeTcpFrame(f: TcpFrame): Buffer {
  const head = Buffer.alloc(MBAP_LENGTH);
  head.writeUInt16BE(u16(f.transactionId, 'transaction id'), 0);
  head.writeUInt16BE(0, 2);
  head.writeUInt16BE(f.pdu.length + 1, 4);
  head[6] = f.unit;
  return Buffer.concat([head, f.pdu]);
}

/**
 * Splits a Modbus TCP byte stream into frames. A header with a protocol id other than 0 or an
 * impossible length means the stream is garbage from here on: it is reported and everything
 * buffered is dropped (over TCP the only recovery is a new connection; the caller decides).
 */
export class TcpFrameReader {
  readonly #parser = new StreamParser<Decoded<TcpFrame>>({
    maxFrame: 6 + 254,
    next: (buf) => {
      if (buf.length < 6) return { need: true };
      const protocol = buf.readUInt16BE(2);
      const length = buf.readUInt16BE(4);
      if (protocol !== 0 || length < 2 || length > 254) {
        return { frame: buf.length, out: fail('bad_protocol', `MBAP protocol ${protocol}, length ${length}`, buf) };
      }
      if (buf.length < 6 + length) return { need: true };
      const frame = buf.subarray(0, 6 + length);
      return { frame: frame.length, out: { ok: true, value: { transactionId: frame.readUInt16BE(0), unit: frame[6]!, pdu: Buffer.from(frame.subarray(7)) } } };
    },
    overlong: (buf) => fail('bad_length', `${buf.length} bytes without a complete frame`, buf),
  });

  push(chunk: Uint8Array): Decoded<TcpFrame>[] {
    return this.#parser.push(chunk);
  }

  get pending(): number {
    return this.#parser.pending;
  }
}
