// Reading attendee files: CSV (quoting, multiline cells, delimiters, limits) and XLSX (written here
// with exceljs, read back with the streaming reader), broken files, and 100,000-row files.
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { parseCsvText, readCsv } from '../../server/src/import/csv';
import { ImportFileError } from '../../server/src/import/table';
import { readXlsx } from '../../server/src/import/xlsx';

async function rejected(promise: Promise<unknown>): Promise<ImportFileError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ImportFileError);
  return err as ImportFileError;
}
const thrown = (fn: () => unknown) => rejected((async () => fn())());

async function workbook(fill: (ws: ExcelJS.Worksheet, wb: ExcelJS.Workbook) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  fill(wb.addWorksheet('Attendees'), wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('CSV', () => {
  it('reads quoted fields with embedded line breaks, CRLF and doubled quotes, keeping each record’s line', () => {
    const text = 'id,name,note\r\n1,"Wang, Wei","line one\r\nline two"\r\n\r\n2,"Say ""hi""",\r\n3,Ann,plain\r\n';
    const table = parseCsvText(text);
    expect(table.delimiter).toBe(',');
    expect(table.header).toEqual(['id', 'name', 'note']);
    expect(table.records).toEqual([
      { line: 2, cells: ['1', 'Wang, Wei', 'line one\r\nline two'] },
      { line: 5, cells: ['2', 'Say "hi"', ''] },
      { line: 6, cells: ['3', 'Ann', 'plain'] },
    ]);
  });

  it('detects semicolon and tab delimiters', () => {
    const semi = parseCsvText('id;name;city\n1;"Petrov; Ivan";Moscow\n');
    expect(semi.delimiter).toBe(';');
    expect(semi.records[0]!.cells).toEqual(['1', 'Petrov; Ivan', 'Moscow']);
    expect(parseCsvText('id\tname\n1\tAnn, B\n').records[0]!.cells).toEqual(['1', 'Ann, B']);
  });

  it('refuses an unclosed quote naming the line where the record starts', async () => {
    const err = await thrown(() => parseCsvText('id,name\n1,Ann\n2,"Bob\n3,Carl\n'));
    expect(err.code).toBe('csv_syntax');
    expect(err.details.line).toBe(3);
  });

  it('refuses a 10 MB cell with its line and column without buffering the whole cell', async () => {
    const big = 'x'.repeat(10 * 1024 * 1024);
    const text = `id,name,note\n1,Ann,ok\n2,Bob,"${big}"\n3,Carl,ok\n`;
    const err = await thrown(() => readCsv(Buffer.from(text)));
    expect(err.code).toBe('cell_too_long');
    expect(err.details).toMatchObject({ line: 3, column: 3, limit: 10_000 });
    expect(err.message).toMatch(/line 3/);
    // A cell just over the limit, inside the record limit, is named exactly.
    const over = await thrown(() => parseCsvText(`id,name\n1,${'y'.repeat(10_001)}\n`));
    expect(over.message).toBe('The cell on line 2, column 2 is longer than 10000 characters.');
  });

  it('enforces the file size, column and row limits', async () => {
    expect((await thrown(() => readCsv(Buffer.alloc(2000, 0x61), { limits: { maxBytes: 1000 } }))).code).toBe('file_too_large');
    expect((await thrown(() => parseCsvText('a,b,c,d\n1,2,3,4\n', { limits: { maxColumns: 3 } }))).code).toBe('too_many_columns');
    const rows = 'id\n' + Array.from({ length: 11 }, (_, i) => `${i}\n`).join('');
    const err = await thrown(() => parseCsvText(rows, { limits: { maxRows: 10 } }));
    expect(err).toMatchObject({ code: 'too_many_rows', details: { line: 12, limit: 10 } });
    expect((await thrown(() => parseCsvText('\n\n'))).code).toBe('empty_file');
  });

  it('parses 100,000 rows', () => {
    const lines = ['externalId,attendeeName,phone,email'];
    for (let i = 0; i < 100_000; i++) lines.push(`E${i},"Name ${i}",+86138${String(i).padStart(8, '0')},p${i}@example.com`);
    const table = readCsv(Buffer.from(lines.join('\r\n') + '\r\n'));
    expect(table.records.length).toBe(100_000);
    expect(table.records[99_999]).toEqual({
      line: 100_001,
      cells: ['E99999', 'Name 99999', '+8613800099999', 'p99999@example.com'],
    });
  });
});

describe('XLSX', () => {
  it('reads strings, numbers, dates, rich text, formulas, booleans and hyperlinks from the first worksheet', async () => {
    const bytes = await workbook((ws, wb) => {
      ws.addRow(['externalId', 'name', 'born', 'seats', 'vip', 'total', 'site', 'arrives']);
      ws.addRow([
        1001,
        { richText: [{ text: '张', font: { bold: true } }, { text: '伟' }] },
        new Date(Date.UTC(1990, 4, 17)),
        2,
        true,
        { formula: 'D2*2', result: 4 },
        { text: 'Home', hyperlink: 'https://example.com' },
        new Date(Date.UTC(2026, 5, 1, 9, 30)),
      ]);
      ws.addRow([]);
      ws.addRow(['1002', 'Иван', null, 1.5, false, { formula: 'UPPER("a")', result: 'A' }, null, null]);
      ws.getCell('H2').numFmt = 'yyyy-mm-dd hh:mm';
      wb.addWorksheet('Other').addRow(['not', 'this']);
    });
    const table = await readXlsx(bytes);
    expect(table.sheet).toBe('Attendees');
    expect(table.header).toEqual(['externalId', 'name', 'born', 'seats', 'vip', 'total', 'site', 'arrives']);
    expect(table.records).toEqual([
      { line: 2, cells: [1001, '张伟', '1990-05-17', 2, true, 4, 'Home', '2026-06-01T09:30:00'] },
      { line: 4, cells: ['1002', 'Иван', null, 1.5, false, 'A'] },
    ]);
    const other = await readXlsx(bytes, { sheet: 'Other' });
    expect(other.header).toEqual(['not', 'this']);
    expect((await rejected(readXlsx(bytes, { sheet: 'Missing' }))).code).toBe('sheet_not_found');
  });

  it('refuses a file that is not XLSX and a damaged one', async () => {
    expect((await rejected(readXlsx(Buffer.from('id,name\n1,Ann\n')))).code).toBe('not_xlsx');
    const good = await workbook((ws) => {
      for (let i = 0; i < 200; i++) ws.addRow([i, `Name ${i}`]);
    });
    const truncated = good.subarray(0, Math.floor(good.length / 2));
    expect((await rejected(readXlsx(truncated))).code).toBe('xlsx_corrupt');
    const scrambled = Buffer.from(good);
    for (let i = 200; i < scrambled.length - 400; i += 7) scrambled[i] = scrambled[i]! ^ 0x5a;
    const err = await rejected(readXlsx(scrambled));
    expect(['xlsx_corrupt', 'not_xlsx']).toContain(err.code);
  });

  it('refuses a workbook whose parts do not unpack to their recorded size or checksum, before exceljs reads it', async () => {
    const good = await workbook((ws) => {
      for (let i = 0; i < 50; i++) ws.addRow([i, `Name ${i}`]);
    });
    // The ZIP directory understates a part's size (how a ZIP bomb slips past a size check).
    const lying = Buffer.from(good);
    const directory = lying.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    lying.writeUInt32LE(1, directory + 24);
    expect((await rejected(readXlsx(lying))).message).toMatch(/does not unpack|does not match its checksum/);
    // A flipped byte inside a part's compressed data.
    const flipped = Buffer.from(good);
    const at = flipped.indexOf(Buffer.from('xl/worksheets/sheet1.xml')) + 'xl/worksheets/sheet1.xml'.length + 10;
    flipped[at] = flipped[at]! ^ 0xff;
    expect((await rejected(readXlsx(flipped))).code).toBe('xlsx_corrupt');
  });

  it('refuses a 10 MB cell with its row and column', async () => {
    const bytes = await workbook((ws) => {
      ws.addRow(['id', 'name', 'note']);
      ws.addRow([1, 'Ann', 'ok']);
      ws.addRow([2, 'Bob', 'x'.repeat(10 * 1024 * 1024)]);
    });
    const err = await rejected(readXlsx(bytes));
    expect(err.code).toBe('cell_too_long');
    expect(err.details).toMatchObject({ line: 3, column: 3 });
    expect(err.message).toMatch(/C3 \(row 3, column 3\)/);
  });

  it('parses 100,000 rows written with the streaming writer', async () => {
    const chunks: Buffer[] = [];
    const { Writable } = await import('node:stream');
    const out = new Writable({
      write(chunk: Buffer, _enc, cb) {
        chunks.push(chunk);
        cb();
      },
    });
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
    const ws = wb.addWorksheet('Attendees');
    ws.addRow(['externalId', 'attendeeName', 'phone']).commit();
    for (let i = 0; i < 100_000; i++) ws.addRow([`E${i}`, `Name ${i}`, `+86138${String(i).padStart(8, '0')}`]).commit();
    ws.commit();
    await wb.commit();
    const table = await readXlsx(Buffer.concat(chunks));
    expect(table.records.length).toBe(100_000);
    expect(table.records[99_999]).toEqual({ line: 100_001, cells: ['E99999', 'Name 99999', '+8613800099999'] });
  });
});
