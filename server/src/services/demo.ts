// Owns the demo data set: "Admit Demo Festival" with three ticket types, N pre-sold tickets and one
// operator per role. Idempotent (fixed ids), so `--demo` can be passed on every start. Tickets go in with
// a few large INSERT … SELECT FROM unnest(arrays) statements: three parameters per 50 000 rows, the same
// on PostgreSQL and PGlite, and fast enough for a million tickets.
import { eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { TicketTypeRow } from '../../protocol';
import type { ServerDb } from '../db/client';
import { events, operators, ticketTypes, type OperatorRole } from '../db/schema';
import { currentSeq, writeTx } from '../db/writes';
import { newTicketCodes, newUuidV7Batch } from '../secrets';
import { operatorValues } from './operators';
import { ticketTypeRow } from './rows';

export const DEMO_EVENT_ID = '01900000-0000-7000-8000-00000000d001';
const DEMO_TYPES = [
  {
    id: '01900000-0000-7000-8000-00000000d101',
    share: 10,
    priceMinor: 4500,
    name: { en: 'Day pass', 'zh-CN': '单日票', ru: 'Дневной билет' },
  },
  {
    id: '01900000-0000-7000-8000-00000000d102',
    share: 7,
    priceMinor: 8900,
    name: { en: 'Weekend pass', 'zh-CN': '周末通票', ru: 'Билет на выходные' },
  },
  {
    id: '01900000-0000-7000-8000-00000000d103',
    share: 3,
    priceMinor: 1500,
    name: { en: 'Child', 'zh-CN': '儿童票', ru: 'Детский билет' },
  },
] as const;
export const DEMO_OPERATORS: { name: string; role: OperatorRole; pin: string }[] = [
  { name: 'Cashier', role: 'cashier', pin: '1111' },
  { name: 'Gate', role: 'gate', pin: '2222' },
  { name: 'Badge desk', role: 'badge', pin: '3333' },
  { name: 'Manager', role: 'manager', pin: '9999' },
  { name: 'Admin', role: 'admin', pin: '0000' },
];
const CHUNK = 50_000;

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

export async function seedDemo(db: ServerDb, options: SeedDemoOptions = {}, now = new Date()): Promise<SeedDemoResult> {
  const count = Math.max(0, Math.floor(options.tickets ?? 1000));
  const existing = await db.select().from(ticketTypes).where(eq(ticketTypes.eventId, DEMO_EVENT_ID));
  if (existing.length > 0) {
    const ticketCount = existing.reduce((sum, t) => sum + t.sold, 0);
    return {
      eventId: DEMO_EVENT_ID,
      ticketTypes: existing.map(ticketTypeRow),
      created: false,
      ticketCount,
      seq: await currentSeq(db),
    };
  }

  // Ticket i belongs to type "i mod 20" by share: 10 day passes, 7 weekend passes, 3 children per 20.
  const cycle = DEMO_TYPES.flatMap((t, index) => Array<number>(t.share).fill(index));
  const sold = DEMO_TYPES.map(() => 0);
  for (let i = 0; i < count; i++) sold[cycle[i % cycle.length]!]!++;
  const operatorRows = await Promise.all(DEMO_OPERATORS.map(operatorValues));
  // Running from today's UTC midnight for three days, so a fresh demo admits at the gate right away.
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));

  return writeTx(db, async (tx) => {
    await tx.insert(events).values({
      id: DEMO_EVENT_ID,
      name: { en: 'Admit Demo Festival', 'zh-CN': 'Admit 演示音乐节', ru: 'Демо-фестиваль Admit' },
      startsAt: start,
      endsAt: new Date(start.getTime() + 3 * 86_400_000),
      timezone: 'Europe/Berlin',
      currency: 'EUR',
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
        })),
      )
      .returning();

    for (let from = 0; from < count; from += CHUNK) {
      const size = Math.min(CHUNK, count - from);
      const ids = newUuidV7Batch(size);
      const typeIds = new Array<string>(size);
      for (let k = 0; k < size; k++) typeIds[k] = DEMO_TYPES[cycle[(from + k) % cycle.length]!]!.id;
      await tx.execute(sql`
        insert into tickets (id, event_id, ticket_type_id, code, status, paid)
        select t.id::uuid, ${DEMO_EVENT_ID}::uuid, t.type_id::uuid, t.code, 'valid', true
        from unnest(${sql.param(ids)}::text[], ${sql.param(typeIds)}::text[], ${sql.param(newTicketCodes(size))}::text[])
          as t(id, type_id, code)`);
    }
    await tx.insert(operators).values(operatorRows);
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
