// Owns the shapes every import file reader produces and the limits they enforce: a table is a header
// and records, each record keeping the line (CSV) or row number (XLSX) it came from so every problem
// can point at the spot in the organizer's file. Also owns ImportFileError, the one error type of the
// file layer: a code the UI translates, the position when there is one, and an English message.

/** One cell as read from a file: CSV gives text only; XLSX keeps numbers and booleans, dates become ISO text. */
export type Cell = string | number | boolean | null;

export interface SourceRecord {
  /** 1-based line where the record starts (CSV) or the worksheet's row number (XLSX). */
  line: number;
  cells: Cell[];
}

export interface Table {
  format: 'csv' | 'xlsx';
  /** Column titles, trimmed; an empty title stays empty (map such a column by its index). */
  header: string[];
  /** Line (CSV) or row (XLSX) of the header. */
  headerLine: number;
  /** Data records in file order; records whose cells are all empty are left out. */
  records: SourceRecord[];
}

export interface ImportLimits {
  /** Largest file accepted, in bytes. */
  maxBytes: number;
  /** Longest cell, in characters. */
  maxCellChars: number;
  /** Most columns in a record. */
  maxColumns: number;
  /** Most data records (the header not counted). */
  maxRows: number;
  /**
   * Longest CSV record, in characters (default maxCellChars × maxColumns, the most a valid record
   * can hold): the parser holds at most this much of one record before it stops, so a 10 MB cell is
   * refused after this many characters instead of being buffered whole.
   */
  maxRecordChars: number;
  /** Largest total of an XLSX archive's unpacked parts, in bytes (a guard against ZIP bombs). */
  maxUnpackedBytes: number;
}

export const DEFAULT_LIMITS: ImportLimits = {
  maxBytes: 64 * 1024 * 1024,
  maxCellChars: 10_000,
  maxColumns: 200,
  maxRows: 200_000,
  maxRecordChars: 10_000 * 200,
  maxUnpackedBytes: 1024 * 1024 * 1024,
};

export function limitsWith(overrides: Partial<ImportLimits> = {}): ImportLimits {
  const limits = { ...DEFAULT_LIMITS, ...overrides };
  if (overrides.maxRecordChars === undefined) limits.maxRecordChars = limits.maxCellChars * limits.maxColumns;
  return limits;
}

export type ImportFileErrorCode =
  | 'file_too_large'
  | 'empty_file'
  | 'unknown_encoding'
  | 'invalid_bytes'
  | 'encoding_undetermined'
  | 'csv_syntax'
  | 'cell_too_long'
  | 'too_many_columns'
  | 'too_many_rows'
  | 'not_xlsx'
  | 'xlsx_corrupt'
  | 'xlsx_too_large'
  | 'sheet_not_found';

export interface ImportFileErrorDetails {
  line?: number;
  /** 1-based column number. */
  column?: number;
  /** Byte offset in the file (encoding errors). */
  offset?: number;
  encoding?: string;
  sheet?: string;
  limit?: number;
}

/** The file cannot be read as a table: nothing of it is used. */
export class ImportFileError extends Error {
  override readonly name = 'ImportFileError';
  constructor(
    readonly code: ImportFileErrorCode,
    message: string,
    readonly details: ImportFileErrorDetails = {},
  ) {
    super(message);
  }
}

/** Spreadsheet column letters for a 1-based column number: 1 → A, 27 → AA. */
export function columnLetter(column: number): string {
  let n = column;
  let out = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    out = String.fromCharCode(65 + rem) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

export const isEmptyCell = (cell: Cell | undefined) =>
  cell === null || cell === undefined || (typeof cell === 'string' && cell.trim() === '');
