// Owns the box-office feature: the box-office slice of the contract (the catalog on sale, a sale, the
// sales that need the cashier and their acknowledgment) over the replicated cache, the sale flow
// (sale.ts), its payment ports, its orders table and its pending sales (taken up again whenever the
// server is reachable, one sale at a time with the cashier's). What the recovery settles is recorded in
// the audit trail and announced to the screen (boxOffice.salesSettled); then the payments left
// authorized are settled by their orders' fate (payment-journal.ts), and refund parts a crash left
// planned are paid (told to the shift like any refund, and audited). Refunds and exchanges of an order
// (refunds.ts) run in the same line as sales.
import type { BoxOfficeCall, CallName, EventName, EventPayload } from '../../contract';
import type { AuditRecorder } from '../audit/module';
import type { CoreModule, Logger } from '../dispatcher';
import type { CacheReader } from '../sync/cache';
import type { TenderMethod } from '../../../domain/tender';
import { acknowledge, attentionSale, listAttention } from './attention';
import { saleCatalog } from './catalog';
import { recoverPayments, recoverRefunds, type OrderFate } from './payment-journal';
import type { PendingSaleAttention } from './pending-sales';
import { exchange, findOrder, refund, type RefundDeps } from './refunds';
import { recoverSales, sell, type SaleDeps } from './sale';
import { previewForCashier } from './voucher';

type RefundCall = Extract<CallName, 'boxOffice.findOrder' | 'boxOffice.refund' | 'boxOffice.exchange'>;

export type BoxOfficeDeps = SaleDeps & {
  cache: CacheReader;
  pending: PendingSaleAttention;
  log: Logger;
  /** The operator's name as this terminal knows it. */
  operatorName: (operatorId: string) => string | null;
  publish: <K extends EventName>(name: K, payload: EventPayload<K>) => void;
  audit: AuditRecorder;
  /** Throws when no new sale may be made now (no open shift: box-office/shifts.ts). */
  saleAllowed?: () => void;
  /** Refunds and exchanges (refunds.ts); its onRefunded tells the shift's cash drawer. */
  refunds: RefundDeps;
  /** The payment kinds this till takes now, as the catalog tells the screen. */
  tenders?: () => TenderMethod[];
  /** Seats of a ticket type this till may still sell offline on its lease (leases.ts). */
  leased?: (ticketTypeId: string) => number;
};

export function boxOfficeModule(deps: BoxOfficeDeps): CoreModule<BoxOfficeCall | RefundCall> & { recover(): Promise<void> } {
  // Sales and their recovery run one after the other: a pending sale is never sent by both at once.
  let line: Promise<unknown> = Promise.resolve();
  const inLine = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = line.then(fn, fn);
    line = run.catch(() => undefined);
    return run;
  };
  /** An order's fate as the kept sales tell it: no sale under its id means it was never sent (a crash
   *  between the authorization and keeping the sale), so its money goes back. */
  const fateOf = (orderId: string): OrderFate => {
    const sale = deps.pending.get(orderId);
    if (!sale) return 'none';
    if (sale.state === 'failed') return 'failed';
    return sale.state === 'pending' ? 'unknown' : 'made';
  };
  const settlePayments = async () => {
    const { voided, captured } = await recoverPayments(deps.payments, deps.journal, fateOf);
    for (const [outcome, list] of [['voided', voided], ['captured', captured]] as const) {
      for (const a of list) {
        deps.log.warn(`a payment left authorized was ${outcome} by the recovery`, { paymentId: a.id, method: a.method, amountMinor: a.amountMinor });
        deps.audit.record({ action: 'payment_recovered', subject: a.id, detail: { outcome, method: a.method, amountMinor: a.amountMinor, currency: a.currency } });
      }
    }
  };
  const settleRefunds = async () => {
    await recoverRefunds(deps.payments, deps.journal, (r, part) => {
      deps.log.warn('a refund part a crash left unpaid was paid back by the recovery', { refundId: r.refundId, method: part.method, amountMinor: part.amountMinor });
      deps.audit.record({ action: 'payment_recovered', subject: part.paymentId, detail: { outcome: 'refunded', refundId: r.refundId, method: part.method, amountMinor: part.amountMinor, currency: r.currency } });
      deps.refunds.onRefunded?.({
        kind: 'refund',
        refundId: r.refundId,
        orderId: r.orderId,
        paidBack: [{ method: part.method, amountMinor: part.amountMinor }],
        charged: [],
        currency: r.currency,
        operatorId: null,
        approvedBy: null,
      });
    });
  };
  let recovering: Promise<void> | null = null;
  const recover = (): Promise<void> => {
    if (recovering || (deps.pending.unsettled().length === 0 && deps.journal.open().length === 0 && deps.journal.plannedRefunds().length === 0))
      return recovering ?? Promise.resolve();
    recovering = inLine(async () => {
      const { done, failed } = await recoverSales(deps);
      await settlePayments();
      await settleRefunds();
      for (const order of done) deps.log.warn('a sale left in flight was completed and printed', { orderId: order.id, code: order.code });
      for (const sale of failed) deps.log.warn('a sale left in flight was refused by the server: hand the money back', { orderId: sale.orderId, error: sale.error });
      for (const orderId of [...done.map((o) => o.id), ...failed.map((s) => s.orderId)]) {
        const kept = deps.pending.get(orderId);
        if (!kept) continue;
        const sale = attentionSale(kept, deps);
        deps.audit.record({
          action: 'sale_recovered',
          subject: orderId,
          detail: {
            outcome: sale.state,
            soldBy: sale.operatorId,
            totalMinor: sale.totalMinor,
            currency: sale.currency,
            orderCode: sale.orderCode,
            print: sale.print?.state ?? null,
            error: sale.error?.code ?? null,
            serverCode: sale.error?.serverCode ?? null,
          },
        });
      }
      const sales = [
        ...done.map((o) => ({ orderId: o.id, state: 'done_on_recovery' as const })),
        ...failed.map((s) => ({ orderId: s.orderId, state: 'failed' as const })),
      ];
      if (sales.length > 0) deps.publish('boxOffice.salesSettled', { sales });
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
      'boxOffice.catalog': (input) => {
        const catalog = saleCatalog(deps.cache, deps.serverNow?.() ?? new Date(), input);
        const leased: Record<string, number> = {};
        if (deps.leased) {
          for (const t of [...catalog.ticketTypes, ...(catalog.offSale ?? [])]) {
            const n = deps.leased(t.id);
            if (n > 0) leased[t.id] = n;
          }
        }
        return { ...catalog, ...(deps.tenders ? { payments: deps.tenders() } : {}), ...(deps.leased ? { leased } : {}) };
      },
      'boxOffice.voucher': (input) => previewForCashier(deps, input),
      'boxOffice.sell': (input, ctx) =>
        inLine(async () => {
          deps.saleAllowed?.();
          return sell(deps, input, ctx.session!.operatorId);
        }),
      'boxOffice.attention': () => listAttention(deps),
      // In line with sales and the recovery: a sale is never acknowledged while it is being settled.
      'boxOffice.acknowledge': (input, ctx) => inLine(async () => acknowledge(deps, input.orderId, ctx.session!.operatorId)),
      'boxOffice.findOrder': (input) => findOrder(deps.refunds, input.code),
      // In line with sales: the drawer sees one movement at a time.
      'boxOffice.refund': (input, ctx) => inLine(() => refund(deps.refunds, input, ctx.session!.operatorId)),
      'boxOffice.exchange': (input, ctx) => inLine(() => exchange(deps.refunds, input, ctx.session!.operatorId)),
    },
    recover,
  };
}
