// Owns the pieces a protocol's settings are made of, as zod shapes the terminal's device
// configuration embeds (validated on every write): serial paths and baud rates, hosts and ports, USB
// ids written as numbers or hex text, a HID device by path or by ids, and a printer's link (raw TCP,
// serial or USB printer class).
import { z } from 'zod';
import { hex4 } from './bytes';

export const SerialPath = z.string().min(1).max(260);
export const Baud = z.number().int().min(300).max(4_000_000);
export const Host = z.string().min(1).max(253);
export const Port = z.number().int().min(1).max(65535);

/** A USB vendor or product id: a number, or hex text such as "0x0c2e" or "0c2e". */
export const UsbId = z.union([
  z.number().int().min(0).max(0xffff),
  z
    .string()
    .regex(/^(0x)?[0-9a-fA-F]{1,4}$/, 'a 16-bit hex id such as "0x0c2e"')
    .transform((s) => parseInt(s.replace(/^0x/i, ''), 16)),
]);

/** A HID device: a node-hid path (from `npm run devices -- list`), or vendorId + productId for the first match. */
export const hidTarget = {
  path: z.string().min(1).max(260).optional(),
  vendorId: UsbId.optional(),
  productId: UsbId.optional(),
};

/** How a printer is reached. */
export const PrinterLinkSettings = z.discriminatedUnion('type', [
  z.object({ type: z.literal('tcp'), host: Host, port: Port.default(9100) }).strict(),
  z.object({ type: z.literal('serial'), path: SerialPath, baudRate: Baud.default(9600), rtscts: z.boolean().default(false) }).strict(),
  z.object({ type: z.literal('usb'), vendorId: UsbId, productId: UsbId, serialNumber: z.string().min(1).max(126).optional() }).strict(),
]);
export type PrinterLinkSettings = z.infer<typeof PrinterLinkSettings>;

/** The settings every printer on a PrinterLink has. */
export const printerLink = {
  transport: PrinterLinkSettings,
  /** Reply / connect timeout. */
  timeoutMs: z.number().int().min(200).max(30_000).default(3000),
};

/** "usb 0c2e:0b87 #SN", as lists and logs show a USB device. */
export const describeUsb = (vendorId: number, productId: number, serialNumber?: string): string =>
  `usb ${hex4(vendorId)}:${hex4(productId)}${serialNumber ? ` #${serialNumber}` : ''}`;

export function describePrinterLink(t: PrinterLinkSettings): string {
  if (t.type === 'tcp') return `tcp ${t.host}:${t.port}`;
  if (t.type === 'serial') return `serial ${t.path} @${t.baudRate}`;
  return describeUsb(t.vendorId, t.productId, t.serialNumber);
}

export const describeSerial = (s: { path: string; baudRate: number }): string => `serial ${s.path} @${s.baudRate}`;
