// Boca FGL: command fixtures, QR tilde escaping, the status-byte state machine, the parser against
// malformed input, and the driver over a serial PTY (real serialport binding) and over TCP to the
// FGL simulator, whose ticket PNG must carry a QR that decodes to what was sent.
import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as fgl from '../../drivers/printers/fgl';
import { FglSimulator } from '../../drivers/printers/fgl-simulator';
import { createFglPrinter, type FglPrinter } from '../../drivers/printers/fgl-printer';
import { createSerialTransport } from '../../drivers/printers/transports/serial';
import { createTcpTransport } from '../../drivers/printers/tcp-link';
import { createPtyPair, type PtyPair } from '../../drivers/testing/pty';
import { decodeQrFromPng } from '../../drivers/testing/qr-decode';
import { artifactsDir, prng, randomBytes, waitFor } from './helpers';

const parseAll = (bytes: Uint8Array) => {
  const p = new fgl.FglParser();
  return [...p.push(bytes), ...p.end()];
};

const ticketDoc = (code: string) => ({
  blocks: [
    { type: 'text' as const, text: 'SUMMER FESTIVAL', bold: true, size: 2 as const },
    { type: 'text' as const, text: 'Day pass - Saturday' },
    { type: 'text' as const, text: 'EUR 30.00' },
    { type: 'qr' as const, data: code, moduleSize: 6 },
    { type: 'text' as const, text: code },
    { type: 'cut' as const },
  ],
});

describe('FGL bytes', () => {
  it('writes position, font, text, QR and print commands', () => {
    const bytes = fgl.renderTicket({ widthMm: 139.7, heightMm: 50.8, dpi: 200, items: [{ type: 'text', x: 20, y: 30, text: 'Hi <you>' }, { type: 'qr', x: 800, y: 20, data: 'T-1' }] });
    expect(bytes.toString('latin1')).toBe('<RC30,20><F3><HW1,1>Hi ?you?<RC20,800><QR6,1,0,0>{T-1}<p>');
  });

  it('tilde-escapes QR bytes that would end the field or open a command, and non-ASCII bytes', () => {
    expect(fgl.tildeEncode('a{b}c~d<e>')).toBe('a~123b~125c~126d~060e~062');
    expect(fgl.tildeEncode('Ж')).toBe('~208~150');
    expect(fgl.tildeDecode('a~123b~125~208~150~99x').toString('latin1')).toBe(Buffer.concat([Buffer.from('a{b}'), Buffer.from('Ж'), Buffer.from('~99x')]).toString('latin1'));
  });

  it('writes graphics as <G n> bands of vertical 8-dot columns, MSB on top', () => {
    // An 8x8 image with only the top-left dot and the bottom-right dot black.
    const bits = new Uint8Array(8);
    bits[0] = 0x80;
    bits[7] = 0x01;
    const bytes = fgl.renderTicket({ widthMm: 50, heightMm: 20, dpi: 200, items: [{ type: 'image', x: 4, y: 6, width: 8, height: 8, bits }] });
    expect(bytes.subarray(0, 15).toString('latin1')).toBe('<RC6,4><G8>\x80\x00\x00\x00'.slice(0, 15));
    const g = parseAll(bytes).find((c) => c.op === 'graphic');
    expect(g?.op === 'graphic' && [...g.columns]).toEqual([0x80, 0, 0, 0, 0, 0, 0, 0x01]);
  });

  it('folds status bytes into a printer state', () => {
    let s = fgl.initialState();
    s = fgl.applyStatusByte(s, fgl.STATUS.outOfPaper);
    expect(fgl.toPrinterStatus(s, false)).toEqual({ online: false, coverOpen: false, paperOut: true, paperNearEnd: false, error: false });
    s = fgl.applyStatusByte(s, fgl.STATUS.xon);
    expect(fgl.toPrinterStatus(s, true)).toMatchObject({ online: true, paperOut: false });
    s = fgl.applyStatusByte(s, fgl.STATUS.jam);
    expect(fgl.toPrinterStatus(s, false)).toMatchObject({ error: true, online: false });
    s = fgl.applyStatusByte(fgl.applyStatusByte(s, fgl.STATUS.xon), fgl.STATUS.lowPaper);
    expect(fgl.toPrinterStatus(s, true)).toMatchObject({ paperNearEnd: true, online: true });
    expect(fgl.applyStatusByte(s, fgl.STATUS.outOfPaperPath1).paperOut).toBe(true);
    expect(fgl.ticketResult(6, 'p')).toBeNull();
    expect(fgl.ticketResult(16, 'p')?.code).toBe('paper_out');
    expect(fgl.ticketResult(10, 'p')?.code).toBe('paper_out');
    expect(fgl.ticketResult(24, 'p')?.code).toBe('jam');
    expect(fgl.ticketEndFrame(Buffer.from([0x11, 0x0f, 0x06, 0x11]))).toBe(3);
  });

  it('parses what it writes', () => {
    const cmds = parseAll(fgl.renderTicket({ widthMm: 139.7, heightMm: 50.8, dpi: 200, items: [{ type: 'qr', x: 1, y: 1, data: 'Q{1}~Ж' }] }));
    expect(cmds.filter((c) => c.op === 'unknown')).toEqual([]);
    const q = cmds.find((c) => c.op === 'qr');
    expect(q?.op === 'qr' && q.data.toString('utf8')).toBe('Q{1}~Ж');
  });

  it('records garbage, bad parameters, oversize and truncated commands as unknown', () => {
    const cmds = parseAll(Buffer.concat([Buffer.from('\x01<XYZ><F99><QR40,1,0,0>{x}<G9999>'), Buffer.from('<' + 'A'.repeat(80) + '>'), Buffer.from('<RC1,2><QR6,1,0,0>{unterminated')]));
    expect(cmds.filter((c) => c.op === 'unknown').map((c) => (c.op === 'unknown' ? c.reason : ''))).toEqual([
      'stray control byte 0x01',
      '<XYZ>: unknown command',
      '<F99>: font 99 is not resident',
      '<QR40,1,0,0>: parameter out of range',
      '<G9999>: graphic of 9999 bytes',
      'command without closing >',
      expect.stringMatching(/truncated/),
    ]);
  });

  it('never throws on random bytes', () => {
    const rand = prng(17);
    for (let i = 0; i < 200; i++) expect(() => parseAll(randomBytes(rand, 1 + Math.floor(rand() * 300)))).not.toThrow();
  });
});

