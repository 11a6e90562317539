// Attendee import of the kiosk's information, over the admin HTTP API on PGlite and a real PostgreSQL:
// seat, table, room, hotel and note columns become the attendee's information items, an entitlements
// column ("meal, drink") the vouchers they hold; a re-import replaces the mapped kinds only (an agenda
// entry the organizer set by hand stays), withdraws an entitlement no longer named and keeps the label of
// one still held; a file without those columns leaves the information alone; a bad kind is a row problem
// that writes nothing; every write takes a new change number, so terminals pull it.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdmitServer } from '../../server/src/app';
import { attendeeInfo, entitlements, tickets } from '../../server/src/db/schema';
import { adminApi as api, commitImportAndWait, columnsInOrder, csv, uploadImport as upload } from '../helpers/import-files';
import { backends, createTestEvent, makeServer, openBackend, type Backend } from './harness';

describe.each(backends)('attendee import of kiosk information on %s', (backendName) => {
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

  async function importFile(eventId: string, typeId: string, rows: string[][], targets: string[], skipBad = false) {
    const up = await upload(server, eventId, Buffer.from(csv(rows), 'utf8'), 'attendees.csv');
    expect(up.status, JSON.stringify(up.json)).toBe(200);
    const id = up.json.job.id as string;
    const mapped = await api(server, 'PUT', `/admin/v1/imports/${id}/mapping`, { columns: columnsInOrder(...targets), defaultTicketTypeId: typeId });
    expect(mapped.status, JSON.stringify(mapped.json)).toBe(200);
    const checked = await api(server, 'POST', `/admin/v1/imports/${id}/check`, {});
    expect(checked.status, JSON.stringify(checked.json)).toBe(200);
    const report = await api(server, 'GET', `/admin/v1/imports/${id}?limit=1000`);
    const problems = (report.json.problems as { line: number; reason: string; field: string | null }[]).map((p) => [p.line, p.reason, p.field]);
    const committed = await commitImportAndWait(server, id, { skipBad });
    return { id, checked: checked.json.job, problems, committed };
  }

  const ticketOf = async (eventId: string, externalId: string) => {
    const [t] = await backend.handle.db
      .select({ id: tickets.id })
      .from(tickets)
      .where(and(eq(tickets.eventId, eventId), eq(tickets.externalId, externalId)));
    return t!.id;
  };
  const infoOf = async (ticketId: string) => {
    const got = await api(server, 'GET', `/admin/v1/attendees/${ticketId}/info`);
    expect(got.status).toBe(200);
    return got.json as { items: { kind: string; value: string }[]; entitlements: { kind: string; label: Record<string, string> | null }[] };
  };
  const itemsOf = async (ticketId: string) => (await infoOf(ticketId)).items.map((i) => [i.kind, i.value]);
  const kindsOf = async (ticketId: string) => (await infoOf(ticketId)).entitlements.map((e) => e.kind);

  const HEADER = ['Reg no', 'Name', 'Seat', 'Hotel', 'Vouchers'];
  const TARGETS = ['externalId', 'name', 'seat', 'hotel', 'entitlements'];

  it('writes seats, hotels and meal vouchers; a re-import replaces only the mapped kinds; a file without them leaves them', async () => {
    const event = await createTestEvent(server);
    const typeId = event.ticketTypes[0]!.id;
    const first = await importFile(
      event.id,
      typeId,
      [HEADER, ['K-1', '张三丰', 'Hall B, row 7, seat 12', '北京饭店 1204', 'meal, drink'], ['K-2', 'Иванов Пётр', '', 'Гостиница «Москва»', ''], ['K-3', 'Ann Lee', 'A-1', '', 'Meal']],
      TARGETS,
    );
    expect(first.problems).toEqual([]);
    expect(first.committed.status, JSON.stringify(first.committed.json)).toBe(200);
    expect(first.committed.json.job.counts).toMatchObject({ new: 3, committed: 3 });
    const [k1, k2, k3] = [await ticketOf(event.id, 'K-1'), await ticketOf(event.id, 'K-2'), await ticketOf(event.id, 'K-3')];
    expect(await itemsOf(k1)).toEqual([
      ['seat', 'Hall B, row 7, seat 12'],
      ['hotel', '北京饭店 1204'],
    ]);
    expect(await kindsOf(k1)).toEqual(['drink', 'meal']);
    expect(await itemsOf(k2)).toEqual([['hotel', 'Гостиница «Москва»']]);
    expect(await kindsOf(k2)).toEqual([]);
    expect(await kindsOf(k3)).toEqual(['meal']);

    // The organizer adds an agenda entry and labels the meal voucher by hand.
    const at = new Date(Date.now() + 3_600_000).toISOString();
    const saved = await api(server, 'PUT', `/admin/v1/attendees/${k1}/info`, {
      items: [...(await infoOf(k1)).items, { kind: 'agenda', value: 'Keynote', at }],
      entitlements: [{ kind: 'meal', label: { en: 'Lunch voucher' } }, { kind: 'drink' }],
    });
    expect(saved.status, JSON.stringify(saved.json)).toBe(200);
    const seqBefore = (await backend.handle.db.select({ seq: attendeeInfo.seq }).from(attendeeInfo).where(eq(attendeeInfo.ticketId, k1)))[0]!.seq;

    // Re-import: K-1 moves seat and drops the drink; K-2 is unchanged; K-3 loses its seat and meal.
    const second = await importFile(
      event.id,
      typeId,
      [HEADER, ['K-1', '张三丰', 'Hall C, seat 3', '北京饭店 1204', 'meal'], ['K-2', 'Иванов Пётр', '', 'Гостиница «Москва»', ''], ['K-3', 'Ann Lee', '', '', '']],
      TARGETS,
    );
    expect(second.checked.counts).toMatchObject({ new: 0, updated: 2, unchanged: 1 });
    expect(second.committed.status, JSON.stringify(second.committed.json)).toBe(200);
    const k1Info = await infoOf(k1);
    expect(k1Info.items.map((i) => [i.kind, i.value])).toEqual([
      ['agenda', 'Keynote'],
      ['seat', 'Hall C, seat 3'],
      ['hotel', '北京饭店 1204'],
    ]);
    expect(k1Info.entitlements).toEqual([expect.objectContaining({ kind: 'meal', label: { en: 'Lunch voucher' } })]);
    // The withdrawn drink is kept inactive, so its withdrawal replicates.
    const drink = await backend.handle.db.select().from(entitlements).where(and(eq(entitlements.ticketId, k1), eq(entitlements.kind, 'drink')));
    expect(drink.map((d) => d.active)).toEqual([false]);
    const seqAfter = (await backend.handle.db.select({ seq: attendeeInfo.seq }).from(attendeeInfo).where(eq(attendeeInfo.ticketId, k1)))[0]!.seq;
    expect(seqAfter).toBeGreaterThan(seqBefore);
    expect(await itemsOf(k3)).toEqual([]);
    expect(await kindsOf(k3)).toEqual([]);

    // A file without information columns changes names only: the information stays.
    const third = await importFile(event.id, typeId, [['Reg no', 'Name'], ['K-1', 'Zhang Sanfeng']], ['externalId', 'name']);
    expect(third.committed.status).toBe(200);
    expect((await infoOf(k1)).items.map((i) => i.kind)).toEqual(['agenda', 'seat', 'hotel']);
    expect(await kindsOf(k1)).toEqual(['meal']);
  }, 300_000);

  it('refuses a bad entitlement kind, a control character and an over-long seat as row problems and writes nothing for them', async () => {
    const event = await createTestEvent(server);
    const typeId = event.ticketTypes[0]!.id;
    const run = await importFile(
      event.id,
      typeId,
      [HEADER, ['B-1', 'Good', 'A-1', '', 'meal'], ['B-2', 'Bad kind', '', '', 'Mittag essen!'], ['B-3', 'Control', 'Row\u00017', '', ''], ['B-4', 'Long', 'x'.repeat(501), '', '']],
      TARGETS,
      true,
    );
    expect(run.problems).toEqual([
      [3, 'bad_entitlement', 'entitlements'],
      [4, 'bad_info', 'seat'],
      [5, 'too_long', 'seat'],
    ]);
    expect(run.committed.status, JSON.stringify(run.committed.json)).toBe(200);
    expect(run.committed.json.job.counts).toMatchObject({ new: 1, committed: 1, skipped: 3 });
    const written = await backend.handle.db.select({ externalId: tickets.externalId }).from(tickets).where(eq(tickets.eventId, event.id));
    expect(written.map((t) => t.externalId)).toEqual(['B-1']);
    const b1 = await ticketOf(event.id, 'B-1');
    expect(await itemsOf(b1)).toEqual([['seat', 'A-1']]);
    expect(await kindsOf(b1)).toEqual(['meal']);
    const mapped = await api(server, 'PUT', `/admin/v1/imports/${run.id}/mapping`, { columns: [{ column: 0, target: 'info.seat' }] });
    expect(mapped.status).toBe(400);
  }, 300_000);
});
