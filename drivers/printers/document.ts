// Owns the printer-neutral description of what to print. Screens and the ticket layout build a
// PrintDocument; each printer driver turns it into its own language (ESC/POS here, others later).

export type TextAlign = 'left' | 'center' | 'right';

export type PrintBlock =
  | { type: 'text'; text: string; align?: TextAlign; bold?: boolean; size?: 1 | 2 }
  | { type: 'qr'; data: string; moduleSize?: number; align?: TextAlign }
  | { type: 'feed'; lines: number }
  | { type: 'rule' }
  | { type: 'cut' };

export interface PrintDocument {
  blocks: PrintBlock[];
}

/** Status every printer driver reports, whatever its protocol. */
export interface PrinterStatus {
  online: boolean;
  coverOpen: boolean;
  paperOut: boolean;
  paperNearEnd: boolean;
  error: boolean;
}
