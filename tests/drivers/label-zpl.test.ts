// ZPL labels: format fixtures, ^FH field escaping, ~HS parsing, the tokenizer against malformed input,
// and the driver over TCP (net on 127.0.0.1) to the ZPL simulator, whose PNG QR must decode to what
// was sent. Paper out / pause / head up / ribbon out come back through PrinterStatus.
import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as zpl from '../../drivers/printers/zpl';
import { ZplSimulator } from '../../drivers/printers/zpl-simulator';
import { createZplPrinter, type ZplPrinter } from '../../drivers/printers/zpl-printer';
import { createTcpTransport } from '../../drivers/printers/tcp-link';
import type { LabelDocument } from '../../drivers/printers/label';
import { decodeQrFromPng } from '../../drivers/testing/qr-decode';
import { artifactsDir, prng, randomBytes } from './helpers';

const label = (code: string): LabelDocument => ({
  widthMm: 60,
  heightMm: 40,
  items: [
    { type: 'text', x: 20, y: 20, text: 'Speaker ^~_ pass', height: 40 },
    { type: 'text', x: 20, y: 70, text: 'Hall A', height: 24 },
    { type: 'qr', x: 300, y: 20, data: code, moduleSize: 5 },
    { type: 'image', x: 20, y: 260, width: 200, height: 4, bits: new Uint8Array(25 * 4).fill(0xff) },
  ],
});

const sendRaw = (port: number, bytes: Buffer) =>
  new Promise<void>((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => s.end(bytes));
    s.on('close', () => resolve());
    s.on('error', reject);
  });

describe('ZPL bytes', () => {
  it('writes the documented format', () => {
    const s = zpl.renderLabel({ widthMm: 50, heightMm: 25, items: [{ type: 'text', x: 20, y: 20, text: 'Hi', height: 40 }, { type: 'qr', x: 20, y: 80, data: 'T-1' }] }).toString();
    expect(s.split('\n')).toEqual(['^XA', '^CI28', '^PW400', '^LL200', '^LH0,0', '^FO20,20^A0N,40,27^FH^FDHi^FS', '^FO20,80^BQN,2,6^FH^FDMA,T-1^FS', '^PQ1', '^XZ']);
  });

  it('escapes ^, ~ and _ in field data with ^FH hex and reads them back', () => {
    expect(zpl.escapeFieldData('a^b~c_d\ne')).toBe('a_5Eb_7Ec_5Fd_0Ae');
    expect(zpl.unescapeFieldData(Buffer.from('a_5Eb_7Ec_5Fd_zz')).toString()).toBe('a^b~c_d_zz');
    expect(zpl.unescapeFieldData(Buffer.from('Ж_5E', 'utf8')).toString('utf8')).toBe('Ж^');
  });

  it('parses a ~HS reply (paper out, pause, head up, ribbon out)', () => {
    const ok = zpl.encodeHostStatus({ paperOut: false, paused: false, headUp: false, ribbonOut: false });
    expect(ok.toString('latin1')).toBe('\x02030,0,0,0812,000,0,0,0,000,0,0,0\x03\r\n\x02001,0,0,0,0,0,0,0,00000000,1,000\x03\r\n\x021234,0\x03\r\n');
    expect(zpl.hostStatusFrame(ok)).toBe(ok.length);
    expect(zpl.hostStatusFrame(ok.subarray(0, 40))).toBeNull();
    expect(zpl.toPrinterStatus(zpl.parseHostStatus(ok))).toEqual({ online: true, coverOpen: false, paperOut: false, paperNearEnd: false, error: false });
    const h = zpl.parseHostStatus(Buffer.from('\x02030,1,1,0812,000,0,0,0,000,0,0,0\x03\r\n\x02001,0,1,1,0,0,0,0,00000000,1,000\x03\r\n\x021234,0\x03\r\n', 'latin1'));
    expect(h).toMatchObject({ paperOut: true, paused: true, headUp: true, ribbonOut: true, labelLengthDots: 812 });
    expect(zpl.toPrinterStatus(h)).toEqual({ online: false, coverOpen: true, paperOut: true, paperNearEnd: false, error: true });
  });

  it('rejects malformed ~HS replies with bad_reply', () => {
    expect(() => zpl.parseHostStatus(Buffer.from('\x02030,0\x03'))).toThrowError(expect.objectContaining({ code: 'bad_reply' }));
    expect(() => zpl.parseHostStatus(Buffer.from('\x02030,X,0,0812,000,0,0,0,000,0,0,0\x03\x02001,0,0,0,0,0,0,0,00000000,1,000\x03\x021234,0\x03'))).toThrow(/paper out flag/);
    expect(() => zpl.hostStatusFrame(Buffer.alloc(2000, 0x41))).toThrow(/no ~HS reply/);
  });

  it('tokenizes ^A with its font, field data up to the next caret, and flags noise and truncation', () => {
    const t = new zpl.ZplTokenizer();
    const items = [...t.push(Buffer.from('junk^XA^A0N,40,30^FDa,b^FS^')), ...t.end()];
    expect(items.map((i) => (i.op === 'token' ? `${i.token.prefix}${i.token.name}|${i.token.params}` : `!${i.reason}`))).toEqual([
      '!bytes outside any command',
      '^XA|',
      '^A0|N,40,30',
      '^FD|a,b',
      '^FS|',
      expect.stringMatching(/^!truncated command/),
    ]);
  });

  it('never throws on random bytes', () => {
    const rand = prng(13);
    for (let i = 0; i < 200; i++) {
      const t = new zpl.ZplTokenizer();
      expect(() => [...t.push(randomBytes(rand, 1 + Math.floor(rand() * 300))), ...t.end()]).not.toThrow();
    }
  });
});

