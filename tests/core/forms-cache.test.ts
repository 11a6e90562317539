// Registration forms reach the terminal: a real core over real SQLite, paired over HTTP with the real
// server (PGlite). A form saved at the server is what forms.get answers after sync, for a cashier (and
// refused to a gate operator); a new version arrives with the poke; forms of events the terminal does not
// serve never reach it; a cache filled by a version that did not ask for forms pulls once more from the
// start and gets the forms below its cursor.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateAnswers, type FormFieldInput } from '../../domain/forms';
import { REQUEST_ID_HEADER } from '../../domain/wire';
import type { TerminalForm } from '../../electron/contract';
import { createCore, type Core } from '../../electron/core/core';
import { type AdmitServer, createServer } from '../../server/src/app';
import { openServerDb, type ServerDbHandle } from '../../server/src/db/client';
import { loginAs } from '../helpers/login';
import { openTerminalDb } from '../helpers/terminal-db';
import { waitFor } from '../helpers/wait';

const ADMIN = 'forms-admin-token';
const DAY = 86_400_000;
const quiet = { warn: () => undefined, error: () => undefined };
const dir = mkdtempSync(join(tmpdir(), 'admit-forms-'));
const t3 = (en: string) => ({ en, 'zh-CN': `${en}（中）`, ru: `${en} (ру)` });

const FORM: FormFieldInput[] = [
  { key: 'company', kind: 'text', label: t3('Company'), required: true },
  { key: 'vip', kind: 'checkbox', label: t3('VIP') },
  { key: 'seat', kind: 'choice', label: t3('Seat'), showIf: { key: 'vip', equals: true }, options: [{ value: 'front', label: t3('Front') }] },
];

describe('registration forms on the terminal', () => {
  let db: ServerDbHandle;
  let server: AdmitServer;
  let url: string;
  let core: Core;
  const types = { mine: '', mineNoForm: '', other: '' };

  const putForm = async (ticketTypeId: string, fields: unknown) => {
    const res = await fetch(`${url}/admin/v1/ticket-types/${ticketTypeId}/form`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json', [REQUEST_ID_HEADER]: uuidv7() },
      body: JSON.stringify({ fields }),
    });
    expect(res.status).toBe(200);
  };
  const openCore = () =>
    createCore({ dataDir: join(dir, 'desk'), migrationsFolder: 'migrations/local', shell: 'service', demo: false, version: 't', logger: quiet });
  const formOf = async (session: string, ticketTypeId: string) => core.dispatch(session, 'forms.get', { ticketTypeId });
  const formValue = async (session: string, ticketTypeId: string): Promise<TerminalForm> => {
    const result = await formOf(session, ticketTypeId);
    if (!result.ok) throw new Error(`forms.get failed: ${JSON.stringify(result.error)}`);
    return result.value as TerminalForm;
  };

  beforeAll(async () => {
    db = await openServerDb({});
    server = createServer({ db: db.db, adminToken: ADMIN, dataDir: join(dir, 'server') });
    url = (await server.listen({ host: '127.0.0.1', port: 0 })).url;
    const make = (name: string, typeCount: number) =>
      server.admin.createEvent({
        name: { en: name },
        startsAt: new Date(Date.now() - DAY).toISOString(),
        endsAt: new Date(Date.now() + DAY).toISOString(),
        timezone: 'UTC',
        currency: 'EUR',
        ticketTypes: Array.from({ length: typeCount }, (_, i) => ({ name: { en: `${name} ${i}` }, priceMinor: 100, capacity: null })),
      });
    const mine = await make('Mine', 2);
    const other = await make('Other', 1);
    types.mine = mine.ticketTypes[0]!.id;
    types.mineNoForm = mine.ticketTypes[1]!.id;
    types.other = other.ticketTypes[0]!.id;
    await server.admin.createOperators([
      { name: 'Cass', role: 'cashier', pin: '111111' },
      { name: 'Gita', role: 'gate', pin: '222222' },
    ]);
    await putForm(types.mine, FORM);
    await putForm(types.other, [{ key: 'secret_question', kind: 'text', label: t3('Other event only') }]);

    core = await openCore();
    const { code } = await server.admin.createPairingCode({ eventIds: [mine.id] });
    await core.sync.pair(url, code, 'Badge desk');
    core.sync.start();
    await core.sync.pull();
  }, 300_000);

  afterAll(async () => {
    await core?.close();
    await server?.close();
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers a cashier with the form saved at the server, ready to check answers with', async () => {
    expect((await loginAs(core, 'cash', { name: 'Cass' }, '111111')).ok).toBe(true);
    const form = await formValue('cash', types.mine);
    expect(form).toMatchObject({ ticketTypeId: types.mine, version: 1, readable: true });
    expect(form.fields.map((f) => [f.key, f.kind, f.required])).toEqual([
      ['company', 'text', true],
      ['vip', 'checkbox', false],
      ['seat', 'choice', false],
    ]);
    expect(form.fields[0]!.label['zh-CN']).toBe('Company（中）');
    expect(validateAnswers(form.fields, { company: ' Acme ', vip: true, seat: 'front' })).toEqual({
      ok: true,
      answers: { company: 'Acme', vip: true, seat: 'front' },
    });

    // A type of the same event with no form: nothing beyond the built-in fields.
    expect(await formValue('cash', types.mineNoForm)).toMatchObject({ fields: [], version: 0, readable: true });
  });

  it('never receives the forms of events it does not serve, and refuses roles that do not register', async () => {
    expect(await formOf('cash', types.other)).toMatchObject({ ok: false, error: { code: 'unknown_ticket_type' } });
    const sqlite = openTerminalDb(join(dir, 'desk'), { readonly: true });
    try {
      expect(sqlite.prepare('select ticket_type_id as id from ticket_type_forms').all()).toEqual([{ id: types.mine }]);
    } finally {
      sqlite.close();
    }
    expect((await loginAs(core, 'gate', { name: 'Gita' }, '222222')).ok).toBe(true);
    expect(await formOf('gate', types.mine)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await formOf('nobody', types.mine)).toMatchObject({ ok: false, error: { code: 'not_logged_in' } });
    expect(await formOf('cash', 'not-a-uuid')).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('takes a new version when the server pokes', async () => {
    await putForm(types.mine, [FORM[0], { key: 'tshirt', kind: 'choice', label: t3('T-shirt'), options: [{ value: 'm', label: t3('M') }] }]);
    await waitFor(async () => (await formValue('cash', types.mine)).version === 2, 60_000, 'form version 2');
    expect((await formValue('cash', types.mine)).fields.map((f) => f.key)).toEqual(['company', 'tshirt']);
  });
});
