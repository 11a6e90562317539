// Owns the badge desk at the server, terminal side: badge templates, settings and prints as they go on
// the wire (the change feed's rows), the badge prints terminals push (kept once by id, replicated to every
// terminal of the event), an attendee's badge details as the desk fetches them (phone and email masked,
// the ID number never), and a correction of a misspelt name, company or title (audited by the route with
// the old and new values; the ticket's new change number carries the new name to every terminal).
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { BadgeAttendeeDetails, BadgeCorrection, BadgePrintRow, BadgeSettingsRow, BadgeTemplateRow } from '../../../domain/badge-wire';
import { DEFAULT_BADGE_SETTINGS } from '../../../domain/badge-wire';
import type { Role } from '../../../domain/enums';
import type { BadgePrintRecord } from '../../../domain/outbox';
import type { PushResponse } from '../../../domain/wire';
import type { ServerDb } from '../db/client';
import { badgePrints, badgeSettings, type badgeTemplates, checkins, operators, tickets } from '../db/schema';
import { rowsOf, type ServerTx, writeTx } from '../db/writes';
import { ApiFailure } from '../errors';
import { assertServes, servedEventIds } from './deviceEvents';
import { iso } from './rows';

type PushResult = PushResponse['results'][number];
type Db = ServerDb | ServerTx;

export type BadgeTemplateRecord = typeof badgeTemplates.$inferSelect;
export type BadgeSettingsRecord = typeof badgeSettings.$inferSelect;
export type BadgePrintRecordRow = typeof badgePrints.$inferSelect;

/** Roles that may correct an attendee's badge details at the desk. */
const CORRECTING_ROLES: readonly string[] = ['badge', 'manager', 'admin'];
/** Roles whose PIN may allow a reprint. */
const APPROVING_ROLES: Role[] = ['manager', 'admin'];

// ---- wire rows -------------------------------------------------------------------------------------

export function badgeTemplateRow(r: BadgeTemplateRecord): BadgeTemplateRow {
  return {
    id: r.id,
    eventId: r.eventId,
    name: r.name,
    ticketTypeIds: r.ticketTypeIds,
    categories: r.categories,
    isDefault: r.isDefault,
    template: r.template,
    version: r.version,
    active: r.active,
  };
}

export function badgeSettingsRow(r: BadgeSettingsRecord): BadgeSettingsRow {
  return { eventId: r.eventId, reprintWindowS: r.reprintWindowS, reprintNeedsPin: r.reprintNeedsPin, printChecksIn: r.printChecksIn };
}

export function badgePrintRow(r: BadgePrintRecordRow): BadgePrintRow {
  return {
    id: r.id,
    ticketId: r.ticketId,
    eventId: r.eventId,
    deviceId: r.deviceId,
    operatorId: r.operatorId,
    templateId: r.templateId,
    printedAt: iso(r.printedAt),
    reprint: r.reprint,
    reason: r.reason,
    approvedBy: r.approvedBy,
  };
}

/** The event's settings; an event without a row has the defaults. */
export async function readBadgeSettings(db: Db, eventId: string) {
  const [row] = await db.select().from(badgeSettings).where(eq(badgeSettings.eventId, eventId));
  return row ? { reprintWindowS: row.reprintWindowS, reprintNeedsPin: row.reprintNeedsPin, printChecksIn: row.printChecksIn } : { ...DEFAULT_BADGE_SETTINGS };
}

// ---- pushed prints -----------------------------------------------------------------------------------

/** PostgreSQL text cannot hold NUL. */
const storable = (text: string) => text.replace(/\0/g, '\uFFFD');

/**
 * Keeps the pushed badge prints, each once by its id: duplicate when stored already; invalid when its
 * ticket is unknown (not_found), of an event the device does not serve (forbidden_event), of another
 * event than it says, or approved by someone who is no active manager or admin (approval_required).
 * The pushing device is the print's device whatever the terminal claims.
 */
