// Evolis raw commands: hex fixtures, the k panel's rotation, the device-side parser against malformed
// input, and the driver over TCP, a serial PTY and the simulated USB transport to the Evolis simulator,
// which reassembles the panel into a PNG whose QR must decode to the ticket code.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderBadge, type BadgeData } from '../../drivers/badges/badge';
import * as evolis from '../../drivers/badges/evolis';
import { EvolisSimulator } from '../../drivers/badges/evolis-simulator';
import { createEvolisPrinter, type EvolisPrinter } from '../../drivers/badges/evolis-printer';
import { Bitmap } from '../../drivers/printers/raster';
import { createTcpTransport } from '../../drivers/printers/tcp-link';
import { createSerialTransport } from '../../drivers/printers/transports/serial';
import { createUsbTransport } from '../../drivers/printers/transports/usb';
import { createPtyPair } from '../../drivers/testing/pty';
import { decodeQrFromPng } from '../../drivers/testing/qr-decode';
import { artifactsDir, hex, prng, randomBytes, toHex } from './helpers';

const parseAll = (bytes: Uint8Array) => {
  const p = new evolis.EvolisParser();
  return [...p.push(bytes), ...p.end()];
};
const attendee = (code: string): BadgeData => ({ attendeeName: 'Alan Turing', company: 'Bletchley Park', ticketType: 'Staff', ticketCode: code });

describe('Evolis bytes', () => {
  it('frames commands as ESC … CR', () => {
    expect(toHex(evolis.command('Pr;k'))).toBe('1b 50 72 3b 6b 0d');
    expect(toHex(evolis.command('Ss'))).toBe('1b 53 73 0d');
  });

  it('sends the documented black-card sequence with a 648 x 1016 1-bit panel', () => {
    const panel = Buffer.alloc(evolis.MONO_PANEL_BYTES);
    const cmds = evolis.monoJob(panel);
    expect(cmds.map((c) => c.subarray(1, c[1] === 0x44 ? 8 : c.length - 1).toString('latin1'))).toEqual(['Pem;2', 'Pr;k', 'Pmi;F;s', 'Pc;k;=;10', 'Ss', 'Sr', 'Db;k;2;', 'Se']);
    expect(evolis.MONO_PANEL_BYTES).toBe(82296);
    expect(cmds[6]!.length).toBe(8 + 82296 + 1);
    expect(cmds[6]!.at(-1)).toBe(0x0d);
    const withBack = evolis.monoJob(panel, panel).map((c) => c.subarray(1, 3).toString('latin1'));
    expect(withBack).toEqual(['Pe', 'Pr', 'Pm', 'Pc', 'Ss', 'Sr', 'Db', 'Sv', 'Pc', 'Db', 'Se']);
    expect(() => evolis.download('k', new Uint8Array(10))).toThrowError(expect.objectContaining({ code: 'bad_document' }));
    expect(() => evolis.monoJob(panel, undefined, { contrast: 99 })).toThrow(/contrast/);
  });

  it('turns the landscape card into the portrait panel and back', () => {
    const card = new Bitmap(1016, 648);
    card.set(0, 0); // top-left of the card
    card.set(1015, 647); // bottom-right
    card.set(10, 600);
    const panel = evolis.panelFromCard(card);
    // Card (x, y) is panel line x, dot 647 - y: (0,0) → line 0 dot 647; (1015,647) → line 1015 dot 0.
    expect(panel[0 * 81 + (647 >> 3)]! & (0x80 >> (647 & 7))).not.toBe(0);
    expect(panel[1015 * 81]! & 0x80).not.toBe(0);
    const back = evolis.cardFromPanel(panel);
    expect([back.get(0, 0), back.get(1015, 647), back.get(10, 600), back.get(1, 1)]).toEqual([true, true, true, false]);
    expect(() => evolis.panelFromCard(new Bitmap(1012, 638))).toThrow(/expected 1016x648/);
  });

  it('maps answers to status and errors', () => {
    expect(evolis.feederVolts('5,00 Volts')).toBe(5);
    expect(evolis.feederVolts('0,17 Volts')).toBe(0.17);
    expect(evolis.toPrinterStatus('OK', '5,00 Volts')).toEqual({ online: true, coverOpen: false, paperOut: false, paperNearEnd: false, error: false, ribbonOut: false });
    expect(evolis.toPrinterStatus('ERROR RIBBON', '5,00 Volts')).toMatchObject({ ribbonOut: true, error: false, online: false });
    expect(evolis.toPrinterStatus('OK', '0,00 Volts')).toMatchObject({ paperOut: true, online: false });
    expect(evolis.toPrinterStatus('COVER OPEN', '5,00 Volts')).toMatchObject({ coverOpen: true, online: false });
    expect(evolis.toPrinterStatus('CARD JAM', '5,00 Volts')).toMatchObject({ error: true });
    expect(() => evolis.toPrinterStatus('\u0001garbage', '')).toThrowError(expect.objectContaining({ code: 'bad_reply' }));
    expect(evolis.answerError('FEEDER EMPTY', 'p', 'Se')?.code).toBe('paper_out');
    expect(evolis.answerError('ERROR RIBBON', 'p', 'Se')?.code).toBe('ribbon_out');
    expect(evolis.answerError('ERROR CDE', 'p', 'Xx')?.code).toBe('rejected');
    expect(evolis.answerError('OK', 'p', 'Ss')).toBeNull();
  });

  it('parses commands and a download split across chunks', () => {
    const bytes = Buffer.concat(evolis.monoJob(Buffer.alloc(evolis.MONO_PANEL_BYTES, 0x0f)));
    const p = new evolis.EvolisParser();
    const out = [];
    for (let i = 0; i < bytes.length; i += 997) out.push(...p.push(bytes.subarray(i, i + 997)));
    out.push(...p.end());
    expect(out.map((c) => c.op)).toEqual(['command', 'command', 'command', 'command', 'command', 'command', 'download', 'command']);
    const d = out[6]!;
    expect(d.op === 'download' && d.data.length).toBe(82296);
  });

  it('records garbage, bad parameters, oversize and truncated commands as unknown', () => {
    const cmds = parseAll(
      Buffer.concat([
        Buffer.from('garbage'),
        hex('1b 01 02 0d'),
        Buffer.from('\x1bDb;k;3;abc\r'),
        Buffer.from('\x1bDb;k;2;'),
        Buffer.alloc(evolis.MONO_PANEL_BYTES + 1, 0x41), // one byte too many: an A where the CR belongs
        Buffer.from('\x1bPr;k'),
      ]),
    );
    expect(cmds.filter((c) => c.op === 'unknown').map((c) => (c.op === 'unknown' ? c.reason : ''))).toEqual([
      'bytes outside a command',
      'not a command: "\\u0001\\u0002"',
      'download of panel k with 3 levels',
      'bytes outside a command',
      'download data of panel k is not followed by CR: wrong length?',
      expect.stringMatching(/truncated/),
    ]);
  });

  it('never throws on random bytes', () => {
    const rand = prng(23);
    for (let i = 0; i < 200; i++) expect(() => parseAll(Buffer.concat([Buffer.from([0x1b]), randomBytes(rand, 1 + Math.floor(rand() * 300))]))).not.toThrow();
  });
});

