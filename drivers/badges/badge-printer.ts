// Owns what a badge printer looks like to the badge desk, whichever path it takes: the OS print queue
// (a CUPS queue or a Windows printer with the vendor's driver) or raw Evolis commands over a printer
// transport. Both print a BadgeData (or an already rendered badge) and report the shared PrinterStatus.
import type { TypedEmitter } from '../events';
import type { PrinterStatus } from '../printers/document';
import type { PrinterEvents } from '../printers/printer';
import type { BadgeData, BadgeTemplate, RenderedBadge } from './badge';

export interface BadgePrinter extends TypedEmitter<PrinterEvents> {
  readonly kind: 'evolis' | 'os-queue';
  printBadge(badge: BadgeData | RenderedBadge, template?: BadgeTemplate): Promise<void>;
  status(): Promise<PrinterStatus>;
  close(): Promise<void>;
}

export const isRendered = (b: BadgeData | RenderedBadge): b is RenderedBadge => 'mono' in b && 'grey' in b;
