// Owns machine-readable zones (ICAO 9303) as MRZ readers deliver them: TD1 (3 × 30), TD2 (2 × 36)
// and TD3 (2 × 44) lines, one per line over serial or keyboard wedge, assembled into a document when
// the right number of lines of the right length has arrived, then parsed and checked with the `mrz`
// package. Pure: no I/O, no timers (the caller passes `now` and calls flushIdle()). Also composes
// MRZs with correct check digits, for simulators and tests.
import { parse as parseMrzLines, type Details, type ParseResult } from 'mrz';
import { DriverError } from '../errors';
import { WedgeCapture, type KeyEvent, type WedgeOptions } from '../scanners/wedge';

export type MrzShape = 'TD1' | 'TD2' | 'TD3';
export const MRZ_SHAPES: Readonly<Record<MrzShape, { lines: number; length: number }>> = {
  TD1: { lines: 3, length: 30 },
  TD2: { lines: 2, length: 36 },
  TD3: { lines: 2, length: 44 },
};
const SHAPE_BY_LENGTH = new Map<number, MrzShape>(Object.entries(MRZ_SHAPES).map(([k, v]) => [v.length, k as MrzShape]));
/** Some readers send the whole zone as one run of characters: 90, 72 or 88. */
const SHAPE_BY_TOTAL = new Map<number, MrzShape>(Object.entries(MRZ_SHAPES).map(([k, v]) => [v.length * v.lines, k as MrzShape]));

export type MrzErrorCode = 'garbled' | 'bad_length' | 'bad_format' | 'incomplete';

export interface MrzDocument {
  /** The layout the `mrz` package recognised (TD1/TD2/TD3, or a national variant such as FRENCH_NATIONAL_ID). */
  format: ParseResult['format'];
  documentType: 'passport' | 'id_card' | 'visa' | 'other';
  /** Raw document code, e.g. "P", "ID", "I". */
  documentCode: string;
  issuingState: string | null;
  documentNumber: string | null;
  names: { surname: string; givenNames: string };
  nationality: string | null;
  /** YYYY-MM-DD, null when unreadable. */
  birthDate: string | null;
  expiryDate: string | null;
  sex: 'male' | 'female' | 'unspecified';
  /** Every check digit and field is valid. */
  valid: boolean;
  /** Fields that failed (check digits such as 'birthDateCheckDigit', or fields such as 'nationality'). */
  failedChecks: string[];
  lines: string[];
}

/**
 * The document number can be trusted: present, and its own and the composite check digits hold. An
 * unknown issuing state or an expired date is the gate's rules' business, not a misread.
 */
export function documentNumberTrusted(doc: Pick<MrzDocument, 'documentNumber' | 'failedChecks'>): boolean {
  return !!doc.documentNumber && !doc.failedChecks.some((f) => f.startsWith('documentNumber') || f.startsWith('composite'));
}

export type MrzEvent = { kind: 'document'; document: MrzDocument } | { kind: 'error'; code: MrzErrorCode; detail: string; lines: string[] };

const MRZ_CHARS = /^[A-Z0-9<]+$/;

/** ICAO 9303 check digit: weights 7,3,1; '<' = 0, A–Z = 10–35. */
export function mrzCheckDigit(s: string): string {
  let sum = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const v = c === 0x3c ? 0 : c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x41 && c <= 0x5a ? c - 0x41 + 10 : NaN;
    if (Number.isNaN(v)) throw new RangeError(`'${s[i]}' is not an MRZ character`);
    sum += v * [7, 3, 1][i % 3]!;
  }
  return String(sum % 10);
}

function isoDate(yymmdd: string | null, kind: 'birth' | 'expiry', now: Date): string | null {
  if (!yymmdd || !/^\d{6}$/.test(yymmdd)) return null;
  const yy = Number(yymmdd.slice(0, 2));
  const thisYY = now.getUTCFullYear() % 100;
  // Births are never in the future; expiries are at most a few decades ahead.
  const century = kind === 'birth' ? (yy > thisYY ? 1900 : 2000) : yy >= 70 ? 1900 : 2000;
  return `${century + yy}-${yymmdd.slice(2, 4)}-${yymmdd.slice(4, 6)}`;
}

