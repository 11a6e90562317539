// Admin mode's Forms section through a real core and a real server (PGlite, real HTTP): an admin picks a
// ticket type from the server's events and saves a form with a conditional field; the same terminal,
// after sync, hands it to a cashier through forms.get, and validateAnswers asks the conditional field
// only when its condition holds; a bad form is refused with every problem named and nothing saved (the
// version stays); a cashier's admin.forms calls are refused in the core before reaching the server.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDetail } from '../../domain/audit';
import { validateAnswers, type FormFieldInput } from '../../domain/forms';
import type { AdminFormState, FormSaveOutcome, FormsCatalogEvent, TerminalForm } from '../../electron/contract';
import { createCore, type Core } from '../../electron/core/core';
import { createServer, type AdmitServer } from '../../server/src/app';
import { openServerDb, type ServerDbHandle } from '../../server/src/db/client';
import { loginAs } from '../helpers/login';
import { waitFor } from '../helpers/wait';

const quiet = { warn: () => undefined, error: () => undefined };
const ADMIN_UI = 'admin-ui';
const CASHIER_UI = 'cashier-ui';
const t3 = (en: string) => ({ en, 'zh-CN': `${en}（中）`, ru: `${en} (ру)` });

const FORM: FormFieldInput[] = [
  {
    key: 'diet',
    kind: 'choice',
    label: t3('Diet'),
    options: [
      { value: 'none', label: t3('None') },
      { value: 'other', label: t3('Other') },
    ],
  },
  { key: 'diet_detail', kind: 'text', label: t3('Which diet?'), required: true, showIf: { key: 'diet', equals: 'other' } },
];

let work: string;
let db: ServerDbHandle;
let server: AdmitServer;
let core: Core;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'admit-admin-forms-'));
  db = await openServerDb();
  server = createServer({ db, adminToken: 'forms-admin-token' });
  const serverUrl = (await server.listen({ host: '127.0.0.1', port: 0 })).url;
  await server.admin.seedDemo({ tickets: 5 });
  core = await createCore({
    dataDir: join(work, 'desk'),
    migrationsFolder: 'migrations/local',
    shell: 'service',
    demo: false,
    version: 'test',
    logger: quiet,
  });
  const { code } = await server.admin.createPairingCode();
  expect(await core.dispatch('setup', 'terminal.pair', { serverUrl, code, terminalName: 'Forms desk' })).toMatchObject({
    ok: true,
  });
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
  expect(await loginAs(core, CASHIER_UI, { role: 'cashier' }, '111111')).toMatchObject({ ok: true });
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

async function firstType(): Promise<string> {
  const catalog = valueOf<FormsCatalogEvent[]>(await core.dispatch(ADMIN_UI, 'admin.forms.catalog', {}));
  expect(catalog.length).toBeGreaterThan(0);
  const type = catalog.flatMap((e) => e.ticketTypes)[0];
  expect(type).toBeDefined();
  return type!.id;
}

