// Owns turning a printer's link settings (raw TCP, serial, USB printer class) into its transport,
// what USB hot-plug recognises it by, and the registry entry of a printer that needs nothing but a link. A USB printer is looked up through the context's
// transports on every (re)connect, so it is 'unreachable' while unplugged and a simulated one can
// stand in for it.
import { hex4 } from '../../bytes';
import { defineProtocol, type PrintKind, type UsbIdentity } from '../../protocol';
import { describePrinterLink, printerLink, type PrinterLinkSettings } from '../../settings';
import type { Printer } from '../printer';
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

/** The protocol of a printer that needs only its link: `prints` are its default job kinds, `create`
 *  builds the printer on the opened transport. */
export const linkPrinterProtocol = (prints: readonly PrintKind[], create: (transport: PrinterTransport) => Printer) =>
  defineProtocol({
    class: 'printer',
    prints,
    settings: printerLink,
    open: (s, ctx) => create(openPrinterLink(s.transport, s.timeoutMs, ctx)),
    describe: (s) => describePrinterLink(s.transport),
    usb: (s) => printerLinkUsb(s.transport),
  });
