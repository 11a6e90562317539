// Admin mode's attendee import and export through a real core and a real server (PGlite, real HTTP): a
// GBK CSV sent in pieces through admin.import.upload, read by the server (encoding, header, preview,
// suggested mapping); a mapping that cannot work answers its problems; the dry run lists the bad row
// with its line, column and reason; a commit refused while bad rows remain, then the good rows only; a
// gate operator on the same terminal then finds an imported attendee by phone digits. An export of the
// attendees as CSV, decoded. Pieces out of order, a file the server cannot read, an upload dropped at
// sign-out, and a cashier refused in the core.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminImportEvent, ImportJob, ImportReportPage, ImportUpload } from '../../electron/contract';
import { createCore, type Core } from '../../electron/core/core';
import { dispositionFileName } from '../../electron/core/admin/import';
import { HttpPool, ReplyTooLargeError } from '../../electron/core/sync/http';
import { createServer, type AdmitServer } from '../../server/src/app';
import { openServerDb, type ServerDbHandle } from '../../server/src/db/client';
import { columnsInOrder, csv } from '../helpers/import-files';
import { loginAs } from '../helpers/login';
import { waitFor } from '../helpers/wait';

const quiet = { warn: () => undefined, error: () => undefined };
const ADMIN_UI = 'admin-ui';

let work: string;
let db: ServerDbHandle;
let server: AdmitServer;
let core: Core;
let event: AdminImportEvent;
let serverUrl: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'admit-admin-import-'));
  db = await openServerDb();
  server = createServer({ db, adminToken: 'import-admin-token' });
  serverUrl = (await server.listen({ host: '127.0.0.1', port: 0 })).url;
  await server.admin.seedDemo({ tickets: 3 });
  core = await createCore({ dataDir: join(work, 'desk'), migrationsFolder: 'migrations/local', shell: 'service', demo: false, version: 'test', logger: quiet });
  const { code } = await server.admin.createPairingCode();
  expect(await core.dispatch('setup', 'terminal.pair', { serverUrl, code, terminalName: 'Import desk' })).toMatchObject({ ok: true });
  await waitFor(() => core.sync.isOnline, 60_000, 'the desk to be online');
  await waitFor(
    async () => {
      const r = await core.dispatch('x', 'session.operators', {});
      return r.ok && (r.value as { role: string }[]).some((o) => o.role === 'admin') && core.secrets.get('pin_key') !== null;
    },
    60_000,
    'the operators and the PIN key to sync',
  );
  expect(await loginAs(core, ADMIN_UI, { role: 'admin' }, '000000')).toMatchObject({ ok: true });
  const events = valueOf<AdminImportEvent[]>(await core.dispatch(ADMIN_UI, 'admin.import.events', {}));
  event = events.find((e) => e.name.en === 'Admit Demo Festival')!;
  expect(event.ticketTypes.map((t) => t.name.en)).toEqual(expect.arrayContaining(['Day pass', 'Weekend pass']));
}, 300_000);

afterAll(async () => {
  await core?.close();
  await server?.close();
  await db?.close();
  rmSync(work, { recursive: true, force: true });
});

function valueOf<T>(r: { ok: boolean; value?: unknown; error?: unknown }): T {
  if (!r.ok) throw new Error(`call failed: ${JSON.stringify(r.error)}`);
  return r.value as T;
}


type UploadAnswer = { uploadId: string; received: number; upload: ImportUpload | null; refused: { code: string; message: string } | null };

/** Sends `bytes` in pieces of `piece` bytes, as the UI does; the last answer. */
async function sendFile(ui: string, bytes: Buffer, file: { eventId: string; name: string; format?: 'csv' | 'xlsx' }, piece: number): Promise<UploadAnswer> {
  let uploadId: string | null = null;
  let offset = 0;
  for (;;) {
    const chunk = bytes.subarray(offset, offset + piece);
    const last = offset + chunk.length >= bytes.length;
    const r = await core.dispatch(ui, 'admin.import.upload', {
      uploadId,
      offset,
      data: chunk.toString('base64'),
      last,
      ...(uploadId === null ? { file } : {}),
    });
    const answer = valueOf<UploadAnswer>(r);
    offset += chunk.length;
    expect(answer.received).toBe(offset);
    uploadId = answer.uploadId;
    if (last) return answer;
  }
}

const HEADER = ['报名编号', '姓名', '手机', '票种'];
const ROWS = [
  ['A-001', '张三', '138 0013 8000', '单日票'], // line 2
  ['A-002', 'Анна Иванова', '+7 916 123-45-67', 'Day pass'], // line 3
  ['A-003', '', '13900000000', '单日票'], // line 4: no name
];

