// Whom a box-office ticket is for, at the server (PGlite and PostgreSQL): an order's attendee details are
// checked again against each type's rules (required fields, real-name, registration form) whatever the
// terminal checked, refused with a code that points at the field and nothing sold; and stored on the
// tickets as the import stores them — name, full phone and its last four digits, email, the form's
// typed answers, and the ID number only as the event's ID hash — so the gate, badge desk and kiosk
// find the attendee in the change feed.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FormFieldInput } from '../../domain/forms';
import { idNumberHash } from '../../domain/hashing';
import type { AdmitServer } from '../../server/src/app';
import { events, tickets, ticketTypes } from '../../server/src/db/schema';
import { type Backend, backends, call, createTestEvent, expectError, makeServer, openBackend, orderBody, pairTerminal } from './harness';

const TOKEN = 'test-admin-token';
const en = (text: string) => ({ en: text, 'zh-CN': `${text}（中）`, ru: `${text} (ру)` });
const FORM: FormFieldInput[] = [
  { key: 'diet', kind: 'choice', label: en('Diet'), required: true, options: [{ value: 'none', label: en('None') }, { value: 'vegan', label: en('Vegan') }] },
  { key: 'age', kind: 'number', label: en('Age'), integer: true, min: 0, max: 130 },
];

describe.each(backends)('attendee details of a sale on %s', (backendName) => {
  let backend: Backend;
  let server: AdmitServer;
  let token: string;

  beforeAll(async () => {
    backend = await openBackend(backendName);
    server = makeServer(backend);
    token = (await pairTerminal(server, 'Till')).token;
  }, 300_000);
  afterAll(async () => {
    await server?.close();
    await backend?.close();
  });

  const admin = (method: 'POST' | 'PATCH' | 'PUT', url: string, body: unknown) => call(server.app, method, url, { token: TOKEN, body });

  async function setUp() {
    const event = await createTestEvent(server, [
      { priceMinor: 5000, capacity: 100 },
      { priceMinor: 1000, capacity: 100 },
    ]);
    const [real, plain] = event.ticketTypes.map((t) => t.id) as [string, string];
    expect((await admin('PATCH', `/admin/v1/ticket-types/${real}`, { realName: true, requiredFields: ['phone'] })).status).toBe(200);
    expect((await admin('PUT', `/admin/v1/ticket-types/${real}/form`, { fields: FORM })).status).toBe(200);
    return { eventId: event.id, real, plain };
  }
  const soldOf = async (id: string) => (await backend.handle.db.select().from(ticketTypes).where(eq(ticketTypes.id, id)))[0]!.sold;

  it('stores each holder on their ticket, the ID number only as the event hash', async () => {
    const { eventId, real, plain } = await setUp();
    const body = {
      ...orderBody(eventId, [{ ticketTypeId: real, quantity: 2 }, { ticketTypeId: plain, quantity: 1 }]),
      attendees: [
        { ticketTypeId: real, index: 0, name: ' Иван Петров ', phone: '+7 (912) 345-67-89', email: 'Ivan@Example.RU', idNumber: '4510 123456', answers: { diet: 'vegan', age: '34' } },
        { ticketTypeId: real, index: 1, name: '王小明', phone: '138 0013 8000', idNumber: '11010519491231002X', answers: { diet: 'none' } },
      ],
    };
    const res = await call(server.app, 'POST', '/v1/orders', { token, body });
    expect(res.status).toBe(200);
    const rows = await backend.handle.db.select().from(tickets).where(eq(tickets.orderId, body.orderId));
    const [event] = await backend.handle.db.select().from(events).where(eq(events.id, eventId));
    const ivan = rows.find((t) => t.attendeeName === 'Иван Петров')!;
    expect(ivan).toMatchObject({ phone: '+79123456789', phoneLast4: '6789', email: 'Ivan@example.ru', answers: { diet: 'vegan', age: 34 }, channel: 'box_office' });
    expect(ivan.idHash).toBe(await idNumberHash('4510 123456', event!.idSalt));
    const wang = rows.find((t) => t.attendeeName === '王小明')!;
    expect(wang).toMatchObject({ phoneLast4: '8000', email: null, answers: { diet: 'none' } });
    expect(wang.idHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows)).not.toContain('11010519491231002X');
    const anonymous = rows.find((t) => t.ticketTypeId === plain)!;
    expect(anonymous).toMatchObject({ attendeeName: null, phoneLast4: null, idHash: null });
    // The terminals' feed carries what lookups need: name, last four digits, ID hash.
    const fed = res.json.tickets.find((t: { id: string }) => t.id === ivan.id);
    expect(fed).toMatchObject({ attendeeName: 'Иван Петров', phoneLast4: '6789', idHash: ivan.idHash });
  });

  it('refuses missing or invalid details with a pointer to the field, nothing sold', async () => {
    const { eventId, real, plain } = await setUp();
    const attempt = async (attendees: unknown[], lines = [{ ticketTypeId: real, quantity: 1 }]) => {
      const res = await call(server.app, 'POST', '/v1/orders', { token, body: { ...orderBody(eventId, lines), attendees } });
      return { status: res.status, code: res.json.error?.code, detail: res.json.error?.detail as string };
    };
    // No details at all for a real-name ticket: the terminal's word is not taken.
    const none = await attempt([]);
    expect(none).toMatchObject({ status: 400, code: 'attendee_field_required' });
    expect(none.detail).toContain(`${real}/0/name: required`);
    expect(none.detail).toContain(`${real}/0/idNumber: required`);
    expect(none.detail).toContain(`${real}/0/answers.diet: required`);
    const good = { ticketTypeId: real, index: 0, name: 'A', phone: '+4915112345678', idNumber: 'C01X00T47', answers: { diet: 'none' } };
    expect(await attempt([{ ...good, phone: 'call me' }])).toMatchObject({ status: 400, code: 'attendee_field_invalid', detail: `${real}/0/phone: bad_phone` });
    expect(await attempt([{ ...good, email: 'not-an-address' }])).toMatchObject({ code: 'attendee_field_invalid', detail: `${real}/0/email: bad_email` });
    expect(await attempt([{ ...good, answers: { diet: 'fish' } }])).toMatchObject({ code: 'attendee_field_invalid', detail: `${real}/0/answers.diet: not_an_option` });
    expect(await attempt([{ ...good, answers: { diet: 'none', age: 200 } }])).toMatchObject({ code: 'attendee_field_invalid', detail: `${real}/0/answers.age: out_of_range` });
    expect(await attempt([good, { ...good, index: 1 }])).toMatchObject({ code: 'attendee_field_invalid', detail: `${real}/1: no_such_ticket` });
    expect(await attempt([good, good])).toMatchObject({ code: 'attendee_field_invalid', detail: `${real}/0: duplicate` });
    expectError(
      await call(server.app, 'POST', '/v1/orders', { token, body: { ...orderBody(eventId, [{ ticketTypeId: real, quantity: 1 }]), attendees: [{ ...good, idNumber: 'x'.repeat(65) }] } }),
      400,
      'bad_request',
    );
    expect(await soldOf(real)).toBe(0);
    // A type that asks for nothing sells without details, as before.
    expect((await attempt([], [{ ticketTypeId: plain, quantity: 2 }])).status).toBe(200);
    expect((await attempt([good])).status).toBe(200);
    expect(await soldOf(real)).toBe(1);
  });
});
