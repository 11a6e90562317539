// Owns the Evolis card printers' raw command language (black monochrome ribbon): commands are
// ESC <cmd>[;param…] CR, each answered with a CR-ended text; a streaming parser for the device side;
// the 1-bit k panel (648 dots x 1016 lines, 81 bytes a line, 1 = print) and its rotation from a
// landscape 1016 x 648 card; and the answers' meaning as a PrinterStatus. Pure: no I/O.
//   Pem;2 (host handles errors) · Pr;k (black ribbon) · Pmi;F;s (feeder insertion) · Pc;k;=;10
//   (contrast) · Ss (sequence start) · Sr (front side) · Db;k;2;<82 296 bytes> · Sv (back side) · Se
//   Rse;f → feeder sensor volts ("5,00 Volts" cards present, "0,00 Volts" empty)
//   Answers: OK, ERROR CDE (unknown command), ERROR PARAMETRES, COVER OPEN, FEEDER EMPTY, CARD JAM,
//   ERROR RIBBON, ERROR HEAD, NEED CLEANING, …
// Taken from Evolis' programming guide and public integration code; the CR after each answer and the
// printer answering Pem;2 with its current error are assumptions to check against a real printer.
import { DriverError } from '../errors';
import type { PrinterStatus } from '../printers/document';
import { perr, type PrinterError, type PrinterErrorCode } from '../printers/printer';
import { Bitmap } from '../printers/raster';

export const ESC = 0x1b;
export const CR = 0x0d;
export const CARD_WIDTH = 1016;
export const CARD_HEIGHT = 648;
/** The panel as the printer stores it: 648 dots across the card's short side, 1016 lines. */
export const PANEL_DOTS = 648;
export const PANEL_LINES = 1016;
export const PANEL_ROW_BYTES = PANEL_DOTS / 8;
export const MONO_PANEL_BYTES = PANEL_ROW_BYTES * PANEL_LINES;

export const command = (cmd: string): Buffer => Buffer.concat([Buffer.from([ESC]), Buffer.from(cmd, 'latin1'), Buffer.from([CR])]);
export const download = (panel: 'k' | 'o', data: Uint8Array): Buffer => {
  if (data.length !== MONO_PANEL_BYTES) throw new DriverError<PrinterErrorCode>('bad_document', `panel is ${data.length} bytes, expected ${MONO_PANEL_BYTES}`);
  return Buffer.concat([Buffer.from([ESC]), Buffer.from(`Db;${panel};2;`, 'latin1'), Buffer.from(data), Buffer.from([CR])]);
};

/** Bytes of a Db payload for a number of grey levels (2 → 1 bit … 256 → 8 bits per dot). */
export function panelBytes(levels: number): number | null {
  const bits = { 2: 1, 32: 5, 64: 6, 128: 7, 256: 8 }[levels];
  return bits === undefined ? null : (PANEL_DOTS * PANEL_LINES * bits) / 8;
}

/**
 * A landscape card (1016 x 648, black dots set) as the k panel: turned a quarter clockwise so each
 * panel line runs across the card's short side, as the printer feeds the card long edge first.
 */
export function panelFromCard(card: Bitmap): Buffer {
  if (card.width !== CARD_WIDTH || card.height !== CARD_HEIGHT) {
    throw new DriverError<PrinterErrorCode>('bad_document', `card image is ${card.width}x${card.height}, expected ${CARD_WIDTH}x${CARD_HEIGHT}`);
  }
  const out = Buffer.alloc(MONO_PANEL_BYTES);
  for (let line = 0; line < PANEL_LINES; line++) {
    for (let dot = 0; dot < PANEL_DOTS; dot++) {
      // Panel (dot, line) is card (x = line, y = 647 - dot).
      if (card.get(line, CARD_HEIGHT - 1 - dot)) out[line * PANEL_ROW_BYTES + (dot >> 3)]! |= 0x80 >> (dot & 7);
    }
  }
  return out;
}

/** The inverse of panelFromCard: what the card looks like, landscape. */
export function cardFromPanel(panel: Uint8Array): Bitmap {
  const card = new Bitmap(CARD_WIDTH, CARD_HEIGHT);
  for (let line = 0; line < PANEL_LINES; line++) {
    for (let dot = 0; dot < PANEL_DOTS; dot++) {
      if ((panel[line * PANEL_ROW_BYTES + (dot >> 3)] ?? 0) & (0x80 >> (dot & 7))) card.set(line, CARD_HEIGHT - 1 - dot);
    }
  }
  return card;
}