describe('admin mode: registration forms', () => {
  it('an admin saves a form with a conditional field; a cashier reads it after sync and the condition holds', async () => {
    const ticketTypeId = await firstType();
    const before = valueOf<AdminFormState>(await core.dispatch(ADMIN_UI, 'admin.forms.get', { ticketTypeId }));
    expect(before).toMatchObject({ ticketTypeId, version: 0, fields: [] });

    const saved = valueOf<FormSaveOutcome>(await core.dispatch(ADMIN_UI, 'admin.forms.save', { ticketTypeId, fields: FORM }));
    expect(saved).toMatchObject({ outcome: 'saved', form: { ticketTypeId, version: 1 } });
    expect(
      valueOf<AdminFormState>(await core.dispatch(ADMIN_UI, 'admin.forms.get', { ticketTypeId })).fields.map((f) => f.key),
    ).toEqual(['diet', 'diet_detail']);

    // The terminal's cache takes it with its next pull; a cashier reads it with forms.get.
    await waitFor(
      async () => {
        const r = await core.dispatch(CASHIER_UI, 'forms.get', { ticketTypeId });
        return r.ok && (r.value as TerminalForm).version === 1;
      },
      60_000,
      'the form to reach the terminal',
    );
    const form = valueOf<TerminalForm>(await core.dispatch(CASHIER_UI, 'forms.get', { ticketTypeId }));
    expect(form.readable).toBe(true);
    expect(validateAnswers(form.fields, { diet: 'none' })).toEqual({ ok: true, answers: { diet: 'none' } });
    // Hidden while the condition does not hold: an answer to it is dropped, not asked.
    expect(validateAnswers(form.fields, { diet: 'none', diet_detail: 'ignored' })).toEqual({
      ok: true,
      answers: { diet: 'none' },
    });
    expect(validateAnswers(form.fields, { diet: 'other' })).toMatchObject({
      ok: false,
      errors: [{ key: 'diet_detail', reason: 'required' }],
    });
    expect(validateAnswers(form.fields, { diet: 'other', diet_detail: 'Halal' })).toEqual({
      ok: true,
      answers: { diet: 'other', diet_detail: 'Halal' },
    });

    // The terminal's own trail and the server's both record the save.
    const trail = valueOf<{ entries: { action: string; subject: string | null }[] }>(
      await core.dispatch(ADMIN_UI, 'audit.list', { limit: 50 }),
    );
    expect(trail.entries.some((e) => e.action === 'form_saved' && e.subject === ticketTypeId)).toBe(true);
    const serverEntry = (await server.admin.listAuditEntries({ chain: 'server', limit: 1000 })).find(
      (e) => e.action === 'form_saved' && e.subject === ticketTypeId,
    );
    expect(parseDetail(serverEntry!.detail)).toMatchObject({ version: 1, fields: 2 });
  }, 300_000);

  it('a bad form is refused with its problems named, and nothing is saved', async () => {
    const ticketTypeId = await firstType();
    const version = valueOf<AdminFormState>(await core.dispatch(ADMIN_UI, 'admin.forms.get', { ticketTypeId })).version;
    expect(version).toBeGreaterThan(0);
    // The condition looks at a field below it, and a choice has no options.
    const bad = [
      { key: 'shown_later', kind: 'text', label: t3('Shown later'), showIf: { key: 'pick', equals: 'a' } },
      { key: 'pick', kind: 'choice', label: t3('Pick') },
    ];
    const refused = valueOf<FormSaveOutcome>(await core.dispatch(ADMIN_UI, 'admin.forms.save', { ticketTypeId, fields: bad }));
    expect(refused.outcome).toBe('refused');
    if (refused.outcome !== 'refused') throw new Error('unreachable');
    expect(refused.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 0, part: 'showIf' }),
        expect.objectContaining({ field: 1, part: 'options' }),
      ]),
    );
    const after = valueOf<AdminFormState>(await core.dispatch(ADMIN_UI, 'admin.forms.get', { ticketTypeId }));
    expect(after.version).toBe(version);
    expect(after.fields.map((f) => f.key)).toEqual(['diet', 'diet_detail']);
    // A ticket type the server does not have is not_found.
    expect(
      await core.dispatch(ADMIN_UI, 'admin.forms.get', { ticketTypeId: '01890000-0000-7000-8000-000000000000' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  }, 300_000);

  it("a cashier's admin.forms calls are refused in the core", async () => {
    const ticketTypeId = await firstType();
    const version = valueOf<AdminFormState>(await core.dispatch(ADMIN_UI, 'admin.forms.get', { ticketTypeId })).version;
    for (const [name, input] of [
      ['admin.forms.catalog', {}],
      ['admin.forms.get', { ticketTypeId }],
      ['admin.forms.save', { ticketTypeId, fields: [] }],
    ] as const) {
      expect(await core.dispatch(CASHIER_UI, name, input)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect(valueOf<AdminFormState>(await core.dispatch(ADMIN_UI, 'admin.forms.get', { ticketTypeId })).version).toBe(version);
  }, 300_000);
});
