// ESC/POS over every printer transport: raw TCP (net on 127.0.0.1), serial (the real serialport
// binding on a socat PTY) and USB bulk (the transport against a simulated printer-class device). The
// same driver and simulator on each; what the gate scanner would read off the PNG must be what was sent.
import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEscPosPrinter, type EscPosPrinter } from '../../drivers/printers/escpos-printer';
import { EscPosSimulator, startSerialEscPosSimulator } from '../../drivers/printers/escpos-simulator';
import type { PrintDocument } from '../../drivers/printers/document';
import { createTcpTransport } from '../../drivers/printers/tcp-link';
import { createSerialTransport } from '../../drivers/printers/transports/serial';
import { createUsbTransport, findPrinterInterface, findUsbPrinters, UsbTransport } from '../../drivers/printers/transports/usb';
import type { SimulatedUsbPrinter } from '../../drivers/printers/transports/usb-simulated';
import { untilByte } from '../../drivers/printers/transports/transport';
import { createPtyPair, type PtyPair } from '../../drivers/testing/pty';
import { decodeQrFromPng } from '../../drivers/testing/qr-decode';
import { artifactsDir, sleep, waitFor } from './helpers';

const RECEIPT_QR = 'ORDER-2024-000777 Заказ ✓';
const receipt = (qr: string): PrintDocument => ({
  blocks: [
    { type: 'text', text: 'ADMIT BOX OFFICE', align: 'center', bold: true, size: 2 },
    { type: 'text', text: 'Receipt', align: 'center' },
    { type: 'rule' },
    { type: 'text', text: '2 x Day pass        EUR 60.00' },
    { type: 'text', text: 'Total               EUR 60.00', bold: true },
    { type: 'qr', data: qr, moduleSize: 5 },
    { type: 'feed', lines: 1 },
    { type: 'cut' },
  ],
});

describe('ESC/POS over a serial line (socat PTY, real serialport binding)', () => {
  let pty: PtyPair;
  let sim: EscPosSimulator;
  let printer: EscPosPrinter;

  beforeEach(async () => {
    pty = await createPtyPair();
    sim = await startSerialEscPosSimulator(pty.devicePath, { outDir: artifactsDir('receipt'), filePrefix: 'serial-receipt-' });
    printer = createEscPosPrinter({ transport: createSerialTransport({ path: pty.hostPath, baudRate: 115200, timeoutMs: 1000 }) });
  });
  afterEach(async () => {
    await printer.close();
    await sim.close();
    await pty.close();
  });

  it('prints a receipt whose QR decodes from the PNG, and reads DLE EOT status over the line', async () => {
    const statuses: string[] = [];
    printer.on('status', (s) => statuses.push(s));
    expect(await printer.status()).toEqual({ online: true, coverOpen: false, paperOut: false, paperNearEnd: false, error: false });
    await printer.print(receipt(RECEIPT_QR));
    const job = await sim.waitForJob(0);
    expect(job.errors).toEqual([]);
    expect(job.text.split('\n')).toContain('Total               EUR 60.00');
    expect(job.qrData).toEqual([RECEIPT_QR]);
    expect(await decodeQrFromPng(job.png)).toEqual([RECEIPT_QR]);
    expect(job.pngPath).toMatch(/serial-receipt-.*\.png$/);
    expect(statuses).toEqual(['connecting', 'connected']);
  });

  it('reports paper out and cover open through status, and refuses to print', async () => {
    sim.setPaper('out');
    expect(await printer.status()).toMatchObject({ paperOut: true, online: false });
    await expect(printer.print(receipt('T-x'))).rejects.toMatchObject({ code: 'paper_out' });
    sim.setPaper('ok');
    sim.setCover(true);
    expect(await printer.status()).toMatchObject({ coverOpen: true });
    await expect(printer.print(receipt('T-y'))).rejects.toMatchObject({ code: 'cover_open' });
  });

  it('times out with a coded error when the printer is silent', async () => {
    sim.setMute(true);
    await expect(printer.status()).rejects.toMatchObject({ code: 'timeout' });
  });

  it('reports a missing serial device as unreachable', async () => {
    const p = createEscPosPrinter({ transport: createSerialTransport({ path: '/nonexistent/tty-printer', timeoutMs: 300 }) });
    await expect(p.status()).rejects.toMatchObject({ code: 'unreachable' });
    await p.close();
  });
});

