// Owns the bytes of HID POS barcode scanners (USB HID usage page 0x8C "Bar Code Scanner", usage 0x02):
// the scanned-data input report, reassembly of codes longer than one report, AIM symbology ids
// (ISO/IEC 15424), and the Honeywell-style mode switch and trigger. Pure: no timers, no I/O; the
// caller passes `now` and calls flushIdle() from its own timer.
import { hex as hexOf } from '../bytes';
//
// Input report 0x02, as node-hid delivers it (report id in byte 0; offsets in HID POS documents
// count from the byte after it):
//   [0] 0x02  [1] n = data bytes in this report (≤ 56)  [2..4] AIM id, e.g. "]Q1"  [5..60] data
//   [61..62] vendor code id / reserved  [63] non-zero = more reports of this code follow
// A code longer than 56 bytes arrives as several reports, each with the AIM id, all but the last
// flagged "more".

export const HID_POS_USAGE_PAGE = 0x8c;
export const HID_POS_USAGE_SCANNER = 0x02;
export const HID_POS_SCAN_REPORT_ID = 0x02;
/** Whole report including the report id byte. */
export const HID_POS_REPORT_LENGTH = 64;
export const HID_POS_DATA_OFFSET = 5;
export const HID_POS_DATA_CAPACITY = 56;
/** 62 in the HID POS documents, +1 for node-hid's leading report id. */
export const HID_POS_MORE_OFFSET = 63;
export const HID_POS_DEFAULT_MAX_LENGTH = 8192;
export const HID_POS_DEFAULT_IDLE_MS = 200;

/** Feature report 0xFE [0x01]: Honeywell / Youjie scanners switch from keyboard to HID POS mode. */
export const HID_POS_ENABLE_FEATURE = Buffer.from([0xfe, 0x01]);
/**
 * Honeywell output report 0xFD: [len] then a serial command; SYN 'T' CR starts a read (the scanner
 * must be in manual/serial trigger mode).
 */
export const HID_POS_TRIGGER_REPORT = Buffer.from([0xfd, 0x03, 0x16, 0x54, 0x0d]);

export type Symbology =
  | 'QR'
  | 'EAN/UPC'
  | 'Code128'
  | 'DataMatrix'
  | 'PDF417'
  | 'Code39'
  | 'ITF'
  | 'Codabar'
  | 'Code93'
  | 'Code11'
  | 'MSI'
  | 'Aztec'
  | 'GS1 DataBar'
  | 'MaxiCode'
  | 'Han Xin'
  | 'Code49'
  | 'Code16K'
  | 'Codablock'
  | 'Telepen'
  | 'Plessey'
  | 'Straight 2 of 5'
  | 'OCR'
  | 'Other'
  | 'Unknown';

/** AIM symbology code character (the one after ']') → name. */
export const AIM_SYMBOLOGIES: Readonly<Record<string, Symbology>> = {
  A: 'Code39',
  B: 'Telepen',
  C: 'Code128',
  E: 'EAN/UPC',
  F: 'Codabar',
  G: 'Code93',
  H: 'Code11',
  I: 'ITF',
  K: 'Code16K',
  L: 'PDF417',
  M: 'MSI',
  O: 'Codablock',
  P: 'Plessey',
  Q: 'QR',
  R: 'Straight 2 of 5',
  S: 'Straight 2 of 5',
  T: 'Code49',
  U: 'MaxiCode',
  X: 'Other',
  d: 'DataMatrix',
  e: 'GS1 DataBar',
  h: 'Han Xin',
  o: 'OCR',
  z: 'Aztec',
};

/** AIM ids whose modifier says the data is GS1 element strings (FNC1 in first position). */
const GS1_AIM = new Set([']C1', ']d2', ']Q3', ']e0', ']z1', ']J1']);

export interface AimInfo {
  /** "]Q1", or '' when the scanner sent none (AIM ids switched off). */
  aim: string;
  symbology: Symbology;
  gs1: boolean;
}

export function describeAim(aim: string): AimInfo {
  if (aim === '') return { aim, symbology: 'Unknown', gs1: false };
  return { aim, symbology: AIM_SYMBOLOGIES[aim.charAt(1)] ?? 'Unknown', gs1: GS1_AIM.has(aim) };
}

/** The AIM id a scanner prefixes for a symbology (modifier 0 unless given). */
export function aimFor(symbology: Symbology, modifier = '0'): string {
  const entry = Object.entries(AIM_SYMBOLOGIES).find(([, name]) => name === symbology);
  return entry ? `]${entry[0]}${modifier}` : ']X0';
}