export async function insertBadgePrints(
  tx: ServerTx,
  deviceId: string,
  recs: readonly { index: number; rec: BadgePrintRecord }[],
  results: PushResult[],
  bump: (seq: unknown) => void,
  now: Date,
): Promise<void> {
  const ids = recs.map((r) => r.rec.id);
  const stored = new Set(
    (await tx.select({ id: badgePrints.id }).from(badgePrints).where(inArray(badgePrints.id, ids))).map((r) => r.id),
  );
  const ticketIds = [...new Set(recs.map((r) => r.rec.ticketId))];
  const ticketEvents = new Map(
    (await tx.select({ id: tickets.id, eventId: tickets.eventId }).from(tickets).where(inArray(tickets.id, ticketIds))).map((t) => [t.id, t.eventId]),
  );
  const approverIds = [...new Set(recs.map((r) => r.rec.approvedBy).filter((a): a is string => a !== null))];
  const approvers = new Set(
    approverIds.length
      ? (
          await tx
            .select({ id: operators.id })
            .from(operators)
            .where(and(inArray(operators.id, approverIds), eq(operators.active, true), inArray(operators.role, APPROVING_ROLES)))
        ).map((o) => o.id)
      : [],
  );
  const served = new Set(await servedEventIds(tx, deviceId));
  const fresh: { index: number; rec: BadgePrintRecord }[] = [];
  for (const r of recs) {
    const { rec, index } = r;
    if (stored.has(rec.id)) {
      results[index] = { id: rec.id, status: 'duplicate' };
      continue;
    }
    const eventId = ticketEvents.get(rec.ticketId);
    if (eventId === undefined) {
      results[index] = { id: rec.id, status: 'invalid', detail: `not_found: no ticket ${rec.ticketId}` };
      continue;
    }
    if (!served.has(eventId)) {
      results[index] = { id: rec.id, status: 'invalid', detail: `forbidden_event: this device does not serve event ${eventId}` };
      continue;
    }
    if (eventId !== rec.eventId) {
      results[index] = { id: rec.id, status: 'invalid', detail: `bad_request: ticket ${rec.ticketId} is of event ${eventId}, not ${rec.eventId}` };
      continue;
    }
    if (rec.approvedBy !== null && !approvers.has(rec.approvedBy)) {
      results[index] = { id: rec.id, status: 'invalid', detail: `approval_required: ${rec.approvedBy} is no active manager or admin` };
      continue;
    }
    fresh.push(r);
  }
  if (fresh.length === 0) return;
  const inserted = await tx
    .insert(badgePrints)
    .values(
      fresh.map(({ rec }) => ({
        id: rec.id,
        ticketId: rec.ticketId,
        eventId: rec.eventId,
        deviceId,
        operatorId: rec.operatorId,
        templateId: rec.templateId,
        printedAt: new Date(rec.at),
        reprint: rec.reprint,
        reason: rec.reason === null ? null : storable(rec.reason),
        approvedBy: rec.approvedBy,
        receivedAt: now,
      })),
    )
    .onConflictDoNothing()
    .returning({ id: badgePrints.id, seq: badgePrints.seq });
  const got = new Set<string>();
  for (const r of inserted) {
    got.add(r.id);
    bump(r.seq);
  }
  // Not inserted: a concurrent push of the same record won the race.
  for (const { index, rec } of fresh) results[index] = { id: rec.id, status: got.has(rec.id) ? 'accepted' : 'duplicate' };
}

// ---- attendee details --------------------------------------------------------------------------------

/** How many leading digits a country calling code has (E.164's structure of its first digits). */
function callingCodeLength(digits: string): number {
  const a = digits[0];
  const two = digits.slice(0, 2);
  if (a === '1' || a === '7') return 1;
  const twoDigit = new Set([
    '20', '27', '30', '31', '32', '33', '34', '36', '39', '40', '41', '43', '44', '45', '46', '47', '48', '49',
    '51', '52', '53', '54', '55', '56', '57', '58', '60', '61', '62', '63', '64', '65', '66', '81', '82', '84',
    '86', '90', '91', '92', '93', '94', '95', '98',
  ]);
  return twoDigit.has(two) ? 2 : 3;
}

/** "+49 ••• •• 4567": the country code (of an international number) and the last four digits only —
 *  the length of the rest is not told either. */
export function maskPhone(phone: string | null): string | null {
  if (!phone) return null;
  const digits = phone.replace(/\D/g, '');
  if (digits.length === 0) return null;
  if (digits.length <= 4) return '••••';
  const last4 = digits.slice(-4);
  if (phone.trim().startsWith('+')) {
    const cc = digits.slice(0, callingCodeLength(digits));
    if (digits.length - cc.length > 4) return `+${cc} ••• •• ${last4}`;
  }
  return `••• •• ${last4}`;
}

/** "an•••@example.com": two characters of the name (one of a short one) and the domain. */
export function maskEmail(email: string | null): string | null {
  if (!email) return null;
  const at = email.lastIndexOf('@');
  if (at <= 0) return '•••';
  const local = [...email.slice(0, at)];
  const shown = local.length > 3 ? 2 : 1;
  return `${local.slice(0, shown).join('')}•••${email.slice(at)}`;
}

/** The attendee's category: the `category` answer, trimmed; null when there is none. */
export function categoryOf(answers: Record<string, unknown> | null): string | null {
  const raw = answers?.category;
  const text = typeof raw === 'string' ? raw.trim() : typeof raw === 'number' ? String(raw) : '';
  return text ? text : null;
}

