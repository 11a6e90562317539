// Owns the bytes of LCUS serial relay boards (CH340, 9600 8N1): `A0 ch op sum`, sum = (A0+ch+op)&FF,
// channels numbered from 1, op 1 = close (on), 0 = open (off). Pure: no I/O.
import { hex } from '../bytes';
import { StreamParser, type Step, type StreamProtocol } from '../stream-parser';

export const LCUS_HEADER = 0xa0;
export const LCUS_FRAME_LENGTH = 4;
/** The largest LCUS board has 8 channels. */
export const LCUS_MAX_CHANNELS = 8;

export type LcusErrorCode = 'bad_length' | 'bad_header' | 'bad_checksum' | 'bad_channel' | 'bad_op';
export interface LcusCommand {
  channel: number;
  on: boolean;
}
export interface LcusRejection {
  code: LcusErrorCode;
  detail: string;
  bytes: Buffer;
}
export type LcusDecodeResult = { ok: true; value: LcusCommand } | { ok: false; error: LcusRejection };

export class LcusError extends Error {
  constructor(
    readonly code: LcusErrorCode,
    readonly detail: string,
  ) {
    super(`${code}: ${detail}`);
    this.name = 'LcusError';
  }
}


export function lcusChecksum(channel: number, op: number): number {
  return (LCUS_HEADER + channel + op) & 0xff;
}

export function encodeLcus(channel: number, on: boolean, channels = LCUS_MAX_CHANNELS): Buffer {
  if (!Number.isInteger(channel) || channel < 1 || channel > channels) {
    throw new LcusError('bad_channel', `channel ${channel} is outside 1..${channels}`);
  }
  const op = on ? 1 : 0;
  return Buffer.from([LCUS_HEADER, channel, op, lcusChecksum(channel, op)]);
}

export function decodeLcus(frame: Uint8Array, channels = LCUS_MAX_CHANNELS): LcusDecodeResult {
  const bytes = Buffer.from(frame);
  const fail = (code: LcusErrorCode, detail: string): LcusDecodeResult => ({
    ok: false,
    error: { code, detail: `${detail} (${hex(bytes)})`, bytes },
  });
  if (bytes.length !== LCUS_FRAME_LENGTH) return fail('bad_length', `frame is ${bytes.length} bytes, not 4`);
  const [header, channel, op, sum] = bytes as unknown as [number, number, number, number];
  if (header !== LCUS_HEADER) return fail('bad_header', `header 0x${header.toString(16)} is not 0xa0`);
  const expected = lcusChecksum(channel, op);
  if (sum !== expected) return fail('bad_checksum', `checksum 0x${sum.toString(16)}, expected 0x${expected.toString(16)}`);
  if (channel < 1 || channel > channels) return fail('bad_channel', `channel ${channel} is outside 1..${channels}`);
  if (op !== 0 && op !== 1) return fail('bad_op', `op ${op} is neither 0 (off) nor 1 (on)`);
  return { ok: true, value: { channel, on: op === 1 } };
}

/** LCUS frames on the shared streaming-parser skeleton, as the board's firmware reads them. */
class LcusProtocol implements StreamProtocol<LcusDecodeResult> {
  readonly maxFrame = LCUS_FRAME_LENGTH;
  constructor(readonly channels: number) {}

  next(buf: Buffer): Step<LcusDecodeResult> {
    if (buf[0] !== LCUS_HEADER) {
      const at = buf.indexOf(LCUS_HEADER);
      return { noise: at < 0 ? buf.length : at };
    }
    if (buf.length < LCUS_FRAME_LENGTH) return { need: true };
    return { frame: LCUS_FRAME_LENGTH, out: decodeLcus(buf.subarray(0, LCUS_FRAME_LENGTH), this.channels) };
  }

  overlong(buf: Buffer): LcusDecodeResult {
    return decodeLcus(buf, this.channels);
  }

  noise(bytes: Buffer): LcusDecodeResult {
    return { ok: false, error: { code: 'bad_header', detail: `${bytes.length} bytes without an 0xa0 header (${hex(bytes)})`, bytes } };
  }

  partial(bytes: Buffer): LcusDecodeResult {
    return decodeLcus(bytes, this.channels);
  }
}

/**
 * Splits a byte stream into LCUS frames the way the board's firmware must: bytes before a header are
 * noise (reported once per run as bad_header), then four bytes make a frame, valid or not.
 */
export class LcusFrameReader {
  readonly #parser: StreamParser<LcusDecodeResult>;

  constructor(readonly channels = LCUS_MAX_CHANNELS) {
    this.#parser = new StreamParser(new LcusProtocol(channels));
  }

  push(chunk: Uint8Array): LcusDecodeResult[] {
    return this.#parser.push(chunk);
  }

  /** Bytes of a frame still waiting for its tail. */
  get pending(): number {
    return this.#parser.pending;
  }

  /** Report and drop a partial frame (e.g. after an idle gap). */
  flush(): LcusDecodeResult[] {
    return this.#parser.flush('idle');
  }
}