/** Parse complete MRZ lines. Throws DriverError `bad_format` when the layout is not a known one. */
export function parseMrz(lines: readonly string[], options: { now?: Date } = {}): MrzDocument {
  let r: ParseResult;
  try {
    r = parseMrzLines(lines);
  } catch (e) {
    throw new DriverError<MrzErrorCode>('bad_format', (e as Error).message, { cause: e });
  }
  const now = options.now ?? new Date();
  const detail = (f: string): Details | undefined => r.details.find((d) => d.field === f);
  // The package nulls invalid fields; the raw text is still what the document says.
  const raw = (f: string): string | null => {
    const d = detail(f);
    if (!d) return null;
    if (d.value !== null) return d.value;
    const text = lines[d.line]?.slice(d.start, d.end) ?? '';
    const cleaned = text.replace(/<+$/g, '').replace(/</g, ' ').trim();
    return cleaned === '' ? null : cleaned;
  };
  const code = raw('documentCode') ?? lines[0]!.slice(0, 2).replace(/</g, '');
  const first = code.charAt(0);
  const sex = r.fields.sex;
  return {
    format: r.format,
    documentType: first === 'P' ? 'passport' : first === 'V' ? 'visa' : 'IAC'.includes(first) && first !== '' ? 'id_card' : 'other',
    documentCode: code,
    issuingState: raw('issuingState'),
    documentNumber: r.documentNumber ?? raw('documentNumber'),
    names: { surname: raw('lastName') ?? '', givenNames: raw('firstName') ?? '' },
    nationality: raw('nationality'),
    birthDate: isoDate(raw('birthDate'), 'birth', now),
    expiryDate: isoDate(raw('expirationDate'), 'expiry', now),
    sex: sex === 'male' ? 'male' : sex === 'female' ? 'female' : 'unspecified',
    valid: r.valid,
    failedChecks: r.details.filter((d) => !d.valid).map((d) => d.field ?? d.label),
    lines: [...lines],
  };
}

export interface MrzAssemblerOptions {
  /** Lines of one document arrive together; a partial document quiet for this long is `incomplete`. */
  documentTimeoutMs?: number;
  now?: () => Date;
}

/** Collects lines into documents. */
export class MrzAssembler {
  readonly documentTimeoutMs: number;
  readonly #now: () => Date;
  #lines: string[] = [];
  #shape: MrzShape | null = null;
  #lastAt = 0;

  constructor(options: MrzAssemblerOptions = {}) {
    this.documentTimeoutMs = options.documentTimeoutMs ?? 1000;
    this.#now = options.now ?? (() => new Date());
  }

  /** Lines of the document in progress. */
  get pending(): number {
    return this.#lines.length;
  }

