// Owns the demo data set: "Admit Demo Festival" with three ticket types, its signing key, three check-in
// points, N pre-sold tickets and one operator per role. Idempotent (fixed ids), so `--demo` can be passed
// on every start; a demo started again after its days have run moves its event to today.
//
// The pre-sold tickets model tickets imported from another ticketing system, so they keep OPAQUE codes
// (only tickets sold through /v1/orders get signed ones). They are generated inside PostgreSQL with
// INSERT … SELECT FROM generate_series in chunks — nothing but a few parameters crosses the wire, and
// for large seeds without per-row foreign-key triggers (see below), so a million tickets take about ten
// seconds on PostgreSQL (same SQL on PGlite):
//  - ids: UUIDv7 layout, the seeding time plus random bits drawn once per seed, then a counter (ordered,
//    so the primary key grows at its right edge);
//  - codes: "A1" + 20 upper-case hex digits drawn per ticket from gen_random_uuid(), skipping its fixed
//    version and variant digits: 80 random bits, in the same "A1" + Crockford-alphabet format as
//    secrets.ts newTicketCodes (which carries 100 bits; re-coding to all 32 symbols in SQL with
//    translate() would double the seeding time). Unguessable enough for a demo;
//  - every 10th ticket has an attendee name and the last 4 digits of a phone number (to try search),
//    every 100th up to DEMO_ID_CARD_TICKETS also an ID-card hash of demoIdNumber(k) (domain/hashing.ts:
//    slow by design, so a handful, computed in parallel off the event loop);
//  - a few of the named ones become the badge desk's attendees, and the event gets its badge templates
//    and settings (services/demo-badges.ts);
//  - those attendees get information and a meal voucher, redeemed at a "Lunch" point once per day, and
//    the event its kiosk settings (services/demo-kiosk.ts).
import { randomBytes } from 'node:crypto';
import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { TicketTypeRow } from '../../../domain/wire';
import type { ServerDb } from '../db/client';
import type { Role } from '../../../domain/enums';
import { idNumberHash, newIdHashSalt, verifyPinAsync } from '../../../domain/hashing';
import { checkInPoints, events, operators, ticketTypes } from '../db/schema';
import { currentSeq, writeTx } from '../db/writes';
import type { Keyring } from '../keyring';
import { seedDemoAttendees, seedDemoBadgeDesign } from './demo-badges';
import { DEMO_KIOSK_OPERATOR, seedDemoKiosk } from './demo-kiosk';
import { insertFirstKey } from './keys';
import { operatorValues, pinColumns } from './operators';
import { ticketTypeRow } from './rows';

export const DEMO_EVENT_ID = '01900000-0000-7000-8000-00000000d001';
const DEMO_TYPES = [
  {
    id: '01900000-0000-7000-8000-00000000d101',
    share: 10,
    priceMinor: 4500,
    name: { en: 'Day pass', 'zh-CN': '单日票', ru: 'Дневной билет' },
    zones: ['main'],
  },
  {
    id: '01900000-0000-7000-8000-00000000d102',
    share: 7,
    priceMinor: 8900,
    name: { en: 'Weekend pass', 'zh-CN': '周末通票', ru: 'Билет на выходные' },
    zones: ['main', 'vip'],
  },
  {
    id: '01900000-0000-7000-8000-00000000d103',
    share: 3,
    priceMinor: 1500,
    name: { en: 'Child', 'zh-CN': '儿童票', ru: 'Детский билет' },
    zones: ['main'],
  },
] as const;
export const DEMO_POINT_IDS = {
  mainEntrance: '01900000-0000-7000-8000-00000000d201',
  mainExit: '01900000-0000-7000-8000-00000000d202',
  vipLounge: '01900000-0000-7000-8000-00000000d203',
} as const;
export const DEMO_OPERATORS: { name: string; role: Role; pin: string }[] = [
  { name: 'Cashier', role: 'cashier', pin: '111111' },
  { name: 'Gate', role: 'gate', pin: '222222' },
  { name: 'Badge desk', role: 'badge', pin: '333333' },
  DEMO_KIOSK_OPERATOR,
  { name: 'Manager', role: 'manager', pin: '999999' },
  { name: 'Admin', role: 'admin', pin: '000000' },
];
/** The PINs the demo operators had before every PIN needed six digits. A demo seeded then still holds
 *  them, and those operators could no longer sign in; a demo started again gives them today's PINs. */
