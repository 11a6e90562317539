// Owns "changes since N": one page of replicated rows across all kinds, in seq order. Keyset paging on
// the seq indexes only (no OFFSET), so page 200 of a million-ticket first pull costs the same as page 1:
// first find which seqs make up the page (at most limit+1 index entries per table), then fetch each
// table's rows in that seq range.
import { and, asc, gt, lte, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Change, ChangesResponse } from '../../protocol';
import type { ServerDb } from '../db/client';
import { checkins, events, operators, tickets, ticketTypes } from '../db/schema';
import { readWatermark, rowsOf } from '../db/writes';
import { checkinRow, eventRow, operatorRow, ticketRow, ticketTypeRow } from './rows';

type Kind = Change['kind'];
/** Tickets dominate a first pull; fetch only what goes on the wire (no created_at to parse). */
const TICKET_COLUMNS = {
  id: tickets.id,
  eventId: tickets.eventId,
  ticketTypeId: tickets.ticketTypeId,
  orderId: tickets.orderId,
  code: tickets.code,
  status: tickets.status,
  paid: tickets.paid,
  attendeeName: tickets.attendeeName,
  seq: tickets.seq,
};
const TABLE_OF: Record<Kind, string> = {
  event: 'events',
  ticket_type: 'ticket_types',
  ticket: 'tickets',
  checkin: 'checkins',
  operator: 'operators',
};

export async function readChanges(db: ServerDb, since: number, limit: number): Promise<ChangesResponse> {
  const watermark = await readWatermark(db);
  if (watermark <= since) return { changes: [], next: since, more: false };

  const probe = limit + 1;
  // "where seq > N order by seq limit K" walks the seq index and stops after K entries whatever the
  // statistics say; the watermark is applied outside so it cannot widen the scan to the whole range.
  const window = (kind: Kind) =>
    sql`(select ${kind}::text as kind, seq from ${sql.identifier(TABLE_OF[kind])}
         where seq > ${since} order by seq limit ${probe})`;
  const page = await rowsOf<{ kind: Kind; seq: number | string }>(
    db,
    sql`select kind, seq from (
          ${window('event')} union all ${window('ticket_type')} union all ${window('ticket')}
          union all ${window('checkin')} union all ${window('operator')}
        ) page where seq <= ${watermark} order by seq limit ${probe}`,
  );
  if (page.length === 0) return { changes: [], next: watermark, more: false };

  const more = page.length > limit;
  const taken = more ? page.slice(0, limit) : page;
  const upTo = Number(taken[taken.length - 1]!.seq);
  const kinds = new Set(taken.map((row) => row.kind));
  const range = (t: { seq: AnyPgColumn }) => and(gt(t.seq, since), lte(t.seq, upTo));

  const parts = await Promise.all([
    kinds.has('event')
      ? db
          .select()
          .from(events)
          .where(range(events))
          .orderBy(asc(events.seq))
          .then((rows) => rows.map((r): Change => ({ seq: r.seq, kind: 'event', row: eventRow(r) })))
      : [],
    kinds.has('ticket_type')
      ? db
          .select()
          .from(ticketTypes)
          .where(range(ticketTypes))
          .orderBy(asc(ticketTypes.seq))
          .then((rows) => rows.map((r): Change => ({ seq: r.seq, kind: 'ticket_type', row: ticketTypeRow(r) })))
      : [],
    kinds.has('ticket')
      ? db
          .select(TICKET_COLUMNS)
          .from(tickets)
          .where(range(tickets))
          .orderBy(asc(tickets.seq))
          .then((rows) => rows.map((r): Change => ({ seq: r.seq, kind: 'ticket', row: ticketRow(r) })))
      : [],
    kinds.has('checkin')
      ? db
          .select()
          .from(checkins)
          .where(range(checkins))
          .orderBy(asc(checkins.seq))
          .then((rows) => rows.map((r): Change => ({ seq: r.seq, kind: 'checkin', row: checkinRow(r) })))
      : [],
    kinds.has('operator')
      ? db
          .select()
          .from(operators)
          .where(range(operators))
          .orderBy(asc(operators.seq))
          .then((rows) => rows.map((r): Change => ({ seq: r.seq, kind: 'operator', row: operatorRow(r) })))
      : [],
  ]);
  // A row updated between the probe and the fetch has moved past the watermark; it comes in a later pull.
  const changes = parts.flat().sort((a, b) => a.seq - b.seq);
  return { changes, next: more ? upTo : watermark, more };
}
