// Owns checking and normalising the rows of an attendee file for the dry run: every record through the
// resolved mapping, every mapped cell through its field's type, and duplicate external ids or external
// ticket codes within the file. Each row comes out either normalised or with every problem it has
// (line, column, field, reason code, message), so the dry run reports all bad rows at once. A mapping
// that lacks a required field fails before any row (MappingError). Pure: no server or database use.
//
// Normal forms: text trimmed; number a JS number ("1,5" accepted); choice the allowed value as
// defined (matched ignoring case); multiple choice a list split on , ; | 、 ， ； or line breaks;
// checkbox a boolean (true/yes/1/x/✓/是/да …); date YYYY-MM-DD (from ISO, YYYY/MM/DD, DD.MM.YYYY or
// YYYY年M月D日); phone digits with an optional leading + (5 to 15 digits), and its last 4 digits;
// email trimmed with the domain lower-cased; country an upper-case ISO 3166 alpha-2 code; idNumber
// upper-case without spaces.
import { COUNTRY_CODES } from './countries';
import { isStandardField, resolveMapping, type ColumnMapping, type FieldDef, type ResolvedColumn } from './mapping';
import { columnLetter, isEmptyCell, type Cell, type SourceRecord } from './table';

export type FieldValue = string | number | boolean | string[];

export interface AttendeeRow {
  line: number;
  externalId: string | null;
  ticketType: string | null;
  attendeeName: string | null;
  company: string | null;
  email: string | null;
  phone: string | null;
  /** The last 4 digits of the phone, what the gate searches by. */
  phoneLast4: string | null;
  idNumber: string | null;
  externalCode: string | null;
  /** Custom form fields by key; an empty optional cell is null. */
  custom: Record<string, FieldValue | null>;
}

export type RowProblemReason =
  | 'required'
  | 'too_long'
  | 'not_a_number'
  | 'not_a_choice'
  | 'not_a_date'
  | 'not_a_checkbox'
  | 'must_be_checked'
  | 'bad_phone'
  | 'bad_email'
  | 'bad_country'
  | 'extra_cells'
  | 'duplicate_external_id'
  | 'duplicate_external_code';

export interface RowProblem {
  line: number;
  /** 1-based column in the file. */
  column: number;
  /** The column's header title. */
  columnTitle: string;
  /** The target field, absent for a cell no field reads. */
  field?: string;
  reason: RowProblemReason;
  message: string;
  /** Values for the UI's translated message (the earlier line of a duplicate, a length limit …). */
  params?: Record<string, string | number>;
}

export type RowResult = { line: number; ok: true; row: AttendeeRow } | { line: number; ok: false; problems: RowProblem[] };

export interface ValidationReport {
  columns: ResolvedColumn[];
  results: RowResult[];
  validRows: number;
  invalidRows: number;
}

type Normalized =
  | { ok: true; value: FieldValue | null }
  | { ok: false; reason: RowProblemReason; message: string; params?: Record<string, string | number> };

const TRUE_WORDS = new Set(['1', 'true', 'yes', 'y', 'x', '✓', '✔', 'on', 'checked', '是', '对', 'да', 'д']);
const FALSE_WORDS = new Set(['0', 'false', 'no', 'n', 'off', '否', '不', 'нет', 'н']);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MULTI_SEPARATORS = /[,;|、，；\n]/;

const asText = (cell: Cell): string =>
  (typeof cell === 'number' && Number.isInteger(cell) ? cell.toFixed(0) : String(cell)).trim();

/** Digits with an optional leading +, or null when the text is not a phone number. */
export function normalizePhone(input: string): { phone: string; last4: string } | null {
  const compact = input.replace(/[\s\-()./\u00a0]/g, '');
  if (!/^\+?\d{5,15}$/.test(compact)) return null;
  return { phone: compact, last4: compact.slice(-4) };
}