const OLD_DEMO_PINS: Partial<Record<Role, string>> = { cashier: '1111', gate: '2222', badge: '3333' };

const FIRST_NAMES = ['Anna', 'Ben', 'Chen', 'Dmitri', 'Elena', 'Farid', 'Greta', 'Hiro', 'Ines', 'Jonas',
  'Katya', 'Li', 'Marta', 'Nikolai', 'Olga', 'Pavel', 'Qing', 'Rosa', 'Sven', 'Tanya'];
const LAST_NAMES = ['Ivanova', 'Müller', 'Wang', 'Schmidt', 'Petrov', 'Zhang', 'Fischer', 'Smirnova', 'Liu',
  'Weber', 'Kuznetsov', 'Chen', 'Wagner', 'Popova', 'Yang', 'Becker', 'Sokolov', 'Huang', 'Hoffmann', 'Novak'];
const CHUNK = 250_000;
const BULK_WITHOUT_FK_TRIGGERS = 50_000;

/** The ID-card number demo ticket number k (1-based, every 100th) was "sold" to. */
export const demoIdNumber = (k: number): string => `D${String(k).padStart(8, '0')}`;
/** Demo tickets 100, 200, … up to this number carry an ID-card hash. */
export const DEMO_ID_CARD_TICKETS = 500;
/** The phone number's last 4 digits of demo ticket number k (every 10th). */
export const demoPhoneLast4 = (k: number): string => String((k * 7919) % 10_000).padStart(4, '0');

export interface SeedDemoOptions {
  /** Pre-sold tickets to create, spread over the ticket types (default 1000). */
  tickets?: number;
}

export interface SeedDemoResult {
  eventId: string;
  ticketTypes: z.infer<typeof TicketTypeRow>[];
  /** False when the demo event already existed; nothing was changed then. */
  created: boolean;
  ticketCount: number;
  seq: number;
}

/** How many days the demo event runs, from the UTC midnight of the day it is seeded (or started again
 *  after it ended). */
const DEMO_DAYS = 3;

