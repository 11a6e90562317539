// The badge desk through the core's call path, on real SQLite, against the real server (PGlite) in
// process, with an Evolis card printer simulator as the desk's badge printer and a second terminal as a
// gate: attendees found by any part of their name in Latin, Chinese and Cyrillic script
// (case-insensitive), by a phone's last four digits, by order code and by ticket code (the kind guessed
// from the text); their details from the server and the template replicated for their ticket type; a
// correction refused offline and replicated online; a badge printed on the card printer with the
// check-in the server hears of; a second print refused without a reason, then printed with one and
// recorded; the event's PIN setting asking a manager's approval (a wrong PIN refused); an order's
// group printed at once; a retry of a request printing nothing twice; walk-ins, free with a manager's
// approval and paid, printed and admitted at once and known to the gate after its sync; the reprint
// counts; and the audit entries (never a PIN).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultBadgeTemplate } from '../../domain/badge-template';
import type { BadgeDeskAttendee, BadgeDeskMatch, BadgePrintResult, PrintOutcome } from '../../electron/contract';
import { createCore, type Core } from '../../electron/core/core';
import { startEvolisSimulator, type EvolisSimulator } from '../../drivers/badges/evolis-simulator';
import { createServer } from '../../server/src/app';
import { openServerDb } from '../../server/src/db/client';
import { startLink, type Link } from '../helpers/link';
import { waitFor } from '../helpers/wait';
import { loginAs, operatorId } from '../helpers/login';
import { openTerminalDb } from '../helpers/terminal-db';

type Sold = { order: { id: string; code: string; tickets: { id: string; code: string }[] } };
type Printed = { results: BadgePrintResult[]; print: PrintOutcome };
/** The standard layout without the code's caption (a signed code is longer than the caption's box). */
const layout = () => {
  const t = defaultBadgeTemplate();
  return { ...t, elements: t.elements.map((side) => side.map((e) => (e.type === 'code' ? { ...e, caption: false } : e))) };
};
const en = (text: string) => ({ en: text, 'zh-CN': `${text}（中）`, ru: `${text} (ру)` });

