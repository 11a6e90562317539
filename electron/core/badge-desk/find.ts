// Owns how the badge desk finds attendees in the terminal's cache: a ticket code (scanned or typed; a
// signed code resolves as the gate resolves it), an order code, a phone's last four digits, or any part
// of a name in any script (the cache's folded names). At most 50, best first. ID cards are found by
// the gate's hashed lookup (core.ts routes the reads).
import type { BadgeFindBy } from '../../contract';
import { resolveCode } from '../gate/validation';
import type { CacheReader, TicketRecord } from '../sync/cache';

export type FindBy = BadgeFindBy;
export const FIND_LIMIT = 50;

export function findAttendees(cache: CacheReader, by: Exclude<FindBy, 'id_card'>, query: string, at: Date): TicketRecord[] {
  const q = query.trim();
  if (q === '') return [];
  switch (by) {
    case 'code': {
      const resolved = resolveCode(cache, q, at.getTime());
      const t = resolved.ticket ?? (resolved.ok ? cache.ticketById(resolved.ticketId) : undefined) ?? cache.ticketByCode(q);
      return t ? [t] : [];
    }
    case 'order': {
      const upper = q.toUpperCase();
      const found = cache.search({ orderCode: upper }, FIND_LIMIT);
      return found.length > 0 || upper === q ? found : cache.search({ orderCode: q }, FIND_LIMIT);
    }
    case 'phone': {
      const digits = q.replace(/\D/g, '');
      if (digits.length < 4) return [];
      return cache.search({ phoneLast4: digits.slice(-4) }, FIND_LIMIT);
    }
    case 'name':
      return cache.searchName(q, FIND_LIMIT);
  }
}
