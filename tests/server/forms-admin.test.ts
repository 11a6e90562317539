// Registration forms at the server (PGlite in process): an admin replaces a ticket type's form whole and
// reads it back, each save one version more and one entry in the server's audit chain; a bad form is
// refused with every problem named and nothing written; the routes need the admin token and a fresh
// request id; the change feed carries a form only to terminals that ask for forms and serve its event.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import type { FormFieldInput } from '../../domain/forms';
import type { AdmitServer } from '../../server/src/app';
import { formsOfEvent } from '../../server/src/admin/forms';
import { type Backend, call, createTestEvent, expectError, makeServer, openBackend, pairTerminal } from './harness';

const ADMIN = 'test-admin-token';
const en = (text: string) => ({ en: text, 'zh-CN': `${text}（中）`, ru: `${text} (ру)` });

const FORM: FormFieldInput[] = [
  {
    key: 'diet',
    kind: 'choice',
    label: en('Diet'),
    required: true,
    options: [
      { value: 'none', label: en('None') },
      { value: 'other', label: en('Other') },
    ],
  },
  { key: 'diet_other', kind: 'text', label: en('Which?'), required: true, showIf: { key: 'diet', equals: 'other' } },
  { key: 'country', kind: 'country', label: en('Country') },
];

describe('registration forms at the server', () => {
  let backend: Backend;
  let server: AdmitServer;

  beforeAll(async () => {
    backend = await openBackend('PGlite');
    server = makeServer(backend);
    await server.app.ready();
  }, 300_000);
  afterAll(async () => {
    await server?.close();
    await backend?.close();
  });

  const put = (typeId: string, body: unknown, opts: { token?: string | null; requestId?: string | null } = {}) =>
    call(server.app, 'PUT', `/admin/v1/ticket-types/${typeId}/form`, { token: ADMIN, body, ...opts });
  const get = (typeId: string, token: string | null = ADMIN) => call(server.app, 'GET', `/admin/v1/ticket-types/${typeId}/form`, { token });
  const formEntries = async (typeId: string) =>
    (await server.admin.listAuditEntries({ chain: 'server', limit: 1000 })).filter((e) => e.action === 'form_saved' && e.subject === typeId);

  it('reads an empty form before any is saved, then saves and replaces it whole, one version at a time', async () => {
    const event = await createTestEvent(server);
    const typeId = event.ticketTypes[0]!.id;
    expect((await get(typeId)).json).toEqual({ form: { ticketTypeId: typeId, eventId: event.id, fields: [], version: 0, updatedAt: null } });

    const saved = await put(typeId, { fields: FORM });
    expect(saved.status).toBe(200);
    expect(saved.json.form).toMatchObject({ ticketTypeId: typeId, eventId: event.id, version: 1 });
    expect(saved.json.form.fields.map((f: { key: string }) => f.key)).toEqual(['diet', 'diet_other', 'country']);
    expect(saved.json.form.fields[2].required).toBe(false);
    expect((await get(typeId)).json.form).toEqual(saved.json.form);

    const replaced = await put(typeId, { fields: [FORM[2]] });
    expect(replaced.json.form).toMatchObject({ version: 2, fields: [{ key: 'country', kind: 'country' }] });
    expect((await get(typeId)).json.form.fields).toHaveLength(1);

    const entries = await formEntries(typeId);
    expect(entries).toHaveLength(2);
    expect(JSON.parse(entries[0]!.detail)).toMatchObject({ eventId: event.id, fields: 1, version: 2 });
    // What an import reads: the event's forms by ticket type.
    const forms = await formsOfEvent(backend.handle.db, event.id);
    expect([...forms.keys()]).toEqual([typeId]);
    expect(forms.get(typeId)!.map((f) => f.key)).toEqual(['country']);
    expect(await formsOfEvent(backend.handle.db, uuidv7())).toEqual(new Map());
    const walk = await call(server.app, 'GET', '/admin/v1/audit/verify?chain=server', { token: ADMIN });
    expect(walk.json).toMatchObject({ verified: true, breaks: [] });
  });

  it('refuses a bad form with every problem named, and writes nothing', async () => {
    const event = await createTestEvent(server);
    const typeId = event.ticketTypes[0]!.id;
    await put(typeId, { fields: FORM });
    const before = (await get(typeId)).json.form;

    const forward = await put(typeId, {
      fields: [
        { key: 'a', kind: 'text', label: en('A'), showIf: { key: 'b', equals: 'x' } },
        { key: 'b', kind: 'text', label: en('B') },
        { key: 'b', kind: 'number', label: en('B2') },
      ],
    });
    expectError(forward, 400, 'bad_request');
    expect(forward.json.error.detail).toMatch(/fields\.0\.showIf\.key: a: depends on "b", which comes after it/);
    expect(forward.json.error.detail).toMatch(/fields\.2\.key: b: the key is used by field 2 already/);

    const tooMany = Array.from({ length: 51 }, (_, i) => ({ key: `f${i}`, kind: 'text', label: en('F') }));
    expect((await put(typeId, { fields: tooMany })).json.error.detail).toMatch(/at most 50 fields/);
    for (const body of [{ fields: 'x' }, { fields: [{ key: 'x', kind: 'choice', label: en('X') }] }, {}, { fields: [], extra: 1 }, []]) {
      expectError(await put(typeId, body), 400, 'bad_request');
    }
    expect((await get(typeId)).json.form).toEqual(before);
    expect(await formEntries(typeId)).toHaveLength(1);

    expectError(await put(uuidv7(), { fields: FORM }), 404, 'not_found');
    expectError(await get(uuidv7()), 404, 'not_found');
    expectError(await put('not-a-uuid', { fields: FORM }), 400, 'bad_request');
  });

  it('needs the admin token and a fresh request id', async () => {
    const event = await createTestEvent(server);
    const typeId = event.ticketTypes[0]!.id;
    const terminal = await pairTerminal(server, 'Not an admin');
    expectError(await get(typeId, null), 401, 'unauthorized');
    expectError(await get(typeId, terminal.token), 401, 'unauthorized');
    expectError(await put(typeId, { fields: FORM }, { token: null }), 401, 'unauthorized');
    expectError(await put(typeId, { fields: FORM }, { token: 'wrong-token' }), 401, 'unauthorized');
    expectError(await put(typeId, { fields: FORM }, { token: terminal.token }), 401, 'unauthorized');
    expect((await get(typeId)).json.form.version).toBe(0);

    const requestId = uuidv7();
    expect((await put(typeId, { fields: FORM }, { requestId })).status).toBe(200);
    expectError(await put(typeId, { fields: [] }, { requestId }), 409, 'replayed_request');
    expect((await put(typeId, { fields: FORM }, { requestId: null })).status).toBe(400);
    expect((await get(typeId)).json.form).toMatchObject({ version: 1 });
  });

  it('sends a form in the change feed only to terminals that ask for forms and serve its event', async () => {
    const terminal = await pairTerminal(server, 'Forms feed');
    const mine = await createTestEvent(server);
    const other = await server.admin.createEvent({
      name: { en: 'Other event' },
      startsAt: new Date().toISOString(),
      endsAt: new Date(Date.now() + 86_400_000).toISOString(),
      timezone: 'UTC',
      currency: 'EUR',
      ticketTypes: [{ name: { en: 'Other type' }, priceMinor: 100 }],
    });
    await server.admin.setDeviceEvents(terminal.deviceId, [mine.id]);
    await put(mine.ticketTypes[0]!.id, { fields: FORM });
    await put(other.ticketTypes[0]!.id, { fields: FORM });

    const pullAll = async (forms: boolean) => {
      const seen: { kind: string; row: Record<string, unknown> }[] = [];
      let since = 0;
      for (;;) {
        const page = await call(server.app, 'GET', `/v1/changes?since=${since}${forms ? '&with=form' : ''}`, { token: terminal.token });
        expect(page.status).toBe(200);
        seen.push(...page.json.changes);
        since = page.json.next;
        if (!page.json.more) return seen;
      }
    };
    const withForms = (await pullAll(true)).filter((c) => c.kind === 'form');
    expect(withForms).toEqual([
      expect.objectContaining({ kind: 'form', row: { ticketTypeId: mine.ticketTypes[0]!.id, eventId: mine.id, fields: expect.any(Array), version: 1 } }),
    ]);
    expect((await pullAll(false)).some((c) => c.kind === 'form')).toBe(false);
  });
});
