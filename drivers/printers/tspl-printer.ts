// Owns printing on a TSPL label printer (TSC and compatibles) over any printer transport.
import type { LabelDocument } from './label';
import { LabelPrinterBase, labelPrinterProtocol, type LabelPrinterOptions } from './label-printer';
import * as tspl from './tspl';

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
export const tsplProtocol = labelPrinterProtocol(['label'], (options) => createTsplPrinter(options));
