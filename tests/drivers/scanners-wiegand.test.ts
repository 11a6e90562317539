// Wiegand 26/34: bit-level fixtures, the converter's line format, and the reader driver against the
// converter simulator through the real serialport binding on a socat PTY pair.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  decodeWiegandBits,
  encodeWiegand26,
  encodeWiegand34,
  formatWiegandLine,
  parseWiegandLine,
  type Bit,
} from '../../drivers/scanners/wiegand';
import { openWiegandReader, type WiegandReader, type WiegandReaderError, type WiegandScanEvent } from '../../drivers/scanners/wiegand-reader';
import { startWiegandSimulator, type WiegandSimulator } from '../../drivers/scanners/wiegand-simulator';
import { createPtyPair, type PtyPair } from '../../drivers/testing/pty';
import { prng, sleep, waitFor } from './helpers';

const bits = (s: string) => [...s.replace(/\s+/g, '')].map((c) => (c === '1' ? 1 : 0)) as Bit[];
const flip = (b: Bit[], i: number) => b.map((x, j) => (j === i ? ((1 - x) as Bit) : x));

describe('Wiegand frames', () => {
  it('Wiegand 26: even parity over bits 1–13, 8-bit facility, 16-bit number, odd parity over bits 14–26', () => {
    // Facility 123 = 01111011, number 45678 = 1011001001101110.
    // Bits 2–13 = 011110111011 (9 ones) → bit 1 = 1; bits 14–25 = 001001101110 (6 ones) → bit 26 = 1.
    const frame = '1 01111011 1011001001101110 1';
    expect(encodeWiegand26(123, 45678).join('')).toBe(frame.replace(/ /g, ''));
    expect(decodeWiegandBits(bits(frame))).toEqual({
      ok: true,
      value: { format: 'W26', facility: 123, number: 45678, cardNumber: 123 * 65536 + 45678, code: '0008106606', bits: frame.replace(/ /g, '') },
    });
    // Facility 1, number 1: bit 1 = 1 (one 1 in bits 2–13), bit 26 = 0 (bits 14–25 already odd).
    expect(encodeWiegand26(1, 1).join('')).toBe('10000000100000000000000010');
    expect(encodeWiegand26(0, 0).join('')).toBe('00000000000000000000000001');
  });

  it('Wiegand 34: parity + 32 bits + parity', () => {
    const b = encodeWiegand34(0x12345678);
    expect(b).toHaveLength(34);
    // Bits 2–17 = 0x1234 (5 ones) → bit 1 = 1; bits 18–33 = 0x5678 (8 ones) → bit 34 = 1.
    expect(b.join('')).toBe('1' + '0001001000110100' + '0101011001111000' + '1');
    const r = decodeWiegandBits(b);
    expect(r).toMatchObject({ ok: true, value: { format: 'W34', facility: 0x1234, number: 0x5678, cardNumber: 0x12345678, code: '0305419896' } });
    expect(decodeWiegandBits(encodeWiegand34(0xffffffff))).toMatchObject({ ok: true, value: { cardNumber: 0xffffffff } });
  });

  it('a flipped bit anywhere fails parity', () => {
    const good = encodeWiegand26(200, 12345);
    for (let i = 0; i < 26; i++) expect(decodeWiegandBits(flip(good, i))).toMatchObject({ ok: false, code: 'parity' });
    const g34 = encodeWiegand34(987654321);
    for (const i of [0, 1, 16, 17, 32, 33]) expect(decodeWiegandBits(flip(g34, i))).toMatchObject({ ok: false, code: 'parity' });
  });

  it('other bit counts are bad_length', () => {
    expect(decodeWiegandBits(bits('1'.repeat(37)))).toMatchObject({ ok: false, code: 'bad_length' });
    expect(decodeWiegandBits(bits('10'))).toMatchObject({ ok: false, code: 'bad_length' });
  });

  it('converter lines: W<bits>:<hex of the raw frame, parity included>', () => {
    expect(formatWiegandLine(encodeWiegand26(1, 1))).toBe('W26:2020002');
    expect(formatWiegandLine(encodeWiegand26(123, 45678))).toBe('W26:2F764DD');
    expect(formatWiegandLine(encodeWiegand34(0x12345678))).toBe('W34:22468ACF1');
    expect(parseWiegandLine('W26:2020002')).toMatchObject({ ok: true, value: { facility: 1, number: 1 } });
    expect(parseWiegandLine('w26:2f764dd')).toMatchObject({ ok: false, code: 'garbled' }); // the W is upper-case
    expect(parseWiegandLine('W26:2f764dd')).toMatchObject({ ok: true, value: { facility: 123, number: 45678 } });
  });

  it.each([
    ['W26:2020003', 'parity'], // odd-parity bit flipped
    ['W34:22468ACF0', 'parity'],
    ['W26:202000', 'bad_length'], // 6 hex digits for 26 bits
    ['W26:F020002', 'bad_length'], // bits above bit 26
    ['W37:0000000000', 'bad_length'], // unsupported format
    ['W34:2020002', 'bad_length'],
    ['hello', 'garbled'],
    ['W26 2020002', 'garbled'],
    ['', 'garbled'],
  ])('rejects %j as %s', (line, code) => {
    const r = parseWiegandLine(line);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.code).toBe(code);
      expect(r.detail.length).toBeGreaterThan(5);
    }
  });

  it('round-trips random cards and never accepts a random line by accident', () => {
    const rand = prng(26);
    for (let i = 0; i < 500; i++) {
      const f = Math.floor(rand() * 256);
      const n = Math.floor(rand() * 65536);
      expect(parseWiegandLine(formatWiegandLine(encodeWiegand26(f, n)))).toMatchObject({ ok: true, value: { facility: f, number: n } });
      const c = Math.floor(rand() * 2 ** 32);
      expect(parseWiegandLine(formatWiegandLine(encodeWiegand34(c)))).toMatchObject({ ok: true, value: { cardNumber: c } });
    }
    expect(() => encodeWiegand26(256, 0)).toThrow(RangeError);
    expect(() => encodeWiegand26(0, 65536)).toThrow(RangeError);
    expect(() => encodeWiegand34(2 ** 32)).toThrow(RangeError);
  });
});

