// The device supervisor on real transports: serial scanners and a Wiegand reader on socat PTYs, a
// HID POS scanner and a dcttech relay on simulated HID links, a SAM reader and an ESC/POS printer on
// simulated USB, an ESC/POS printer on a serial PTY, and a printer on a TCP port nobody listens on.
// One device fails to open, one cannot even be built from its settings, listeners throw and reject —
// and every other device keeps working. Then USB hot-plug making a waiting scanner reconnect at once,
// the `usb` package's events left alone where there is no bus, and discovery returning lists (never
// throwing) on a machine without USB or HID.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceStatus } from '../../electron/contract';
import type { DeviceConfigInput } from '../../electron/core/devices/config';
import { parseStoredConfigs } from '../../electron/core/devices/config';
import { systemUsbEvents, type UsbEventSource } from '../../electron/core/devices/discovery';
import { DeviceSupervisor, type SupervisorOptions } from '../../electron/core/devices/supervisor';
import type { Logger } from '../../electron/core/dispatcher';
import { openLocalDb, type LocalDb } from '../../electron/core/db/open';
import { DriverError, type HidTransport } from '../../drivers';
import {
  createHidPosSimulator,
  createHidRelaySimulator,
  createPtyPair,
  createUsbSamSimulator,
  decodeQrFromPng,
  SAMPLE_ID_CARD,
  startEscPosSimulator,
  startScannerSimulator,
  startSerialEscPosSimulator,
  startWiegandSimulator,
  type EscPosSimulator,
  type SamSimulator,
  type SimulatedBulkDevice,
} from '../../drivers/simulators';
import { waitFor } from '../helpers/wait';
import { MIGRATIONS } from './devices-fixtures';

const HID_POS = { vendorId: 0x0c2e, productId: 0x0b87 };
const BROKEN = { vendorId: 0xdead, productId: 0xbeef };
const SAM_USB = { vendorId: 0x0400, productId: 0xc35a };
const USB_PRINTER = { vendorId: 0x0519, productId: 0x0001 };