export type HidPosErrorCode = 'truncated' | 'bad_length' | 'garbled' | 'too_long' | 'incomplete';

export interface HidPosReport {
  length: number;
  aim: string;
  data: Buffer;
  more: boolean;
}

export type HidPosEvent =
  | { kind: 'scan'; code: string; bytes: Buffer; aim: string; symbology: Symbology; gs1: boolean; reports: number }
  | { kind: 'error'; code: HidPosErrorCode; detail: string; bytes: Buffer };

type ReportResult = { ok: true; value: HidPosReport } | { ok: false; code: HidPosErrorCode; detail: string } | { ok: 'ignored' };

const hex = (b: Uint8Array) => hexOf(b, 32);

const AIM_RE = /^\][\x21-\x7e][\x21-\x7e]$/;

/** Decode one input report (report id in byte 0). Reports other than 0x02 are `ignored`. */
export function parseHidPosReport(report: Uint8Array): ReportResult {
  const b = Buffer.from(report);
  if (b.length === 0 || b[0] !== HID_POS_SCAN_REPORT_ID) return { ok: 'ignored' };
  if (b.length < HID_POS_DATA_OFFSET) return { ok: false, code: 'truncated', detail: `report is ${b.length} bytes, header needs 5: ${hex(b)}` };
  const length = b[1]!;
  if (length > HID_POS_DATA_CAPACITY) {
    return { ok: false, code: 'bad_length', detail: `length byte ${length} exceeds ${HID_POS_DATA_CAPACITY}: ${hex(b)}` };
  }
  if (b.length < HID_POS_DATA_OFFSET + length) {
    return { ok: false, code: 'truncated', detail: `report is ${b.length} bytes, ${length} data bytes need ${HID_POS_DATA_OFFSET + length}: ${hex(b)}` };
  }
  const aimBytes = b.subarray(2, 5);
  let aim: string;
  if (aimBytes.every((x) => x === 0)) aim = '';
  else {
    aim = aimBytes.toString('latin1');
    if (!AIM_RE.test(aim)) return { ok: false, code: 'garbled', detail: `no AIM symbology id in bytes 2..4: ${hex(b)}` };
  }
  // A short report (some clones send only what they need) has no "more" byte: it is the last one.
  const more = b.length > HID_POS_MORE_OFFSET && b[HID_POS_MORE_OFFSET] !== 0;
  return { ok: true, value: { length, aim, data: Buffer.from(b.subarray(HID_POS_DATA_OFFSET, HID_POS_DATA_OFFSET + length)), more } };
}

