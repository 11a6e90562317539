// TSPL labels: command-line fixtures and escaping, the parser against malformed input, the shared
// label model's checks, and the driver over TCP (net on 127.0.0.1) to the TSPL simulator, whose PNG
// must carry a QR that decodes to what was sent. Status flags come back through PrinterStatus.
import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as tspl from '../../drivers/printers/tspl';
import { TsplSimulator } from '../../drivers/printers/tspl-simulator';
import { createTsplPrinter, type TsplPrinter } from '../../drivers/printers/tspl-printer';
import { createTcpTransport } from '../../drivers/printers/tcp-link';
import { layoutDocument, validateLabel, type LabelDocument } from '../../drivers/printers/label';
import { Bitmap } from '../../drivers/printers/raster';
import { decodeQrFromPng } from '../../drivers/testing/qr-decode';
import { artifactsDir, hex, prng, randomBytes } from './helpers';

const parseAll = (bytes: Uint8Array) => {
  const p = new tspl.TsplParser();
  return [...p.push(bytes), ...p.end()];
};

const logo = (() => {
  const b = new Bitmap(64, 16);
  b.fillRect(0, 0, 64, 2);
  b.fillRect(0, 14, 64, 2);
  b.drawText('ADMIT', 2, 3, 12, 12);
  return { type: 'image' as const, x: 16, y: 200, width: 64, height: 16, bits: b.pack('black').data };
})();

const badgeLabel = (code: string): LabelDocument => ({
  widthMm: 50,
  heightMm: 30,
  gapMm: 2,
  items: [
    { type: 'text', x: 16, y: 16, text: 'VIP "Backstage"', height: 24, bold: true },
    { type: 'text', x: 16, y: 48, text: 'Gate B, row 7', height: 24 },
    { type: 'qr', x: 280, y: 16, data: code, moduleSize: 4, errorCorrection: 'M' },
    logo,
  ],
});