describe('the badge desk', () => {
  const cleanups: Array<() => Promise<unknown> | unknown> = [];
  let serverUrl: string;
  let adminToken: string;
  let link: Link;
  let desk: Core;
  let deskDir = '';
  let gate: Core;
  let evolis: EvolisSimulator;
  let eventId = '';
  let typeId = '';
  let priceMinor = 0;
  let managerId = '';
  const sold: Sold[] = [];

  const admin = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${serverUrl}/admin/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${adminToken}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        'x-admit-request-id': uuidv7(),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    expect(res.ok, `${method} ${path}: ${res.status}`).toBe(true);
    return res.json() as Promise<Record<string, unknown>>;
  };
  const call = async <T>(name: string, input: unknown, session = 'badge'): Promise<T> => {
    const r = await desk.dispatch(session, name, input);
    if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.error)}`);
    return r.value as T;
  };
  const pair = async (core: Core, url: string, name: string) => {
    const { code } = (await admin('POST', '/pairing-codes', {})) as { code: string };
    expect(await core.dispatch('setup', 'terminal.pair', { serverUrl: url, code, terminalName: name })).toMatchObject({ ok: true });
    await waitFor(async () => {
      const ops = await core.dispatch('x', 'session.operators', {});
      return ops.ok && (ops.value as unknown[]).length > 0;
    }, 60_000, `${name}'s operators`);
  };
  /** The desk's audit entries of an action, newest first, with their details. */
  const audited = (action: string) => {
    const db = openTerminalDb(deskDir, { readonly: true });
    try {
      return (db.prepare('select subject, operator_id as operatorId, detail from audit_log where action = ? order by seq desc').all(action) as { subject: string | null; operatorId: string | null; detail: string }[]).map(
        (e) => ({ ...e, detail: JSON.parse(e.detail) as Record<string, unknown> }),
      );
    } finally {
      db.close();
    }
  };
  /** The server's view of a ticket's badge details (prints it holds). */
  const serverDetails = (ticketId: string) => call<BadgeDeskAttendee>('badgeDesk.attendee', { ticketId });

  beforeAll(async () => {
    const work = mkdtempSync(join(tmpdir(), 'admit-badge-desk-'));
    cleanups.push(() => rmSync(work, { recursive: true, force: true }));
    const db = await openServerDb();
    cleanups.push(() => db.close());
    const server = await createServer({ db, dataDir: join(work, 'server') });
    cleanups.push(() => server.close());
    serverUrl = (await server.listen({ host: '127.0.0.1', port: 0 })).url;
    adminToken = server.adminToken;
    await server.admin.seedDemo({ tickets: 5 });
    link = await startLink(Number(new URL(serverUrl).port));
    cleanups.push(() => link.close());

    evolis = await startEvolisSimulator({ port: 0, outDir: join('artifacts', 'badge-desk') });
    cleanups.push(() => evolis.close());
    deskDir = join(work, 'desk');
    desk = await createCore({
      dataDir: deskDir,
      migrationsFolder: 'migrations/local',
      shell: 'service',
      demo: false,
      version: 'test',
      modes: ['box-office', 'badge-desk', 'manager'],
      devices: { usbEvents: false },
    });
    cleanups.push(() => desk.close());
    desk.configureDevices([
      { id: 'badges', name: 'Badge printer', kind: 'printer', driver: 'evolis', transport: { type: 'tcp', host: '127.0.0.1', port: evolis.port }, kinds: ['badge'] },
    ]);
    await desk.restartDevices();
    gate = await createCore({ dataDir: join(work, 'gate'), migrationsFolder: 'migrations/local', shell: 'service', demo: false, version: 'test', devices: { usbEvents: false } });
    cleanups.push(() => gate.close());

    await pair(desk, link.url, 'Badge desk 1');
    await pair(gate, serverUrl, 'North gate');
    expect(await loginAs(desk, 'cashier', { role: 'cashier' }, '111111')).toMatchObject({ ok: true });
    expect(await loginAs(desk, 'badge', { role: 'badge' }, '333333')).toMatchObject({ ok: true });
    expect(await loginAs(gate, 'gatekeeper', { role: 'gate' }, '222222')).toMatchObject({ ok: true });
    managerId = await operatorId(desk, { role: 'manager' });

    const catalog = await call<{ event: { id: string }; ticketTypes: { id: string; priceMinor: number }[] }>('boxOffice.catalog', {}, 'cashier');
    eventId = catalog.event.id;
    const type = catalog.ticketTypes.find((t) => t.priceMinor > 0)!;
    typeId = type.id;
    priceMinor = type.priceMinor;
    const people = [
      [{ name: 'Alexandra Smith-Jones', phone: '+49 170 1234567' }],
      [{ name: '张三丰', phone: '+86 138 0013 8000' }],
      [{ name: 'Иванов Пётр Сергеевич', phone: '+7 912 345 6789' }, { name: 'Иванова Мария' }, { name: 'Иванов Илья' }],
    ];
    for (const group of people) {
      sold.push(
        await call<Sold>(
          'boxOffice.sell',
          {
            lines: [{ ticketTypeId: typeId, quantity: group.length }],
            attendees: group.map((a, index) => ({ ...a, ticketTypeId: typeId, index })),
            payment: { method: 'cash', tenderedMinor: priceMinor * group.length },
          },
          'cashier',
        ),
      );
    }
  }, 180_000);

  afterAll(async () => {
    for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => undefined);
  });

  const names = (m: { matches: BadgeDeskMatch[] }) => m.matches.map((x) => x.name);

  it('finds by any part of a name in Latin, Chinese and Cyrillic, case-insensitively, and guesses that it is a name', async () => {
    expect(names(await call('badgeDesk.find', { query: 'smith' }))).toEqual(['Alexandra Smith-Jones']);
    expect(await call('badgeDesk.find', { query: 'ALEX' })).toMatchObject({ by: 'name', matches: [{ name: 'Alexandra Smith-Jones' }] });
    expect(names(await call('badgeDesk.find', { query: '三丰', by: 'name' }))).toEqual(['张三丰']);
    // Names starting with the text first, then names with a word starting with it.
    expect(names(await call('badgeDesk.find', { query: 'ИВАНОВ' }))).toEqual(['Иванов Илья', 'Иванов Пётр Сергеевич', 'Иванова Мария']);
    // Any part, any case; ё and е match each other.
    expect(names(await call('badgeDesk.find', { query: 'петр' }))).toEqual(['Иванов Пётр Сергеевич']);
    expect(names(await call('badgeDesk.find', { query: 'мАрИя' }))).toEqual(['Иванова Мария']);
    expect(names(await call('badgeDesk.find', { query: 'nobody here' }))).toEqual([]);
  });

  it('finds by the last four digits of a phone, an order code and a ticket code', async () => {
    expect(await call('badgeDesk.find', { query: '4567' })).toMatchObject({ by: 'phone', matches: [{ name: 'Alexandra Smith-Jones' }] });
    expect(names(await call('badgeDesk.find', { query: '+86 138 0013 8000', by: 'phone' }))).toEqual(['张三丰']);
    const group = sold[2]!.order;
    const byOrder = await call<{ by: string; matches: BadgeDeskMatch[] }>('badgeDesk.find', { query: group.code.toLowerCase() });
    expect(byOrder.by).toBe('order');
    expect(byOrder.matches.map((m) => m.ticketId).sort()).toEqual(group.tickets.map((t) => t.id).sort());
    const one = group.tickets[1]!;
    expect(await call('badgeDesk.find', { query: one.code })).toMatchObject({
      by: 'code',
      matches: [{ ticketId: one.id, name: 'Иванова Мария', paid: true, status: 'valid', checkedIn: false, printCount: 0 }],
    });
  });

  it("shows an attendee's details from the server with the template replicated for their ticket type, and their order's group", async () => {
    const templateId = uuidv7();
    await admin('PUT', `/badge-templates/${templateId}`, { eventId, name: 'Visitors', ticketTypeIds: [typeId], template: layout() });
    const t = sold[2]!.order.tickets[0]!;
    await waitFor(async () => (await serverDetails(t.id)).templateId === templateId, 60_000, 'the template replicated');
    const a = await serverDetails(t.id);
    expect(a).toMatchObject({
      ticketId: t.id,
      code: t.code,
      name: 'Иванов Пётр Сергеевич',
      source: 'server',
      phoneMasked: expect.stringContaining('789'),
      templateName: 'Visitors',
      printCount: 0,
      prints: [],
      reprint: { needsReason: false, needsPin: false, lastPrintedAt: null },
    });
    const group = await call<{ orderCode: string; matches: BadgeDeskMatch[] }>('badgeDesk.group', { ticketId: t.id });
    expect(group.orderCode).toBe(sold[2]!.order.code);
    expect(group.matches.map((m) => m.ticketId)).toEqual(sold[2]!.order.tickets.map((x) => x.id));
    expect(await desk.dispatch('badge', 'badgeDesk.attendee', { ticketId: uuidv7() })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    // The preview is the card printer's own image: the Evolis panel, one side.
    const preview = await call<{ sides: { png: string; width: number; height: number }[]; templateId: string }>('badgeDesk.preview', { ticketId: t.id });
    expect(preview.templateId).toBe(templateId);
    expect(preview.sides).toHaveLength(1);
    expect([preview.sides[0]!.width, preview.sides[0]!.height].sort((x, y) => x - y)).toEqual([648, 1016]);
    expect(Buffer.from(preview.sides[0]!.png, 'base64').subarray(1, 4).toString('latin1')).toBe('PNG');
  });

  it('corrects a misspelt name at the server: refused offline, then replicated to the cache and found by the new name', async () => {
    const t = sold[0]!.order.tickets[0]!;
    link.cut(3_600_000);
    await waitFor(() => !desk.sync.isOnline, 60_000, 'offline');
    expect(await desk.dispatch('badge', 'badgeDesk.correct', { ticketId: t.id, name: 'Alexandra Smith-Johns' })).toMatchObject({ ok: false, error: { code: 'offline' } });
    const offline = await serverDetails(t.id);
    expect(offline).toMatchObject({ source: 'cache', name: 'Alexandra Smith-Jones', company: null });
    link.heal();
    await waitFor(() => desk.sync.isOnline, 60_000, 'online again');
    const fixed = await call<BadgeDeskAttendee>('badgeDesk.correct', { ticketId: t.id, name: 'Alexandra Smith-Johns', company: 'Acme GmbH', title: 'CTO' });
    expect(fixed).toMatchObject({ name: 'Alexandra Smith-Johns', company: 'Acme GmbH', title: 'CTO', source: 'server' });
    await waitFor(() => desk.cache.ticketById(t.id)?.attendeeName === 'Alexandra Smith-Johns', 60_000, 'the corrected name replicated');
    await waitFor(() => gate.cache.ticketById(t.id)?.attendeeName === 'Alexandra Smith-Johns', 60_000, 'the corrected name at the gate');
    expect(names(await call('badgeDesk.find', { query: 'johns' }))).toEqual(['Alexandra Smith-Johns']);
    expect(audited('badge_corrected')[0]).toMatchObject({ subject: t.id, detail: { fields: 'company,name,title', result: 'ok' } });
  });

  let printedTicket = '';
  it('prints a badge on the card printer and checks the attendee in, the server hearing of both', async () => {
    const t = sold[0]!.order.tickets[0]!;
    printedTicket = t.id;
    const before = evolis.jobs.length;
    const printed = await call<Printed>('badgeDesk.print', { ticketIds: [t.id], requestId: uuidv7() });
    expect(printed.results).toEqual([{ ticketId: t.id, outcome: 'printed', code: null, checkIn: 'admitted' }]);
    expect(printed.print.state).toBe('printed');
    await waitFor(() => evolis.jobs.length === before + 1, 60_000, 'the card');
    expect(evolis.jobs[before]!.errors).toEqual([]);
    expect(evolis.jobs[before]!.sides).toEqual(['front']);
    // The server has the print (pushed) and the check-in (claimed): the gate refuses a second entry.
    await waitFor(async () => (await serverDetails(t.id)).prints.length === 1 && desk.outbox.count() === 0, 60_000, 'the print pushed');
    const a = await serverDetails(t.id);
    expect(a).toMatchObject({ checkedIn: true, printCount: 1, prints: [{ terminal: 'Badge desk 1', operatorName: 'Badge desk', reprint: false, reason: null }] });
    await waitFor(() => gate.checkins.history(t.id).length > 0, 60_000, 'the check-in at the gate');
    expect(await gate.dispatch('gatekeeper', 'gate.scan', { code: t.code })).toMatchObject({ ok: true, value: { admitted: false, reason: 'already_used' } });
  });

  it('asks for a reason for a second print within the window, then prints it as a reprint with the reason', async () => {
    const before = evolis.jobs.length;
    expect(await desk.dispatch('badge', 'badgeDesk.print', { ticketIds: [printedTicket], requestId: uuidv7() })).toMatchObject({
      ok: false,
      error: { code: 'reprint_reason_required' },
    });
    expect(evolis.jobs.length).toBe(before);
    const printed = await call<Printed>('badgeDesk.print', { ticketIds: [printedTicket], requestId: uuidv7(), reason: 'badge lost' });
    expect(printed.results).toEqual([{ ticketId: printedTicket, outcome: 'printed', code: null, checkIn: 'already' }]);
    await waitFor(() => evolis.jobs.length === before + 1, 60_000, 'the second card');
    await waitFor(async () => (await serverDetails(printedTicket)).prints.length === 2, 60_000, 'the reprint pushed');
    expect((await serverDetails(printedTicket)).prints[1]).toMatchObject({ reprint: true, reason: 'badge lost', operatorName: 'Badge desk' });
    expect(audited('badge_print')[0]).toMatchObject({ subject: printedTicket, detail: { reason: 'badge lost', approvedBy: null, result: 'ok', printed: 1 } });
  });

  it("asks a manager's PIN when the event says so: without it approval_required, a wrong PIN refused, the right one prints", async () => {
    await admin('PUT', `/events/${eventId}/badge-settings`, { reprintWindowS: 3600, reprintNeedsPin: true, printChecksIn: true });
    await waitFor(async () => (await call<{ settings: { reprintNeedsPin: boolean } }>('badgeDesk.state', {})).settings.reprintNeedsPin, 60_000, 'the settings replicated');
    const before = evolis.jobs.length;
    const base = { ticketIds: [printedTicket], reason: 'printed crooked' };
    expect(await desk.dispatch('badge', 'badgeDesk.print', { ...base, requestId: uuidv7() })).toMatchObject({ ok: false, error: { code: 'approval_required' } });
    expect(await desk.dispatch('badge', 'badgeDesk.print', { ...base, requestId: uuidv7(), approval: { managerId, pin: '123456' } })).toMatchObject({
      ok: false,
      error: { code: 'bad_pin' },
    });
    expect(evolis.jobs.length).toBe(before);
    const printed = await call<Printed>('badgeDesk.print', { ...base, requestId: uuidv7(), approval: { managerId, pin: '999999' } });
    expect(printed.results[0]).toMatchObject({ outcome: 'printed' });
    await waitFor(async () => (await serverDetails(printedTicket)).prints.length === 3, 60_000, 'the approved reprint pushed');
    expect((await serverDetails(printedTicket)).prints[2]).toMatchObject({ reprint: true, reason: 'printed crooked', approverName: 'Manager' });
    const [ok, bad, missing] = audited('badge_print');
    expect(ok).toMatchObject({ detail: { approvedBy: managerId, reason: 'printed crooked', result: 'ok' } });
    expect(bad).toMatchObject({ detail: { approvedBy: managerId, result: 'bad_pin' } });
    expect(missing).toMatchObject({ detail: { approvedBy: null, result: 'approval_required' } });
    // Never a PIN, right or wrong.
    for (const action of ['badge_print', 'manager_approval']) expect(JSON.stringify(audited(action))).not.toMatch(/999999|123456/);
  });

  it("prints an order's group at once, and a retry of the same request prints nothing twice", async () => {
    const group = sold[2]!.order.tickets.map((t) => t.id);
    const before = evolis.jobs.length;
    const requestId = uuidv7();
    const printed = await call<Printed>('badgeDesk.print', { ticketIds: group, requestId, checkIn: false });
    expect(printed.results).toEqual(group.map((ticketId) => ({ ticketId, outcome: 'printed', code: null, checkIn: 'none' })));
    await waitFor(() => evolis.jobs.length === before + 3, 60_000, 'three cards');
    const again = await call<Printed>('badgeDesk.print', { ticketIds: group, requestId, checkIn: false });
    expect(again).toEqual(printed);
    await waitFor(() => desk.outbox.count() === 0, 60_000, 'the prints pushed');
    expect(evolis.jobs.length).toBe(before + 3);
    for (const id of group) expect((await serverDetails(id)).prints).toHaveLength(1);
    const matches = (await call<{ matches: BadgeDeskMatch[] }>('badgeDesk.group', { ticketId: group[0]! })).matches;
    expect(matches.map((m) => [m.printCount, m.checkedIn])).toEqual([
      [1, false],
      [1, false],
      [1, false],
    ]);
  });

  it('refuses a badge for a ticket that is not valid, printing the others of the request', async () => {
    // Refund one ticket of a new order (revoked at once here), then print both.
    const order = await call<Sold>('boxOffice.sell', { lines: [{ ticketTypeId: typeId, quantity: 2 }], attendees: [{ ticketTypeId: typeId, index: 0, name: 'Refunded Person' }, { ticketTypeId: typeId, index: 1, name: 'Kept Person' }], payment: { method: 'cash', tenderedMinor: 2 * priceMinor } }, 'cashier');
    const [gone, kept] = order.order.tickets;
    await admin('POST', `/tickets/${gone!.id}/revoke`, {});
    await waitFor(() => desk.cache.revokedAt(gone!.id) !== null || desk.cache.ticketById(gone!.id)?.status !== 'valid', 60_000, 'the revocation');
    const printed = await call<Printed>('badgeDesk.print', { ticketIds: [gone!.id, kept!.id], requestId: uuidv7(), checkIn: false });
    expect(printed.results).toEqual([
      { ticketId: gone!.id, outcome: 'refused', code: 'ticket_not_valid', checkIn: 'none' },
      { ticketId: kept!.id, outcome: 'printed', code: null, checkIn: 'none' },
    ]);
  });

  it("registers a free walk-in only with a manager's approval, prints and admits them, and the gate knows the ticket after its sync", async () => {
    const created = (await admin('POST', `/events/${eventId}/ticket-types`, { name: en('Guest'), priceMinor: 0 })) as { ticketType: { id: string } };
    const freeId = created.ticketType.id;
    await admin('PUT', `/ticket-types/${freeId}/form`, {
      fields: [{ key: 'category', kind: 'text', label: en('Category'), required: true }],
    });
    await waitFor(async () => (await call<{ ticketTypes: { id: string; hasForm: boolean }[] }>('badgeDesk.walkInTypes', {})).ticketTypes.some((t) => t.id === freeId && t.hasForm), 60_000, 'the free type with its form');
    const attendee = { name: 'Walk In Guest', phone: '+49 160 5550199', answers: { category: 'Press' } };
    expect(await desk.dispatch('badge', 'badgeDesk.walkIn', { ticketTypeId: freeId, attendee, cartId: uuidv7() })).toMatchObject({ ok: false, error: { code: 'approval_required' } });
    expect(await desk.dispatch('badge', 'badgeDesk.walkIn', { ticketTypeId: freeId, attendee: { name: 'No Category' }, approval: { managerId, pin: '999999' }, cartId: uuidv7() })).toMatchObject({
      ok: false,
      error: { code: 'attendee_field_required' },
    });
    const before = evolis.jobs.length;
    const cartId = uuidv7();
    const done = await call<{ ticketId: string; orderCode: string } & Printed>('badgeDesk.walkIn', { ticketTypeId: freeId, attendee, approval: { managerId, pin: '999999' }, cartId });
    expect(done.results).toEqual([{ ticketId: done.ticketId, outcome: 'printed', code: null, checkIn: 'admitted' }]);
    await waitFor(() => evolis.jobs.length === before + 1, 60_000, 'the walk-in card');
    // A retry of the same walk-in registers and prints nothing more.
    expect(await call('badgeDesk.walkIn', { ticketTypeId: freeId, attendee, approval: { managerId, pin: '999999' }, cartId })).toEqual(done);
    expect(evolis.jobs.length).toBe(before + 1);
    // Findable at once here, with the server's details.
    expect(await call('badgeDesk.find', { query: 'walk in' })).toMatchObject({ matches: [{ ticketId: done.ticketId, checkedIn: true, printCount: 1 }] });
    expect(await call('badgeDesk.find', { query: '0199' })).toMatchObject({ by: 'phone', matches: [{ ticketId: done.ticketId }] });
    expect(await serverDetails(done.ticketId)).toMatchObject({ category: 'Press', answers: { category: 'Press' }, orderCode: done.orderCode });
    // The gate knows the ticket after its sync, and that it is inside.
    await waitFor(() => gate.cache.ticketById(done.ticketId) !== undefined && gate.checkins.history(done.ticketId).length > 0, 60_000, 'the walk-in at the gate');
    const code = gate.cache.ticketById(done.ticketId)!.code;
    expect(await gate.dispatch('gatekeeper', 'gate.scan', { code })).toMatchObject({ ok: true, value: { admitted: false, reason: 'already_used' } });
    expect(audited('badge_walk_in').find((e) => e.detail['result'] === 'ok')).toMatchObject({ subject: done.ticketId, detail: { approvedBy: managerId, payment: 'free', orderCode: done.orderCode } });
  });

  it('registers a paid walk-in through the sale path and prints their badge', async () => {
    const before = evolis.jobs.length;
    const done = await call<{ ticketId: string; orderCode: string } & Printed>('badgeDesk.walkIn', {
      ticketTypeId: typeId,
      attendee: { name: 'Paying Visitor' },
      payments: [{ method: 'cash', tenderedMinor: priceMinor }],
      cartId: uuidv7(),
    });
    expect(done.results[0]).toMatchObject({ outcome: 'printed', checkIn: 'admitted' });
    await waitFor(() => evolis.jobs.length === before + 1, 60_000, 'the paid walk-in card');
    expect(await serverDetails(done.ticketId)).toMatchObject({ name: 'Paying Visitor', paid: true, status: 'valid' });
  });

  it('counts prints and reprints per attendee and per operator for managers', async () => {
    expect(await loginAs(desk, 'manager', { role: 'manager' }, '999999')).toMatchObject({ ok: true });
    expect(await desk.dispatch('badge', 'badgeDesk.reprints', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const counts = await call<{ byAttendee: { ticketId: string; prints: number; reprints: number }[]; byOperator: { name: string | null; prints: number; reprints: number }[] }>(
      'badgeDesk.reprints',
      {},
      'manager',
    );
    expect(counts.byAttendee[0]).toMatchObject({ ticketId: printedTicket, prints: 3, reprints: 2 });
    expect(counts.byOperator[0]).toMatchObject({ name: 'Badge desk', reprints: 2 });
    expect(counts.byOperator[0]!.prints).toBeGreaterThanOrEqual(8);
  });
});
