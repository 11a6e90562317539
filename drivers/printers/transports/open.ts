// Owns turning a printer's link settings (raw TCP, serial, USB printer class) into its transport,
// and what USB hot-plug recognises it by. A USB printer is looked up through the context's
// transports on every (re)connect, so it is 'unreachable' while unplugged and a simulated one can
// stand in for it.
import { hex4 } from '../../bytes';
import type { UsbIdentity } from '../../protocol';
import type { PrinterLinkSettings } from '../../settings';
import type { OpenContext } from '../../transports';
import { createTcpTransport } from '../tcp-link';
import { createSerialTransport } from './serial';
import type { PrinterTransport } from './transport';
import { createUsbTransport } from './usb';

export function openPrinterLink(t: PrinterLinkSettings, timeoutMs: number, ctx: OpenContext): PrinterTransport {
  switch (t.type) {
    case 'tcp':
      return createTcpTransport({ host: t.host, port: t.port, timeoutMs });
    case 'serial':
      return createSerialTransport({ path: t.path, baudRate: t.baudRate, rtscts: t.rtscts, timeoutMs });
    case 'usb':
      return createUsbTransport({
        timeoutMs,
        name: `usb:${hex4(t.vendorId)}:${hex4(t.productId)}${t.serialNumber ? `:${t.serialNumber}` : ''}`,
        device: async () => {
          const d = await ctx.transports.findUsbPrinter({ vendorId: t.vendorId, productId: t.productId, serialNumber: t.serialNumber });
          if (!d) throw new Error('device not connected');
          return d;
        },
      });
  }
}

export const printerLinkUsb = (t: PrinterLinkSettings): UsbIdentity => (t.type === 'usb' ? { vendorId: t.vendorId, productId: t.productId } : null);
