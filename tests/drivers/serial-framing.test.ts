import { describe, expect, it } from 'vitest';
import {
  SerialFramer,
  classifyFrame,
  triggerCommand,
  HONEYWELL_TRIGGER,
  GM65_TRIGGER,
  type FrameEvent,
  type FramerOptions,
} from '../../drivers/scanners/serial-framing';
import { hex, prng, randomBytes, toHex } from './helpers';

const frames = (input: string, options?: FramerOptions) => new SerialFramer(options).push(hex(input));
const summary = (events: FrameEvent[]) => events.map((e) => (e.kind === 'scan' ? `scan:${e.code}` : `${e.code}:${toHex(e.bytes)}`));

describe('serial scanner framing', () => {
  it('splits CR, LF and CRLF terminated scans in "any" mode', () => {
    expect(summary(frames('54 2d 30 30 31 0d'))).toEqual(['scan:T-001']);
    expect(summary(frames('41 42 0a'))).toEqual(['scan:AB']);
    // CRLF is one terminator, not a scan and an empty frame.
    expect(summary(frames('41 0d 0a 42 0d 0a'))).toEqual(['scan:A', 'scan:B']);
  });

  it('reassembles a scan delivered one byte at a time, CRLF split across chunks', () => {
    const f = new SerialFramer();
    const out: FrameEvent[] = [];
    for (const b of hex('31 32 33 34 0d 0a 35 0d')) out.push(...f.push(Uint8Array.of(b)));
    expect(summary(out)).toEqual(['scan:1234', 'scan:5']);
  });

  it('ignores stray terminators', () => {
    expect(frames('0d 0a 0d 0a 0a 0d')).toEqual([]);
  });

  it('decodes UTF-8 codes', () => {
    expect(summary(frames('d0 91 d0 b8 d0 bb d0 b5 d1 82 2d 34 32 0d'))).toEqual(['scan:Билет-42']);
    expect(summary(frames('e7 a5 a8 20 e2 9c 93 0d'))).toEqual(['scan:票 ✓']);
  });

  it('CR mode: an LF is part of the next frame, so a CRLF scanner shows up as garbled', () => {
    expect(summary(frames('41 0d 0a 42 0d', { terminator: 'CR' }))).toEqual(['scan:A', 'garbled:0a 42']);
  });

  it('LF mode accepts LF only', () => {
    expect(summary(frames('41 0a', { terminator: 'LF' }))).toEqual(['scan:A']);
    expect(summary(frames('41 0d 0a', { terminator: 'LF' }))).toEqual(['garbled:41 0d']);
  });

  it('CRLF mode: a bare CR inside the frame is garbled, CRLF ends it', () => {
    expect(summary(frames('41 0d 42 0d 0a', { terminator: 'CRLF' }))).toEqual(['garbled:41 0d 42']);
    expect(summary(frames('41 42 0d 0a', { terminator: 'CRLF' }))).toEqual(['scan:AB']);
  });

  it('rejects control bytes and invalid UTF-8 as garbled', () => {
    const garbage = frames('00 ff fe 1b 0d');
    expect(garbage).toHaveLength(1);
    expect(garbage[0]).toMatchObject({ kind: 'error', code: 'garbled' });
    expect(garbage[0]!.kind === 'error' && garbage[0]!.detail).toMatch(/invalid UTF-8/);

    const esc = frames('41 1b 42 0d');
    expect(esc[0]).toMatchObject({ kind: 'error', code: 'garbled' });
    expect(esc[0]!.kind === 'error' && esc[0]!.detail).toMatch(/U\+001B at 1/);

    expect(summary(frames('c3 28 0d'))).toEqual(['garbled:c3 28']); // truncated 2-byte sequence
    expect(summary(frames('ed a0 80 0d'))).toEqual(['garbled:ed a0 80']); // UTF-16 surrogate
    expect(summary(frames('c2 85 0d'))).toEqual(['garbled:c2 85']); // U+0085, a C1 control
    expect(summary(frames('41 7f 0d'))).toEqual(['garbled:41 7f']); // DEL
  });

  it('reports an overlong frame once, drops its tail, and recovers at the next terminator', () => {
    const f = new SerialFramer({ maxLength: 8 });
    const out = f.push(Buffer.concat([Buffer.from('123456789012'), hex('0d'), Buffer.from('OK\r')]));
    expect(out.map((e) => (e.kind === 'scan' ? e.code : e.code))).toEqual(['too_long', 'OK']);
    expect(out[0]!.bytes.length).toBe(9);
    // Exactly maxLength is fine.
    expect(summary(new SerialFramer({ maxLength: 8 }).push(Buffer.from('12345678\r')))).toEqual(['scan:12345678']);
  });

  it('reports an idle partial frame as incomplete and does not glue it to the next scan', () => {
    const f = new SerialFramer({ idleTimeoutMs: 300 });
    expect(f.push(hex('41 42'), 1000)).toEqual([]);
    expect(f.flushIdle(1200)).toEqual([]); // not idle long enough
    expect(summary(f.flushIdle(1300))).toEqual(['incomplete:41 42']);
    expect(summary(f.push(hex('43 0d'), 1400))).toEqual(['scan:C']);
    expect(f.flushIdle(5000)).toEqual([]);
  });

  it('CRLF mode: a CR whose LF never comes is incomplete', () => {
    const f = new SerialFramer({ terminator: 'CRLF', idleTimeoutMs: 10 });
    f.push(hex('41 0d'), 0);
    expect(summary(f.flushIdle(20))).toEqual(['incomplete:41 0d']);
  });

  it('reset() reports a frame cut off by the line dropping', () => {
    const f = new SerialFramer();
    f.push(hex('41'));
    expect(summary(f.reset())).toEqual(['incomplete:41']);
    expect(f.pending).toBe(0);
  });

  it('never throws on random bytes, and every scan it yields is clean text', () => {
    const rand = prng(0x5eed);
    for (const terminator of ['CR', 'LF', 'CRLF', 'any'] as const) {
      const f = new SerialFramer({ terminator, maxLength: 64 });
      for (let i = 0; i < 2000; i++) {
        const events = f.push(randomBytes(rand, 1 + Math.floor(rand() * 40)), i);
        for (const e of events) {
          if (e.kind === 'scan') {
            expect(e.code.length).toBeGreaterThan(0);
            expect(/\p{Cc}/u.test(e.code)).toBe(false);
            expect(e.bytes.length).toBeLessThanOrEqual(64);
          } else {
            expect(['garbled', 'too_long', 'incomplete']).toContain(e.code);
          }
        }
        f.flushIdle(i + 1000);
      }
    }
  });

  it('classifies a payload on its own', () => {
    expect(classifyFrame(Buffer.from('T-1'))).toMatchObject({ kind: 'scan', code: 'T-1' });
    expect(classifyFrame(hex('ff'))).toMatchObject({ kind: 'error', code: 'garbled' });
  });

  it('has the software trigger bytes', () => {
    expect(toHex(HONEYWELL_TRIGGER)).toBe('16 54 0d');
    expect(toHex(triggerCommand())).toBe('16 54 0d');
    expect(toHex(triggerCommand('gm65'))).toBe('7e 00 08 01 00 02 01 ab cd');
    expect(GM65_TRIGGER.length).toBe(9);
  });
});
