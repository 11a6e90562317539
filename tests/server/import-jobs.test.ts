// Attendee import end to end over the admin HTTP API, on PGlite and on a real PostgreSQL: upload (GBK
// CSV, XLSX with Chinese and Russian names), mapping, the dry run that reports every bad row with its
// line and reason and writes nothing, commit, idempotent re-import, capacity, bad files, an interrupted
// commit run again; and a real terminal core that pulls the imported attendees and admits one by its
// external code and finds one by phone digits.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idNumberHash } from '../../domain/hashing';
import { createCore } from '../../electron/core/core';
import { commitImport, type ImportDeps } from '../../server/src/admin/import';
import { createServer, type AdmitServer } from '../../server/src/app';
import { openServerDb } from '../../server/src/db/client';
import { importJobs, tickets, ticketTypes } from '../../server/src/db/schema';
import { PokeHub } from '../../server/src/pokes';
import { adminApi as api, commitImportAndWait, columnsInOrder, csv, uploadImport as upload } from '../helpers/import-files';
import { backends, createTestEvent, makeServer, openBackend, type Backend } from './harness';

const HEADER = ['报名编号', '姓名', '手机', 'Email', '票种', 'Ticket code', 'Company'];
const MAPPING = {
  columns: columnsInOrder('externalId', 'name', 'phone', 'email', 'ticketType', 'externalCode', 'company'),
};

async function ticketCount(backend: Backend, eventId: string): Promise<number> {
  return (await backend.handle.db.select({ id: tickets.id }).from(tickets).where(eq(tickets.eventId, eventId))).length;
}

async function soldOf(backend: Backend, typeId: string): Promise<number> {
  const [t] = await backend.handle.db.select({ sold: ticketTypes.sold }).from(ticketTypes).where(eq(ticketTypes.id, typeId));
  return t!.sold;
}

async function runImport(server: AdmitServer, eventId: string, bytes: Buffer, name: string, mapping: unknown = MAPPING, query = '') {
  const up = await upload(server, eventId, bytes, name, query);
  expect(up.status, JSON.stringify(up.json)).toBe(200);
  const id = up.json.job.id as string;
  const mapped = await api(server, 'PUT', `/admin/v1/imports/${id}/mapping`, mapping);
  expect(mapped.status, JSON.stringify(mapped.json)).toBe(200);
  const checked = await api(server, 'POST', `/admin/v1/imports/${id}/check`, {});
  expect(checked.status, JSON.stringify(checked.json)).toBe(200);
  return { id, up: up.json, checked: checked.json.job };
}

