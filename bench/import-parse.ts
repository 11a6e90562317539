// How fast the attendee import's file layer reads 100,000 rows, and its peak memory: CSV in UTF-8 and in
// GB18030 (encoding detected), and XLSX, each decoded, parsed and validated through a column mapping,
// next to a bare baseline on the same bytes (decode and split lines; for XLSX, exceljs's streaming
// reader iterating rows with no conversion). Each case runs in its own process so its peak RSS is its
// own. Run: npx tsx bench/import-parse.ts [rows]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { readCsv } from '../server/src/import/csv';
import { toXlsx } from '../server/src/import/export';
import { standardField, suggestMapping, type FieldDef } from '../server/src/import/mapping';
import type { Table } from '../server/src/import/table';
import { validateTable } from '../server/src/import/validate';
import { readXlsx } from '../server/src/import/xlsx';

const FIELDS: FieldDef[] = [
  standardField('externalId', true),
  standardField('ticketType', true),
  standardField('attendeeName', true),
  standardField('phone', false),
  standardField('email', false),
  standardField('idNumber', false),
  standardField('externalCode', false),
  { key: 'meal', type: 'choice', required: false, choices: ['Regular', 'Vegetarian'] },
];
const SURNAMES = ['张', '王', '李', '赵', '刘', '陈', '杨', '黄', '周', '吴'];
const GIVEN = ['伟', '娜', '芳', '敏', '静', '磊', '洋', '勇', '艳', '杰'];

type Row = { id: string; type: string; name: string; phone: string; email: string; idNo: string; code: string; meal: string };
function* rows(count: number): Generator<Row> {
  for (let i = 0; i < count; i++) {
    yield {
      id: `REG-${i}`,
      type: i % 5 === 0 ? 'VIP' : 'Standard',
      name: `${SURNAMES[i % 10]}${GIVEN[(i >> 3) % 10]}${GIVEN[(i >> 6) % 10]}`,
      phone: `+86 138 ${String(i).padStart(8, '0')}`,
      email: `guest${i}@example.com`,
      idNo: `110105199001${String(i).padStart(6, '0')}`,
      code: `EXT${i.toString(36).toUpperCase().padStart(8, '0')}`,
      meal: i % 3 === 0 ? 'Vegetarian' : 'Regular',
    };
  }
}
const HEADER = ['ID', '票种', '姓名', '手机', 'Email', '身份证', 'Code', 'meal'];
const asCells = (r: Row) => [r.id, r.type, r.name, r.phone, r.email, r.idNo, r.code, r.meal];

function validate(table: Table): number {
  const report = validateTable(table, suggestMapping(table.header, FIELDS), FIELDS);
  if (report.invalidRows !== 0) throw new Error(`unexpected invalid rows: ${report.invalidRows}`);
  return report.validRows;
}

const CASES: Record<string, (bytes: Buffer) => Promise<number>> = {
  'csv-utf8-baseline': async (bytes) => bytes.toString('utf8').split('\n').length - 2,
  'csv-utf8': async (bytes) => validate(readCsv(bytes)),
  'csv-gb18030-baseline': async (bytes) => iconv.decode(bytes, 'gb18030').split('\n').length - 2,
  'csv-gb18030': async (bytes) => validate(readCsv(bytes)),
  'xlsx-baseline': async (bytes) => {
    let n = -1;
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([bytes]), { sharedStrings: 'cache', styles: 'cache' });
    for await (const ws of reader) for await (const row of ws as unknown as AsyncIterable<unknown>) if (row) n++;
    return n;
  },
  xlsx: async (bytes) => validate(await readXlsx(bytes)),
};
const FILE_OF: Record<string, string> = {
  'csv-utf8-baseline': 'utf8.csv',
  'csv-utf8': 'utf8.csv',
  'csv-gb18030-baseline': 'gb18030.csv',
  'csv-gb18030': 'gb18030.csv',
  'xlsx-baseline': 'rows.xlsx',
  xlsx: 'rows.xlsx',
};

async function child(name: string, dir: string): Promise<void> {
  const bytes = readFileSync(join(dir, FILE_OF[name]!));
  const t0 = performance.now();
  const count = await CASES[name]!(bytes);
  const ms = performance.now() - t0;
  process.stdout.write(JSON.stringify({ count, ms, maxRssKiB: process.resourceUsage().maxRSS, bytes: bytes.length }));
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 100_000);
  const dir = mkdtempSync(join(tmpdir(), 'admit-import-bench-'));
  try {
    const csv =
      [HEADER, ...Array.from(rows(count), asCells)]
        .map((cells) => cells.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(','))
        .join('\r\n') + '\r\n';
    writeFileSync(join(dir, 'utf8.csv'), csv);
    writeFileSync(join(dir, 'gb18030.csv'), iconv.encode(csv, 'gb18030'));
    writeFileSync(
      join(dir, 'rows.xlsx'),
      await toXlsx(
        HEADER.map((title, i) => ({ title, value: (r: Row) => asCells(r)[i]! })),
        rows(count),
      ),
    );
    const self = fileURLToPath(import.meta.url);
    const results: Record<string, { count: number; ms: number; maxRssKiB: number; bytes: number }> = {};
    for (const name of Object.keys(CASES)) {
      const run = spawnSync(process.execPath, [...process.execArgv, self, '--case', name, dir], {
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      });
      if (run.status !== 0) throw new Error(`${name} failed: ${run.stderr}`);
      results[name] = JSON.parse(run.stdout) as (typeof results)[string];
      if (results[name]!.count !== count) throw new Error(`${name} read ${results[name]!.count} rows, expected ${count}`);
    }
    const mib = (kib: number) => `${(kib / 1024).toFixed(0)} MiB`;
    console.log(
      `Attendee file import, ${count.toLocaleString('en')} rows (decode + parse + map + validate), one process per case:`,
    );
    for (const name of ['csv-utf8', 'csv-gb18030', 'xlsx']) {
      const r = results[name]!;
      const base = results[`${name}-baseline`]!;
      console.log(
        `  ${name.padEnd(12)} ${(r.bytes / 2 ** 20).toFixed(1).padStart(5)} MiB file  ${Math.round((count / r.ms) * 1000)
          .toLocaleString('en')
          .padStart(9)} rows/s  ` +
          `${(r.ms / 1000).toFixed(2)} s  peak RSS ${mib(r.maxRssKiB)}   baseline ${Math.round((count / base.ms) * 1000).toLocaleString('en')} rows/s, ` +
          `peak RSS ${mib(base.maxRssKiB)}   time ratio ${(r.ms / base.ms).toFixed(1)}x`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const caseAt = process.argv.indexOf('--case');
if (caseAt >= 0) await child(process.argv[caseAt + 1]!, process.argv[caseAt + 2]!);
else await main();
