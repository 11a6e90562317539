// Owns the simulator's printer font: a 5x7 dot-matrix design for printable ASCII, drawn into the
// 12x24 cell of ESC/POS Font A. Characters outside it render as a box, as a printer prints an
// undefined glyph, so a wrong code page is visible on the PNG.

/** 7 rows per glyph as 2 hex digits each (5 bits, MSB leftmost), for U+0020..U+007E in order. */
const GLYPHS = [
  '00000000000000', '04040404040004', '0A0A0A00000000', '0A0A1F0A1F0A0A', '040F140E051E04', '18190204081303',
  '0C12140815120D', '0C040800000000', '02040808080402', '08040202020408', '0004150E150400', '0004041F040400',
  '000000000C0408', '0000001F000000', '00000000000C0C', '00010204081000', '0E11131519110E', '040C040404040E',
  '0E11010204081F', '1F02040201110E', '02060A121F0202', '1F101E0101110E', '0608101E11110E', '1F010204080808',
  '0E11110E11110E', '0E11110F01020C', '000C0C000C0C00', '000C0C000C0408', '02040810080402', '00001F001F0000',
  '08040201020408', '0E110102040004', '0E11010D15150E', '0E1111111F1111', '1E11111E11111E', '0E11101010110E',
  '1C12111111121C', '1F10101E10101F', '1F10101E101010', '0E11101711110F', '1111111F111111', '0E04040404040E',
  '0702020202120C', '11121418141211', '1010101010101F', '111B1515111111', '11111915131111', '0E11111111110E',
  '1E11111E101010', '0E11111115120D', '1E11111E141211', '0F10100E01011E', '1F040404040404', '1111111111110E',
  '11111111110A04', '1111111515150A', '11110A040A1111', '1111110A040404', '1F01020408101F', '0E08080808080E',
  '00100804020100', '0E02020202020E', '040A1100000000', '0000000000001F', '08040200000000', '00000E010F110F',
  '1010161911111E', '00000E1010110E', '01010D1311110F', '00000E111F100E', '0609081C080808', '000F11110F010E',
  '10101619111111', '04000C0404040E', '0200060202120C', '10101214181412', '0C04040404040E', '00001A15151111',
  '00001619111111', '00000E1111110E', '00001E111E1010', '00000D130F0101', '00001619101010', '00000E100E011E',
  '08081C08080906', '0000111111130D', '00001111110A04', '0000111115150A', '0000110A040A11', '000011110F010E',
  '00001F0204081F', '02040408040402', '04040404040404', '08040402040408', '00000815020000',
].join('');

export const CELL_WIDTH = 12;
export const CELL_HEIGHT = 24;
// Glyphs are 7 rows above the baseline plus 2 for descenders, magnified 2x2 into the cell.
const SCALE_X = 2;
const SCALE_Y = 2;
const OFFSET_X = 1;
const OFFSET_Y = 3;
const BOX = [0x1f, 0x11, 0x11, 0x11, 0x11, 0x11, 0x1f];
/** Letters that hang below the baseline: 9 rows each instead of 7. */
const DESCENDERS: Record<string, number[]> = {
  g: [0x00, 0x00, 0x0f, 0x11, 0x11, 0x11, 0x0f, 0x01, 0x0e],
  j: [0x02, 0x00, 0x06, 0x02, 0x02, 0x02, 0x02, 0x12, 0x0c],
  p: [0x00, 0x00, 0x1e, 0x11, 0x11, 0x11, 0x1e, 0x10, 0x10],
  q: [0x00, 0x00, 0x0f, 0x11, 0x11, 0x11, 0x0f, 0x01, 0x01],
  y: [0x00, 0x00, 0x11, 0x11, 0x11, 0x11, 0x0f, 0x01, 0x0e],
};

export function hasGlyph(ch: string): boolean {
  const cp = ch.codePointAt(0) ?? 0;
  return ch.length === 1 && cp >= 0x20 && cp <= 0x7e;
}

function glyphRows(ch: string): number[] {
  if (!hasGlyph(ch)) return BOX;
  const d = DESCENDERS[ch];
  if (d) return d;
  const i = (ch.codePointAt(0)! - 0x20) * 14;
  const rows: number[] = [];
  for (let r = 0; r < 7; r++) rows.push(parseInt(GLYPHS.slice(i + r * 2, i + r * 2 + 2), 16));
  return rows;
}

/**
 * Draw `ch` with its cell's top-left at (x, y), magnified `mw` x `mh` like GS ! does. Bold strikes
 * each dot twice, one dot apart, as emphasised mode does on a thermal head.
 */
export function drawGlyph(
  setDot: (x: number, y: number) => void,
  ch: string,
  x: number,
  y: number,
  mw = 1,
  mh = 1,
  bold = false,
): void {
  if (ch === ' ') return;
  const rows = glyphRows(ch);
  const sx = SCALE_X * mw;
  const sy = SCALE_Y * mh;
  for (let r = 0; r < rows.length; r++) {
    const bits = rows[r]!;
    for (let c = 0; c < 5; c++) {
      if (!(bits & (0x10 >> c))) continue;
      const px = x + (OFFSET_X + c * SCALE_X) * mw;
      const py = y + (OFFSET_Y + r * SCALE_Y) * mh;
      for (let dy = 0; dy < sy; dy++) {
        for (let dx = 0; dx < sx + (bold ? mw : 0); dx++) setDot(px + dx, py + dy);
      }
    }
  }
}

/**
 * Draw `ch` scaled into any cell size (label fonts, card text): the 12x24 Font A design stretched to
 * `cellWidth` x `cellHeight`. Bold thickens strokes by a tenth of the cell width.
 */
export function drawGlyphInCell(
  setDot: (x: number, y: number) => void,
  ch: string,
  x: number,
  y: number,
  cellWidth: number,
  cellHeight: number,
  bold = false,
): void {
  if (ch === ' ' || cellWidth <= 0 || cellHeight <= 0) return;
  const rows = glyphRows(ch);
  const fx = cellWidth / CELL_WIDTH;
  const fy = cellHeight / CELL_HEIGHT;
  const extra = bold ? Math.max(1, Math.round(cellWidth / 10)) : 0;
  for (let r = 0; r < rows.length; r++) {
    const bits = rows[r]!;
    const y0 = Math.round((OFFSET_Y + r * SCALE_Y) * fy);
    const y1 = Math.round((OFFSET_Y + (r + 1) * SCALE_Y) * fy);
    for (let c = 0; c < 5; c++) {
      if (!(bits & (0x10 >> c))) continue;
      const x0 = Math.round((OFFSET_X + c * SCALE_X) * fx);
      const x1 = Math.round((OFFSET_X + (c + 1) * SCALE_X) * fx) + extra;
      for (let py = y0; py < Math.max(y1, y0 + 1); py++) for (let px = x0; px < Math.max(x1, x0 + 1); px++) setDot(x + px, y + py);
    }
  }
}