describe('Evolis printer over TCP', () => {
  let sim: EvolisSimulator;
  let printer: EvolisPrinter;

  beforeEach(async () => {
    sim = await new EvolisSimulator({ outDir: artifactsDir('badge'), filePrefix: 'evolis-tcp-' }).listen(0);
    printer = createEvolisPrinter({ transport: createTcpTransport({ host: '127.0.0.1', port: sim.port, timeoutMs: 1000 }), cardTimeoutMs: 5000 });
  });
  afterEach(async () => {
    await printer.close();
    await sim.close();
  });

  it('prints a badge: the simulator reassembles the k panel into a PNG whose QR decodes', async () => {
    const code = 'EVOLIS-T-000007';
    await printer.printBadge(attendee(code));
    const job = await sim.waitForJob(0);
    expect(job.errors).toEqual([]);
    expect(job.commands).toEqual(['Pem;2', 'Rse;f', 'Pem;2', 'Pr;k', 'Pmi;F;s', 'Pc;k;=;10', 'Ss', 'Sr', 'Db;k;2;<82296 bytes>', 'Se']);
    expect(job.sides).toEqual(['front']);
    expect(await decodeQrFromPng(job.png)).toEqual([code]);
    writeFileSync(join(artifactsDir('badge'), 'badge-evolis-card.png'), job.png);
    // The card that came out is the 1-bit rendering, dot for dot.
    const expected = renderBadge(attendee(code)).mono;
    const printed = Bitmap.fromPng(job.png);
    let diff = 0;
    for (let y = 0; y < 648; y += 3) for (let x = 0; x < 1016; x += 3) if (printed.get(x, y) !== expected.get(x, y)) diff++;
    expect(diff).toBe(0);
  });

  it('reports cover open, feeder empty, jam and ribbon errors through status and refuses to print', async () => {
    for (const [state, code, status] of [
      [{ coverOpen: true }, 'cover_open', { coverOpen: true, online: false }],
      [{ feederEmpty: true }, 'paper_out', { paperOut: true }],
      [{ cardJam: true }, 'printer_error', { error: true }],
      [{ ribbonError: true }, 'ribbon_out', { ribbonOut: true, online: false }],
    ] as const) {
      sim.set({ coverOpen: false, feederEmpty: false, cardJam: false, ribbonError: false, ...state });
      expect(await printer.status()).toMatchObject(status);
      await expect(printer.printBadge(attendee('T'))).rejects.toMatchObject({ code });
    }
    expect(sim.jobs).toHaveLength(0);
  });

  it('hands the printer error over when it happens during the card (Pem;2)', async () => {
    // Status is fine and the sequence starts; the card jams before it is done, so Se answers CARD JAM.
    sim.failNextCard({ cardJam: true });
    await expect(printer.printBadge(attendee('T-late'))).rejects.toMatchObject({ code: 'jam', message: expect.stringMatching(/CARD JAM.*Se/) });
    expect(sim.jobs[0]!.errors.map((e) => e.reason)).toEqual(['printer in error (CARD JAM): no card was printed']);
  });

  it('answers garbage with ERROR CDE and keeps serving', async () => {
    const replies: Buffer[] = [];
    await new Promise<void>((resolve, reject) => {
      const s = net.connect({ host: '127.0.0.1', port: sim.port }, () => s.write(Buffer.from('\x1bXyz;1\r\x1bPc;k;=;99\r\x1bSe\r')));
      s.on('data', (d) => {
        replies.push(d);
        if (Buffer.concat(replies).toString().split('\r').length > 3) s.end();
      });
      s.on('close', () => resolve());
      s.on('error', reject);
    });
    expect(Buffer.concat(replies).toString('latin1')).toBe('ERROR CDE\rERROR PARAMETRES\rERROR CDE\r');
    const rec = await sim.waitForJob(0);
    expect(rec.errors.map((e) => e.reason)).toEqual(['unknown command Xyz', 'contrast k;=;99', 'Se without Ss']);
    await printer.printBadge(attendee('AFTER'));
    expect(await decodeQrFromPng((await sim.waitForJob(1)).png)).toEqual(['AFTER']);
  });

  it('times out on a silent printer', async () => {
    sim.setMute(true);
    await expect(printer.status()).rejects.toMatchObject({ code: 'timeout' });
  });
});

