import { describe, expect, it } from 'vitest';
import { decodeLcus, encodeLcus, LcusError, LcusFrameReader, lcusChecksum } from '../../drivers/relays/lcus';
import { hex, prng, randomBytes, toHex } from './helpers';

describe('LCUS relay frames', () => {
  it('encodes on/off frames with the checksum', () => {
    expect(toHex(encodeLcus(1, true))).toBe('a0 01 01 a2');
    expect(toHex(encodeLcus(1, false))).toBe('a0 01 00 a1');
    expect(toHex(encodeLcus(2, true))).toBe('a0 02 01 a3');
    expect(toHex(encodeLcus(8, false))).toBe('a0 08 00 a8');
    expect(lcusChecksum(0x7f, 1)).toBe(0x20); // wraps at 0xff
  });

  it('refuses channels the board does not have', () => {
    for (const [ch, n] of [[0, 8], [9, 8], [3, 2], [1.5, 8]] as const) {
      let err: unknown;
      try {
        encodeLcus(ch, true, n);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(LcusError);
      expect((err as LcusError).code).toBe('bad_channel');
    }
  });

  it('decodes valid frames', () => {
    expect(decodeLcus(hex('a0 01 01 a2'))).toEqual({ ok: true, value: { channel: 1, on: true } });
    expect(decodeLcus(hex('a0 04 00 a4'))).toEqual({ ok: true, value: { channel: 4, on: false } });
  });

  it.each([
    ['ff 01 01 a2', 'bad_header'],
    ['a0 01 01 a3', 'bad_checksum'],
    ['a0 09 01 aa', 'bad_channel'],
    ['a0 00 01 a1', 'bad_channel'],
    ['a0 01 02 a3', 'bad_op'],
    ['a0 01 01', 'bad_length'],
    ['a0 01 01 a2 00', 'bad_length'],
  ])('rejects %s as %s', (frame, code) => {
    const r = decodeLcus(hex(frame));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe(code);
      expect(toHex(r.error.bytes)).toBe(frame);
    }
  });

  it('respects a smaller board when decoding', () => {
    const r = decodeLcus(hex('a0 03 01 a4'), 2);
    expect(r.ok ? 'ok' : r.error.code).toBe('bad_channel');
  });

  it('reads frames from a chunked stream and reports noise between them', () => {
    const reader = new LcusFrameReader();
    const out = [...reader.push(hex('ff 00 a0 01')), ...reader.push(hex('01 a2 a0 01 00')), ...reader.push(hex('a1'))];
    expect(out.map((r) => (r.ok ? `${r.value.channel}:${r.value.on}` : r.error.code))).toEqual(['bad_header', '1:true', '1:false']);
    expect(out[0]!.ok === false && toHex(out[0]!.error.bytes)).toBe('ff 00');
  });

  it('flush() rejects a frame that never got its tail', () => {
    const reader = new LcusFrameReader();
    reader.push(hex('a0 01'));
    expect(reader.pending).toBe(2);
    const out = reader.flush();
    expect(out).toHaveLength(1);
    expect(out[0]!.ok === false && out[0]!.error.code).toBe('bad_length');
  });

  it('never throws on random bytes', () => {
    const rand = prng(42);
    const reader = new LcusFrameReader(4);
    let accepted = 0;
    for (let i = 0; i < 3000; i++) {
      for (const r of reader.push(randomBytes(rand, 1 + Math.floor(rand() * 10)))) {
        if (r.ok) {
          accepted++;
          expect(r.value.channel).toBeGreaterThanOrEqual(1);
          expect(r.value.channel).toBeLessThanOrEqual(4);
        }
      }
    }
    // Random noise almost never forms a valid frame.
    expect(accepted).toBeLessThan(10);
  });
});
