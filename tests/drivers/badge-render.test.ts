// PVC badge rendering: CR80 sizes, the template's fields, text fitting, photo placement, 8-bit and
// 1-bit outputs whose QR decodes to the ticket code, and coded errors for what cannot be printed.
import { PNG } from 'pngjs';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CR80_EVOLIS, CR80_GENERIC, defaultBadgeTemplate, fitText, renderBadge } from '../../drivers/badges/badge';
import { decodeQrFromPng } from '../../drivers/testing/qr-decode';
import { artifactsDir } from './helpers';

/** A 60x80 test "photo": a grey gradient with a dark circle. */
function photo(): Buffer {
  const png = new PNG({ width: 60, height: 80 });
  for (let y = 0; y < 80; y++) {
    for (let x = 0; x < 60; x++) {
      const i = (y * 60 + x) * 4;
      const inCircle = (x - 30) ** 2 + (y - 35) ** 2 < 400;
      const v = inCircle ? 40 : 120 + y;
      png.data[i] = v;
      png.data[i + 1] = v;
      png.data[i + 2] = v;
      png.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}

describe('badge rendering', () => {
  it('renders an Evolis CR80 badge whose QR decodes from both the greyscale and the 1-bit image', async () => {
    const dir = artifactsDir('badge');
    const b = renderBadge({ attendeeName: 'Ada Lovelace', company: 'Analytical Engines Ltd', ticketType: 'Speaker', ticketCode: 'BADGE-T-000042', photoPng: photo() });
    expect([b.width, b.height]).toEqual([1016, 648]);
    expect(b.grey.length).toBe(1016 * 648);
    const grey = b.greyPng();
    const mono = b.monoPng();
    writeFileSync(join(dir, 'badge-render-grey.png'), grey);
    writeFileSync(join(dir, 'badge-render-mono.png'), mono);
    expect(await decodeQrFromPng(grey)).toEqual(['BADGE-T-000042']);
    expect(await decodeQrFromPng(mono)).toEqual(['BADGE-T-000042']);
    // The photo is in the greyscale image as grey levels, and dithered in the 1-bit one.
    const t = defaultBadgeTemplate(CR80_EVOLIS);
    const greys = new Set<number>();
    for (let y = t.photo.y; y < t.photo.y + t.photo.height; y += 7) for (let x = t.photo.x; x < t.photo.x + t.photo.width; x += 7) greys.add(b.grey[y * 1016 + x]!);
    expect(greys.size).toBeGreaterThan(10);
    // The ticket-type band is black with white text.
    expect(b.grey[(t.ticketType.y + 5) * 1016 + 5]).toBe(0);
    expect(b.mono.get(5, t.ticketType.y + 5)).toBe(true);
  });

  it('renders the generic 1012 x 638 card', async () => {
    const b = renderBadge({ attendeeName: 'Grace Hopper', ticketCode: 'G-1' }, defaultBadgeTemplate(CR80_GENERIC));
    expect([b.width, b.height]).toEqual([1012, 638]);
    expect(await decodeQrFromPng(b.greyPng())).toEqual(['G-1']);
  });

  it('shrinks long names to fit and cuts what still does not', () => {
    const box = { x: 0, y: 0, width: 600, height: 110 };
    expect(fitText('Ada', box)).toEqual({ text: 'Ada', height: 110 });
    const long = fitText('Maximilian Alexander von Hohenzollern-Sigmaringen', box);
    expect(long.height).toBeLessThan(110);
    expect([...long.text].length * Math.round((long.height * 2) / 3)).toBeLessThanOrEqual(600);
    const huge = fitText('x'.repeat(500), box);
    expect(huge.text.endsWith('...')).toBe(true);
  });

  it('refuses what it cannot print with bad_document', () => {
    expect(() => renderBadge({ attendeeName: '  ', ticketCode: 'T' })).toThrowError(expect.objectContaining({ code: 'bad_document' }));
    expect(() => renderBadge({ attendeeName: 'A', ticketCode: '' })).toThrow(/ticket code is empty/);
    expect(() => renderBadge({ attendeeName: 'A', ticketCode: 'x'.repeat(900) })).toThrow(/too dense/);
    expect(() => renderBadge({ attendeeName: 'A', ticketCode: 'T', photoPng: Buffer.from('not a png') })).toThrow(/photo is not a readable PNG/);
    expect(() => renderBadge({ attendeeName: 'A', ticketCode: 'T' }, { ...defaultBadgeTemplate(), card: { width: 10, height: 10, dpi: 300 } })).toThrow(/card 10x10/);
  });
});
