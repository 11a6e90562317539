// Owns the terminal's reading of registration forms (the forms slice of the contract): the form of a
// ticket type from the replicated cache, checked with domain/forms.ts parseForm. Sync stores the forms
// (sync/cache.ts); this module only reads them.
import { parseForm } from '../../../domain/forms';
import { AdmitError, type FormsCall, type TerminalForm } from '../../contract';
import type { CoreModule } from '../dispatcher';
import type { CacheReader } from '../sync/cache';

export function readForm(cache: Pick<CacheReader, 'form'>, ticketTypeId: string): TerminalForm {
  const stored = cache.form(ticketTypeId);
  if (!stored) throw new AdmitError('unknown_ticket_type');
  const parsed = parseForm(stored.fields);
  return {
    ticketTypeId: stored.ticketTypeId,
    eventId: stored.eventId,
    fields: parsed.ok ? parsed.form : [],
    version: stored.version,
    readable: parsed.ok,
  };
}

export function formsModule(deps: { cache: Pick<CacheReader, 'form'> }): CoreModule<FormsCall> {
  return { name: 'forms', handlers: { 'forms.get': ({ ticketTypeId }) => readForm(deps.cache, ticketTypeId) } };
}
