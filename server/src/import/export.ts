// Owns writing rows (attendees, orders, check-ins) to CSV and XLSX files for organizers, streamed, with
// spreadsheet formula injection guarded (OWASP "CSV Injection"):
//   - CSV: a text cell whose first character is = + - @ tab (U+0009) or carriage return (U+000D) is
//     written with a leading apostrophe, so a spreadsheet shows it as text instead of evaluating it.
//     Numbers are written as numbers and never prefixed. csv.ts removes that apostrophe on import.
//   - XLSX: every text value is written as a string cell (never a formula), whatever it starts with.
//     (XML reads a bare carriage return in a cell back as a line feed.)
// CSV is UTF-8, by default with a byte order mark so Excel opens Chinese and Russian text correctly.
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import { isoDate } from './xlsx';

export type ExportValue = string | number | boolean | Date | null | undefined;

export interface ExportColumn<Row> {
  title: string;
  value: (row: Row) => ExportValue;
  /** XLSX column width in characters. */
  width?: number;
}

const TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r']);

/** The CSV form of a text cell: prefixed with an apostrophe when a spreadsheet would read it as a formula. */
export function guardCsvText(text: string): string {
  return text.length > 0 && TRIGGERS.has(text[0]!) ? `'${text}` : text;
}

function csvCell(value: ExportValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return isoDate(value);
  return guardCsvText(value);
}

export interface CsvExportOptions {
  /** Start with a UTF-8 byte order mark (default true: Excel then reads the text as UTF-8). */
  bom?: boolean;
  delimiter?: ',' | ';' | '\t';
}

/** Writes the rows as CSV to `out` and resolves once all of it is flushed. */
export async function writeCsv<Row>(
  columns: readonly ExportColumn<Row>[],
  rows: Iterable<Row> | AsyncIterable<Row>,
  out: Writable,
  options: CsvExportOptions = {},
): Promise<void> {
  const stringifier = stringify({ delimiter: options.delimiter ?? ',', record_delimiter: 'windows', quoted_match: /^\s|\s$/ });
  // Settles when `out` is flushed, and also when it fails or is closed early (a download the client
  // gave up): the writer then stops instead of waiting for a drain that never comes.
  const done = Promise.race([
    finished(out),
    new Promise<never>((_resolve, reject) => stringifier.on('error', reject)),
  ]);
  done.catch(() => undefined);
  if (options.bom ?? true) out.write('\ufeff');
  stringifier.pipe(out);
  const push = async (record: string[]) => {
    if (!stringifier.write(record)) await Promise.race([new Promise((resolve) => stringifier.once('drain', resolve)), done]);
  };
  await push(columns.map((c) => guardCsvText(c.title)));
  for await (const row of rows) await push(columns.map((c) => csvCell(c.value(row))));
  stringifier.end();
  await done;
}

/** Collects a Writable's output into one Buffer. */
class Collector extends Writable {
  readonly chunks: Buffer[] = [];
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: () => void) {
    this.chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
    callback();
  }
  bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

export async function toCsv<Row>(
  columns: readonly ExportColumn<Row>[],
  rows: Iterable<Row> | AsyncIterable<Row>,
  options: CsvExportOptions = {},
): Promise<Buffer> {
  const out = new Collector();
  await writeCsv(columns, rows, out, options);
  return out.bytes();
}

export interface XlsxExportOptions {
  sheetName?: string;
}

function xlsxCell(value: ExportValue): string | number | boolean | Date | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  // Text stays a plain string: exceljs writes strings as string cells; only {formula} objects become formulas.
  return value;
}

/** Writes the rows as an XLSX workbook (one worksheet) to `out` with exceljs's streaming writer. */
export async function writeXlsx<Row>(
  columns: readonly ExportColumn<Row>[],
  rows: Iterable<Row> | AsyncIterable<Row>,
  out: Writable,
  options: XlsxExportOptions = {},
): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: true });
  const sheet = workbook.addWorksheet(options.sheetName ?? 'Sheet1');
  sheet.columns = columns.map((c) => ({ header: c.title, width: c.width ?? Math.max(10, Math.min(40, c.title.length + 2)) }));
  let n = 1;
  for await (const row of rows) {
    const values = columns.map((c) => xlsxCell(c.value(row)));
    const added = sheet.addRow(values);
    values.forEach((v, i) => {
      if (v instanceof Date) added.getCell(i + 1).numFmt = isoDate(v).length > 10 ? 'yyyy-mm-dd hh:mm:ss' : 'yyyy-mm-dd';
    });
    added.commit();
    // Let the writer flush between batches instead of holding every row.
    if (++n % 1000 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  sheet.commit();
  await workbook.commit();
}

export async function toXlsx<Row>(
  columns: readonly ExportColumn<Row>[],
  rows: Iterable<Row> | AsyncIterable<Row>,
  options: XlsxExportOptions = {},
): Promise<Buffer> {
  const out = new Collector();
  await writeXlsx(columns, rows, out, options);
  return out.bytes();
}