describe('Wiegand reader over a PTY', () => {
  let pair: PtyPair;
  let sim: WiegandSimulator;
  let reader: WiegandReader;
  let scans: WiegandScanEvent[];
  let errors: WiegandReaderError[];

  beforeEach(async () => {
    pair = await createPtyPair();
    sim = await startWiegandSimulator(pair.devicePath);
    scans = [];
    errors = [];
    reader = openWiegandReader({ path: pair.hostPath, idleTimeoutMs: 150 });
    reader.on('scan', (s) => scans.push(s));
    reader.on('error', (e) => errors.push(e));
    await waitFor(() => reader.status === 'connected', 5000, 'reader connected');
  });

  afterEach(async () => {
    await reader.close();
    await sim.close().catch(() => undefined);
    await pair.close();
  });

  it('decodes Wiegand 26 and 34 cards', async () => {
    await sim.present({ format: 'W26', facility: 123, number: 45678 });
    await sim.present({ format: 'W34', cardNumber: 0x12345678 });
    await waitFor(() => scans.length === 2, 3000, 'two cards');
    expect(scans.map((s) => [s.card.format, s.card.facility, s.card.number, s.code])).toEqual([
      ['W26', 123, 45678, '0008106606'],
      ['W34', 0x1234, 0x5678, '0305419896'],
    ]);
    expect(scans[0]!.at).toBeInstanceOf(Date);
    expect(errors).toEqual([]);
  });

  it('reports malformed frames as coded errors and keeps reading', async () => {
    const good = encodeWiegand26(7, 4242);
    const cases: Array<{ send: () => Promise<void>; code: WiegandReaderError['code'] }> = [
      { send: () => sim.sendBits(flip(good, 25)), code: 'parity' }, // bad parity
      { send: () => sim.sendBits(flip(encodeWiegand34(99), 0)), code: 'parity' },
      { send: () => sim.sendLine('W26:20200'), code: 'bad_length' }, // truncated frame
      { send: () => sim.sendLine('W35:000000000'), code: 'bad_length' }, // wrong bit count
      { send: () => sim.sendRaw([0x00, 0xff, 0x13, 0x0d]), code: 'garbled' }, // garbage bytes
      { send: () => sim.sendLine('CARD 12345'), code: 'garbled' },
      { send: () => sim.sendLine('W26:' + '0'.repeat(40)), code: 'too_long' }, // overlong line
      { send: () => sim.sendRaw(Buffer.from('W26:202')), code: 'incomplete' }, // cut off, line goes idle
    ];
    for (const [i, c] of cases.entries()) {
      await c.send();
      await waitFor(() => errors.length === i + 1, 3000, `error for case ${i}`);
      expect(errors[i]!.code).toBe(c.code);
      await sim.present({ format: 'W26', facility: 7, number: 4242 + i });
      await waitFor(() => scans.length === i + 1, 3000, `good card ${i}`);
      expect(scans[i]!.card.number).toBe(4242 + i);
    }
    await sleep(200);
    expect(errors.map((e) => e.code)).toEqual(cases.map((c) => c.code));
  });
});
