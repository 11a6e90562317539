// Owns the badge template: the stock a badge is printed on (a CR80 card, a sticker label, A6 paper or
// an N-up A4 sheet; its resolution; one or two sides) and, per side, the elements placed on it — text
// from the attendee or free text per language, a category band, a QR or Code 128 code, the photo and
// logo images — and the one check of a template that the designer, the server and the printer share:
// raw input in, a template or stable reason codes naming the element out. Pure: no I/O.
//
// Places and sizes are in millimetres on the stock, never in dots: one template then prints alike on a
// 300 dpi card printer and a 203 dpi label printer, and the designer shows real sizes. Text sizes are
// in points (1/72 in), as every design tool names them.
import { z } from 'zod';

export const STOCK_KINDS = ['cr80', 'label', 'a6', 'a4-nup'] as const;
export type StockKind = (typeof STOCK_KINDS)[number];

/** The font families Admit ships; a text tries its family first, then the others for what it lacks. */
export const BADGE_FONT_FAMILIES = ['Noto Sans', 'Noto Sans CJK SC', 'Noto Sans Arabic', 'Noto Sans Hebrew'] as const;
export type BadgeFontFamily = (typeof BADGE_FONT_FAMILIES)[number];

/** The attendee fields a text element can show. */
export const BADGE_TEXT_FIELDS = ['name', 'company', 'title', 'category', 'ticketType'] as const;
export type BadgeTextField = (typeof BADGE_TEXT_FIELDS)[number];

/** The languages free text is written in (the UI's). */
export const BADGE_LOCALES = ['en', 'zh-CN', 'ru'] as const;
export type BadgeLocale = (typeof BADGE_LOCALES)[number];

/** The largest logo a template may carry: templates are synced to every terminal. */
export const MAX_IMAGE_BYTES = 512 * 1024;
export const MAX_ELEMENTS_PER_SIDE = 40;
/** Elements may sit this far past the stock's edge (bleed of a band printed edge to edge). */
const EDGE_TOLERANCE_MM = 0.05;

/** Width and height in mm of the stock's printable piece (one badge of an N-up sheet). */
export function stockSizeMm(stock: BadgeStock): { width: number; height: number } {
  switch (stock.kind) {
    case 'cr80':
      // ISO/IEC 7810 ID-1.
      return stock.orientation === 'portrait' ? { width: 53.98, height: 85.6 } : { width: 85.6, height: 53.98 };
    case 'label':
      return { width: stock.widthMm, height: stock.heightMm };
    case 'a6':
      return { width: 105, height: 148 };
    case 'a4-nup':
      return { width: 210 / stock.columns, height: 297 / stock.rows };
  }
}

const mm = z.number().finite().min(0).max(1000);
const colour = z.string().regex(/^#[0-9a-fA-F]{6}$/);
const pt = z.number().finite().min(2).max(400);

const stockSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('cr80'), orientation: z.enum(['landscape', 'portrait']).default('landscape') }),
  z.object({ kind: z.literal('label'), widthMm: z.number().finite().min(10).max(300), heightMm: z.number().finite().min(10).max(600) }),
  z.object({ kind: z.literal('a6') }),
  z.object({ kind: z.literal('a4-nup'), columns: z.number().int().min(1).max(4), rows: z.number().int().min(1).max(8) }),
]);

const box = { x: mm, y: mm, width: mm.min(0.5), height: mm.min(0.5) };

const textStyle = {
  font: z.string().min(1).max(100).default('Noto Sans'),
  weight: z.enum(['regular', 'bold']).default('regular'),
  /** The size the text is drawn at when it fits. */
  maxSizePt: pt,
  /** The text shrinks down to this size before it wraps. */
  minSizePt: pt,
  /** Lines it may wrap to at the minimum size; past them it is refused, never clipped. */
  maxLines: z.number().int().min(1).max(10).default(2),
  align: z.enum(['left', 'center', 'right']).default('left'),
  uppercase: z.boolean().default(false),
};