class FakeUsbEvents implements UsbEventSource {
  readonly #listeners = new Map<string, Set<(ev: { device: { vendorId: number; productId: number } }) => void>>();
  addEventListener(type: string, l: (ev: { device: { vendorId: number; productId: number } }) => void): void {
    if (!this.#listeners.has(type)) this.#listeners.set(type, new Set());
    this.#listeners.get(type)!.add(l);
  }
  removeEventListener(type: string, l: (ev: { device: { vendorId: number; productId: number } }) => void): void {
    this.#listeners.get(type)?.delete(l);
  }
  dispatch(type: 'connect' | 'disconnect', device: { vendorId: number; productId: number }): void {
    for (const l of this.#listeners.get(type) ?? []) l({ device });
  }
  get listening(): number {
    return [...this.#listeners.values()].reduce((n, s) => n + s.size, 0);
  }
}

const closedPort = async (): Promise<number> => {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
};

describe('device supervisor', () => {
  const cleanups: Array<() => Promise<unknown> | unknown> = [];
  const later = (fn: () => Promise<unknown> | unknown) => cleanups.push(fn);
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await Promise.resolve(c()).catch(() => undefined);
  });

  const logger = () => {
    const lines: { msg: string; data: string }[] = [];
    const log: Logger = { warn: (msg, data) => lines.push({ msg, data: JSON.stringify(data ?? {}) }), error: (msg, data) => lines.push({ msg, data: JSON.stringify(data ?? {}) }) };
    return { lines, log };
  };

  it('keeps every other device working when one fails to open, one cannot be built and listeners throw', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'admit-sup-'));
    later(() => rmSync(dir, { recursive: true, force: true }));
    const db: LocalDb = openLocalDb(join(dir, 'terminal.sqlite'), MIGRATIONS);
    later(() => db.$client.close());

    const serialLine = await createPtyPair();
    const wiegandLine = await createPtyPair();
    later(() => serialLine.close());
    later(() => wiegandLine.close());
    const serialSim = await startScannerSimulator(serialLine.devicePath);
    const wiegandSim = await startWiegandSimulator(wiegandLine.devicePath);
    later(() => serialSim.close());
    later(() => wiegandSim.close());
    const hidPos = createHidPosSimulator({ info: HID_POS });
    const relay = createHidRelaySimulator({ channels: 2 });
    const sam: { current: { simulator: SamSimulator; device: SimulatedBulkDevice } | null } = { current: null };
    let samOpens = 0;
    const printerSim: EscPosSimulator = await startEscPosSimulator({ port: 0 });
    later(() => printerSim.close());
    const usbPrinter = printerSim.createUsbDevice(USB_PRINTER);
    const printerLine = await createPtyPair();
    later(() => printerLine.close());
    const serialPrinterSim = await startSerialEscPosSimulator(printerLine.devicePath, { baudRate: 19200 });
    later(() => serialPrinterSim.close());
    const deadPort = await closedPort();

    const { lines, log } = logger();
    const options: SupervisorOptions = {
      db: db.$client,
      log,
      usbEvents: false,
      printerPollMs: 100,
      idRepeatMs: 0,
      reconnect: { initialDelayMs: 50, maxDelayMs: 300 },
      transports: {
        openHid: (target): Promise<HidTransport> => {
          if (target.vendorId === BROKEN.vendorId) throw new Error('the HID stack exploded');
          if (target.vendorId === HID_POS.vendorId) return Promise.resolve(hidPos.connect());
          return relay.open();
        },
        openUsbBulk: async () => {
          samOpens++;
          const s = createUsbSamSimulator({ card: SAMPLE_ID_CARD });
          sam.current = { simulator: s.simulator, device: s.device };
          return s.transport;
        },
        findUsbPrinter: async (f) => (f.vendorId === USB_PRINTER.vendorId ? usbPrinter : null),
      },
    };
    const sup = new DeviceSupervisor(options);
    later(() => sup.close());

    const scans: { deviceId: string; code: string }[] = [];
    const idReads: string[] = [];
    const statuses: DeviceStatus[] = [];
    sup.on('status', () => {
      throw new Error('a status listener that always throws');
    });
    sup.on('status', (s) => void statuses.push(s));
    sup.on('scan', (s) => {
      if (s.code === 'BOOM') throw new Error('listener exploded on BOOM');
    });
    sup.on('scan', async (s) => {
      if (s.code === 'ASYNC-BOOM') throw new Error('async listener rejected');
    });
    sup.on('scan', (s) => void scans.push(s));
    sup.on('idCard', (r) => void idReads.push(r.idNumber));

    const configs: DeviceConfigInput[] = [
      { id: 'serial', name: 'Serial scanner', kind: 'scanner', driver: 'serial-scanner', path: serialLine.hostPath },
      { id: 'hid', name: 'HID POS scanner', kind: 'scanner', driver: 'hid-pos-scanner', vendorId: '0x0c2e', productId: '0b87' },
      { id: 'broken', name: 'Scanner that cannot open', kind: 'scanner', driver: 'hid-pos-scanner', vendorId: BROKEN.vendorId, productId: BROKEN.productId },
      { id: 'wiegand', name: 'Wiegand reader', kind: 'scanner', driver: 'wiegand', path: wiegandLine.hostPath },
      { id: 'unbuildable', name: 'Relay on a channel it lacks', kind: 'relay', driver: 'dcttech', vendorId: 0x16c0, productId: 0x05df, channels: 2, channel: 9 },
      { id: 'relay', name: 'USB relay', kind: 'relay', driver: 'dcttech', channels: 2, pulseMs: 200 },
      { id: 'sam', name: 'USB ID reader', kind: 'id-reader', driver: 'sam-usb', vendorId: SAM_USB.vendorId, productId: SAM_USB.productId, pollMs: 100 },
      { id: 'nowhere', name: 'Printer nobody answers for', kind: 'printer', driver: 'escpos', transport: { type: 'tcp', host: '127.0.0.1', port: deadPort }, timeoutMs: 300 },
      { id: 'usb-printer', name: 'USB printer', kind: 'printer', driver: 'escpos', transport: { type: 'usb', vendorId: USB_PRINTER.vendorId, productId: USB_PRINTER.productId } },
      { id: 'serial-printer', name: 'Serial printer', kind: 'printer', driver: 'escpos', width: 32, transport: { type: 'serial', path: printerLine.hostPath, baudRate: 19200 } },
    ];
    const { configs: parsed, problems } = parseStoredConfigs(configs);
    expect(problems).toEqual([]);
    sup.start(parsed);
    const state = (id: string) => sup.list().find((d) => d.id === id);

    await waitFor(() => ['serial', 'hid', 'wiegand', 'relay', 'sam'].every((id) => state(id)?.state === 'connected'), 8000, 'working devices connected');
    await waitFor(() => state('usb-printer')?.state === 'connected' && state('serial-printer')?.state === 'connected', 5000, 'USB and serial printers answered');
    await waitFor(() => state('broken')?.state === 'disconnected' && state('nowhere')?.state === 'disconnected', 5000, 'failing devices reported');
    expect(state('broken')).toMatchObject({ reason: 'unreachable', detail: expect.stringMatching(/the HID stack exploded/) });
    expect(state('nowhere')).toMatchObject({ reason: 'unreachable', detail: expect.stringMatching(/^unreachable/) });
    expect(state('unbuildable')).toMatchObject({ state: 'error', reason: 'bad_config', detail: expect.stringMatching(/^bad_config: turnstile channel 9/) });

    // Scans from every kind, with listeners throwing and rejecting along the way.
    await serialSim.scan('BOOM', 'CR');
    await serialSim.scan('S-1', 'CR');
    expect(await hidPos.scan('ASYNC-BOOM')).toBe(true);
    expect(await hidPos.scan('H-1')).toBe(true);
    await wiegandSim.present({ format: 'W26', facility: 1, number: 1 });
    await wiegandSim.sendLine('W26:2020003'); // parity broken: a scan error, not a scan
    await wiegandSim.present({ format: 'W26', facility: 2, number: 513 });
    await waitFor(() => scans.length === 6, 5000, 'six scans');
    expect(scans.filter((s) => s.deviceId === 'serial').map((s) => s.code)).toEqual(['BOOM', 'S-1']);
    expect(scans.filter((s) => s.deviceId === 'hid').map((s) => s.code)).toEqual(['ASYNC-BOOM', 'H-1']);
    expect(scans.filter((s) => s.deviceId === 'wiegand').map((s) => s.code)).toEqual(['0000065537', '0000131585']);
    await waitFor(() => lines.some((l) => /async listener rejected/.test(l.data)), 2000, 'rejection logged');
    expect(lines.some((l) => /listener exploded on BOOM/.test(l.data))).toBe(true);
    expect(lines.some((l) => /a status listener that always throws/.test(l.data))).toBe(true);

    // The USB ID reader: read, unplugged, reopened by the supervisor, read again.
    await waitFor(() => idReads.length === 1, 5000, 'ID card read over USB');
    expect(idReads[0]).toBe(SAMPLE_ID_CARD.idNumber);
    sam.current!.device.unplug();
    await waitFor(() => state('sam')?.state === 'disconnected', 5000, 'USB reader gone');
    await waitFor(() => samOpens >= 2 && state('sam')?.state === 'connected', 5000, 'USB reader reopened');
    await waitFor(() => idReads.length === 2, 5000, 'read after reconnect');
    expect(JSON.stringify(lines)).not.toContain(SAMPLE_ID_CARD.idNumber);

    // The turnstile relay pulses for an admission; the unbuildable one is skipped.
    sup.openGate('00000000-0000-7000-8000-000000000001');
    await waitFor(() => relay.pulses.length === 1, 3000, 'relay pulse');
    expect(relay.pulses[0]).toMatchObject({ channel: 1 });

    // Receipts go to the first printer that takes them (ESC/POS: receipts and tickets); print on the
    // USB one, named explicitly, through the durable queue.
    expect(sup.printerFor('receipt')).toBe('nowhere');
    const before = printerSim.jobs.length;
    const out = await sup.print([{ kind: 'ticket', doc: { blocks: [{ type: 'text', text: 'USB TICKET' }, { type: 'qr', data: 'T-USB-1' }, { type: 'cut' }] } }], { printerId: 'usb-printer' });
    expect(out).toMatchObject({ printed: true, printError: null });
    const job = await printerSim.waitForJob(before);
    expect(await decodeQrFromPng(job.png)).toEqual(['T-USB-1']);
    const onSerial = await sup.print([{ kind: 'receipt', doc: { blocks: [{ type: 'text', text: 'SERIAL RECEIPT' }, { type: 'qr', data: 'R-SERIAL-1' }, { type: 'cut' }] } }], { printerId: 'serial-printer' });
    expect(onSerial).toMatchObject({ printed: true, printError: null });
    const serialJob = await serialPrinterSim.waitForJob(0);
    expect(serialJob.text).toContain('SERIAL RECEIPT');
    expect(await decodeQrFromPng(serialJob.png)).toEqual(['R-SERIAL-1']);
    // The unreachable default printer: printed:false with the reason, the job kept in line.
    const unreachable = await sup.print([{ kind: 'receipt', doc: { blocks: [{ type: 'text', text: 'NOWHERE' }] } }], { waitMs: 1500 });
    expect(unreachable.printed).toBe(false);
    expect(['unreachable', 'timeout', 'io']).toContain(unreachable.printError);
    expect(sup.queue!.job(unreachable.jobIds[0]!)?.state).toMatch(/held|queued/);

    // Every device still alive after all that.
    for (const id of ['serial', 'hid', 'wiegand', 'relay', 'sam']) expect(state(id)?.state).toBe('connected');
    await serialSim.scan('S-2', 'CR');
    await waitFor(() => scans.length === 7, 5000, 'still scanning');
  });

  it('reconnects a waiting USB device as soon as hot-plug says it is back', async () => {
    const events = new FakeUsbEvents();
    const hidPos = createHidPosSimulator({ info: HID_POS });
    const { log } = logger();
    const hotplug: unknown[] = [];
    const sup = new DeviceSupervisor({
      log,
      usbEvents: events,
      // Left to its own backoff, the scanner would not try again within this test.
      reconnect: { initialDelayMs: 120_000, maxDelayMs: 120_000 },
      transports: { openHid: async () => hidPos.connect() },
    });
    later(() => sup.close());
    const scans: string[] = [];
    sup.on('scan', (s) => void scans.push(s.code));
    sup.on('hotplug', (h) => void hotplug.push(h));
    sup.start(parseStoredConfigs([{ id: 'hid', name: 'HID POS', kind: 'scanner', driver: 'hid-pos-scanner', vendorId: HID_POS.vendorId, productId: HID_POS.productId }]).configs);
    const state = () => sup.list()[0]?.state;
    await waitFor(() => state() === 'connected', 5000, 'connected');
    expect(events.listening).toBe(2);

    await hidPos.unplug();
    await waitFor(() => state() === 'disconnected', 5000, 'unplugged');
    events.dispatch('disconnect', HID_POS);
    hidPos.replug();
    events.dispatch('connect', { vendorId: 0x1234, productId: 0x5678 }); // another device: ignored
    events.dispatch('connect', HID_POS);
    await waitFor(() => state() === 'connected', 5000, 'reconnected on hot-plug');
    expect(await hidPos.scan('AFTER-HOTPLUG')).toBe(true);
    await waitFor(() => scans.includes('AFTER-HOTPLUG'), 3000, 'scan after hot-plug');
    expect(hotplug).toHaveLength(3);

    await sup.close();
    expect(events.listening).toBe(0);
  });

  it('asks the usb package for hot-plug events only where it can deliver them without crashing', async () => {
    const source = await systemUsbEvents();
    // No USB bus here (CI, containers): no source, and no listener that would crash the process.
    if (!existsSync('/sys/bus/usb/devices')) expect(source).toBeNull();
    // A supervisor left to find its own events, with a USB device configured, starts and stops cleanly.
    const { lines, log } = logger();
    const sup = new DeviceSupervisor({
      log,
      reconnect: { initialDelayMs: 50, maxDelayMs: 100 },
      transports: { openUsbBulk: () => Promise.reject(new DriverError('not_found', 'no USB device 0400:c35a')) },
    });
    later(() => sup.close());
    sup.start(parseStoredConfigs([{ id: 'sam', name: 'USB ID reader', kind: 'id-reader', driver: 'sam-usb', vendorId: 0x0400, productId: 0xc35a }]).configs);
    await waitFor(() => sup.list()[0]?.state === 'disconnected', 3000, 'reader reported absent');
    expect(sup.list()[0]).toMatchObject({ reason: 'not_found', detail: 'not_found' });
    await sup.close();
    expect(lines.filter((l) => /failed/.test(l.msg))).toEqual([]);
  });

  it('discovers serial ports, HID and USB devices as lists, never throwing, even where listing fails', async () => {
    const sup = new DeviceSupervisor({ usbEvents: false });
    const found = await sup.discover();
    expect(Array.isArray(found.serial) && Array.isArray(found.hid) && Array.isArray(found.usb)).toBe(true);
    const failing = new DeviceSupervisor({
      usbEvents: false,
      discoverSources: {
        serial: () => Promise.reject(new Error('udevadm: not found')),
        hid: () => Promise.reject(new DriverError('unavailable', 'no hidraw')),
        usb: () => {
          throw new Error('/sys/bus/usb/devices/ not found');
        },
      },
    });
    expect(await failing.discover()).toEqual({ serial: [], hid: [], usb: [] });
  });

  it('skips a stored configuration entry that no longer parses, keeping the others', () => {
    const { configs, problems } = parseStoredConfigs([
      { id: 'ok', name: 'Printer', kind: 'printer', driver: 'escpos-tcp', host: '10.0.0.5' },
      { id: 'bad', name: 'Relay', kind: 'relay', driver: 'lcus', path: '/dev/ttyUSB0', pulseMs: 5000 },
      { id: 'ok', name: 'Duplicate', kind: 'printer', driver: 'escpos-tcp', host: '10.0.0.6' },
      { id: 'x', name: 'Unknown', kind: 'scanner', driver: 'telepathy' },
    ]);
    expect(configs.map((c) => c.id)).toEqual(['ok']);
    expect(problems.map((p) => [p.index, p.id])).toEqual([
      [1, 'bad'],
      [2, 'ok'],
      [3, 'x'],
    ]);
    expect(problems[0]!.issues.join()).toMatch(/pulseMs/);
  });
});
