// Owns turning the bytes a printer received back into text under its ESC t code page, so the
// simulator's job text shows what a real printer would have printed (including mojibake when the
// driver picked the wrong table).

// CP437's upper half, the power-on table of Epson-compatible printers.
const CP437_HIGH =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';

// Windows-1252's 0x80..0x9F (U+FFFD where undefined). Node 20's TextDecoder treats the label as
// Latin-1 and would return C1 controls here.
const CP1252_80_9F = '€\ufffd‚ƒ„…†‡ˆ‰Š‹Œ\ufffdŽ\ufffd\ufffd‘’“”•–—˜™š›œ\ufffdžŸ';

// ESC t n → WHATWG encoding label (those TextDecoder knows; others fall back to U+FFFD).
const TABLES: Record<number, string> = {
  15: 'iso-8859-7',
  16: 'windows-1252',
  17: 'ibm866',
  39: 'iso-8859-2',
  40: 'iso-8859-15',
  45: 'windows-1250',
  46: 'windows-1251',
  47: 'windows-1253',
  48: 'windows-1254',
  49: 'windows-1255',
  50: 'windows-1256',
  51: 'windows-1257',
  52: 'windows-1258',
};

const decoders = new Map<number, TextDecoder | null>();
function decoderFor(table: number): TextDecoder | null {
  if (!decoders.has(table)) {
    const label = TABLES[table];
    let d: TextDecoder | null = null;
    try {
      if (label) d = new TextDecoder(label);
    } catch {
      d = null; // a Node without full ICU: fall back below
    }
    decoders.set(table, d);
  }
  return decoders.get(table) ?? null;
}

export function decodeCodePage(bytes: Uint8Array, table: number): string {
  let out = '';
  const decoder = table === 0 ? null : decoderFor(table);
  for (const b of bytes) {
    if (b < 0x80) out += String.fromCharCode(b);
    else if (table === 0) out += CP437_HIGH[b - 0x80] ?? '\ufffd';
    else if (table === 16 && b < 0xa0) out += CP1252_80_9F[b - 0x80] ?? '\ufffd';
    else if (decoder) out += decoder.decode(Uint8Array.of(b));
    else out += '\ufffd';
  }
  return out;
}

// ---- The other direction, for drivers that write text in a single-byte code page (Star, ZPL ^CI) ----

const encoders = new Map<string, Map<string, number> | null>();
function encoderFor(label: string): Map<string, number> | null {
  if (!encoders.has(label)) {
    let map: Map<string, number> | null = new Map();
    try {
      const d = new TextDecoder(label);
      for (let b = 0x80; b <= 0xff; b++) {
        const ch = label === 'windows-1252' && b < 0xa0 ? CP1252_80_9F[b - 0x80]! : d.decode(Uint8Array.of(b));
        if (ch !== '\ufffd' && !map.has(ch)) map.set(ch, b);
      }
    } catch {
      map = null;
    }
    encoders.set(label, map);
  }
  return encoders.get(label) ?? null;
}

/** `text` in a single-byte code page (WHATWG label), or null if a character is not in it. */
export function encodeSingleByte(text: string, label: string): Buffer | null {
  const map = encoderFor(label);
  const out: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) out.push(cp);
    else {
      const b = map?.get(ch);
      if (b === undefined) return null;
      out.push(b);
    }
  }
  return Buffer.from(out);
}

const tableEncoders = new Map<number, Map<string, number>>();

/** `text` in the ESC t table `table` (as decodeCodePage reads it back), or null if a character is not in it. */
export function encodeCodePage(text: string, table: number): Buffer | null {
  let map = tableEncoders.get(table);
  if (!map) {
    map = new Map();
    for (let b = 0x80; b <= 0xff; b++) {
      const ch = decodeCodePage(Uint8Array.of(b), table);
      if (ch !== '\ufffd' && !map.has(ch)) map.set(ch, b);
    }
    tableEncoders.set(table, map);
  }
  const out: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) out.push(cp);
    else {
      const b = map.get(ch);
      if (b === undefined) return null;
      out.push(b);
    }
  }
  return Buffer.from(out);
}