describe('TSPL bytes', () => {
  it('writes CRLF command lines with the documented syntax', () => {
    const bytes = tspl.renderLabel({ widthMm: 50, heightMm: 30, items: [{ type: 'text', x: 10, y: 20, text: 'Hi' }, { type: 'qr', x: 100, y: 20, data: 'T-1' }] });
    expect(bytes.toString('latin1')).toBe(
      ['SIZE 50 mm,30 mm', 'GAP 2 mm,0 mm', 'CODEPAGE UTF-8', 'CLS', 'TEXT 10,20,"3",0,1,1,"Hi"', 'QRCODE 100,20,M,6,A,0,"T-1"', 'PRINT 1,1', ''].join('\r\n'),
    );
  });

  it('escapes quotes and line breaks', () => {
    expect(tspl.quoteText('say "hi"\r\nnow')).toBe('"say \\["]hi\\["] now"');
    expect(tspl.quoteQr('a"b\r\nc')).toBe('"a\\["]b\\[R]\\[L]c"');
    expect(tspl.unquote('a\\["]b\\[R]\\[L]c')).toBe('a"b\r\nc');
    expect(tspl.splitArgs('1,2,"a,\\["],b",3')).toEqual(['1', '2', '"a,\\["],b"', '3']);
  });

  it('writes BITMAP data inverted (1 = white) followed by CRLF', () => {
    const bytes = tspl.renderLabel({ widthMm: 20, heightMm: 10, items: [{ type: 'image', x: 0, y: 0, width: 8, height: 2, bits: Uint8Array.from([0xf0, 0x0f]) }] });
    const i = bytes.indexOf('BITMAP 0,0,1,2,0,');
    expect(bytes.subarray(i + 17, i + 21)).toEqual(hex('0f f0 0d 0a'));
    const cmd = parseAll(bytes).find((c) => c.op === 'bitmap');
    expect(cmd?.op === 'bitmap' && [...cmd.data]).toEqual([0x0f, 0xf0]);
  });

  it('decodes the status byte', () => {
    expect(tspl.decodeStatus(0)).toEqual({ online: true, coverOpen: false, paperOut: false, paperNearEnd: false, error: false });
    expect(tspl.decodeStatus(0x01)).toMatchObject({ coverOpen: true, online: false });
    expect(tspl.decodeStatus(0x02)).toMatchObject({ error: true });
    expect(tspl.decodeStatus(0x04)).toMatchObject({ paperOut: true });
    expect(tspl.decodeStatus(0x08)).toMatchObject({ error: true });
    expect(tspl.decodeStatus(0x10)).toMatchObject({ online: false, error: false });
    expect(tspl.refusal(0x02, 'p')?.code).toBe('jam');
    expect(tspl.refusal(0x08, 'p')?.code).toBe('ribbon_out');
    expect(tspl.refusal(0x20, 'p')).toBeNull(); // printing is not a reason to refuse
  });

  it('parses what it writes, quotes and UTF-8 intact', () => {
    const cmds = parseAll(tspl.renderLabel(badgeLabel('Билет-7 "x"')));
    expect(cmds.filter((c) => c.op === 'unknown')).toEqual([]);
    const text = cmds.find((c) => c.op === 'text');
    expect(text?.op === 'text' && text.text).toBe('VIP "Backstage"');
    const qr = cmds.find((c) => c.op === 'qrcode');
    expect(qr?.op === 'qrcode' && qr.data.toString('utf8')).toBe('Билет-7 "x"');
  });

  it('records garbage, bad parameters, oversize and truncated commands as unknown', () => {
    const cmds = parseAll(
      Buffer.concat([
        Buffer.from('FROB 1,2\r\n'),
        Buffer.from('TEXT 10,10,"3",0,99,1,"big"\r\n'),
        Buffer.from('QRCODE 1,1,Z,6,A,0,"x"\r\n'),
        Buffer.from('BITMAP 0,0,99999,99999,0,'),
        Buffer.from('SIZE banana\r\n'),
        hex('1b 00'),
        Buffer.from('BITMAP 0,0,2,2,0,\x01'),
      ]),
    );
    expect(cmds.filter((c) => c.op === 'unknown').map((c) => (c.op === 'unknown' ? c.reason : ''))).toEqual([
      'unknown command FROB',
      'TEXT: multiplier 99,1 outside 1..10',
      'QRCODE: error correction Z',
      'implausible BITMAP header 0,0,99999,99999,0',
      'SIZE: bad size banana',
      'unknown ESC 0',
      expect.stringMatching(/truncated/),
    ]);
  });

  it('never throws on random bytes', () => {
    const rand = prng(11);
    for (let i = 0; i < 200; i++) expect(() => parseAll(randomBytes(rand, 1 + Math.floor(rand() * 300)))).not.toThrow();
  });
});

describe('label model checks', () => {
  it('rejects labels a printer cannot print with bad_document', () => {
    const base = badgeLabel('T');
    expect(() => validateLabel({ ...base, widthMm: -1 })).toThrowError(expect.objectContaining({ code: 'bad_document' }));
    expect(() => validateLabel({ ...base, items: [{ type: 'qr', x: 1, y: 1, data: '' }] })).toThrow(/empty/);
    expect(() => validateLabel({ ...base, items: [{ type: 'qr', x: 1, y: 1, data: 'x'.repeat(3000) }] })).toThrow(/max 2953/);
    expect(() => validateLabel({ ...base, items: [{ type: 'text', x: 9999, y: 1, text: 'off' }] })).toThrow(/not a dot position/);
    expect(() => validateLabel({ ...base, items: [{ type: 'image', x: 0, y: 0, width: 16, height: 2, bits: new Uint8Array(3) }] })).toThrow(/expected 4/);
    expect(() => validateLabel({ ...base, copies: 0 })).toThrow(/copies/);
  });

  it('flows a PrintDocument into one label per cut, and refuses what does not fit', () => {
    const pages = layoutDocument(
      { blocks: [{ type: 'text', text: 'A', align: 'center' }, { type: 'qr', data: 'Q1', moduleSize: 4 }, { type: 'cut' }, { type: 'text', text: 'B' }, { type: 'cut' }] },
      { width: 400, height: 400 },
    );
    expect(pages.map((p) => p.map((i) => i.type))).toEqual([['text', 'qr'], ['text']]);
    expect(() => layoutDocument({ blocks: [{ type: 'qr', data: 'x'.repeat(500), moduleSize: 8 }] }, { width: 400, height: 240 })).toThrowError(
      expect.objectContaining({ code: 'bad_document' }),
    );
  });
});