  /** One line as the reader sent it (terminator removed). */
  push(input: string, now: number = Date.now()): MrzEvent[] {
    this.#lastAt = now;
    const line = input.trim();
    if (line === '') return [];
    const out: MrzEvent[] = [];
    if (!MRZ_CHARS.test(line)) {
      out.push(...this.#drop('a garbled line interrupted it'));
      out.push({ kind: 'error', code: 'garbled', detail: `characters outside A–Z 0–9 <: ${JSON.stringify(line.slice(0, 60))}`, lines: [line] });
      return out;
    }
    const whole = this.#lines.length === 0 ? SHAPE_BY_TOTAL.get(line.length) : undefined;
    if (whole) {
      const { lines, length } = MRZ_SHAPES[whole];
      return [this.#complete(Array.from({ length: lines }, (_, i) => line.slice(i * length, (i + 1) * length)))];
    }
    const shape = SHAPE_BY_LENGTH.get(line.length);
    if (!shape) {
      out.push(...this.#drop('a line of the wrong length interrupted it'));
      out.push({ kind: 'error', code: 'bad_length', detail: `a ${line.length}-character line is not TD1 (30), TD2 (36) or TD3 (44)`, lines: [line] });
      return out;
    }
    if (this.#shape && shape !== this.#shape) out.push(...this.#drop(`a ${shape} line followed ${this.#shape} lines`));
    this.#shape = shape;
    this.#lines.push(line);
    if (this.#lines.length === MRZ_SHAPES[shape].lines) {
      const lines = this.#lines;
      this.#clear();
      out.push(this.#complete(lines));
    }
    return out;
  }

  /** Report a document whose remaining lines never came; call when documentTimeoutMs has passed. */
  flushIdle(now: number = Date.now()): MrzEvent[] {
    if (this.#lines.length === 0 || now - this.#lastAt < this.documentTimeoutMs) return [];
    return this.#drop(`no further line after ${now - this.#lastAt} ms`);
  }

  reset(reason = 'reader closed'): MrzEvent[] {
    return this.#drop(reason);
  }

  #complete(lines: string[]): MrzEvent {
    try {
      return { kind: 'document', document: parseMrz(lines, { now: this.#now() }) };
    } catch (e) {
      return { kind: 'error', code: 'bad_format', detail: e instanceof DriverError ? e.detail : String(e), lines };
    }
  }

  #drop(reason: string): MrzEvent[] {
    if (this.#lines.length === 0) return [];
    const lines = this.#lines;
    const shape = this.#shape!;
    this.#clear();
    return [{ kind: 'error', code: 'incomplete', detail: `${reason}; ${lines.length} of ${MRZ_SHAPES[shape].lines} ${shape} lines`, lines }];
  }

  #clear(): void {
    this.#lines = [];
    this.#shape = null;
  }
}

/**
 * An MRZ reader in keyboard mode: each line arrives as a fast burst ending in Enter. The wedge
 * capture (with its layout remap: '<' is Shift+, on a US layout and lands elsewhere on others)
 * turns bursts into lines; the assembler makes documents.
 */
export class MrzWedge {
  readonly capture: WedgeCapture;
  readonly assembler: MrzAssembler;

  constructor(options: { wedge?: WedgeOptions; assembler?: MrzAssemblerOptions } = {}) {
    this.capture = new WedgeCapture({ terminator: 'Enter', minLength: 20, ...options.wedge });
    this.assembler = new MrzAssembler(options.assembler);
  }

  push(ev: KeyEvent): MrzEvent[] {
    return this.capture.push(ev).flatMap((e) => (e.kind === 'scan' ? this.assembler.push(e.code, ev.time) : []));
  }

  flushIdle(now: number): MrzEvent[] {
    const out = this.capture.flushIdle(now).flatMap((e) => (e.kind === 'scan' ? this.assembler.push(e.code, now) : []));
    return [...out, ...this.assembler.flushIdle(now)];
  }
}

// ---- Composing MRZs (simulators, tests) ------------------------------------------------------------

export interface MrzInput {
  shape: MrzShape;
  /** "P", "I", "ID", "AC"… (padded with '<' to 2). */
  documentCode: string;
  issuingState: string;
  surname: string;
  givenNames: string;
  documentNumber: string;
  nationality: string;
  /** YYMMDD */
  birthDate: string;
  sex: 'M' | 'F' | '<';
  /** YYMMDD */
  expiryDate: string;
  /** Personal number (TD3) / optional data. */
  optional?: string;
}

const field = (s: string, n: number) => {
  const v = s.toUpperCase().replace(/[^A-Z0-9<]/g, '<');
  if (v.length > n) throw new RangeError(`"${s}" does not fit ${n} characters`);
  return v.padEnd(n, '<');
};
const nameField = (surname: string, given: string, n: number) =>
  field(`${surname.trim().replace(/\s+/g, '<')}<<${given.trim().replace(/\s+/g, '<')}`.slice(0, n), n);

/** MRZ lines with correct check digits. */
export function composeMrz(d: MrzInput): string[] {
  const code = field(d.documentCode, 2);
  const state = field(d.issuingState, 3);
  const nat = field(d.nationality, 3);
  const cd = mrzCheckDigit;
  if (d.shape === 'TD3') {
    const num = field(d.documentNumber, 9);
    const personal = field(d.optional ?? '', 14);
    const personalCd = (d.optional ?? '') === '' ? '<' : cd(personal);
    const l1 = code + state + nameField(d.surname, d.givenNames, 39);
    const body = num + cd(num) + nat + d.birthDate + cd(d.birthDate) + d.sex + d.expiryDate + cd(d.expiryDate) + personal + personalCd;
    const composite = cd(num + cd(num) + d.birthDate + cd(d.birthDate) + d.expiryDate + cd(d.expiryDate) + personal + personalCd);
    return [l1, body + composite];
  }
  if (d.shape === 'TD2') {
    const num = field(d.documentNumber, 9);
    const opt = field(d.optional ?? '', 7);
    const l1 = code + state + nameField(d.surname, d.givenNames, 31);
    const l2 = num + cd(num) + nat + d.birthDate + cd(d.birthDate) + d.sex + d.expiryDate + cd(d.expiryDate) + opt;
    const composite = cd(num + cd(num) + d.birthDate + cd(d.birthDate) + d.expiryDate + cd(d.expiryDate) + opt);
    return [l1, l2 + composite];
  }
  const num = field(d.documentNumber, 9);
  const opt1 = field(d.optional ?? '', 15);
  const opt2 = field('', 11);
  const l1 = code + state + num + cd(num) + opt1;
  const l2 = d.birthDate + cd(d.birthDate) + d.sex + d.expiryDate + cd(d.expiryDate) + nat + opt2;
  const composite = cd(l1.slice(5, 30) + l2.slice(0, 7) + l2.slice(8, 15) + l2.slice(18, 29));
  return [l1, l2 + composite, nameField(d.surname, d.givenNames, 30)];
}
