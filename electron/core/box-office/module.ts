// Owns the box-office feature: the box-office slice of the contract (the catalog on sale, a sale) over
// the replicated cache, the sale flow (sale.ts), its payment ports and its orders table.
import type { BoxOfficeCall, EventInfo, TicketType } from '../../contract';
import type { CoreModule } from '../dispatcher';
import type { CacheReader } from '../sync/cache';
import { sell, type SaleDeps } from './sale';

export function boxOfficeModule(deps: SaleDeps & { cache: CacheReader }): CoreModule<BoxOfficeCall> {
  return {
    name: 'box-office',
    handlers: {
      'boxOffice.catalog': () => catalog(deps.cache),
      'boxOffice.sell': (input, ctx) => sell(deps, input, ctx.session!.operatorId),
    },
  };
}

function catalog(cache: CacheReader): { event: EventInfo | null; ticketTypes: TicketType[] } {
  const { event, types } = cache.catalog();
  return {
    event,
    ticketTypes: types.map((t) => ({
      id: t.id,
      eventId: t.eventId,
      name: t.name,
      priceMinor: t.priceMinor,
      currency: t.currency,
      available: t.capacity === null ? null : Math.max(0, t.capacity - t.sold),
    })),
  };
}