describe('TSPL printer over TCP', () => {
  let sim: TsplSimulator;
  let printer: TsplPrinter;

  beforeEach(async () => {
    sim = await new TsplSimulator({ outDir: artifactsDir('label-tspl'), filePrefix: 'tspl-label-' }).listen(0);
    printer = createTsplPrinter({ transport: createTcpTransport({ host: '127.0.0.1', port: sim.port, timeoutMs: 800 }), stock: { widthMm: 60, heightMm: 80 } });
  });
  afterEach(async () => {
    await printer.close();
    await sim.close();
  });

  it('prints a label whose QR decodes from the 203 dpi PNG', async () => {
    const code = 'TSPL-T-000123 Ж "q"';
    await printer.printLabel(badgeLabel(code));
    const job = await sim.waitForJob(0);
    expect(job.errors).toEqual([]);
    expect([job.widthDots, job.heightDots]).toEqual([400, 240]);
    expect(job.text).toBe('VIP "Backstage"\nVIP "Backstage"\nGate B, row 7');
    expect(job.qrData).toEqual([code]);
    expect(await decodeQrFromPng(job.png)).toEqual([code]);
    expect(job.pngPath).toMatch(/tspl-label-.*\.png$/);
  });

  it('prints the core PrintDocument as labels of the loaded stock', async () => {
    await printer.print({ blocks: [{ type: 'text', text: 'Day pass', align: 'center' }, { type: 'qr', data: 'T-DOC-1', moduleSize: 5 }, { type: 'cut' }] });
    const job = await sim.waitForJob(0);
    expect(job.errors).toEqual([]);
    expect(await decodeQrFromPng(job.png)).toEqual(['T-DOC-1']);
  });

  it('reports head open, jam, paper out and ribbon out through status and refuses to print', async () => {
    expect(await printer.status()).toMatchObject({ online: true });
    for (const [flag, code, status] of [
      [{ headOpen: true }, 'cover_open', { coverOpen: true }],
      [{ jam: true }, 'jam', { error: true }],
      [{ paperOut: true }, 'paper_out', { paperOut: true }],
      [{ ribbonOut: true }, 'ribbon_out', { error: true }],
      [{ paused: true }, 'offline', { online: false }],
    ] as const) {
      sim.set({ headOpen: false, jam: false, paperOut: false, ribbonOut: false, paused: false, ...flag });
      expect(await printer.status()).toMatchObject(status);
      await expect(printer.printLabel(badgeLabel('T'))).rejects.toMatchObject({ code });
    }
    expect(sim.jobs).toHaveLength(0);
  });

  it('refuses a bad label before sending anything, and times out on a silent printer', async () => {
    await expect(printer.printLabel({ widthMm: 50, heightMm: 30, items: [{ type: 'qr', x: 0, y: 0, data: '' }] })).rejects.toMatchObject({ code: 'bad_document' });
    sim.setMute(true);
    await expect(printer.status()).rejects.toMatchObject({ code: 'timeout' });
  });

  it('records malformed input from a raw client as job errors and keeps serving', async () => {
    await new Promise<void>((resolve, reject) => {
      const s = net.connect({ host: '127.0.0.1', port: sim.port }, () => s.end(Buffer.from('CLS\r\nTEXT 1,1,"9",0,1,1,"x"\r\nJUNK\r\nPRINT 1,1\r\nBITMAP 0,0,4,4,0,\x00\x00')));
      s.on('close', () => resolve());
      s.on('error', reject);
    });
    const job = await sim.waitForJob(0);
    expect(job.errors.map((e) => e.reason)).toEqual(['TEXT: font 9 is not resident', 'unknown command JUNK']);
    const tail = await sim.waitForJob(1);
    expect(tail.errors[0]!.reason).toMatch(/truncated/);
    await printer.printLabel(badgeLabel('AFTER'));
    expect(await decodeQrFromPng((await sim.waitForJob(2)).png)).toEqual(['AFTER']);
  });
});
