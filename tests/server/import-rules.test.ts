// The attendee import follows the event as the organizer set it up: a ticket type closed to the import
// channel refuses its rows, a real-name type asks for an ID number and the fields it requires, the
// registration form checks each row's answers (conditional fields too) and stores them typed, and a
// quota shared by two types stops the import where an order would stop — in the dry run and at the
// commit, with the quota's count moved like an order moves it.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type AdmitServer } from '../../server/src/app';
import { quotas, tickets, ticketTypes } from '../../server/src/db/schema';
import { columnsInOrder, commitImportAndWait, csv } from '../helpers/import-files';
import { call, createTestEvent, openBackend, type Backend, type Json } from './harness';

describe('attendee import under the event’s sale rules, forms and quotas (PGlite)', () => {
  let backend: Backend;
  let server: AdmitServer;
  const admin = (method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, body?: unknown, payload?: Buffer) =>
    call<Json>(server.app, method, url, {
      token: server.adminToken,
      ...(payload ? { payload, headers: { 'content-type': 'application/octet-stream' } } : body !== undefined ? { body } : {}),
    });

  beforeAll(async () => {
    backend = await openBackend('PGlite');
    server = createServer({ db: backend.handle, adminToken: 'import-rules-admin' });
    await server.ready();
  }, 300_000);
  afterAll(async () => {
    await server.close();
    await backend.close();
  });

  it('refuses rows its types do not allow, checks form answers, and never imports past a shared quota', async () => {
    const event = await createTestEvent(server, [
      { priceMinor: 1000, capacity: null },
      { priceMinor: 2000, capacity: null },
      { priceMinor: 500, capacity: null },
    ]);
    const [day, vip, staff] = event.ticketTypes.map((t) => t.id) as [string, string, string];
    for (const [id, name] of [
      [day, 'Day'],
      [vip, 'VIP'],
      [staff, 'Staff'],
    ] as const) {
      expect((await admin('PATCH', `/admin/v1/ticket-types/${id}`, { name: { en: name } })).status).toBe(200);
    }
    expect((await admin('PATCH', `/admin/v1/ticket-types/${vip}`, { realName: true, requiredFields: ['phone'] })).status).toBe(200);
    expect((await admin('PATCH', `/admin/v1/ticket-types/${staff}`, { channels: ['box_office'] })).status).toBe(200);
    const quota = await admin('POST', `/admin/v1/events/${event.id}/quotas`, { name: { en: 'Hall' }, capacity: 3, ticketTypeIds: [day, vip] });
    expect(quota.status, JSON.stringify(quota.json)).toBe(200);
    const form = await admin('PUT', `/admin/v1/ticket-types/${day}/form`, {
      fields: [
        { key: 'diet', kind: 'choice', label: { en: 'Diet' }, required: true, options: [{ value: 'veg', label: { en: 'Vegetarian' } }, { value: 'meat', label: { en: 'Meat' } }] },
        { key: 'allergy', kind: 'text', label: { en: 'Allergy' }, required: true, showIf: { key: 'diet', equals: 'veg' } },
      ],
    });
    expect(form.status, JSON.stringify(form.json)).toBe(200);

    const rows = [
      ['Id', 'Name', 'Phone', 'ID number', 'Type', 'Diet', 'Allergy'],
      ['E1', 'Alice', '', '', 'Day', 'Vegetarian', 'nuts'], // 2 ok: diet by its label
      ['E2', 'Bob', '', '', 'Day', '', ''], // 3 diet required
      ['E3', 'Carol', '', '', 'Day', 'veg', ''], // 4 allergy required when vegetarian
      ['E4', 'Dan', '', '', 'Staff', '', ''], // 5 staff cannot be imported
      ['E5', 'Eve', '', '', 'VIP', '', ''], // 6 real-name: ID number and phone required
      ['E6', 'Fay', '+86 138 0013 8000', '110101199003074518', 'VIP', '', ''], // 7 ok
      ['E7', 'Gus', '', '', 'Day', 'meat', ''], // 8 ok (quota: 3rd)
      ['E8', 'Hal', '', '', 'Day', 'meat', ''], // 9 over the shared quota
    ];
    const up = await admin('POST', `/admin/v1/events/${event.id}/imports?name=rules.csv`, undefined, Buffer.from(csv(rows)));
    expect(up.status, JSON.stringify(up.json)).toBe(200);
    const id = up.json.job.id as string;
    const mapping = {
      columns: columnsInOrder('externalId', 'name', 'phone', 'idNumber', 'ticketType', 'answers.diet', 'answers.allergy'),
    };
    expect((await admin('PUT', `/admin/v1/imports/${id}/mapping`, mapping)).status).toBe(200);
    const checked = await admin('POST', `/admin/v1/imports/${id}/check`, {});
    expect(checked.status, JSON.stringify(checked.json)).toBe(200);
    const report = await admin('GET', `/admin/v1/imports/${id}?limit=100`);
    const problems = (report.json.problems as { line: number; reason: string; field: string | null }[]).map((p) => [p.line, p.reason, p.field]);
    expect(problems).toEqual([
      [3, 'required', 'answers.diet'],
      [4, 'required', 'answers.allergy'],
      [5, 'import_not_allowed', 'ticketType'],
      [6, 'required', 'phone'],
      [6, 'required', 'idNumber'],
      [9, 'over_capacity', 'ticketType'],
    ]);
    expect(checked.json.job.counts).toMatchObject({ new: 3, bad: 5 });
    const soldBefore = await backend.handle.db.select().from(quotas).where(eq(quotas.eventId, event.id));
    expect(soldBefore[0]!.sold).toBe(0);

    const committed = await commitImportAndWait(server, id, { skipBad: true });
    expect(committed.status, JSON.stringify(committed.json)).toBe(200);
    const [hall] = await backend.handle.db.select().from(quotas).where(eq(quotas.eventId, event.id));
    expect(hall!.sold).toBe(3);
    const imported = await backend.handle.db.select().from(tickets).where(eq(tickets.eventId, event.id));
    expect(imported.map((t) => t.externalId).sort()).toEqual(['E1', 'E6', 'E7']);
    const alice = imported.find((t) => t.externalId === 'E1')!;
    // Stored as the form's typed answers: the option's value, not the label the file had.
    expect(alice.answers).toEqual({ diet: 'veg', allergy: 'nuts' });
    expect(imported.find((t) => t.externalId === 'E6')!.idHash).toMatch(/^[0-9a-f]{64}$/);
    const types = await backend.handle.db.select().from(ticketTypes).where(eq(ticketTypes.eventId, event.id));
    expect(Object.fromEntries(types.map((t) => [t.id, t.sold]))).toEqual({ [day]: 2, [vip]: 1, [staff]: 0 });

    // The quota is full: a box-office order of either type is refused now, as the import was.
    const full = await admin('POST', `/admin/v1/events/${event.id}/imports?name=more.csv`, undefined, Buffer.from(csv([rows[0]!, ['E9', 'Ida', '', '', 'Day', 'meat', '']])));
    const more = full.json.job.id as string;
    expect((await admin('PUT', `/admin/v1/imports/${more}/mapping`, mapping)).status).toBe(200);
    expect((await admin('POST', `/admin/v1/imports/${more}/check`, {})).json.job.counts).toMatchObject({ new: 0, bad: 1 });
  }, 300_000);
});
