// The demo festival's badge desk (PGlite in process): seeded with a default CR80 template and a red-banded
// speakers' template that pass the template check, the default badge settings, and attendees to try the
// desk with — a Chinese, a Russian and a 40-character name with company, title and category, full phone
// numbers behind the search digits the tickets already had, and a group of three sharing one order —
// while the demo's ticket counts stay as they were; seeding again keeps an admin's changes.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminBadgesResponse, BadgeAttendeeDetails } from '../../domain/badge-wire';
import { checkBadgeTemplate } from '../../domain/badge-template';
import type { AdmitServer } from '../../server/src/app';
import { tickets } from '../../server/src/db/schema';
import { DEMO_EVENT_ID, demoPhoneLast4 } from '../../server/src/services/demo';
import { DEMO_BADGE_TEMPLATE_IDS, DEMO_GROUP_ORDER_ID, DEMO_SPEAKER_RED } from '../../server/src/services/demo-badges';
import { type Backend, call, type Json, makeServer, openBackend, pairTerminal } from './harness';

const ADMIN = 'test-admin-token';

describe('the demo festival at the badge desk', () => {
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

  it('seeds templates, settings and attendees with company, title, category, phones and a group', async () => {
    const seeded = await server.admin.seedDemo({ tickets: 200 });
    expect(seeded.created).toBe(true);
    const rows = await backend.handle.db.select().from(tickets).where(eq(tickets.eventId, DEMO_EVENT_ID));
    // The demo's counts are as before: 200 tickets, every 10th named with search digits.
    expect(rows).toHaveLength(200);
    expect(rows.filter((r) => r.attendeeName !== null)).toHaveLength(20);
    expect(rows.filter((r) => r.phoneLast4 !== null)).toHaveLength(20);

    const listed = AdminBadgesResponse.parse((await call(server.app, 'GET', `/admin/v1/events/${DEMO_EVENT_ID}/badges`, { token: ADMIN })).json);
    expect(listed.templates.map((t) => [t.id, t.name, t.isDefault, t.categories])).toEqual([
      [DEMO_BADGE_TEMPLATE_IDS.speaker, 'Speaker', false, ['Speaker']],
      [DEMO_BADGE_TEMPLATE_IDS.standard, 'Standard', true, []],
    ]);
    for (const t of listed.templates) expect(checkBadgeTemplate(t.template).ok).toBe(true);
    const speaker = listed.templates[0]!.template as Json;
    expect(speaker.stock).toEqual({ kind: 'cr80', orientation: 'landscape' });
    expect(speaker.elements[0].find((e: Json) => e.type === 'band')).toMatchObject({ colour: DEMO_SPEAKER_RED, label: 'category' });
    expect(speaker.elements[0].map((e: Json) => e.source?.field ?? e.type)).toEqual(['name', 'company', 'title', 'code', 'band']);
    expect(listed.settings).toEqual({ reprintWindowS: 86_400, reprintNeedsPin: false, printChecksIn: true });
    expect(listed.categories).toEqual(['Attendee', 'Crew', 'Exhibitor', 'Press', 'Speaker']);
    expect(listed.samples[0]).toMatchObject({ key: 'longest', name: 'Maximilian Alexander von Hohenberg-Lutze', category: 'Exhibitor' });
    expect(listed.samples[0]!.name).toHaveLength(40);

    const byName = (name: string) => rows.find((r) => r.attendeeName === name)!;
    const zhang = byName('张三丰');
    expect(zhang).toMatchObject({ company: '武当山科技有限公司', title: '首席执行官', answers: { category: 'Speaker' }, phoneLast4: demoPhoneLast4(30) });
    expect(zhang.phone!.endsWith(zhang.phoneLast4!)).toBe(true);
    expect(byName('Иванов Пётр')).toMatchObject({ answers: { category: 'Press' }, phoneLast4: demoPhoneLast4(50) });
    const group = rows.filter((r) => r.orderId === DEMO_GROUP_ORDER_ID);
    expect(group.map((r) => r.attendeeName).sort()).toEqual(['Lukas Becker', 'Mei Tanaka', 'Sophie Laurent']);
    expect(new Set(group.map((r) => r.orderCode)).size).toBe(1);
    expect(group[0]!.orderCode).toMatch(/^[A-Z0-9]{6}$/);

    // A desk of the demo sees the templates in its feed and the attendee's details masked.
    const desk = await pairTerminal(server, 'Demo badge desk');
    await server.admin.setDeviceEvents(desk.deviceId, [DEMO_EVENT_ID]);
    const page = await call(server.app, 'GET', '/v1/changes?since=0&limit=20000&with=badge_template,badge_settings,badge_print', { token: desk.token });
    expect(page.json.changes.filter((c: Json) => c.kind === 'badge_template').map((c: Json) => c.row.id).sort()).toEqual(
      [DEMO_BADGE_TEMPLATE_IDS.standard, DEMO_BADGE_TEMPLATE_IDS.speaker].sort(),
    );
    expect(page.json.changes.filter((c: Json) => c.kind === 'badge_settings')).toHaveLength(1);
    const details = BadgeAttendeeDetails.parse((await call(server.app, 'GET', `/v1/badges/attendees/${zhang.id}`, { token: desk.token })).json);
    expect(details).toMatchObject({ name: '张三丰', category: 'Speaker', phoneMasked: `+86 ••• •• ${demoPhoneLast4(30)}`, emailMasked: 'zh•••@example.com' });
  });

  it('keeps an admin\'s change to a demo template when the demo starts again', async () => {
    const saved = await call(server.app, 'PUT', `/admin/v1/badge-templates/${DEMO_BADGE_TEMPLATE_IDS.standard}`, {
      token: ADMIN,
      body: { eventId: DEMO_EVENT_ID, name: 'Renamed', isDefault: true, template: (await call(server.app, 'GET', `/admin/v1/events/${DEMO_EVENT_ID}/badges`, { token: ADMIN })).json.templates[1].template, baseVersion: 1 },
    });
    expect(saved.status).toBe(200);
    expect((await server.admin.seedDemo({ tickets: 200 })).created).toBe(false);
    const listed = (await call(server.app, 'GET', `/admin/v1/events/${DEMO_EVENT_ID}/badges`, { token: ADMIN })).json;
    expect(listed.templates.map((t: Json) => [t.name, t.version])).toEqual([
      ['Renamed', 2],
      ['Speaker', 1],
    ]);
  });
});
