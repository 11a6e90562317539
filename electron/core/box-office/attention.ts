// Owns what the box office tells the cashier of the sales kept on this terminal: the ones still
// waiting for the server and the ones the recovery settled while nobody was waiting for them
// (completed and printed — the customer gets tickets and change — or refused — the money goes back),
// as contract values with their lines, money and refusal; and the cashier's acknowledgment of a settled
// one, which takes it off the list (the dispatcher records it in the audit trail, audit/calls.ts).
import { AdmitError, ErrorCode, type AttentionSale, type CallOutput } from '../../contract';
import type { CacheReader } from '../sync/cache';
import type { PendingSale, PendingSaleAttention } from './pending-sales';

/** The most sales the list carries; the oldest come first. */
export const ATTENTION_LIMIT = 200;

export type AttentionDeps = {
  pending: PendingSaleAttention;
  cache: Pick<CacheReader, 'catalog'>;
  /** The operator's name as this terminal knows it. */
  operatorName: (operatorId: string) => string | null;
};

/** A stored refusal ('sold_out', 'server_rejected: duplicate_order', …) as an error code and the
 *  server's own code. */
export function refusalOf(error: string | null): { code: ErrorCode; serverCode: string | null } {
  const [head = '', ...rest] = (error ?? '').split(': ');
  const parsed = ErrorCode.safeParse(head);
  if (!parsed.success) return { code: 'server_rejected', serverCode: null };
  return { code: parsed.data, serverCode: parsed.data === 'server_rejected' && rest.length > 0 ? rest.join(': ').slice(0, 64) : null };
}

/** The catalog as the list reads it: the event and its ticket types by id. */
type CatalogLookup = { event: ReturnType<CacheReader['catalog']>['event']; byId: Map<string, ReturnType<CacheReader['catalog']>['types'][number]> };

function catalogLookup(cache: Pick<CacheReader, 'catalog'>): CatalogLookup {
  const { event, types } = cache.catalog();
  return { event, byId: new Map(types.map((t) => [t.id, t])) };
}

/** One kept sale as the cashier sees it; a list passes one catalog lookup for all its sales. */
export function attentionSale(
  sale: PendingSale,
  deps: Pick<AttentionDeps, 'cache' | 'operatorName'>,
  { event, byId }: CatalogLookup = catalogLookup(deps.cache),
): AttentionSale {
  const quantities = new Map<string, number>();
  for (const l of sale.request.lines) quantities.set(l.ticketTypeId, (quantities.get(l.ticketTypeId) ?? 0) + l.quantity);
  const first = byId.get(sale.request.lines[0]?.ticketTypeId ?? '');
  const order = sale.order;
  const settled = (sale.state === 'done' || sale.state === 'failed') && sale.recoveredAt !== null;
  return {
    orderId: sale.orderId,
    at: sale.createdAt,
    settledAt: settled ? sale.recoveredAt : null,
    operatorId: sale.operatorId,
    operatorName: deps.operatorName(sale.operatorId),
    lines: [...quantities].map(([ticketTypeId, quantity]) => ({ ticketTypeId, ticketTypeName: byId.get(ticketTypeId)?.name ?? {}, quantity })),
    totalMinor: order?.totalMinor ?? sale.request.payment.amountMinor,
    currency: order?.currency ?? first?.currency ?? event?.currency ?? 'EUR',
    paymentMethod: sale.request.payment.method,
    tenderedMinor: sale.tenderedMinor,
    changeMinor: order?.changeMinor ?? sale.changeMinor,
    // A recorded sale has its order but not its printing yet: the recovery takes it up like a pending one.
    state: !settled ? 'pending' : sale.state === 'done' ? 'done_on_recovery' : 'failed',
    orderCode: order?.code ?? null,
    print: settled && sale.state === 'done' ? sale.print : null,
    error: settled && sale.state === 'failed' ? refusalOf(sale.error) : null,
  };
}

export function listAttention(deps: AttentionDeps): CallOutput<'boxOffice.attention'> {
  const catalog = catalogLookup(deps.cache);
  return { sales: deps.pending.attention(ATTENTION_LIMIT).map((s) => attentionSale(s, deps, catalog)) };
}

export function acknowledge(deps: AttentionDeps, orderId: string, operatorId: string): CallOutput<'boxOffice.acknowledge'> {
  const now = new Date().toISOString();
  const r = deps.pending.acknowledge(orderId, operatorId, now);
  if (!r.ok) throw new AdmitError(r.reason, orderId);
  const sale = attentionSale(r.sale, deps);
  if (sale.state === 'pending') throw new Error(`sale ${orderId} acknowledged while not settled`);
  return { orderId, state: sale.state, acknowledgedAt: now, totalMinor: sale.totalMinor, currency: sale.currency };
}
