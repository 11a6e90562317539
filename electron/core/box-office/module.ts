// Owns the box-office feature: the box-office slice of the contract (the catalog on sale, a sale) over
// the replicated cache, the sale flow (sale.ts), its payment ports, its orders table and its pending
// sales (taken up again whenever the server is reachable, one sale at a time with the cashier's).
import type { BoxOfficeCall, EventInfo, TicketType } from '../../contract';
import type { CoreModule, Logger } from '../dispatcher';
import type { CacheReader } from '../sync/cache';
import { recoverSales, sell, type SaleDeps } from './sale';

export function boxOfficeModule(deps: SaleDeps & { cache: CacheReader; log: Logger }): CoreModule<BoxOfficeCall> & { recover(): Promise<void> } {
  // Sales and their recovery run one after the other: a pending sale is never sent by both at once.
  let line: Promise<unknown> = Promise.resolve();
  const inLine = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = line.then(fn, fn);
    line = run.catch(() => undefined);
    return run;
  };
  let recovering: Promise<void> | null = null;
  const recover = (): Promise<void> => {
    if (recovering || deps.pending.unsettled().length === 0) return recovering ?? Promise.resolve();
    recovering = inLine(async () => {
      const { done, failed } = await recoverSales(deps);
      for (const order of done) deps.log.warn('a sale left in flight was completed and printed', { orderId: order.id, code: order.code });
      for (const sale of failed) deps.log.warn('a sale left in flight was refused by the server: hand the money back', { orderId: sale.orderId, error: sale.error });
    })
      .catch((e: unknown) => deps.log.error('sales left in flight could not be taken up', { error: String(e) }))
      .finally(() => {
        recovering = null;
      });
    return recovering;
  };
  return {
    name: 'box-office',
    handlers: {
      'boxOffice.catalog': () => catalog(deps.cache),
      'boxOffice.sell': (input, ctx) => inLine(() => sell(deps, input, ctx.session!.operatorId)),
    },
    recover,
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