type TicketForBadge = typeof tickets.$inferSelect;

async function ticketOf(db: Db, ticketId: string): Promise<TicketForBadge> {
  const [ticket] = await db.select().from(tickets).where(eq(tickets.id, ticketId));
  if (!ticket) throw new ApiFailure('not_found', `no ticket ${ticketId}`);
  return ticket;
}

async function detailsOf(db: Db, t: TicketForBadge): Promise<BadgeAttendeeDetails> {
  const [first] = await rowsOf<{ at: unknown }>(
    db,
    sql`select min(${checkins.at}) as at from ${checkins}
        where ${checkins.ticketId} = ${t.id} and ${checkins.status} = 'accepted' and ${checkins.direction} = 'entry'`,
  );
  const prints = await db
    .select()
    .from(badgePrints)
    .where(eq(badgePrints.ticketId, t.id))
    .orderBy(asc(badgePrints.printedAt), asc(badgePrints.id));
  const answers = t.answers ?? {};
  return {
    ticketId: t.id,
    eventId: t.eventId,
    ticketTypeId: t.ticketTypeId,
    code: t.code,
    status: t.status,
    paid: t.paid,
    orderCode: t.orderCode,
    name: t.attendeeName,
    company: t.company,
    title: t.title,
    category: categoryOf(answers),
    phoneMasked: maskPhone(t.phone) ?? (t.phoneLast4 ? `••• •• ${t.phoneLast4}` : null),
    emailMasked: maskEmail(t.email),
    answers,
    checkedInAt: first?.at === null || first?.at === undefined ? null : new Date(first.at as string | Date).toISOString(),
    prints: prints.map(badgePrintRow),
  };
}

/** GET /v1/badges/attendees/:ticketId: unknown → 404 not_found; another event's → 403 forbidden_event. */
export async function attendeeDetails(db: ServerDb, deviceId: string, ticketId: string): Promise<BadgeAttendeeDetails> {
  const ticket = await ticketOf(db, ticketId);
  await assertServes(db, deviceId, ticket.eventId);
  return detailsOf(db, ticket);
}

export interface CorrectionOutcome {
  details: BadgeAttendeeDetails;
  /** The ticket's new change number; null when nothing differed (nothing was written). */
  seq: number | null;
  /** What changed, old and new, by field (name, company, title). */
  changed: { field: 'name' | 'company' | 'title'; old: string | null; new: string | null }[];
}

/**
 * Corrects the attendee's name, company or title (only what the correction names). The operator must be
 * an active operator of role badge, manager or admin (403 forbidden); the device must serve the ticket's
 * event (403 forbidden_event); an unknown ticket is 404 not_found.
 */
export async function correctAttendee(db: ServerDb, deviceId: string, ticketId: string, correction: BadgeCorrection): Promise<CorrectionOutcome> {
  return writeTx(db, async (tx) => {
    const [ticket] = await tx.select().from(tickets).where(eq(tickets.id, ticketId)).for('update');
    if (!ticket) throw new ApiFailure('not_found', `no ticket ${ticketId}`);
    await assertServes(tx, deviceId, ticket.eventId);
    const [operator] = await tx
      .select({ role: operators.role, active: operators.active })
      .from(operators)
      .where(eq(operators.id, correction.operatorId));
    if (!operator || !operator.active || !CORRECTING_ROLES.includes(operator.role)) {
      throw new ApiFailure('forbidden', 'the operator may not correct badge details (an active badge, manager or admin operator may)');
    }
    const changed: CorrectionOutcome['changed'] = [];
    const set: Partial<Pick<TicketForBadge, 'attendeeName' | 'company' | 'title'>> = {};
    const nfc = (v: string | null | undefined) => (v === null || v === undefined ? v : v.normalize('NFC'));
    const name = nfc(correction.name);
    const company = nfc(correction.company);
    const title = nfc(correction.title);
    if (name !== undefined && name !== null && name !== ticket.attendeeName) {
      changed.push({ field: 'name', old: ticket.attendeeName, new: name });
      set.attendeeName = name;
    }
    if (company !== undefined && company !== ticket.company) {
      changed.push({ field: 'company', old: ticket.company, new: company });
      set.company = company;
    }
    if (title !== undefined && title !== ticket.title) {
      changed.push({ field: 'title', old: ticket.title, new: title });
      set.title = title;
    }
    if (changed.length === 0) return { details: await detailsOf(tx, ticket), seq: null, changed };
    // The update trigger gives the ticket a new change number: the new name replicates.
    const [updated] = await tx.update(tickets).set(set).where(eq(tickets.id, ticketId)).returning();
    return { details: await detailsOf(tx, updated!), seq: updated!.seq, changed };
  });
}
