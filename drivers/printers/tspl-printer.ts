// Owns printing on a TSPL label printer (TSC and compatibles) over any printer transport.
import type { LabelDocument } from './label';
import { LabelPrinterBase, type LabelPrinterOptions } from './label-printer';
import * as tspl from './tspl';
import { defineProtocol } from '../protocol';
import { describePrinterLink, printerLink } from '../settings';
import { openPrinterLink, printerLinkUsb } from './transports/open';

export class TsplPrinter extends LabelPrinterBase {
  readonly protocol = 'tspl' as const;

  renderLabel(label: LabelDocument): Buffer {
    return tspl.renderLabel(label);
  }

  protected async readStatus() {
    const [b] = await this.transport.request(tspl.STATUS_REQUEST, 1, 'ESC ! ?');
    const status = this.announce(tspl.decodeStatus(b ?? 0));
    return { status, refusal: tspl.refusal(b ?? 0, this.name) };
  }
}

export function createTsplPrinter(options: LabelPrinterOptions): TsplPrinter {
  return new TsplPrinter(options);
}

/** TSPL (TSC) label printer on any link. */
export const tsplProtocol = defineProtocol({
  class: 'printer',
  prints: ['label'],
  settings: printerLink,
  open: (s, ctx) => createTsplPrinter({ transport: openPrinterLink(s.transport, s.timeoutMs, ctx) }),
  describe: (s) => describePrinterLink(s.transport),
  usb: (s) => printerLinkUsb(s.transport),
});