export interface JobOptions {
  /** k panel contrast, 0..20 (default 10). */
  contrast?: number;
  /** Card insertion: F feeder (default), M manual, B both. */
  insertion?: 'F' | 'M' | 'B';
}

/** The commands for a black card, one per answer: front panel, and an optional back panel. */
export function monoJob(front: Uint8Array, back?: Uint8Array, options: JobOptions = {}): Buffer[] {
  const contrast = options.contrast ?? 10;
  if (!Number.isInteger(contrast) || contrast < 0 || contrast > 20) throw new DriverError<PrinterErrorCode>('bad_document', `contrast ${contrast} is outside 0..20`);
  const cmds = [
    command('Pem;2'),
    command('Pr;k'),
    command(`Pmi;${options.insertion ?? 'F'};s`),
    command(`Pc;k;=;${contrast}`),
    command('Ss'),
    command('Sr'),
    download('k', front),
  ];
  if (back) cmds.push(command('Sv'), command(`Pc;k;=;${contrast}`), download('k', back));
  cmds.push(command('Se'));
  return cmds;
}

// ---- Answers ----

export const OK = 'OK';
export type Answer = string;

/** Frame function: one CR-ended answer. */
export function answerFrame(rx: Buffer): number | null {
  const i = rx.indexOf(CR);
  if (i >= 0) return i + 1;
  if (rx.length > 512) throw new Error('answer longer than 512 bytes without CR');
  return null;
}
export const answerText = (reply: Buffer): string => reply.toString('latin1').replace(/\r$/, '').trim();

/** Feeder sensor volts from an Rse;f answer ("5,00 Volts"), or null when it is not a voltage. */
export function feederVolts(answer: string): number | null {
  const m = /^(\d+)[,.](\d+)\s*V/i.exec(answer);
  return m ? Number(`${m[1]}.${m[2]}`) : null;
}

/** The error an answer other than OK means. */
export function answerError(answer: string, name: string, what: string): PrinterError | null {
  if (answer === OK) return null;
  const at = `${name} answered ${JSON.stringify(answer)} to ${what}`;
  if (answer === 'COVER OPEN') return perr('cover_open', at);
  if (answer === 'FEEDER EMPTY') return perr('paper_out', at);
  if (answer === 'CARD JAM') return perr('jam', at);
  if (answer === 'ERROR RIBBON') return perr('ribbon_out', at);
  if (answer === 'ERROR CDE' || answer === 'ERROR PARAMETRES') return perr('rejected', at);
  return perr('printer_error', at);
}

/** PrinterStatus from the answer to Pem;2 (OK or the current error) and to Rse;f: an empty feeder is
 *  paperOut, a spent ribbon ribbonOut. */
export function toPrinterStatus(pemAnswer: string, feederAnswer: string): PrinterStatus {
  const volts = feederVolts(feederAnswer);
  const coverOpen = pemAnswer === 'COVER OPEN';
  const paperOut = pemAnswer === 'FEEDER EMPTY' || (volts !== null && volts < 1);
  const ribbonOut = pemAnswer === 'ERROR RIBBON';
  const error = pemAnswer !== OK && !coverOpen && !ribbonOut && pemAnswer !== 'FEEDER EMPTY' && pemAnswer !== 'NEED CLEANING';
  if (pemAnswer !== OK && !/^[A-Z][A-Z ]+$/.test(pemAnswer)) throw new DriverError<PrinterErrorCode>('bad_reply', `unexpected answer ${JSON.stringify(pemAnswer)} to Pem;2`);
  return { online: !coverOpen && !paperOut && !ribbonOut && !error, coverOpen, paperOut, paperNearEnd: false, error, ribbonOut };
}

// ---- Device side: parser ----

export type EvolisCommand = { raw: Buffer } & (
  | { op: 'command'; name: string; params: string[] }
  | { op: 'download'; panel: string; levels: number; data: Buffer }
  | { op: 'unknown'; reason: string }
);

const MAX_COMMAND = 256;

export class EvolisParser {
  #buf: Buffer = Buffer.alloc(0);

