// Owns the bytes of USB HID relay boards. dcttech ("USBRelayN", 16C0:05DF, V-USB firmware): 9-byte
// feature reports, report id 0 first: `00 FF n` channel n on, `00 FD n` off, `00 FE` all on, `00 FC`
// all off; reading feature report 0 returns the 5-character board id and the relay states as bits
// (bit 0 = channel 1). With the report id in byte 0 (node-hid's convention) the id is bytes 1–5 and
// the states byte 8; some OS/clone combinations leave the id byte out, shifting both down by one.
// CH551G clones speak another dialect: output reports `00 F0+n` on, `00 0n` off, no all-on/off and
// no state read-back. Pure: no I/O.
import { hex } from '../bytes';

export const DCTTECH_VENDOR_ID = 0x16c0;
export const DCTTECH_PRODUCT_ID = 0x05df;
export const DCTTECH_PRODUCT_PREFIX = 'USBRelay';
/** Report id + 8 data bytes. */
export const DCTTECH_REPORT_LENGTH = 9;
export const DCTTECH_MAX_CHANNELS = 8;

export const DCTTECH_OP = { on: 0xff, off: 0xfd, allOn: 0xfe, allOff: 0xfc } as const;
export const CH551G_ON_BASE = 0xf0;

export type HidRelayVariant = 'dcttech' | 'ch551g';
/** Which HID request carries a command. */
export type HidRelayTransfer = 'feature' | 'output';
/** Where the board id and state byte sit in a state report: after a report-id byte, or not. */
export type HidRelayStateLayout = 'auto' | 'prefixed' | 'unprefixed';

export type HidRelayCommand = { op: 'set'; channel: number; on: boolean } | { op: 'all'; on: boolean };

export type HidRelayErrorCode = 'bad_length' | 'bad_report_id' | 'bad_command' | 'bad_channel' | 'bad_state';
export interface HidRelayRejection {
  code: HidRelayErrorCode;
  detail: string;
  bytes: Buffer;
}
export type HidRelayDecoded<T> = { ok: true; value: T } | { ok: false; error: HidRelayRejection };

export interface HidRelayState {
  /** The board's 5-character id, e.g. "QAAMZ". */
  id: string;
  /** states[0] is channel 1. */
  states: boolean[];
}

export class HidRelayError extends Error {
  constructor(
    readonly code: HidRelayErrorCode,
    readonly detail: string,
  ) {
    super(`${code}: ${detail}`);
    this.name = 'HidRelayError';
  }
}


/** Channels from a product string: "USBRelay4" → 4; null when it is not a dcttech name. */
export function channelsFromProduct(product: string | undefined): number | null {
  const m = /^USBRelay(\d)$/.exec(product ?? '');
  const n = m ? Number(m[1]) : NaN;
  return n >= 1 && n <= DCTTECH_MAX_CHANNELS ? n : null;
}

/** Default transfer of a variant. */
export const variantTransfer = (variant: HidRelayVariant): HidRelayTransfer => (variant === 'ch551g' ? 'output' : 'feature');

function checkChannel(channel: number, channels: number): void {
  if (!Number.isInteger(channel) || channel < 1 || channel > channels) {
    throw new HidRelayError('bad_channel', `channel ${channel} is outside 1..${channels}`);
  }
}

/**
 * The report(s) that carry a command, report id 0 in byte 0. dcttech reports are padded to 9 bytes.
 * CH551G has no all-channels command: it becomes one report per channel.
 */
export function encodeHidRelay(cmd: HidRelayCommand, variant: HidRelayVariant, channels = DCTTECH_MAX_CHANNELS): Buffer[] {
  if (variant === 'ch551g') {
    if (cmd.op === 'all') {
      const out: Buffer[] = [];
      for (let ch = 1; ch <= channels; ch++) out.push(...encodeHidRelay({ op: 'set', channel: ch, on: cmd.on }, variant, channels));
      return out;
    }
    checkChannel(cmd.channel, Math.min(channels, 15));
    return [Buffer.from([0x00, cmd.on ? CH551G_ON_BASE + cmd.channel : cmd.channel])];
  }
  const r = Buffer.alloc(DCTTECH_REPORT_LENGTH);
  if (cmd.op === 'all') {
    r[1] = cmd.on ? DCTTECH_OP.allOn : DCTTECH_OP.allOff;
    return [r];
  }
  checkChannel(cmd.channel, channels);
  r[1] = cmd.on ? DCTTECH_OP.on : DCTTECH_OP.off;
  r[2] = cmd.channel;
  return [r];
}

