// Attendee import of 100,000 rows through the admin HTTP API (upload, mapping, dry run, commit) into the
// server on PGlite (or PostgreSQL with --pg), with a terminal core paired and synced in the same
// process: time per phase, rows per second, peak RSS, and the time until the terminal's cache holds the
// last imported attendee. Next to it, a bare baseline measured in the same run on the same database:
// the same file parsed with csv-parse alone and its rows written with one multi-row INSERT.
// The file mixes Chinese, Russian and Latin names; half the rows bring a ticket code from another
// system; `--ids N` rows carry an ID number (each costs one slow scrypt hash, domain/hashing.ts).
// Run: npx tsx bench/import.ts [rows] [--pg] [--ids N]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import { createCore } from '../electron/core/core';
import { createServer } from '../server/src/app';
import { openServerDb } from '../server/src/db/client';
import { adminApi, columnsInOrder, commitImportAndWait, csvCell, type AdminMethod } from '../tests/helpers/import-files';
import { startPostgres, type RunningPostgres } from '../tests/helpers/postgres';

const args = process.argv.slice(2);
const N = Number(args.find((a) => /^\d+$/.test(a)) ?? 100_000);
const usePg = args.includes('--pg');
const idsAt = args.indexOf('--ids');
const ID_ROWS = idsAt >= 0 ? Number(args[idsAt + 1]) : 100;

const SURNAMES = ['张', '王', '李', '赵', '刘', '陈', '杨', '黄', '周', '吴'];
const GIVEN = ['伟', '娜', '芳', '敏', '静', '磊', '洋', '勇', '艳', '杰'];
const RU_FIRST = ['Анна', 'Иван', 'Мария', 'Пётр', 'Ольга', 'Сергей', 'Елена', 'Дмитрий'];
const RU_LAST = ['Иванова', 'Петров', 'Смирнова', 'Кузнецов', 'Попова', 'Соколов'];
const LATIN = ['Anna Müller', 'José García', 'Zoë Ångström', 'John Smith', 'Chloé Dubois'];

function makeCsv(rows: number): { bytes: Buffer; lastCode: string } {
  const idEvery = ID_ROWS > 0 ? Math.max(1, Math.floor(rows / ID_ROWS)) : Infinity;
  const lines = ['报名编号,姓名,手机,Email,票种,Ticket code,Company,身份证'];
  let lastCode = '';
  for (let i = 0; i < rows; i++) {
    const name =
      i % 3 === 0
        ? `${SURNAMES[i % 10]}${GIVEN[(i >> 3) % 10]}${GIVEN[(i >> 6) % 10]}`
        : i % 3 === 1
          ? `${RU_FIRST[i % 8]} ${RU_LAST[(i >> 3) % 6]}`
          : LATIN[i % 5]!;
    const code = i % 2 === 0 || i === rows - 1 ? `EXT-${i.toString(36).toUpperCase().padStart(7, '0')}` : '';
    if (i === rows - 1) lastCode = code;
    const id = i % idEvery === 0 ? `110105199001${String(i).padStart(6, '0')}` : '';
    lines.push(
      [`REG-${i}`, name, `+86 138 ${String(i).padStart(8, '0')}`, `guest${i}@example.com`, i % 5 === 0 ? 'VIP' : '普通票', code, i % 4 === 0 ? 'ООО "Ромашка", Москва' : 'Acme', id]
        .map(csvCell)
        .join(','),
    );
  }
  return { bytes: Buffer.from(lines.join('\r\n') + '\r\n', 'utf8'), lastCode };
}

const peak = () => Math.round(process.resourceUsage().maxRSS / 1024);
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const rate = (ms: number) => `${Math.round(N / (ms / 1000)).toLocaleString('en')} rows/s`;

const work = mkdtempSync(join(tmpdir(), 'admit-bench-import-'));
let pg: RunningPostgres | null = null;
if (usePg) pg = await startPostgres();
const db = await openServerDb(pg ? { databaseUrl: pg.url, maxConnections: 10 } : {});
const server = createServer({ db, dataDir: join(work, 'server'), logger: false });
const url = (await server.listen({ host: '127.0.0.1', port: 0 })).url;
const core = await createCore({
  dataDir: join(work, 'gate'),
  migrationsFolder: 'migrations/local',
  shell: 'service',
  demo: false,
  version: 'bench',
  logger: { warn: () => undefined, error: () => undefined },
});

async function api(method: AdminMethod, path: string, body?: unknown) {
  const reply = await adminApi(server, method, path, body);
  if (reply.status !== 200) throw new Error(`${method} ${path}: ${reply.status} ${reply.text.slice(0, 500)}`);
  return reply.json;
}