/** Build the input reports a scanner sends for `data` (report id in byte 0, 64 bytes each). */
export function encodeHidPosReports(data: Uint8Array | string, aim = ']Q1'): Buffer[] {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
  const aimBytes = aim === '' ? Buffer.alloc(3) : Buffer.from(aim, 'latin1');
  if (aimBytes.length !== 3) throw new RangeError(`AIM id must be 3 characters: ${JSON.stringify(aim)}`);
  const out: Buffer[] = [];
  for (let at = 0; at < bytes.length || out.length === 0; at += HID_POS_DATA_CAPACITY) {
    const chunk = bytes.subarray(at, at + HID_POS_DATA_CAPACITY);
    const r = Buffer.alloc(HID_POS_REPORT_LENGTH);
    r[0] = HID_POS_SCAN_REPORT_ID;
    r[1] = chunk.length;
    aimBytes.copy(r, 2);
    chunk.copy(r, HID_POS_DATA_OFFSET);
    r[HID_POS_MORE_OFFSET] = at + HID_POS_DATA_CAPACITY < bytes.length ? 1 : 0;
    out.push(r);
  }
  return out;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
// GS1 codes carry GS (0x1D) as a field separator; every other C0/C1 control means line noise.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1c\x1e-\x1f\x7f-\x9f]/;

export interface HidPosAssemblerOptions {
  maxLength?: number;
  /** A multi-report code whose next report does not come within this time is `incomplete`. */
  idleTimeoutMs?: number;
  /**
   * The rest of an overlong code is dropped up to its last report; only this long without a report
   * (default: ten idle timeouts) also ends that, so a stall mid-code never turns its tail into a scan.
   */
  discardIdleMs?: number;
}

/** Reassembles multi-report codes and validates them. */
export class HidPosAssembler {
  readonly maxLength: number;
  readonly idleTimeoutMs: number;
  readonly discardIdleMs: number;
  #parts: Buffer[] = [];
  #size = 0;
  #aim = '';
  #reports = 0;
  #discarding = false;
  #lastAt = 0;

  constructor(options: HidPosAssemblerOptions = {}) {
    this.maxLength = options.maxLength ?? HID_POS_DEFAULT_MAX_LENGTH;
    this.idleTimeoutMs = options.idleTimeoutMs ?? HID_POS_DEFAULT_IDLE_MS;
    this.discardIdleMs = options.discardIdleMs ?? 10 * this.idleTimeoutMs;
  }

  /** Reports of an unfinished code held (0 when idle). */
  get pending(): number {
    return this.#reports;
  }

  push(report: Uint8Array, now: number = Date.now()): HidPosEvent[] {
    const r = parseHidPosReport(report);
    if (r.ok === 'ignored') return [];
    // A long silence after an overlong code: its rest is not coming, this report starts afresh.
    if (this.#discarding && now - this.#lastAt >= this.discardIdleMs) this.#discarding = false;
    this.#lastAt = now;
    const out: HidPosEvent[] = [];
    if (r.ok === false) {
      // A broken report also breaks the code it belonged to.
      out.push(...this.#drop('a broken report interrupted it'));
      out.push({ kind: 'error', code: r.code, detail: r.detail, bytes: Buffer.from(report) });
      return out;
    }
    const rep = r.value;
    if (this.#reports > 0 && rep.aim !== this.#aim) {
      // Continuations repeat the first report's AIM id; a different one is a new code after a lost tail.
      out.push(...this.#drop(`next report has AIM id ${JSON.stringify(rep.aim)}, not ${JSON.stringify(this.#aim)}`));
    }
    if (this.#discarding) {
      if (!rep.more) this.#discarding = false;
      return out;
    }
    if (this.#reports === 0) this.#aim = rep.aim;
    this.#reports++;
    this.#parts.push(rep.data);
    this.#size += rep.data.length;
    if (this.#size > this.maxLength) {
      const bytes = Buffer.concat(this.#parts).subarray(0, 64);
      out.push({ kind: 'error', code: 'too_long', detail: `code exceeds ${this.maxLength} bytes after ${this.#reports} reports; dropping its rest`, bytes });
      this.#clear();
      this.#discarding = rep.more;
      return out;
    }
    if (!rep.more) out.push(this.#finish());
    return out;
  }

  /**
   * Report a multi-report code whose tail never came; call when idleTimeoutMs has passed. The
   * dropped rest of an overlong code stays dropped (see discardIdleMs).
   */
  flushIdle(now: number = Date.now()): HidPosEvent[] {
    if (this.#reports === 0) return [];
    if (now - this.#lastAt < this.idleTimeoutMs) return [];
    return this.#drop(`no further report after ${now - this.#lastAt} ms`);
  }

  /** Drop a partial code (e.g. the device went away), reporting it. */
  reset(reason = 'device closed'): HidPosEvent[] {
    this.#discarding = false;
    return this.#drop(reason);
  }

  #drop(reason: string): HidPosEvent[] {
    if (this.#reports === 0) return [];
    const bytes = Buffer.concat(this.#parts);
    const n = this.#reports;
    this.#clear();
    return [{ kind: 'error', code: 'incomplete', detail: `${reason}; ${n} report(s), ${bytes.length} bytes: ${hex(bytes)}`, bytes }];
  }

  #clear(): void {
    this.#parts = [];
    this.#size = 0;
    this.#reports = 0;
    this.#aim = '';
  }

  #finish(): HidPosEvent {
    const bytes = Buffer.concat(this.#parts);
    const reports = this.#reports;
    const info = describeAim(this.#aim);
    this.#clear();
    let code: string;
    try {
      code = utf8.decode(bytes);
    } catch {
      return { kind: 'error', code: 'garbled', detail: `invalid UTF-8 in ${bytes.length} bytes: ${hex(bytes)}`, bytes };
    }
    if (code.length === 0) return { kind: 'error', code: 'bad_length', detail: 'empty code', bytes };
    const m = CONTROL.exec(code);
    if (m) {
      const cp = (m[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
      return { kind: 'error', code: 'garbled', detail: `control character U+${cp} at ${m.index}: ${hex(bytes)}`, bytes };
    }
    return { kind: 'scan', code, bytes, aim: info.aim, symbology: info.symbology, gs1: info.gs1, reports };
  }
}
