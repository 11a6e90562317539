// Owns the box office's check of whom the tickets are for, before any money is taken: each line's type
// as last synced (real-name, required fields) and its registration form from the cache, through the one
// check of domain/attendees.ts that the server repeats. A problem is a coded error whose issues point
// at each field (<ticketTypeId>/<index>/<field>), so the screen can mark them all at once.
import { type AttendeeRules, checkAttendees, describeIssues, type OrderAttendee } from '../../../domain/attendees';
import { parseForm } from '../../../domain/forms';
import { AdmitError } from '../../contract';
import type { CacheReader, CatalogType } from '../sync/cache';

export function checkSaleAttendees(
  lines: readonly { ticketTypeId: string; quantity: number }[],
  attendees: readonly OrderAttendee[] | undefined,
  types: readonly CatalogType[],
  forms: Partial<Pick<CacheReader, 'form'>>,
): void {
  const byId = new Map(types.map((t) => [t.id, t]));
  const rulesOf = (id: string): AttendeeRules | undefined => {
    const t = byId.get(id);
    if (!t) return undefined;
    const stored = forms.form?.(id);
    const parsed = stored ? parseForm(stored.fields) : null;
    return { realName: t.realName ?? false, requiredFields: t.requiredFields ?? [], form: parsed?.ok ? parsed.form : null };
  };
  const checked = checkAttendees(lines, attendees ?? [], rulesOf);
  if (checked.ok) return;
  const first = checked.issues[0]!;
  throw new AdmitError(
    first.code,
    describeIssues(checked.issues),
    undefined,
    checked.issues.map((i) => ({ path: i.path, message: i.reason })),
  );
}