describe('Evolis printer over serial and USB', () => {
  it('prints over a serial PTY with the real serialport binding', async () => {
    const pty = await createPtyPair();
    const sim = await new EvolisSimulator({ outDir: artifactsDir('badge'), filePrefix: 'evolis-serial-' }).attachSerial(pty.devicePath, 115200);
    const printer = createEvolisPrinter({ transport: createSerialTransport({ path: pty.hostPath, baudRate: 115200, timeoutMs: 2000 }), cardTimeoutMs: 10_000 });
    try {
      await printer.printBadge(attendee('EVOLIS-SERIAL-1'));
      expect(await decodeQrFromPng((await sim.waitForJob(0)).png)).toEqual(['EVOLIS-SERIAL-1']);
    } finally {
      await printer.close();
      await sim.close();
      await pty.close();
    }
  });

  it('prints over USB bulk (simulated printer-class device) and reports feeder empty', async () => {
    const sim = new EvolisSimulator({ outDir: artifactsDir('badge'), filePrefix: 'evolis-usb-' });
    const dev = sim.createUsbDevice({ vendorId: 0x0f49, productId: 0x1101 });
    const printer = createEvolisPrinter({ transport: createUsbTransport({ device: dev, timeoutMs: 1000 }) });
    try {
      await printer.printBadge(attendee('EVOLIS-USB-1'));
      expect(await decodeQrFromPng((await sim.waitForJob(0)).png)).toEqual(['EVOLIS-USB-1']);
      sim.set({ feederEmpty: true });
      expect(await printer.status()).toMatchObject({ paperOut: true });
    } finally {
      await printer.close();
      await sim.close();
    }
  });
});
