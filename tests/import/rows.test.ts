// Mapping and validating attendee rows for the dry run, and exporting rows with formula injection
// guarded (export, then read back with the import readers: the text is intact and never a formula).
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { parseCsvText, readCsv } from '../../server/src/import/csv';
import { toCsv, toXlsx, type ExportColumn } from '../../server/src/import/export';
import { MappingError, resolveMapping, standardField, suggestMapping, type FieldDef } from '../../server/src/import/mapping';
import { validateTable } from '../../server/src/import/validate';
import { readXlsx } from '../../server/src/import/xlsx';

const FIELDS: FieldDef[] = [
  standardField('externalId', true),
  standardField('ticketType', true),
  standardField('attendeeName', true),
  standardField('email', false),
  standardField('phone', false),
  standardField('idNumber', false),
  standardField('externalCode', false),
  { key: 'company', type: 'text', required: false },
  { key: 'meal', type: 'choice', required: true, choices: ['Regular', 'Vegetarian'] },
  { key: 'days', type: 'multiChoice', required: false, choices: ['Day 1', 'Day 2'] },
  { key: 'consent', type: 'checkbox', required: true },
  { key: 'born', type: 'date', required: false },
  { key: 'country', type: 'country', required: false },
  { key: 'age', type: 'number', required: false },
];

const HEADER = 'ID,票种,姓名,Email,手机,身份证,Code,company,meal,days,consent,born,country,age';

describe('mapping', () => {
  it('suggests standard fields from common titles and custom fields by key', () => {
    const header = HEADER.split(',');
    const mapping = suggestMapping(header, FIELDS);
    expect(mapping).toHaveLength(14);
    expect(resolveMapping(header, mapping, FIELDS).map((c) => [c.title, c.field.key])).toContainEqual(['手机', 'phone']);
  });

  it('refuses a mapping without a required field, with every problem at once and before any row', () => {
    const header = HEADER.split(',');
    const mapping = suggestMapping(header, FIELDS).filter((m) => m.field !== 'externalId' && m.field !== 'meal');
    let err: unknown;
    try {
      validateTable({ header, records: [{ line: 2, cells: [] }] }, [...mapping, { column: 'Nope', field: 'company' }], FIELDS);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MappingError);
    expect((err as MappingError).problems.map((p) => [p.reason, p.field])).toEqual([
      ['unknown_column', 'company'],
      ['required_field_unmapped', 'externalId'],
      ['required_field_unmapped', 'meal'],
    ]);
    const dup = parseCsvText('name,name\nA,B\n');
    expect(() =>
      resolveMapping(dup.header, [{ column: 'name', field: 'attendeeName' }], [standardField('attendeeName', true)]),
    ).toThrow(/Several columns/);
  });
});

describe('validateTable', () => {
  const csv = [
    HEADER,
    'E1,VIP,张伟,Wei@Example.COM,+86 138-0013-8000,11010519491231002x,EXT-1,Acme,vegetarian,"Day 1; Day 2",是,1990-05-17,cn,33',
    'E2,Standard,Иванов Иван,,8 (912) 345-67-89,,EXT-2,,Regular,,да,17.05.1990,RU,"1,5"',
    'E1,VIP,Again,,,,EXT-3,,Regular,,yes,,,',
    'E4,VIP,,bad-mail,12,,EXT-2,,Fish,Day 3,no,2025-02-30,XX,many',
    'E5,VIP,Extra,,,,,,Regular,,x,,,,surprise',
  ].join('\r\n');

  it('normalises good rows and reports every problem of every bad row with line, column, field and reason', () => {
    const table = parseCsvText(csv);
    const report = validateTable(table, suggestMapping(table.header, FIELDS), FIELDS);
    expect(report.validRows).toBe(2);
    expect(report.invalidRows).toBe(3);
    const [first, second, third, fourth, fifth] = report.results;
    expect(first).toEqual({
      line: 2,
      ok: true,
      row: {
        line: 2,
        externalId: 'E1',
        ticketType: 'VIP',
        attendeeName: '张伟',
        email: 'Wei@example.com',
        phone: '+8613800138000',
        phoneLast4: '8000',
        idNumber: '11010519491231002X',
        externalCode: 'EXT-1',
        // company is a standard attendee field (the field list's definition gives its type only).
        company: 'Acme',
        custom: {
          meal: 'Vegetarian',
          days: ['Day 1', 'Day 2'],
          consent: true,
          born: '1990-05-17',
          country: 'CN',
          age: 33,
        },
      },
    });
    expect(second).toMatchObject({
      ok: true,
      row: { phone: '89123456789', phoneLast4: '6789', company: null, custom: { born: '1990-05-17', age: 1.5 } },
    });
    expect(third).toMatchObject({ line: 4, ok: false });
    if (third!.ok) throw new Error('unreachable');
    expect(third!.problems).toEqual([
      expect.objectContaining({
        line: 4,
        column: 1,
        columnTitle: 'ID',
        field: 'externalId',
        reason: 'duplicate_external_id',
        params: { earlierLine: 2, value: 'E1' },
      }),
    ]);
    expect(third!.problems[0]!.message).toBe('Line 4, column A: the external id "E1" is already on line 2.');
    if (fourth!.ok || fifth!.ok) throw new Error('unreachable');
    expect(fourth!.problems.map((p) => [p.field, p.reason])).toEqual([
      ['attendeeName', 'required'],
      ['email', 'bad_email'],
      ['phone', 'bad_phone'],
      ['meal', 'not_a_choice'],
      ['days', 'not_a_choice'],
      ['consent', 'must_be_checked'],
      ['born', 'not_a_date'],
      ['country', 'bad_country'],
      ['age', 'not_a_number'],
      ['externalCode', 'duplicate_external_code'],
    ]);
    expect(fifth!.problems).toEqual([expect.objectContaining({ line: 6, column: 15, reason: 'extra_cells' })]);
  });
});

