// Owns the positioned-label model that TSPL, ZPL and FGL share: a label (or ticket) of a given size
// with text, QR and image items at dot positions; its checks; and the flow layout that turns the
// core's PrintDocument (a receipt-like list of blocks) into labels for printers that only know
// absolute positions.
import QRCode from 'qrcode';
import { DriverError } from '../errors';
import type { PrintBlock, PrintDocument } from './document';
import type { PrinterErrorCode } from './printer';
import type { QrLevel } from './raster';

export type LabelItem =
  /** `height` in dots (default 24); characters are 2/3 as wide as high. */
  | { type: 'text'; x: number; y: number; text: string; height?: number; bold?: boolean }
  | { type: 'qr'; x: number; y: number; data: string; moduleSize?: number; errorCorrection?: QrLevel }
  /** Packed rows, MSB leftmost, 1 = black, ceil(width / 8) bytes per row. */
  | { type: 'image'; x: number; y: number; width: number; height: number; bits: Uint8Array };

export interface LabelDocument {
  widthMm: number;
  heightMm: number;
  /** Gap between labels on the liner (TSPL GAP). */
  gapMm?: number;
  /** Printer resolution; 203 unless the printer is a 300 dpi model. */
  dpi?: number;
  copies?: number;
  items: LabelItem[];
}

export const DEFAULT_DPI = 203;
export const DEFAULT_TEXT_HEIGHT = 24;
/** Byte-mode capacity of a version 40 symbol at level L. */
export const MAX_QR_BYTES = 2953;
const MAX_LABEL_MM = 400;

export const mmToDots = (mm: number, dpi = DEFAULT_DPI): number => Math.round((mm * dpi) / 25.4);
export const charWidth = (height: number): number => Math.max(1, Math.round((height * 2) / 3));

const bad = (detail: string) => new DriverError<PrinterErrorCode>('bad_document', detail);

/** Side in modules of the QR symbol a printer would draw for `data`. */
export function qrModules(data: string, level: QrLevel = 'M'): number {
  return QRCode.create([{ data: Buffer.from(data, 'utf8'), mode: 'byte' }], { errorCorrectionLevel: level }).modules.size;
}

/** Throws a 'bad_document' DriverError naming the first thing a printer could not print. */
export function validateLabel(label: LabelDocument): void {
  const dpi = label.dpi ?? DEFAULT_DPI;
  for (const [k, v] of [['widthMm', label.widthMm], ['heightMm', label.heightMm]] as const) {
    if (!Number.isFinite(v) || v <= 0 || v > MAX_LABEL_MM) throw bad(`${k} ${v} is outside 0..${MAX_LABEL_MM} mm`);
  }
  if (label.gapMm !== undefined && (!Number.isFinite(label.gapMm) || label.gapMm < 0 || label.gapMm > 50)) throw bad(`gapMm ${label.gapMm} is outside 0..50`);
  if (![152, 200, 203, 300, 600].includes(dpi)) throw bad(`dpi ${dpi} is not a printer resolution (152, 200, 203, 300, 600)`);
  const copies = label.copies ?? 1;
  if (!Number.isInteger(copies) || copies < 1 || copies > 9999) throw bad(`copies ${copies} is outside 1..9999`);
  const w = mmToDots(label.widthMm, dpi);
  const h = mmToDots(label.heightMm, dpi);
  label.items.forEach((it, i) => {
    const where = `item ${i} (${it.type})`;
    if (!Number.isInteger(it.x) || !Number.isInteger(it.y) || it.x < 0 || it.y < 0 || it.x >= w || it.y >= h) {
      throw bad(`${where} at ${it.x},${it.y} is not a dot position on a ${w}x${h} label`);
    }
    switch (it.type) {
      case 'text': {
        const th = it.height ?? DEFAULT_TEXT_HEIGHT;
        if (!Number.isInteger(th) || th < 8 || th > 600) throw bad(`${where}: text height ${th} is outside 8..600 dots`);
        if (it.text.length > 1000) throw bad(`${where}: text of ${it.text.length} characters`);
        break;
      }
      case 'qr': {
        const bytes = Buffer.byteLength(it.data, 'utf8');
        if (bytes === 0) throw bad(`${where}: QR data is empty`);
        if (bytes > MAX_QR_BYTES) throw bad(`${where}: QR data is ${bytes} bytes; max ${MAX_QR_BYTES}`);
        const m = it.moduleSize ?? 6;
        if (!Number.isInteger(m) || m < 1 || m > 16) throw bad(`${where}: module size ${m} is outside 1..16`);
        break;
      }
      case 'image': {
        if (!Number.isInteger(it.width) || !Number.isInteger(it.height) || it.width < 1 || it.height < 1 || it.width > w || it.height > h) {
          throw bad(`${where}: image ${it.width}x${it.height} does not fit a ${w}x${h} label`);
        }
        const need = Math.ceil(it.width / 8) * it.height;
        if (it.bits.length !== need) throw bad(`${where}: image data is ${it.bits.length} bytes, expected ${need}`);
        break;
      }
    }
  });
}