describe.each(backends)('attendee import on %s', (backendName) => {
  let backend: Backend;
  let server: AdmitServer;
  beforeAll(async () => {
    backend = await openBackend(backendName);
    server = makeServer(backend);
    await server.ready();
  }, 300_000);
  afterAll(async () => {
    await server.close();
    await backend.close();
  });

  async function newEvent(capacities: (number | null)[] = [null, null]) {
    const event = await createTestEvent(
      server,
      capacities.map((capacity) => ({ priceMinor: 1000, capacity })),
    );
    // Type names in three languages, as organizers name them.
    const names = [
      { en: 'Standard', 'zh-CN': '普通票', ru: 'Стандарт' },
      { en: 'VIP', 'zh-CN': '贵宾票', ru: 'ВИП' },
    ];
    for (const [i, type] of event.ticketTypes.entries()) {
      await backend.handle.db.update(ticketTypes).set({ name: names[i] ?? { en: `Type ${i}` } }).where(eq(ticketTypes.id, type.id));
    }
    return event;
  }

  it('imports a GBK CSV: the dry run lists every bad row with its line and reason and writes nothing; the commit writes the good rows', async () => {
    const event = await newEvent([null, 4]);
    const [standard, vip] = event.ticketTypes;
    const rows = [
      HEADER,
      ['A-001', '张三', '138 0013 8000', 'zhang@Example.COM', '普通票', 'EXT-0001', '北京科技'], // line 2 ok
      ['A-002', 'Анна Иванова', '+7 916 123-45-67', 'anna@mail.ru', 'Стандарт', '', 'ООО Ромашка'], // 3 ok, signed code
      ['A-003', '', '13900000000', '', '普通票', '', ''], // 4 name missing
      ['A-004', '李四', 'not a phone', 'li@example', 'VIP', '', ''], // 5 bad phone + bad email
      ['A-001', '王五', '', '', '普通票', '', ''], // 6 duplicate external id
      ['A-006', '赵六', '', '', '学生票', '', ''], // 7 unknown ticket type
      ['A-007', '孙七', '', '', '贵宾票', 'EXT-0001', ''], // 8 duplicate code in the file
      ['A-008', '周八', '', '', '贵宾票', 'S1ABCDEF', ''], // 9 reserved prefix
      ['A-009', '吴九', '', '', '贵宾票', 'EXT 09', ''], // 10 space in code
      ['', '郑十', '', '', '贵宾票', '', ''], // 11 no external id
      ['A-011', 'Пётр', '', '', 'VIP', '', ''], // 12 ok
      ['A-012', 'Мария', '', '', 'VIP', '', ''], // 13 ok
      ['A-013', 'Олег', '', '', 'VIP', '', ''], // 14 ok (VIP holds 4)
      ['A-014', 'Ольга', '', '', 'VIP', '', ''], // 15 ok (4th)
      ['A-015', 'Игорь', '', '', 'VIP', '', ''], // 16 over capacity
    ];
    const bytes = iconv.encode(csv(rows), 'gbk');
    const before = await ticketCount(backend, event.id);
    const { id, up, checked } = await runImport(server, event.id, bytes, 'attendees.csv');
    expect(up.job).toMatchObject({ format: 'csv', encoding: 'gb18030', encodingDetected: true, header: HEADER, status: 'uploaded' });
    expect(up.suggestedMapping).toEqual(
      expect.arrayContaining([
        { column: 0, target: 'externalId' },
        { column: 1, target: 'name' },
        { column: 2, target: 'phone' },
        { column: 3, target: 'email' },
        { column: 4, target: 'ticketType' },
        { column: 5, target: 'externalCode' },
        { column: 6, target: 'company' },
      ]),
    );
    expect(up.preview[0]).toEqual({ line: 2, cells: rows[1] });

    expect(checked.status).toBe('checked');
    expect(checked.counts).toMatchObject({ rows: 15, new: 6, updated: 0, unchanged: 0, bad: 9 });
    const report = await api(server, 'GET', `/admin/v1/imports/${id}?limit=1000`);
    const problems = (report.json.problems as { line: number; reason: string; field: string | null }[]).map((p) => [p.line, p.reason, p.field]);
    expect(problems).toEqual([
      [4, 'required', 'name'],
      [5, 'bad_phone', 'phone'],
      [5, 'bad_email', 'email'],
      [6, 'duplicate_external_id', 'externalId'],
      [7, 'unknown_ticket_type', 'ticketType'],
      [8, 'duplicate_external_code', 'externalCode'],
      [9, 'bad_code_prefix', 'externalCode'],
      [10, 'bad_code', 'externalCode'],
      [11, 'required', 'externalId'],
      [16, 'over_capacity', 'ticketType'],
    ]);
    expect(report.json.total).toBe(10);
    // Paging.
    const page = await api(server, 'GET', `/admin/v1/imports/${id}?offset=3&limit=2`);
    expect(page.json.problems.map((p: { line: number }) => p.line)).toEqual([6, 7]);
    // Nothing was written.
    expect(await ticketCount(backend, event.id)).toBe(before);
    expect(await soldOf(backend, vip!.id)).toBe(0);

    // With bad rows the commit is refused, and still nothing is written.
    const refused = await commitImportAndWait(server, id, {});
    expect(refused.status).toBe(409);
    expect(refused.json.error.code).toBe('import_refused');
    expect(await ticketCount(backend, event.id)).toBe(before);

    const committed = await commitImportAndWait(server, id, { skipBad: true });
    expect(committed.status, JSON.stringify(committed.json)).toBe(200);
    expect(committed.json.job).toMatchObject({ status: 'done', counts: { new: 6, committed: 6, skipped: 9 } });
    expect(committed.json.job.report.skippedLines).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 16]);
    expect(await ticketCount(backend, event.id)).toBe(before + 6);
    expect(await soldOf(backend, vip!.id)).toBe(4);
    expect(await soldOf(backend, standard!.id)).toBe(2);
    const imported = await backend.handle.db.select().from(tickets).where(eq(tickets.importJobId, id));
    const zhang = imported.find((t) => t.externalId === 'A-001')!;
    expect(zhang).toMatchObject({
      attendeeName: '张三',
      code: 'EXT-0001',
      phone: '13800138000',
      phoneLast4: '8000',
      email: 'zhang@example.com',
      company: '北京科技',
      channel: 'import',
      paid: true,
    });
    const anna = imported.find((t) => t.externalId === 'A-002')!;
    expect(anna.attendeeName).toBe('Анна Иванова');
    expect(anna.code.startsWith('S1')).toBe(true);
    expect(anna.phone).toBe('+79161234567');

    // Every step is in the audit trail.
    const actions = (await server.admin.listAuditEntries({ limit: 50 })).map((e: { action: string; subject: string | null }) => [e.action, e.subject]);
    for (const action of ['import_uploaded', 'import_mapped', 'import_checked', 'import_commit_started', 'import_committed']) {
      expect(actions).toContainEqual([action, id]);
    }
    // The file is gone once committed; a second commit is refused.
    const again = await commitImportAndWait(server, id, { skipBad: true });
    expect(again.status).toBe(409);
  }, 300_000);

  it('re-importing the same file creates nothing; a changed name updates the ticket; a code another attendee holds is refused', async () => {
    const event = await newEvent();
    const rows = [
      HEADER,
      ['R-1', 'Ли Мин', '', '', 'Standard', 'RE-1', ''],
      ['R-2', '陈静', '', '', 'Standard', '', ''],
      ['R-3', 'Сергей', '', '', 'Standard', '', ''],
    ];
    const first = await runImport(server, event.id, Buffer.from(csv(rows)), 'a.csv');
    expect(first.checked.counts).toMatchObject({ new: 3, bad: 0 });
    expect((await commitImportAndWait(server, first.id, {})).status).toBe(200);
    const count = await ticketCount(backend, event.id);
    const sold = await soldOf(backend, event.ticketTypes[0]!.id);

    const same = await runImport(server, event.id, Buffer.from(csv(rows)), 'a.csv');
    expect(same.checked.counts).toMatchObject({ new: 0, updated: 0, unchanged: 3, bad: 0 });
    expect((await commitImportAndWait(server, same.id, {})).json.job.counts).toMatchObject({ committed: 0 });
    expect(await ticketCount(backend, event.id)).toBe(count);

    const changed = rows.map((r) => [...r]);
    changed[2]![1] = '陈静怡';
    const second = await runImport(server, event.id, Buffer.from(csv(changed)), 'b.csv');
    expect(second.checked.counts).toMatchObject({ new: 0, updated: 1, unchanged: 2, bad: 0 });
    expect((await commitImportAndWait(server, second.id, {})).status).toBe(200);
    expect(await ticketCount(backend, event.id)).toBe(count);
    expect(await soldOf(backend, event.ticketTypes[0]!.id)).toBe(sold);
    const [r2] = await backend.handle.db.select().from(tickets).where(eq(tickets.externalId, 'R-2'));
    expect(r2!.attendeeName).toBe('陈静怡');

    // A code another attendee already holds, and a code in Admit's own signed format.
    const taken = await runImport(
      server,
      event.id,
      Buffer.from(csv([HEADER, ['R-9', 'Иван', '', '', 'Standard', 'RE-1', ''], ['R-10', 'Ян', '', '', 'Standard', 'R1ABC', '']])),
      'c.csv',
    );
    const report = await api(server, 'GET', `/admin/v1/imports/${taken.id}`);
    expect(report.json.problems.map((p: { line: number; reason: string }) => [p.line, p.reason])).toEqual([
      [2, 'code_taken'],
      [3, 'bad_code_prefix'],
    ]);
  }, 300_000);

  it('imports an XLSX with Chinese and Russian names', async () => {
    const event = await newEvent();
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('参会者');
    ws.addRow(['ID', 'ФИО', 'Телефон', '票种', 'answers.diet']);
    ws.addRow(['X-1', '欧阳娜娜', 13912345678, '普通票', 'vegan']);
    ws.addRow(['X-2', 'Наталья Петрова', '+7 (912) 000-11-22', 'ВИП', '']);
    ws.addRow(['X-3', 'Zoë Ångström', '', 'Standard', 'halal']);
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    const mapping = {
      columns: [
        { column: 'ID', target: 'externalId' },
        { column: 'ФИО', target: 'name' },
        { column: 'Телефон', target: 'phone' },
        { column: '票种', target: 'ticketType' },
        { column: 4, target: 'answers.diet' },
      ],
    };
    const run = await runImport(server, event.id, bytes, 'attendees.xlsx', mapping);
    expect(run.up.job).toMatchObject({ format: 'xlsx', sheet: '参会者', header: ['ID', 'ФИО', 'Телефон', '票种', 'answers.diet'] });
    expect(run.checked.counts).toMatchObject({ new: 3, bad: 0 });
    expect((await commitImportAndWait(server, run.id, {})).status).toBe(200);
    const rows = await backend.handle.db.select().from(tickets).where(eq(tickets.importJobId, run.id));
    const byId = new Map(rows.map((r) => [r.externalId, r]));
    expect(byId.get('X-1')).toMatchObject({ attendeeName: '欧阳娜娜', phone: '13912345678', phoneLast4: '5678', answers: { diet: 'vegan' }, ticketTypeId: event.ticketTypes[0]!.id });
    expect(byId.get('X-2')).toMatchObject({ attendeeName: 'Наталья Петрова', phoneLast4: '1122', ticketTypeId: event.ticketTypes[1]!.id, answers: null });
    expect(byId.get('X-3')!.attendeeName).toBe('Zoë Ångström');
  }, 300_000);

  it('refuses a mapping without the required columns, and rows missing required cells are reported', async () => {
    const event = await newEvent();
    // The name may come percent-encoded in X-File-Name, and a browser may call the file text/csv.
    const up = await api(server, 'POST', `/admin/v1/events/${event.id}/imports`, Buffer.from(csv([['Name', 'Phone'], ['Ann', '12345']])), {
      'x-file-name': encodeURIComponent('名单.csv'),
      'content-type': 'text/csv',
    });
    expect(up.status).toBe(200);
    expect(up.json.job.fileName).toBe('名单.csv');
    const noId = await api(server, 'PUT', `/admin/v1/imports/${up.json.job.id}/mapping`, {
      columns: [{ column: 'Name', target: 'name' }],
      defaultTicketTypeId: event.ticketTypes[0]!.id,
    });
    expect(noId.status).toBe(400);
    expect(noId.json.mapping).toEqual([expect.objectContaining({ reason: 'required_field_unmapped', field: 'externalId' })]);
    const noColumn = await api(server, 'PUT', `/admin/v1/imports/${up.json.job.id}/mapping`, {
      columns: [{ column: 'Registration', target: 'externalId' }],
      defaultTicketTypeId: event.ticketTypes[0]!.id,
    });
    expect(noColumn.status).toBe(400);
    expect(noColumn.json.mapping).toEqual([expect.objectContaining({ reason: 'unknown_column', column: 'Registration' })]);
    // Mapped without a name column: every row lacks the name the ticket type requires.
    const run = await runImport(server, event.id, Buffer.from(csv([['ID', 'Phone'], ['N-1', '12345'], ['N-2', '']])), 'y.csv', {
      columns: [{ column: 'ID', target: 'externalId' }, { column: 'Phone', target: 'phone' }],
      defaultTicketTypeId: event.ticketTypes[0]!.id,
    });
    expect(run.checked.counts).toMatchObject({ bad: 2, new: 0 });
    const report = await api(server, 'GET', `/admin/v1/imports/${run.id}`);
    expect(report.json.problems.map((p: { line: number; reason: string; field: string }) => [p.line, p.reason, p.field])).toEqual([
      [2, 'required', 'name'],
      [3, 'required', 'name'],
    ]);
  }, 300_000);

  it('refuses a 10 MB cell, a malformed CSV, a wrongly encoded file and a damaged XLSX, creating no job', async () => {
    const event = await newEvent();
    const jobs = async () => (await backend.handle.db.select({ id: importJobs.id }).from(importJobs).where(eq(importJobs.eventId, event.id))).length;
    const huge = Buffer.concat([Buffer.from('ID,Name\r\nB-1,"'), Buffer.alloc(10 * 1024 * 1024, 0x61), Buffer.from('"\r\n')]);
    const big = await upload(server, event.id, huge, 'huge.csv');
    expect(big.status).toBe(400);
    expect(big.json.file).toMatchObject({ code: 'cell_too_long', line: 2 });
    expect(big.json.error.detail).toMatch(/line 2/);

    const broken = await upload(server, event.id, Buffer.from('ID,Name\r\nB-1,"Ann\r\nB-2,Bob\r\n'), 'broken.csv');
    expect(broken.status).toBe(400);
    expect(broken.json.file).toMatchObject({ code: 'csv_syntax', line: 2 });

    const gbk = iconv.encode(csv([['ID', '姓名'], ['B-1', '张三']]), 'gbk');
    const wrong = await upload(server, event.id, gbk, 'gbk.csv', '&encoding=utf-8');
    expect(wrong.status).toBe(400);
    expect(wrong.json.file).toMatchObject({ code: 'invalid_bytes', line: 1, encoding: 'utf-8' });

    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('S').addRow(['ID', 'Name']);
    const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
    const cut = await upload(server, event.id, xlsx.subarray(0, Math.floor(xlsx.length / 2)), 'cut.xlsx');
    expect(cut.status).toBe(400);
    expect(cut.json.file.code).toBe('xlsx_corrupt');

    const empty = await upload(server, event.id, Buffer.alloc(0), 'empty.csv');
    expect(empty.status).toBe(400);
    expect(await jobs()).toBe(0);
  }, 300_000);

  it('refuses an over-capacity import in the dry run and at commit; nothing half-written', async () => {
    const event = await newEvent([3]);
    const type = event.ticketTypes[0]!;
    const rows = [HEADER, ...Array.from({ length: 5 }, (_, i) => [`C-${i}`, `Имя ${i}`, '', '', 'Standard', '', ''])];
    const run = await runImport(server, event.id, Buffer.from(csv(rows)), 'cap.csv');
    expect(run.checked.counts).toMatchObject({ new: 3, bad: 2 });
    const report = await api(server, 'GET', `/admin/v1/imports/${run.id}`);
    expect(report.json.problems.map((p: { line: number; reason: string }) => [p.line, p.reason])).toEqual([
      [5, 'over_capacity'],
      [6, 'over_capacity'],
    ]);
    expect((await commitImportAndWait(server, run.id, {})).status).toBe(409);
    expect(await soldOf(backend, type.id)).toBe(0);
    expect(await ticketCount(backend, event.id)).toBe(0);
  }, 300_000);

  it('a commit interrupted after its first batch, run again, finishes without duplicates', async () => {
    const event = await newEvent([10]);
    const type = event.ticketTypes[0]!;
    const rows = [HEADER, ...Array.from({ length: 7 }, (_, i) => [`K-${i}`, `Name ${i}`, '', '', 'Standard', i % 2 ? `KC-${i}` : '', ''])];
    const run = await runImport(server, event.id, Buffer.from(csv(rows)), 'k.csv');
    const deps: ImportDeps = {
      db: backend.handle.db,
      now: () => new Date(),
      hub: new PokeHub(),
      keyring: () => server.keyring(),
      batchSize: 3,
      replyWithinMs: Number.POSITIVE_INFINITY,
      afterBatch: (_id, written) => {
        if (written === 3) throw new Error('the server stopped');
      },
    };
    await expect(commitImport(deps, run.id, { skipBad: false })).rejects.toThrow('the server stopped');
    expect(await ticketCount(backend, event.id)).toBe(3);
    const [failed] = await backend.handle.db.select().from(importJobs).where(eq(importJobs.id, run.id));
    expect(failed!.status).toBe('failed');
    const done = await commitImport({ ...deps, afterBatch: undefined }, run.id, { skipBad: false });
    expect(done).toMatchObject({ status: 'done', counts: { new: 4, unchanged: 3, committed: 4 } });
    expect(await ticketCount(backend, event.id)).toBe(7);
    expect(await soldOf(backend, type.id)).toBe(7);
  }, 300_000);

  it('a commit that takes longer than the reply answers "committing" and goes on; a failure later is kept in the job and a new commit resumes it', async () => {
    const event = await newEvent([null]);
    const rows = [HEADER, ...Array.from({ length: 9 }, (_, i) => [`L-${i}`, `Long ${i}`, '', '', 'Standard', '', ''])];
    const run = await runImport(server, event.id, Buffer.from(csv(rows)), 'long.csv');
    // The first batch waits for the test: the reply comes first, whatever the machine's speed.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let fail = true;
    let ended = (): void => undefined;
    const runEnded = () => new Promise<void>((r) => (ended = r));
    const deps: ImportDeps = {
      db: backend.handle.db,
      now: () => new Date(),
      hub: new PokeHub(),
      keyring: () => server.keyring(),
      batchSize: 3,
      replyWithinMs: 0,
      onCommitEnded: () => ended(),
      afterBatch: async (_id, written) => {
        if (written === 3) await held;
        if (written === 6 && fail) throw new Error('the disk filled up');
      },
    };
    let firstEnded = runEnded();
    const answered = await commitImport(deps, run.id, { skipBad: false });
    expect(answered).toMatchObject({ status: 'committing', counts: { new: 9 } });
    // A second commit while the first is writing is refused.
    await expect(commitImport(deps, run.id, { skipBad: false })).rejects.toMatchObject({ code: 'import_refused' });
    release();
    const jobOf = async () => (await backend.handle.db.select().from(importJobs).where(eq(importJobs.id, run.id)))[0]!;
    await firstEnded;
    expect((await jobOf()).status).toBe('failed');
    expect((await jobOf()).counts).toMatchObject({ committed: 6 });
    expect(await ticketCount(backend, event.id)).toBe(6);
    // Resumed: the last rows written, nothing twice; followed by GET until done.
    fail = false;
    firstEnded = runEnded();
    expect(await commitImport(deps, run.id, { skipBad: false })).toMatchObject({ status: expect.stringMatching(/^(committing|done)$/) });
    await firstEnded;
    expect((await jobOf()).status).toBe('done');
    expect(await ticketCount(backend, event.id)).toBe(9);
    const page = await api(server, 'GET', `/admin/v1/imports/${run.id}?offset=0&limit=1`);
    expect(page.json.job).toMatchObject({ status: 'done', counts: { committed: 3 } });
  }, 300_000);

  it('answers 413 for a file over 64 MiB', async () => {
    if (backendName !== 'PGlite') return;
    const event = await newEvent();
    const res = await upload(server, event.id, Buffer.alloc(64 * 1024 * 1024 + 1, 0x41), 'big.csv');
    expect(res.status).toBe(413);
    expect(res.json.error).toMatchObject({ code: 'payload_too_large' });
    expect(res.json.error.detail).toMatch(/64 MiB/);
  }, 300_000);
});

