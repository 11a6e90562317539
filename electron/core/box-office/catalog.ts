// Owns what the box office offers: the events this terminal sells for (each with its sessions) and, for
// the event and session picked, the ticket types for the box-office channel as last synced — on sale now
// with live availability (the least of what the type and its shared quotas have left; sold out at 0),
// or apart, off sale with the reason (not yet on sale, with its start; sale ended; session switched
// off). Switched-off types and types the box office may not sell are left out. It also answers what
// each type asks of its holders (attendees.ts), so the screen can ask for it.
import { availability, SALE_CHANNELS, saleWindowState } from '../../../domain/catalog';
import { AdmitError, type CallInput, type CallOutput, type TicketType } from '../../contract';
import type { CacheReader } from '../sync/cache';

export type CatalogInput = CallInput<'boxOffice.catalog'>;
export type CatalogOutput = CallOutput<'boxOffice.catalog'>;

export function saleCatalog(cache: Pick<CacheReader, 'catalog' | 'events' | 'sessions' | 'form'>, now: Date, input: CatalogInput = {}): CatalogOutput {
  const { event, types } = cache.catalog(input.eventId);
  if (input.eventId !== undefined && !event) throw new AdmitError('not_found', `event ${input.eventId} is not one this terminal sells for`);
  const sessions = event ? cache.sessions(event.id) : [];
  if (input.sessionId !== undefined && !sessions.some((s) => s.id === input.sessionId))
    throw new AdmitError('not_found', `session ${input.sessionId} is not one of the event's`);
  const onSale: TicketType[] = [];
  const offSale: TicketType[] = [];
  for (const t of types) {
    if (t.active === false || !(t.channels ?? SALE_CHANNELS).includes('box_office')) continue;
    // A session picked: its own types and the whole-event ones.
    if (input.sessionId !== undefined && (t.sessionId ?? null) !== null && t.sessionId !== input.sessionId) continue;
    const rules = { saleStartsAt: t.saleStartsAt ?? null, saleEndsAt: t.saleEndsAt ?? null };
    const window = saleWindowState(rules, now);
    const available = availability(t, t.quotas ?? []);
    const sessionOff = t.sessionActive === false;
    const form = cache.form(t.id);
    const shown: TicketType = {
      id: t.id,
      eventId: t.eventId,
      name: t.name,
      priceMinor: t.priceMinor,
      currency: t.currency,
      available,
      saleState: sessionOff ? 'session_inactive' : window === 'not_on_sale' ? 'not_yet_on_sale' : window === 'sale_ended' ? 'sale_ended' : available === 0 ? 'sold_out' : 'on_sale',
      saleStartsAt: rules.saleStartsAt,
      saleEndsAt: rules.saleEndsAt,
      maxPerOrder: t.maxPerOrder ?? null,
      sessionId: t.sessionId ?? null,
      realName: t.realName ?? false,
      requiredFields: t.requiredFields ?? [],
      hasForm: (form?.fields.length ?? 0) > 0,
    };
    (window === 'open' && !sessionOff ? onSale : offSale).push(shown);
  }
  return {
    event,
    ticketTypes: onSale,
    offSale,
    events: cache.events().map((e) => ({
      ...e,
      sessions: cache.sessions(e.id).map(({ id, name, startsAt, endsAt, active }) => ({ id, name, startsAt, endsAt, active })),
    })),
    sessionId: input.sessionId ?? null,
  };
}