describe('ESC/POS over USB bulk (simulated printer-class device)', () => {
  let sim: EscPosSimulator;
  let dev: SimulatedUsbPrinter;
  let printer: EscPosPrinter;

  beforeEach(async () => {
    sim = new EscPosSimulator({ outDir: artifactsDir('receipt'), filePrefix: 'usb-receipt-' });
    dev = sim.createUsbDevice({ vendorId: 0x04b8, productId: 0x0202 });
    printer = createEscPosPrinter({ transport: createUsbTransport({ device: dev, timeoutMs: 800 }) });
  });
  afterEach(async () => {
    await printer.close();
    await sim.close();
  });

  it('finds the printer-class interface and its bulk endpoints', async () => {
    await dev.open();
    await dev.selectConfiguration(1);
    expect(findPrinterInterface(dev.configuration)).toEqual({ iface: 0, out: 1, in: 2, inPacket: 64 });
    await dev.close();
  });

  it('prints through bulk OUT and reads status through bulk IN', async () => {
    expect(await printer.status()).toMatchObject({ online: true, paperOut: false });
    await printer.print(receipt(RECEIPT_QR));
    const job = await sim.waitForJob(0);
    expect(job.errors).toEqual([]);
    expect(await decodeQrFromPng(job.png)).toEqual([RECEIPT_QR]);
    sim.setPaper('near_end');
    expect(await printer.status()).toMatchObject({ paperNearEnd: true, paperOut: false });
    sim.setCover(true);
    await expect(printer.print(receipt('T-cover'))).rejects.toMatchObject({ code: 'cover_open' });
  });

  it('reports an unplugged cable as a coded error and works again after replug', async () => {
    await printer.status();
    const errors: string[] = [];
    printer.on('error', (e) => errors.push(e.code));
    dev.unplug();
    await expect(printer.status()).rejects.toMatchObject({ code: expect.stringMatching(/^(io|unreachable)$/) });
    dev.replug();
    await printer.print(receipt('T-after-replug'));
    const job = await sim.waitForJob(0);
    expect(job.qrData).toEqual(['T-after-replug']);
    expect(errors.length).toBeGreaterThan(0);
  });

  it('says a unidirectional printer cannot answer status instead of hanging', async () => {
    const uni = sim.createUsbDevice({ bidirectional: false, serialNumber: 'UNI' });
    const t = new UsbTransport({ device: uni, timeoutMs: 5000 });
    const p = createEscPosPrinter({ transport: t });
    await expect(p.status()).rejects.toMatchObject({ code: 'io', message: expect.stringMatching(/no bulk IN/) });
    await p.close();
  });

  it('treats a machine without a USB bus as having no printers', async () => {
    // This container has no /sys/bus/usb: usb 3.x getDevices() rejects, which must mean "none".
    expect(await findUsbPrinters()).toEqual([]);
  });

  it('reports a device that is not there as unreachable', async () => {
    const t = createUsbTransport({ device: async () => Promise.reject(new Error('device not connected')), timeoutMs: 300 });
    await expect(t.write(Buffer.from('x'))).rejects.toMatchObject({ code: 'unreachable' });
    await t.close();
  });
});

/** A TCP "printer" that answers every chunk with `reply` (a device speaking the wrong protocol). */
async function answeringServer(reply: Buffer): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('data', () => s.write(reply));
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const addr = server.address();
  return {
    port: typeof addr === 'object' && addr ? addr.port : 0,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

describe('malformed replies over a transport', () => {
  it('turns a DLE EOT answer without the fixed bits into bad_reply', async () => {
    const srv = await answeringServer(Buffer.from([0xff]));
    const p = createEscPosPrinter({ transport: createTcpTransport({ host: '127.0.0.1', port: srv.port, timeoutMs: 500 }) });
    await expect(p.status()).rejects.toMatchObject({ code: 'bad_reply' });
    await p.close();
    await srv.close();
  });

  it('turns a reply a frame function cannot read into bad_reply, not a crash', async () => {
    const srv = await answeringServer(Buffer.from('garbage'));
    const t = createTcpTransport({ host: '127.0.0.1', port: srv.port, timeoutMs: 500 });
    const frame = (rx: Buffer) => {
      if (rx.length && rx[0] !== 0x23) throw new Error('not an ASB header');
      return null;
    };
    await expect(t.request(Buffer.from([0x1b, 0x06, 0x01]), frame, 'ESC ACK SOH')).rejects.toMatchObject({ code: 'bad_reply', message: expect.stringMatching(/not an ASB header/) });
    // The link stays usable for the next conversation.
    expect(await t.request(Buffer.from('?'), 7, 'seven bytes')).toEqual(Buffer.from('garbage'));
    await t.close();
    await srv.close();
  });

  it('refuses a second concurrent read instead of mixing replies', async () => {
    const srv = await answeringServer(Buffer.alloc(0));
    const t = createTcpTransport({ host: '127.0.0.1', port: srv.port, timeoutMs: 300 });
    const first = t.request(Buffer.from('a'), 1, 'first');
    await expect(t.read(1, 'second')).rejects.toMatchObject({ code: 'io', message: expect.stringMatching(/already waiting/) });
    await expect(first).rejects.toMatchObject({ code: 'timeout' });
    await t.close();
    await srv.close();
  });
});

describe('printer transport contract (TCP)', () => {
  it('keeps the host/port form, reads framed replies, and refuses use after close', async () => {
    const sim = await new EscPosSimulator({ outDir: artifactsDir('receipt'), filePrefix: 'tcp-receipt-' }).listen(0);
    const printer = createEscPosPrinter({ host: '127.0.0.1', port: sim.port, timeoutMs: 800 });
    await printer.print(receipt(RECEIPT_QR));
    const job = await sim.waitForJob(0);
    expect(await decodeQrFromPng(job.png)).toEqual([RECEIPT_QR]);
    await printer.close();

    const t = createTcpTransport({ host: '127.0.0.1', port: sim.port, timeoutMs: 800 });
    const chunks: Buffer[] = [];
    t.on('data', (d) => chunks.push(d));
    // Two DLE EOT requests answered back to back, read as two frames through a frame function.
    await t.write(Buffer.from([0x10, 0x04, 0x01, 0x10, 0x04, 0x02]));
    await waitFor(() => Buffer.concat(chunks).length === 2);
    expect(await t.request(Buffer.from([0x10, 0x04, 0x04]), (rx) => (rx.length >= 1 ? 1 : null), 'DLE EOT 4')).toEqual(Buffer.from([0x12]));
    await expect(t.request(Buffer.from([0x10, 0x04, 0x01]), untilByte(0x0d), 'a CR-ended reply', 200)).rejects.toMatchObject({ code: 'timeout' });
    await t.close();
    await expect(t.write(Buffer.from('late'))).rejects.toMatchObject({ code: 'closed' });
    await sleep(10);
    await sim.close();
  });
});
