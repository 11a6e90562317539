// Owns storing registration forms at the server: one row per ticket type holding its whole form, replaced
// whole on every edit (version one more each time) and replicated to the terminals of its event with a
// fresh change number. Editing a form never touches answers already stored with tickets: a removed
// field's answers stay as they were, and a field whose kind changed keeps its old answers until they are
// given again; only new answers are checked against the new form.
import { eq, inArray, sql } from 'drizzle-orm';
import { parseForm, type Form } from '../../../domain/forms';
import type { ServerDb } from '../db/client';
import { ticketTypeForms, ticketTypes } from '../db/schema';
import { writeTx } from '../db/writes';
import { ApiFailure } from '../errors';
import type { AdminForm } from './forms-schemas';

async function typeOf(db: ServerDb, ticketTypeId: string): Promise<{ id: string; eventId: string }> {
  const [type] = await db.select({ id: ticketTypes.id, eventId: ticketTypes.eventId }).from(ticketTypes).where(eq(ticketTypes.id, ticketTypeId));
  if (!type) throw new ApiFailure('not_found', 'no such ticket type');
  return type;
}

/** The ticket type's form; one never saved is empty, version 0. */
export async function readForm(db: ServerDb, ticketTypeId: string): Promise<AdminForm> {
  const type = await typeOf(db, ticketTypeId);
  const [row] = await db.select().from(ticketTypeForms).where(eq(ticketTypeForms.ticketTypeId, ticketTypeId));
  if (!row) return { ticketTypeId, eventId: type.eventId, fields: [], version: 0, updatedAt: null };
  const parsed = parseForm(row.fields);
  // Stored forms passed parseForm when saved; one that no longer does (a rule tightened since) is
  // shown as empty rather than as something it is not — saving again replaces it.
  return {
    ticketTypeId,
    eventId: row.eventId,
    fields: parsed.ok ? parsed.form : [],
    version: row.version,
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The forms of every ticket type of an event that has one, by ticket type id — what an import checks
 *  each attendee's answers against (domain/forms.ts validateAnswers / answersFromText). A type without
 *  a form is absent: its attendees have no custom answers. */
export async function formsOfEvent(db: ServerDb, eventId: string): Promise<Map<string, Form>> {
  const types = await db.select({ id: ticketTypes.id }).from(ticketTypes).where(eq(ticketTypes.eventId, eventId));
  if (types.length === 0) return new Map();
  const rows = await db
    .select({ ticketTypeId: ticketTypeForms.ticketTypeId, fields: ticketTypeForms.fields })
    .from(ticketTypeForms)
    .where(inArray(ticketTypeForms.ticketTypeId, types.map((t) => t.id)));
  const forms = new Map<string, Form>();
  for (const row of rows) {
    const parsed = parseForm(row.fields);
    if (parsed.ok && parsed.form.length > 0) forms.set(row.ticketTypeId, parsed.form);
  }
  return forms;
}

/** Checks the form (a 400 naming every problem, nothing written) and replaces the stored one. */
export async function replaceForm(db: ServerDb, ticketTypeId: string, input: unknown, now: Date): Promise<{ form: AdminForm; seq: number }> {
  const parsed = parseForm(input);
  if (!parsed.ok) {
    throw new ApiFailure(
      'bad_request',
      parsed.issues
        .slice(0, 10)
        .map((i) => `fields.${i.path}: ${i.message}`)
        .join('; '),
    );
  }
  const fields: Form = parsed.form;
  const type = await typeOf(db, ticketTypeId);
  const [row] = await writeTx(db, (tx) =>
    tx
      .insert(ticketTypeForms)
      .values({ ticketTypeId, eventId: type.eventId, fields, version: 1, updatedAt: now })
      .onConflictDoUpdate({
        target: ticketTypeForms.ticketTypeId,
        set: {
          fields,
          version: sql`${ticketTypeForms.version} + 1`,
          updatedAt: now,
          seq: sql`nextval('change_seq')`,
        },
      })
      .returning(),
  );
  return {
    form: { ticketTypeId, eventId: row!.eventId, fields, version: row!.version, updatedAt: row!.updatedAt.toISOString() },
    seq: row!.seq,
  };
}
