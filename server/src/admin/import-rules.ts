// Owns the attendee import's rules as the organizer set them up: each ticket type's sale settings
// (switched on, the import channel allowed, real-name, the attendee fields it requires, how many one
// attendee may hold) and its registration form (domain/forms.ts), read once per check into the
// RowRules seam of import/rules.ts. A row's answers are read with the form (yes/no words, options by
// label, dates in the usual spellings) and stored as the form's typed answers; a type without a form
// keeps the answers columns as text.
import { answersFromText, type AnswerReason, type Form } from '../../../domain/forms';
import type { ticketTypes } from '../db/schema';
import type { ServerDb } from '../db/client';
import type { FieldValue } from '../import/validate';
import type { AnswerProblem, BuiltInField, RowRules, RuleRecord, TicketTypeRules } from '../import/rules';
import { formsOfEvent } from './forms';

type TypeRow = typeof ticketTypes.$inferSelect;

const REASON_TEXT: Record<AnswerReason, string> = {
  required: 'an answer is required',
  too_long: 'the answer is too long',
  not_a_number: 'the answer is not a number',
  not_an_integer: 'the answer is not a whole number',
  out_of_range: 'the answer is outside the allowed range',
  not_an_option: 'the answer is not one of the options',
  bad_date: 'the answer is not a real date',
  bad_phone: 'the answer is not a phone number',
  bad_email: 'the answer is not an email address',
  bad_country: 'the answer is not a country',
  bad_value: 'the answer cannot be used',
  unknown_field: 'the registration form has no such field',
};

/** The answers of one row against the type's form: problems, or the form's typed answers. */
export function checkFormAnswers(form: Form, record: RuleRecord): { problems: AnswerProblem[]; answers: Record<string, FieldValue> } {
  const text: Record<string, string> = {};
  for (const [key, value] of Object.entries(record.answers)) {
    if (value === null) continue;
    text[key] = Array.isArray(value) ? value.join(';') : String(value);
  }
  const checked = answersFromText(form, text);
  if (checked.ok) return { problems: [], answers: checked.answers };
  return {
    problems: checked.errors.map((e) => ({
      key: e.key,
      reason: e.reason,
      message: `${e.key}: ${REASON_TEXT[e.reason] ?? e.reason}.`,
    })),
    answers: record.answers as Record<string, FieldValue>,
  };
}

function rulesOfType(type: TypeRow, form: Form | undefined): TicketTypeRules {
  return {
    requiredFields: ['name', ...type.requiredFields.filter((f) => f !== 'name')] as BuiltInField[],
    realName: type.realName,
    importAllowed: type.active && type.channels.includes('import'),
    maxPerAttendee: type.maxPerAttendee,
    // A type without a form keeps the mapped answers as the file had them (the organizer's own columns);
    // with a form, every answer is the form's and is checked by it.
    checkAnswers: (record) => (form ? checkFormAnswers(form, record) : { problems: [], answers: record.answers as Record<string, FieldValue> }),
  };
}

/** The event's rules as stored now: one read of its forms; the types are the ones the check read. */
export async function catalogRowRules(db: ServerDb, eventId: string, types: readonly TypeRow[]): Promise<RowRules> {
  const forms = await formsOfEvent(db, eventId);
  const byId = new Map(types.map((t) => [t.id, rulesOfType(t, forms.get(t.id))]));
  return {
    forType: (type) => {
      const rules = byId.get(type.id);
      if (!rules) throw new Error(`ticket type ${type.id} was not read with the event`);
      return rules;
    },
  };
}