export async function seedDemo(db: ServerDb, keyring: Keyring, options: SeedDemoOptions = {}, now = new Date()): Promise<SeedDemoResult> {
  const count = Math.max(0, Math.floor(options.tickets ?? 1000));
  const existing = await db.select().from(ticketTypes).where(eq(ticketTypes.eventId, DEMO_EVENT_ID));
  if (existing.length > 0) {
    // A demo started again after its three days have run: its event moves to today, so its gates admit
    // and the server does not refuse their check-ins as dated outside the event.
    const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
    const moved = await writeTx(db, (tx) =>
      tx
        .update(events)
        .set({ startsAt: start, endsAt: new Date(start.getTime() + DEMO_DAYS * 86_400_000) })
        .where(and(eq(events.id, DEMO_EVENT_ID), lt(events.endsAt, now)))
        .returning({ id: events.id }),
    );
    await renewOldDemoPins(db, keyring);
    // A demo seeded before the badge desk gets its templates and settings (kept as they are if present).
    await writeTx(db, (tx) => seedDemoBadgeDesign(tx, DEMO_EVENT_ID, now));
    // … and one seeded before the kiosk its kiosk operator, Lunch point, information and meal vouchers.
    await addMissingDemoOperators(db, keyring);
    const [event] = await db.select().from(events).where(eq(events.id, DEMO_EVENT_ID));
    if (event) await writeTx(db, (tx) => seedDemoKiosk(tx, DEMO_EVENT_ID, event, now, moved.length > 0));
    const ticketCount = existing.reduce((sum, t) => sum + t.sold, 0);
    return {
      eventId: DEMO_EVENT_ID,
      ticketTypes: existing.map(ticketTypeRow),
      created: false,
      ticketCount,
      seq: await currentSeq(db),
    };
  }

  // Ticket k (1-based) belongs to type "(k-1) mod 20" by share: 10 day passes, 7 weekend passes, 3 children.
  const cycle = DEMO_TYPES.flatMap((t, index) => Array<number>(t.share).fill(index));
  const sold = DEMO_TYPES.map(() => 0);
  for (let i = 0; i < count; i++) sold[cycle[i % cycle.length]!]!++;
  const operatorRows = await Promise.all(DEMO_OPERATORS.map((op) => operatorValues(op, keyring.pinKey)));
  // Running from today's UTC midnight for three days, so a fresh demo admits at the gate right away.
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const idSalt = newIdHashSalt();
  // UUIDv7: 48-bit ms time, version 7, random bits, variant 10…, random bits, then the 32-bit counter.
  const r = randomBytes(6).toString('hex');
  const idPrefix = `${now.getTime().toString(16).padStart(12, '0')}7${r.slice(0, 3)}${'89ab'[parseInt(r[3]!, 16) & 3]}${r.slice(4, 11)}`;
  // Type of ticket k: the share cycle as a SQL CASE over (k-1) % 20.
  const bounds = DEMO_TYPES.map((_, i) => DEMO_TYPES.slice(0, i + 1).reduce((sum, t) => sum + t.share, 0));

  // Hashed before the transaction: its locks are not held through a second of scrypt.
  const idCardTickets: number[] = [];
  for (let k = 100; k <= Math.min(count, DEMO_ID_CARD_TICKETS); k += 100) idCardTickets.push(k);
  const idHashes = new Map(await Promise.all(idCardTickets.map(async (k) => [k, await idNumberHash(demoIdNumber(k), idSalt)] as const)));

  return writeTx(db, async (tx) => {
    await tx.insert(events).values({
      id: DEMO_EVENT_ID,
      name: { en: 'Admit Demo Festival', 'zh-CN': 'Admit 演示音乐节', ru: 'Демо-фестиваль Admit' },
      startsAt: start,
      endsAt: new Date(start.getTime() + DEMO_DAYS * 86_400_000),
      timezone: 'Europe/Berlin',
      currency: 'EUR',
      idSalt,
      rotationPeriodS: null,
    });
    const types = await tx
      .insert(ticketTypes)
      .values(
        DEMO_TYPES.map((t, i) => ({
          id: t.id,
          eventId: DEMO_EVENT_ID,
          name: { ...t.name },
          priceMinor: t.priceMinor,
          currency: 'EUR',
          // Room to keep selling at the box office: a quarter more than pre-sold, at least 200.
          capacity: Math.ceil((sold[i]! + Math.max(200, sold[i]! / 4)) / 100) * 100,
          sold: sold[i]!,
          sortOrder: i,
          no: i + 1,
          zones: [...t.zones],
        })),
      )
      .returning();
    await insertFirstKey(tx, DEMO_EVENT_ID, keyring);
    await tx.insert(checkInPoints).values([
      {
        id: DEMO_POINT_IDS.mainEntrance,
        eventId: DEMO_EVENT_ID,
        name: { en: 'Main entrance', 'zh-CN': '主入口', ru: 'Главный вход' },
        direction: 'entry',
        reentry: 'single',
      },
      {
        id: DEMO_POINT_IDS.mainExit,
        eventId: DEMO_EVENT_ID,
        name: { en: 'Main exit', 'zh-CN': '主出口', ru: 'Главный выход' },
        direction: 'exit',
        reentry: 'unlimited',
      },
      {
        id: DEMO_POINT_IDS.vipLounge,
        eventId: DEMO_EVENT_ID,
        name: { en: 'VIP lounge', 'zh-CN': '贵宾休息室', ru: 'VIP-зал' },
        zone: 'vip',
        direction: 'entry',
        reentry: 'after_exit',
        autoCheckoutAt: '04:00',
      },
    ]);

    // For a large seed the per-row foreign-key triggers would cost as much as the insert itself: the two
    // foreign keys are dropped inside this transaction (no other session sees them gone) and re-added
    // after it, which validates all rows with one join. Same names and definitions as the migration.
    const bulk = count >= BULK_WITHOUT_FK_TRIGGERS;
    if (bulk) {
      await tx.execute(sql`alter table tickets drop constraint tickets_event_id_events_id_fk,
                             drop constraint tickets_ticket_type_id_ticket_types_id_fk`);
    }
    for (let from = 1; from <= count; from += CHUNK) {
      const to = Math.min(count, from + CHUNK - 1);
      const hashed: number[] = [];
      for (let k = Math.ceil(from / 100) * 100; k <= Math.min(to, DEMO_ID_CARD_TICKETS); k += 100) hashed.push(k);
      const hashes = hashed.map((k) => idHashes.get(k)!);
      await tx.execute(sql`
        insert into tickets (id, event_id, ticket_type_id, code, status, paid, attendee_name, phone_last4, id_hash)
        select
          (${idPrefix} || lpad(to_hex(g.k), 8, '0'))::uuid,
          ${DEMO_EVENT_ID}::uuid,
          (case when (g.k - 1) % 20 < ${bounds[0]} then ${DEMO_TYPES[0].id}
                when (g.k - 1) % 20 < ${bounds[1]} then ${DEMO_TYPES[1].id}
                else ${DEMO_TYPES[2].id} end)::uuid,
          'A1' || upper(substr(g.hex, 1, 12) || substr(g.hex, 14, 3) || substr(g.hex, 18, 5)),
          'valid',
          true,
          case when g.k % 10 = 0 then
            (${sql.param(FIRST_NAMES)}::text[])[1 + (g.k / 10) % ${FIRST_NAMES.length}] || ' ' ||
            (${sql.param(LAST_NAMES)}::text[])[1 + (g.k / ${10 * FIRST_NAMES.length}) % ${LAST_NAMES.length}]
          end,
          case when g.k % 10 = 0 then lpad(((g.k::bigint * 7919) % 10000)::text, 4, '0') end,
          h.hash
        -- A volatile select list keeps this subquery from being flattened: one UUID per ticket.
        from (select k, encode(uuid_send(gen_random_uuid()), 'hex') as hex
              from generate_series(${from}::int, ${to}::int) as k) as g
        left join unnest(${sql.param(hashed)}::int[], ${sql.param(hashes)}::text[]) as h(k, hash) on h.k = g.k`);
    }
    if (bulk) {
      await tx.execute(sql`alter table tickets
        add constraint tickets_event_id_events_id_fk foreign key (event_id) references events(id)
          on delete no action on update no action,
        add constraint tickets_ticket_type_id_ticket_types_id_fk foreign key (ticket_type_id) references ticket_types(id)
          on delete no action on update no action`);
    }
    await tx.insert(operators).values(operatorRows);
    await seedDemoBadgeDesign(tx, DEMO_EVENT_ID, now);
    await seedDemoAttendees(tx, DEMO_EVENT_ID, count, (k) => `${idPrefix}${k.toString(16).padStart(8, '0')}`, demoPhoneLast4, DEMO_TYPES[0].priceMinor, now);
    await seedDemoKiosk(tx, DEMO_EVENT_ID, { startsAt: start, endsAt: new Date(start.getTime() + DEMO_DAYS * 86_400_000), timezone: 'Europe/Berlin' }, now);
    // Fresh statistics, so the planner knows tickets is now large (seq-range scans stay on the index).
    await tx.execute(sql`analyze tickets`);
    return {
      eventId: DEMO_EVENT_ID,
      ticketTypes: types.map(ticketTypeRow),
      created: true,
      ticketCount: count,
      seq: await currentSeq(tx),
    };
  });
}

