// A check-in's time is judged against its event as well as the server's clock, through the real HTTP
// stack on PGlite and PostgreSQL: dated a week before an event that starts tomorrow, or days after one
// that ended, it is refused as implausible_time (a claim with 400, a pushed record on its own while the
// rest of the batch applies) and nothing is written; inside the event's window with its margins, it is
// accepted. The window itself (event run, ticket validity, margins) is checked on the pure helper.
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type AdminEvent, PushResponse } from '../../domain/wire';
import type { AdmitServer } from '../../server/src/app';
import { checkins, events } from '../../server/src/db/schema';
import { seedDemo } from '../../server/src/services/demo';
import { EVENT_EARLY_MARGIN_MS, EVENT_LATE_MARGIN_MS, outsideEvent } from '../../server/src/services/recordTimes';
import { type Backend, backends, call, expectError, makeServer, openBackend, sell, uuidv7 } from './harness';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();

describe('the event window of a check-in', () => {
  const window = { eventId: 'e', startsAt: '2030-06-10T10:00:00.000Z', endsAt: '2030-06-12T22:00:00.000Z', validFrom: null, validTo: null };
  const start = Date.parse(window.startsAt);
  const end = Date.parse(window.endsAt);

  it('allows the margins before the start and after the end, and nothing beyond', () => {
    expect(outsideEvent(iso(start - EVENT_EARLY_MARGIN_MS), window)).toBeNull();
    expect(outsideEvent(iso(end + EVENT_LATE_MARGIN_MS), window)).toBeNull();
    expect(outsideEvent(iso(start - EVENT_EARLY_MARGIN_MS - 1000), window)).toMatch(/^implausible_time: .* before event e starts/);
    expect(outsideEvent(iso(end + EVENT_LATE_MARGIN_MS + 1000), window)).toMatch(/^implausible_time: .* after event e ends/);
    expect(outsideEvent('not a time', window)).toMatch(/^implausible_time/);
  });

  it("widens by the ticket's own validity, never narrows", () => {
    const early = iso(start - 5 * DAY);
    const late = iso(end + 5 * DAY);
    expect(outsideEvent(early, window)).not.toBeNull();
    expect(outsideEvent(early, { ...window, validFrom: iso(start - 5 * DAY) })).toBeNull();
    expect(outsideEvent(late, { ...window, validTo: iso(end + 5 * DAY) })).toBeNull();
    // A ticket valid for one evening of the run: a scan on another day is the rules' business, not implausible.
    expect(outsideEvent(iso(end - HOUR), { ...window, validFrom: window.startsAt, validTo: iso(start + 12 * HOUR) })).toBeNull();
  });
});