  push(chunk: Uint8Array): EvolisCommand[] {
    this.#buf = this.#buf.length ? Buffer.concat([this.#buf, chunk]) : Buffer.from(chunk);
    const out: EvolisCommand[] = [];
    let pos = 0;
    while (pos < this.#buf.length) {
      const step = this.#step(pos);
      if (step === 'more') break;
      if (step.cmd) out.push(step.cmd);
      pos += step.len;
    }
    this.#buf = this.#buf.subarray(pos);
    return out;
  }

  end(): EvolisCommand[] {
    if (this.#buf.length === 0) return [];
    const raw = Buffer.from(this.#buf);
    this.#buf = Buffer.alloc(0);
    return [{ op: 'unknown', reason: `truncated command at end of stream (${raw.length} bytes)`, raw }];
  }

  #step(pos: number): { cmd: EvolisCommand | null; len: number } | 'more' {
    const b = this.#buf;
    if (b[pos] !== ESC) {
      // Padding NULs some drivers send after Se are harmless; anything else is noise.
      let end = pos;
      while (end < b.length && b[end] !== ESC) end++;
      const junk = b.subarray(pos, end);
      if (junk.every((x) => x === 0 || x === CR || x === 0x0a)) return { cmd: null, len: end - pos };
      return { cmd: { op: 'unknown', reason: 'bytes outside a command', raw: Buffer.from(junk) }, len: end - pos };
    }
    // Db carries binary data: its length comes from the levels parameter, not from a CR.
    if (b.length - pos < 3) return 'more';
    if (b[pos + 1] === 0x44 && b[pos + 2] === 0x62) {
      const head = b.subarray(pos, Math.min(b.length, pos + 16)).toString('latin1');
      const m = /^Db;([a-z]);(\d+);/.exec(head.slice(1));
      if (!m) {
        if (b.length - pos < 16 && !head.includes('\r')) return 'more';
        const end = b.indexOf(CR, pos);
        const len = end >= 0 && end - pos < MAX_COMMAND ? end - pos + 1 : 3;
        return { cmd: { op: 'unknown', reason: `malformed download header ${JSON.stringify(head.replace(/[^\x20-\x7e]/g, '.'))}`, raw: Buffer.from(b.subarray(pos, pos + len)) }, len };
      }
      const headerLen = 1 + m[0].length;
      const levels = Number(m[2]);
      const size = panelBytes(levels);
      if (size === null || !'ymckoKO'.includes(m[1]!)) {
        return { cmd: { op: 'unknown', reason: `download of panel ${m[1]} with ${levels} levels`, raw: Buffer.from(b.subarray(pos, pos + headerLen)) }, len: headerLen };
      }
      if (b.length - pos < headerLen + size + 1) return 'more';
      const data = Buffer.from(b.subarray(pos + headerLen, pos + headerLen + size));
      const raw = Buffer.from(b.subarray(pos, pos + headerLen + size + 1));
      if (b[pos + headerLen + size] !== CR) {
        return { cmd: { op: 'unknown', reason: `download data of panel ${m[1]} is not followed by CR: wrong length?`, raw }, len: headerLen + size + 1 };
      }
      return { cmd: { op: 'download', panel: m[1]!, levels, data, raw }, len: headerLen + size + 1 };
    }
    const end = b.indexOf(CR, pos);
    if (end < 0 || end - pos > MAX_COMMAND) {
      if (end < 0 && b.length - pos <= MAX_COMMAND) return 'more';
      return { cmd: { op: 'unknown', reason: `command without CR within ${MAX_COMMAND} bytes`, raw: Buffer.from(b.subarray(pos, pos + 1)) }, len: 1 };
    }
    const raw = Buffer.from(b.subarray(pos, end + 1));
    const text = b.subarray(pos + 1, end).toString('latin1');
    if (!/^[A-Za-z]{1,4}(;[^;]*)*$/.test(text) || [...text].some((ch) => ch.charCodeAt(0) < 0x20)) return { cmd: { op: 'unknown', reason: `not a command: ${JSON.stringify(text.slice(0, 32))}`, raw }, len: end + 1 - pos };
    const [name, ...params] = text.split(';');
    return { cmd: { op: 'command', name: name!, params, raw }, len: end + 1 - pos };
  }
}
