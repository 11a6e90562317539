// Attendees' data on a terminal: the cache holds only the events the terminal serves (when the server
// changes them, the next pull drops the others' rows and rebuilds), and it drops names, phone digits and
// ID hashes of events that ended longer ago than the retention setting — also from rows pulled later.
// Real SQLite; the second part with the real server (PGlite) over HTTP.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Change } from '../../domain/wire';
import { createCore } from '../../electron/core/core';
import { Meta } from '../../electron/core/db/meta';
import { openLocalDb } from '../../electron/core/db/open';
import { DEFAULT_PERSONAL_DATA_RETENTION_DAYS, openCache, PERSONAL_DATA_RETENTION_KEY } from '../../electron/core/sync/cache';
import { createServer } from '../../server/src/app';
import { openServerDb } from '../../server/src/db/client';
import { openTerminalDb } from '../helpers/terminal-db';

const dir = mkdtempSync(join(tmpdir(), 'admit-personal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const DAY = 86_400_000;
const quiet = { warn: () => undefined, error: () => undefined };

const open = (file: string) => {
  const sql = openLocalDb(join(dir, file), 'migrations/local').$client;
  const meta = new Meta(sql);
  return { sql, meta, ...openCache(sql, meta) };
};

let seq = 0;
const eventChange = (id: string, endedDaysAgo: number): Change => ({
  seq: ++seq,
  kind: 'event',
  row: {
    id,
    name: { en: id },
    startsAt: new Date(Date.now() - (endedDaysAgo + 1) * DAY).toISOString(),
    endsAt: new Date(Date.now() - endedDaysAgo * DAY).toISOString(),
    timezone: 'UTC',
    currency: 'EUR',
    no: seq,
    rotationPeriodS: null,
    idSalt: 'salt',
  },
});
const ticketChange = (id: string, eventId: string): Extract<Change, { kind: 'ticket' }> => ({
  seq: ++seq,
  kind: 'ticket',
  row: {
    id,
    eventId,
    ticketTypeId: '01900000-0000-7000-8000-0000000000aa',
    orderId: null,
    code: `A1${id.slice(-20).toUpperCase()}`,
    status: 'valid',
    paid: true,
    attendeeName: 'Anna Ivanova',
    orderCode: 'ORD123',
    phoneLast4: '4321',
    idHash: 'cd'.repeat(32),
    rotatingSecret: null,
    validFrom: null,
    validTo: null,
  },
});
const uuid = (n: number) => `01900000-0000-7000-8000-${String(n).padStart(12, '0')}`;

describe('personal data on the terminal', () => {
  it('erases names, phone digits and ID hashes of events ended past the retention, also from rows pulled later', () => {
    const { sql, write, read } = open('retention.sqlite');
    const [ended, yesterday, live] = [uuid(1), uuid(2), uuid(3)];
    write.appliers.event(eventChange(ended, DEFAULT_PERSONAL_DATA_RETENTION_DAYS + 3) as Extract<Change, { kind: 'event' }>, { ownDeviceId: null });
    write.appliers.event(eventChange(yesterday, 1) as Extract<Change, { kind: 'event' }>, { ownDeviceId: null });
    write.appliers.event(eventChange(live, -1) as Extract<Change, { kind: 'event' }>, { ownDeviceId: null });
    write.appliers.ticket(ticketChange(uuid(11), ended), { ownDeviceId: null });
    write.appliers.ticket(ticketChange(uuid(12), yesterday), { ownDeviceId: null });
    write.appliers.ticket(ticketChange(uuid(13), live), { ownDeviceId: null });

    expect(write.purgeExpiredPersonalData()).toEqual({ events: 1, tickets: 1 });
    const row = (id: string) =>
      sql.prepare('select attendee_name as name, phone_last4 as phone, id_hash as idHash, order_code as orderCode from tickets where id = ?').get(id);
    expect(row(uuid(11))).toEqual({ name: null, phone: null, idHash: null, orderCode: 'ORD123' });
    expect(row(uuid(12))).toMatchObject({ name: 'Anna Ivanova', phone: '4321' });
    expect(row(uuid(13))).toMatchObject({ name: 'Anna Ivanova', phone: '4321' });
    // The ticket itself stays: the gate still knows it.
    expect(read.ticketById(uuid(11))?.eventId).toBe(ended);
    expect(read.search({ name: 'anna' }).map((t) => t.id).sort()).toEqual([uuid(12), uuid(13)]);
    // A row of the expired event pulled afterwards arrives without the data.
    write.appliers.ticket(ticketChange(uuid(11), ended), { ownDeviceId: null });
    write.appliers.ticket(ticketChange(uuid(14), ended), { ownDeviceId: null });
    expect(row(uuid(11))).toMatchObject({ name: null, phone: null, idHash: null });
    expect(row(uuid(14))).toMatchObject({ name: null, phone: null, idHash: null });
    sql.close();
  });

  it('follows the retention setting', () => {
    const first = open('setting.sqlite');
    first.meta.setMeta(PERSONAL_DATA_RETENTION_KEY, '30');
    const ended = uuid(21);
    first.write.appliers.event(eventChange(ended, 10) as Extract<Change, { kind: 'event' }>, { ownDeviceId: null });
    first.write.appliers.ticket(ticketChange(uuid(22), ended), { ownDeviceId: null });
    expect(first.write.purgeExpiredPersonalData()).toEqual({ events: 0, tickets: 0 });
    first.sql.close();
    // Shortened to 5 days: the next start erases it.
    const again = open('setting.sqlite');
    again.meta.setMeta(PERSONAL_DATA_RETENTION_KEY, '5');
    expect(again.write.purgeExpiredPersonalData()).toEqual({ events: 1, tickets: 1 });
    expect(again.read.ticketById(uuid(22))?.attendeeName).toBeNull();
    again.sql.close();
  });

  it('keeps only the events the server says this terminal serves', async () => {
    const db = await openServerDb({});
    const server = createServer({ db, dataDir: join(dir, 'server') });
    const url = (await server.listen({ host: '127.0.0.1', port: 0 })).url;
    const core = await createCore({
      dataDir: join(dir, 'gate'),
      migrationsFolder: 'migrations/local',
      shell: 'service',
      demo: false,
      version: 't',
      logger: quiet,
      personalDataRetentionDays: 3,
    });
    try {
      const make = (name: string) =>
        server.admin.createEvent({
          name: { en: name },
          startsAt: new Date(Date.now() - DAY).toISOString(),
          endsAt: new Date(Date.now() + DAY).toISOString(),
          timezone: 'UTC',
          currency: 'EUR',
          ticketTypes: [{ name: { en: 'General' }, priceMinor: 100, capacity: null }],
        });
      const a = await make('A');
      const b = await make('B');
      const seeded = await server.admin.seedDemo({ tickets: 50 });
      const { code } = await server.admin.createPairingCode({ eventIds: [a.id, seeded.eventId] });
      await core.sync.pair(url, code, 'Gate');
      await core.sync.pull();
      expect(core.meta.getMeta(PERSONAL_DATA_RETENTION_KEY)).toBe('3');
      const terminal = openTerminalDb(join(dir, 'gate'), { readonly: true });
      const eventsCached = () =>
        (terminal.prepare('select id from events order by id').all() as { id: string }[]).map((r) => r.id);
      const ticketEvents = () =>
        (terminal.prepare('select distinct event_id as e from tickets order by e').all() as { e: string }[]).map((r) => r.e);
      expect(eventsCached()).toEqual([a.id, seeded.eventId].sort());
      expect(ticketEvents()).toEqual([seeded.eventId]);
      const named = () => (terminal.prepare('select count(*) as n from tickets where attendee_name is not null').get() as { n: number }).n;
      expect(named()).toBe(5);
      expect(core.cache.search({ name: 'ben' })).toHaveLength(1);

      // The organizer moves the gate to B: the demo event's attendees leave the terminal.
      await server.admin.setDeviceEvents((await server.admin.listDevices())[0]!.id, [b.id]);
      await core.sync.pull();
      expect(eventsCached()).toEqual([b.id]);
      expect(ticketEvents()).toEqual([]);
      expect(named()).toBe(0);
      expect(core.cache.search({ name: 'ben' })).toEqual([]);
      expect(core.sync.lastSeq()).toBeGreaterThan(0);
      terminal.close();
    } finally {
      await core.close();
      await server.close();
      await db.close();
    }
  }, 300_000);
});