/** Adds the kiosk's demo operator to a demo seeded before the kiosk (one with no kiosk operator at all). */
async function addMissingDemoOperators(db: ServerDb, keyring: Keyring): Promise<void> {
  const present = await db.select({ id: operators.id }).from(operators).where(eq(operators.role, 'kiosk')).limit(1);
  const missing = present.length > 0 ? [] : DEMO_OPERATORS.filter((op) => op.role === 'kiosk');
  if (missing.length === 0) return;
  const rows = await Promise.all(missing.map((op) => operatorValues(op, keyring.pinKey)));
  await writeTx(db, (tx) => tx.insert(operators).values(rows));
}

/** Gives each demo operator whose PIN is still the old short demo PIN today's demo PIN. A PIN someone
 *  changed is left alone: only a hash that matches the old PIN is replaced. */
async function renewOldDemoPins(db: ServerDb, keyring: Keyring): Promise<void> {
  const candidates = DEMO_OPERATORS.filter((op) => OLD_DEMO_PINS[op.role] !== undefined);
  const rows = await db
    .select()
    .from(operators)
    .where(inArray(operators.name, candidates.map((op) => op.name)));
  // The checks run on the libuv pool side by side: about one scrypt's time in all.
  await Promise.all(
    rows.map(async (row) => {
      const op = candidates.find((c) => c.name === row.name && c.role === row.role);
      const old = op && OLD_DEMO_PINS[op.role];
      if (!op || old === undefined || !(await verifyPinAsync(old, row.pinSalt, row.pinHash, keyring.pinKey))) return;
      const columns = await pinColumns(op.pin, keyring.pinKey);
      await writeTx(db, (tx) => tx.update(operators).set(columns).where(eq(operators.id, row.id)));
    }),
  );
}
