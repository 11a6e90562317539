// Owns Code 128 encoding for badges drawn as images: text to the symbol's bars and spaces (code set B
// for printable ASCII, code set C for runs of digits, which halves their width), with its check symbol
// and stop pattern. Printers with their own barcode commands (ZPL, TSPL) encode it themselves; a badge
// is an image, so the renderer needs the modules.

/** Bar/space widths of symbol values 0–106 (106 is the stop, 7 elements). */
const PATTERNS = [
  '212222', '222122', '222221', '121223', '121322', '131222', '122213', '122312', '132212', '221213',
  '221312', '231212', '112232', '122132', '122231', '113222', '123122', '123221', '223211', '221132',
  '221231', '213212', '223112', '312131', '311222', '321122', '321221', '312212', '322112', '322211',
  '212123', '212321', '232121', '111323', '131123', '131321', '112313', '132113', '132311', '211313',
  '231113', '231311', '112133', '112331', '132131', '113123', '113321', '133121', '313121', '211331',
  '231131', '213113', '213311', '213131', '311123', '311321', '331121', '312113', '312311', '332111',
  '314111', '221411', '431111', '111224', '111422', '121124', '121421', '141122', '141221', '112214',
  '112412', '122114', '122411', '142112', '142211', '241211', '221114', '413111', '241112', '134111',
  '111242', '121142', '121241', '114212', '124112', '124211', '411212', '421112', '421211', '212141',
  '214121', '412121', '111143', '111341', '131141', '114113', '114311', '411113', '411311', '113141',
  '114131', '311141', '411131', '211412', '211214', '211232', '2331112',
];
const START_B = 104;
const START_C = 105;
const CODE_B = 100;
const CODE_C = 99;
const STOP = 106;

/** Symbol values for `text` (start, data, check), or null when a character is outside printable ASCII. */
export function code128Values(text: string): number[] | null {
  if (text.length === 0 || !/^[\x20-\x7e]+$/.test(text)) return null;
  const digitRun = (at: number) => /^\d*/.exec(text.slice(at))![0].length;
  const values: number[] = [];
  let set: 'B' | 'C';
  let i = 0;
  // Set C where it saves symbols: a run of 4+ digits (or the whole text being an even run of 2+).
  const useC = (at: number) => {
    const run = digitRun(at);
    return run >= 4 || (at === 0 && run === text.length && run >= 2 && run % 2 === 0);
  };
  if (useC(0)) {
    set = 'C';
    values.push(START_C);
  } else {
    set = 'B';
    values.push(START_B);
  }
  while (i < text.length) {
    if (set === 'C') {
      if (digitRun(i) >= 2) {
        values.push(Number(text.slice(i, i + 2)));
        i += 2;
        continue;
      }
      values.push(CODE_B);
      set = 'B';
      continue;
    }
    if (useC(i) && digitRun(i) >= 4) {
      // An odd run leaves its first digit in set B, so the rest pairs up.
      if (digitRun(i) % 2 === 1) {
        values.push(text.charCodeAt(i) - 32);
        i++;
      }
      values.push(CODE_C);
      set = 'C';
      continue;
    }
    values.push(text.charCodeAt(i) - 32);
    i++;
  }
  const check = values.reduce((sum, v, k) => sum + v * (k === 0 ? 1 : k), 0) % 103;
  values.push(check);
  return values;
}

/** The symbol as modules left to right (true = bar), without quiet zones; null when it cannot be encoded. */
export function code128Modules(text: string): boolean[] | null {
  const values = code128Values(text);
  if (!values) return null;
  const out: boolean[] = [];
  for (const v of [...values, STOP]) {
    [...PATTERNS[v]!].forEach((w, k) => {
      for (let n = 0; n < Number(w); n++) out.push(k % 2 === 0);
    });
  }
  return out;
}
