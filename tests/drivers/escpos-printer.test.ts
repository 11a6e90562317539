// The ESC/POS driver against the TCP printer simulator, with the printed PNG decoded by zxing-wasm:
// what a scanner at the gate would read off the paper must equal what the box office sent.
import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ThermalPrinter, PrinterTypes } from 'node-thermal-printer';
import { createEscPosPrinter, type EscPosPrinter } from '../../drivers/printers/escpos-printer';
import { startEscPosSimulator, type EscPosSimulator } from '../../drivers/printers/escpos-simulator';
import type { PrintDocument } from '../../drivers/printers/document';
import * as escpos from '../../drivers/printers/escpos';
import { decodeQrFromPng } from '../../drivers/testing/qr-decode';
import { artifactsDir, hex, waitFor } from './helpers';

const TICKET_DATA = 'Билет 票 ✓ T-000123';

const ticket = (qr: string): PrintDocument => ({
  blocks: [
    { type: 'text', text: 'ADMIT ONE', align: 'center', bold: true, size: 2 },
    { type: 'text', text: 'Summer Festival - Day pass', align: 'center' },
    { type: 'rule' },
    { type: 'qr', data: qr, moduleSize: 6 },
    { type: 'text', text: 'Gate opens 10:00', align: 'right' },
    { type: 'feed', lines: 1 },
    { type: 'cut' },
  ],
});

/** Send raw bytes on a fresh connection and close it, like a misbehaving client. */
async function sendRaw(port: number, bytes: Buffer): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => s.end(bytes));
    s.on('close', () => resolve());
    s.on('error', reject);
  });
}

describe('ESC/POS printer over TCP', () => {
  let sim: EscPosSimulator;
  let printer: EscPosPrinter;
  let connections: number;

  beforeEach(async () => {
    sim = await startEscPosSimulator({ port: 0, outDir: artifactsDir('printer') });
    connections = 0;
    sim.on('connection', (c) => c.open && connections++);
    printer = createEscPosPrinter({ host: '127.0.0.1', port: sim.port, timeoutMs: 800 });
  });

  afterEach(async () => {
    await printer.close();
    await sim.close();
  });

  it('prints text and a non-ASCII QR that decodes from the PNG to exactly what was sent', async () => {
    const before = sim.jobs.length;
    await printer.print(ticket(TICKET_DATA));
    const job = await sim.waitForJob(before);
    expect(job.errors).toEqual([]);
    expect(job.qrData).toEqual([TICKET_DATA]);
    expect(job.text.split('\n')).toEqual(['ADMIT ONE', 'Summer Festival - Day pass', '-'.repeat(48), 'Gate opens 10:00']);
    expect(job.pngPath).toMatch(/\.png$/);
    expect(await decodeQrFromPng(job.png)).toEqual([TICKET_DATA]);
  });

  it('prints two tickets in one job and both codes decode', async () => {
    const before = sim.jobs.length;
    await printer.print({
      blocks: [
        { type: 'qr', data: 'T-1111-AAAA', moduleSize: 5 },
        { type: 'feed', lines: 2 },
        { type: 'qr', data: 'T-2222-BBBB', moduleSize: 5 },
      ],
    });
    const job = await sim.waitForJob(before);
    expect(job.qrData).toEqual(['T-1111-AAAA', 'T-2222-BBBB']);
    expect((await decodeQrFromPng(job.png)).sort()).toEqual(['T-1111-AAAA', 'T-2222-BBBB']);
  });

  it('keeps one socket for status reads and several prints', async () => {
    await printer.status();
    await printer.print(ticket('T-1'));
    await printer.print(ticket('T-2'));
    await printer.status();
    await waitFor(() => sim.jobs.length === 2);
    expect(connections).toBe(1);
    expect(sim.jobs.map((j) => j.qrData)).toEqual([['T-1'], ['T-2']]);
    // Status requests are answered, not printed.
    for (const j of sim.jobs) expect(j.bytes.includes(escpos.statusRequest(1))).toBe(false);
  });

  it('reports paper near end, and refuses to print with paper out', async () => {
    sim.setPaper('near_end');
    expect(await printer.status()).toEqual({ online: true, coverOpen: false, paperOut: false, paperNearEnd: true, error: false });
    await printer.print(ticket('T-near-end')); // near end still prints

    sim.setPaper('out');
    const errors: string[] = [];
    printer.on('error', (e) => errors.push(e.code));
    expect(await printer.status()).toMatchObject({ online: false, paperOut: true });
    const jobsBefore = sim.jobs.length;
    await expect(printer.print(ticket('T-no-paper'))).rejects.toMatchObject({ code: 'paper_out' });
    expect(errors).toEqual(['paper_out']);
    await new Promise((r) => setTimeout(r, 100));
    expect(sim.jobs.length).toBe(jobsBefore); // nothing was sent

    sim.setPaper('ok');
    await printer.print(ticket('T-refilled'));
    await waitFor(() => sim.jobs.length === jobsBefore + 1);
    expect(sim.jobs.at(-1)!.qrData).toEqual(['T-refilled']);
  });

  it('refuses to print with the cover open', async () => {
    sim.setCover(true);
    expect(await printer.status()).toMatchObject({ coverOpen: true, online: false });
    await expect(printer.print(ticket('T-cover'))).rejects.toMatchObject({ code: 'cover_open' });
  });

  it('times out clearly when the printer does not answer, and recovers', async () => {
    sim.setMute(true);
    await expect(printer.status()).rejects.toMatchObject({ code: 'timeout', message: expect.stringMatching(/did not answer DLE EOT 1 within 800 ms/) });
    await expect(printer.print(ticket('T-mute'))).rejects.toMatchObject({ code: 'timeout' });
    sim.setMute(false);
    await printer.print(ticket('T-unmuted'));
    await waitFor(() => sim.jobs.some((j) => j.qrData[0] === 'T-unmuted'));
  });

  it('reconnects after the printer drops the connection', async () => {
    await printer.print(ticket('T-a'));
    sim.dropConnections();
    await new Promise((r) => setTimeout(r, 50));
    await printer.print(ticket('T-b'));
    await waitFor(() => sim.jobs.length === 2);
    expect(sim.jobs.map((j) => j.qrData[0])).toEqual(['T-a', 'T-b']);
  });

  it('reports an unreachable printer as a coded error', async () => {
    const closed = await startEscPosSimulator({ port: 0 });
    const port = closed.port;
    await closed.close();
    const p = createEscPosPrinter({ host: '127.0.0.1', port, timeoutMs: 500 });
    await expect(p.status()).rejects.toMatchObject({ code: 'unreachable' });
    await p.close();
  });

  it('rejects a document it cannot encode before touching the printer', async () => {
    await expect(printer.print({ blocks: [{ type: 'qr', data: '' }] })).rejects.toMatchObject({ code: 'bad_document' });
    expect(connections).toBe(0);
  });
});

