// Owns printing on a ZPL label printer (Zebra and compatibles) over any printer transport, with ~HS
// read before and after each label.
import type { LabelDocument } from './label';
import { LabelPrinterBase, labelPrinterProtocol, type LabelPrinterOptions } from './label-printer';
import * as zpl from './zpl';

export class ZplPrinter extends LabelPrinterBase {
  readonly protocol = 'zpl' as const;

  renderLabel(label: LabelDocument): Buffer {
    return zpl.renderLabel(label);
  }

  protected async readStatus() {
    const reply = await this.transport.request(zpl.HOST_STATUS_REQUEST, zpl.hostStatusFrame, '~HS');
    const host = zpl.parseHostStatus(reply);
    return { status: this.announce(zpl.toPrinterStatus(host)), refusal: zpl.refusal(host, this.name) };
  }
}

export function createZplPrinter(options: LabelPrinterOptions): ZplPrinter {
  return new ZplPrinter(options);
}

/** ZPL (Zebra) label printer on any link. */
export const zplProtocol = labelPrinterProtocol(['label'], (options) => createZplPrinter(options));