describe('a terminal receives imported attendees', () => {
  const dir = mkdtempSync(join(tmpdir(), 'admit-import-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const quiet = { warn: () => undefined, error: () => undefined };

  it('admits one by its external code, finds one by phone digits and one by ID card', async () => {
    const db = await openServerDb({});
    const server = createServer({ db, dataDir: join(dir, 'server') });
    const url = (await server.listen({ host: '127.0.0.1', port: 0 })).url;
    const core = await createCore({ dataDir: join(dir, 'gate'), migrationsFolder: 'migrations/local', shell: 'service', demo: false, version: 't', logger: quiet });
    try {
      const event = await server.admin.createEvent({
        name: { en: 'Forum' },
        startsAt: new Date(Date.now() - 86_400_000).toISOString(),
        endsAt: new Date(Date.now() + 86_400_000).toISOString(),
        timezone: 'Asia/Shanghai',
        currency: 'CNY',
        ticketTypes: [{ name: { en: 'Delegate', 'zh-CN': '代表' }, priceMinor: 0, capacity: null }],
      });
      const { code } = await server.admin.createPairingCode({ eventIds: [event.id] });
      await core.sync.pair(url, code, 'Gate');
      await core.sync.pull();
      const rows = [
        ['编号', '姓名', '手机', '身份证', '票码'],
        ['D-1', '林晓', '13712340001', '', 'FORUM-2026-0001'],
        ['D-2', 'Дмитрий Орлов', '+7 903 555 7788', '', ''],
        ['D-3', '黄蕾', '', '11010519491231002X', ''],
      ];
      const bytes = iconv.encode(csv(rows), 'gb18030');
      const run = await runImport(server, event.id, bytes, 'forum.csv', {
        columns: columnsInOrder('externalId', 'name', 'phone', 'idNumber', 'externalCode'),
        defaultTicketTypeId: event.ticketTypes[0]!.id,
      });
      expect(run.checked.counts).toMatchObject({ new: 3, bad: 0 });
      expect((await commitImportAndWait(server, run.id, {})).status).toBe(200);
      const [huang] = await db.db.select().from(tickets).where(eq(tickets.externalId, 'D-3'));
      expect(huang!.idHash).toBe(await idNumberHash('11010519491231002X', event.idSalt));

      await core.sync.pull();
      const verdict = await core.gate.scan('FORUM-2026-0001', null);
      expect(verdict).toMatchObject({ admitted: true, reason: 'ok', attendeeName: '林晓' });
      const found = await core.gate.search('7788');
      expect(found).toEqual([expect.objectContaining({ attendeeName: 'Дмитрий Орлов' })]);
      const byId = await core.gate.scanIdCard('11010519491231002x', null);
      expect(byId).toMatchObject({ admitted: true, attendeeName: '黄蕾' });
    } finally {
      await core.close();
      await server.close();
      await db.close();
    }
  }, 300_000);
});
