// Owns the running device drivers of a terminal: starts each from its configuration, keeps a failing
// driver from touching the others or the core, reports status, and routes scans and gate openings.
import { EventEmitter } from 'node:events';
import type { DeviceStatus } from '../../contract';
import type { PrintDocument } from '../../../drivers/printers/document';
import { createEscPosPrinter } from '../../../drivers/printers/escpos-printer';
import { openLcusRelay } from '../../../drivers/relays/lcus-relay';
import { openSerialScanner } from '../../../drivers/scanners/serial-scanner';
import type { DeviceConfig } from './config';

type Running =
  | { config: Extract<DeviceConfig, { kind: 'scanner' }>; driver: ReturnType<typeof openSerialScanner> }
  | { config: Extract<DeviceConfig, { kind: 'relay' }>; driver: ReturnType<typeof openLcusRelay> }
  | { config: Extract<DeviceConfig, { kind: 'printer' }>; driver: ReturnType<typeof createEscPosPrinter> };

export type SupervisorEvents = {
  status: [DeviceStatus];
  scan: [{ deviceId: string; code: string }];
  scanError: [{ deviceId: string; code: string; detail: string }];
};

export class DeviceSupervisor extends EventEmitter<SupervisorEvents> {
  private readonly running = new Map<string, Running>();
  private readonly statuses = new Map<string, DeviceStatus>();

  start(configs: readonly DeviceConfig[]): void {
    for (const config of configs) {
      try {
        this.startOne(config);
      } catch (e) {
        this.setStatus(config, 'error', e instanceof Error ? e.message : String(e));
      }
    }
  }

  list(): DeviceStatus[] {
    return [...this.statuses.values()];
  }

  private setStatus(config: DeviceConfig, state: DeviceStatus['state'], reason: string | null = null): void {
    const status: DeviceStatus = { id: config.id, kind: config.kind, name: config.name, state, reason };
    this.statuses.set(config.id, status);
    this.emit('status', status);
  }

  private startOne(config: DeviceConfig): void {
    this.setStatus(config, 'connecting');
    switch (config.kind) {
      case 'scanner': {
        const driver = openSerialScanner({ path: config.path, baudRate: config.baudRate, terminator: config.terminator });
        driver.on('status', (s) => this.setStatus(config, s));
        driver.on('scan', (s) => this.emit('scan', { deviceId: config.id, code: s.code }));
        driver.on('error', (e) => this.emit('scanError', { deviceId: config.id, code: e.code, detail: e.detail }));
        this.running.set(config.id, { config, driver });
        break;
      }
      case 'relay': {
        const driver = openLcusRelay({ path: config.path, baudRate: config.baudRate });
        driver.on('status', (s) => this.setStatus(config, s));
        this.running.set(config.id, { config, driver });
        break;
      }
      case 'printer': {
        const driver = createEscPosPrinter({ host: config.host, port: config.port, timeoutMs: 3000 });
        driver.on('status', (s) => this.setStatus(config, s));
        driver.on('printer-status', (p) =>
          p.paperOut
            ? this.setStatus(config, 'paper_out')
            : p.coverOpen
              ? this.setStatus(config, 'cover_open')
              : p.error || !p.online
                ? this.setStatus(config, 'error', p.error ? 'printer_error' : 'offline')
                : this.setStatus(config, p.paperNearEnd ? 'paper_low' : 'connected'),
        );
        this.running.set(config.id, { config, driver });
        // A network printer is only known to be there once it answers a status request.
        driver.status().catch((e: unknown) => this.setStatus(config, 'error', e instanceof Error ? ((e as { code?: string }).code ?? e.message) : String(e)));
        break;
      }
    }
  }

  /** Pulses every gate relay; a relay failure is reported as its status, never thrown at the scan. */
  openGate(): void {
    for (const r of this.running.values()) {
      if (r.config.kind !== 'relay') continue;
      const { config } = r;
      (r.driver as ReturnType<typeof openLcusRelay>)
        .pulse(config.channel, config.pulseMs)
        .catch((e: unknown) => this.setStatus(config, 'error', e instanceof Error ? e.message : String(e)));
    }
  }

  hasPrinter(): boolean {
    return [...this.running.values()].some((r) => r.config.kind === 'printer');
  }

  async print(docs: readonly PrintDocument[]): Promise<void> {
    const printer = [...this.running.values()].find((r) => r.config.kind === 'printer');
    if (!printer) throw new Error('no printer configured');
    const driver = printer.driver as ReturnType<typeof createEscPosPrinter>;
    this.setStatus(printer.config, 'busy');
    try {
      for (const doc of docs) await driver.print(doc);
      this.setStatus(printer.config, 'connected');
    } catch (e) {
      const reason = e instanceof Error ? ((e as { code?: string }).code ?? e.message) : String(e);
      const state = reason === 'paper_out' ? 'paper_out' : reason === 'cover_open' ? 'cover_open' : 'error';
      this.setStatus(printer.config, state, reason);
      throw e;
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.running.values()].map((r) => Promise.resolve(r.driver.close())));
    this.running.clear();
    this.statuses.clear();
  }
}