describe('FGL printer over a serial line', () => {
  let pty: PtyPair;
  let sim: FglSimulator;
  let printer: FglPrinter;

  beforeEach(async () => {
    pty = await createPtyPair();
    sim = await new FglSimulator({ outDir: artifactsDir('fgl') }).attachSerial(pty.devicePath, 19200);
    printer = createFglPrinter({ transport: createSerialTransport({ path: pty.hostPath, baudRate: 19200, timeoutMs: 500 }), ackTimeoutMs: 2000 });
  });
  afterEach(async () => {
    await printer.close();
    await sim.close();
    await pty.close();
  });

  it('prints a ticket (QR in the stub) whose QR decodes from the PNG, confirmed by the ticket ACK', async () => {
    const code = 'BOCA-T-000777 {x}~';
    await printer.print(ticketDoc(code));
    const job = await sim.waitForJob(0);
    expect(job.errors).toEqual([]);
    expect(job.cut).toBe(true);
    expect(job.text.split('\n')).toEqual(['SUMMER FESTIVAL', 'SUMMER FESTIVAL', 'Day pass - Saturday', 'EUR 30.00', code]);
    expect(job.qrData).toEqual([code]);
    expect(await decodeQrFromPng(job.png)).toEqual([code]);
  });

  it('learns paper out from the unsolicited byte, reports it while <S1> goes unanswered, and recovers on X-ON', async () => {
    expect(await printer.status()).toMatchObject({ online: true });
    const seen: boolean[] = [];
    printer.on('printer-status', (s) => seen.push(s.paperOut));
    sim.setPaper('out');
    await waitFor(() => sim.ready === false);
    expect(await printer.status()).toEqual({ online: false, coverOpen: false, paperOut: true, paperNearEnd: false, error: false });
    await expect(printer.print(ticketDoc('T-no-paper'))).rejects.toMatchObject({ code: 'paper_out' });
    sim.setPaper('low');
    expect(await printer.status()).toMatchObject({ online: true, paperOut: false, paperNearEnd: true });
    await printer.print(ticketDoc('T-refilled'));
    expect((await sim.waitForJob(0)).qrData).toEqual(['T-refilled']);
    expect(seen).toContain(true);
  });

  it('reports a jam through status and refuses to print', async () => {
    await printer.status();
    sim.setJam(true);
    expect(await printer.status()).toMatchObject({ error: true, online: false });
    await expect(printer.print(ticketDoc('T-jam'))).rejects.toMatchObject({ code: 'jam' });
    expect(sim.jobs).toHaveLength(0);
  });
});

describe('FGL over TCP', () => {
  it('answers garbage with illegal-data status, records it, and paper running out as a job starts is paper_out', async () => {
    const sim = await new FglSimulator({ outDir: artifactsDir('fgl'), filePrefix: 'fgl-tcp-' }).listen(0);
    const replies: number[] = [];
    await new Promise<void>((resolve, reject) => {
      const s = net.connect({ host: '127.0.0.1', port: sim.port }, () => s.write(Buffer.from('<BOGUS>text<p>')));
      s.on('data', (d) => {
        replies.push(...d);
        if (replies.includes(6)) s.end();
      });
      s.on('close', () => resolve());
      s.on('error', reject);
    });
    expect(replies).toEqual([fgl.STATUS.illegalData, fgl.STATUS.ack]);
    expect(sim.jobs[0]!.errors.map((e) => e.reason)).toEqual(['<BOGUS>: unknown command']);

    const printer = createFglPrinter({ transport: createTcpTransport({ host: '127.0.0.1', port: sim.port, timeoutMs: 500 }), ackTimeoutMs: 2000 });
    expect(await printer.status()).toMatchObject({ online: true });
    // Paper runs out as the job starts: the unsolicited 10 byte and the unanswered <S1> make it paper_out.
    const t = printer.print(ticketDoc('T-mid'));
    sim.setPaper('out');
    await expect(t).rejects.toMatchObject({ code: 'paper_out' });
    await expect(printer.print({ blocks: [{ type: 'qr', data: '' }] })).rejects.toMatchObject({ code: 'bad_document' });
    await printer.close();
    await sim.close();
  });
});
