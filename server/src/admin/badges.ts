// Owns the organizer's side of the badge desk at the server: an event's badge templates (saved whole,
// checked with the one template check the designer and the printer share, one version more per save, a
// stale save refused rather than losing another admin's change, deleted by switching off so the deletion
// replicates), its badge settings, and what the designer previews with — sample attendees (the event's
// longest name, a Chinese and a Russian one) and the categories its attendees carry. Every write takes a
// fresh change number, so the terminals of the event pull it.
import { and, asc, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { ApiError } from '../../../domain/wire';
import {
  type AdminBadgeTemplateRow,
  type AdminBadgesResponse,
  BadgeSettings,
  type BadgeSample,
  BadgeTemplateSave,
} from '../../../domain/badge-wire';
import { type BadgeTemplateProblem, checkBadgeTemplate } from '../../../domain/badge-template';
import type { ServerDb } from '../db/client';
import { badgeSettings, badgeTemplates, events, tickets, ticketTypes } from '../db/schema';
import { rowsOf, writeTx } from '../db/writes';
import { ApiFailure } from '../errors';
import { type BadgeTemplateRecord, categoryOf, readBadgeSettings } from '../services/badges';

/** The sample name when an event has no named attendee yet: 40 Latin characters, a long name to fit. */
export const LONG_SAMPLE_NAME = 'Maximilian Alexander von Hohenberg-Lutze';
/** The most distinct categories listed. */
const MAX_CATEGORIES = 500;
const SAMPLE_CODE = 'A1SAMPLE0000000000000000';

/** The layout was refused by checkBadgeTemplate (answered 422 with its problems). */
export class BadgeTemplateInvalid extends ApiFailure {
  constructor(readonly problems: BadgeTemplateProblem[]) {
    super('badge_template_invalid', problems.slice(0, 3).map((p) => `${p.reason}: ${p.detail}`).join('; '));
  }

  override body(): ApiError & { problems: BadgeTemplateProblem[] } {
    return { ...super.body(), problems: this.problems.slice(0, 100) };
  }
}

export const SaveBody = BadgeTemplateSave;
export type SaveBody = z.output<typeof BadgeTemplateSave>;
export const SettingsBody = BadgeSettings.strict();

const adminRow = (r: BadgeTemplateRecord): AdminBadgeTemplateRow => ({
  id: r.id,
  eventId: r.eventId,
  name: r.name,
  ticketTypeIds: r.ticketTypeIds,
  categories: r.categories,
  isDefault: r.isDefault,
  template: r.template,
  version: r.version,
  updatedAt: r.updatedAt.toISOString(),
});

async function assertEvent(db: ServerDb, eventId: string): Promise<void> {
  const [event] = await db.select({ id: events.id }).from(events).where(eq(events.id, eventId));
  if (!event) throw new ApiFailure('not_found', `no event ${eventId}`);
}

/** The event's samples: its longest attendee name (else LONG_SAMPLE_NAME), then Chinese and Russian. */
async function samplesOf(db: ServerDb, eventId: string): Promise<BadgeSample[]> {
  const [longest] = await db
    .select({
      id: tickets.id,
      name: tickets.attendeeName,
      company: tickets.company,
      title: tickets.title,
      answers: tickets.answers,
      ticketTypeId: tickets.ticketTypeId,
      code: tickets.code,
    })
    .from(tickets)
    .where(and(eq(tickets.eventId, eventId), isNotNull(tickets.attendeeName), sql`btrim(${tickets.attendeeName}) <> ''`))
    .orderBy(desc(sql`char_length(${tickets.attendeeName})`), asc(tickets.id))
    .limit(1);
  const [firstType] = await db
    .select({ id: ticketTypes.id })
    .from(ticketTypes)
    .where(eq(ticketTypes.eventId, eventId))
    .orderBy(asc(ticketTypes.sortOrder), asc(ticketTypes.id))
    .limit(1);
  const typeId = firstType?.id ?? null;
  return [
    longest
      ? {
          key: 'longest',
          name: longest.name!,
          company: longest.company,
          title: longest.title,
          category: categoryOf(longest.answers),
          ticketTypeId: longest.ticketTypeId,
          code: longest.code,
        }
      : { key: 'longest', name: LONG_SAMPLE_NAME, company: 'International Business Machines Corporation', title: 'Senior Vice President, Engineering', category: null, ticketTypeId: typeId, code: SAMPLE_CODE },
    { key: 'chinese', name: '张三丰', company: '武当山科技有限公司', title: '首席执行官', category: null, ticketTypeId: typeId, code: SAMPLE_CODE },
    { key: 'russian', name: 'Иванов Пётр', company: 'ООО «Ромашка»', title: 'Генеральный директор', category: null, ticketTypeId: typeId, code: SAMPLE_CODE },
  ];
}

/** The distinct non-empty category answers of the event's tickets, sorted. */
async function categoriesOf(db: ServerDb, eventId: string): Promise<string[]> {
  const rows = await rowsOf<{ category: string }>(
    db,
    sql`select distinct btrim(answers->>'category') as category from tickets
        where event_id = ${eventId}::uuid and jsonb_typeof(answers->'category') in ('string', 'number')
          and btrim(answers->>'category') <> ''
        order by 1 limit ${MAX_CATEGORIES}`,
  );
  return rows.map((r) => r.category);
}

/** GET /admin/v1/events/:id/badges. */
export async function listBadges(db: ServerDb, eventId: string): Promise<AdminBadgesResponse> {
  await assertEvent(db, eventId);
  const templates = await db
    .select()
    .from(badgeTemplates)
    .where(and(eq(badgeTemplates.eventId, eventId), eq(badgeTemplates.active, true)))
    .orderBy(asc(badgeTemplates.name), asc(badgeTemplates.id));
  return {
    templates: templates.map(adminRow),
    settings: await readBadgeSettings(db, eventId),
    samples: await samplesOf(db, eventId),
    categories: await categoriesOf(db, eventId),
  };
}

/**
 * Creates or replaces the template `id` (PUT): 404 when the event is unknown; 400 when a ticket type is
 * not of the event; 422 (BadgeTemplateInvalid) when the layout fails its check; 409 conflict when the
 * template is of another event, or `baseVersion` is older than the stored version. Nothing is written
 * unless all pass.
 */
export async function saveTemplate(db: ServerDb, id: string, body: SaveBody, now: Date): Promise<{ template: AdminBadgeTemplateRow; seq: number; created: boolean }> {
  await assertEvent(db, body.eventId);
  const typeIds = [...new Set(body.ticketTypeIds.map((t) => t.toLowerCase()))];
  if (typeIds.length > 0) {
    const own = new Set(
      (
        await db
          .select({ id: ticketTypes.id })
          .from(ticketTypes)
          .where(and(eq(ticketTypes.eventId, body.eventId), inArray(ticketTypes.id, typeIds)))
      ).map((t) => t.id),
    );
    const foreign = typeIds.find((t) => !own.has(t));
    if (foreign) throw new ApiFailure('bad_request', `ticketTypeIds: ${foreign} is no ticket type of event ${body.eventId}`);
  }
  const checked = checkBadgeTemplate(body.template);
  if (!checked.ok) throw new BadgeTemplateInvalid(checked.problems);
  const categories = [...new Set(body.categories.map((c) => c.normalize('NFC')))];
  return writeTx(db, async (tx) => {
    const [stored] = await tx.select().from(badgeTemplates).where(eq(badgeTemplates.id, id)).for('update');
    if (stored && stored.eventId !== body.eventId) throw new ApiFailure('conflict', `template ${id} belongs to another event`);
    if (stored && body.baseVersion !== undefined && body.baseVersion < stored.version) {
      throw new ApiFailure('conflict', `template ${id} is at version ${stored.version}, this save started from ${body.baseVersion}`);
    }
    const values = { name: body.name, ticketTypeIds: typeIds, categories, isDefault: body.isDefault, template: checked.template, active: true, updatedAt: now };
    const [row] = stored
      ? await tx
          .update(badgeTemplates)
          .set({ ...values, version: sql`${badgeTemplates.version} + 1`, seq: sql`nextval('change_seq')` })
          .where(eq(badgeTemplates.id, id))
          .returning()
      : await tx
          .insert(badgeTemplates)
          .values({ id, eventId: body.eventId, ...values, version: 1 })
          .onConflictDoNothing()
          .returning();
    // Created at the same moment by another save of the same id: that one won.
    if (!row) throw new ApiFailure('conflict', `template ${id} was saved meanwhile`);
    return { template: adminRow(row), seq: row.seq, created: !stored };
  });
}

/** Switches the template off (kept, so the deletion replicates). 404 when it is unknown or of another
 *  event; deleting it again changes nothing (seq null). */
export async function deleteTemplate(db: ServerDb, id: string, eventId: string, now: Date): Promise<{ id: string; seq: number | null; name: string }> {
  return writeTx(db, async (tx) => {
    const [stored] = await tx.select().from(badgeTemplates).where(eq(badgeTemplates.id, id)).for('update');
    if (!stored || stored.eventId !== eventId) throw new ApiFailure('not_found', `no badge template ${id} of event ${eventId}`);
    if (!stored.active) return { id, seq: null, name: stored.name };
    const [row] = await tx
      .update(badgeTemplates)
      .set({ active: false, version: sql`${badgeTemplates.version} + 1`, updatedAt: now, seq: sql`nextval('change_seq')` })
      .where(eq(badgeTemplates.id, id))
      .returning();
    return { id, seq: row!.seq, name: stored.name };
  });
}

/** Replaces the event's badge settings (404 when the event is unknown). */
export async function saveSettings(db: ServerDb, eventId: string, settings: BadgeSettings, now: Date): Promise<{ settings: BadgeSettings; seq: number }> {
  await assertEvent(db, eventId);
  const values = { reprintWindowS: settings.reprintWindowS, reprintNeedsPin: settings.reprintNeedsPin, printChecksIn: settings.printChecksIn, updatedAt: now };
  const [row] = await writeTx(db, (tx) =>
    tx
      .insert(badgeSettings)
      .values({ eventId, ...values })
      .onConflictDoUpdate({ target: badgeSettings.eventId, set: { ...values, seq: sql`nextval('change_seq')` } })
      .returning(),
  );
  return { settings: { reprintWindowS: row!.reprintWindowS, reprintNeedsPin: row!.reprintNeedsPin, printChecksIn: row!.printChecksIn }, seq: row!.seq };
}