const textSource = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('field'), field: z.enum(BADGE_TEXT_FIELDS) }),
  z.object({ kind: z.literal('free'), text: z.object({ en: z.string().max(500), 'zh-CN': z.string().max(500).optional(), ru: z.string().max(500).optional() }) }),
]);

const elementSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), ...box, source: textSource, ...textStyle, colour: colour.default('#000000') }),
  z.object({
    type: z.literal('band'),
    ...box,
    colour: colour.default('#000000'),
    /** A band colour per category (or ticket type) name, over `colour`. */
    colours: z.record(z.string().max(200), colour).default({}),
    label: z.enum(['category', 'ticketType', 'none']).default('ticketType'),
    ...textStyle,
    colourOfText: colour.default('#ffffff'),
  }),
  z.object({
    type: z.literal('code'),
    ...box,
    symbology: z.enum(['qr', 'code128']).default('qr'),
    source: z.enum(['ticketCode', 'badgeId']).default('ticketCode'),
    /** The code's text printed under it. */
    caption: z.boolean().default(true),
  }),
  z.object({ type: z.literal('photo'), ...box, fit: z.enum(['cover', 'contain']).default('cover') }),
  z.object({ type: z.literal('image'), ...box, /** PNG or JPEG bytes, base64. */ data: z.string().max(Math.ceil((MAX_IMAGE_BYTES * 4) / 3) + 8) }),
]);

export const badgeTemplateSchema = z.object({
  name: z.string().trim().min(1).max(200),
  stock: stockSchema,
  dpi: z.number().int().min(150).max(1200).default(300),
  sides: z.union([z.literal(1), z.literal(2)]).default(1),
  /** Per side, front first; drawn in list order (later elements over earlier ones). */
  elements: z.array(z.array(elementSchema).max(MAX_ELEMENTS_PER_SIDE)).min(1).max(2),
});

export type BadgeTemplate = z.output<typeof badgeTemplateSchema>;
export type BadgeTemplateInput = z.input<typeof badgeTemplateSchema>;
export type BadgeStock = BadgeTemplate['stock'];
export type BadgeElement = BadgeTemplate['elements'][number][number];
export type BadgeTextElement = Extract<BadgeElement, { type: 'text' }>;
export type BadgeBandElement = Extract<BadgeElement, { type: 'band' }>;

/** Why a template (or an image for it) was refused; stable codes for every screen to translate. */
export const BADGE_TEMPLATE_REASONS = [
  'invalid',
  'sides_mismatch',
  'element_off_stock',
  'font_missing',
  'text_size_range',
  'image_too_large',
  'image_bad_format',
] as const;
export type BadgeTemplateReason = (typeof BADGE_TEMPLATE_REASONS)[number];

export interface BadgeTemplateProblem {
  reason: BadgeTemplateReason;
  /** 0 front, 1 back; absent for the template as a whole. */
  side?: number;
  /** The element's index in its side's list. */
  index?: number;
  detail: string;
}

export type ImageFormat = 'png' | 'jpeg';

/** The image's format by its magic bytes, or null when it is neither PNG nor JPEG. */
export function imageFormat(bytes: Uint8Array): ImageFormat | null {
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length >= 8 && png.every((b, i) => bytes[i] === b)) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  return null;
}

/** Why image bytes cannot go on a badge (too large, not PNG/JPEG), or null when they can. */
export function imageProblem(bytes: Uint8Array, maxBytes = MAX_IMAGE_BYTES): { reason: 'image_too_large' | 'image_bad_format'; detail: string } | null {
  if (bytes.length > maxBytes) return { reason: 'image_too_large', detail: `${bytes.length} bytes, at most ${maxBytes}` };
  if (!imageFormat(bytes)) return { reason: 'image_bad_format', detail: 'neither PNG nor JPEG' };
  return null;
}

