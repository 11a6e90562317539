// Owns reading a CSV attendee file into a Table: decoding (decode.ts), choosing the delimiter,
// parsing with csv-parse (quoted fields, embedded line breaks, CRLF) and enforcing the import limits
// while parsing, so an oversized file, record or cell stops the read with an error naming its line
// and column. Every record keeps the line it starts on.
//
// Delimiter, when the caller names none: the one of `,` `;` and tab that occurs most often in the
// header record outside quotes (a tie goes to that order); a header with none of them is one column.
//
// Export guard, undone on import: export.ts writes a text cell that starts with = + - @ tab or CR with
// a leading apostrophe (OWASP CSV injection); a cell read here that is an apostrophe followed by one
// of those characters loses the apostrophe, so an exported file imports back to the same text.
import { CsvError, parse } from 'csv-parse/sync';
import { decodeText, type DecodedText } from './decode';
import { ImportFileError, isEmptyCell, limitsWith, type ImportLimits, type SourceRecord, type Table } from './table';

export type CsvDelimiter = ',' | ';' | '\t';

export interface CsvOptions {
  delimiter?: CsvDelimiter;
  limits?: Partial<ImportLimits>;
  /** Remove the apostrophe export.ts puts before = + - @ tab CR (default true). */
  stripInjectionGuard?: boolean;
}

export interface CsvTable extends Table {
  format: 'csv';
  delimiter: CsvDelimiter;
}

export interface CsvFile extends CsvTable {
  decoded: Omit<DecodedText, 'text'>;
}

/** Bytes of a CSV file → table; `encoding` names the file's encoding, otherwise it is detected. */
export function readCsv(bytes: Uint8Array, options: CsvOptions & { encoding?: string } = {}): CsvFile {
  const limits = limitsWith(options.limits);
  const { text, ...decoded } = decodeText(bytes, { encoding: options.encoding, maxBytes: limits.maxBytes });
  return { ...parseCsvText(text, options), decoded };
}

const GUARDED = /^'[=+\-@\t\r]/;

export function detectDelimiter(text: string): CsvDelimiter {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  const end = Math.min(text.length, 65_536);
  for (let i = 0; i < end; i++) {
    const ch = text[i]!;
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && (ch === ',' || ch === ';' || ch === '\t')) counts[ch]++;
  }
  let best: CsvDelimiter = ',';
  for (const d of [';', '\t'] as const) if (counts[d] > counts[best]) best = d;
  return best;
}

/** Decoded CSV text → table. */
export function parseCsvText(text: string, options: CsvOptions = {}): CsvTable {
  const limits = limitsWith(options.limits);
  const strip = options.stripInjectionGuard ?? true;
  const delimiter = options.delimiter ?? detectDelimiter(text);
  const buffer = Buffer.from(text, 'utf8');
  if (buffer.length > limits.maxBytes) {
    throw new ImportFileError(
      'file_too_large',
      `The file is ${buffer.length} bytes as text; the limit is ${limits.maxBytes} bytes.`,
      {
        limit: limits.maxBytes,
      },
    );
  }

  // Line bookkeeping: `pos` is the byte after the last record, `line` the line it is on.
  let pos = 0;
  let line = 1;
  /** Skips the blank lines after the last record and returns the line the next record starts on. */
  const nextStartLine = () => {
    while (pos < buffer.length && (buffer[pos] === 0x0a || buffer[pos] === 0x0d)) {
      if (buffer[pos] === 0x0a) line++;
      pos++;
    }
    return line;
  };
  const advanceTo = (end: number) => {
    for (; pos < end; pos++) if (buffer[pos] === 0x0a) line++;
  };

  let header: string[] | null = null;
  let headerLine = 1;
  const records: SourceRecord[] = [];

  const onRecord = (fields: string[], info: { bytes: number }): null => {
    const start = nextStartLine();
    advanceTo(info.bytes);
    if (fields.length > limits.maxColumns) {
      throw new ImportFileError(
        'too_many_columns',
        `Line ${start} has ${fields.length} columns; the limit is ${limits.maxColumns}.`,
        {
          line: start,
          limit: limits.maxColumns,
        },
      );
    }
    for (let c = 0; c < fields.length; c++) {
      const value = fields[c]!;
      if (value.length > limits.maxCellChars) throw cellTooLong(start, c + 1, limits.maxCellChars);
      if (strip && GUARDED.test(value)) fields[c] = value.slice(1);
    }
    if (header === null) {
      header = fields.map((f) => f.trim());
      headerLine = start;
      return null;
    }
    if (fields.every((f) => isEmptyCell(f))) return null;
    if (records.length >= limits.maxRows) {
      throw new ImportFileError(
        'too_many_rows',
        `The file has more than ${limits.maxRows} rows (line ${start}); split it into several files.`,
        {
          line: start,
          limit: limits.maxRows,
        },
      );
    }
    records.push({ line: start, cells: fields });
    return null;
  };

  try {
    parse(buffer, {
      delimiter,
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      max_record_size: limits.maxRecordChars,
      on_record: onRecord,
    });
  } catch (err) {
    if (err instanceof ImportFileError) throw err;
    if (err instanceof CsvError) throw fromCsvError(err, nextStartLine(), limits);
    throw err;
  }
  if (header === null) throw new ImportFileError('empty_file', 'The file has no header row and no data.');
  return { format: 'csv', delimiter, header, headerLine, records };
}

function cellTooLong(line: number, column: number, limit: number) {
  return new ImportFileError('cell_too_long', `The cell on line ${line}, column ${column} is longer than ${limit} characters.`, {
    line,
    column,
    limit,
  });
}

function fromCsvError(err: CsvError, recordLine: number, limits: ImportLimits): ImportFileError {
  const info = err as CsvError & { index?: number; lines?: number };
  switch (err.code) {
    case 'CSV_MAX_RECORD_SIZE': {
      // The parser stops once one record holds maxRecordChars, while it reads `column`: that cell is
      // the long one unless the record's earlier cells already were.
      const column = (info.index ?? 0) + 1;
      return new ImportFileError(
        'cell_too_long',
        `The record on line ${recordLine} holds more than ${limits.maxRecordChars} characters by column ${column}: ` +
          `a cell is longer than ${limits.maxCellChars} characters.`,
        { line: recordLine, column, limit: limits.maxCellChars },
      );
    }
    case 'CSV_QUOTE_NOT_CLOSED':
      return new ImportFileError(
        'csv_syntax',
        `A quoted field that starts in the record on line ${recordLine} is never closed.`,
        {
          line: recordLine,
        },
      );
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return new ImportFileError(
        'csv_syntax',
        `Line ${info.lines ?? recordLine}: a quote inside a quoted field must be doubled (""), and a closing quote must be followed by the delimiter or the end of the line.`,
        { line: info.lines ?? recordLine },
      );
    default:
      return new ImportFileError('csv_syntax', `Line ${info.lines ?? recordLine}: ${err.message}`, {
        line: info.lines ?? recordLine,
      });
  }
}
