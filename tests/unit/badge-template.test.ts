// Badge templates: the schema's defaults, the stock sizes, and the coded reasons a template is refused
// for — an element off the stock (with its index), a font Admit does not ship, a text whose minimum
// size is above its maximum, a logo too large or neither PNG nor JPEG, sides that do not match.
import { describe, expect, it } from 'vitest';
import { checkBadgeTemplate, defaultBadgeTemplate, imageFormat, imageProblem, MAX_IMAGE_BYTES, stockSizeMm, type BadgeTemplateInput } from '../../domain/badge-template';

const PNG_1x1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==';

function template(elements: BadgeTemplateInput['elements'][number], extra: Partial<BadgeTemplateInput> = {}): BadgeTemplateInput {
  return { name: 'Test', stock: { kind: 'cr80' }, elements: [elements], ...extra };
}
const name = { type: 'text' as const, x: 5, y: 5, width: 50, height: 10, source: { kind: 'field' as const, field: 'name' as const }, maxSizePt: 20, minSizePt: 8 };

describe('badge templates', () => {
  it('fills defaults and accepts the standard layout', () => {
    const r = checkBadgeTemplate(template([name]));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.template.dpi).toBe(300);
    expect(r.template.sides).toBe(1);
    expect(r.template.elements[0]![0]).toMatchObject({ font: 'Noto Sans', weight: 'regular', maxLines: 2, align: 'left', colour: '#000000' });
    expect(checkBadgeTemplate(defaultBadgeTemplate())).toMatchObject({ ok: true });
  });

  it('knows every stock size in millimetres', () => {
    expect(stockSizeMm({ kind: 'cr80', orientation: 'landscape' })).toEqual({ width: 85.6, height: 53.98 });
    expect(stockSizeMm({ kind: 'cr80', orientation: 'portrait' })).toEqual({ width: 53.98, height: 85.6 });
    expect(stockSizeMm({ kind: 'label', widthMm: 100, heightMm: 60 })).toEqual({ width: 100, height: 60 });
    expect(stockSizeMm({ kind: 'a6' })).toEqual({ width: 105, height: 148 });
    expect(stockSizeMm({ kind: 'a4-nup', columns: 2, rows: 2 })).toEqual({ width: 105, height: 148.5 });
  });

  it('refuses an element off the stock, naming its side and index', () => {
    const r = checkBadgeTemplate(template([name, { ...name, x: 60, width: 30 }]));
    expect(r).toMatchObject({ ok: false, problems: [{ reason: 'element_off_stock', side: 0, index: 1 }] });
    // The same element fits an A6 sheet.
    expect(checkBadgeTemplate(template([name, { ...name, x: 60, width: 30 }], { stock: { kind: 'a6' } })).ok).toBe(true);
  });

  it('refuses a font Admit does not ship and a minimum size above the maximum', () => {
    const r = checkBadgeTemplate(template([{ ...name, font: 'Comic Sans MS' }, { ...name, minSizePt: 30 }]));
    expect(r).toMatchObject({ ok: false, problems: [{ reason: 'font_missing', index: 0 }, { reason: 'text_size_range', index: 1 }] });
  });

  it('refuses a logo too large or in a wrong format by its bytes', () => {
    const big = Buffer.alloc(MAX_IMAGE_BYTES + 1);
    Buffer.from(PNG_1x1, 'base64').copy(big);
    const gif = Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1').toString('base64');
    const logo = { type: 'image' as const, x: 1, y: 1, width: 10, height: 10 };
    expect(checkBadgeTemplate(template([{ ...logo, data: PNG_1x1 }])).ok).toBe(true);
    expect(checkBadgeTemplate(template([{ ...logo, data: gif }]))).toMatchObject({ ok: false, problems: [{ reason: 'image_bad_format', index: 0 }] });
    // Past the schema's base64 length it is a shape error; just past the byte limit it is image_too_large.
    const r = checkBadgeTemplate(template([{ ...logo, data: big.toString('base64') }]));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.map((p) => p.reason)).toEqual(['image_too_large']);
    expect(imageProblem(big)).toMatchObject({ reason: 'image_too_large' });
    expect(imageFormat(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('jpeg');
    expect(imageFormat(Buffer.from(PNG_1x1, 'base64'))).toBe('png');
    expect(imageFormat(Buffer.from('<svg/>'))).toBeNull();
  });

  it('refuses a shape it does not know and sides that do not match their element lists', () => {
    expect(checkBadgeTemplate({ name: 'x', stock: { kind: 'cr90' }, elements: [[]] })).toMatchObject({ ok: false, problems: [{ reason: 'invalid' }] });
    expect(checkBadgeTemplate(template([name], { sides: 2 }))).toMatchObject({ ok: false, problems: [{ reason: 'sides_mismatch' }] });
    expect(checkBadgeTemplate(template([{ ...name, source: { kind: 'field', field: 'shoeSize' as never } }]))).toMatchObject({ ok: false, problems: [{ reason: 'invalid' }] });
  });
});
