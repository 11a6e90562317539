// Owns the printer-neutral description of what to print. Screens and the ticket layout build a
// PrintDocument; each printer driver turns it into its own language (ESC/POS here, others later).

export type TextAlign = 'left' | 'center' | 'right';

export type PrintBlock =
  | { type: 'text'; text: string; align?: TextAlign; bold?: boolean; size?: 1 | 2 }
  | { type: 'qr'; data: string; moduleSize?: number; align?: TextAlign }
  | { type: 'feed'; lines: number }
  | { type: 'rule' }
  | { type: 'cut' }
  /** A whole badge: drawn from its template by the one badge renderer (drivers/badges/badge-render.ts)
   *  at the printer's own resolution and stock, so what the designer previews is what prints. Only
   *  printers whose kinds include 'badge' take it; it stands alone in its document, or with other badge
   *  blocks (a group: an N-up sheet fills page by page). */
  | BadgeBlock;

/** The attendee as a badge shows them; `photo`: PNG or JPEG bytes, base64. */
export interface BadgeBlockAttendee {
  name: string;
  company?: string;
  title?: string;
  category?: string;
  ticketType?: string;
  ticketCode: string;
  badgeId?: string;
  photo?: string;
}

export interface BadgeBlock {
  type: 'badge';
  /** The layout (domain/badge-template.ts), as the server replicated it: checked before printing. */
  template: unknown;
  attendee: BadgeBlockAttendee;
  /** The language of the template's free texts (default en). */
  locale?: 'en' | 'zh-CN' | 'ru';
}

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
  /** A card printer's ribbon is used up or missing (absent: the printer has none or cannot tell). */
  ribbonOut?: boolean;
}
