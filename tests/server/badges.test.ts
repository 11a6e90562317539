// The badge desk at the server (PGlite in process, and PostgreSQL), through its HTTP API: an admin saves, replaces and
// deletes an event's badge templates (each save one version more and audited; a stale save, a layout off
// the card, a font not shipped, an image too large or a foreign ticket type refused with nothing
// written), sets the event's badge settings, and previews with the event's longest name and its
// attendees' categories; the change feed carries templates, settings and prints only to terminals that
// ask for them and serve their event; terminals push badge prints, kept once by id and replicated, an
// unknown approver refused; the desk fetches an attendee's details with phone and email masked (refused
// to a terminal of another event) and corrects a misspelt name, audited and replicated.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminBadgesResponse, BadgeAttendeeDetails, BadgeTemplateRefusal, BadgeTemplateSaved } from '../../domain/badge-wire';
import { defaultBadgeTemplate, MAX_IMAGE_BYTES } from '../../domain/badge-template';
import type { FormFieldInput } from '../../domain/forms';
import type { AdmitServer } from '../../server/src/app';
import { ADMIN_SESSION_HEADER } from '../../server/src/admin/sessions-schemas';
import { badgePrints, badgeTemplates, tickets } from '../../server/src/db/schema';
import { type Backend, backends, call, createTestEvent, expectError, type Json, makeServer, openBackend, orderBody, pairTerminal, uuidv7 } from './harness';

const ADMIN = 'test-admin-token';
const en = (text: string) => ({ en: text, 'zh-CN': `${text}（中）`, ru: `${text} (ру)` });
const FORM: FormFieldInput[] = [{ key: 'category', kind: 'text', label: en('Category') }];
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** A valid one-sided CR80 layout, with `extra` elements on its front. */
const layout = (extra: unknown[] = []) => {
  const t = defaultBadgeTemplate();
  return { ...t, elements: [[...t.elements[0]!, ...extra]] };
};