describe('admin mode: attendee import and export', () => {
  it('imports a GBK CSV sent in pieces: mapping, dry run with the bad row, commit of the good rows, found at the gate', async () => {
    const bytes = iconv.encode(csv([HEADER, ...ROWS]), 'gbk');
    expect(bytes.length).toBeGreaterThan(3 * 40);
    const sent = await sendFile(ADMIN_UI, bytes, { eventId: event.id, name: '报名.csv' }, 40);
    expect(sent.refused).toBeNull();
    const read = sent.upload!;
    expect(read.job).toMatchObject({ format: 'csv', encoding: 'gb18030', encodingDetected: true, header: HEADER, status: 'uploaded', fileName: '报名.csv', fileSize: bytes.length });
    expect(read.job.counts.rows).toBe(3);
    expect(read.preview.map((p) => p.line)).toEqual([2, 3, 4]);
    expect(read.preview[0]!.cells).toEqual(['A-001', '张三', '138 0013 8000', '单日票']);
    expect(read.suggestedMapping).toEqual(expect.arrayContaining([{ column: 1, target: 'name' }, { column: 2, target: 'phone' }]));
    const importId = read.job.id;

    // A mapping that cannot work answers why, and changes nothing.
    const noType = valueOf<{ job: ImportJob | null; problems: { reason: string }[] }>(
      await core.dispatch(ADMIN_UI, 'admin.import.mapping', { importId, columns: columnsInOrder('externalId', 'name'), defaultTicketTypeId: null }),
    );
    expect(noType).toEqual({ job: null, problems: [expect.objectContaining({ reason: 'ticket_type_unmapped' })] });
    const twice = valueOf<{ job: ImportJob | null; problems: { reason: string }[] }>(
      await core.dispatch(ADMIN_UI, 'admin.import.mapping', {
        importId,
        columns: columnsInOrder('externalId', 'name', 'name', 'ticketType'),
        defaultTicketTypeId: null,
      }),
    );
    expect(twice.job).toBeNull();
    expect(twice.problems.map((p) => p.reason)).toContain('field_mapped_twice');

    const mapped = valueOf<{ job: ImportJob; problems: unknown[] }>(
      await core.dispatch(ADMIN_UI, 'admin.import.mapping', {
        importId,
        columns: columnsInOrder('externalId', 'name', 'phone', 'ticketType'),
        defaultTicketTypeId: null,
      }),
    );
    expect(mapped).toMatchObject({ job: { status: 'mapped' }, problems: [] });

    const checked = valueOf<ImportJob>(await core.dispatch(ADMIN_UI, 'admin.import.check', { importId }));
    expect(checked).toMatchObject({ status: 'checked', counts: { rows: 3, new: 2, bad: 1, problems: 1 } });
    const report = valueOf<ImportReportPage>(await core.dispatch(ADMIN_UI, 'admin.import.report', { importId, offset: 0, limit: 50 }));
    expect(report.total).toBe(1);
    expect(report.problems).toEqual([expect.objectContaining({ line: 4, column: 2, columnTitle: '姓名', field: 'name', reason: 'required' })]);

    // Nothing written while bad rows remain, unless the admin asks for the good rows only.
    expect(await core.dispatch(ADMIN_UI, 'admin.import.commit', { importId, skipBad: false })).toMatchObject({
      ok: false,
      error: { code: 'server_rejected', detail: 'import_refused' },
    });
    let done = valueOf<ImportJob>(await core.dispatch(ADMIN_UI, 'admin.import.commit', { importId, skipBad: true }));
    // The server answers 'committing' when the rows take longer than its reply; the report follows it.
    while (done.status === 'committing') {
      await new Promise((r) => setTimeout(r, 100));
      done = valueOf<ImportReportPage>(await core.dispatch(ADMIN_UI, 'admin.import.report', { importId, offset: 0, limit: 1 })).job;
    }
    expect(done).toMatchObject({ status: 'done', counts: { new: 2, committed: 2, skipped: 1 } });

    // The terminal takes the imported attendees by sync; a gate operator finds one by phone digits.
    expect(await loginAs(core, 'gate-ui', { role: 'gate' }, '222222')).toMatchObject({ ok: true });
    await waitFor(
      async () => {
        const r = await core.dispatch('gate-ui', 'gate.search', { query: '8000' });
        return r.ok && (r.value as { attendeeName: string | null }[]).some((m) => m.attendeeName === '张三');
      },
      60_000,
      'the imported attendee to be found by phone digits',
    );
    expect(await core.dispatch('gate-ui', 'session.logout', {})).toMatchObject({ ok: true });
  }, 300_000);

  it('exports the attendees as CSV with the server file name', async () => {
    const file = valueOf<{ fileName: string; contentType: string; size: number; data: string }>(
      await core.dispatch(ADMIN_UI, 'admin.export.download', { eventId: event.id, kind: 'attendees', format: 'csv', lang: 'zh-CN' }),
    );
    expect(file.contentType).toMatch(/^text\/csv/);
    expect(file.fileName).toBe('Admit 演示音乐节-attendees.csv');
    const bytes = Buffer.from(file.data, 'base64');
    expect(bytes.length).toBe(file.size);
    const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
    const lines = text.split(/\r?\n/).filter((l) => l !== '');
    expect(lines.length).toBeGreaterThanOrEqual(3); // a header, the two imported attendees (and the demo's tickets)
    expect(text).toContain('张三');
    expect(text).toContain('Анна Иванова');
    expect(text).not.toContain('A-003');
    // A reply past the limit a download sets is cut off and refused, never kept in part.
    const pool = new HttpPool();
    await expect(
      pool.request(`${serverUrl}/admin/v1/events/${event.id}/export/attendees?format=csv`, {
        method: 'GET',
        headers: { authorization: 'Bearer import-admin-token' },
        signal: AbortSignal.timeout(60_000),
        maxReplyBytes: 64,
      }),
    ).rejects.toBeInstanceOf(ReplyTooLargeError);
    pool.reset();
    expect(dispositionFileName(`attachment; filename="event-1-orders.xlsx"`, 'x')).toBe('event-1-orders.xlsx');
    expect(dispositionFileName(null, 'orders.csv')).toBe('orders.csv');
  }, 300_000);

  it('refuses pieces out of order, a file the server cannot read, and an upload its operator signed out of', async () => {
    const first = valueOf<UploadAnswer>(
      await core.dispatch(ADMIN_UI, 'admin.import.upload', {
        uploadId: null,
        offset: 0,
        data: Buffer.from('a,b\r\n').toString('base64'),
        last: false,
        file: { eventId: event.id, name: 'x.csv' },
      }),
    );
    expect(await core.dispatch(ADMIN_UI, 'admin.import.upload', { uploadId: first.uploadId, offset: 99, data: '', last: true })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    // Gone after that: its id is unknown now.
    expect(await core.dispatch(ADMIN_UI, 'admin.import.upload', { uploadId: first.uploadId, offset: 5, data: '', last: true })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    // Not base64, and a first piece without its file: refused by the contract.
    expect(await core.dispatch(ADMIN_UI, 'admin.import.upload', { uploadId: null, offset: 0, data: '%%%', last: true, file: { eventId: event.id, name: 'x.csv' } })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    expect(await core.dispatch(ADMIN_UI, 'admin.import.upload', { uploadId: null, offset: 0, data: '', last: true })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });

    // A file that is not a workbook, named as one: the server's reason comes back as a typed answer.
    const before = (await server.app.inject({ method: 'GET', url: `/admin/v1/events/${event.id}/imports`, headers: { authorization: 'Bearer import-admin-token' } })).json() as {
      imports: unknown[];
    };
    const notXlsx = await sendFile(ADMIN_UI, Buffer.from('this is not a workbook'), { eventId: event.id, name: 'people.xlsx', format: 'xlsx' }, 1000);
    expect(notXlsx.upload).toBeNull();
    expect(notXlsx.refused?.code).toMatch(/^(not_xlsx|xlsx_corrupt)$/);
    const empty = valueOf<UploadAnswer>(
      await core.dispatch(ADMIN_UI, 'admin.import.upload', { uploadId: null, offset: 0, data: '', last: true, file: { eventId: event.id, name: 'e.csv' } }),
    );
    expect(empty.refused?.code).toBe('empty_file');
    const after = (await server.app.inject({ method: 'GET', url: `/admin/v1/events/${event.id}/imports`, headers: { authorization: 'Bearer import-admin-token' } })).json() as {
      imports: unknown[];
    };
    expect(after.imports.length).toBe(before.imports.length);

    // Signing out drops an upload under way.
    const open = valueOf<UploadAnswer>(
      await core.dispatch(ADMIN_UI, 'admin.import.upload', {
        uploadId: null,
        offset: 0,
        data: Buffer.from('a,b\r\n').toString('base64'),
        last: false,
        file: { eventId: event.id, name: 'x.csv' },
      }),
    );
    expect(await core.dispatch(ADMIN_UI, 'session.logout', {})).toMatchObject({ ok: true });
    expect(await loginAs(core, ADMIN_UI, { role: 'admin' }, '000000')).toMatchObject({ ok: true });
    expect(await core.dispatch(ADMIN_UI, 'admin.import.upload', { uploadId: open.uploadId, offset: 5, data: '', last: true })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
  }, 300_000);

  it("refuses a cashier's import and export calls in the core", async () => {
    expect(await loginAs(core, 'cashier-ui', { role: 'cashier' }, '111111')).toMatchObject({ ok: true });
    for (const [name, input] of [
      ['admin.import.events', {}],
      ['admin.import.upload', { uploadId: null, offset: 0, data: '', last: true, file: { eventId: event.id, name: 'x.csv' } }],
      ['admin.export.download', { eventId: event.id, kind: 'attendees', format: 'csv', lang: 'en' }],
    ] as const) {
      expect(await core.dispatch('cashier-ui', name, input)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
  }, 300_000);
});