describe('ZPL printer over TCP', () => {
  let sim: ZplSimulator;
  let printer: ZplPrinter;

  beforeEach(async () => {
    sim = await new ZplSimulator({ outDir: artifactsDir('label-zpl'), filePrefix: 'zpl-label-' }).listen(0);
    printer = createZplPrinter({ transport: createTcpTransport({ host: '127.0.0.1', port: sim.port, timeoutMs: 800 }) });
  });
  afterEach(async () => {
    await printer.close();
    await sim.close();
  });

  it('prints a label whose QR decodes from the PNG, with escaped field data intact', async () => {
    const code = 'ZPL^T~000_9 Ж';
    await printer.printLabel(label(code));
    const job = await sim.waitForJob(0);
    expect(job.errors).toEqual([]);
    expect([job.widthDots, job.heightDots]).toEqual([480, 320]);
    expect(job.text).toBe('Speaker ^~_ pass\nHall A');
    expect(job.qrData).toEqual([code]);
    expect(await decodeQrFromPng(job.png)).toEqual([code]);
  });

  it('prints the core PrintDocument as labels', async () => {
    await printer.print({ blocks: [{ type: 'text', text: 'Day pass', bold: true }, { type: 'qr', data: 'Z-DOC-1', moduleSize: 5 }] });
    const job = await sim.waitForJob(0);
    expect(job.errors).toEqual([]);
    expect(await decodeQrFromPng(job.png)).toEqual(['Z-DOC-1']);
  });

  it('reports paper out, pause, head up and ribbon out through status and refuses to print', async () => {
    for (const [flag, code, status] of [
      [{ paperOut: true }, 'paper_out', { paperOut: true, online: false }],
      [{ paused: true }, 'offline', { online: false, error: false }],
      [{ headUp: true }, 'cover_open', { coverOpen: true }],
      [{ ribbonOut: true }, 'ribbon_out', { error: true }],
    ] as const) {
      sim.set({ paperOut: false, paused: false, headUp: false, ribbonOut: false, ...flag });
      expect(await printer.status()).toMatchObject(status);
      await expect(printer.printLabel(label('T'))).rejects.toMatchObject({ code });
    }
    sim.set({ paperOut: false, paused: false, headUp: false, ribbonOut: false });
    expect(await printer.status()).toMatchObject({ online: true });
    expect(sim.jobs).toHaveLength(0);
  });

  it('records malformed formats as job errors and keeps serving', async () => {
    await sendRaw(sim.port, Buffer.from('^XA^FO10,10^ZZ^FDx^FS^BQN,2,99^FDXX^FS^GFA,4,4,2,ZZZZ^FS^XZ'));
    const job = await sim.waitForJob(0);
    expect(job.errors.map((e) => e.reason)).toEqual([
      'unknown command ^ZZ',
      'QR magnification 99 is outside 1..10',
      'QR field data must start with <level>A, (got "XX")',
      '^GF data has compression characters (not simulated) or is not hex',
    ]);
    await sendRaw(sim.port, Buffer.from('^XA^FO10,10^FDno end'));
    const truncated = await sim.waitForJob(1);
    expect(truncated.errors.map((e) => e.reason)).toContain('format not ended with ^XZ: a printer does not print it');
    await sendRaw(sim.port, Buffer.from('^GFA,99999999,99999999,1,00^FS'));
    expect((await sim.waitForJob(2)).errors[0]!.reason).toMatch(/outside/);
    await printer.printLabel(label('AFTER'));
    expect(await decodeQrFromPng((await sim.waitForJob(3)).png)).toEqual(['AFTER']);
  });

  it('times out on a silent printer', async () => {
    sim.setMute(true);
    await expect(printer.status()).rejects.toMatchObject({ code: 'timeout' });
  });
});
