// Star line mode: hex fixtures for the command bytes and the ASB status, the streaming parser against
// malformed input, and the driver over a real serial binding (socat PTY) to the Star simulator,
// whose printed QR must decode to what was sent.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as star from '../../drivers/printers/star';
import { StarSimulator } from '../../drivers/printers/star-simulator';
import { createStarPrinter, type StarPrinter } from '../../drivers/printers/star-printer';
import { createSerialTransport } from '../../drivers/printers/transports/serial';
import { createTcpTransport } from '../../drivers/printers/tcp-link';
import { createPtyPair, type PtyPair } from '../../drivers/testing/pty';
import { decodeQrFromPng } from '../../drivers/testing/qr-decode';
import { artifactsDir, hex, prng, randomBytes, toHex } from './helpers';

const parseAll = (bytes: Uint8Array) => {
  const p = new star.StarParser();
  return [...p.push(bytes), ...p.end()];
};

describe('Star line mode bytes', () => {
  it('has the documented commands', () => {
    expect(toHex(star.align('center'))).toBe('1b 1d 61 01');
    expect(toHex(star.align('right'))).toBe('1b 1d 61 02');
    expect(toHex(star.cut())).toBe('1b 64 02');
    expect(toHex(star.cut(true))).toBe('1b 64 03');
    expect(toHex(star.qrModel(2))).toBe('1b 1d 79 53 30 02');
    expect(toHex(star.qrErrorCorrection('M'))).toBe('1b 1d 79 53 31 01');
    expect(toHex(star.qrCellSize(6))).toBe('1b 1d 79 53 32 06');
    expect(toHex(star.qrPrint())).toBe('1b 1d 79 50');
    expect(toHex(star.statusRequest())).toBe('1b 06 01');
    expect(toHex(star.expansion(1, 1))).toBe('1b 69 01 01');
  });

  it('counts QR store length in bytes', () => {
    expect(toHex(star.qrStore('AB'))).toBe('1b 1d 79 44 31 00 02 00 41 42');
    const s = star.qrStore('Билет');
    expect(toHex(s.subarray(0, 8))).toBe('1b 1d 79 44 31 00 0a 00');
    expect(toHex(star.qrStore('x'.repeat(300)).subarray(6, 8))).toBe('2c 01');
  });

  it('refuses empty, oversized and out-of-range arguments with bad_document', () => {
    expect(() => star.qrStore('')).toThrowError(expect.objectContaining({ code: 'bad_document' }));
    expect(() => star.qrStore('x'.repeat(star.STAR_QR_MAX_BYTES + 1))).toThrowError(expect.objectContaining({ code: 'bad_document' }));
    expect(() => star.qrCellSize(9)).toThrowError(expect.objectContaining({ code: 'bad_document' }));
    expect(() => star.renderDocument({ blocks: [{ type: 'qr', data: 'T', moduleSize: 12 }] })).toThrowError(/cell size 12/);
  });

  it('picks a code page that holds the text', () => {
    expect(star.encodeText('Hello')?.page).toBe(1);
    expect(star.encodeText('Café')?.page).toBe(32);
    const ru = star.encodeText('Билет');
    expect(ru?.page).toBe(34);
    expect(toHex(ru!.bytes)).toBe('c1 e8 eb e5 f2');
    // No Star code page holds Chinese: the driver draws such a line as a raster image instead.
    expect(star.encodeText('张三丰')).toBeNull();
  });

  it('encodes and decodes the ASB status', () => {
    expect(toHex(star.encodeAsb({ paper: 'ok', coverOpen: false, error: false }))).toBe('23 04 00 00 00 00 00 00 00');
    expect(star.decodeAsb(hex('23 04 00 00 00 00 00 00 00'))).toEqual({ online: true, coverOpen: false, paperOut: false, paperNearEnd: false, error: false });
    expect(star.decodeAsb(hex('23 04 28 00 00 00 00 00 00'))).toMatchObject({ online: false, coverOpen: true });
    expect(star.decodeAsb(hex('23 04 08 00 00 0c 00 00 00'))).toMatchObject({ paperOut: true, paperNearEnd: false, online: false });
    expect(star.decodeAsb(hex('23 04 00 00 00 04 00 00 00'))).toMatchObject({ paperNearEnd: true });
    expect(star.decodeAsb(hex('23 04 08 08 00 00 00 00 00'))).toMatchObject({ error: true });
    expect(star.asbLength(0x23)).toBe(9);
    expect(star.asbLength(0x2f)).toBe(15);
  });

  it('rejects malformed ASB replies with bad_reply', () => {
    expect(() => star.decodeAsb(hex('12 00'))).toThrowError(expect.objectContaining({ code: 'bad_reply' }));
    expect(() => star.decodeAsb(hex('23 04 00'))).toThrowError(expect.objectContaining({ code: 'bad_reply' }));
    expect(() => star.decodeAsb(hex('23 04 01 00 00 00 00 00 00'))).toThrowError(/fixed bits/);
    expect(() => star.asbFrame(hex('ff'))).toThrow(/not an ASB header/);
  });

  it('parses what it renders, with the QR payload intact', () => {
    const bytes = star.renderDocument({ blocks: [{ type: 'text', text: 'Hi', align: 'center' }, { type: 'qr', data: 'Q-1' }, { type: 'cut' }] });
    const cmds = parseAll(bytes);
    expect(cmds.filter((c) => c.op === 'unknown')).toEqual([]);
    expect(cmds.map((c) => c.op)).toEqual(['init', 'code_page', 'align', 'bold', 'expansion', 'text', 'lf', 'align', 'qr_model', 'qr_ec', 'qr_cell', 'qr_store', 'qr_print', 'cut']);
    const store = cmds.find((c) => c.op === 'qr_store');
    expect(store?.op === 'qr_store' && store.data.toString()).toBe('Q-1');
  });

  it('records garbage, bad parameters, oversize lengths and truncation as unknown commands', () => {
    const cmds = parseAll(Buffer.concat([hex('00 1b fe'), hex('1b 1d 79 53 32 0c'), hex('1b 1d 79 44 31 00 ff ff'), hex('1b 69 09 00'), hex('1b 1d 79 44 31 00 10 00 41 42')]));
    expect(cmds.filter((c) => c.op === 'unknown').map((c) => (c.op === 'unknown' ? c.reason : ''))).toEqual([
      'stray control byte 0x00',
      'unknown ESC fe',
      'QR cell size 12 outside 1..8',
      'implausible QR data length 65535',
      'expansion 9,0 outside 0..5',
      expect.stringMatching(/truncated/),
    ]);
  });

  it('never throws on random bytes and accounts for every byte', () => {
    const rand = prng(7);
    for (let i = 0; i < 200; i++) {
      const input = randomBytes(rand, 1 + Math.floor(rand() * 200));
      const cmds = parseAll(input);
      expect(Buffer.concat(cmds.map((c) => c.raw))).toEqual(input);
    }
  });
});