describe.each(backends)('check-ins dated outside their event on %s', (backendName) => {
  let backend: Backend;
  let server: AdmitServer;
  let gate: { token: string };
  let soon: AdminEvent;
  let past: AdminEvent;

  beforeAll(async () => {
    backend = await openBackend(backendName);
  });
  afterAll(async () => {
    await backend?.close();
  });
  beforeEach(async () => {
    server = makeServer(backend);
    const now = Date.now();
    const make = (name: string, startsAt: number, endsAt: number) =>
      server.admin.createEvent({
        name: { en: name },
        startsAt: iso(startsAt),
        endsAt: iso(endsAt),
        timezone: 'UTC',
        currency: 'EUR',
        ticketTypes: [{ name: { en: 'General' }, priceMinor: 1000, capacity: null }],
      });
    soon = await make('Starts tomorrow', now + 12 * HOUR, now + 2 * DAY);
    past = await make('Ended three days ago', now - 5 * DAY, now - 3 * DAY);
    const { code } = await server.admin.createPairingCode({ eventIds: [soon.id, past.id] });
    const res = await call(server.app, 'POST', '/v1/pair', { body: { code, name: 'Gate' } });
    expect(res.status).toBe(200);
    gate = { token: res.json.token as string };
  });
  afterEach(async () => {
    await server.close();
  });

  const countFor = (ticketId: string) => backend.handle.db.$count(checkins, eq(checkins.ticketId, ticketId));
  const claim = (ticketId: string, at: string) =>
    call(server.app, 'POST', '/v1/checkins/claim', { token: gate.token, body: { checkinId: uuidv7(), ticketId, at } });
  const push = async (records: unknown[]) => {
    const res = await call(server.app, 'POST', '/v1/push', { token: gate.token, body: { records } });
    expect(res.status).toBe(200);
    return PushResponse.parse(res.json).results;
  };

  it('refuses a claim dated a week before an event that starts tomorrow (400) and writes nothing; one dated now is accepted', async () => {
    const [t1, t2] = (await sell(server, gate.token, soon.id, soon.ticketTypes[0]!.id, 2)).tickets;
    const weekBefore = iso(Date.now() - 6 * DAY);
    const refused = await claim(t1!.id, weekBefore);
    expectError(refused, 400, 'implausible_time');
    expect(refused.json.error.detail).toMatch(/before event .* starts/);
    expect(await countFor(t1!.id)).toBe(0);
    // The server's own clock limits (7 days back) would have let it through: it is the event that refuses it.
    expect(Date.parse(weekBefore)).toBeGreaterThan(Date.now() - 7 * DAY);

    // Twelve hours before the doors: inside the margin, admitted — and the ticket is used from then on.
    const ok = await claim(t2!.id, iso(Date.now()));
    expect(ok.status).toBe(200);
    expect(ok.json.status).toBe('accepted');
    expect(await countFor(t2!.id)).toBe(1);
  });

  it('refuses a claim dated days after its event ended', async () => {
    const [t] = (await sell(server, gate.token, past.id, past.ticketTypes[0]!.id, 1)).tickets;
    const refused = await claim(t!.id, iso(Date.now()));
    expectError(refused, 400, 'implausible_time');
    expect(refused.json.error.detail).toMatch(/after event .* ends/);
    expect(await countFor(t!.id)).toBe(0);
    // Dated during the event (an outbox that was offline for days): accepted.
    const during = await claim(t!.id, iso(Date.now() - 4 * DAY));
    expect(during.json.status).toBe('accepted');
  });

  it('refuses the badly dated records of a pushed batch one by one; the rest apply', async () => {
    const [t1, t2] = (await sell(server, gate.token, soon.id, soon.ticketTypes[0]!.id, 2)).tickets;
    const [t3, t4] = (await sell(server, gate.token, past.id, past.ticketTypes[0]!.id, 2)).tickets;
    const early = { id: uuidv7(), kind: 'checkin', ticketId: t1!.id, at: iso(Date.now() - 6 * DAY) };
    const good = { id: uuidv7(), kind: 'checkin', ticketId: t2!.id, at: iso(Date.now()) };
    const late = { id: uuidv7(), kind: 'checkin', ticketId: t3!.id, at: iso(Date.now() - HOUR) };
    const during = { id: uuidv7(), kind: 'checkin', ticketId: t4!.id, at: iso(Date.now() - 4 * DAY) };
    const results = await push([early, good, late, during]);
    expect(results.map((r) => [r.id, r.status])).toEqual([
      [early.id, 'invalid'],
      [good.id, 'accepted'],
      [late.id, 'invalid'],
      [during.id, 'accepted'],
    ]);
    expect(results[0]!.detail).toMatch(/^implausible_time: .* before event .* starts/);
    expect(results[2]!.detail).toMatch(/^implausible_time: .* after event .* ends/);
    expect(await countFor(t1!.id)).toBe(0);
    expect(await countFor(t3!.id)).toBe(0);
    expect(await countFor(t2!.id)).toBe(1);
    expect(await countFor(t4!.id)).toBe(1);
    // The refused ticket is still unused: a check-in dated inside the window admits it.
    expect((await push([{ ...early, id: uuidv7(), at: iso(Date.now()) }]))[0]!.status).toBe('accepted');
  });

  it('moves a demo started again after its days have run to today, so its gates are not refused', async () => {
    const keyring = await server.keyring();
    const longAgo = new Date(Date.now() - 10 * DAY);
    const first = await seedDemo(backend.handle.db, keyring, { tickets: 10 }, longAgo);
    const runOf = async () => (await backend.handle.db.select().from(events).where(eq(events.id, first.eventId)))[0]!;
    expect((await runOf()).endsAt.getTime()).toBeLessThan(Date.now() - 6 * DAY);
    const now = new Date();
    const again = await seedDemo(backend.handle.db, keyring, { tickets: 10 }, now);
    expect(again.created).toBe(false);
    const run = await runOf();
    expect(run.startsAt.toISOString()).toBe(iso(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())));
    expect(run.endsAt.getTime()).toBeGreaterThan(now.getTime());
    // Seeding again while it runs changes nothing.
    await seedDemo(backend.handle.db, keyring, { tickets: 10 }, new Date(now.getTime() + HOUR));
    expect((await runOf()).startsAt).toEqual(run.startsAt);
  });
});