describe.each(backends)('the badge desk at the server on %s', (backendName) => {
  let backend: Backend;
  let server: AdmitServer;
  let desk: { deviceId: string; token: string };
  let stranger: { deviceId: string; token: string };
  let badgeOp: string;
  let gateOp: string;
  let managerId: string;
  let retiredManager: string;

  beforeAll(async () => {
    backend = await openBackend(backendName);
    server = makeServer(backend);
    await server.app.ready();
    desk = await pairTerminal(server, 'Badge desk');
    stranger = await pairTerminal(server, 'Other event desk');
    const ops = await server.admin.createOperators([
      { name: 'Bea Badge', role: 'badge', pin: '334455' },
      { name: 'Gus Gate', role: 'gate', pin: '223344' },
      { name: 'Mo Manager', role: 'manager', pin: '99887766' },
      { name: 'Ex Manager', role: 'manager', pin: '88776655' },
    ]);
    [badgeOp, gateOp, managerId, retiredManager] = ops.map((o) => o.id) as [string, string, string, string];
    await server.admin.updateOperator(retiredManager, { active: false });
  }, 300_000);
  afterAll(async () => {
    await server?.close();
    await backend?.close();
  });

  const admin = (method: 'GET' | 'PUT' | 'DELETE' | 'POST', url: string, body?: unknown) => call(server.app, method, url, { token: ADMIN, body });
  const saveTemplate = (id: string, body: Json) => admin('PUT', `/admin/v1/badge-templates/${id}`, body);
  const entries = async (action: string, subject?: string) =>
    (await server.admin.listAuditEntries({ chain: 'server', limit: 1000 })).filter((e) => e.action === action && (subject === undefined || e.subject === subject));
  const pullAll = async (token: string, withKinds: string) => {
    const seen: { seq: number; kind: string; row: Json }[] = [];
    let since = 0;
    for (;;) {
      const page = await call(server.app, 'GET', `/v1/changes?since=${since}${withKinds ? `&with=${withKinds}` : ''}`, { token });
      expect(page.status).toBe(200);
      seen.push(...page.json.changes);
      since = page.json.next;
      if (!page.json.more) return seen;
    }
  };

  /** An event the desk serves (and the stranger does not), its ticket type with a category form, and a
   *  second event only the stranger serves. */
  async function setUp() {
    const event = await createTestEvent(server, [
      { priceMinor: 1000, capacity: 100 },
      { priceMinor: 2000, capacity: 100 },
    ]);
    const other = await createTestEvent(server);
    await server.admin.setDeviceEvents(desk.deviceId, [...(await server.admin.listDevices()).find((d) => d.id === desk.deviceId)!.eventIds.filter((e) => e !== other.id)]);
    await server.admin.setDeviceEvents(stranger.deviceId, [other.id]);
    for (const t of event.ticketTypes) expect((await admin('PUT', `/admin/v1/ticket-types/${t.id}/form`, { fields: FORM })).status).toBe(200);
    return { event, other, typeId: event.ticketTypes[0]!.id, typeId2: event.ticketTypes[1]!.id };
  }

  /** Sells the attendees one order (a group) at the desk; answers with their tickets in the given order. */
  async function sellAttendees(eventId: string, typeId: string, attendees: Json[]) {
    const body = {
      ...orderBody(eventId, [{ ticketTypeId: typeId, quantity: attendees.length }]),
      attendees: attendees.map((a, index) => ({ ticketTypeId: typeId, index, ...a })),
    };
    const res = await call(server.app, 'POST', '/v1/orders', { token: desk.token, body });
    expect(res.status).toBe(200);
    const rows = await backend.handle.db.select().from(tickets).where(eq(tickets.orderId, body.orderId));
    return attendees.map((a) => rows.find((r) => r.attendeeName === (a.name ?? null))!);
  }

  it('saves, replaces and deletes templates, one version per save, each audited and refused when stale', async () => {
    const { event, typeId } = await setUp();
    const id = uuidv7();
    const created = await saveTemplate(id, { eventId: event.id, name: 'Standard', isDefault: true, template: layout() });
    expect(created.status).toBe(200);
    const saved = BadgeTemplateSaved.parse(created.json);
    expect(saved.template).toMatchObject({ id, eventId: event.id, name: 'Standard', isDefault: true, version: 1, ticketTypeIds: [], categories: [] });

    const replaced = await saveTemplate(id, { eventId: event.id, name: 'Standard', ticketTypeIds: [typeId], categories: ['Speaker'], template: layout(), baseVersion: 1 });
    expect(replaced.status).toBe(200);
    expect(replaced.json.template).toMatchObject({ version: 2, ticketTypeIds: [typeId], categories: ['Speaker'], isDefault: false });

    // Another admin's designer still at version 1: refused, nothing written.
    const stale = await saveTemplate(id, { eventId: event.id, name: 'Lost change', template: layout(), baseVersion: 1 });
    expectError(stale, 409, 'conflict');
    const listed = AdminBadgesResponse.parse((await admin('GET', `/admin/v1/events/${event.id}/badges`)).json);
    expect(listed.templates).toEqual([expect.objectContaining({ id, name: 'Standard', version: 2 })]);

    // Saved under another event: a conflict, not a silent move.
    expectError(await saveTemplate(id, { eventId: (await createTestEvent(server)).id, name: 'Moved', template: layout() }), 409, 'conflict');

    expect((await entries('badge_template_saved', id)).map((e) => JSON.parse(e.detail).version)).toEqual([2, 1]);

    const deleted = await admin('DELETE', `/admin/v1/badge-templates/${id}?eventId=${event.id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.json).toEqual({ id });
    expect((await admin('GET', `/admin/v1/events/${event.id}/badges`)).json.templates).toEqual([]);
    const [row] = await backend.handle.db.select().from(badgeTemplates).where(eq(badgeTemplates.id, id));
    expect(row).toMatchObject({ active: false, version: 3 });
    // Deleting again changes nothing; an unknown template or the wrong event is not found.
    expect((await admin('DELETE', `/admin/v1/badge-templates/${id}?eventId=${event.id}`)).status).toBe(200);
    expect(await entries('badge_template_deleted', id)).toHaveLength(1);
    expectError(await admin('DELETE', `/admin/v1/badge-templates/${uuidv7()}?eventId=${event.id}`), 404, 'not_found');
    expectError(await admin('DELETE', `/admin/v1/badge-templates/${id}?eventId=${uuidv7()}`), 404, 'not_found');
    expectError(await admin('DELETE', `/admin/v1/badge-templates/${id}`), 400, 'bad_request');
  });

  it('refuses a layout that fails its check with every problem named, and foreign ticket types, nothing written', async () => {
    const { event, other } = await setUp();
    const id = uuidv7();
    const refused = async (template: unknown, reason: string) => {
      const res = await saveTemplate(id, { eventId: event.id, name: 'Bad', template });
      expectError(res, 422, 'badge_template_invalid');
      const body = BadgeTemplateRefusal.parse(res.json);
      expect(body.problems.map((p) => p.reason)).toContain(reason);
      return body.problems;
    };
    const offCard = await refused(layout([{ type: 'text', x: 70, y: 10, width: 30, height: 10, source: { kind: 'field', field: 'title' }, maxSizePt: 12, minSizePt: 8 }]), 'element_off_stock');
    expect(offCard).toEqual([expect.objectContaining({ reason: 'element_off_stock', side: 0, index: 5 })]);
    await refused(layout([{ type: 'text', x: 1, y: 1, width: 20, height: 5, source: { kind: 'field', field: 'title' }, font: 'Comic Sans MS', maxSizePt: 12, minSizePt: 8 }]), 'font_missing');
    const big = new Uint8Array(MAX_IMAGE_BYTES + 1);
    big.set(PNG_MAGIC);
    await refused(layout([{ type: 'image', x: 1, y: 1, width: 10, height: 10, data: Buffer.from(big).toString('base64') }]), 'image_too_large');
    await refused({ name: 'Not a template' }, 'invalid');

    const foreign = await saveTemplate(id, { eventId: event.id, name: 'Foreign', ticketTypeIds: [other.ticketTypes[0]!.id], template: layout() });
    expectError(foreign, 400, 'bad_request');
    expect(foreign.json.error.detail).toContain(other.ticketTypes[0]!.id);
    expect(await backend.handle.db.select().from(badgeTemplates).where(eq(badgeTemplates.id, id))).toEqual([]);
    expect(await entries('badge_template_saved', id)).toEqual([]);
  });

  it('keeps an event\'s badge settings, defaults first', async () => {
    const { event } = await setUp();
    expect((await admin('GET', `/admin/v1/events/${event.id}/badges`)).json.settings).toEqual({ reprintWindowS: 86_400, reprintNeedsPin: false, printChecksIn: true });
    const put = await admin('PUT', `/admin/v1/events/${event.id}/badge-settings`, { reprintWindowS: 600, reprintNeedsPin: true, printChecksIn: false });
    expect(put.status).toBe(200);
    expect(put.json).toEqual({ reprintWindowS: 600, reprintNeedsPin: true, printChecksIn: false });
    expect((await admin('GET', `/admin/v1/events/${event.id}/badges`)).json.settings).toEqual(put.json);
    expect(await entries('badge_settings_saved', event.id)).toHaveLength(1);
    expectError(await admin('PUT', `/admin/v1/events/${event.id}/badge-settings`, { reprintWindowS: -1, reprintNeedsPin: true, printChecksIn: false }), 400, 'bad_request');
    expectError(await admin('PUT', `/admin/v1/events/${event.id}/badge-settings`, { reprintWindowS: '600' }), 400, 'bad_request');
    expectError(await admin('PUT', `/admin/v1/events/${uuidv7()}/badge-settings`, { reprintWindowS: 0, reprintNeedsPin: false, printChecksIn: true }), 404, 'not_found');
    expect((await admin('GET', `/admin/v1/events/${event.id}/badges`)).json.settings).toEqual(put.json);
    expect(await entries('badge_settings_saved', event.id)).toHaveLength(1);
  });

  it('previews with the longest name of the event (a 40-character name before any) and lists its categories', async () => {
    const { event, typeId } = await setUp();
    const before = AdminBadgesResponse.parse((await admin('GET', `/admin/v1/events/${event.id}/badges`)).json);
    expect(before.samples.map((s) => s.key)).toEqual(['longest', 'chinese', 'russian']);
    expect(before.samples[0]!.name).toHaveLength(40);
    expect(before.samples.slice(1).map((s) => s.name)).toEqual(['张三丰', 'Иванов Пётр']);
    expect(before.categories).toEqual([]);

    const [, long] = await sellAttendees(event.id, typeId, [
      { name: 'Li Wei', answers: { category: 'Speaker' } },
      { name: 'Bartholomew Montgomery-Featherstonehaugh', company: 'Acme', answers: { category: ' Press ' } },
      { name: 'Ann', answers: { category: 'Speaker' } },
      { name: 'Bo', answers: {} },
    ]);
    const after = AdminBadgesResponse.parse((await admin('GET', `/admin/v1/events/${event.id}/badges`)).json);
    expect(after.samples[0]).toEqual({
      key: 'longest',
      name: 'Bartholomew Montgomery-Featherstonehaugh',
      company: 'Acme',
      title: null,
      category: 'Press',
      ticketTypeId: typeId,
      code: long!.code,
    });
    expect(after.categories).toEqual(['Press', 'Speaker']);
    expectError(await admin('GET', `/admin/v1/events/${uuidv7()}/badges`), 404, 'not_found');
    expectError(await call(server.app, 'GET', `/admin/v1/events/${event.id}/badges`, { token: desk.token }), 401, 'unauthorized');
  });

  it('feeds templates, settings and prints only to terminals that ask for them and serve their event', async () => {
    const { event, other, typeId } = await setUp();
    const [ticket] = await sellAttendees(event.id, typeId, [{ name: 'Fed Attendee' }]);
    const mine = uuidv7();
    const theirs = uuidv7();
    expect((await saveTemplate(mine, { eventId: event.id, name: 'Mine', isDefault: true, template: layout() })).status).toBe(200);
    expect((await saveTemplate(theirs, { eventId: other.id, name: 'Theirs', isDefault: true, template: layout() })).status).toBe(200);
    expect((await admin('PUT', `/admin/v1/events/${event.id}/badge-settings`, { reprintWindowS: 60, reprintNeedsPin: false, printChecksIn: true })).status).toBe(200);
    const printId = uuidv7();
    const pushed = await call(server.app, 'POST', '/v1/push', {
      token: desk.token,
      body: { records: [{ kind: 'badge_print', id: printId, ticketId: ticket!.id, eventId: event.id, operatorId: badgeOp, templateId: mine, at: new Date().toISOString(), reprint: false, reason: null, approvedBy: null }] },
    });
    expect(pushed.json.results).toEqual([{ id: printId, status: 'accepted' }]);

    const all = 'event_session,quota,form,badge_template,badge_settings,badge_print';
    const fed = (await pullAll(desk.token, all)).filter((c) => c.kind.startsWith('badge_'));
    expect(fed.filter((c) => c.kind === 'badge_template').map((c) => c.row.id)).toContain(mine);
    expect(fed.some((c) => c.kind === 'badge_template' && c.row.id === theirs)).toBe(false);
    expect(fed.find((c) => c.kind === 'badge_template' && c.row.id === mine)!.row).toMatchObject({ eventId: event.id, name: 'Mine', isDefault: true, version: 1, active: true });
    expect(fed.filter((c) => c.kind === 'badge_settings' && c.row.eventId === event.id).map((c) => c.row)).toEqual([
      { eventId: event.id, reprintWindowS: 60, reprintNeedsPin: false, printChecksIn: true },
    ]);
    expect(fed.find((c) => c.kind === 'badge_print')!.row).toEqual({
      id: printId,
      ticketId: ticket!.id,
      eventId: event.id,
      deviceId: desk.deviceId,
      operatorId: badgeOp,
      templateId: mine,
      printedAt: expect.any(String),
      reprint: false,
      reason: null,
      approvedBy: null,
    });
    // A terminal of an earlier version (asking for none of them) gets none; the stranger gets its own only.
    expect((await pullAll(desk.token, 'form')).some((c) => c.kind.startsWith('badge_'))).toBe(false);
    expect((await pullAll(desk.token, '')).some((c) => c.kind.startsWith('badge_'))).toBe(false);
    const strangers = (await pullAll(stranger.token, all)).filter((c) => c.kind.startsWith('badge_'));
    expect(strangers.map((c) => c.row.id ?? c.row.eventId)).toEqual([theirs]);

    // A deletion replicates as the template switched off.
    expect((await admin('DELETE', `/admin/v1/badge-templates/${mine}?eventId=${event.id}`)).status).toBe(200);
    const last = (await pullAll(desk.token, all)).filter((c) => c.kind === 'badge_template' && c.row.id === mine);
    expect(last.map((c) => c.row.active)).toEqual([false]);
  });

  it('keeps a pushed print once by id, and refuses an unknown approver, a foreign ticket and an unknown one', async () => {
    const { event, other, typeId } = await setUp();
    const [ticket] = await sellAttendees(event.id, typeId, [{ name: 'Printed Twice' }]);
    const at = new Date().toISOString();
    const print = (over: Json = {}) => ({ kind: 'badge_print', id: uuidv7(), ticketId: ticket!.id, eventId: event.id, operatorId: badgeOp, templateId: null, at, reprint: false, reason: null, approvedBy: null, ...over });
    const push = (token: string, records: unknown[]) => call(server.app, 'POST', '/v1/push', { token, body: { records } });
    const first = print();
    const reprint = print({ reprint: true, reason: 'Coffee spilt on it', approvedBy: managerId });
    const res = await push(desk.token, [first, reprint, first]);
    expect(res.json.results).toEqual([
      { id: first.id, status: 'accepted' },
      { id: reprint.id, status: 'accepted' },
      { id: first.id, status: 'duplicate' },
    ]);
    // The same records again (a retry after a lost answer): duplicates, nothing new.
    const seqBefore = (await backend.handle.db.select().from(badgePrints).where(eq(badgePrints.id, first.id)))[0]!.seq;
    expect((await push(desk.token, [first, reprint])).json.results.map((r: Json) => r.status)).toEqual(['duplicate', 'duplicate']);
    expect((await backend.handle.db.select().from(badgePrints).where(eq(badgePrints.ticketId, ticket!.id))).map((p) => p.seq)).toContain(seqBefore);
    expect(await backend.handle.db.select().from(badgePrints).where(eq(badgePrints.ticketId, ticket!.id))).toHaveLength(2);

    const refused = [
      print({ reprint: true, reason: 'Lost', approvedBy: gateOp }),
      print({ reprint: true, reason: 'Lost', approvedBy: retiredManager }),
      print({ reprint: true, reason: 'Lost', approvedBy: uuidv7() }),
      print({ ticketId: uuidv7() }),
      print({ eventId: other.id }),
      print({ at: '2001-01-01T00:00:00.000Z' }),
      print({ reason: 'x'.repeat(201) }),
      { ...print(), deviceId: stranger.deviceId },
    ];
    const answers = (await push(desk.token, refused)).json.results;
    expect(answers.map((r: Json) => r.status)).toEqual(Array(refused.length).fill('invalid'));
    expect(answers.slice(0, 3).map((r: Json) => r.detail.split(':')[0])).toEqual(['approval_required', 'approval_required', 'approval_required']);
    expect(answers[3].detail).toMatch(/^not_found/);
    expect(answers[5].detail).toMatch(/^implausible_time/);
    // A terminal of another event may not record prints of this one.
    const foreign = print();
    expect((await push(stranger.token, [foreign])).json.results).toEqual([{ id: foreign.id, status: 'invalid', detail: expect.stringMatching(/^forbidden_event/) }]);
    expect(await backend.handle.db.select().from(badgePrints).where(eq(badgePrints.ticketId, ticket!.id))).toHaveLength(2);

    // Both prints are the desk's, oldest first, in the attendee's details.
    const details = BadgeAttendeeDetails.parse((await call(server.app, 'GET', `/v1/badges/attendees/${ticket!.id}`, { token: desk.token })).json);
    expect(details.prints.map((p) => [p.id, p.deviceId, p.approvedBy])).toEqual([
      [first.id, desk.deviceId, null],
      [reprint.id, desk.deviceId, managerId],
    ].sort((a, b) => (a[0]! < b[0]! ? -1 : 1)));
  });

  it('shows an attendee with phone and email masked, to a terminal of their event only', async () => {
    const { event, typeId } = await setUp();
    const [zhang, ivanov, plain] = await sellAttendees(event.id, typeId, [
      { name: '张三丰', phone: '+49 151 2345 4567', email: 'anna.schmidt@example.com', company: 'Wudang GmbH', answers: { category: 'Speaker' } },
      { name: 'Иванов Пётр', phone: '+7 912 345-67-89', email: 'ab@example.ru' },
      { name: 'Plain Person' },
    ]);
    const get = (id: string, token = desk.token) => call(server.app, 'GET', `/v1/badges/attendees/${id}`, { token });
    const res = await get(zhang!.id);
    expect(res.status).toBe(200);
    const details = BadgeAttendeeDetails.parse(res.json);
    expect(details).toMatchObject({
      ticketId: zhang!.id,
      eventId: event.id,
      ticketTypeId: typeId,
      code: zhang!.code,
      status: 'valid',
      paid: true,
      orderCode: zhang!.orderCode,
      name: '张三丰',
      company: 'Wudang GmbH',
      title: null,
      category: 'Speaker',
      phoneMasked: '+49 ••• •• 4567',
      emailMasked: 'an•••@example.com',
      answers: { category: 'Speaker' },
      checkedInAt: null,
      prints: [],
    });
    expect(JSON.stringify(res.json)).not.toContain('2345');
    expect(JSON.stringify(res.json)).not.toContain('anna.schmidt');
    expect((await get(ivanov!.id)).json).toMatchObject({ phoneMasked: '+7 ••• •• 6789', emailMasked: 'a•••@example.ru', category: null });
    expect((await get(plain!.id)).json).toMatchObject({ phoneMasked: null, emailMasked: null, answers: {} });

    // Admitted at the gate: the first accepted entry is the attendee's check-in.
    const claimAt = new Date().toISOString();
    const claim = await call(server.app, 'POST', '/v1/checkins/claim', { token: desk.token, body: { checkinId: uuidv7(), ticketId: zhang!.id, at: claimAt } });
    expect(claim.json.status).toBe('accepted');
    expect((await get(zhang!.id)).json.checkedInAt).toBe(claimAt);

    expectError(await get(zhang!.id, stranger.token), 403, 'forbidden_event');
    expectError(await get(uuidv7()), 404, 'not_found');
    expectError(await get('not-a-uuid'), 400, 'bad_request');
    expectError(await call(server.app, 'GET', `/v1/badges/attendees/${zhang!.id}`, { token: 'nope' }), 401, 'unauthorized');
  });

  it('corrects a misspelt name, company and title: audited with old and new, replicated with a new change number', async () => {
    const { event, typeId } = await setUp();
    const [ticket] = await sellAttendees(event.id, typeId, [{ name: 'Jon Smiht', company: 'Acne' }]);
    const correct = (body: unknown, token = desk.token, id = ticket!.id) => call(server.app, 'POST', `/v1/badges/attendees/${id}/correct`, { token, body });
    const seqBefore = ticket!.seq;
    const since = seqBefore;

    const res = await correct({ operatorId: badgeOp, name: ' John Smith ', company: 'Acme', title: 'CTO' });
    expect(res.status).toBe(200);
    expect(BadgeAttendeeDetails.parse(res.json)).toMatchObject({ name: 'John Smith', company: 'Acme', title: 'CTO' });
    const [row] = await backend.handle.db.select().from(tickets).where(eq(tickets.id, ticket!.id));
    expect(row).toMatchObject({ attendeeName: 'John Smith', company: 'Acme', title: 'CTO' });
    expect(row!.seq).toBeGreaterThan(seqBefore);
    const [entry] = await entries('badge_corrected', ticket!.id);
    expect(JSON.parse(entry!.detail)).toMatchObject({
      eventId: event.id,
      deviceId: desk.deviceId,
      operatorId: badgeOp,
      nameOld: 'Jon Smiht',
      nameNew: 'John Smith',
      companyOld: 'Acne',
      companyNew: 'Acme',
      titleOld: null,
      titleNew: 'CTO',
    });
    const page = await call(server.app, 'GET', `/v1/changes?since=${since}`, { token: desk.token });
    expect(page.json.changes).toContainEqual(expect.objectContaining({ kind: 'ticket', seq: row!.seq, row: expect.objectContaining({ id: ticket!.id, attendeeName: 'John Smith' }) }));

    // The company taken away; the same again changes nothing and is not audited again.
    expect((await correct({ operatorId: managerId, company: '  ' })).json.company).toBeNull();
    const again = await correct({ operatorId: managerId, company: null });
    expect(again.status).toBe(200);
    expect(await entries('badge_corrected', ticket!.id)).toHaveLength(2);

    // Refused, nothing changed: an operator who may not, another event's terminal, bad input, unknown ticket.
    expectError(await correct({ operatorId: gateOp, name: 'Gate Person' }), 403, 'forbidden');
    expectError(await correct({ operatorId: retiredManager, name: 'Retired' }), 403, 'forbidden');
    expectError(await correct({ operatorId: uuidv7(), name: 'Nobody' }), 403, 'forbidden');
    expectError(await correct({ operatorId: badgeOp, name: 'Stranger' }, stranger.token), 403, 'forbidden_event');
    expectError(await correct({ operatorId: badgeOp, name: 'Ghost' }, desk.token, uuidv7()), 404, 'not_found');
    expectError(await correct({ operatorId: badgeOp }), 400, 'bad_request');
    expectError(await correct({ operatorId: badgeOp, name: '   ' }), 400, 'bad_request');
    expectError(await correct({ operatorId: badgeOp, name: 'x'.repeat(201) }), 400, 'bad_request');
    expectError(await correct({ operatorId: badgeOp, name: 42 }), 400, 'bad_request');
    expectError(await correct({ operatorId: badgeOp, name: 'Ok', idNumber: '123' }), 400, 'bad_request');
    expectError(await correct({ operatorId: 'admin', name: 'Ok' }), 400, 'bad_request');
    expectError(await correct(['not', 'an', 'object']), 400, 'bad_request');
    expectError(await correct({ operatorId: badgeOp, name: 'Nul\u0000Name' }), 400, 'bad_request');
    expectError(await correct({ operatorId: badgeOp, title: 'Line\nbreak' }), 400, 'bad_request');
    const big = await call(server.app, 'POST', `/v1/badges/attendees/${ticket!.id}/correct`, {
      token: desk.token,
      payload: JSON.stringify({ operatorId: badgeOp, name: 'x'.repeat(2_000_000) }),
    });
    expectError(big, 413, 'payload_too_large');
    const noId = await call(server.app, 'POST', `/v1/badges/attendees/${ticket!.id}/correct`, { token: desk.token, body: { operatorId: badgeOp, name: 'No Request Id' }, requestId: null });
    expect(noId.status).toBe(400);
    const [after] = await backend.handle.db.select().from(tickets).where(eq(tickets.id, ticket!.id));
    expect(after).toMatchObject({ attendeeName: 'John Smith', company: null, title: 'CTO' });
    expect(await entries('badge_corrected', ticket!.id)).toHaveLength(2);
  });

  it('takes an admin operator\'s session at a terminal, audited as theirs; the badge desk\'s session is no admin\'s', async () => {
    const { event } = await setUp();
    const [adminOp] = await server.admin.createOperators([{ name: `Ada Admin ${uuidv7().slice(-4)}`, role: 'admin', pin: '13572468' }]);
    const opened = await call(server.app, 'POST', '/v1/admin-sessions', { token: desk.token, body: { operatorId: adminOp!.id, pin: '13572468' } });
    expect(opened.status).toBe(200);
    const asAdmin = (method: 'GET' | 'PUT', url: string, body?: unknown) =>
      call(server.app, method, url, { token: desk.token, headers: { [ADMIN_SESSION_HEADER]: opened.json.token }, ...(body !== undefined ? { body } : {}) });
    const id = uuidv7();
    expect((await asAdmin('PUT', `/admin/v1/badge-templates/${id}`, { eventId: event.id, name: 'By Ada', template: layout() })).status).toBe(200);
    expect((await asAdmin('GET', `/admin/v1/events/${event.id}/badges`)).json.templates.map((t: Json) => t.id)).toContain(id);
    const [entry] = await entries('badge_template_saved', id);
    expect(entry).toMatchObject({ operatorId: adminOp!.id, deviceId: desk.deviceId });
    // The badge-desk operator cannot open one at all.
    expect((await call(server.app, 'POST', '/v1/admin-sessions', { token: desk.token, body: { operatorId: badgeOp, pin: '334455' } })).status).toBeGreaterThanOrEqual(400);
  });

  it('refuses hostile admin input with a clear code, nothing written', async () => {
    const { event } = await setUp();
    const id = uuidv7();
    const cases: [unknown, number, string][] = [
      [{ eventId: event.id, name: '', template: layout() }, 400, 'bad_request'],
      [{ eventId: event.id, name: 'x'.repeat(201), template: layout() }, 400, 'bad_request'],
      [{ eventId: event.id, name: 'Types', ticketTypeIds: 'all', template: layout() }, 400, 'bad_request'],
      [{ eventId: event.id, name: 'Types', ticketTypeIds: ['nope'], template: layout() }, 400, 'bad_request'],
      [{ eventId: event.id, name: 'Extra', template: layout(), active: false }, 400, 'bad_request'],
      [{ eventId: event.id, name: 'Version', template: layout(), baseVersion: -1 }, 400, 'bad_request'],
      [{ eventId: uuidv7(), name: 'No event', template: layout() }, 404, 'not_found'],
      [{ eventId: event.id, name: 'No layout' }, 400, 'bad_request'],
      [{ eventId: event.id, name: 'Null layout', template: null }, 422, 'badge_template_invalid'],
      [null, 400, 'bad_request'],
      [{ eventId: event.id, name: 'Nul\u0000', template: layout() }, 400, 'bad_request'],
      [{ eventId: event.id, name: 'Category', categories: ['A\tB'], template: layout() }, 400, 'bad_request'],
      [{ eventId: event.id, name: 'Free text', template: layout([{ type: 'text', x: 1, y: 1, width: 20, height: 5, source: { kind: 'free', text: { en: 'x\u0000' } }, maxSizePt: 12, minSizePt: 8 }]) }, 400, 'bad_request'],
      [{ eventId: event.id, name: 'Colours', template: layout([{ type: 'band', x: 0, y: 40, width: 80, height: 10, colours: { 'a\u0000': '#ff0000' }, maxSizePt: 12, minSizePt: 8 }]) }, 400, 'bad_request'],
    ];
    for (const [body, status, code] of cases) expectError(await saveTemplate(id, body), status, code);
    expectError(await saveTemplate('not-a-uuid', { eventId: event.id, name: 'Id', template: layout() }), 400, 'bad_request');
    expectError(await call(server.app, 'PUT', `/admin/v1/badge-templates/${id}`, { token: ADMIN, payload: JSON.stringify({ eventId: event.id, name: 'Big', template: { pad: 'x'.repeat(1_100_000) } }) }), 413, 'payload_too_large');
    expectError(await call(server.app, 'PUT', `/admin/v1/badge-templates/${id}`, { token: desk.token, body: { eventId: event.id, name: 'Terminal', template: layout() } }), 401, 'unauthorized');
    expect(await backend.handle.db.select().from(badgeTemplates).where(eq(badgeTemplates.id, id))).toEqual([]);
    expect(await entries('badge_template_saved', id)).toEqual([]);
  });
});
