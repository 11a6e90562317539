// Owns a simulated HID POS scanner on the device end of a simulated HID link: "scans" codes as the
// input reports a Honeywell-style scanner sends (split into 56-byte reports with the AIM id), obeys
// the HID POS mode switch and the software trigger, and can be unplugged and plugged back in.
import { DriverError } from '../errors';
import { TypedEmitter } from '../events';
import { createSimulatedHidPair, type SimulatedHidDevice } from '../hid/simulated';
import type { HidDeviceInfo, HidTransport } from '../hid/transport';
import { HID_POS_ENABLE_FEATURE, HID_POS_TRIGGER_REPORT, HID_POS_USAGE_PAGE, HID_POS_USAGE_SCANNER, aimFor, encodeHidPosReports, type Symbology } from './hid-pos';

export interface HidPosSimulatorOptions {
  /** Drop scans until the host sent the mode switch (a real scanner would type them as a keyboard). */
  requireEnable?: boolean;
  /** Refuse the mode switch (scanners without the Honeywell feature report). */
  refuseEnable?: boolean;
  /** Answer a software trigger by scanning this code. */
  onTrigger?: () => string | undefined;
  info?: Partial<HidDeviceInfo>;
}

type HidPosSimEvents = {
  enabled: [];
  trigger: [];
  connect: [];
};

export class HidPosSimulator extends TypedEmitter<HidPosSimEvents> {
  enabled = false;
  triggers = 0;
  connects = 0;
  #device: SimulatedHidDevice | null = null;
  #plugged = true;

  constructor(private readonly options: HidPosSimulatorOptions = {}) {
    super();
  }

  /** The current device end, if connected. */
  get device(): SimulatedHidDevice | null {
    return this.#device;
  }

  /** Open the device: a fresh host transport, as node-hid's open would give. */
  connect(): HidTransport {
    if (!this.#plugged) throw new DriverError('not_found', 'simulated HID POS scanner is unplugged');
    if (this.#device && !this.#device.unplugged) void this.#device.unplug();
    const { host, device } = createSimulatedHidPair({
      vendorId: 0x0c2e,
      productId: 0x0b87,
      product: 'Simulated HID POS scanner',
      usagePage: HID_POS_USAGE_PAGE,
      usage: HID_POS_USAGE_SCANNER,
      ...this.options.info,
    });
    // Every open is a fresh USB enumeration: the mode switch is sent again by the host.
    this.enabled = false;
    device.handler = {
      set: (report) => {
        if (report.equals(HID_POS_ENABLE_FEATURE)) {
          if (this.options.refuseEnable) throw new Error('feature report 0xFE not supported');
          this.enabled = true;
          this.emit('enabled');
        }
      },
    };
    device.on('write', (report) => {
      if (!report.equals(HID_POS_TRIGGER_REPORT)) return;
      this.triggers++;
      this.emit('trigger');
      const code = this.options.onTrigger?.();
      if (code !== undefined) void this.scan(code);
    });
    this.#device = device;
    this.connects++;
    this.emit('connect');
    return host;
  }

  /** For the driver's `open` option: fails with not_found while unplugged. */
  opener(): () => Promise<HidTransport> {
    return async () => this.connect();
  }

  /**
   * Scan `code` (UTF-8) as `symbology` (or an explicit AIM id such as "]C1"). Resolves false when
   * the code went nowhere (not connected, or not in HID POS mode with requireEnable).
   */
  async scan(code: string | Uint8Array, symbology: Symbology | { aim: string } = 'QR'): Promise<boolean> {
    const aim = typeof symbology === 'string' ? aimFor(symbology, symbology === 'QR' ? '1' : '0') : symbology.aim;
    const d = this.#device;
    if (!d || d.unplugged) return false;
    if (this.options.requireEnable && !this.enabled) return false;
    for (const r of encodeHidPosReports(code, aim)) await d.sendReport(r);
    return true;
  }

  /** Send arbitrary input reports (fault tests). */
  async sendReports(...reports: Array<Uint8Array | number[]>): Promise<void> {
    const d = this.#device;
    if (!d || d.unplugged) throw new DriverError('io', 'simulated HID POS scanner is not connected');
    for (const r of reports) await d.sendReport(Uint8Array.from(r));
  }

  /** Pull the cable: the host's transport closes, and opening fails until replug(). */
  async unplug(): Promise<void> {
    this.#plugged = false;
    const d = this.#device;
    this.#device = null;
    if (d && !d.unplugged) await d.unplug();
  }

  replug(): void {
    this.#plugged = true;
  }
}

export function createHidPosSimulator(options: HidPosSimulatorOptions = {}): HidPosSimulator {
  return new HidPosSimulator(options);
}