function normalizeDate(cell: Cell): string | null {
  if (typeof cell !== 'string') return null;
  const text = cell.trim();
  let m =
    /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?)?$/.exec(text) ??
    /^(\d{4})[./](\d{1,2})[./](\d{1,2})$/.exec(text);
  m ??= /^(\d{4})年(\d{1,2})月(\d{1,2})日?$/.exec(text);
  let y: number, mo: number, d: number;
  if (m) [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  else {
    const ru = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(text);
    if (!ru) return null;
    [d, mo, y] = [Number(ru[1]), Number(ru[2]), Number(ru[3])];
  }
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

/** One cell through its field's type. */
export function normalizeValue(field: FieldDef, cell: Cell): Normalized {
  if (isEmptyCell(cell)) {
    return field.required ? { ok: false, reason: 'required', message: `"${field.key}" is required.` } : { ok: true, value: null };
  }
  const cellValue = cell as Exclude<Cell, null>;
  const text = asText(cellValue);
  if (field.maxLength !== undefined && text.length > field.maxLength) {
    return {
      ok: false,
      reason: 'too_long',
      message: `"${field.key}" is longer than ${field.maxLength} characters.`,
      params: { max: field.maxLength },
    };
  }
  switch (field.type) {
    case 'text':
      return { ok: true, value: field.key === 'idNumber' ? text.replace(/\s+/g, '').toUpperCase() : text };
    case 'number': {
      if (typeof cellValue === 'number') return { ok: true, value: cellValue };
      const compact = text.replace(/[\s\u00a0]/g, '');
      if (!/^[+-]?\d+(?:[.,]\d+)?$/.test(compact))
        return { ok: false, reason: 'not_a_number', message: `"${text}" is not a number.` };
      return { ok: true, value: Number(compact.replace(',', '.')) };
    }
    case 'choice': {
      const choice = (field.choices ?? []).find((c) => c.toLowerCase() === text.toLowerCase());
      if (choice === undefined) return notAChoice(field, text);
      return { ok: true, value: choice };
    }
    case 'multiChoice': {
      const picked: string[] = [];
      for (const part of text
        .split(MULTI_SEPARATORS)
        .map((p) => p.trim())
        .filter((p) => p !== '')) {
        const choice = (field.choices ?? []).find((c) => c.toLowerCase() === part.toLowerCase());
        if (choice === undefined) return notAChoice(field, part);
        if (!picked.includes(choice)) picked.push(choice);
      }
      return { ok: true, value: picked };
    }
    case 'checkbox': {
      const checked =
        typeof cellValue === 'boolean'
          ? cellValue
          : TRUE_WORDS.has(text.toLowerCase())
            ? true
            : FALSE_WORDS.has(text.toLowerCase())
              ? false
              : null;
      if (checked === null) return { ok: false, reason: 'not_a_checkbox', message: `"${text}" is neither yes nor no.` };
      if (field.required && !checked) return { ok: false, reason: 'must_be_checked', message: `"${field.key}" must be checked.` };
      return { ok: true, value: checked };
    }
    case 'date': {
      const date = normalizeDate(cellValue);
      if (date === null) return { ok: false, reason: 'not_a_date', message: `"${text}" is not a date (write it as YYYY-MM-DD).` };
      return { ok: true, value: date };
    }
    case 'phone': {
      const phone = normalizePhone(text);
      if (phone === null)
        return {
          ok: false,
          reason: 'bad_phone',
          message: `"${text}" is not a phone number (5 to 15 digits, optionally starting with +).`,
        };
      return { ok: true, value: phone.phone };
    }
    case 'email': {
      if (!EMAIL.test(text) || text.length > 254)
        return { ok: false, reason: 'bad_email', message: `"${text}" is not an email address.` };
      const at = text.lastIndexOf('@');
      return { ok: true, value: text.slice(0, at) + text.slice(at).toLowerCase() };
    }
    case 'country': {
      const code = text.toUpperCase();
      if (!COUNTRY_CODES.has(code))
        return { ok: false, reason: 'bad_country', message: `"${text}" is not an ISO 3166 two-letter country code.` };
      return { ok: true, value: code };
    }
  }
}

function notAChoice(field: FieldDef, text: string): Normalized {
  const allowed = (field.choices ?? []).join(', ');
  return { ok: false, reason: 'not_a_choice', message: `"${text}" is not one of: ${allowed}.`, params: { allowed } };
}

const emptyRow = (line: number): AttendeeRow => ({
  line,
  externalId: null,
  ticketType: null,
  attendeeName: null,
  company: null,
  email: null,
  phone: null,
  phoneLast4: null,
  idNumber: null,
  externalCode: null,
  custom: {},
});

/**
 * Every record of a table through the mapping and the field definitions. Throws MappingError (before
 * any row) when the mapping cannot be used.
 */
export function validateTable(
  table: { header: readonly string[]; records: readonly SourceRecord[] },
  mapping: readonly ColumnMapping[],
  fields: readonly FieldDef[],
): ValidationReport {
  const columns = resolveMapping(table.header, mapping, fields);
  const seenIds = new Map<string, number>();
  const seenCodes = new Map<string, number>();
  const results: RowResult[] = [];
  let validRows = 0;
  for (const record of table.records) {
    const { line, cells } = record;
    const row = emptyRow(line);
    const problems: RowProblem[] = [];
    const at = (index: number) => ({ line, column: index + 1, columnTitle: table.header[index] ?? '' });
    for (const column of columns) {
      const result = normalizeValue(column.field, cells[column.index] ?? null);
      if (!result.ok) {
        problems.push({
          ...at(column.index),
          field: column.field.key,
          reason: result.reason,
          message: `Line ${line}, column ${columnLetter(column.index + 1)}: ${result.message}`,
          ...(result.params ? { params: result.params } : {}),
        });
        continue;
      }
      const key = column.field.key;
      if (isStandardField(key)) (row as unknown as Record<string, FieldValue | null>)[key] = result.value;
      else row.custom[key] = result.value;
      if (key === 'phone' && typeof result.value === 'string') row.phoneLast4 = result.value.slice(-4);
    }
    for (let i = table.header.length; i < cells.length; i++) {
      if (!isEmptyCell(cells[i])) {
        problems.push({
          ...at(i),
          reason: 'extra_cells',
          message: `Line ${line}, column ${columnLetter(i + 1)}: a value beyond the last titled column (the row has more cells than the header).`,
        });
        break;
      }
    }
    const duplicate = (value: string | null, seen: Map<string, number>, key: 'externalId' | 'externalCode') => {
      if (value === null) return;
      const earlier = seen.get(value);
      if (earlier === undefined) {
        seen.set(value, line);
        return;
      }
      const column = columns.find((c) => c.field.key === key)!;
      const what = key === 'externalId' ? 'external id' : 'external ticket code';
      problems.push({
        ...at(column.index),
        field: key,
        reason: key === 'externalId' ? 'duplicate_external_id' : 'duplicate_external_code',
        message: `Line ${line}, column ${columnLetter(column.index + 1)}: the ${what} "${value}" is already on line ${earlier}.`,
        params: { earlierLine: earlier, value },
      });
    };
    duplicate(row.externalId, seenIds, 'externalId');
    duplicate(row.externalCode, seenCodes, 'externalCode');
    if (problems.length === 0) {
      validRows++;
      results.push({ line, ok: true, row });
    } else {
      results.push({ line, ok: false, problems });
    }
  }
  return { columns, results, validRows, invalidRows: results.length - validRows };
}