/** What a board's firmware makes of a report it was sent (the simulator's side). */
export function decodeHidRelay(report: Uint8Array, variant: HidRelayVariant, channels = DCTTECH_MAX_CHANNELS): HidRelayDecoded<HidRelayCommand> {
  const bytes = Buffer.from(report);
  const fail = (code: HidRelayErrorCode, detail: string): HidRelayDecoded<HidRelayCommand> => ({
    ok: false,
    error: { code, detail: `${detail} (${hex(bytes)})`, bytes },
  });
  if (bytes.length < 2) return fail('bad_length', `report of ${bytes.length} bytes`);
  if (bytes[0] !== 0) return fail('bad_report_id', `report id ${bytes[0]}, expected 0`);
  const op = bytes[1]!;
  if (variant === 'ch551g') {
    const on = op >= CH551G_ON_BASE;
    const channel = on ? op - CH551G_ON_BASE : op;
    if (channel < 1 || channel > channels) return fail(op > 0x0f && !on ? 'bad_command' : 'bad_channel', `command 0x${op.toString(16)}`);
    return { ok: true, value: { op: 'set', channel, on } };
  }
  if (bytes.length !== DCTTECH_REPORT_LENGTH) return fail('bad_length', `feature report of ${bytes.length} bytes, not ${DCTTECH_REPORT_LENGTH}`);
  if (op === DCTTECH_OP.allOn || op === DCTTECH_OP.allOff) return { ok: true, value: { op: 'all', on: op === DCTTECH_OP.allOn } };
  if (op !== DCTTECH_OP.on && op !== DCTTECH_OP.off) return fail('bad_command', `command 0x${op.toString(16)}`);
  const channel = bytes[2]!;
  if (channel < 1 || channel > channels) return fail('bad_channel', `channel ${channel} is outside 1..${channels}`);
  return { ok: true, value: { op: 'set', channel, on: op === DCTTECH_OP.on } };
}

/** Feature report 0 as a board answers it, report id first (node-hid layout). */
export function encodeHidRelayState(state: HidRelayState, layout: Exclude<HidRelayStateLayout, 'auto'> = 'prefixed'): Buffer {
  const body = Buffer.alloc(8);
  body.write(state.id.padEnd(5, '\0').slice(0, 5), 0, 'latin1');
  body[7] = state.states.reduce((acc, on, i) => (on ? acc | (1 << i) : acc), 0);
  return layout === 'prefixed' ? Buffer.concat([Buffer.from([0]), body]) : body;
}

const printable = (b: Uint8Array) => b.length > 0 && [...b].every((c) => c >= 0x21 && c <= 0x7e);

/** Decode feature report 0: board id and the first `channels` relay states. */
export function decodeHidRelayState(report: Uint8Array, channels: number, layout: HidRelayStateLayout = 'auto'): HidRelayDecoded<HidRelayState> {
  const bytes = Buffer.from(report);
  const fail = (code: HidRelayErrorCode, detail: string): HidRelayDecoded<HidRelayState> => ({
    ok: false,
    error: { code, detail: `${detail} (${hex(bytes)})`, bytes },
  });
  let offset: 0 | 1;
  if (layout === 'prefixed') offset = 1;
  else if (layout === 'unprefixed') offset = 0;
  // node-hid puts the report id (0) first; a board id is ASCII, so a 0 there means "prefixed" even
  // for a board whose id was never set.
  else if (bytes.length >= 9 && bytes[0] === 0) offset = 1;
  else if (bytes.length >= 8 && printable(bytes.subarray(0, 5))) offset = 0;
  else return fail('bad_state', 'no 5-character board id at either offset');
  if (bytes.length < offset + 8) return fail('bad_length', `state report of ${bytes.length} bytes`);
  const idBytes = bytes.subarray(offset, offset + 5);
  // An explicit layout trusts the offsets even for a board whose id was never set (zeros).
  const id = printable(idBytes) ? idBytes.toString('latin1') : idBytes.toString('hex');
  const bits = bytes[offset + 7]!;
  // Bits above the board's channel count are undefined on real boards: ignore them.
  const states: boolean[] = [];
  for (let i = 0; i < channels; i++) states.push(((bits >> i) & 1) === 1);
  return { ok: true, value: { id, states } };
}
