// Owns reading an XLSX attendee file into a Table with exceljs's streaming reader: the first worksheet
// (in the workbook's order) or a named one, row by row, with the import limits enforced while reading.
// Cells become plain values: text and rich text → text; numbers and booleans stay; dates → ISO text
// ("2026-05-01", or "2026-05-01T09:30:00" when the cell has a time of day; Excel dates carry no zone);
// a formula → its cached result; an error value → its text ("#N/A"); hyperlinks → their text.
// Before exceljs sees the bytes, the ZIP archive is checked whole: a file that is not a ZIP archive, not
// a workbook, that unpacks to more than the limit, or whose parts do not unpack to their recorded size
// and CRC-32 (damaged or cut short) is refused with a clear error. exceljs's streaming reader is never
// handed a damaged archive: on one it can fail outside the promise it returns (a worksheet spooled to a
// temporary file), which would be an uncaught exception in the server.
import { Readable } from 'node:stream';
import { crc32, inflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import {
  columnLetter,
  ImportFileError,
  isEmptyCell,
  limitsWith,
  type Cell,
  type ImportLimits,
  type SourceRecord,
  type Table,
} from './table';

export interface XlsxOptions {
  /** Worksheet name; the first worksheet when absent. */
  sheet?: string;
  limits?: Partial<ImportLimits>;
}

export interface XlsxTable extends Table {
  format: 'xlsx';
  sheet: string;
}

export async function readXlsx(bytes: Uint8Array, options: XlsxOptions = {}): Promise<XlsxTable> {
  const limits = limitsWith(options.limits);
  if (bytes.length > limits.maxBytes) {
    throw new ImportFileError('file_too_large', `The file is ${bytes.length} bytes; the limit is ${limits.maxBytes} bytes.`, {
      limit: limits.maxBytes,
    });
  }
  checkArchive(bytes, limits);
  const input = Readable.from([Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)]);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  const seen: string[] = [];
  try {
    for await (const worksheet of reader) {
      const sheets = (reader as unknown as { model?: { sheets?: { id: number; name: string }[] } }).model?.sheets ?? [];
      const ws = worksheet as unknown as ExcelJS.stream.xlsx.WorksheetReader & { id: number; name: string };
      seen.push(ws.name);
      const wanted =
        options.sheet !== undefined ? ws.name === options.sheet : sheets.length === 0 || sheets[0]!.id === Number(ws.id);
      if (!wanted) continue;
      return await readWorksheet(ws, limits);
    }
  } catch (err) {
    if (err instanceof ImportFileError) throw err;
    throw new ImportFileError('xlsx_corrupt', `The XLSX file is damaged and cannot be read (${(err as Error).message}).`);
  } finally {
    input.destroy();
  }
  if (options.sheet !== undefined) {
    throw new ImportFileError(
      'sheet_not_found',
      `The workbook has no worksheet "${options.sheet}" (it has: ${seen.join(', ') || 'none'}).`,
      {
        sheet: options.sheet,
      },
    );
  }
  throw new ImportFileError('empty_file', 'The workbook has no worksheet.');
}

async function readWorksheet(
  ws: ExcelJS.stream.xlsx.WorksheetReader & { name: string },
  limits: ImportLimits,
): Promise<XlsxTable> {
  let header: string[] | null = null;
  let headerLine = 1;
  const records: SourceRecord[] = [];
  for await (const row of ws as unknown as AsyncIterable<ExcelJS.Row>) {
    const cells: Cell[] = [];
    row.eachCell({ includeEmpty: false }, (cell, column) => {
      if (column > limits.maxColumns) {
        throw new ImportFileError(
          'too_many_columns',
          `Row ${row.number} has a value in column ${columnLetter(column)}; the limit is ${limits.maxColumns} columns.`,
          {
            line: row.number,
            column,
            limit: limits.maxColumns,
          },
        );
      }
      const value = toCell(cell.value, cell.numFmt);
      if (typeof value === 'string' && value.length > limits.maxCellChars) {
        throw new ImportFileError(
          'cell_too_long',
          `The cell ${columnLetter(column)}${row.number} (row ${row.number}, column ${column}) is longer than ${limits.maxCellChars} characters.`,
          { line: row.number, column, limit: limits.maxCellChars },
        );
      }
      while (cells.length < column - 1) cells.push(null);
      cells[column - 1] = value;
    });
    if (cells.every((c) => isEmptyCell(c))) continue;
    if (header === null) {
      header = cells.map((c) => (c === null ? '' : String(c).trim()));
      headerLine = row.number;
      continue;
    }
    if (records.length >= limits.maxRows) {
      throw new ImportFileError(
        'too_many_rows',
        `The worksheet has more than ${limits.maxRows} rows (row ${row.number}); split it into several files.`,
        {
          line: row.number,
          limit: limits.maxRows,
        },
      );
    }
    records.push({ line: row.number, cells });
  }
  if (header === null)
    throw new ImportFileError('empty_file', `The worksheet "${ws.name}" has no header row and no data.`, { sheet: ws.name });
  return { format: 'xlsx', sheet: ws.name, header, headerLine, records };
}