export interface LayoutOptions {
  /** Printable width in dots. */
  width: number;
  /** Label height in dots: content that does not fit is a 'bad_document'. Omitted: no limit. */
  height?: number;
  margin?: number;
  /** Put QR codes in a column on the right (a box-office ticket's stub) instead of in the flow. */
  qrColumn?: boolean;
}

/**
 * Flow a PrintDocument into positioned items, one page per `cut` (a trailing cut ends the last page).
 * Text wraps by characters at the width; 'size: 2' doubles the height; a rule is a 2-dot line.
 */
export function layoutDocument(doc: PrintDocument, options: LayoutOptions): LabelItem[][] {
  const margin = options.margin ?? 16;
  const pages: LabelItem[][] = [];
  let items: LabelItem[] = [];
  let y = margin;
  let qrY = margin;
  // In qrColumn mode the text column ends left of the widest symbol.
  const qrBlocks = doc.blocks.filter((b): b is Extract<PrintBlock, { type: 'qr' }> => b.type === 'qr');
  const qrSide = (b: Extract<PrintBlock, { type: 'qr' }>) => qrModules(b.data) * (b.moduleSize ?? 6);
  const columnWidth = options.qrColumn && qrBlocks.length ? Math.max(...qrBlocks.map(qrSide)) + margin : 0;
  const textRight = options.width - margin - columnWidth;

  const endPage = () => {
    if (items.length) pages.push(items);
    items = [];
    y = qrY = margin;
  };
  const fits = (bottom: number, what: string) => {
    if (options.height !== undefined && bottom > options.height - margin / 2) {
      throw bad(`${what} ends at dot ${bottom}, past the ${options.height}-dot label`);
    }
  };
  const xFor = (align: string | undefined, w: number, right: number) =>
    align === 'center' ? Math.max(margin, Math.floor((margin + right - w) / 2)) : align === 'right' ? Math.max(margin, right - w) : margin;

  doc.blocks.forEach((b, i) => {
    switch (b.type) {
      case 'text': {
        const h = b.size === 2 ? DEFAULT_TEXT_HEIGHT * 2 : DEFAULT_TEXT_HEIGHT;
        const cw = charWidth(h);
        const perLine = Math.max(1, Math.floor((textRight - margin) / cw));
        const chars = [...b.text];
        const lines: string[] = [];
        for (let k = 0; k < chars.length; k += perLine) lines.push(chars.slice(k, k + perLine).join(''));
        if (lines.length === 0) lines.push('');
        for (const line of lines) {
          fits(y + h, `block ${i} (text)`);
          if (line) items.push({ type: 'text', x: xFor(b.align, [...line].length * cw, textRight), y, text: line, height: h, ...(b.bold ? { bold: true } : {}) });
          y += h + Math.round(h / 4);
        }
        break;
      }
      case 'qr': {
        if (!b.data) throw bad(`block ${i}: QR data is empty`);
        if (Buffer.byteLength(b.data) > MAX_QR_BYTES) throw bad(`block ${i}: QR data is ${Buffer.byteLength(b.data)} bytes; max ${MAX_QR_BYTES}`);
        const m = b.moduleSize ?? 6;
        const side = qrModules(b.data) * m;
        if (options.qrColumn) {
          fits(qrY + side, `block ${i} (QR)`);
          items.push({ type: 'qr', x: options.width - margin - side, y: qrY, data: b.data, moduleSize: m, errorCorrection: 'M' });
          qrY += side + margin;
        } else {
          // Quiet zone of 4 modules above and below, as a scanner needs.
          y += 4 * m;
          fits(y + side, `block ${i} (QR)`);
          items.push({ type: 'qr', x: xFor(b.align ?? 'center', side, options.width - margin), y, data: b.data, moduleSize: m, errorCorrection: 'M' });
          y += side + 4 * m;
        }
        break;
      }
      case 'feed':
        y += Math.max(0, Math.min(255, Math.floor(b.lines))) * DEFAULT_TEXT_HEIGHT;
        break;
      case 'rule': {
        const w = textRight - margin;
        const bytes = Math.ceil(w / 8);
        fits(y + 12, `block ${i} (rule)`);
        items.push({ type: 'image', x: margin, y: y + 10, width: w, height: 2, bits: new Uint8Array(bytes * 2).fill(0xff) });
        y += 24;
        break;
      }
      case 'cut':
        endPage();
        break;
      case 'badge':
        throw bad(`block ${i} (badge): a badge prints only on its own, on a printer that takes badges`);
    }
  });
  endPage();
  return pages;
}