describe('export', () => {
  type Row = { name: string; note: string; seats: number; at: Date | null };
  const rows: Row[] = [
    { name: '=HYPERLINK("http://evil","click")', note: '+7 912 345 67 89', seats: -2, at: new Date(Date.UTC(2026, 5, 1, 9, 30)) },
    { name: '@SUM(A1)', note: '-1+1', seats: 3, at: null },
    { name: '\tTabbed', note: '\rcarriage', seats: 0, at: new Date(Date.UTC(2026, 5, 2)) },
    { name: '张伟', note: 'Иван, "quoted"\nsecond line', seats: 1, at: null },
  ];
  const columns: ExportColumn<Row>[] = [
    { title: 'Name', value: (r) => r.name },
    { title: 'Note', value: (r) => r.note },
    { title: 'Seats', value: (r) => r.seats },
    { title: 'At', value: (r) => r.at },
  ];

  it('writes CSV with a BOM and apostrophe-guarded formulas that import back to the same text', async () => {
    const bytes = await toCsv(columns, rows);
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const raw = bytes.toString('utf8');
    expect(raw).toContain(`"'=HYPERLINK(""http://evil"",""click"")"`);
    expect(raw).toContain(`'@SUM(A1)`);
    expect(raw).toContain(',-2,');
    expect(raw.split('\r\n').some((line) => /^["]?[=+\-@]/.test(line))).toBe(false);

    const back = readCsv(bytes);
    expect(back.decoded).toMatchObject({ encoding: 'utf-8', bom: true });
    expect(back.header).toEqual(['Name', 'Note', 'Seats', 'At']);
    expect(back.records.map((r) => r.cells)).toEqual([
      ['=HYPERLINK("http://evil","click")', '+7 912 345 67 89', '-2', '2026-06-01T09:30:00'],
      ['@SUM(A1)', '-1+1', '3', ''],
      ['\tTabbed', '\rcarriage', '0', '2026-06-02'],
      ['张伟', 'Иван, "quoted"\nsecond line', '1', ''],
    ]);
    const plain = await toCsv(columns, rows.slice(3), { bom: false, delimiter: ';' });
    expect(plain[0]).toBe('N'.charCodeAt(0));
    expect(parseCsvText(plain.toString('utf8')).delimiter).toBe(';');
  });

  it('writes XLSX where every text is a string cell, never a formula', async () => {
    const bytes = await toXlsx(columns, rows, { sheetName: 'Attendees' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as Parameters<typeof wb.xlsx.load>[0]);
    const ws = wb.getWorksheet('Attendees')!;
    for (let r = 2; r <= 5; r++) {
      const cell = ws.getRow(r).getCell(1);
      expect(cell.type).toBe(ExcelJS.ValueType.String);
      expect(cell.formula).toBeUndefined();
    }
    const back = await readXlsx(bytes);
    expect(back.records.map((r) => r.cells)).toEqual([
      ['=HYPERLINK("http://evil","click")', '+7 912 345 67 89', -2, '2026-06-01T09:30:00'],
      ['@SUM(A1)', '-1+1', 3],
      // XML turns a bare carriage return into a line feed (exceljs writes it unescaped).
      ['\tTabbed', '\ncarriage', 0, '2026-06-02'],
      ['张伟', 'Иван, "quoted"\nsecond line', 1],
    ]);
  });
});