describe('ESC/POS simulator robustness', () => {
  let sim: EscPosSimulator;
  beforeEach(async () => {
    sim = await startEscPosSimulator({ port: 0, outDir: artifactsDir('simulator'), filePrefix: 'robustness-' });
  });
  afterEach(async () => {
    await sim.close();
  });

  it('records garbled bytes as job errors instead of crashing, and keeps serving', async () => {
    await sendRaw(sim.port, Buffer.concat([hex('1b ff 07 00 1d 99'), Buffer.from('Hello\n'), hex('1d 56 00')]));
    const job = await sim.waitForJob(0);
    expect(job.text).toBe('Hello');
    expect(job.errors.map((e) => e.reason)).toEqual(['unknown ESC ff', 'stray control byte 0x07', 'stray control byte 0x00', 'unknown GS 99']);

    // A command cut off by the connection closing is recorded too.
    await sendRaw(sim.port, Buffer.concat([Buffer.from('Tail\n'), hex('1d 28 6b 40 00 31 50 30 41 42')]));
    const truncated = await sim.waitForJob(1);
    expect(truncated.text).toBe('Tail');
    expect(truncated.errors[0]!.reason).toMatch(/truncated/);

    // And a proper print still works afterwards.
    const printer = createEscPosPrinter({ host: '127.0.0.1', port: sim.port, timeoutMs: 800 });
    await printer.print(ticket('T-after-garbage'));
    await printer.close();
    const good = await sim.waitForJob(2);
    expect(good.errors).toEqual([]);
    expect(await decodeQrFromPng(good.png)).toEqual(['T-after-garbage']);
  });

  it("shows node-thermal-printer's printQR corrupting non-ASCII data (why the driver does not use it)", async () => {
    const lib = new ThermalPrinter({ type: PrinterTypes.EPSON, interface: 'tcp://127.0.0.1:9' });
    lib.printQR(TICKET_DATA, { cellSize: 6 });
    lib.cut();
    await sendRaw(sim.port, lib.getBuffer());
    const job = await sim.waitForJob(0);
    expect(job.qrData).toHaveLength(1);
    expect(job.qrData[0]).not.toBe(TICKET_DATA);
    expect(await decodeQrFromPng(job.png)).not.toEqual([TICKET_DATA]);
  });
});