/** Base64 to bytes (null when it is not base64), in Node and in the browser alike. */
export function base64Bytes(data: string): Uint8Array | null {
  try {
    const bin = atob(data.replace(/\s+/g, ''));
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}

export type BadgeTemplateCheck = { ok: true; template: BadgeTemplate } | { ok: false; problems: BadgeTemplateProblem[] };

/** The one check of a template: shape, sides, every element on the stock, shipped fonts, sizes, images. */
export function checkBadgeTemplate(input: unknown): BadgeTemplateCheck {
  const parsed = badgeTemplateSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.map((i) => ({ reason: 'invalid' as const, detail: `${i.path.join('.')}: ${i.message}` })) };
  }
  const t = parsed.data;
  const problems: BadgeTemplateProblem[] = [];
  if (t.elements.length !== t.sides) problems.push({ reason: 'sides_mismatch', detail: `${t.sides} side(s) but ${t.elements.length} element list(s)` });
  const stock = stockSizeMm(t.stock);
  t.elements.forEach((els, side) =>
    els.forEach((e, index) => {
      const at = { side, index };
      if (e.x + e.width > stock.width + EDGE_TOLERANCE_MM || e.y + e.height > stock.height + EDGE_TOLERANCE_MM) {
        problems.push({ reason: 'element_off_stock', ...at, detail: `${e.type} at ${e.x},${e.y} of ${e.width}x${e.height} mm on a ${stock.width}x${stock.height} mm stock` });
      }
      if (e.type === 'text' || e.type === 'band') {
        if (!(BADGE_FONT_FAMILIES as readonly string[]).includes(e.font)) problems.push({ reason: 'font_missing', ...at, detail: `font ${JSON.stringify(e.font)} is not shipped` });
        if (e.minSizePt > e.maxSizePt) problems.push({ reason: 'text_size_range', ...at, detail: `minimum ${e.minSizePt} pt above maximum ${e.maxSizePt} pt` });
      }
      if (e.type === 'image') {
        const bytes = base64Bytes(e.data);
        const p = bytes ? imageProblem(bytes) : { reason: 'image_bad_format' as const, detail: 'not base64' };
        if (p) problems.push({ ...p, ...at });
      }
    }),
  );
  return problems.length > 0 ? { ok: false, problems } : { ok: true, template: t };
}

/** Dots per mm at a resolution. */
export const dotsPerMm = (dpi: number): number => dpi / 25.4;

/**
 * Today's standard CR80 layout as a template: QR top right with its code under it, name (bold) and
 * company left, the ticket type in a black band along the bottom, and the photo's place top left
 * (text over the photo's place moves right of the photo when the attendee has one).
 */
export function defaultBadgeTemplate(): BadgeTemplate {
  // From the 1016 x 648 dot Evolis card layout the badges used before templates.
  const kx = 85.6 / 1016;
  const ky = 53.98 / 648;
  const r = (x: number, y: number, w: number, h: number) => ({ x: +(x * kx).toFixed(2), y: +(y * ky).toFixed(2), width: +(w * kx).toFixed(2), height: +(h * ky).toFixed(2) });
  const style = { font: 'Noto Sans', maxLines: 2, align: 'left' as const, uppercase: false };
  return {
    name: 'Standard',
    stock: { kind: 'cr80', orientation: 'landscape' },
    dpi: 300,
    sides: 1,
    elements: [
      [
        { type: 'photo', ...r(40, 40, 200, 250), fit: 'cover' },
        { type: 'text', ...r(40, 50, 600, 140), source: { kind: 'field', field: 'name' }, ...style, colour: '#000000', weight: 'bold', maxSizePt: 22, minSizePt: 9 },
        { type: 'text', ...r(40, 200, 600, 90), source: { kind: 'field', field: 'company' }, ...style, colour: '#000000', weight: 'regular', maxSizePt: 13, minSizePt: 7 },
        { type: 'code', ...r(656, 36, 340, 360), symbology: 'qr', source: 'ticketCode', caption: true },
        { type: 'band', ...r(0, 498, 1016, 150), colour: '#000000', colours: {}, label: 'ticketType', ...style, weight: 'bold', align: 'center', uppercase: true, maxSizePt: 16, minSizePt: 8, maxLines: 1, colourOfText: '#ffffff' },
      ],
    ],
  };
}
