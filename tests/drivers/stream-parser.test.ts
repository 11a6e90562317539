// The streaming-parser skeleton on a toy protocol — frames are `<` + up to 4 letters + `>` — so each
// of its duties shows on its own: frames split across chunks, a run of noise reported once, an
// overlong frame reported and its tail dropped up to the next frame start, a long silence ending
// that, and a partial frame reported when the stream stops.
import { describe, expect, it } from 'vitest';
import { StreamParser, type StreamProtocol } from '../../drivers/stream-parser';

const LT = 0x3c;
const GT = 0x3e;
const toy: StreamProtocol<string> = {
  maxFrame: 6,
  next(buf) {
    if (buf[0] !== LT) {
      const at = buf.indexOf(LT);
      return { noise: at < 0 ? buf.length : at };
    }
    if (buf[1] === 0x21) return { discard: 2, out: 'bang' }; // "<!": a header that makes no sense
    const end = buf.indexOf(GT);
    return end < 0 ? { need: true } : { frame: end + 1, out: `frame:${buf.subarray(1, end).toString('latin1')}` };
  },
  overlong: (buf) => `overlong:${buf.length}`,
  resync(buf) {
    const at = buf.indexOf(LT);
    return at < 0 ? { drop: buf.length, resumed: false } : { drop: at, resumed: true };
  },
  noise: (bytes) => `noise:${bytes.toString('latin1')}`,
  partial: (bytes, reason) => `partial:${bytes.toString('latin1')}:${reason}`,
};
const parser = () => new StreamParser(toy, { resyncIdleMs: 1000 });
const b = (s: string) => Buffer.from(s, 'latin1');

describe('StreamParser', () => {
  it('reassembles frames split across chunks, one byte at a time too', () => {
    const p = parser();
    const out = [...b('<ab><c')].flatMap((x) => p.push(Uint8Array.of(x)));
    expect(out).toEqual(['frame:ab']);
    expect(p.pending).toBe(2);
    expect(p.push(b('d>'))).toEqual(['frame:cd']);
    expect(p.pending).toBe(0);
  });

  it('reports a run of noise once, before the frame after it, and at the end of a chunk', () => {
    const p = parser();
    expect(p.push(b('xy<a>zz'))).toEqual(['noise:xy', 'frame:a', 'noise:zz']);
  });

  it('reports an overlong frame and drops its tail up to the next frame start', () => {
    const p = parser();
    expect(p.push(b('<abcdefg'))).toEqual(['overlong:8']);
    expect(p.resyncing).toBe(true);
    expect(p.push(b('hij>'))).toEqual([]);
    expect(p.push(b('x<ok>'))).toEqual(['frame:ok']);
    expect(p.resyncing).toBe(false);
  });

  it('resynchronises after a discard step without calling the dropped bytes noise', () => {
    expect(parser().push(b('<!junk<ok>'))).toEqual(['bang', 'frame:ok']);
  });

  it('ends a resync after a long silence, not after a short one', () => {
    const p = parser();
    p.push(b('<abcdefg'), 0);
    expect(p.push(b('tail>'), 500)).toEqual([]); // still the overlong frame's tail
    p.push(b('<abcdefg'), 600);
    expect(p.push(b('ab>'), 2000)).toEqual(['noise:ab>']); // quiet for 1.4 s: read afresh
  });

  it('flush() reports a partial frame and ends a resync unless told to keep it', () => {
    const p = parser();
    p.push(b('<ab'));
    expect(p.flush('stopped')).toEqual(['partial:<ab:stopped']);
    p.push(b('<abcdefg'));
    expect(p.flush('idle', { keepResync: true })).toEqual([]);
    expect(p.resyncing).toBe(true);
    expect(p.flush('closed')).toEqual([]);
    expect(p.resyncing).toBe(false);
    p.push(b('<ab'));
    p.clear();
    expect(p.pending).toBe(0);
    expect(p.flush('again')).toEqual([]);
  });
});
