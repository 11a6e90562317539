import { describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import { ThermalPrinter, PrinterTypes } from 'node-thermal-printer';
import * as escpos from '../../drivers/printers/escpos';
import { EscPosParser, type EscPosCommand } from '../../drivers/printers/escpos-parser';
import { JobRenderer, PAPER_WIDTH_DOTS } from '../../drivers/printers/escpos-render';
import { decodeCodePage } from '../../drivers/printers/codepages';
import { hex, prng, randomBytes, toHex } from './helpers';

const parseAll = (bytes: Uint8Array) => {
  const p = new EscPosParser();
  return [...p.push(bytes), ...p.end()];
};
const ops = (cmds: EscPosCommand[]) => cmds.map((c) => c.op);

describe('ESC/POS commands', () => {
  it('has the basic commands', () => {
    expect(toHex(escpos.init())).toBe('1b 40');
    expect(toHex(escpos.align('center'))).toBe('1b 61 01');
    expect(toHex(escpos.bold(true))).toBe('1b 45 01');
    expect(toHex(escpos.textSize(2, 2))).toBe('1d 21 11');
    expect(toHex(escpos.textSize(1, 3))).toBe('1d 21 02');
    expect(toHex(escpos.codePage(17))).toBe('1b 74 11');
    expect(toHex(escpos.feedLines(3))).toBe('1b 64 03');
    expect(toHex(escpos.cut())).toBe('1d 56 00');
    expect(toHex(escpos.cut(true))).toBe('1d 56 01');
    expect(toHex(escpos.feedAndCut(40))).toBe('1d 56 41 28');
  });

  it('has the QR setup commands from the spec', () => {
    expect(toHex(escpos.qrModel2())).toBe('1d 28 6b 04 00 31 41 32 00');
    expect(toHex(escpos.qrModuleSize(6))).toBe('1d 28 6b 03 00 31 43 06');
    expect(toHex(escpos.qrErrorCorrection('L'))).toBe('1d 28 6b 03 00 31 45 30');
    expect(toHex(escpos.qrErrorCorrection('H'))).toBe('1d 28 6b 03 00 31 45 33');
    expect(toHex(escpos.qrPrint())).toBe('1d 28 6b 03 00 31 51 30');
  });

  it('sizes QR store data in bytes + 3', () => {
    expect(toHex(escpos.qrStore('ABC'))).toBe('1d 28 6b 06 00 31 50 30 41 42 43');
    // 10 + 1 + 3 + 1 + 3 = 18 UTF-8 bytes (8 characters): pL = 21.
    const nonAscii = escpos.qrStore('Билет 票 ✓');
    expect(toHex(nonAscii.subarray(0, 8))).toBe('1d 28 6b 15 00 31 50 30');
    expect(nonAscii.subarray(8).toString('utf8')).toBe('Билет 票 ✓');
    // pH carries lengths over 252 bytes.
    expect(toHex(escpos.qrStore('x'.repeat(300)).subarray(3, 5))).toBe('2f 01');
  });

  it('refuses empty and oversized QR data', () => {
    expect(() => escpos.qrStore('')).toThrow(/empty/);
    expect(() => escpos.qrStore('x'.repeat(escpos.QR_MAX_BYTES + 1))).toThrowError(expect.objectContaining({ code: 'qr_too_long' }));
    expect(() => escpos.qrModuleSize(0)).toThrowError(expect.objectContaining({ code: 'bad_argument' }));
  });

  it("shows why node-thermal-printer's printQR is not used: it counts characters", () => {
    const data = 'Билет 票 ✓';
    const lib = new ThermalPrinter({ type: PrinterTypes.EPSON, interface: 'tcp://127.0.0.1:9' });
    lib.printQR(data);
    const stored = parseAll(lib.getBuffer()).find((c) => c.op === 'qr_store');
    expect(stored?.op === 'qr_store' && stored.data.toString('utf8')).not.toBe(data);
    const ours = parseAll(escpos.qrCode(data)).find((c) => c.op === 'qr_store');
    expect(ours?.op === 'qr_store' && ours.data.toString('utf8')).toBe(data);
  });

  it('builds a raster image command', () => {
    expect(toHex(escpos.rasterImage(1, 2, hex('80 01')))).toBe('1d 76 30 00 01 00 02 00 80 01');
    expect(() => escpos.rasterImage(2, 2, hex('00'))).toThrow(/expected 4/);
  });
});

describe('DLE EOT status', () => {
  it('has the requests', () => {
    expect(toHex(escpos.statusRequest(1))).toBe('10 04 01');
    expect(toHex(escpos.statusRequest(2))).toBe('10 04 02');
    expect(toHex(escpos.statusRequest(4))).toBe('10 04 04');
  });

  it.each([
    [{ 1: 0x12, 2: 0x12, 4: 0x12 }, { online: true, coverOpen: false, paperOut: false, paperNearEnd: false, error: false }],
    [{ 1: 0x12, 2: 0x12, 4: 0x1e }, { online: true, coverOpen: false, paperOut: false, paperNearEnd: true, error: false }],
    [{ 1: 0x1a, 2: 0x32, 4: 0x7e }, { online: false, coverOpen: false, paperOut: true, paperNearEnd: false, error: false }],
    [{ 1: 0x1a, 2: 0x12, 4: 0x72 }, { online: false, coverOpen: false, paperOut: true, paperNearEnd: false, error: false }],
    [{ 1: 0x1a, 2: 0x16, 4: 0x12 }, { online: false, coverOpen: true, paperOut: false, paperNearEnd: false, error: false }],
    [{ 1: 0x1a, 2: 0x52, 4: 0x12 }, { online: false, coverOpen: false, paperOut: false, paperNearEnd: false, error: true }],
  ])('decodes %o', (replies, status) => {
    expect(escpos.decodeStatus(replies)).toEqual(status);
  });

  it('rejects a reply without the fixed bits (not a DLE EOT answer)', () => {
    expect(() => escpos.decodeStatus({ 1: 0x12, 2: 0x00, 4: 0x12 })).toThrowError(expect.objectContaining({ code: 'bad_status_reply' }));
    expect(() => escpos.decodeStatus({ 1: 0x93, 2: 0x12, 4: 0x12 })).toThrow(/DLE EOT 1/);
  });

  it('device-side replies decode back to the state they encode', () => {
    for (const paper of ['ok', 'near_end', 'out'] as const) {
      for (const coverOpen of [false, true]) {
        for (const error of [false, true]) {
          const state = { paper, coverOpen, error };
          const s = escpos.decodeStatus({ 1: escpos.encodeStatusReply(1, state), 2: escpos.encodeStatusReply(2, state), 4: escpos.encodeStatusReply(4, state) });
          expect(s).toEqual({
            online: !coverOpen && paper !== 'out' && !error,
            coverOpen,
            paperOut: paper === 'out',
            paperNearEnd: paper === 'near_end',
            error,
          });
        }
      }
    }
    expect(escpos.encodePaperSensorReply({ paper: 'out', coverOpen: false, error: false })).toBe(0x0f);
  });
});

describe('ESC/POS stream parser', () => {
  const ticket = Buffer.concat([
    escpos.init(),
    escpos.align('center'),
    escpos.bold(true),
    Buffer.from('Hi\n'),
    escpos.qrCode('T-1', { moduleSize: 4 }),
    escpos.statusRequest(2),
    escpos.rasterImage(1, 1, hex('ff')),
    escpos.feedLines(2),
    escpos.cut(),
  ]);
  const expected = ['init', 'align', 'bold', 'text', 'lf', 'qr_model', 'qr_size', 'qr_ec', 'qr_store', 'qr_print', 'status_request', 'raster', 'feed_lines', 'cut'];

  it('parses a ticket', () => {
    const cmds = parseAll(ticket);
    expect(ops(cmds)).toEqual(expected);
    expect(Buffer.concat(cmds.map((c) => c.raw))).toEqual(ticket);
    const store = cmds.find((c) => c.op === 'qr_store');
    expect(store?.op === 'qr_store' && store.data.toString()).toBe('T-1');
  });

  it('gives the same commands when fed one byte at a time', () => {
    const p = new EscPosParser();
    const cmds: EscPosCommand[] = [];
    for (const b of ticket) cmds.push(...p.push(Uint8Array.of(b)));
    // Text arrives as two single-byte runs; everything else is identical.
    expect(ops(cmds).filter((o) => o !== 'text')).toEqual(expected.filter((o) => o !== 'text'));
    expect(Buffer.concat(cmds.map((c) => c.raw))).toEqual(ticket);
  });

  it('reports unknown commands and stray control bytes without losing sync', () => {
    const cmds = parseAll(hex('1b ff 07 1d 99 41 0a 1d 56 00'));
    expect(cmds.map((c) => (c.op === 'unknown' ? `unknown:${c.reason}` : c.op))).toEqual([
      'unknown:unknown ESC ff',
      'unknown:stray control byte 0x07',
      'unknown:unknown GS 99',
      'text',
      'lf',
      'cut',
    ]);
  });

  it('reports a command truncated by the end of the stream', () => {
    const cmds = parseAll(hex('1d 28 6b 20 00 31 50 30 41'));
    expect(cmds).toHaveLength(1);
    expect(cmds[0]).toMatchObject({ op: 'unknown' });
    expect(cmds[0]!.op === 'unknown' && cmds[0]!.reason).toMatch(/truncated/);
  });

  it('refuses an implausible raster header instead of waiting for megabytes', () => {
    const cmds = parseAll(hex('1d 76 30 00 ff ff ff ff 41 0a'));
    expect(ops(cmds)).toEqual(['unknown', 'text', 'lf']);
  });

  it('never throws on random bytes and accounts for every byte', () => {
    const rand = prng(7);
    for (let i = 0; i < 300; i++) {
      const input = randomBytes(rand, 1 + Math.floor(rand() * 200));
      const p = new EscPosParser();
      const cmds: EscPosCommand[] = [];
      for (let at = 0; at < input.length; at += 17) cmds.push(...p.push(input.subarray(at, at + 17)));
      cmds.push(...p.end());
      expect(Buffer.concat(cmds.map((c) => c.raw))).toEqual(input);
      // And the renderer survives whatever came out.
      const r = new JobRenderer();
      for (const c of cmds) r.apply(c);
      expect(r.finish().png.length).toBeGreaterThan(0);
    }
  });
});

describe('ESC/POS job rendering', () => {
  const render = (bytes: Buffer) => {
    const r = new JobRenderer();
    for (const c of parseAll(bytes)) r.apply(c);
    return r.finish();
  };
  const pixels = (png: Buffer) => PNG.sync.read(png);
  const black = (img: PNG, x: number, y: number) => img.data[(y * img.width + x) * 4] === 0;

  it('decodes text lines under the selected code page', () => {
    const job = render(Buffer.concat([Buffer.from('Hello\n'), escpos.codePage(17), hex('81 a8 ab a5 e2 0a'), escpos.codePage(0), hex('c9 bc 0a')]));
    expect(job.text).toBe('Hello\nБилет\n╔╝');
    expect(decodeCodePage(hex('41 80'), 16)).toBe('A€');
  });

  it('draws a 576-dot wide page with a raster image as sent', () => {
    // 16x2 dots: row 0 = left 8 black, row 1 = right 8 black.
    const job = render(Buffer.concat([escpos.rasterImage(2, 2, hex('ff 00 00 ff'))]));
    const img = pixels(job.png);
    expect(img.width).toBe(PAPER_WIDTH_DOTS);
    const y0 = 8; // top margin of the simulated paper
    expect(black(img, 0, y0)).toBe(true);
    expect(black(img, 7, y0)).toBe(true);
    expect(black(img, 8, y0)).toBe(false);
    expect(black(img, 8, y0 + 1)).toBe(true);
    expect(black(img, 0, y0 + 1)).toBe(false);
  });

  it('records the stored QR payload and errors for a print without data', () => {
    const job = render(Buffer.concat([escpos.qrPrint(), escpos.qrCode('ABC')]));
    expect(job.qrData).toEqual(['ABC']);
    expect(job.errors.map((e) => e.reason)).toEqual(['QR print without stored data']);
  });

  it('centres text', () => {
    const left = pixels(render(Buffer.from('I\n')).png);
    const centred = pixels(render(Buffer.concat([escpos.align('center'), Buffer.from('I\n')])).png);
    const firstBlackX = (img: PNG) => {
      for (let x = 0; x < img.width; x++) for (let y = 0; y < img.height; y++) if (black(img, x, y)) return x;
      return -1;
    };
    expect(firstBlackX(left)).toBeLessThan(12);
    expect(Math.abs(firstBlackX(centred) - PAPER_WIDTH_DOTS / 2)).toBeLessThan(12);
  });
});