try {
  const event = await server.admin.createEvent({
    name: { en: 'Import bench' },
    startsAt: new Date(Date.now() - 86_400_000).toISOString(),
    endsAt: new Date(Date.now() + 86_400_000).toISOString(),
    timezone: 'Asia/Shanghai',
    currency: 'CNY',
    ticketTypes: [
      { name: { en: 'Standard', 'zh-CN': '普通票' }, priceMinor: 0, capacity: null },
      { name: { en: 'VIP' }, priceMinor: 0, capacity: null },
    ],
  });
  const { code } = await server.admin.createPairingCode({ eventIds: [event.id] });
  await core.sync.pair(url, code, 'Bench gate');
  core.sync.start();
  await core.sync.pull();

  let t = performance.now();
  const { bytes, lastCode } = makeCsv(N);
  console.log(`file: ${N.toLocaleString('en')} rows, ${(bytes.length / 1048576).toFixed(1)} MiB, ${ID_ROWS} with an ID number (made in ${seconds(performance.now() - t)})`);
  console.log(`server database: ${pg ? 'PostgreSQL' : 'PGlite'}; rss before: ${Math.round(process.memoryUsage().rss / 1048576)} MiB`);

  // ---- baseline: csv-parse alone, then one multi-row INSERT into a bare table ----
  t = performance.now();
  const records = parse(bytes, { bom: true, relax_column_count: true }) as string[][];
  const baseParse = performance.now() - t;
  await db.db.execute(sql`create table bench_bare (external_id text primary key, name text, phone text, email text, type text, code text, company text)`);
  t = performance.now();
  const json = JSON.stringify(records.slice(1).map((r) => ({ external_id: r[0], name: r[1], phone: r[2], email: r[3], type: r[4], code: r[5], company: r[6] })));
  await db.db.execute(
    sql`insert into bench_bare select * from json_to_recordset(${json}::json) as x(external_id text, name text, phone text, email text, type text, code text, company text)`,
  );
  const baseInsert = performance.now() - t;
  await db.db.execute(sql`drop table bench_bare`);
  const baseline = baseParse + baseInsert;
  console.log(`baseline: parse ${seconds(baseParse)} + one INSERT ${seconds(baseInsert)} = ${seconds(baseline)} (${rate(baseline)}); peak rss ${peak()} MiB`);

  // ---- the import ----
  t = performance.now();
  const up = await api('POST', `/admin/v1/events/${event.id}/imports?name=bench.csv`, bytes);
  const upload = performance.now() - t;
  console.log(`upload (read + store): ${seconds(upload)}; encoding ${up.job.encoding}; peak rss ${peak()} MiB`);
  const id = up.job.id as string;
  t = performance.now();
  await api('PUT', `/admin/v1/imports/${id}/mapping`, {
    columns: columnsInOrder('externalId', 'name', 'phone', 'email', 'ticketType', 'externalCode', 'company', 'idNumber'),
  });
  const mapping = performance.now() - t;
  t = performance.now();
  const checked = await api('POST', `/admin/v1/imports/${id}/check`, {});
  const check = performance.now() - t;
  console.log(`mapping: ${seconds(mapping)}; check (dry run): ${seconds(check)} (${rate(check)}); counts ${JSON.stringify(checked.job.counts)}; peak rss ${peak()} MiB`);
  if (checked.job.counts.bad !== 0) throw new Error('the bench file should have no bad rows');

  t = performance.now();
  const committed = (await commitImportAndWait(server, id)).json;
  const commit = performance.now() - t;
  const commitEnd = performance.now();
  console.log(`commit (until the last batch is written): ${seconds(commit)} (${rate(commit)}); counts ${JSON.stringify(committed.job.counts)}; peak rss ${peak()} MiB`);

  // ---- until the gate can admit the last attendee ----
  while (!core.cache.ticketByCode(lastCode)) {
    if (performance.now() - commitEnd > 600_000) throw new Error(`the terminal never received ${lastCode}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  const synced = performance.now() - commitEnd;
  const verdict = await core.gate.scan(lastCode, null);
  console.log(`terminal: last attendee (${lastCode}) in the cache ${seconds(synced)} after the commit returned; gate verdict ${verdict.reason}`);

  const total = upload + mapping + check + commit;
  console.log(
    `total ${seconds(total)} (${rate(total)}) = ${(total / baseline).toFixed(1)}× the bare baseline; ` +
      `upload→gate ${seconds(total + synced)}; peak rss ${peak()} MiB`,
  );

  // ---- re-import of the same file: nothing new ----
  t = performance.now();
  const again = await api('POST', `/admin/v1/events/${event.id}/imports?name=bench.csv`, bytes);
  await api('PUT', `/admin/v1/imports/${again.job.id}/mapping`, checked.job.mapping);
  const recheck = await api('POST', `/admin/v1/imports/${again.job.id}/check`, {});
  const recommit = (await commitImportAndWait(server, again.job.id)).json;
  console.log(`re-import of the same file: ${seconds(performance.now() - t)}; counts ${JSON.stringify(recheck.job.counts)} → committed ${recommit.job.counts.committed}`);
} finally {
  await core.close();
  await server.close();
  await db.close();
  await pg?.stop();
  rmSync(work, { recursive: true, force: true });
}
