// Owns the box office's view of a voucher: the server's preview of it (the server is the authority on
// vouchers and their uses; nothing is redeemed until the order), turned into the domain's voucher so the
// cart is priced by domain/pricing.ts exactly as the server will price it, by the server's clock.
import { priceCart, type Pricing } from '../../../domain/pricing';
import { usesLeft, type Voucher, type VoucherProblem } from '../../../domain/vouchers';
import type { VoucherPreview } from '../../../domain/wire';
import { AdmitError, type CallInput, type CallOutput } from '../../contract';
import type { CacheReader } from '../sync/cache';
import type { SyncClient } from '../sync/client';

export type VoucherServer = Pick<SyncClient, 'isOnline'> & Partial<Pick<SyncClient, 'previewVoucher'>>;

/** The server's preview of the code for the event; offline (or a server without vouchers): offline. */
export async function fetchVoucher(server: VoucherServer, code: string, eventId: string): Promise<VoucherPreview> {
  if (!server.isOnline || !server.previewVoucher) throw new AdmitError('offline', 'vouchers need the server');
  return server.previewVoucher(code, eventId);
}

/** The preview's rule as the domain's voucher (null: the server knows no such voucher). */
export function voucherOfPreview(preview: VoucherPreview): Voucher | null {
  if (!preview.voucher) return null;
  return { code: preview.code, active: true, ...preview.voucher };
}

/** The cart priced with the voucher of the preview, by the server's clock at the preview; a voucher
 *  that does not apply is the coded error the cashier sees. */
export function priceWithVoucher(
  lines: readonly { ticketTypeId: string; quantity: number }[],
  types: Parameters<typeof priceCart>[1],
  currency: string,
  preview: VoucherPreview,
): Extract<Pricing, { ok: true }> {
  const voucher = voucherOfPreview(preview);
  if (!voucher) throw new AdmitError('voucher_unknown', preview.code);
  const priced = priceCart(lines, types, currency, { voucher, at: new Date(preview.at) });
  if (!priced.ok) {
    if (priced.reason.startsWith('voucher_')) throw new AdmitError(priced.reason as VoucherProblem, voucherDetail(voucher));
    throw new AdmitError('invalid_input', priced.reason);
  }
  return priced;
}

const voucherDetail = (v: Voucher) =>
  `${v.code}: ${usesLeft(v) ?? 'unlimited'} uses left, at most ${v.maxPerOrder ?? '-'} per order, valid until ${v.validUntil ?? '-'}`;

/** boxOffice.voucher: the voucher now, and with lines the cart priced with it. */
export async function previewForCashier(
  deps: { cache: Pick<CacheReader, 'catalog'>; server: VoucherServer },
  input: CallInput<'boxOffice.voucher'>,
): Promise<CallOutput<'boxOffice.voucher'>> {
  const { event, types } = deps.cache.catalog(input.eventId);
  if (!event) throw new AdmitError(input.eventId ? 'not_found' : 'not_paired', 'no event to sell for');
  const preview = await fetchVoucher(deps.server, input.code, event.id);
  const v = voucherOfPreview(preview);
  let problem = preview.problem;
  let pricing: CallOutput<'boxOffice.voucher'>['pricing'] = null;
  if (v && problem === null && input.lines) {
    const priced = priceCart(input.lines, types, event.currency, { voucher: v, at: new Date(preview.at) });
    if (!priced.ok) {
      if (!priced.reason.startsWith('voucher_')) throw new AdmitError(priced.reason === 'unknown_ticket_type' ? 'unknown_ticket_type' : 'invalid_input', priced.reason);
      problem = priced.reason as VoucherProblem;
    } else
      pricing = {
        lines: priced.lines.map((l) => ({ ...l, unitDiscountMinor: l.unitDiscountMinor ?? 0, discountMinor: l.discountMinor ?? 0 })),
        subtotalMinor: priced.subtotalMinor ?? priced.totalMinor,
        discountMinor: priced.discountMinor ?? 0,
        totalMinor: priced.totalMinor,
        currency: priced.currency,
      };
  }
  return {
    code: preview.code,
    problem,
    kind: v?.kind ?? null,
    value: v?.value ?? null,
    ticketTypeIds: v?.ticketTypeIds ? [...v.ticketTypeIds] : null,
    validUntil: v?.validUntil ?? null,
    usesLeft: v ? usesLeft(v) : null,
    maxPerOrder: v?.maxPerOrder ?? null,
    discounts: preview.discounts,
    pricing,
  };
}