describe('Star printer over a serial line', () => {
  let pty: PtyPair;
  let sim: StarSimulator;
  let printer: StarPrinter;

  beforeEach(async () => {
    pty = await createPtyPair();
    sim = await new StarSimulator({ outDir: artifactsDir('star') }).attachSerial(pty.devicePath, 38400);
    printer = createStarPrinter({ transport: createSerialTransport({ path: pty.hostPath, baudRate: 38400, timeoutMs: 1000 }) });
  });
  afterEach(async () => {
    await printer.close();
    await sim.close();
    await pty.close();
  });

  it('prints a ticket whose QR decodes from the PNG', async () => {
    const code = 'STAR-T-000042 Ж';
    await printer.print({
      blocks: [
        { type: 'text', text: 'ADMIT ONE', align: 'center', bold: true, size: 2 },
        { type: 'text', text: 'Билет на фестиваль', align: 'center' },
        { type: 'qr', data: code, moduleSize: 6 },
        { type: 'text', text: code, align: 'center' },
        { type: 'cut' },
      ],
    });
    const job = await sim.waitForJob(0);
    expect(job.errors).toEqual([]);
    expect(job.text.split('\n')).toEqual(['ADMIT ONE', 'Билет на фестиваль', code]);
    expect(job.qrData).toEqual([code]);
    expect(await decodeQrFromPng(job.png)).toEqual([code]);
  });

  it('reports paper out, cover open and cutter error through status and refuses to print', async () => {
    sim.setPaper('near_end');
    expect(await printer.status()).toMatchObject({ paperNearEnd: true, online: true });
    sim.setPaper('out');
    expect(await printer.status()).toMatchObject({ paperOut: true, online: false });
    await expect(printer.print({ blocks: [{ type: 'text', text: 'x' }] })).rejects.toMatchObject({ code: 'paper_out' });
    sim.setPaper('ok');
    sim.setCover(true);
    await expect(printer.print({ blocks: [{ type: 'text', text: 'x' }] })).rejects.toMatchObject({ code: 'cover_open' });
    sim.setCover(false);
    sim.setError(true);
    await expect(printer.print({ blocks: [{ type: 'text', text: 'x' }] })).rejects.toMatchObject({ code: 'printer_error' });
    expect(sim.jobs).toHaveLength(0);
  });

  it('refuses a bad document before touching the line', async () => {
    await expect(printer.print({ blocks: [{ type: 'qr', data: '' }] })).rejects.toMatchObject({ code: 'bad_document' });
  });
});

describe('Star simulator robustness (TCP)', () => {
  it('records garbled bytes as job errors and keeps serving; a silent printer is a timeout', async () => {
    const sim = await new StarSimulator({ outDir: artifactsDir('star'), filePrefix: 'star-garbage-' }).listen(0);
    const t = createTcpTransport({ host: '127.0.0.1', port: sim.port, timeoutMs: 500 });
    await t.write(Buffer.concat([hex('1b fe 07'), Buffer.from('Hello\n'), hex('1b 1d 79 53 31 09'), star.cut()]));
    const job = await sim.waitForJob(0);
    expect(job.text).toBe('Hello');
    expect(job.errors.map((e) => e.reason)).toEqual(['unknown ESC fe', 'stray control byte 0x07', 'QR error correction 9']);
    const p = createStarPrinter({ transport: t });
    await p.print({ blocks: [{ type: 'qr', data: 'AFTER-GARBAGE' }] });
    expect(await decodeQrFromPng((await sim.waitForJob(1)).png)).toEqual(['AFTER-GARBAGE']);
    sim.setMute(true);
    await expect(p.status()).rejects.toMatchObject({ code: 'timeout' });
    await p.close();
    await sim.close();
  });
});