/** exceljs's test for a date number format: date/time letters outside quoted text and [..] sections. */
const isDateFormat = (format: string | undefined) =>
  format !== undefined && /[ymdhs]/i.test(format.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));

/** Excel serial day number (1900 date system) → the wall-clock date it stands for, as UTC. */
const serialToDate = (serial: number) => new Date(Math.round((serial - 25569) * 86_400) * 1000);

export function isoDate(date: Date): string {
  const iso = new Date(Math.round(date.getTime() / 1000) * 1000).toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19);
}

function toCell(value: ExcelJS.CellValue, numFmt: string | undefined): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : isoDate(value);
  if ('richText' in value) return value.richText.map((run) => run.text).join('');
  if ('formula' in value || 'sharedFormula' in value) {
    const result = (value as { result?: unknown }).result;
    if (result === undefined || result === null) return null;
    if (typeof result === 'number' && isDateFormat(numFmt)) return Number.isFinite(result) ? isoDate(serialToDate(result)) : null;
    return toCell(result as ExcelJS.CellValue, numFmt);
  }
  if ('hyperlink' in value) return toCell((value as { text?: ExcelJS.CellValue }).text ?? null, numFmt);
  if ('error' in value) return String(value.error);
  return null;
}

/**
 * Reads the ZIP central directory: refuses what is not a ZIP archive, a ZIP without xl/workbook.xml,
 * and an archive whose parts unpack to more than maxUnpackedBytes.
 */
function checkArchive(bytes: Uint8Array, limits: ImportLimits): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const notXlsx = () =>
    new ImportFileError(
      'not_xlsx',
      'The file is not an XLSX workbook (Excel 2007 or later); save it as .xlsx or export it as CSV.',
    );
  if (bytes.length < 22 || view.getUint32(0, true) !== 0x04034b50) throw notXlsx();
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65_535); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  const damaged = (why: string) => new ImportFileError('xlsx_corrupt', `The XLSX file is damaged and cannot be read (${why}).`);
  if (eocd < 0) throw damaged('the ZIP directory is missing; the file may be cut short');
  const entries = view.getUint16(eocd + 10, true);
  const directoryOffset = view.getUint32(eocd + 16, true);
  let workbook = false;
  let unpacked = 0;
  const parts: { name: string; method: number; crc: number; compressed: number; size: number; local: number }[] = [];
  let p = directoryOffset;
  for (let n = 0; n < entries; n++) {
    if (p + 46 > bytes.length || view.getUint32(p, true) !== 0x02014b50) throw damaged('the ZIP directory is broken');
    const size = view.getUint32(p + 24, true);
    const nameLength = view.getUint16(p + 28, true);
    const extraLength = view.getUint16(p + 30, true);
    const commentLength = view.getUint16(p + 32, true);
    if (p + 46 + nameLength > bytes.length) throw damaged('the ZIP directory is broken');
    const name = Buffer.from(bytes.buffer, bytes.byteOffset + p + 46, nameLength).toString('utf8');
    if (name === 'xl/workbook.xml') workbook = true;
    unpacked += size;
    parts.push({
      name,
      method: view.getUint16(p + 10, true),
      crc: view.getUint32(p + 16, true),
      compressed: view.getUint32(p + 20, true),
      size,
      local: view.getUint32(p + 42, true),
    });
    p += 46 + nameLength + extraLength + commentLength;
  }
  if (!workbook) throw notXlsx();
  if (unpacked > limits.maxUnpackedBytes) {
    throw new ImportFileError(
      'xlsx_too_large',
      `The workbook unpacks to ${unpacked} bytes; the limit is ${limits.maxUnpackedBytes} bytes.`,
      {
        limit: limits.maxUnpackedBytes,
      },
    );
  }  // Every part unpacks to exactly its recorded size and CRC (a recorded size cannot lie past the limit).
  for (const part of parts) {
    const at = part.local;
    if (at + 30 > bytes.length || view.getUint32(at, true) !== 0x04034b50) throw damaged(`the part ${part.name} is missing`);
    const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
    if (start + part.compressed > bytes.length) throw damaged(`the part ${part.name} is cut short`);
    const raw = Buffer.from(bytes.buffer, bytes.byteOffset + start, part.compressed);
    let data: Buffer;
    if (part.method === 0) data = raw;
    else if (part.method === 8) {
      try {
        data = inflateRawSync(raw, { maxOutputLength: Math.max(1, part.size) });
      } catch {
        throw damaged(`the part ${part.name} does not unpack`);
      }
    } else throw damaged(`the part ${part.name} uses an unknown compression method (${part.method})`);
    if (data.length !== part.size || crc32(data) !== part.crc) throw damaged(`the part ${part.name} does not match its checksum`);
  }
}
